//! The guide's diagram: `-o svg` pinned for a healthy and a failing
//! scenario, `-o html` self-contained for every scenario, and the named
//! scenarios drawn with the failing point and path failing and the healthy
//! ones healthy (read from the markup; `browser.rs` reads the same from a
//! real browser's DOM). Update the snapshots with `INSTA_UPDATE=always` after
//! an intended change, and look at the pictures (`-o svg > x.svg`).

mod common;
mod dom;
use common::*;

#[test]
fn svg_of_a_healthy_and_a_failing_circuit_is_pinned() {
    for n in ["healthy-private", "secondary-path-down"] {
        let out = erdiag(&["demo", n, "--offline", "-o", "svg"]);
        assert!(out.status.success(), "{n}: {}", stderr(&out));
        insta::assert_snapshot!(format!("svg-{n}"), stdout(&out));
    }
}

#[test]
fn every_scenario_renders_a_self_contained_html_report_and_a_well_formed_svg() {
    for n in scenario_names() {
        let html = stdout(&erdiag(&["demo", &n, "--offline", "-o", "html"]));
        assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{n}: not an HTML document");
        let bad = dom::external_references(&html);
        assert!(bad.is_empty(), "{n}: the HTML report would load from outside itself:\n{}", bad.join("\n"));
        assert!(html.contains("<svg") && html.contains("id=\"ticket\"") && html.contains("id=\"steps\""), "{n}: a section is missing");
        assert!(html.contains("@media print") && html.contains("@media (max-width"), "{n}: no print or narrow-screen rules");

        let svg = stdout(&erdiag(&["demo", &n, "--offline", "-o", "svg"]));
        dom::well_formed_xml(&svg).unwrap_or_else(|e| panic!("{n}: the SVG is not well formed: {e}"));
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{n}: a standalone SVG needs its namespace");
        // The only URL in the SVG is its namespace.
        let rest = svg.replacen("http://www.w3.org/2000/svg", "", 1);
        let bad = dom::external_references(&rest);
        assert!(bad.is_empty(), "{n}: the SVG refers outside itself:\n{}", bad.join("\n"));

        // Every status drawn has a word next to its colour.
        let els = dom::elements(&svg);
        for el in els.iter().filter(|e| e.get("data-kind") == "point") {
            assert!(!el.get("data-status").is_empty(), "{n}: a point without status");
        }
    }
}

#[test]
fn the_named_scenarios_show_the_failing_point_and_path() {
    for n in dom::SCENARIOS {
        for format in ["svg", "html"] {
            let doc = stdout(&erdiag(&["demo", n, "--offline", "-o", format]));
            let errors = dom::expectations(n, &dom::elements(&doc));
            assert!(errors.is_empty(), "{n} -o {format}:\n{}", errors.join("\n"));
        }
    }
}

#[test]
fn the_ticket_carries_the_diagram_as_mermaid() {
    for n in dom::SCENARIOS {
        let md = stdout(&erdiag(&["demo", n, "--offline", "-o", "markdown"]));
        let start = md.find("```mermaid\nflowchart LR\n").unwrap_or_else(|| panic!("{n}: no mermaid block"));
        let block = &md[start..start + md[start..].find("\n```\n").expect("closed block")];
        for id in ["p1[", "p2a[", "p2b[", "p5a[", "p5b[", "p6[", "p7["] {
            assert!(block.contains(id), "{n}: node {id} missing");
        }
        assert_eq!(block.contains("p3a["), *n != "healthy-direct", "{n}: points 3/4 only on provider circuits");
        for line in block.lines().filter(|l| l.contains("[\"")) {
            // Labels are quoted once: a quote inside would end them early.
            assert_eq!(line.matches('"').count(), 2, "{n}: {line}");
        }
        match *n {
            "secondary-path-down" => {
                assert!(block.contains("p2b[\"2 CE secondary<br/>172.16.0.5<br/>✖ FAIL · ROOT CAUSE\"]"), "{n}:\n{block}");
                assert!(block.contains("p2a[\"2 CE primary<br/>172.16.0.1<br/>✔ OK\"]"), "{n}:\n{block}");
                assert!(block.contains("p2b ---|\"✖ FAIL\"| p3b"), "{n}:\n{block}");
            }
            "gateway-maintenance" => assert!(block.contains("ErGw1AZ") && block.contains("ROOT CAUSE"), "{n}:\n{block}"),
            "healthy-private" | "healthy-direct" => assert!(!block.contains("FAIL") && !block.contains("ROOT CAUSE"), "{n}:\n{block}"),
            _ => {}
        }
        if *n == "healthy-direct" {
            // The port's links stand where a provider circuit has points 3 and 4.
            assert!(block.contains("p2a ---|\"erd-port-ams link1 ams06-erdir-100gmr-cis-1 Enabled MACsec ✔\"| p5a"), "{n}:\n{block}");
            assert!(block.contains("p2b ---|\"erd-port-ams link2 ams06-erdir-100gmr-cis-2 Enabled MACsec ✔\"| p5b"), "{n}:\n{block}");
        }
    }
}

