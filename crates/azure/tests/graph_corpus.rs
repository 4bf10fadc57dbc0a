//! Conformance with Resource Graph's REST specification
//! (`$ERDIAG_CORPUS/resource-graph`: `resourcegraph.json` of api-version
//! 2024-04-01 and its examples): the request body erdiag sends validates
//! against `QueryRequest`, every example answer reads through erdiag's
//! response reader, a first page's `$skipToken` is what erdiag sends next
//! (the spec's next-page example), and each example request has the shape
//! erdiag sends for the same scope.
//!
//! Without `ERDIAG_CORPUS` the test is skipped with a notice — except under
//! `CI`, where a missing corpus fails.

use erdiag_azure::graph::{query_request, read_page, Scope, CIRCUITS_QUERY, PORTS_QUERY};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let p = erdiag_testsupport::corpus("resource-graph", "the Resource Graph conformance test")?;
    assert!(p.join("resourcegraph.json").is_file(), "{} has no resourcegraph.json", p.display());
    Some(p)
}

fn read(p: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Validates `v` against a Swagger 2.0 schema (the subset the spec uses:
/// `$ref`, `type`, `required`, `properties`, `items`, `enum`, `minimum`,
/// `maximum`), and refuses properties the schema does not declare. Returns
/// the problems, each with its JSON path.
fn validate(spec: &Value, schema: &Value, v: &Value, path: &str, problems: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        return validate(spec, &spec["definitions"][name], v, path, problems);
    }
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or(if schema.get("properties").is_some() { "object" } else { "" });
    let ok = match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        _ => true,
    };
    if !ok {
        problems.push(format!("{path}: not of type {ty}"));
        return;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(v) {
            problems.push(format!("{path}: {v} is not one of {values:?}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) || schema.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
            problems.push(format!("{path}: {n} is out of range"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                problems.push(format!("{path}.{r}: required"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, child) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(spec, s, child, &format!("{path}.{k}"), problems),
                None => problems.push(format!("{path}.{k}: not in the schema")),
            }
        }
    }
    if let (Some(items), Some(a)) = (schema.get("items"), v.as_array()) {
        for (i, child) in a.iter().enumerate() {
            validate(spec, items, child, &format!("{path}[{i}]"), problems);
        }
    }
}

fn scope_of(request: &Value) -> Scope {
    let list = |k: &str| request.get(k).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>());
    match (list("subscriptions"), list("managementGroups")) {
        (Some(s), None) => Scope::Subscriptions(s),
        (None, Some(m)) => Scope::ManagementGroups(m),
        (None, None) => Scope::Tenant,
        (Some(_), Some(_)) => panic!("an example with both scopes: {request}"),
    }
}

#[test]
fn requests_and_answers_follow_the_resource_graph_specification() {
    let Some(dir) = corpus() else { return };
    let spec = read(&dir.join("resourcegraph.json"));
    let query_schema = &spec["definitions"]["QueryRequest"];
    assert!(query_schema.is_object(), "resourcegraph.json has no QueryRequest");

    // What erdiag sends, for every scope, on a first and a next page.
    let scopes = [Scope::Tenant, Scope::Subscriptions(vec!["cfbbd179-59d2-4052-aa06-9270a38aa9d6".into()]), Scope::ManagementGroups(vec!["ProductionMG".into()])];
    for scope in &scopes {
        for query in [CIRCUITS_QUERY, PORTS_QUERY] {
            for token in [None, Some("eyAibm8iOiAibHVjayIgfQ==")] {
                let body = query_request(scope, query, token);
                let mut problems = Vec::new();
                validate(&spec, query_schema, &body, "$", &mut problems);
                assert!(problems.is_empty(), "{scope:?}: {body}: {problems:?}");
            }
        }
    }

    let mut examples: Vec<PathBuf> = std::fs::read_dir(dir.join("examples")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    examples.sort();
    assert!(examples.len() >= 6, "too few examples in {}", dir.display());
    let mut first_page_token = None;
    let mut next_page_request = None;
    for path in &examples {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let ex = read(path);
        let request = &ex["parameters"]["query"];
        assert_eq!(ex["parameters"]["api-version"], erdiag_azure::client::RESOURCE_GRAPH_API_VERSION, "{name}");
        let mut problems = Vec::new();
        validate(&spec, query_schema, request, "$", &mut problems);
        assert!(problems.is_empty(), "{name}: the example itself: {problems:?}");

        // The same scope and query, the way erdiag sends them.
        let token = request.pointer("/options/$skipToken").and_then(Value::as_str);
        let ours = query_request(&scope_of(request), request["query"].as_str().unwrap(), token);
        for key in ["subscriptions", "managementGroups", "query"] {
            assert_eq!(ours.get(key), request.get(key), "{name}: {key}");
        }
        assert_eq!(ours.pointer("/options/$skipToken"), request.pointer("/options/$skipToken"), "{name}");

        let body = &ex["responses"]["200"]["body"];
        let page = read_page(body).unwrap_or_else(|e| panic!("{name}: {}: {}", e.path, e.message));
        assert_eq!(page.rows.len() as u64, page.count, "{name}");
        assert_eq!(page.skip_token.as_deref(), body["$skipToken"].as_str(), "{name}");
        if name == "ResourcesFirstPageQuery.json" {
            first_page_token = page.skip_token.clone();
        }
        if name == "ResourcesNextPageQuery.json" {
            next_page_request = Some(request.clone());
        }
    }
    // The first page's token is what the spec's next page sends, and what erdiag sends.
    let (token, next) = (first_page_token.expect("a first-page example"), next_page_request.expect("a next-page example"));
    let ours = query_request(&scope_of(&next), next["query"].as_str().unwrap(), Some(&token));
    assert_eq!(ours.pointer("/options/$skipToken"), next.pointer("/options/$skipToken"));
}
