//! The evidence only the user can supply (`--acl-test`, `--ce`, `--probe`,
//! `--azure-md5`); `crate::evidence` writes it into a snapshot's `inputs`.

use clap::{Args, ValueEnum};

#[derive(Args, Debug, Clone, Default)]
pub struct EvidenceArgs {
    /// The portal's "Test private-peering connectivity" result of one MSEE, as text:
    /// primary=FILE or secondary=FILE (repeatable).
    #[arg(long = "acl-test", value_name = "PATH=FILE")]
    pub acl_test: Vec<String>,
    /// A CE router's running configuration or show outputs for a device path:
    /// primary=FILE or secondary=FILE (repeatable; several files per path; a file may hold several commands with prompts).
    #[arg(long = "ce", value_name = "PATH=FILE")]
    pub ce: Vec<String>,
    /// The JSON of `erdiag probe tcp … -o json` run during the test (erdiag-probe/1).
    #[arg(long = "probe", value_name = "FILE")]
    pub probe: Option<String>,
    /// Whether the peering on Azure's side has an MD5 key (Azure never displays it).
    #[arg(long = "azure-md5", value_enum, value_name = "yes|no")]
    pub azure_md5: Option<YesNo>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
}
