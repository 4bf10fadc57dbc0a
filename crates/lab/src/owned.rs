//! What a lab owns, and the proof of it.
//!
//! The lab runs as root beside FRR's daemons, which run as the `frr` user
//! and own `/var/run/frr`. So nothing the lab removes, kills or hands over
//! is found by its name alone, or read from a file the `frr` user can write:
//!
//! - the state root (`ERDIAG_LAB_DIR`, default `/run/erdiag/lab`) is not
//!   `/`, and it and every directory above it belong to root and are
//!   writable by root only (above it, sticky directories such as `/tmp` are
//!   accepted: others cannot rename what root made there);
//! - a lab's directory holds [`MARKER`], written by root (mode 0600) with a
//!   random id when the lab is made, before anything else; it records the
//!   identity (device, inode) of every namespace and FRR run directory the
//!   lab created, and the pid and start time of every daemon it started;
//! - what is made under the `frr` user's directory is made by root under an
//!   open handle on it and handed over by descriptor, never by path.

use crate::sys::FileId;
use crate::LabError;
use rustix::fs::{Mode, OFlags};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{fchown, DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Where labs keep their state unless `ERDIAG_LAB_DIR` says otherwise.
pub const DEFAULT_ROOT: &str = "/run/erdiag/lab";
/// The marker in a lab's directory.
pub const MARKER: &str = "owner.json";
const FORMAT: &str = "erdiag-lab-owner/1";
/// FRR's run directory, owned by the `frr` user; each router's pathspace
/// (`-N NS`) is the directory `NS` in it.
pub const FRR_RUN: &str = "/var/run/frr";

/// A daemon the lab started: enough to know it again, whatever its pid
/// file says.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Daemon {
    pub ns: String,
    pub daemon: String,
    pub pid: i32,
    /// Its start time, in clock ticks after boot (`/proc/PID/stat`, field 22).
    pub start: u64,
}

/// What a lab created, as root recorded it while creating it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub format: String,
    /// 128 random bits, so that the marker is one erdiag wrote for this lab.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub namespaces: BTreeMap<String, FileId>,
    #[serde(default)]
    pub run_dirs: BTreeMap<String, FileId>,
    #[serde(default)]
    pub daemons: Vec<Daemon>,
}

/// The `frr` user and group, which FRR's daemons run as.
#[derive(Debug, Clone, Copy)]
pub struct Frr {
    pub uid: u32,
    pub gid: u32,
}

impl Frr {
    pub fn lookup() -> Result<Frr, LabError> {
        let id = |flag: &str| -> Result<u32, LabError> {
            let out = crate::sys::run("id", &[flag, "frr"])?;
            out.trim().parse().map_err(|_| LabError::Unsupported(format!("`id {flag} frr` said {:?}: FRR's user is missing", out.trim())))
        };
        Ok(Frr { uid: id("-u")?, gid: id("-g")? })
    }
}

