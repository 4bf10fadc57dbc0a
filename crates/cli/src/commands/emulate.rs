//! `erdiag emulate`: the ARM emulator serving built-in scenarios, snapshot
//! files or the live lab on loopback until Ctrl-C.

use crate::files::{read_input, write_file, Input};
use crate::flags::emulate::{parse_fault, EmulateArgs};
use erdiag_emulator::fleet::{self, Fleet, FleetSpec, Template};
use erdiag_emulator::Config;
use erdiag_pipeline::{scenarios, Error, Options, Verdict};
use std::io::Write;
use std::time::Duration;

/// The built-in scenarios as fleet templates, each judged as `erdiag fleet`
/// will see it, without the evidence only a user supplies (`inputs`): healthy
/// when it is healthy with and without it, faulty when it is not healthy
/// without it. A scenario healthy only without its inputs is left out.
fn templates() -> Result<Vec<Template>, Error> {
    let mut out = Vec::new();
    for sc in scenarios::SCENARIOS {
        let mut doc = sc.document();
        let with = erdiag_pipeline::diagnose(sc.name, sc.snapshot, &Options::default())?.verdict;
        if let Some(o) = doc.as_object_mut() {
            o.remove("inputs");
        }
        let without = erdiag_pipeline::diagnose_document(sc.name, &doc, &Options::default())?.verdict;
        let faulty = match (with, without) {
            (Verdict::Healthy, Verdict::Healthy) => false,
            (_, Verdict::Healthy) => continue,
            _ => true,
        };
        out.push(Template { name: sc.name.to_string(), faulty, snapshot: doc });
    }
    Ok(out)
}

/// `--fleet SPEC`: `key=value,…`, or a JSON file of the same keys.
fn fleet_spec(text: &str) -> Result<FleetSpec, Error> {
    let bad = |label: &str, e: fleet::SpecError| {
        Error::usage(format!("--fleet {label}: {e}")).with_hint("e.g. --fleet circuits=1000,subscriptions=20,regions=2,faulty=0.1,seed=7,latency=2,throttle=on")
    };
    let path = std::path::Path::new(text);
    if !text.contains('=') && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        let (label, bytes) = read_input(path, Input::Document)?;
        return FleetSpec::from_json(&bytes).map_err(|e| bad(&label, e));
    }
    FleetSpec::parse(text).map_err(|e| bad(text, e))
}

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

/// `--timeline FILE`, else the timeline of the one scenario served that has one.
fn timeline(args: &EmulateArgs) -> Result<Option<erdiag_emulator::Timeline>, Error> {
    if let Some(p) = &args.timeline {
        let (label, bytes) = read_input(p, Input::Document)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::input(format!("{label}: not UTF-8 text")))?;
        return erdiag_emulator::Timeline::parse(&text, 0).map(Some).map_err(|e| Error::input(format!("{label}: {e}")));
    }
    if args.lab.is_some() || args.fleet.is_some() {
        return Ok(None);
    }
    let mut with: Vec<&scenarios::Scenario> = Vec::new();
    for name in &args.scenarios {
        let sc = scenarios::get(name)?;
        if sc.timeline.is_some() {
            with.push(sc);
        }
    }
    match with.as_slice() {
        [] => Ok(None),
        [one] => Ok(one.timeline(0)),
        _ => Err(Error::usage("several scenarios with a timeline: their events would apply to every circuit served").with_hint("serve one of them at a time")),
    }
}

