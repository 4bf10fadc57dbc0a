//! One module per subcommand: each turns its typed flags into calls of the
//! libraries and writes what they return.

pub mod parse;
pub mod perf;
pub mod probe;

use crate::output::UserError;
use erdiag_probe::StopHandle;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A tokio runtime: one thread, or a pool of `threads` workers.
fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, UserError> {
    let mut b = if threads > 1 { tokio::runtime::Builder::new_multi_thread() } else { tokio::runtime::Builder::new_current_thread() };
    if threads > 1 {
        b.worker_threads(threads);
    }
    b.enable_all().build().map_err(|e| UserError::new(format!("cannot start the async runtime: {e}")))
}

/// Data on standard output, flushed; a closed pipe is not an error.
fn print_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Stops `handle` on Ctrl-C (SIGINT), and says whether that happened. The
/// handler is in place when this returns, before any traffic starts.
fn on_interrupt(handle: StopHandle) -> Result<Arc<AtomicBool>, UserError> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    #[cfg(unix)]
    {
        let mut sig = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .map_err(|e| UserError::new(format!("cannot handle Ctrl-C: {e}")))?;
        tokio::spawn(async move {
            if sig.recv().await.is_some() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    #[cfg(not(unix))]
    {
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    Ok(flag)
}
