//! What a package installs beside the binary, generated from the same clap
//! definitions the binary parses with: shell completions and man pages.

use crate::flags::install::{CompletionsArgs, ManArgs};
use crate::flags::Cli;
use crate::terminal::emit;
use clap::builder::PossibleValuesParser;
use clap::CommandFactory;
use erdiag_pipeline::{scenarios, Error};
use std::path::Path;

/// The command tree as completions should see it: the positional scenario
/// names of `demo` and `emulate` become possible values, so that
/// `erdiag demo <TAB>` offers the catalogue. (The parser itself keeps its
/// own error for an unknown name, with a hint.)
fn completion_command() -> clap::Command {
    let names: Vec<&'static str> = scenarios::SCENARIOS.iter().map(|s| s.name).collect();
    let values = PossibleValuesParser::new(names);
    Cli::command()
        .mut_subcommand("demo", |c| c.mut_arg("scenario", |a| a.value_parser(values.clone())))
        .mut_subcommand("emulate", |c| c.mut_arg("scenarios", |a| a.value_parser(values.clone())))
}

pub fn completions(a: &CompletionsArgs) -> Result<u8, Error> {
    let mut cmd = completion_command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "erdiag", &mut buf);
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

pub fn man(a: &ManArgs) -> Result<u8, Error> {
    let mut root = Cli::command();
    root.build();
    if let Some(dir) = &a.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::system(format!("cannot create {}: {e}", dir.display())))?;
        let n = write_pages(&root, "erdiag", dir)?;
        eprintln!("wrote {n} man pages to {}", dir.display());
        return Ok(0);
    }
    let path: Vec<String> = a.subcommand.iter().flat_map(|s| s.split('-').map(str::to_string).collect::<Vec<_>>()).collect();
    let mut cmd = &root;
    let mut name = String::from("erdiag");
    for part in &path {
        cmd = cmd.find_subcommand(part).ok_or_else(|| {
            Error::usage(format!("no subcommand `{}`", path.join(" "))).with_hint("`erdiag --help` lists them; `erdiag man --out-dir DIR` writes every page")
        })?;
        name = format!("{name}-{}", cmd.get_name());
    }
    emit(&String::from_utf8_lossy(&render(cmd, &name)?))?;
    Ok(0)
}

/// One page: the command renamed to its page name, so that the page's NAME
/// and SYNOPSIS read `erdiag-lab-up`, as git's pages do.
fn render(cmd: &clap::Command, page: &str) -> Result<Vec<u8>, Error> {
    let named = cmd.clone().name(page.to_string()).bin_name(page.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(named)
        .date(env!("ERDIAG_BUILD_DATE"))
        .source(format!("erdiag {}", env!("CARGO_PKG_VERSION")))
        .manual("erdiag manual")
        .render(&mut buf)
        .map_err(|e| Error::system(format!("cannot render the man page of {page}: {e}")))?;
    Ok(buf)
}

fn write_pages(cmd: &clap::Command, page: &str, dir: &Path) -> Result<usize, Error> {
    let file = dir.join(format!("{page}.1"));
    std::fs::write(&file, render(cmd, page)?).map_err(|e| Error::system(format!("cannot write {}: {e}", file.display())))?;
    let mut n = 1;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        n += write_pages(sub, &format!("{page}-{}", sub.get_name()), dir)?;
    }
    Ok(n)
}
