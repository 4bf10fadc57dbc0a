//! The TCP connect prober: one attempt ([`connect_once`]) and a run of them
//! at a fixed cadence ([`run`]) until a count, a duration or a stop request.
//! Every failure is a sample with its [`Outcome`], never an error of the run.

use crate::report::{Outcome, ProbeReport, Sample};
use erdiag_model::time::now_rfc3339_millis;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;
use tokio::sync::watch;

/// `HOST:PORT` as the user wrote it, host unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

/// Why a `HOST:PORT` cannot be probed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("`{0}`: port 0 cannot be probed")]
    PortZero(String),
    #[error("`{0}` has no port: write HOST:PORT, for example 10.17.1.4:3389")]
    NoPort(String),
    #[error("`{0}`: write an IPv6 address in brackets, [ADDRESS]:PORT")]
    UnbracketedIpv6(String),
    #[error("`{0}` has no host")]
    NoHost(String),
    #[error("`{target}`: `{port}` is not a port number (1-65535)")]
    BadPort { target: String, port: String },
}

impl Target {
    /// `host:port`, `1.2.3.4:port` or `[v6]:port`.
    pub fn parse(s: &str) -> Result<Target, TargetError> {
        let s = s.trim();
        if let Ok(sa) = s.parse::<SocketAddr>() {
            if sa.port() == 0 {
                return Err(TargetError::PortZero(s.into()));
            }
            return Ok(Target { host: sa.ip().to_string(), port: sa.port() });
        }
        let Some((host, port)) = s.rsplit_once(':') else {
            return Err(TargetError::NoPort(s.into()));
        };
        if host.contains(':') {
            return Err(TargetError::UnbracketedIpv6(s.into()));
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(TargetError::NoHost(s.into()));
        }
        let port: u16 = port.parse().map_err(|_| TargetError::BadPort { target: s.into(), port: port.into() })?;
        if port == 0 {
            return Err(TargetError::PortZero(s.into()));
        }
        Ok(Target { host: host.to_string(), port })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Asks a running [`run`] (or a perf test) to stop; cheap to clone.
#[derive(Clone, Debug)]
pub struct Stop(watch::Receiver<bool>);

/// The other end of [`Stop`].
#[derive(Debug)]
pub struct StopHandle(watch::Sender<bool>);

impl Stop {
    pub fn new() -> (StopHandle, Stop) {
        let (tx, rx) = watch::channel(false);
        (StopHandle(tx), Stop(rx))
    }
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }
    /// Resolves once stop was requested; never if the handle is dropped
    /// without asking.
    pub async fn stopped(&mut self) {
        if self.0.wait_for(|v| *v).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl StopHandle {
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
    pub fn subscribe(&self) -> Stop {
        Stop(self.0.subscribe())
    }
}

/// The result of one attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub outcome: Outcome,
    pub latency: Option<Duration>,
    pub error: Option<String>,
    pub address: Option<SocketAddr>,
}

impl Attempt {
    fn failed(outcome: Outcome, error: String, address: Option<SocketAddr>) -> Attempt {
        Attempt { outcome, latency: None, error: Some(error), address }
    }
}

/// Why a host name did not resolve.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("cannot resolve {host}: {source}")]
    Lookup { host: String, source: io::Error },
    #[error("cannot resolve {host}: no answer within {after}")]
    Timeout { host: String, after: String },
    #[error("cannot resolve {host}: no address")]
    NoAddress { host: String },
}

/// Resolves the target (IP literals without a lookup): an address of the
/// source's family, else IPv4 first (most private peerings are IPv4).
pub async fn resolve(target: &Target, source: Option<IpAddr>, timeout: Duration) -> Result<SocketAddr, ResolveError> {
    if let Ok(ip) = target.host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, target.port));
    }
    let host = || target.host.clone();
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(a)) => a.collect(),
        Ok(Err(source)) => return Err(ResolveError::Lookup { host: host(), source }),
        Err(_) => return Err(ResolveError::Timeout { host: host(), after: fmt_duration(timeout) }),
    };
    let v4 = source.is_none_or(|s| s.is_ipv4());
    let pick = addrs.iter().find(|a| a.is_ipv4() == v4).or(addrs.first());
    pick.copied().ok_or_else(|| ResolveError::NoAddress { host: host() })
}

