//! The live lab end to end: real FRRouting routers in network namespaces,
//! real ARP and BGP with MD5, the ARM emulator serving their state, and the
//! diagnosis of it. For every break kind: `lab up` → `lab break` →
//! `diagnose --lab` gives the expected root cause, layer, owner and path;
//! `lab fix` → `diagnose --lab` is healthy again.
//!
//! Needs root, network namespaces and Debian's `frr` package. Where
//! namespaces cannot be created the tests are skipped with a notice; where
//! FRR is missing they are skipped too, except under CI (`.ci/run` installs
//! it), where that is a failure. Each test builds its own lab under its own
//! name, so that they run in parallel, and removes it even when it fails.

use serde_json::Value;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_erdiag");

fn notice(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "NOTICE: {msg}: skipping the live lab test");
}

fn is_root() -> bool {
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0")));
    if !root {
        notice("not root");
    }
    root
}

/// Whether network namespaces can be made here; prints why not.
fn namespaces_available(name: &str) -> bool {
    if !is_root() {
        return false;
    }
    let probe = format!("{name}-probe");
    let ok = Command::new("ip").args(["netns", "add", &probe]).output().is_ok_and(|o| o.status.success());
    if !ok {
        notice("network namespaces cannot be created here");
        return false;
    }
    let _ = Command::new("ip").args(["netns", "delete", &probe]).output();
    true
}

/// Whether the lab can run here; prints why not.
fn available(name: &str) -> bool {
    if !namespaces_available(name) {
        return false;
    }
    let frr = std::path::Path::new("/usr/lib/frr/bgpd").exists() && Command::new("vtysh").arg("--help").output().is_ok();
    if !frr {
        assert!(std::env::var("CI").is_err(), "CI is set but FRRouting is not installed: .ci/run must install the frr package");
        notice("FRRouting (Debian's frr package) is not installed");
        return false;
    }
    true
}

fn erdiag(args: &[&str]) -> Output {
    erdiag_in(None, args)
}

/// erdiag with `ERDIAG_LAB_DIR` set to `root`, when given.
fn erdiag_in(root: Option<&std::path::Path>, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("ERDIAG_LAB").env_remove("ERDIAG_LAB_DIR");
    if let Some(r) = root {
        c.env("ERDIAG_LAB_DIR", r);
    }
    c.output().expect("runs erdiag")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(args: &[&str]) -> Output {
    let o = erdiag(args);
    assert!(o.status.success(), "erdiag {} failed: {}", args.join(" "), String::from_utf8_lossy(&o.stderr));
    o
}

/// A lab that is removed when the test ends, however it ends.
struct LabGuard(String);

impl LabGuard {
    fn up(name: &str) -> LabGuard {
        // Leftovers of an earlier, killed run of this test.
        let _ = erdiag(&["lab", "down", "--name", name]);
        let g = LabGuard(name.to_string());
        ok(&["lab", "up", "--name", name, "--timeout", "60"]);
        g
    }

    fn diagnose(&self) -> (Value, i32) {
        let o = erdiag(&["diagnose", "--lab", &self.0, "-o", "json", "-q"]);
        let code = o.status.code().unwrap_or(-1);
        assert!(code == 0 || code == 1, "diagnose --lab exited {code}: {}", String::from_utf8_lossy(&o.stderr));
        (serde_json::from_slice(&o.stdout).expect("a JSON report"), code)
    }
}

impl Drop for LabGuard {
    fn drop(&mut self) {
        let _ = erdiag(&["lab", "down", "--name", &self.0]);
    }
}

/// The paths and statuses of a check's findings (path "" when it has none).
fn per_path(report: &Value, id: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == id)
        .map(|f| (f["path"].as_str().unwrap_or_default().to_string(), f["status"].as_str().unwrap_or_default().to_string()))
        .collect();
    v.sort();
    v
}

fn passes_on_both_paths(report: &Value, id: &str) -> bool {
    per_path(report, id) == [("primary".to_string(), "pass".to_string()), ("secondary".to_string(), "pass".to_string())]
}

