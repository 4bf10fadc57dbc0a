//! An authorization key (of a circuit's authorization, of a Global Reach
//! link) is a secret: no output of erdiag carries it — not a report in any
//! format, live (through the emulator and the collector) or from the file,
//! not an error about the body that holds it.

mod common;
use common::*;

const KEYS: [(&str, &str); 2] = [
    ("authorization-other-subscription", "7d4c1e2a-9b3f-4e8d-a6c5-0f1e2d3c4b5a"),
    ("global-reach-peer-forbidden", "5f0c2d7e-91ab-4c3d-8e6f-a1b2c3d4e5f6"),
];

#[test]
fn no_output_carries_an_authorization_key() {
    for (scenario, key) in KEYS {
        let input = std::fs::read_to_string(scenarios_dir().join(scenario).join("snapshot.json")).unwrap();
        assert!(input.contains(key), "{scenario}: the scenario should carry the key for this test");
        for format in ["json", "table", "markdown", "html", "svg"] {
            for mode in ["--quiet", "--offline"] {
                let out = erdiag(&["demo", scenario, "-o", format, mode]);
                assert!(!stdout(&out).contains(key) && !stderr(&out).contains(key), "{scenario} -o {format} {mode}");
            }
        }
    }
}

#[test]
fn an_error_about_a_body_with_a_key_does_not_quote_it() {
    let (scenario, key) = KEYS[0];
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(scenario).join("snapshot.json")).unwrap()).unwrap();
    let ckt = v["circuitId"].as_str().unwrap().to_string();
    v["resources"][&ckt]["properties"]["authorizations"][0]["properties"]["authorizationUseStatus"] = serde_json::json!({ "echo": key });
    let dir = tmp_dir("authorization-keys");
    let file = dir.join("bad.json");
    std::fs::write(&file, v.to_string()).unwrap();
    let out = erdiag(&["diagnose", "--snapshot", file.to_str().unwrap(), "-o", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("authorizations[0].properties.authorizationUseStatus"), "{err}");
    assert!(!err.contains(key) && !stdout(&out).contains(key), "{err}");
}