/// Opens a TCP socket, bound to `source` when given.
pub fn socket_for(addr: SocketAddr, source: Option<IpAddr>) -> io::Result<TcpSocket> {
    let sock = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    if let Some(src) = source {
        if src.is_ipv4() != addr.is_ipv4() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("source {src} and target {} are not of the same IP version", addr.ip()),
            ));
        }
        sock.bind(SocketAddr::new(src, 0))
            .map_err(|e| io::Error::new(e.kind(), format!("cannot use source {src}: {e}")))?;
    }
    Ok(sock)
}

/// One attempt: resolve, then time the TCP handshake, then close.
pub async fn connect_once(target: &Target, source: Option<IpAddr>, timeout: Duration) -> Attempt {
    let addr = match resolve(target, source, timeout).await {
        Ok(a) => a,
        Err(e) => return Attempt::failed(Outcome::Dns, e.to_string(), None),
    };
    let sock = match socket_for(addr, source) {
        Ok(s) => s,
        Err(e) => return Attempt::failed(classify(&e), e.to_string(), Some(addr)),
    };
    let started = Instant::now();
    let result = tokio::time::timeout(timeout, sock.connect(addr)).await;
    let elapsed = started.elapsed();
    match result {
        Ok(Ok(stream)) => {
            drop(stream); // an orderly close (FIN): iperf3 servers answer probes without error
            Attempt { outcome: Outcome::Ok, latency: Some(elapsed), error: None, address: Some(addr) }
        }
        Ok(Err(e)) => Attempt::failed(classify(&e), e.to_string(), Some(addr)),
        Err(_) => Attempt::failed(Outcome::Timeout, format!("no answer within {}", fmt_duration(timeout)), Some(addr)),
    }
}

/// Sorts a connect error into the results the summary counts.
pub fn classify(e: &io::Error) -> Outcome {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Outcome::Refused,
        io::ErrorKind::TimedOut => Outcome::Timeout,
        io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => Outcome::Unreachable,
        _ => match e.raw_os_error() {
            // ENETUNREACH, EHOSTUNREACH (Linux); WSAENETUNREACH, WSAEHOSTUNREACH
            Some(101 | 113 | 10051 | 10065) => Outcome::Unreachable,
            _ => Outcome::Error,
        },
    }
}

/// What to probe and when to stop.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    pub target: Target,
    pub source: Option<IpAddr>,
    /// Stop after this many attempts.
    pub count: Option<u64>,
    /// Start no attempt after this long.
    pub duration: Option<Duration>,
    /// Between the starts of two attempts; an attempt slower than that is
    /// followed at once by the next.
    pub interval: Duration,
    pub timeout: Duration,
}

/// Probes until the count, the duration or `stop`; calls `on_sample` after
/// each attempt. An attempt in flight when `stop` comes is not counted.
pub async fn run(cfg: &ProbeConfig, stop: Stop, on_sample: impl FnMut(&Sample)) -> ProbeReport {
    probe_loop(cfg, stop, false, on_sample).await
}

/// Like [`run`], but an attempt in flight when `stop` comes is finished and
/// counted: the perf test's latency probes, where every probe sent under
/// load matters.
pub async fn run_to_completion(cfg: &ProbeConfig, stop: Stop) -> ProbeReport {
    probe_loop(cfg, stop, true, |_| {}).await
}

