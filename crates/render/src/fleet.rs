//! A fleet of circuits (`erdiag fleet`): the table worst first with the
//! findings across circuits and a summary line; the `erdiag-fleet/1` JSON
//! document written piece by piece as circuits finish; the JSON Lines of
//! `-o jsonl`; one self-contained HTML page whose table links to each
//! circuit's section. Like every renderer, these only read what they are
//! given (the pipeline's `FleetSummary`, `FleetRow` and each `Report`).

use crate::escape::{json_text, terminal_line as t};
use crate::table::Paint;
use crate::{esc, fit};
use erdiag_checks::{Finding, Report, Status, Verdict};
use erdiag_pipeline::fleet::{FleetRow, FleetSummary, FLEET_FORMAT};
use erdiag_pipeline::graph::{CircuitRecord, PortRecord};
use serde::Serialize;
use serde_json::json;
use std::fmt::Write;

/// The bandwidth as people write it: `1 Gbps`, `500 Mbps`.
pub(crate) fn bandwidth(mbps: Option<u64>) -> String {
    match mbps {
        Some(m) if m >= 1000 && m % 1000 == 0 => format!("{} Gbps", m / 1000),
        Some(m) => format!("{m} Mbps"),
        None => "?".into(),
    }
}

/// A subscription id shortened to its first group (`3f2a6c1e…`).
fn short_sub(s: &Option<String>) -> String {
    match s {
        Some(s) if s.len() > 9 => format!("{}…", &s[..s.char_indices().nth(8).map_or(s.len(), |(i, _)| i)]),
        Some(s) => s.clone(),
        None => "?".into(),
    }
}

/// A row's root cause, its owner and network points, as text (or why
/// there is none).
pub(crate) fn cause_cells(r: &FleetRow) -> (String, String, String) {
    match (&r.root_cause, &r.reason) {
        (Some(rc), _) => (
            format!("{} {}", rc.check, rc.summary),
            rc.owner.to_string(),
            rc.network_points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(","),
        ),
        // The row already says which circuit: its name for its id.
        (None, Some(why)) => (format!("not read: {}", why.replace(&r.id, &r.name)), "-".into(), "-".into()),
        (None, None) if !r.not_verified.is_empty() => (format!("not verified: {}", r.not_verified.join(", ")), "-".into(), "-".into()),
        (None, None) => ("-".into(), "-".into(), "-".into()),
    }
}

/// The cells of a row, as text, in the table's column order.
fn cells(r: &FleetRow) -> [String; 10] {
    let (cause, owner, point) = cause_cells(r);
    [
        r.name.clone(),
        short_sub(&r.subscription),
        r.location.clone().unwrap_or_else(|| "?".into()),
        r.provider.clone().unwrap_or_else(|| "?".into()),
        bandwidth(r.bandwidth_mbps),
        r.verdict.as_str().to_ascii_uppercase(),
        cause,
        owner,
        point,
        r.coverage.map(|c| format!("{}/{}", c.verified, c.applicable)).unwrap_or_else(|| "-".into()),
    ]
}

const HEADERS: [&str; 10] = ["CIRCUIT", "SUBSCRIPTION", "LOCATION", "PROVIDER", "BANDWIDTH", "VERDICT", "ROOT CAUSE", "OWNER", "POINT", "COVERAGE"];
/// The root cause column's width: the rest is in each circuit's report.
const CAUSE_WIDTH: usize = 64;

/// The fleet for a terminal: one line per circuit, worst first (the order
/// of `summary.rows`), then the findings across circuits, then the summary
/// line. `color` adds ANSI styles; every verdict and status is a word too.
pub fn table(s: &FleetSummary, color: bool) -> String {
    let p = Paint { color };
    let rows: Vec<[String; 10]> = s
        .rows
        .iter()
        .map(|r| {
            let mut c = cells(r).map(|x| t(&x).into_owned());
            c[6] = fit(&c[6], CAUSE_WIDTH);
            c
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String], paint_verdict: Option<Verdict>| {
        let mut o = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(c.chars().count()));
            let text = match (i, paint_verdict) {
                (5, Some(v)) => p.verdict(v),
                _ => c.clone(),
            };
            if i + 1 == cells.len() {
                o.push_str(&text);
            } else {
                let _ = write!(o, "{text}{pad}  ");
            }
        }
        o.trim_end().to_string() + "\n"
    };
    let mut o = p.bold(line(&HEADERS.map(String::from), None).trim_end()) + "\n";
    for (r, cells) in s.rows.iter().zip(&rows) {
        o.push_str(&line(cells, Some(r.verdict)));
    }
    // What passed is counted, not listed: a fleet has many gateways.
    let (problems, fine): (Vec<&Finding>, Vec<&Finding>) = s.findings.iter().partition(|f| !matches!(f.status, Status::Pass | Status::Skip));
    if !s.findings.is_empty() {
        let _ = writeln!(o, "\n{}", p.bold("Resiliency across circuits [resiliency]"));
        let scope_w = problems.iter().map(|f| t(&f.scope()).chars().count()).max().unwrap_or(0);
        for f in &problems {
            let _ = writeln!(o, "  {}  {} {}  {:scope_w$}  {}", p.status(f.status), f.check, f.name, t(&f.scope()), t(&f.message));
            for e in &f.evidence {
                let _ = writeln!(o, "        {}", p.dim(&format!("· {}", t(e))));
            }
        }
        if !fine.is_empty() {
            let _ = writeln!(o, "  {}", p.dim(&format!("{} passed or did not apply", fine.len())));
        }
    }
    let _ = writeln!(o, "\n{}", p.bold(&s.line()));
    o
}

