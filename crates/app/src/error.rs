use okno_domain::Invalid;
use okno_store::StoreError;
use thiserror::Error;

/// Every way a use case can fail, in terms an interface can explain to a person.
#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The action conflicts with the current state; `code` is stable.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("internal error")]
    Internal(#[source] StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound("record"),
            StoreError::Stale => AppError::Conflict {
                code: "stale_version",
                message: "someone changed this record after you opened it; reload and apply your change again".into(),
            },
            StoreError::Duplicate(what) => {
                AppError::Conflict { code: "duplicate", message: format!("a {what} with this name already exists") }
            }
            StoreError::InUse(what) => {
                AppError::Conflict { code: "in_use", message: format!("this {what} is still used by other records") }
            }
            other => AppError::Internal(other),
        }
    }
}

impl AppError {
    /// Names what was not found, for `StoreError::NotFound` from a known lookup.
    pub(crate) fn not_found(what: &'static str) -> impl Fn(StoreError) -> AppError {
        move |e| match e {
            StoreError::NotFound => AppError::NotFound(what),
            other => other.into(),
        }
    }
}
