//! The terminal rendering: the guide's steps in order, one line per finding,
//! then the verdict, the root cause and the next steps. Every value from the
//! data goes through `escape::terminal_line`: it cannot move the cursor, add
//! rows or colour.

use crate::escape::terminal_line as t;
use crate::{points, scope_words};
use anstyle::{AnsiColor, Style};
use erdiag_checks::{Layer, Report, Status, Verdict};
use std::fmt::Write;

pub(crate) struct Paint {
    pub(crate) color: bool,
}

impl Paint {
    pub(crate) fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
    pub(crate) fn status(&self, s: Status) -> String {
        let (label, color) = match s {
            Status::Pass => ("PASS", AnsiColor::Green),
            Status::Fail => ("FAIL", AnsiColor::Red),
            Status::Warn => ("WARN", AnsiColor::Yellow),
            Status::Unknown => ("UNKN", AnsiColor::Magenta),
            Status::Skip => ("SKIP", AnsiColor::BrightBlack),
        };
        self.paint(Style::new().fg_color(Some(color.into())).bold(), label)
    }
    pub(crate) fn verdict(&self, v: Verdict) -> String {
        let color = match v {
            Verdict::Healthy => AnsiColor::Green,
            Verdict::Degraded => AnsiColor::Yellow,
            Verdict::Down => AnsiColor::Red,
            Verdict::Unknown => AnsiColor::Magenta,
        };
        self.paint(Style::new().fg_color(Some(color.into())).bold(), &v.as_str().to_ascii_uppercase())
    }
    pub(crate) fn bold(&self, t: &str) -> String {
        self.paint(Style::new().bold(), t)
    }
    pub(crate) fn dim(&self, t: &str) -> String {
        self.paint(Style::new().dimmed(), t)
    }
}

/// Renders the report for a terminal. `color` adds ANSI styles.
pub fn table(r: &Report, color: bool) -> String {
    let p = Paint { color };
    let mut o = String::new();
    let c = &r.circuit;
    let mut head = vec![t(&c.name).into_owned()];
    if let Some(k) = &c.service_key {
        head.push(format!("service key {}", t(k)));
    }
    if c.express_route_direct {
        head.push("ExpressRoute Direct".into());
    } else if let Some(pr) = &c.provider {
        head.push(format!("{}{}", t(pr), c.peering_location.as_ref().map(|l| format!(", {}", t(l))).unwrap_or_default()));
    }
    if let Some(b) = c.bandwidth_mbps {
        head.push(format!("{b} Mbps"));
    }
    if let Some(s) = &c.sku {
        head.push(t(s).into_owned());
    }
    let _ = writeln!(o, "{}", p.bold(&format!("ExpressRoute circuit {}", head.join(" · "))));
    if let Some(ts) = &r.collected_at {
        let _ = writeln!(o, "{}", p.dim(&format!("state collected at {}", t(ts))));
    }

    let id_w = r.findings.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let scope_w = r.findings.iter().map(|f| t(&f.scope()).len()).max().unwrap_or(0);
    let mut step = 0;
    for layer in Layer::ALL {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.layer == layer).collect();
        if fs.is_empty() {
            continue;
        }
        step += 1;
        let _ = writeln!(o, "\n{}", p.bold(&format!("{step}. {} [{}]", layer.title(), layer.as_str())));
        for f in fs {
            let _ = writeln!(o, "  {}  {} {:id_w$}  {:scope_w$}  {}", p.status(f.status), f.check, f.name, t(&f.scope()), t(&f.message));
            let indent = " ".repeat(8);
            if let Some(cause) = &f.consequence_of {
                let _ = writeln!(o, "{indent}{}", p.dim(&format!("↳ consequence of {}", t(cause))));
            }
            if matches!(f.status, Status::Fail | Status::Warn | Status::Unknown) && f.consequence_of.is_none() {
                for e in &f.evidence {
                    if e.contains('\n') {
                        // A code snippet (CE configuration): keep its columns, indented as a block.
                        for line in e.lines() {
                            let _ = writeln!(o, "{indent}  {}", t(line));
                        }
                    } else {
                        let _ = writeln!(o, "{indent}{}", p.dim(&format!("· {}", t(e))));
                    }
                }
            }
        }
    }

    let _ = writeln!(o, "\n{} {}", p.bold("Verdict:"), p.verdict(r.verdict));
    if let Some(rc) = &r.root_cause {
        let _ = writeln!(o, "{} {} — {}", p.bold("Root cause:"), rc.check, t(&rc.summary));
        let _ = writeln!(o, "  layer           {}", rc.layer);
        let _ = writeln!(o, "  where           {}", t(&scope_words(&rc.peering, rc.path)));
        let _ = writeln!(o, "  network points  {}", points(&rc.network_points));
        let _ = writeln!(o, "  owner           {}", rc.owner);
    }
    let (head, lines) = crate::coverage_lines(&r.coverage);
    let _ = writeln!(o, "{} {head}", p.bold("Coverage:"));
    for (label, text) in lines {
        let _ = writeln!(o, "  {label:<13} {}", t(&text));
    }
    let counts: Vec<String> = [Status::Fail, Status::Warn, Status::Unknown, Status::Pass, Status::Skip]
        .iter()
        .map(|s| (s, r.findings.iter().filter(|f| f.status == *s).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    let _ = writeln!(o, "{}", p.dim(&format!("findings: {}", counts.join(", "))));
    if !r.next_steps.is_empty() {
        let _ = writeln!(o, "\n{}", p.bold("Next steps:"));
        for (i, s) in r.next_steps.iter().enumerate() {
            let _ = writeln!(o, "  {}. {}", i + 1, t(s));
        }
    }
    o
}