fn refused(m: String) -> LabError {
    LabError::Refused(m)
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> LabError {
    LabError::State(format!("{}: {e}", path.display()))
}

/// The state root, checked: a directory of root's that only root can
/// write, and so can every directory above it (or it is sticky). The
/// default is created if missing; `ERDIAG_LAB_DIR` must exist.
pub fn state_root() -> Result<PathBuf, LabError> {
    let given = std::env::var_os("ERDIAG_LAB_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    let path = given.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT));
    let what = if given.is_some() { "ERDIAG_LAB_DIR" } else { "the labs' state directory" };
    let bad = |m: String| refused(format!("{what} {}: {m}", path.display()));
    if given.is_none() {
        std::fs::DirBuilder::new().recursive(true).mode(0o755).create(&path).map_err(|e| bad(e.to_string()))?;
    }
    let canon = std::fs::canonicalize(&path).map_err(|e| bad(e.to_string()))?;
    if canon == Path::new("/") {
        return Err(bad("it is `/`; give the labs a directory of their own".into()));
    }
    for (i, dir) in canon.ancestors().enumerate() {
        let m = std::fs::symlink_metadata(dir).map_err(|e| bad(format!("{}: {e}", dir.display())))?;
        let writable_by_others = m.mode() & 0o022 != 0;
        let sticky = m.mode() & 0o1000 != 0;
        if !m.is_dir() || m.uid() != 0 || (writable_by_others && (i == 0 || !sticky)) {
            let whose = if i == 0 { "it".to_string() } else { format!("{} above it", dir.display()) };
            return Err(bad(format!("{whose} must be a directory owned by root and writable by root only (owner uid {}, mode {:o})", m.uid(), m.mode() & 0o7777)));
        }
    }
    Ok(canon)
}

/// `n` random bytes from the kernel, in hex.
pub fn random_hex(n: usize) -> Result<String, LabError> {
    let mut b = vec![0u8; n];
    File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)).map_err(|e| io_err(Path::new("/dev/urandom"), e))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Makes a directory owned by root and group `gid`, mode 0750 (0700 while
/// it is made). `Ok(false)` when it exists already.
pub fn make_dir(path: &Path, gid: u32) -> Result<bool, LabError> {
    match std::fs::DirBuilder::new().mode(0o700).create(path) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(false),
        r => r.map_err(|e| io_err(path, e))?,
    }
    let f = File::open(path).map_err(|e| io_err(path, e))?;
    fchown(&f, Some(0), Some(gid)).map_err(|e| io_err(path, e))?;
    f.set_permissions(std::fs::Permissions::from_mode(0o750)).map_err(|e| io_err(path, e))?;
    Ok(true)
}

/// Writes a new file in one of the lab's root-owned directories: any file
/// of that name is replaced, links are not followed, and owner and mode
/// are set on the open file.
pub fn write_new(path: &Path, bytes: &[u8], owner: (u32, u32), mode: u32) -> Result<(), LabError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(io_err(path, e)),
        _ => {}
    }
    let fail = |e: std::io::Error| io_err(path, e);
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).custom_flags(OFlags::NOFOLLOW.bits() as i32).mode(0o600).open(path).map_err(fail)?;
    fchown(&f, Some(owner.0), Some(owner.1)).map_err(fail)?;
    f.set_permissions(std::fs::Permissions::from_mode(mode)).map_err(fail)?;
    f.write_all(bytes).map_err(fail)
}

/// Replaces a root-only file (0600) atomically: written beside it, renamed.
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), LabError> {
    let tmp = path.with_extension("tmp");
    write_new(&tmp, bytes, (0, 0), 0o600)?;
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, e))
}

