//! Flags and subcommands. Flag names follow the Azure CLI (`-o/--output`).

use crate::output::{self, UserError};
use crate::scenarios;
use clap::{Args, Parser, Subcommand, ValueEnum};
use erdiag_checks::{registry, Options, Report, Verdict};
use erdiag_model::Snapshot;
use std::net::IpAddr;
use std::path::PathBuf;

const ABOUT: &str = "Diagnose Azure ExpressRoute connectivity the way Microsoft's guide \"Verify ExpressRoute connectivity\" does: circuit → peering → ARP → BGP and routes → traffic → connectivity test → gateway, with the failing network point, the likely cause, who owns the fix and the next steps.";

const AFTER_HELP: &str = "\
Examples:
  erdiag demo                               diagnose a built-in faulty circuit
  erdiag demo --list                        the scenario catalogue
  erdiag diagnose --snapshot state.json     diagnose a collected snapshot
  erdiag diagnose --snapshot state.json -o markdown > ticket.md
  erdiag explain ER301                      what a check looks at and why

Exit codes: 0 healthy, 1 degraded/down/unknown, 2 erdiag could not run.";

/// What `--version` prints after the name: the version, the commit and the build date.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ERDIAG_COMMIT"), ", built ", env!("ERDIAG_BUILD_DATE"), ")");

