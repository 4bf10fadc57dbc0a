//! Edits of a scenario's Azure Monitor window, as the fixtures of the metric
//! checks need them: `healthy-private` carries 15 one-minute points
//! (09:45 to 09:59, `collectedAt` 10:00) of every metric erdiag reads.
#![allow(dead_code)]

use serde_json::{json, Value};

/// The circuit's or a gateway's metrics body (`gateway`: a gateway's).
pub fn body(v: &mut Value, gateway: bool) -> &mut Value {
    let key = v["resources"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.ends_with("/providers/Microsoft.Insights/metrics") && k.contains("/virtualNetworkGateways/") == gateway)
        .cloned()
        .expect("the scenario has metrics");
    &mut v["resources"][key]
}

/// The series of a metric whose dimension values include every one of `dims`.
pub fn series<'a>(v: &'a mut Value, metric: &str, dims: &[&str]) -> Vec<&'a mut Value> {
    let gateway = metric.starts_with("ExpressRouteGateway");
    let m = body(v, gateway)["value"].as_array_mut().unwrap().iter_mut().find(|m| m["name"]["value"] == metric).unwrap_or_else(|| panic!("no {metric}"));
    m["timeseries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter(|s| dims.iter().all(|d| s["metadatavalues"].as_array().unwrap().iter().any(|x| x["value"] == *d)))
        .collect()
}

/// Sets minutes `from..to` (0 = 09:45) of the matching series to `value`
/// (`None`: a gap, the point without a value).
pub fn set(v: &mut Value, metric: &str, dims: &[&str], minutes: std::ops::Range<usize>, value: Option<f64>) {
    for s in series(v, metric, dims) {
        for i in minutes.clone() {
            let p = s["data"][i].as_object_mut().unwrap();
            let agg = if metric.ends_with("FrequencyOfRoutesChanged") { "total" } else { "average" };
            p.retain(|k, _| k == "timeStamp");
            if let Some(x) = value {
                p.insert(agg.into(), json!(x));
            }
        }
    }
}

/// `09:45` plus `minute` minutes, RFC 3339.
pub fn at(minute: usize) -> String {
    format!("2026-11-21T09:{:02}:30Z", 45 + minute)
}

/// Adds one of erdiag's own polls to `inputs.observed`.
pub fn observe(v: &mut Value, minute: usize, kind: &str, path: &str, state: &str) {
    let o = v["inputs"].as_object_mut().unwrap().entry("observed").or_insert_with(|| json!({"store": "history.db", "from": "2026-11-21T09:45:00Z", "to": "2026-11-21T10:00:00Z", "polls": []}));
    let entry = json!({"peering": "AzurePrivatePeering", "path": path, "state": state});
    let poll = json!({"at": at(minute), "bgp": if kind == "bgp" { vec![entry.clone()] } else { vec![] }, "arp": if kind == "arp" { vec![entry] } else { vec![] }});
    o["polls"].as_array_mut().unwrap().push(poll);
}

/// Adds a poll at `minute` that saw the BGP session of `path` up since `since` (RFC 3339).
pub fn observe_up_since(v: &mut Value, minute: usize, path: &str, since: &str) {
    observe(v, minute, "bgp", path, "up");
    let polls = v["inputs"]["observed"]["polls"].as_array_mut().unwrap();
    polls.last_mut().unwrap()["bgp"][0]["upSince"] = json!(since);
}

/// Puts a Planned Unavailable status from `from` to `to` (minutes) into the
/// circuit's Resource Health history (newest first).
pub fn maintenance(v: &mut Value, from: usize, to: usize) {
    let key = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/providers/Microsoft.ResourceHealth/availabilityStatuses") && k.contains("/expressRouteCircuits/")).cloned().unwrap();
    let status = |state: &str, context: &str, minute: usize, summary: &str| {
        json!({"properties": {"availabilityState": state, "context": context, "reasonType": if context == "Planned" { "Planned" } else { "" },
               "summary": summary, "occuredTime": format!("2026-11-21T09:{:02}:00Z", 45 + minute)}})
    };
    let list = v["resources"][&key]["value"].as_array_mut().unwrap();
    list.insert(0, status("Unavailable", "Planned", from, "A planned maintenance on the Microsoft edge router affects this path."));
    list.insert(0, status("Available", "", to, "There aren't any known Azure platform problems affecting this resource."));
}

/// Copies the Azure Monitor window and Resource Health history of `from`
/// (a scenario of the same circuit and gateway) into `to`.
pub fn copy_window(from: &Value, to: &mut Value) {
    for (k, body) in from["resources"].as_object().unwrap() {
        if k.ends_with("/providers/Microsoft.Insights/metrics") || k.ends_with("/providers/Microsoft.ResourceHealth/availabilityStatuses") {
            to["resources"][k] = body.clone();
        }
    }
}
