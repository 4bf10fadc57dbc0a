//! Azure Monitor metrics as the snapshot carries them: the `Metrics_List`
//! response of api-version 2024-02-01 (`{R}/providers/Microsoft.Insights/metrics`)
//! of the circuit, its gateways and its ExpressRoute Direct port.
//!
//! A body is typed once, here: every series is a metric, its dimensions
//! (`metadatavalues`) and its points, each point with an `Option<f64>` per
//! aggregation. A point that carries no value is a gap in the metric, never a
//! zero. A metric that Azure Monitor could not serve keeps its `errorCode`
//! and `errorMessage`. Timestamps are parsed when the body is read, so a bad
//! one names its JSON path like any other wrong shape.

use crate::time::{parse_rfc3339, parse_span, Unix};
use serde::{Deserialize, Deserializer};

/// A `Metrics_List` response: the window, the grain, and one entry per metric
/// (several calls for one resource are merged into one `value`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// `2026-01-15T08:00:00Z/2026-01-15T09:00:00Z`.
    pub timespan: Option<String>,
    /// The grain of the points, ISO 8601 (`PT1M`).
    pub interval: Option<String>,
    pub namespace: Option<String>,
    pub resourceregion: Option<String>,
    #[serde(default)]
    pub value: Vec<Metric>,
}

/// The data-plane batch API of Azure Monitor (`metrics:getBatch`, api-version
/// 2024-02-01, `MetricResultsResponse`): one entry per resource asked for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MetricsBatch {
    #[serde(default)]
    pub values: Vec<MetricsBatchItem>,
}

/// The metrics of one resource in a batch answer
/// (`MetricResultsResponseValuesItem`): its `value` is the same array of
/// metrics as a `Metrics_List` body's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MetricsBatchItem {
    pub resourceid: Option<String>,
    pub starttime: String,
    pub endtime: String,
    pub interval: Option<String>,
    pub namespace: Option<String>,
    pub resourceregion: Option<String>,
    #[serde(default)]
    pub value: Vec<Metric>,
}

impl MetricsBatch {
    /// The entry of this resource (its id matched in any case), if the answer has it.
    pub fn resource(&self, id: &str) -> Option<&MetricsBatchItem> {
        self.values.iter().find(|v| v.resourceid.as_deref().is_some_and(|r| r.trim_end_matches('/').eq_ignore_ascii_case(id.trim_end_matches('/'))))
    }
}

/// One metric with its series (one per combination of dimension values).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    #[serde(default)]
    pub name: MetricName,
    pub unit: Option<String>,
    #[serde(default)]
    pub timeseries: Vec<TimeSeries>,
    /// `Success`, or why Azure Monitor served no data for this metric.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricName {
    #[serde(default)]
    pub value: String,
    pub localized_value: Option<String>,
}

/// One series: the dimension values it is split by, and its points.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TimeSeries {
    #[serde(default)]
    pub metadatavalues: Vec<Dimension>,
    #[serde(default)]
    pub data: Vec<Point>,
}

/// A dimension value of a series (`{"name": {"value": "Peer"}, "value": "Primary-IPv4"}`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Dimension {
    #[serde(default)]
    pub name: MetricName,
    #[serde(default)]
    pub value: Option<String>,
}

/// One point of a series: the minute it starts, and each aggregation Azure
/// Monitor computed (absent ones are `None`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    #[serde(deserialize_with = "instant")]
    pub time_stamp: Unix,
    pub average: Option<f64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub total: Option<f64>,
    pub count: Option<f64>,
}

/// The aggregation a check reads of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    Average,
    Minimum,
    Maximum,
    Total,
    Count,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Average => "Average",
            Aggregation::Minimum => "Minimum",
            Aggregation::Maximum => "Maximum",
            Aggregation::Total => "Total",
            Aggregation::Count => "Count",
        }
    }
}

fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<Unix, D::Error> {
    let text = String::deserialize(d)?;
    parse_rfc3339(&text).map_err(serde::de::Error::custom)
}

impl Point {
    /// The value of one aggregation; `None` is a gap.
    pub fn get(&self, a: Aggregation) -> Option<f64> {
        match a {
            Aggregation::Average => self.average,
            Aggregation::Minimum => self.minimum,
            Aggregation::Maximum => self.maximum,
            Aggregation::Total => self.total,
            Aggregation::Count => self.count,
        }
    }
}

