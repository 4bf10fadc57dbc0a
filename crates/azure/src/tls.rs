//! The TLS stack every HTTP client of this crate uses: rustls with *ring*
//! (no C toolchain needed). The process-wide provider is installed once,
//! before the first client: the ARM client's and the managed identity's.

/// Installs rustls's *ring* provider for the process; later calls do nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
