//! The architecture's invariants, checked on the source tree (ARCHITECTURE.md,
//! "Invariants"):
//!
//! - only the CLI knows terminals and exit codes: no library crate's `src`
//!   (the test-only crates/testsupport aside)
//!   prints (`println!`, `print!`, `eprintln!`, `eprint!`), opens standard
//!   output or standard error, or exits the process;
//! - every environment variable read is in README.md's one table;
//! - no module of a crate imports, through a chain of `use crate::…` /
//!   `super::…` paths, a module that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a library must not write: it returns values and errors, the CLI
/// decides what reaches the terminal and the exit code.
const FORBIDDEN: &[&str] = &["println!", "print!", "eprintln!", "eprint!", "process::exit", "stdout()", "stderr()"];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Each crate with a `src` folder: (crate folder name, its `src`).
fn crates() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(crates_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("src").is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p.join("src")))
        .collect();
    v.sort();
    v
}

/// The text without `//` comments (doc comments included), line by line.
fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n")
}

#[test]
fn library_crates_do_not_print_or_exit() {
    let mut found = Vec::new();
    for (name, src) in crates() {
        // The CLI owns the terminal; the test-support crate is never in the
        // binary and prints only the notice of a skipped conformance test.
        if name == "cli" || name == "testsupport" {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (i, line) in without_comments(&text).lines().enumerate() {
                // Unit tests sit at the end of a file, after `#[cfg(test)]`.
                if line.trim() == "#[cfg(test)]" && !line.starts_with(' ') {
                    break;
                }
                for pat in FORBIDDEN {
                    if contains_call(line, pat) {
                        found.push(format!("{}:{}: {pat}: {}", f.strip_prefix(crates_dir()).unwrap().display(), i + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "library crates print or exit (only crates/cli may):\n{}", found.join("\n"));
}

/// `pat` in `line` as a whole word at its start (`print!` is not found in `eprint!`).
fn contains_call(line: &str, pat: &str) -> bool {
    line.match_indices(pat).any(|(i, _)| i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric() && line.as_bytes()[i - 1] != b'_')
}

#[test]
fn the_forbidden_calls_are_recognised() {
    assert!(contains_call("    println!(\"x\");", "println!"));
    assert!(contains_call("let _ = std::io::stdout().lock();", "stdout()"));
    assert!(!contains_call("eprint!(\"x\")", "print!"));
    assert!(!contains_call("my_println!(1)", "println!"));
    assert_eq!(without_comments("a // println!\n/// eprintln!\nb"), "a \n\nb");
}

type Module = Vec<String>;

/// A file's module path inside its crate: `src/a/b.rs` → [a, b];
/// `lib.rs`, `main.rs` and `mod.rs` are their folder's module.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("lib" | "main" | "mod")) {
        parts.pop();
    }
    parts
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a text names from `crate::` or `super::`: the anchor and the
/// identifiers after it; a group `a::{b, c::d}` gives one path per item
/// (each with at most two identifiers of the item, which is as deep as a
/// module can be told from an item).
fn paths(text: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut out = Vec::new();
    for anchor in ["crate", "super"] {
        for (i, _) in text.match_indices(anchor) {
            if text[..i].chars().next_back().is_some_and(is_word) {
                continue;
            }
            let mut rest = &text[i + anchor.len()..];
            let mut prefix = Vec::new();
            let mut group = None;
            while let Some(r) = rest.strip_prefix("::") {
                if let Some(body) = r.strip_prefix('{') {
                    // A group, up to its first `}` (no `;` inside).
                    match body.find(['}', ';']) {
                        Some(end) if body.as_bytes()[end] == b'}' => group = Some(&body[..end]),
                        _ => {}
                    }
                    break;
                }
                let len = r.find(|c: char| !is_word(c)).unwrap_or(r.len());
                if len == 0 {
                    break;
                }
                prefix.push(r[..len].to_string());
                rest = &r[len..];
            }
            if prefix.is_empty() && group.is_none() {
                continue;
            }
            match group {
                None => out.push((anchor, prefix)),
                Some(body) => {
                    for item in body.split(',') {
                        let words: Vec<&str> = item.split(|c: char| !is_word(c)).filter(|w| !w.is_empty()).collect();
                        let Some(first) = words.first() else { continue };
                        let mut p = prefix.clone();
                        p.push(first.to_string());
                        if item.contains("::") {
                            if let Some(second) = words.get(1) {
                                p.push(second.to_string());
                            }
                        }
                        out.push((anchor, p));
                    }
                }
            }
        }
    }
    out
}

/// The modules of a crate and the modules each imports.
fn import_graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeMap<Module, PathBuf> = files.iter().map(|f| (module_of(src, f), f.clone())).collect();
    let mut graph = BTreeMap::new();
    for (m, f) in &modules {
        let text = without_comments(&std::fs::read_to_string(f).unwrap());
        let mut edges = BTreeSet::new();
        for (anchor, path) in paths(&text) {
            let base: Module = if anchor == "crate" { Vec::new() } else { m[..m.len().saturating_sub(1)].to_vec() };
            // The longest prefix of the path that is a module of the crate.
            let target = (1..=path.len()).rev().map(|k| [base.clone(), path[..k].to_vec()].concat()).find(|c| modules.contains_key(c));
            if let Some(t) = target {
                // A module's own items and its ancestors (`super::*`) are not imports.
                if t != *m && !m.starts_with(&t) {
                    edges.insert(t);
                }
            }
        }
        graph.insert(m.clone(), edges);
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        next: usize,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in &s.graph[v] {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.found.push(comp);
            }
        }
    }
    let mut s = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), next: 0, found: Vec::new() };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

fn describe(name: &str, comp: &[Module]) -> String {
    let names: Vec<String> = comp.iter().map(|m| if m.is_empty() { "lib".to_string() } else { m.join("::") }).collect();
    format!("{name}: {}", names.join(" , "))
}

#[test]
fn no_module_import_cycles() {
    let mut found = Vec::new();
    for (name, src) in crates() {
        for comp in cycles(&import_graph(&src)) {
            let line = describe(&name, &comp);
            let files: Vec<String> = comp.iter().map(|m| file_of(&src, m)).collect();
            found.push(format!("{line}\n    files: {}", files.join(", ")));
        }
    }
    assert!(found.is_empty(), "modules that import each other in a circle (break the circle, e.g. move what both need into a third module):\n{}", found.join("\n"));
}

/// The file a module is written in, relative to the crates folder.
fn file_of(src: &Path, m: &Module) -> String {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.into_iter().find(|f| module_of(src, f) == *m).map(|f| f.strip_prefix(crates_dir()).unwrap().display().to_string()).unwrap_or_default()
}

#[test]
fn a_cycle_is_found_and_named() {
    let dir = std::env::temp_dir().join(format!("erdiag-architecture-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::{c::Thing, D};\n").unwrap();
    std::fs::write(src.join("b/mod.rs"), "pub mod c;\npub struct D;\n").unwrap();
    std::fs::write(src.join("b/c.rs"), "// use crate::a; is a comment\nfn f() { super::super::a::g(); crate::a::g() }\n").unwrap();
    let graph = import_graph(&src);
    let found: Vec<String> = cycles(&graph).iter().map(|c| describe("t", c)).collect();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, ["t: a , b::c"]);
}

/// The names of environment variables a source file reads: `env("X")`,
/// `var("X")`, `var_os("X")`, clap's `env = "X"`, and in library and build
/// code any string literal that looks like one of ours (`ERDIAG_…`,
/// `AZURE_…`, `IDENTITY_…`: names kept in constants).
fn env_names(text: &str, library: bool, out: &mut BTreeSet<String>) {
    let is_name = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') && s.as_bytes()[0].is_ascii_uppercase();
    for (i, _) in text.match_indices('"') {
        let rest = &text[i + 1..];
        let Some(end) = rest.find('"') else { break };
        let lit = &rest[..end];
        if !is_name(lit) {
            continue;
        }
        let before = text[..i].trim_end();
        // Comments name variables without reading them.
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        if before[line_start..].trim_start().starts_with("//") {
            continue;
        }
        // `.env("X", v)` sets a child's variable (std::process::Command).
        let call = ["env(", "var(", "var_os(", "env =", "env="].iter().any(|p| before.ends_with(p) && !before.ends_with(&format!(".{p}")));
        let ours = ["ERDIAG_", "AZURE_", "IDENTITY_"].iter().any(|p| lit.starts_with(p));
        if call || (library && ours) {
            out.insert(lit.to_string());
        }
    }
}

/// Every environment variable the code or the tests read is in README.md's
/// one table ("Environment variables"), and the table names none that
/// nothing reads.
#[test]
fn environment_variables_are_documented_in_one_table() {
    let root = crates_dir().parent().unwrap().to_path_buf();
    let mut read = BTreeSet::new();
    let mut set_by_build = BTreeSet::new();
    for dir in std::fs::read_dir(crates_dir()).unwrap() {
        let dir = dir.unwrap().path();
        for (sub, library) in [("src", true), ("tests", false), ("build.rs", true)] {
            let mut files = Vec::new();
            let p = dir.join(sub);
            if p.is_file() {
                files.push(p);
            } else {
                rust_files(&p, &mut files);
            }
            for f in files {
                let text = std::fs::read_to_string(&f).unwrap();
                for line in text.lines() {
                    if let Some(rest) = line.split("cargo:rustc-env=").nth(1) {
                        set_by_build.insert(rest.split('=').next().unwrap().to_string());
                    }
                }
                env_names(&text, library, &mut read);
            }
        }
    }
    // What cargo and the shell give every process, not settings of erdiag's.
    for n in ["CARGO_MANIFEST_DIR", "OUT_DIR", "HOME", "PATH"].iter().map(|s| s.to_string()).chain(set_by_build) {
        read.remove(&n);
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = readme.split("Environment variables:").nth(1).expect("README.md has an \"Environment variables:\" table");
    let mut documented = BTreeSet::new();
    for row in table.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')) {
        let first = row.split('|').nth(1).unwrap_or("");
        for part in first.split('`').skip(1).step_by(2) {
            documented.insert(part.to_string());
        }
    }
    // Read by the test script (scripts/test.sh), by a tool the tests run
    // (insta) or by a crate erdiag signs in with (azure_identity reads
    // AZURE_AUTHORITY_HOST; crates/cli/tests/signin.rs exercises it), not by
    // Rust code of ours.
    let scripts = std::fs::read_to_string(root.join("scripts/test.sh")).unwrap();
    for n in &documented {
        if scripts.contains(&format!("${{{n}")) || scripts.contains(&format!("${n}")) || ["INSTA_UPDATE", "AZURE_AUTHORITY_HOST"].contains(&n.as_str()) {
            read.insert(n.clone());
        }
    }
    let missing: Vec<_> = read.difference(&documented).collect();
    assert!(missing.is_empty(), "read by the code but not in README.md's environment table: {missing:?}");
    let unread: Vec<_> = documented.difference(&read).collect();
    assert!(unread.is_empty(), "in README.md's environment table but read nowhere: {unread:?}");
}
