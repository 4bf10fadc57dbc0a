//! The flags of `erdiag probe` and `erdiag perf` (clap derive), run by
//! `commands::probe` and `commands::perf`.

use clap::{Args, Subcommand};
use std::net::IpAddr;
use std::time::Duration;

/// `erdiag probe …`
#[derive(Args, Debug, Clone)]
pub struct ProbeArgs {
    #[command(subcommand)]
    pub command: ProbeCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ProbeCommand {
    /// TCP connect probe, like PsPing: time the handshake to HOST:PORT again and again.
    #[command(after_help = "\
Run it from your on-premises address to a port open on an Azure VM (22, 3389, or `erdiag perf server`), and keep it running during the portal's private-peering connectivity test, as the guide asks for PsPing.

Each attempt prints one line: time, result, latency. At the end — and on Ctrl-C — a summary: sent, received, lost, min / median / p90 / p95 / p99 / max and a histogram. Refused, timeout, unreachable and DNS failures are counted, not fatal. `-o json` writes the erdiag-probe/1 document (every sample and the summary) on standard output; the attempt lines then go to standard error.

Examples:
  erdiag probe tcp 10.17.1.4:3389 --count 100 --source 192.168.10.5
  erdiag probe tcp 10.17.1.4:22 --duration 5m --interval 500ms -o json > probe.json

Exit codes: 0 every attempt connected, 1 some did not (or none was made), 2 erdiag could not run.")]
    Tcp(TcpArgs),
}

#[derive(Args, Debug, Clone)]
#[command(
    mut_arg("output", |a| a.help("Output format: lines and a summary, or the erdiag-probe/1 JSON document")),
    mut_arg("quiet", |a| a.help("With -o json: no attempt lines on standard error"))
)]
pub struct TcpArgs {
    /// The target: HOST:PORT, IPv4:PORT or [IPv6]:PORT.
    #[arg(value_name = "HOST:PORT")]
    pub target: String,
    /// Stop after N attempts.
    #[arg(short = 'n', long, short_alias = 'c', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Stop after this long (30s, 5m, 1h; a bare number is seconds).
    #[arg(short = 'd', long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Time between the starts of two attempts.
    #[arg(short = 'i', long, value_name = "DURATION", default_value = "1s", value_parser = parse_positive_duration)]
    pub interval: Duration,
    /// How long an attempt may wait for the handshake before it counts as a timeout.
    #[arg(short = 'w', long, value_name = "DURATION", default_value = "2s", value_parser = parse_positive_duration)]
    pub timeout: Duration,
    /// The local (on-premises) address to connect from.
    #[arg(short = 's', long, value_name = "IP")]
    pub source: Option<IpAddr>,
    #[command(flatten)]
    pub output: super::common::ListOutput,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
}

/// `erdiag perf …`
#[derive(Args, Debug, Clone)]
pub struct PerfArgs {
    #[command(subcommand)]
    pub command: PerfCommand,
}

#[derive(Subcommand, Debug, Clone)]
pub enum PerfCommand {
    /// Serve link-performance tests (iperf3-compatible: `iperf3 -c` works against it too).
    #[command(after_help = "\
Run it on the Azure side (a VM in the VNet behind the circuit) and `erdiag perf client` on premises. One test at a time, like `iperf3 -s`; connections that only open and close (the latency probes) are ignored. Prints the address it listens on as the first line of standard output, one line per test on standard error. Ctrl-C stops it.

Example:
  erdiag perf server --bind 10.17.1.4")]
    Server(PerfServerArgs),
    /// Measure the link: throughput with 0, 1, 6, 16 and 32 TCP streams, and TCP-connect latency and loss under each load.
    #[command(after_help = "\
Like AzureCT's Get-LinkPerformance, on any OS and without PsPing or a particular iPerf build: each stage runs a TCP throughput test with N parallel streams (the first, \"No load\", sends nothing) and, at the same time, TCP connect probes to the server's port. The server is `erdiag perf server` or any `iperf3 -s` (3.x).

Examples:
  erdiag perf client 10.17.1.4
  erdiag perf client 10.17.1.4 --streams 1,8 --stage-seconds 60 --detailed -o json

Exit codes: 0 every stage ran, 1 a stage failed or was interrupted, 2 erdiag could not run.")]
    Client(PerfClientArgs),
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("quiet", |a| a.help("No line per test on standard error")))]
pub struct PerfServerArgs {
    /// The local address to listen on.
    #[arg(short = 'B', long, value_name = "IP", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// The port to listen on (iperf3's default; 0 picks a free one).
    #[arg(short = 'p', long, default_value_t = 5201)]
    pub port: u16,
    /// The longest test served; a test asking for more is refused, one without a time ends here.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_positive_duration)]
    pub max_time: Duration,
    /// A test without a time ends when no byte has moved on its streams for this long.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_positive_duration)]
    pub idle_timeout: Duration,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
}

