//! A fleet's pending `metrics:getBatch` answer, apart from the throttling
//! tests of fleet_emulator.rs so that its emulator does not share their
//! cores (their 429 ceiling is sensitive to load).
use erdiag_azure::{NoProgress, Target};
use erdiag_emulator::fleet::{generate, FleetSpec};
use erdiag_model::ResourceId;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;
use support::{client, templates};

/// A fleet's circuits start before its batches answer: a circuit's metrics
/// wait for the answer (no GET of its own when it comes late), and read
/// with their own GETs when the answer never comes (its task failed).
#[tokio::test]
async fn a_circuit_waits_for_a_late_batch_and_reads_its_own_metrics_without_one() {
    let spec = FleetSpec { circuits: 2, subscriptions: 1, regions: 1, faulty: 0.0, seed: 9, ..Default::default() };
    let fleet = generate(&spec, &templates()).unwrap();
    let em = erdiag_emulator::start(fleet.clone().config(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client(&em, 8);
    let now = erdiag_model::time::parse_rfc3339(&erdiag_azure::now_rfc3339()).unwrap();
    let options = erdiag_azure::CollectOptions { now: Some(now), resource_changes: false, ..Default::default() };
    let c = &fleet.circuits[0];
    let id = ResourceId::parse(&c.id).unwrap();
    let (s, rg, name) = id.resource_parts().unwrap();
    let target = Target::Circuit { subscription: s.into(), resource_group: rg.into(), name: name.into() };
    let key = format!("{}/providers/Microsoft.Insights/metrics", c.id);
    let body = |s: &serde_json::Value| s["resources"].as_object().unwrap().iter().find(|(k, _)| k.eq_ignore_ascii_case(&key)).map(|(_, v)| v["value"].clone());
    let own = erdiag_azure::collect_with(client.clone(), &target, Some(&c.region), &options, Arc::new(NoProgress)).await.unwrap();

    // The answer comes while the circuit is being collected.
    let (answer, pending) = erdiag_azure::PendingBatch::channel();
    let with = erdiag_azure::CollectOptions { batched: Some(pending), ..options.clone() };
    let (ids, sub, region) = (vec![c.id.clone()], s.to_string(), c.region.clone());
    let (batch_client, batch_options) = (client.clone(), options.clone());
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        answer.send(erdiag_azure::metrics_batch(&batch_client, &sub, &region, &ids, &batch_options, &NoProgress).await);
    });
    let started = Instant::now();
    let late_run = erdiag_azure::collect_with(client.clone(), &target, Some(&c.region), &with, Arc::new(NoProgress)).await.unwrap();
    late.await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "the circuit's metrics waited for the batch");
    assert_eq!(own.calls - late_run.calls, 3, "no metrics GET of its own: the three came in the batch");
    assert_eq!(body(&own.snapshot), body(&late_run.snapshot));
    assert_eq!(late_run.failed, 0);

    // The answer never comes: the circuit reads its metrics itself.
    let (answer, pending) = erdiag_azure::PendingBatch::channel();
    drop(answer);
    let with = erdiag_azure::CollectOptions { batched: Some(pending), ..options.clone() };
    let without = erdiag_azure::collect_with(client.clone(), &target, Some(&c.region), &with, Arc::new(NoProgress)).await.unwrap();
    assert_eq!(without.calls, own.calls, "the three metrics GETs were made");
    assert_eq!(body(&own.snapshot), body(&without.snapshot));
    em.shutdown().await;
}

