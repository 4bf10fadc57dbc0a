//! Why the emulator could not start. Once it runs, nothing a client sends is
//! an error of the emulator: every request gets an HTTP answer.

use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A snapshot of the scenario is not a usable `erdiag-snapshot/1`
    /// (`index` counts from 0 in [`crate::Config::snapshots`]).
    #[error("snapshot {index}: {message}")]
    Snapshot { index: usize, message: String },
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// The self-signed certificate or the TLS configuration could not be made.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}
