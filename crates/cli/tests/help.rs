//! The `--help` of every command and subcommand, and the output of a few
//! representative commands, pinned: a flag renamed, dropped or reworded
//! shows in review as a snapshot diff. Update with `INSTA_UPDATE=always
//! cargo test -p erdiag --test help` after an intended change, and read the
//! diff.

mod common;
use common::*;

/// Every command path of `erdiag`, as typed before `--help`.
const COMMANDS: &[&str] = &[
    "",
    "diagnose",
    "collect",
    "import",
    "emulate",
    "demo",
    "fleet",
    "diff",
    "history",
    "watch",
    "probe",
    "probe tcp",
    "perf",
    "perf server",
    "perf client",
    "parse",
    "lab",
    "lab up",
    "lab down",
    "lab status",
    "lab break",
    "lab fix",
    "lab shell",
    "lab exec",
    "lab snapshot",
    "checks",
    "completions",
    "man",
    "explain",
];

fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("ERDIAG_SNAPSHOT")
        .env_remove("ERDIAG_LAB")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run erdiag")
}

#[test]
fn help_of_every_command() {
    for path in COMMANDS {
        let mut args: Vec<&str> = path.split_whitespace().collect();
        args.push("--help");
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "erdiag {path} --help: {}", stderr(&out));
        let name = if path.is_empty() { "erdiag".to_string() } else { format!("erdiag-{}", path.replace(' ', "-")) };
        insta::assert_snapshot!(name, stdout(&out));
    }
}

#[test]
fn every_command_has_its_help_pinned() {
    // A subcommand added without a line in COMMANDS fails here: its flags
    // would drift unseen. The root help lists the top-level commands.
    let root = stdout(&run(&["--help"]));
    let listed: Vec<&str> = root
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A description wrapped onto the next line is indented further.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(!listed.is_empty(), "{root}");
    for c in listed {
        assert!(COMMANDS.contains(&c), "`erdiag {c}` has no pinned --help: add it to COMMANDS");
    }
}

#[test]
fn output_of_representative_commands() {
    let scenario = scenarios_dir().join("vlan-mismatch").join("snapshot.json").display().to_string();
    let cases: [(&str, Vec<&str>); 5] = [
        ("checks", vec!["checks"]),
        ("checks-json-ids", vec!["checks", "-o", "json"]),
        ("explain-ER301", vec!["explain", "ER301"]),
        ("demo-list", vec!["demo", "--list"]),
        ("diagnose-snapshot-table", vec!["diagnose", "--snapshot", &scenario, "-o", "table", "--color", "never"]),
    ];
    for (name, args) in cases {
        let out = run(&args);
        let mut text = stdout(&out);
        if name == "checks-json-ids" {
            // The IDs and names only: the documentation is pinned by `explain`.
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            text = v.as_array().unwrap().iter().map(|c| format!("{} {}\n", c["id"].as_str().unwrap(), c["name"].as_str().unwrap())).collect();
        }
        insta::assert_snapshot!(name, format!("exit {:?}\n{text}", out.status.code()));
    }
}
