//! The `erdiag-probe/1` document: what `erdiag probe tcp -o json` writes and
//! what the diagnosis reads back with [`ProbeReport::from_json`]. Its field
//! names are a contract (see the crate's README.md); a breaking change needs a
//! new format string.

pub use crate::sample::{Outcome, Sample};
use crate::stats::Summary;
use erdiag_model::snapshot::strip_position;
use serde::{Deserialize, Serialize};

/// The `format` of a probe document.
pub const PROBE_FORMAT: &str = "erdiag-probe/1";

/// A whole probe run: every attempt and the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    /// Always [`PROBE_FORMAT`].
    pub format: String,
    /// `HOST:PORT` as given on the command line.
    pub target: String,
    /// The local address the attempts were bound to (`--source`), or `None`
    /// when the system chose.
    pub source: Option<String>,
    /// When the first attempt started, RFC 3339 UTC.
    pub started_at: String,
    pub samples: Vec<Sample>,
    pub summary: Summary,
}

/// Why a probe document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProbeFormatError {
    #[error("not JSON at line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("not an {PROBE_FORMAT} document: format is {0:?}")]
    Format(String),
    #[error("at {path}: {message}")]
    Shape { path: String, message: String },
}

impl ProbeReport {
    pub fn new(target: String, source: Option<String>, started_at: String, samples: Vec<Sample>) -> ProbeReport {
        let summary = Summary::of(&samples);
        ProbeReport { format: PROBE_FORMAT.to_string(), target, source, started_at, samples, summary }
    }

    /// Reads an `erdiag-probe/1` document. Errors name the line and column
    /// (syntax) or the JSON path (shape); a document of another format is
    /// rejected before its fields are read.
    pub fn from_json(bytes: &[u8]) -> Result<ProbeReport, ProbeFormatError> {
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| ProbeFormatError::Syntax {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e),
        })?;
        match value.get("format") {
            Some(serde_json::Value::String(f)) if f == PROBE_FORMAT => {}
            Some(serde_json::Value::String(f)) => return Err(ProbeFormatError::Format(f.clone())),
            Some(other) => return Err(ProbeFormatError::Format(other.to_string())),
            None if value.is_object() => {
                return Err(ProbeFormatError::Shape { path: "format".into(), message: "missing field `format`".into() })
            }
            None => return Err(ProbeFormatError::Shape { path: ".".into(), message: "expected an object".into() }),
        }
        serde_path_to_error::deserialize(value).map_err(|e| ProbeFormatError::Shape {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// The document as pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seq: u64, result: Outcome, ms: Option<f64>) -> Sample {
        Sample {
            seq,
            time: "2026-11-22T10:00:00.000Z".into(),
            result,
            latency_ms: ms,
            error: (result != Outcome::Ok).then(|| "Connection refused (os error 111)".into()),
            address: Some("127.0.0.1:9".into()),
        }
    }

    #[test]
    fn round_trips() {
        let r = ProbeReport::new(
            "127.0.0.1:9".into(),
            Some("127.0.0.1".into()),
            "2026-11-22T10:00:00.000Z".into(),
            vec![sample(1, Outcome::Ok, Some(0.25)), sample(2, Outcome::Refused, None)],
        );
        let back = ProbeReport::from_json(r.to_json().as_bytes()).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.summary.lost, 1);
        assert_eq!(back.summary.by_result.refused, 1);
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        for k in ["format", "target", "source", "startedAt", "samples", "summary"] {
            assert!(v.get(k).is_some(), "{k}");
        }
        for k in ["seq", "time", "result", "latencyMs", "error"] {
            assert!(v["samples"][1].get(k).is_some(), "{k}");
        }
        for k in ["sent", "received", "lost", "lossPercent", "minMs", "medianMs", "p90Ms", "p95Ms", "p99Ms", "maxMs", "histogram", "byResult"] {
            assert!(v["summary"].get(k).is_some(), "{k}");
        }
        assert_eq!(v["summary"]["byResult"].as_object().unwrap().len(), 6);
    }

    #[test]
    fn bad_documents_get_clear_errors() {
        let e = ProbeReport::from_json(b"{\"format\": ").unwrap_err().to_string();
        assert!(e.starts_with("not JSON at line 1, column"), "{e}");
        let e = ProbeReport::from_json(br#"{"format": "erdiag-snapshot/1"}"#).unwrap_err().to_string();
        assert_eq!(e, r#"not an erdiag-probe/1 document: format is "erdiag-snapshot/1""#);
        let e = ProbeReport::from_json(b"[]").unwrap_err().to_string();
        assert_eq!(e, "at .: expected an object");
        let r = ProbeReport::new("h:1".into(), None, "t".into(), vec![sample(1, Outcome::Ok, Some(1.0))]);
        let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        v["samples"][0]["result"] = "lost".into();
        let e = ProbeReport::from_json(v.to_string().as_bytes()).unwrap_err().to_string();
        assert!(e.starts_with("at samples[0].result: unknown variant `lost`"), "{e}");
    }
}
