//! Conformance to the Azure Monitor Baseline Alerts for ExpressRoute: every
//! threshold erdiag takes from AMBA (`monitor::THRESHOLDS`) is the one its
//! `alerts.yaml` states (metric name, operator, threshold, window), and one
//! that differs says why. Reads `$ERDIAG_CORPUS/amba-expressroute`; without
//! it the test is skipped with a notice, except under `CI`, where it fails.

use erdiag_checks::monitor::{Operator, THRESHOLDS};
use erdiag_testsupport::amba_alerts as alerts;

#[test]
fn every_threshold_taken_from_amba_is_amba_s() {
    let Some(dir) = erdiag_testsupport::corpus("amba-expressroute", "the AMBA conformance test") else { return };
    let dir = dir.join("services/Network");
    let mut checked = 0;
    for t in THRESHOLDS {
        let Some(amba) = t.amba else {
            assert!(t.differs.is_some_and(|r| !r.is_empty()), "{} {}: no AMBA source and no reason", t.check, t.metric);
            continue;
        };
        let file = dir.join(amba.file);
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let alerts = alerts(&text);
        let alert = alerts.iter().find(|a| a.name == amba.alert).unwrap_or_else(|| panic!("{}: no alert named {}", file.display(), amba.alert));
        let p = &alert.properties;
        let what = format!("{} {} ({}, alert {})", t.check, t.metric, amba.file, amba.alert);
        assert_eq!(p.get("metricName").map(String::as_str), Some(amba.metric), "{what}: metricName");
        assert_eq!(amba.metric, t.metric, "{what}: erdiag reads another metric than the alert's");
        assert_eq!(p.get("operator").map(String::as_str), Some(amba.operator.as_str()), "{what}: operator");
        assert_eq!(p.get("windowSize").map(String::as_str), Some(amba.window), "{what}: windowSize");
        assert_eq!(p.get("timeAggregation").map(String::as_str), Some(t.aggregation.as_str()), "{what}: timeAggregation");
        match amba.threshold {
            Some(v) => {
                let yaml: f64 = p.get("threshold").unwrap_or_else(|| panic!("{what}: no static threshold")).parse().unwrap();
                assert_eq!(yaml, v, "{what}: threshold");
            }
            None => assert_eq!(p.get("criterionType").map(String::as_str), Some("DynamicThresholdCriterion"), "{what}: not a dynamic threshold"),
        }
        let same = amba.threshold == Some(t.value) && amba.operator == t.operator && !t.percent_of_bandwidth;
        assert!(same || t.differs.is_some(), "{what}: erdiag's {} {} is not AMBA's and says no reason", t.operator.as_str(), t.value);
        assert!(!matches!(t.operator, Operator::LessThan) || amba.operator == Operator::LessThan, "{what}: operator reversed");
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} thresholds compared");
}