#[derive(Args, Debug, Clone)]
#[command(
    mut_arg("output", |a| a.help("Output format: the table, or the erdiag-perf/1 JSON document")),
    mut_arg("quiet", |a| a.help("No progress lines on standard error"))
)]
pub struct PerfClientArgs {
    /// The server: a name or an IP address.
    #[arg(value_name = "HOST")]
    pub host: String,
    /// The server's port.
    #[arg(short = 'p', long, default_value_t = 5201)]
    pub port: u16,
    /// Parallel TCP streams of each stage, in order; 0 is the no-load stage.
    #[arg(long, alias = "sessions", value_name = "N,N,…", value_delimiter = ',', default_value = "0,1,6,16,32",
          value_parser = clap::value_parser!(u16).range(0..=128))]
    pub streams: Vec<u16>,
    /// Seconds each stage lasts (fractions allowed).
    #[arg(short = 't', long, value_name = "SECONDS", default_value_t = 10.0, value_parser = parse_stage_seconds)]
    pub stage_seconds: f64,
    /// Time between two latency probes within a stage.
    #[arg(long, value_name = "DURATION", default_value = "100ms", value_parser = parse_duration)]
    pub latency_interval: Duration,
    /// How long a latency probe waits before it counts as lost.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_positive_duration)]
    pub latency_timeout: Duration,
    /// Probe latency on this port of HOST instead of the server's port (for example 22 or 3389).
    #[arg(long, value_name = "PORT")]
    pub latency_port: Option<u16>,
    /// Also show P90, P95, min and max latency.
    #[arg(long)]
    pub detailed: bool,
    /// The local (on-premises) address to connect from.
    #[arg(short = 's', long, value_name = "IP")]
    pub source: Option<IpAddr>,
    /// The server sends and this side receives (Azure to on-premises), like iperf3's -R.
    #[arg(short = 'R', long)]
    pub reverse: bool,
    /// Bytes per write on each stream (iperf3's -l).
    #[arg(short = 'l', long, value_name = "BYTES", default_value_t = 131_072,
          value_parser = clap::value_parser!(u32).range(1024..=16_777_216))]
    pub block_size: u32,
    #[command(flatten)]
    pub output: super::common::ListOutput,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
}


/// `250ms`, `1s`, `1.5s`, `2m`, `1h`, `500us`; a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| format!("`{s}` is not a duration (examples: 500ms, 2s, 1.5s, 5m, 1h)"))?;
    let factor = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => return Err(format!("unknown unit `{other}` in `{s}` (use us, ms, s, m or h)")),
    };
    let secs = value * factor;
    if !secs.is_finite() || secs > 366.0 * 86_400.0 {
        return Err(format!("`{s}` is too long"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d.is_zero() {
        return Err("must be more than zero".into());
    }
    Ok(d)
}

fn parse_stage_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(0.1..=86_400.0).contains(&v) {
        return Err("must be between 0.1 and 86400 seconds".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(subcommand)]
        cmd: Cmd,
    }
    #[derive(Subcommand, Debug)]
    enum Cmd {
        Probe(ProbeArgs),
        Perf(PerfArgs),
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("1 fortnight").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("ms").is_err());
        assert!(parse_positive_duration("0s").is_err());
    }

    #[test]
    fn flags_parse() {
        let c = Cli::try_parse_from(["x", "probe", "tcp", "127.0.0.1:9", "-n", "20", "-i", "10ms", "--source", "127.0.0.1", "-o", "json"]).unwrap();
        let Cmd::Probe(ProbeArgs { command: ProbeCommand::Tcp(a) }) = c.cmd else { panic!() };
        assert_eq!((a.count, a.interval, a.output.output), (Some(20), Duration::from_millis(10), super::super::ListFormat::Json));
        assert!(Cli::try_parse_from(["x", "probe", "tcp", "h:1", "-n", "0"]).is_err());
        let c = Cli::try_parse_from(["x", "perf", "client", "127.0.0.1", "--streams", "0,2", "--stage-seconds", "1"]).unwrap();
        let Cmd::Perf(PerfArgs { command: PerfCommand::Client(a) }) = c.cmd else { panic!() };
        assert_eq!((a.streams, a.stage_seconds, a.port), (vec![0, 2], 1.0, 5201));
        assert!(Cli::try_parse_from(["x", "perf", "client", "h", "--streams", "200"]).is_err());
        assert!(Cli::try_parse_from(["x", "perf", "client", "h", "--stage-seconds", "0"]).is_err());
    }
}
