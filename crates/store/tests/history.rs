//! The SQLite store: what is rebuilt at a time equals what was stored then,
//! only changes are kept, retention, migrations, one transaction per ingest.

mod common;

use common::{assert_rebuilt, canonical, canonical_arm_state, churn, churned, observation, temp_sqlite, temp_store};
use erdiag_store::{Observation, Store, StoreError};

#[test]
fn every_scenario_is_rebuilt_as_it_was_stored() {
    let mut store = temp_store("scenarios");
    let scenarios = common::churn::scenarios();
    assert!(scenarios.len() >= 30, "the built-in scenarios were not found");
    let circuit = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c1";
    // One circuit moving through every scenario in turn: each poll differs
    // from the one before in almost every way.
    for (i, (_, bytes)) in scenarios.iter().enumerate() {
        store.ingest(&[observation(circuit, churn::EPOCH + 300 * i as i64, bytes)]).unwrap();
    }
    for (i, (name, bytes)) in scenarios.iter().enumerate() {
        let at = churn::EPOCH + 300 * i as i64;
        let (poll, rebuilt) = store.snapshot_at(circuit, at + 299).unwrap().expect(name);
        assert_eq!(poll, at, "{name}");
        assert_eq!(String::from_utf8(rebuilt).unwrap(), canonical(bytes), "{name} rebuilt differs");
    }
    // The circuit's id is matched case-insensitively.
    assert!(store.snapshot_at(&circuit.to_uppercase(), churn::EPOCH).unwrap().is_some());
    assert!(store.snapshot_at(circuit, churn::EPOCH - 1).unwrap().is_none());
}

#[test]
fn churn_is_rebuilt_at_every_poll_and_states_follow_the_changes() {
    // 01:00 to 04:00: a BGP flap at 02:00 (ten minutes) and 10.2.30.0/24
    // withdrawn from 03:00 to 03:30, counters and metric points moving.
    let (mut store, history) = churned("churn", churn::EPOCH + 3600, 37);
    let id = &history.polls[0].0;
    for (_, at, bytes, _) in &history.polls {
        assert_rebuilt(&mut store, id, *at, bytes);
    }
    let polls = store.polls(id, churn::EPOCH, churn::EPOCH + DAY).unwrap();
    assert_eq!(polls.len(), 37);
    assert_eq!(polls.iter().filter(|p| p.verdict == "failed").count(), 2, "the flap is seen by the polls at 02:00 and 02:05");
    assert_eq!(polls.iter().find(|p| p.verdict == "failed").unwrap().root_cause.as_deref(), Some("ER301"));
    // ARP ages, BGP message counts and uptimes move at every poll, counters
    // and metric points too: none of that is a new state. The flap (02:00,
    // 02:10) and the withdrawal (03:00, 03:30) are.
    let from = churn::EPOCH + 3600 + 600;
    let states = store.states(id, from, churn::EPOCH + 4 * 3600).unwrap();
    let times: Vec<i64> = states.iter().map(|(t, _)| (t - churn::EPOCH) / 60).collect();
    assert_eq!(times, [70, 120, 130, 180, 210], "minutes after midnight");
    for (at, bytes) in &states {
        let (_, _, want, _) = history.polls.iter().find(|p| p.1 == *at).unwrap();
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), canonical(want), "state at {at}");
    }
    // The ARM states: the same polls, without metrics and stats bodies.
    let arm = store.arm_states(id, from, churn::EPOCH + 4 * 3600).unwrap();
    assert_eq!(arm.iter().map(|(t, _)| *t).collect::<Vec<_>>(), states.iter().map(|(t, _)| *t).collect::<Vec<_>>());
    for (at, bytes) in &arm {
        let (_, _, want, _) = history.polls.iter().find(|p| p.1 == *at).unwrap();
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), canonical_arm_state(want), "ARM state at {at}");
    }
    let changed: Vec<i64> = polls.iter().filter(|p| p.changed).map(|p| (p.at - churn::EPOCH) / 60).collect();
    assert_eq!(changed, [60, 120, 130, 180, 210]);
    let circuits = store.circuits().unwrap();
    assert_eq!(circuits.len(), 1);
    assert_eq!((circuits[0].first_poll, circuits[0].last_poll, circuits[0].polls), (churn::EPOCH + 3600, churn::EPOCH + 3600 + 36 * 300, 37));
    assert_eq!(circuits[0].name, "er-ckt-0000");
    // One circuit's entry, by its id in any case, says the same; the names
    // list it without counting.
    assert_eq!(store.circuit(&circuits[0].id.to_ascii_uppercase()).unwrap(), circuits[0]);
    assert_eq!(store.circuit_names().unwrap(), vec![(circuits[0].id.clone(), circuits[0].name.clone())]);
    assert!(store.circuit("/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/expressRouteCircuits/none").is_err());
}

