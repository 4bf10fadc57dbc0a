//! `erdiag diff A B`: the two snapshots, the output format, colour, and
//! `--force` for two different circuits.

use crate::flags::report::ColorChoice;
use clap::{Args, ValueEnum};

pub const DIFF_HELP: &str = "\
Compares two snapshots of one circuit, A (before) and B (after), and says what changed in between: per peering and path, MSEE routes added, withdrawn or changed (next hops, AS path); BGP sessions whose state or prefix count changed, or that were reset (uptime went backwards); ARP entries that appeared, disappeared or changed MAC; the gateway's learned routes and BGP peers; ARM properties of the circuit, peerings, connections and gateways (with who changed them, when the snapshot holds Resource Graph's resourcechanges rows); and the traffic counters as bits per second over the interval, against the circuit's bandwidth. A table read in one snapshot and not in the other is said as such, never as every route withdrawn. See docs/diff.md.

Examples:
  erdiag collect -g rg-er -n er-ckt-ams -O before.json
  erdiag collect -g rg-er -n er-ckt-ams -O after.json
  erdiag diff before.json after.json                what changed, by peering and path
  erdiag diff before.json after.json -o json | jq '.changes[] | select(.kind == \"route\")'
  erdiag diff before.json after.json -o markdown >> ticket.md
  erdiag collect -g rg-er -n er-ckt-ams | erdiag diff before.json -
  erdiag diff @24h @now --store history.db --circuit er-ckt-ams   from the history store
  erdiag diff @2026-01-15T02:00:00Z now.json --store history.db

An operand @TIME (RFC 3339, a span ago such as 2h, or now) is the snapshot the history store (--store) holds for the circuit at TIME: its last poll at or before it. The circuit is --circuit, else the other operand's, else the store's only one.

Exit codes: 0 no change (traffic rates alone are not a change), 1 changes, 2 erdiag could not run (an unreadable snapshot, two different circuits without --force).";

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The snapshot before: an erdiag-snapshot/1 file, - for standard input, or @TIME from --store.
    #[arg(value_name = "A")]
    pub before: String,
    /// The snapshot after: a file, - for standard input, or @TIME from --store.
    #[arg(value_name = "B")]
    pub after: String,
    /// Output format. Default: table on a terminal, json otherwise.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<DiffFormat>,
    /// When to colour the table (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Compare even when A and B are snapshots of different circuits.
    #[arg(long)]
    pub force: bool,
    /// The history store @TIME operands are read from (a SQLite file, or postgres://…).
    #[arg(long = "store", env = "ERDIAG_STORE", hide_env_values = true, value_name = "URL")]
    pub store: Option<String>,
    /// The circuit of @TIME operands: its ARM id, or a name only one stored circuit has.
    #[arg(long, value_name = "CIRCUIT")]
    pub circuit: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}
