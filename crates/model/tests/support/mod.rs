//! What the corpus tests of this crate share.

use erdiag_model::metrics::Metric;
use serde_json::Value;

/// Every metric parsed from an Azure Monitor body is the one the raw body
/// holds: its name, its error (`errorCode` other than `Success`), every
/// series and every point, a point without a value kept as a gap.
pub fn assert_metrics_match(name: &str, parsed: &[Metric], raw: &[Value]) {
    assert_eq!(parsed.len(), raw.len(), "{name}");
    for (metric, rm) in parsed.iter().zip(raw) {
        assert_eq!(metric.name(), rm["name"]["value"].as_str().unwrap(), "{name}");
        let code = rm["errorCode"].as_str().filter(|c| *c != "Success");
        assert_eq!(metric.error().is_some(), code.is_some(), "{name}: {}", metric.name());
        let series = rm["timeseries"].as_array().map(Vec::as_slice).unwrap_or_default();
        assert_eq!(metric.timeseries.len(), series.len(), "{name}: {}", metric.name());
        for (s, rs) in metric.timeseries.iter().zip(series) {
            let points = rs["data"].as_array().map(Vec::as_slice).unwrap_or_default();
            assert_eq!(s.data.len(), points.len(), "{name}");
            for (p, rp) in s.data.iter().zip(points) {
                assert_eq!(p.average, rp["average"].as_f64(), "{name}: a point without a value stays a gap");
                assert_eq!(p.total, rp["total"].as_f64(), "{name}");
            }
        }
    }
}
