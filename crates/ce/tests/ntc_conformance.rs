//! Conformance with ntc-templates: every `.raw` of
//! `$ERDIAG_CORPUS/ntc-templates/<platform>/<command>/` parses, with the
//! platform and command taken from the directory names as ntc-templates'
//! own test harness does, to exactly the records of its `.yml` (same count,
//! same order, same fields, same values). Then the Batfish lab outputs of
//! `$ERDIAG_CORPUS/show-outputs/` are recognised and parse without error.
//!
//! Without `ERDIAG_CORPUS` the test is skipped with a notice — except under
//! CI, where a missing corpus is a failure.

mod common;

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    common::conformance_corpus("ntc-templates", "the ntc-templates and Batfish show-output conformance tests (see CONTRIBUTING.md)")
}

/// Command directories of the corpus erdiag does not parse, with the reason.
/// Every other directory must match record for record.
const NOT_PARSED: &[(&str, &str, &str)] = &[(
    "cisco_ios",
    "show_running-config_interface",
    "a configuration, not a show output: read by the configuration parsers (the second half of the customer-edge cross-check)",
)];

#[test]
fn ntc_templates_records_match() {
    let Some(root) = corpus() else { return };
    let root = root.join("ntc-templates");
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut dirs = Vec::new();
    for p in sorted(&root) {
        if !p.is_dir() {
            continue;
        }
        for c in sorted(&p) {
            if c.is_dir() {
                dirs.push(c);
            }
        }
    }
    assert!(!dirs.is_empty(), "no command directories under {}", root.display());
    for dir in dirs {
        let platform = dir.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
        let command_dir = dir.file_name().unwrap().to_str().unwrap().to_string();
        if NOT_PARSED.iter().any(|(p, c, _)| *p == platform && *c == command_dir) {
            continue;
        }
        let command = command_dir.replace('_', " ");
        for raw in sorted(&dir).into_iter().filter(|f| f.extension().is_some_and(|e| e == "raw")) {
            let yml = raw.with_extension("yml");
            let expected = read_expected(&yml);
            let text = read_text(&raw);
            let p = erdiag_ce::Platform::from_ntc_name(&platform).unwrap_or_else(|| panic!("unknown platform {platform}"));
            let name = raw.strip_prefix(&root).unwrap().display().to_string();
            let got = match erdiag_ce::parse(&text, Some(p), Some(&command)) {
                Ok(parsed) => {
                    // The typed model is derived from every record.
                    assert!(parsed.records_ntc.is_empty() || !parsed.model.is_empty(), "{name}: records but no typed model");
                    parsed.records_ntc
                }
                Err(e) => {
                    failures.push(format!("{name}: error: {e}"));
                    continue;
                }
            };
            let entry = counts.entry(format!("{platform} / {command}")).or_default();
            entry.0 += 1;
            if got.len() != expected.len() {
                failures.push(format!("{name}: {} records, expected {}", got.len(), expected.len()));
            }
            for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
                if g != e {
                    let mut diff = Vec::new();
                    for k in e.keys().chain(g.keys().filter(|k| !e.contains_key(*k))) {
                        if g.get(k) != e.get(k) {
                            diff.push(format!("{k}: got {} expected {}", show(g.get(k)), show(e.get(k))));
                        }
                    }
                    failures.push(format!("{name}: record {i}: {}", diff.join("; ")));
                } else {
                    entry.1 += 1;
                }
            }
        }
    }
    use std::io::Write;
    let mut err = std::io::stderr();
    let total: usize = counts.values().map(|c| c.1).sum();
    let _ = writeln!(err, "ntc-templates conformance: {total} records matched");
    for (k, (files, recs)) in &counts {
        let _ = writeln!(err, "  {k}: {files} files, {recs} records");
    }
    for (p, c, why) in NOT_PARSED {
        let _ = writeln!(err, "  not parsed: {p}/{c}: {why}");
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.iter().take(60).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn batfish_show_outputs_parse() {
    let Some(root) = corpus() else { return };
    let root = root.join("show-outputs").join("batfish-lab-validation");
    assert!(root.is_dir(), "{} is missing", root.display());
    let mut files = Vec::new();
    walk(&root, &mut files);
    let files: Vec<PathBuf> = files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "txt")).collect();
    assert!(files.len() >= 24, "expected the 24 Batfish outputs, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.strip_prefix(&root).unwrap().display().to_string();
        let text = read_text(f);
        match erdiag_ce::parse(&text, None, None) {
            Ok(p) => {
                if p.records_ntc.is_empty() {
                    failures.push(format!("{name}: no records ({} `{}`)", p.platform, p.command));
                }
                if !p.warnings.is_empty() {
                    failures.push(format!("{name}: {} `{}`: warnings: {:?}", p.platform, p.command, p.warnings.iter().take(5).collect::<Vec<_>>()));
                }
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "  {name}: {} `{}`: {} records", p.platform, p.command, p.records_ntc.len());
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn show(v: Option<&Value>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into())
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for p in sorted(dir) {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn read_text(p: &Path) -> String {
    String::from_utf8(std::fs::read(p).unwrap()).unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", p.display()))
}

/// Reads the subset of YAML ntc-templates' expected files use:
/// `parsed_sample:` holding a list of flat mappings whose values are
/// double-quoted strings (with escapes and folded continuation lines),
/// `[]`, or block lists of double-quoted strings.
fn read_expected(p: &Path) -> Vec<Map<String, Value>> {
    let text = read_text(p);
    let mut lines = text.lines().peekable();
    let mut records: Vec<Map<String, Value>> = Vec::new();
    let mut started = false;
    // The key waiting for a block list, and its indentation.
    let mut pending_list: Option<String> = None;
    let mut record_indent: Option<usize> = None;
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if t.is_empty() || t == "---" || t.starts_with('#') {
            continue;
        }
        if !started {
            assert!(t.starts_with("parsed_sample:"), "{}: expected parsed_sample, got `{line}`", p.display());
            started = true;
            if t.trim_end().ends_with("[]") {
                return records;
            }
            continue;
        }
        let mut t = t;
        if let Some(rest) = t.strip_prefix("- ") {
            let ri = *record_indent.get_or_insert(indent);
            if indent > ri {
                // An item of a block list.
                let key = pending_list.as_ref().unwrap_or_else(|| panic!("{}: list item without a key: `{line}`", p.display()));
                let v = read_scalar(rest, &mut lines, p);
                let rec = records.last_mut().unwrap();
                rec.get_mut(key).unwrap().as_array_mut().unwrap().push(Value::String(v));
                continue;
            }
            // A new record.
            records.push(Map::new());
            t = rest;
        }
        let (key, value) = split_key(t, p);
        let rec = records.last_mut().unwrap_or_else(|| panic!("{}: field before any record", p.display()));
        let value = value.trim();
        if value.is_empty() {
            rec.insert(key.clone(), Value::Array(Vec::new()));
            pending_list = Some(key);
        } else if value == "[]" {
            rec.insert(key, Value::Array(Vec::new()));
            pending_list = None;
        } else {
            let v = read_scalar(value, &mut lines, p);
            rec.insert(key, Value::String(v));
            pending_list = None;
        }
    }
    records
}

fn split_key<'a>(t: &'a str, p: &Path) -> (String, &'a str) {
    if let Some(rest) = t.strip_prefix('"') {
        let end = rest.find('"').unwrap_or_else(|| panic!("{}: bad key `{t}`", p.display()));
        let after = rest[end + 1..].strip_prefix(':').unwrap_or_else(|| panic!("{}: bad key `{t}`", p.display()));
        (rest[..end].to_string(), after)
    } else {
        let (k, v) = t.split_once(':').unwrap_or_else(|| panic!("{}: no key in `{t}`", p.display()));
        (k.to_string(), v)
    }
}

/// A double-quoted YAML scalar, possibly continued on the next lines.
fn read_scalar<'a>(first: &str, lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>, p: &Path) -> String {
    let first = first.trim();
    assert!(first.starts_with('"'), "{}: unquoted scalar `{first}` is outside the subset this reader knows", p.display());
    let mut raw = first[1..].to_string();
    // Gather lines until the closing quote.
    loop {
        if let Some(end) = closing_quote(&raw) {
            raw.truncate(end);
            break;
        }
        let next = lines.next().unwrap_or_else(|| panic!("{}: unterminated string", p.display()));
        raw.push('\n');
        raw.push_str(next);
    }
    unescape(&raw)
}

