//! `erdiag fleet`: which circuits (the scope searched in Azure Resource
//! Graph and the filters, or snapshot files), what to write, how many at
//! once. How to reach ARM is the [`Connection`] group `diagnose` has too.

use super::common::Quiet;
use super::live::Connection;
use super::report::DiagnosisArgs;
use clap::{Args, ValueEnum};
use erdiag_pipeline::graph::{Filter, Scope};
use std::path::PathBuf;

/// `-o` of `fleet`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FleetFormat {
    /// One line per circuit, worst first, then the findings across circuits and a summary line.
    Table,
    /// One erdiag-fleet/1 document (docs/erdiag-fleet-1.schema.json).
    Json,
    /// One JSON document per line as each circuit finishes, then the summary (docs/fleet.md).
    Jsonl,
    /// One self-contained page: the table, sortable, linking to each circuit's report.
    Html,
}

/// Which circuits: the scope searched in Azure Resource Graph and the
/// filters (`fleet` and `watch`).
#[derive(Args, Debug, Clone, Default)]
pub struct ScopeArgs {
    /// A subscription to search (repeatable). Default: every subscription the credential can read.
    #[arg(long = "subscription", value_name = "ID")]
    pub subscriptions: Vec<String>,
    /// A management group to search (repeatable), instead of subscriptions.
    #[arg(long = "management-group", value_name = "ID", conflicts_with = "subscriptions")]
    pub management_groups: Vec<String>,
    /// Only circuits with this tag (repeatable: all must match; case-insensitive).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = tag)]
    pub tags: Vec<(String, String)>,
    /// Only circuits in this resource group (repeatable).
    #[arg(short = 'g', long = "resource-group", value_name = "NAME")]
    pub resource_groups: Vec<String>,
    /// Only circuits whose name matches this glob (`*`; repeatable; case-insensitive).
    #[arg(short = 'n', long = "name", value_name = "GLOB")]
    pub names: Vec<String>,
    /// Only circuits in this Azure region (repeatable: westeurope).
    #[arg(short = 'l', long = "location", value_name = "REGION")]
    pub locations: Vec<String>,
    /// Only circuits of this connectivity provider (repeatable: Equinix).
    #[arg(long = "provider", value_name = "NAME")]
    pub providers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct FleetArgs {
    #[command(flatten)]
    pub select: ScopeArgs,
    /// List the circuits found (after the filters) without diagnosing them.
    #[arg(long)]
    pub list: bool,
    /// Diagnose snapshot files instead of Azure (repeatable; a directory: every *.json in it).
    #[arg(long = "snapshot", value_name = "FILE", conflicts_with_all = ["subscriptions", "management_groups", "list", "tags", "resource_groups", "names", "locations", "providers"])]
    pub snapshots: Vec<PathBuf>,
    /// Output format. Default: table on a terminal, json otherwise.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<FleetFormat>,
    /// Also write, per circuit, its snapshot and report (json and markdown) into DIR, for tickets.
    #[arg(long = "out-dir", value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Write into an --out-dir that already holds files (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
    /// Circuits collected and diagnosed at once (their calls share one throttle-aware client).
    #[arg(long, default_value_t = erdiag_pipeline::fleet::DEFAULT_CONCURRENCY, value_name = "N", value_parser = super::bounds::count::<usize>(1, super::bounds::MAX_FLEET_CONCURRENCY))]
    pub concurrency: usize,
    /// Read each circuit's metrics with one GET per set of metrics instead of Azure Monitor's metrics:getBatch (50 circuits of one subscription and region a call, on https://{region}.metrics.monitor.azure.com, or the --arm-endpoint itself when that is set).
    #[arg(long)]
    pub no_metrics_batch: bool,
    #[command(flatten)]
    pub diagnosis: DiagnosisArgs,
    #[command(flatten)]
    pub connection: Connection,
    #[command(flatten)]
    pub metrics: super::common::MetricsArgs,
    #[command(flatten)]
    pub store: super::store::StoreArgs,
    #[command(flatten)]
    pub quiet: Quiet,
}

impl ScopeArgs {
    /// Where to search: the subscriptions, the management groups, or the tenant.
    pub fn scope(&self) -> Scope {
        if !self.subscriptions.is_empty() {
            Scope::Subscriptions(self.subscriptions.clone())
        } else if !self.management_groups.is_empty() {
            Scope::ManagementGroups(self.management_groups.clone())
        } else {
            Scope::Tenant
        }
    }

    /// Which of the circuits found to keep.
    pub fn filter(&self) -> Filter {
        Filter {
            tags: self.tags.clone(),
            resource_groups: self.resource_groups.clone(),
            names: self.names.clone(),
            locations: self.locations.clone(),
            providers: self.providers.clone(),
            ids: Vec::new(),
        }
    }
}

impl FleetArgs {
    pub fn scope(&self) -> Scope {
        self.select.scope()
    }

    pub fn filter(&self) -> Filter {
        self.select.filter()
    }
}

/// `KEY=VALUE`; the value may be empty, the key may not.
pub fn tag(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_key_equals_value() {
        assert_eq!(tag("env=prod"), Ok(("env".into(), "prod".into())));
        assert_eq!(tag("owner="), Ok(("owner".into(), String::new())));
        assert!(tag("env").is_err());
        assert!(tag("=prod").is_err());
    }
}
