//! Flags several commands share, declared once and flattened: `-q`,
//! `-o table|json`, and `-O/--output-file` with `--force`. A command whose
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
