//! Flags several commands share, declared once and flattened: `-q` and
//! `-O/--output-file` with `--force`. A command whose `-q` silences
//! something else than the progress display says so with
//! `#[command(mut_arg("quiet", …))]`.

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug, Clone, Copy, Default)]
pub struct Quiet {
    /// No progress display.
    #[arg(short = 'q', long)]
    pub quiet: bool,
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
