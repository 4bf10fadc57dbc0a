//! Probes for the guide's connectivity tests, built in (`erdiag-probe`).
//!
//! - `erdiag probe tcp HOST:PORT`: a TCP connect prober like PsPing, the tool
//!   the guide's "Test private peering connectivity" asks to keep running
//!   while the portal counts packets on the MSEEs. Its JSON is the
//!   `erdiag-probe/1` document ([`ProbeReport`], read back with
//!   [`ProbeReport::from_json`]).
//! - `erdiag perf server` / `erdiag perf client HOST`: a link-performance test
//!   like AzureCT's Get-LinkPerformance — throughput with 0, 1, 6, 16 and 32
//!   parallel TCP streams and TCP-connect latency and loss under each load —
//!   over the iperf3 3.x control protocol, so the client also runs against
//!   any `iperf3 -s` and `iperf3 -c` against the server.
//!
//! Layout: `iperf` is the control protocol (framing and messages, no
//! sockets of its own), `tcp` the prober, `pump` the data streams,
//! `perf_client` and `perf_server` the two ends of a test, `stats` the
//! percentiles and histogram, `report` the JSON document, `render` the text.
//! [`run_probe`] and [`run_perf`] are the commands: they own the runtime,
//! Ctrl-C and what goes to stdout and stderr, and return an exit code (or an
//! error message, for exit code 2). Nothing here listens anywhere but where
//! the user says, and nothing sends anywhere but to the host the user names.

mod args;
pub mod iperf;
pub mod perf_client;
pub mod perf_server;
mod pump;
pub mod render;
mod report;
mod stats;
pub mod tcp;
mod time;

pub use args::{
    parse_duration, OutputFormat, PerfArgs, PerfClientArgs, PerfCommand, PerfServerArgs, ProbeArgs, ProbeCommand, TcpArgs,
};
pub use perf_client::{PerfConfig, PerfReport, StageResult, PERF_FORMAT};
pub use report::{Outcome, ProbeFormatError, ProbeReport, Sample, PROBE_FORMAT};
pub use stats::{Bucket, ByResult, Summary};
pub use tcp::{ProbeConfig, Stop, StopHandle, Target};

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// `erdiag probe …`. Exit code 0 when every attempt connected, 1 when some
/// did not (or none was made); `Err` is a message for exit code 2.
pub fn run_probe(args: ProbeArgs) -> Result<u8, String> {
    let ProbeCommand::Tcp(a) = args.command;
    let target = Target::parse(&a.target)?;
    let cfg = ProbeConfig {
        target,
        source: a.source,
        count: a.count,
        duration: a.duration,
        interval: a.interval,
        timeout: a.timeout,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let json = a.output == OutputFormat::Json;
    let lines_to_stderr = json;
    let show_lines = !(json && a.quiet);
    let emit = move |text: &str| {
        if !show_lines {
            return;
        }
        // A closed pipe (`| head`) is not an error; the run goes on.
        if lines_to_stderr {
            let _ = std::io::stderr().write_all(text.as_bytes());
        } else {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
        }
    };
    rt.block_on(async {
        let (handle, stop) = Stop::new();
        let interrupted = on_interrupt(handle)?;
        emit(&render::probe_header(
            &cfg.target.to_string(),
            cfg.source.map(|s| s.to_string()).as_deref(),
            &tcp::fmt_duration(cfg.interval),
            &tcp::fmt_duration(cfg.timeout),
        ));
        let report = tcp::run(&cfg, stop, |s| emit(&render::sample_line(s))).await;
        let was_interrupted = interrupted.load(Ordering::SeqCst);
        if json {
            if show_lines {
                let _ = std::io::stderr().write_all(render::probe_summary(&report, was_interrupted).as_bytes());
            }
            print_stdout(&report.to_json());
        } else {
            print_stdout(&render::probe_summary(&report, was_interrupted));
        }
        Ok(if report.summary.sent > 0 && report.summary.lost == 0 { 0 } else { 1 })
    })
}

/// `erdiag perf server` and `erdiag perf client`. The client exits 0 when
/// every stage ran, 1 when one failed or Ctrl-C interrupted the run; the
/// server runs until Ctrl-C and exits 0. `Err` is a message for exit code 2.
pub fn run_perf(args: PerfArgs) -> Result<u8, String> {
    let runtime = |threads: usize| {
        let mut b = if threads > 1 { tokio::runtime::Builder::new_multi_thread() } else { tokio::runtime::Builder::new_current_thread() };
        if threads > 1 {
            b.worker_threads(threads);
        }
        b.enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))
    };
    match args.command {
        // The server may face several clients' streams: two workers.
        PerfCommand::Server(a) => runtime(2)?.block_on(serve(a)),
        // The client's streams on one thread, as iperf3's own client does:
        // on a loopback or a fast link the CPU is the limit, and a second
        // sending thread would only compete with the receiver. The latency
        // probes have a thread of their own.
        PerfCommand::Client(a) => runtime(1)?.block_on(client(a)),
    }
}