/// Reads a file that only root may have written: not a link, owned by
/// root, writable by nobody else, one link.
pub fn read_private(path: &Path) -> Result<Vec<u8>, std::io::Error> {
    let mut f = std::fs::OpenOptions::new().read(true).custom_flags(OFlags::NOFOLLOW.bits() as i32).open(path)?;
    let m = f.metadata()?;
    if !m.is_file() || m.uid() != 0 || m.mode() & 0o022 != 0 || m.nlink() != 1 {
        return Err(std::io::Error::new(ErrorKind::PermissionDenied, format!("not root's alone (owner uid {}, mode {:o}, {} links)", m.uid(), m.mode() & 0o7777, m.nlink())));
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    Ok(bytes)
}

impl Marker {
    /// Makes a lab's directory (root, group frr, 0750) and its marker.
    /// `Ok(None)` if the directory exists already.
    pub fn create(dir: &Path, name: &str, frr: Frr) -> Result<Option<Marker>, LabError> {
        if !make_dir(dir, frr.gid)? {
            return Ok(None);
        }
        let marker = Marker { format: FORMAT.into(), id: random_hex(16)?, name: name.into(), namespaces: BTreeMap::new(), run_dirs: BTreeMap::new(), daemons: Vec::new() };
        marker.save(dir)?;
        Ok(Some(marker))
    }

    pub fn save(&self, dir: &Path) -> Result<(), LabError> {
        replace_private(&dir.join(MARKER), &serde_json::to_vec_pretty(self).expect("a marker serializes"))
    }

    /// The marker of a lab's directory: `Ok(None)` when there is no such
    /// directory; refused when it is not a lab directory erdiag made.
    pub fn read(dir: &Path, name: &str) -> Result<Option<Marker>, LabError> {
        let m = match std::fs::symlink_metadata(dir) {
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            r => r.map_err(|e| io_err(dir, e))?,
        };
        let not_lab = |why: String| refused(format!("{} is not a lab directory erdiag made ({why}): left alone", dir.display()));
        if !m.is_dir() || m.uid() != 0 || m.mode() & 0o022 != 0 {
            return Err(not_lab("not a directory of root's that only root can write".into()));
        }
        let bytes = read_private(&dir.join(MARKER)).map_err(|e| not_lab(format!("{MARKER}: {e}")))?;
        let marker: Marker = serde_json::from_slice(&bytes).map_err(|e| not_lab(format!("{MARKER}: {e}")))?;
        let id_ok = marker.id.len() == 32 && marker.id.bytes().all(|b| b.is_ascii_hexdigit());
        if marker.format != FORMAT || marker.name != name || !id_ok {
            return Err(not_lab(format!("{MARKER} is not the marker of lab `{name}`")));
        }
        Ok(Some(marker))
    }
}

fn frr_run() -> Result<std::os::fd::OwnedFd, LabError> {
    rustix::fs::open(FRR_RUN, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).map_err(|e| io_err(Path::new(FRR_RUN), e))
}

fn open_dir_at(parent: &std::os::fd::OwnedFd, name: &str) -> rustix::io::Result<File> {
    rustix::fs::openat(parent, name, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty()).map(File::from)
}

/// Makes FRR's pathspace for a namespace, `/var/run/frr/NS`: created by
/// root in the directory it holds open, opened without following links,
/// checked to be the root-owned directory just made, then handed to `frr`
/// by its descriptor. One that exists already is refused: the lab did not
/// make it.
pub fn make_run_dir(ns: &str, frr: Frr) -> Result<FileId, LabError> {
    let path = Path::new(FRR_RUN).join(ns);
    let parent = frr_run()?;
    match rustix::fs::mkdirat(&parent, ns, Mode::from_raw_mode(0o700)) {
        Err(rustix::io::Errno::EXIST) => return Err(refused(format!("{} exists and this lab did not make it; remove it if it is a leftover", path.display()))),
        r => r.map_err(|e| io_err(&path, e))?,
    }
    let f = open_dir_at(&parent, ns).map_err(|e| io_err(&path, e))?;
    let m = f.metadata().map_err(|e| io_err(&path, e))?;
    if m.uid() != 0 {
        return Err(refused(format!("{} was replaced while the lab made it", path.display())));
    }
    fchown(&f, Some(frr.uid), Some(frr.gid)).map_err(|e| io_err(&path, e))?;
    f.set_permissions(std::fs::Permissions::from_mode(0o755)).map_err(|e| io_err(&path, e))?;
    Ok(FileId::of(&m))
}

/// What became of something the marker records.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    Removed,
    Gone,
    /// Something else is there now: left alone.
    Other,
}

/// Removes a run directory if it is still the one the lab made (its
/// contents are `frr`'s; the removal follows no link).
pub fn remove_run_dir(ns: &str, id: FileId) -> Result<Found, LabError> {
    let path = Path::new(FRR_RUN).join(ns);
    let f = match open_dir_at(&frr_run()?, ns) {
        Err(rustix::io::Errno::NOENT) => return Ok(Found::Gone),
        Err(_) => return Ok(Found::Other),
        Ok(f) => f,
    };
    if f.metadata().map(|m| FileId::of(&m)).ok() != Some(id) {
        return Ok(Found::Other);
    }
    std::fs::remove_dir_all(&path).map_err(|e| io_err(&path, e))?;
    Ok(Found::Removed)
}
