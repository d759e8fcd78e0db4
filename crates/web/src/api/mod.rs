//! The JSON API under `/api/v1`. Errors are `ErrorBody` JSON with a stable code; every
//! handler is described in `openapi.rs`, served at `/api/openapi.json`.

mod account;
pub mod analytics;
pub mod attachments;
pub mod audit;
mod calendars;
mod catalogue;
pub mod clarity;
pub mod dashboard;
pub mod feedback;
pub mod openapi;
mod org;
pub mod requests;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::Router;
use okno_domain::Id;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(account::routes())
        .merge(analytics::routes())
        .merge(dashboard::routes())
        .merge(clarity::routes())
        .merge(requests::routes())
        .merge(feedback::routes())
        .merge(attachments::routes())
        .merge(audit::routes())
        .merge(catalogue::routes())
        .merge(org::routes())
        .merge(calendars::routes())
        .route("/api/openapi.json", axum::routing::get(openapi::serve))
}

/// `Json` whose rejections are our JSON errors, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// `Query` whose rejections are our JSON errors.
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(v) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(v))
    }
}

/// Parses a path id; a malformed one is a 404 like any unknown id.
pub fn path_id(s: &str, what: &'static str) -> Result<Id, ApiError> {
    s.parse().map_err(|_| ApiError::from(okno_app::AppError::NotFound(what)))
}

/// Parses an optional id from the query, naming the parameter when it is malformed.
pub fn query_id(v: &Option<String>, name: &str) -> Result<Option<Id>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            let mut e = ApiError::bad_request("bad_query", format!("{name} must be an id"));
            e.body.fields.push(okno_domain::FieldError { field: name.into(), code: "invalid_id", message: "must be a UUID".into() });
            e
        }),
    }
}

/// Created: 201 with a Location header and the new record.
pub fn created<T: serde::Serialize>(location: String, body: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::CREATED, [(axum::http::header::LOCATION, location)], axum::Json(body)).into_response()
}
