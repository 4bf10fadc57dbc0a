//! erdiag as a service: `erdiag watch` polls a circuit, a list or a fleet
//! scope again and again, records each poll into the history store, keeps
//! the latest diagnosis of every circuit in memory ([`state::Shared`]) and
//! serves it over HTTP: Prometheus metrics at `/metrics`, a dashboard at `/`.
//!
//! ```text
//!  config::WatchConfig ──► run::watch ── every `every` ± jitter, never overlapping ──┐
//!                           │ one poll = erdiag_pipeline::fleet::run over the targets │
//!                           ├─► store (history::record; buffered while unreachable)  │
//!                           ├─► notify::Notifier::observe (verdict / root-cause change)
//!                           └─► state::Shared (RwLock) ◄── server::router: /metrics, /healthz, dashboard
//! ```
//!
//! Read-only towards Azure: nothing here writes to ARM, and nothing an HTTP
//! request does reaches ARM (the routes read [`state::Shared`] only).

pub mod config;
pub mod dashboard;
pub mod gauges;
pub mod metrics;
pub mod notify;
pub mod process;
pub mod run;
pub mod server;
pub mod state;

pub use config::WatchConfig;
pub use state::{CircuitStatus, Shared, WatchState};
