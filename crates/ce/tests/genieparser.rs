//! Conformance with genieparser's golden outputs: every case of
//! `$ERDIAG_CORPUS/genieparser/<os>/<ParserClass>/` whose command erdiag
//! parses is read, and the facts of genieparser's expected dict — BGP
//! neighbours, their AS and state or prefix count, prefixes, next hops,
//! interfaces, ARP addresses — are looked for in erdiag's output (the
//! ntc-templates records and the typed model together). genieparser's schema
//! is not erdiag's: facts are compared, not field names.
//!
//! A fact erdiag does not give must have been reported: a warning naming a
//! line that holds the fact, or an error. A fact missing without a word is a
//! silent loss; a record whose key (neighbour, prefix, address, interface) is
//! empty or is neither in the input nor in genieparser's dict is invented.
//! Both must be zero. Facts genieparser derives from elsewhere than the text
//! (an interface name expanded from an abbreviation the text does not hold)
//! are counted apart.
//!
//! Without `ERDIAG_CORPUS` the test is skipped with a notice — except under
//! CI, where a missing corpus is a failure.

mod common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    Some(common::conformance_corpus("genieparser", "the genieparser conformance test (see CONTRIBUTING.md)")?.join("genieparser"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cat {
    Neighbor,
    As,
    State,
    Prefix,
    NextHop,
    Interface,
}

#[derive(Default, Debug)]
struct Counts {
    cases: usize,
    not_supported: usize,
    matched: usize,
    reported: usize,
    derived: usize,
    silent: Vec<String>,
    invented: Vec<String>,
}

#[test]
fn genieparser_facts_are_given_or_reported() {
    let Some(root) = corpus() else { return };
    let mut c = Counts::default();
    let mut unsupported = BTreeSet::new();
    for os in sorted(&root).into_iter().filter(|p| p.is_dir()) {
        let os_name = os.file_name().unwrap().to_str().unwrap().to_string();
        let platform = match os_name.as_str() {
            "ios" | "iosxe" => erdiag_ce::Platform::CiscoIos,
            "nxos" => erdiag_ce::Platform::CiscoNxos,
            "iosxr" => erdiag_ce::Platform::CiscoXr,
            "junos" => erdiag_ce::Platform::JuniperJunos,
            other => panic!("unknown genieparser os folder {other}"),
        };
        for class in sorted(&os).into_iter().filter(|p| p.is_dir()) {
            let class_name = class.file_name().unwrap().to_str().unwrap().to_string();
            for out in sorted(&class).into_iter().filter(|f| {
                f.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .ends_with("_output.txt")
            }) {
                let fname = out.file_name().unwrap().to_str().unwrap();
                let exp = class.join(format!(
                    "{}_expected.py",
                    fname.trim_end_matches("_output.txt")
                ));
                if !exp.exists() {
                    continue;
                }
                let name = out.strip_prefix(&root).unwrap().display().to_string();
                let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
                let command = prompt_command(&text).unwrap_or_else(|| class_command(&class_name));
                let expected = read_expected(&exp);
                check_case(
                    &name,
                    platform,
                    &command,
                    &text,
                    &expected,
                    &mut c,
                    &mut unsupported,
                );
            }
        }
    }
    eprintln!(
        "genieparser: {} cases ({} more not supported by erdiag), facts matched {}, facts reported missing {}, facts not in the text {}, silent losses {}, invented {}",
        c.cases,
        c.not_supported,
        c.matched,
        c.reported,
        c.derived,
        c.silent.len(),
        c.invented.len()
    );
    eprintln!(
        "genieparser: commands refused: {}",
        unsupported.into_iter().collect::<Vec<_>>().join("; ")
    );
    assert!(
        c.cases > 0,
        "no genieparser case erdiag supports under {}",
        root.display()
    );
    let show = |v: &[String]| v.iter().take(40).cloned().collect::<Vec<_>>().join("\n  ");
    assert!(
        c.silent.is_empty() && c.invented.is_empty(),
        "{} facts lost silently:\n  {}\n{} records invented:\n  {}",
        c.silent.len(),
        show(&c.silent),
        c.invented.len(),
        show(&c.invented)
    );
}

fn check_case(
    name: &str,
    platform: erdiag_ce::Platform,
    command: &str,
    text: &str,
    expected: &Value,
    c: &mut Counts,
    unsupported: &mut BTreeSet<String>,
) {
    let parsed = match erdiag_ce::parse(text, Some(platform), Some(command)) {
        Ok(p) => p,
        Err(erdiag_ce::ParseError::UnknownCommand { .. }) => {
            c.not_supported += 1;
            unsupported.insert(format!("{platform} `{command}`"));
            return;
        }
        Err(e) => {
            // Refused with exit 2: every fact is reported.
            c.cases += 1;
            c.reported += facts(expected).len();
            let _ = e;
            return;
        }
    };
    c.cases += 1;
    let mut given: BTreeSet<String> = BTreeSet::new();
    let mut keys: Vec<String> = Vec::new();
    for r in &parsed.records_ntc {
        collect(&Value::Object(r.clone()), &mut given);
    }
    let model = serde_json::to_value(&parsed.model).unwrap();
    collect(&model, &mut given);
    if let Some(recs) = model["records"].as_array() {
        for r in recs {
            for k in ["neighbor", "prefix", "ip", "name", "table"] {
                if let Some(v) = r.get(k).and_then(Value::as_str) {
                    keys.push(v.to_string());
                    break;
                }
            }
        }
    }
    let given_ifaces: BTreeSet<String> = given.iter().map(|s| iface_key(s)).collect();
    let warned: BTreeSet<usize> = parsed.warnings.iter().map(|w| w.line).collect();
    let nothing = parsed.records_ntc.is_empty() && parsed.model.is_empty() && warned.contains(&0);
    let lines: Vec<&str> = text.lines().collect();
    for (cat, fact) in facts(expected) {
        let f = fact.to_ascii_lowercase();
        let found = match cat {
            Cat::Interface => given_ifaces.contains(&iface_key(&f)),
            _ => given.contains(&f),
        };
        if found {
            c.matched += 1;
            continue;
        }
        let holds = |l: &str| {
            l.split(|ch: char| ch.is_whitespace() || ch == ',' || ch == '(' || ch == ')')
                .any(|t| {
                    if cat == Cat::Interface {
                        iface_key(&t.to_ascii_lowercase()) == iface_key(&f)
                    } else {
                        t.to_ascii_lowercase() == f
                    }
                })
        };
        // The command line pasted with the output is not output (the
        // neighbour of `… neighbors X advertised-routes`).
        let at: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| holds(l) && !(*i < 3 && prompt_command(l).is_some()))
            .map(|(i, _)| i + 1)
            .collect();
        if at.is_empty() {
            c.derived += 1;
        } else if nothing || at.iter().any(|n| warned.contains(n)) {
            c.reported += 1;
        } else {
            c.silent.push(format!(
                "{name} ({command}): {cat:?} `{fact}` (line {})",
                at[0]
            ));
        }
    }
    let mut exp_strings = BTreeSet::new();
    collect_keys(expected, &mut exp_strings);
    let text_lower = text.to_ascii_lowercase();
    for k in keys {
        let lk = k.to_ascii_lowercase();
        if lk.is_empty() || !(text_lower.contains(&lk) || exp_strings.contains(&lk)) {
            c.invented
                .push(format!("{name} ({command}): a record for `{k}`"));
        }
    }
}

/// The facts of genieparser's expected dict.
fn facts(v: &Value) -> Vec<(Cat, String)> {
    let mut out = Vec::new();
    walk(v, "", 0, &mut out);
    out.sort();
    out.dedup();
    out
}

fn walk(v: &Value, parent: &str, depth: usize, out: &mut Vec<(Cat, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if matches!(parent, "neighbor" | "neighbors" | "peer") && x.is_object() {
                    out.push((Cat::Neighbor, k.clone()));
                }
                if is_prefix(k) {
                    out.push((Cat::Prefix, k.clone()));
                }
                if (matches!(parent, "interfaces" | "interface" | "outgoing_interface")
                    || depth == 0 && looks_like_interface(k))
                    && x.is_object()
                {
                    out.push((Cat::Interface, k.clone()));
                }
                if let Some(s) = scalar(x) {
                    match k.as_str() {
                        "next_hop" | "nexthop" => out.push((Cat::NextHop, s)),
                        "as" | "remote_as" | "peer_as" | "neighbor_as" => out.push((Cat::As, s)),
                        "state_pfxrcd" | "session_state" => out.push((Cat::State, s)),
                        "outgoing_interface" => out.push((Cat::Interface, s)),
                        _ => {}
                    }
                }
                walk(x, k, depth + 1, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, parent, depth + 1, out)),
        _ => {}
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_prefix(k: &str) -> bool {
    match k.split_once('/') {
        Some((a, l)) => {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_digit())
                && a.parse::<std::net::IpAddr>().is_ok()
        }
        None => false,
    }
}

fn looks_like_interface(k: &str) -> bool {
    k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars().any(|c| c.is_ascii_digit())
        && !k.contains(' ')
}

/// An interface name compared across abbreviations: the first two letters
/// and everything from the first digit (`GigabitEthernet0/1` = `Gi0/1`).
fn iface_key(s: &str) -> String {
    let s = s.to_ascii_lowercase();
    match s.find(|c: char| c.is_ascii_digit()) {
        Some(i) if i >= 2 => format!("{}{}", &s[..2], &s[i..]),
        _ => s,
    }
}

/// Every scalar of erdiag's output, lower-cased, and each of its words.
fn collect(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => m.values().for_each(|x| collect(x, out)),
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        Value::String(s) => {
            let l = s.to_ascii_lowercase();
            for w in l.split_whitespace() {
                out.insert(w.to_string());
            }
            out.insert(l);
        }
        Value::Number(n) => {
            out.insert(n.to_string());
        }
        _ => {}
    }
}

