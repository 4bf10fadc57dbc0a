//! Azure Monitor metrics and Resource Health history as the emulator serves
//! them over a timeline, with a fixed clock: the series read what the ARM
//! state shows minute by minute, gaps are points without values,
//! maintenance is a `Planned` status; and the answers hold to the
//! `Metrics_List` specification in `$ERDIAG_CORPUS/azure-monitor-metrics`
//! (skipped with a notice without it, except under CI).

mod common;

use common::*;
use erdiag_emulator::{Clock, Config, Timeline};
use erdiag_model::time::unix_rfc3339;
use serde_json::Value;
use std::path::PathBuf;

/// 2026-11-21T10:00:00Z, the scenario's `collectedAt`.
const T0: i64 = 1_795_255_200;

const EVENTS: &str = r#"{"events": [
    {"kind": "bgp-down", "peering": "AzurePrivatePeering", "path": "primary", "from": "-50m", "to": "-47m"},
    {"kind": "metric-gap", "metric": "BitsInPerSecond", "from": "-20m", "to": "-10m"},
    {"kind": "maintenance", "path": "secondary", "resource": "circuit", "from": "-30m", "to": "-25m"},
    {"kind": "gateway-cpu", "percent": 93, "from": "-15m"}]}"#;

async fn timed() -> (erdiag_emulator::Running, String, String, Clock) {
    let snapshot = scenario("healthy-private");
    let mut config = Config::new(vec![snapshot.clone()]);
    let clock = Clock::fixed(T0);
    config.clock = clock.clone();
    config.timeline = Some(Timeline::parse(EVENTS, 0).unwrap());
    let em = serve(config).await;
    let circuit = circuit_id(&snapshot);
    let gateway = snapshot["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/virtualNetworkGateways/ergw-hub-weu")).unwrap().clone();
    (em, circuit, gateway, clock)
}

fn metrics_url(em: &erdiag_emulator::Running, resource: &str, names: &str, filter: Option<&str>) -> String {
    let span = format!("{}/{}", unix_rfc3339(T0 - 3600), unix_rfc3339(T0));
    let mut url = url::Url::parse(&em.url(&format!("{resource}/providers/Microsoft.Insights/metrics"))).unwrap();
    url.query_pairs_mut().append_pair("api-version", "2024-02-01").append_pair("metricnames", names).append_pair("timespan", &span).append_pair("interval", "PT1M");
    if let Some(f) = filter {
        url.query_pairs_mut().append_pair("$filter", f);
    }
    url.to_string()
}

/// The series of `metric` whose metadata has `dim` = `value`: (minute offset from T0, average) pairs.
fn series(body: &Value, metric: &str, dim: &str, value: &str) -> Vec<(i64, Option<f64>)> {
    let m = body["value"].as_array().unwrap().iter().find(|m| m["name"]["value"] == metric).unwrap_or_else(|| panic!("{metric} missing: {body}"));
    let ts = m["timeseries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metadatavalues"].as_array().unwrap().iter().any(|d| d["name"]["value"] == dim && d["value"] == value))
        .unwrap_or_else(|| panic!("no {metric} series with {dim}={value}: {m}"));
    ts["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| ((erdiag_model::time::parse_rfc3339(p["timeStamp"].as_str().unwrap()).unwrap() - T0) / 60, p["average"].as_f64()))
        .collect()
}

#[tokio::test]
async fn bgp_availability_reads_the_sessions_minute_by_minute() {
    let (em, circuit, _, _) = timed().await;
    let c = client();
    let r = get(&c, &metrics_url(&em, &circuit, "BgpAvailability,ArpAvailability", Some("PeeringType eq '*' and Peer eq '*'"))).await;
    assert_eq!(r.status(), 200);
    let body = json(r).await;
    let primary = series(&body, "BgpAvailability", "peer", "Primary-IPv4");
    assert_eq!(primary.len(), 60);
    for (minute, v) in &primary {
        let want = if (-50..-47).contains(minute) { 0.0 } else { 100.0 };
        assert_eq!(*v, Some(want), "primary at minute {minute}");
    }
    // The maintenance on the secondary path takes its session down too.
    let secondary = series(&body, "BgpAvailability", "peer", "Secondary-IPv4");
    let down: Vec<i64> = secondary.iter().filter(|(_, v)| *v == Some(0.0)).map(|(m, _)| *m).collect();
    assert_eq!(down, (-30..-25).collect::<Vec<_>>());
    // ARP held throughout.
    assert!(series(&body, "ArpAvailability", "peer", "Primary-IPv4").iter().all(|(_, v)| *v == Some(100.0)));
}

