//! Reading inputs and writing outputs, the one way the CLI touches files
//! (the pipeline takes bytes and returns documents).
//!
//! Reading is bounded: a snapshot or an import file may hold at most
//! [`SNAPSHOT_LIMIT_MIB`], a CE text, an ACL test or a probe document at most
//! [`TEXT_LIMIT_MIB`]; `ERDIAG_MAX_INPUT_MIB` sets another limit for every
//! input. A file over the limit is refused before it is read (or as soon as a
//! stream such as standard input or `/dev/zero` passes it), with an error that
//! names the file.
//!
//! Writing is atomic: [`write_file`] writes a temporary file beside the
//! target, flushes it to disk and renames it over the target, so a reader
//! sees the old file or the new one, never half of one, and a full disk
//! leaves the previous file intact. It does not write through a symbolic link
//! unless asked to (`--force`).

use erdiag_pipeline::Error;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Default limit of a snapshot or an import file, in MiB.
pub const SNAPSHOT_LIMIT_MIB: u64 = 256;
/// Default limit of a CE text, an ACL test or a probe document, in MiB.
pub const TEXT_LIMIT_MIB: u64 = 16;
// One limit for a CE text: the configuration parser's is the CLI's.
const _: () = assert!(erdiag_ce::config::MAX_INPUT_BYTES as u64 == TEXT_LIMIT_MIB << 20);
/// Sets the limit of every input, in MiB.
pub const LIMIT_ENV: &str = "ERDIAG_MAX_INPUT_MIB";

/// What an input is, for its size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A snapshot or a file given to `import`.
    Document,
    /// A CE text, an ACL test, a probe document, a certificate.
    Text,
}

impl Input {
    fn default_mib(self) -> u64 {
        match self {
            Input::Document => SNAPSHOT_LIMIT_MIB,
            Input::Text => TEXT_LIMIT_MIB,
        }
    }

    /// The limit in bytes: the environment's, else the default.
    fn limit(self) -> Result<u64, Error> {
        match std::env::var(LIMIT_ENV) {
            Ok(v) if !v.trim().is_empty() => match v.trim().parse::<u64>() {
                Ok(mib @ 1..=1_048_576) => Ok(mib << 20),
                _ => Err(Error::usage(format!("{LIMIT_ENV}={v}: expected a number of MiB in 1..=1048576"))),
            },
            _ => Ok(self.default_mib() << 20),
        }
    }
}

fn too_large(label: &str, limit: u64) -> Error {
    Error::input(format!("{label}: larger than the input limit of {} MiB", limit >> 20))
        .with_hint(format!("set {LIMIT_ENV} to a larger number of MiB to read it anyway"))
}

/// Reads a file, or standard input for `-`, within the limit of its kind.
/// Returns the label errors should start with (the path, or `<stdin>`) and the bytes.
pub fn read_input(path: &Path, kind: Input) -> Result<(String, Vec<u8>), Error> {
    let limit = kind.limit()?;
    if path.as_os_str() == "-" {
        let label = "<stdin>".to_string();
        let bytes = read_bounded(std::io::stdin().lock(), 0, limit).map_err(|e| Error::input(format!("cannot read standard input: {e}")).caused_by(e))?;
        return bytes.map(|b| (label.clone(), b)).ok_or_else(|| too_large(&label, limit));
    }
    let label = path.display().to_string();
    let cannot = |e: std::io::Error| Error::input(format!("{label}: cannot read: {e}")).caused_by(e);
    let file = File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Error::input(format!("{label}: cannot read: it is a directory")));
    }
    // A regular file's size is known: refuse it before reading a byte.
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(&label, limit));
    }
    let hint = if meta.is_file() { meta.len() } else { 0 };
    read_bounded(file, hint, limit).map_err(cannot)?.map(|b| (label.clone(), b)).ok_or_else(|| too_large(&label, limit))
}

/// Reads to the end, or `None` once more than `limit` bytes came.
fn read_bounded(r: impl Read, size_hint: u64, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::with_capacity(size_hint.min(limit) as usize);
    r.take(limit + 1).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

/// Writes `bytes` to `path` atomically (see the module comment). With
/// `force`, a symbolic link at `path` is followed and its target replaced.
/// Something that is not a regular file (`/dev/stdout`, a pipe) is written
/// in place.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    let label = path.display().to_string();
    let cannot = |e: std::io::Error| Error::system(format!("{label}: cannot write: {e}")).caused_by(e);
    let mut target = path.to_path_buf();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            if !force {
                return Err(Error::usage(format!("{label}: is a symbolic link; refusing to write through it")).with_hint("pass --force to replace the file it points to"));
            }
            target = resolve_link(path).map_err(cannot)?;
        }
        Ok(_) | Err(_) => {}
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => return Err(Error::system(format!("{label}: cannot write: it is a directory"))),
        Ok(m) if !m.is_file() => {
            return OpenOptions::new().write(true).open(&target).and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush())).map_err(cannot);
        }
        _ => {}
    }
    replace(&target, bytes).map_err(cannot)
}

/// Where a symbolic link points, made absolute (it may not exist yet).
fn resolve_link(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(_) => {
            let to = std::fs::read_link(path)?;
            Ok(if to.is_absolute() { to } else { path.parent().unwrap_or(Path::new(".")).join(to) })
        }
    }
}

/// Temporary file in the same directory, fsync, rename over `target`, fsync
/// the directory. The temporary file is removed on any failure.
fn replace(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let (tmp, mut file) = create_temp(&dir, &name)?;
    let written = (|| {
        if let Ok(m) = std::fs::metadata(target) {
            file.set_permissions(m.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return written;
    }
    // The rename itself reaches the disk with the directory.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_cut_at_the_limit() {
        assert_eq!(read_bounded(&b"abcd"[..], 0, 4).unwrap(), Some(b"abcd".to_vec()));
        assert_eq!(read_bounded(std::io::repeat(0), 0, 1 << 20).unwrap(), None);
    }
}
