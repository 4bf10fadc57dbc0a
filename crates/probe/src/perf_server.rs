//! `erdiag perf server`: serves one iperf3-protocol TCP test at a time (the
//! `erdiag perf client`'s stages, or `iperf3 -c`'s tests), in either
//! direction. Every connection first sends its 37-byte cookie; the cookie
//! decides whether it is a new test's control connection, a data stream of
//! the running test, or a connection to turn away. One that closes before
//! sending anything is a latency probe and is ignored.
//!
//! No client holds the server for long: a test may ask for at most
//! [`Limits::max_time`] seconds (more is refused); a test without a time
//! (iperf3's `-n`/`-k`, or `time: 0`) ends at `max_time`, or sooner when no
//! byte has moved on its streams for [`Limits::idle_timeout`].

use crate::iperf::{self, Cookie, Params, Results, COOKIE_SIZE};
use crate::pump::{payload, Pumps};
use crate::tcp::Stop;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// How long a new connection may take to send its cookie.
const COOKIE_WAIT: Duration = Duration::from_secs(5);
/// How long a control step (parameters, streams, results) may take.
const STEP_WAIT: Duration = Duration::from_secs(10);
/// The most parallel streams a test may ask for (iperf3's own limit).
pub const MAX_STREAMS: i64 = 128;

/// How long one test may hold the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest test served (its time plus omitted seconds).
    pub max_time: Duration,
    /// A test without a time ends when no byte moved for this long.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_time: Duration::from_secs(300), idle_timeout: Duration::from_secs(30) }
    }
}

/// One finished (or failed) test, as the server saw it.
#[derive(Debug, Clone)]
pub struct TestLog {
    pub peer: SocketAddr,
    pub streams: usize,
    pub reverse: bool,
    pub bytes: u64,
    pub seconds: f64,
    /// Why the test ended early, if it did.
    pub error: Option<String>,
}

impl TestLog {
    pub fn line(&self) -> String {
        if let (0, Some(e)) = (self.streams, &self.error) {
            return format!("test from {} not run: {e}", self.peer);
        }
        let dir = if self.reverse { "sent to" } else { "received from" };
        let rate = if self.seconds > 0.0 { self.bytes as f64 * 8.0 / self.seconds } else { 0.0 };
        let mut s = format!(
            "test {dir} {}: {} stream{}, {} bytes in {:.2} s, {}",
            self.peer,
            self.streams,
            if self.streams == 1 { "" } else { "s" },
            self.bytes,
            self.seconds,
            crate::render::bandwidth(rate)
        );
        if let Some(e) = &self.error {
            s.push_str(&format!(" — ended early: {e}"));
        }
        s
    }
}

enum Slot {
    Idle,
    Busy { cookie: Cookie, streams: Option<mpsc::Sender<TcpStream>> },
}

struct Shared {
    slot: Mutex<Slot>,
    limits: Limits,
    on_test: Box<dyn Fn(TestLog) + Send + Sync>,
}

