//! The metric checks on edited Azure Monitor windows of `healthy-private`:
//! a dip is a fault only when erdiag's own observations confirm it, never
//! during Microsoft's maintenance, and a gap is not a dip; sustained means
//! sustained; missing metrics are `unknown`, never `pass`.

#[path = "support/metrics.rs"]
mod metrics;

use erdiag_checks::{diagnose, Finding, Options, Report, Status, Verdict};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Value};
use std::path::Path;

fn healthy() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/healthy-private/snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn run(v: &Value) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    diagnose(&Snapshot::from_slice(&bytes).unwrap().decode().unwrap(), &Options::default())
}

fn one<'a>(r: &'a Report, id: &str, path: Option<DevicePath>) -> &'a Finding {
    let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.check == id && (path.is_none() || f.path == path)).collect();
    assert_eq!(fs.len(), 1, "{id}: {fs:#?}");
    fs[0]
}

fn has(f: &Finding, text: &str) -> bool {
    f.evidence.iter().chain([&f.message]).chain(f.remediation.as_ref()).any(|e| e.contains(text))
}

const PRIMARY: Option<DevicePath> = Some(DevicePath::Primary);

/// BGP down on primary from 09:48 to 09:51.
fn bgp_dip() -> Value {
    let mut v = healthy();
    metrics::set(&mut v, "BgpAvailability", &["Primary-IPv4"], 3..6, Some(0.0));
    v
}