const DAY: i64 = churn::DAY;

#[test]
fn an_unchanged_poll_adds_no_records_and_metrics_only_changes_are_not_states() {
    let mut store = temp_store("unchanged");
    let c = churn::Circuit::new(3);
    let t = churn::EPOCH + 5 * 3600;
    let snapshot = serde_json::to_vec(&c.snapshot_at(t)).unwrap();
    store.ingest(&[observation(&c.id, t, &snapshot)]).unwrap();
    let before = store.counts().unwrap();
    let stats = store.ingest(&[observation(&c.id, t + 300, &snapshot)]).unwrap();
    let after = store.counts().unwrap();
    assert_eq!((stats.opened, stats.closed, stats.counter_rows), (0, 0, 0));
    assert_eq!(after.records, before.records);
    assert_eq!(after.counter_rows, before.counter_rows);
    assert_eq!(after.polls, before.polls + 1);
    let polls = store.polls(&c.id, t, t + 300).unwrap();
    assert_eq!(polls.iter().map(|p| p.changed).collect::<Vec<_>>(), [true, false]);

    // Only the metric window moves: the poll records the new points but is
    // not a new state.
    let mut moved = c.snapshot_at(t);
    let metrics_path = format!("{}/providers/Microsoft.Insights/metrics", c.id);
    moved["resources"][&metrics_path] = c.snapshot_at(t + 600)["resources"][&metrics_path].clone();
    let moved = serde_json::to_vec(&moved).unwrap();
    let stats = store.ingest(&[observation(&c.id, t + 600, &moved)]).unwrap();
    assert!(stats.opened > 0);
    assert!(!store.polls(&c.id, t + 600, t + 600).unwrap()[0].changed);
    assert_eq!(store.states(&c.id, t, t + 600).unwrap().len(), 1);
    let (_, rebuilt) = store.snapshot_at(&c.id, t + 600).unwrap().unwrap();
    assert_eq!(String::from_utf8(rebuilt).unwrap(), canonical(&moved));
    // A constant availability series costs no record per poll: the run that
    // began before the window keeps holding.
    let (_, rebuilt) = store.snapshot_at(&c.id, t + 300).unwrap().unwrap();
    assert_eq!(String::from_utf8(rebuilt).unwrap(), canonical(&snapshot));
}

#[test]
fn retention_forgets_old_polls_and_keeps_what_is_still_valid() {
    let (mut store, history) = churned("retention", churn::EPOCH + 3600, 30);
    let id = history.polls[0].0.clone();
    let before = store.counts().unwrap();
    let horizon = churn::EPOCH + 3600 + 15 * 300;
    let pruned = store.prune_before(horizon).unwrap();
    assert_eq!(pruned.polls, 15);
    assert!(pruned.records > 0 && pruned.counter_rows > 0);
    let after = store.counts().unwrap();
    assert_eq!(after.polls, 15);
    assert!(after.records < before.records);
    assert!(store.snapshot_at(&id, horizon - 1).unwrap().is_none());
    for (_, at, bytes, _) in history.polls.iter().filter(|p| p.1 >= horizon) {
        assert_rebuilt(&mut store, &id, *at, bytes);
    }
    // Keeping everything from a horizon in the future of nothing: no-op.
    assert_eq!(store.prune(100 * 365 * DAY).unwrap().polls, 0);
}

