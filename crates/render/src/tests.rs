//! The HTML, SVG and Mermaid renderers against hostile text: whatever a
//! snapshot holds (names, messages, evidence) is text, never markup.

use erdiag_checks::{diagnose, Options, Report};
use erdiag_model::Snapshot;

fn report(bytes: &[u8]) -> Report {
    let snapshot = Snapshot::from_slice(bytes).expect("scenario snapshot");
    diagnose(&snapshot.decode().expect("decodes"), &Options::default())
}

const EVIL: &str = "<script>alert(\"x\")</script> & 'q' <img src=https://evil.example/x.png> url(http://e/) #x; `t`";

fn hostile() -> Report {
    let mut r = report(include_bytes!("../../../scenarios/secondary-path-down/snapshot.json"));
    r.circuit.name = EVIL.into();
    r.circuit.provider = Some(EVIL.into());
    r.circuit.peering_location = Some(EVIL.into());
    for f in &mut r.findings {
        f.message = EVIL.into();
        f.evidence.push(EVIL.into());
        f.remediation = Some(EVIL.into());
    }
    for g in &mut r.topology.gateways {
        g.name = EVIL.into();
        g.sku = Some(EVIL.into());
    }
    for p in &mut r.topology.peerings {
        p.name = EVIL.into();
        for x in &mut p.paths {
            x.ce_address = Some(EVIL.into());
            x.subnet = Some(EVIL.into());
        }
    }
    for l in &mut r.topology.links {
        if l.peering.is_some() {
            l.peering = Some(EVIL.into());
        }
    }
    r.next_steps.push(EVIL.into());
    r
}

#[test]
fn text_from_the_snapshot_never_becomes_markup() {
    let r = hostile();
    for (what, out) in [("html", crate::html(&r)), ("svg", crate::svg(&r))] {
        if let Some(i) = out.find("<script") {
            panic!("{what}: a script tag got through: …{}…", &out[i.saturating_sub(200)..i + 60]);
        }
        assert!(!out.contains("<img"), "{what}: an img tag got through");
        assert!(!out.contains("alert(\"x\")"), "{what}: quotes are not escaped");
        assert!(out.contains("&lt;script&gt;") || out.contains("&lt;script"), "{what}: the name is not shown escaped");
        // Ampersands only start entities.
        for (i, _) in out.match_indices('&') {
            let rest = &out[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| rest.starts_with(e)),
                "{what}: bare & at …{}…",
                rest.chars().take(20).collect::<String>()
            );
        }
    }
}

#[test]
fn mermaid_labels_cannot_break_out() {
    let md = crate::markdown(&hostile());
    let start = md.find("```mermaid").expect("a mermaid block");
    let block = &md[start..start + 10 + md[start + 10..].find("```").expect("closed")];
    assert!(!block.contains("<script") && !block.contains("<img"), "{block}");
    for line in block.lines().filter(|l| l.contains("[\"") || l.contains("|\"")) {
        assert_eq!(line.matches('"').count(), 2, "a quote ends a label early: {line}");
        assert!(!line.contains('`'), "a backtick could end the fence: {line}");
    }
}

#[test]
fn inline_svg_has_no_url_and_standalone_svg_only_its_namespace() {
    let r = report(include_bytes!("../../../scenarios/vlan-mismatch/snapshot.json"));
    let inline = crate::svg::diagram(&r, false);
    assert!(!inline.contains("http"), "the HTML report must not hold a URL");
    let page = crate::html(&r);
    assert!(!page.contains("http://") && !page.contains("https://"));
    let alone = crate::svg(&r);
    assert_eq!(alone.matches("http").count(), 1);
    assert!(alone.starts_with("<?xml") && alone.contains("xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn every_status_is_a_word_and_an_icon_not_only_a_colour() {
    for s in erdiag_checks::ElementStatus::ALL {
        let l = crate::svg::look(s);
        assert!(!l.icon.is_empty() && !l.word.is_empty());
    }
    let icons: std::collections::HashSet<_> = erdiag_checks::ElementStatus::ALL.iter().map(|s| crate::svg::look(*s).icon).collect();
    assert_eq!(icons.len(), erdiag_checks::ElementStatus::ALL.len(), "two statuses share an icon");
}

#[test]
fn json_writes_invisible_and_bidi_characters_as_escapes() {
    let sly = "ckt\u{202e}evil\u{2066}x\u{2069}\u{200b}\u{feff}\u{85}\u{2028}end";
    let mut r = hostile();
    r.circuit.name = sly.into();
    r.findings[0].evidence.push(sly.into());
    let out = crate::json(&r);
    for c in ['\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{feff}', '\u{85}', '\u{2028}'] {
        assert!(!out.contains(c), "U+{:04X} left raw in the JSON", c as u32);
    }
    assert!(out.contains(r#"ckt\u202eevil\u2066x\u2069\u200b\ufeff\u0085\u2028end"#), "not escaped as \\uXXXX");
    let back: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    assert_eq!(back["circuit"]["name"], sly, "the value read back is the same");
}