#[derive(Parser, Debug)]
#[command(name = "erdiag", version = VERSION, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Diagnose a circuit: live from Azure (-g/-n or --service-key) or from a snapshot file.
    #[command(after_help = "Live, erdiag reads the circuit, its peerings, the MSEE ARP tables, route tables and summaries of both paths, the stats, the connections to the circuit and their gateways — all at once, read-only. From a snapshot (`erdiag collect`, `erdiag import`), it reads the same from the file. Calls that failed are recorded; checks that needed them report `unknown`, never `pass`.\n\nExamples:\n  erdiag diagnose -g rg-er -n er-ckt-ams\n  erdiag diagnose --service-key 0a1b2c3d-... --subscription SUB\n  erdiag diagnose --snapshot state.json -o markdown\n\nExit codes: 0 healthy, 1 degraded/down/unknown, 2 erdiag could not run.")]
    Diagnose(DiagnoseArgs),
    /// Collect a circuit's state from Azure into an erdiag-snapshot/1 file, read-only.
    #[command(after_help = "The peering MD5 key and router secrets are never written; --redact also masks the subscription, tenant, service key, resource group and resource names, IP and MAC addresses (docs/security-secrets.md).\n\nExample:\n  erdiag collect -g rg-er -n er-ckt-ams -O er-ckt-ams.json")]
    Collect(CollectArgs),
    /// Build a snapshot from Azure CLI JSON and Azure PowerShell output you already have.
    #[command(after_help = "Each file holds one command's output: `az network express-route show / peering show / list-arp-tables / list-route-tables / list-route-tables-summary / get-stats -o json`, or the text of Get-AzExpressRouteCircuit, Get-AzExpressRouteCircuitPeeringConfig, Get-AzExpressRouteCircuitARPTable, Get-AzExpressRouteCircuitRouteTable, Get-AzExpressRouteCircuitRouteTableSummary, Get-AzExpressRouteCircuitStats (list or table form). The kind is read from the content; the peering and device path of a table from --peering/--path, the command echoed in the file, the file name (arp-private-primary.txt) or the table's addresses.\n\nExample:\n  erdiag import circuit.json peering.json arp-private-primary.txt arp-private-secondary.txt -O snapshot.json\n  erdiag diagnose --snapshot snapshot.json")]
    Import(ImportArgs),
    /// Serve built-in scenarios or snapshots as Azure Resource Manager on loopback, for real clients.
    #[command(after_help = "HTTPS by default with a certificate it generates (--cert-out writes it for clients to trust); long-running operations answer 202 with Azure-AsyncOperation and Location like ARM. Prints the base URL on standard output, requests on standard error.\n\nExamples:\n  erdiag emulate vlan-mismatch --cert-out /tmp/erdiag-ca.pem\n  erdiag emulate healthy-private --latency 2 --fault 429=1:arpTables:2")]
    Emulate(crate::emulate::EmulateArgs),
    /// Diagnose a built-in example circuit (see --list), collected over HTTP from the built-in ARM emulator.
    #[command(after_help = "Each scenario is a realistic circuit — healthy or broken the way circuits break — collected over HTTPS from the built-in ARM emulator exactly as `diagnose` collects from Azure.\n\nExamples:\n  erdiag demo                          the default scenario, secondary-path-down\n  erdiag demo --list                   the catalogue\n  erdiag demo vlan-mismatch -o html > report.html\n  erdiag demo md5-mismatch --describe  what is broken, where")]
    Demo(DemoArgs),
    /// TCP ping like PsPing, from any OS: run it during the portal's private-peering test.
    #[command(after_help = "Examples:\n  erdiag probe tcp 10.17.1.4:3389 --count 100\n  erdiag probe tcp 10.17.1.4:22 --duration 5m -o json > probe.json\n  erdiag diagnose --snapshot state.json --probe probe.json")]
    Probe(crate::flags::probe::ProbeArgs),
    /// Link-performance test like AzureCT's Get-LinkPerformance (also against `iperf3 -s`).
    #[command(after_help = "Examples:\n  erdiag perf server                     on a VM in the VNet\n  erdiag perf client 10.17.1.4           on premises, across the circuit\n  erdiag perf client 10.17.1.4 -o json > perf.json")]
    Perf(crate::flags::probe::PerfArgs),
    /// Parse a router's show output (BGP, ARP, routes, interfaces) into records, optionally in ntc-templates' schema.
    #[command(after_help = "Examples:\n  erdiag parse show-bgp-summary.txt\n  erdiag parse ce.log --platform cisco_ios --command \"show ip bgp\" -o json\n  erdiag parse arp.txt --schema ntc")]
    Parse(crate::flags::parse::ParseArgs),
    /// A live ExpressRoute lab on this machine: FRRouting CE and MSEEs in network namespaces, to break and diagnose.
    #[command(after_help = "Examples:\n  sudo erdiag lab up\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag diagnose --lab\n  sudo erdiag lab fix\n  sudo erdiag lab down")]
    Lab(crate::lab::LabArgs),
    /// List every check: ID, name, layer, owner, network points.
    #[command(after_help = "Examples:\n  erdiag checks\n  erdiag checks -o json | jq -r '.[] | select(.layer == \"arp\") | .id'")]
    Checks(ChecksArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard output.
    #[command(after_help = "Examples:\n  erdiag completions bash > /usr/share/bash-completion/completions/erdiag\n  erdiag completions zsh > \"${fpath[1]}/_erdiag\"\n  erdiag completions fish > ~/.config/fish/completions/erdiag.fish\n  erdiag completions powershell >> $PROFILE")]
    Completions(crate::install::CompletionsArgs),
    /// Print erdiag's man page, or a subcommand's; --out-dir writes them all.
    #[command(after_help = "Examples:\n  erdiag man | man -l -\n  erdiag man lab up | man -l -\n  erdiag man --out-dir /usr/local/share/man/man1")]
    Man(crate::install::ManArgs),
    /// Print a check's documentation: what it checks, why, evidence, remediation.
    #[command(after_help = "Examples:\n  erdiag explain ER301\n  erdiag explain arp-on-prem-entry-missing")]
    Explain {
        /// A check ID (ER301) or name (arp-on-prem-entry-missing).
        check: String,
    },
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output format. Default: table on a terminal, json otherwise.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<Format>,
    /// Look a destination up in each path's MSEE route table (repeatable).
    #[arg(long = "dest", value_name = "IP")]
    pub dest: Vec<IpAddr>,
    /// When to colour the table (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Checks you know cannot be verified (a permission you lack): their
    /// `unknown` no longer keeps the verdict from healthy, and the report
    /// says so. IDs or names, comma-separated or repeated.
    #[arg(long = "accept-unverified", value_name = "IDS", value_delimiter = ',')]
    pub accept_unverified: Vec<String>,
}

impl ReportArgs {
    /// The accepted checks' IDs; an ID or name no check has is a usage error.
    fn accepted(&self) -> Result<Vec<String>, UserError> {
        self.accept_unverified
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(|a| {
                registry::find(a).map(|c| c.id.to_string()).ok_or_else(|| {
                    UserError::new(format!("--accept-unverified: no check with ID or name `{a}`")).hint("`erdiag checks` lists them")
                })
            })
            .collect()
    }
}