async fn probe_loop(cfg: &ProbeConfig, mut stop: Stop, finish_in_flight: bool, mut on_sample: impl FnMut(&Sample)) -> ProbeReport {
    let started_at = now_rfc3339_millis();
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut seq = 0u64;
    loop {
        if stop.is_stopped() || cfg.count.is_some_and(|n| seq >= n) {
            break;
        }
        let attempt_start = Instant::now();
        if cfg.duration.is_some_and(|d| attempt_start.duration_since(start) >= d) {
            break;
        }
        seq += 1;
        let when = now_rfc3339_millis();
        let attempt = if finish_in_flight {
            connect_once(&cfg.target, cfg.source, cfg.timeout).await
        } else {
            tokio::select! {
                biased;
                _ = stop.stopped() => break,
                a = connect_once(&cfg.target, cfg.source, cfg.timeout) => a,
            }
        };
        let sample = Sample {
            seq,
            time: when,
            result: attempt.outcome,
            latency_ms: attempt.latency.map(|d| crate::stats::round(d.as_secs_f64() * 1000.0, 3)),
            error: attempt.error,
            address: attempt.address.map(|a| a.to_string()),
        };
        on_sample(&sample);
        samples.push(sample);
        if cfg.count.is_some_and(|n| seq >= n) {
            break;
        }
        let next = (attempt_start + cfg.interval).max(Instant::now());
        if cfg.duration.is_some_and(|d| next.duration_since(start) >= d) {
            break;
        }
        tokio::select! {
            biased;
            _ = stop.stopped() => break,
            _ = tokio::time::sleep_until(next.into()) => {}
        }
    }
    ProbeReport::new(cfg.target.to_string(), cfg.source.map(|s| s.to_string()), started_at, samples)
}

/// A duration as the attempt lines show it (`1s`, `250ms`).
pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 && (ms / 1000.0).fract() == 0.0 {
        format!("{} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{} ms", crate::stats::round(ms, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(Target::parse("10.0.0.4:3389").unwrap(), Target { host: "10.0.0.4".into(), port: 3389 });
        assert_eq!(Target::parse("[::1]:22").unwrap(), Target { host: "::1".into(), port: 22 });
        assert_eq!(Target::parse("vm.example:22").unwrap().to_string(), "vm.example:22");
        assert_eq!(Target::parse("[::1]:22").unwrap().to_string(), "[::1]:22");
        assert!(Target::parse("10.0.0.4").unwrap_err().to_string().contains("no port"));
        assert!(Target::parse("::1:22").unwrap_err().to_string().contains("brackets"));
        assert!(Target::parse("h:99999").unwrap_err().to_string().contains("not a port"));
        assert!(Target::parse(":22").unwrap_err().to_string().contains("no host"));
        assert!(Target::parse("h:0").is_err());
    }

    #[test]
    fn errors_are_classified() {
        let e = |k| io::Error::from(k);
        assert_eq!(classify(&e(io::ErrorKind::ConnectionRefused)), Outcome::Refused);
        assert_eq!(classify(&e(io::ErrorKind::TimedOut)), Outcome::Timeout);
        assert_eq!(classify(&e(io::ErrorKind::HostUnreachable)), Outcome::Unreachable);
        assert_eq!(classify(&e(io::ErrorKind::NetworkUnreachable)), Outcome::Unreachable);
        assert_eq!(classify(&io::Error::from_raw_os_error(113)), Outcome::Unreachable);
        assert_eq!(classify(&e(io::ErrorKind::AddrNotAvailable)), Outcome::Error);
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_a_dns_sample() {
        // No lookup leaves the machine: an empty host label is refused by the resolver itself.
        let t = Target { host: "bad..name".into(), port: 80 };
        let a = connect_once(&t, None, Duration::from_secs(2)).await;
        assert_eq!(a.outcome, Outcome::Dns, "{a:?}");
        assert!(a.error.unwrap().starts_with("cannot resolve bad..name"));
    }

    #[tokio::test]
    async fn a_source_of_the_other_family_is_an_error_sample() {
        let t = Target { host: "127.0.0.1".into(), port: 9 };
        let a = connect_once(&t, Some("::1".parse().unwrap()), Duration::from_secs(1)).await;
        assert_eq!(a.outcome, Outcome::Error);
        assert!(a.error.unwrap().contains("same IP version"));
    }

    #[test]
    fn durations_print() {
        assert_eq!(fmt_duration(Duration::from_secs(2)), "2 s");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(fmt_duration(Duration::from_millis(250)), "250 ms");
    }
}
