//! Requests and delivery chains through the API: chains per offering, requests created
//! and moved, work queues, and the client's status by tracking code.

use super::{path_id, query_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use okno_app::requests::{EventRecord, RequestFilter, RequestRecord};
use okno_app::requests::{NewRequest, RequestCard};
use okno_app::PageRequest;
use okno_domain::chain::Chain;
use okno_domain::request::{Move, Phase};
use okno_domain::Invalid;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/offerings/{id}/chain", get(get_chain).put(put_chain))
        .route("/api/v1/requests", get(list).post(create))
        .route("/api/v1/requests/{id}", get(get_one))
        .route("/api/v1/requests/{id}/moves", post(make_move))
        .route("/api/v1/status/{code}", get(status))
        .route("/api/v1/status/{code}/answer", post(answer))
}

pub use okno_domain::instant::rfc3339;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChainVersion {
    pub version: i64,
    pub chain: Chain,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/chain", tag = "requests",
    responses((status = 200, body = ChainVersion), (status = 404, body = ErrorBody)))]
pub async fn get_chain(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<ChainVersion>, ApiError> {
    match st.app.chain(&a, path_id(&id, "offering")?).await? {
        Some((version, chain)) => Ok(Json(ChainVersion { version, chain })),
        None => Err(okno_app::AppError::NotFound("chain").into()),
    }
}

#[utoipa::path(put, path = "/api/v1/offerings/{id}/chain", tag = "requests", request_body = Chain,
    responses((status = 200, body = ChainVersion, description = "saved as the next version"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_chain(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(chain): ApiJson<Chain>,
) -> Result<Json<ChainVersion>, ApiError> {
    let id = path_id(&id, "offering")?;
    let version = st.app.save_chain(&a, id, &chain).await?;
    let (_, chain) = st.app.chain(&a, id).await?.expect("just saved");
    Ok(Json(ChainVersion { version, chain }))
}

/// A request as staff see it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: String,
    pub tracking_code: String,
    pub body_id: String,
    pub offering_id: String,
    pub chain_version: i64,
    pub variant: String,
    pub channel: String,
    pub stage: String,
    pub stage_name: String,
    pub phase: String,
    pub outcome: Option<String>,
    pub extensions: u32,
    pub assignee_id: Option<String>,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_phone: Option<String>,
    pub client_address: Option<String>,
    pub subject: String,
    /// Answers to the offering's request form, by field key.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    pub created_at: String,
    pub stage_due_at: Option<String>,
    pub due_at: Option<String>,
    pub closed_at: Option<String>,
    /// Time the clock stood (waiting for the client, suspended), in seconds.
    pub paused_seconds: i64,
    /// Give it back with a move: a request moved by someone else since is a 409.
    pub version: i64,
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<EventView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub stage: String,
    pub to_stage: Option<String>,
    pub outcome: Option<String>,
    pub days: Option<i64>,
    pub note: String,
    pub client_visible: bool,
    pub actor: String,
}

fn event_view(e: &EventRecord) -> EventView {
    EventView {
        seq: e.seq,
        at: rfc3339(e.at),
        kind: e.kind.code().into(),
        stage: e.stage.clone(),
        to_stage: e.to_stage.clone(),
        outcome: e.outcome.map(|o| o.code().into()),
        days: e.days,
        note: e.note.clone(),
        client_visible: e.client_visible,
        actor: e.actor.clone(),
    }
}

pub fn request_view(r: &RequestRecord, stage_name: &str, events: &[EventRecord]) -> RequestView {
    RequestView {
        id: r.id.to_string(),
        tracking_code: r.tracking_code.clone(),
        body_id: r.body_id.to_string(),
        offering_id: r.offering_id.to_string(),
        chain_version: r.chain_version,
        variant: r.variant_key.clone(),
        channel: r.channel.code().into(),
        stage: r.state.stage.clone(),
        stage_name: stage_name.into(),
        phase: r.state.phase.code().into(),
        outcome: r.state.outcome.map(|o| o.code().into()),
        extensions: r.state.extensions,
        assignee_id: r.state.assignee.map(|a| a.to_string()),
        client_name: r.client.name.clone(),
        client_email: r.client.email.clone(),
        client_phone: r.client.phone.clone(),
        client_address: r.client.address.clone(),
        subject: r.subject.clone(),
        fields: serde_json::from_str(&r.fields_json).unwrap_or_else(|_| serde_json::json!({})),
        created_at: rfc3339(r.created_at),
        stage_due_at: r.stage_due_at.map(rfc3339),
        due_at: r.due_at.map(rfc3339),
        closed_at: r.closed_at.map(rfc3339),
        paused_seconds: r.paused_ms / 1000,
        version: r.version,
        events: events.iter().map(event_view).collect(),
    }
}

fn card_view(c: &RequestCard) -> RequestView {
    let stage = c.variant.stages.iter().find(|s| s.key == c.record.state.stage).map(|s| s.name.as_str()).unwrap_or("");
    request_view(&c.record, stage, &c.events)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    pub body: Option<String>,
    pub offering: Option<String>,
    /// The unit whose stage the request is at.
    pub unit: Option<String>,
    pub assignee: Option<String>,
    /// open, waiting_for_client, suspended, closed; by default everything not closed.
    pub phase: Option<String>,
    /// `overdue` or `soon` (due within 3 days).
    pub due: Option<String>,
    /// A tracking code: the queue page opens that request's card.
    pub code: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// Builds a queue filter from query parameters; shared with the queue page.
pub fn queue_filter(p: &QueueParams) -> Result<(RequestFilter, PageRequest), ApiError> {
    let mut e = Invalid::default();
    let phase = p.phase.as_deref().filter(|s| !s.is_empty()).and_then(|s| e.take(Phase::parse("phase", s)));
    let now = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let due_before = match p.due.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("overdue") => Some(now),
        Some("soon") => Some(now + 3 * 86_400_000),
        Some(_) => {
            e.push("due", "not_allowed", "must be overdue or soon");
            None
        }
    };
    let page = e.take(PageRequest::new(p.page, p.per_page));
    if !e.is_empty() {
        let mut err = ApiError::bad_request("bad_query", "some query parameters are not valid; see fields");
        err.body.fields = e.0;
        return Err(err);
    }
    let f = RequestFilter {
        body_id: query_id(&p.body, "body")?,
        offering_id: query_id(&p.offering, "offering")?,
        unit_id: query_id(&p.unit, "unit")?,
        assignee_id: query_id(&p.assignee, "assignee")?,
        active: phase.is_none(),
        phase,
        due_before,
    };
    Ok((f, page.expect("checked")))
}

#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(QueueParams),
    responses((status = 200, body = RequestPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(p): ApiQuery<QueueParams>,
) -> Result<Json<RequestPage>, ApiError> {
    let (f, page) = queue_filter(&p)?;
    let r = st.app.requests(&a, &f, page).await?;
    // Lists carry no history; stage names come from each request's chain on its card.
    let items = r.items.iter().map(|x| request_view(x, "", &[])).collect();
    Ok(Json(RequestPage { items, total: r.total, page: r.page, per_page: r.per_page }))
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = NewRequest,
    responses((status = 201, body = RequestView), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<NewRequest>,
) -> Result<Response, ApiError> {
    let r = st.app.create_request(&a, &input).await?;
    let view = match st.app.request_card(&a, r.id).await {
        Ok(card) => card_view(&card),
        // A citizen gets their tracking code back, not the staff card.
        Err(_) => request_view(&r, "", &[]),
    };
    let body = if a.account_id().is_some() || matches!(a.who, okno_app::Who::Open | okno_app::Who::System) {
        serde_json::to_value(&view).unwrap_or_default()
    } else {
        serde_json::json!({ "tracking_code": r.tracking_code, "id": r.id.to_string() })
    };
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/status/{}", r.tracking_code))], Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests",
    responses((status = 200, body = RequestView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(card_view(&st.app.request_card(&a, path_id(&id, "request")?).await?)))
}

/// A move, and the version of the request it was decided on.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveInput {
    pub version: Option<i64>,
    #[serde(flatten)]
    pub r#move: Move,
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/moves", tag = "requests", request_body = MoveInput,
    responses((status = 200, body = RequestView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "the move is not allowed from the current stage, or someone moved the request first (stale_version)", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_move(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MoveInput>,
) -> Result<Json<RequestView>, ApiError> {
    let id = path_id(&id, "request")?;
    st.app.move_request(&a, id, input.version, &input.r#move).await?;
    Ok(Json(card_view(&st.app.request_card(&a, id).await?)))
}

/// What the client sees: no names, no staff notes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusView {
    pub tracking_code: String,
    pub offering: String,
    pub stage: String,
    /// What happens now, in plain words.
    pub now: String,
    /// What comes next, when there is a next stage.
    pub next: Option<String>,
    pub phase: String,
    pub outcome: Option<String>,
    /// When the whole request is due (RFC 3339).
    pub expected_by: Option<String>,
    /// The body asks the client for something: answer at `/api/v1/status/{code}/answer`.
    pub waiting_for_you: bool,
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<StatusEvent>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusEvent {
    pub at: String,
    pub kind: String,
    pub stage: String,
    pub note: String,
}

pub async fn status_view(st: &AppState, code: &str) -> Result<(StatusView, RequestCard), ApiError> {
    let c = st.app.request_status(code).await?;
    let offering = st.app.store().get_offering(c.record.offering_id).await.map(|o| o.name).unwrap_or_default();
    let idx = c.variant.stage_index(&c.record.state.stage).unwrap_or(0);
    let stage = &c.variant.stages[idx];
    let name_of = |k: &str| c.variant.stages.iter().find(|s| s.key == k).map(|s| s.name.clone()).unwrap_or_default();
    let closed = c.record.state.phase == Phase::Closed;
    let v = StatusView {
        tracking_code: c.record.tracking_code.clone(),
        offering,
        stage: stage.name.clone(),
        now: if closed { String::new() } else { stage.client_sees.clone() },
        next: if closed { None } else { c.variant.stages.get(idx + 1).map(|s| s.name.clone()) },
        phase: c.record.state.phase.code().into(),
        outcome: c.record.state.outcome.map(|o| o.code().into()),
        expected_by: if closed { None } else { c.record.due_at.map(rfc3339) },
        waiting_for_you: c.record.state.phase == Phase::WaitingForClient,
        history: c
            .events
            .iter()
            .map(|e| StatusEvent { at: rfc3339(e.at), kind: e.kind.code().into(), stage: name_of(&e.stage), note: e.note.clone() })
            .collect(),
    };
    Ok((v, c))
}

#[utoipa::path(get, path = "/api/v1/status/{code}", tag = "requests",
    responses((status = 200, body = StatusView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn status(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<StatusView>, ApiError> {
    Ok(Json(status_view(&st, &code).await?.0))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ClientAnswer {
    pub answer: String,
}

#[utoipa::path(post, path = "/api/v1/status/{code}/answer", tag = "requests", request_body = ClientAnswer,
    responses((status = 200, body = StatusView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(st): State<AppState>,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<ClientAnswer>,
) -> Result<Json<StatusView>, ApiError> {
    st.app.client_answers(&code, &input.answer).await?;
    Ok(Json(status_view(&st, &code).await?.0))
}
