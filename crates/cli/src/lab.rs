//! `erdiag lab`: a live ExpressRoute circuit on this machine (Linux, root,
//! FRRouting), and `diagnose --lab` / `emulate --lab`, which read it over
//! the ARM contract like a real circuit.

use crate::output::UserError;
use crate::scenarios;
use clap::{Args, Subcommand, ValueEnum};
use erdiag_lab::{BreakKind, Lab, LabBackend, LabError, LabSpec, Live, Path2};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args, Debug)]
#[command(after_help = "The lab runs FRRouting (Debian's `frr` package) in network namespaces: the customer edge (ce1), the primary and secondary MSEE (AS 12076) and the VNet gateway (AS 65515), joined through a provider namespace whose bridges are the layer-2 segments of each path. ARP, BGP with MD5, and BFD really run between them.\n\nA session:\n  sudo erdiag lab up                        # build it from the healthy-private scenario\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag diagnose --lab                # the ARM emulator serves the live state\n  sudo erdiag lab shell ce                  # fix it by hand in vtysh, or:\n  sudo erdiag lab fix\n  sudo erdiag lab down\n\nEverything is named NAME-ROLE (erdlab-ce, erdlab-msee1, …); nothing outside those namespaces is touched, and `down` removes only what the lab's marker records (docs/security-lab.md).")]
pub struct LabArgs {
    #[command(subcommand)]
    pub command: LabCommand,
}

#[derive(Args, Debug, Clone)]
pub struct NameArg {
    /// The lab's name: the prefix of its namespaces (erdlab-ce, …).
    #[arg(long, env = "ERDIAG_LAB", default_value = erdiag_lab::DEFAULT_NAME, value_name = "NAME", global = true)]
    pub name: String,
}

