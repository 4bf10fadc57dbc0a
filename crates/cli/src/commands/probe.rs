//! `erdiag probe tcp HOST:PORT`: the TCP connect prober (`erdiag_probe::tcp`)
//! with its attempt lines and summary. Exit code 0 when every attempt
//! connected, 1 when some did not (or none was made).

use crate::flags::ListFormat;
use crate::flags::probe::{ProbeArgs, ProbeCommand};
use erdiag_pipeline::Error;
use erdiag_probe::{render, tcp, ProbeConfig, Stop, Target};
use std::io::Write;
use std::sync::atomic::Ordering;

pub fn run(args: ProbeArgs) -> Result<u8, Error> {
    let ProbeCommand::Tcp(a) = args.command;
    let target = Target::parse(&a.target).map_err(|e| Error::usage(e.to_string()).caused_by(e))?;
    let cfg = ProbeConfig {
        target,
        source: a.source,
        count: a.count,
        duration: a.duration,
        interval: a.interval,
        timeout: a.timeout,
    };
    let rt = super::runtime(1)?;
    let json = a.output.output == ListFormat::Json;
    let lines_to_stderr = json;
    let show_lines = !(json && a.quiet.quiet);
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
        let interrupted = super::on_interrupt(handle)?;
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
            super::print_stdout(&report.to_json());
        } else {
            super::print_stdout(&render::probe_summary(&report, was_interrupted));
        }
        Ok(if report.summary.sent > 0 && report.summary.lost == 0 { 0 } else { 1 })
    })
}