#[tokio::test]
async fn a_gap_is_points_without_values_and_unsplit_series_are_summed() {
    let (em, circuit, gateway, _) = timed().await;
    let c = client();
    let body = json(get(&c, &metrics_url(&em, &circuit, "BitsInPerSecond", None)).await).await;
    let ts = &body["value"][0]["timeseries"];
    assert_eq!(ts.as_array().unwrap().len(), 1, "no split: one series");
    assert!(ts[0]["metadatavalues"].as_array().unwrap().is_empty());
    for p in ts[0]["data"].as_array().unwrap() {
        let minute = (erdiag_model::time::parse_rfc3339(p["timeStamp"].as_str().unwrap()).unwrap() - T0) / 60;
        assert_eq!(p.get("average").is_none(), (-20..-10).contains(&minute), "minute {minute}: {p}");
    }
    let cpu = json(get(&c, &metrics_url(&em, &gateway, "ExpressRouteGatewayCpuUtilization", Some("roleInstance eq '*'"))).await).await;
    let in0 = series(&cpu, "ExpressRouteGatewayCpuUtilization", "roleinstance", "IN_0");
    assert_eq!(in0.iter().filter(|(_, v)| *v == Some(93.0)).count(), 15);
    let learned = json(get(&c, &metrics_url(&em, &gateway, "ExpressRouteGatewayCountOfRoutesLearnedFromPeer", Some("BgpPeerAddress eq '*'"))).await).await;
    let m = &learned["value"][0];
    let from_primary = m["timeseries"].as_array().unwrap().iter().find(|t| t["metadatavalues"][0]["value"] == "10.17.17.132").unwrap();
    let maxima: Vec<Option<f64>> = from_primary["data"].as_array().unwrap().iter().map(|p| p["maximum"].as_f64()).collect();
    assert_eq!(maxima[9..13], [Some(3.0), Some(0.0), Some(0.0), Some(0.0)], "withdrawn during the flap at -50m");
}

#[tokio::test]
async fn unknown_names_and_dimensions_are_refused_as_azure_does() {
    let (em, circuit, _, _) = timed().await;
    let c = client();
    let r = get(&c, &metrics_url(&em, &circuit, "BgpAvailability,NoSuchMetric", None)).await;
    assert_eq!(r.status(), 400);
    assert!(json(r).await["error"]["message"].as_str().unwrap().contains("NoSuchMetric"));
    let r = get(&c, &metrics_url(&em, &circuit, "QosDropBitsInPerSecond", Some("Peer eq '*'"))).await;
    assert_eq!(r.status(), 400);
    let year = format!("{}/{}", unix_rfc3339(T0 - 366 * 86_400), unix_rfc3339(T0));
    let r = get(&c, &em.url(&format!("{circuit}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=BgpAvailability&timespan={year}"))).await;
    assert_eq!(r.status(), 400, "a year of minutes is refused, not computed");
    // A month at PT1H is answered (one state per set of events, not one per minute).
    let month = format!("{}/{}", unix_rfc3339(T0 - 30 * 86_400), unix_rfc3339(T0));
    let r = get(&c, &em.url(&format!("{circuit}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=BgpAvailability&interval=PT1H&timespan={month}"))).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["value"][0]["timeseries"][0]["data"].as_array().unwrap().len(), 720);
    let defs = json(get(&c, &em.url(&format!("{circuit}/providers/Microsoft.Insights/metricDefinitions?api-version=2024-02-01"))).await).await;
    let names: Vec<&str> = defs["value"].as_array().unwrap().iter().map(|d| d["name"]["value"].as_str().unwrap()).collect();
    assert!(names.contains(&"BgpAvailability") && names.contains(&"QosDropBitsOutPerSecond"), "{names:?}");
}

