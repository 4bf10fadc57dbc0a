//! The HTML report in a real browser: headless Chromium opens the reports of
//! the named scenarios from disk, and the test reads back from its DOM that
//! the diagram shows the failing point and path as failing and the healthy
//! ones as healthy, with the colours the status stands for actually applied
//! and no text spilling out of its box; that nothing tries to load from the
//! network (a net log of the page's requests, with every host name unresolvable);
//! and that the page fits a narrow screen. Screenshots (wide, narrow, the SVG
//! alone) and a printed PDF of each report go to
//! `<target>/browser-artifacts/`.
//!
//! Chromium is found as `ERDIAG_CHROMIUM` or `chromium`, `chromium-browser`,
//! `google-chrome` on the PATH (Debian: `apt-get install chromium`). Without
//! it the test is skipped with a notice, except under CI, where it fails.

mod common;
mod dom;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ERDIAG_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        for dir in std::env::split_paths(&path) {
            let c = dir.join(name);
            if c.is_file() {
                return Some(c);
            }
        }
    }
    None
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn artifacts() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("browser-artifacts");
    std::fs::create_dir_all(&d).expect("create browser-artifacts");
    d
}

fn file_url(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).expect("artifact path");
    format!("file://{}", abs.display())
}

struct Chromium {
    exe: PathBuf,
    scratch: PathBuf,
}

static RUN: AtomicUsize = AtomicUsize::new(0);

impl Chromium {
    /// One headless run with a fresh profile, every host unresolvable and
    /// the background services off. Returns standard output.
    fn run(&self, extra: &[String], url: &str) -> String {
        let n = RUN.fetch_add(1, Ordering::SeqCst);
        let run = self.scratch.join(format!("run-{}-{n}", std::process::id()));
        let profile = run.join("profile");
        std::fs::create_dir_all(&profile).unwrap();
        let (out, err) = (run.join("stdout"), run.join("stderr"));
        let mut child = Command::new(&self.exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.exe.display()));
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish in 120 s: {extra:?} {url}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let stdout = std::fs::read_to_string(&out).unwrap_or_default();
        let stderr = std::fs::read_to_string(&err).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&run);
        assert!(status.success(), "chromium failed ({status}) on {url}: {}", stderr.lines().rev().take(15).collect::<Vec<_>>().join("\n"));
        stdout
    }
}

/// The URLs a page asked for, from a Chromium net log: the requests whose
/// initiator is a document (the browser's own background requests say "not
/// an origin").
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).unwrap_or_else(|e| panic!("{}: {e}", netlog.display()));
    // A log cut short lacks its closing brackets.
    let v: Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .unwrap_or_else(|e| panic!("{}: not a net log: {e}", netlog.display()));
    let start_job =
        v["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().expect("URL_REQUEST_START_JOB in the net log constants");
    v["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(String::from))
        .collect()
}

/// The colour each status is drawn in (svg.rs), as the browser computes it.
fn stroke_of(status: &str) -> &'static str {
    match status {
        "fail" => "rgb(198, 40, 40)",
        "consequence" => "rgb(199, 119, 0)",
        "warn" => "rgb(161, 98, 7)",
        "unknown" => "rgb(109, 40, 217)",
        "ok" => "rgb(46, 125, 50)",
        "unchecked" => "rgb(154, 160, 166)",
        other => panic!("unknown status {other}"),
    }
}

fn word_of(status: &str) -> &'static str {
    match status {
        "fail" => "FAIL",
        "consequence" => "AFFECTED",
        "warn" => "WARNING",
        "unknown" => "UNKNOWN",
        "ok" => "OK",
        _ => "NOT CHECKED",
    }
}