/// One circuit's `erdiag-report/1` on one line (`-o jsonl`, and each
/// element of the fleet document's `circuits`).
pub fn report_line(r: &Report) -> String {
    json_text(serde_json::to_string(r).expect("a report always serializes")) + "\n"
}

/// A line of `-o jsonl` (or an element of `circuits`) that is not a report.
#[derive(Serialize)]
struct Line<T: Serialize> {
    format: &'static str,
    kind: &'static str,
    #[serde(flatten)]
    body: T,
}

fn line<T: Serialize>(kind: &'static str, body: T) -> String {
    json_text(serde_json::to_string(&Line { format: FLEET_FORMAT, kind, body }).expect("a fleet line serializes")) + "\n"
}

/// A circuit that could not be read, on one line: `{"format":
/// "erdiag-fleet/1", "kind": "unread", "verdict": "unknown", "reason", "circuit"}`.
pub fn unread_line(row: &FleetRow) -> String {
    line("unread", json!({ "verdict": "unknown", "reason": row.reason, "circuit": row }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryView<'a> {
    line: String,
    counts: &'a erdiag_pipeline::fleet::Counts,
    discovered: usize,
    client: Option<ClientView>,
    elapsed_ms: u64,
}

/// The shared client's statistics as the fleet document names them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientView {
    requests: u64,
    throttled: u64,
    retries: u64,
    paced: u64,
    paced_ms: u64,
}

fn summary_value(s: &FleetSummary) -> SummaryView<'_> {
    let client = s.client.as_ref().map(|c| ClientView { requests: c.requests, throttled: c.throttled, retries: c.retries, paced: c.paced, paced_ms: c.paced_ms });
    SummaryView { line: s.line(), counts: &s.counts, discovered: s.discovered, client, elapsed_ms: s.elapsed_ms }
}

#[derive(Serialize)]
struct SummaryBody<'a> {
    summary: SummaryView<'a>,
    rows: &'a [FleetRow],
    findings: &'a [Finding],
}

/// The last line of `-o jsonl`: `{"format": "erdiag-fleet/1", "kind":
/// "summary", "summary", "rows", "findings"}`.
pub fn summary_line(s: &FleetSummary) -> String {
    line("summary", SummaryBody { summary: summary_value(s), rows: &s.rows, findings: &s.findings })
}

/// The `erdiag-fleet/1` document, written as the fleet runs:
/// [`JsonDocument::head`], then [`JsonDocument::circuit`] for each circuit
/// as it finishes, then [`JsonDocument::tail`]. Its memory does not grow
/// with the fleet.
#[derive(Default)]
pub struct JsonDocument {
    circuits: usize,
}

impl JsonDocument {
    pub fn head(&self) -> String {
        format!("{{\n  \"format\": \"{FLEET_FORMAT}\",\n  \"circuits\": [")
    }

    /// One element of `circuits`: the circuit's report, or the unread
    /// object when it has none.
    pub fn circuit(&mut self, report: Option<&Report>, row: &FleetRow) -> String {
        let item = match report {
            Some(r) => report_line(r),
            None => unread_line(row),
        };
        self.circuits += 1;
        format!("{}\n    {}", if self.circuits == 1 { "" } else { "," }, item.trim_end())
    }

    pub fn tail(&self, s: &FleetSummary) -> String {
        let findings = json_text(serde_json::to_string(&s.findings).expect("findings serialize"));
        let rows = json_text(serde_json::to_string(&s.rows).expect("rows serialize"));
        let summary = json_text(serde_json::to_string(&summary_value(s)).expect("the summary serializes"));
        format!("{}],\n  \"findings\": {findings},\n  \"rows\": {rows},\n  \"summary\": {summary}\n}}\n", if self.circuits == 0 { "" } else { "\n  " })
    }
}

