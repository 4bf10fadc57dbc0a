//! The dashboard of `erdiag watch`: the fleet page (every watched circuit,
//! worst first, with the state of the watch itself) and a circuit's page
//! (the latest diagnosis, the guide's diagram coloured by it, the timeline
//! from the history store, the support-ticket text). Server-rendered HTML
//! like the report: inline CSS, no script, no URL outside the dashboard, a
//! `<meta http-equiv="refresh">` to stay live. The pages only show: there is
//! no form or button, nothing they could trigger in Azure.
//!
//! The renderer knows nothing of the watch: the watch fills these plain
//! views from its shared state, and the renderer reads them.

use crate::fleet::bandwidth;
use crate::history::duration;
use crate::svg::verdict_icon;
use crate::{esc, fit};
use erdiag_checks::{Report, Verdict};
use erdiag_model::time::{unix_rfc3339, Unix};
use erdiag_pipeline::fleet::{severity, FleetRow};
use erdiag_pipeline::history::Timeline;
use std::fmt::Write;

/// The page's refresh interval: the poll interval, kept within 10 s…5 min
/// (a page reloading faster than that shows nothing new, slower is stale).
pub fn refresh_secs(poll_interval_secs: u64) -> u64 {
    poll_interval_secs.clamp(10, 300)
}

/// One watched circuit: its latest row and when things happened.
pub struct CircuitLine<'a> {
    pub row: &'a FleetRow,
    /// When the state this row judges was collected.
    pub observed_at: Unix,
    /// Since when the current verdict and root cause hold.
    pub since: Unix,
    /// The circuit's page, relative to the dashboard's root ([`circuit_href`]).
    pub href: String,
    /// Not in the last poll (its discovery failed): this status is older.
    pub stale: bool,
}

/// The last poll of the watch.
pub struct PollLine {
    pub started: Unix,
    pub duration_ms: u64,
    pub circuits: usize,
    pub failed: usize,
}

/// The history store as the watch sees it. `label` never holds a password.
pub struct StoreLine<'a> {
    pub label: &'a str,
    pub buffered: usize,
    pub last_error: Option<&'a str>,
    pub last_ok: Option<Unix>,
}

/// The fleet page: the circuits (any order: shown worst first) and the watch.
pub struct FleetPage<'a> {
    pub circuits: Vec<CircuitLine<'a>>,
    pub now: Unix,
    pub started: Unix,
    pub refresh_secs: u64,
    pub polls: u64,
    pub last_poll: Option<PollLine>,
    /// ARM calls, of them throttled (429), failed: since the watch started.
    pub arm: (u64, u64, u64),
    pub store: Option<StoreLine<'a>>,
    /// The settings shown (never a secret).
    pub config: &'a [(String, String)],
}

/// What the circuit page shows of the history store.
pub enum History<'a> {
    /// The circuit's timeline over the window asked for.
    Shown(&'a Timeline),
    /// The store could not be read: why (no password in it).
    Unavailable(String),
    /// The watch records nowhere.
    NoStore,
}

/// A circuit's page.
pub struct CircuitPage<'a> {
    pub line: CircuitLine<'a>,
    /// The latest report; `None` when the circuit could not be read (`row.reason`).
    pub report: Option<&'a Report>,
    /// The verdict and root-cause check before the last change.
    pub previous: Option<(Verdict, Option<&'a str>)>,
    pub history: History<'a>,
    pub now: Unix,
    pub refresh_secs: u64,
}