async fn serve(a: PerfServerArgs) -> Result<u8, String> {
    let addr = std::net::SocketAddr::new(a.bind, a.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    // The address is the data: the first line of stdout, for scripts.
    print_stdout(&format!("{local}\n"));
    if !a.quiet {
        eprintln!("erdiag perf server listening on {local} (iperf3 protocol, TCP); Ctrl-C stops it.");
    }
    let (handle, stop) = Stop::new();
    on_interrupt(handle)?;
    let quiet = a.quiet;
    let limits = perf_server::Limits { max_time: a.max_time, idle_timeout: a.idle_timeout };
    perf_server::serve(listener, stop, limits, move |log| {
        if !quiet {
            eprintln!("{}", log.line());
        }
    })
    .await
    .map_err(|e| format!("the server stopped: {e}"))?;
    Ok(0)
}

async fn client(a: PerfClientArgs) -> Result<u8, String> {
    if a.streams.is_empty() {
        return Err("--streams needs at least one stage".into());
    }
    if a.host.trim().is_empty() {
        return Err("no server: give its name or address".into());
    }
    let cfg = PerfConfig {
        host: a.host.trim().trim_start_matches('[').trim_end_matches(']').to_string(),
        port: a.port,
        latency_port: a.latency_port,
        stages: a.streams.clone(),
        stage_duration: std::time::Duration::from_secs_f64(a.stage_seconds),
        latency_interval: a.latency_interval,
        latency_timeout: a.latency_timeout,
        source: a.source,
        block_size: a.block_size as usize,
        reverse: a.reverse,
    };
    let (handle, stop) = Stop::new();
    on_interrupt(handle)?;
    let total = cfg.stages.len();
    let mut index = 0;
    if !a.quiet {
        eprintln!(
            "{} stages of {} s against {}:{} ({})",
            total,
            a.stage_seconds,
            cfg.host,
            cfg.port,
            if cfg.reverse { "server to client" } else { "client to server" }
        );
    }
    let report = perf_client::run(&cfg, stop, |st| {
        index += 1;
        if !a.quiet {
            let bw = st.bits_per_second.map(render::bandwidth).unwrap_or_else(|| "N/A".into());
            let p50 = st.latency.median_ms.map(|v| format!("{v:.3} ms")).unwrap_or_else(|| "-".into());
            match &st.error {
                None => eprintln!("  [{index}/{total}] {}: {bw}, loss {}%, P50 {p50}", st.name, st.latency.loss_percent),
                Some(e) => eprintln!("  [{index}/{total}] {}: failed: {e}", st.name),
            }
        }
    })
    .await;
    let completed = report.stages.iter().filter(|s| s.error.is_none()).count();
    if completed == 0 && !report.interrupted {
        if let Some(e) = report.stages.first().and_then(|s| s.error.clone()) {
            return Err(e);
        }
    }
    match a.output {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            s.push('\n');
            print_stdout(&s);
        }
        OutputFormat::Table => print_stdout(&render::perf_table(&report, a.detailed)),
    }
    Ok(if completed == total && !report.interrupted { 0 } else { 1 })
}

fn print_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Stops `handle` on Ctrl-C (SIGINT), and says whether that happened. The
/// handler is in place when this returns, before any traffic starts.
fn on_interrupt(handle: StopHandle) -> Result<Arc<AtomicBool>, String> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    #[cfg(unix)]
    {
        let mut sig = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
        tokio::spawn(async move {
            if sig.recv().await.is_some() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    #[cfg(not(unix))]
    {
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    Ok(flag)
}
