//! `erdiag demo`: a built-in scenario, collected over HTTP from the
//! in-process ARM emulator (or read directly with `--offline`), diagnosed.

use crate::flags::DemoArgs;
use crate::terminal::emit;
use erdiag_pipeline::{scenarios, Error, Source};
use std::time::Duration;

pub fn run(a: DemoArgs) -> Result<u8, Error> {
    let options = a.report.options()?;
    if a.list {
        let w = scenarios::SCENARIOS.iter().map(|s| s.name.len()).max().unwrap_or(0);
        let mut s = String::new();
        for sc in scenarios::SCENARIOS {
            let mark = if sc.name == scenarios::DEFAULT { " (default)" } else { "" };
            s.push_str(&format!("{:w$}  {}{mark}\n", sc.name, sc.title));
        }
        emit(&s)?;
        return Ok(0);
    }
    let sc = scenarios::get(a.scenario.as_deref().unwrap_or(scenarios::DEFAULT))?;
    if a.describe {
        emit(sc.readme)?;
        return Ok(0);
    }
    let report = if a.offline {
        erdiag_pipeline::diagnose(&format!("scenario {}", sc.name), sc.snapshot, &options)?
    } else {
        let source = Source::Scenario { name: sc.name.to_string(), latency: Duration::from_secs_f64(a.latency.max(0.0)) };
        let snapshot = super::collect(&source, a.quiet.quiet)?;
        erdiag_pipeline::diagnose_document(&format!("scenario {} (collected)", sc.name), &snapshot, &options)?
    };
    let code = super::report(&report, &a.report)?;
    // A demo that ran is a success; `--exit-code` makes it answer like `diagnose`.
    Ok(if a.exit_code { code } else { 0 })
}
