//! Helpers shared by the robustness, property and stream tests.
#![allow(dead_code)]

use erdiag_ce::config::{CeConfig, Span};
use std::path::{Path, PathBuf};

pub const FIXTURES: &[&str] = &[
    "cisco_ios.cfg",
    "cisco_ios_qinq_vrf.cfg",
    "cisco_nxos.cfg",
    "cisco_xr_qinq.cfg",
    "arista_eos.cfg",
    "frr.cfg",
    "juniper_junos_set.cfg",
    "juniper_junos.conf",
];

pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/config/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Every span of a parse result.
pub fn spans(c: &CeConfig) -> Vec<Span> {
    let mut v = Vec::new();
    v.extend(c.hostname.iter().map(|h| h.span));
    for i in &c.interfaces {
        v.push(i.name.span);
        v.extend(i.shutdown);
        v.extend(i.vlan.iter().map(|x| x.span));
        v.extend(i.inner_vlan.iter().map(|x| x.span));
        v.extend(i.addresses.iter().map(|x| x.span));
        v.extend(i.bfd);
    }
    if let Some(b) = &c.bgp {
        v.push(b.span);
        v.push(b.local_as.span);
        v.extend(b.router_id.iter().map(|x| x.span));
        v.extend(b.networks.iter().map(|x| x.span));
        v.extend(b.redistribute.iter().map(|x| x.span));
        for n in &b.neighbors {
            v.push(n.address.span);
            v.extend(n.remote_as.iter().map(|x| x.span));
            v.extend(n.local_as.iter().map(|x| x.span));
            v.extend(n.password);
            v.extend(n.bfd);
            v.extend(n.shutdown);
            for s in [&n.route_map_in, &n.route_map_out, &n.prefix_list_in, &n.prefix_list_out].into_iter().flatten() {
                v.push(s.span);
            }
            v.extend(n.max_prefix.iter().map(|x| x.span));
            v.extend(n.default_originate);
        }
    }
    for p in &c.prefix_lists {
        v.push(p.span);
        for e in &p.entries {
            v.push(e.span);
            v.push(e.prefix.span);
        }
    }
    for r in &c.route_maps {
        v.push(r.span);
        for e in &r.entries {
            v.push(e.span);
            v.extend(e.match_prefix_lists.iter().map(|x| x.span));
            v.extend(e.sets.iter().map(|x| x.span));
            for m in &e.match_prefixes {
                v.push(m.span);
                v.push(m.prefix.span);
            }
        }
    }
    v
}

/// The text a span covers, or `None` when it does not lie inside its line.
pub fn text_at(text: &str, s: Span) -> Option<String> {
    let line = text.split('\n').nth(s.line.checked_sub(1)?)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    if s.column == 0 || s.len == 0 || s.column - 1 + s.len > line.chars().count() {
        return None;
    }
    Some(line.chars().skip(s.column - 1).take(s.len).collect())
}

/// Every span of a parse lies inside its line, and the warnings name lines
/// of the input.
#[track_caller]
pub fn check_spans(text: &str, c: &CeConfig) {
    let lines = text.split('\n').count();
    for s in spans(c) {
        assert!(text_at(text, s).is_some(), "span {s:?} outside its line");
    }
    for w in &c.warnings {
        assert!(w.line >= 1 && w.line <= lines, "{w:?} of {lines} lines");
    }
}

pub use erdiag_testsupport::corpus_root;

/// `$ERDIAG_CORPUS` for a conformance test that reads its `folder`
/// ([`erdiag_testsupport::corpus`]: CI must run it).
pub fn conformance_corpus(folder: &str, skipping: &str) -> Option<PathBuf> {
    erdiag_testsupport::corpus(folder, skipping).map(|dir| dir.parent().expect("a folder of the corpus").to_path_buf())
}

/// The router outputs of the corpus (ntc-templates' and Batfish's `.raw`
/// and `.txt` files), or `None` when [`corpus_root`] is.
pub fn corpus_outputs(skipping: &str) -> Option<Vec<PathBuf>> {
    let root = corpus_root(skipping)?;
    let mut files = Vec::new();
    for sub in ["ntc-templates", "show-outputs"] {
        walk(&root.join(sub), &mut files);
    }
    files.retain(|f| f.extension().is_some_and(|e| e == "raw" || e == "txt"));
    Some(files)
}

/// Every file below `dir`, in no particular order.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}
