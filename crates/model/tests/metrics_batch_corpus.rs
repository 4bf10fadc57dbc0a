//! Conformance: every `metrics:getBatch` example of Azure Monitor's data-plane
//! specification (api-version 2024-02-01, `$ERDIAG_CORPUS/azure-monitor-metrics/data-plane`)
//! parses into [`MetricsBatch`], each resource's metrics as the body has them,
//! and the names erdiag sends (path, query parameters, body) are the spec's.
//! Without `ERDIAG_CORPUS` the test is skipped with a notice — except under
//! CI, where a missing corpus is a failure.

mod support;

use erdiag_model::*;
use serde_json::Value;

fn read(path: &std::path::Path) -> Value {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_metrics_batch_example_parses() {
    let Some(dir) = erdiag_testsupport::corpus("azure-monitor-metrics", "the metrics:getBatch conformance test") else { return };
    let examples = dir.join("data-plane/examples");
    let mut names: Vec<_> = std::fs::read_dir(&examples).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    names.sort();
    let mut checked = 0;
    for path in &names {
        let v = read(path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let body = &v["responses"]["200"]["body"];
        let batch: MetricsBatch = serde_path_to_error::deserialize(body).unwrap_or_else(|e| panic!("{name}: {}: {}", e.path(), e.inner()));
        let raw = body["values"].as_array().unwrap();
        assert!(!raw.is_empty(), "{name}");
        assert_eq!(batch.values.len(), raw.len(), "{name}");
        let asked: Vec<&str> = v["parameters"]["batchRequest"]["resourceids"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        for id in &asked {
            let item = batch.resource(id).unwrap_or_else(|| panic!("{name}: {id} missing from the answer"));
            assert!(!item.value.is_empty(), "{name}: {id}");
            // The per-resource GET's metric shape: the same type reads both.
            let per_resource: Metrics = serde_json::from_value(serde_json::json!({"value": body["values"].as_array().unwrap().iter().find(|r| r["resourceid"] == *id).unwrap()["value"]})).unwrap();
            assert_eq!(per_resource.value.len(), item.value.len(), "{name}");
        }
        for (item, raw) in batch.values.iter().zip(raw) {
            assert_eq!(item.starttime, raw["starttime"].as_str().unwrap(), "{name}");
            assert_eq!(item.interval.as_deref(), raw["interval"].as_str(), "{name}");
            support::assert_metrics_match(&name, &item.value, raw["value"].as_array().unwrap());
        }
        checked += 1;
    }
    assert!(checked >= 2, "the corpus holds two getBatch examples, found {checked}");
}

/// The operation erdiag calls is the spec's: its path, its api-version and
/// the names of the query parameters and of the body's one field.
#[test]
fn the_batch_request_names_are_the_specs() {
    let Some(dir) = erdiag_testsupport::corpus("azure-monitor-metrics", "the metrics:getBatch conformance test") else { return };
    let spec = read(&dir.join("data-plane/metricBatch.json"));
    assert_eq!(spec["info"]["version"], "2024-02-01");
    let op = &spec["paths"]["/subscriptions/{subscriptionId}/metrics:getBatch"]["post"];
    assert_eq!(op["operationId"], "Batch");
    let params: Vec<&str> = op["parameters"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    for q in ["starttime", "endtime", "interval", "metricnamespace", "metricnames", "aggregation", "filter"] {
        assert!(params.contains(&q), "{q} is not a query parameter of the spec: {params:?}");
    }
    assert_eq!(spec["parameters"]["Azure.Core.Foundations.ApiVersionParameter"]["name"], "api-version");
    assert!(spec["definitions"]["ResourceIdList"]["properties"]["resourceids"].is_object());
    for f in ["resourceid", "starttime", "endtime", "interval", "namespace", "resourceregion", "value"] {
        assert!(spec["definitions"]["MetricResultsResponseValuesItem"]["properties"][f].is_object(), "{f}");
    }
}
