//! A snapshot taken apart into change records, and put back together.
//!
//! Each record is `(kind, key, sub) → value` with a multiplicity; the store
//! keeps a record from the poll where it appeared to the poll where it
//! disappeared. What a kind holds:
//!
//! | kind | key | sub | value |
//! |---|---|---|---|
//! | `TOP` | `""` | `""` | the snapshot without `resources`, `failures`, `inputs` (emptied) and `collectedAt` |
//! | `BODY` | ARM path | `""` | a body, its `value` table emptied |
//! | `ROW` | ARM path | hash of the row | one row of that table (ARP, routes, summary, learned routes, BGP peers, …) |
//! | `COUNTER_BODY` | ARM path of `…/stats` | `""` | `{"body": non-numeric fields, "names": [numeric field names]}`; the numbers go to the `counters` table |
//! | `METRICS` | ARM path of `…/Microsoft.Insights/metrics` | `""` | `{"body": the response, value emptied, "grid": [start, step, count]}` |
//! | `METRIC` | metrics path | hash | a metric without its `timeseries` |
//! | `SERIES` | metrics path, metric hash, series hash | `""` | a timeseries without its `data` |
//! | `FAILURE` | ARM path | `""` | the failed call |
//! | `INPUT` | input name | `""` | the input |
//! | `FINDING` | check id | `""` | its status |
//!
//! Metric points are not records: they go to the `points` table, append-only,
//! `(series, time, observed at) → point`, run-length: a row only where the
//! series' value differs from what the rows before it already say (see
//! `Store::record`).
//!
//! A metrics body whose series do not all lie on one regular minute grid
//! (the same start, interval and length, timestamps written as erdiag writes
//! them) is kept as an ordinary table instead: correct, only less compact.

use std::collections::{BTreeMap, HashMap};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub(crate) const TOP: i64 = 1;
pub(crate) const BODY: i64 = 2;
pub(crate) const ROW: i64 = 3;
pub(crate) const COUNTER_BODY: i64 = 4;
pub(crate) const METRICS: i64 = 5;
pub(crate) const METRIC: i64 = 6;
pub(crate) const SERIES: i64 = 7;
pub(crate) const FAILURE: i64 = 9;
pub(crate) const INPUT: i64 = 10;
pub(crate) const FINDING: i64 = 11;

/// Kinds whose change makes a new state for `states()` (not the metrics
/// envelope, whose window moves at every poll, nor the
/// report).
pub(crate) fn is_state(kind: i64) -> bool {
    matches!(kind, TOP | BODY | ROW | COUNTER_BODY | FAILURE | INPUT)
}

/// Kinds that hold Azure Monitor metrics or the numbers of `…/stats` bodies
/// (what the SQL of `Store::arm_states` leaves out: `kind IN (4, 5, 6, 7)`).
#[cfg(test)]
pub(crate) fn is_metrics_or_counters(kind: i64) -> bool {
    matches!(kind, COUNTER_BODY | METRICS | METRIC | SERIES)
}

/// A record's identity: kind, key, sub and value (a changed value is a
/// different record).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Rec {
    pub kind: i64,
    pub key: String,
    pub sub: String,
    pub value: String,
}

/// A snapshot taken apart.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    /// Records other than metric points, with their multiplicity.
    pub records: HashMap<Rec, i64>,
    /// Numbers of each `…/stats` body: ARM path → comma-separated JSON numbers.
    pub counters: BTreeMap<String, String>,
    /// Metric points on the grid: series key → (Unix time, canonical point) in order.
    pub series: BTreeMap<String, Points>,
    pub collected_at: Option<String>,
}

/// The points of one series in order: (Unix time, canonical point), their
/// texts in one buffer (a fleet poll takes apart hundreds of thousands of
/// points: one allocation per series instead of one per point).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Points {
    text: String,
    /// Each point's time and the end of its text in `text`.
    ends: Vec<(i64, usize)>,
}

impl Points {
    pub fn with_capacity(points: usize) -> Points {
        Points { text: String::with_capacity(points * 24), ends: Vec::with_capacity(points) }
    }

    /// Appends the point at `t` whose text `write` writes.
    pub fn push_with(&mut self, t: i64, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        self.ends.push((t, self.text.len()));
    }

    pub fn iter(&self) -> impl Iterator<Item = (i64, &str)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|(_, end)| *end));
        self.ends.iter().zip(starts).map(|((t, end), start)| (*t, &self.text[start..*end]))
    }

    pub fn first_and_last(&self) -> Option<(i64, i64)> {
        Some((self.ends.first()?.0, self.ends.last()?.0))
    }
}

/// Why a snapshot could not be taken apart.
pub(crate) type PartsError = String;

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len() && s.is_char_boundary(s.len() - suffix.len()) && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn is_stats(path: &str) -> bool {
    ends_with_ci(path, "/stats")
}

fn is_metrics(path: &str) -> bool {
    ends_with_ci(path, "/providers/microsoft.insights/metrics")
}

