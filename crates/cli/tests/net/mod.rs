//! Helpers for the tests of `erdiag probe` and `erdiag perf`: the binary,
//! children that are always reaped, listeners on 127.0.0.1, and iperf3 when
//! present.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_erdiag"))
}

/// A child process killed (by its own id) when the test ends, however it ends.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Reaped {
    /// `erdiag ARGS` started with its stdout and stderr piped to the test.
    pub fn spawn(args: &[&str]) -> Reaped {
        Reaped(bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
    }
    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill").args([sig, &self.0.id().to_string()]).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "kill {sig} failed");
    }
    /// Waits at most `limit` for the exit status.
    pub fn wait_for(&mut self, limit: Duration) -> std::process::ExitStatus {
        let end = Instant::now() + limit;
        loop {
            if let Some(st) = self.0.try_wait().expect("try_wait") {
                return st;
            }
            assert!(Instant::now() < end, "the child did not exit within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A listener on 127.0.0.1 that accepts and closes every connection, on a
/// thread that lives as long as the test binary.
pub fn accepting_listener() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            drop(c);
        }
    });
    port
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Starts `erdiag perf server` on 127.0.0.1 and returns it with its port.
pub fn perf_server() -> (Reaped, u16) {
    let child = bin()
        .args(["perf", "server", "--bind", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Reaped(child);
    let mut line = String::new();
    BufReader::new(child.0.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no address line: {line:?}"));
    (child, port)
}

/// Whether iperf3 can run. Without it the caller skips with a notice —
/// except under CI, where it must be installed (apt-get install iperf3).
pub fn iperf3_available(test: &str) -> bool {
    if Command::new("iperf3").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()) {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: iperf3 is not installed, and CI must run this test (apt-get install iperf3)");
    }
    // Straight to the process's stderr: the test harness captures eprintln!,
    // and a skip must be visible.
    let _ = writeln!(std::io::stderr(), "NOTICE: {test}: skipped, iperf3 is not installed (apt-get install iperf3)");
    false
}

/// `iperf3 -s` on 127.0.0.1, once it accepts connections.
pub fn iperf3_server() -> (Reaped, u16) {
    for _ in 0..5 {
        let port = closed_port();
        let child = Command::new("iperf3")
            .args(["-s", "-B", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("iperf3 -s");
        let mut child = Reaped(child);
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if child.0.try_wait().unwrap().is_some() {
                break; // the port was taken meanwhile: try another
            }
            // A bare connect would make iperf3 log a cookie error; probe with ss instead.
            let out = Command::new("ss").args(["-ltnH", &format!("sport = :{port}")]).output();
            let listening = match out {
                Ok(o) => !String::from_utf8_lossy(&o.stdout).trim().is_empty(),
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(300));
                    true
                }
            };
            if listening {
                return (child, port);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("iperf3 -s did not start");
}
