//! The `erdiag` command line: flags (`flags`), one module per subcommand
//! calling the pipeline (`commands`), the terminal (`terminal`: colour,
//! progress, the one error renderer) and files (`files`). Everything else
//! lives in the library crates; only this crate prints and decides exit
//! codes.
//!
//! Exit codes: 0 healthy, 1 degraded / down / unknown, 2 the tool could not
//! run (bad input, usage). Data goes to stdout, everything else to stderr.

mod commands;
mod evidence;
mod files;
mod flags;
mod terminal;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = flags::Cli::parse();
    match commands::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            terminal::print_error(&e);
            ExitCode::from(2)
        }
    }
}
