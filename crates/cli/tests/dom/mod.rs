//! Reading the diagram back from HTML or SVG text (what erdiag wrote, or the
//! DOM a browser dumped): the elements the SVG marks with `data-kind`, and
//! what each of the named scenarios must show. Shared by `diagram.rs` (no
//! browser) and `browser.rs` (headless Chromium).
#![allow(dead_code)]

use std::collections::BTreeMap;

/// A start tag and its attributes (entities in values decoded).
#[derive(Debug, Clone)]
pub struct El {
    pub tag: String,
    pub attrs: BTreeMap<String, String>,
}

impl El {
    pub fn get(&self, k: &str) -> &str {
        self.attrs.get(k).map(String::as_str).unwrap_or("")
    }
}

fn decode(v: &str) -> String {
    v.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Every start tag of the document, in order. Good enough for the markup
/// erdiag writes and Chromium serializes (quoted attributes, no `>` in
/// values: both escape it).
pub fn elements(doc: &str) -> Vec<El> {
    let mut out = Vec::new();
    let b = doc.as_bytes();
    let mut i = 0;
    while let Some(off) = doc[i..].find('<') {
        let start = i + off + 1;
        let Some(end_off) = doc[start..].find('>') else { break };
        let end = start + end_off;
        i = end + 1;
        if start >= b.len() || !(b[start] as char).is_ascii_alphabetic() {
            continue;
        }
        let inner = doc[start..end].trim_end_matches('/');
        let tag_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
        let tag = inner[..tag_end].to_ascii_lowercase();
        let mut attrs = BTreeMap::new();
        let mut rest = &inner[tag_end..];
        loop {
            rest = rest.trim_start();
            let Some(eq) = rest.find('=') else { break };
            let name = rest[..eq].trim().to_ascii_lowercase();
            let after = rest[eq + 1..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else { break };
            let Some(close) = after[1..].find(q) else { break };
            attrs.insert(name, decode(&after[1..1 + close]));
            rest = &after[close + 2..];
        }
        out.push(El { tag, attrs });
    }
    out
}

/// Anything in the document that would make a browser fetch: `src`, `href`
/// or `xlink:href` not pointing inside the document, `url(…)` not to `#`,
/// `@import`, a `srcset`, `<link>`, `<script src>`, `<iframe>`, `<object>`,
/// `<embed>`, and any absolute URL anywhere in the text.
pub fn external_references(doc: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for el in elements(doc) {
        for (k, v) in &el.attrs {
            let local = v.starts_with('#');
            if (k == "src" || k == "href" || k == "xlink:href" || k == "srcset" || k == "data" || k == "poster" || k == "action") && !local
            {
                bad.push(format!("<{} {k}=\"{v}\">", el.tag));
            }
        }
        if matches!(el.tag.as_str(), "link" | "iframe" | "object" | "embed" | "img" | "image" | "use" | "audio" | "video" | "base") {
            bad.push(format!("<{}>", el.tag));
        }
    }
    let lower = doc.to_ascii_lowercase();
    for needle in [
        "http://", "https://", "ftp://", "ws://", "wss://", "@import", "url(", "<script", "src=", "//fonts.", "\"data:", "'data:", "(data:",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(needle) {
            let at = from + i;
            let ctx: String = doc[at.saturating_sub(40)..].chars().take(100).collect();
            // `url(#id)` points inside the document.
            if !(needle == "url(" && lower[at + 4..].starts_with('#')) {
                bad.push(format!("{needle} in …{ctx}…"));
            }
            from = at + needle.len();
        }
    }
    bad
}

/// The diagram's elements of one kind.
pub fn of_kind<'a>(els: &'a [El], kind: &str) -> Vec<&'a El> {
    els.iter().filter(|e| e.get("data-kind") == kind).collect()
}

pub fn point<'a>(els: &'a [El], p: u8, path: &str) -> &'a El {
    els.iter()
        .find(|e| e.get("data-kind") == "point" && e.get("data-point") == p.to_string() && e.get("data-path") == path)
        .unwrap_or_else(|| panic!("no point {p} on {path}"))
}