#[derive(Args, Debug)]
pub struct DiagnoseArgs {
    /// An erdiag-snapshot/1 file, or - for standard input.
    #[arg(long, value_name = "FILE", env = "ERDIAG_SNAPSHOT", conflicts_with_all = ["name", "service_key", "resource_group"])]
    pub snapshot: Option<PathBuf>,
    /// Diagnose the live lab (`erdiag lab up`) through the ARM emulator, with its CE router's outputs.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = erdiag_lab::DEFAULT_NAME, conflicts_with_all = ["snapshot", "name", "service_key", "resource_group"])]
    pub lab: Option<String>,
    #[command(flatten)]
    pub live: crate::live::LiveArgs,
    #[command(flatten)]
    pub evidence: crate::evidence::EvidenceArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    #[command(flatten)]
    pub live: crate::live::LiveArgs,
    /// Where to write the snapshot (default: standard output).
    #[arg(short = 'O', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Write even when FILE is a symbolic link (its target is replaced).
    #[arg(long)]
    pub force: bool,
    /// Also mask who and where: subscription, tenant, service key, resource group and resource names, IP and MAC addresses (consistently, with a key drawn for this run; the snapshot still diagnoses the same).
    #[arg(long)]
    pub redact: bool,
    #[command(flatten)]
    pub evidence: crate::evidence::EvidenceArgs,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Files with command outputs (one command per file).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The peering of every table given (AzurePrivatePeering, MicrosoftPeering; or private, microsoft).
    #[arg(long, value_name = "NAME")]
    pub peering: Option<String>,
    /// The device path of every table given.
    #[arg(long, value_enum, value_name = "PATH")]
    pub path: Option<PathArg>,
    /// The circuit's full resource id (when the outputs do not carry it).
    #[arg(long, value_name = "ID")]
    pub circuit_id: Option<String>,
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,
    #[arg(short = 'g', long = "resource-group", value_name = "NAME")]
    pub resource_group: Option<String>,
    /// The circuit's name.
    #[arg(short = 'n', long = "name", alias = "circuit", value_name = "CIRCUIT")]
    pub name: Option<String>,
    /// When the outputs were taken (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub collected_at: Option<String>,
    /// Where to write the snapshot (default: standard output).
    #[arg(short = 'O', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Write even when FILE is a symbolic link (its target is replaced).
    #[arg(long)]
    pub force: bool,
    /// Mask who and where, as `collect --redact` does.
    #[arg(long)]
    pub redact: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathArg {
    Primary,
    Secondary,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The scenario to diagnose (default: secondary-path-down).
    pub scenario: Option<String>,
    /// List the scenarios.
    #[arg(long)]
    pub list: bool,
    /// Seconds each long-running operation takes in the emulator.
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS", value_parser = crate::args::latency)]
    pub latency: f64,
    /// Diagnose the scenario's snapshot directly, without the emulator and HTTP.
    #[arg(long)]
    pub offline: bool,
    /// No progress display.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Exit like `diagnose` does: 0 healthy, 1 degraded/down/unknown.
    #[arg(long)]
    pub exit_code: bool,
    /// Print the scenario's description (what is broken, where) instead of diagnosing it.
    #[arg(long)]
    pub describe: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Args, Debug)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
    // A self-contained HTML report with the guide's diagram; the diagram alone as SVG.
    Html,
    Svg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(cli: Cli) -> Result<u8, UserError> {
    // A mistyped check ID is an error before any collection starts.
    match &cli.command {
        Command::Diagnose(DiagnoseArgs { report, .. }) | Command::Demo(DemoArgs { report, .. }) => {
            report.accepted()?;
        }
        _ => {}
    }
    match cli.command {
        Command::Diagnose(a) if a.lab.is_some() => {
            let (mut snapshot, summary) = crate::lab::collect(a.lab.as_deref().unwrap_or(erdiag_lab::DEFAULT_NAME), a.live.quiet)?;
            if !a.live.quiet {
                eprintln!("{summary}");
            }
            a.evidence.apply(&mut snapshot)?;
            let bytes = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
            diagnose_bytes("the lab's state", &bytes, &a.report)
        }
        Command::Diagnose(a) => match &a.snapshot {
            Some(path) => {
                let (label, bytes) = crate::io::read_input(path, crate::io::Input::Document)?;
                let bytes = snapshot_text(&label, bytes)?;
                if a.evidence.is_empty() {
                    diagnose_bytes(&label, &bytes, &a.report)
                } else {
                    // Check the file as it is first (its own errors, its own positions), then add the
                    // evidence to its inputs: the resource bodies pass through as read.
                    let mut snapshot = Snapshot::from_slice(&bytes).map_err(|e| UserError::new(format!("{label}: {e}")))?;
                    snapshot.decode().map_err(|e| UserError::new(format!("{label}: {e}")))?;
                    a.evidence.apply_inputs(&mut snapshot.inputs)?;
                    diagnose_bytes(&label, &serde_json::to_vec(&snapshot).expect("a snapshot serializes"), &a.report)
                }
            }
            None if a.live.wants_live() => {
                let (mut snapshot, summary) = crate::live::collect(&a.live)?;
                if !a.live.quiet {
                    eprintln!("{summary}");
                }
                a.evidence.apply(&mut snapshot)?;
                let bytes = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
                diagnose_bytes("the collected state", &bytes, &a.report)
            }
            None => Err(UserError::new("nothing to diagnose: name a circuit (-g RG -n NAME, or --service-key KEY) or give --snapshot FILE")
                .hint("`erdiag demo` shows a diagnosis of a built-in circuit")),
        },
        Command::Collect(a) => {
            let (mut snapshot, summary) = crate::live::collect(&a.live)?;
            a.evidence.apply(&mut snapshot)?;
            write_snapshot(snapshot, a.redact, a.output_file.as_deref(), a.force)?;
            if !a.live.quiet {
                eprintln!("{summary}{}", a.output_file.as_ref().map(|p| format!("; written to {}", p.display())).unwrap_or_default());
            }
            Ok(0)
        }
        Command::Import(a) => {
            let mut inputs = Vec::new();
            for f in &a.files {
                let (label, bytes) = crate::io::read_input(f, crate::io::Input::Document)?;
                let text = erdiag_import::read_text(&label, &bytes).map_err(import_error)?;
                let mut input = erdiag_import::Input::new(label, text);
                input.peering = a.peering.clone();
                input.path = a.path.map(|p| match p {
                    PathArg::Primary => erdiag_model::DevicePath::Primary,
                    PathArg::Secondary => erdiag_model::DevicePath::Secondary,
                });
                inputs.push(input);
            }
            let options = erdiag_import::Options {
                circuit_id: a.circuit_id.clone(),
                subscription: a.subscription.clone(),
                resource_group: a.resource_group.clone(),
                circuit_name: a.name.clone(),
                collected_at: a.collected_at.clone(),
            };
            let imported = erdiag_import::import(&inputs, &options).map_err(import_error)?;
            for n in &imported.notes {
                eprintln!("{}", crate::output::shown(n));
            }
            write_snapshot(imported.snapshot, a.redact, a.output_file.as_deref(), a.force)?;
            Ok(0)
        }
        Command::Lab(a) => crate::lab::run(a),
        Command::Demo(a) => {
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
            let name = a.scenario.as_deref().unwrap_or(scenarios::DEFAULT);
            let sc = scenarios::find(name).ok_or_else(|| {
                UserError::new(format!("no scenario named `{name}`")).hint("`erdiag demo --list` shows the catalogue")
            })?;
            if a.describe {
                emit(sc.readme)?;
                return Ok(0);
            }
            let code = if a.offline {
                diagnose_bytes(&format!("scenario {}", sc.name), sc.snapshot, &a.report)?
            } else {
                let (snapshot, summary) = crate::emulate::collect_through_emulator(sc.snapshot, std::time::Duration::from_secs_f64(a.latency.max(0.0)), a.quiet)?;
                if !a.quiet {
                    eprintln!("{summary}");
                }
                let bytes = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
                diagnose_bytes(&format!("scenario {} (collected)", sc.name), &bytes, &a.report)?
            };
            // A demo that ran is a success; `--exit-code` makes it answer like `diagnose`.
            Ok(if a.exit_code { code } else { 0 })
        }
        Command::Checks(a) => {
            let s = match a.output {
                ListFormat::Json => {
                    let v: Vec<_> = registry::ALL
                        .iter()
                        .map(|c| {
                            serde_json::json!({
                                "id": c.id, "name": c.name, "layer": c.layer, "owner": c.owner,
                                "networkPoints": c.points, "documentation": c.documentation(),
                            })
                        })
                        .collect();
                    serde_json::to_string_pretty(&v).unwrap() + "\n"
                }
                ListFormat::Table => {
                    let w = registry::ALL.iter().map(|c| c.name.len()).max().unwrap_or(0);
                    let mut s = format!("{:5}  {:w$}  {:17}  {:9}  points\n", "ID", "NAME", "LAYER", "OWNER");
                    for c in registry::ALL {
                        let pts = c.points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",");
                        s.push_str(&format!("{:5}  {:w$}  {:17}  {:9}  {pts}\n", c.id, c.name, c.layer.as_str(), c.owner.as_str()));
                    }
                    s
                }
            };
            emit(&s)?;
            Ok(0)
        }
        Command::Emulate(a) => crate::emulate::run(a),
        Command::Completions(a) => crate::install::completions(&a),
        Command::Man(a) => crate::install::man(&a),
        Command::Parse(a) => crate::commands::parse::run(&a),
        Command::Probe(a) => crate::commands::probe::run(a),
        Command::Perf(a) => crate::commands::perf::run(a),
        Command::Explain { check } => {
            let c = registry::find(&check).ok_or_else(|| {
                UserError::new(format!("no check with ID or name `{check}`")).hint("`erdiag checks` lists them")
            })?;
            let pts = c.points.iter().map(|p| format!("{p} ({})", erdiag_checks::report::point_name(*p))).collect::<Vec<_>>().join(", ");
            emit(&format!(
                "{} {}\nlayer: {} · default owner: {} · network points: {pts}\n\n{}\n",
                c.id,
                c.name,
                c.layer,
                c.owner,
                c.documentation()
            ))?;
            Ok(0)
        }
    }
}

