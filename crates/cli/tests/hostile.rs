//! Snapshots that validation accepts must never make erdiag panic later:
//! numbers out of range, lone surrogates and deep nesting in resources it
//! never reads, with evidence flags or served by `emulate`; byte-order marks;
//! wrong-typed inputs. Each ends in exit 2 with an error naming the file, or
//! in a correct diagnosis — never in exit 101.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn healthy() -> String {
    std::fs::read_to_string(scenarios_dir().join("healthy-private/snapshot.json")).unwrap()
}

/// The healthy circuit with one more resource, written as raw JSON text
/// (serde_json cannot build these values).
fn with_unread_resource(body: &str) -> String {
    let s = healthy();
    let out = s.replacen("\"resources\": {", &format!("\"resources\": {{\n \"/subscriptions/x/providers/Microsoft.Foo/bar\": {body},"), 1);
    assert_ne!(out, s);
    out
}

fn hostile_bodies() -> Vec<(&'static str, String)> {
    vec![
        ("out-of-range.json", with_unread_resource(r#"{"n": 1e999}"#)),
        ("lone-surrogate.json", with_unread_resource(r#"{"s": "\ud800"}"#)),
        ("deep.json", with_unread_resource(&format!("{}{}", "[".repeat(5000), "]".repeat(5000)))),
    ]
}

fn assert_no_panic(what: &str, out: &std::process::Output) {
    let err = stderr(out);
    assert_ne!(out.status.code(), Some(101), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn values_erdiag_never_reads_do_not_stop_a_diagnosis_with_or_without_evidence() {
    for (name, body) in hostile_bodies() {
        let path = write_tmp(name, body.as_bytes());
        for extra in [&[][..], &["--azure-md5", "yes"][..]] {
            let mut args = vec!["diagnose", "--snapshot", &path, "-o", "json"];
            args.extend_from_slice(extra);
            let out = erdiag(&args);
            assert_no_panic(name, &out);
            // Either a clear error naming the file, or the healthy circuit's diagnosis.
            match out.status.code() {
                Some(2) => assert!(stderr(&out).contains(name), "{name}: {}", stderr(&out)),
                code => {
                    assert_eq!(code, Some(0), "{name} {extra:?}: {}", stderr(&out));
                    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    assert_eq!(v["verdict"], "healthy", "{name}");
                }
            }
        }
    }
}

/// Runs `erdiag emulate` on a snapshot; it must refuse it before serving.
fn emulate_refuses(path: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["emulate", "--http", "--snapshot", path])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("{path}: emulate served a snapshot it cannot hold");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn emulate_refuses_values_it_cannot_serve_with_the_place() {
    for (name, body) in hostile_bodies() {
        let path = write_tmp(&format!("emulate-{name}"), body.as_bytes());
        let out = emulate_refuses(&path);
        assert_no_panic(name, &out);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains("line 6, column"), "{name}: {err}");
    }
}

#[test]
fn byte_order_marks_are_read() {
    let s = healthy();
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(s.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    for (name, body) in [("bom-utf8.json", utf8), ("bom-utf16.json", utf16)] {
        let path = write_tmp(name, &body);
        let out = erdiag(&["diagnose", "--snapshot", &path, "-o", "json"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let out = erdiag_stdin(&["diagnose", "--snapshot", "-", "-o", "json"], &body);
        assert_eq!(out.status.code(), Some(0), "{name} on stdin: {}", stderr(&out));
    }
}

#[test]
fn wrong_typed_inputs_are_errors_with_their_json_path_also_under_evidence_flags() {
    let ce_file = write_tmp("ce1.cfg", b"interface Gi0/0.100\n ip address 172.16.0.1 255.255.255.252\n");
    let acl_file = write_tmp("acl1.txt", b"");
    let cases: [(&str, serde_json::Value, &[&str], &str); 3] = [
        ("ce-string.json", serde_json::json!({"ce": "show run"}), &["--ce", &format!("primary={ce_file}")], "inputs.ce"),
        ("ce-list.json", serde_json::json!({"ce": [{"name": "a", "text": "b"}]}), &[], "inputs.ce"),
        ("acl-string.json", serde_json::json!({"aclTest": "x"}), &["--acl-test", &format!("primary={acl_file}")], "inputs.aclTest"),
    ];
    for (name, inputs, flags, json_path) in cases {
        let mut v: serde_json::Value = serde_json::from_str(&healthy()).unwrap();
        v["inputs"] = inputs;
        let path = write_tmp(name, &serde_json::to_vec(&v).unwrap());
        let mut args = vec!["diagnose", "--snapshot", &path, "-o", "json"];
        args.extend_from_slice(flags);
        let out = erdiag(&args);
        assert_no_panic(name, &out);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains(json_path), "{name}: {err}");
    }
}

#[test]
fn a_value_out_of_range_in_a_body_erdiag_reads_makes_its_checks_unknown_with_the_path() {
    let s = healthy();
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let id = v["circuitId"].as_str().unwrap();
    let key = format!("\"{id}/peerings/AzurePrivatePeering/arpTables/primary\": {{");
    let body = s.replacen(&key, &format!("{key}\"ignored\": 1e999, \"nested\": {}{}, ", "[".repeat(100), "]".repeat(100)), 1);
    assert_ne!(body, s);
    let body = body.replacen("\"age\": 0", "\"age\": 1e999", 1);
    let path = write_tmp("arp-out-of-range.json", body.as_bytes());
    for extra in [&[][..], &["--azure-md5", "no"][..]] {
        let mut args = vec!["diagnose", "--snapshot", &path, "-o", "json"];
        args.extend_from_slice(extra);
        let out = erdiag(&args);
        assert_no_panic("arp-out-of-range.json", &out);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let arp = r["findings"].as_array().unwrap().iter().find(|f| f["check"] == "ER301" && f["path"] == "primary").unwrap();
        assert_eq!(arp["status"], "unknown", "{arp}");
        assert!(arp["message"].as_str().unwrap().contains("arpTables/primary\"]"), "{arp}");
    }
}
