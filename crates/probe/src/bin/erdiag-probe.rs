//! `erdiag-probe`: the `probe` and `perf` commands on their own, exactly as
//! `erdiag probe` and `erdiag perf` run them. The crate's tests (exit codes,
//! Ctrl-C) and bench/probe.py drive it.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "erdiag-probe", version, about = "TCP connect probe and link-performance test (erdiag probe / erdiag perf)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// TCP connect probes, like PsPing.
    Probe(erdiag_probe::ProbeArgs),
    /// Link performance: throughput and latency under load, like AzureCT's Get-LinkPerformance.
    Perf(erdiag_probe::PerfArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Probe(a) => erdiag_probe::run_probe(a),
        Command::Perf(a) => erdiag_probe::run_perf(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