fn import_error(e: erdiag_import::ImportError) -> UserError {
    let hint = e.hint.clone();
    let u = UserError::new(e.to_string());
    match hint {
        Some(h) => u.hint(h),
        None => u,
    }
}

pub fn emit(s: &str) -> Result<(), UserError> {
    output::emit(s).map_err(|e| UserError::new(format!("cannot write to standard output: {e}")))
}

/// A snapshot as UTF-8 without a byte-order mark: Windows tools save JSON
/// with one, PowerShell 5's `Out-File` as UTF-16.
pub fn snapshot_text(label: &str, bytes: Vec<u8>) -> Result<Vec<u8>, UserError> {
    if !matches!(bytes.as_slice(), [0xEF, 0xBB, 0xBF, ..] | [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
        return Ok(bytes);
    }
    erdiag_import::read_text(label, &bytes).map(String::into_bytes).map_err(import_error)
}

/// Loads and diagnoses a snapshot, prints the report; the exit code follows the verdict.
fn diagnose_bytes(label: &str, bytes: &[u8], args: &ReportArgs) -> Result<u8, UserError> {
    let snapshot = Snapshot::from_slice(bytes).map_err(|e| {
        UserError::new(format!("{label}: {e}")).hint("a snapshot is an erdiag-snapshot/1 JSON file (see docs/snapshot.md)")
    })?;
    let state = snapshot.decode().map_err(|e| UserError::new(format!("{label}: {e}")))?;
    erdiag_checks::ce::validate(&state).map_err(|e| UserError::new(e.to_string()).hint("--ce takes a router's running configuration (Cisco IOS/IOS-XE, NX-OS, IOS-XR, Junos, Arista EOS, FRR)"))?;
    let report = erdiag_checks::diagnose(&state, &Options { destinations: args.dest.clone(), accepted: args.accepted()? });
    let format = args.output.unwrap_or(if output::stdout_is_terminal() { Format::Table } else { Format::Json });
    emit(&render(&report, format, output::stdout_color(args.color)))?;
    Ok(exit_code(report.verdict))
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Table => erdiag_render::table(report, color),
        Format::Json => erdiag_render::json(report),
        Format::Markdown => erdiag_render::markdown(report),
        Format::Html => erdiag_render::html(report),
        Format::Svg => erdiag_render::svg(report),
    }
}

pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Healthy => 0,
        _ => 1,
    }
}

/// Writes a snapshot document to FILE (`crate::io::write_file`) or standard
/// output, masked first with a key drawn for this run when `redact`
/// (docs/security-secrets.md).
fn write_snapshot(mut snapshot: serde_json::Value, redact: bool, file: Option<&std::path::Path>, force: bool) -> Result<(), UserError> {
    if redact {
        erdiag_azure::redact_snapshot(&mut snapshot, &erdiag_azure::RedactKey::random());
    }
    let mut text = serde_json::to_string_pretty(&snapshot).expect("a snapshot serializes");
    text.push('\n');
    match file {
        Some(p) => crate::io::write_file(p, text.as_bytes(), force)?,
        None => emit(&text)?,
    }
    Ok(())
}
