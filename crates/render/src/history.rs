//! A circuit's timeline (`erdiag history`): a table with one line per
//! transition, the `erdiag-history/1` JSON (docs/erdiag-history-1.schema.json)
//! and a markdown for a ticket; the stored circuits (`history --list`).
//! Every text read from the store is escaped for where it goes.

use crate::escape::{json_text, markdown as md, terminal_line as t};
use erdiag_pipeline::history::{Event, StoredCircuit, Timeline};
use std::fmt::Write;

/// A duration as people say it: `45s`, `3m 10s`, `2h 05m`, `3d 4h`.
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h {:02}m", s / 3600, s / 60 % 60),
        _ => format!("{}d {}h", s / 86_400, s / 3600 % 24),
    }
}

/// Where an event happened: `AzurePrivatePeering primary`.
fn place(peering: Option<&str>, path: Option<&str>) -> String {
    [peering, path].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// Prefixes listed, or counted when the list is not wanted.
fn prefixes(what: &str, list: &[String], all: bool) -> Option<String> {
    match (list.len(), all) {
        (0, _) => None,
        (n, false) => Some(format!("{n} {what}")),
        (_, true) => Some(format!("{what} {}", list.join(", "))),
    }
}

/// One event: (when, what, where, detail).
fn cells(e: &Event, routes: bool) -> (String, &'static str, String, String) {
    match e {
        Event::Session { peering, path, down_at, up_at, lasted_secs } => {
            let detail = match (down_at, up_at, lasted_secs) {
                (_, Some(up), Some(l)) => format!("down, up again at {up} (lasted {})", duration(*l)),
                (None, Some(up), None) => format!("down when the window began, up at {up}"),
                (None, None, _) => "down for the whole window".to_string(),
                _ => "down, still down at the last poll".to_string(),
            };
            (down_at.clone().unwrap_or_else(|| "(before)".into()), "bgp", place(Some(peering), Some(path)), detail)
        }
        Event::Routes { at, table, peering, path, gateway, withdrawn, advertised, readvertised, changed } => {
            let fresh: Vec<String> = advertised.iter().filter(|p| !readvertised.contains(p)).cloned().collect();
            let parts: Vec<String> = [
                prefixes("withdrawn", withdrawn, routes),
                prefixes("re-advertised", readvertised, routes),
                prefixes("advertised", &fresh, routes),
                prefixes("changed", changed, routes),
            ]
            .into_iter()
            .flatten()
            .collect();
            let (what, place) = match gateway {
                Some(g) if *table == "gateway" => ("gw routes", format!("gateway {g}")),
                _ => ("routes", place(peering.as_deref(), path.as_deref())),
            };
            (at.clone(), what, place, parts.join("; "))
        }
        Event::Arp { at, peering, path, appeared, disappeared, mac_changed } => {
            let parts: Vec<String> = [("appeared", appeared), ("gone", disappeared), ("MAC", mac_changed)]
                .into_iter()
                .filter(|(_, l)| !l.is_empty())
                .map(|(w, l)| format!("{w} {}", l.join(", ")))
                .collect();
            (at.clone(), "arp", place(Some(peering), Some(path)), parts.join("; "))
        }
        Event::Property { at, resource, property, before, after } => {
            (at.clone(), "property", erdiag_model::last_segment(resource).to_string(), format!("{property}: {before} → {after}"))
        }
        Event::Verdict { at, before, after, root_cause_before, root_cause_after } => {
            let cause = match (root_cause_before, root_cause_after) {
                (b, a) if b == a => String::new(),
                (_, Some(a)) => format!(", root cause {a}"),
                (Some(b), None) => format!(", root cause {b} cleared"),
                (None, None) => String::new(),
            };
            (at.clone(), "verdict", String::new(), format!("{before} → {after}{cause}"))
        }
        Event::Gap { from, to, secs } => (from.clone(), "no poll", String::new(), format!("until {to} ({})", duration(*secs))),
    }
}

/// The head line: which circuit, which window, how many polls.
fn head(tl: &Timeline) -> String {
    let every = tl.interval_secs.map(|s| format!(", every {}", duration(s))).unwrap_or_default();
    format!("{} · {} → {} · {} poll{}{every}", tl.circuit_name, tl.from, tl.to, tl.polls, if tl.polls == 1 { "" } else { "s" })
}

/// The timeline as a terminal table; `routes` lists the prefixes.
pub fn table(tl: &Timeline, routes: bool) -> String {
    let mut s = format!("{}\n", t(&head(tl)));
    if tl.events.is_empty() {
        s.push_str("no transition in this window\n");
        return s;
    }
    let rows: Vec<_> = tl.events.iter().map(|e| cells(e, routes)).collect();
    let w = rows.iter().map(|r| r.2.chars().count()).max().unwrap_or(0).max(5);
    let _ = writeln!(s, "{:20}  {:9}  {:w$}  what", "when", "event", "where");
    for (when, what, place, detail) in rows {
        let _ = writeln!(s, "{:20}  {:9}  {:w$}  {}", t(&when), what, t(&place), t(&detail));
    }
    s
}

/// The `erdiag-history/1` document, pretty-printed, with a final newline.
pub fn json(tl: &Timeline) -> String {
    let mut s = json_text(serde_json::to_string_pretty(tl).expect("a timeline serializes"));
    s.push('\n');
    s
}

/// The timeline as markdown: a heading, then one table row per transition,
/// every prefix listed.
pub fn markdown(tl: &Timeline) -> String {
    let mut s = format!("## History of {}\n\n{}\n\n", md(&tl.circuit_name), md(&head(tl)));
    if tl.events.is_empty() {
        s.push_str("No transition in this window.\n");
        return s;
    }
    s.push_str("| When | Event | Where | What |\n|---|---|---|---|\n");
    for e in &tl.events {
        let (when, what, place, detail) = cells(e, true);
        let _ = writeln!(s, "| {} | {what} | {} | {} |", md(&when), md(&place), md(&detail));
    }
    s
}

/// The timeline as an HTML table (the dashboard's circuit page): the head
/// line, then one row per transition, newest first, prefixes counted.
/// Everything read from the store is escaped.
pub fn html(tl: &Timeline) -> String {
    let esc = crate::esc;
    let mut s = format!("<p class=\"meta\">{}</p>\n", esc(&head(tl)));
    if tl.events.is_empty() {
        s.push_str("<p class=\"timeline-empty\">No transition in this window.</p>\n");
        return s;
    }
    s.push_str("<div class=\"scroll\"><table class=\"timeline\">\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Event</th><th scope=\"col\">Where</th><th scope=\"col\">What</th></tr></thead>\n<tbody>\n");
    for e in tl.events.iter().rev() {
        let (when, what, place, detail) = cells(e, false);
        let _ = writeln!(s, "<tr data-event=\"{what}\"><td class=\"mono\">{}</td><td>{what}</td><td>{}</td><td>{}</td></tr>", esc(&when), esc(&place), esc(&detail));
    }
    s.push_str("</tbody>\n</table></div>\n");
    s
}

/// The stored circuits (`history --list`): name, first and last poll, id.
pub fn circuits(list: &[StoredCircuit]) -> String {
    if list.is_empty() {
        return "no circuit stored yet\n".into();
    }
    let w = list.iter().map(|c| c.name.chars().count()).max().unwrap_or(0).max(4);
    let mut s = format!("{:w$}  {:20}  {:20}  {:>6}  id\n", "name", "first poll", "last poll", "polls");
    for c in list {
        let _ = writeln!(s, "{:w$}  {:20}  {:20}  {:>6}  {}", t(&c.name), c.first_poll, c.last_poll, c.polls, t(&c.id));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(events: Vec<Event>) -> Timeline {
        Timeline {
            format: erdiag_pipeline::history::HISTORY_FORMAT,
            store: "history.db".into(),
            circuit_id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/expressRouteCircuits/er-ams".into(),
            circuit_name: "er-ams".into(),
            from: "2026-01-15T00:00:00Z".into(),
            to: "2026-01-16T00:00:00Z".into(),
            polls: 3,
            interval_secs: Some(300),
            events,
        }
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(190), "3m 10s");
        assert_eq!(duration(7500), "2h 05m");
        assert_eq!(duration(3 * 86_400 + 4 * 3600), "3d 4h");
    }

    #[test]
    fn a_session_shows_how_long_it_was_down_and_prefixes_only_when_asked() {
        let tl = timeline(vec![
            Event::Session { peering: "AzurePrivatePeering".into(), path: "primary", down_at: Some("2026-01-15T02:00:00Z".into()), up_at: Some("2026-01-15T02:10:00Z".into()), lasted_secs: Some(600) },
            Event::Routes {
                at: "2026-01-15T02:00:00Z".into(),
                table: "msee",
                peering: Some("AzurePrivatePeering".into()),
                path: Some("primary".into()),
                gateway: None,
                withdrawn: vec!["10.2.0.0/16".into()],
                advertised: vec![],
                readvertised: vec![],
                changed: vec![],
            },
        ]);
        let plain = table(&tl, false);
        assert!(plain.contains("up again at 2026-01-15T02:10:00Z (lasted 10m 00s)"), "{plain}");
        assert!(plain.contains("1 withdrawn") && !plain.contains("10.2.0.0/16"), "{plain}");
        assert!(table(&tl, true).contains("withdrawn 10.2.0.0/16"));
        assert!(markdown(&tl).contains("withdrawn 10.2.0.0/16"));
    }

    #[test]
    fn stored_text_cannot_drive_the_terminal() {
        let mut tl = timeline(vec![]);
        tl.circuit_name = "er\u{1b}[2Jams".into();
        assert!(!table(&tl, false).contains('\u{1b}'));
    }
}
