//! Text for people: the probe's attempt lines and summary, the perf table.
//! Plain text, no colour; meaning is always in words.

use crate::perf_client::{PerfReport, StageResult};
use crate::report::{Outcome, ProbeReport, Sample};
use crate::stats::Summary;
use std::fmt::Write;

/// The header before the first attempt line.
pub fn probe_header(target: &str, source: Option<&str>, interval: &str, timeout: &str) -> String {
    let from = source.map(|s| format!(" from {s}")).unwrap_or_default();
    format!(
        "TCP connect to {target}{from}, every {interval}, timeout {timeout}\n{:>5}  {:<24}  {:<11}  {:>10}\n",
        "seq", "time", "result", "latency"
    )
}

/// One attempt: `    3  2026-11-22T10:04:05.123Z  ok               0.081 ms`.
pub fn sample_line(s: &Sample) -> String {
    let latency = s.latency_ms.map(|ms| format!("{} ms", ms3(ms))).unwrap_or_else(|| "-".into());
    let mut line = format!("{:>5}  {:<24}  {:<11}  {:>10}", s.seq, s.time, s.result.as_str(), latency);
    if let Some(e) = &s.error {
        line.push_str("  ");
        line.push_str(e);
    }
    line.push('\n');
    line
}

/// The summary printed at the end and on Ctrl-C.
pub fn probe_summary(r: &ProbeReport, interrupted: bool) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let _ = writeln!(out, "\n--- {} TCP connect statistics{} ---", r.target, if interrupted { " (interrupted)" } else { "" });
    let _ = writeln!(out, "sent {}, received {}, lost {} ({}% loss)", s.sent, s.received, s.lost, pct(s.loss_percent));
    out.push_str(&latency_line(s));
    let by: Vec<String> = Outcome::ALL
        .iter()
        .filter(|o| s.by_result.get(**o) > 0)
        .map(|o| format!("{} {}", o.as_str(), s.by_result.get(*o)))
        .collect();
    let _ = writeln!(out, "results: {}", if by.is_empty() { "none".to_string() } else { by.join(", ") });
    if !s.histogram.is_empty() {
        let _ = writeln!(out, "histogram:");
        let top = s.histogram.iter().map(|b| b.count).max().unwrap_or(1).max(1);
        for b in &s.histogram {
            let bar = "#".repeat(((b.count * 40).div_ceil(top)) as usize);
            let _ = writeln!(out, "  <= {:>8} ms {:>7}  {bar}", ms3(b.up_to_ms), b.count);
        }
    }
    out
}

fn latency_line(s: &Summary) -> String {
    match (s.min_ms, s.median_ms, s.p90_ms, s.p95_ms, s.p99_ms, s.max_ms) {
        (Some(min), Some(med), Some(p90), Some(p95), Some(p99), Some(max)) => format!(
            "latency ms: min {} / median {} / p90 {} / p95 {} / p99 {} / max {}\n",
            ms3(min),
            ms3(med),
            ms3(p90),
            ms3(p95),
            ms3(p99),
            ms3(max)
        ),
        _ => "latency ms: none (no attempt connected)\n".to_string(),
    }
}

/// The table of `perf client`, like Get-LinkPerformance's.
pub fn perf_table(r: &PerfReport, detailed: bool) -> String {
    let mut head = vec!["Name", "Bandwidth", "Loss", "P50"];
    if detailed {
        head.extend(["P90", "P95", "Min", "Max"]);
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    for st in &r.stages {
        rows.push(stage_row(st, detailed));
    }
    let cols = head.len();
    let mut width: Vec<usize> = head.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (i, c) in row.iter().enumerate().take(cols) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Link performance to {} ({}, {} s per stage; latency: TCP connect to {})\n",
        r.server,
        r.direction,
        r.stage_seconds,
        r.latency_target
    );
    let line = |cells: Vec<String>| -> String {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i == 0 {
                let _ = write!(l, "{:<w$}", c, w = width[0]);
            } else {
                let _ = write!(l, "  {:>w$}", c, w = width[i]);
            }
        }
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&line(head.iter().map(|h| h.to_string()).collect()));
    out.push_str(&line(width.iter().map(|w| "-".repeat(*w)).collect()));
    for row in rows {
        let note = row.get(cols).cloned();
        let mut l = line(row.into_iter().take(cols).collect());
        if let Some(n) = note {
            l.pop();
            l.push_str(&format!("  {n}\n"));
        }
        out.push_str(&l);
    }
    if r.interrupted {
        out.push_str("\n(interrupted)\n");
    }
    out
}

fn stage_row(st: &StageResult, detailed: bool) -> Vec<String> {
    let s = &st.latency;
    let ms = |v: Option<f64>| v.map(|v| format!("{} ms", ms3(v))).unwrap_or_else(|| "-".into());
    let mut row = vec![
        st.name.clone(),
        st.bits_per_second.map(bandwidth).unwrap_or_else(|| "N/A".into()),
        if s.sent == 0 { "-".into() } else { format!("{}%", pct(s.loss_percent)) },
        ms(s.median_ms),
    ];
    if detailed {
        row.extend([ms(s.p90_ms), ms(s.p95_ms), ms(s.min_ms), ms(s.max_ms)]);
    }
    if let Some(e) = &st.error {
        row.push(format!("failed: {e}"));
    }
    row
}

/// `943.2 Mbit/s`, `12.41 Gbit/s`.
pub fn bandwidth(bits_per_second: f64) -> String {
    let (v, unit) = if bits_per_second >= 1e9 {
        (bits_per_second / 1e9, "Gbit/s")
    } else if bits_per_second >= 1e6 {
        (bits_per_second / 1e6, "Mbit/s")
    } else if bits_per_second >= 1e3 {
        (bits_per_second / 1e3, "kbit/s")
    } else {
        (bits_per_second, "bit/s")
    };
    if v >= 100.0 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.2} {unit}")
    }
}

/// Milliseconds with three decimals (microseconds).
fn ms3(v: f64) -> String {
    format!("{v:.3}")
}

fn pct(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}").trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(bandwidth(943_200_000.0), "943.2 Mbit/s");
        assert_eq!(bandwidth(12_413_000_000.0), "12.41 Gbit/s");
        assert_eq!(bandwidth(0.0), "0.00 bit/s");
        assert_eq!(pct(0.0), "0");
        assert_eq!(pct(12.5), "12.5");
        assert_eq!(pct(33.33), "33.33");
    }

    #[test]
    fn summary_text() {
        let samples = vec![
            Sample { seq: 1, time: "t".into(), result: Outcome::Ok, latency_ms: Some(0.08), error: None, address: None },
            Sample { seq: 2, time: "t".into(), result: Outcome::Refused, latency_ms: None, error: Some("Connection refused".into()), address: None },
        ];
        let r = ProbeReport::new("127.0.0.1:9".into(), None, "t".into(), samples);
        let text = probe_summary(&r, true);
        assert!(text.contains("--- 127.0.0.1:9 TCP connect statistics (interrupted) ---"), "{text}");
        assert!(text.contains("sent 2, received 1, lost 1 (50% loss)"), "{text}");
        assert!(text.contains("latency ms: min 0.080 / median 0.080"), "{text}");
        assert!(text.contains("results: ok 1, refused 1"), "{text}");
        assert!(text.contains("<=    0.100 ms       1  ########################################"), "{text}");
        assert!(sample_line(&r.samples[1]).contains("refused               -  Connection refused"));
    }
}