const DASH_CSS: &str = r#"
.watch { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 0.93em; margin: 6px 0 0; }
.watch dt { color: var(--muted); }
.watch dd { margin: 0; overflow-wrap: anywhere; }
.counts { font-weight: 600; }
table.dash, table.timeline { font-size: 0.9em; margin: 10px 0; }
table.dash th, table.dash td, table.timeline th, table.timeline td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.dash thead th, table.timeline thead th { background: var(--bg); white-space: nowrap; }
table.dash td:first-child { overflow-wrap: normal; white-space: nowrap; }
table.dash caption { text-align: left; }
table.dash td.verdict-cell { white-space: nowrap; }
table.dash .verdict { margin: 0; padding: 0 6px; border-width: 1px; }
.ro { color: var(--muted); font-size: 0.9em; }
.notice { border: 1px solid var(--line); border-left: 5px solid #8b5cf6; border-radius: 6px; padding: 6px 12px; background: var(--unknown-bg); }
@media (max-width: 760px) {
  table.dash thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.dash, table.dash tbody, table.dash tr, table.dash td { display: block; width: 100%; }
  table.dash tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; }
  table.dash td { border: 0; border-top: 1px solid var(--line); }
  table.dash td:first-child { border-top: 0; white-space: normal; overflow-wrap: anywhere; }
  table.dash caption { display: block; }
  table.dash td::before { content: attr(data-label) ": "; color: var(--muted); }
}
"#;

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// A circuit's page under the dashboard: `circuits/NAME` when the name is
/// unique among the watched circuits, else `circuits` followed by its
/// lowercased ARM id (`circuits/subscriptions/…/expressroutecircuits/NAME`).
pub fn circuit_href(row: &FleetRow, name_is_unique: bool) -> String {
    if name_is_unique {
        format!("circuits/{}", segment(&row.name))
    } else {
        let id = row.id.to_ascii_lowercase();
        let parts: Vec<String> = id.split('/').filter(|p| !p.is_empty()).map(segment).collect();
        format!("circuits/{}", parts.join("/"))
    }
}

/// A time and how long ago: `2026-01-15T09:00:00Z (3m 10s ago)`.
fn when(t: Unix, now: Unix) -> String {
    format!("{} ({} ago)", unix_rfc3339(t), duration(now - t))
}

fn head(o: &mut String, title: &str, refresh: u64, base: &str) {
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light\">\n");
    let _ = writeln!(o, "<meta http-equiv=\"refresh\" content=\"{}\">", refresh_secs(refresh));
    let _ = writeln!(o, "<title>{} — erdiag watch</title>", esc(title));
    let _ = writeln!(o, "<style>{}{DASH_CSS}</style>\n</head>\n<body>\n<main>", crate::html::CSS);
    let _ = writeln!(o, "<nav aria-label=\"Dashboard\"><a href=\"{base}\">Fleet</a></nav>");
}

fn foot(o: &mut String, refresh: u64) {
    let _ = writeln!(
        o,
        "<footer>erdiag {} watch, following Microsoft's guide “Verify ExpressRoute connectivity”. <span class=\"ro\">Read-only: this dashboard shows what the watch last read and changes nothing in Azure. It reloads every {}.</span></footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        duration(refresh_secs(refresh) as i64)
    );
}

fn verdict_span(v: Verdict) -> String {
    format!("<span class=\"verdict v-{0}\" data-verdict=\"{0}\">{1} {2}</span>", v.as_str(), verdict_icon(v), v.as_str().to_ascii_uppercase())
}

