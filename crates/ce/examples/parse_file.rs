//! `erdiag parse` before the CLI mounts it: the same arguments and output.
//!
//! ```sh
//! cargo run --release -p erdiag-ce --example parse_file -- show-ip-bgp.txt --schema ntc
//! ```

use clap::Parser;

#[derive(Parser)]
#[command(name = "parse_file", about = "Parse a router's show output (erdiag parse)")]
struct Cli {
    #[command(flatten)]
    args: erdiag_ce::cli::ParseArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match erdiag_ce::cli::run_parse(&cli.args) {
        Ok(code) => std::process::ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