/// Every key and scalar of genieparser's dict, lower-cased.
fn collect_keys(v: &Value, out: &mut BTreeSet<String>) {
    if let Value::Object(m) = v {
        for k in m.keys() {
            out.insert(k.to_ascii_lowercase());
        }
    }
    collect(v, out);
}

/// The command of the prompt line pasted with the output, if any.
fn prompt_command(text: &str) -> Option<String> {
    text.lines().take(3).find_map(|l| {
        let l = l.trim();
        let rest = match l.find(['#', '>']) {
            Some(i) if !l[..i].contains(' ') => l[i + 1..].trim(),
            _ => l,
        };
        rest.to_ascii_lowercase()
            .starts_with("show ")
            .then(|| rest.to_string())
    })
}

/// The command a genieparser class parses: `ShowIpBgpAllSummary` →
/// `show ip bgp all summary`.
fn class_command(class: &str) -> String {
    let mut words = Vec::new();
    let mut cur = String::new();
    for ch in class.chars() {
        if ch.is_ascii_uppercase() && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(ch.to_ascii_lowercase());
    }
    words.push(cur);
    words
        .join(" ")
        .replace("advertised routes", "advertised-routes")
        .replace("no resolve", "no-resolve")
        .replace("instance all all", "instance all all all")
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn read_expected(p: &Path) -> Value {
    let src = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let start = src
        .find('=')
        .unwrap_or_else(|| panic!("{}: no `expected_output =`", p.display()));
    let mut r = Py {
        s: src[start + 1..].as_bytes(),
        pos: 0,
    };
    r.value()
        .unwrap_or_else(|e| panic!("{}: byte {}: {e}", p.display(), start + 1 + r.pos))
}

/// A reader of the Python literals genieparser's expected files hold:
/// dicts, lists, tuples, strings, numbers, `True`/`False`/`None`.
struct Py<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Py<'_> {
    fn skip(&mut self) {
        while self.pos < self.s.len() {
            match self.s[self.pos] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\\' => self.pos += 1,
                b'#' => {
                    while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip();
        self.s.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek().ok_or("unexpected end")? {
            b'{' => {
                self.pos += 1;
                let mut m = serde_json::Map::new();
                loop {
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(Value::Object(m));
                    }
                    let k = match self.value()? {
                        Value::String(s) => s,
                        Value::Array(a) => a
                            .iter()
                            .map(|x| {
                                x.as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| x.to_string())
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                        other => other.to_string(),
                    };
                    if self.peek() != Some(b':') {
                        return Err("expected `:`".into());
                    }
                    self.pos += 1;
                    let v = self.value()?;
                    m.insert(k, v);
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
            }
            open @ (b'[' | b'(') => {
                let close = if open == b'[' { b']' } else { b')' };
                self.pos += 1;
                let mut a = Vec::new();
                loop {
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        return Ok(Value::Array(a));
                    }
                    a.push(self.value()?);
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
            }
            b'\'' | b'"' => {
                // Adjacent literals concatenate.
                let mut s = String::new();
                while let Some(q @ (b'\'' | b'"')) = self.peek() {
                    s.push_str(&self.string(q)?);
                }
                Ok(Value::String(s))
            }
            _ => {
                let start = self.pos;
                while self.pos < self.s.len()
                    && !matches!(
                        self.s[self.pos],
                        b',' | b':' | b'}' | b']' | b')' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.pos += 1;
                }
                let w = std::str::from_utf8(&self.s[start..self.pos]).map_err(|e| e.to_string())?;
                Ok(match w {
                    "True" => Value::Bool(true),
                    "False" => Value::Bool(false),
                    "None" => Value::Null,
                    _ => w
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| w.parse::<f64>().map(Value::from))
                        .map_err(|_| format!("not a literal: `{w}`"))?,
                })
            }
        }
    }

    fn string(&mut self, q: u8) -> Result<String, String> {
        let triple = self.s[self.pos..].starts_with(&[q, q, q]);
        self.pos += if triple { 3 } else { 1 };
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.pos).ok_or("unterminated string")?;
            if b == q && (!triple || self.s[self.pos..].starts_with(&[q, q, q])) {
                self.pos += if triple { 3 } else { 1 };
                return String::from_utf8(out).map_err(|e| e.to_string());
            }
            if b == b'\\' {
                let e = *self.s.get(self.pos + 1).ok_or("unterminated escape")?;
                self.pos += 2;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'\n' => {}
                    other => out.push(other),
                }
                continue;
            }
            out.push(b);
            self.pos += 1;
        }
    }
}

#[test]
fn python_literal_reader() {
    let mut r = Py {
        s: br#"{"a": {'b': [1, -2, 3.5], "c": ("x", None)}, "d": True, 'e' 'f': "g\"h",}"#,
        pos: 0,
    };
    let v = r.value().unwrap();
    assert_eq!(
        v,
        serde_json::json!({"a": {"b": [1, -2, 3.5], "c": ["x", null]}, "d": true, "ef": "g\"h"})
    );
}