pub fn run(args: EmulateArgs) -> Result<u8, Error> {
    if !args.listen.ip().is_loopback() {
        return Err(Error::usage(format!("--listen {}: the emulator serves loopback addresses only", args.listen)));
    }
    let lab = args.lab.as_deref().map(erdiag_pipeline::lab::backend).transpose()?;
    let fleet: Option<Fleet> = match &args.fleet {
        Some(text) => Some(fleet::generate(&fleet_spec(text)?, &templates()?).map_err(|e| Error::usage(format!("--fleet {text}: {e}")))?),
        None => None,
    };
    // Described now: the fleet's snapshots move into the configuration.
    let described = fleet.as_ref().map(describe_fleet);
    let mut config = match (fleet, &lab) {
        (Some(f), _) => f.config(),
        (None, Some(_)) => Config::new(Vec::new()),
        (None, None) => Config::new(snapshots(&args)?),
    };
    config.tls = !args.http;
    if let Some(latency) = args.latency {
        config.operation_latency = Duration::from_secs_f64(latency.max(0.0));
    }
    config.retry_after = args.retry_after;
    config.require_token = !args.no_token;
    config.faults = args.fault.iter().map(|f| parse_fault(f)).collect::<Result<_, _>>()?;
    config.max_connections = args.max_connections as usize;
    config.header_timeout = Duration::from_secs(args.header_timeout);
    config.idle_timeout = Duration::from_secs(args.idle_timeout);
    config.log_capacity = args.log_size as usize;
    if args.clock_start.is_some() || args.speed != 1.0 {
        let now = erdiag_emulator::Clock::system().now();
        config.clock = erdiag_emulator::Clock::accelerated(args.clock_start.unwrap_or(now), args.speed);
    }
    config.timeline = timeline(&args)?;
    let circuits: Vec<String> = match &lab {
        Some((_, id)) => vec![id.clone()],
        None => config.snapshots.iter().filter_map(|s| s["circuitId"].as_str().map(str::to_string)).collect(),
    };
    let throttled = config.throttle.is_some();
    let time = config.timeline.as_ref().map(|t| {
        let at = erdiag_model::time::unix_rfc3339(config.clock.now());
        format!("  timeline: {} event(s) from {at}, {}× real time", t.events.len(), args.speed)
    });
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
        match &described {
            Some(lines) => {
                eprintln!("{}", lines.join("\n"));
                eprintln!("  throttling {}", if throttled { "on" } else { "off" });
            }
            None => circuits.iter().for_each(|c| eprintln!("  {c}")),
        }
        if let Some(line) = &time {
            eprintln!("{line}");
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
        let buckets = em.bucket_stats();
        em.shutdown().await;
        if throttled {
            summarize(&buckets);
        }
        if let Some(path) = &args.stats_out {
            let doc = serde_json::json!({ "buckets": buckets });
            write_file(path, &serde_json::to_vec_pretty(&doc).expect("statistics serialize"), args.force)?;
        }
        Ok(0)
    })
}

/// What `emulate --fleet` serves, as lines for stderr.
fn describe_fleet(f: &Fleet) -> Vec<String> {
    let faulty = f.circuits.iter().filter(|c| c.faulty).count();
    let regions: std::collections::BTreeSet<&str> = f.circuits.iter().map(|c| c.region.as_str()).collect();
    let mut lines = vec![format!(
        "  a fleet of {} circuits ({faulty} faulty) over {} subscriptions in {} ({}), {} ExpressRoute Direct ports",
        f.circuits.len(),
        f.subscriptions.len(),
        regions.iter().copied().collect::<Vec<_>>().join(", "),
        f.management_groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(" "),
        f.ports.len(),
    )];
    lines.extend(f.circuits.iter().take(3).map(|c| format!("  {} ({})", c.id, c.template)));
    if f.circuits.len() > 3 {
        lines.push(format!("  … and {} more (Resource Graph lists them all)", f.circuits.len() - 3));
    }
    lines.extend(f.forbidden.iter().map(|s| format!("  subscription {s} answers 403 to every ARM read")));
    lines
}

/// One line per run on stderr: what the throttle let through and refused,
/// and the busiest bucket, which bounds how fast any client could have read.
fn summarize(buckets: &[erdiag_emulator::BucketStats]) {
    let reads: u64 = buckets.iter().map(|b| b.reads).sum();
    let refused: u64 = buckets.iter().map(|b| b.throttled).sum();
    eprintln!("throttling: {reads} reads answered, {refused} refused with 429, over {} buckets", buckets.len());
    if let Some(b) = buckets.iter().max_by_key(|b| b.reads) {
        eprintln!("  busiest: subscription {} in {}: {} reads", b.subscription, b.region, b.reads);
    }
}
