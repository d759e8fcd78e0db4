//! Static assets compiled into the binary: nothing is fetched from elsewhere.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/okno.js");
const FAVICON: &str = include_str!("../assets/favicon.svg");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/style.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLE)
                    .into_response()
            }),
        )
        .route(
            "/assets/okno.js",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], SCRIPT)
                    .into_response()
            }),
        )
        .route(
            "/assets/favicon.svg",
            get(|| async {
                ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], FAVICON).into_response()
            }),
        )
}
