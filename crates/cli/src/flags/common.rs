//! Flags several commands share, declared once and flattened: `-q`,
//! `-o table|json`, `-O/--output-file` with `--force`, and what to read
//! of Azure Monitor (`--metrics-window`, `--no-metrics`). A command whose
//! `-q` silences something else than the progress display, or whose `-o`
//! says more, rewords its help with `#[command(mut_arg("quiet", …))]`.

use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug, Clone, Copy, Default)]
pub struct Quiet {
    /// No progress display.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// `-o table|json`: `checks`, `lab status`, `probe tcp`, `perf client`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Args, Debug, Clone, Copy)]
pub struct ListOutput {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
}

#[derive(Args, Debug, Clone, Default)]
pub struct OutputFile {
    /// Where to write the snapshot (default: standard output).
    #[arg(short = 'O', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Write even when FILE is a symbolic link (its target is replaced).
    #[arg(long)]
    pub force: bool,
}

/// What `diagnose`, `collect` and `fleet` read of Azure Monitor and Resource Health.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct MetricsArgs {
    /// How far back Azure Monitor's metrics (per minute) and the Resource Health history go,
    /// ending now: 30m, 1h, PT6H, 2d [default: 1h].
    #[arg(long, value_name = "SPAN", value_parser = super::bounds::metrics_window)]
    pub metrics_window: Option<i64>,
    /// Read no Azure Monitor metrics and no Resource Health history.
    #[arg(long, conflicts_with = "metrics_window")]
    pub no_metrics: bool,
}

impl MetricsArgs {
    pub fn options(&self) -> erdiag_pipeline::CollectOptions {
        let default = erdiag_pipeline::CollectOptions::default();
        erdiag_pipeline::CollectOptions { metrics: !self.no_metrics, metrics_window: self.metrics_window.unwrap_or(default.metrics_window), ..default }
    }
}