/// FNV-1a, 64 bits, as 16 hex digits: a short stable key for a row (the
/// record's identity still includes the full value).
pub(crate) fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// JSON with object keys sorted at every level and no whitespace.
pub(crate) fn canonical_text(v: &Value) -> String {
    // serde_json's map is a BTreeMap unless some crate in the build turns on
    // its `preserve_order` feature; then keys are sorted here instead.
    static SORTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let sorted = *SORTED.get_or_init(|| {
        let mut m = Map::new();
        m.insert("b".into(), Value::Null);
        m.insert("a".into(), Value::Null);
        m.keys().next().is_some_and(|k| k == "a")
    });
    if sorted {
        return v.to_string();
    }
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn sort_canonically(items: &mut [Value]) {
    let mut keyed: Vec<(String, Value)> = items.iter_mut().map(|v| (canonical_text(v), v.take())).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (slot, (_, v)) in items.iter_mut().zip(keyed) {
        *slot = v;
    }
}

/// The canonical form of a snapshot: the rows of every resource body's
/// `value` table sorted by their canonical text (in a metrics body, each
/// metric's `timeseries` sorted first, then the metrics), object keys sorted,
/// no whitespace. A rebuilt snapshot equals the stored one in this form.
pub fn canonical(snapshot: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    let mut v: Value = serde_json::from_slice(snapshot)?;
    canonicalize(&mut v);
    Ok(canonical_text(&v).into_bytes())
}

pub(crate) fn canonicalize(v: &mut Value) {
    let Some(resources) = v.get_mut("resources").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, body) in resources.iter_mut() {
        let metrics = is_metrics(path);
        let Some(Value::Array(rows)) = body.get_mut("value") else {
            continue;
        };
        if metrics {
            for m in rows.iter_mut() {
                if let Some(Value::Array(ts)) = m.get_mut("timeseries") {
                    sort_canonically(ts);
                }
            }
        }
        sort_canonically(rows);
    }
}

fn add(parts: &mut Parts, kind: i64, key: &str, sub: String, value: &Value) {
    let rec = Rec { kind, key: key.to_owned(), sub, value: canonical_text(value) };
    *parts.records.entry(rec).or_insert(0) += 1;
}

fn add_row(parts: &mut Parts, kind: i64, key: &str, value: &Value) {
    let text = canonical_text(value);
    let rec = Rec { kind, key: key.to_owned(), sub: hash(&text), value: text };
    *parts.records.entry(rec).or_insert(0) += 1;
}

/// Takes a snapshot (and the report's findings) apart.
///
/// The top level and the resources are read as raw JSON first, so that a
/// metrics body (most of a snapshot's bytes: a point per minute per series)
/// is read typed, point by point, without a `Value` tree
/// ([`decompose_metrics_raw`]); everything else, and a metrics body that does
/// not fit that path, is taken apart from its `Value` as before.
pub(crate) fn decompose(snapshot: &[u8], findings: &[(String, String)]) -> Result<Parts, PartsError> {
    match serde_json::from_slice::<BTreeMap<String, &RawValue>>(snapshot) {
        Ok(top) => decompose_raw(top, findings),
        // Not an object, or not JSON: the general path says which.
        Err(_) => decompose_value(snapshot, findings),
    }
}

fn parse_raw(raw: &RawValue) -> Result<Value, PartsError> {
    serde_json::from_str(raw.get()).map_err(|e| format!("the snapshot is not JSON: {e}"))
}

fn decompose_raw(top: BTreeMap<String, &RawValue>, findings: &[(String, String)]) -> Result<Parts, PartsError> {
    let mut parts = Parts::default();
    let mut envelope = Map::new();
    for (name, raw) in top {
        match name.as_str() {
            "collectedAt" => parts.collected_at = parse_raw(raw)?.as_str().map(str::to_owned),
            "resources" => {
                let map: BTreeMap<String, &RawValue> = serde_json::from_str(raw.get()).map_err(|_| "`resources` is not an object".to_owned())?;
                for (path, body) in map {
                    if !(is_metrics(&path) && decompose_metrics_raw(&mut parts, &path, body)) {
                        decompose_body(&mut parts, &path, parse_raw(body)?);
                    }
                }
                envelope.insert(name, Value::Object(Map::new()));
            }
            "failures" | "inputs" => {
                let Value::Object(map) = parse_raw(raw)? else {
                    return Err(format!("`{name}` is not an object"));
                };
                let kind = if name == "failures" { FAILURE } else { INPUT };
                for (key, item) in map {
                    add(&mut parts, kind, &key, String::new(), &item);
                }
                envelope.insert(name, Value::Object(Map::new()));
            }
            _ => {
                envelope.insert(name, parse_raw(raw)?);
            }
        }
    }
    add(&mut parts, TOP, "", String::new(), &Value::Object(envelope));
    for (check, status) in findings {
        add(&mut parts, FINDING, check, String::new(), &Value::String(status.clone()));
    }
    Ok(parts)
}

