//! The emulator's time: a scenario's timeline applied to its snapshot at
//! several instants (`Timeline::state_at`), without HTTP.

mod common;

use erdiag_emulator::Timeline;
use serde_json::Value;

const START: i64 = 1_795_000_000;

fn table<'a>(state: &'a Value, suffix: &str) -> &'a Vec<Value> {
    let resources = state["resources"].as_object().unwrap();
    let (_, body) = resources.iter().find(|(k, _)| k.to_ascii_lowercase().ends_with(&suffix.to_ascii_lowercase())).unwrap_or_else(|| panic!("no {suffix}"));
    body["value"].as_array().unwrap()
}

fn summary_state(state: &Value, path: &str) -> String {
    let row = &table(state, &format!("AzurePrivatePeering/routeTablesSummary/{path}"))[0];
    row["statePfxRcd"].as_str().map(str::to_string).unwrap_or_else(|| row["statePfxRcd"].to_string())
}

fn networks(state: &Value, table_suffix: &str) -> Vec<String> {
    table(state, table_suffix).iter().filter_map(|r| r["network"].as_str().map(str::to_string)).collect()
}

fn learned_from(state: &Value, peer: &str) -> usize {
    table(state, "getLearnedRoutes").iter().filter(|r| r["sourcePeer"] == peer).count()
}

#[test]
fn a_session_is_down_only_inside_its_window() {
    let snapshot = common::scenario("healthy-private");
    let timeline = Timeline::parse(r#"{"events": [{"kind": "bgp-down", "peering": "AzurePrivatePeering", "path": "primary", "from": "-50m", "to": "-47m"}]}"#, START).unwrap();
    let before = timeline.state_at(&snapshot, START - 51 * 60);
    let during = timeline.state_at(&snapshot, START - 49 * 60);
    let after = timeline.state_at(&snapshot, START - 47 * 60);
    assert_eq!(summary_state(&before, "primary"), "3");
    assert_eq!(summary_state(&during, "primary"), "Idle");
    assert_eq!(summary_state(&during, "secondary"), "3", "the other path is untouched");
    assert_eq!(summary_state(&after, "primary"), "3");
    // The on-premises routes leave the primary MSEE and the gateway's routes via it, then return.
    assert!(!networks(&during, "AzurePrivatePeering/routeTables/primary").contains(&"192.168.50.0/24".to_string()));
    assert!(networks(&after, "AzurePrivatePeering/routeTables/primary").contains(&"192.168.50.0/24".to_string()));
    assert_eq!(learned_from(&before, "10.17.17.132"), 6);
    assert_eq!(learned_from(&during, "10.17.17.132"), 0);
    assert_eq!(learned_from(&during, "10.17.17.133"), 6);
    assert_eq!(learned_from(&after, "10.17.17.132"), 6);
    // After it came back, the summary says for how long it has been up.
    assert_eq!(table(&after, "AzurePrivatePeering/routeTablesSummary/primary")[0]["upDown"], "00:00:00");
    assert_eq!(before, snapshot, "no event active: the snapshot as written");
}

#[test]
fn a_withdrawn_prefix_comes_back_after_to() {
    let snapshot = common::scenario("healthy-private");
    let timeline = Timeline::parse(
        r#"{"events": [{"kind": "withdraw", "peering": "AzurePrivatePeering", "path": "secondary", "prefix": "10.2.30.0/24", "from": "-40m", "to": "-30m"}]}"#,
        START,
    )
    .unwrap();
    let during = timeline.state_at(&snapshot, START - 35 * 60);
    let after = timeline.state_at(&snapshot, START - 30 * 60);
    assert!(!networks(&during, "AzurePrivatePeering/routeTables/secondary").contains(&"10.2.30.0/24".to_string()));
    assert!(networks(&during, "AzurePrivatePeering/routeTables/primary").contains(&"10.2.30.0/24".to_string()));
    assert_eq!(summary_state(&during, "secondary"), "2");
    let via_secondary: Vec<_> = table(&during, "getLearnedRoutes").iter().filter(|r| r["sourcePeer"] == "10.17.17.133" && r["network"] == "10.2.30.0/24").collect();
    assert!(via_secondary.is_empty());
    assert_eq!(after, snapshot);
}

#[test]
fn arp_lost_and_maintenance() {
    let snapshot = common::scenario("healthy-private");
    let timeline = Timeline::parse(
        r#"{"events": [
            {"kind": "arp-lost", "peering": "AzurePrivatePeering", "path": "primary", "from": "-20m", "to": "-10m"},
            {"kind": "maintenance", "path": "secondary", "resource": "circuit", "from": "-30m", "to": "-25m"},
            {"kind": "maintenance", "resource": "gateway", "from": "-5m"}]}"#,
        START,
    )
    .unwrap();
    let arp = timeline.state_at(&snapshot, START - 15 * 60);
    let on_prem = table(&arp, "AzurePrivatePeering/arpTables/primary").iter().find(|r| r["interface"] == "On-Prem").unwrap().clone();
    assert_eq!(on_prem["macAddress"], "Incomplete");
    assert_eq!(summary_state(&arp, "primary"), "Idle", "no layer 2, no session");

    let maint = timeline.state_at(&snapshot, START - 28 * 60);
    assert_eq!(summary_state(&maint, "secondary"), "Idle");
    assert_eq!(summary_state(&maint, "primary"), "3");
    let peers = table(&maint, "getBgpPeerStatus");
    assert!(peers.iter().filter(|p| p["neighbor"] == "10.17.17.133").all(|p| p["state"] == "Connecting"));
    assert!(peers.iter().filter(|p| p["neighbor"] == "10.17.17.132").all(|p| p["state"] == "Connected"));
    assert_eq!(learned_from(&maint, "10.17.17.133"), 0);

    let now = timeline.state_at(&snapshot, START);
    let health = now["resources"].as_object().unwrap().iter().find(|(k, _)| k.ends_with("availabilityStatuses/current")).unwrap().1;
    assert_eq!(health["properties"]["availabilityState"], "Degraded");
    assert_eq!(health["properties"]["reasonType"], "Planned");
    assert_eq!(summary_state(&now, "primary"), "3");
}

