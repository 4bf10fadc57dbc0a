//! An Azure Resource Manager emulator that serves ExpressRoute circuits from
//! `erdiag-snapshot/1` files over the real ARM REST contract, so that real
//! clients — the Azure CLI, the Python SDK (azure-mgmt-network) and erdiag's
//! own ARM client — run against it unchanged. It powers `erdiag demo`, the
//! collector's tests, and training.
//!
//! ```no_run
//! # async fn demo(snapshot: serde_json::Value) -> Result<(), erdiag_emulator::Error> {
//! use erdiag_emulator::{start, Config, Fault, FaultKind};
//! let mut config = Config::new(vec![snapshot]);
//! config.tls = true;
//! config.faults.push(Fault::new("/arpTables/secondary", FaultKind::TooManyRequests { retry_after_secs: 1 }).times(1));
//! let emulator = start(config, "127.0.0.1:0".parse().unwrap()).await?;
//! // point a client at emulator.base_url, trusting emulator.cert_pem
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! What it serves (all paths case-insensitive; ARM paths need `api-version`
//! and, unless `require_token` is off, a bearer token):
//! - every resource of the snapshots (`GET`), and the recorded failures as
//!   their status and ARM error body;
//! - the collections ARM has: subscriptions, tenants, resource groups,
//!   circuits by subscription and group, connections by group and by gateway,
//!   a circuit's peerings, the generic `…/resources?$filter=resourceType eq '…'`;
//! - the POST list actions (ARP tables, route tables, summaries, a gateway's
//!   BGP peers and learned routes) as real long-running operations: 202 with
//!   `Azure-AsyncOperation`, `Location` and `Retry-After`, then status and
//!   result URLs;
//! - the sign-in a client needs first: cloud metadata, Entra ID's OpenID
//!   configuration and token endpoint (client credentials), and the managed
//!   identity endpoints — see `identity.rs`;
//! - injected faults ([`Fault`]): throttling, server errors, dropped
//!   connections, operations that never finish or fail, malformed bodies, latency;
//! - Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`):
//!   the top-level resources of every subscription held, paged, with the
//!   per-caller quota — see `graph.rs`;
//! - with [`Config::throttle`], ARM's read throttling: a token bucket per
//!   subscription and region, its remaining reads on every answer, 429 when
//!   empty ([`Running::bucket_stats`] counts what each bucket answered);
//!   [`Config::forbidden`] subscriptions answer 403 to everything;
//! - a generated fleet ([`fleet::generate`]): pairs of circuits per gateway
//!   over subscriptions and regions, drawn from scenario templates.
//! - Azure Monitor's metrics and metric definitions, and the Resource Health
//!   history, of circuits, gateways and ports (`monitor.rs`);
//! - time: with [`Config::timeline`], the snapshots as they stand at
//!   [`Config::clock`]'s time ([`TimedBackend`], docs/emulator.md).
//!
//! Everything else is refused the way ARM refuses it (404, 405 for writes;
//! `HEAD` is ARM's check-existence: 204/404 on a resource or resource group,
//! 405 elsewhere), and every request is recorded in a ring of the most recent
//! `log_capacity` ([`Running::requests`], [`Running::watch`]).
//!
//! # Module layout
//!
//! - `config.rs`: [`Config`], [`Fault`], [`FaultKind`] — what a caller chooses.
//! - `error.rs`: [`Error`] — why the emulator could not start.
//! - `backend.rs`: the [`Backend`] trait (where data comes from), [`Lookup`],
//!   [`Collection`], and the collections derived from any backend.
//! - `snapshot.rs`: [`SnapshotBackend`], the default backend, over snapshots,
//!   indexed by subscription and by top-level resource so that a fleet's
//!   collections read only their own resources.
//! - `server.rs`: [`start`], [`start_with_backend`], [`Running`]: the
//!   connections, each request handed to the service and its answer
//!   delivered (whole, or cut by a fault).
//! - `service.rs`: [`Service`], the request pipeline without sockets (log →
//!   auth and `api-version` → faults → answer → tracing headers), and
//!   [`Recorded`]. `fuzz/` feeds it any request.
//! - `arm.rs`: ARM answers: GETs, collections, actions, operation URLs, and
//!   the state they keep (the backend, the operations started).
//! - `lro.rs`: long-running operations and their states.
//! - `graph.rs`: Resource Graph: the request validated as `QueryRequest`, the
//!   KQL the emulator understands (`where`, `project`, `order by`, `limit`),
//!   ARG-shaped rows, `$skipToken` paging, the per-caller quota.
//! - `throttle.rs`: [`Throttle`], the buckets, and the region a request takes from.
//! - `fleet.rs`: [`fleet::FleetSpec`] (`key=value,…` or JSON), [`fleet::generate`]
//!   from [`fleet::Template`]s: ids rewritten, locations, providers, bandwidths,
//!   routing weights, gateway SKUs, ExpressRoute Direct ports; deterministic from the seed.
//! - `timeline.rs`: [`Clock`] (system, fixed and movable, accelerated) and
//!   [`Timeline`] (`timeline.json`): the events of a scenario and
//!   [`Timeline::state_at`], the snapshot as it stands at a time.
//! - `timed.rs`: [`TimedBackend`], snapshots moved through time by a timeline.
//! - `monitor.rs`: `Metrics_List`, metric definitions and the availability
//!   history, each minute read from the state at that minute.
//! - `identity.rs`: cloud metadata, AAD and managed-identity token
//!   endpoints, bearer-token checks.
//! - `faults.rs`: which faults a request gets, counted down.
//! - `path.rs`: request paths, decoded and classified by shape.
//! - `reply.rs`: an answer as data (status, headers, body) and ARM errors.
//! - `net.rs`: the accept loop (bounded connections), TLS handshakes, and
//!   connections a fault can cut and that close when idle.
//! - `tls.rs`: the certificate made at start (a local CA and a server certificate).
//! - `util.rs`: GUIDs, base64url, percent-decoding (RFC 3339 times are `erdiag_model::time`).
//! - `erdiag emulate` (the CLI) runs it by hand for a real client
//!   (`erdiag emulate healthy-private --cert-out ca.pem`).
//! - `tests/`: the contract as clients see it (`arm_contract.rs`), every
//!   fault (`faults.rs`), HTTPS and sign-in (`identity_tls.rs`), timeouts,
//!   the connection limit, the log ring and `HEAD` (`hardening.rs`), Resource
//!   Graph, throttling, forbidden subscriptions and the generator (`fleet.rs`),
//!   Resource Graph's specification and examples (`graph_corpus.rs`, with
//!   `ERDIAG_CORPUS`).
//!
//! # Invariants
//!
//! - Nothing a client sends makes the server panic or stop; every request
//!   gets an answer (or, under a drop fault, a closed connection).
//! - No client can hold it down: headers must arrive within
//!   `header_timeout`, a connection where nothing moves for `idle_timeout`
//!   is closed, at most `max_connections` are open (the rest wait in the
//!   backlog), and the request log has a fixed size.
//! - Bearer token values are never logged or stored.
//! - The emulator only listens where it is told (tests bind `127.0.0.1:0`)
//!   and makes no outgoing connection.

mod arm;
mod backend;
mod config;
mod error;
mod faults;
pub mod fleet;
mod globalreach;
mod graph;
mod identity;
mod lro;
mod monitor;
mod net;
mod path;
mod reply;
mod server;
mod service;
mod snapshot;
mod throttle;
mod timed;
mod timeline;
mod tls;
mod util;

pub use backend::{derive_list, derive_list_among, derive_scopes, Backend, Collection, Group, Lookup, Scopes};
pub use config::{Config, Fault, FaultKind};
pub use error::Error;
pub use graph::{GraphQuota, ManagementGroup};
pub use identity::DEFAULT_TENANT_ID;
pub use server::{start, start_with_backend, Running};
pub use service::{Delivery, Recorded, Service};
pub use snapshot::SnapshotBackend;
pub use throttle::{BucketStats, Throttle};
pub use timed::TimedBackend;
pub use timeline::{Clock, Event, EventKind, Timeline, TimelineError};