fn decompose_value(snapshot: &[u8], findings: &[(String, String)]) -> Result<Parts, PartsError> {
    let mut v: Value = serde_json::from_slice(snapshot).map_err(|e| format!("the snapshot is not JSON: {e}"))?;
    let Some(top) = v.as_object_mut() else {
        return Err("the snapshot is not a JSON object".into());
    };
    let mut parts = Parts { collected_at: top.remove("collectedAt").and_then(|c| c.as_str().map(str::to_owned)), ..Parts::default() };
    for section in ["resources", "failures", "inputs"] {
        if let Some(x) = top.get_mut(section) {
            if !x.is_object() {
                return Err(format!("`{section}` is not an object"));
            }
            let taken = x.take();
            *x = Value::Object(Map::new());
            match (section, taken) {
                ("resources", Value::Object(map)) => {
                    for (path, body) in map {
                        decompose_body(&mut parts, &path, body);
                    }
                }
                ("failures", Value::Object(map)) => {
                    for (path, failure) in map {
                        add(&mut parts, FAILURE, &path, String::new(), &failure);
                    }
                }
                (_, Value::Object(map)) => {
                    for (name, input) in map {
                        add(&mut parts, INPUT, &name, String::new(), &input);
                    }
                }
                _ => {}
            }
        }
    }
    add(&mut parts, TOP, "", String::new(), &v);
    for (check, status) in findings {
        add(&mut parts, FINDING, check, String::new(), &Value::String(status.clone()));
    }
    Ok(parts)
}

fn decompose_body(parts: &mut Parts, path: &str, mut body: Value) {
    if is_metrics(path) {
        if let Some(series) = metrics_on_grid(path, &body) {
            decompose_metrics(parts, path, body, series);
            return;
        }
    }
    if is_stats(path) {
        if let Value::Object(map) = &body {
            let names: Vec<String> = map.iter().filter(|(_, v)| v.is_number()).map(|(k, _)| k.clone()).collect();
            if !names.is_empty() {
                let numbers: Vec<String> = names.iter().map(|n| map[n].to_string()).collect();
                let rest: Map<String, Value> = map.iter().filter(|(_, v)| !v.is_number()).map(|(k, v)| (k.clone(), v.clone())).collect();
                let envelope = serde_json::json!({"body": rest, "names": names});
                add(parts, COUNTER_BODY, path, String::new(), &envelope);
                parts.counters.insert(path.to_owned(), numbers.join(","));
                return;
            }
        }
    }
    if let Some(Value::Array(rows)) = body.get_mut("value") {
        let rows = std::mem::take(rows);
        for row in &rows {
            add_row(parts, ROW, path, row);
        }
    }
    add(parts, BODY, path, String::new(), &body);
}

/// The grid every series of a metrics body lies on: (start, step, count).
struct Grid {
    start: i64,
    step: i64,
    count: usize,
}

fn point_time(p: &Value) -> Option<i64> {
    let text = p.get("timeStamp")?.as_str()?;
    let t = erdiag_model::time::parse_rfc3339(text).ok()?;
    (stamp(t) == text).then_some(t)
}

/// A point's `timeStamp` as erdiag and Azure Monitor write it
/// (`2026-11-01T00:00:00Z`), without going through a date library: this runs
/// for every point.
fn stamp(t: i64) -> String {
    match u64::try_from(t) {
        Ok(secs) => erdiag_model::time::rfc3339(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)),
        Err(_) => erdiag_model::time::unix_rfc3339(t),
    }
}

/// The grid when the body is regular enough to store as run-length points.
fn metrics_on_grid(_path: &str, body: &Value) -> Option<Grid> {
    let metrics = body.get("value")?.as_array()?;
    let mut grid: Option<Grid> = None;
    let mut seen = std::collections::HashSet::new();
    let mut headers = std::collections::HashSet::new();
    for m in metrics {
        let m = m.as_object()?;
        let header = canonical_text(&Value::Object(m.iter().filter(|(k, _)| *k != "timeseries").map(|(k, v)| (k.clone(), v.clone())).collect()));
        if !headers.insert(header.clone()) {
            return None;
        }
        for s in m.get("timeseries")?.as_array()? {
            let s = s.as_object()?;
            let series_header = canonical_text(&Value::Object(s.iter().filter(|(k, _)| *k != "data").map(|(k, v)| (k.clone(), v.clone())).collect()));
            if !seen.insert((header.clone(), series_header)) {
                return None;
            }
            let data = s.get("data")?.as_array()?;
            let g = match &grid {
                Some(g) => g,
                None => {
                    let start = point_time(data.first()?)?;
                    let step = match data.get(1) {
                        Some(p) => point_time(p)? - start,
                        None => body.get("interval").and_then(Value::as_str).and_then(|i| erdiag_model::time::parse_span(i).ok()).unwrap_or(60),
                    };
                    if step <= 0 {
                        return None;
                    }
                    grid.insert(Grid { start, step, count: data.len() })
                }
            };
            // Every point on the grid, its time written exactly as a rebuild writes it.
            if data.len() != g.count
                || data.iter().enumerate().any(|(i, p)| p.get("timeStamp").and_then(Value::as_str) != Some(stamp(g.start + i as i64 * g.step).as_str()))
            {
                return None;
            }
        }
    }
    grid.or(Some(Grid { start: 0, step: 60, count: 0 }))
}

