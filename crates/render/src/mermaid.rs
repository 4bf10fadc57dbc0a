//! The guide's diagram as a Mermaid flowchart, for the markdown ticket: it
//! renders on GitHub and in Azure DevOps. The same topology as the SVG, in the
//! conservative Mermaid syntax both support (flowchart, subgraph, classDef,
//! linkStyle); every node and failing link says its status in words too.

use crate::short_peering;
use crate::svg::look;
use erdiag_checks::topology::{LinkTopology, PointTopology};
use erdiag_checks::{ElementStatus, LinkKind, Report};
use erdiag_model::DevicePath;
use std::fmt::Write;

/// Mermaid label text: no quotes, angle brackets or `#` that Mermaid would
/// read, no control characters.
fn label(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '#' => o.push_str("#35;"),
            '"' => o.push_str("#quot;"),
            '<' => o.push_str("#lt;"),
            '>' => o.push_str("#gt;"),
            '`' => o.push('\''),
            '\n' | '\r' => o.push(' '),
            c => o.push(c),
        }
    }
    // Control characters as text (`\x1b`), as on a terminal.
    crate::escape::terminal_line(&o).into_owned()
}

fn node_id(p: u8, d: Option<DevicePath>) -> String {
    match d {
        Some(DevicePath::Primary) => format!("p{p}a"),
        Some(DevicePath::Secondary) => format!("p{p}b"),
        None => format!("p{p}"),
    }
}

fn class_of(s: ElementStatus) -> &'static str {
    s.as_str()
}

fn status_text(s: ElementStatus) -> String {
    let lk = look(s);
    format!("{} {}", lk.icon, lk.word)
}

fn node(r: &Report, pt: &PointTopology) -> String {
    let t = &r.topology;
    let name = crate::drawn_point_name(pt.point);
    let mut lines = vec![match pt.path {
        Some(d) => format!("{} {name} {d}", pt.point),
        None => format!("{} {name}", pt.point),
    }];
    let many = t.peerings.len() > 1;
    for pe in t.peerings.iter().take(2) {
        let path = pe.paths.iter().find(|x| Some(x.path) == pt.path);
        let addr = match pt.point {
            2 if pe.bgp_point == 2 => path.and_then(|x| x.ce_address.clone()),
            4 if pe.bgp_point == 4 => path.and_then(|x| x.ce_address.clone()),
            5 => path.and_then(|x| x.msee_address.clone()),
            _ => None,
        };
        if let Some(a) = addr {
            lines.push(if many { format!("{} {a}", short_peering(&pe.name)) } else { a });
        }
    }
    match pt.point {
        3 | 4 => {
            if let Some(p) = &r.circuit.provider {
                lines.push(p.clone());
            }
        }
        6 => {
            if let Some(g) = t.gateways.first() {
                lines.push(match &g.sku {
                    Some(s) => format!("{} ({s})", g.label()),
                    None => g.label(),
                });
            }
        }
        _ => {}
    }
    let mut st = status_text(pt.status);
    if pt.root_cause {
        st.push_str(" · ROOT CAUSE");
    }
    lines.push(st);
    format!("{}[\"{}\"]", node_id(pt.point, pt.path), lines.iter().map(|l| label(l)).collect::<Vec<_>>().join("<br/>"))
}

/// The fenced ```mermaid block, with a final newline.
/// The Direct port's link that a CE–MSEE hop is.
fn port_link(t: &erdiag_checks::Topology, ln: &LinkTopology) -> Option<String> {
    t.direct_port.as_ref().filter(|_| ln.from == 2 && ln.to == 5)?.label(ln.path)
}

