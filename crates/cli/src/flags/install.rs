//! The flags of `erdiag completions` and `erdiag man`.

use clap::Args;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Print the page of this subcommand (`lab up` may be written `lab-up`); default: erdiag(1).
    #[arg(num_args = 0.., value_name = "SUBCOMMAND")]
    pub subcommand: Vec<String>,
    /// Write every page (erdiag.1, erdiag-diagnose.1, erdiag-lab-up.1, …) into this directory instead.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub out_dir: Option<PathBuf>,
}
