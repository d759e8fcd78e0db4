use crate::ops::Metrics;
use okno_app::{Actor, App};
use std::sync::Arc;

/// What every handler gets: the application and the request metrics.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub(crate) metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        AppState { app, metrics: Arc::new(Metrics::new()) }
    }
}

/// The actor of a request. Accounts arrive with the accounts issue; until then every
/// request acts on an open instance. This is the one place that will change.
pub(crate) struct CurrentActor(pub Actor);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CurrentActor {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut actor = Actor::open();
        actor.request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        actor.ip = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(CurrentActor(actor))
    }
}
