//! Embeds the scenario catalogue (`scenarios/*/`) so that a built-in
//! scenario can be diagnosed from any directory.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script
    // binary reused from another checkout must read this checkout's scenarios.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
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
        for f in ["snapshot.json", "README.md", "expected.json", "timeline.json"] {
            println!("cargo:rerun-if-changed={}", d.join(f).display());
        }
        let readme = std::fs::read_to_string(d.join("README.md")).unwrap_or_default();
        let title = readme
            .lines()
            .find(|l| l.starts_with("# "))
            .map(|l| l.trim_start_matches("# ").to_string())
            .unwrap_or_default();
        let title = title.split_once(": ").map(|(_, t)| t.to_string()).unwrap_or(title);
        let timeline = d.join("timeline.json");
        let timeline = if timeline.is_file() { format!("Some(include_str!({:?}))", timeline.display().to_string()) } else { "None".to_string() };
        let _ = writeln!(
            out,
            "    Scenario {{ name: {n:?}, title: {title:?}, readme: include_str!({readme:?}), snapshot: include_bytes!({snap:?}), timeline: {timeline} }},",
            readme = d.join("README.md").display().to_string(),
            snap = d.join("snapshot.json").display().to_string(),
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("scenarios.rs");
    std::fs::write(dest, out).unwrap();
}
