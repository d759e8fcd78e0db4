//! `POST /api/v1/clarity`: check a document for plain Russian.

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::routing::post;
use axum::{Json, Router};
use okno_app::clarity::{DocumentFormat, DocumentInput, Report};
use okno_domain::Invalid;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    // A DOCX of a long regulation is bigger than the API's usual limit.
    Router::new()
        .route(
            "/api/v1/clarity",
            post(check).layer(axum::extract::DefaultBodyLimit::max(okno_app::clarity::MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/api/v1/clarity/responses", axum::routing::get(responses))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResponsesParams {
    pub body: Option<String>,
    /// First day, YYYY-MM-DD; 90 days before `to` by default.
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, included; today by default.
    pub to: Option<String>,
}

/// Plain language of the texts a body sent its clients, per offering and per unit.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ResponsesClarity {
    #[schema(value_type = Vec<Object>)]
    pub offerings: Vec<okno_app::requests::ClarityGroup>,
    #[schema(value_type = Vec<Object>)]
    pub units: Vec<okno_app::requests::ClarityGroup>,
}

/// The period `[from, to + 1 day)` in ms; the last 90 days by default.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(i64, i64), Invalid> {
    const DAY: i64 = 86_400_000;
    let to = match to.filter(|s| !s.is_empty()) {
        Some(t) => super::audit::day_start_ms("to", t)? + DAY,
        None => (time::OffsetDateTime::now_utc().unix_timestamp() * 1000 / DAY + 1) * DAY,
    };
    let from = match from.filter(|s| !s.is_empty()) {
        Some(f) => super::audit::day_start_ms("from", f)?,
        None => to - 90 * DAY,
    };
    Ok((from, to))
}

#[utoipa::path(get, path = "/api/v1/clarity/responses", tag = "clarity", params(ResponsesParams),
    responses((status = 200, body = ResponsesClarity), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn responses(
    State(st): State<AppState>,
    crate::state::CurrentActor(actor): crate::state::CurrentActor,
    super::ApiQuery(p): super::ApiQuery<ResponsesParams>,
) -> Result<Json<ResponsesClarity>, ApiError> {
    let Some(body) = super::query_id(&p.body, "body")? else {
        return Err(ApiError::from(okno_app::AppError::from(Invalid::one("body", "required", "give the body's id"))));
    };
    let (from, to) = period(p.from.as_deref(), p.to.as_deref()).map_err(|e| ApiError::from(okno_app::AppError::from(e)))?;
    let (offerings, units) = st.app.response_clarity(&actor, body, from, to).await?;
    Ok(Json(ResponsesClarity { offerings, units }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CheckParams {
    /// txt, md, docx or odt, for a raw body; by default taken from the content type.
    pub format: Option<String>,
    /// `true` for a letter to a citizen: also checks that it addresses the reader.
    pub letter: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckText {
    pub text: String,
    #[serde(default)]
    pub letter: bool,
}

fn format_of(params: &CheckParams, headers: &HeaderMap) -> Result<DocumentFormat, Invalid> {
    if let Some(f) = params.format.as_deref() {
        return DocumentFormat::from_file_name(&format!("x.{f}"))
            .ok_or_else(|| Invalid::one("format", "not_allowed", "format must be txt, md, docx or odt"));
    }
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("text/plain");
    let mime = ct.split(';').next().unwrap_or("").trim();
    Ok(match mime {
        "text/markdown" => DocumentFormat::Markdown,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => DocumentFormat::Docx,
        "application/vnd.oasis.opendocument.text" => DocumentFormat::Odt,
        _ => DocumentFormat::Text,
    })
}

/// The report: `score` (0–10, higher is plainer), `metrics`, and `findings` with `rule`,
/// `severity`, `start` and `end` in characters, `line`, `column`, `message`, `suggestion`.
#[utoipa::path(post, path = "/api/v1/clarity", tag = "documents", params(CheckParams),
    request_body(content = CheckText, description = "JSON `{text}`, or the document itself as text/plain, text/markdown, DOCX or ODT"),
    responses((status = 200, description = "the report", body = Object), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(st): State<AppState>,
    Query(params): Query<CheckParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Report>, ApiError> {
    let is_json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    let input = if is_json {
        let t: CheckText = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request("bad_json", format!("the body is not the JSON expected: {e}")))?;
        DocumentInput { bytes: t.text.into_bytes(), format: DocumentFormat::Text, letter: t.letter || params.letter.unwrap_or(false) }
    } else {
        DocumentInput {
            bytes: body.to_vec(),
            format: format_of(&params, &headers).map_err(okno_app::AppError::from)?,
            letter: params.letter.unwrap_or(false),
        }
    };
    Ok(Json(st.app.check_document(input).await?.report))
}
