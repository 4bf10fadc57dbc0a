//! `erdiag watch`: what to watch (the fleet's scope and filters, `--id`, or
//! snapshots and scenarios offline), how often, where to record, where to
//! serve. Every flag is also a key of `--config FILE` (docs/watch.md); the
//! flag wins.

use super::fleet::ScopeArgs;
use super::live::Connection;
use super::report::DiagnosisArgs;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// `--notify-format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyFormat {
    /// erdiag's own JSON: the report's summary.
    Generic,
    /// A Microsoft Teams incoming webhook's card.
    Teams,
    /// A Slack incoming webhook's message.
    Slack,
}

/// `--log-format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Read the settings from this TOML file: keys are the long flags' names (every = "5m"); a flag wins.
    #[arg(long, value_name = "FILE", env = "ERDIAG_WATCH_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub select: ScopeArgs,
    /// Search every subscription the credential can read (the default when no scope is given).
    #[arg(long, conflicts_with_all = ["subscriptions", "management_groups"])]
    pub all_subscriptions: bool,
    /// A circuit by its ARM id (repeatable): only these are watched.
    #[arg(long = "id", value_name = "ARM_ID")]
    pub ids: Vec<String>,
    /// Watch a built-in scenario instead of Azure (a demonstration: `erdiag demo --list`).
    #[arg(long = "scenario", value_name = "NAME", conflicts_with_all = ["subscriptions", "management_groups", "all_subscriptions", "ids", "snapshots"])]
    pub scenario: Option<String>,
    /// Watch snapshot files instead of Azure, read again at each poll (repeatable; a directory: every *.json in it).
    #[arg(long = "snapshots", alias = "snapshot", value_name = "PATH", conflicts_with_all = ["subscriptions", "management_groups", "all_subscriptions", "ids"])]
    pub snapshots: Vec<PathBuf>,
    /// Time between the starts of two polls (30s, 5m, 1h) [default: 5m].
    #[arg(long, value_name = "SPAN", value_parser = erdiag_watch::config::every)]
    pub every: Option<std::time::Duration>,
    /// Wait exactly --every (default: ±10% at random, so that watchers do not poll in step).
    #[arg(long)]
    pub no_jitter: bool,
    /// Poll once, record, and exit (for cron); no listener unless --listen is given.
    #[arg(long)]
    pub once: bool,
    /// Record each poll in this history store: a SQLite file (PATH or sqlite:PATH) or postgres://USER@HOST/DB.
    #[arg(long = "store", env = "ERDIAG_STORE", hide_env_values = true, value_name = "URL")]
    pub store: Option<String>,
    /// Forget stored observations older than this (30d, 90d).
    #[arg(long, value_name = "SPAN")]
    pub retention: Option<String>,
    /// Serve /metrics, /healthz and the dashboard here [default: 127.0.0.1:9108]. Another address than loopback requires --auth-token (or a reverse proxy and --insecure-no-auth).
    #[arg(long, value_name = "ADDR", conflicts_with = "no_listen")]
    pub listen: Option<String>,
    /// Serve nothing.
    #[arg(long)]
    pub no_listen: bool,
    /// Require this token on every route but /healthz (Authorization: Bearer TOKEN, ?token=, or /login?token= in a browser).
    #[arg(long, env = "ERDIAG_WATCH_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub auth_token: Option<String>,
    /// Serve a non-loopback --listen without a token (a reverse proxy authenticates).
    #[arg(long)]
    pub insecure_no_auth: bool,
    /// POST a notification to this URL when a circuit's verdict or root cause changes (repeatable).
    #[arg(long, value_name = "URL")]
    pub notify: Vec<String>,
    /// The notifications' payload [default: generic].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub notify_format: Option<NotifyFormat>,
    /// Append the notifications that could not be delivered to this file (JSON lines).
    #[arg(long, value_name = "FILE")]
    pub dead_letter: Option<PathBuf>,
    /// Logs on standard error as text or JSON lines [default: text].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Circuits collected and diagnosed at once in a poll [default: 64].
    #[arg(long, value_name = "N", value_parser = super::bounds::count::<usize>(1, super::bounds::MAX_FLEET_CONCURRENCY))]
    pub concurrency: Option<usize>,
    /// Read each circuit's metrics with one GET per set of metrics instead of Azure Monitor's metrics:getBatch (50 circuits of one subscription and region a call, on https://{region}.metrics.monitor.azure.com, or the --arm-endpoint itself when that is set).
    #[arg(long)]
    pub no_metrics_batch: bool,
    #[command(flatten)]
    pub diagnosis: DiagnosisArgs,
    #[command(flatten)]
    pub connection: Connection,
    #[command(flatten)]
    pub metrics: super::common::MetricsArgs,
}
