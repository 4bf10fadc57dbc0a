//! The Prometheus alerting rules shipped for `erdiag watch`
//! (`deploy/prometheus/erdiag-rules.yml`): promtool accepts them and passes
//! their unit tests (`erdiag-rules.test.yml`); every alert carries what an
//! on-call engineer needs; their thresholds, windows and severities agree
//! with the Azure Monitor Baseline Alerts for ExpressRoute (read from
//! `$ERDIAG_CORPUS/amba-expressroute`) and with erdiag's own checks, so that
//! a drift on either side fails; and docs/watch.md's table lists them as
//! they are.
//!
//! promtool is found on the PATH (Debian's `prometheus` package ships it).
//! Without it the promtool test is skipped with a notice, except under CI,
//! where it fails.

use erdiag_checks::fleet::prefix_limit_headroom::MIN_HEADROOM_PCT;
use erdiag_checks::monitor;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// `name` on the PATH; `None` after a notice outside CI, a failure under CI.
fn tool(name: &str, skipping: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() {
        assert!(!under_ci(), "CI is set but {name} is not on the PATH (apt-get install prometheus)");
        let _ = writeln!(std::io::stderr(), "NOTICE: {name} is not on the PATH: skipping {skipping}");
    }
    found
}

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/prometheus")
}

/// One alerting rule of the file, as written.
#[derive(Debug)]
struct Rule {
    alert: String,
    expr: String,
    /// `for:` in seconds (0 when absent).
    hold: u64,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, String)>,
}

impl Rule {
    fn label(&self, key: &str) -> Option<&str> {
        self.labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The numbers the expression compares with `>`, in order.
    fn thresholds(&self) -> Vec<f64> {
        self.expr.split("> ").skip(1).filter_map(|rest| rest.split_whitespace().next()?.trim_end_matches(')').parse().ok()).collect()
    }
}

/// `10m`, `1h`, `90s`, or ISO 8601's `PT5M`, in seconds.
fn seconds(span: &str) -> u64 {
    let s = span.trim().trim_start_matches("PT").to_ascii_lowercase();
    let (n, unit) = s.split_at(s.len() - 1);
    let n: u64 = n.parse().unwrap_or_else(|_| panic!("`{span}` is not a duration"));
    n * match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => panic!("`{span}` is not a duration"),
    }
}

/// A line reader for the rules file's layout: `- alert:` at six spaces, its
/// keys at eight, labels and annotations at ten, a `|` expression's lines deeper.
fn rules(text: &str) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    let mut section = "";
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix("      - alert: ") {
            out.push(Rule { alert: name.trim().to_string(), expr: String::new(), hold: 0, labels: vec![], annotations: vec![] });
            section = "";
            continue;
        }
        let Some(rule) = out.last_mut() else { continue };
        let indent = line.len() - line.trim_start().len();
        let (key, value) = line.trim().split_once(':').map(|(k, v)| (k.trim(), v.trim())).unwrap_or((line.trim(), ""));
        match indent {
            8 => {
                section = key;
                match key {
                    "expr" if value != "|" => rule.expr = value.to_string(),
                    "for" => rule.hold = seconds(value),
                    _ => {}
                }
            }
            10 if section == "labels" => rule.labels.push((key.to_string(), value.trim_matches('"').to_string())),
            10 if section == "annotations" => rule.annotations.push((key.to_string(), value.trim_matches('"').to_string())),
            i if i >= 10 && section == "expr" => {
                rule.expr.push(' ');
                rule.expr.push_str(line.trim());
            }
            _ => {}
        }
    }
    out
}

fn shipped() -> Vec<Rule> {
    let path = deploy().join("erdiag-rules.yml");
    rules(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The rule named `alert` with `severity`.
fn rule<'a>(rules: &'a [Rule], alert: &str, severity: &str) -> &'a Rule {
    rules.iter().find(|r| r.alert == alert && r.label("severity") == Some(severity)).unwrap_or_else(|| panic!("no {alert} with severity {severity}"))
}

#[test]
fn the_line_reader_reads_a_rule_with_a_block_expression() {
    let r = rules("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          x > 0.8\n          unless y > 0.95\n        for: 10m\n        labels:\n          severity: warning\n        annotations:\n          summary: \"s: {{ $value }}\"\n      - alert: B\n        expr: z == 0\n");
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].expr.as_str(), r[0].hold, r[0].label("severity")), (" x > 0.8 unless y > 0.95", 600, Some("warning")));
    assert_eq!(r[0].thresholds(), vec![0.8, 0.95]);
    assert_eq!(r[0].annotations, vec![("summary".to_string(), "s: {{ $value }}".to_string())]);
    assert_eq!((r[1].expr.as_str(), r[1].hold), ("z == 0", 0));
}

