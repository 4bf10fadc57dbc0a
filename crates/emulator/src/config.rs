//! What a caller chooses about one emulator run: the scenario, HTTP or HTTPS,
//! how long operations take, and which faults to inject where.

use crate::graph::{GraphQuota, ManagementGroup};
use crate::throttle::Throttle;
use crate::timeline::{Clock, Timeline};
use serde_json::Value;
use std::time::Duration;

/// How to run the emulator. `Config::default()` serves nothing over plain
/// HTTP with instant operations and requires a bearer token; start from
/// [`Config::new`] with the scenario's snapshots.
#[derive(Debug, Clone)]
pub struct Config {
    /// One or more `erdiag-snapshot/1` documents (a scenario). Each serves its
    /// circuit and every resource and failure it holds. When two snapshots
    /// hold the same path, the first that has it in `resources` wins, then
    /// the first that has it in `failures`.
    pub snapshots: Vec<Value>,
    /// HTTPS with a certificate generated at start (see [`crate::Running::cert_pem`]).
    pub tls: bool,
    /// How long each long-running operation stays `InProgress` after its
    /// POST. Zero: it has completed by the first poll.
    pub operation_latency: Duration,
    /// Seconds advertised in `Retry-After` on 202 answers, in-progress
    /// status polls and 429s from snapshot failures. Python's azure-core
    /// reads `Retry-After: 0` as "no advice" and waits its default interval
    /// (30 s for azure-mgmt-network) between polls: with a non-zero
    /// `operation_latency`, use at least 1 for Python clients and the Azure CLI.
    pub retry_after: u64,
    /// Faults to inject, tried in order for every request.
    pub faults: Vec<Fault>,
    /// Answer ARM requests without `Authorization: Bearer …` with 401, as ARM does.
    pub require_token: bool,
    /// How long the tokens the emulator's identity endpoints issue live
    /// (their `exp` and `expires_on`). ARM answers a token past its `exp`
    /// with 401 `ExpiredAuthenticationToken`, as Azure does.
    pub token_lifetime: Duration,
    /// Connections served at once; further clients wait in the listen
    /// backlog until one closes (the emulator never runs out of descriptors).
    pub max_connections: usize,
    /// How long a client may take to send a request's headers, counted from
    /// when the connection is ready for the next request (so it is also the
    /// keep-alive idle limit), and then its body.
    pub header_timeout: Duration,
    /// A connection on which no byte moves either way for this long is closed
    /// (a client that stops reading its answer, or stops sending its body).
    pub idle_timeout: Duration,
    /// Requests kept in the log ([`crate::Running::requests`]): the most recent ones.
    pub log_capacity: usize,
    /// ARM's read throttling: a token bucket per subscription and region
    /// (`throttle.rs`). `None` (the default): no request is ever throttled.
    pub throttle: Option<Throttle>,
    /// Resource Graph's per-caller quota (15 requests per 5 seconds by default).
    pub graph_quota: GraphQuota,
    /// The management groups Resource Graph's `managementGroups` scope
    /// knows, besides the tenant's root group (named as the tenant id),
    /// which holds every subscription.
    pub management_groups: Vec<ManagementGroup>,
    /// Subscriptions whose every ARM request answers 403 `AuthorizationFailed`
    /// (a caller with no role there); Resource Graph still lists their resources.
    pub forbidden: Vec<String>,
    /// The emulator's time: what "now" is for the timeline, the metrics'
    /// default window and Resource Health. The machine's time by default;
    /// tests use [`Clock::fixed`] and move it between polls.
    pub clock: Clock,
    /// The scenario's events (`timeline.json`), applied to every snapshot.
    /// [`crate::start`] anchors them at the clock's time when it starts.
    pub timeline: Option<Timeline>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            snapshots: Vec::new(),
            tls: false,
            operation_latency: Duration::ZERO,
            retry_after: 0,
            faults: Vec::new(),
            require_token: true,
            token_lifetime: Duration::from_secs(crate::identity::TOKEN_SECONDS),
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            log_capacity: 10_000,
            throttle: None,
            graph_quota: GraphQuota::default(),
            management_groups: Vec::new(),
            forbidden: Vec::new(),
            clock: Clock::system(),
            timeline: None,
        }
    }
}

impl Config {
    /// The defaults, serving these snapshots.
    pub fn new(snapshots: Vec<Value>) -> Config {
        Config { snapshots, ..Config::default() }
    }
}

/// One injected fault: requests whose path contains `path_contains`
/// (ASCII case-insensitive, on the percent-decoded path) and whose method is
/// `method` (any method when `None`) get `kind`, `times` times (every time
/// when `None`).
///
/// Order of application: every matching [`FaultKind::Latency`] delays the
/// answer; then the first matching fault of another kind decides it.
/// [`FaultKind::NeverFinishes`] and [`FaultKind::OperationFails`] only match
/// requests that start a long-running operation (the POST actions) or poll
/// one (the operation status and result URLs); they are not used up by other
/// requests. Faults apply after the token and `api-version` checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub path_contains: String,
    pub method: Option<String>,
    pub kind: FaultKind,
    pub times: Option<u32>,
}

impl Fault {
    /// A fault on every request whose path contains `path_contains`, every time.
    pub fn new(path_contains: impl Into<String>, kind: FaultKind) -> Fault {
        Fault { path_contains: path_contains.into(), method: None, kind, times: None }
    }
    /// Only for this HTTP method (case-insensitive).
    pub fn method(mut self, method: impl Into<String>) -> Fault {
        self.method = Some(method.into());
        self
    }
    /// Only this many times, then the fault is spent.
    pub fn times(mut self, times: u32) -> Fault {
        self.times = Some(times);
        self
    }
}

/// What an injected fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with `Retry-After` and an ARM error body (`TooManyRequests`).
    TooManyRequests { retry_after_secs: u64 },
    /// That status (500, 503, …) with an ARM error body.
    ServerError { status: u16 },
    /// The connection is closed before any byte of the answer is written:
    /// the client sees a transport error (connection closed before the
    /// message completed), not an HTTP status.
    DropConnection,
    /// Extension: the status line, the headers (with the full
    /// `Content-Length`) and half of the body are written, then the
    /// connection is closed. The client gets a status and fails reading the body.
    DropMidResponse,
    /// The operation started (or polled) stays `InProgress` forever.
    NeverFinishes,
    /// The operation ends `Failed`: its status is `{"status":"Failed","error":{…}}`
    /// and its `Location` answers 500 with the ARM error body.
    OperationFails,
    /// 200 with a JSON body cut in half (invalid JSON), `Content-Length` consistent.
    MalformedBody,
    /// Waits this long before answering; other faults and the normal answer follow.
    Latency { millis: u64 },
    /// 401 `ExpiredAuthenticationToken`, as ARM answers a token that expired
    /// (or was revoked) while the client still held it.
    ExpiredToken,
}

impl FaultKind {
    pub(crate) fn is_lro(&self) -> bool {
        matches!(self, FaultKind::NeverFinishes | FaultKind::OperationFails)
    }
}
