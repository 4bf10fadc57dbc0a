//! The settings of `erdiag watch`: the typed [`WatchConfig`] the loop and the
//! server run with, and the TOML file (`--config FILE`) whose keys are the
//! long flags' names ([`FileConfig`]). A flag given on the command line (or
//! its environment variable) wins over the file; docs/watch.md lists every
//! setting once.

use erdiag_pipeline::fleet::FleetOptions;
use erdiag_pipeline::graph::{Filter, Scope};
use erdiag_pipeline::{ArmClient, Error};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The default `--every`: five minutes.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(300);
/// The default `--listen`: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9108";
/// Observations kept in memory at most while the store is unreachable.
pub const STORE_BUFFER: usize = 1000;

/// What is watched.
pub enum Targets {
    /// Circuits found through Azure Resource Graph in `scope`, kept by
    /// `filter` (`-g -n` and `--id` are its `ids`), read through one client.
    Azure { client: Arc<ArmClient>, scope: Scope, filter: Filter },
    /// Snapshot documents (label, bytes), read again at every poll by the
    /// caller's reader (the CLI reads files; this crate opens none).
    Snapshots(SnapshotReader),
    /// Built-in scenarios (demonstration): the same snapshot at every poll.
    Scenarios(Vec<&'static erdiag_pipeline::scenarios::Scenario>),
}

/// What reads the snapshot documents at each poll: (label, bytes) each.
pub type SnapshotReader = Box<dyn Fn() -> Result<Vec<(String, Vec<u8>)>, Error> + Send + Sync>;

/// How `erdiag watch` runs.
pub struct WatchConfig {
    pub targets: Targets,
    /// The time between the starts of two polls.
    pub every: Duration,
    /// ±10% on every wait, so that many watchers do not poll in step.
    pub jitter: bool,
    /// One poll, then exit (cron).
    pub once: bool,
    /// The history store's URL.
    pub store: Option<String>,
    /// Forget observations older than this many seconds.
    pub retention: Option<i64>,
    /// Observations kept in memory while the store is unreachable.
    pub store_buffer: usize,
    pub fleet: FleetOptions,
    /// The settings shown on the dashboard: never a secret.
    pub summary: Vec<(String, String)>,
}

/// The HTTP server's settings.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Every route but `/healthz` requires it (`Authorization: Bearer`, `?token=` or the cookie `/login` sets).
    pub auth_token: Option<String>,
    /// The dashboard's timeline store and refresh.
    pub dashboard: crate::dashboard::DashboardOptions,
}

/// `--log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// `--config FILE`: the same settings as the flags, by their long names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub subscription: Option<Vec<String>>,
    pub management_group: Option<Vec<String>>,
    pub all_subscriptions: Option<bool>,
    pub tag: Option<Vec<String>>,
    pub resource_group: Option<Vec<String>>,
    pub name: Option<Vec<String>>,
    pub location: Option<Vec<String>>,
    pub provider: Option<Vec<String>>,
    pub id: Option<Vec<String>>,
    pub scenario: Option<String>,
    pub snapshots: Option<Vec<PathBuf>>,
    pub arm_endpoint: Option<String>,
    pub every: Option<String>,
    pub no_jitter: Option<bool>,
    pub once: Option<bool>,
    pub store: Option<String>,
    pub retention: Option<String>,
    pub listen: Option<String>,
    pub no_listen: Option<bool>,
    pub auth_token: Option<String>,
    pub insecure_no_auth: Option<bool>,
    pub notify: Option<Vec<String>>,
    pub notify_format: Option<String>,
    pub dead_letter: Option<PathBuf>,
    pub log_format: Option<LogFormat>,
    pub concurrency: Option<usize>,
    pub no_metrics_batch: Option<bool>,
}

impl FileConfig {
    /// The settings of the file labelled `label` (its path); an error names
    /// the file, the line and the key.
    pub fn parse(label: &str, text: &str) -> Result<FileConfig, Error> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_of(text, s.start)).map(|l| format!(" line {l}:")).unwrap_or_default();
            Error::input(format!("{label}:{at} {}", e.message().trim())).with_hint("docs/watch.md lists every key: the long flags' names (every = \"5m\", store = \"history.db\")")
        })
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A listen address that is not loopback requires a token, unless the
/// operator says a reverse proxy guards it.
pub fn check_listen(addr: SocketAddr, token: Option<&str>, insecure_no_auth: bool) -> Result<(), Error> {
    if addr.ip().is_loopback() || token.is_some() || insecure_no_auth {
        return Ok(());
    }
    Err(Error::usage(format!("--listen {addr} is reachable from other machines and no --auth-token is set"))
        .with_hint("set --auth-token (or ERDIAG_WATCH_TOKEN), or keep --listen on 127.0.0.1 behind a reverse proxy that authenticates; --insecure-no-auth serves anyone who can connect"))
}

/// A span of the CLI (`30s`, `5m`, `1h`) as a duration of at least one second.
pub fn every(s: &str) -> Result<Duration, String> {
    match erdiag_model::time::parse_span(s) {
        Ok(n) if n >= 1 => Ok(Duration::from_secs(n as u64)),
        Ok(_) => Err("the interval must be one second or more".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_named_with_its_file_and_line() {
        let e = FileConfig::parse("watch.toml", "every = \"5m\"\nevry = \"1m\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("watch.toml: line 2:"), "{msg}");
        assert!(msg.contains("evry"), "{msg}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named() {
        let e = FileConfig::parse("w.toml", "once = \"yes\"\n").unwrap_err().to_string();
        assert!(e.starts_with("w.toml: line 1:"), "{e}");
    }

    #[test]
    fn keys_are_the_long_flags() {
        let c = FileConfig::parse("w.toml", "every = \"30s\"\nno-jitter = true\nsubscription = [\"a\", \"b\"]\nlog-format = \"json\"\n").unwrap();
        assert_eq!(c.every.as_deref(), Some("30s"));
        assert_eq!(c.no_jitter, Some(true));
        assert_eq!(c.subscription.unwrap().len(), 2);
        assert_eq!(c.log_format, Some(LogFormat::Json));
    }

    #[test]
    fn non_loopback_needs_a_token() {
        let any: SocketAddr = "0.0.0.0:9108".parse().unwrap();
        assert!(check_listen(any, None, false).is_err());
        assert!(check_listen(any, Some("t"), false).is_ok());
        assert!(check_listen(any, None, true).is_ok());
        assert!(check_listen("127.0.0.1:9108".parse().unwrap(), None, false).is_ok());
    }

    #[test]
    fn every_is_a_span() {
        assert_eq!(every("5m"), Ok(Duration::from_secs(300)));
        assert!(every("0s").is_err());
    }
}
