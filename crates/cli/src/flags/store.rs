//! The history store's flags: `--store URL` and `--retention` on `diagnose`,
//! `collect`, `fleet` and the lab ([`StoreArgs`]), and the flags of
//! `erdiag history` ([`HistoryArgs`]).

use super::common::OutputFile;
use super::report::ReportArgs;
use clap::Args;
use erdiag_model::time::{parse_rfc3339, parse_span, Unix};

#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// Record each observation in this history store: a SQLite file (PATH or sqlite:PATH) or
    /// postgres://USER@HOST/DB. Only what changed since the last poll is kept (docs/store.md).
    #[arg(long = "store", env = "ERDIAG_STORE", hide_env_values = true, value_name = "URL")]
    pub store: Option<String>,
    /// With --store: forget observations older than this (30d, 90d, 8760h). Default: keep everything.
    #[arg(long, value_name = "SPAN", value_parser = span, requires = "store")]
    pub retention: Option<i64>,
}

/// The store a history command reads: required.
#[derive(Args, Debug, Clone)]
pub struct StoreUrl {
    /// The history store: a SQLite file (PATH or sqlite:PATH) or postgres://USER@HOST/DB.
    #[arg(long = "store", env = "ERDIAG_STORE", hide_env_values = true, value_name = "URL")]
    pub store: String,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The circuit: its ARM id, or its name when only one stored circuit has it.
    #[arg(value_name = "CIRCUIT", required_unless_present = "list")]
    pub circuit: Option<String>,
    #[command(flatten)]
    pub store: StoreUrl,
    /// List the stored circuits (id, name, first and last poll).
    #[arg(long, conflicts_with_all = ["circuit", "at", "since", "until"])]
    pub list: bool,
    /// The timeline from this time: RFC 3339, or a span ago (24h = 24 hours ago).
    #[arg(long, value_name = "TIME", default_value = "24h", value_parser = time)]
    pub since: Instant,
    /// The timeline up to this time (default: now).
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub until: Option<Instant>,
    /// Rebuild the snapshot stored at this time (the last poll at or before it) and diagnose it.
    #[arg(long, value_name = "TIME", value_parser = time, conflicts_with_all = ["since", "until", "routes"])]
    pub at: Option<Instant>,
    /// With --at: also write the rebuilt snapshot to FILE.
    #[arg(short = 'O', long = "output-file", value_name = "FILE", requires = "at")]
    pub output_file: Option<std::path::PathBuf>,
    /// Write even when FILE is a symbolic link (its target is replaced).
    #[arg(long, requires = "output_file")]
    pub force: bool,
    /// In the table, list every prefix withdrawn or advertised (JSON and markdown always do).
    #[arg(long)]
    pub routes: bool,
    /// Output format (-o): table, json (erdiag-history/1) or markdown; with --at the formats of
    /// `diagnose`. Default: table on a terminal, json otherwise.
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
}

impl HistoryArgs {
    /// `-O FILE` as the snapshot writers take it.
    pub fn output_file(&self) -> OutputFile {
        OutputFile { output_file: self.output_file.clone(), force: self.force }
    }
}

/// A time on the command line: an instant, or a span back from now
/// (resolved when it is used, so that every flag of one run agrees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {
    At(Unix),
    Ago(i64),
}

impl Instant {
    pub fn resolve(self, now: Unix) -> Unix {
        match self {
            Instant::At(t) => t,
            Instant::Ago(s) => now - s,
        }
    }
}

/// RFC 3339, a span ago (`2h`), or `now`.
pub fn time(s: &str) -> Result<Instant, String> {
    if s.trim().eq_ignore_ascii_case("now") {
        return Ok(Instant::Ago(0));
    }
    if let Ok(t) = parse_rfc3339(s) {
        return Ok(Instant::At(t));
    }
    parse_span(s).map(Instant::Ago).map_err(|_| format!("`{s}` is neither an RFC 3339 time (2026-01-15T09:00:00Z) nor a span ago (30m, 2h, 7d)"))
}

fn span(s: &str) -> Result<i64, String> {
    match parse_span(s) {
        Ok(0) => Err("a retention of 0 would forget everything".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_is_an_instant_or_a_span_ago() {
        assert_eq!(time("2026-01-15T09:00:00Z"), Ok(Instant::At(1_768_467_600)));
        assert_eq!(time("2h"), Ok(Instant::Ago(7200)));
        assert_eq!(time("2h").unwrap().resolve(10_000), 2800);
        assert_eq!(time("now"), Ok(Instant::Ago(0)));
        assert!(time("yesterday").is_err());
        assert!(span("0s").is_err());
        assert_eq!(span("90d"), Ok(90 * 86_400));
    }
}
