//! Coverage end to end, through the binary: the verdict of a circuit whose
//! gateway cannot be read, the coverage line in every output format, and
//! `--accept-unverified` (exit codes, what the report says was accepted,
//! unknown IDs).

mod common;
use common::*;
use serde_json::Value;

const GATEWAY_CHECKS: &str = "ER802,ER803,ER804,ER805,ER806,ER807,ER808,ER820";

fn json_report(args: &[&str]) -> (Value, i32) {
    let out = erdiag(args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)));
    (report, out.status.code().unwrap())
}

#[test]
fn a_forbidden_gateway_is_unknown_and_names_the_permission() {
    // Straight from the file and through the emulator's 403s and the collector.
    for mode in ["--offline", "--quiet"] {
        let (r, code) = json_report(&["demo", "gateway-forbidden", "-o", "json", "--exit-code", mode]);
        assert_eq!((r["verdict"].as_str(), code), (Some("unknown"), 1), "{mode}");
        let cov = &r["coverage"];
        let summary = cov["summary"].as_str().unwrap();
        assert!(summary.starts_with(&format!("verified {} of {} checks", cov["verified"], cov["applicable"])), "{summary}");
        assert!(summary.contains("Microsoft.Network/virtualNetworkGateways/read"), "{summary}");
        let ids: Vec<&str> = cov["notVerified"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
        assert_eq!(ids.join(","), GATEWAY_CHECKS, "{mode}");
        let bgp = cov["notVerified"].as_array().unwrap().iter().find(|g| g["id"] == "ER803").unwrap();
        assert!(bgp["reason"].as_str().unwrap().contains("403 AuthorizationFailed"), "{bgp}");
        assert!(bgp["fix"].as_str().unwrap().contains("getBgpPeerStatus/action"), "{bgp}");
    }
}

#[test]
fn every_output_states_the_coverage() {
    for (format, marker) in [("table", "Coverage: verified 25 of 33 checks"), ("markdown", "## Coverage"), ("html", "<h3>Coverage</h3>")] {
        let out = erdiag(&["demo", "gateway-forbidden", "--offline", "-o", format, "--color", "never"]);
        let text = stdout(&out);
        assert!(text.contains(marker), "{format}: no {marker:?}");
        assert!(text.contains("ER803 gateway-bgp-peer-down"), "{format} does not name the check not verified");
        assert!(text.contains("Microsoft.Network/virtualNetworkGateways/getBgpPeerStatus/action"), "{format} does not name the permission");
    }
    let out = erdiag(&["demo", "healthy-private", "--offline", "-o", "table", "--color", "never"]);
    assert!(stdout(&out).contains("Coverage: verified 32 of 32 checks that apply"), "{}", stdout(&out));
}

#[test]
fn accepting_the_unverified_checks_gives_healthy_and_says_so() {
    let (r, code) = json_report(&["demo", "gateway-forbidden", "--offline", "-o", "json", "--exit-code", "--accept-unverified", GATEWAY_CHECKS]);
    assert_eq!((r["verdict"].as_str(), code), (Some("healthy"), 0));
    let accepted: Vec<&str> = r["coverage"]["accepted"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(accepted.join(","), GATEWAY_CHECKS);
    assert!(r["coverage"]["summary"].as_str().unwrap().contains("accepted unverified: ER802"), "{}", r["coverage"]["summary"]);
    assert!(r["nextSteps"][0].as_str().unwrap().contains("accepted unverified"), "{}", r["nextSteps"]);

    // Names work too, repeated flags add up, and accepting some is not enough.
    let (r, _) = json_report(&["demo", "gateway-forbidden", "--offline", "-o", "json", "--accept-unverified", "gateway-bgp-peer-down", "--accept-unverified", "ER805"]);
    assert_eq!(r["verdict"], "unknown");
    assert_eq!(r["coverage"]["accepted"].as_array().unwrap().len(), 2);

    let snapshot = scenarios_dir().join("gateway-forbidden/snapshot.json");
    let out = erdiag(&["diagnose", "--snapshot", snapshot.to_str().unwrap(), "-o", "json", "--accept-unverified", GATEWAY_CHECKS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_unknown_check_id_is_a_usage_error() {
    for cmd in [&["demo", "healthy-private", "--offline"][..], &["diagnose", "--snapshot", "-"][..]] {
        let args: Vec<&str> = cmd.iter().copied().chain(["--accept-unverified", "ER803,ER999"]).collect();
        let out = erdiag_stdin(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("ER999"), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_failed_connections_listing_is_named() {
    for mode in ["--offline", "--quiet"] {
        let (r, _) = json_report(&["demo", "connections-list-failed", "-o", "json", mode]);
        assert_eq!(r["verdict"], "unknown", "{mode}");
        let er801 = r["findings"].as_array().unwrap().iter().find(|f| f["check"] == "ER801").unwrap();
        assert_eq!(er801["status"], "unknown");
        assert!(er801["message"].as_str().unwrap().contains("list of connections could not be read: HTTP 500"), "{mode}: {er801}");
    }
}
