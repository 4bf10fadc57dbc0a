//! `erdiag emulate --fleet` through the real binary: it serves a generated
//! fleet that `erdiag diagnose` reads like any circuit (a healthy one is
//! healthy, a forbidden subscription's is refused), and `--stats-out` says
//! what the throttle answered once it stops.

#![cfg(unix)]

mod common;
use common::*;
use std::io::BufRead;
use std::process::{Command, Stdio};

#[test]
fn a_fleet_is_served_diagnosed_and_counted() {
    let dir = tmp_dir("emulate-fleet");
    let cert = dir.join("ca.pem").display().to_string();
    let stats = dir.join("buckets.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["emulate", "-q", "--cert-out", &cert, "--stats-out", &stats.display().to_string()])
        .args(["--fleet", "circuits=4,subscriptions=2,regions=2,faulty=0,seed=3,forbidden=1,throttle=on"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    // stderr: the fleet, the forbidden subscription, and a command to try.
    let (mut open_sub, mut forbidden_sub, mut name) = (String::new(), String::new(), String::new());
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    for _ in 0..20 {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.contains("answers 403") {
            forbidden_sub = words[1].to_string();
        }
        if let Some(i) = words.iter().position(|w| *w == "--subscription").filter(|_| line.starts_with("try:")) {
            open_sub = words[i + 1].to_string();
            name = words[words.len() - 1].to_string();
            break;
        }
    }
    assert!(seen.contains("a fleet of 4 circuits (0 faulty) over 2 subscriptions"), "{seen}");
    assert!(!forbidden_sub.is_empty() && !open_sub.is_empty(), "{seen}");
    assert_eq!(name, "er-westeurope-0000");

    let diagnose = |sub: &str, name: &str| {
        erdiag(&["diagnose", "--arm-endpoint", &url, "--ca-cert", &cert, "--access-token", TOKEN, "--subscription", sub, "-g", "rg-expressroute", "-n", name, "-o", "json"])
    };
    let out = diagnose(&open_sub, &name);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "healthy");
    // The second pair is in the second subscription, the forbidden one.
    let out = diagnose(&forbidden_sub, "er-westeurope-0002");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("403") && stderr(&out).contains("AuthorizationFailed") || stderr(&out).contains("does not have authorization"), "{}", stderr(&out));

    // Ctrl-C: the statistics are written as it stops.
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&stats).expect("--stats-out written")).unwrap();
    let buckets = doc["buckets"].as_array().unwrap();
    assert!(buckets.iter().any(|b| b["subscription"] == open_sub.to_ascii_lowercase() && b["region"] == "westeurope" && b["reads"].as_u64().unwrap() > 10), "{doc}");
    assert!(buckets.iter().any(|b| b["subscription"] == forbidden_sub.to_ascii_lowercase()), "{doc}");
}
