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
    Router::new().route(
        "/api/v1/clarity",
        post(check).layer(axum::extract::DefaultBodyLimit::max(okno_app::clarity::MAX_DOCUMENT_BYTES + 64 * 1024)),
    )
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
