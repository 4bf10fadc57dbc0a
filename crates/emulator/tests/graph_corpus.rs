//! Conformance: Resource Graph's REST specification (`resourcegraph.json`,
//! api-version 2024-04-01) and its examples, from `$ERDIAG_CORPUS/resource-graph/`.
//! Every example request is sent to the emulator (serving a circuit in the
//! examples' subscription): the ones the emulator understands are answered
//! 200 with a body that has every field `QueryResponse` requires, of its
//! type, and no more rows than asked; the others get ARG's 400 with the
//! detail code that says why (a KQL operator it does not run, facets, a page
//! token it did not issue), never a silently wrong answer.
//!
//! Without `ERDIAG_CORPUS` the test is skipped with a notice — except under
//! CI, where a missing corpus is a failure.

mod common;

use common::*;
use erdiag_emulator::Config;
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    common::corpus("resource-graph", "Resource Graph")
}

/// The examples the emulator refuses, and the detail code of its 400 (or 403).
fn refused(file: &str) -> Option<(u16, &'static str)> {
    Some(match file {
        "ResourcesFacetQuery.json" => (400, "InvalidRequestContent"),
        "ResourcesSummarizeQuery.json" => (400, "InvalidQuery"),
        "ResourcesNextPageQuery.json" => (400, "InvalidSkipToken"),
        // Management groups the emulator was not given.
        "ResourcesMgBasicQuery.json" => (403, "AuthorizationFailed"),
        _ => return None,
    })
}

#[tokio::test]
async fn the_examples_are_answered_as_the_specification_says() {
    let Some(dir) = corpus() else { return };
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("resourcegraph.json")).unwrap()).unwrap();
    let response = &spec["definitions"]["QueryResponse"];
    // A circuit in the examples' subscription.
    let sub = "cfbbd179-59d2-4052-aa06-9270a38aa9d6";
    let original = scenario("healthy-private");
    let old = circuit_id(&original).split('/').nth(2).unwrap().to_string();
    let snapshot: Value = serde_json::from_str(&serde_json::to_string(&original).unwrap().replace(&old, sub)).unwrap();
    let em = serve(Config::new(vec![snapshot])).await;
    let c = client();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("examples")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let example: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let body = &example["parameters"]["query"];
        let url = em.url(&format!("/providers/Microsoft.ResourceGraph/resources?api-version={}", example["parameters"]["api-version"].as_str().unwrap()));
        let r = c.post(url).header("authorization", BEARER).json(body).send().await.unwrap();
        let status = r.status().as_u16();
        let got = json(r).await;
        if let Some((want, code)) = refused(&file) {
            assert_eq!(status, want, "{file}: {got}");
            assert_eq!(got["error"]["details"][0]["code"], code, "{file}: {got}");
            continue;
        }
        assert_eq!(status, 200, "{file}: {got}");
        for field in response["required"].as_array().unwrap() {
            let field = field.as_str().unwrap();
            assert!(got.get(field).is_some(), "{file}: {field} missing in {got}");
        }
        for (field, schema) in response["properties"].as_object().unwrap() {
            let Some(v) = got.get(field) else { continue };
            let ok = match schema["type"].as_str() {
                Some("integer") => v.is_u64(),
                Some("string") => v.as_str().is_some_and(|s| schema["enum"].as_array().is_none_or(|e| e.iter().any(|x| x == s))),
                Some("array") => v.is_array(),
                _ => true,
            };
            assert!(ok, "{file}: {field} = {v} does not fit {schema}");
        }
        let top = body.pointer("/options/$top").and_then(Value::as_u64).unwrap_or(100);
        assert!(got["count"].as_u64().unwrap() <= top, "{file}");
        assert_eq!(got["data"].as_array().unwrap().len() as u64, got["count"].as_u64().unwrap(), "{file}");
        // The columns are the projected ones, as in the example's answer.
        if let (Some(row), Some(want)) = (got["data"].get(0), example.pointer("/responses/200/body/data/0")) {
            let mut a: Vec<&String> = row.as_object().unwrap().keys().collect();
            let mut b: Vec<&String> = want.as_object().unwrap().keys().collect();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{file}");
        }
    }
    em.shutdown().await;
}
