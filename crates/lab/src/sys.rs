//! Running the system's tools (`ip`, `vtysh`, FRR's daemons), each call with
//! its command line kept for the error message. Nothing here talks to a
//! namespace other than the lab's: every `ip` call carries `-n NS`.

use crate::LabError;
use std::process::{Command, Stdio};

/// Where Debian's `frr` package puts its daemons.
pub const FRR_DIR: &str = "/usr/lib/frr";

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

/// The process ids running in a namespace.
pub fn pids_in(ns: &str) -> Vec<i32> {
    run("ip", &["netns", "pids", ns]).map(|s| s.lines().filter_map(|l| l.trim().parse().ok()).collect()).unwrap_or_default()
}

/// Is this process alive?
pub fn alive(pid: i32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Sends a signal with `kill`.
pub fn kill(pid: i32, signal: &str) {
    let _ = Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).stderr(Stdio::null()).status();
}

/// Whether the FRR daemons and vtysh are installed.
pub fn frr_installed() -> bool {
    std::path::Path::new(FRR_DIR).join("bgpd").exists() && std::path::Path::new(FRR_DIR).join("zebra").exists() && which("vtysh")
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}
