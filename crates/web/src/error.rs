//! The one mapping from application errors to HTTP, for the API (JSON) and for pages.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use okno_app::AppError;
use okno_domain::FieldError;
use serde::Serialize;

/// The JSON error body of the API: a stable `code`, a human `message`, per-field details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable: validation_failed, not_found, conflict code (duplicate, stale_version,
    /// in_use), unauthenticated, forbidden, bad_request, internal.
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, body: ErrorBody { code: code.into(), message: message.into(), fields: vec![] } }
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let status = status_of(&e);
        let body = match e {
            AppError::Invalid(inv) => {
                ErrorBody { code: "validation_failed".into(), message: "some fields are not valid; see fields".into(), fields: inv.0 }
            }
            AppError::NotFound(what) => ErrorBody { code: "not_found".into(), message: format!("{what} not found"), fields: vec![] },
            AppError::Conflict { code, message } => ErrorBody { code: code.into(), message, fields: vec![] },
            AppError::Unauthenticated => ErrorBody { code: "unauthenticated".into(), message: "sign in to do this".into(), fields: vec![] },
            AppError::Forbidden => ErrorBody { code: "forbidden".into(), message: "you are not allowed to do this".into(), fields: vec![] },
            AppError::Internal(err) => {
                // The request id is in the span; the cause goes to the log, never to the client.
                tracing::error!(error = %err, "internal error");
                ErrorBody { code: "internal".into(), message: "internal error; it has been logged".into(), fields: vec![] }
            }
        };
        ApiError { status, body }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        // axum's statuses (400 unreadable, 422 wrong shape, 415 not JSON), except that it
        // reports a body over the limit as a 400 "failed to buffer": the API says 413.
        let status = if r.body_text().contains("length limit exceeded") { StatusCode::PAYLOAD_TOO_LARGE } else { r.status() };
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "bad_json",
        };
        ApiError { status, body: ErrorBody { code: code.into(), message: r.body_text(), fields: vec![] } }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request("bad_query", r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
