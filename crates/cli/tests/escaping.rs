//! Data cannot drive the terminal or the markdown, through the real binary:
//! escape sequences, carriage returns and bidi overrides in a snapshot or in
//! an ACL-test file reach the table and the error messages as visible text,
//! and markdown metacharacters, HTML and links stay text in `-o markdown`.

mod common;
use common::*;

const EVIL: &str = "ckt\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}x\r|a|b\n# h <script>alert(1)</script> [c](javascript:alert(1)) `t` *e* \u{202e}gnp.exe";

fn hostile_snapshot(dir: &std::path::Path) -> String {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join("secondary-path-down/snapshot.json")).unwrap()).unwrap();
    let id = v["circuitId"].as_str().unwrap().to_string();
    let c = &mut v["resources"][&id];
    c["name"] = EVIL.into();
    c["properties"]["serviceProviderProperties"]["serviceProviderName"] = EVIL.into();
    c["properties"]["serviceProviderProperties"]["peeringLocation"] = EVIL.into();
    let p = dir.join("hostile.json");
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p.display().to_string()
}

fn no_controls(what: &str, s: &str) {
    for c in s.chars() {
        assert!(!(c.is_control() && c != '\n') && !('\u{202a}'..='\u{202e}').contains(&c), "{what}: raw {:?} in\n{s}", c);
    }
}

#[test]
fn the_table_shows_control_characters_as_text() {
    let file = hostile_snapshot(&tmp_dir("escaping-table"));
    let out = erdiag(&["diagnose", "--snapshot", &file, "-o", "table", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = stdout(&out);
    no_controls("table", &s);
    assert!(s.contains("ckt\\x1b[2J\\x1b]8;;https://evil.example\\x07x\\x0d|a|b\\x0a# h"), "{s}");
    assert!(s.contains("\\u{202e}gnp.exe"), "{s}");
    // With colour, the only escape sequences are erdiag's own styles.
    let s = stdout(&erdiag(&["diagnose", "--snapshot", &file, "-o", "table", "--color", "always"]));
    assert!(!s.contains("\u{1b}[2J") && !s.contains("\u{1b}]8;") && !s.contains('\r'), "{s:?}");
}

#[test]
fn markdown_keeps_data_as_text() {
    let file = hostile_snapshot(&tmp_dir("escaping-md"));
    let out = erdiag(&["diagnose", "--snapshot", &file, "-o", "markdown"]);
    let all = stdout(&out);
    no_controls("markdown", &all);
    // The Mermaid block is code: its labels have their own escaping.
    let (before, rest) = all.split_once("```mermaid").unwrap();
    let md = format!("{before}{}", rest.split_once("```").unwrap().1);
    for raw in ["<script>", "[c](javascript:", "|a|b", "`t`", "*e*"] {
        assert!(!md.contains(raw), "{raw} passes through:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;") && md.contains("\\[c\\](javascript:alert(1))") && md.contains("\\|a\\|b"), "{md}");
    // Every row of the summary table has its two cells, whatever the data.
    for row in md.lines().take_while(|l| !l.starts_with("## ")).filter(|l| l.starts_with('|')) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 3, "{row}");
    }
    assert!(md.lines().any(|l| l.starts_with("# ExpressRoute circuit ckt")), "the title stays one line:\n{md}");
}

#[test]
fn error_messages_show_control_characters_as_text() {
    let dir = tmp_dir("escaping-err");
    let acl = dir.join("acl.txt");
    std::fs::write(&acl, "src 10.0.0.0 \u{1b}[2J\u{1b}]0;pwned\u{7} dst 20.0.0.0\n").unwrap();
    let out = erdiag(&["diagnose", "--snapshot", &scenarios_dir().join("md5-mismatch/snapshot.json").display().to_string(), "--acl-test", &format!("primary={}", acl.display())]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    no_controls("stderr", &e);
    // Shown escaped (the ACL reader escapes its quotes itself, as `\u{1b}`).
    assert!(e.contains("\\x1b[2J\\x1b]0;pwned\\x07") || e.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{e}");
    let bad = dir.join("show.txt");
    std::fs::write(&bad, "\u{1b}[31mnot a router\r\n").unwrap();
    let e = stderr(&erdiag(&["parse", &bad.display().to_string()]));
    no_controls("parse stderr", &e);
    assert!(e.contains("\\x1b[31mnot a router"), "{e}");
}

#[test]
fn the_emulator_request_log_shows_a_hostile_path_as_text() {
    use std::io::{BufRead, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["emulate", "--http", "healthy-private"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut url).unwrap();
    let addr = url.trim().trim_start_matches("http://").to_string();
    // Raw UTF-8 in the request target: a bidi override and an isolate.
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all("GET /x\u{202e}gnp.exe\u{2066}/y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let logged = loop {
        match rx.recv_timeout(std::time::Duration::from_secs(20)) {
            Ok(line) if line.contains(" GET ") => break line,
            Ok(_) => continue,
            Err(e) => panic!("no request logged ({e}); answer: {}", String::from_utf8_lossy(&answer)),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    no_controls("request log", &logged);
    assert!(!logged.contains('\u{2066}'), "{logged:?}");
    assert!(logged.contains("\\u{202e}gnp.exe\\u{2066}"), "{logged}");
}

#[test]
fn snapshots_written_as_json_carry_invisible_characters_escaped() {
    // `az network express-route show` output whose circuit name hides a bidi override.
    let dir = tmp_dir("escaping-import");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join("secondary-path-down/snapshot.json")).unwrap()).unwrap();
    let mut circuit = v["resources"][v["circuitId"].as_str().unwrap()].clone();
    circuit["name"] = "ckt\u{202e}gnp.exe".into();
    let file = dir.join("circuit.json");
    std::fs::write(&file, serde_json::to_vec(&circuit).unwrap()).unwrap();
    let out = erdiag(&["import", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    no_controls("import", &s);
    assert!(s.contains("ckt\\u202egnp.exe"), "{s}");
    // The value read back is the one imported.
    let back: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert!(back.to_string().contains("ckt\u{202e}gnp.exe"));
}
