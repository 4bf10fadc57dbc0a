//! Records what `--version` prints: the commit built and the build date.
//! (The scenario catalogue is embedded by crates/pipeline's build script.)

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    version(&manifest);
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
