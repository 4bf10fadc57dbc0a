//! Running the system's tools (`ip`, `vtysh`, FRR's daemons), each call with
//! its command line kept for the error message. Nothing here talks to a
//! namespace other than the lab's: every `ip` call carries `-n NS`. And
//! processes, held by pidfd and known by namespace and start time, never by
//! a pid read from a file.

use crate::LabError;
use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::process::{pidfd_open, pidfd_send_signal, Pid, PidfdFlags, Signal};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `frr` package puts its daemons.
pub const FRR_DIR: &str = "/usr/lib/frr";

/// A file's identity: for a namespace, that of its bind mount under
/// `/run/netns` (the same as `/proc/PID/ns/net` of the processes in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    pub fn of(m: &std::fs::Metadata) -> FileId {
        FileId { dev: m.dev(), ino: m.ino() }
    }

    /// The identity of what a path names, following links.
    pub fn at(path: impl AsRef<Path>) -> Option<FileId> {
        std::fs::metadata(path).ok().map(|m| FileId::of(&m))
    }
}

/// Runs a command; its stdout, or an error with the command and its stderr.
pub fn run(program: &str, args: &[&str]) -> Result<String, LabError> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| LabError::Tool { command: line(program, args), message: e.to_string() })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let message = stderr.lines().filter(|l| !is_noise(l)).collect::<Vec<_>>().join("; ");
        return Err(LabError::Tool { command: line(program, args), message: if message.is_empty() { out.status.to_string() } else { message } });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `ip -n NS ARGS…`.
pub fn ip(ns: &str, args: &[&str]) -> Result<String, LabError> {
    let mut v = vec!["-n", ns];
    v.extend_from_slice(args);
    run("ip", &v)
}

/// Runs a program inside a namespace (`ip netns exec NS PROGRAM ARGS…`).
pub fn netns_exec(ns: &str, program: &str, args: &[&str]) -> Result<String, LabError> {
    let mut v = vec!["netns", "exec", ns, program];
    v.extend_from_slice(args);
    run("ip", &v)
}

/// `vtysh -N NS -c …` for each command, in one session.
pub fn vtysh(ns: &str, commands: &[&str]) -> Result<String, LabError> {
    let mut v = vec!["-N", ns];
    for c in commands {
        v.push("-c");
        v.push(c);
    }
    run("vtysh", &v)
}

/// vtysh complains on stderr about a missing vtysh.conf in the pathspace;
/// that is not an error worth showing.
fn is_noise(l: &str) -> bool {
    l.contains("Can't open configuration file") || l.contains("Disabling MPLS support") || l.trim().is_empty()
}

fn line(program: &str, args: &[&str]) -> String {
    let mut s = program.to_string();
    for a in args {
        s.push(' ');
        if a.contains(' ') || a.contains('\n') {
            s.push_str(&format!("{:?}", a.lines().next().unwrap_or_default()));
        } else {
            s.push_str(a);
        }
    }
    s
}

/// The namespaces that exist, by name.
pub fn namespaces() -> Result<Vec<String>, LabError> {
    Ok(run("ip", &["netns", "list"])?.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect())
}

/// A namespace's identity, from its bind mount under `/run/netns`.
pub fn netns_id(ns: &str) -> Option<FileId> {
    FileId::at(Path::new("/run/netns").join(ns))
}

/// The process ids whose network namespace is `ns`.
pub fn pids_in(ns: FileId) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| FileId::at(format!("/proc/{pid}/ns/net")) == Some(ns))
        .collect()
}

/// A process's start time, in clock ticks after boot (`/proc/PID/stat`, field 22).
pub fn start_time(pid: i32) -> Option<u64> {
    stat_start_time(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Field 22 of a `/proc/PID/stat` line. The command name (field 2) is in
/// parentheses and may hold anything, spaces and parentheses included.
fn stat_start_time(stat: &str) -> Option<u64> {
    stat[stat.rfind(')')? + 1..].split_whitespace().nth(19)?.parse().ok()
}

/// The program a process runs.
pub fn exe(pid: i32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// A process held by a pidfd, opened first and checked after: a signal
/// reaches the process that was checked, or none if it has exited, never
/// another that reused its pid.
pub struct Proc {
    fd: OwnedFd,
}

impl Proc {
    /// The process `pid` if it is in namespace `ns` (and, given a start
    /// time, started then).
    pub fn open(pid: i32, ns: FileId, start: Option<u64>) -> Option<Proc> {
        let fd = pidfd_open(Pid::from_raw(pid)?, PidfdFlags::empty()).ok()?;
        let ns_ok = FileId::at(format!("/proc/{pid}/ns/net")) == Some(ns);
        let start_ok = start.is_none() || start_time(pid) == start;
        (ns_ok && start_ok).then_some(Proc { fd })
    }

    fn signal(&self, signal: Signal) {
        let _ = pidfd_send_signal(&self.fd, signal);
    }

    fn exited(&self) -> bool {
        let mut fds = [PollFd::new(&self.fd, PollFlags::IN)];
        poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).map_or(true, |n| n > 0)
    }
}

/// Stops processes: SIGTERM, up to `grace` for all to exit, then SIGKILL.
pub fn stop(procs: &[Proc], grace: Duration) {
    for p in procs {
        p.signal(Signal::TERM);
    }
    let until = Instant::now() + grace;
    while procs.iter().any(|p| !p.exited()) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    for p in procs.iter().filter(|p| !p.exited()) {
        p.signal(Signal::KILL);
    }
}

/// Whether the FRR daemons and vtysh are installed.
pub fn frr_installed() -> bool {
    std::path::Path::new(FRR_DIR).join("bgpd").exists() && std::path::Path::new(FRR_DIR).join("zebra").exists() && which("vtysh")
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_past_any_command_name() {
        let tail = "S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 424242 19 20";
        assert_eq!(stat_start_time(&format!("77 (bgpd) {tail}")), Some(424242));
        assert_eq!(stat_start_time(&format!("77 (a) b (c) 1 2) {tail}")), Some(424242));
        assert_eq!(stat_start_time("77 (bgpd) S 1"), None);
    }
}
