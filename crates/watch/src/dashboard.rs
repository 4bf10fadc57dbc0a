//! The dashboard's routes: for now, `/` a plain page that points at `/metrics`.

use crate::state::Shared;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

pub fn routes(shared: Shared) -> Router {
    Router::new().route(
        "/",
        get(move || {
            let n = shared.read().circuits.len();
            async move { Html(format!("<!doctype html><title>erdiag watch</title><p>erdiag watch: {n} circuits. Metrics at <a href=\"metrics\">/metrics</a>.</p>\n")) }
        }),
    )
}
