//! The guide's diagram, drawn for the circuit in hand: the customer network,
//! the provider network (not on ExpressRoute Direct) and the Microsoft
//! datacenter; network points 1–7 with their real names and addresses; the
//! primary path above, the secondary below, each physical link and each BGP
//! session drawn separately. Every point, link and session takes the status
//! the report's `topology` gives it, shown by colour *and* by an icon and a
//! word; the root cause is outlined and labelled.
//!
//! Hand-written SVG, a pure function of the report. Colours are presentation
//! attributes (not CSS), so the file looks the same in a browser, an image
//! viewer or a ticket attachment. Elements carry `data-*` attributes (kind,
//! point, path, status, root cause) for tests and tools.

use crate::{esc, fit, short_peering};
use erdiag_checks::report::point_name;
use erdiag_checks::topology::{LinkTopology, PeeringTopology, PointTopology, Topology, ZoneKind};
use erdiag_checks::{ElementStatus, Report, Status, Verdict};
use erdiag_model::DevicePath;
use std::fmt::Write;

/// The diagram alone, as a standalone SVG document (`-o svg`).
pub fn svg(r: &Report) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&diagram(r, true));
    s.push('\n');
    s
}

/// How a status looks: never colour alone, always an icon and a word too.
pub(crate) struct Look {
    pub stroke: &'static str,
    pub fill: &'static str,
    /// Background and text colour of the status chip.
    pub chip: &'static str,
    pub chip_text: &'static str,
    pub icon: &'static str,
    pub word: &'static str,
}

pub(crate) fn look(s: ElementStatus) -> Look {
    match s {
        ElementStatus::Fail => {
            Look { stroke: "#c62828", fill: "#fdecea", chip: "#c62828", chip_text: "#ffffff", icon: "✖", word: "FAIL" }
        }
        ElementStatus::Consequence => {
            Look { stroke: "#c77700", fill: "#fff4e0", chip: "#fde3b8", chip_text: "#6b3f00", icon: "↳", word: "AFFECTED" }
        }
        ElementStatus::Warn => {
            Look { stroke: "#a16207", fill: "#fefbe8", chip: "#fef08a", chip_text: "#5b3a00", icon: "⚠\u{FE0E}", word: "WARNING" }
        }
        ElementStatus::Unknown => {
            Look { stroke: "#6d28d9", fill: "#f5f0ff", chip: "#ede4ff", chip_text: "#4c1d95", icon: "?", word: "UNKNOWN" }
        }
        ElementStatus::Ok => Look { stroke: "#2e7d32", fill: "#ffffff", chip: "#e8f5e9", chip_text: "#1b5e20", icon: "✔", word: "OK" },
        ElementStatus::Unchecked => {
            Look { stroke: "#9aa0a6", fill: "#f8f9fa", chip: "#eceff1", chip_text: "#455a64", icon: "–", word: "NOT CHECKED" }
        }
    }
}

/// The sentence for a status, for titles and text equivalents.
pub(crate) fn status_words(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Fail => "fails",
        ElementStatus::Consequence => "affected by a failure elsewhere",
        ElementStatus::Warn => "warning",
        ElementStatus::Unknown => "unknown: data missing",
        ElementStatus::Ok => "ok",
        ElementStatus::Unchecked => "not checked",
    }
}

const W: f64 = 1400.0;
const MARGIN: f64 = 24.0;
const NW: f64 = 160.0;
const NH: f64 = 112.0;
const ROW_P: f64 = 150.0;
const GAP: f64 = 124.0;
const ROW_S: f64 = ROW_P + NH + GAP;
const ROW_M: f64 = (ROW_P + ROW_S) / 2.0;
const ZONE_TOP: f64 = 8.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
const MONO: &str = "ui-monospace, 'SFMono-Regular', Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const RC_COLOR: &str = "#7f1d1d";

struct Layout {
    chain: Vec<u8>,
    step: f64,
}

impl Layout {
    fn new(direct: bool) -> Layout {
        let chain: Vec<u8> = if direct { vec![1, 2, 5, 6, 7] } else { vec![1, 2, 3, 4, 5, 6, 7] };
        let step = (W - 2.0 * MARGIN - NW) / (chain.len() - 1) as f64;
        Layout { chain, step }
    }
    /// Left edge of a point's column.
    fn x(&self, p: u8) -> f64 {
        let i = self.chain.iter().position(|&c| c == p).unwrap_or(0);
        MARGIN + i as f64 * self.step
    }
    fn cx(&self, p: u8) -> f64 {
        self.x(p) + NW / 2.0
    }
    /// Top edge of a point's box on a path (shared points sit in the middle).
    fn y(&self, path: Option<DevicePath>) -> f64 {
        match path {
            Some(DevicePath::Primary) => ROW_P,
            Some(DevicePath::Secondary) => ROW_S,
            None => ROW_M,
        }
    }
    fn cy(&self, path: Option<DevicePath>) -> f64 {
        self.y(path) + NH / 2.0
    }
}

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn path_attr(d: Option<DevicePath>) -> &'static str {
    d.map(|d| d.as_str()).unwrap_or("shared")
}

