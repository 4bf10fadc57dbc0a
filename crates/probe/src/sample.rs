//! One connect attempt and how it ended: what the prober records, the
//! summary counts and the `erdiag-probe/1` document lists.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One connect attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// 1, 2, 3… in the order the attempts were made.
    pub seq: u64,
    /// When the attempt started, RFC 3339 UTC with milliseconds.
    pub time: String,
    pub result: Outcome,
    /// Time to establish the connection (the TCP handshake), in milliseconds
    /// with microsecond precision; only for `ok`.
    pub latency_ms: Option<f64>,
    /// The system's error text when the attempt failed.
    pub error: Option<String>,
    /// The address actually dialled (`IP:PORT`), absent when the name did
    /// not resolve. An addition to the field list; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The handshake completed.
    Ok,
    /// The host answered with a reset: reachable, nothing listening (or a
    /// firewall rejecting).
    Refused,
    /// No answer within `--timeout`: packets dropped on the way or filtered.
    Timeout,
    /// The network or host is unreachable (no route, ICMP unreachable).
    Unreachable,
    /// The name did not resolve.
    Dns,
    /// Anything else (for example the `--source` address is not local).
    Error,
}

impl Outcome {
    pub const ALL: [Outcome; 6] =
        [Outcome::Ok, Outcome::Refused, Outcome::Timeout, Outcome::Unreachable, Outcome::Dns, Outcome::Error];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Timeout => "timeout",
            Outcome::Unreachable => "unreachable",
            Outcome::Dns => "dns",
            Outcome::Error => "error",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
