//! Embeds the scenario catalogue (`scenarios/*/`) into the binary so that
//! `erdiag demo` works from any directory, and records what `--version`
//! prints: the commit built and the build date.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script
    // binary reused from another checkout must read this checkout's scenarios.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    version(&manifest);
    let dir = Path::new(&manifest).join("../../scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the scenarios/ folder of the repository")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("snapshot.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = String::from("pub static SCENARIOS: &[Scenario] = &[\n");
    for n in &names {
        let d = dir.join(n);
        for f in ["snapshot.json", "README.md", "expected.json"] {
            println!("cargo:rerun-if-changed={}", d.join(f).display());
        }
        let readme = std::fs::read_to_string(d.join("README.md")).unwrap_or_default();
        let title = readme
            .lines()
            .find(|l| l.starts_with("# "))
            .map(|l| l.trim_start_matches("# ").to_string())
            .unwrap_or_default();
        let title = title.split_once(": ").map(|(_, t)| t.to_string()).unwrap_or(title);
        let _ = writeln!(
            out,
            "    Scenario {{ name: {n:?}, title: {title:?}, readme: include_str!({readme:?}), snapshot: include_bytes!({snap:?}) }},",
            readme = d.join("README.md").display().to_string(),
            snap = d.join("snapshot.json").display().to_string(),
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("scenarios.rs");
    std::fs::write(dest, out).unwrap();
}

/// ERDIAG_COMMIT (12 hex digits of the commit, or `unknown` outside a Git
/// checkout, as in a crates.io package) and ERDIAG_BUILD_DATE (YYYY-MM-DD in
/// UTC, of SOURCE_DATE_EPOCH when set, for reproducible builds).
fn version(manifest: &str) {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let run = |cmd: &str, args: &[&str]| -> Option<String> {
        let out = std::process::Command::new(cmd).args(args).current_dir(manifest).output().ok()?;
        let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !s.is_empty()).then_some(s)
    };
    let git = |args: &[&str]| run("git", args);
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    // Rebuild when HEAD moves: HEAD itself and the branch it names.
    for p in [git(&["rev-parse", "--git-path", "HEAD"]), git(&["rev-parse", "--symbolic-full-name", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r]))]
        .into_iter()
        .flatten()
    {
        let p = Path::new(manifest).join(p);
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    // GNU date, then BSD date; the date is informational, so `unknown` if neither answers.
    let date = match std::env::var("SOURCE_DATE_EPOCH").ok().filter(|s| s.trim().parse::<u64>().is_ok()) {
        Some(epoch) => run("date", &["-u", "-d", &format!("@{}", epoch.trim()), "+%Y-%m-%d"]).or_else(|| run("date", &["-u", "-r", epoch.trim(), "+%Y-%m-%d"])),
        None => run("date", &["-u", "+%Y-%m-%d"]),
    };
    println!("cargo:rustc-env=ERDIAG_COMMIT={commit}");
    println!("cargo:rustc-env=ERDIAG_BUILD_DATE={}", date.unwrap_or_else(|| "unknown".into()));
}
