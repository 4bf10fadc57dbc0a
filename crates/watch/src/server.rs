//! The HTTP server: `/metrics` (Prometheus), `/healthz` (readiness), the
//! dashboard's routes, and the token that guards them. Every handler reads
//! [`Shared`]; none reaches Azure.
//!
//! With a token, every route but `/healthz` wants `Authorization: Bearer
//! TOKEN`, or `?token=TOKEN`; `/login?token=TOKEN` sets a cookie for a
//! browser and redirects to `/`.

use crate::config::ServerOptions;
use crate::state::Shared;
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// The cookie `/login` sets.
const COOKIE: &str = "erdiag_token";

pub fn router(shared: Shared, opts: &ServerOptions) -> Router {
    let metrics_state = shared.clone();
    let guarded = Router::new()
        .route(
            "/metrics",
            get(move || {
                let process = crate::process::read();
                let body = crate::metrics::render(&metrics_state.read(), &process);
                async move { ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], body) }
            }),
        )
        .merge(crate::dashboard::routes(shared.clone(), &opts.dashboard));
    let guarded = match &opts.auth_token {
        Some(token) => {
            let token: Arc<str> = Arc::from(token.as_str());
            let login_token = token.clone();
            guarded
                .route("/login", get(move |req: Request| login(login_token.clone(), req)))
                .layer(middleware::from_fn(move |req: Request, next: Next| authorize(token.clone(), req, next)))
        }
        None => guarded,
    };
    let health = shared;
    Router::new()
        .route(
            "/healthz",
            get(move || {
                let polls = health.read().polls;
                async move {
                    if polls > 0 {
                        (StatusCode::OK, "ok\n")
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "starting: no poll has finished yet\n")
                    }
                }
            }),
        )
        .merge(guarded)
}

async fn authorize(token: Arc<str>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/login" || presented(req.headers(), req.uri().query()).is_some_and(|t| same(t.as_bytes(), token.as_bytes())) {
        return next.run(req).await;
    }
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a token is required: Authorization: Bearer TOKEN, ?token=TOKEN, or /login?token=TOKEN in a browser\n").into_response()
}

/// `/login?token=`: a cookie for the browser, then the dashboard.
async fn login(token: Arc<str>, req: Request) -> Response {
    match query_token(req.uri().query()) {
        Some(t) if same(t.as_bytes(), token.as_bytes()) => (
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, format!("{COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict")), (header::LOCATION, "/".to_string())],
        )
            .into_response(),
        _ => (StatusCode::UNAUTHORIZED, "wrong or missing token\n").into_response(),
    }
}

/// The token a request carries: the bearer header, the query, or the cookie.
fn presented(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    if let Some(t) = query_token(query) {
        return Some(t);
    }
    let cookies = headers.get_all(header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    cookies.flat_map(|c| c.split(';')).find_map(|c| c.trim().strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')).map(str::to_string))
}

fn query_token(query: Option<&str>) -> Option<String> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token=")).map(|t| url_decode(t))
}

/// `%XX` and `+` of a query value.
fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(v)) => {
                out.push(v);
                i += 2;
            }
            (c, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_comes_from_the_header_the_query_or_the_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(presented(&h, Some("a=1&token=s%2Fx")), Some("s/x".into()));
        h.insert(header::COOKIE, "x=1; erdiag_token=abc".parse().unwrap());
        assert_eq!(presented(&h, None), Some("abc".into()));
        h.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(presented(&h, None), Some("xyz".into()));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"ab", b"abc"));
    }
}