pub fn link<'a>(els: &'a [El], a: u8, b: u8, path: &str) -> &'a El {
    els.iter()
        .find(|e| {
            e.get("data-kind") == "link"
                && e.get("data-from") == a.to_string()
                && e.get("data-to") == b.to_string()
                && e.get("data-path") == path
        })
        .unwrap_or_else(|| panic!("no link {a}-{b} on {path}"))
}

pub fn path<'a>(els: &'a [El], path: &str) -> &'a El {
    els.iter().find(|e| e.get("data-kind") == "path" && e.get("data-path") == path).unwrap_or_else(|| panic!("no path {path}"))
}

/// The scenarios whose pictures are pinned: a healthy one, two kinds of
/// layer-2 failure, a gateway problem, and ExpressRoute Direct.
pub const SCENARIOS: &[&str] = &["healthy-private", "vlan-mismatch", "secondary-path-down", "gateway-maintenance", "healthy-direct", "ipv6-session-down-secondary"];

/// The BGP session 2–5 of a path, IPv4 or IPv6 (`data-family`).
pub fn session<'a>(els: &'a [El], path: &str, ipv6: bool) -> &'a El {
    els.iter()
        .find(|e| e.get("data-kind") == "bgp" && e.get("data-path") == path && (e.get("data-family") == "ipv6") == ipv6)
        .unwrap_or_else(|| panic!("no {} session on {path}", if ipv6 { "IPv6" } else { "IPv4" }))
}

fn check(errors: &mut Vec<String>, what: &str, el: &El, status: &str, root: Option<bool>) {
    if el.get("data-status") != status {
        errors.push(format!("{what}: status {} (want {status})", el.get("data-status")));
    }
    if let Some(r) = root {
        if el.get("data-root-cause") != r.to_string() {
            errors.push(format!("{what}: root cause {} (want {r})", el.get("data-root-cause")));
        }
    }
}

