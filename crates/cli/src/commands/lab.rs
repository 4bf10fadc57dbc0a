//! `erdiag lab`: a live ExpressRoute circuit on this machine (Linux, root,
//! FRRouting). Building, breaking and removing it is `erdiag_lab`'s; reading
//! it (status, snapshot) the pipeline's; this module says what happens on
//! standard error and runs vtysh or a command in a router's namespace.

use crate::files::write_file;
use crate::flags::lab::{LabArgs, LabCommand, NameArg};
use crate::flags::ListFormat;
use crate::terminal::emit;
use erdiag_lab::{BreakKind, Lab, LabSpec};
use erdiag_pipeline::lab::error as lab_error;
use crate::flags::store::StoreArgs;
use erdiag_pipeline::{scenarios, Error, ErrorKind, Options, Source};
use std::time::Duration;

fn lab(name: &NameArg) -> Result<Lab, Error> {
    Lab::new(&name.name).map_err(lab_error)
}

pub fn run(args: LabArgs) -> Result<u8, Error> {
    match args.command {
        LabCommand::Up { scenario, name, timeout, store } => {
            let lab = lab(&name)?;
            let scenario = scenario.as_deref().unwrap_or("healthy-private");
            let sc = scenarios::get(scenario)?;
            let spec = LabSpec::from_snapshot(sc.name, &sc.document()).map_err(lab_error)?;
            eprintln!("building lab `{}` from scenario {} (VLAN {}, {} / {}, AS {} ↔ 12076)…", lab.name, sc.name, spec.vlan, spec.primary, spec.secondary, spec.peer_asn);
            let state = lab.up(spec, Duration::from_secs(timeout)).map_err(lab_error)?;
            eprintln!("lab `{}` is up: BGP converged in {:.1} s", lab.name, state.converged_secs.unwrap_or_default());
            record(&lab, &store)?;
            eprintln!("next: erdiag diagnose --lab{}   ·   erdiag lab break --list", name_flag(&lab));
            Ok(0)
        }
        LabCommand::Down { name } => {
            let lab = lab(&name)?;
            let removal = lab.down().map_err(lab_error)?;
            if removal.removed.is_empty() && removal.left.is_empty() {
                eprintln!("nothing of lab `{}` was left", lab.name);
            }
            for r in &removal.removed {
                eprintln!("removed {r}");
            }
            if !removal.left.is_empty() {
                return Err(Error::new(ErrorKind::Lab, format!("left alone: {} (named like lab `{}`, but not what it created)", removal.left.join(", "), lab.name))
                    .with_hint("erdiag removes only what the lab's marker records; `ip netns delete NS` removes a namespace that is yours"));
            }
            Ok(0)
        }
        LabCommand::Status { name, output } => status(&lab(&name)?, output.output),
        LabCommand::Break { kind, path, list, name, timeout, store } => {
            if list {
                let mut s = String::new();
                for k in BreakKind::ALL {
                    s.push_str(&format!("{:13} {}\n", k.name(), k.describe()));
                }
                emit(&s)?;
                return Ok(0);
            }
            let kind = kind.unwrap_or_default();
            let k = BreakKind::parse(&kind).ok_or_else(|| {
                Error::usage(format!("no break kind `{kind}`")).with_hint(format!("kinds: {}", BreakKind::ALL.map(|k| k.name()).join(", ")))
            })?;
            let lab = lab(&name)?;
            lab.apply(k, path, Duration::from_secs(timeout)).map_err(lab_error)?;
            eprintln!("broke the {path} path: {}", k.describe());
            record(&lab, &store)?;
            eprintln!("next: erdiag diagnose --lab{}", name_flag(&lab));
            Ok(0)
        }
        LabCommand::Fix { name, timeout, store } => {
            let lab = lab(&name)?;
            let state = lab.fix(Duration::from_secs(timeout)).map_err(lab_error)?;
            eprintln!("lab `{}` rebuilt from {}: BGP converged in {:.1} s", lab.name, state.spec.scenario, state.converged_secs.unwrap_or_default());
            record(&lab, &store)?;
            Ok(0)
        }
        LabCommand::Shell { router, commands, name } => {
            let lab = lab(&name)?;
            erdiag_pipeline::lab::running(&lab)?;
            let mut cmd = std::process::Command::new("vtysh");
            cmd.arg("-N").arg(lab.owned_ns(&router).map_err(lab_error)?.0);
            for c in &commands {
                cmd.arg("-c").arg(c);
            }
            let status = cmd.status().map_err(|e| Error::new(ErrorKind::Lab, format!("vtysh: {e}")))?;
            Ok(if status.success() { 0 } else { 1 })
        }
        LabCommand::Exec { router, command, name } => {
            let lab = lab(&name)?;
            erdiag_pipeline::lab::running(&lab)?;
            let status = std::process::Command::new("ip")
                .args(["netns", "exec", &lab.owned_ns(&router).map_err(lab_error)?.0])
                .args(&command)
                .status()
                .map_err(|e| Error::new(ErrorKind::Lab, format!("ip netns exec: {e}")))?;
            Ok(status.code().map(|c| c.clamp(0, 255) as u8).unwrap_or(1))
        }
        LabCommand::Snapshot { name, output_file, force } => {
            let lab = lab(&name)?;
            let snapshot = erdiag_pipeline::lab::snapshot(&lab)?;
            let text = crate::terminal::json(&snapshot);
            match output_file {
                Some(p) => write_file(&p, text.as_bytes(), force)?,
                None => emit(&text)?,
            }
            Ok(0)
        }
    }
}