fn path_word(d: Option<DevicePath>) -> String {
    match d {
        Some(d) => format!("{d} path"),
        None => String::from("both paths"),
    }
}

/// The names of the checks behind an element's status, for its tooltip.
fn checks_text(r: &Report, checks: &[String]) -> String {
    checks
        .iter()
        .map(|c| match r.findings.iter().find(|f| f.check == c) {
            Some(f) => format!("{c} {}", f.name),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(o: &mut String, x: f64, y: f64, size: f64, attrs: &str, s: &str) {
    let _ = writeln!(o, "<text x=\"{}\" y=\"{}\" font-size=\"{}\" {attrs}>{}</text>", f(x), f(y), f(size), esc(s));
}

/// The lines under a point's name: its role and its real names and addresses.
fn point_lines(r: &Report, t: &Topology, p: u8, d: Option<DevicePath>) -> (String, Vec<String>) {
    let many = t.peerings.len() > 1;
    let tag = |pe: &PeeringTopology, s: String| {
        if many {
            format!("{} {s}", short_peering(&pe.name))
        } else {
            s
        }
    };
    let path_of = |pe: &PeeringTopology| pe.paths.iter().find(|x| Some(x.path) == d).cloned();
    let sub = d.map(|d| format!("{d}")).unwrap_or_default();
    let mut lines = Vec::new();
    match p {
        1 => {
            let pre = t.peerings.iter().find_map(|pe| pe.on_premises_prefixes.as_ref());
            if let Some(pre) = pre {
                lines.extend(prefix_lines(&pre.sample, pre.count));
            }
            if lines.is_empty() {
                if let Some(asn) = t.peerings.first().and_then(|pe| pe.peer_asn) {
                    lines.push(format!("AS {asn}"));
                }
            }
            return ("on-premises".into(), lines);
        }
        2 | 5 => {
            for pe in t.peerings.iter().take(2) {
                let a = path_of(pe).and_then(|x| if p == 2 { x.ce_address } else { x.msee_address });
                // With a PE-MSEE holding the session, the first usable address is on point 4.
                if p == 2 && pe.bgp_point == 4 {
                    continue;
                }
                lines.push(tag(pe, a.unwrap_or_else(|| "address unknown".into())));
            }
            if !many {
                if let Some(pe) = t.peerings.first() {
                    let asn = if p == 2 { pe.peer_asn } else { pe.azure_asn };
                    if let Some(asn) = asn {
                        if lines.len() < 2 {
                            lines.push(format!("AS {asn}"));
                        }
                    }
                }
            }
            if t.peerings.is_empty() {
                lines.push("no peering".into());
            }
        }
        3 | 4 => {
            if let Some(pr) = &r.circuit.provider {
                lines.push(pr.clone());
            }
            for pe in t.peerings.iter().filter(|pe| pe.bgp_point == 4).take(1) {
                if let Some(a) = path_of(pe).and_then(|x| x.ce_address) {
                    if p == 4 {
                        lines.push(tag(pe, a));
                    }
                }
            }
            if lines.len() < 2 {
                lines.push(if p == 3 {
                    "facing the CE".into()
                } else {
                    r.circuit.peering_location.clone().unwrap_or_else(|| "facing the MSEE".into())
                });
            }
        }
        6 => {
            match t.gateways.first() {
                Some(g) => {
                    lines.push(g.label());
                    let mut second = Vec::new();
                    if let Some(s) = &g.sku {
                        second.push(s.clone());
                    }
                    if let Some(u) = g.scale_units {
                        second.push(format!("{u} scale unit{}", if u == 1 { "" } else { "s" }));
                    }
                    if t.gateways.len() > 1 {
                        second.push(format!("+{} more", t.gateways.len() - 1));
                    } else if let Some(a) = g.asn {
                        second.push(format!("AS {a}"));
                    }
                    if !second.is_empty() {
                        lines.push(second.join(" · "));
                    }
                }
                None => lines.push("none connected".into()),
            }
            return ("ExpressRoute".into(), lines);
        }
        7 => {
            if let Some(v) = t.peerings.iter().find_map(|pe| pe.vnet_prefixes.as_ref()) {
                lines.extend(prefix_lines(&v.sample, v.count));
            }
            return ("virtual network".into(), lines);
        }
        _ => {}
    }
    (sub, lines)
}

fn prefix_lines(sample: &[String], count: u64) -> Vec<String> {
    let mut v: Vec<String> = sample.iter().take(2).cloned().collect();
    let shown = v.len() as u64;
    if count > shown && !v.is_empty() {
        let last = v.pop().unwrap_or_default();
        v.push(format!("{last} +{}", count - shown));
    }
    v
}

fn draw_point(o: &mut String, r: &Report, t: &Topology, l: &Layout, pt: &PointTopology) {
    let (x, y) = (l.x(pt.point), l.y(pt.path));
    let lk = look(pt.status);
    let name = crate::sentence(crate::drawn_point_name(pt.point));
    let (sub, lines) = point_lines(r, t, pt.point, pt.path);
    let title = format!(
        "{} {} ({}): {}{}{}",
        pt.point,
        point_name(pt.point),
        path_word(pt.path),
        status_words(pt.status),
        if pt.checks.is_empty() { String::new() } else { format!(" — {}", checks_text(r, &pt.checks)) },
        if pt.root_cause { " — root cause" } else { "" }
    );
    let _ = writeln!(
        o,
        "<g id=\"point-{}-{}\" class=\"point status-{}{}\" data-kind=\"point\" data-point=\"{}\" data-path=\"{}\" data-status=\"{}\" data-root-cause=\"{}\">",
        pt.point,
        path_attr(pt.path),
        pt.status.as_str(),
        if pt.root_cause { " root-cause" } else { "" },
        pt.point,
        path_attr(pt.path),
        pt.status.as_str(),
        pt.root_cause
    );
    let _ = writeln!(o, "<title>{}</title>", esc(&title));
    if pt.root_cause {
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"13\" fill=\"none\" stroke=\"{RC_COLOR}\" stroke-width=\"2.5\"/>",
            f(x - 6.0),
            f(y - 6.0),
            f(NW + 12.0),
            f(NH + 12.0)
        );
    }
    let (sw, dash) = match pt.status {
        ElementStatus::Fail => (3.5, ""),
        ElementStatus::Consequence => (2.5, " stroke-dasharray=\"7 4\""),
        ElementStatus::Unchecked => (1.5, " stroke-dasharray=\"3 4\""),
        ElementStatus::Unknown => (2.0, " stroke-dasharray=\"2 3\""),
        _ => (2.0, ""),
    };
    let _ = writeln!(
        o,
        "<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>",
        f(x),
        f(y),
        f(NW),
        f(NH),
        lk.fill,
        lk.stroke,
        f(sw)
    );
    // The number of the point, as in the guide.
    let _ = writeln!(o, "<circle cx=\"{}\" cy=\"{}\" r=\"11\" fill=\"#263238\"/>", f(x + 17.0), f(y + 18.0));
    text(o, x + 17.0, y + 22.5, 13.0, "text-anchor=\"middle\" font-weight=\"700\" fill=\"#ffffff\"", &pt.point.to_string());
    text(o, x + 33.0, y + 23.0, if name.len() > 13 { 11.5 } else { 13.5 }, "font-weight=\"700\" fill=\"#111111\"", &name);
    if !sub.is_empty() {
        text(o, x + 10.0, y + 42.0, 11.0, "fill=\"#555555\" letter-spacing=\"0.5\"", &sub.to_uppercase());
    }
    let size = if lines.iter().any(|l| l.chars().count() > 20) { 11.0 } else { 12.0 };
    for (i, line) in lines.iter().take(2).enumerate() {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-family=\"{MONO}\" fill=\"#111111\">{}</text>",
            f(x + 10.0),
            f(y + 60.0 + 16.0 * i as f64),
            f(size),
            esc(&fit(line, 22))
        );
    }
    // The status chip: icon and word.
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" rx=\"4\" fill=\"{}\"/>",
        f(x + 6.0),
        f(y + NH - 26.0),
        f(NW - 12.0),
        lk.chip
    );
    text(
        o,
        x + NW / 2.0,
        y + NH - 11.5,
        12.0,
        &format!("text-anchor=\"middle\" font-weight=\"700\" fill=\"{}\" class=\"status-label\"", lk.chip_text),
        &format!("{} {}", lk.icon, lk.word),
    );
    if pt.root_cause && pt.path.is_none() {
        // Shared points get their own tag; the paths get one bar each (`root_bars`).
        let ty = y - 15.0;
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"112\" height=\"18\" rx=\"9\" fill=\"{RC_COLOR}\"/>",
            f(x + NW / 2.0 - 56.0),
            f(ty)
        );
        text(
            o,
            x + NW / 2.0,
            ty + 13.0,
            11.0,
            "text-anchor=\"middle\" font-weight=\"700\" fill=\"#ffffff\" letter-spacing=\"0.6\" class=\"root-cause-label\"",
            "◆ ROOT CAUSE",
        );
    }
    let _ = writeln!(o, "</g>");
}

