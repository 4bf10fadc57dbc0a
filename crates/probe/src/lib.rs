//! Probes for the guide's connectivity tests, built in (`erdiag probe`, `erdiag perf`).
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
//! The commands (flags, the runtime, Ctrl-C, what goes to stdout and stderr,
//! exit codes) are the CLI's (`crates/cli/src/commands/{probe,perf}.rs`).
//! Nothing here listens anywhere but where the user says, and nothing sends
//! anywhere but to the host the user names.

pub mod iperf;
pub mod perf_client;
pub mod perf_server;
mod pump;
pub mod render;
mod report;
mod sample;
mod stats;
pub mod tcp;

pub use perf_client::{PerfConfig, PerfReport, StageResult, PERF_FORMAT};
pub use report::{Outcome, ProbeFormatError, ProbeReport, Sample, PROBE_FORMAT};
pub use stats::{Bucket, ByResult, Summary};
pub use tcp::{ProbeConfig, ResolveError, Stop, StopHandle, Target, TargetError};
