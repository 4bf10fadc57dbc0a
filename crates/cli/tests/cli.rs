//! The command line as a user meets it: exit codes, bad input, help,
//! colour, standard input.

mod common;
use common::*;

fn scenario_file(name: &str) -> String {
    scenarios_dir().join(name).join("snapshot.json").display().to_string()
}

#[test]
fn exit_codes_follow_the_verdict() {
    assert_eq!(erdiag(&["diagnose", "--snapshot", &scenario_file("healthy-private"), "-o", "json"]).status.code(), Some(0));
    assert_eq!(erdiag(&["diagnose", "--snapshot", &scenario_file("secondary-path-down"), "-o", "json"]).status.code(), Some(1));
    assert_eq!(erdiag(&["diagnose", "--snapshot", &scenario_file("vlan-mismatch"), "-o", "json"]).status.code(), Some(1));
    assert_eq!(erdiag(&["diagnose", "--snapshot", &scenario_file("arp-call-failed"), "-o", "json"]).status.code(), Some(1));
    assert_eq!(erdiag(&["diagnose"]).status.code(), Some(2), "usage error");
    assert_eq!(erdiag(&["demo", "no-such-scenario"]).status.code(), Some(2));
    assert_eq!(erdiag(&["demo", "vlan-mismatch", "-o", "json"]).status.code(), Some(0), "a demo that ran succeeds");
    assert_eq!(erdiag(&["demo", "vlan-mismatch", "-o", "json", "--exit-code"]).status.code(), Some(1));
}