/// A round badge with the status icon, for links that are not simply ok.
fn badge(o: &mut String, x: f64, y: f64, s: ElementStatus) {
    let lk = look(s);
    let _ =
        writeln!(o, "<circle cx=\"{}\" cy=\"{}\" r=\"11\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>", f(x), f(y), lk.fill, lk.stroke);
    text(o, x, y + 4.5, 13.0, &format!("text-anchor=\"middle\" font-weight=\"700\" fill=\"{}\"", lk.stroke), lk.icon);
}

fn link_stroke(s: ElementStatus, root: bool) -> (f64, &'static str) {
    let w = match s {
        ElementStatus::Fail => 5.0,
        ElementStatus::Consequence => 3.5,
        ElementStatus::Warn | ElementStatus::Unknown => 3.0,
        ElementStatus::Ok => 2.5,
        ElementStatus::Unchecked => 1.5,
    };
    let dash = match s {
        ElementStatus::Unchecked => " stroke-dasharray=\"3 5\"",
        ElementStatus::Unknown => " stroke-dasharray=\"2 4\"",
        _ => "",
    };
    (if root { w + 1.5 } else { w }, dash)
}

fn link_open(o: &mut String, r: &Report, ln: &LinkTopology, what: &str) {
    let _ = writeln!(
        o,
        "<g id=\"{}-{}-{}-{}{}{}\" class=\"{} status-{}{}\" data-kind=\"{}\" data-from=\"{}\" data-to=\"{}\" data-path=\"{}\"{}{} data-status=\"{}\" data-root-cause=\"{}\">",
        if what == "bgp" { "bgp" } else { "link" },
        ln.from,
        ln.to,
        path_attr(ln.path),
        ln.peering.as_deref().map(|p| format!("-{}", id_part(p))).unwrap_or_default(),
        if ln.ipv6 { "-ipv6" } else { "" },
        what,
        ln.status.as_str(),
        if ln.root_cause { " root-cause" } else { "" },
        what,
        ln.from,
        ln.to,
        path_attr(ln.path),
        ln.peering.as_deref().map(|p| format!(" data-peering=\"{}\"", esc(p))).unwrap_or_default(),
        if ln.ipv6 { " data-family=\"ipv6\"" } else { "" },
        ln.status.as_str(),
        ln.root_cause
    );
    let title = format!(
        "{} {} – {} {}{} ({}): {}{}{}",
        if what == "bgp" { "BGP session" } else { "Link" },
        point_name(ln.from),
        point_name(ln.to),
        ln.peering.as_deref().map(|p| format!("on {p}")).unwrap_or_default(),
        if ln.ipv6 { " (IPv6)" } else { "" },
        path_word(ln.path),
        status_words(ln.status),
        if ln.checks.is_empty() { String::new() } else { format!(" — {}", checks_text(r, &ln.checks)) },
        if ln.root_cause { " — root cause" } else { "" }
    );
    let _ = writeln!(o, "<title>{}</title>", esc(&title.replace("  ", " ")));
}