fn decompose_metrics(parts: &mut Parts, path: &str, mut body: Value, grid: Grid) {
    let metrics = match body.get_mut("value") {
        Some(Value::Array(m)) => std::mem::take(m),
        _ => Vec::new(),
    };
    for mut m in metrics {
        let series = match m.get_mut("timeseries") {
            Some(Value::Array(s)) => std::mem::take(s),
            _ => Vec::new(),
        };
        let header_text = canonical_text(&m);
        let metric_hash = hash(&header_text);
        add(parts, METRIC, path, metric_hash.clone(), &m);
        for mut s in series {
            let data = match s.get_mut("data") {
                Some(Value::Array(d)) => std::mem::take(d),
                _ => Vec::new(),
            };
            let key = format!("{path}\n{metric_hash}\n{}", hash(&canonical_text(&s)));
            add(parts, SERIES, &key, String::new(), &s);
            let mut points = Points::with_capacity(data.len());
            for (i, mut p) in data.into_iter().enumerate() {
                if let Some(o) = p.as_object_mut() {
                    o.remove("timeStamp");
                }
                points.push_with(grid.start + i as i64 * grid.step, |out| out.push_str(&canonical_text(&p)));
            }
            parts.series.insert(key, points);
        }
    }
    let envelope = serde_json::json!({"body": body, "grid": [grid.start, grid.step, grid.count]});
    add(parts, METRICS, path, String::new(), &envelope);
}

/// One metric point read typed: its `timeStamp` and its other fields (an
/// average, a maximum…) by name. A point whose keys are escaped or repeated
/// does not read: the body then goes the general way.
struct RawPoint<'a> {
    stamp: &'a str,
    fields: Vec<(&'a str, Value)>,
}

impl<'de> serde::Deserialize<'de> for RawPoint<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawPoint<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a metric point")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawPoint<'de>, A::Error> {
                let (mut stamp, mut fields) = (None, Vec::with_capacity(2));
                while let Some(key) = map.next_key::<&'de str>()? {
                    if key == "timeStamp" {
                        if stamp.replace(map.next_value::<&'de str>()?).is_some() {
                            return Err(serde::de::Error::custom("timeStamp twice"));
                        }
                    } else {
                        fields.push((key, map.next_value::<Value>()?));
                    }
                }
                fields.sort_by(|a, b| a.0.cmp(b.0));
                if fields.windows(2).any(|w| w[0].0 == w[1].0) {
                    return Err(serde::de::Error::custom("a field twice"));
                }
                Ok(RawPoint { stamp: stamp.ok_or_else(|| serde::de::Error::custom("no timeStamp"))?, fields })
            }
        }
        d.deserialize_map(Visit)
    }
}

impl RawPoint<'_> {
    /// Writes the canonical text of the point without its `timeStamp`.
    fn write_canonical(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // A key read borrowed has no escape, hence none to write.
            out.push('"');
            out.push_str(k);
            out.push_str("\":");
            if v.is_object() || v.is_array() {
                out.push_str(&canonical_text(v));
            } else {
                // Written in place: no string per number.
                let _ = std::fmt::Write::write_fmt(out, format_args!("{v}"));
            }
        }
        out.push('}');
    }
}

/// A JSON object with `field` set to an empty array, the rest parsed.
fn header(map: &BTreeMap<String, &RawValue>, field: &str) -> Option<Map<String, Value>> {
    let mut out: Map<String, Value> = map.iter().map(|(k, v)| Some((k.clone(), serde_json::from_str(v.get()).ok()?))).collect::<Option<_>>()?;
    out.insert(field.to_owned(), Value::Array(Vec::new()));
    Some(out)
}

/// The name of the list a level of a metrics body holds.
trait ListField {
    const NAME: &'static str;
}
struct ValueList;
impl ListField for ValueList {
    const NAME: &'static str = "value";
}
struct Timeseries;
impl ListField for Timeseries {
    const NAME: &'static str = "timeseries";
}
struct Data;
impl ListField for Data {
    const NAME: &'static str = "data";
}

/// One level of a metrics body read in one pass: its list (`F::NAME`) read
/// typed, its other fields kept raw (the last of a repeated key, as a map
/// of `Value`s keeps it).
struct Split<'a, F, T> {
    rest: BTreeMap<String, &'a RawValue>,
    list: Option<Vec<T>>,
    field: std::marker::PhantomData<F>,
}