/// `erdiag lab status -o json`.
fn lab_status(name: &str) -> Value {
    serde_json::from_slice(&ok(&["lab", "status", "--name", name, "-o", "json"]).stdout).unwrap()
}

fn check_name(report: &Value, id: &str) -> String {
    report["findings"].as_array().unwrap().iter().find(|f| f["check"] == id).and_then(|f| f["name"].as_str()).unwrap_or(id).to_string()
}

/// The CE's texts the diagnosis read parse as FRR outputs without warnings;
/// they are saved under target/lab-captures for the parser's fixtures.
fn ce_outputs_parse(name: &str, case: &str) {
    let o = ok(&["lab", "snapshot", "--name", name]);
    let snap: Value = serde_json::from_slice(&o.stdout).unwrap();
    let texts = snap["inputs"]["ce"]["primary"].as_array().expect("the CE's texts are attached");
    assert!(texts.len() >= 5, "running-config, show bgp summary, show ip bgp, show bgp ipv6 unicast, ip neigh: {texts:?}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lab-captures").join(case);
    let _ = std::fs::create_dir_all(&dir);
    for t in texts {
        let (file, text) = (t["name"].as_str().unwrap(), t["text"].as_str().unwrap());
        assert!(!text.contains("password") || text.contains("<redacted>") || !text.lines().any(|l| l.contains(" password ") && !l.contains("<redacted>")), "a password reached the inputs: {file}");
        let _ = std::fs::write(dir.join(file.replace('/', "_") + ".txt"), text);
        if file.ends_with("running-config") {
            erdiag_ce::config::parse_config(text, None).unwrap_or_else(|e| panic!("{file}: {e}"));
        } else {
            let p = erdiag_ce::parse(text, None, None).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(p.platform, erdiag_ce::Platform::Frr, "{file}");
            assert!(p.warnings.is_empty(), "{file}: {:?}", p.warnings);
        }
    }
}

