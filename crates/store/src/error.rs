use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key is taken, e.g. two offerings of one name in a body.
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    /// The record changed since it was read (optimistic version check).
    #[error("the record was changed by someone else")]
    Stale,
    /// Other records still point at this one.
    #[error("still in use: {0}")]
    InUse(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("corrupt value in column {0}")]
    Corrupt(&'static str),
}

impl StoreError {
    /// Maps constraint violations to what they mean for the caller; `what` names the
    /// record in the message.
    pub(crate) fn from_write(e: sqlx::Error, what: &'static str) -> StoreError {
        if let Some(db) = e.as_database_error() {
            if db.is_unique_violation() {
                return StoreError::Duplicate(what);
            }
            if db.is_foreign_key_violation() {
                return StoreError::InUse(what);
            }
        }
        StoreError::Database(e)
    }
}
