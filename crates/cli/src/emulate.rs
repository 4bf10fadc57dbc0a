//! `erdiag emulate` and the live path of `erdiag demo`: the ARM emulator
//! serving built-in scenarios or snapshot files on loopback.

use crate::output::UserError;
use crate::scenarios;
use clap::Args;
use erdiag_emulator::{Config, Fault, FaultKind};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Debug)]
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
    /// Seconds each long-running operation stays InProgress.
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS", value_parser = crate::args::latency)]
    pub latency: f64,
    /// Retry-After seconds advertised while an operation runs (the Python SDK waits 30 s when it is 0).
    #[arg(long, default_value_t = 1, value_name = "SECONDS", value_parser = crate::args::count::<u64>(0, crate::args::MAX_RETRY_AFTER_SECS))]
    pub retry_after: u64,
    /// Accept requests without a bearer token.
    #[arg(long)]
    pub no_token: bool,
    /// Inject a fault: KIND:PATH[:TIMES], PATH a case-insensitive substring of the request path.
    /// KIND: 429[=SECS], 500, 503, drop, drop-mid, never, fail, malformed, latency=MS.
    /// Example: --fault 429=2:arpTables/primary:1 --fault never:routeTablesSummary
    #[arg(long, value_name = "SPEC")]
    pub fault: Vec<String>,
    /// Do not log requests on stderr.
    #[arg(short = 'q', long)]
    pub quiet: bool,
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
}

/// Parses `KIND:PATH[:TIMES]`.
pub fn parse_fault(spec: &str) -> Result<Fault, UserError> {
    let bad = |why: &str| UserError::new(format!("--fault {spec}: {why}")).hint("KIND:PATH[:TIMES], e.g. 429=2:arpTables:1, 500:routeTables, drop:stats, never:routeTablesSummary");
    let mut parts = spec.splitn(3, ':');
    let kind = parts.next().unwrap_or_default();
    let path = parts.next().ok_or_else(|| bad("no PATH"))?;
    let times = parts.next().map(|t| t.parse::<u32>().map_err(|_| bad("TIMES is not a number in 0..=4294967295"))).transpose()?;
    let (name, arg) = kind.split_once('=').map(|(k, a)| (k, Some(a))).unwrap_or((kind, None));
    let num = |d: u64, max: u64| -> Result<u64, UserError> {
        match arg.map(|a| a.parse::<u64>()) {
            None => Ok(d),
            Some(Ok(n)) if n <= max => Ok(n),
            Some(_) => Err(bad(&format!("{name}= takes a number in 0..={max}"))),
        }
    };
    let k = match name {
        "429" => FaultKind::TooManyRequests { retry_after_secs: num(1, crate::args::MAX_RETRY_AFTER_SECS)? },
        "500" | "502" | "503" | "504" => FaultKind::ServerError { status: name.parse().unwrap() },
        "drop" => FaultKind::DropConnection,
        "drop-mid" => FaultKind::DropMidResponse,
        "never" => FaultKind::NeverFinishes,
        "fail" => FaultKind::OperationFails,
        "malformed" => FaultKind::MalformedBody,
        "latency" => FaultKind::Latency { millis: num(1000, crate::args::MAX_LATENCY_SECS as u64 * 1000)? },
        _ => return Err(bad("unknown KIND")),
    };
    let f = Fault::new(path, k);
    Ok(match times {
        Some(t) => f.times(t),
        None => f,
    })
}

fn snapshots(args: &EmulateArgs) -> Result<Vec<serde_json::Value>, UserError> {
    let mut out = Vec::new();
    for name in &args.scenarios {
        let sc = scenarios::find(name).ok_or_else(|| UserError::new(format!("no scenario named `{name}`")).hint("`erdiag demo --list` shows the catalogue"))?;
        out.push(serde_json::from_slice(sc.snapshot).expect("built-in scenarios are valid JSON"));
    }
    for p in &args.snapshot {
        let (label, bytes) = crate::io::read_input(p, crate::io::Input::Document)?;
        let bytes = crate::cli::snapshot_text(&label, bytes)?;
        // Check it is a usable snapshot first: the same errors as `diagnose`.
        erdiag_model::Snapshot::from_slice(&bytes).and_then(|s| s.decode().map(|_| ())).map_err(|e| UserError::new(format!("{label}: {e}")))?;
        // The emulator serves every resource, also those erdiag does not read:
        // each must be a JSON value it can hold.
        let doc = serde_json::from_slice(&bytes).map_err(|e| {
            let why = e.to_string();
            let why = why.rfind(" at line ").map_or(why.as_str(), |i| &why[..i]);
            UserError::new(format!("{label}: line {}, column {}: the emulator cannot serve this snapshot: {why}", e.line(), e.column()))
        })?;
        out.push(doc);
    }
    if out.is_empty() {
        out.push(serde_json::from_slice(scenarios::find(scenarios::DEFAULT).unwrap().snapshot).unwrap());
    }
    Ok(out)
}