fn draw_link(o: &mut String, r: &Report, l: &Layout, ln: &LinkTopology) {
    // From the right edge of one box to the left edge of the next.
    let (pa, pb) = (point_path(ln.from, ln.path), point_path(ln.to, ln.path));
    let (x1, y1) = (l.x(ln.from) + NW, l.cy(pa));
    let (x2, y2) = (l.x(ln.to), l.cy(pb));
    let lk = look(ln.status);
    let (w, dash) = link_stroke(ln.status, ln.root_cause);
    link_open(o, r, ln, "link");
    let _ = writeln!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\" stroke-linecap=\"round\"{dash}/>",
        f(x1),
        f(y1),
        f(x2),
        f(y2),
        lk.stroke,
        f(w)
    );
    // On ExpressRoute Direct the CE–MSEE hop is a link of the port: its
    // name and admin state above the line, Microsoft's router under it.
    if let Some(link) = r.topology.direct_port.as_ref().filter(|_| ln.from == 2 && ln.to == 5).and_then(|p| p.link(ln.path)) {
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let state = [Some(link.name.as_str()), link.admin_state.as_deref(), link.macsec.then_some("MACsec")].into_iter().flatten().collect::<Vec<_>>().join(" ");
        text(o, mx, my - 8.0, 9.0, "text-anchor=\"middle\" data-kind=\"port-link\"", &state);
        if let Some(router) = &link.router {
            text(o, mx, my + 16.0, 8.0, "text-anchor=\"middle\" data-kind=\"port-router\"", router);
        }
    }
    if !matches!(ln.status, ElementStatus::Ok | ElementStatus::Unchecked) {
        badge(o, (x1 + x2) / 2.0, (y1 + y2) / 2.0, ln.status);
    }
    let _ = writeln!(o, "</g>");
}

/// Shared points have no path; the others are on the link's path.
fn point_path(p: u8, d: Option<DevicePath>) -> Option<DevicePath> {
    if matches!(p, 1 | 6 | 7) {
        None
    } else {
        d
    }
}

