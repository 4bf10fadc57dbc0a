//! The pipeline as a library caller uses it: several circuits collected at
//! once on one runtime (no global state between them), each diagnosed to
//! the verdict its scenario expects; and failures as typed errors.

use erdiag_pipeline::{collect, diagnose, diagnose_document, diagnose_source, scenarios, ErrorKind, NoProgress, Options, Source};
use std::sync::Arc;
use std::time::Duration;

const CIRCUITS: &[&str] = &["healthy-private", "vlan-mismatch", "secondary-path-down", "md5-mismatch"];

fn expected_verdict(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("expected.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["verdict"].as_str().unwrap().to_string()
}

fn verdict(report: &erdiag_pipeline::Report) -> String {
    serde_json::to_value(report.verdict).unwrap().as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn circuits_collected_at_once_are_diagnosed_each_on_its_own() {
    let runs: Vec<_> = CIRCUITS
        .iter()
        .map(|name| {
            tokio::spawn(async move {
                let source = Source::Scenario { name: name.to_string(), latency: Duration::ZERO };
                let c = collect(&source, Arc::new(NoProgress)).await.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(c.calls > 0 && c.failed == 0, "{name}: {}", c.summary());
                (name, diagnose_document(name, &c.snapshot, &Options::default()).unwrap())
            })
        })
        .collect();
    for run in runs {
        let (name, report) = run.await.unwrap();
        assert_eq!(verdict(&report), expected_verdict(name), "{name}");
    }
}

#[test]
fn an_unknown_scenario_is_a_usage_error_with_a_hint() {
    let e = scenarios::get("no-such-circuit").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(e.hint().is_some_and(|h| h.contains("--list")));
}

#[test]
fn a_bad_snapshot_is_an_input_error_naming_it_and_the_json_path() {
    let e = diagnose("state.json", b"{\n  \"format\": \"erdiag-snapshot/1\",\n  \"resources\": [}", &Options::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Input);
    assert!(e.message().starts_with("state.json: ") && e.message().contains("at resources"), "{}", e.message());
    assert!(e.causes().next().is_some(), "the parse error is kept as the cause");
}

#[test]
fn a_built_in_scenario_diagnoses_offline_to_its_expected_verdict() {
    let sc = scenarios::get("vlan-mismatch").unwrap();
    let report = diagnose("scenario vlan-mismatch", sc.snapshot, &Options::default()).unwrap();
    assert_eq!(verdict(&report), expected_verdict("vlan-mismatch"));
}

#[tokio::test]
async fn a_snapshot_source_diagnoses_like_its_bytes_and_names_itself_in_errors() {
    let sc = scenarios::get("md5-mismatch").unwrap();
    let source = Source::Snapshot { label: "md5.json".into(), bytes: sc.snapshot.to_vec() };
    let report = diagnose_source(&source, &Options::default(), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(verdict(&report), expected_verdict("md5-mismatch"));
    let c = collect(&source, Arc::new(NoProgress)).await.unwrap();
    assert_eq!((c.calls, c.snapshot["circuitId"].is_string()), (0, true));
    let bad = Source::Snapshot { label: "bad.json".into(), bytes: b"{".to_vec() };
    let e = diagnose_source(&bad, &Options::default(), Arc::new(NoProgress)).await.unwrap_err();
    assert!(e.message().starts_with("bad.json: "), "{}", e.message());
}

/// One ARM client, shared by several circuits served by one emulator: each
/// circuit's report is its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_serves_many_circuits() {
    use erdiag_azure::{ArmClient, ClientOptions, Cloud, Credential, Target};
    let docs: Vec<serde_json::Value> = CIRCUITS.iter().map(|n| scenarios::get(n).unwrap().document()).collect();
    let em = erdiag_emulator::start(erdiag_emulator::Config::new(docs.clone()), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let endpoint = url::Url::parse(&format!("{}/", em.base_url)).unwrap();
    let options = ClientOptions { cloud: Cloud::Custom { endpoint, scope: "https://management.azure.com/.default".into() }, ..Default::default() };
    let client = Arc::new(ArmClient::new(Credential::from_token("test".into()), options).unwrap());
    let runs: Vec<_> = CIRCUITS
        .iter()
        .zip(&docs)
        .map(|(name, doc)| {
            let id = erdiag_model::ResourceId::parse(doc["circuitId"].as_str().unwrap()).unwrap();
            let (sub, rg, circuit) = id.resource_parts().unwrap();
            let target = Target::Circuit { subscription: sub.into(), resource_group: rg.into(), name: circuit.into() };
            let source = Source::Client { client: client.clone(), target };
            let want = doc["circuitId"].as_str().unwrap().to_ascii_lowercase();
            tokio::spawn(async move { (name, want, diagnose_source(&source, &Options::default(), Arc::new(NoProgress)).await) })
        })
        .collect();
    for run in runs {
        let (name, want, report) = run.await.unwrap();
        let report = report.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.circuit.id.to_ascii_lowercase(), want, "{name}");
    }
    em.shutdown().await;
}

/// A source may be logged: its token never is.
#[test]
fn a_live_source_formats_without_its_token() {
    use erdiag_pipeline::{ClientOptions, CredentialChoice, LiveSource, Target};
    let target = Target::Circuit { subscription: "s".into(), resource_group: "g".into(), name: "n".into() };
    let live = LiveSource { target, options: ClientOptions::default(), credential: CredentialChoice::AccessToken("eyJ-secret-token".into()), collect: Default::default() };
    let shown = format!("{:?}", Source::Live(Box::new(live)));
    assert!(!shown.contains("eyJ-secret-token") && shown.contains("AccessToken(<redacted>)"), "{shown}");
}

/// `fleet::run` over snapshots: each circuit reaches the sink as it is
/// diagnosed (numbered, with the total), the summary has them worst first;
/// a document that is not a snapshot is an error before any circuit runs.
#[tokio::test]
async fn a_fleet_streams_each_circuit_then_sums_up() {
    use erdiag_pipeline::fleet::{run, FleetOptions, FleetSource};
    let docs = |names: &[&str]| -> Vec<(String, Vec<u8>)> {
        names.iter().map(|n| (n.to_string(), erdiag_pipeline::scenarios::get(n).unwrap().snapshot.to_vec())).collect()
    };
    let options = FleetOptions { concurrency: 2, ..FleetOptions::default() };
    let mut seen = Vec::new();
    let names = ["healthy-private", "vlan-mismatch", "gateway-forbidden", "secondary-path-down", "healthy-direct"];
    let summary = run(FleetSource::Snapshots(docs(&names)), &options, Arc::new(NoProgress), &mut |r| seen.push((r.done, r.total, r.report.is_some(), r.row.source)))
        .await
        .unwrap();
    assert_eq!(seen.iter().map(|s| (s.0, s.1, s.2)).collect::<Vec<_>>(), (1..=5).map(|i| (i, 5, true)).collect::<Vec<_>>());
    let mut sources: Vec<String> = seen.into_iter().map(|s| s.3).collect();
    sources.sort();
    assert_eq!(sources, ["gateway-forbidden", "healthy-direct", "healthy-private", "secondary-path-down", "vlan-mismatch"], "each circuit once");
    let verdicts: Vec<&str> = summary.rows.iter().map(|r| r.verdict.as_str()).collect();
    assert_eq!(verdicts, ["down", "degraded", "unknown", "healthy", "healthy"]);
    assert_eq!((summary.counts.circuits, summary.counts.healthy), (5, 2));

    let mut bad = docs(&["healthy-private"]);
    bad.push(("broken.json".into(), b"{\"format\": \"erdiag-snapshot/1\"}".to_vec()));
    let mut called = 0;
    let e = run(FleetSource::Snapshots(bad), &options, Arc::new(NoProgress), &mut |_| called += 1).await.unwrap_err();
    assert!(e.message().starts_with("broken.json"), "{e}");
    assert_eq!(called, 0, "nothing reaches the sink before every document is checked");
}

/// `fleet --store`: each circuit is diagnosed with what the store saw of it
/// (`inputs.observed`). A `BgpAvailability` dip that the store's poll inside
/// it saw as a session down is confirmed (degraded); the same fleet without
/// the store's polls leaves it unconfirmed (healthy). The document handed to
/// the sink (what the store records) carries no `observed`.
#[tokio::test]
async fn a_fleet_with_a_store_confirms_a_dip_its_polls_saw() {
    use erdiag_pipeline::fleet::{run, FleetOptions, FleetSource};
    use erdiag_pipeline::history;
    let dir = std::env::temp_dir().join(format!("erdiag-fleet-observe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let _ = std::fs::remove_file(&db);
    // The flap scenario without the observations it ships with: the dip alone.
    let mut doc = scenarios::get("bgp-flap-confirmed").unwrap().document();
    doc["inputs"].as_object_mut().unwrap().remove("observed");
    let circuit = doc["circuitId"].as_str().unwrap().to_string();
    let summary_key = format!("{circuit}/peerings/AzurePrivatePeering/routeTablesSummary/primary");
    assert!(doc["resources"].get(&summary_key).is_some(), "the primary summary is in the scenario");
    // An uptime older than the dip: the MSEE's own counter does not date a
    // reset inside it, so only the store's polls can confirm it.
    doc["resources"][&summary_key]["value"][0]["upDown"] = serde_json::Value::String("3d04h".into());
    // Polls of 09:00 (up), 09:05 (the primary session down), 09:10 (up).
    let mut store = history::open(db.to_str().unwrap()).unwrap();
    for (at, state) in [("2026-11-21T09:00:00Z", "3"), ("2026-11-21T09:05:00Z", "Idle"), ("2026-11-21T09:10:00Z", "3")] {
        let mut poll = doc.clone();
        poll["collectedAt"] = serde_json::Value::String(at.into());
        poll["resources"][&summary_key]["value"][0]["statePfxRcd"] = serde_json::Value::String(state.into());
        let bytes = serde_json::to_vec(&poll).unwrap();
        let report = diagnose(at, &bytes, &Options::default()).unwrap();
        history::record(&mut store, &[history::Record::of(&report, bytes, 0)], None).unwrap();
    }
    drop(store);
    let fleet = |observe: Option<erdiag_pipeline::fleet::Observer>| {
        let options = FleetOptions { keep_snapshots: true, observe, ..FleetOptions::default() };
        let docs = vec![("flap.json".to_string(), serde_json::to_vec(&doc).unwrap())];
        async move {
            let mut kept = Vec::new();
            let summary = run(FleetSource::Snapshots(docs), &options, Arc::new(NoProgress), &mut |r| kept.push(r.snapshot)).await.unwrap();
            (summary, kept)
        }
    };
    let (without, _) = fleet(None).await;
    assert_eq!(without.rows[0].verdict.as_str(), "healthy", "a dip nothing else saw is unconfirmed");
    let observer = history::observer(history::open(db.to_str().unwrap()).unwrap(), 0);
    let (with, kept) = fleet(Some(observer)).await;
    assert_eq!(with.rows[0].verdict.as_str(), "degraded", "{:?}", with.rows[0]);
    assert_eq!(with.rows[0].root_cause.as_ref().map(|c| c.check.as_str()), Some("ER404"), "{:?}", with.rows[0]);
    assert!(with.rows[0].root_cause.as_ref().unwrap().summary.contains("1 confirmed"), "{:?}", with.rows[0]);
    let kept = kept[0].as_ref().unwrap();
    assert!(kept["inputs"].get("observed").is_none(), "the document recorded is the one collected");
    let _ = std::fs::remove_dir_all(dir);
}
