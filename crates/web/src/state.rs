use crate::caller::Caller;
use crate::ops::Metrics;
use okno_app::{Actor, App, AppError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What every handler gets: the application and the request metrics.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub(crate) metrics: Arc<Metrics>,
    /// Once an account exists the instance never goes back to set-up, so a `true` is
    /// cached and the database is asked only while there are none.
    accounts_seen: Arc<AtomicBool>,
    /// Session cookies carry `Secure` (HTTPS deployments).
    pub(crate) secure_cookies: bool,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        AppState { app, metrics: Arc::new(Metrics::new()), accounts_seen: Arc::new(AtomicBool::new(false)), secure_cookies: false }
    }

    pub fn with_secure_cookies(mut self, secure: bool) -> AppState {
        self.secure_cookies = secure;
        self
    }

    /// The attributes every session cookie carries.
    pub(crate) fn cookie_attributes(&self) -> &'static str {
        if self.secure_cookies {
            "Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }

    pub(crate) async fn accounts_exist(&self) -> Result<bool, AppError> {
        if self.accounts_seen.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let exist = self.app.accounts_exist().await?;
        if exist {
            self.accounts_seen.store(true, Ordering::Relaxed);
        }
        Ok(exist)
    }
}

/// The actor of a request, as `caller::identify` resolved it.
pub(crate) struct CurrentActor(pub Actor);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CurrentActor {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // Routes outside the identifying layer (none today) would act as anonymous.
        Ok(CurrentActor(parts.extensions.get::<Caller>().map(|c| c.actor.clone()).unwrap_or_else(Actor::anonymous)))
    }
}
