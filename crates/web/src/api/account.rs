//! The caller's own account and, for administrators, one person's data (152-FZ).

use super::{ApiJson, ApiQuery};
use crate::caller::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use okno_app::personal::Erasure;
use okno_app::personal::{PersonRequest, PersonalExport};
use okno_app::AppError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/account/password", post(change_password))
        .route("/api/v1/personal-data", get(personal_data))
        .route("/api/v1/personal-data/erase", post(erase))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters; not the e-mail address.
    pub new_password: String,
}

#[utoipa::path(post, path = "/api/v1/account/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204, description = "changed; every other session of the account has ended"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    caller: Option<Extension<Caller>>,
    ApiJson(input): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let account = a.account_id().ok_or(AppError::Unauthenticated)?;
    let session = caller.and_then(|Extension(c)| c.session);
    st.app.change_password(&a, account, session.as_deref(), &input.current_password, &input.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/personal-data", tag = "accounts", params(PersonRequest),
    responses((status = 200, body = PersonalExport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn personal_data(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(q): ApiQuery<PersonRequest>,
) -> Result<Json<PersonalExport>, ApiError> {
    Ok(Json(st.app.personal_data(&a, &q).await?))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErasureReport {
    pub account_id: Option<String>,
    pub employee_ids: Vec<String>,
    /// Audit entries whose snapshots were replaced by a marker.
    pub redacted_entries: Vec<i64>,
    /// Audit entries older than erasure support, left as they are.
    pub kept_entries: Vec<i64>,
    /// Requests whose client details, text, answers and files were erased.
    pub request_ids: Vec<String>,
}

impl From<Erasure> for ErasureReport {
    fn from(e: Erasure) -> Self {
        ErasureReport {
            account_id: e.account_id.map(|i| i.to_string()),
            employee_ids: e.employee_ids.iter().map(|i| i.to_string()).collect(),
            redacted_entries: e.redacted_entries,
            kept_entries: e.kept_entries,
            request_ids: e.request_ids.iter().map(|i| i.to_string()).collect(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/personal-data/erase", tag = "accounts", request_body = PersonRequest,
    responses((status = 200, body = ErasureReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn erase(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<PersonRequest>,
) -> Result<Json<ErasureReport>, ApiError> {
    Ok(Json(st.app.erase_personal_data(&a, &input).await?.into()))
}