pub(crate) fn mermaid(r: &Report) -> String {
    let t = &r.topology;
    let mut o = String::from("```mermaid\nflowchart LR\n");
    for z in &t.zones {
        let (id, title) = match z.zone {
            erdiag_checks::ZoneKind::Customer => ("customer", "Customer network".to_string()),
            erdiag_checks::ZoneKind::Provider => (
                "provider",
                match &r.circuit.provider {
                    Some(p) => format!("Provider network: {p}"),
                    None => "Provider network".into(),
                },
            ),
            erdiag_checks::ZoneKind::Microsoft => ("microsoft", "Microsoft datacenter".to_string()),
        };
        let _ = writeln!(o, "  subgraph {id}[\"{}\"]", label(&title));
        for pt in t.points.iter().filter(|p| z.points.contains(&p.point)) {
            let _ = writeln!(o, "    {}", node(r, pt));
        }
        let _ = writeln!(o, "  end");
    }
    // Links in drawing order; linkStyle refers to them by index.
    let mut styles: Vec<(usize, ElementStatus, bool)> = Vec::new();
    let mut i = 0;
    let mut edge = |o: &mut String, ln: &LinkTopology, a: String, b: String| {
        let word = |s: ElementStatus| if s == ElementStatus::Ok { look(s).icon.to_string() } else { status_text(s) };
        let text = match (ln.kind, ln.status, port_link(t, ln)) {
            (LinkKind::Bgp, s, _) => {
                let pe = ln.peering.as_deref().map(short_peering).unwrap_or("");
                let family = if ln.ipv6 { "IPv6 " } else { "" };
                Some(format!("BGP {family}{pe} {}", word(s)))
            }
            // On ExpressRoute Direct the CE–MSEE hop is a link of the port.
            (_, s, Some(link)) => Some(format!("{link} {}", word(s))),
            (_, ElementStatus::Ok | ElementStatus::Unchecked, None) => None,
            (_, s, None) => Some(status_text(s)),
        };
        let arrow = if ln.kind == LinkKind::Bgp { "-.-" } else { "---" };
        match text {
            Some(tx) => {
                let _ = writeln!(o, "  {a} {arrow}|\"{}\"| {b}", label(&tx));
            }
            None => {
                let _ = writeln!(o, "  {a} {arrow} {b}");
            }
        }
        styles.push((i, ln.status, ln.root_cause));
        i += 1;
    };
    let shared = |p: u8| matches!(p, 1 | 6 | 7);
    for ln in t.links.iter().filter(|x| x.kind == LinkKind::Link) {
        let a = node_id(ln.from, if shared(ln.from) { None } else { ln.path });
        let b = node_id(ln.to, if shared(ln.to) { None } else { ln.path });
        edge(&mut o, ln, a, b);
    }
    for ln in t.links.iter().filter(|x| x.kind == LinkKind::Bgp) {
        edge(&mut o, ln, node_id(ln.from, ln.path), node_id(ln.to, ln.path));
    }
    // Global Reach: the other circuit beside the MSEEs, one dotted link from each.
    for (k, g) in t.global_reach.iter().enumerate() {
        let mut lines = vec![format!("Global Reach {}", g.name), match &g.peering_location {
            Some(loc) => format!("{} ({loc})", g.circuit),
            None => g.circuit.clone(),
        }];
        lines.push(format!("{} · {}", g.address_prefix.as_deref().unwrap_or("?"), g.connection_status.as_deref().unwrap_or("status unknown")));
        lines.push(status_text(g.status));
        let _ = writeln!(o, "  gr{k}[\"{}\"]", lines.iter().map(|l| label(l)).collect::<Vec<_>>().join("<br/>"));
        for d in DevicePath::BOTH {
            let _ = writeln!(o, "  {} -.- gr{k}", node_id(5, Some(d)));
            styles.push((i, g.status, false));
            i += 1;
        }
    }
    for s in ElementStatus::ALL {
        let lk = look(s);
        let width = match s {
            ElementStatus::Fail => "3px",
            _ => "1.5px",
        };
        let _ = writeln!(o, "  classDef {} fill:{},stroke:{},stroke-width:{width},color:#111", class_of(s), lk.fill, lk.stroke);
    }
    let _ = writeln!(o, "  classDef rootcause fill:#fdecea,stroke:#7f1d1d,stroke-width:4px,color:#111");
    for s in ElementStatus::ALL {
        let ids: Vec<String> = t.points.iter().filter(|p| p.status == s && !p.root_cause).map(|p| node_id(p.point, p.path)).collect();
        if !ids.is_empty() {
            let _ = writeln!(o, "  class {} {}", ids.join(","), class_of(s));
        }
    }
    for (k, g) in t.global_reach.iter().enumerate() {
        let _ = writeln!(o, "  class gr{k} {}", class_of(g.status));
    }
    let rc: Vec<String> = t.points.iter().filter(|p| p.root_cause).map(|p| node_id(p.point, p.path)).collect();
    if !rc.is_empty() {
        let _ = writeln!(o, "  class {} rootcause", rc.join(","));
    }
    // One index per linkStyle line: older Mermaid (Azure DevOps) reads no lists there.
    for (i, st, _) in &styles {
        let width = match st {
            ElementStatus::Fail => "4px",
            ElementStatus::Consequence => "3px",
            _ => "2px",
        };
        let _ = writeln!(o, "  linkStyle {i} stroke:{},stroke-width:{width}", look(*st).stroke);
    }
    o.push_str("```\n");
    o
}
