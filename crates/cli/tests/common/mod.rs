//! Shared helpers for the CLI tests: run the real binary, find the scenarios.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn erdiag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("ERDIAG_SNAPSHOT")
        .stdin(Stdio::null())
        .output()
        .expect("run erdiag")
}

pub fn erdiag_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh directory for this test process's files.
pub fn tmp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erdiag-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

pub fn scenario_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("snapshot.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `erdiag emulate` over HTTPS in the background, with its certificate in
/// `dir`; stopped when dropped.
pub struct Emulator {
    child: std::process::Child,
    pub url: String,
    pub cert: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `erdiag emulate ARGS -q` and waits for its base URL.
pub fn emulate_in(dir: &Path, args: &[&str]) -> Emulator {
    use std::io::BufRead;
    let cert = dir.join("ca.pem").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["emulate", "--cert-out", &cert, "-q"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("https://127.0.0.1:"), "{line}");
    Emulator { child, url: line.trim().to_string(), cert }
}

/// The bearer token the live tests give the emulator.
pub const TOKEN: &str = "live-test-token-7d2e91b0";

/// `erdiag emulate SCENARIO`.
pub fn emulate(scenario: &str, dir: &std::path::Path) -> Emulator {
    emulate_in(dir, &[scenario])
}

/// (subscription, resource group, name) of a scenario's circuit.
pub fn circuit(scenario: &str) -> (String, String, String) {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(scenario).join("snapshot.json")).unwrap()).unwrap();
    let id = erdiag_model::ResourceId::parse(v["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, name) = id.resource_parts().unwrap();
    (sub.to_string(), rg.to_string(), name.to_string())
}

/// Writes a file for one test binary's run, in a folder of its own.
pub fn write_tmp(name: &str, body: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("erdiag-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

/// A schema of docs/ by file name.
pub fn read_schema(file: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(file);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// A small validator for the subset of JSON Schema the report and fleet
/// schemas use: type (with null), enum, required, properties,
/// additionalProperties: false, items, minimum, maximum, anyOf, and $ref
/// to `#/$defs/…` or to another schema of docs/ (`erdiag-report-1.schema.json#/$defs/owner`).
pub fn validate(schema: &serde_json::Value, root: &serde_json::Value, v: &serde_json::Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(serde_json::Value::as_str) {
        let (file, pointer) = r.split_once('#').unwrap_or((r, ""));
        if file.is_empty() {
            return validate(root.pointer(pointer).unwrap_or_else(|| panic!("no {r} in the schema")), root, v, at, errors);
        }
        let other = read_schema(file);
        return validate(other.pointer(pointer).unwrap_or_else(|| panic!("no {r}")), &other, v, at, errors);
    }
    if let Some(any) = schema.get("anyOf").and_then(serde_json::Value::as_array) {
        let fits = |s: &serde_json::Value| {
            let mut e = Vec::new();
            validate(s, root, v, at, &mut e);
            e.is_empty()
        };
        if !any.iter().any(fits) {
            errors.push(format!("{at}: matches none of anyOf"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(a) => a.iter().filter_map(serde_json::Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: {v} is not of type {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(serde_json::Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(serde_json::Value::as_f64), v.as_f64()) {
        if n < min {
            errors.push(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema.get("maximum").and_then(serde_json::Value::as_f64), v.as_f64()) {
        if n > max {
            errors.push(format!("{at}: {n} > {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(serde_json::Value::as_object);
        for req in schema.get("required").and_then(serde_json::Value::as_array).into_iter().flatten() {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{at}: missing {req}"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, val, &format!("{at}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) => errors.push(format!("{at}: unexpected field {k}")),
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(items, root, x, &format!("{at}[{i}]"), errors);
        }
    }
}

