//! The report flags `diagnose` and `demo` share: the output format, colour,
//! destinations to look up, checks accepted as unverifiable (all but the
//! format are `fleet`'s too: [`DiagnosisArgs`]).

use clap::{Args, ValueEnum};
use std::net::IpAddr;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output format. Default: table on a terminal, json otherwise.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<Format>,
    #[command(flatten)]
    pub diagnosis: DiagnosisArgs,
}

impl ReportArgs {
    /// The options of the diagnosis.
    pub fn options(&self) -> Result<erdiag_pipeline::Options, erdiag_pipeline::Error> {
        self.diagnosis.options()
    }
}

/// What the diagnosis looks at beyond the snapshot, and the table's colour:
/// `diagnose`, `demo` and `fleet` alike.
#[derive(Args, Debug)]
pub struct DiagnosisArgs {
    /// Look a destination up in each path's MSEE route table (repeatable).
    #[arg(long = "dest", value_name = "IP")]
    pub dest: Vec<IpAddr>,
    /// When to colour the table (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Checks you know cannot be verified (a permission you lack): their
    /// `unknown` no longer keeps the verdict from healthy, and the report
    /// says so. IDs or names, comma-separated or repeated.
    #[arg(long = "accept-unverified", value_name = "IDS", value_delimiter = ',')]
    pub accept_unverified: Vec<String>,
}

impl DiagnosisArgs {
    /// The accepted checks' IDs; an ID or name no check has is a usage error.
    pub fn accepted(&self) -> Result<Vec<String>, erdiag_pipeline::Error> {
        erdiag_pipeline::catalog::accepted(&self.accept_unverified)
    }

    /// The options of the diagnosis.
    pub fn options(&self) -> Result<erdiag_pipeline::Options, erdiag_pipeline::Error> {
        Ok(erdiag_pipeline::Options { destinations: self.dest.clone(), accepted: self.accepted()? })
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
    // A self-contained HTML report with the guide's diagram; the diagram alone as SVG.
    Html,
    Svg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

