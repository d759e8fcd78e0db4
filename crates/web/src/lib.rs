//! The HTTP edge: server-rendered HTML pages, the JSON API under `/api/v1` with its
//! OpenAPI description, and the operational endpoints (`/healthz`, `/readyz`, `/metrics`).
//!
//! Owns: routing, extracting input from requests, rendering, the one mapping from
//! `AppError` to HTTP, security headers, request ids and request metrics.
//!
//! Must never: decide who may do what (it asks `app`), touch SQL, or log request bodies,
//! query strings or anything else that may carry personal data.

mod api;
mod assets;
mod caller;
mod charts;
mod error;
mod flow_chart;
mod format;
pub mod i18n;
mod open311;
mod ops;
mod pages;
mod server;
mod state;

pub use server::{router, serve, WebConfig};
pub use state::AppState;
