//! Every flag and subcommand of `erdiag`, declared once (clap derive): the
//! command tree here, shared groups in their own modules, flattened where
//! several commands take them (`report`, `live`, `evidence`, `common`).
//! Flag names follow the Azure CLI (`-o/--output`, `-g`, `-n`).

pub mod bounds;
pub mod common;
pub mod diff;
pub mod emulate;
pub mod evidence;
pub mod fleet;
pub mod install;
pub mod lab;
pub mod live;
pub mod parse;
pub mod probe;
pub mod report;
pub mod store;
pub mod watch;

pub use common::ListFormat;
use clap::{Args, Parser, Subcommand};
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

const FLEET_HELP: &str = "\
erdiag finds the circuits through Azure Resource Graph (every subscription the credential can read, or the --subscription / --management-group given), keeps those the filters match, and collects them through one ARM client that paces its reads by ARM's throttling headers per subscription and region. Each circuit is diagnosed as its evidence arrives; a circuit that cannot be read (403, the deadline) is a row with verdict unknown and the reason. Then the checks across circuits (layer resiliency: gateways on two peering locations, symmetric paths and advertisements, prefix headroom, routing weights, ExpressRoute Direct oversubscription, zone-redundant gateways, BFD).

Examples:
  erdiag fleet                                   every circuit you can read, worst first
  erdiag fleet --list --subscription SUB         what would be diagnosed, nothing collected
  erdiag fleet --tag env=prod -n 'er-*' -l westeurope
  erdiag fleet --management-group mg-network -o jsonl > fleet.jsonl
  erdiag fleet -o html > fleet.html              one page, sortable, a section per circuit
  erdiag fleet --out-dir tickets/                a snapshot and a report per circuit
  erdiag fleet --snapshot snapshots/             offline: every *.json in the directory
  erdiag emulate --fleet circuits=40 &           a fleet to try it on (see docs/fleet.md)

Exit codes: 0 every circuit healthy and no resiliency check failing or unknown, 1 otherwise, 2 erdiag could not run.";

const HISTORY_HELP: &str = "\
The store is what `--store` on diagnose, collect, fleet and the lab recorded: one row per poll, and only what changed since the poll before (docs/store.md). A transition is dated by the first poll that saw it: it happened since the poll before.

Examples:
  erdiag history --list --store history.db
  erdiag history er-ckt-ams --store history.db --since 24h
  erdiag history er-ckt-ams --store history.db --since 7d --routes
  erdiag history er-ckt-ams --store history.db --at 2026-01-15T02:00:00Z -O then.json
  erdiag diff @2h @now --store history.db --circuit er-ckt-ams

Exit codes: 0 the timeline (or, with --at, as diagnose: 0 healthy, 1 otherwise), 2 erdiag could not run.";

const WATCH_HELP: &str = "\
Each poll diagnoses every circuit in scope as `erdiag fleet` does (one throttle-aware ARM client), records it in the store (--store; kept in memory while the store is unreachable, written when it is back), and updates what the listener serves: /metrics (Prometheus), /healthz, and the dashboard at /. Polls start every --every (±10%), never two at once; a circuit that cannot be read is unknown, not the end of the loop. SIGTERM or Ctrl-C: the poll in flight finishes, then erdiag exits 0. Read-only: nothing it serves reaches Azure.

The listener is on 127.0.0.1:9108 by default. Another address (--listen 0.0.0.0:9108) requires --auth-token (or ERDIAG_WATCH_TOKEN), or a reverse proxy that authenticates in front and --insecure-no-auth. Every flag is also a key of --config FILE (TOML; docs/watch.md).

Examples:
  erdiag watch --subscription SUB --store /var/lib/erdiag/history.db --every 5m
  erdiag watch --config /etc/erdiag/watch.toml --log-format json
  erdiag watch -g rg-er -n er-ckt-ams --id /subscriptions/SUB/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams
  erdiag watch --once --store history.db --subscription SUB     from cron: one poll, recorded
  erdiag watch --listen 127.0.0.1:9108                          behind a reverse proxy (nginx, Caddy) on the same host
  erdiag watch --scenario secondary-path-down --every 30s       a demonstration, offline
  curl -s 127.0.0.1:9108/metrics | grep erdiag_circuit_verdict

