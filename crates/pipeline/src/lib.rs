//! erdiag as a library: a source → a snapshot → a [`Report`].
//!
//! ```text
//!  Source::Live, Client ──┐
//!  Source::Scenario ──────┼─ collect() ─→ Collected { snapshot } ─┐
//!  Source::Lab ───────────┘                                       ├─ diagnose() ─→ Report
//!  Source::Snapshot (bytes) ── snapshot_text() ───────────────────┘
//! ```
//!
//! [`diagnose_source`] is the whole way in one call.
//!
//! - [`collect`] (async) reads a circuit over the ARM contract: from Azure
//!   ([`LiveSource`]: the client options and the credential chosen), or from
//!   the in-process ARM emulator serving a built-in [`scenarios`] entry or
//!   the live [`lab`]. Progress goes to an [`erdiag_azure::Progress`].
//! - [`diagnose`] reads an `erdiag-snapshot/1` document and runs every check.
//! - [`catalog`]: the checks and their documentation as data.
//! - [`fleet`] (async): every circuit a credential can read (or many
//!   snapshots), diagnosed as each arrives, streamed to a sink, then the
//!   checks across circuits.
//!
//! The CLI is one caller; a fleet, a history or a watch service are others.
//! For them: no global state, nothing printed, no process exit, every
//! failure an [`Error`] with its kind, cause chain and hint. Reading files
//! and writing the results are the caller's.

pub mod catalog;
mod collect;
mod diagnose;
mod error;
pub mod fleet;
pub mod history;
pub mod lab;
pub mod scenarios;

pub use collect::{client, cloud, collect, diagnose_source, subscription, Collected, CredentialChoice, LiveSource, Source, Via};
pub use diagnose::{diagnose, diagnose_document, import_error, read_snapshot, snapshot_text};
pub use erdiag_azure::{ArmClient, ClientOptions, CollectOptions, Progress, Target};
pub use erdiag_checks::{Options, Report, Verdict};
pub use error::{Error, ErrorKind};
pub use erdiag_azure::graph;

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize, _: &str) {}
    fn waiting(&self, _: usize, _: &str) {}
    fn finish(&self, _: usize, _: bool, _: &str) {}
}

/// A CE text as it may enter a snapshot: router secrets never do, only
/// their presence matters (`erdiag_model::secrets`).
pub fn redact_ce(text: &str) -> String {
    text.lines().map(|l| erdiag_model::secrets::redact_line(l).into_owned() + "\n").collect()
}
