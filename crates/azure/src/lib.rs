//! The only crate that speaks HTTP to Azure Resource Manager.
//!
//! - [`cloud`]: which ARM endpoint and token audience to use.
//! - [`auth`]: where the bearer token comes from (the Azure SDK for Rust's
//!   identity crate, or a token the user already has). Tokens are secrets: no
//!   `Debug`, `Display` or log line ever shows one.
//! - [`client`]: a read-only ARM client for exactly the calls the guide makes,
//!   with ARM's long-running operations, retries with jittered backoff that
//!   honour `Retry-After`, a per-call timeout, an overall deadline and bounded
//!   concurrency. It cannot send anything but GET, the read-only POST list
//!   actions and Resource Graph queries: see [`client::ReadOnlyCall`].
//! - [`throttle`]: the scheduler every exchange goes through, pacing each
//!   subscription and region just under ARM's read bucket, holding only the
//!   key a 429 names; [`ClientStats`] counts what it did.
//! - [`collect`]: everything the guide reads about one circuit, concurrently,
//!   into an `erdiag-snapshot/1` document; failed calls land in `failures`.
//! - [`graph`]: every ExpressRoute circuit and port a credential can read,
//!   found through Azure Resource Graph (paged, batched, within its quota),
//!   and the [`graph::Filter`] of `erdiag fleet`.
//! - [`progress`]: how the collector reports each operation (the CLI draws it).
//! - `tls`: the one TLS provider (rustls with *ring*) of every HTTP client here.

pub mod auth;
pub mod client;
pub mod cloud;
pub mod collect;
pub mod graph;
pub mod progress;
pub mod redact;
pub mod throttle;
mod tls;

pub use auth::{Credential, CredentialError};
pub use client::{http_client, retry_after, ArmClient, ClientOptions, Outcome, ReadOnlyCall};
pub use cloud::Cloud;
pub use collect::{collect, collect_in, collect_with, metrics_batch, metrics_batches, BatchAnswer, BatchedMetrics, CollectError, CollectOptions, Collected, PendingBatch, Target};
pub use graph::{discover, CircuitRecord, Filter, GraphError, Inventory, PortRecord, Scope};
pub use erdiag_model::time::now_rfc3339;
pub use progress::{NoProgress, Progress};
pub use redact::{redact_snapshot, RedactKey};
pub use throttle::ClientStats;
pub use tls::install_crypto_provider;

/// The Microsoft.Network api-version erdiag speaks by default (`--api-version`).
pub const DEFAULT_API_VERSION: &str = "2024-05-01";
/// The Microsoft.ResourceHealth api-version for availability statuses.
pub const RESOURCE_HEALTH_API_VERSION: &str = "2025-05-01";
/// Azure Monitor's `Metrics_List` (`{resourceId}/providers/Microsoft.Insights/metrics`).
pub const METRICS_API_VERSION: &str = "2024-02-01";
/// The api-version of the generic resources list used to find connections.
pub const RESOURCES_API_VERSION: &str = "2021-04-01";
