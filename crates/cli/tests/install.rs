//! What a package installs beside the binary: completions for every shell,
//! a man page for every subcommand, and a version that names its build.

mod common;
use common::*;
use std::process::Command;

#[test]
fn version_names_the_commit_and_the_build_date() {
    let o = erdiag(&["--version"]);
    assert!(o.status.success());
    let v = stdout(&o);
    // erdiag 0.1.0 (0123456789ab, built 2026-12-03)
    let rest = v.trim().strip_prefix(&format!("erdiag {} (", env!("CARGO_PKG_VERSION"))).unwrap_or_else(|| panic!("{v}"));
    let (commit, date) = rest.strip_suffix(')').and_then(|r| r.split_once(", built ")).unwrap_or_else(|| panic!("{v}"));
    assert!(commit == "unknown" || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())), "{v}");
    let d: Vec<&str> = date.split('-').collect();
    assert!(d.len() == 3 && d[0].len() == 4 && d.iter().all(|p| p.parse::<u32>().is_ok()), "{v}");
    // Subcommands print the same.
    assert_eq!(stdout(&erdiag(&["diagnose", "--version"])).trim(), v.trim().replacen("erdiag", "erdiag-diagnose", 1));
}

#[test]
fn every_shell_gets_a_completion_script() {
    for (shell, marker) in [("bash", "_erdiag()"), ("zsh", "#compdef erdiag"), ("fish", "complete -c erdiag"), ("powershell", "Register-ArgumentCompleter"), ("elvish", "edit:completion:arg-completer[erdiag]")] {
        let o = erdiag(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let s = stdout(&o);
        assert!(s.contains(marker), "{shell} script lacks {marker}");
        assert!(s.contains("diagnose") && s.contains("lab"), "{shell} script lacks subcommands");
        // clap_complete's fish, PowerShell and elvish scripts complete no positional values.
        assert!(!matches!(shell, "bash" | "zsh") || s.contains("healthy-private"), "{shell} script lacks the scenario names");
    }
    let o = erdiag(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is a usage error");
}

/// Runs the bash completion function the way bash does on TAB and returns
/// the candidates it offers for the last word of `line`.
fn bash_complete(line: &str) -> Option<Vec<String>> {
    let script = stdout(&erdiag(&["completions", "bash"]));
    let dir = tempdir("bash-completion");
    let file = dir.join("erdiag.bash");
    std::fs::write(&file, script).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    let driver = format!(
        "source {file}\nCOMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n_erdiag erdiag '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        file = file.display(),
        words = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
        cword = words.len() - 1,
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let o = Command::new("bash").arg("--norc").arg("-c").arg(driver).output().ok()?;
    assert!(o.status.success(), "bash: {}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect())
}

#[test]
fn bash_completes_subcommands_and_scenario_names() {
    let Some(subs) = bash_complete("erdiag dia") else {
        eprintln!("NOTICE: bash is not installed: the bash completion test is skipped");
        return;
    };
    assert_eq!(subs, vec!["diagnose"], "erdiag dia<TAB>");
    let names = bash_complete("erdiag demo healthy-").unwrap();
    assert!(names.contains(&"healthy-private".to_string()), "erdiag demo healthy-<TAB> offered {names:?}");
    assert!(names.iter().all(|n| n.starts_with("healthy-")), "{names:?}");
    // The parser still explains an unknown scenario itself (completion values are not a restriction).
    let o = erdiag(&["demo", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("demo --list"), "{}", stderr(&o));
}

#[test]
fn every_subcommand_has_a_man_page() {
    let dir = tempdir("man");
    let o = erdiag(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pages: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    pages.sort();
    for p in ["erdiag.1", "erdiag-diagnose.1", "erdiag-collect.1", "erdiag-import.1", "erdiag-demo.1", "erdiag-emulate.1", "erdiag-lab.1", "erdiag-lab-up.1", "erdiag-lab-break.1", "erdiag-perf-client.1", "erdiag-explain.1", "erdiag-man.1", "erdiag-completions.1"] {
        assert!(pages.contains(&p.to_string()), "{p} missing from {pages:?}");
    }
    assert!(!pages.iter().any(|p| p.contains("-help")), "no page for clap's help pseudo-command: {pages:?}");
    let page = std::fs::read_to_string(dir.join("erdiag-lab-up.1")).unwrap();
    assert!(page.contains(".TH erdiag-lab-up 1"), "title of the lab up page");
    // One page on stdout; `lab up` and `lab-up` name the same page.
    let a = stdout(&erdiag(&["man", "lab", "up"]));
    let b = stdout(&erdiag(&["man", "lab-up"]));
    assert_eq!(a, b);
    assert_eq!(a, page);
    let o = erdiag(&["man", "nonsense"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no subcommand `nonsense`"), "{}", stderr(&o));
}

/// The subcommands a `--help` text lists under "Commands:".
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   ")) // a wrapped description
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|s| s != "help")
        .collect()
}

#[test]
fn every_subcommand_help_has_an_example() {
    let mut todo: Vec<Vec<String>> = subcommands(&stdout(&erdiag(&["--help"]))).into_iter().map(|s| vec![s]).collect();
    assert!(todo.len() >= 12, "{todo:?}");
    let (mut seen, mut lacking) = (0, Vec::new());
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let h = stdout(&erdiag(&args));
        seen += 1;
        let invocation = format!("erdiag {}", path.join(" "));
        if !h.contains("Example") || !h.contains(&invocation) {
            lacking.push(invocation);
        }
        todo.extend(subcommands(&h).into_iter().map(|s| path.iter().cloned().chain([s]).collect()));
    }
    assert!(seen >= 20, "only {seen} subcommands found");
    assert!(lacking.is_empty(), "--help without an example: {lacking:?}");
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("erdiag-install-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
