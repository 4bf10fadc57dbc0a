//! `erdiag fleet` through the real binary: an offline fleet of scenario
//! snapshots in every output (the table worst first with its summary line,
//! the erdiag-fleet/1 document against its schema, the JSON Lines, the HTML
//! page's links, `--out-dir`), its exit codes and input errors; and a fleet
//! served by the ARM emulator in which one subscription answers 403: its
//! circuits are rows with verdict `unknown` and the reason, the others are
//! diagnosed.

mod common;
use common::*;
use serde_json::Value;

fn snapshot(scenario: &str) -> String {
    scenarios_dir().join(scenario).join("snapshot.json").display().to_string()
}

/// `fleet --snapshot A --snapshot B … ARGS`.
fn offline(scenarios: &[&str], args: &[&str]) -> std::process::Output {
    let files: Vec<String> = scenarios.iter().map(|s| snapshot(s)).collect();
    let mut all = vec!["fleet", "-q"];
    for f in &files {
        all.extend(["--snapshot", f.as_str()]);
    }
    all.extend_from_slice(args);
    erdiag(&all)
}

/// One of each verdict: healthy, down, degraded, unknown.
const MIXED: [&str; 4] = ["healthy-private", "vlan-mismatch", "secondary-path-down", "gateway-forbidden"];