Exit codes: 0 stopped cleanly (or --once done), 2 bad settings or erdiag could not run.";

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
    /// Diagnose every ExpressRoute circuit you can read (Azure Resource Graph), or many snapshots, and check resiliency across them.
    #[command(after_help = FLEET_HELP)]
    Fleet(fleet::FleetArgs),
    /// What changed on a circuit between two snapshots: routes, BGP sessions, ARP, properties, traffic.
    #[command(after_help = diff::DIFF_HELP)]
    Diff(diff::DiffArgs),
    /// Serve built-in scenarios or snapshots as Azure Resource Manager on loopback, for real clients.
    #[command(after_help = "HTTPS by default with a certificate it generates (--cert-out writes it for clients to trust); long-running operations answer 202 with Azure-AsyncOperation and Location like ARM. Prints the base URL on standard output, requests on standard error.\n\n--fleet SPEC serves a generated fleet, with Resource Graph (paging, the per-caller quota): KEY=VALUE,… or a JSON file of the same keys. circuits=N (20), in pairs on one VNet gateway; subscriptions=S (2), in management groups mg-0 … mg-4; regions=R (2, at most 10); faulty=SHARE (0.1) of circuits drawn from faulty scenarios; seed=N (1: the same seed, the same fleet); forbidden=K (0): the last K subscriptions answer 403 to every ARM read, Resource Graph still lists them; latency=SECONDS (0) of each long-running operation; throttle=on|off (off): on is ARM's 250 reads per subscription and region, refilled at 25 a second, 429 with Retry-After when empty; direct=P (0) ExpressRoute Direct ports, the first oversubscribed; peerings=1|2 (2).\n\nExamples:\n  erdiag emulate vlan-mismatch --cert-out /tmp/erdiag-ca.pem\n  erdiag emulate healthy-private --latency 2 --fault 429=1:arpTables:2\n  erdiag emulate --fleet circuits=1000,subscriptions=20,regions=2,latency=2,throttle=on --cert-out ca.pem --stats-out buckets.json")]
    Emulate(emulate::EmulateArgs),
    /// Diagnose a built-in example circuit (see --list), collected over HTTP from the built-in ARM emulator.
    #[command(after_help = "Each scenario is a realistic circuit — healthy or broken the way circuits break — collected over HTTPS from the built-in ARM emulator exactly as `diagnose` collects from Azure.\n\nExamples:\n  erdiag demo                          the default scenario, secondary-path-down\n  erdiag demo --list                   the catalogue\n  erdiag demo vlan-mismatch -o html > report.html\n  erdiag demo md5-mismatch --describe  what is broken, where")]
    Demo(DemoArgs),
    /// TCP ping like PsPing, from any OS: run it during the portal's private-peering test.
    #[command(after_help = "Examples:\n  erdiag probe tcp 10.17.1.4:3389 --count 100\n  erdiag probe tcp 10.17.1.4:22 --duration 5m -o json > probe.json\n  erdiag diagnose --snapshot state.json --probe probe.json")]
    Probe(probe::ProbeArgs),
    /// Link-performance test like AzureCT's Get-LinkPerformance (also against `iperf3 -s`).
    #[command(after_help = "Examples:\n  erdiag perf server                     on a VM in the VNet\n  erdiag perf client 10.17.1.4           on premises, across the circuit\n  erdiag perf client 10.17.1.4 -o json > perf.json")]
    Perf(probe::PerfArgs),
    /// Parse a router's show output (BGP, ARP, routes, interfaces) into records, optionally in ntc-templates' schema.
    #[command(after_help = "Examples:\n  erdiag parse show-bgp-summary.txt\n  erdiag parse ce.log --platform cisco_ios --command \"show ip bgp\" -o json\n  erdiag parse arp.txt --schema ntc")]
    Parse(parse::ParseArgs),
    /// A live ExpressRoute lab on this machine: FRRouting CE and MSEEs in network namespaces, to break and diagnose.
    #[command(after_help = "Examples:\n  sudo erdiag lab up\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag diagnose --lab\n  sudo erdiag lab fix\n  sudo erdiag lab down")]
    Lab(lab::LabArgs),
    /// Watch circuits continuously: poll every --every, record into the store, serve Prometheus metrics and a dashboard.
    #[command(after_help = WATCH_HELP)]
    Watch(watch::WatchArgs),
    /// The timeline of a circuit from the history store (--store): sessions down and up, routes withdrawn, verdict changes; or its snapshot at a time.
    #[command(after_help = HISTORY_HELP)]
    History(store::HistoryArgs),
    /// List every check: ID, name, layer, owner, network points.
    #[command(after_help = "Examples:\n  erdiag checks\n  erdiag checks -o json | jq -r '.[] | select(.layer == \"arp\") | .id'")]
    Checks(ChecksArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard output.
    #[command(after_help = "Examples:\n  erdiag completions bash > /usr/share/bash-completion/completions/erdiag\n  erdiag completions zsh > \"${fpath[1]}/_erdiag\"\n  erdiag completions fish > ~/.config/fish/completions/erdiag.fish\n  erdiag completions powershell >> $PROFILE")]
    Completions(install::CompletionsArgs),
    /// Print erdiag's man page, or a subcommand's; --out-dir writes them all.
    #[command(after_help = "Examples:\n  erdiag man | man -l -\n  erdiag man lab up | man -l -\n  erdiag man --out-dir /usr/local/share/man/man1")]
    Man(install::ManArgs),
    /// Print a check's documentation: what it checks, why, evidence, remediation.
    #[command(after_help = "Examples:\n  erdiag explain ER301\n  erdiag explain arp-on-prem-entry-missing")]
    Explain {
        /// A check ID (ER301) or name (arp-on-prem-entry-missing).
        check: String,
    },
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
    pub live: live::LiveArgs,
    #[command(flatten)]
    pub evidence: evidence::EvidenceArgs,
    #[command(flatten)]
    pub report: report::ReportArgs,
    #[command(flatten)]
    pub store: store::StoreArgs,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    #[command(flatten)]
    pub live: live::LiveArgs,
    #[command(flatten)]
    pub output: common::OutputFile,
    /// Also mask who and where: subscription, tenant, service key, resource group and resource names, IP and MAC addresses (consistently, with a key drawn for this run; the snapshot still diagnoses the same).
    #[arg(long)]
    pub redact: bool,
    #[command(flatten)]
    pub evidence: evidence::EvidenceArgs,
    #[command(flatten)]
    pub store: store::StoreArgs,
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
    pub path: Option<erdiag_model::DevicePath>,
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
    #[command(flatten)]
    pub output: common::OutputFile,
    /// Mask who and where, as `collect --redact` does.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The scenario to diagnose (default: secondary-path-down).
    pub scenario: Option<String>,
    /// List the scenarios.
    #[arg(long)]
    pub list: bool,
    /// Seconds each long-running operation takes in the emulator.
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS", value_parser = bounds::latency)]
    pub latency: f64,
    /// Diagnose the scenario's snapshot directly, without the emulator and HTTP.
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub quiet: common::Quiet,
    /// Exit like `diagnose` does: 0 healthy, 1 degraded/down/unknown.
    #[arg(long)]
    pub exit_code: bool,
    /// Print the scenario's description (what is broken, where) instead of diagnosing it.
    #[arg(long)]
    pub describe: bool,
    #[command(flatten)]
    pub report: report::ReportArgs,
}

#[derive(Args, Debug)]
pub struct ChecksArgs {
    #[command(flatten)]
    pub output: common::ListOutput,
}