/// Serves tests on `listener` until `stop`; calls `on_test` after each.
pub async fn serve(listener: TcpListener, mut stop: Stop, limits: Limits, on_test: impl Fn(TestLog) + Send + Sync + 'static) -> io::Result<()> {
    let shared = Arc::new(Shared { slot: Mutex::new(Slot::Idle), limits, on_test: Box::new(on_test) });
    loop {
        tokio::select! {
            _ = stop.stopped() => return Ok(()),
            r = listener.accept() => match r {
                Ok((sock, peer)) => { tokio::spawn(connection(sock, peer, shared.clone())); }
                // Out of file descriptors and the like: wait a little, go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
        }
    }
}

enum Role {
    Control,
    Stream(mpsc::Sender<TcpStream>),
    Deny,
}

async fn connection(mut sock: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let mut cookie = [0u8; COOKIE_SIZE];
    match tokio::time::timeout(COOKIE_WAIT, sock.read_exact(&mut cookie)).await {
        Ok(Ok(_)) => {}
        _ => return, // a latency probe, or silence: close
    }
    let role = {
        let mut slot = shared.slot.lock().unwrap_or_else(|p| p.into_inner());
        match &*slot {
            Slot::Idle => {
                *slot = Slot::Busy { cookie, streams: None };
                Role::Control
            }
            Slot::Busy { cookie: c, streams: Some(tx) } if *c == cookie => Role::Stream(tx.clone()),
            Slot::Busy { .. } => Role::Deny,
        }
    };
    match role {
        Role::Control => {
            let log = run_test(sock, peer, &shared).await;
            *shared.slot.lock().unwrap_or_else(|p| p.into_inner()) = Slot::Idle;
            if let Some(log) = log {
                (shared.on_test)(log);
            }
        }
        Role::Stream(tx) => {
            let _ = tx.send(sock).await;
        }
        Role::Deny => {
            let _ = iperf::write_state(&mut sock, iperf::ACCESS_DENIED).await;
        }
    }
}

async fn refuse(ctrl: &mut TcpStream, ie: i32) {
    use tokio::io::AsyncWriteExt;
    let mut msg = vec![iperf::SERVER_ERROR as u8];
    msg.extend_from_slice(&ie.to_be_bytes());
    msg.extend_from_slice(&0i32.to_be_bytes());
    let _ = ctrl.write_all(&msg).await;
}

/// Returns once no byte has moved on the streams for `idle` (never when `None`).
async fn stalled(pumps: &Pumps, idle: Option<Duration>) {
    let Some(idle) = idle else { return std::future::pending().await };
    let tick = (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let (mut last, mut since) = (u64::MAX, Instant::now());
    loop {
        let now: u64 = pumps.bytes().iter().sum();
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() >= idle {
            return;
        }
        tokio::time::sleep(tick).await;
    }
}

/// Why a step of a test failed; its text goes into the test's log line.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("{what}: {source}")]
    Io { what: &'static str, source: io::Error },
    #[error("{what}: no answer within {secs} s")]
    Timeout { what: &'static str, secs: u64 },
}

async fn step<T>(what: &'static str, f: impl std::future::Future<Output = io::Result<T>>) -> Result<T, StepError> {
    match tokio::time::timeout(STEP_WAIT, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(source)) => Err(StepError::Io { what, source }),
        Err(_) => Err(StepError::Timeout { what, secs: STEP_WAIT.as_secs() }),
    }
}

/// Runs one test on its control connection. `None` when the client went
/// away before the test started (nothing worth a log line).
async fn run_test(mut ctrl: TcpStream, peer: SocketAddr, shared: &Shared) -> Option<TestLog> {
    let mut log = TestLog { peer, streams: 0, reverse: false, bytes: 0, seconds: 0.0, error: None };
    let fail = |mut log: TestLog, e: String| {
        log.error = Some(e);
        Some(log)
    };
    iperf::write_state(&mut ctrl, iperf::PARAM_EXCHANGE).await.ok()?;
    let params: Params = match step("reading the parameters", iperf::read_json(&mut ctrl)).await {
        Ok(p) => p,
        Err(e) => return fail(log, e.to_string()),
    };
    log.reverse = params.reverse.unwrap_or(false);
    let max_time = shared.limits.max_time;
    let asked = (params.time > 0).then(|| Duration::from_secs(params.time.saturating_add(params.omit.max(0)) as u64));
    let too_long = format!("the test asks for more than this server's --max-time of {} s", max_time.as_secs());
    let unsupported = if asked.is_some_and(|a| a > max_time) {
        Some(too_long.as_str())
    } else if params.udp == Some(true) || params.sctp == Some(true) {
        Some("only TCP tests are served")
    } else if params.bidirectional == Some(true) {
        Some("bidirectional tests are not served")
    } else if !(1..=MAX_STREAMS).contains(&params.parallel.max(1)) {
        Some("too many parallel streams")
    } else {
        None
    };
    if let Some(why) = unsupported {
        refuse(&mut ctrl, iperf::IE_UNIMPLEMENTED).await;
        return fail(log, why.to_string());
    }
    let n = params.parallel.max(1) as usize;
    log.streams = n;
    let block = payload(if params.len > 0 { params.len.min(16 << 20) as usize } else { 128 * 1024 });

    // Data connections arrive on the same port with the same cookie.
    let (tx, mut rx) = mpsc::channel(n);
    if let Slot::Busy { streams, .. } = &mut *shared.slot.lock().unwrap_or_else(|p| p.into_inner()) {
        *streams = Some(tx);
    }
    if iperf::write_state(&mut ctrl, iperf::CREATE_STREAMS).await.is_err() {
        return None;
    }
    let mut streams = Vec::with_capacity(n);
    let deadline = tokio::time::Instant::now() + STEP_WAIT;
    while streams.len() < n {
        tokio::select! {
            s = rx.recv() => match s { Some(s) => streams.push(s), None => break },
            st = iperf::read_state(&mut ctrl) => {
                let e = match st { Ok(s) => format!("the client sent {} while the streams were being created", iperf::state_name(s)), Err(e) => format!("the control connection closed: {e}") };
                return fail(log, e);
            }
            _ = tokio::time::sleep_until(deadline) => return fail(log, format!("{} of {n} streams connected within {} s", streams.len(), STEP_WAIT.as_secs())),
        }
    }
    if let Slot::Busy { streams, .. } = &mut *shared.slot.lock().unwrap_or_else(|p| p.into_inner()) {
        *streams = None; // later connections with the cookie are turned away
    }
    drop(rx);
    for s in &streams {
        let _ = s.set_nodelay(false);
    }

    if iperf::write_state(&mut ctrl, iperf::TEST_START).await.is_err() || iperf::write_state(&mut ctrl, iperf::TEST_RUNNING).await.is_err() {
        return fail(log, "the control connection closed".into());
    }
    let started = Instant::now();
    let pumps = Pumps::start(streams, log.reverse, block, false);
    // Like iperf3: give up when the client has been silent well past the
    // test's time. A test without a time gets --max-time, and ends sooner
    // when nothing moves.
    let (limit, idle) = match asked {
        Some(a) => (a + Duration::from_secs(5), None),
        None => (max_time, Some(shared.limits.idle_timeout)),
    };
    let state = tokio::select! {
        s = iperf::read_state(&mut ctrl) => s,
        _ = tokio::time::sleep(limit) => Err(io::Error::new(io::ErrorKind::TimedOut, format!("the test went past {} s", limit.as_secs()))),
        _ = stalled(&pumps, idle) => Err(io::Error::new(io::ErrorKind::TimedOut, "no data moved on the streams")),
    };
    let seconds = started.elapsed().as_secs_f64();
    let (bytes, streams) = pumps.finish().await;
    drop(streams); // like iperf3: the data connections close at TEST_END
    log.bytes = bytes.iter().sum();
    log.seconds = seconds;
    match state {
        Ok(iperf::TEST_END) => {}
        Ok(iperf::CLIENT_TERMINATE) => return fail(log, "the client interrupted the test".into()),
        Ok(s) => return fail(log, format!("the client sent {} during the test", iperf::state_name(s))),
        Err(e) => return fail(log, format!("the control connection: {e}")),
    }
    let ours = Results::of_streams(&bytes, seconds, log.reverse);
    let exchange = async {
        iperf::write_state(&mut ctrl, iperf::EXCHANGE_RESULTS).await?;
        let _theirs: Results = iperf::read_json(&mut ctrl).await?;
        iperf::write_json(&mut ctrl, &ours).await?;
        iperf::write_state(&mut ctrl, iperf::DISPLAY_RESULTS).await?;
        // IPERF_DONE, or the client simply closing, ends the test.
        let _ = iperf::read_state(&mut ctrl).await;
        Ok(())
    };
    if let Err(e) = step("exchanging results", exchange).await {
        return fail(log, e.to_string());
    }
    Some(log)
}
