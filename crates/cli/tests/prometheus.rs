//! The Prometheus alerting rules shipped for `erdiag watch`
//! (`deploy/prometheus/erdiag-rules.yml`): promtool accepts them and passes
//! their unit tests (`erdiag-rules.test.yml`); every alert carries what an
//! on-call engineer needs; their thresholds, windows and severities agree
//! with the Azure Monitor Baseline Alerts for ExpressRoute (read from
//! `$ERDIAG_CORPUS/amba-expressroute`) and with erdiag's own checks, so that
//! a drift on either side fails; and docs/watch.md's table lists them as
//! they are. Then a real Prometheus server scrapes `erdiag watch` serving
//! the secondary-path-down scenario, evaluates the rules (every `for:` and
//! range scaled from the default 5-minute poll to the test's 2 seconds), and
//! its HTTP API shows the target up, the BGP gauges of both paths and
//! ExpressRouteBgpSessionDown firing for the secondary path only.
//!
//! promtool and prometheus are found on the PATH (Debian's `prometheus`
//! package ships both). Without them those tests are skipped with a notice,
//! except under CI, where they fail.

use erdiag_checks::fleet::prefix_limit_headroom::MIN_HEADROOM_PCT;
use erdiag_checks::monitor;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
        "ExpressRouteBgpFlapping",
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
        let owner = r.label("owner").is_some() || r.expr.contains("group_left (owner)") || r.expr.contains(", owner) (erdiag_finding");
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

/// The rules with every `for:`, every `[range]` and ErdiagStale's 900 s
/// multiplied by `factor`, in whole seconds (at least 1): the file is written
/// for a poll every 5 minutes, a test polls every few seconds.
fn scaled(text: &str, factor: f64) -> String {
    let scale = |span: &str| format!("{}s", ((seconds(span) as f64 * factor).round() as u64).max(1));
    let mut out = String::new();
    for line in text.lines() {
        let line = line.replace("> 900", &format!("> {}", (900.0 * factor).round().max(1.0)));
        let line = match line.split_once("for: ") {
            Some((head, span)) if !head.trim_start().starts_with('#') => format!("{head}for: {}", scale(span)),
            _ => line,
        };
        // `[15m]` ranges; a comment's brackets are left alone.
        let mut rest = line.as_str();
        while let (false, Some(open)) = (line.trim_start().starts_with('#'), rest.find('[')) {
            let Some(close) = rest[open..].find(']').map(|c| open + c) else { break };
            out.push_str(&rest[..=open]);
            out.push_str(&scale(&rest[open + 1..close]));
            out.push(']');
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out.push('\n');
    }
    out
}

#[test]
fn scaling_the_rules_scales_holds_ranges_and_the_staleness() {
    let text = "        expr: increase(x[15m]) > 100\n        for: 10m\n        expr: time() - y > 900\n      # [5m] stays\n";
    assert_eq!(scaled(text, 2.0 / 300.0), "        expr: increase(x[6s]) > 100\n        for: 4s\n        expr: time() - y > 6\n      # [5m] stays\n");
}

/// A port free now on loopback (Prometheus needs a fixed one).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `GET http://127.0.0.1:port/path` over HTTP/1.0: the status and the body,
/// or `None` when nothing answers yet.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()))
}

/// Prometheus's API answer to `path`: its `data`.
fn api(port: u16, path: &str) -> Option<serde_json::Value> {
    let (status, body) = get(port, path)?;
    let v: serde_json::Value = serde_json::from_str(&body).ok()?;
    (status == 200 && v["status"] == "success").then(|| v["data"].clone())
}

