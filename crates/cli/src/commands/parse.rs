//! `erdiag parse FILE`: streams the records of one show output to standard
//! output as JSON (`erdiag_ce::stream`), warnings to standard error as
//! `warning: FILE: line N: …`.
//!
//! Exit codes: 0 parsed, 1 parsed with warnings (lines not understood, no
//! records; with `--strict`, an error and exit 2), 2 when nothing could be
//! parsed.

use crate::flags::parse::ParseArgs;
use erdiag_pipeline::Error;
use std::io::Write;

pub fn run(args: &ParseArgs) -> Result<u8, Error> {
    let label = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    let options = args.options();
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut raw = unbuffered(&mut lock);
    let out: &mut dyn Write = match &mut raw {
        Some(f) => f,
        None => &mut lock,
    };
    let result = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        erdiag_ce::stream::write_json(stdin.lock(), &options, out)
    } else {
        let f = std::fs::File::open(&args.file).map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
        erdiag_ce::stream::write_json(std::io::BufReader::with_capacity(1 << 16, f), &options, out)
    };
    let mut err = std::io::stderr().lock();
    match result {
        Ok(warnings) => {
            for w in &warnings {
                let _ = writeln!(err, "warning: {label}: {w}");
            }
            if args.strict && !warnings.is_empty() {
                return Err(Error::input(format!("{label}: {} warnings, and --strict makes them errors", warnings.len())));
            }
            Ok(u8::from(!warnings.is_empty()))
        }
        Err(e) => Err(Error::input(format!("{label}: {e}")).caused_by(e)),
    }
}

/// Standard output without its line buffer, where the platform allows: the
/// writer sends chunks of 64 KiB already, and `Stdout` would look through
/// every chunk for a newline to flush at (4% of the time of a large parse).
/// The lock stays held, so that nothing else writes in between.
#[cfg(unix)]
fn unbuffered(lock: &mut std::io::StdoutLock<'_>) -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    lock.flush().ok()?;
    lock.as_fd().try_clone_to_owned().ok().map(std::fs::File::from)
}

/// Elsewhere `Stdout` itself (on Windows it also converts what goes to a
/// console).
#[cfg(not(unix))]
fn unbuffered(_lock: &mut std::io::StdoutLock<'_>) -> Option<std::fs::File> {
    None
}
