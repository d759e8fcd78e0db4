//! Use cases: what a person or a machine can do with Okno, checked and carried out.
//!
//! Owns: authorisation decisions (`policy`), validation against other records, the
//! mapping of storage outcomes to errors an interface can explain, and the demo body.
//!
//! Must never: speak HTTP or render pages (that is `web`), write SQL (that is `store`),
//! or log personal data.

pub mod analytics;
pub mod attachments;
mod audit;
mod auth;
pub mod calendars;
mod catalogue;
pub mod clarity;
pub mod dashboard;
pub mod demo;
pub mod demo_bulk;
pub mod demo_history;
mod error;
pub mod feedback;
pub mod notify;
mod org;
pub mod personal;
pub mod policy;
pub mod requests;
pub mod transfer;

pub use auth::{
    csrf_equal, NewSession, NewToken, SessionInfo, TokenInfo, ACCOUNT_FAILURE_LIMIT, FAILURE_WINDOW_MS, IP_FAILURE_LIMIT, LOCK_MS,
    SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, TOKEN_PREFIX,
};
pub use catalogue::{ListQuery, PageRequest, Paged};
pub use error::AppError;
pub use okno_store::{AuditCheck, AuditFilter, AuditRecord, CostRecord};
pub use policy::{Actor, Staff, Who};

use okno_store::Store;

/// The application: every use case is a method taking the acting `Actor` first.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    /// Parsed body calendars, checked against the stored version on every use.
    calendars: calendars::CalendarCache,
    /// Per body, the event log and computed reports (`analytics.rs`).
    analytics: analytics::AnalyticsCache,
    /// Requests an offering needs in a period before the public page shows its figures.
    transparency_min: u64,
    /// How the centricity index combines its parts (validated when set).
    weights: okno_analytics::Weights,
}

impl App {
    pub fn new(store: Store) -> App {
        App {
            store,
            calendars: Default::default(),
            analytics: Default::default(),
            transparency_min: dashboard::DEFAULT_TRANSPARENCY_MIN,
            weights: Default::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Readiness: the database answers.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.store.ping().await.map_err(AppError::from)
    }
}
