//! Conformance to the Azure Monitor Baseline Alerts for ExpressRoute: every
//! threshold erdiag takes from AMBA (`monitor::THRESHOLDS`) is the one its
//! `alerts.yaml` states (metric name, operator, threshold, window), and one
//! that differs says why. Reads `$ERDIAG_CORPUS/amba-expressroute`; without
//! it the test is skipped with a notice, except under `CI`, where it fails.

use erdiag_checks::monitor::{Operator, THRESHOLDS};
use std::collections::HashMap;

/// The `properties` of one alert of an `alerts.yaml`, as strings.
#[derive(Debug)]
struct Alert {
    name: String,
    properties: HashMap<String, String>,
}

/// A line reader for these files: each alert starts with `- name:` at the
/// left margin, and its `properties` are the `key: value` lines indented by
/// four spaces under `  properties:`.
fn alerts(text: &str) -> Vec<Alert> {
    let mut out: Vec<Alert> = Vec::new();
    let mut in_properties = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("- name: ") {
            out.push(Alert { name: unquote(name), properties: HashMap::new() });
            in_properties = false;
        } else if line.starts_with("  ") && !line.starts_with("   ") {
            in_properties = line.trim_end() == "  properties:";
        } else if in_properties && line.starts_with("    ") && !line.starts_with("     ") {
            if let (Some(alert), Some((k, v))) = (out.last_mut(), line.trim().split_once(':')) {
                alert.properties.insert(k.trim().to_string(), unquote(v));
            }
        }
    }
    out
}

fn unquote(v: &str) -> String {
    v.trim().trim_matches('"').trim_matches('\'').to_string()
}

#[test]
fn the_line_reader_reads_an_alert_and_its_properties_only() {
    let a = alerts("- name: BgpAvailability\n  description: x\n  properties:\n    metricName: BgpAvailability\n    threshold: 90\n    failingPeriods:\n      numberOfEvaluationPeriods: 4\n  references:\n  - name: Monitor\n    url: https://x\n- name: \"Other\"\n  properties:\n    operator: GreaterThan\n");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].properties.get("threshold").map(String::as_str), Some("90"));
    assert!(!a[0].properties.contains_key("numberOfEvaluationPeriods") && !a[0].properties.contains_key("url"));
    assert_eq!((a[1].name.as_str(), a[1].properties["operator"].as_str()), ("Other", "GreaterThan"));
}

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