fn draw_session(o: &mut String, r: &Report, t: &Topology, l: &Layout, ln: &LinkTopology, k: usize) {
    let d = ln.path.unwrap_or(DevicePath::Primary);
    let up = d == DevicePath::Primary;
    let y0 = if up { ROW_P } else { ROW_S + NH };
    let lift = 58.0 + 36.0 * k as f64;
    let yc = if up { y0 - lift } else { y0 + lift };
    let (xa, xb) = (l.cx(ln.from) + 20.0 - 14.0 * k as f64, l.cx(ln.to) - 20.0 + 14.0 * k as f64);
    let lk = look(ln.status);
    let (w, _) = link_stroke(ln.status, ln.root_cause);
    link_open(o, r, ln, "bgp");
    let _ = writeln!(
        o,
        "<path d=\"M {} {} C {} {}, {} {}, {} {}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-dasharray=\"9 5\" stroke-linecap=\"round\"/>",
        f(xa),
        f(y0),
        f(xa),
        f(yc),
        f(xb),
        f(yc),
        f(xb),
        f(y0),
        lk.stroke,
        f(w.min(4.5))
    );
    // The label at the top of the arc: the session's real parameters.
    let pe = t.peerings.iter().find(|p| Some(&p.name) == ln.peering.as_ref());
    let family = if ln.ipv6 { "IPv6 " } else { "" };
    let mut parts = vec![format!("{} eBGP {family}{}", lk.icon, pe.map(|p| short_peering(&p.name)).unwrap_or(""))];
    if ln.root_cause {
        parts.insert(0, "◆ ROOT CAUSE".to_string());
    }
    if let Some(pe) = pe {
        if let Some(v) = pe.vlan {
            parts.push(format!("VLAN {v}"));
        }
        if let Some(s) = pe.paths.iter().find(|x| x.path == d).and_then(|x| x.subnet.clone()).filter(|_| !ln.ipv6) {
            parts.push(s);
        }
        parts.push(format!(
            "AS {} ⇄ AS {}",
            pe.peer_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            pe.azure_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into())
        ));
    }
    if !matches!(ln.status, ElementStatus::Ok) {
        parts.push(look(ln.status).word.to_string());
    }
    let apex = if up { y0 - lift * 0.75 } else { y0 + lift * 0.75 };
    let label = parts.join(" · ");
    let w = label.chars().count() as f64 * 7.1 + 20.0;
    let mid = (xa + xb) / 2.0;
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" rx=\"10\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
        f(mid - w / 2.0),
        f(apex - 10.0),
        f(w),
        if ln.status == ElementStatus::Ok { "#ffffff" } else { lk.fill },
        lk.stroke
    );
    let _ = writeln!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" font-weight=\"600\" fill=\"{}\" class=\"status-label\">{}</text>",
        f(mid),
        f(apex + 4.5),
        if ln.status == ElementStatus::Ok { "#1f2937" } else { lk.stroke },
        esc(&label)
    );
    let _ = writeln!(o, "</g>");
}

fn zone_name(r: &Report, z: ZoneKind) -> String {
    match z {
        ZoneKind::Customer => "Customer network".into(),
        ZoneKind::Provider => match (&r.circuit.provider, &r.circuit.peering_location) {
            (Some(p), Some(l)) => format!("Provider network · {p}, {l}"),
            (Some(p), None) => format!("Provider network · {p}"),
            _ => "Provider network".into(),
        },
        ZoneKind::Microsoft => {
            if r.circuit.express_route_direct {
                match &r.circuit.peering_location {
                    Some(l) => format!("Microsoft datacenter · ExpressRoute Direct, {l}"),
                    None => "Microsoft datacenter · ExpressRoute Direct".into(),
                }
            } else {
                "Microsoft datacenter".into()
            }
        }
    }
}

/// The other circuits of Global Reach, one row each under the MSEE
/// column: the link, the circuit and its location, the /29, its status.
fn draw_global_reach(o: &mut String, t: &Topology, l: &Layout, y: f64) {
    for (k, g) in t.global_reach.iter().enumerate() {
        let lk = look(g.status);
        let y = y + 30.0 * k as f64;
        let x = (l.x(5) - 160.0).max(MARGIN);
        let other = match &g.peering_location {
            Some(loc) => format!("{} ({loc})", g.circuit),
            None => g.circuit.clone(),
        };
        let line = format!(
            "{} MSEE ⇄ Global Reach {} ⇄ {other} · {} · {}",
            lk.icon,
            g.name,
            g.address_prefix.as_deref().unwrap_or("?"),
            g.connection_status.as_deref().unwrap_or("status unknown")
        );
        let w = 24.0 + line.chars().count() as f64 * 6.6;
        let _ = writeln!(
            o,
            "<g class=\"global-reach\" data-kind=\"global-reach\" data-status=\"{}\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
            g.status.as_str(),
            esc(&format!("Global Reach {}: {}", g.name, status_words(g.status))),
            f(x),
            f(y),
            f(w),
            lk.fill,
            lk.stroke
        );
        text(o, x + 12.0, y + 16.5, 12.0, &format!("font-weight=\"600\" fill=\"{}\"", lk.chip_text), &line);
        let _ = writeln!(o, "</g>");
    }
}