/// With `--store`: the lab's state read as `diagnose --lab` reads it
/// (over the ARM emulator), diagnosed and recorded.
fn record(lab: &Lab, store: &StoreArgs) -> Result<(), Error> {
    if store.store.is_none() {
        return Ok(());
    }
    let snapshot = super::collect(&Source::Lab { name: lab.name.clone() }, true)?;
    let bytes = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
    super::diagnose_stored("the lab's state", bytes, &Options::default(), store, false).map(|_| ())
}

fn name_flag(lab: &Lab) -> String {
    if lab.name == erdiag_lab::DEFAULT_NAME {
        String::new()
    } else {
        format!(" {}", lab.name)
    }
}

fn status(lab: &Lab, format: ListFormat) -> Result<u8, Error> {
    let status = erdiag_pipeline::lab::status(lab)?;
    let text = match format {
        ListFormat::Json => crate::terminal::json(&status),
        ListFormat::Table => {
            let mut s = format!("lab {} · scenario {} · {}\n", status.name, status.scenario, if status.healthy { "converged" } else { "NOT converged" });
            s.push_str(&format!("namespaces: {}\n", status.namespaces.join(" ")));
            let breaks: Vec<String> = status.breaks.iter().map(|b| format!("{} ({})", b.kind, b.path)).collect();
            s.push_str(&format!("breaks: {}\n", if breaks.is_empty() { "none".into() } else { breaks.join(", ") }));
            // Wide enough for the longest address (an IPv6 /126's).
            let addrs = status.paths.iter().flat_map(|p| [&p.ce, &p.msee].into_iter().chain(p.ipv6.iter().flat_map(|v| [&v.ce, &v.msee])));
            let w = addrs.map(|a| a.len()).max().unwrap_or(0).max(12);
            s.push_str(&format!("{:10} {:>w$} ↔ {:w$} {:13} {:>4} {:6} gateway\n", "path", "CE", "MSEE", "MSEE bgp", "pfx", "ARP/ND"));
            let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or("—".into());
            for p in &status.paths {
                let bgp = |state: &str| if p.msee_running { state.to_string() } else { "MSEE down".to_string() };
                let resolved = |ok: bool| if ok { "ok" } else { "none" };
                s.push_str(&format!(
                    "{:10} {:>w$} ↔ {:w$} {:13} {:>4} {:6} {}\n",
                    p.path,
                    p.ce,
                    p.msee,
                    bgp(&p.bgp_state),
                    count(p.prefixes_received),
                    resolved(p.arp_resolved),
                    p.gateway_session
                ));
                // The IPv6 session of the path; the gateway's column counts the
                // IPv6 prefixes it receives from this MSEE.
                if let Some(v6) = &p.ipv6 {
                    s.push_str(&format!(
                        "{:10} {:>w$} ↔ {:w$} {:13} {:>4} {:6} {} IPv6 prefixes\n",
                        "  IPv6",
                        v6.ce,
                        v6.msee,
                        bgp(&v6.bgp_state),
                        count(v6.prefixes_received),
                        resolved(v6.nd_resolved),
                        count(v6.gateway_prefixes)
                    ));
                }
            }
            s
        }
    };
    emit(&text)?;
    Ok(0)
}