impl<'de, F: ListField, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Split<'de, F, T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<F, T>(std::marker::PhantomData<(F, T)>);
        impl<'de, F: ListField, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<F, T> {
            type Value = Split<'de, F, T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "an object with a `{}` list", F::NAME)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Split { rest: BTreeMap::new(), list: None, field: std::marker::PhantomData };
                while let Some(key) = map.next_key::<String>()? {
                    if key == F::NAME {
                        out.list = Some(map.next_value()?);
                    } else {
                        out.rest.insert(key, map.next_value()?);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<F: ListField, T> Split<'_, F, T> {
    /// The header (the object with its list emptied) and the list; None
    /// without the list.
    fn take(self) -> Option<(Map<String, Value>, Vec<T>)> {
        Some((header(&self.rest, F::NAME)?, self.list?))
    }
}

/// A metrics body on a regular grid, taken apart without a `Value` tree of
/// its points: the same records and points as [`decompose_body`] makes
/// (`metrics_on_grid`, then `decompose_metrics`). False, with nothing added,
/// when the body does not read this way or is not on a grid; the caller then
/// takes the general path, which decides.
fn decompose_metrics_raw(parts: &mut Parts, path: &str, body: &RawValue) -> bool {
    type Series<'a> = Split<'a, Data, RawPoint<'a>>;
    type Metric<'a> = Split<'a, Timeseries, Series<'a>>;
    type Body<'a> = Split<'a, ValueList, Metric<'a>>;
    /// A header (the object without its list) and the list read.
    type Read<'a> = (Map<String, Value>, Vec<(Map<String, Value>, Vec<(Map<String, Value>, Vec<RawPoint<'a>>)>)>);
    // One pass over the body's text (before: one per level).
    let read = || -> Option<Read<'_>> {
        let (envelope, metrics) = serde_json::from_str::<Body<'_>>(body.get()).ok()?.take()?;
        let mut out = Vec::with_capacity(metrics.len());
        for m in metrics {
            let (m, series) = m.take()?;
            let list = series.into_iter().map(Split::take).collect::<Option<Vec<_>>>()?;
            out.push((m, list));
        }
        Some((envelope, out))
    };
    let Some((envelope, metrics)) = read() else {
        return false;
    };
    // The grid: as `metrics_on_grid` finds it.
    let mut grid: Option<Grid> = None;
    let mut stamps: Vec<String> = Vec::new();
    let (mut headers, mut seen) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for (m, series) in &metrics {
        let without = |h: &Map<String, Value>, field: &str| {
            canonical_text(&Value::Object(h.iter().filter(|(k, _)| *k != field).map(|(k, v)| (k.clone(), v.clone())).collect()))
        };
        let m_header = without(m, "timeseries");
        if !headers.insert(m_header.clone()) {
            return false;
        }
        for (s, points) in series {
            if !seen.insert((m_header.clone(), without(s, "data"))) {
                return false;
            }
            if grid.is_none() {
                let time = |p: &RawPoint<'_>| erdiag_model::time::parse_rfc3339(p.stamp).ok().filter(|t| stamp(*t) == p.stamp);
                let Some(start) = points.first().and_then(time) else {
                    return false;
                };
                let step = match points.get(1) {
                    Some(p) => match time(p) {
                        Some(t) => t - start,
                        None => return false,
                    },
                    None => envelope.get("interval").and_then(Value::as_str).and_then(|i| erdiag_model::time::parse_span(i).ok()).unwrap_or(60),
                };
                if step <= 0 {
                    return false;
                }
                stamps = (0..points.len()).map(|i| stamp(start + i as i64 * step)).collect();
                grid = Some(Grid { start, step, count: points.len() });
            }
            if points.len() != stamps.len() || points.iter().zip(&stamps).any(|(p, s)| p.stamp != s) {
                return false;
            }
        }
    }
    let grid = grid.unwrap_or(Grid { start: 0, step: 60, count: 0 });
    for (m, series) in metrics {
        let m = Value::Object(m);
        let metric_hash = hash(&canonical_text(&m));
        add(parts, METRIC, path, metric_hash.clone(), &m);
        for (s, points) in series {
            let s = Value::Object(s);
            let text = canonical_text(&s);
            let key = format!("{path}\n{metric_hash}\n{}", hash(&text));
            *parts.records.entry(Rec { kind: SERIES, key: key.clone(), sub: String::new(), value: text }).or_insert(0) += 1;
            let mut texts = Points::with_capacity(points.len());
            for (i, p) in points.iter().enumerate() {
                texts.push_with(grid.start + i as i64 * grid.step, |out| p.write_canonical(out));
            }
            parts.series.insert(key, texts);
        }
    }
    let envelope = serde_json::json!({"body": Value::Object(envelope), "grid": [grid.start, grid.step, grid.count]});
    add(parts, METRICS, path, String::new(), &envelope);
    true
}