/// `TimedBackend` moves only the resources time can change (tables, the
/// gateway's peers, learned routes and health) and serves the rest as
/// written: at instants inside every kind of event, each resource it serves
/// is the one `Timeline::state_at` makes, and the instants do change some.
#[test]
fn the_timed_backend_serves_every_resource_as_the_timeline_moves_it() {
    use erdiag_emulator::{Backend, Clock, Lookup, TimedBackend};
    let snapshot = common::scenario("healthy-private");
    let text = r#"{"events": [
        {"kind": "bgp-down", "peering": "AzurePrivatePeering", "path": "primary", "from": "-50m", "to": "-40m"},
        {"kind": "withdraw", "peering": "AzurePrivatePeering", "path": "secondary", "prefix": "10.2.30.0/24", "from": "-45m", "to": "-35m"},
        {"kind": "arp-lost", "peering": "AzurePrivatePeering", "path": "primary", "from": "-20m", "to": "-10m"},
        {"kind": "maintenance", "path": "secondary", "resource": "circuit", "from": "-30m", "to": "-25m"},
        {"kind": "maintenance", "resource": "gateway", "from": "-5m"}]}"#;
    let timeline = Timeline::parse(text, START).unwrap();
    let clock = Clock::fixed(START);
    let backend = TimedBackend::new(vec![snapshot.clone()], Timeline::parse(text, START).unwrap(), clock.clone()).unwrap();
    let mut moved = std::collections::BTreeSet::new();
    for minutes in [-60, -48, -42, -38, -28, -15, -8, -2, 0] {
        let t = START + minutes * 60;
        clock.set(t);
        let state = timeline.state_at(&snapshot, t);
        for (key, body) in state["resources"].as_object().unwrap() {
            let norm = erdiag_model::normalize_path(key);
            if norm.ends_with("/providers/microsoft.insights/metrics") || norm.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses") {
                continue; // made from the timeline for the window asked, not held
            }
            match backend.get(&norm) {
                Lookup::Found(served) => assert_eq!(&served, body, "{key} at {minutes} min"),
                other => panic!("{key} at {minutes} min: {other:?}"),
            }
            if body != &snapshot["resources"][key] {
                moved.insert(key.rsplit('/').take(2).collect::<Vec<_>>().join("<"));
            }
        }
    }
    for kind in ["primary<routeTablesSummary", "primary<arpTables", "secondary<routeTables", "getBgpPeerStatus<", "getLearnedRoutes<", "current<availabilityStatuses"] {
        assert!(moved.iter().any(|m| m.starts_with(kind) || m.contains(kind)), "no {kind} moved: {moved:?}");
    }
}