/// The anchor of a circuit's section in the HTML page.
pub fn anchor(seq: usize) -> String {
    format!("c{seq}")
}

/// One circuit's section of the HTML page: its name, verdict and facts,
/// the diagnosis and the guide's steps (as the single report shows them),
/// or why it could not be read.
pub fn html_section(report: Option<&Report>, row: &FleetRow) -> String {
    let mut o = String::new();
    let id = anchor(row.seq);
    let verdict = row.verdict.as_str();
    let _ = writeln!(o, "<section class=\"circuit\" id=\"{id}\" data-verdict=\"{verdict}\">");
    let _ = writeln!(
        o,
        "<h2>{} <span class=\"verdict v-{verdict}\">{} {}</span></h2>",
        esc(&row.name),
        crate::svg::verdict_icon(row.verdict),
        verdict.to_ascii_uppercase()
    );
    let mut facts = vec![("Id", row.id.clone())];
    for (k, v) in [("Location", &row.location), ("Provider", &row.provider), ("Peering location", &row.peering_location), ("SKU", &row.sku)] {
        if let Some(v) = v {
            facts.push((k, v.clone()));
        }
    }
    facts.push(("Bandwidth", bandwidth(row.bandwidth_mbps)));
    facts.push(("Source", row.source.clone()));
    o.push_str("<dl class=\"facts\">\n");
    for (k, v) in facts {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    o.push_str("</dl>\n");
    match report {
        Some(r) => {
            crate::html::diagnosis(&mut o, r, &format!("{id}-diagnosis"));
            crate::html::steps(&mut o, r, &format!("{id}-steps"));
        }
        None => {
            let _ = writeln!(
                o,
                "<p class=\"rc-summary\">Not diagnosed: {}</p>",
                esc(row.reason.as_deref().unwrap_or("the circuit could not be read"))
            );
        }
    }
    o.push_str("<p class=\"meta\"><a href=\"#fleet\">↑ the fleet</a></p>\n</section>\n");
    o
}

const FLEET_CSS: &str = r#"
table.fleet { font-size: 0.9em; margin: 10px 0; }
table.fleet th, table.fleet td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.fleet thead th { background: var(--bg); white-space: nowrap; }
table.fleet thead th button { all: inherit; cursor: pointer; padding: 0; border: 0; background: none; }
table.fleet thead th button::after { content: " ⇅"; color: var(--muted); }
table.fleet td.cause { max-width: 36em; }
table.fleet td:first-child, table.fleet td:nth-child(2) { white-space: nowrap; }
section.circuit { border-top: 3px solid var(--line); margin-top: 36px; }
section.circuit .verdict { font-size: 0.7em; vertical-align: 3px; }
@media print { table.fleet thead th button::after { content: ""; } section.circuit { break-before: page; } }
"#;

/// Sorts the fleet table by the column clicked (its cells' `data-sort`),
/// ascending, then descending on a second click. The table is usable
/// without it: it is already worst first.
const SORT_SCRIPT: &str = r#"document.querySelectorAll("table.fleet thead button").forEach(function (b, col) {
  b.addEventListener("click", function () { var tb = b.closest("table").tBodies[0], rows = Array.from(tb.rows), dir = b.dataset.dir === "asc" ? -1 : 1;
    rows.sort(function (x, y) { var p = x.cells[col].dataset.sort, q = y.cells[col].dataset.sort; return dir * (isNaN(p - q) ? p.localeCompare(q) : p - q); });
    b.dataset.dir = dir === 1 ? "asc" : "desc"; rows.forEach(function (r) { tb.appendChild(r); }); }); });"#;