/// up → break → diagnose (expected root cause) → fix → diagnose (healthy).
fn break_and_fix(kind: &str, path: &str, check: &str, layer: &str, owner: &str, on_path: Option<&str>) {
    let name = format!("t-{}", kind.chars().filter(|c| c.is_ascii_alphanumeric()).take(8).collect::<String>());
    if !available(&name) {
        return;
    }
    let lab = LabGuard::up(&name);
    let (healthy, code) = lab.diagnose();
    assert_eq!((healthy["verdict"].as_str(), code), (Some("healthy"), 0), "a fresh lab is healthy: {:#}", healthy["rootCause"]);
    // Dual-stack: the IPv6 sessions are judged (not skipped) and up, with prefixes.
    for id in ["ER410", "ER411", "ER820"] {
        let found = per_path(&healthy, id);
        assert!(!found.is_empty() && found.iter().all(|(_, s)| s == "pass"), "{id}: {found:?}");
    }
    assert!(passes_on_both_paths(&healthy, "ER410"), "{:?}", per_path(&healthy, "ER410"));
    // The CE's IPv6 outputs are read: ER912 follows the VNet's IPv6 prefix on
    // the CE (to the MSEE's global next hop), ER909 its IPv6 neighbors.
    let v6_judged = |r: &Value, id: &str| r["findings"].as_array().unwrap().iter().filter(|f| f["check"] == id && f["status"] == "pass").any(|f| f["message"].as_str().unwrap_or_default().contains("::"));
    assert!(passes_on_both_paths(&healthy, "ER912") && v6_judged(&healthy, "ER912"), "ER912 {:#?}", healthy["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "ER912").collect::<Vec<_>>());
    assert!(v6_judged(&healthy, "ER909"), "ER909 {:?}", per_path(&healthy, "ER909"));
    let status = lab_status(&name);
    for p in status["paths"].as_array().unwrap() {
        assert_eq!((p["ipv6"]["bgpState"].as_str(), p["ipv6"]["ndResolved"].as_bool()), (Some("Established"), Some(true)), "{p}");
        assert!(p["ipv6"]["prefixesReceived"].as_u64() >= Some(1) && p["ipv6"]["gatewayPrefixes"].as_u64() >= Some(1), "{p}");
    }

    ok(&["lab", "break", kind, "--path", path, "--name", &name, "--timeout", "60"]);
    let (broken, code) = lab.diagnose();
    let rc = &broken["rootCause"];
    let got = (check_name(&broken, rc["check"].as_str().unwrap_or("none")), rc["layer"].as_str().map(str::to_string), rc["owner"].as_str().map(str::to_string), rc["path"].as_str().map(str::to_string));
    let want = (check.to_string(), Some(layer.to_string()), Some(owner.to_string()), on_path.map(str::to_string));
    assert_eq!(got, want, "break {kind} on {path}: {:#}", rc);
    assert_eq!(code, 1, "a broken lab exits 1");
    assert_ne!(broken["verdict"], "healthy");
    if kind.starts_with("v6-") {
        // IPv6 alone is broken: IPv4 stays up with its prefixes on both paths.
        for id in ["ER401", "ER402"] {
            assert!(passes_on_both_paths(&broken, id), "{kind}: {id} {:?}", per_path(&broken, id));
        }
        // `lab status` shows it: the path's IPv6 session, not its IPv4 one.
        let status = lab_status(&name);
        let p = status["paths"].as_array().unwrap().iter().find(|p| p["path"] == path).unwrap();
        assert_eq!(p["bgpState"], "Established", "{p}");
        let v6 = &p["ipv6"];
        let shown = if kind == "v6-session-down" { v6["bgpState"] != "Established" } else { v6["bgpState"] == "Established" && v6["prefixesReceived"] == 0 };
        assert!(shown, "{kind}: {p}");
        let table = String::from_utf8_lossy(&ok(&["lab", "status", "--name", &name]).stdout).into_owned();
        assert!(table.lines().filter(|l| l.trim_start().starts_with("IPv6")).count() == 2, "{table}");
    }
    ce_outputs_parse(&name, kind);

    ok(&["lab", "fix", "--name", &name, "--timeout", "60"]);
    let (fixed, code) = lab.diagnose();
    assert_eq!((fixed["verdict"].as_str(), code), (Some("healthy"), 0), "after lab fix: {:#}", fixed["rootCause"]);
}

macro_rules! case {
    ($test:ident, $kind:literal, $path:literal, $check:literal, $layer:literal, $owner:literal, $on:expr) => {
        #[test]
        fn $test() {
            break_and_fix($kind, $path, $check, $layer, $owner, $on);
        }
    };
}

case!(md5_key_mismatch, "md5", "secondary", "ce-md5-mismatch", "customer-edge", "customer", Some("secondary"));
case!(peer_asn_mismatch, "asn", "primary", "ce-asn-mismatch", "customer-edge", "customer", Some("primary"));
case!(ce_address_swapped, "ce-address", "secondary", "ce-ip-mismatch", "customer-edge", "customer", Some("secondary"));
case!(link_down, "link-down", "primary", "arp-on-prem-entry-missing", "arp", "provider", Some("primary"));
case!(l2_segment_mismatch, "vlan", "secondary", "ce-vlan-mismatch", "customer-edge", "customer", Some("secondary"));
// The CE's own summary says it sends nothing (FRR's PfxSnt 0): the
// return-path problem is pinned on the CE, the MSEE's 0 received follows.
case!(ce_withdraws_all, "withdraw", "primary", "ce-advertised-prefixes", "customer-edge", "customer", Some("primary"));
case!(over_prefix_limit, "prefix-limit", "secondary", "bgp-prefix-limit-exceeded", "bgp", "customer", Some("secondary"));
case!(ce_advertises_vnet_prefix, "vnet-prefix", "primary", "routes-overlap-vnet", "routes", "customer", None);
case!(one_msee_down, "msee-down", "secondary", "arp-on-prem-entry-missing", "arp", "microsoft", Some("secondary"));
case!(gateway_sessions_down, "gateway-down", "primary", "gateway-bgp-peer-down", "gateway", "microsoft", None);
// IPv6 beside IPv4: the CE's IPv6 neighbor not activated for IPv6 unicast
// (the MSEE sees it Active while IPv4 is Established), and the CE's IPv6
// prefix no longer advertised to one MSEE.
case!(v6_session_down, "v6-session-down", "secondary", "ipv6-bgp-session-down", "bgp", "customer", Some("secondary"));
// The CE's own IPv6 summary says it sends nothing (PfxSnt 0): as for IPv4,
// the CE cross-check pins it on the CE, the MSEE's 0 received follows.
case!(v6_prefix_missing, "v6-prefix-missing", "primary", "ce-advertised-prefixes", "customer-edge", "customer", Some("primary"));

/// The lab records its own history: up → diagnose (stored) → the primary's
/// BGP session broken (MD5) → fixed, each recorded with `--store`; then
/// `history` shows the session down and up with its duration, and `diff`
/// between the poll before the break and the break the CE's routes withdrawn
/// from the primary MSEE — real FRR transitions.
#[test]
fn the_lab_records_its_own_history() {
    let name = "t-hist";
    if !available(name) {
        return;
    }
    let dir = TempDir::new("hist", 0o755);
    let db = dir.0.join("history.db");
    let store = db.to_str().unwrap();
    let _ = erdiag(&["lab", "down", "--name", name]);
    let _lab = LabGuard(name.to_string());
    ok(&["lab", "up", "--name", name, "--timeout", "60", "--store", store]);
    ok(&["diagnose", "--lab", name, "--store", store, "-o", "json", "-q"]);
    ok(&["lab", "break", "md5", "--path", "primary", "--name", name, "--timeout", "60", "--store", store]);
    ok(&["lab", "fix", "--name", name, "--timeout", "60", "--store", store]);

    let listed: Value = serde_json::from_slice(&ok(&["history", "--list", "--store", store, "-o", "json"]).stdout).unwrap();
    let circuits = listed.as_array().unwrap();
    assert_eq!(circuits.len(), 1, "{listed:#}");
    let id = circuits[0]["id"].as_str().unwrap();
    let tl: Value = serde_json::from_slice(&ok(&["history", id, "--store", store, "--since", "1h", "-o", "json"]).stdout).unwrap();
    // up, diagnose, break, fix (up and diagnose may fall in the same second: one poll).
    assert!(tl["polls"].as_u64().is_some_and(|n| n >= 3), "{tl:#}");
    let sessions: Vec<&Value> = tl["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "session").collect();
    assert_eq!(sessions.len(), 1, "{tl:#}");
    let s = sessions[0];
    assert_eq!((s["peering"].as_str(), s["path"].as_str()), (Some("AzurePrivatePeering"), Some("primary")), "{s:#}");
    let (down, up) = (s["downAt"].as_str().unwrap(), s["upAt"].as_str().expect("up again after the fix"));
    let (d, u) = (erdiag_model::time::parse_rfc3339(down).unwrap(), erdiag_model::time::parse_rfc3339(up).unwrap());
    assert_eq!(s["lastedSecs"].as_i64(), Some(u - d));
    assert!(u > d, "{s:#}");
    let verdicts = tl["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "verdict").count();
    assert_eq!(verdicts, 2, "healthy → broken → healthy: {tl:#}");

    // The poll before the break (one second before it) against the break.
    let before = format!("@{}", erdiag_model::time::unix_rfc3339(d - 1));
    let o = erdiag(&["diff", &before, &format!("@{down}"), "--store", store, "--circuit", id, "-o", "json"]);
    assert_eq!(o.status.code(), Some(1), "changes: {}", stderr(&o));
    let diff: Value = serde_json::from_slice(&o.stdout).unwrap();
    let withdrawn: Vec<&Value> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "route" && c["change"] == "withdrawn" && c["path"] == "primary")
        .collect();
    assert!(!withdrawn.is_empty(), "the CE's prefixes leave the primary MSEE: {diff:#}");
}

fn root_links() -> Vec<String> {
    let o = Command::new("ip").args(["-j", "link", "show"]).output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    let mut names: Vec<String> = v.as_array().into_iter().flatten().filter_map(|l| l["ifname"].as_str().map(str::to_string)).collect();
    names.sort();
    names
}

fn lab_processes(name: &str) -> Vec<String> {
    let needle = format!("-N\0{name}-");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .filter(|c| c.contains(&needle))
        .collect()
}

fn lab_namespaces(name: &str) -> Vec<String> {
    let o = Command::new("ip").args(["netns", "list"]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).lines().filter_map(|l| l.split_whitespace().next()).filter(|n| n.starts_with(&format!("{name}-"))).map(str::to_string).collect()
}

/// `lab down` leaves no namespace, process, link or file behind, and finds
/// the leftovers of a lab whose state was lost (a crash of `up`). The host's
/// own links are the same before and after.
#[test]
fn down_leaves_nothing_behind() {
    let name = "t-down";
    if !available(name) {
        return;
    }
    let _ = erdiag(&["lab", "down", "--name", name]);
    let before = root_links();
    let guard = LabGuard::up(name);
    assert_eq!(lab_namespaces(name).len(), 5);
    assert_eq!(lab_processes(name).len(), 11, "zebra and bgpd on four routers, bfdd on the CE and the MSEEs");
    assert_eq!(root_links(), before, "the lab creates no link in the host's namespace");
    let status: Value = serde_json::from_slice(&ok(&["lab", "status", "--name", name, "-o", "json"]).stdout).unwrap();
    assert_eq!(status["healthy"], true);
    for p in status["paths"].as_array().unwrap() {
        assert_eq!(p["bgpState"], "Established", "{p}");
        assert_eq!(p["gatewaySession"], "Established", "{p}");
    }

    // A second `up` under the same name is refused.
    let again = erdiag(&["lab", "up", "--name", name]);
    assert_eq!(again.status.code(), Some(2));

    // Lose the state, as a crash would: down must still find everything
    // the lab's marker records.
    let dir = std::path::Path::new("/run/erdiag/lab").join(name);
    std::fs::remove_file(dir.join("lab.json")).unwrap();
    let o = ok(&["lab", "down", "--name", name]);
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains(&format!("namespace {name}-ce")), "{said}");
    assert!(lab_namespaces(name).is_empty(), "namespaces left: {:?}", lab_namespaces(name));
    assert!(lab_processes(name).is_empty(), "processes left: {:?}", lab_processes(name));
    assert!(!dir.exists());
    for role in ["ce", "msee1", "msee2", "gw"] {
        assert!(!std::path::Path::new(&format!("/var/run/frr/{name}-{role}")).exists());
    }
    assert_eq!(root_links(), before);
    drop(guard);

    // And diagnosing a lab that is not up is a clear error (exit 2).
    let o = erdiag(&["diagnose", "--lab", name]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no lab named"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `erdiag emulate --lab` serves the live lab to any ARM client: here
/// erdiag's own live path, as a user with the Azure CLI or an SDK would.
#[test]
fn emulate_serves_the_lab() {
    let name = "t-emul";
    if !available(name) {
        return;
    }
    let _lab = LabGuard::up(name);
    let mut child = Command::new(BIN)
        .args(["emulate", "--lab", name, "--http", "-q"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let url = line.trim().to_string();
    let snap: Value = serde_json::from_slice(&ok(&["lab", "snapshot", "--name", name]).stdout).unwrap();
    let id = erdiag_model::ResourceId::parse(snap["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, circuit) = id.resource_parts().unwrap();
    let o = erdiag(&["diagnose", "--arm-endpoint", &url, "--access-token", "lab", "--subscription", sub, "-g", rg, "-n", circuit, "-o", "json", "-q"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["verdict"], "healthy");
    // Served live: the ARP table carries the routers' real MAC addresses.
    let arp = r["findings"].as_array().unwrap().iter().find(|f| f["check"] == "ER301").unwrap();
    assert!(arp["message"].as_str().unwrap().contains("is at "), "{arp:#}");

    // The data plane: a TCP probe from on-premises (the CE's loopback) to a
    // server on the VNet's host address crosses an MSEE and the gateway.
    let mut server = Command::new(BIN)
        .args(["lab", "exec", "--name", name, "gw", "--", BIN, "perf", "server", "-B", "10.1.0.4", "-q"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let o = erdiag(&["lab", "exec", "--name", name, "ce", "--", BIN, "probe", "tcp", "10.1.0.4:5201", "--source", "10.2.20.1", "-n", "3", "-o", "json", "-q"]);
    let _ = Command::new("ip").args(["netns", "pids", &format!("{name}-gw")]).output().map(|o| {
        for pid in String::from_utf8_lossy(&o.stdout).lines() {
            if std::fs::read_to_string(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c.contains("perf")) {
                let _ = Command::new("kill").arg(pid).status();
            }
        }
    });
    let _ = server.wait();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let probe: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(probe["summary"]["received"], 3, "{probe:#}");
}

/// Usage errors need neither root nor FRR: exit 2 with a hint.
#[test]
fn lab_usage_errors() {
    let o = erdiag(&["lab", "break", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("md5, asn, ce-address"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = erdiag(&["lab", "status", "--name", "Bad Name"]);
    assert_eq!(o.status.code(), Some(2));
    let o = erdiag(&["lab", "up", "no-such-scenario", "--name", "t-usage"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no scenario named"));
    let o = erdiag(&["diagnose", "--lab", "--snapshot", "x.json"]);
    assert_eq!(o.status.code(), Some(2), "--lab and --snapshot conflict");
    let list = ok(&["lab", "break", "--list"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 12);
}

/// A directory of root's under the system's temporary directory, removed
/// when the test ends.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str, mode: u32) -> TempDir {
        use std::os::unix::fs::PermissionsExt;
        let p = std::env::temp_dir().join(format!("erdiag-lab-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir(&p).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `down` removes a directory only under a state root only root can write,
/// and only when it holds a marker erdiag wrote: never `/etc` because
/// `ERDIAG_LAB_DIR=/` and `--name etc`.
#[test]
fn down_removes_only_a_directory_with_the_labs_marker() {
    if !is_root() {
        return;
    }
    let o = erdiag_in(Some(std::path::Path::new("/")), &["lab", "down", "--name", "t-nosuch"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("it is `/`"), "{}", stderr(&o));

    let open = TempDir::new("open", 0o777);
    let o = erdiag_in(Some(&open.0), &["lab", "down", "--name", "t-nosuch"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("writable by root only"), "{}", stderr(&o));

    // In a good root, a directory without the marker, or with a marker
    // anyone could have written, is not a lab.
    let root = TempDir::new("root", 0o755);
    let victim = root.0.join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "mine").unwrap();
    let o = erdiag_in(Some(&root.0), &["lab", "down", "--name", "victim"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a lab directory erdiag made"), "{}", stderr(&o));
    assert!(victim.join("keep.txt").exists());

    let marker = r#"{"format":"erdiag-lab-owner/1","id":"00112233445566778899aabbccddeeff","name":"victim"}"#;
    std::fs::write(victim.join("owner.json"), marker).unwrap();
    std::fs::set_permissions(victim.join("owner.json"), std::os::unix::fs::PermissionsExt::from_mode(0o666)).unwrap();
    let o = erdiag_in(Some(&root.0), &["lab", "down", "--name", "victim"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(victim.join("keep.txt").exists());
}

/// A namespace named like a lab's that the lab did not create: `down`
/// neither kills what runs in it nor deletes it.
#[test]
fn down_leaves_alone_namespaces_it_did_not_create() {
    let name = "t-foreign";
    if !namespaces_available(name) {
        return;
    }
    down_spares_a_foreign_namespace(name, &format!("{name}-ce"));
}

/// Puts a namespace `ns` of the test's making in place, with a process in
/// it, runs `lab down`, and checks that it left both alone (exit 2).
fn down_spares_a_foreign_namespace(name: &str, ns: &str) -> Output {
    let _ = Command::new("ip").args(["netns", "delete", ns]).output();
    assert!(Command::new("ip").args(["netns", "add", ns]).status().unwrap().success());
    let mut sleeper = Command::new("ip").args(["netns", "exec", ns, "sleep", "300"]).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let o = erdiag(&["lab", "down", "--name", name]);
    let alive = sleeper.try_wait().unwrap().is_none();
    let left = lab_namespaces(name);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    let _ = Command::new("ip").args(["netns", "delete", ns]).output();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("left alone: namespace {ns}")), "{}", stderr(&o));
    assert!(alive, "down killed a process of a namespace it did not create");
    assert_eq!(left, vec![ns.to_string()]);
    o
}

/// A lab's namespace replaced by another of the same name is no longer the
/// lab's: `down` removes the rest and leaves that one.
#[test]
fn down_leaves_alone_a_namespace_that_replaced_the_labs() {
    let name = "t-swap";
    if !available(name) {
        return;
    }
    let guard = LabGuard::up(name);
    let o = down_spares_a_foreign_namespace(name, &format!("{name}-l2"));
    drop(guard);
    assert!(stderr(&o).contains(&format!("removed namespace {name}-ce")), "{}", stderr(&o));
}

/// The `frr` user owns /var/run/frr: a link it plants there under the name
/// of a lab's run directory must not make `up` hand the link's target to it.
#[test]
fn up_follows_no_link_the_frr_user_planted() {
    use std::os::unix::fs::MetadataExt;
    let name = "t-symlk";
    if !available(name) {
        return;
    }
    let _ = erdiag(&["lab", "down", "--name", name]);
    let victim = TempDir::new("victim", 0o755);
    let link = format!("/var/run/frr/{name}-ce");
    let _ = std::fs::remove_file(&link);
    let planted = Command::new("runuser").args(["-u", "frr", "--", "ln", "-s"]).arg(&victim.0).arg(&link).status().unwrap();
    assert!(planted.success(), "the frr user plants a link in its run directory");
    let o = erdiag(&["lab", "up", "--name", name, "--timeout", "60"]);
    let owner = std::fs::metadata(&victim.0).unwrap().uid();
    let _ = std::fs::remove_file(&link);
    let _ = erdiag(&["lab", "down", "--name", name]);
    assert_eq!(owner, 0, "lab up handed {} to frr through the link", victim.0.display());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("this lab did not make it"), "{}", stderr(&o));
    assert!(lab_namespaces(name).is_empty(), "a refused up leaves nothing: {:?}", lab_namespaces(name));
}

/// `msee-down` stops the daemons the lab started, whatever pid the `frr`
/// user writes in the pid files it owns.
#[test]
fn msee_down_stops_only_the_daemons_the_lab_started() {
    let name = "t-pidfl";
    if !available(name) {
        return;
    }
    let _lab = LabGuard::up(name);
    let mut victim = Command::new("sleep").arg("300").spawn().unwrap();
    for dir in [format!("/var/run/frr/{name}-msee2"), format!("/run/erdiag/lab/{name}/msee2")] {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.path().extension().is_some_and(|x| x == "pid") {
                std::fs::write(e.path(), format!("{}\n", victim.id())).unwrap();
            }
        }
    }
    let o = erdiag(&["lab", "break", "msee-down", "--path", "secondary", "--name", name, "--timeout", "30"]);
    let alive = victim.try_wait().unwrap().is_none();
    let _ = victim.kill();
    let _ = victim.wait();
    assert!(alive, "lab break killed the process named in a pid file");
    assert!(o.status.success(), "{}", stderr(&o));
    let status: Value = serde_json::from_slice(&ok(&["lab", "status", "--name", name, "-o", "json"]).stdout).unwrap();
    assert_eq!(status["paths"][1]["mseeRunning"], false, "{status:#}");
}
