//! Field-level validation errors. A `code` is stable (interfaces translate it); the
//! English `message` is a fallback for logs and clients that do not translate.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The input field, as named in the API (`name`, `segments[2].segment_id`).
    pub field: String,
    /// Stable machine-readable code, e.g. `required`, `too_long`.
    pub code: &'static str,
    pub message: String,
}

/// All problems with one input, so a form can show every message at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Invalid(vec![FieldError { field: field.into(), code, message: message.into() }])
    }

    pub fn push(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), code, message: message.into() });
    }

    /// Keeps the first error and records it, so callers can go on validating the rest.
    pub fn take<T>(&mut self, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.0);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn prefixed(mut self, prefix: &str) -> Self {
        for e in &mut self.0 {
            e.field = format!("{prefix}{}", e.field);
        }
        self
    }
}
