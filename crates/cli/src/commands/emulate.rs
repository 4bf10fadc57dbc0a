//! `erdiag emulate`: the ARM emulator serving built-in scenarios, snapshot
//! files or the live lab on loopback until Ctrl-C.

use crate::files::{read_input, write_file, Input};
use crate::flags::emulate::{parse_fault, EmulateArgs};
use erdiag_emulator::Config;
use erdiag_pipeline::{scenarios, Error};
use std::io::Write;
use std::time::Duration;

fn snapshots(args: &EmulateArgs) -> Result<Vec<serde_json::Value>, Error> {
    let mut out = Vec::new();
    for name in &args.scenarios {
        out.push(scenarios::get(name)?.document());
    }
    for p in &args.snapshot {
        let (label, bytes) = read_input(p, Input::Document)?;
        let bytes = erdiag_pipeline::snapshot_text(&label, bytes)?;
        // Check it is a usable snapshot first: the same errors as `diagnose`.
        erdiag_pipeline::read_snapshot(&label, &bytes)?;
        // The emulator serves every resource, also those erdiag does not read:
        // each must be a JSON value it can hold.
        let doc = serde_json::from_slice(&bytes).map_err(|e| {
            let why = e.to_string();
            let why = why.rfind(" at line ").map_or(why.as_str(), |i| &why[..i]);
            Error::input(format!("{label}: line {}, column {}: the emulator cannot serve this snapshot: {why}", e.line(), e.column()))
        })?;
        out.push(doc);
    }
    if out.is_empty() {
        out.push(scenarios::get(scenarios::DEFAULT)?.document());
    }
    Ok(out)
}

pub fn run(args: EmulateArgs) -> Result<u8, Error> {
    if !args.listen.ip().is_loopback() {
        return Err(Error::usage(format!("--listen {}: the emulator serves loopback addresses only", args.listen)));
    }
    let lab = args.lab.as_deref().map(erdiag_pipeline::lab::backend).transpose()?;
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
    let rt = super::runtime(2)?;
    rt.block_on(async move {
        let em = match lab {
            Some((backend, _)) => erdiag_emulator::start_with_backend(config, backend, args.listen).await,
            None => erdiag_emulator::start(config, args.listen).await,
        }
        .map_err(|e| Error::system(e.to_string()).caused_by(e))?;
        if let (Some(path), Some(pem)) = (&args.cert_out, &em.cert_pem) {
            write_file(path, pem.as_bytes(), args.force)?;
        }
        // Each request is printed as it finishes; nothing is copied or
        // polled. Watching starts before the URL is out, so that no request
        // of a client that reads it goes unprinted.
        let mut finished = (!args.quiet.quiet).then(|| em.watch());
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
            if let Some((sub, rg, name)) = erdiag_model::ResourceId::parse(c).ok().as_ref().and_then(erdiag_model::ResourceId::resource_parts) {
                eprintln!("try: erdiag diagnose --arm-endpoint {}{cert} --access-token any --subscription {sub} -g {rg} -n {name}", em.base_url);
            }
        }
        eprintln!("Ctrl-C stops it.");
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
                        // The path is the client's: shown, never obeyed.
                        let shown = |t: &str| erdiag_render::escape::terminal_line(t).into_owned();
                        eprintln!("{status} {} {}{}", shown(&r.method), shown(&r.path), if r.authorized { "" } else { " (no token)" });
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