/// What a rebuild reads: the records valid at a poll.
#[derive(Debug, Default)]
pub(crate) struct Valid<'a> {
    pub records: Vec<(&'a Rec, i64)>,
    /// Point records per series key: time → canonical point.
    pub points: HashMap<String, BTreeMap<i64, String>>,
    /// Latest numbers per stats path at or before the poll.
    pub counters: HashMap<String, String>,
    pub collected_at: Option<String>,
}

fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("a stored record is not JSON ({e})"))
}

/// The first and last time of a metrics envelope's grid.
pub(crate) fn grid_of(envelope: &str) -> Result<(i64, i64), String> {
    let v = parse(envelope)?;
    let g = |i: usize| v.get("grid").and_then(|g| g.get(i)).and_then(Value::as_i64).ok_or("a stored metrics grid is malformed");
    let (start, step, count) = (g(0)?, g(1)?, g(2)?);
    Ok((start, start + step * (count - 1)))
}

/// Puts a snapshot back together, in canonical form.
pub(crate) fn rebuild(valid: &Valid<'_>) -> Result<Vec<u8>, String> {
    let mut top = Value::Null;
    let mut bodies: BTreeMap<&str, (i64, Value)> = BTreeMap::new();
    let mut rows: HashMap<&str, Vec<Value>> = HashMap::new();
    let mut metric_headers: HashMap<&str, Vec<(&str, Value)>> = HashMap::new();
    let mut series: HashMap<(&str, &str), Vec<(&str, Value)>> = HashMap::new();
    let mut failures = Map::new();
    let mut inputs = Map::new();
    for (rec, mult) in &valid.records {
        match rec.kind {
            TOP => top = parse(&rec.value)?,
            BODY | METRICS => {
                bodies.insert(&rec.key, (rec.kind, parse(&rec.value)?));
            }
            ROW => {
                let row = parse(&rec.value)?;
                let list = rows.entry(&rec.key).or_default();
                for _ in 0..*mult {
                    list.push(row.clone());
                }
            }
            COUNTER_BODY => {
                let env = parse(&rec.value)?;
                let mut body = env.get("body").cloned().unwrap_or(Value::Object(Map::new()));
                let names: Vec<&str> = env.get("names").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                let numbers = valid.counters.get(&rec.key).ok_or_else(|| format!("no counters stored for {}", rec.key))?;
                let numbers: Vec<&str> = numbers.split(',').collect();
                if numbers.len() != names.len() {
                    return Err(format!("the counters stored for {} do not match their names", rec.key));
                }
                if let Some(map) = body.as_object_mut() {
                    for (name, n) in names.iter().zip(numbers) {
                        map.insert((*name).to_owned(), parse(n)?);
                    }
                }
                bodies.insert(&rec.key, (rec.kind, body));
            }
            METRIC => metric_headers.entry(&rec.key).or_default().push((&rec.sub, parse(&rec.value)?)),
            SERIES => {
                let mut it = rec.key.splitn(3, '\n');
                let (Some(path), Some(metric)) = (it.next(), it.next()) else {
                    return Err(format!("a stored series key is malformed: {}", rec.key));
                };
                series.entry((path, metric)).or_default().push((&rec.key, parse(&rec.value)?));
            }
            FAILURE => {
                failures.insert(rec.key.clone(), parse(&rec.value)?);
            }
            INPUT => {
                inputs.insert(rec.key.clone(), parse(&rec.value)?);
            }
            _ => {}
        }
    }
    let mut resources = Map::new();
    for (path, (kind, mut body)) in bodies {
        if kind == METRICS {
            let grid = body["grid"].take();
            body = metrics_body(valid, path, body["body"].take(), &grid, &metric_headers, &series)?;
        } else if let Some(list) = rows.remove(path) {
            if let Some(slot) = body.get_mut("value") {
                *slot = Value::Array(list);
            }
        }
        resources.insert(path.to_owned(), body);
    }
    let Value::Object(map) = &mut top else {
        return Err("no snapshot envelope is stored for this poll".into());
    };
    for (name, section) in [("resources", resources), ("failures", failures), ("inputs", inputs)] {
        if let Some(slot) = map.get_mut(name) {
            *slot = Value::Object(section);
        }
    }
    if let Some(c) = &valid.collected_at {
        map.insert("collectedAt".into(), Value::String(c.clone()));
    }
    canonicalize(&mut top);
    Ok(canonical_text(&top).into_bytes())
}

type Headers<'a> = HashMap<&'a str, Vec<(&'a str, Value)>>;
type SeriesMap<'a> = HashMap<(&'a str, &'a str), Vec<(&'a str, Value)>>;

