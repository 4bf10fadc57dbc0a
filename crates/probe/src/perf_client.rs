//! `erdiag perf client`: the link-performance test. Each stage is one iperf3
//! protocol test with N parallel TCP streams (N = 0, "No load", opens one
//! stream and sends nothing) while a TCP connect prober, on its own thread so
//! the senders cannot delay it, measures latency and loss to the server.

use crate::iperf::{self, Params, Results};
use crate::pump::{payload, Pumps};
use crate::report::Sample;
use crate::stats::Summary;
use crate::tcp::{self, ProbeConfig, Stop, StopHandle, Target};
use serde::{Deserialize, Serialize};
use std::io;
use std::net::IpAddr;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// The `format` of a perf document.
pub const PERF_FORMAT: &str = "erdiag-perf/1";

const STEP_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct PerfConfig {
    pub host: String,
    pub port: u16,
    /// Where the latency probes connect; the server's port by default.
    pub latency_port: Option<u16>,
    /// Parallel streams of each stage, in order.
    pub stages: Vec<u16>,
    pub stage_duration: Duration,
    pub latency_interval: Duration,
    pub latency_timeout: Duration,
    pub source: Option<IpAddr>,
    pub block_size: usize,
    /// The server sends, the client receives (iperf3's -R).
    pub reverse: bool,
}

/// The whole run (`erdiag perf client -o json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerfReport {
    pub format: String,
    /// `HOST:PORT` of the throughput server.
    pub server: String,
    /// `HOST:PORT` the latency probes connected to.
    pub latency_target: String,
    pub source: Option<String>,
    pub started_at: String,
    pub stage_seconds: f64,
    /// `upload` (client to server) or `download` (`--reverse`).
    pub direction: String,
    pub stages: Vec<StageResult>,
    /// Ctrl-C ended the run before its last stage.
    pub interrupted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageResult {
    /// "No load", "1 Session", "6 Sessions"… as Get-LinkPerformance names them.
    pub name: String,
    pub streams: u16,
    /// Throughput measured by the receiving side, in bits per second; `None`
    /// for the no-load stage or when the stage failed.
    pub bits_per_second: Option<f64>,
    /// Bytes the receiving side counted.
    pub bytes: u64,
    /// How long the receiving side measured, in seconds.
    pub seconds: f64,
    /// TCP connect latency and loss during the stage.
    pub latency: Summary,
    /// Why the stage did not complete.
    pub error: Option<String>,
}

pub fn stage_name(streams: u16) -> String {
    match streams {
        0 => "No load".to_string(),
        1 => "1 Session".to_string(),
        n => format!("{n} Sessions"),
    }
}

/// Runs every stage in order; `on_stage` is called after each. A stage that
/// fails ends the run (its result carries the error); `stop` (Ctrl-C)
/// interrupts the current stage, tells the server, and ends the run.
pub async fn run(cfg: &PerfConfig, stop: Stop, mut on_stage: impl FnMut(&StageResult)) -> PerfReport {
    let server = Target { host: cfg.host.clone(), port: cfg.port };
    let latency_target = Target { host: cfg.host.clone(), port: cfg.latency_port.unwrap_or(cfg.port) };
    let mut report = PerfReport {
        format: PERF_FORMAT.to_string(),
        server: server.to_string(),
        latency_target: latency_target.to_string(),
        source: cfg.source.map(|s| s.to_string()),
        started_at: erdiag_model::time::now_rfc3339_millis(),
        stage_seconds: cfg.stage_duration.as_secs_f64(),
        direction: if cfg.reverse { "download" } else { "upload" }.to_string(),
        stages: Vec::new(),
        interrupted: false,
    };
    for &n in &cfg.stages {
        if stop.is_stopped() {
            report.interrupted = true;
            break;
        }
        let retry = !report.stages.is_empty();
        let result = run_stage(cfg, &server, &latency_target, n, retry, stop.clone()).await;
        on_stage(&result);
        let failed = result.error.is_some();
        report.stages.push(result);
        if stop.is_stopped() {
            report.interrupted = true;
            break;
        }
        if failed {
            break;
        }
    }
    report
}

/// The latency prober of a stage, on its own thread and runtime.
struct Prober {
    handle: StopHandle,
    done: tokio::sync::oneshot::Receiver<Vec<Sample>>,
}

impl Prober {
    fn start(target: &Target, cfg: &PerfConfig) -> io::Result<Prober> {
        let (handle, stop) = Stop::new();
        let (tx, done) = tokio::sync::oneshot::channel();
        let pcfg = ProbeConfig {
            target: target.clone(),
            source: cfg.source,
            count: None,
            duration: None,
            interval: cfg.latency_interval,
            timeout: cfg.latency_timeout,
        };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::Builder::new().name("erdiag-latency".into()).spawn(move || {
            let report = rt.block_on(tcp::run_to_completion(&pcfg, stop));
            let _ = tx.send(report.samples);
        })?;
        Ok(Prober { handle, done })
    }

    /// Stops after the attempt in flight and returns every sample.
    async fn finish(self) -> Vec<Sample> {
        self.handle.stop();
        self.done.await.unwrap_or_default()
    }
}