/// The fleet page: counts, the watch's own state, the table worst first.
pub fn fleet(p: &FleetPage) -> String {
    let mut rows: Vec<&CircuitLine> = p.circuits.iter().collect();
    rows.sort_by(|a, b| (severity(a.row.verdict), &a.row.name, &a.row.id).cmp(&(severity(b.row.verdict), &b.row.name, &b.row.id)));
    let count = |v: Verdict| rows.iter().filter(|r| r.row.verdict == v).count();
    let counts = format!(
        "{} circuit{}: {} down, {} degraded, {} unknown, {} healthy",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        count(Verdict::Down),
        count(Verdict::Degraded),
        count(Verdict::Unknown),
        count(Verdict::Healthy)
    );
    let mut o = String::new();
    head(&mut o, &format!("ExpressRoute fleet — {counts}"), p.refresh_secs, "./");
    let _ = writeln!(o, "<header>\n<h1>ExpressRoute fleet</h1>\n<p class=\"counts\" id=\"counts\">{}</p>", esc(&counts));
    o.push_str("<dl class=\"watch\" aria-label=\"The watch\">\n");
    let mut dd = |k: &str, v: String| {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    };
    dd(
        "Last poll",
        match &p.last_poll {
            Some(l) => format!(
                "{}, took {}, {} circuit{} read, {} failed",
                when(l.started, p.now),
                if l.duration_ms < 1000 { format!("{} ms", l.duration_ms) } else { duration((l.duration_ms / 1000) as i64) },
                l.circuits,
                if l.circuits == 1 { "" } else { "s" },
                l.failed
            ),
            None => "none yet: the first poll is running".into(),
        },
    );
    dd("Polls", format!("{} since {}", p.polls, unix_rfc3339(p.started)));
    dd("ARM calls", format!("{} ({} throttled, {} failed)", p.arm.0, p.arm.1, p.arm.2));
    dd(
        "History store",
        match &p.store {
            Some(s) => {
                let mut t = s.label.to_string();
                if s.buffered > 0 {
                    let _ = write!(t, ", {} observation{} buffered", s.buffered, if s.buffered == 1 { "" } else { "s" });
                }
                if let Some(e) = s.last_error {
                    let _ = write!(t, ", last error: {e}");
                }
                if let Some(ok) = s.last_ok {
                    let _ = write!(t, ", last written {}", when(ok, p.now));
                }
                t
            }
            None => "none: no timeline is kept".into(),
        },
    );
    for (k, v) in p.config {
        dd(k, v.clone());
    }
    o.push_str("</dl>\n</header>\n");
    o.push_str("<section id=\"fleet\">\n<h2>Circuits, worst first</h2>\n");
    if rows.is_empty() {
        o.push_str("<p class=\"notice\">No circuit yet: the first poll has not finished, or the scope holds none.</p>\n");
    } else {
        const HEAD: [&str; 9] = ["Circuit", "Verdict", "Root cause", "Owner", "Point", "Coverage", "Bandwidth", "Observed", "Since"];
        o.push_str("<table class=\"dash\">\n<caption class=\"ro\">The latest diagnosis of each circuit; a name opens its page.</caption>\n<thead><tr>");
        for h in HEAD {
            let _ = write!(o, "<th scope=\"col\">{h}</th>");
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for l in rows {
            let r = l.row;
            let (cause, owner, point) = crate::fleet::cause_cells(r);
            let cells = [
                format!("<a href=\"{}\">{}</a>", esc(&l.href), esc(&r.name)),
                verdict_span(r.verdict),
                esc(&fit(&cause, 160)),
                esc(&owner),
                esc(&point),
                esc(&r.coverage.map(|c| format!("{}/{}", c.verified, c.applicable)).unwrap_or_else(|| "-".into())),
                esc(&bandwidth(r.bandwidth_mbps)),
                esc(&format!("{}{}", when(l.observed_at, p.now), if l.stale { ", stale: not in the last poll" } else { "" })),
                esc(&when(l.since, p.now)),
            ];
            let _ = write!(o, "<tr data-circuit=\"{}\" data-verdict=\"{}\">", esc(&r.name), r.verdict.as_str());
            for (i, (h, c)) in HEAD.iter().zip(cells).enumerate() {
                let class = match i {
                    1 => " class=\"verdict-cell\"",
                    2 => " class=\"cause\"",
                    _ => "",
                };
                let _ = write!(o, "<td{class} data-label=\"{h}\">{c}</td>");
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
    foot(&mut o, p.refresh_secs);
    o
}

/// A circuit's page: verdict and since when, the diagnosis, the diagram,
/// the timeline, the guide's steps, the ticket.
pub fn circuit(p: &CircuitPage) -> String {
    let r = p.line.row;
    // The page is at circuits/…: the fleet is as many levels up.
    let base = "../".repeat(p.line.href.matches('/').count());
    let mut o = String::new();
    head(&mut o, &format!("{} — {}", r.name, r.verdict.as_str()), p.refresh_secs, &base);
    let _ = writeln!(o, "<header>\n<h1>ExpressRoute circuit {}</h1>\n{}", esc(&r.name), verdict_span(r.verdict));
    o.push_str("<dl class=\"watch\" aria-label=\"The watch\">\n");
    let mut dd = |k: &str, v: String| {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    };
    dd("Observed", format!("{}{}", when(p.line.observed_at, p.now), if p.line.stale { ", stale: the last poll could not list it, this is an earlier status" } else { "" }));
    dd("Since", when(p.line.since, p.now));
    if let Some((v, rc)) = &p.previous {
        dd("Before", format!("{}{}", v.as_str(), rc.map(|c| format!(", root cause {c}")).unwrap_or_default()));
    }
    dd("Id", r.id.clone());
    o.push_str("</dl>\n");
    // Links relative to this page: its last segment is the circuit's.
    let me = p.line.href.rsplit('/').next().unwrap_or("");
    let nav = format!(
        "<nav aria-label=\"Sections\"><a href=\"#diagnosis\">Diagnosis</a><a href=\"#diagram\">Diagram</a><a href=\"#timeline\">Timeline</a><a href=\"#steps\">The guide's steps</a><a href=\"#ticket\">Support ticket</a><a href=\"{0}/ticket.txt\">ticket.txt</a><a href=\"{0}/report.json\">report.json</a></nav>\n",
        esc(me)
    );
    match p.report {
        Some(rep) => {
            crate::html::facts(&mut o, rep);
            o.push_str(&nav);
            o.push_str("</header>\n");
            crate::html::diagnosis(&mut o, rep, "diagnosis");
            crate::html::diagram_section(&mut o, rep);
            timeline(&mut o, &p.history);
            crate::html::steps(&mut o, rep, "steps");
            crate::html::ticket_section(&mut o, rep);
        }
        None => {
            o.push_str("</header>\n");
            let _ = writeln!(
                o,
                "<section id=\"diagnosis\" class=\"diagnosis\">\n<h2>Not diagnosed</h2>\n<p class=\"rc-summary\">{}</p>\n</section>",
                esc(r.reason.as_deref().unwrap_or("the circuit could not be read"))
            );
            timeline(&mut o, &p.history);
        }
    }
    foot(&mut o, p.refresh_secs);
    o
}

fn timeline(o: &mut String, h: &History) {
    o.push_str("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    match h {
        History::Shown(tl) => o.push_str(&crate::history::html(tl)),
        History::Unavailable(why) => {
            let _ = writeln!(o, "<p class=\"notice\">Timeline unavailable: {}</p>", esc(why));
        }
        History::NoStore => o.push_str("<p class=\"notice\">No timeline: the watch records into no history store (<code>--store</code>).</p>\n"),
    }
    o.push_str("</section>\n");
}

/// The page for a circuit the watch does not know.
pub fn not_found(what: &str, refresh: u64, base: &str) -> String {
    let mut o = String::new();
    head(&mut o, "not found", refresh, base);
    let _ = writeln!(o, "<h1>Not found</h1>\n<p class=\"notice\">No watched circuit is named {}. The fleet lists those watched.</p>", esc(&format!("“{what}”")));
    foot(&mut o, refresh);
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use erdiag_checks::{diagnose, Options};
    use erdiag_model::Snapshot;

    fn report(bytes: &[u8]) -> Report {
        let snapshot = Snapshot::from_slice(bytes).expect("scenario snapshot");
        diagnose(&snapshot.decode().expect("decodes"), &Options::default())
    }

    fn row(r: &Report) -> FleetRow {
        erdiag_pipeline::fleet::row_of(r, "test")
    }

    #[test]
    fn the_fleet_is_worst_first_with_verdicts_as_words_and_refreshes() {
        let down = report(include_bytes!("../../../scenarios/secondary-path-down/snapshot.json"));
        let ok = report(include_bytes!("../../../scenarios/healthy-private/snapshot.json"));
        let (rd, mut rh) = (row(&down), row(&ok));
        rh.name = "aaa-first-by-name".into();
        let page = FleetPage {
            circuits: vec![
                CircuitLine { row: &rh, observed_at: 1_000, since: 500, href: circuit_href(&rh, true), stale: true },
                CircuitLine { row: &rd, observed_at: 1_000, since: 900, href: circuit_href(&rd, true), stale: false },
            ],
            now: 1_060,
            started: 0,
            refresh_secs: 3,
            polls: 4,
            last_poll: Some(PollLine { started: 1_000, duration_ms: 250, circuits: 2, failed: 0 }),
            arm: (40, 2, 1),
            store: Some(StoreLine { label: "history.db", buffered: 3, last_error: Some("database is locked"), last_ok: Some(990) }),
            config: &[],
        };
        let html = fleet(&page);
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"10\">"), "bounded below at 10 s");
        let first = html.find(&format!("data-circuit=\"{}\"", rd.name)).unwrap();
        assert!(first < html.find("data-circuit=\"aaa-first-by-name\"").unwrap(), "worst first");
        assert!(html.contains(&format!("{} DEGRADED", verdict_icon(Verdict::Degraded))) || html.contains("DOWN"));
        assert!(html.contains("HEALTHY"));
        assert!(html.contains("(1m 00s ago), stale: not in the last poll"), "a status kept from an earlier poll says so");
        assert!(html.contains("40 (2 throttled, 1 failed)"));
        assert!(html.contains("took 250 ms, 2 circuits read, 0 failed"), "a quick poll in milliseconds");
        assert!(html.contains("3 observations buffered, last error: database is locked"));
        assert!(!html.contains("<script") && !html.contains("<form") && !html.contains("<button"));
        assert!(!html.contains("http://") && !html.contains("https://"), "no URL outside the dashboard");
    }

    #[test]
    fn a_circuit_page_shows_diagram_timeline_unavailable_and_ticket() {
        let rep = report(include_bytes!("../../../scenarios/secondary-path-down/snapshot.json"));
        let r = row(&rep);
        let page = CircuitPage {
            line: CircuitLine { row: &r, observed_at: 1_000, since: 900, href: circuit_href(&r, true), stale: false },
            report: Some(&rep),
            previous: Some((Verdict::Healthy, None)),
            history: History::Unavailable("store postgres://db.example/erdiag: connection refused".into()),
            now: 1_000,
            refresh_secs: 600,
        };
        let html = circuit(&page);
        assert!(html.contains("content=\"300\""), "bounded above at 5 min");
        assert!(html.contains("<svg") && html.contains("id=\"diagram\""));
        assert!(html.contains("Timeline unavailable: store postgres://db.example/erdiag: connection refused"));
        assert!(html.contains("id=\"ticket\""));
        assert!(html.contains("<dt>Before</dt><dd>healthy</dd>"));
        assert!(html.contains("<a href=\"../\">Fleet</a>"));
    }

    #[test]
    fn names_are_text_and_hrefs_are_encoded() {
        let rep = report(include_bytes!("../../../scenarios/healthy-private/snapshot.json"));
        let mut r = row(&rep);
        r.name = "<b>x</b> y/z".into();
        assert_eq!(circuit_href(&r, true), "circuits/%3Cb%3Ex%3C%2Fb%3E%20y%2Fz");
        r.id = "/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/expressRouteCircuits/N".into();
        assert_eq!(circuit_href(&r, false), "circuits/subscriptions/s/resourcegroups/g/providers/microsoft.network/expressroutecircuits/n");
        let page = CircuitPage { line: CircuitLine { row: &r, observed_at: 0, since: 0, href: circuit_href(&r, false), stale: false }, report: None, previous: None, history: History::NoStore, now: 0, refresh_secs: 60 };
        let html = circuit(&page);
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains(&format!("<a href=\"{}\">Fleet</a>", "../".repeat(8))));
        assert!(not_found("<i>", 60, "../").contains("&lt;i&gt;"));
    }
}
