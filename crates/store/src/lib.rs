//! The only place with SQL. One code path for SQLite (embedded default) and PostgreSQL
//! (scale-out), through sqlx's `Any` driver with portable SQL: `$n` placeholders, TEXT
//! ids, BIGINT times in UTC milliseconds, JSON lists as TEXT. ARCHITECTURE.md says why.
//!
//! Owns: connecting, migrations per backend, and reading/writing domain records.
//! Must never: decide who may do what (that is `app`), speak HTTP, or log personal data.
//!
//! The conformance suite in `tests/` runs every test on both backends; it stands in for
//! the compile-time query checks that `Any` cannot have.

mod accounts;
pub mod analytics;
mod attachments;
mod audit;
mod bulk;
mod calendars;
mod catalogue;
mod clarity;
mod costs;
mod db;
mod error;
mod group;
mod open311;
mod org;
mod outbox;
mod personal;
pub mod ratings;
mod requests;
mod transfer;

#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{Account, FailureRule, Grant, SessionRecord, TokenRecord};
pub use attachments::{AttachOutcome, AttachmentRecord, NewAttachment};
pub use audit::{AuditCheck, AuditFilter, AuditRecord, Change, Trail};
pub use bulk::{BulkEvent, BulkRequest};
pub use calendars::{BodyCalendarRecord, BodyCalendarWrite};
pub use catalogue::{OfferingFilter, Page};
pub use clarity::{ClarityGroup, ResponseScore};
pub use costs::CostRecord;
pub use db::{Backend, Store};
pub use error::StoreError;
pub use open311::{Open311Service, Open311Update};
pub use outbox::{DeadlineCandidate, NewMail, OutboxCounts, OutboxMail};
pub use personal::{Erasure, PersonQuery, PersonalData, ERASED_CLIENT, ERASED_NAME, ERASED_SUBJECT};
pub use requests::{ClientContact, EventRecord, RequestFilter, RequestRecord, EVENTS_GENESIS};
pub use transfer::{ImportItem, ImportMode};