#[tokio::test]
async fn maintenance_is_a_planned_status_in_the_history() {
    let (em, circuit, gateway, clock) = timed().await;
    let c = client();
    let url = em.url(&format!("{circuit}/providers/Microsoft.ResourceHealth/availabilityStatuses?api-version=2025-05-01"));
    let body = json(get(&c, &url).await).await;
    let states: Vec<(&str, &str)> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["properties"]["availabilityState"].as_str().unwrap(), s["properties"]["context"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("Available", "Not Applicable"), ("Unavailable", "Planned"), ("Available", "Not Applicable")], "newest first");
    assert_eq!(body["value"][1]["properties"]["occuredTime"], unix_rfc3339(T0 - 30 * 60));
    // Before the maintenance started, the history does not know it yet.
    clock.set(T0 - 40 * 60);
    let earlier = json(get(&c, &url).await).await;
    assert_eq!(earlier["value"].as_array().unwrap().len(), 1);
    let gw = json(get(&c, &em.url(&format!("{gateway}/providers/Microsoft.ResourceHealth/availabilityStatuses?api-version=2025-05-01"))).await).await;
    assert_eq!(gw["value"].as_array().unwrap().len(), 1, "the circuit's maintenance is not the gateway's: {gw}");
}

fn corpus() -> Option<PathBuf> {
    common::corpus("azure-monitor-metrics", "Azure Monitor")
}

/// Checks `v` against a swagger schema: `$ref`s into `defs`, `type`,
/// `enum`, `required`, no property the schema does not have, array items.
fn validate(v: &Value, schema: &Value, defs: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/definitions/").unwrap_or_else(|| panic!("{at}: unexpected $ref {r}"));
        return validate(v, &defs[name], defs, at);
    }
    let ok = match schema["type"].as_str() {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("number") => v.is_number(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    };
    assert!(ok, "{at}: {v} is not of type {}", schema["type"]);
    if let Some(allowed) = schema["enum"].as_array() {
        assert!(allowed.contains(v), "{at}: {v} is not one of {allowed:?}");
    }
    if let Some(obj) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            assert!(obj.contains_key(r.as_str().unwrap()), "{at}: {r} is required");
        }
        if let Some(props) = schema["properties"].as_object() {
            for (k, x) in obj {
                let p = props.get(k).unwrap_or_else(|| panic!("{at}.{k}: not a property of the schema"));
                validate(x, p, defs, &format!("{at}.{k}"));
            }
        }
    }
    if let Some(items) = v.as_array() {
        for (i, x) in items.iter().enumerate() {
            validate(x, &schema["items"], defs, &format!("{at}[{i}]"));
        }
    }
}

#[tokio::test]
async fn metric_answers_hold_to_the_specification() {
    let Some(dir) = corpus() else { return };
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("metrics_API.json")).unwrap()).unwrap();
    let response = &spec["definitions"]["Response"];
    let op = &spec["paths"]["/{resourceUri}/providers/Microsoft.Insights/metrics"]["get"];
    assert_eq!(spec["info"]["version"], "2024-02-01");
    // `Metric` and the types under it are in the common types, which the corpus
    // does not hold; the data-plane specification of the same api-version defines them.
    let plane: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("data-plane/metricBatch.json")).unwrap()).unwrap();
    let defs = &plane["definitions"];
    let mut response = response.clone();
    response["properties"]["value"]["items"] = serde_json::json!({"$ref": "#/definitions/Metric"});
    // Every query parameter the collector sends is one the operation declares
    // (a local parameter by its `name`, a common one by its reference's name).
    let declared: Vec<String> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let r = p["$ref"].as_str().unwrap_or_default();
            match r.strip_prefix("#/parameters/") {
                Some(local) => spec["parameters"][local]["name"].as_str().unwrap().to_string(),
                None => r.rsplit('/').next().unwrap().trim_end_matches("Parameter").to_string(),
            }
        })
        .map(|n| n.to_ascii_lowercase())
        .collect();
    for p in ["metricnames", "timespan", "interval", "aggregations", "$filter", "metricnamespace"] {
        assert!(declared.iter().any(|d| d == p), "{p} not declared: {declared:?}");
    }

    let (em, circuit, gateway, _) = timed().await;
    let c = client();
    for (resource, names, filter) in [
        (&circuit, "ArpAvailability,BgpAvailability", Some("PeeringType eq '*' and Peer eq '*'")),
        (&circuit, "BitsInPerSecond,BitsOutPerSecond", Some("PeeringType eq '*' and DeviceRole eq '*'")),
        (&circuit, "QosDropBitsInPerSecond,QosDropBitsOutPerSecond", None),
        (&gateway, "ExpressRouteGatewayCpuUtilization,ExpressRouteGatewayPacketsPerSecond", Some("roleInstance eq '*'")),
        (&gateway, "ExpressRouteGatewayFrequencyOfRoutesChanged", None),
    ] {
        let got = json(get(&c, &metrics_url(&em, resource, names, filter)).await).await;
        validate(&got, &response, defs, names);
        assert!(got["value"].as_array().unwrap().iter().all(|m| m["timeseries"].as_array().is_some_and(|t| !t.is_empty())), "{names}: {got}");
    }
}