/// The fleet as one self-contained page: the summary, the table worst
/// first (each circuit's name links to its section; a click on a column
/// heading sorts by it), the findings across circuits, then every
/// circuit's section (`sections`: [`html_section`]s, worst first).
pub fn html(s: &FleetSummary, sections: &[String]) -> String {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light\">\n");
    let _ = writeln!(o, "<title>ExpressRoute fleet — {} — erdiag</title>", esc(&s.line()));
    let _ = writeln!(o, "<style>{}{FLEET_CSS}</style>\n</head>\n<body>\n<main>", crate::html::CSS);
    let _ = writeln!(o, "<header>\n<h1>ExpressRoute fleet</h1>\n<p class=\"rc-summary\" id=\"summary\">{}</p>\n</header>", esc(&s.line()));
    o.push_str("<section id=\"fleet\">\n<h2>Circuits, worst first</h2>\n<div class=\"scroll\">\n<table class=\"fleet\">\n<thead><tr>");
    for h in HEADERS {
        let _ = write!(o, "<th scope=\"col\"><button type=\"button\">{}</button></th>", esc(&crate::sentence(&h.to_ascii_lowercase())));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &s.rows {
        let c = cells(r);
        let sort_keys = [
            c[0].to_ascii_lowercase(),
            c[1].clone(),
            c[2].clone(),
            c[3].clone(),
            r.bandwidth_mbps.unwrap_or(0).to_string(),
            erdiag_pipeline::fleet::severity(r.verdict).to_string(),
            c[6].clone(),
            c[7].clone(),
            c[8].clone(),
            r.coverage.and_then(|c| (c.verified * 1000).checked_div(c.applicable)).unwrap_or(0).to_string(),
        ];
        let _ = write!(o, "<tr data-verdict=\"{}\">", r.verdict.as_str());
        for (i, (cell, key)) in c.iter().zip(&sort_keys).enumerate() {
            let content = match i {
                0 => format!("<a href=\"#{}\">{}</a>", anchor(r.seq), esc(cell)),
                5 => format!("<span class=\"verdict v-{v}\">{}</span>", esc(cell), v = r.verdict.as_str()),
                6 => esc(&fit(cell, 160)),
                _ => esc(cell),
            };
            let _ = write!(o, "<td{} data-sort=\"{}\">{content}</td>", if i == 6 { " class=\"cause\"" } else { "" }, esc(key));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    if !s.findings.is_empty() {
        o.push_str("<section id=\"resiliency\">\n<h2>Resiliency across circuits</h2>\n<ul class=\"findings\">\n");
        let (problems, fine): (Vec<&Finding>, Vec<&Finding>) = s.findings.iter().partition(|f| !matches!(f.status, Status::Pass | Status::Skip));
        for f in problems {
            crate::html::fleet_finding(&mut o, f);
        }
        o.push_str("</ul>\n");
        if !fine.is_empty() {
            let _ = writeln!(o, "<details><summary>{} passed or did not apply</summary>\n<ul class=\"findings\">", fine.len());
            for f in fine {
                crate::html::fleet_finding(&mut o, f);
            }
            o.push_str("</ul>\n</details>\n");
        }
        o.push_str("</section>\n");
    }
    for sec in sections {
        o.push_str(sec);
    }
    let _ = writeln!(
        o,
        "<footer>Diagnosed with erdiag {} following Microsoft's guide “Verify ExpressRoute connectivity”. This page is self-contained: it loads nothing.</footer>\n</main>\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    o
}

/// `fleet --list` for a terminal: one line per circuit found.
pub fn inventory_table(circuits: &[CircuitRecord]) -> String {
    let head = ["CIRCUIT", "SUBSCRIPTION", "RESOURCE GROUP", "LOCATION", "PROVIDER", "PEERING LOCATION", "BANDWIDTH", "SKU", "STATE"];
    let rows: Vec<Vec<String>> = circuits
        .iter()
        .map(|c| {
            let bw = c.bandwidth_mbps.map(u64::from).or(c.bandwidth_gbps.map(|g| (g * 1000.0) as u64));
            let sku = [c.sku_tier.as_deref(), c.sku_family.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let state = [c.circuit_state.as_deref(), c.provider_state.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" / ");
            let or_q = |s: String| if s.is_empty() { "?".to_string() } else { s };
            [
                c.name.clone(),
                c.subscription.clone(),
                c.resource_group.clone(),
                c.location.clone(),
                c.provider.clone().unwrap_or_else(|| if c.port_id.is_some() { "ExpressRoute Direct".into() } else { "?".into() }),
                c.peering_location.clone().unwrap_or_else(|| "?".into()),
                bandwidth(bw),
                or_q(sku),
                or_q(state),
            ]
            .iter()
            .map(|x| t(x).into_owned())
            .collect()
        })
        .collect();
    let mut widths: Vec<usize> = head.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut o = String::new();
    for r in std::iter::once(head.iter().map(|h| h.to_string()).collect::<Vec<_>>()).chain(rows) {
        let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count())))).collect();
        o.push_str(line.join("  ").trim_end());
        o.push('\n');
    }
    o
}

/// `fleet --list -o json`: `{"circuits": [...], "ports": [...]}`.
pub fn inventory_json(circuits: &[CircuitRecord], ports: &[PortRecord]) -> String {
    json_text(serde_json::to_string_pretty(&json!({ "circuits": circuits, "ports": ports })).expect("records serialize")) + "\n"
}
