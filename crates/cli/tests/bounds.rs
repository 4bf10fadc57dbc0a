//! erdiag under abuse: numbers out of range, a deadline against slow calls,
//! writes through symbolic links and onto a full disk, inputs larger than
//! memory. Each ends in a clear error (exit 2) or a bounded run, never a
//! panic, a hang or a destroyed file.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erdiag-bounds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn scenario_file(name: &str) -> String {
    scenarios_dir().join(name).join("snapshot.json").display().to_string()
}

fn import_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures").join(name).display().to_string()
}

fn erdiag_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_erdiag"));
    c.args(args).env_remove("ERDIAG_SNAPSHOT").env_remove("ERDIAG_MAX_INPUT_MIB").stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// A usage error that names the allowed range, not a panic.
fn assert_refused(out: &Output, needle: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.contains(needle), "{what}: expected `{needle}` in: {err}");
}

/// A file of `len` bytes that takes no disk space.
fn sparse(path: &Path, len: u64) -> String {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
    path.display().to_string()
}

#[test]
fn numeric_flags_out_of_range_are_usage_errors_naming_the_range() {
    let huge = "18446744073709551615";
    let live = ["diagnose", "--subscription", "s", "-g", "rg", "-n", "c", "--access-token", "t", "-q"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> { live.iter().copied().chain(extra.iter().copied()).collect() };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["demo", "--latency", "1e30"], "0..=3600"),
        (vec!["demo", "--latency", "inf"], "0..=3600"),
        (vec!["demo", "--latency", "NaN"], "0..=3600"),
        (vec!["emulate", "--latency", "1e30"], "0..=3600"),
        (vec!["emulate", "--retry-after", huge], "0..=3600"),
        (with(&["--deadline", huge]), "1..=86400"),
        (with(&["--deadline", "0"]), "1..=86400"),
        (with(&["--timeout", huge]), "1..=3600"),
        (with(&["--concurrency", huge]), "1..=256"),
        (with(&["--retries", "4294967296"]), "0..=20"),
        (vec!["lab", "up", "--timeout", huge], "1..=3600"),
        (vec!["fleet", "--concurrency", "0"], "1..=1024"),
        (vec!["fleet", "--concurrency", huge], "1..=1024"),
        (vec!["fleet", "--deadline", "0"], "1..=86400"),
        (with(&["--metrics-window", "40d"]), "between 1 minute and 30 days"),
        (with(&["--metrics-window", "30s"]), "between 1 minute and 30 days"),
        (vec!["fleet", "--metrics-window", "soon"], "a length of time"),
        (vec!["emulate", "--speed", "0"], "(0, 1000000]"),
        (vec!["emulate", "--speed", "inf"], "(0, 1000000]"),
        (vec!["emulate", "--clock-start", "yesterday"], "RFC 3339"),
    ];
    for (args, range) in cases {
        let out = erdiag(&args);
        assert_refused(&out, range, &args.join(" "));
    }
}

