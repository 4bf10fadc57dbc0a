//! `erdiag import`'s hints and errors name only flags that `erdiag import
//! --help` shows: every flag written in the importer's messages is checked
//! against the help, and the hints the binary prints are followed.

mod common;
use common::*;
use std::path::Path;

/// The `--flags` in `text`: `--name`, `--resource-group`.
fn flags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("--") {
        let s = i + at;
        let e = s + 2 + text[s + 2..].find(|c: char| !(c.is_ascii_lowercase() || c == '-')).unwrap_or(text.len() - s - 2);
        let word_start = s == 0 || !(b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'-');
        if word_start && e > s + 2 && b[s + 2].is_ascii_lowercase() {
            out.push(text[s..e].trim_end_matches('-').to_string());
        }
        i = e.max(s + 2);
    }
    out
}

fn shows(help: &str, flag: &str) -> bool {
    flags(help).iter().any(|f| f == flag)
}

/// The string literals of a Rust file outside comments and `#[cfg(test)]`.
fn literals(src: &str) -> Vec<String> {
    let code = src.split("#[cfg(test)]").next().unwrap_or(src);
    let mut out = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(a) = rest.find('"') {
            if rest.find("//").is_some_and(|c| c < a) {
                break;
            }
            let after = &rest[a + 1..];
            let mut end = None;
            let mut esc = false;
            for (j, c) in after.char_indices() {
                match (esc, c) {
                    (true, _) => esc = false,
                    (false, '\\') => esc = true,
                    (false, '"') => {
                        end = Some(j);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(j) = end else { break };
            out.push(after[..j].to_string());
            rest = &after[j + 1..];
        }
    }
    out
}

#[test]
fn every_flag_the_importer_names_is_in_the_help() {
    let help = stdout(&erdiag(&["import", "--help"]));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/src");
    let mut checked = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for lit in literals(&src) {
            for flag in flags(&lit) {
                let before = &lit[..lit.find(&flag).unwrap()];
                // Another tool's flag, shown as that tool's command.
                if before.contains("az ") {
                    continue;
                }
                // Another erdiag command's flag: in that command's help.
                let sub = before.rsplit("erdiag ").next().filter(|_| before.contains("erdiag ")).and_then(|s| s.split_whitespace().next());
                let ok = match sub {
                    Some(sub) => shows(&stdout(&erdiag(&[sub, "--help"])), &flag),
                    None => shows(&help, &flag),
                };
                checked += 1;
                if !ok {
                    missing.push(format!("{}: {flag} in \"{lit}\"", path.file_name().unwrap().to_string_lossy()));
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} flags found: the scan is broken");
    assert!(missing.is_empty(), "flags the importer names but `erdiag import --help` does not show:\n{}", missing.join("\n"));
}

/// The hint for a list of several circuits names a flag the help shows, and
/// following it imports the circuit.
#[test]
fn the_hint_for_several_circuits_can_be_followed() {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/az-circuit-list.json");
    let list = list.to_str().unwrap();
    let out = erdiag(&["import", list]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let hint = err.lines().find(|l| l.starts_with("hint:")).unwrap_or_else(|| panic!("no hint: {err}"));
    let named = flags(hint);
    assert!(!named.is_empty(), "{hint}");
    let help = stdout(&erdiag(&["import", "--help"]));
    for f in &named {
        assert!(shows(&help, f), "the hint names {f}, which `erdiag import --help` does not show:\n{hint}");
    }
    let out = erdiag(&["import", list, named[0].as_str(), "er-ckt-lon"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("/expressRouteCircuits/er-ckt-lon\""));
}

#[test]
fn the_flag_scan_finds_flags() {
    assert_eq!(flags("pass --name NAME (with --resource-group RG), or --circuit-id ID"), ["--name", "--resource-group", "--circuit-id"]);
    assert!(flags("a -- b, x--y, ---").is_empty());
    assert_eq!(literals("let a = \"x \\\"--y\\\"\"; // \"--z\"\n// \"--w\"\n#[cfg(test)]\n\"--v\""), ["x \\\"--y\\\""]);
}