async fn connect(target: &Target, source: Option<IpAddr>) -> io::Result<TcpStream> {
    let addr = tcp::resolve(target, source, STEP_WAIT).await.map_err(io::Error::other)?;
    let sock = tcp::socket_for(addr, source)?;
    match tokio::time::timeout(STEP_WAIT, sock.connect(addr)).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, format!("no answer from {addr} within {} s", STEP_WAIT.as_secs()))),
    }
}

/// Why a stage did not complete; its text is the stage's `error` in the
/// erdiag-perf/1 document.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// A socket operation failed while doing what `doing` says.
    #[error("{doing}: {source}")]
    Io { doing: String, source: io::Error },
    /// The server answered, but not with what the protocol expects next.
    #[error("{0}")]
    Server(String),
    #[error("{0}")]
    Timeout(String),
    /// Stopped (Ctrl-C) before the stage ended.
    #[error("interrupted")]
    Interrupted,
}

impl StageError {
    fn io(doing: impl Into<String>, source: io::Error) -> StageError {
        StageError::Io { doing: doing.into(), source }
    }
}

/// Connects, sends the cookie and waits for PARAM_EXCHANGE. The error says
/// whether trying again may help (refused, reset, busy).
async fn open_control(server: &Target, source: Option<IpAddr>, cookie: &iperf::Cookie) -> Result<TcpStream, (bool, StageError)> {
    let transient = |e: &io::Error| {
        matches!(e.kind(), io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe)
    };
    let mut ctrl = connect(server, source).await.map_err(|e| (transient(&e), StageError::io(format!("cannot connect to {server}"), e)))?;
    let _ = ctrl.set_nodelay(true);
    ctrl.write_all(cookie).await.map_err(|e| (transient(&e), StageError::io("the control connection", e)))?;
    match tokio::time::timeout(STEP_WAIT, iperf::read_state(&mut ctrl)).await {
        Ok(Ok(iperf::PARAM_EXCHANGE)) => Ok(ctrl),
        Ok(Ok(iperf::ACCESS_DENIED)) => Err((true, StageError::Server("the server is busy running another test (ACCESS_DENIED)".into()))),
        Ok(Ok(other)) => {
            let mut c = ctrl;
            Err((false, StageError::Server(unexpected(&mut c, other, iperf::PARAM_EXCHANGE).await)))
        }
        Ok(Err(e)) => Err((transient(&e), StageError::io("the server closed the control connection", e))),
        Err(_) => Err((false, StageError::Timeout(format!("the server did not answer within {} s", STEP_WAIT.as_secs())))),
    }
}

async fn expect(ctrl: &mut TcpStream, want: i8) -> Result<(), StageError> {
    let got = match tokio::time::timeout(STEP_WAIT, iperf::read_state(ctrl)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(StageError::Server("the server closed the control connection".into())),
        Ok(Err(e)) => return Err(StageError::io("the control connection", e)),
        Err(_) => return Err(StageError::Timeout(format!("the server did not send {} within {} s", iperf::state_name(want), STEP_WAIT.as_secs()))),
    };
    if got == want {
        return Ok(());
    }
    Err(StageError::Server(unexpected(ctrl, got, want).await))
}

async fn unexpected(ctrl: &mut TcpStream, got: i8, want: i8) -> String {
    match got {
        iperf::ACCESS_DENIED => "the server is busy running another test (ACCESS_DENIED)".to_string(),
        iperf::SERVER_ERROR => match iperf::read_server_error(ctrl).await {
            Ok((ie, errno)) => format!("the server refused the test (iperf3 error {ie}, errno {errno})"),
            Err(_) => "the server refused the test".to_string(),
        },
        iperf::SERVER_TERMINATE => "the server ended the test (SERVER_TERMINATE)".to_string(),
        s => format!("the server sent {} ({s}) where {} was expected", iperf::state_name(s), iperf::state_name(want)),
    }
}

async fn run_stage(cfg: &PerfConfig, server: &Target, latency: &Target, n: u16, retry: bool, stop: Stop) -> StageResult {
    let mut result = StageResult {
        name: stage_name(n),
        streams: n,
        bits_per_second: None,
        bytes: 0,
        seconds: 0.0,
        latency: Summary::of(&[]),
        error: None,
    };
    let mut samples = Vec::new();
    if let Err(e) = stage(cfg, server, latency, n, retry, stop, &mut result, &mut samples).await {
        result.error = Some(e.to_string());
        result.bits_per_second = None;
    }
    result.latency = Summary::of(&samples);
    result
}