impl Metric {
    pub fn name(&self) -> &str {
        &self.name.value
    }
    /// Why the metric has no data, when Azure Monitor said so (an
    /// `errorCode` other than `Success`).
    pub fn error(&self) -> Option<String> {
        let code = self.error_code.as_deref().unwrap_or("");
        if code.eq_ignore_ascii_case("Success") {
            return None;
        }
        match (code, self.error_message.as_deref().unwrap_or("")) {
            ("", "") => None,
            (c, "") => Some(c.to_string()),
            ("", m) => Some(m.to_string()),
            (c, m) => Some(format!("{c}: {m}")),
        }
    }
}

impl TimeSeries {
    /// The value of a dimension of this series, its name matched in any case.
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.metadatavalues.iter().find(|d| d.name.value.eq_ignore_ascii_case(name)).and_then(|d| d.value.as_deref())
    }
    /// `Peer=Primary-IPv4, PeeringType=Private`, for evidence.
    pub fn label(&self) -> String {
        let parts: Vec<String> = self.metadatavalues.iter().map(|d| format!("{}={}", d.name.value, d.value.as_deref().unwrap_or("?"))).collect();
        if parts.is_empty() {
            String::from("(no dimension)")
        } else {
            parts.join(", ")
        }
    }
}

impl Metrics {
    /// The metric of this name (case-insensitive), if the response has it.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.value.iter().find(|m| m.name().eq_ignore_ascii_case(name))
    }
    /// The start and end of the window (`timespan`), when readable.
    pub fn window(&self) -> Option<(Unix, Unix)> {
        let (a, b) = self.timespan.as_deref()?.split_once('/')?;
        Some((parse_rfc3339(a).ok()?, parse_rfc3339(b).ok()?))
    }
    /// The grain of the points in seconds (`PT1M` → 60), when readable.
    pub fn interval_secs(&self) -> Option<i64> {
        parse_span(self.interval.as_deref()?).ok().filter(|s| *s > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caseless::Caseless;

    fn read(body: &str) -> Result<Metrics, String> {
        serde_path_to_error::deserialize(Caseless(&mut serde_json::Deserializer::from_str(body))).map_err(|e| {
            let path = e.path().to_string();
            format!("{path}: {}", e.into_inner())
        })
    }

    #[test]
    fn reads_the_metrics_list_response_with_gaps_and_errors() {
        let m = read(
            r#"{"cost":0,"timespan":"2026-01-15T08:00:00Z/2026-01-15T09:00:00Z","interval":"PT1M","namespace":"Microsoft.Network/expressRouteCircuits","resourceregion":"westeurope",
            "value":[{"name":{"value":"BgpAvailability","localizedValue":"BGP Availability"},"unit":"Percent","timeseries":[
              {"metadatavalues":[{"name":{"value":"peer"},"value":"Primary-IPv4"},{"name":{"value":"PeeringType"},"value":"Private"}],
               "data":[{"timeStamp":"2026-01-15T08:00:00Z","average":100},{"timeStamp":"2026-01-15T08:01:00Z"}]}],"errorCode":"Success"},
             {"name":{"value":"QosDropBitsInPerSecond"},"timeseries":[],"errorCode":"InvalidSamplingType","errorMessage":"Sampling type is not found."}]}"#,
        )
        .unwrap();
        assert_eq!(m.window(), Some((1_768_464_000, 1_768_467_600)));
        assert_eq!(m.interval_secs(), Some(60));
        let bgp = m.metric("bgpavailability").unwrap();
        assert_eq!(bgp.error(), None, "Success is not an error");
        let s = &bgp.timeseries[0];
        assert_eq!(s.dimension("Peer"), Some("Primary-IPv4"));
        assert_eq!(s.data[0].get(Aggregation::Average), Some(100.0));
        assert_eq!(s.data[1].get(Aggregation::Average), None, "a point without a value is a gap");
        assert_eq!(m.metric("QosDropBitsInPerSecond").unwrap().error().as_deref(), Some("InvalidSamplingType: Sampling type is not found."));
    }

    #[test]
    fn a_bad_timestamp_names_its_path() {
        let e = read(r#"{"value":[{"name":{"value":"x"},"timeseries":[{"data":[{"timeStamp":"yesterday"}]}]}]}"#).unwrap_err();
        assert!(e.starts_with("value[0].timeseries[0].data[0].timeStamp"), "{e}");
    }
}