/// Test-only: writes what the browser computed into the DOM, for --dump-dom.
const PROBE: &str = r#"<script>
(function () {
  var shape = { point: 'rect.box', link: 'line', bgp: 'path', path: 'rect' };
  document.querySelectorAll('svg [data-kind]').forEach(function (g) {
    var k = g.getAttribute('data-kind');
    if (!shape[k]) return;
    var s = g.querySelector(shape[k]);
    if (s) g.setAttribute('data-probe-stroke', getComputedStyle(s).stroke);
    var b = g.getBoundingClientRect();
    g.setAttribute('data-probe-size', Math.round(b.width) + 'x' + Math.round(b.height));
    var l = g.querySelector('.status-label');
    if (l) g.setAttribute('data-probe-label', l.textContent);
    if (k === 'point' && s) {
      var box = s.getBBox(), over = [];
      g.querySelectorAll('text').forEach(function (t) {
        var tb = t.getBBox();
        if (tb.x < box.x - 0.5 || tb.x + tb.width > box.x + box.width + 0.5) over.push(t.textContent);
      });
      g.setAttribute('data-probe-overflow', over.join(' | '));
    }
  });
  var d = document.documentElement;
  document.body.setAttribute('data-probe-hscroll', String(d.scrollWidth > window.innerWidth + 1));
  document.body.setAttribute('data-probe-width', String(window.innerWidth));
})();
</script>"#;

fn check_probe(n: &str, dom_text: &str, errors: &mut Vec<String>) {
    let els = dom::elements(dom_text);
    let body = els.iter().find(|e| e.tag == "body").expect("body");
    if body.get("data-probe-hscroll") != "false" {
        errors.push(format!("{n}: the page scrolls sideways at width {}", body.get("data-probe-width")));
    }
    let mut seen = 0;
    for el in els.iter().filter(|e| matches!(e.get("data-kind"), "point" | "link" | "bgp" | "path")) {
        seen += 1;
        let what = format!(
            "{n}: {} {}{}-{} {}",
            el.get("data-kind"),
            el.get("data-point"),
            el.get("data-from"),
            el.get("data-to"),
            el.get("data-path")
        );
        let status = el.get("data-status");
        if el.get("data-probe-stroke") != stroke_of(status) {
            errors.push(format!("{what}: drawn in {} but {status} is {}", el.get("data-probe-stroke"), stroke_of(status)));
        }
        let size = el.get("data-probe-size");
        // A straight line's box is flat, not empty.
        if size.is_empty() || size == "0x0" {
            errors.push(format!("{what}: not visible ({size})"));
        }
        if matches!(el.get("data-kind"), "point" | "path") {
            let label = el.get("data-probe-label");
            // A path that is ok says it is UP.
            let says = label.contains(word_of(status)) || (el.get("data-kind") == "path" && status == "ok" && label.contains("UP"));
            if !says {
                errors.push(format!("{what}: {status} but its label says {label:?}"));
            }
        }
        if el.get("data-kind") == "point" && !el.get("data-probe-overflow").is_empty() {
            errors.push(format!("{what}: text spills out of the box: {}", el.get("data-probe-overflow")));
        }
    }
    if seen < 15 {
        errors.push(format!("{n}: only {seen} diagram elements in the browser's DOM"));
    }
}

fn assert_png(p: &Path) {
    let b = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() > 10_000, "{}: not a screenshot ({} bytes)", p.display(), b.len());
}

/// The browser, or `None` (with a notice) when there is none and CI does not require it.
fn chromium(what: &str) -> Option<Chromium> {
    let Some(exe) = find_chromium() else {
        if under_ci() {
            panic!("chromium is not installed: CI must run the browser test (apt-get install chromium)");
        }
        // Written to the real stderr, past the test harness's capture, so it shows.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "NOTICE: chromium not found (ERDIAG_CHROMIUM or chromium on PATH): skipping the browser test of {what}");
        return None;
    };
    Some(Chromium { exe, scratch: artifacts().join(format!("scratch-{}", what.replace(' ', "-"))) })
}

