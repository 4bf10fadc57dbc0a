//! The flags of `erdiag lab` and its subcommands.

use super::common::ListOutput;
use clap::{Args, Subcommand};
use erdiag_model::DevicePath;

#[derive(Args, Debug)]
#[command(after_help = "The lab runs FRRouting (Debian's `frr` package) in network namespaces: the customer edge (ce1), the primary and secondary MSEE (AS 12076) and the VNet gateway (AS 65515), joined through a provider namespace whose bridges are the layer-2 segments of each path. ARP, BGP with MD5, and BFD really run between them.\n\nA session:\n  sudo erdiag lab up                        # build it from the healthy-private scenario\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag diagnose --lab                # the ARM emulator serves the live state\n  sudo erdiag lab shell ce                  # fix it by hand in vtysh, or:\n  sudo erdiag lab fix\n  sudo erdiag lab down\n\nWith --store URL (or ERDIAG_STORE) on up, break and fix, the lab records its state after each change in that history store, as `diagnose --lab --store` does: `erdiag history` and `erdiag diff @TIME @TIME` then show real FRR transitions.\n\nEverything is named NAME-ROLE (erdlab-ce, erdlab-msee1, …); nothing outside those namespaces is touched, and `down` removes only what the lab's marker records (docs/security-lab.md).")]
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
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = super::bounds::seconds(super::bounds::MAX_TIMEOUT_SECS))]
        timeout: u64,        #[command(flatten)]
        store: super::store::StoreArgs,
    },
    /// Remove everything the lab created (also the leftovers of a crash).
    #[command(after_help = "Example:\n  sudo erdiag lab down")]
    Down {
        #[command(flatten)]
        name: NameArg,
    },
    /// Show the lab's sessions, ARP entries and breaks.
    #[command(after_help = "Examples:\n  sudo erdiag lab status\n  sudo erdiag lab status -o json", mut_arg("output", |a| a.help(None::<&'static str>)))]
    Status {
        #[command(flatten)]
        name: NameArg,
        #[command(flatten)]
        output: ListOutput,
    },
    /// Break the lab the way circuits break (--list shows the kinds).
    #[command(after_help = "KIND: md5, asn, ce-address, link-down, vlan, withdraw, prefix-limit, vnet-prefix, msee-down, gateway-down, v6-session-down, v6-prefix-missing (--list says what each does). `lab fix` undoes every break.\n\nExamples:\n  sudo erdiag lab break md5 --path secondary\n  sudo erdiag lab break vlan\n  sudo erdiag diagnose --lab")]
    Break {
        /// What to break.
        #[arg(value_name = "KIND", required_unless_present = "list")]
        kind: Option<String>,
        /// The device path to break.
        #[arg(long, value_enum, default_value_t = DevicePath::Primary)]
        path: DevicePath,
        /// List the kinds.
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        name: NameArg,
        /// Seconds to wait for the break to show in the routers.
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = super::bounds::seconds(super::bounds::MAX_TIMEOUT_SECS))]
        timeout: u64,        #[command(flatten)]
        store: super::store::StoreArgs,
    },
    /// Undo every break: rebuild the routers from the scenario and wait for convergence.
    #[command(after_help = "Example:\n  sudo erdiag lab fix && sudo erdiag diagnose --lab")]
    Fix {
        #[command(flatten)]
        name: NameArg,
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = super::bounds::seconds(super::bounds::MAX_TIMEOUT_SECS))]
        timeout: u64,
        #[command(flatten)]
        store: super::store::StoreArgs,
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