#[test]
fn a_bad_timeline_is_an_error_naming_the_file_and_the_event() {
    let dir = tmp_dir("timeline");
    let file = dir.join("timeline.json");
    std::fs::write(&file, r#"{"events": [{"kind": "maintenance", "path": "tertiary", "from": "-5m"}]}"#).unwrap();
    let out = erdiag(&["emulate", "--snapshot", &scenario_file("healthy-private"), "--timeline", &file.display().to_string()]);
    assert_refused(&out, "at events[0].path: `tertiary` is not primary or secondary", "emulate --timeline");
    assert!(stderr(&out).contains(&file.display().to_string()), "{}", stderr(&out));
    std::fs::write(&file, "{\"events\": [").unwrap();
    let out = erdiag(&["emulate", "--snapshot", &scenario_file("healthy-private"), "--timeline", &file.display().to_string()]);
    assert_refused(&out, "line 1, column", "emulate --timeline (truncated)");
}

#[test]
fn the_deadline_ends_calls_in_flight_and_records_them_as_failed() {
    let dir = tmp_dir("deadline");
    // Every ARP table answer takes 30 s; the deadline is 3 s.
    let em = emulate_in(&dir, &["healthy-private", "--fault", "latency=30000:arpTables"]);
    let (sub, rg, name) = circuit("healthy-private");
    let file = dir.join("snapshot.json").display().to_string();
    let started = Instant::now();
    let out = erdiag(&[
        "collect", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", "t", "--subscription", &sub, "-g", &rg, "-n", &name,
        "--deadline", "3", "--retries", "0", "-q", "-O", &file,
    ]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(took < Duration::from_secs(10), "a 3 s deadline took {took:?}");
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let failures = snap["failures"].as_object().unwrap();
    let arp: Vec<_> = failures.iter().filter(|(k, _)| k.to_ascii_lowercase().contains("/arptables/")).collect();
    assert!(!arp.is_empty(), "the slow ARP calls are recorded as failed: {failures:?}");
    for (k, f) in arp {
        assert!(f["error"].as_str().unwrap_or_default().contains("deadline"), "{k}: {f}");
    }
    let d = erdiag(&["diagnose", "--snapshot", &file, "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
    let arp_statuses: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["layer"] == "arp")
        // arp-flaps reads Azure Monitor's ArpAvailability, not the ARP tables.
        .filter(|f| f["name"] != "arp-flaps")
        .filter_map(|f| f["status"].as_str())
        .collect();
    assert!(!arp_statuses.is_empty() && arp_statuses.iter().all(|s| *s == "unknown"), "{arp_statuses:?}");
}

fn import_to(out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import".to_string(), import_fixture("az-circuit.json"), "-O".into(), out.into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    erdiag(&a)
}

#[test]
fn writes_refuse_symbolic_links_unless_forced() {
    let dir = tmp_dir("symlink");
    let real = dir.join("real.json");
    std::fs::write(&real, "previous\n").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let link = link.display().to_string();
    let out = import_to(&link, &[]);
    assert_refused(&out, "symbolic link", "-O through a symlink");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "previous\n");
    let out = import_to(&link, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(std::fs::read_to_string(&real).unwrap().contains("erdiag-snapshot/1"));
    // --cert-out too: the emulator refuses before it serves.
    let cert_link = dir.join("ca.pem");
    std::os::unix::fs::symlink(&real, &cert_link).unwrap();
    let out = erdiag(&["emulate", "--cert-out", &cert_link.display().to_string(), "-q"]);
    assert_refused(&out, "symbolic link", "--cert-out through a symlink");
}

#[test]
fn a_full_disk_leaves_the_previous_file_intact() {
    let dir = tmp_dir("full");
    let out_file = dir.join("snapshot.json");
    std::fs::write(&out_file, "previous\n").unwrap();
    // A file-size limit of 4 KiB stands for a full disk: writes past it fail with EFBIG.
    let out = Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_erdiag"))
        .args(["import", &import_fixture("az-circuit.json"), &import_fixture("az-peering-list.json"), "-O", &out_file.display().to_string()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("snapshot.json: cannot write"), "{err}");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "previous\n", "the previous file is intact");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");
}

#[test]
fn inputs_over_the_limit_are_refused_naming_the_file() {
    let dir = tmp_dir("limit");
    let big = sparse(&dir.join("big.json"), 300 << 20);
    let text = sparse(&dir.join("big.txt"), 20 << 20);
    let snap = scenario_file("healthy-private");
    let spec = format!("primary={text}");
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["diagnose", "--snapshot", &big], "big.json: larger than the input limit of 256 MiB", "snapshot"),
        (vec!["import", &big], "big.json: larger than the input limit of 256 MiB", "import"),
        (vec!["emulate", "--snapshot", &big], "big.json: larger than the input limit of 256 MiB", "emulate"),
        (vec!["diagnose", "--snapshot", &snap, "--ce", &spec], "big.txt: larger than the input limit of 16 MiB", "--ce"),
        (vec!["diagnose", "--snapshot", &snap, "--acl-test", &spec], "big.txt: larger than the input limit of 16 MiB", "--acl-test"),
        (vec!["diagnose", "--snapshot", &snap, "--probe", &text], "big.txt: larger than the input limit of 16 MiB", "--probe"),
    ];
    for (args, needle, what) in cases {
        let out = erdiag(&args);
        assert_refused(&out, needle, what);
        assert!(stderr(&out).contains("ERDIAG_MAX_INPUT_MIB"), "{what}: the hint names the variable");
    }
    // The variable moves the limit, and a stream is cut at it.
    let one = [("ERDIAG_MAX_INPUT_MIB", "1")];
    let two = sparse(&dir.join("two.json"), 2 << 20);
    assert_refused(&erdiag_env(&["diagnose", "--snapshot", &two], &one), "limit of 1 MiB", "ERDIAG_MAX_INPUT_MIB=1");
    assert_refused(&erdiag_env(&["diagnose", "--snapshot", "/dev/zero"], &one), "/dev/zero: larger than the input limit of 1 MiB", "/dev/zero");
    assert_refused(&erdiag_env(&["diagnose", "--snapshot", &snap], &[("ERDIAG_MAX_INPUT_MIB", "lots")]), "ERDIAG_MAX_INPUT_MIB=lots", "a bad limit");
    assert_refused(&erdiag(&["diagnose", "--snapshot", dir.to_str().unwrap()]), "is a directory", "a directory");
}

#[test]
fn an_acl_test_error_names_the_acl_file_and_quotes_a_short_snippet() {
    let dir = tmp_dir("acl");
    let acl = dir.join("acl-primary.txt");
    std::fs::write(&acl, format!("src 10.0.0.0 dst 20.0.0.0 (received): 1 matches\n\x1b[2J{}\n", "A".repeat(100_000))).unwrap();
    let out = erdiag(&["diagnose", "--snapshot", &scenario_file("healthy-private"), "--acl-test", &format!("primary={}", acl.display())]);
    let err = stderr(&out);
    assert_refused(&out, &format!("{}: line 2", acl.display()), "a bad ACL test");
    assert!(err.len() < 600, "the error quotes {} bytes", err.len());
    assert!(!err.contains('\x1b'), "control characters reach the terminal: {err:?}");
}

#[test]
fn a_deadline_that_ends_the_circuit_read_names_it_and_hints_at_the_flag() {
    let dir = tmp_dir("deadline-circuit");
    // The circuit's own GET takes 30 s; the deadline is 2 s.
    let em = emulate_in(&dir, &["healthy-private", "--fault", "latency=30000:expressRouteCircuits"]);
    let (sub, rg, name) = circuit("healthy-private");
    let started = Instant::now();
    let out = erdiag(&[
        "diagnose", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", "t", "--subscription", &sub, "-g", &rg, "-n", &name,
        "--deadline", "2", "--retries", "0", "-q",
    ]);
    assert!(started.elapsed() < Duration::from_secs(10), "a 2 s deadline took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "no report without a circuit: {}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("error: the deadline of 2 s passed before the circuit") && err.contains(&name), "{err}");
    assert!(err.contains("cannot be diagnosed"), "{err}");
    assert!(err.contains("hint: raise --deadline (it was 2 s)"), "{err}");
}