fn draw_legend(o: &mut String, y: f64) {
    let _ = writeln!(o, "<g class=\"legend\" data-kind=\"legend\">");
    text(o, MARGIN, y + 14.0, 12.0, "font-weight=\"700\" fill=\"#333333\"", "Legend");
    let mut x = MARGIN + 62.0;
    for s in ElementStatus::ALL {
        let lk = look(s);
        let label = match s {
            ElementStatus::Fail => "fails",
            ElementStatus::Consequence => "affected (consequence)",
            ElementStatus::Warn => "warning",
            ElementStatus::Unknown => "unknown (no data)",
            ElementStatus::Ok => "ok",
            ElementStatus::Unchecked => "not checked",
        };
        let label = format!("{} {label}", lk.icon);
        let w = 18.0 + label.chars().count() as f64 * 7.0;
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" rx=\"4\" fill=\"{}\" stroke=\"{}\"/>",
            f(x),
            f(y),
            f(w),
            lk.chip,
            lk.stroke
        );
        text(o, x + 9.0, y + 14.5, 12.0, &format!("font-weight=\"600\" fill=\"{}\"", lk.chip_text), &label);
        x += w + 10.0;
    }
    let _ = writeln!(o, "<rect x=\"{}\" y=\"{}\" width=\"112\" height=\"18\" rx=\"9\" fill=\"{RC_COLOR}\"/>", f(x), f(y + 1.0));
    text(o, x + 56.0, y + 14.0, 11.0, "text-anchor=\"middle\" font-weight=\"700\" fill=\"#ffffff\" letter-spacing=\"0.6\"", "◆ ROOT CAUSE");
    x += 124.0;
    let _ = writeln!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555555\" stroke-width=\"2.5\"/>",
        f(x),
        f(y + 10.0),
        f(x + 30.0),
        f(y + 10.0)
    );
    text(o, x + 36.0, y + 14.5, 12.0, "fill=\"#333333\"", "link");
    x += 74.0;
    let _ = writeln!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555555\" stroke-width=\"2.5\" stroke-dasharray=\"9 5\"/>",
        f(x),
        f(y + 10.0),
        f(x + 30.0),
        f(y + 10.0)
    );
    text(o, x + 36.0, y + 14.5, 12.0, "fill=\"#333333\"", "BGP session");
    let _ = writeln!(o, "</g>");
}

/// The caption: the root cause in words, so the picture stands alone.
fn caption(r: &Report) -> String {
    match &r.root_cause {
        Some(rc) => {
            let name = r.findings.iter().find(|f| f.check == rc.check).map(|f| f.name).unwrap_or("");
            let where_ = crate::scope_words(&rc.peering, rc.path);
            let pts = rc.network_points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
            format!("◆ Root cause {} {name}: {where_}, network points {pts}; owner of the fix: {}.", rc.check, rc.owner)
        }
        None => match r.verdict {
            Verdict::Unknown => "No failing check, but some state could not be read: health is not confirmed.".into(),
            _ => {
                let warns = r.findings.iter().filter(|f| f.status == Status::Warn).count();
                if warns > 0 {
                    format!("No failing check; {warns} warning(s) to review.")
                } else {
                    "No failing check: every check that had its data passed.".into()
                }
            }
        },
    }
}