/// Waits up to `limit` for `what` to give `Some`.
fn wait_for<T>(limit: Duration, mut what: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + limit;
    loop {
        if let Some(v) = what() {
            return Some(v);
        }
        if Instant::now() > end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A child stopped with SIGTERM (as systemd stops a service) when dropped.
struct Stopped(Child);

impl Stopped {
    /// SIGTERM, then its exit status within 30 s (SIGKILL after).
    fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let end = Instant::now() + Duration::from_secs(30);
        while Instant::now() < end {
            if let Ok(Some(status)) = self.0.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
        None
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            self.stop();
        }
    }
}

#[test]
fn a_real_prometheus_scrapes_erdiag_watch_and_fires_the_bgp_alert_on_the_failing_path() {
    let Some(prometheus) = tool("prometheus", "the Prometheus server test of erdiag watch") else { return };
    let dir = std::env::temp_dir().join(format!("erdiag-prometheus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (watch_port, prom_port) = (free_port(), free_port());
    let watch_log = std::fs::File::create(dir.join("watch.log")).unwrap();
    let mut watch = Stopped(
        Command::new(env!("CARGO_BIN_EXE_erdiag"))
            .args(["watch", "--scenario", "secondary-path-down", "--every", "2s", "--no-jitter", "--listen", &format!("127.0.0.1:{watch_port}")])
            .stdout(Stdio::null())
            .stderr(watch_log)
            .spawn()
            .expect("start erdiag watch"),
    );
    let rules = std::fs::read_to_string(deploy().join("erdiag-rules.yml")).unwrap();
    std::fs::write(dir.join("rules.yml"), scaled(&rules, 2.0 / 300.0)).unwrap();
    std::fs::write(
        dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\nscrape_configs:\n  - job_name: erdiag\n    static_configs:\n      - targets: ['127.0.0.1:{watch_port}']\n"
        ),
    )
    .unwrap();
    let prom_log = std::fs::File::create(dir.join("prometheus.log")).unwrap();
    let mut prom = Stopped(
        Command::new(&prometheus)
            .arg(format!("--config.file={}", dir.join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
            .stdout(Stdio::null())
            .stderr(prom_log)
            .spawn()
            .expect("start prometheus"),
    );
    let logs = || {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
        format!("--- erdiag watch:\n{}\n--- prometheus (last lines):\n{}", read("watch.log"), read("prometheus.log").lines().rev().take(15).collect::<Vec<_>>().join("\n"))
    };

    let up = wait_for(Duration::from_secs(90), || {
        let targets = api(prom_port, "/api/v1/targets")?;
        targets["activeTargets"].as_array()?.iter().any(|t| t["health"] == "up").then_some(())
    });
    assert!(up.is_some(), "the erdiag target never came up\n{}", logs());

    // Both paths' sessions, as the scenario has them: the primary up, the secondary down.
    let sessions = wait_for(Duration::from_secs(60), || {
        let data = api(prom_port, "/api/v1/query?query=erdiag_bgp_session_up%7Bpeering%3D%22AzurePrivatePeering%22%7D")?;
        let rows: Vec<(String, String)> = data["result"]
            .as_array()?
            .iter()
            .map(|r| (r["metric"]["path"].as_str().unwrap_or_default().to_string(), r["value"][1].as_str().unwrap_or_default().to_string()))
            .collect();
        (rows.len() == 2).then_some(rows)
    });
    let mut sessions = sessions.unwrap_or_else(|| panic!("no BGP gauges for both paths\n{}", logs()));
    sessions.sort();
    assert_eq!(sessions, vec![("primary".to_string(), "1".to_string()), ("secondary".to_string(), "0".to_string())]);

    // The alert: firing once its scaled `for:` has passed, on the secondary path only.
    let firing = wait_for(Duration::from_secs(90), || {
        let alerts = api(prom_port, "/api/v1/alerts")?;
        let bgp: Vec<serde_json::Value> = alerts["alerts"].as_array()?.iter().filter(|a| a["labels"]["alertname"] == "ExpressRouteBgpSessionDown").cloned().collect();
        bgp.iter().any(|a| a["state"] == "firing").then_some(bgp)
    });
    let bgp = firing.unwrap_or_else(|| panic!("ExpressRouteBgpSessionDown never fired\n{}", logs()));
    let paths: Vec<&str> = bgp.iter().map(|a| a["labels"]["path"].as_str().unwrap_or_default()).collect();
    assert_eq!(paths, vec!["secondary"], "{bgp:?}");
    assert_eq!(bgp[0]["labels"]["severity"], "critical");
    assert!(matches!(bgp[0]["labels"]["owner"].as_str(), Some("customer" | "provider" | "microsoft")), "{bgp:?}");

    // Both stop cleanly on SIGTERM.
    let prom_status = prom.stop();
    let watch_status = watch.stop();
    assert!(watch_status.is_some_and(|s| s.success()), "erdiag watch did not stop cleanly on SIGTERM: {watch_status:?}\n{}", logs());
    assert!(prom_status.is_some_and(|s| s.success()), "prometheus did not stop cleanly: {prom_status:?}\n{}", logs());
    let _ = std::fs::remove_dir_all(&dir);
}