#[test]
fn the_table_is_worst_first_and_ends_with_the_summary() {
    let o = offline(&MIXED, &["-o", "table"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let verdicts: Vec<&str> = out.lines().skip(1).take(4).map(|l| l.split_whitespace().find(|w| w.chars().all(|c| c.is_ascii_uppercase())).unwrap()).collect();
    assert_eq!(verdicts, ["DOWN", "DEGRADED", "UNKNOWN", "HEALTHY"], "{out}");
    assert!(out.lines().next().unwrap().starts_with("CIRCUIT  "), "{out}");
    assert!(out.contains("ER301 "), "the root cause is named: {out}");
    // The scenarios share one gateway, which has one circuit, er-ckt-ams (the same id in each).
    assert_eq!(out.trim_end().lines().last().unwrap(), "4 circuits: 1 healthy, 1 degraded, 1 down, 1 unknown; 1 resiliency finding");
    assert!(!out.contains('\x1b'), "no colour off a terminal");
    let coloured = stdout(&offline(&MIXED, &["-o", "table", "--color", "always"]));
    assert!(coloured.contains('\x1b'), "--color always colours the verdicts");
}

#[test]
fn exit_codes_follow_the_whole_fleet() {
    let pair = pair(false);
    assert_eq!(erdiag(&["fleet", "-q", "--snapshot", &pair, "-o", "json"]).status.code(), Some(0), "healthy circuits, resilient");
    assert_eq!(offline(&["healthy-private"], &["-o", "json"]).status.code(), Some(1), "a healthy circuit alone on its gateway is not resilient");
    assert_eq!(offline(&["healthy-private", "gateway-forbidden"], &["-o", "json"]).status.code(), Some(1), "unknown is not healthy");
    let bad = write_tmp("fleet-bad.json", b"{\"format\": \"erdiag-snapshot/1\",\n \"circuitId\": 7}");
    let o = erdiag(&["fleet", "--snapshot", &snapshot("healthy-private"), "--snapshot", &bad, "-o", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fleet-bad.json"), "the error names the file: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing is written before the inputs are checked");
    let o = erdiag(&["fleet", "--snapshot", &snapshot("healthy-private"), "-g", "rg"]);
    assert_eq!(o.status.code(), Some(2), "filters are for Azure's circuits");
}

#[test]
fn the_document_matches_the_erdiag_fleet_1_schema() {
    let schema = read_schema("erdiag-fleet-1.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &schema, &serde_json::json!({"format": "erdiag-fleet/2", "circuits": [{"format": "x"}]}), "$", &mut errors);
    assert!(errors.len() >= 4, "the validator accepts garbage: {errors:?}");
    let o = offline(&MIXED, &["-o", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    let mut errors = Vec::new();
    validate(&schema, &schema, &v, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["circuits"].as_array().unwrap().len(), 4);
    assert_eq!(v["summary"]["counts"]["circuits"], 4);
    let verdicts: Vec<&str> = v["rows"].as_array().unwrap().iter().map(|r| r["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["down", "degraded", "unknown", "healthy"]);
}

#[test]
fn json_lines_are_reports_then_the_summary() {
    let o = offline(&MIXED, &["-o", "jsonl"]);
    let lines: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    let schema = read_schema("erdiag-fleet-1.schema.json");
    let report = read_schema("erdiag-report-1.schema.json");
    for l in &lines[..4] {
        assert_eq!(l["format"], "erdiag-report/1");
        let mut errors = Vec::new();
        validate(&report, &report, l, "$", &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let last = &lines[4];
    assert_eq!((last["format"].as_str(), last["kind"].as_str()), (Some("erdiag-fleet/1"), Some("summary")));
    let mut errors = Vec::new();
    validate(&schema["$defs"]["summaryLine"], &schema, last, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_page_links_every_row_to_its_section_and_loads_nothing() {
    let o = offline(&MIXED, &["-o", "html"]);
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let links: Vec<&str> = html.match_indices("href=\"#c").map(|(i, _)| &html[i + 7..i + 7 + html[i + 7..].find('"').unwrap()]).collect();
    assert_eq!(links.len(), 4, "{links:?}");
    for l in links {
        assert!(html.contains(&format!("<section class=\"circuit\" id=\"{l}\"")), "{l} has no section");
    }
    for external in ["http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(external), "the page refers to {external}");
    }
    assert!(html.contains("4 circuits: 1 healthy, 1 degraded, 1 down, 1 unknown"));
}

#[test]
fn out_dir_holds_a_snapshot_and_a_report_per_circuit() {
    let dir = tmp_dir("fleet-out").join("tickets");
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    let o = offline(&["healthy-private", "vlan-mismatch"], &["-o", "json", "--out-dir", &d]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    // Both circuits are named er-ckt-ams: the second gets a suffix.
    assert_eq!(names, ["er-ckt-ams-2.md", "er-ckt-ams-2.report.json", "er-ckt-ams-2.snapshot.json", "er-ckt-ams.md", "er-ckt-ams.report.json", "er-ckt-ams.snapshot.json"]);
    let again: Value = serde_json::from_slice(&std::fs::read(dir.join("er-ckt-ams.report.json")).unwrap()).unwrap();
    assert_eq!(again["format"], "erdiag-report/1");
    let snap = dir.join("er-ckt-ams-2.snapshot.json").display().to_string();
    assert_eq!(erdiag(&["diagnose", "--snapshot", &snap, "-o", "json"]).status.code().map(|c| c <= 1), Some(true), "the snapshot written diagnoses");
    // A directory that holds files is only written into with --force.
    let o = offline(&["healthy-private"], &["-o", "json", "--out-dir", &d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(offline(&["healthy-private"], &["-o", "json", "--out-dir", &d, "--force"]).status.code(), Some(1));
}

#[test]
fn a_directory_gives_every_snapshot_in_it() {
    let dir = tmp_dir("fleet-dir").join("snaps");
    std::fs::create_dir_all(&dir).unwrap();
    for s in ["healthy-private", "vlan-mismatch"] {
        std::fs::copy(snapshot(s), dir.join(format!("{s}.json"))).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not a snapshot").unwrap();
    let o = erdiag(&["fleet", "-q", "--snapshot", &dir.display().to_string(), "-o", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["counts"]["circuits"], 2, "{}", stderr(&o));
}

/// A scenario's snapshot as another circuit: its subscription and name replaced everywhere.
fn variant(scenario: &str, subscription: &str, name: &str) -> Value {
    let (sub, _, old) = circuit(scenario);
    let text = std::fs::read_to_string(snapshot(scenario)).unwrap().replace(&sub, subscription).replace(&old, name);
    serde_json::from_str(&text).unwrap()
}

const SUB_A: &str = "11111111-1111-4111-8111-111111111111";
const SUB_B: &str = "22222222-2222-4222-8222-222222222222";
const FORBIDDEN: &str = "33333333-3333-4333-8333-333333333333";

/// The emulator serving five circuits over three subscriptions, the third
/// answering 403 to every read of its resource groups (its circuits are
/// still listed); then `erdiag fleet ARGS` against it.
fn against_emulator(args: &[&str]) -> std::process::Output {
    against_emulator_with(std::time::Duration::ZERO, args)
}

/// The same, each long-running operation taking `latency`.
fn against_emulator_with(latency: std::time::Duration, args: &[&str]) -> std::process::Output {
    use erdiag_emulator::{Config, Fault, FaultKind};
    let snapshots = vec![
        variant("healthy-private", SUB_A, "er-a-1"),
        variant("vlan-mismatch", SUB_A, "er-a-2"),
        variant("healthy-private", SUB_B, "er-b-1"),
        variant("healthy-private", FORBIDDEN, "er-f-1"),
        variant("secondary-path-down", FORBIDDEN, "er-f-2"),
    ];
    let mut config = Config::new(snapshots);
    config.faults = vec![Fault::new(format!("/subscriptions/{FORBIDDEN}/resourceGroups"), FaultKind::ServerError { status: 403 })];
    config.operation_latency = latency;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let em = rt.block_on(erdiag_emulator::start(config, "127.0.0.1:0".parse().unwrap())).unwrap();
    let mut all = vec!["fleet", "-q", "--arm-endpoint", &em.base_url, "--access-token", TOKEN, "--retries", "0"];
    all.extend_from_slice(args);
    let o = erdiag(&all);
    rt.block_on(em.shutdown());
    o
}

#[test]
fn a_forbidden_subscription_gives_unknown_rows_with_the_reason_and_the_rest_is_diagnosed() {
    let o = against_emulator(&["--subscription", SUB_A, "--subscription", SUB_B, "--subscription", FORBIDDEN, "-o", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stdout(&o).contains(TOKEN) && !stderr(&o).contains(TOKEN), "the token stays out of every output");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let schema = read_schema("erdiag-fleet-1.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &schema, &v, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    let rows = v["rows"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no row {name}: {rows:#?}"));
    assert_eq!(rows.len(), 5);
    for f in ["er-f-1", "er-f-2"] {
        assert_eq!(row(f)["verdict"], "unknown");
        let reason = row(f)["reason"].as_str().unwrap();
        assert!(reason.contains("cannot read the circuit") && reason.contains("403"), "{reason}");
    }
    assert_eq!(row("er-a-1")["verdict"], "healthy");
    assert_eq!(row("er-b-1")["verdict"], "healthy");
    assert_eq!(row("er-a-2")["verdict"], "down");
    let unread: Vec<&Value> = v["circuits"].as_array().unwrap().iter().filter(|c| c["kind"] == "unread").collect();
    assert_eq!(unread.len(), 2);
    assert_eq!(v["summary"]["counts"]["unknown"], 2);
    assert!(v["summary"]["client"]["requests"].is_u64());
}

#[test]
fn list_shows_the_inventory_and_collects_nothing() {
    let o = against_emulator(&["--subscription", SUB_A, "--subscription", FORBIDDEN, "--list", "-n", "ER-*-1", "-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v["circuits"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["er-a-1", "er-f-1"], "the name glob is case-insensitive; --list reads nothing that is forbidden");
    let table = stdout(&against_emulator(&["--subscription", SUB_B, "--list", "-o", "table"]));
    assert!(table.starts_with("CIRCUIT") && table.contains("er-b-1"), "{table}");
}

#[test]
fn circuits_the_deadline_cuts_short_are_unknown_not_dropped() {
    let o = against_emulator_with(std::time::Duration::from_secs(30), &["--subscription", SUB_A, "--subscription", SUB_B, "--deadline", "2", "-o", "json"]);
    assert_eq!(o.status.code(), Some(1), "a deadline is an answer, not a failure to run: {}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "every circuit has its row");
    for r in rows {
        assert_ne!(r["verdict"], "healthy", "{r:#}");
    }
    // The healthy circuits' tables were not read in time: not verified, so unknown.
    for r in rows.iter().filter(|r| r["name"] != "er-a-2") {
        assert_eq!(r["verdict"], "unknown", "{r:#}");
        assert!(!r["notVerified"].as_array().unwrap().is_empty() || r["reason"].is_string(), "{r:#}");
    }
}

/// A directory with two healthy circuits on one gateway: `er-ams-1` in
/// Amsterdam, `er-ams-2` in Amsterdam too when `same_location`, else in London.
fn pair(same_location: bool) -> String {
    let dir = tmp_dir("fleet-pair").join(if same_location { "same" } else { "two" });
    std::fs::create_dir_all(&dir).unwrap();
    let (sub, _, _) = circuit("healthy-private");
    for name in ["er-ams-1", "er-ams-2"] {
        let mut text = variant("healthy-private", &sub, name).to_string();
        if name == "er-ams-2" && !same_location {
            text = text.replace("\"Amsterdam\"", "\"London\"");
        }
        std::fs::write(dir.join(format!("{name}.json")), text).unwrap();
    }
    dir.display().to_string()
}

#[test]
fn a_gateway_whose_circuits_share_a_peering_location_is_a_resiliency_finding() {
    let d = pair(true);
    let o = erdiag(&["fleet", "-q", "--snapshot", &d, "-o", "table"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "healthy circuits, but not a resilient fleet: {out}");
    let line = out.lines().find(|l| l.contains("FAIL  ER001")).unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("er-ams-1") && line.contains("er-ams-2") && line.contains("Amsterdam"), "{line}");
    assert!(out.trim_end().ends_with("2 circuits: 2 healthy, 0 degraded, 0 down, 0 unknown; 1 resiliency finding"), "{out}");
    let v: Value = serde_json::from_slice(&erdiag(&["fleet", "-q", "--snapshot", &d, "-o", "json"]).stdout).unwrap();
    let schema = read_schema("erdiag-fleet-1.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &schema, &v, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["check"] == "ER001").unwrap();
    assert_eq!((f["status"].as_str(), f["layer"].as_str()), (Some("fail"), Some("resiliency")));
    assert_eq!(f["circuits"].as_array().unwrap().len(), 2);
    assert!(f["gateway"].as_str().unwrap().contains("virtualNetworkGateways"), "{f:#}");
}

#[test]
fn a_generated_fleet_over_the_tenant_and_a_management_group() {
    let dir = tmp_dir("fleet-generated");
    let em = emulate_in(&dir, &["--fleet", "circuits=12,subscriptions=3,regions=2,forbidden=1,faulty=0.25,seed=7"]);
    let fleet = |args: &[&str]| {
        let mut all = vec!["fleet", "-q", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", TOKEN];
        all.extend_from_slice(args);
        erdiag(&all)
    };
    // The whole tenant, as JSON Lines: a line per circuit as it finishes, then the summary.
    let o = fleet(&["-o", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 13);
    let unread: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "unread").collect();
    let forbidden: std::collections::BTreeSet<&str> = unread.iter().map(|l| l["circuit"]["subscription"].as_str().unwrap()).collect();
    assert_eq!((unread.len(), forbidden.len()), (4, 1), "the forbidden subscription's four circuits, and only them: {unread:#?}");
    for u in &unread {
        assert!(u["reason"].as_str().unwrap().contains("403"), "{u:#}");
    }
    assert_eq!(lines.iter().filter(|l| l["format"] == "erdiag-report/1").count(), 8);
    let summary = &lines[12];
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["summary"]["counts"]["circuits"], 12);
    assert!(summary["summary"]["client"]["requests"].as_u64().unwrap() > 12);
    // A management group holds some of the subscriptions.
    let v: Value = serde_json::from_slice(&fleet(&["--management-group", "mg-0", "-o", "json"]).stdout).unwrap();
    let n = v["rows"].as_array().unwrap().len();
    assert!(n > 0 && n < 12, "{n} circuits in mg-0");
}