/// The diagram. `standalone` adds the XML namespace and a heading; inline in
/// HTML neither is needed (and the page stays free of any URL).
pub(crate) fn diagram(r: &Report, standalone: bool) -> String {
    let t = &r.topology;
    let l = Layout::new(t.express_route_direct);
    let head = if standalone { 44.0 } else { 0.0 };
    let arcs = t.sessions(DevicePath::Secondary).count();
    let zone_bottom = ROW_S + NH + 26.0 + (58.0 + 36.0 * arcs.saturating_sub(1) as f64) * 0.75 + 24.0;
    let legend_y = zone_bottom + 16.0;
    let global_reach_y = legend_y + 34.0;
    let caption_y = global_reach_y + 10.0 + 30.0 * t.global_reach.len() as f64;
    let h = caption_y + 12.0 + head;
    let mut o = String::new();
    let verdict = r.verdict.as_str();
    let _ = writeln!(
        o,
        "<svg{} class=\"erdiag-diagram\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"erdiag-diagram-title erdiag-diagram-desc\" font-family=\"{FONT}\" data-verdict=\"{verdict}\">",
        if standalone { " xmlns=\"http://www.w3.org/2000/svg\"" } else { "" },
        f(W),
        f(h),
        f(W),
        f(h)
    );
    let _ = writeln!(o, "<title id=\"erdiag-diagram-title\">ExpressRoute circuit {}: {verdict}</title>", esc(&r.circuit.name));
    let _ = writeln!(o, "<desc id=\"erdiag-diagram-desc\">{}</desc>", esc(&describe(r)));
    let _ = writeln!(o, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", f(W), f(h));
    if standalone {
        let vl = look(match r.verdict {
            Verdict::Healthy => ElementStatus::Ok,
            Verdict::Degraded => ElementStatus::Warn,
            Verdict::Down => ElementStatus::Fail,
            Verdict::Unknown => ElementStatus::Unknown,
        });
        text(&mut o, MARGIN, 30.0, 20.0, "font-weight=\"700\" fill=\"#111111\"", &format!("ExpressRoute circuit {}", r.circuit.name));
        let x = W - MARGIN - 170.0;
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"10\" width=\"170\" height=\"28\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
            f(x),
            vl.chip,
            vl.stroke
        );
        text(
            &mut o,
            x + 85.0,
            29.0,
            15.0,
            &format!("text-anchor=\"middle\" font-weight=\"700\" fill=\"{}\"", vl.chip_text),
            &format!("{} {}", verdict_icon(r.verdict), verdict.to_uppercase()),
        );
        let _ = writeln!(o, "<g transform=\"translate(0 {})\">", f(head));
    }

    // Zones, split halfway between their outer columns.
    for (i, z) in t.zones.iter().enumerate() {
        let first = *z.points.iter().filter(|p| l.chain.contains(p)).min().unwrap_or(&1);
        let last = *z.points.iter().filter(|p| l.chain.contains(p)).max().unwrap_or(&7);
        let x0 = if i == 0 { 4.0 } else { l.x(first) - (l.step - NW) / 2.0 + 2.0 };
        let x1 = if i + 1 == t.zones.len() { W - 4.0 } else { l.x(last) + NW + (l.step - NW) / 2.0 - 2.0 };
        let (fill, stroke) = match z.zone {
            ZoneKind::Customer => ("#fbf6ef", "#e2d3bf"),
            ZoneKind::Provider => ("#f2f7f2", "#cfdccf"),
            ZoneKind::Microsoft => ("#eff5fc", "#c9d9ec"),
        };
        let _ = writeln!(
            o,
            "<g class=\"zone\" data-kind=\"zone\" data-zone=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            zone_attr(z.zone),
            f(x0),
            f(ZONE_TOP),
            f(x1 - x0),
            f(zone_bottom - ZONE_TOP)
        );
        text(
            &mut o,
            x0 + 14.0,
            ZONE_TOP + 22.0,
            14.0,
            "font-weight=\"700\" fill=\"#37474f\" letter-spacing=\"0.3\"",
            &zone_name(r, z.zone),
        );
        let _ = writeln!(o, "</g>");
    }

    // The two paths, named at the left.
    for p in &t.paths {
        let lk = look(p.status);
        let y = l.cy(Some(p.path)) - 22.0;
        let x = MARGIN;
        let _ = writeln!(
            o,
            "<g id=\"path-{}\" class=\"path status-{}\" data-kind=\"path\" data-path=\"{}\" data-status=\"{}\" data-root-cause=\"{}\"><title>{} path: {}</title>",
            p.path,
            p.status.as_str(),
            p.path,
            p.status.as_str(),
            p.root_cause,
            capital(p.path.as_str()),
            status_words(p.status)
        );
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"44\" rx=\"8\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            f(x),
            f(y),
            f(NW),
            lk.chip,
            lk.stroke,
            if p.status == ElementStatus::Fail { "3" } else { "1.5" }
        );
        text(
            &mut o,
            x + NW / 2.0,
            y + 18.0,
            12.0,
            "text-anchor=\"middle\" font-weight=\"700\" fill=\"#263238\" letter-spacing=\"0.8\"",
            &format!("{} PATH", p.path.as_str().to_uppercase()),
        );
        text(
            &mut o,
            x + NW / 2.0,
            y + 36.0,
            12.0,
            &format!("text-anchor=\"middle\" font-weight=\"700\" fill=\"{}\" class=\"status-label\"", lk.chip_text),
            &format!("{} {}", lk.icon, path_state_word(p.status)),
        );
        let _ = writeln!(o, "</g>");
    }

    // Links under the boxes, then the boxes, then the sessions over them.
    for ln in t.links.iter().filter(|x| x.kind == erdiag_checks::LinkKind::Link) {
        draw_link(&mut o, r, &l, ln);
    }
    for pt in &t.points {
        draw_point(&mut o, r, t, &l, pt);
    }
    for d in DevicePath::BOTH {
        for (k, ln) in t.sessions(d).enumerate() {
            draw_session(&mut o, r, t, &l, ln, k);
        }
    }

    root_bars(&mut o, r, &l);
    draw_legend(&mut o, legend_y);
    draw_global_reach(&mut o, t, &l, global_reach_y);
    text(
        &mut o,
        MARGIN,
        caption_y,
        13.0,
        &format!("font-weight=\"600\" fill=\"{}\" class=\"caption\"", if r.root_cause.is_some() { RC_COLOR } else { "#333333" }),
        &caption(r),
    );
    if standalone {
        let _ = writeln!(o, "</g>");
    }
    o.push_str("</svg>");
    o
}

