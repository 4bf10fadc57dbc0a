//! The live path end to end through the real binary: `erdiag emulate` over
//! HTTPS, `erdiag collect` and `erdiag diagnose -g -n` against it. A live
//! diagnosis and a diagnosis of the snapshot `collect` wrote from the same
//! state give the same report, and the token appears nowhere.

mod common;
use common::*;

/// The report without the times of its run: `collectedAt`, and the end of
/// the metrics window its findings name (each run reads the last hour up to
/// its own clock, so two runs a second apart name different instants).
fn without_time(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("collectedAt");
    let text = v.to_string();
    let (b, mut out, mut i) = (text.as_bytes(), String::new(), 0);
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    while i < b.len() {
        let here = &b[i..];
        if here.len() >= shape.len() && shape.iter().zip(here).all(|(s, c)| if *s == b'd' { c.is_ascii_digit() } else { s == c }) {
            out.push_str("<time>");
            i += shape.len();
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    serde_json::from_str(&out).unwrap()
}

#[test]
fn live_and_collected_snapshot_give_the_same_report_and_never_show_the_token() {
    let dir = tmp_dir("live");
    for scenario in ["secondary-path-down", "arp-call-failed", "healthy-private-microsoft"] {
        let em = emulate(scenario, &dir);
        let (sub, rg, name) = circuit(scenario);
        let live = ["--arm-endpoint", em.url.as_str(), "--ca-cert", em.cert.as_str(), "--access-token", TOKEN, "--subscription", sub.as_str(), "-g", rg.as_str(), "-n", name.as_str(), "--retries", "1"];
        let file = dir.join(format!("{scenario}.json")).display().to_string();
        let mut args = vec!["collect", "-O", file.as_str()];
        args.extend_from_slice(&live);
        let c = erdiag(&args);
        assert_eq!(c.status.code(), Some(0), "{scenario}: {}", stderr(&c));
        let mut args = vec!["diagnose", "-o", "json"];
        args.extend_from_slice(&live);
        let d = erdiag(&args);
        let from_file = erdiag(&["diagnose", "--snapshot", &file, "-o", "json"]);
        assert_eq!(d.status.code(), from_file.status.code(), "{scenario}");
        let a: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap_or_else(|e| panic!("{scenario}: {e}: {}", stderr(&d)));
        let b: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
        assert_eq!(without_time(a.clone()), without_time(b), "{scenario}: live and snapshot reports differ");
        let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(scenario).join("expected.json")).unwrap()).unwrap();
        assert_eq!(a["verdict"], expected["verdict"], "{scenario}");
        let written = std::fs::read_to_string(&file).unwrap();
        for (what, text) in [("snapshot", written.as_str()), ("collect stderr", &stderr(&c)), ("diagnose stdout", &stdout(&d)), ("diagnose stderr", &stderr(&d))] {
            assert!(!text.contains(TOKEN), "{scenario}: the token leaked into the {what}");
        }
    }
}

#[test]
fn live_diagnosis_by_service_key() {
    let dir = tmp_dir("live-key");
    let em = emulate("md5-mismatch", &dir);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join("md5-mismatch/snapshot.json")).unwrap()).unwrap();
    let id = v["circuitId"].as_str().unwrap();
    let key = v["resources"][id]["properties"]["serviceKey"].as_str().unwrap();
    let (sub, _, _) = circuit("md5-mismatch");
    let out = erdiag(&["diagnose", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", TOKEN, "--subscription", &sub, "--service-key", key, "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "down");
    let out = erdiag(&["diagnose", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", TOKEN, "--subscription", &sub, "--service-key", "00000000-0000-0000-0000-00000000beef", "-o", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("service key"), "{}", stderr(&out));
}

#[test]
fn an_untrusted_certificate_is_an_error_not_a_verdict() {
    let dir = tmp_dir("live-tls");
    let em = emulate("healthy-private", &dir);
    let (sub, rg, name) = circuit("healthy-private");
    let out = erdiag(&["diagnose", "--arm-endpoint", &em.url, "--access-token", TOKEN, "--subscription", &sub, "-g", &rg, "-n", &name, "--deadline", "5", "-o", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