#[allow(clippy::too_many_arguments)]
async fn stage(
    cfg: &PerfConfig,
    server: &Target,
    latency: &Target,
    n: u16,
    retry: bool,
    mut stop: Stop,
    result: &mut StageResult,
    samples: &mut Vec<Sample>,
) -> Result<(), StageError> {
    let cookie = iperf::make_cookie();
    // iperf3 -s closes and reopens its port between tests, and a server may
    // still be finishing the previous test: retry a refused, reset or
    // turned-away control connection, for a second before the first stage
    // (a server that is not there fails fast) and five after.
    let deadline = Instant::now() + if retry { Duration::from_secs(5) } else { Duration::from_secs(1) };
    let mut ctrl = loop {
        match open_control(server, cfg.source, &cookie).await {
            Ok(c) => break c,
            Err((true, _)) if Instant::now() < deadline && !stop.is_stopped() => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err((_, e)) => return Err(e),
        }
    };
    let params = Params {
        tcp: Some(true),
        omit: 0,
        time: cfg.stage_duration.as_secs_f64().ceil().max(1.0) as i64,
        parallel: i64::from(n.max(1)),
        // The no-load stage is the same either way: one idle stream.
        reverse: (cfg.reverse && n > 0).then_some(true),
        len: cfg.block_size as i64,
        ..Default::default()
    };
    iperf::write_json(&mut ctrl, &params).await.map_err(|e| StageError::io("sending the parameters", e))?;
    expect(&mut ctrl, iperf::CREATE_STREAMS).await?;
    let mut streams = Vec::with_capacity(usize::from(n.max(1)));
    for i in 0..n.max(1) {
        let mut s = connect(server, cfg.source).await.map_err(|e| StageError::io(format!("cannot open stream {}", i + 1), e))?;
        s.write_all(&cookie).await.map_err(|e| StageError::io(format!("stream {}", i + 1), e))?;
        streams.push(s);
    }
    expect(&mut ctrl, iperf::TEST_START).await?;
    expect(&mut ctrl, iperf::TEST_RUNNING).await?;

    let started = Instant::now();
    let reverse = cfg.reverse && n > 0;
    let pumps = Pumps::start(streams, !reverse, payload(cfg.block_size), n == 0);
    let prober = Prober::start(latency, cfg).map_err(|e| StageError::io("cannot start the latency probe", e))?;
    // Wait out the stage, watching the control connection for a server that gives up.
    let interrupted = tokio::select! {
        _ = tokio::time::sleep(cfg.stage_duration) => false,
        _ = stop.stopped() => true,
        st = iperf::read_state(&mut ctrl) => {
            samples.extend(prober.finish().await);
            pumps.finish().await;
            return Err(StageError::Server(match st {
                Ok(iperf::SERVER_TERMINATE) => "the server ended the test (SERVER_TERMINATE)".into(),
                Ok(s) => format!("the server sent {} during the test", iperf::state_name(s)),
                Err(_) => "the server closed the control connection during the test".into(),
            }));
        }
    };
    samples.extend(prober.finish().await);
    // Probes whose handshake just completed reach the server's accept queue a
    // moment later; let it turn them away while the test still runs.
    tokio::time::sleep(Duration::from_millis(20)).await;
    if interrupted {
        let _ = iperf::write_state(&mut ctrl, iperf::CLIENT_TERMINATE).await;
        pumps.finish().await;
        return Err(StageError::Interrupted);
    }
    // A sender stops before TEST_END; a receiver goes on draining until the
    // results are asked for, so the server never blocks on a full pipe.
    let seconds = started.elapsed().as_secs_f64();
    let (ours, received_here, streams) = if reverse {
        let at_end = pumps.bytes();
        iperf::write_state(&mut ctrl, iperf::TEST_END).await.map_err(|e| StageError::io("ending the test", e))?;
        let asked = expect(&mut ctrl, iperf::EXCHANGE_RESULTS).await;
        let (all, streams) = pumps.finish().await;
        asked?;
        (Results::of_streams(&all, seconds, false), Some(at_end), streams)
    } else {
        let (sent, streams) = pumps.finish().await;
        iperf::write_state(&mut ctrl, iperf::TEST_END).await.map_err(|e| StageError::io("ending the test", e))?;
        expect(&mut ctrl, iperf::EXCHANGE_RESULTS).await?;
        (Results::of_streams(&sent, seconds, true), None, streams)
    };
    iperf::write_json(&mut ctrl, &ours).await.map_err(|e| StageError::io("sending the results", e))?;
    let theirs: Results = match tokio::time::timeout(STEP_WAIT, iperf::read_json(&mut ctrl)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(StageError::io("reading the server's results", e)),
        Err(_) => return Err(StageError::Timeout("the server sent no results".into())),
    };
    expect(&mut ctrl, iperf::DISPLAY_RESULTS).await?;
    let _ = iperf::write_state(&mut ctrl, iperf::IPERF_DONE).await;
    drop(streams);

    // Throughput as the receiving side measured it, like iperf3's "receiver" line.
    let (bytes, secs) = match received_here {
        Some(at_end) => (at_end.iter().sum::<u64>(), seconds),
        None if theirs.seconds() > 0.0 => (theirs.total_bytes(), theirs.seconds()),
        None => (theirs.total_bytes(), seconds),
    };
    result.bytes = bytes;
    result.seconds = crate::stats::round(secs, 6);
    if n > 0 && secs > 0.0 {
        result.bits_per_second = Some((bytes as f64 * 8.0 / secs).round());
    }
    Ok(())
}
