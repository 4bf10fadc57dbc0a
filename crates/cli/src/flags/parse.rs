//! The flags of `erdiag parse`.

use erdiag_ce::Platform;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "The platform and the command are recognised from the content (the prompt line pasted with the output, headers, lines only one platform prints); --platform and --command override. Input that is not recognised is an error, never a guess.\n\nPlatforms (ntc-templates names): cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr.\n\nExamples:\n  erdiag parse bgp-summary.txt -o json\n  erdiag parse arp.txt --platform cisco_nxos --command 'show ip arp detail'\n  erdiag parse routes.txt --schema ntc     # the records TextFSM + ntc-templates would give\n\nExit codes: 0 parsed, 1 parsed with warnings (2 with --strict), 2 could not parse.")]
pub struct ParseArgs {
    /// A file holding one command's output, or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The platform, as ntc-templates names it: cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr.
    #[arg(long, value_name = "PLATFORM", value_parser = parse_platform)]
    pub platform: Option<Platform>,
    /// The command as typed on the router (`show ip bgp summary`, abbreviations allowed).
    #[arg(long, value_name = "COMMAND")]
    pub command: Option<String>,
    /// Field names and values: erdiag's typed model, or exactly ntc-templates'.
    #[arg(long, value_enum, default_value_t = Schema::Erdiag)]
    pub schema: Schema,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Json)]
    pub output: Format,
    /// Refuse inputs larger than this many bytes (default: no limit; the input is streamed).
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<u64>,
    /// A line not understood is an error (exit 2), not a warning (exit 1); the records are still printed.
    #[arg(long)]
    pub strict: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// erdiag's typed, vendor-neutral records.
    Erdiag,
    /// ntc-templates' field names and values (what TextFSM returns).
    Ntc,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    s.parse()
}

impl ParseArgs {
    /// What the parser and the JSON writer need.
    pub fn options(&self) -> erdiag_ce::stream::Options {
        erdiag_ce::stream::Options {
            platform: self.platform,
            command: self.command.clone(),
            schema: match self.schema {
                Schema::Erdiag => erdiag_ce::stream::Schema::Erdiag,
                Schema::Ntc => erdiag_ce::stream::Schema::Ntc,
            },
            max_size: self.max_size,
        }
    }
}
