//! Client feedback through the API: the client rates by tracking code (POST a new
//! rating, PUT to change it within the edit window); staff of the body read a request's
//! ratings; the service owner lists open follow-ups and closes them with a note.

use super::requests::rfc3339;
use super::{path_id, query_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use okno_app::feedback::{FollowupRecord, RateMode, RatingRecord};
use okno_domain::rating::{RatingInput, EDIT_WINDOW_MS};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/status/{code}/ratings", post(rate).put(change))
        .route("/api/v1/requests/{id}/ratings", get(request_ratings))
        .route("/api/v1/followups", get(followups))
        .route("/api/v1/followups/{request_id}/close", post(close))
}

/// Scores on the five criteria of Decree No. 1284, 1 «очень плохо» … 5 «отлично».
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScoresView {
    pub time: Option<u8>,
    pub waiting: Option<u8>,
    pub politeness: Option<u8>,
    pub comfort: Option<u8>,
    pub information: Option<u8>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingView {
    /// The stage's key; empty for the request as a whole.
    pub stage: String,
    pub scores: ScoresView,
    pub need_addressed: Option<bool>,
    pub comment: String,
    pub created_at: String,
    pub updated_at: String,
    /// Until when the rating can be changed.
    pub editable_until: String,
}

fn rating_view(r: &RatingRecord) -> RatingView {
    let [time, waiting, politeness, comfort, information] = r.scores;
    RatingView {
        stage: r.stage_key.clone(),
        scores: ScoresView { time, waiting, politeness, comfort, information },
        need_addressed: r.need_addressed,
        comment: r.comment.clone(),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        editable_until: rfc3339(r.created_at + EDIT_WINDOW_MS),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FollowupView {
    pub request_id: String,
    pub tracking_code: Option<String>,
    pub stage: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub note: String,
}

fn followup_view(f: &FollowupRecord, code: Option<&str>) -> FollowupView {
    FollowupView {
        request_id: f.request_id.to_string(),
        tracking_code: code.map(str::to_string),
        stage: f.stage_key.clone(),
        opened_at: rfc3339(f.opened_at),
        closed_at: f.closed_at.map(rfc3339),
        note: f.note.clone(),
    }
}

#[utoipa::path(post, path = "/api/v1/status/{code}/ratings", tag = "feedback", request_body = RatingInput,
    responses((status = 201, body = RatingView, description = "rated; a score of 2 or less opens a follow-up"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "rated already (`rating_exists`) or nothing to rate yet"),
        (status = 422, body = ErrorBody, description = "a score out of 1..5, named by field")))]
pub async fn rate(
    State(st): State<AppState>,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RatingInput>,
) -> Result<Response, ApiError> {
    let r = st.app.rate_by_code(&code, &input, RateMode::New).await?;
    Ok((StatusCode::CREATED, Json(rating_view(&r))).into_response())
}

#[utoipa::path(put, path = "/api/v1/status/{code}/ratings", tag = "feedback", request_body = RatingInput,
    responses((status = 200, body = RatingView, description = "changed"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "no rating yet, or older than 14 days (`rating_locked`)"), (status = 422, body = ErrorBody)))]
pub async fn change(
    State(st): State<AppState>,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RatingInput>,
) -> Result<Json<RatingView>, ApiError> {
    let r = st.app.rate_by_code(&code, &input, RateMode::Edit).await?;
    Ok(Json(rating_view(&r)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestRatings {
    pub ratings: Vec<RatingView>,
    pub followups: Vec<FollowupView>,
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/ratings", tag = "feedback",
    responses((status = 200, body = RequestRatings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn request_ratings(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<RequestRatings>, ApiError> {
    let (ratings, followups) = st.app.request_ratings(&a, path_id(&id, "request")?).await?;
    Ok(Json(RequestRatings {
        ratings: ratings.iter().map(rating_view).collect(),
        followups: followups.iter().map(|f| followup_view(f, None)).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FollowupParams {
    /// The body whose follow-ups to list.
    pub body: Option<String>,
    /// `all` to include closed ones; open ones by default.
    pub state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/followups", tag = "feedback", params(FollowupParams),
    responses((status = 200, body = Vec<FollowupView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn followups(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(q): ApiQuery<FollowupParams>,
) -> Result<Json<Vec<FollowupView>>, ApiError> {
    let Some(body) = query_id(&q.body, "body")? else {
        return Err(ApiError::from(okno_app::AppError::from(okno_domain::Invalid::one("body", "required", "give the body's id"))));
    };
    let list = st.app.followups(&a, body, q.state.as_deref() != Some("all")).await?;
    Ok(Json(list.iter().map(|(f, r)| followup_view(f, Some(&r.tracking_code))).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CloseFollowup {
    /// What was done about the feedback; recorded on the request as a comment.
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Closed {
    pub closed: bool,
}

#[utoipa::path(post, path = "/api/v1/followups/{request_id}/close", tag = "feedback", request_body = CloseFollowup,
    responses((status = 200, body = Closed), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "no open follow-up"), (status = 422, body = ErrorBody)))]
pub async fn close(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CloseFollowup>,
) -> Result<Json<Closed>, ApiError> {
    st.app.close_followup(&a, path_id(&id, "request")?, &input.note).await?;
    Ok(Json(Closed { closed: true }))
}