pub fn run(args: EmulateArgs) -> Result<u8, UserError> {
    if !args.listen.ip().is_loopback() {
        return Err(UserError::new(format!("--listen {}: the emulator serves loopback addresses only", args.listen)));
    }
    let lab = args.lab.as_deref().map(crate::lab::backend).transpose()?;
    let mut config = Config::new(if lab.is_some() { Vec::new() } else { snapshots(&args)? });
    config.tls = !args.http;
    config.operation_latency = Duration::from_secs_f64(args.latency.max(0.0));
    config.retry_after = args.retry_after;
    config.require_token = !args.no_token;
    config.faults = args.fault.iter().map(|f| parse_fault(f)).collect::<Result<_, _>>()?;
    config.max_connections = args.max_connections as usize;
    config.header_timeout = Duration::from_secs(args.header_timeout);
    config.idle_timeout = Duration::from_secs(args.idle_timeout);
    config.log_capacity = args.log_size as usize;
    let circuits: Vec<String> = match &lab {
        Some((_, id)) => vec![id.clone()],
        None => config.snapshots.iter().filter_map(|s| s["circuitId"].as_str().map(str::to_string)).collect(),
    };
    let rt = crate::live::runtime()?;
    rt.block_on(async move {
        let em = match lab {
            Some((backend, _)) => erdiag_emulator::start_with_backend(config, backend, args.listen).await,
            None => erdiag_emulator::start(config, args.listen).await,
        }
        .map_err(|e| UserError::new(e.to_string()))?;
        if let (Some(path), Some(pem)) = (&args.cert_out, &em.cert_pem) {
            crate::io::write_file(path, pem.as_bytes(), args.force)?;
        }
        // The base URL is the data: first line of stdout, for scripts.
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{}", em.base_url);
        let _ = out.flush();
        eprintln!("ARM emulator on {} serving:", em.base_url);
        for c in &circuits {
            eprintln!("  {c}");
        }
        let cert = args.cert_out.as_ref().map(|p| format!(" --ca-cert {}", p.display())).unwrap_or_default();
        if let Some(c) = circuits.first() {
            let parts: Vec<&str> = c.split('/').collect();
            if parts.len() > 8 {
                eprintln!(
                    "try: erdiag diagnose --arm-endpoint {}{cert} --access-token any --subscription {} -g {} -n {}",
                    em.base_url, parts[2], parts[4], parts[8]
                );
            }
        }
        eprintln!("Ctrl-C stops it.");
        // Each request is printed as it finishes; nothing is copied or polled.
        let mut finished = (!args.quiet).then(|| em.watch());
        loop {
            let next = async {
                match finished.as_mut() {
                    Some(rx) => rx.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                r = next => match r {
                    Ok(r) => {
                        let status = r.status.map_or("dropped".to_string(), |s| s.to_string());
                        eprintln!("{status} {} {}{}", r.method, r.path, if r.authorized { "" } else { " (no token)" });
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => eprintln!("({n} requests not shown)"),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => finished = None,
                },
            }
        }
        em.shutdown().await;
        Ok(0)
    })
}

/// Serves one snapshot on loopback, collects it over HTTP as a live
/// diagnosis would, and returns the collected snapshot (with the scenario's
/// user-supplied inputs carried over, and its `provenance`: the bodies
/// served are the ones it describes).
pub fn collect_through_emulator(snapshot: &[u8], latency: Duration, quiet: bool) -> Result<(serde_json::Value, String), UserError> {
    let value: serde_json::Value = serde_json::from_slice(snapshot).map_err(|e| UserError::new(format!("scenario: {e}")))?;
    let id = value["circuitId"].as_str().unwrap_or_default().to_string();
    let mut config = Config::new(vec![value.clone()]);
    config.operation_latency = latency;
    let backend = erdiag_emulator::SnapshotBackend::from_snapshots(&config.snapshots).map_err(|e| UserError::new(format!("scenario: {e}")))?;
    let (mut snapshot, summary) = collect_through_backend(config, std::sync::Arc::new(backend), &id, quiet)?;
    for carried in ["inputs", "provenance"] {
        if let Some(v) = value.get(carried) {
            snapshot[carried] = v.clone();
        }
    }
    Ok((snapshot, summary))
}

/// Serves a backend on loopback and collects circuit `id` from it over HTTP,
/// as a live diagnosis would.
pub fn collect_through_backend(mut config: Config, backend: std::sync::Arc<dyn erdiag_emulator::Backend>, id: &str, quiet: bool) -> Result<(serde_json::Value, String), UserError> {
    let parts: Vec<&str> = id.split('/').collect();
    if parts.len() < 9 {
        return Err(UserError::new(format!("scenario: circuitId {id:?} is not a circuit resource id")));
    }
    let target = erdiag_azure::Target::Circuit { subscription: parts[2].into(), resource_group: parts[4].into(), name: parts[8].into() };
    config.retry_after = 0;
    let rt = crate::live::runtime()?;
    let display = crate::live::Display::new(quiet);
    let progress: std::sync::Arc<dyn erdiag_azure::Progress> = display.clone();
    let started = std::time::Instant::now();
    let collected = rt.block_on(async {
        let em = erdiag_emulator::start_with_backend(config, backend, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await.map_err(|e| UserError::new(e.to_string()))?;
        let endpoint = url::Url::parse(&format!("{}/", em.base_url)).expect("the emulator's base URL");
        let options = erdiag_azure::ClientOptions {
            cloud: erdiag_azure::Cloud::Custom { endpoint, scope: "https://management.azure.com/.default".into() },
            max_retries: 2,
            backoff_base: Duration::from_millis(20),
            default_poll_interval: Duration::from_millis(100),
            deadline: Duration::from_secs(120),
            ..Default::default()
        };
        let client = erdiag_azure::ArmClient::new(erdiag_azure::Credential::from_token("erdiag-demo".into()), options).map_err(|e| UserError::new(e.to_string()))?;
        let r = erdiag_azure::collect(std::sync::Arc::new(client), &target, progress).await;
        em.shutdown().await;
        r.map_err(|e| UserError::new(e.to_string()))
    });
    display.done();
    let c = collected?;
    let summary = format!("collected {} calls over HTTP from the ARM emulator in {:.1}s, {} failed", c.calls, started.elapsed().as_secs_f64(), c.failed);
    Ok((c.snapshot, summary))
}