#[test]
fn promtool_checks_the_rules_and_passes_their_unit_tests() {
    let Some(promtool) = tool("promtool", "the promtool check of deploy/prometheus") else { return };
    for args in [&["check", "rules", "erdiag-rules.yml"][..], &["test", "rules", "erdiag-rules.test.yml"]] {
        let out = Command::new(&promtool).args(args).current_dir(deploy()).output().expect("run promtool");
        assert!(
            out.status.success(),
            "promtool {}:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_alert_says_its_severity_owner_and_runbook_and_outlasts_one_poll() {
    let rules = shipped();
    let names: Vec<&str> = rules.iter().map(|r| r.alert.as_str()).collect();
    for want in [
        "ExpressRouteCircuitDown",
        "ExpressRouteCircuitDegraded",
        "ExpressRouteBgpSessionDown",
        "ExpressRouteArpUnresolved",
        "ExpressRouteRouteWithdrawalStorm",
        "ExpressRoutePrefixLimitHeadroom",
        "ExpressRouteUtilisationHigh",
        "ErdiagCheckUnknown",
        "ErdiagPollsFailing",
        "ErdiagStale",
        "ErdiagStoreBuffering",
        "ErdiagArmThrottled",
    ] {
        assert!(names.contains(&want), "no alert {want}");
    }
    for r in &rules {
        assert!(matches!(r.label("severity"), Some("critical" | "warning" | "info")), "{}: severity", r.alert);
        // The owner is a label, or comes from the finding joined in the expression.
        let owner = r.label("owner").is_some() || r.expr.contains("group_left (owner)");
        assert!(owner || r.alert.starts_with("ExpressRouteCircuit"), "{}: no owner", r.alert);
        for key in ["summary", "description", "runbook_url"] {
            assert!(r.annotations.iter().any(|(k, v)| k == key && !v.is_empty()), "{}: no {key}", r.alert);
        }
        // A gauge holds the latest poll: two polls at the default 5 minutes before it fires.
        let gauge = !r.expr.contains("increase(") && !r.expr.contains("time()");
        assert!(!gauge || r.hold > 300, "{}: for: {} s fires on a single poll", r.alert, r.hold);
    }
}

/// AMBA's severities 0–4 as the rules' labels.
fn severity(amba: &str) -> &'static str {
    match amba {
        "0" => "critical",
        "1" | "2" => "warning",
        _ => "info",
    }
}

#[test]
fn thresholds_agree_with_amba_and_with_the_checks() {
    let rules = shipped();
    // erdiag's own checks, whichever the corpus.
    let util = rule(&rules, "ExpressRouteUtilisationHigh", "warning");
    assert_eq!(util.thresholds(), vec![monitor::threshold("BitsInPerSecond").value / 100.0], "utilisation: ER604's threshold");
    let headroom = 1.0 - MIN_HEADROOM_PCT as f64 / 100.0;
    assert_eq!(rule(&rules, "ExpressRoutePrefixLimitHeadroom", "warning").thresholds()[0], headroom, "prefix limit: ER004's headroom");
    let storm = rule(&rules, "ExpressRouteRouteWithdrawalStorm", "warning");
    assert_eq!(storm.thresholds(), vec![monitor::threshold("ExpressRouteGatewayFrequencyOfRoutesChanged").value], "withdrawals: ER808's storm");

    let Some(dir) = erdiag_testsupport::corpus("amba-expressroute", "the AMBA conformance test of the Prometheus rules") else { return };
    let file = dir.join("services/Network/expressRouteCircuits/alerts.yaml");
    let amba = erdiag_testsupport::amba_alerts(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
    let props = |name: &str| &amba.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("{}: no alert {name}", file.display())).properties;
    // (our rule, its severity, AMBA's alert, our threshold in AMBA's unit where it has one)
    let cases: [(&Rule, &str, Option<f64>); 4] = [
        (rule(&rules, "ExpressRouteBgpSessionDown", "critical"), "BgpAvailability", None),
        (rule(&rules, "ExpressRouteArpUnresolved", "critical"), "ArpAvailability", None),
        // AMBA's bits per second are 80% of a 1 Gbps circuit; erdiag's ratio applies to each circuit's bandwidth.
        (util, "BitsInPerSecond", Some(util.thresholds()[0] * 1e9)),
        (util, "BitsOutPerSecond", Some(util.thresholds()[0] * 1e9)),
    ];
    for (r, name, threshold) in cases {
        let p = props(name);
        let what = format!("{} against AMBA's {name}", r.alert);
        assert_eq!(r.label("severity"), Some(severity(&p["severity"])), "{what}: severity");
        assert_eq!(p["timeAggregation"], "Average", "{what}: aggregation");
        // erdiag holds longer than AMBA's window, never shorter (the rules file says why).
        assert!(r.hold >= seconds(&p["windowSize"]), "{what}: for: {} s is shorter than AMBA's window {}", r.hold, p["windowSize"]);
        if let Some(t) = threshold {
            assert_eq!(p["operator"], "GreaterThan", "{what}: operator");
            assert_eq!(p["threshold"].parse::<f64>().ok(), Some(t), "{what}: threshold");
        }
    }
}

#[test]
fn the_docs_table_lists_every_alert_as_the_rules_say() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/watch-alerts.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for r in shipped() {
        let severity = r.label("severity").unwrap_or_default();
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", r.alert)) && l.contains(&format!("| {severity} |")))
            .unwrap_or_else(|| panic!("{}: no row for {} ({severity})", path.display(), r.alert));
        let hold = row.split('|').nth(3).map(str::trim).unwrap_or_default();
        let want = if r.hold == 0 { "—".to_string() } else { format!("{}m", r.hold / 60) };
        assert_eq!(hold, want, "{}: {} for:", path.display(), r.alert);
    }
}
