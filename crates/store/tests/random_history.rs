//! Random change sequences: whatever happens between polls (rows withdrawn,
//! added, duplicated; a body failing and coming back; counters; metric
//! points revised, gapped, the window moving by any amount), every poll is
//! rebuilt as it was stored, and `states` agrees with `snapshot_at`.

mod common;

use common::{canonical, canonical_arm_state, churn, observation, temp_sqlite};
use erdiag_store::Store;
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Step {
    Withdraw(usize),
    Duplicate(usize),
    Advertise(u8),
    Fail(usize),
    Counters(u32),
    Point(usize, Option<u8>),
    Slide(u8),
    Nothing,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..8usize).prop_map(Step::Withdraw),
        (0..8usize).prop_map(Step::Duplicate),
        any::<u8>().prop_map(Step::Advertise),
        (0..20usize).prop_map(Step::Fail),
        any::<u32>().prop_map(Step::Counters),
        (0..10usize, proptest::option::of(0..3u8)).prop_map(|(i, v)| Step::Point(i, v)),
        (0..12u8).prop_map(Step::Slide),
        Just(Step::Nothing),
    ]
}

/// A ten-point metrics body on a minute grid starting at `start`.
fn metrics(start: i64, values: &[Option<u8>]) -> Value {
    let data: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let ts = erdiag_model::time::unix_rfc3339(start + 60 * i as i64);
            match v {
                Some(v) => json!({"timeStamp": ts, "average": f64::from(*v) * 50.0}),
                None => json!({"timeStamp": ts}),
            }
        })
        .collect();
    json!({"interval": "PT1M", "value": [{"name": {"value": "BgpAvailability"}, "unit": "Percent",
        "timeseries": [{"metadatavalues": [{"name": {"value": "Peer"}, "value": "172.16.0.1"}], "data": data}]}]})
}

fn apply(state: &mut Value, failed: &mut Vec<(String, Value)>, start: &mut i64, points: &mut [Option<u8>], s: &Step) {
    let resources = state["resources"].as_object_mut().unwrap();
    let tables: Vec<String> = resources.iter().filter(|(_, b)| b.get("value").is_some_and(Value::is_array)).map(|(k, _)| k.clone()).collect();
    match s {
        Step::Withdraw(i) | Step::Duplicate(i) => {
            let path = &tables[i % tables.len()];
            let rows = resources[path]["value"].as_array_mut().unwrap();
            if !rows.is_empty() {
                let k = i % rows.len();
                if matches!(s, Step::Withdraw(_)) {
                    rows.remove(k);
                } else {
                    let row = rows[k].clone();
                    rows.push(row);
                }
            }
        }
        Step::Advertise(n) => {
            // (Unless that table's call is failing at the moment.)
            let Some(path) = tables.iter().find(|p| p.contains("/routeTables/primary")) else {
                return;
            };
            resources[path]["value"]
                .as_array_mut()
                .unwrap()
                .push(json!({"network": format!("10.9.{n}.0/24"), "nextHop": "172.16.0.1", "locPrf": "", "weight": 0, "path": "65020"}));
        }
        Step::Fail(i) => {
            if i % 3 == 0 && !failed.is_empty() {
                let (path, body) = failed.remove(0);
                state["failures"].as_object_mut().unwrap().remove(&path);
                state["resources"].as_object_mut().unwrap().insert(path, body);
            } else {
                let keys: Vec<String> = resources.keys().cloned().collect();
                let path = keys[i % keys.len()].clone();
                let body = resources.remove(&path).unwrap();
                state["failures"].as_object_mut().unwrap().insert(path.clone(), json!({"status": 500, "code": "InternalServerError"}));
                failed.push((path, body));
            }
        }
        Step::Counters(n) => {
            for body in resources.values_mut().filter(|b| b.get("primarybytesIn").is_some()) {
                body["primarybytesIn"] = json!(n);
            }
        }
        Step::Point(i, v) => points[*i] = *v,
        Step::Slide(n) => {
            *start += 60 * i64::from(*n);
            points.rotate_left(usize::from(*n) % points.len());
        }
        Step::Nothing => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn every_poll_of_a_random_history_is_rebuilt(steps in proptest::collection::vec(step(), 1..14)) {
        let path = temp_sqlite(&format!("random-{}", std::thread::current().name().unwrap_or("t").replace("::", "-")));
        let mut store = Store::open(path.to_str().unwrap()).unwrap();
        let (_, base) = churn::scenarios().into_iter().find(|(n, _)| n == "healthy-private").unwrap();
        let mut state: Value = serde_json::from_slice(&base).unwrap();
        let circuit = state["circuitId"].as_str().unwrap().to_owned();
        let metrics_path = format!("{circuit}/providers/Microsoft.Insights/metrics");
        let (mut failed, mut start, mut points) = (Vec::new(), churn::EPOCH, vec![Some(2u8); 10]);
        let mut stored = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            apply(&mut state, &mut failed, &mut start, &mut points, s);
            if !state["failures"].as_object().unwrap().contains_key(&metrics_path) {
                state["resources"][&metrics_path] = metrics(start, &points);
            }
            let at = churn::EPOCH + 300 * i as i64;
            let bytes = serde_json::to_vec(&state).unwrap();
            store.ingest(&[observation(&circuit, at, &bytes)]).unwrap();
            stored.push((at, canonical(&bytes)));
        }
        for (at, want) in &stored {
            let (_, got) = store.snapshot_at(&circuit, *at).unwrap().unwrap();
            prop_assert_eq!(&String::from_utf8(got).unwrap(), want);
        }
        for (at, got) in store.states(&circuit, churn::EPOCH, churn::EPOCH + 300 * steps.len() as i64).unwrap() {
            let want = &stored.iter().find(|(t, _)| *t == at).unwrap().1;
            prop_assert_eq!(&String::from_utf8(got).unwrap(), want);
        }
        let end = churn::EPOCH + 300 * steps.len() as i64;
        let states = store.states(&circuit, churn::EPOCH, end).unwrap();
        let arm = store.arm_states(&circuit, churn::EPOCH, end).unwrap();
        prop_assert_eq!(arm.len(), states.len());
        for ((at, got), (state_at, state)) in arm.into_iter().zip(states) {
            prop_assert_eq!(at, state_at);
            prop_assert_eq!(String::from_utf8(got).unwrap(), canonical_arm_state(&state));
        }
    }
}