#[test]
fn reports_in_headless_chromium() {
    let Some(b) = chromium("the HTML report") else { return };
    let art = artifacts();
    let mut errors = Vec::new();

    // The detector must see requests when there are some, or its silence proves nothing.
    let bad = art.join("netlog-selftest.html");
    std::fs::write(&bad, "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"https://fonts.example.invalid/a.css\"></head><body><img src=\"http://example.invalid/x.png\"></body></html>").unwrap();
    let log = art.join("netlog-selftest.json");
    b.run(&[format!("--log-net-log={}", log.display()), "--dump-dom".into()], &file_url(&bad));
    let seen = page_requests(&log);
    assert!(seen.iter().any(|u| u.contains("example.invalid")), "the net-log detector does not see a page's requests: {seen:?}");

    for n in dom::SCENARIOS {
        let html = stdout(&erdiag(&["demo", n, "--offline", "-o", "html"]));
        let svg = stdout(&erdiag(&["demo", n, "--offline", "-o", "svg"]));
        let page = art.join(format!("{n}.html"));
        let svg_file = art.join(format!("{n}.svg"));
        std::fs::write(&page, &html).unwrap();
        std::fs::write(&svg_file, &svg).unwrap();
        let refs = dom::external_references(&html);
        if !refs.is_empty() {
            errors.push(format!("{n}: refers outside itself: {refs:?}"));
        }

        // The report as it is: what loads, and the DOM the browser built.
        let log = art.join(format!("{n}.netlog.json"));
        let dumped = b.run(&[format!("--log-net-log={}", log.display()), "--dump-dom".into()], &file_url(&page));
        let requests = page_requests(&log);
        if !requests.is_empty() {
            errors.push(format!("{n}: the page tried to load {requests:?}"));
        }
        if !dumped.contains("data-verdict") {
            errors.push(format!("{n}: the browser's DOM has no report: {}", dumped.chars().take(300).collect::<String>()));
        }
        errors.extend(dom::expectations(n, &dom::elements(&dumped)).into_iter().map(|e| format!("{n} (browser DOM): {e}")));

        // What the browser computed: colours, visibility, text inside boxes, width.
        let probe = art.join(format!("{n}.probe.html"));
        std::fs::write(&probe, html.replace("</body>", &format!("{PROBE}\n</body>"))).unwrap();
        for width in ["1280,2000", "390,2400"] {
            let dumped = b.run(&[format!("--window-size={width}"), "--dump-dom".into()], &file_url(&probe));
            check_probe(&format!("{n} at {width}"), &dumped, &mut errors);
        }
        let _ = std::fs::remove_file(&probe);

        // The SVG alone is a valid document for the browser too.
        let dumped = b.run(&["--dump-dom".into()], &file_url(&svg_file));
        if dumped.contains("parsererror") || dumped.contains("This page contains the following errors") {
            errors.push(format!("{n}: the browser cannot parse the SVG"));
        }

        // Pictures for people.
        for (file, size, target) in [
            (format!("{n}.png"), "1280,2000", &page),
            (format!("{n}-narrow.png"), "390,2400", &page),
            (format!("{n}-svg.png"), "1400,760", &svg_file),
        ] {
            let shot = art.join(&file);
            let _ = std::fs::remove_file(&shot);
            b.run(&[format!("--screenshot={}", shot.display()), format!("--window-size={size}")], &file_url(target));
            assert_png(&shot);
        }
        let pdf = art.join(format!("{n}.pdf"));
        let _ = std::fs::remove_file(&pdf);
        b.run(&[format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".into()], &file_url(&page));
        let bytes = std::fs::read(&pdf).unwrap_or_default();
        if !bytes.starts_with(b"%PDF") {
            errors.push(format!("{n}: printing gave no PDF"));
        }
    }
    let _ = std::fs::remove_dir_all(&b.scratch);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    eprintln!("browser test: screenshots and PDFs in {}", art.display());
}

/// Test-only: clicks the fleet table's Verdict heading twice and records
/// the order of the rows after each click, and the links whose section is
/// missing.
const FLEET_PROBE: &str = r#"<script>
(function () {
  var order = function () { return Array.from(document.querySelectorAll('table.fleet tbody tr')).map(function (r) { return r.dataset.verdict; }).join(','); };
  var head = Array.from(document.querySelectorAll('table.fleet thead button')), verdict = head.find(function (b) { return b.textContent === 'Verdict'; });
  document.body.setAttribute('data-probe-initial', order());
  verdict.click();
  document.body.setAttribute('data-probe-asc', order());
  verdict.click();
  document.body.setAttribute('data-probe-desc', order());
  var missing = [];
  document.querySelectorAll('table.fleet a').forEach(function (a) { if (!document.getElementById(a.getAttribute('href').slice(1))) missing.push(a.getAttribute('href')); });
  document.body.setAttribute('data-probe-missing', missing.join(' '));
})();
</script>"#;

#[test]
fn the_fleet_page_in_headless_chromium() {
    let Some(b) = chromium("the fleet page") else { return };
    let art = artifacts();
    let mut args = vec!["fleet", "-q", "-o", "html"];
    let files: Vec<String> = ["healthy-private", "gateway-forbidden", "vlan-mismatch", "secondary-path-down"]
        .iter()
        .map(|n| scenarios_dir().join(n).join("snapshot.json").display().to_string())
        .collect();
    for f in &files {
        args.extend(["--snapshot", f.as_str()]);
    }
    let html = stdout(&erdiag(&args));
    let page = art.join("fleet.html");
    std::fs::write(&page, &html).unwrap();
    // Its one inline script (sorting) is allowed; a script from elsewhere is not.
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(dom::external_references(&html.replace("<script>", "")), Vec::<String>::new(), "the page refers outside itself");
    let log = art.join("fleet.netlog.json");
    let probe = art.join("fleet.probe.html");
    std::fs::write(&probe, html.replace("</body>", &format!("{FLEET_PROBE}\n</body>"))).unwrap();
    let dumped = b.run(&[format!("--log-net-log={}", log.display()), "--dump-dom".into()], &file_url(&probe));
    assert_eq!(page_requests(&log), Vec::<String>::new(), "the page tried to load something");
    let els = dom::elements(&dumped);
    let body = els.iter().find(|e| e.tag == "body").expect("body");
    assert_eq!(body.get("data-probe-initial"), "down,degraded,unknown,healthy", "worst first as written");
    assert_eq!(body.get("data-probe-asc"), "down,degraded,unknown,healthy");
    assert_eq!(body.get("data-probe-desc"), "healthy,unknown,degraded,down", "a second click sorts the other way");
    assert_eq!(body.get("data-probe-missing"), "", "every circuit's link has its section");
    let _ = std::fs::remove_file(&probe);
    let shot = art.join("fleet.png");
    let _ = std::fs::remove_file(&shot);
    b.run(&[format!("--screenshot={}", shot.display()), "--window-size=1400,1000".into()], &file_url(&page));
    assert_png(&shot);
    let _ = std::fs::remove_dir_all(&b.scratch);
}

/// `erdiag watch` serving the scenarios, stopped when dropped.
struct Watch {
    child: std::process::Child,
    addr: String,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `erdiag watch` on a free loopback port over the snapshot files
/// and waits for its first poll.
fn watch(snapshots: &[PathBuf]) -> Watch {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let mut args: Vec<String> = vec!["watch".into(), "--listen".into(), addr.clone(), "--every".into(), "30s".into()];
    for s in snapshots {
        args.extend(["--snapshots".into(), s.display().to_string()]);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_erdiag")).args(&args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start erdiag watch");
    let w = Watch { child, addr };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !http_get(&w.addr, "/healthz").0.starts_with("HTTP/1.1 200") {
        assert!(Instant::now() < deadline, "no poll finished within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    w
}

/// A plain HTTP/1.1 GET: (status line and headers, body).
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(addr) else { return (String::new(), String::new()) };
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

#[test]
fn the_dashboard_in_headless_chromium() {
    let Some(b) = chromium("the dashboard") else { return };
    let art = artifacts();
    // The scenarios are one circuit: each copy named after its scenario.
    let dir = art.join("dashboard-snapshots");
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = [("healthy-private", "er-ok"), ("secondary-path-down", "er-down"), ("vlan-mismatch", "er-vlan")]
        .iter()
        .map(|(scenario, name)| {
            let text = std::fs::read_to_string(scenarios_dir().join(scenario).join("snapshot.json")).unwrap();
            let f = dir.join(format!("{name}.json"));
            std::fs::write(&f, text.replace("er-ckt-ams", name)).unwrap();
            f
        })
        .collect();
    let w = watch(&files);
    let base = format!("http://{}/", w.addr);
    // Every host stays unresolvable but the dashboard's (the last rule wins).
    let live = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".to_string();
    let mut errors = Vec::new();
    for (name, path) in [("dashboard-fleet", "/"), ("dashboard-circuit", "/circuits/er-down")] {
        let (head, html) = http_get(&w.addr, path);
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"), "{path}: reloads as often as the watch polls");
        assert!(!html.contains("<script") && !html.contains("<form") && !html.contains("<button"), "{path}: read-only, no script");
        // Links between the dashboard's own pages are relative; nothing else is referred to.
        let outside: Vec<String> = dom::external_references(&html).into_iter().filter(|r| !(r.starts_with("<a href=\"") && !r.contains("://") && !r.starts_with("<a href=\"//"))).collect();
        assert_eq!(outside, Vec::<String>::new(), "{path}: refers outside the dashboard");

        // Live from the server: nothing is loaded but the page itself.
        let log = art.join(format!("{name}.netlog.json"));
        let url = format!("http://{}{path}", w.addr);
        let dumped = b.run(&[live.clone(), format!("--log-net-log={}", log.display()), "--dump-dom".into()], &url);
        let others: Vec<String> = page_requests(&log).into_iter().filter(|u| !u.starts_with(&base)).collect();
        if !others.is_empty() {
            errors.push(format!("{path}: the page tried to load {others:?}"));
        }
        let els = dom::elements(&dumped);
        if path == "/" {
            // Worst first, each status a word.
            let rows: Vec<(&str, &str)> = els.iter().filter(|e| e.tag == "tr" && !e.get("data-circuit").is_empty()).map(|e| (e.get("data-circuit"), e.get("data-verdict"))).collect();
            let verdicts: Vec<&str> = rows.iter().map(|r| r.1).collect();
            let rank = |v: &str| ["down", "degraded", "unknown", "healthy"].iter().position(|x| *x == v).unwrap_or(9);
            if verdicts.len() != 3 || !verdicts.windows(2).all(|w| rank(w[0]) <= rank(w[1])) || verdicts[2] != "healthy" {
                errors.push(format!("{path}: rows {rows:?}"));
            }
            // Each verdict is a word too, not only a colour.
            for word in ["DOWN", "DEGRADED", "HEALTHY"] {
                if rows.iter().any(|r| r.1 == word.to_ascii_lowercase()) && !dumped.contains(&format!("{word}</span>")) {
                    errors.push(format!("{path}: the verdict {word} is not written"));
                }
            }
        } else {
            errors.extend(dom::expectations("secondary-path-down", &els).into_iter().map(|e| format!("{path} (browser DOM): {e}")));
        }

        // No sideways scrolling at either width (the probe runs on a copy from disk).
        let probe = art.join(format!("{name}.probe.html"));
        std::fs::write(&probe, html.replace("</body>", &format!("{PROBE}\n</body>"))).unwrap();
        for width in ["1280,2000", "390,2400"] {
            let dumped = b.run(&[format!("--window-size={width}"), "--dump-dom".into()], &file_url(&probe));
            let els = dom::elements(&dumped);
            let body = els.iter().find(|e| e.tag == "body").expect("body");
            if body.get("data-probe-hscroll") != "false" {
                errors.push(format!("{path}: scrolls sideways at {width}"));
            }
        }
        let _ = std::fs::remove_file(&probe);
        for (file, size) in [(format!("{name}.png"), "1280,2000"), (format!("{name}-narrow.png"), "390,2400")] {
            let shot = art.join(&file);
            let _ = std::fs::remove_file(&shot);
            b.run(&[live.clone(), format!("--screenshot={}", shot.display()), format!("--window-size={size}")], &url);
            assert_png(&shot);
        }
    }
    let (head, _) = http_get(&w.addr, "/circuits/no-such-circuit");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    drop(w);
    let _ = std::fs::remove_dir_all(&b.scratch);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
