//! One HTTP answer before it is sent: status, headers and body bytes. Kept as
//! plain data so that faults can rewrite it (truncate the body, cut the
//! connection after half of it) and the log can note its status.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// `Content-Type` of every JSON answer, as ARM writes it.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        // Serializing a Value cannot fail (its map keys are strings).
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply::empty(status).header("content-type", JSON).body(body)
    }

    /// An answer without a body.
    pub(crate) fn empty(status: u16) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// ARM's error shape: `{"error": {"code": …, "message": …}}`.
    pub(crate) fn arm_error(status: u16, code: &str, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({ "error": { "code": code, "message": message.into() } }))
    }

    pub(crate) fn body(mut self, body: Vec<u8>) -> Reply {
        self.body = body;
        self
    }

    /// Adds (or replaces) a header. A value that is not a valid header value
    /// is left out rather than failing the answer.
    pub(crate) fn header(mut self, name: &'static str, value: impl AsRef<str>) -> Reply {
        if let Ok(v) = HeaderValue::from_str(value.as_ref()) {
            self.headers.insert(HeaderName::from_static(name), v);
        }
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        // `(status, Vec<u8>)` sets application/octet-stream; ours replace it.
        response.headers_mut().remove(axum::http::header::CONTENT_TYPE);
        for (name, value) in self.headers.iter() {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response
    }
}

/// The ARM error code conventionally used for an HTTP status.
pub(crate) fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "AuthenticationFailed",
        403 => "AuthorizationFailed",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        s if s < 500 => "BadRequest",
        _ => "InternalServerError",
    }
}