#[derive(Subcommand, Debug)]
pub enum LabCommand {
    /// Build the lab from a scenario's circuit and wait until BGP has converged.
    #[command(after_help = "Examples:\n  sudo erdiag lab up\n  sudo erdiag lab up healthy-private --name lab2")]
    Up {
        /// A built-in scenario whose circuit has private peering (default: healthy-private).
        #[arg(value_name = "SCENARIO")]
        scenario: Option<String>,
        #[command(flatten)]
        name: NameArg,
        /// Seconds to wait for convergence.
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = crate::args::seconds(crate::args::MAX_TIMEOUT_SECS))]
        timeout: u64,
    },
    /// Remove everything the lab created (also the leftovers of a crash).
    #[command(after_help = "Example:\n  sudo erdiag lab down")]
    Down {
        #[command(flatten)]
        name: NameArg,
    },
    /// Show the lab's sessions, ARP entries and breaks.
    #[command(after_help = "Examples:\n  sudo erdiag lab status\n  sudo erdiag lab status -o json")]
    Status {
        #[command(flatten)]
        name: NameArg,
        #[arg(short = 'o', long = "output", value_enum, default_value_t = StatusFormat::Table)]
        output: StatusFormat,
    },
    /// Break the lab the way circuits break (--list shows the kinds).
    #[command(after_help = "KIND: md5, asn, ce-address, link-down, vlan, withdraw, prefix-limit, vnet-prefix, msee-down, gateway-down (--list says what each does). `lab fix` undoes every break.\n\nExamples:\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag lab break vlan\n  sudo erdiag diagnose --lab")]
    Break {
        /// What to break.
        #[arg(value_name = "KIND", required_unless_present = "list")]
        kind: Option<String>,
        /// The device path to break.
        #[arg(long, value_enum, default_value_t = PathOpt::Primary)]
        path: PathOpt,
        /// List the kinds.
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        name: NameArg,
        /// Seconds to wait for the break to show in the routers.
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = crate::args::seconds(crate::args::MAX_TIMEOUT_SECS))]
        timeout: u64,
    },
    /// Undo every break: rebuild the routers from the scenario and wait for convergence.
    #[command(after_help = "Example:\n  sudo erdiag lab fix && sudo erdiag diagnose --lab")]
    Fix {
        #[command(flatten)]
        name: NameArg,
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = crate::args::seconds(crate::args::MAX_TIMEOUT_SECS))]
        timeout: u64,
    },
    /// Open vtysh on a router of the lab (ce, msee1, msee2, gw); -c runs commands instead.
    #[command(after_help = "Examples:\n  sudo erdiag lab shell ce\n  sudo erdiag lab shell msee1 -c \"show bgp summary\"")]
    Shell {
        #[arg(value_parser = ["ce", "msee1", "msee2", "gw"], default_value = "ce")]
        router: String,
        /// Commands to run (repeatable), as `vtysh -c`.
        #[arg(short = 'c', long = "command", value_name = "COMMAND")]
        commands: Vec<String>,
        #[command(flatten)]
        name: NameArg,
    },
    /// Run a command inside a router's namespace: ce is on-premises (its loopback holds the on-premises
    /// prefixes), gw the VNet (its loopback holds the VNet's first host address).
    #[command(after_help = "Example, the guide's connectivity test across the lab's data plane:\n  sudo erdiag lab exec gw -- erdiag perf server -B 10.1.0.4 &\n  sudo erdiag lab exec ce -- erdiag probe tcp 10.1.0.4:5201 --source 10.2.20.1 -n 5")]
    Exec {
        #[arg(value_parser = ["ce", "msee1", "msee2", "gw"])]
        router: String,
        /// The command and its arguments (after --).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true, value_name = "COMMAND")]
        command: Vec<String>,
        #[command(flatten)]
        name: NameArg,
    },
    /// Print the lab's live state as an erdiag-snapshot/1 document (with the CE's outputs as inputs).
    #[command(after_help = "Example:\n  sudo erdiag lab snapshot > lab.json && erdiag diagnose --snapshot lab.json")]
    Snapshot {
        #[command(flatten)]
        name: NameArg,
        #[arg(short = 'O', long = "output-file", value_name = "FILE")]
        output_file: Option<std::path::PathBuf>,
        /// Write even when FILE is a symbolic link (its target is replaced).
        #[arg(long)]
        force: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathOpt {
    Primary,
    Secondary,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFormat {
    Table,
    Json,
}

fn err(e: LabError) -> UserError {
    let hint = match &e {
        LabError::Unsupported(_) => Some("the lab needs Linux network namespaces, root, and Debian's frr package"),
        LabError::AlreadyUp(_) => Some("`erdiag lab down` removes it; --name builds another one beside it"),
        LabError::Refused(_) => Some("the lab removes, kills or enters only what its marker proves it made (docs/security-lab.md)"),
        _ => None,
    };
    let u = UserError::new(e.to_string());
    match hint {
        Some(h) => u.hint(h),
        None => u,
    }
}

fn lab(name: &NameArg) -> Result<Lab, UserError> {
    Lab::new(&name.name).map_err(err)
}

pub fn run(args: LabArgs) -> Result<u8, UserError> {
    match args.command {
        LabCommand::Up { scenario, name, timeout } => {
            let lab = lab(&name)?;
            let scenario = scenario.as_deref().unwrap_or("healthy-private");
            let sc = scenarios::find(scenario).ok_or_else(|| UserError::new(format!("no scenario named `{scenario}`")).hint("`erdiag demo --list` shows the catalogue"))?;
            let value: serde_json::Value = serde_json::from_slice(sc.snapshot).expect("built-in scenarios are valid JSON");
            let spec = LabSpec::from_snapshot(sc.name, &value).map_err(err)?;
            eprintln!("building lab `{}` from scenario {} (VLAN {}, {} / {}, AS {} ↔ 12076)…", lab.name, sc.name, spec.vlan, spec.primary, spec.secondary, spec.peer_asn);
            let state = lab.up(spec, Duration::from_secs(timeout)).map_err(err)?;
            eprintln!("lab `{}` is up: BGP converged in {:.1} s", lab.name, state.converged_secs.unwrap_or_default());
            eprintln!("next: erdiag diagnose --lab{}   ·   erdiag lab break --list", name_flag(&lab));
            Ok(0)
        }
        LabCommand::Down { name } => {
            let lab = lab(&name)?;
            let removal = lab.down().map_err(err)?;
            if removal.removed.is_empty() && removal.left.is_empty() {
                eprintln!("nothing of lab `{}` was left", lab.name);
            }
            for r in &removal.removed {
                eprintln!("removed {r}");
            }
            if !removal.left.is_empty() {
                return Err(UserError::new(format!("left alone: {} (named like lab `{}`, but not what it created)", removal.left.join(", "), lab.name))
                    .hint("erdiag removes only what the lab's marker records; `ip netns delete NS` removes a namespace that is yours"));
            }
            Ok(0)
        }
        LabCommand::Status { name, output } => status(&lab(&name)?, output),
        LabCommand::Break { kind, path, list, name, timeout } => {
            if list {
                let mut s = String::new();
                for k in BreakKind::ALL {
                    s.push_str(&format!("{:13} {}\n", k.name(), k.describe()));
                }
                crate::cli::emit(&s)?;
                return Ok(0);
            }
            let kind = kind.unwrap_or_default();
            let k = BreakKind::parse(&kind).ok_or_else(|| {
                UserError::new(format!("no break kind `{kind}`")).hint(format!("kinds: {}", BreakKind::ALL.map(|k| k.name()).join(", ")))
            })?;
            let lab = lab(&name)?;
            let p = if path == PathOpt::Secondary { Path2::Secondary } else { Path2::Primary };
            lab.apply(k, p, Duration::from_secs(timeout)).map_err(err)?;
            eprintln!("broke the {} path: {}", p.name(), k.describe());
            eprintln!("next: erdiag diagnose --lab{}", name_flag(&lab));
            Ok(0)
        }
        LabCommand::Fix { name, timeout } => {
            let lab = lab(&name)?;
            let state = lab.fix(Duration::from_secs(timeout)).map_err(err)?;
            eprintln!("lab `{}` rebuilt from {}: BGP converged in {:.1} s", lab.name, state.spec.scenario, state.converged_secs.unwrap_or_default());
            Ok(0)
        }
        LabCommand::Shell { router, commands, name } => {
            let lab = lab(&name)?;
            running(&lab)?;
            let mut cmd = std::process::Command::new("vtysh");
            cmd.arg("-N").arg(lab.owned_ns(&router).map_err(err)?.0);
            for c in &commands {
                cmd.arg("-c").arg(c);
            }
            let status = cmd.status().map_err(|e| UserError::new(format!("vtysh: {e}")))?;
            Ok(if status.success() { 0 } else { 1 })
        }
        LabCommand::Exec { router, command, name } => {
            let lab = lab(&name)?;
            running(&lab)?;
            let status = std::process::Command::new("ip")
                .args(["netns", "exec", &lab.owned_ns(&router).map_err(err)?.0])
                .args(&command)
                .status()
                .map_err(|e| UserError::new(format!("ip netns exec: {e}")))?;
            Ok(status.code().map(|c| c.clamp(0, 255) as u8).unwrap_or(1))
        }
        LabCommand::Snapshot { name, output_file, force } => {
            let lab = lab(&name)?;
            let snapshot = lab_snapshot(&lab)?;
            let mut text = serde_json::to_string_pretty(&snapshot).expect("a snapshot serializes");
            text.push('\n');
            match output_file {
                Some(p) => crate::io::write_file(&p, text.as_bytes(), force)?,
                None => crate::cli::emit(&text)?,
            }
            Ok(0)
        }
    }
}

fn name_flag(lab: &Lab) -> String {
    if lab.name == erdiag_lab::DEFAULT_NAME {
        String::new()
    } else {
        format!(" {}", lab.name)
    }
}

/// Adds the CE router's texts (redacted) to a snapshot's inputs, on both
/// paths: the lab's one CE faces both MSEEs.
fn attach_ce(lab: &Lab, snapshot: &mut serde_json::Value) {
    let texts: Vec<serde_json::Value> = erdiag_lab::live::ce_texts(lab)
        .into_iter()
        .map(|(name, text)| json!({ "name": name, "text": crate::evidence::redact_ce(&text) }))
        .collect();
    snapshot["inputs"] = json!({ "ce": { "primary": texts, "secondary": texts } });
}

/// A lab that is up, checked for what reading it needs (root, FRR).
fn running(lab: &Lab) -> Result<(), UserError> {
    erdiag_lab::preflight().map_err(err)?;
    lab.load().map_err(err).map(|_| ())
}

/// The emulator's backend over a running lab, and its circuit's id.
fn lab_backend(lab: &Lab) -> Result<(LabBackend, String), UserError> {
    erdiag_lab::preflight().map_err(err)?;
    let backend = LabBackend::new(lab.clone(), erdiag_azure::now_rfc3339).map_err(err)?;
    let id = backend.circuit_id().map_err(err)?;
    Ok((backend, id))
}

/// The lab's state read directly (no HTTP), with the CE's texts.
fn lab_snapshot(lab: &Lab) -> Result<serde_json::Value, UserError> {
    let (backend, _) = lab_backend(lab)?;
    let mut s = backend.read_snapshot().map_err(err)?;
    attach_ce(lab, &mut s);
    Ok(s)
}

/// `diagnose --lab`: the ARM emulator serves the lab's live state; erdiag
/// collects it over HTTP as it would from Azure, then adds the CE's texts.
pub fn collect(name: &str, quiet: bool) -> Result<(serde_json::Value, String), UserError> {
    let lab = Lab::new(name).map_err(err)?;
    let (backend, id) = lab_backend(&lab)?;
    let (mut snapshot, summary) = crate::emulate::collect_through_backend(erdiag_emulator::Config::new(Vec::new()), Arc::new(backend), &id, quiet)?;
    attach_ce(&lab, &mut snapshot);
    Ok((snapshot, format!("{summary} (lab `{}`)", lab.name)))
}

/// A backend for `emulate --lab`.
pub fn backend(name: &str) -> Result<(Arc<dyn erdiag_emulator::Backend>, String), UserError> {
    let (backend, id) = lab_backend(&Lab::new(name).map_err(err)?)?;
    Ok((Arc::new(backend), id))
}

fn status(lab: &Lab, format: StatusFormat) -> Result<u8, UserError> {
    let namespaces = lab.existing_namespaces().map_err(err)?;
    let state = match lab.load() {
        Ok(s) => s,
        Err(LabError::NotUp(_)) if !namespaces.is_empty() => {
            return Err(UserError::new(format!("lab `{}` has leftovers ({}) but no state", lab.name, namespaces.join(", "))).hint("`erdiag lab down` removes them if the lab's marker records them"));
        }
        Err(e) => return Err(err(e)),
    };
    let live = Live::read(lab);
    let spec = &state.spec;
    let mut paths = Vec::new();
    for (i, p) in [Path2::Primary, Path2::Secondary].into_iter().enumerate() {
        let (ce, msee) = erdiag_lab::spec::usable(spec.subnet(p.secondary()));
        let m = &live.msee[i];
        let peer = m.bgp.peer(ce);
        let gw_peer = live.gw.peer(spec.msee_vnet_ips[i]);
        paths.push(json!({
            "path": p.name(),
            "ce": ce.to_string(),
            "msee": msee.to_string(),
            "mseeRunning": m.bgp.peers.is_some(),
            "bgpState": peer.and_then(|p| p["state"].as_str()).unwrap_or("—"),
            "prefixesReceived": m.bgp.received(ce),
            "arpResolved": m.resolves(ce),
            "gatewaySession": gw_peer.and_then(|p| p["state"].as_str()).unwrap_or("—"),
        }));
    }
    let doc = json!({
        "name": lab.name,
        "scenario": spec.scenario,
        "circuitId": spec.circuit_id,
        "namespaces": namespaces,
        "breaks": state.breaks.iter().map(|b| json!({"kind": b.kind.name(), "path": b.path.name()})).collect::<Vec<_>>(),
        "healthy": live.healthy(spec),
        "convergedSecs": state.converged_secs,
        "paths": paths,
    });
    let text = match format {
        StatusFormat::Json => serde_json::to_string_pretty(&doc).unwrap() + "\n",
        StatusFormat::Table => {
            let mut s = format!("lab {} · scenario {} · {}\n", lab.name, spec.scenario, if doc["healthy"] == true { "converged" } else { "NOT converged" });
            s.push_str(&format!("namespaces: {}\n", namespaces.join(" ")));
            let breaks: Vec<String> = state.breaks.iter().map(|b| format!("{} ({})", b.kind.name(), b.path.name())).collect();
            s.push_str(&format!("breaks: {}\n", if breaks.is_empty() { "none".into() } else { breaks.join(", ") }));
            s.push_str("path       CE ↔ MSEE                  MSEE bgp      pfx  ARP    gateway\n");
            for p in doc["paths"].as_array().unwrap() {
                s.push_str(&format!(
                    "{:10} {:>12} ↔ {:12} {:13} {:>4} {:6} {}\n",
                    p["path"].as_str().unwrap(),
                    p["ce"].as_str().unwrap(),
                    p["msee"].as_str().unwrap(),
                    if p["mseeRunning"] == true { p["bgpState"].as_str().unwrap() } else { "MSEE down" },
                    p["prefixesReceived"].as_u64().map(|n| n.to_string()).unwrap_or("—".into()),
                    if p["arpResolved"] == true { "ok" } else { "none" },
                    p["gatewaySession"].as_str().unwrap()
                ));
            }
            s
        }
    };
    crate::cli::emit(&text)?;
    Ok(0)
}