/// `metrics:getBatch` answers from the same generator as the per-resource
/// GET: for each resource, the same metrics and points over the same window;
/// a batch of another subscription's resource, of more than 50, or another
/// method is refused.
#[tokio::test]
async fn the_batch_answer_equals_the_per_resource_answers() {
    let (em, circuit, gateway, _) = timed().await;
    let c = client();
    let sub = circuit.split('/').nth(2).unwrap().to_string();
    let names = "BgpAvailability,ArpAvailability";
    let filter = "PeeringType eq '*' and Peer eq '*'";
    let mut url = url::Url::parse(&em.url(&format!("/subscriptions/{sub}/metrics:getBatch"))).unwrap();
    url.query_pairs_mut()
        .append_pair("api-version", "2024-02-01")
        .append_pair("metricnamespace", "Microsoft.Network/expressRouteCircuits")
        .append_pair("metricnames", names)
        .append_pair("starttime", &unix_rfc3339(T0 - 3600))
        .append_pair("endtime", &unix_rfc3339(T0))
        .append_pair("interval", "PT1M")
        .append_pair("filter", filter);
    let batch = |ids: Value| {
        let (c, url) = (c.clone(), url.clone());
        async move { c.post(url).header("authorization", BEARER).json(&serde_json::json!({ "resourceids": ids })).send().await.unwrap() }
    };
    let r = batch(serde_json::json!([circuit])).await;
    assert_eq!(r.status(), 200);
    let body = json(r).await;
    let values = body["values"].as_array().unwrap();
    assert_eq!(values.len(), 1, "{body}");
    let item = &values[0];
    assert_eq!(item["resourceid"], circuit.as_str());
    assert_eq!(item["starttime"], unix_rfc3339(T0 - 3600));
    assert_eq!(item["endtime"], unix_rfc3339(T0));
    let single = json(get(&c, &metrics_url(&em, &circuit, names, Some(filter))).await).await;
    assert_eq!(item["value"], single["value"], "the batch's metrics are the per-resource GET's");
    assert_eq!(item["interval"], single["interval"]);
    assert_eq!(item["namespace"], single["namespace"]);
    assert!(!series(item, "BgpAvailability", "peer", "Primary-IPv4").is_empty());
    let parsed: erdiag_model::MetricsBatch = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(parsed.resource(&circuit.to_ascii_uppercase()).unwrap().value.len(), 2);

    // A resource the emulator cannot read is left out, the others answered.
    let missing = format!("/subscriptions/{sub}/resourceGroups/none/providers/Microsoft.Network/expressRouteCircuits/none");
    let body = json(batch(serde_json::json!([missing, circuit])).await).await;
    assert_eq!(body["values"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["values"][0]["resourceid"], circuit.as_str());

    assert_eq!(batch(serde_json::json!([gateway.replace(&sub, "00000000-0000-0000-0000-00000000ffff")])).await.status(), 400);
    assert_eq!(batch(serde_json::json!(vec![circuit.clone(); 51])).await.status(), 400);
    assert_eq!(batch(serde_json::json!([])).await.status(), 400);
    assert_eq!(get(&c, url.as_str()).await.status(), 405);
}
