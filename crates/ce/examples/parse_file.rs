//! `erdiag parse` without the CLI: the same JSON writer over a file, for
//! benchmarks of the parsers alone (bench/parse_bgp.py).
//!
//! ```sh
//! cargo run --release -p erdiag-ce --example parse_file -- show-ip-bgp.txt --platform cisco_ios --command 'show ip bgp' [--schema ntc]
//! ```

use erdiag_ce::stream::{write_json, Options, Schema};
use std::io::Write;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut options = Options::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--platform" => options.platform = args.next().and_then(|p| p.parse().ok()),
            "--command" => options.command = args.next(),
            "--schema" => options.schema = if args.next().as_deref() == Some("ntc") { Schema::Ntc } else { Schema::Erdiag },
            _ => file = Some(a),
        }
    }
    let Some(file) = file else {
        eprintln!("usage: parse_file FILE [--platform P] [--command C] [--schema ntc|erdiag]");
        return std::process::ExitCode::from(2);
    };
    let input = match std::fs::File::open(&file) {
        Ok(f) => std::io::BufReader::with_capacity(1 << 16, f),
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write_json(input, &options, &mut out) {
        Ok(warnings) => {
            let _ = out.flush();
            std::process::ExitCode::from(u8::from(!warnings.is_empty()))
        }
        Err(e) => {
            eprintln!("error: {file}: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