#[test]
fn the_schema_is_created_then_a_newer_one_is_refused() {
    let path = temp_sqlite("migrations");
    let url = format!("sqlite:{}", path.display());
    let mut store = Store::open(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), erdiag_store::SCHEMA_VERSION);
    drop(store);
    // Opening again migrates nothing and keeps the data.
    let mut store = Store::open(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), erdiag_store::SCHEMA_VERSION);
    drop(store);
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)", []).unwrap();
    drop(db);
    let err = Store::open(&url).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains(&url) && message.contains("schema version 99"), "{message}");
}

#[test]
fn a_fleet_poll_is_one_transaction_all_or_nothing() {
    let mut store = temp_store("fleet");
    let t = churn::EPOCH + 3600;
    let circuits: Vec<churn::Circuit> = (0..40).map(churn::Circuit::new).collect();
    let snapshots: Vec<Vec<u8>> = circuits.iter().map(|c| serde_json::to_vec(&c.snapshot_at(t)).unwrap()).collect();
    let mut obs: Vec<Observation> = circuits.iter().zip(&snapshots).map(|(c, s)| observation(&c.id, t, s)).collect();
    // One bad snapshot in the batch: nothing is recorded, and the error names it.
    obs.push(observation("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/broken", t, b"{\"format\": "));
    let err = store.ingest(&obs).unwrap_err();
    assert!(err.to_string().contains("expressRouteCircuits/broken") && err.to_string().contains("not JSON"), "{err}");
    assert_eq!(store.counts().unwrap().polls, 0);
    assert!(store.circuits().unwrap().is_empty());
    assert!(store.circuit_names().unwrap().is_empty(), "a circuit whose polls were rolled back is not listed");
    obs.pop();
    let stats = store.ingest(&obs).unwrap();
    assert_eq!(stats.polls, 40);
    assert_eq!(store.circuits().unwrap().len(), 40);
    // The same poll again is skipped, not recorded twice.
    assert_eq!(store.ingest(&obs).unwrap().skipped, 40);
    for (c, s) in circuits.iter().zip(&snapshots) {
        assert_rebuilt(&mut store, &c.id, t, s);
    }
}

#[test]
fn unknown_circuits_and_bad_urls_are_clear_errors_without_secrets() {
    let mut store = temp_store("unknown");
    let err = store.polls("/subscriptions/s/nothing", 0, 1).unwrap_err();
    assert!(matches!(err, StoreError::UnknownCircuit { .. }) && err.to_string().contains("no history of circuit /subscriptions/s/nothing"), "{err}");
    let err = Store::open("postgres://erdiag:s3cret-pw@127.0.0.1:1/erdiag?password=other-s3cret").unwrap_err();
    let message = err.to_string();
    assert!(!message.contains("s3cret"), "{message}");
    assert!(message.contains("postgres://erdiag@127.0.0.1:1/erdiag"), "{message}");
    let err = Store::open("postgresql://erdiag:pw@db.example/erdiag?sslmode=require").unwrap_err();
    assert!(err.to_string().contains("sslmode=require is not supported"), "{err}");
    let err = Store::open("/nonexistent-dir/x/store.sqlite").unwrap_err();
    assert!(err.to_string().contains("sqlite:/nonexistent-dir/x/store.sqlite"), "{err}");
}

#[test]
fn a_session_that_reset_between_two_polls_is_a_change() {
    let mut store = temp_store("reset");
    let c = churn::Circuit::new(5);
    let t = churn::EPOCH + 6 * 3600;
    let first = c.snapshot_at(t);
    let mut later = c.snapshot_at(t + 300);
    // Up at both polls, but its uptime went back: it flapped in between.
    let summary = first["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/routeTablesSummary/secondary")).unwrap().clone();
    later["resources"][&summary]["value"][0]["upDown"] = serde_json::json!("00:01:10");
    for (at, snapshot) in [(t, &first), (t + 300, &later)] {
        store.ingest(&[observation(&c.id, at, &serde_json::to_vec(snapshot).unwrap())]).unwrap();
    }
    assert!(store.polls(&c.id, t + 300, t + 300).unwrap()[0].changed);
    // Whereas the uptime growing again, with ARP ages and message counts
    // moving, is not.
    store.ingest(&[observation(&c.id, t + 600, &serde_json::to_vec(&c.snapshot_at(t + 600)).unwrap())]).unwrap();
    assert!(!store.polls(&c.id, t + 600, t + 600).unwrap()[0].changed);
}