/// What a network engineer must read at a glance in each scenario: the
/// failing point and path as failing, the healthy ones as healthy.
pub fn expectations(scenario: &str, els: &[El]) -> Vec<String> {
    let mut e = Vec::new();
    let both = ["primary", "secondary"];
    let provider_chain: &[(u8, u8)] = &[(2, 3), (3, 4), (4, 5)];
    match scenario {
        "healthy-private" | "healthy-direct" => {
            for el in els.iter().filter(|x| matches!(x.get("data-kind"), "point" | "link" | "bgp" | "path")) {
                let what = format!(
                    "{} {}-{}-{} {}",
                    el.get("data-kind"),
                    el.get("data-point"),
                    el.get("data-from"),
                    el.get("data-to"),
                    el.get("data-path")
                );
                check(&mut e, &what, el, "ok", Some(false));
            }
            let has34 = els.iter().any(|x| x.get("data-kind") == "point" && matches!(x.get("data-point"), "3" | "4"));
            let zones = of_kind(els, "zone").len();
            if scenario == "healthy-direct" {
                if has34 || zones != 2 {
                    e.push(format!("ExpressRoute Direct: points 3/4 drawn: {has34}, {zones} zones (want none, 2)"));
                }
                for d in both {
                    check(&mut e, &format!("link 2-5 {d}"), link(els, 2, 5, d), "ok", Some(false));
                }
            } else if !has34 || zones != 3 {
                e.push(format!("provider circuit: points 3/4 drawn: {has34}, {zones} zones (want them, 3)"));
            }
        }
        "vlan-mismatch" => {
            for d in both {
                for p in 2..=5 {
                    check(&mut e, &format!("point {p} {d}"), point(els, p, d), "fail", Some(true));
                }
                for &(a, b) in provider_chain {
                    check(&mut e, &format!("link {a}-{b} {d}"), link(els, a, b, d), "fail", Some(true));
                }
                check(&mut e, &format!("path {d}"), path(els, d), "fail", Some(true));
            }
            for p in [6, 7] {
                let el = point(els, p, "shared");
                if el.get("data-status") == "fail" || el.get("data-root-cause") == "true" {
                    e.push(format!("point {p} is drawn failing, but the gateway side is not the problem"));
                }
            }
        }
        "secondary-path-down" => {
            for p in 2..=5 {
                check(&mut e, &format!("point {p} secondary"), point(els, p, "secondary"), "fail", Some(true));
                check(&mut e, &format!("point {p} primary"), point(els, p, "primary"), "ok", Some(false));
            }
            for &(a, b) in provider_chain {
                check(&mut e, &format!("link {a}-{b} secondary"), link(els, a, b, "secondary"), "fail", Some(true));
                check(&mut e, &format!("link {a}-{b} primary"), link(els, a, b, "primary"), "ok", Some(false));
            }
            check(&mut e, "path secondary", path(els, "secondary"), "fail", Some(true));
            check(&mut e, "path primary", path(els, "primary"), "ok", Some(false));
            for p in [1, 6, 7] {
                check(&mut e, &format!("point {p}"), point(els, p, "shared"), "ok", Some(false));
            }
        }
        "gateway-maintenance" => {
            check(&mut e, "point 6", point(els, 6, "shared"), "fail", Some(true));
            for d in both {
                for p in 2..=5 {
                    check(&mut e, &format!("point {p} {d}"), point(els, p, d), "ok", Some(false));
                }
                check(&mut e, &format!("path {d}"), path(els, d), "ok", Some(false));
            }
            for p in [1, 7] {
                check(&mut e, &format!("point {p}"), point(els, p, "shared"), "ok", Some(false));
            }
        }
        "ipv6-session-down-secondary" => {
            // The IPv6 session beside the IPv4 one on each path: only the secondary IPv6 one fails.
            check(&mut e, "IPv6 session secondary", session(els, "secondary", true), "fail", Some(true));
            check(&mut e, "IPv6 session primary", session(els, "primary", true), "ok", Some(false));
            for d in both {
                check(&mut e, &format!("IPv4 session {d}"), session(els, d, false), "ok", Some(false));
                for &(a, b) in provider_chain {
                    check(&mut e, &format!("link {a}-{b} {d}"), link(els, a, b, d), "ok", Some(false));
                }
            }
            check(&mut e, "path secondary", path(els, "secondary"), "fail", Some(true));
        }
        other => e.push(format!("no expectations for {other}")),
    }
    e
}

/// Checks that an XML document (the standalone SVG) is well formed enough
/// for any viewer: every tag closed in order, attributes quoted, and `&`
/// only in the entities XML knows.
pub fn well_formed_xml(doc: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = doc[i..].find('<') {
        let start = i + off;
        let text = &doc[i..start];
        check_entities(text)?;
        let end = start + doc[start..].find('>').ok_or("unclosed tag")?;
        let inner = &doc[start + 1..end];
        i = end + 1;
        if inner.starts_with('?') || inner.starts_with("!--") {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            let open = stack.pop().ok_or_else(|| format!("</{name}> closes nothing"))?;
            if open != name.trim() {
                return Err(format!("<{open}> closed by </{name}>"));
            }
            continue;
        }
        check_entities(inner)?;
        let name = inner.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("").to_string();
        // Attribute values are quoted: an even number of double quotes.
        if !inner.matches('"').count().is_multiple_of(2) {
            return Err(format!("odd quotes in <{inner}>"));
        }
        if !inner.ends_with('/') {
            stack.push(name);
        }
    }
    check_entities(&doc[i..])?;
    if !stack.is_empty() {
        return Err(format!("unclosed {stack:?}"));
    }
    Ok(())
}

fn check_entities(s: &str) -> Result<(), String> {
    for (i, _) in s.match_indices('&') {
        let rest = &s[i..];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#39;"].iter().any(|e| rest.starts_with(e)) {
            return Err(format!("bare & in …{}…", rest.chars().take(30).collect::<String>()));
        }
    }
    Ok(())
}
