//! Offerings, the client map, and the catalogue as a spreadsheet.

use super::{created, path_id, query_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use okno_app::transfer::Format;
use okno_app::{ListQuery, PageRequest};
use okno_domain::client_map::ClientMap;
use okno_domain::offering::{Kind, Offering, OfferingInput, ProductType, ServiceKind, Status};
use okno_domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/offerings", get(list).post(create))
        .route("/api/v1/offerings/{id}", get(get_one).put(put).delete(delete))
        .route("/api/v1/client-map", get(client_map))
        .route(
            "/api/v1/bodies/{id}/catalogue",
            get(export).post(import).layer(axum::extract::DefaultBodyLimit::max(crate::pages::MAX_UPLOAD)),
        )
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Only offerings of this body.
    pub body: Option<String>,
    /// product or service.
    pub kind: Option<String>,
    pub product_type: Option<String>,
    pub service_kind: Option<String>,
    /// Only offerings for this client segment (id).
    pub segment: Option<String>,
    /// Only offerings owned by this unit (id).
    pub unit: Option<String>,
    /// draft, published or retired.
    pub status: Option<String>,
    /// Words to find in the name or description.
    pub q: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page, 1–100 (default 20).
    pub per_page: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferingPage {
    pub items: Vec<Offering>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

fn code<T>(v: &Option<String>, field: &str, parse: fn(&str, &str) -> Result<T, Invalid>, e: &mut Invalid) -> Option<T> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    e.take(parse(field, s))
}

#[utoipa::path(get, path = "/api/v1/offerings", tag = "catalogue", params(ListParams),
    responses((status = 200, body = OfferingPage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<OfferingPage>, ApiError> {
    let mut e = Invalid::default();
    let kind = code(&p.kind, "kind", Kind::parse, &mut e);
    let product_type = code(&p.product_type, "product_type", ProductType::parse, &mut e);
    let service_kind = code(&p.service_kind, "service_kind", ServiceKind::parse, &mut e);
    let status = code(&p.status, "status", Status::parse, &mut e);
    let page = e.take(PageRequest::new(p.page, p.per_page));
    if !e.is_empty() {
        let mut err = ApiError::bad_request("bad_query", "some query parameters are not valid; see fields");
        err.body.fields = e.0;
        return Err(err);
    }
    let q = ListQuery {
        body_id: query_id(&p.body, "body")?,
        kind,
        product_type,
        service_kind,
        segment_id: query_id(&p.segment, "segment")?,
        unit_id: query_id(&p.unit, "unit")?,
        status,
        q: p.q.clone(),
        internal_in: None,
    };
    let r = st.app.list_offerings(&a, &q, page.expect("checked")).await?;
    Ok(Json(OfferingPage { items: r.items, total: r.total, page: r.page, per_page: r.per_page }))
}

#[utoipa::path(post, path = "/api/v1/offerings", tag = "catalogue", request_body = OfferingInput,
    responses((status = 201, body = Offering), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<OfferingInput>,
) -> Result<Response, ApiError> {
    let id = st.app.create_offering(&a, &input).await?;
    Ok(created(format!("/api/v1/offerings/{id}"), st.app.offering(&a, id).await?))
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}", tag = "catalogue", responses((status = 200, body = Offering), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<Offering>, ApiError> {
    Ok(Json(st.app.offering(&a, path_id(&id, "offering")?).await?))
}

#[utoipa::path(put, path = "/api/v1/offerings/{id}", tag = "catalogue", request_body = OfferingInput,
    responses((status = 200, body = Offering), (status = 404, body = ErrorBody), (status = 409, description = "stale version", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OfferingInput>,
) -> Result<Json<Offering>, ApiError> {
    let id = path_id(&id, "offering")?;
    st.app.update_offering(&a, id, &input).await?;
    Ok(Json(st.app.offering(&a, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/offerings/{id}", tag = "catalogue", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(State(st): State<AppState>, CurrentActor(a): CurrentActor, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    st.app.delete_offering(&a, path_id(&id, "offering")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/client-map", tag = "clients", params(super::org::BodyParam),
    responses((status = 200, body = ClientMap), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn client_map(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(q): ApiQuery<super::org::BodyParam>,
) -> Result<Json<ClientMap>, ApiError> {
    let body = query_id(&q.body, "body")?;
    let body = match body {
        Some(b) => b,
        None => {
            let mut e = ApiError::bad_request("bad_query", "the body parameter is required");
            e.body.fields.push(FieldError { field: "body".into(), code: "required", message: "give the body's id".into() });
            return Err(e);
        }
    };
    Ok(Json(st.app.client_map(&a, body).await?))
}

/// What an import did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportParams {
    /// xlsx (default) or csv.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}/catalogue", tag = "catalogue", params(ExportParams),
    responses((status = 200, description = "the catalogue as XLSX or CSV", content_type = "application/octet-stream"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, "body")?;
    let format = match p.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => Format::Xlsx,
        "csv" => Format::Csv,
        _ => return Err(ApiError::bad_request("bad_query", "format must be xlsx or csv")),
    };
    let bytes = st.app.export_catalogue(&a, id, format).await?;
    Ok(crate::pages::download_catalogue(bytes, format))
}

#[utoipa::path(post, path = "/api/v1/bodies/{id}/catalogue", tag = "catalogue",
    request_body(content = String, description = "an XLSX or CSV file; Content-Type says which", content_type = "text/csv"),
    responses((status = 200, body = ImportResult), (status = 415, body = ErrorBody), (status = 422, description = "row errors; nothing was imported", body = ErrorBody)))]
pub async fn import(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ImportResult>, ApiError> {
    let id = path_id(&id, "body")?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = if ct.starts_with("text/csv") {
        Format::Csv
    } else if ct.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
        Format::Xlsx
    } else {
        return Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            body: ErrorBody {
                code: "unsupported_media_type".into(),
                message: "send text/csv or an XLSX file with its Content-Type".into(),
                fields: vec![],
            },
        });
    };
    let r = st.app.import_catalogue(&a, id, format, &body).await?;
    Ok(Json(ImportResult { created: r.created, updated: r.updated }))
}
