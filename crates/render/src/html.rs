//! A report people can look at: one self-contained HTML file. At the top the
//! verdict, the root cause, who owns the fix and the next steps; then the
//! guide's diagram (inline SVG) coloured by what was found, with the same in
//! words; then the guide's steps with every finding, its evidence and its
//! remediation; last the support-ticket text, ready to copy.
//!
//! No scripts, no fonts, no images, no URL of any kind: the file opens from
//! disk with no network, prints, and reads on a narrow screen (the diagram
//! scrolls sideways, the text reflows). Meaning is never carried by colour
//! alone: every status is an icon and a word too.

use crate::svg::{diagram, look, path_state_word, status_words, verdict_icon};
use crate::{esc, points, scope_words};
use erdiag_checks::report::point_name;
use erdiag_checks::{ElementStatus, Finding, Layer, LinkKind, Report, Status, Verdict};
use erdiag_model::DevicePath;
use std::fmt::Write;

pub(crate) const CSS: &str = r#"
:root { --ink: #1c2329; --muted: #5f6b76; --line: #d8dee4; --bg: #f6f8fa; --fail: #c62828; --fail-bg: #fdecea;
  --warn: #8a5a00; --warn-bg: #fef6d8; --unknown: #5b21b6; --unknown-bg: #f3edff; --ok: #1b5e20; --ok-bg: #e8f5e9;
  --skip: #546e7a; --skip-bg: #eceff1; --conseq: #8a4b00; --conseq-bg: #fff1dc; --rc: #7f1d1d; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1460px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 1.6em; margin: 0 0 6px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 20px 0 8px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.9em; }
nav { margin: 8px 0 0; font-size: 0.92em; }
nav a { color: #0b57d0; margin-right: 14px; }
.verdict { display: inline-block; font-weight: 800; letter-spacing: 0.06em; padding: 4px 12px; border-radius: 6px; border: 2px solid; margin: 4px 0 10px; }
.v-healthy { color: var(--ok); background: var(--ok-bg); }
.v-degraded { color: var(--warn); background: var(--warn-bg); }
.v-down { color: var(--fail); background: var(--fail-bg); }
.v-unknown { color: var(--unknown); background: var(--unknown-bg); }
.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 6px 0 0; font-size: 0.93em; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.diagnosis { border: 1px solid var(--line); border-left: 6px solid var(--ok); background: var(--bg); border-radius: 8px; padding: 14px 18px; margin-top: 18px; }
.diagnosis.has-root { border-left-color: var(--rc); background: #fff7f7; }
.diagnosis h2 { margin-top: 0; border: 0; padding: 0; }
.rc-summary { font-size: 1.12em; font-weight: 600; margin: 4px 0 10px; }
.rc-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
.rc-facts dt { color: var(--muted); }
.rc-facts dd { margin: 0; }
.owner { font-weight: 800; text-transform: uppercase; letter-spacing: 0.04em; }
ol.next { margin: 6px 0 0; padding-left: 1.5em; }
ol.next li { margin: 3px 0; }
.pill { display: inline-block; font-size: 0.78em; font-weight: 800; letter-spacing: 0.05em; padding: 1px 8px; border-radius: 10px; color: #fff; background: var(--rc); white-space: nowrap; vertical-align: 1px; }
figure { margin: 0; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
.scroll svg { display: block; width: 100%; height: auto; min-width: 980px; }
figcaption { color: var(--muted); font-size: 0.9em; margin: 6px 2px 0; }
.scroll-hint { display: none; color: var(--muted); font-size: 0.9em; margin: 0 0 4px; }
table { border-collapse: collapse; width: 100%; }
table.points { margin-top: 14px; font-size: 0.92em; }
table.points th, table.points td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.points th { background: var(--bg); }
.st { display: inline-block; font-weight: 700; padding: 0 6px; border-radius: 4px; white-space: nowrap; }
.st-fail { color: #fff; background: var(--fail); }
.st-consequence { color: var(--conseq); background: var(--conseq-bg); }
.st-warn { color: var(--warn); background: var(--warn-bg); }
.st-unknown { color: var(--unknown); background: var(--unknown-bg); }
.st-ok { color: var(--ok); background: var(--ok-bg); }
.st-unchecked, .st-skip { color: var(--skip); background: var(--skip-bg); }
.detail { color: var(--muted); }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px; padding: 6px 12px; margin: 6px 0; background: #fff; }
li.finding.s-fail { border-left-color: var(--fail); background: #fffafa; }
li.finding.s-fail.conseq, li.finding.s-warn.conseq { border-left-color: #e0a040; background: #fffcf6; }
li.finding.s-warn { border-left-color: #d4a017; }
li.finding.s-unknown { border-left-color: #8b5cf6; }
li.finding.s-pass { border-left-color: #66bb6a; padding: 3px 12px; }
li.finding.s-skip { border-left-color: #b0bec5; padding: 3px 12px; color: var(--muted); }
li.finding.root { border: 2px solid var(--rc); border-left-width: 6px; }
.fhead { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.fhead .name { font-weight: 600; }
.fhead .scope { color: var(--muted); font-size: 0.92em; }
.msg { margin: 2px 0; }
li.s-pass .msg, li.s-skip .msg { flex: 1 1 20em; }
.conseq-of { color: var(--conseq); font-size: 0.92em; margin: 2px 0; }
ul.evidence { margin: 4px 0; padding-left: 1.2em; }
ul.evidence li { overflow-wrap: anywhere; }
.fix { margin: 4px 0 2px; }
.fix strong { color: var(--muted); }
.meta { color: var(--muted); font-size: 0.88em; }
pre.ticket { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; white-space: pre-wrap; overflow-wrap: anywhere; user-select: all; -webkit-user-select: all; }
footer { margin-top: 36px; color: var(--muted); font-size: 0.88em; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 760px) {
  main { padding: 12px 12px 32px; }
  body { font-size: 14px; }
  .facts { grid-template-columns: max-content 1fr; }
  .rc-facts { grid-template-columns: 1fr; }
  .rc-facts dd { margin-bottom: 4px; }
  .scroll svg { min-width: 1150px; }
  .scroll-hint { display: block; }
  table.points { font-size: 0.86em; }
}
@page { margin: 12mm; }
@page wide { size: landscape; margin: 10mm; }
@media print {
  #diagram { page: wide; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav, .scroll-hint { display: none; }
  .scroll { overflow: visible; border: 0; }
  .scroll svg { min-width: 0; width: 100%; }
  figure, table.points tr, li.finding, .diagnosis { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  pre.ticket { font-size: 8.5pt; }
  #ticket { break-before: page; }
}
"#;

fn st_span(s: ElementStatus) -> String {
    let lk = look(s);
    format!("<span class=\"st st-{}\">{} {}</span>", s.as_str(), lk.icon, lk.word)
}

fn finding_status(f: &Finding) -> (&'static str, &'static str, &'static str) {
    // (class, icon, word)
    match f.status {
        Status::Pass => ("ok", "✔", "PASS"),
        Status::Fail if f.consequence_of.is_some() => ("consequence", "✖", "FAIL"),
        Status::Fail => ("fail", "✖", "FAIL"),
        Status::Warn => ("warn", "⚠\u{FE0E}", "WARN"),
        Status::Unknown => ("unknown", "?", "UNKNOWN"),
        Status::Skip => ("skip", "–", "SKIP"),
    }
}

fn is_root(r: &Report, f: &Finding) -> bool {
    r.root_cause.as_ref().is_some_and(|rc| {
        f.status == Status::Fail
            && f.consequence_of.is_none()
            && f.check == rc.check
            && f.peering == rc.peering
            && (rc.path.is_none() || rc.path == f.path)
    })
}

fn finding(o: &mut String, r: &Report, f: &Finding) {
    let cause = f.consequence_of.as_ref().map(|c| r.findings.iter().find(|g| g.check == c.as_str()).map(|g| g.name).unwrap_or(""));
    finding_item(o, f, is_root(r, f), cause.unwrap_or(""));
}

/// A finding across circuits: no report around it, no root cause.
pub(crate) fn fleet_finding(o: &mut String, f: &Finding) {
    finding_item(o, f, false, "");
}

/// One finding as a list item; `cause_name` names the check it is a consequence of.
fn finding_item(o: &mut String, f: &Finding, root: bool, cause_name: &str) {
    let (cls, icon, word) = finding_status(f);
    let _ = writeln!(
        o,
        "<li class=\"finding s-{}{}{}\" data-check=\"{}\" data-status=\"{}\">",
        f.status.as_str(),
        if f.consequence_of.is_some() { " conseq" } else { "" },
        if root { " root" } else { "" },
        esc(f.check),
        f.status.as_str()
    );
    let _ = write!(
        o,
        "<div class=\"fhead\"><span class=\"st st-{cls}\">{icon} {word}</span><code>{}</code><span class=\"name\">{}</span><span class=\"scope\">{}</span>",
        esc(f.check),
        esc(f.name),
        esc(&f.scope())
    );
    if root {
        o.push_str("<span class=\"pill\">◆ ROOT CAUSE</span>");
    }
    if matches!(f.status, Status::Fail | Status::Warn) && f.consequence_of.is_none() {
        let _ = write!(
            o,
            "<span class=\"meta\">owner {} · points {}</span>",
            f.owner,
            esc(&f.network_points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "))
        );
    }
    let quiet = matches!(f.status, Status::Pass | Status::Skip);
    if quiet {
        // What passed takes one line.
        let _ = write!(o, "<span class=\"msg\">{}</span>", esc(&f.message));
    }
    o.push_str("</div>\n");
    if !quiet {
        let _ = writeln!(o, "<p class=\"msg\">{}</p>", esc(&f.message));
    }
    if let Some(c) = &f.consequence_of {
        let _ = writeln!(o, "<p class=\"conseq-of\">↳ consequence of {} {}: fix that first.</p>", esc(c), esc(cause_name));
    }
    if !quiet && f.consequence_of.is_none() && !f.evidence.is_empty() {
        o.push_str("<ul class=\"evidence\">");
        for e in &f.evidence {
            let _ = write!(o, "<li><code>{}</code></li>", esc(e));
        }
        o.push_str("</ul>\n");
    }
    if !quiet && f.consequence_of.is_none() {
        if let Some(fix) = &f.remediation {
            let _ = writeln!(o, "<p class=\"fix\"><strong>Remediation:</strong> {}</p>", esc(fix));
        }
    }
    o.push_str("</li>\n");
}

fn fact(o: &mut String, k: &str, v: Option<String>) {
    if let Some(v) = v {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), v);
    }
}

/// The diagram in words: every point and link, per path.
fn points_table(o: &mut String, r: &Report) {
    let t = &r.topology;
    o.push_str("<table class=\"points\" aria-label=\"Network points and links by path\">\n<thead><tr><th scope=\"col\">Network point or link</th><th scope=\"col\">Primary path</th><th scope=\"col\">Secondary path</th></tr></thead>\n<tbody>\n");
    let cell = |s: ElementStatus, root: bool, checks: &[String], detail: String| {
        let mut c = st_span(s);
        if root {
            c.push_str(" <span class=\"pill\">◆ ROOT CAUSE</span>");
        }
        if !checks.is_empty() && s != ElementStatus::Ok {
            let _ = write!(c, " <span class=\"detail\">{}</span>", esc(&checks.join(", ")));
        }
        if !detail.is_empty() {
            let _ = write!(c, " <span class=\"detail mono\">{}</span>", esc(&detail));
        }
        c
    };
    let chain: &[u8] = if t.express_route_direct { &[1, 2, 5, 6, 7] } else { &[1, 2, 3, 4, 5, 6, 7] };
    for (i, &p) in chain.iter().enumerate() {
        let label = format!("{p} {}", point_name(p));
        let addr = |d: DevicePath| -> String {
            t.peerings
                .iter()
                .filter_map(|pe| {
                    let x = pe.paths.iter().find(|x| x.path == d)?;
                    match p {
                        2 if pe.bgp_point == 2 => x.ce_address.clone(),
                        4 if pe.bgp_point == 4 => x.ce_address.clone(),
                        5 => x.msee_address.clone(),
                        _ => None,
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(pt) = t.points.iter().find(|x| x.point == p && x.path.is_none()) {
            let detail = match p {
                6 => t
                    .gateways
                    .iter()
                    .map(|g| format!("{}{}", g.name, g.sku.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "<tr data-point=\"{p}\"><th scope=\"row\">{}</th><td colspan=\"2\">{} <span class=\"detail\">(both paths)</span></td></tr>",
                esc(&label),
                cell(pt.status, pt.root_cause, &pt.checks, detail)
            );
        } else {
            let mut tds = String::new();
            for d in DevicePath::BOTH {
                match t.points.iter().find(|x| x.point == p && x.path == Some(d)) {
                    Some(pt) => {
                        let _ = write!(tds, "<td>{}</td>", cell(pt.status, pt.root_cause, &pt.checks, addr(d)));
                    }
                    None => tds.push_str("<td></td>"),
                }
            }
            let _ = writeln!(o, "<tr data-point=\"{p}\"><th scope=\"row\">{}</th>{tds}</tr>", esc(&label));
        }
        // The link to the next point.
        if let Some(&q) = chain.get(i + 1) {
            let label = format!("link {} – {}", point_name(p), point_name(q));
            let links: Vec<_> = t.links.iter().filter(|l| l.kind == LinkKind::Link && l.from == p && l.to == q).collect();
            if let [one] = links.as_slice() {
                if one.path.is_none() {
                    let _ = writeln!(
                        o,
                        "<tr class=\"link\"><th scope=\"row\" class=\"detail\">{}</th><td colspan=\"2\">{} <span class=\"detail\">(both paths)</span></td></tr>",
                        esc(&label),
                        cell(one.status, one.root_cause, &one.checks, String::new())
                    );
                    continue;
                }
            }
            let mut tds = String::new();
            for d in DevicePath::BOTH {
                match links.iter().find(|l| l.path == Some(d)) {
                    Some(l) => {
                        let _ = write!(tds, "<td>{}</td>", cell(l.status, l.root_cause, &l.checks, String::new()));
                    }
                    None => tds.push_str("<td></td>"),
                }
            }
            let _ = writeln!(o, "<tr class=\"link\"><th scope=\"row\" class=\"detail\">{}</th>{tds}</tr>", esc(&label));
        }
    }
    for pe in &t.peerings {
        let mut tds = String::new();
        for d in DevicePath::BOTH {
            let l = t.links.iter().find(|l| l.kind == LinkKind::Bgp && l.path == Some(d) && l.peering.as_deref() == Some(pe.name.as_str()));
            let subnet = pe.paths.iter().find(|x| x.path == d).and_then(|x| x.subnet.clone()).unwrap_or_default();
            match l {
                Some(l) => {
                    let _ = write!(tds, "<td>{}</td>", cell(l.status, l.root_cause, &l.checks, subnet));
                }
                None => tds.push_str("<td></td>"),
            }
        }
        let mut label = format!("BGP session {} – MSEE, {}", point_name(pe.bgp_point), pe.name);
        if let Some(v) = pe.vlan {
            let _ = write!(label, ", VLAN {v}");
        }
        if let (Some(a), Some(b)) = (pe.peer_asn, pe.azure_asn) {
            let _ = write!(label, ", AS {a} ⇄ AS {b}");
        }
        let _ = writeln!(o, "<tr class=\"bgp\"><th scope=\"row\">{}</th>{tds}</tr>", esc(&label));
    }
    let mut tds = String::new();
    for p in &t.paths {
        let lk = look(p.status);
        let _ = write!(tds, "<td><span class=\"st st-{}\">{} {}</span></td>", p.status.as_str(), lk.icon, path_state_word(p.status));
    }
    let _ = writeln!(o, "<tr class=\"path\"><th scope=\"row\">The path as a whole</th>{tds}</tr>");
    o.push_str("</tbody></table>\n");
}

/// The report as one self-contained HTML page.
pub fn html(r: &Report) -> String {
    let c = &r.circuit;
    let mut o = String::new();
    let verdict = r.verdict.as_str();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light\">\n");
    let _ = writeln!(o, "<title>{} — ExpressRoute {} — erdiag</title>", esc(&c.name), verdict);
    let _ = writeln!(o, "<style>{CSS}</style>\n</head>\n<body>\n<main>");

    // Header: what circuit, and the verdict.
    o.push_str("<header>\n");
    let _ = writeln!(o, "<h1>ExpressRoute circuit {}</h1>", esc(&c.name));
    let _ = writeln!(
        o,
        "<div class=\"verdict v-{verdict}\" data-verdict=\"{verdict}\">{} {}</div>",
        verdict_icon(r.verdict),
        verdict.to_uppercase()
    );
    facts(&mut o, r);
    o.push_str("<nav aria-label=\"Sections\"><a href=\"#diagnosis\">Diagnosis</a><a href=\"#diagram\">Diagram</a><a href=\"#steps\">The guide's steps</a><a href=\"#ticket\">Support ticket</a></nav>\n</header>\n");

    // Diagnosis: root cause, owner, next steps.
    diagnosis(&mut o, r, "diagnosis");

    // The diagram.
    diagram_section(&mut o, r);

    // The guide's steps.
    steps(&mut o, r, "steps");

    ticket_section(&mut o, r);
    let _ = writeln!(
        o,
        "<footer>Diagnosed with erdiag {} following Microsoft's guide “Verify ExpressRoute connectivity”. This page is self-contained: it loads nothing.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

/// The circuit's facts (service key, provider, location, bandwidth, SKU,
/// status, peerings, when collected) as a `<dl class="facts">`.
pub(crate) fn facts(o: &mut String, r: &Report) {
    let c = &r.circuit;
    o.push_str("<dl class=\"facts\">\n");
    fact(o, "Service key", Some(format!("<code>{}</code>", esc(c.service_key.as_deref().unwrap_or("unknown")))));
    if c.express_route_direct {
        fact(o, "Connectivity", Some("ExpressRoute Direct".into()));
    } else {
        fact(
            o,
            "Provider",
            c.provider.as_ref().map(|p| esc(&format!("{p}{}", c.peering_location.as_ref().map(|l| format!(", {l}")).unwrap_or_default()))),
        );
    }
    fact(o, "Location", c.location.as_deref().map(esc));
    fact(o, "Bandwidth", c.bandwidth_mbps.map(|b| format!("{b} Mbps")));
    fact(o, "SKU", c.sku.as_deref().map(esc));
    fact(
        o,
        "Circuit / provider status",
        Some(esc(&format!("{} / {}", c.circuit_status.as_deref().unwrap_or("?"), c.provider_status.as_deref().unwrap_or("?")))),
    );
    fact(o, "Peerings", Some(if c.peerings.is_empty() { "none".into() } else { esc(&c.peerings.join(", ")) }));
    fact(o, "State collected at", r.collected_at.as_deref().map(esc));
    fact(o, "Resource group", c.resource_group.as_deref().map(esc));
    o.push_str("</dl>\n");
}

/// The support-ticket text, ready to copy: `<section id="ticket">`.
pub(crate) fn ticket_section(o: &mut String, r: &Report) {
    o.push_str("<section id=\"ticket\">\n<h2>Support ticket</h2>\n<p class=\"meta\">The text to paste into a ticket with your provider or Microsoft (markdown, with the diagram as Mermaid). One click selects all of it.</p>\n");
    let _ = writeln!(o, "<pre class=\"ticket\" tabindex=\"0\">{}</pre>\n</section>", esc(&crate::markdown(r)));
}

/// The guide's diagram coloured by the report, with the same in words
/// (a table of every point and link per path): `<section id="diagram">`.
pub(crate) fn diagram_section(o: &mut String, r: &Report) {
    let _ = write!(
        o,
        "<section id=\"diagram\">\n<h2>{}</h2>\n",
        if r.root_cause.is_some() { "Where it fails: the guide's diagram" } else { "The guide's diagram" }
    );
    o.push_str("<figure>\n<p class=\"scroll-hint\">The diagram scrolls sideways; the table below says the same in words.</p>\n<div class=\"scroll\">\n");
    o.push_str(&diagram(r, false));
    o.push_str("\n</div>\n");
    let _ = writeln!(
        o,
        "<figcaption>Network points 1–7 of Microsoft's guide on the primary and the secondary path; solid lines are links, dashed arcs BGP sessions. Hover a point for the checks behind its status. {}</figcaption>\n</figure>",
        esc(&status_legend())
    );
    points_table(o, r);
    o.push_str("</section>\n");
}

/// The diagnosis section: root cause, owner, coverage, next steps.
pub(crate) fn diagnosis(o: &mut String, r: &Report, id: &str) {
    let c = &r.circuit;
    let _ = writeln!(o, "<section id=\"{}\" class=\"diagnosis{}\">", esc(id), if r.root_cause.is_some() { " has-root" } else { "" });
    match &r.root_cause {
        Some(rc) => {
            let name = r.findings.iter().find(|f| f.check == rc.check).map(|f| f.name).unwrap_or("");
            let _ = writeln!(o, "<h2><span class=\"pill\">◆ ROOT CAUSE</span> {} {}</h2>", esc(&rc.check), esc(name));
            let _ = writeln!(o, "<p class=\"rc-summary\">{}</p>", esc(&rc.summary));
            o.push_str("<dl class=\"rc-facts\">\n");
            let owner = match rc.owner {
                erdiag_checks::Owner::Provider => {
                    format!("{}{}", rc.owner, c.provider.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())
                }
                _ => rc.owner.to_string(),
            };
            fact(o, "Owner of the fix", Some(format!("<span class=\"owner\">{}</span>", esc(&owner))));
            fact(o, "Where", Some(esc(&scope_words(&rc.peering, rc.path))));
            fact(o, "Network points", Some(esc(&points(&rc.network_points))));
            fact(o, "Layer", Some(esc(&format!("{} ({})", rc.layer.title(), rc.layer))));
            let conseq = r.findings.iter().filter(|f| f.consequence_of.as_deref() == Some(rc.check.as_str())).count();
            if conseq > 0 {
                fact(o, "Explains", Some(format!("{conseq} other finding(s), marked ↳ below")));
            }
            o.push_str("</dl>\n");
        }
        None => {
            let _ = writeln!(o, "<h2>Diagnosis</h2>");
            let _ = writeln!(
                o,
                "<p class=\"rc-summary\">{}</p>",
                match r.verdict {
                    Verdict::Unknown =>
                        "No failing check, but some checks could not be evaluated (see Coverage), so health cannot be confirmed.",
                    _ => "No failing check: the circuit looks healthy from the Azure side.",
                }
            );
        }
    }
    let (head, lines) = crate::coverage_lines(&r.coverage);
    let _ = writeln!(o, "<h3>Coverage</h3>\n<p class=\"coverage\">{}.</p>", esc(&crate::sentence(&head)));
    if !lines.is_empty() {
        o.push_str("<ul class=\"coverage\">\n");
        for (label, text) in lines {
            let _ = writeln!(o, "<li><b>{}</b> {}</li>", esc(label), esc(&text));
        }
        o.push_str("</ul>\n");
    }
    if !r.next_steps.is_empty() {
        o.push_str("<h3>Next steps</h3>\n<ol class=\"next\">\n");
        for s in &r.next_steps {
            let _ = writeln!(o, "<li>{}</li>", esc(s));
        }
        o.push_str("</ol>\n");
    }
    o.push_str("</section>\n");

}

/// The guide's steps, each with its findings: problems first.
pub(crate) fn steps(o: &mut String, r: &Report, id: &str) {
    let _ = writeln!(o, "<section id=\"{}\">\n<h2>The guide's steps</h2>", esc(id));
    let mut step = 0;
    for layer in Layer::ALL {
        let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.layer == layer).collect();
        if fs.is_empty() {
            continue;
        }
        step += 1;
        let counts: Vec<String> = [Status::Fail, Status::Warn, Status::Unknown, Status::Pass, Status::Skip]
            .iter()
            .map(|s| (s, fs.iter().filter(|f| f.status == *s).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        let _ = writeln!(
            o,
            "<section class=\"step\" data-layer=\"{}\">\n<h3>{step}. {} <span class=\"meta\">[{}] · {}</span></h3>\n<ul class=\"findings\">",
            layer,
            esc(layer.title()),
            layer,
            counts.join(", ")
        );
        // Problems first, then what passed.
        for f in fs.iter().filter(|f| !matches!(f.status, Status::Pass | Status::Skip)) {
            finding(o, r, f);
        }
        for f in fs.iter().filter(|f| matches!(f.status, Status::Pass | Status::Skip)) {
            finding(o, r, f);
        }
        o.push_str("</ul>\n</section>\n");
    }
    o.push_str("</section>\n");

}

fn status_legend() -> String {
    ElementStatus::ALL.iter().map(|s| format!("{} {}", look(*s).icon, status_words(*s))).collect::<Vec<_>>().join(" · ")
}