/// One bar per path over the points of the root cause, in the gap between
/// the paths, naming the check.
fn root_bars(o: &mut String, r: &Report, l: &Layout) {
    let Some(rc) = &r.root_cause else { return };
    let name = r.findings.iter().find(|f| f.check == rc.check).map(|f| f.name).unwrap_or("");
    for d in DevicePath::BOTH {
        // Runs of neighbouring root-cause points on this path.
        let mut runs: Vec<(u8, u8)> = Vec::new();
        let mut prev: Option<u8> = None;
        for &p in &l.chain {
            let on = r.topology.points.iter().any(|x| x.point == p && x.path == Some(d) && x.root_cause);
            match (on, prev) {
                (true, Some(_)) => {
                    if let Some(last) = runs.last_mut() {
                        last.1 = p;
                    }
                }
                (true, None) => runs.push((p, p)),
                _ => {}
            }
            prev = if on { Some(p) } else { None };
        }
        for (a, b) in runs {
            let (x0, x1) = (l.x(a) - 6.0, l.x(b) + NW + 6.0);
            let y = if d == DevicePath::Primary { ROW_P + NH + 12.0 } else { ROW_S - 34.0 };
            // The longest label that fits the bar (bold 12px: about 7.6 px a character).
            let label = [
                format!("◆ ROOT CAUSE · {} {name} · {d} path", rc.check),
                format!("◆ ROOT CAUSE · {} {name}", rc.check),
                format!("◆ ROOT CAUSE · {}", rc.check),
            ]
            .into_iter()
            .find(|t| t.chars().count() as f64 * 7.6 + 24.0 <= x1 - x0)
            .unwrap_or_else(|| "◆ ROOT CAUSE".to_string());
            let _ = writeln!(
                o,
                "<g class=\"root-cause-bar\" data-kind=\"root-cause\" data-path=\"{d}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" rx=\"11\" fill=\"{RC_COLOR}\"/>",
                f(x0),
                f(y),
                f(x1 - x0)
            );
            text(
                o,
                (x0 + x1) / 2.0,
                y + 15.5,
                12.0,
                "text-anchor=\"middle\" font-weight=\"700\" fill=\"#ffffff\" letter-spacing=\"0.4\" class=\"root-cause-label\"",
                &label,
            );
            let _ = writeln!(o, "</g>");
        }
    }
}

fn zone_attr(z: ZoneKind) -> &'static str {
    match z {
        ZoneKind::Customer => "customer",
        ZoneKind::Provider => "provider",
        ZoneKind::Microsoft => "microsoft",
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// What a path's status means for the path as a whole.
pub(crate) fn path_state_word(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Fail => "FAILING",
        ElementStatus::Consequence => "AFFECTED",
        ElementStatus::Warn => "WARNING",
        ElementStatus::Unknown => "UNVERIFIED",
        ElementStatus::Ok => "UP",
        ElementStatus::Unchecked => "NOT CHECKED",
    }
}

pub(crate) fn verdict_icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Healthy => "✔",
        Verdict::Degraded => "⚠\u{FE0E}",
        Verdict::Down => "✖",
        Verdict::Unknown => "?",
    }
}

/// The diagram in words, for screen readers and the SVG's `desc`.
pub(crate) fn describe(r: &Report) -> String {
    let t = &r.topology;
    let mut s = format!(
        "The guide's diagram for circuit {} ({}): verdict {}.",
        r.circuit.name,
        if t.express_route_direct { "ExpressRoute Direct" } else { "through a provider" },
        r.verdict.as_str()
    );
    for p in &t.paths {
        let _ = write!(s, " {} path: {}.", capital(p.path.as_str()), status_words(p.status));
    }
    let bad: Vec<String> = t
        .points
        .iter()
        .filter(|p| !matches!(p.status, ElementStatus::Ok | ElementStatus::Unchecked))
        .map(|p| format!("{} {} ({}) {}", p.point, point_name(p.point), path_word(p.path), status_words(p.status)))
        .collect();
    if !bad.is_empty() {
        let _ = write!(s, " Points not ok: {}.", bad.join("; "));
    }
    if r.root_cause.is_some() {
        let _ = write!(s, " {}", caption(r).trim_start_matches("◆ "));
    }
    s
}

/// A name reduced to what an `id` may hold.
fn id_part(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').map(|c| c.to_ascii_lowercase()).collect()
}
