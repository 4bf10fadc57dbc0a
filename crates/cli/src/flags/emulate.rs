//! The flags of `erdiag emulate`, and the parser of `--fault`.

use super::bounds::{MAX_LATENCY_SECS, MAX_RETRY_AFTER_SECS};
use clap::Args;
use erdiag_emulator::{Fault, FaultKind};
use erdiag_pipeline::Error;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(mut_arg("quiet", |a| a.help("Do not log requests on stderr")))]
pub struct EmulateArgs {
    /// Built-in scenarios to serve (`erdiag demo --list`); several circuits may be served at once.
    #[arg(value_name = "SCENARIO")]
    pub scenarios: Vec<String>,
    /// erdiag-snapshot/1 files to serve (repeatable).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Vec<PathBuf>,
    /// Address to listen on (loopback; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// Serve plain HTTP instead of HTTPS (the Azure SDKs refuse bearer tokens over HTTP).
    #[arg(long)]
    pub http: bool,
    /// Write the certificate clients must trust (HTTPS) to this file.
    #[arg(long, value_name = "FILE")]
    pub cert_out: Option<PathBuf>,
    /// Write --cert-out even when it is a symbolic link (its target is replaced).
    #[arg(long)]
    pub force: bool,
    /// Seconds each long-running operation stays InProgress [default: 0, or the fleet's `latency=`].
    #[arg(long, value_name = "SECONDS", value_parser = super::bounds::latency)]
    pub latency: Option<f64>,
    /// Retry-After seconds advertised while an operation runs (the Python SDK waits 30 s when it is 0).
    #[arg(long, default_value_t = 1, value_name = "SECONDS", value_parser = super::bounds::count::<u64>(0, super::bounds::MAX_RETRY_AFTER_SECS))]
    pub retry_after: u64,
    /// Accept requests without a bearer token.
    #[arg(long)]
    pub no_token: bool,
    /// Inject a fault: KIND:PATH[:TIMES], PATH a case-insensitive substring of the request path.
    /// KIND: 429[=SECS], 500, 503, 401 (an expired token), drop, drop-mid, never, fail, malformed, latency=MS.
    /// Example: --fault 429=2:arpTables/primary:1 --fault never:routeTablesSummary
    #[arg(long, value_name = "SPEC")]
    pub fault: Vec<String>,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
    /// Connections served at once; more clients wait until one closes.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_connections: u32,
    /// Seconds a client may take to send a request's headers (and to send its body).
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub header_timeout: u64,
    /// Seconds a connection may stay without a byte moving before it is closed.
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout: u64,
    /// Requests kept in the emulator's request log (the most recent ones).
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    pub log_size: u32,
    /// Serve the live lab (`erdiag lab up`) instead of scenarios: every call reads the routers.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = erdiag_lab::DEFAULT_NAME, conflicts_with_all = ["scenarios", "snapshot"])]
    pub lab: Option<String>,
    /// Serve a generated fleet instead of scenarios: KEY=VALUE,… or a JSON file (keys below).
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["scenarios", "snapshot", "lab"])]
    pub fleet: Option<String>,
    /// When the emulator stops, write what each throttling bucket (subscription, region) answered,
    /// as JSON: reads, 429s and tokens left.
    #[arg(long, value_name = "FILE")]
    pub stats_out: Option<PathBuf>,
    /// The emulator's time at start (RFC 3339); its clock runs from there [default: now].
    /// A scenario's timeline is anchored at it.
    #[arg(long, value_name = "TIME", value_parser = clock_start)]
    pub clock_start: Option<i64>,
    /// Emulated seconds per real second (60: a scenario's hour in a minute).
    #[arg(long, value_name = "N", value_parser = speed, default_value = "1")]
    pub speed: f64,
    /// Serve this timeline (timeline.json: events relative to the start) with the --snapshot files
    /// or the --fleet (events name their circuit) [default: the scenario's own timeline.json].
    #[arg(long, value_name = "FILE", conflicts_with_all = ["lab"])]
    pub timeline: Option<PathBuf>,
}

/// `--speed`: at most a million.
pub const MAX_SPEED: f64 = 1_000_000.0;

fn clock_start(s: &str) -> Result<i64, String> {
    erdiag_model::time::parse_rfc3339(s).map_err(|e| e.to_string())
}

fn speed(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if !v.is_finite() || v <= 0.0 || v > MAX_SPEED {
        return Err(format!("{s} is not in (0, {MAX_SPEED}]"));
    }
    Ok(v)
}

/// Parses `KIND:PATH[:TIMES]`.
pub fn parse_fault(spec: &str) -> Result<Fault, Error> {
    let bad = |why: &str| Error::usage(format!("--fault {spec}: {why}")).with_hint("KIND:PATH[:TIMES], e.g. 429=2:arpTables:1, 500:routeTables, drop:stats, never:routeTablesSummary");
    let mut parts = spec.splitn(3, ':');
    let kind = parts.next().unwrap_or_default();
    let path = parts.next().ok_or_else(|| bad("no PATH"))?;
    let times = parts.next().map(|t| t.parse::<u32>().map_err(|_| bad("TIMES is not a number in 0..=4294967295"))).transpose()?;
    let (name, arg) = kind.split_once('=').map(|(k, a)| (k, Some(a))).unwrap_or((kind, None));
    let num = |d: u64, max: u64| -> Result<u64, Error> {
        match arg.map(|a| a.parse::<u64>()) {
            None => Ok(d),
            Some(Ok(n)) if n <= max => Ok(n),
            Some(_) => Err(bad(&format!("{name}= takes a number in 0..={max}"))),
        }
    };
    let k = match name {
        "429" => FaultKind::TooManyRequests { retry_after_secs: num(1, MAX_RETRY_AFTER_SECS)? },
        "500" | "502" | "503" | "504" => FaultKind::ServerError { status: name.parse().unwrap() },
        "401" => FaultKind::ExpiredToken,
        "drop" => FaultKind::DropConnection,
        "drop-mid" => FaultKind::DropMidResponse,
        "never" => FaultKind::NeverFinishes,
        "fail" => FaultKind::OperationFails,
        "malformed" => FaultKind::MalformedBody,
        "latency" => FaultKind::Latency { millis: num(1000, MAX_LATENCY_SECS as u64 * 1000)? },
        _ => return Err(bad("unknown KIND")),
    };
    let f = Fault::new(path, k);
    Ok(match times {
        Some(t) => f.times(t),
        None => f,
    })
}