fn metrics_body(valid: &Valid<'_>, path: &str, mut body: Value, grid: &Value, headers: &Headers<'_>, series: &SeriesMap<'_>) -> Result<Value, String> {
    let g = |i: usize| grid.get(i).and_then(Value::as_i64).unwrap_or(0);
    let (start, step, count) = (g(0), g(1), g(2));
    let mut metrics = Vec::new();
    for (hash, header) in headers.get(path).map(Vec::as_slice).unwrap_or_default() {
        let mut m = header.clone();
        let mut list = Vec::new();
        for (key, s) in series.get(&(path, *hash)).map(Vec::as_slice).unwrap_or_default() {
            let points = valid.points.get(*key);
            let mut data = Vec::with_capacity(count as usize);
            for i in 0..count {
                let t = start + i * step;
                let text =
                    points.and_then(|p| p.range(..=t).next_back()).map(|(_, v)| v).ok_or_else(|| format!("no metric point stored for {key:?} at {t}"))?;
                let mut p = parse(text)?;
                if let Some(o) = p.as_object_mut() {
                    o.insert("timeStamp".into(), Value::String(stamp(t)));
                }
                data.push(p);
            }
            let mut s = s.clone();
            if let Some(o) = s.as_object_mut() {
                o.insert("data".into(), Value::Array(data));
            }
            list.push(s);
        }
        if let Some(o) = m.as_object_mut() {
            o.insert("timeseries".into(), Value::Array(list));
        }
        metrics.push(m);
    }
    if let Some(slot) = body.get_mut("value") {
        *slot = Value::Array(metrics);
    }
    Ok(body)
}

/// Fields of table rows that move at every poll without the network
/// changing: an ARP entry's age, a BGP peer's message counts.
const MOVING_FIELDS: &[&str] = &["age", "messagesSent", "messagesReceived"];
/// Uptimes: growing is time passing; going back is a session that reset.
const UPTIME_FIELDS: &[&str] = &["upDown", "connectedDuration"];

/// An uptime in seconds: `HH:MM:SS`, `3d04h`, `1w2d` (MSEE summaries) or
/// `5.02:11:43.1234567` (the gateway's .NET TimeSpan). `never` and anything
/// else: None.
pub(crate) fn uptime_secs(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.contains(':') {
        let (days, clock) = match text.split_once('.') {
            Some((d, rest)) if rest.contains(':') => (d.parse::<f64>().ok()?, rest),
            _ => (0.0, text),
        };
        let mut parts = clock.split(':');
        let (h, m, s) = (parts.next()?.parse::<f64>().ok()?, parts.next()?.parse::<f64>().ok()?, parts.next()?.parse::<f64>().ok()?);
        return parts.next().is_none().then_some(days * 86_400.0 + h * 3600.0 + m * 60.0 + s);
    }
    let (mut total, mut number, mut any) = (0.0, String::new(), false);
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'y' => 365.0 * 86_400.0,
            'w' => 7.0 * 86_400.0,
            'd' => 86_400.0,
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
        total += number.parse::<f64>().ok()? * unit;
        number.clear();
        any = true;
    }
    (any && number.is_empty()).then_some(total)
}

/// A row without its moving fields and uptimes, and its uptimes.
fn settled(row: &str) -> (String, Vec<Option<f64>>) {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(row) else {
        return (row.to_owned(), Vec::new());
    };
    for f in MOVING_FIELDS {
        map.remove(*f);
    }
    let uptimes = UPTIME_FIELDS.iter().filter_map(|f| map.remove(*f)).map(|v| v.as_str().and_then(uptime_secs)).collect();
    (canonical_text(&Value::Object(map)), uptimes)
}