fn closing_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// YAML double-quoted escapes and line folding.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {
                    // Escaped line break: joined without a space; leading
                    // blanks of the next line are dropped.
                    while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                        chars.next();
                    }
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('/') => out.push('/'),
                Some(' ') => out.push(' '),
                Some('0') => out.push('\0'),
                Some('x') => {
                    let h: String = chars.by_ref().take(2).collect();
                    out.push(char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap());
                }
                Some('u') => {
                    let h: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap());
                }
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            },
            '\n' => {
                // Folded line break: a space (blank lines would be newlines).
                while out.ends_with(' ') || out.ends_with('\t') {
                    out.pop();
                }
                while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                    chars.next();
                }
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn yaml_subset_reader() {
    let dir = std::env::temp_dir().join(format!("erdiag-ce-yaml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("t.yml");
    std::fs::write(
        &f,
        "---\nparsed_sample:\n  - a: \"1\"\n    \"type\": \"\"\n    l:\n      - \"x\"\n      - \"y: z\"\n    e: []\n    long: \"Admin. shutdown (CEASE notification sent - administrative\\\n      \\ shutdown)\"\n  - a: \"2\"\n    l: []\n",
    )
    .unwrap();
    let r = read_expected(&f);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0]["a"], "1");
    assert_eq!(r[0]["type"], "");
    assert_eq!(r[0]["l"], serde_json::json!(["x", "y: z"]));
    assert_eq!(r[0]["e"], serde_json::json!([]));
    assert_eq!(r[0]["long"], "Admin. shutdown (CEASE notification sent - administrative shutdown)");
    assert_eq!(r[1]["l"], serde_json::json!([]));
    let _ = std::fs::remove_dir_all(&dir);
}
