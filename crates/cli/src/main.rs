//! The `erdiag` command line: argument parsing, choosing inputs and outputs,
//! exit codes. Everything else lives in the library crates.
//!
//! Exit codes: 0 healthy, 1 degraded / down / unknown, 2 the tool could not
//! run (bad input, usage). Data goes to stdout, everything else to stderr.

mod args;
mod cli;
mod commands;
mod emulate;
mod evidence;
mod flags;
mod install;
mod io;
mod lab;
mod live;
mod output;
mod scenarios;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            output::print_error(&e);
            ExitCode::from(2)
        }
    }
}
