//! The PostgreSQL store against a real server (ERDIAG_TEST_POSTGRES, which
//! scripts/postgres-test-server.sh starts and .ci/run exports): it gives the
//! same answers as SQLite on the same history, works from a blocking thread
//! of a tokio runtime, refuses a newer schema and takes turns with a second
//! collector. Each test has its own database. Without the variable the tests
//! are skipped with a notice, except under CI where they fail.

mod common;

use common::{canonical, churn, observation, temp_sqlite, History};
use erdiag_store::{Store, StoreError};

/// A fresh database for one test, or None (skipped) without a server.
fn database(name: &str) -> Option<String> {
    let Ok(url) = std::env::var("ERDIAG_TEST_POSTGRES") else {
        if std::env::var_os("CI").is_some() {
            panic!("ERDIAG_TEST_POSTGRES is not set: CI must test the PostgreSQL store (scripts/test.sh starts a server)");
        }
        eprintln!("NOTICE: ERDIAG_TEST_POSTGRES is not set: skipping the PostgreSQL store test `{name}` (scripts/postgres-test-server.sh starts a server)");
        return None;
    };
    let db = format!("erdiag_test_{name}");
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connect to ERDIAG_TEST_POSTGRES");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).expect("drop the old test database");
    admin.batch_execute(&format!("CREATE DATABASE {db}")).expect("create the test database");
    let mut u = url::Url::parse(&url).expect("ERDIAG_TEST_POSTGRES is a URL");
    u.set_path(&db);
    Some(u.to_string())
}

/// Every answer the store gives about a history, as text to compare.
fn answers(store: &mut Store, history: &History, scenario_circuit: &str, scenario_polls: usize) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!("{:?}", store.circuits().unwrap()));
    let id = history.polls[0].0.clone();
    let (first, last) = (history.polls[0].1, history.polls.last().unwrap().1);
    out.push(format!("{:?}", store.polls(&id, first - 1000, last + 1000).unwrap()));
    out.push(format!("{:?}", store.polls(&id, first + 600, first + 1500).unwrap()));
    for (_, at, bytes, _) in &history.polls {
        for t in [*at - 1, *at, *at + 150] {
            let got = store.snapshot_at(&id, t).unwrap().map(|(p, b)| (p, String::from_utf8(b).unwrap()));
            if t == *at {
                assert_eq!(got.as_ref().map(|g| g.1.as_str()), Some(canonical(bytes).as_str()), "rebuilt at {t}");
            }
            out.push(format!("{got:?}"));
        }
    }
    for (from, to) in [(first, last), (first + 900, first + 3000), (first - 5000, first + 300)] {
        let states: Vec<(i64, String)> = store.states(&id, from, to).unwrap().into_iter().map(|(t, b)| (t, String::from_utf8(b).unwrap())).collect();
        out.push(format!("{states:?}"));
        let arm: Vec<(i64, String)> = store.arm_states(&id, from, to).unwrap().into_iter().map(|(t, b)| (t, String::from_utf8(b).unwrap())).collect();
        assert_eq!(arm.len(), states.len(), "ARM states at the same polls as the states");
        out.push(format!("{arm:?}"));
    }
    for i in 0..scenario_polls as i64 {
        out.push(format!("{:?}", store.snapshot_at(scenario_circuit, churn::EPOCH + 300 * i).unwrap()));
    }
    out.push(format!("{:?}", store.counts().unwrap()));
    out
}

#[test]
fn sqlite_and_postgres_give_identical_answers_on_the_same_history() {
    let Some(pg_url) = database("identical") else {
        return;
    };
    let mut pg = Store::open(&pg_url).unwrap();
    let mut lite = Store::open(temp_sqlite("identical").to_str().unwrap()).unwrap();
    // The flap at 02:00 and the withdrawal at 03:00 of circuit 0, and a
    // second circuit walking through every built-in scenario.
    let history = History::churn(churn::EPOCH + 3600, 37);
    let scenario_circuit = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/walk";
    let scenarios = churn::scenarios();
    for store in [&mut pg, &mut lite] {
        history.ingest(store);
        for (i, (_, bytes)) in scenarios.iter().enumerate() {
            store.ingest(&[observation(scenario_circuit, churn::EPOCH + 300 * i as i64, bytes)]).unwrap();
        }
    }
    let (a, b) = (answers(&mut pg, &history, scenario_circuit, scenarios.len()), answers(&mut lite, &history, scenario_circuit, scenarios.len()));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let horizon = churn::EPOCH + 3600 + 20 * 300;
    assert_eq!(pg.prune_before(horizon).unwrap(), lite.prune_before(horizon).unwrap());
    let id = &history.polls[0].0;
    for t in [horizon - 1, horizon, horizon + 3000] {
        assert_eq!(pg.snapshot_at(id, t).unwrap(), lite.snapshot_at(id, t).unwrap());
    }
    assert_eq!(pg.counts().unwrap(), lite.counts().unwrap());
    assert!(pg.label().starts_with("postgres://"), "{}", pg.label());
}

#[test]
fn the_postgres_store_works_from_a_blocking_thread_of_a_runtime() {
    let Some(url) = database("blocking") else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let rebuilt = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || {
            let mut store = Store::open(&url).unwrap();
            let c = churn::Circuit::new(1);
            let bytes = serde_json::to_vec(&c.snapshot_at(churn::EPOCH)).unwrap();
            store.ingest(&[observation(&c.id, churn::EPOCH, &bytes)]).unwrap();
            (store.snapshot_at(&c.id, churn::EPOCH).unwrap().unwrap().1, canonical(&bytes))
        })
        .await
        .unwrap()
    });
    assert_eq!(String::from_utf8(rebuilt.0).unwrap(), rebuilt.1);
}

#[test]
fn a_newer_postgres_schema_is_refused() {
    let Some(url) = database("newer") else { return };
    drop(Store::open(&url).unwrap());
    let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    db.batch_execute("INSERT INTO schema_version (version, applied_at) VALUES (7, 0)").unwrap();
    let err = Store::open(&url).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { found: 7, .. }), "{err}");
}

#[test]
fn two_collectors_on_one_database_take_turns() {
    let Some(url) = database("collectors") else {
        return;
    };
    drop(Store::open(&url).unwrap());
    let c = churn::Circuit::new(2);
    let polls: Vec<(i64, Vec<u8>)> = (0..12).map(|i| churn::EPOCH + 300 * i).map(|t| (t, serde_json::to_vec(&c.snapshot_at(t)).unwrap())).collect();
    // Both collectors see every poll of the same circuit and race to record it.
    let skipped: u64 = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut store = Store::open(&url).unwrap();
                    polls.iter().map(|(t, bytes)| store.ingest(&[observation(&c.id, *t, bytes)]).unwrap().skipped).sum::<u64>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(skipped, 12, "each poll is recorded once");
    let mut store = Store::open(&url).unwrap();
    assert_eq!(store.polls(&c.id, 0, i64::MAX).unwrap().len(), 12);
    for (t, bytes) in &polls {
        assert_eq!(String::from_utf8(store.snapshot_at(&c.id, *t).unwrap().unwrap().1).unwrap(), canonical(bytes));
    }
}