#[test]
fn the_healthy_window_passes_every_metric_check() {
    let r = run(&healthy());
    for id in ["ER302", "ER404", "ER604", "ER605", "ER807", "ER808"] {
        assert!(r.findings.iter().filter(|f| f.check == id).all(|f| f.status == Status::Pass), "{id}: {:#?}", r.findings.iter().filter(|f| f.check == id).collect::<Vec<_>>());
    }
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn a_dip_during_planned_maintenance_is_not_a_fault_even_when_erdiag_saw_it() {
    let mut v = bgp_dip();
    metrics::maintenance(&mut v, 2, 7);
    metrics::observe(&mut v, 4, "bgp", "primary", "down");
    let r = run(&v);
    let f = one(&r, "ER404", PRIMARY);
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(has(f, "maintenance: circuit Resource Health: Unavailable (Planned) since 2026-11-21T09:47:00Z"), "{f:#?}");
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn a_dip_without_maintenance_fails_when_observed_and_is_unconfirmed_when_not() {
    let mut v = bgp_dip();
    metrics::observe(&mut v, 5, "bgp", "primary", "down");
    let r = run(&v);
    let f = one(&r, "ER404", PRIMARY);
    assert_eq!(f.status, Status::Fail);
    assert!(!f.breaks_path, "the session is up now");
    assert_eq!(r.verdict, Verdict::Degraded);

    let r = run(&bgp_dip());
    let f = one(&r, "ER404", PRIMARY);
    assert_eq!(f.status, Status::Warn, "a metric alone is not a diagnosis");
    assert!(has(f, "unconfirmed") && has(f, "--store"), "{f:#?}");
    assert_eq!(r.verdict, Verdict::Healthy, "an unconfirmed dip is stated, not a failure");
    assert_eq!(one(&r, "ER404", Some(DevicePath::Secondary)).status, Status::Pass);

    // A poll outside the dip, or one that saw the session up, confirms nothing.
    let mut v = bgp_dip();
    metrics::observe(&mut v, 12, "bgp", "primary", "down");
    metrics::observe(&mut v, 4, "bgp", "primary", "up");
    let f = run(&v).findings.into_iter().find(|f| f.check == "ER404" && f.path == PRIMARY).unwrap();
    assert_eq!(f.status, Status::Warn);
    assert!(has(&f, "did not see the BGP session down"), "{f:#?}");
}

/// A flap's earlier dip: the snapshot's own summary dates only the latest
/// reset, but the poll that followed the dip read the session re-established
/// inside it, and the store keeps what that poll read.
#[test]
fn an_earlier_poll_that_dated_the_reset_inside_the_dip_confirms_it() {
    let mut v = bgp_dip();
    metrics::observe_up_since(&mut v, 8, "primary", "2026-11-21T09:50:30Z");
    let f = one(&run(&v), "ER404", PRIMARY).clone();
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(has(&f, "erdiag's poll at 2026-11-21T09:53:30Z (history.db) read the MSEE's summary re-established at 2026-11-21T09:50:30Z, inside the dip"), "{f:#?}");

    // A reset that poll dated long before the dip confirms nothing.
    let mut v = bgp_dip();
    metrics::observe_up_since(&mut v, 8, "primary", "2026-11-21T08:00:00Z");
    let f = one(&run(&v), "ER404", PRIMARY).clone();
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(has(&f, "unconfirmed"), "{f:#?}");

    // An upSince that is not a time is refused, at its JSON path.
    let mut v = bgp_dip();
    metrics::observe_up_since(&mut v, 8, "primary", "yesterday");
    let bytes = serde_json::to_vec(&v).unwrap();
    let err = Snapshot::from_slice(&bytes).and_then(|s| s.decode()).unwrap_err().to_string();
    assert!(err.contains("inputs.observed.polls[0].bgp[0].upSince"), "{err}");
}

#[test]
fn minutes_without_data_are_a_gap_not_a_flap() {
    let mut v = healthy();
    metrics::set(&mut v, "BgpAvailability", &["Primary-IPv4"], 3..6, None);
    let r = run(&v);
    let f = one(&r, "ER404", PRIMARY);
    assert_eq!(f.status, Status::Pass, "{f:#?}");
    assert!(has(f, "1 gap(s) without data"), "{f:#?}");

    let mut v = healthy();
    metrics::set(&mut v, "ArpAvailability", &["Primary-IPv4"], 0..15, None);
    let f = run(&v).findings.into_iter().find(|f| f.check == "ER302" && f.path == PRIMARY).unwrap();
    assert_eq!(f.status, Status::Unknown, "a window without data concludes nothing");
}

#[test]
fn a_dip_that_lasts_to_now_is_confirmed_by_the_snapshot_and_a_flap_is_not_the_root_cause_of_a_failure_now() {
    let mut v = healthy();
    metrics::set(&mut v, "BgpAvailability", &["Secondary-IPv4"], 12..15, Some(0.0));
    let summary = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/routeTablesSummary/secondary")).cloned().unwrap();
    v["resources"][&summary]["value"][0]["statePfxRcd"] = json!("Active");
    // And an ARP flap on primary, seen by erdiag: lower layer, but over now.
    metrics::set(&mut v, "ArpAvailability", &["Primary-IPv4"], 2..4, Some(0.0));
    metrics::observe(&mut v, 3, "arp", "primary", "empty");
    let r = run(&v);
    let f = one(&r, "ER404", Some(DevicePath::Secondary));
    assert_eq!(f.status, Status::Fail);
    assert!(has(f, "lasts to the snapshot's own time"), "{f:#?}");
    assert_eq!(f.consequence_of.as_deref(), Some("ER401"), "the metric's view of the session down now is a symptom, not a second problem");
    assert_eq!(one(&r, "ER302", PRIMARY).status, Status::Fail);
    assert_eq!(one(&r, "ER302", PRIMARY).consequence_of, None, "a flap erdiag saw is a problem of its own");
    let rc = r.root_cause.as_ref().unwrap();
    assert_eq!((rc.check.as_str(), rc.path), ("ER401", Some(DevicePath::Secondary)), "the session down now is the root cause, not a past flap");
    assert_eq!(one(&r, "ER401", Some(DevicePath::Secondary)).consequence_of, None);
    assert_eq!(r.verdict, Verdict::Degraded);
}

#[test]
fn utilisation_must_be_sustained_over_80_percent() {
    let utilisation = |percent: f64, minutes: std::ops::Range<usize>| {
        let mut v = healthy();
        metrics::set(&mut v, "BitsOutPerSecond", &["Secondary"], minutes, Some(percent / 100.0 * 1e9));
        run(&v).findings.into_iter().find(|f| f.check == "ER604" && f.path == Some(DevicePath::Secondary)).unwrap()
    };
    assert_eq!(utilisation(79.0, 0..15).status, Status::Pass);
    let f = utilisation(81.0, 5..10);
    assert_eq!(f.status, Status::Warn, "{f:#?}");
    assert!(has(&f, "out of Azure: over 80% from 2026-11-21T09:50:00Z to 2026-11-21T09:55:00Z (5 min), highest 81%"), "{f:#?}");
    let f = utilisation(81.0, 5..6);
    assert_eq!(f.status, Status::Pass, "a one-minute spike is not sustained: {f:#?}");
    assert!(has(&f, "1 minute(s) over 80"), "{f:#?}");
    assert_eq!(utilisation(81.0, 5..9).status, Status::Pass, "4 minutes are not 5");
}

#[test]
fn absent_metrics_are_not_supplied_failed_or_refused_ones_unknown_never_pass() {
    const METRIC_CHECKS: [&str; 6] = ["ER302", "ER404", "ER604", "ER605", "ER807", "ER808"];
    let keys = |v: &Value| -> Vec<String> { v["resources"].as_object().unwrap().keys().filter(|k| k.ends_with("/Microsoft.Insights/metrics")).cloned().collect() };
    // Not in the input (`--no-metrics`, an import, an older snapshot):
    // evidence not supplied, like the ACL test; the guide's steps decide.
    let mut v = healthy();
    for k in keys(&v) {
        v["resources"].as_object_mut().unwrap().remove(&k);
    }
    let r = run(&v);
    for id in METRIC_CHECKS {
        let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.check == id).collect();
        assert!(!fs.is_empty() && fs.iter().all(|f| f.status == Status::Skip), "{id}: {fs:#?}");
        assert!(r.coverage.not_supplied.iter().any(|g| g.id == id), "{id}: {:#?}", r.coverage);
    }
    assert!(has(one(&r, "ER404", None), "--no-metrics"));
    assert_eq!(r.verdict, Verdict::Healthy, "metrics not asked for leave the verdict to the guide's steps");

    // The call failed: the gap names the permission.
    let mut v = healthy();
    for k in keys(&v) {
        v["resources"].as_object_mut().unwrap().remove(&k);
        v["failures"][&k] = json!({"status": 403, "error": {"error": {"code": "AuthorizationFailed", "message": "does not have authorization to perform action 'Microsoft.Insights/metrics/read'"}}});
    }
    let r = run(&v);
    assert_eq!(one(&r, "ER404", None).status, Status::Unknown);
    let gap = r.coverage.not_verified.iter().find(|g| g.id == "ER404").unwrap();
    assert!(gap.fix.contains("Microsoft.Insights/metrics/read"), "{gap:#?}");
    assert_eq!(r.verdict, Verdict::Unknown, "metrics asked for and not read must not leave the circuit healthy");

    // Azure Monitor's own error for one metric.
    let mut v = healthy();
    let m = metrics::body(&mut v, false)["value"].as_array_mut().unwrap().iter_mut().find(|m| m["name"]["value"] == "BgpAvailability").unwrap();
    m["timeseries"] = json!([]);
    m["errorCode"] = json!("InvalidSamplingType");
    m["errorMessage"] = json!("Sampling type is not found.");
    let r = run(&v);
    let f = one(&r, "ER404", None);
    assert_eq!(f.status, Status::Unknown);
    assert!(has(f, "InvalidSamplingType: Sampling type is not found"), "{f:#?}");
    assert_eq!(one(&r, "ER302", PRIMARY).status, Status::Pass, "the other metrics still conclude");
}

#[test]
fn a_window_shorter_than_sustained_needs_is_stated_as_unknown() {
    let mut v = healthy();
    for gateway in [false, true] {
        for m in metrics::body(&mut v, gateway)["value"].as_array_mut().unwrap() {
            for s in m["timeseries"].as_array_mut().unwrap() {
                s["data"].as_array_mut().unwrap().truncate(3);
            }
        }
    }
    let r = run(&v);
    let f = one(&r, "ER604", PRIMARY);
    assert_eq!(f.status, Status::Unknown);
    assert!(has(f, "fewer than the 5 minutes"), "{f:#?}");
    assert_eq!(one(&r, "ER807", None).status, Status::Unknown);
    assert_eq!(one(&r, "ER404", PRIMARY).status, Status::Pass, "flaps are counted in any window");
}

#[test]
fn qos_drops_cpu_and_route_changes_below_their_thresholds_pass() {
    let mut v = healthy();
    metrics::set(&mut v, "ExpressRouteGatewayCpuUtilization", &["IN_1"], 0..4, Some(95.0));
    metrics::set(&mut v, "ExpressRouteGatewayFrequencyOfRoutesChanged", &[], 0..5, Some(20.0));
    let r = run(&v);
    assert_eq!(one(&r, "ER807", None).status, Status::Pass, "4 minutes over 80% are not sustained");
    assert_eq!(one(&r, "ER808", None).status, Status::Pass, "100 changes in 5 minutes is the threshold, not over it");
    metrics::set(&mut v, "ExpressRouteGatewayFrequencyOfRoutesChanged", &[], 4..5, Some(21.0));
    let f = run(&v).findings.into_iter().find(|f| f.check == "ER808").unwrap();
    assert_eq!(f.status, Status::Warn, "101 changes within 5 minutes: {f:#?}");
}

#[test]
fn a_metric_check_s_gap_is_not_blamed_on_another_call_of_its_layer() {
    // arp-call-failed: the ARP table call failed; the metrics call failed too.
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/arp-call-failed/snapshot.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    let key = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/Microsoft.Insights/metrics") && !k.contains("virtualNetworkGateways")).cloned();
    let key = key.unwrap_or_else(|| format!("{}/providers/Microsoft.Insights/metrics", v["circuitId"].as_str().unwrap()));
    v["resources"].as_object_mut().unwrap().remove(&key);
    v["failures"][&key] = json!({"status": 500, "error": {"error": {"code": "InternalServerError", "message": "An error occurred."}}});
    let r = run(&v);
    let gap = r.coverage.not_verified.iter().find(|g| g.id == "ER302").unwrap();
    assert!(!gap.fix.contains("arpTables") && gap.fix.contains("metrics"), "{gap:#?}");
}