#[test]
fn bad_input_names_the_file_and_the_place_and_exits_2() {
    let healthy = std::fs::read_to_string(scenario_file("healthy-private")).unwrap();
    let ckt: serde_json::Value = serde_json::from_str(&healthy).unwrap();
    let id = ckt["circuitId"].as_str().unwrap().to_string();
    let mut wrong_shape = ckt.clone();
    wrong_shape["resources"][format!("{id}/peerings/AzurePrivatePeering/routeTablesSummary/primary")] = serde_json::json!({"value": [{"neighbor": "172.16.0.1", "statePfxRcd": ["Idle"]}]});
    let mut missing = ckt.clone();
    missing["resources"].as_object_mut().unwrap().remove(&id);
    let mut wrong_format = ckt.clone();
    wrong_format["format"] = serde_json::json!("erdiag-snapshot/2");
    let mut bad_acl = ckt.clone();
    bad_acl["inputs"] = serde_json::json!({"aclTest": {"primary": "src a dst b (received): 1 matches\nhello"}});
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("not-json.json", b"this is not json".to_vec(), &["line 1"]),
        ("truncated.json", healthy.as_bytes()[..healthy.len() / 2].to_vec(), &["line ", "column"]),
        ("wrong-format.json", serde_json::to_vec(&wrong_format).unwrap(), &["format", "erdiag-snapshot/2"]),
        ("missing-circuit.json", serde_json::to_vec(&missing).unwrap(), &["circuitId", "not in resources"]),
        ("bad-acl.json", serde_json::to_vec(&bad_acl).unwrap(), &["inputs.aclTest.primary", "line 2"]),
        ("empty.json", Vec::new(), &["line 1"]),
        ("binary.json", vec![0xff, 0xfe, 0x00, 0x9c], &["line 1"]),
    ];
    for (name, body, needles) in cases {
        let path = write_tmp(name, &body);
        let out = erdiag(&["diagnose", "--snapshot", &path, "-o", "json"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: printed a report");
        assert!(err.starts_with("error: "), "{name}: {err}");
        assert!(err.contains(name), "{name}: the error does not name the file: {err}");
        for n in needles {
            assert!(err.contains(n), "{name}: the error lacks `{n}`: {err}");
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // A body erdiag reads but cannot type makes its checks unknown, with the JSON path: not a verdict-less error.
    let out = erdiag(&["diagnose", "--snapshot", &write_tmp("wrong-shape.json", &serde_json::to_vec(&wrong_shape).unwrap()), "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bgp = report["findings"].as_array().unwrap().iter().find(|f| f["check"] == "ER401" && f["path"] == "primary").unwrap();
    assert_eq!(bgp["status"], "unknown");
    let message = bgp["message"].as_str().unwrap();
    assert!(message.contains("routeTablesSummary/primary\"].value[0].statePfxRcd"), "{message}");
    let out = erdiag(&["diagnose", "--snapshot", "/nonexistent/snap.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/snap.json"));
}

#[test]
fn reads_a_snapshot_from_standard_input() {
    let body = std::fs::read(scenario_file("md5-mismatch")).unwrap();
    let out = erdiag_stdin(&["diagnose", "--snapshot", "-", "-o", "json"], &body);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "down");
}

#[test]
fn default_output_is_json_when_not_a_terminal_and_colour_is_opt_in() {
    let out = erdiag(&["demo", "healthy-private"]);
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(), "stdout is not a terminal here, so the default is json");
    let plain = stdout(&erdiag(&["demo", "vlan-mismatch", "-o", "table"]));
    assert!(!plain.contains('\x1b'), "no colour when stdout is not a terminal");
    let coloured = stdout(&erdiag(&["demo", "vlan-mismatch", "-o", "table", "--color", "always"]));
    assert!(coloured.contains('\x1b'));
    // Meaning never by colour alone: the words are there without colour.
    for w in ["FAIL", "PASS", "Verdict: DOWN", "Root cause:"] {
        assert!(plain.contains(w), "{w}");
    }
}

#[test]
fn checks_and_explain_teach() {
    let list = stdout(&erdiag(&["checks"]));
    assert!(list.lines().count() >= 31, "{list}");
    let json: serde_json::Value = serde_json::from_slice(&erdiag(&["checks", "-o", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), list.lines().count() - 1);
    for key in ["ER301", "arp-on-prem-entry-missing", "er301"] {
        let out = erdiag(&["explain", key]);
        assert_eq!(out.status.code(), Some(0), "{key}");
        let t = stdout(&out);
        for h in ["ER301 arp-on-prem-entry-missing", "## What it checks", "## Remediation", "network points: 2 (CE)"] {
            assert!(t.contains(h), "{key}: {h}\n{t}");
        }
    }
    let out = erdiag(&["explain", "ER999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("erdiag checks"));
    let help = stdout(&erdiag(&["--help"]));
    for w in ["diagnose", "demo", "explain", "Exit codes"] {
        assert!(help.contains(w), "{w}");
    }
}

#[test]
fn the_ticket_carries_the_service_key_and_no_secret() {
    let snap: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(scenario_file("md5-mismatch")).unwrap()).unwrap();
    let key = snap["resources"][snap["circuitId"].as_str().unwrap()]["properties"]["serviceKey"].as_str().unwrap().to_string();
    // Put an MD5 key into the snapshot: it must never come out.
    let mut with_secret = snap.clone();
    let id = snap["circuitId"].as_str().unwrap().to_string();
    with_secret["resources"][format!("{id}/peerings/AzurePrivatePeering")]["properties"]["sharedKey"] = serde_json::json!("Sup3rS3cretMd5");
    let path = write_tmp("with-secret.json", &serde_json::to_vec(&with_secret).unwrap());
    for fmt in ["markdown", "json", "table"] {
        let out = stdout(&erdiag(&["diagnose", "--snapshot", &path, "-o", fmt]));
        assert!(!out.contains("Sup3rS3cretMd5"), "{fmt} leaks the MD5 key");
        assert!(out.contains(&key), "{fmt} lacks the service key");
    }
    let md = stdout(&erdiag(&["diagnose", "--snapshot", &path, "-o", "markdown"]));
    for w in ["## Problem", "## Evidence", "## Already verified", "Owner of the fix: customer", "bgp-session-down"] {
        assert!(md.contains(w), "{w}\n{md}");
    }
}

#[test]
fn ce_passwords_never_come_out_and_bad_ce_input_is_an_error() {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenario_file("ce-md5-suspect")).unwrap()).unwrap();
    let text = v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().replace("password 7 <redacted>", "password 7 SECRETVALUE0123");
    assert!(text.contains("SECRETVALUE0123"));
    let cfg = write_tmp("ce1.cfg", text.as_bytes());
    for fmt in ["json", "table", "markdown", "html"] {
        let out = erdiag(&["diagnose", "--snapshot", &scenario_file("md5-mismatch"), "--ce", &format!("primary={cfg}"), "-o", fmt]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(!stdout(&out).contains("SECRETVALUE0123"), "{fmt} shows the router password");
    }
    let out = erdiag(&["diagnose", "--snapshot", &scenario_file("md5-mismatch"), "--ce", &format!("primary={cfg}"), "-o", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["findings"].as_array().unwrap().iter().any(|f| f["check"] == "ER904" && f["path"] == "primary" && f["status"] == "fail"));
    let bad = write_tmp("notes.txt", b"hello, this is not a router\n");
    let out = erdiag(&["diagnose", "--snapshot", &scenario_file("md5-mismatch"), "--ce", &format!("primary={bad}")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("notes.txt"), "{}", stderr(&out));
    let out = erdiag(&["diagnose", "--snapshot", &scenario_file("md5-mismatch"), "--ce", &format!("tertiary={cfg}")]);
    assert_eq!(out.status.code(), Some(2));
}

/// A CE configuration saved by Windows PowerShell's `>` (UTF-16 with a
/// byte-order mark, CRLF) is read as the same text.
#[test]
fn ce_text_in_utf16_is_read() {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenario_file("ce-md5-suspect")).unwrap()).unwrap();
    let text = v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().replace('\n', "\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let cfg = write_tmp("ce-utf16.cfg", &utf16);
    let out = erdiag(&["diagnose", "--snapshot", &scenario_file("md5-mismatch"), "--ce", &format!("primary={cfg}"), "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["findings"].as_array().unwrap().iter().any(|f| f["check"] == "ER904" && f["path"] == "primary" && f["status"] == "fail"));
}