#[test]
fn a_circuit_served_by_a_virtual_wan_hub_names_the_hub_at_point_6() {
    let svg = stdout(&erdiag(&["demo", "vwan-healthy", "--offline", "-o", "svg"]));
    assert!(svg.contains("hub-weu (vWAN)"), "point 6 does not name the hub:\n{svg}");
    assert!(svg.contains("1 scale unit"), "point 6 does not give the hub gateway's scale units");
    let md = stdout(&erdiag(&["demo", "vwan-healthy", "--offline", "-o", "markdown"]));
    assert!(md.contains("hub-weu (vWAN)"), "the ticket's mermaid diagram does not name the hub");
    // A VNet's gateway keeps its own name.
    let svg = stdout(&erdiag(&["demo", "healthy-private", "--offline", "-o", "svg"]));
    assert!(svg.contains("ergw-hub-weu") && !svg.contains("(vWAN)"));
}

#[test]
fn global_reach_shows_the_other_circuit_beside_the_msee() {
    let svg = stdout(&erdiag(&["demo", "global-reach-disconnected", "--offline", "-o", "svg"]));
    let els = dom::elements(&svg);
    let gr: Vec<_> = els.iter().filter(|e| e.get("data-kind") == "global-reach").collect();
    assert_eq!(gr.len(), 1, "one Global Reach link");
    assert_eq!(gr[0].get("data-status"), "fail");
    assert!(svg.contains("Global Reach gr-ams-lon ⇄ er-ckt-lon (London) · 192.168.254.0/29 · Disconnected"), "{svg}");
    let md = stdout(&erdiag(&["demo", "global-reach-healthy", "--offline", "-o", "markdown"]));
    assert!(md.contains("gr0[\"Global Reach gr-ams-lon<br/>er-ckt-lon (London)<br/>192.168.254.0/29 · Connected"), "{md}");
    assert!(md.contains("p5a -.- gr0") && md.contains("p5b -.- gr0"), "{md}");
    let healthy = stdout(&erdiag(&["demo", "healthy-private", "--offline", "-o", "svg"]));
    assert!(!healthy.contains("global-reach"), "no Global Reach, nothing drawn");
}

#[test]
fn a_direct_port_s_links_are_drawn_with_their_state() {
    let svg = stdout(&erdiag(&["demo", "direct-link-disabled", "--offline", "-o", "svg"]));
    let els = dom::elements(&svg);
    let link = |path: &str| els.iter().find(|e| e.get("data-kind") == "link" && e.get("data-from") == "2" && e.get("data-to") == "5" && e.get("data-path") == path).cloned();
    assert_eq!(link("secondary").map(|e| e.get("data-status").to_string()).as_deref(), Some("fail"));
    assert!(svg.contains(">link2 Disabled MACsec</text>") && svg.contains(">ams06-erdir-100gmr-cis-2</text>"), "{svg}");
    assert!(svg.contains(">link1 Enabled MACsec</text>"), "{svg}");
}