/// Whether table rows that closed and opened at one poll differ in more than
/// their moving fields — or in an uptime that went back (a session that
/// reset between polls is a change even when it is up again).
pub(crate) fn rows_changed(closed: &[(&str, &str, i64)], opened: &[(&str, &str, i64)]) -> bool {
    fn expand<'a>(rows: &[(&'a str, &str, i64)]) -> Vec<(&'a str, String, Vec<Option<f64>>)> {
        let mut out: Vec<(&'a str, String, Vec<Option<f64>>)> = Vec::new();
        for (path, value, mult) in rows {
            let (rest, uptimes) = settled(value);
            for _ in 0..*mult {
                out.push((*path, rest.clone(), uptimes.clone()));
            }
        }
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)).then(a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal)));
        out
    }
    let (before, after) = (expand(closed), expand(opened));
    before.len() != after.len()
        || before.iter().zip(&after).any(|(b, a)| {
            b.0 != a.0
                || b.1 != a.1
                || b.2.iter().zip(&a.2).any(|(old, new)| match (old, new) {
                    (Some(old), Some(new)) => new < old,
                    (None, None) => false,
                    _ => true,
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_sorts_keys_whichever_map_serde_json_has() {
        let v: Value = serde_json::from_str(r#"{"b": [1, {"z": 1, "a": 2.5}], "a": "x"}"#).unwrap();
        let mut slow = String::new();
        write_canonical(&v, &mut slow);
        assert_eq!(slow, r#"{"a":"x","b":[1,{"a":2.5,"z":1}]}"#);
        assert_eq!(canonical_text(&v), slow);
    }

    /// The records and points of a snapshot, as comparable text.
    fn taken_apart(p: &Parts) -> (Vec<(Rec, i64)>, BTreeMap<String, Points>) {
        let mut records: Vec<(Rec, i64)> = p.records.iter().map(|(r, m)| (r.clone(), *m)).collect();
        records.sort();
        (records, p.series.clone())
    }

    #[test]
    fn a_metrics_body_read_typed_gives_the_records_of_the_general_path() {
        let point = |m: u32, v: &str| format!(r#"{{"timeStamp":"2026-11-01T00:{m:02}:00Z",{v}}}"#);
        let series = |dim: &str, v: &str| {
            let data: Vec<String> = (0..3).map(|m| point(m, v)).collect();
            format!(r#"{{"metadatavalues":[{{"name":{{"value":"Peer"}},"value":"{dim}"}}],"data":[{}]}}"#, data.join(","))
        };
        let metric = |name: &str, series: &[String]| format!(r#"{{"name":{{"value":"{name}"}},"unit":"Percent","timeseries":[{}]}}"#, series.join(","));
        let body = |metrics: &[String]| {
            format!(r#"{{"interval":"PT1M","timespan":"x","value":[{}]}}"#, metrics.join(","))
        };
        let snapshot = |body: &str| {
            format!(r#"{{"format":"erdiag-snapshot/1","collectedAt":"2026-11-01T00:03:00Z","resources":{{"/c/providers/Microsoft.Insights/metrics":{body},"/c/stats":{{"primarybytesIn":5}}}},"failures":{{}}}}"#)
        };
        let cases = [
            // On the grid: the typed path.
            body(&[metric("BgpAvailability", &[series("a", r#""average":100.0"#), series("b", r#""maximum":2,"average":1.5"#)]), metric("Cpu", &[series("c", r#""average":null"#)])]),
            // An escaped key, a repeated field, a point off the grid: the general path decides.
            body(&[metric("A", &[series("a", r#""aver\u0061ge":1.0"#)])]),
            body(&[metric("A", &[series("a", r#""average":1.0,"average":2.0"#)])]),
            body(&[metric("A", &[series("a", r#""average":1.0"#).replace("00:02:00Z", "00:02:30Z")])]),
            body(&[]),
        ];
        for b in &cases {
            let text = snapshot(b);
            let typed = decompose(text.as_bytes(), &[]).unwrap();
            let general = decompose_value(text.as_bytes(), &[]).unwrap();
            assert_eq!(taken_apart(&typed), taken_apart(&general), "{text}");
            assert_eq!(typed.collected_at, general.collected_at);
            assert_eq!(typed.counters, general.counters);
        }
        // The first case is on the grid: its points are points, not rows.
        assert_eq!(decompose(snapshot(&cases[0]).as_bytes(), &[]).unwrap().series.len(), 3);
    }

    #[test]
    fn the_kinds_states_leave_out_are_those_the_sql_names() {
        // `Store::arm_states` filters `kind NOT IN (4, 5, 6, 7)` in SQL.
        let left_out: Vec<i64> = (0..=FINDING).filter(|k| is_metrics_or_counters(*k)).collect();
        assert_eq!(left_out, [4, 5, 6, 7]);
    }

    #[test]
    fn uptimes_in_the_formats_azure_writes() {
        assert_eq!(uptime_secs("00:02:11"), Some(131.0));
        assert_eq!(uptime_secs("3d04h"), Some(3.0 * 86_400.0 + 4.0 * 3600.0));
        assert_eq!(uptime_secs("1w2d"), Some(9.0 * 86_400.0));
        assert_eq!(uptime_secs("5.02:11:43.1234567"), Some(5.0 * 86_400.0 + 2.0 * 3600.0 + 11.0 * 60.0 + 43.1234567));
        assert_eq!(uptime_secs("never"), None);
        assert_eq!(uptime_secs("3d04"), None);
    }

    #[test]
    fn moving_fields_are_not_changes_but_a_reset_uptime_is() {
        let old = r#"{"age":3,"ipAddress":"172.16.0.1","macAddress":"aa"}"#;
        let new = r#"{"age":8,"ipAddress":"172.16.0.1","macAddress":"aa"}"#;
        let moved_mac = r#"{"age":8,"ipAddress":"172.16.0.1","macAddress":"bb"}"#;
        assert!(!rows_changed(&[("arp", old, 1)], &[("arp", new, 1)]));
        assert!(rows_changed(&[("arp", old, 1)], &[("arp", moved_mac, 1)]));
        assert!(rows_changed(&[("arp", old, 1)], &[("arp", new, 2)]));
        let up = |u: &str| format!(r#"{{"neighbor":"172.16.0.1","statePfxRcd":"3","upDown":"{u}"}}"#);
        assert!(!rows_changed(&[("s", &up("3d04h"), 1)], &[("s", &up("3d05h"), 1)]));
        assert!(rows_changed(&[("s", &up("3d04h"), 1)], &[("s", &up("00:01:10"), 1)]));
        assert!(rows_changed(&[("s", &up("never"), 1)], &[("s", &up("00:01:10"), 1)]));
    }
}
