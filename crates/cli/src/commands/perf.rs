//! `erdiag perf server` and `erdiag perf client`: the link-performance test
//! (`erdiag_probe::perf_server`, `erdiag_probe::perf_client`). The client
//! exits 0 when every stage ran, 1 when one failed or Ctrl-C interrupted the
//! run; the server runs until Ctrl-C and exits 0.

use crate::flags::ListFormat;
use crate::flags::probe::{PerfArgs, PerfClientArgs, PerfCommand, PerfServerArgs};
use erdiag_pipeline::{Error, ErrorKind};
use erdiag_probe::{perf_client, perf_server, render, PerfConfig, Stop};

pub fn run(args: PerfArgs) -> Result<u8, Error> {
    match args.command {
        // The server may face several clients' streams: two workers.
        PerfCommand::Server(a) => super::runtime(2)?.block_on(serve(a)),
        // The client's streams on one thread, as iperf3's own client does:
        // on a loopback or a fast link the CPU is the limit, and a second
        // sending thread would only compete with the receiver. The latency
        // probes have a thread of their own.
        PerfCommand::Client(a) => super::runtime(1)?.block_on(client(a)),
    }
}

async fn serve(a: PerfServerArgs) -> Result<u8, Error> {
    let addr = std::net::SocketAddr::new(a.bind, a.port);
    let cannot = |e: std::io::Error| Error::system(format!("cannot listen on {addr}: {e}")).caused_by(e);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(cannot)?;
    let local = listener.local_addr().map_err(cannot)?;
    // The address is the data: the first line of stdout, for scripts.
    super::print_stdout(&format!("{local}\n"));
    if !a.quiet.quiet {
        eprintln!("erdiag perf server listening on {local} (iperf3 protocol, TCP); Ctrl-C stops it.");
    }
    let (handle, stop) = Stop::new();
    super::on_interrupt(handle)?;
    let quiet = a.quiet.quiet;
    let limits = perf_server::Limits { max_time: a.max_time, idle_timeout: a.idle_timeout };
    perf_server::serve(listener, stop, limits, move |log| {
        if !quiet {
            eprintln!("{}", log.line());
        }
    })
    .await
    .map_err(|e| Error::system(format!("the server stopped: {e}")).caused_by(e))?;
    Ok(0)
}

async fn client(a: PerfClientArgs) -> Result<u8, Error> {
    if a.streams.is_empty() {
        return Err(Error::usage("--streams needs at least one stage"));
    }
    if a.host.trim().is_empty() {
        return Err(Error::usage("no server: give its name or address"));
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
    super::on_interrupt(handle)?;
    let total = cfg.stages.len();
    let mut index = 0;
    if !a.quiet.quiet {
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
        if !a.quiet.quiet {
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
            return Err(Error::new(ErrorKind::System, e));
        }
    }
    match a.output.output {
        ListFormat::Json => {
            super::print_stdout(&crate::terminal::json(&report));
        }
        ListFormat::Table => super::print_stdout(&render::perf_table(&report, a.detailed)),
    }
    Ok(if completed == total && !report.interrupted { 0 } else { 1 })
}
