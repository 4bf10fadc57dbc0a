//! Shared helpers for the CLI tests: run the real binary, find the scenarios.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn erdiag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("ERDIAG_SNAPSHOT")
        .stdin(Stdio::null())
        .output()
        .expect("run erdiag")
}

pub fn erdiag_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh directory for this test process's files.
pub fn tmp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erdiag-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

pub fn scenario_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("snapshot.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `erdiag emulate` over HTTPS in the background, with its certificate in
/// `dir`; stopped when dropped.
pub struct Emulator {
    child: std::process::Child,
    pub url: String,
    pub cert: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `erdiag emulate ARGS -q` and waits for its base URL.
pub fn emulate_in(dir: &Path, args: &[&str]) -> Emulator {
    use std::io::BufRead;
    let cert = dir.join("ca.pem").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["emulate", "--cert-out", &cert, "-q"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("https://127.0.0.1:"), "{line}");
    Emulator { child, url: line.trim().to_string(), cert }
}

/// The bearer token the live tests give the emulator.
pub const TOKEN: &str = "live-test-token-7d2e91b0";

/// `erdiag emulate SCENARIO`.
pub fn emulate(scenario: &str, dir: &std::path::Path) -> Emulator {
    emulate_in(dir, &[scenario])
}

/// (subscription, resource group, name) of a scenario's circuit.
pub fn circuit(scenario: &str) -> (String, String, String) {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(scenario).join("snapshot.json")).unwrap()).unwrap();
    let id = erdiag_model::ResourceId::parse(v["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, name) = id.resource_parts().unwrap();
    (sub.to_string(), rg.to_string(), name.to_string())
}

/// Writes a file for one test binary's run, in a folder of its own.
pub fn write_tmp(name: &str, body: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("erdiag-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}
