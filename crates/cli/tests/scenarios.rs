//! Every built-in scenario diagnoses to its expected verdict and root cause,
//! through the real binary, and its JSON report matches the published schema.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn catalogue_has_the_issue_scenarios_and_demo_lists_them_all() {
    let names = scenario_names();
    assert!(names.len() >= 15, "only {} scenarios", names.len());
    let listed: Vec<String> = stdout(&erdiag(&["demo", "--list"])).lines().map(|l| l.split_whitespace().next().unwrap().to_string()).collect();
    assert_eq!(listed, names, "the binary embeds a different catalogue than scenarios/");
    for n in &names {
        let readme = std::fs::read_to_string(scenarios_dir().join(n).join("README.md")).unwrap();
        assert!(readme.starts_with("# "), "{n}/README.md has no title");
        assert!(readme.contains("[5"), "{n}/README.md has no network-point diagram");
    }
}

#[test]
fn every_scenario_diagnoses_as_expected() {
    let mut failures = Vec::new();
    // Through the emulator and the live collector (the default), and straight from the file.
    for (n, mode) in scenario_names().into_iter().flat_map(|n| [(n.clone(), "--quiet"), (n, "--offline")]) {
        let expected: Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(&n).join("expected.json")).unwrap()).unwrap();
        let out = erdiag(&["demo", &n, "-o", "json", "--exit-code", mode]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{n}: {e}: {}", stderr(&out)));
        let code = out.status.code().unwrap();
        let verdict = report["verdict"].as_str().unwrap();
        assert_eq!(code, if verdict == "healthy" { 0 } else { 1 }, "{n}: exit code {code} for verdict {verdict}");
        let rc = &report["rootCause"];
        let got = if rc.is_null() {
            serde_json::json!({"verdict": verdict, "rootCause": null})
        } else {
            let name = report["findings"].as_array().unwrap().iter().find(|f| f["check"] == rc["check"]).unwrap()["name"].clone();
            serde_json::json!({"verdict": verdict, "rootCause": {
                "check": name, "layer": rc["layer"], "owner": rc["owner"], "path": rc["path"], "peering": rc["peering"]}})
        };
        if got != expected {
            failures.push(format!("{n} ({mode}):\n  expected {expected}\n  got      {got}"));
        }
        if verdict == "unknown" || verdict == "healthy" {
            assert!(rc.is_null(), "{n}: a {verdict} verdict has no root cause");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_report_matches_the_erdiag_report_1_schema() {
    let schema: Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join("../docs/erdiag-report-1.schema.json")).unwrap()).unwrap();
    // The validator itself must reject a broken report.
    let mut errors = Vec::new();
    validate(&schema, &schema, &serde_json::json!({"format": "erdiag-report/2", "extra": 1}), "$", &mut errors);
    assert!(errors.len() >= 3, "the validator accepts garbage: {errors:?}");
    for n in scenario_names() {
        for extra in [&[][..], &["--dest", "10.2.20.5", "--dest", "2001:db8::1"][..]] {
            let mut args = vec!["demo", n.as_str(), "-o", "json"];
            args.extend_from_slice(extra);
            let v: Value = serde_json::from_slice(&erdiag(&args).stdout).unwrap();
            let mut errors = Vec::new();
            validate(&schema, &schema, &v, "$", &mut errors);
            assert!(errors.is_empty(), "{n}: {errors:#?}");
            // Findings whose consequenceOf names a check must name one that failed.
            for f in v["findings"].as_array().unwrap() {
                if let Some(c) = f["consequenceOf"].as_str() {
                    assert!(v["findings"].as_array().unwrap().iter().any(|g| g["check"] == c && g["status"] == "fail"), "{n}: {c} explains {} but did not fail", f["check"]);
                }
            }
        }
    }
}

/// A scenario with an `import/` folder holds the console outputs it was
/// imported from: its snapshot is exactly what `erdiag import import/*`
/// writes from them (run in the scenario's folder, with its `collectedAt`).
#[test]
fn imported_scenarios_are_what_import_writes() {
    let mut seen = 0;
    for n in scenario_names() {
        let dir = scenarios_dir().join(&n);
        let Ok(entries) = std::fs::read_dir(dir.join("import")) else { continue };
        let mut files: Vec<String> = entries.map(|e| format!("import/{}", e.unwrap().file_name().to_string_lossy())).collect();
        files.sort();
        let snapshot: Value = serde_json::from_slice(&std::fs::read(dir.join("snapshot.json")).unwrap()).unwrap();
        let mut args = vec!["import".to_string()];
        args.extend(files);
        if let Some(t) = snapshot["collectedAt"].as_str() {
            args.extend(["--collected-at".to_string(), t.to_string()]);
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_erdiag")).args(&args).current_dir(&dir).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{n}: {}", stderr(&out));
        let imported: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(imported == snapshot, "{n}: snapshot.json is not what `erdiag {}` writes", args.join(" "));
        seen += 1;
    }
    assert!(seen >= 1, "no scenario is imported");
}
