//! Router secrets never come out, through the real binary: random secrets
//! planted in every syntax of the redaction table (`erdiag_model::secrets`)
//! appear in no snapshot `collect` writes (with and without `--redact`), in
//! no report of any format, and in no error message of `diagnose --ce`,
//! `--acl-test`, `import` or `parse` that quotes the line.

mod common;
use common::*;
use erdiag_model::secrets::SYNTAXES;
use proptest::prelude::*;

/// One configuration holding every syntax of the table, each with its own
/// secret.
fn planted(secrets: &[String]) -> String {
    let base = std::fs::read_to_string(scenarios_dir().join("ce-md5-suspect/snapshot.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&base).unwrap();
    let mut text = v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().to_string();
    for (syn, secret) in SYNTAXES.iter().zip(secrets) {
        text.push_str(&syn.example.replace("SECRET", secret));
        text.push('\n');
    }
    text
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for (syn, secret) in SYNTAXES.iter().zip(secrets) {
        assert!(!text.contains(secret.as_str()), "{what} shows the secret of {} {}:\n{text}", syn.platform.name(), syn.what);
    }
}

fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9!@%^+=.-]{7,15}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    #[test]
    fn planted_secrets_reach_no_output(secrets in proptest::collection::vec(secret(), SYNTAXES.len())) {
        let dir = tmp_dir("secrets");
        let cfg = dir.join("ce1.cfg");
        let text = planted(&secrets);
        std::fs::write(&cfg, &text).unwrap();
        let ce = format!("primary={}", cfg.display());
        let scenario = scenarios_dir().join("md5-mismatch/snapshot.json").display().to_string();

        for fmt in ["json", "table", "markdown", "html"] {
            let out = erdiag(&["diagnose", "--snapshot", &scenario, "--ce", &ce, "-o", fmt]);
            prop_assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            assert_clean(&format!("diagnose -o {fmt}"), &(stdout(&out) + &stderr(&out)), &secrets);
        }

        // A snapshot another tool wrote with the secrets in it.
        let mut snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&scenario).unwrap()).unwrap();
        snap["inputs"]["ce"] = serde_json::json!({ "primary": [{ "name": "ce1.cfg", "text": text }] });
        let raw = dir.join("raw.json");
        std::fs::write(&raw, serde_json::to_vec(&snap).unwrap()).unwrap();
        for fmt in ["json", "table", "markdown"] {
            let out = erdiag(&["diagnose", "--snapshot", &raw.display().to_string(), "-o", fmt]);
            assert_clean(&format!("diagnose of a raw snapshot -o {fmt}"), &(stdout(&out) + &stderr(&out)), &secrets);
        }

        // Error messages that quote the input.
        for (syn, secret) in SYNTAXES.iter().zip(&secrets) {
            let one = dir.join("one.txt");
            std::fs::write(&one, syn.example.replace("SECRET", secret) + "\n").unwrap();
            let one = one.display().to_string();
            let acl = format!("primary={one}");
            for args in [vec!["diagnose", "--snapshot", scenario.as_str(), "--acl-test", acl.as_str()], vec!["import", one.as_str()], vec!["parse", one.as_str()]] {
                let out = erdiag(&args);
                prop_assert_eq!(out.status.code(), Some(2), "{:?}: {}", args, stderr(&out));
                assert_clean(&format!("{args:?}"), &(stdout(&out) + &stderr(&out)), &secrets);
            }
        }
    }
}

#[test]
fn collected_snapshots_carry_no_secret() {
    let dir = tmp_dir("secrets-collect");
    let em = emulate("secondary-path-down", &dir);
    let (sub, rg, name) = circuit("secondary-path-down");
    let secrets: Vec<String> = (0..SYNTAXES.len()).map(|i| format!("Pl4nted{i:02}x")).collect();
    let cfg = dir.join("ce1.cfg");
    std::fs::write(&cfg, planted(&secrets)).unwrap();
    let ce = format!("primary={}", cfg.display());
    let mut conclusions = Vec::new();
    for redact in [false, true] {
        let file = dir.join(format!("collected-{redact}.json")).display().to_string();
        let mut args = vec!["collect", "-O", file.as_str(), "--arm-endpoint", em.url.as_str(), "--ca-cert", em.cert.as_str(), "--access-token", TOKEN];
        args.extend(["--subscription", sub.as_str(), "-g", rg.as_str(), "-n", name.as_str(), "--ce", ce.as_str(), "-q"]);
        if redact {
            args.push("--redact");
        }
        let out = erdiag(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let written = std::fs::read_to_string(&file).unwrap();
        assert_clean(&format!("collect (redact {redact})"), &(written.clone() + &stderr(&out)), &secrets);
        let d = erdiag(&["diagnose", "--snapshot", &file, "-o", "json"]);
        let r: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&d)));
        conclusions.push((r["verdict"].clone(), r["rootCause"]["check"].clone()));
        if redact {
            for v in [&sub, &rg, &name, &"172.16.0.1".to_string()] {
                assert!(!written.contains(v.as_str()), "--redact leaves {v}");
            }
        }
    }
    assert_eq!(conclusions[0], conclusions[1], "a redacted snapshot diagnoses the same");
}

#[test]
fn import_redact_masks_and_diagnoses_the_same() {
    let dir = tmp_dir("secrets-import");
    let f = |n: &str| scenarios_dir().join("../crates/import/tests/fixtures").join(n).display().to_string();
    let files = [f("az-circuit.json"), f("az-arp-private-primary.json"), f("az-arp-private-secondary.json"), f("az-routes-private-primary.json")];
    let mut conclusions = Vec::new();
    for redact in [false, true] {
        let out = dir.join(format!("imported-{redact}.json")).display().to_string();
        let mut args = vec!["import", "-O", out.as_str()];
        args.extend(files.iter().map(String::as_str));
        if redact {
            args.push("--redact");
        }
        let o = erdiag(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(written.contains("rg-er-weu") || written.contains("er-ckt-ams"), !redact, "{written}");
        let notes = stderr(&o);
        if redact {
            assert!(!notes.contains("rg-er-weu") && !notes.contains("er-ckt-ams") && !notes.contains("172.16.0."), "the notes name what --redact masks:\n{notes}");
            // Masked with the snapshot's key: a mask in a note is one the snapshot holds.
            let mask = notes.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find(|w| w.starts_with("circuit-")).unwrap_or_else(|| panic!("no masked circuit in the notes:\n{notes}"));
            assert!(written.contains(mask), "{mask} is not the snapshot's mask");
        } else {
            assert!(notes.contains("er-ckt-ams"), "the notes name the circuit:\n{notes}");
        }
        let d = erdiag(&["diagnose", "--snapshot", &out, "-o", "json"]);
        let r: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
        conclusions.push((r["verdict"].clone(), r["rootCause"]["check"].clone(), r["rootCause"]["path"].clone()));
    }
    assert_eq!(conclusions[0], conclusions[1]);
}
