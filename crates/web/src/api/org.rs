//! Bodies, units, employees and client segments.

use super::{created, path_id, query_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use okno_domain::org::{Body, BodyInput, Employee, EmployeeInput, Unit, UnitInput};
use okno_domain::segment::{Segment, SegmentInput};
use okno_domain::Id;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bodies", get(list_bodies).post(create_body))
        .route("/api/v1/bodies/{id}", get(get_body).put(put_body))
        .route("/api/v1/units", get(list_units).post(create_unit))
        .route("/api/v1/units/{id}", get(get_unit).put(put_unit).delete(delete_unit))
        .route("/api/v1/employees", get(list_employees).post(create_employee))
        .route("/api/v1/employees/{id}", get(get_employee).put(put_employee).delete(delete_employee))
        .route("/api/v1/segments", get(list_segments).post(create_segment))
        .route("/api/v1/segments/{id}", get(get_segment).put(put_segment).delete(delete_segment))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BodyParam {
    /// The body's id.
    pub body: Option<String>,
}

fn required_body(q: &BodyParam) -> Result<Id, ApiError> {
    query_id(&q.body, "body")?.ok_or_else(|| {
        let mut e = ApiError::bad_request("bad_query", "the body parameter is required");
        e.body.fields.push(okno_domain::FieldError { field: "body".into(), code: "required", message: "give the body's id".into() });
        e
    })
}

#[utoipa::path(get, path = "/api/v1/bodies", tag = "organisation", responses((status = 200, body = [Body])))]
pub async fn list_bodies(State(st): State<AppState>) -> Result<Json<Vec<Body>>, ApiError> {
    Ok(Json(st.app.list_bodies().await?))
}

#[utoipa::path(post, path = "/api/v1/bodies", tag = "organisation", request_body = BodyInput,
    responses((status = 201, body = Body), (status = 422, body = ErrorBody)))]
pub async fn create_body(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<BodyInput>,
) -> Result<axum::response::Response, ApiError> {
    let id = st.app.create_body(&a, &input).await?;
    Ok(created(format!("/api/v1/bodies/{id}"), st.app.body(id).await?))
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}", tag = "organisation", responses((status = 200, body = Body), (status = 404, body = ErrorBody)))]
pub async fn get_body(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Body>, ApiError> {
    Ok(Json(st.app.body(path_id(&id, "body")?).await?))
}

#[utoipa::path(put, path = "/api/v1/bodies/{id}", tag = "organisation", request_body = BodyInput,
    responses((status = 200, body = Body), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_body(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BodyInput>,
) -> Result<Json<Body>, ApiError> {
    let id = path_id(&id, "body")?;
    st.app.update_body(&a, id, &input).await?;
    Ok(Json(st.app.body(id).await?))
}

#[utoipa::path(get, path = "/api/v1/units", tag = "organisation", params(BodyParam), responses((status = 200, body = [Unit]), (status = 400, body = ErrorBody)))]
pub async fn list_units(State(st): State<AppState>, ApiQuery(q): ApiQuery<BodyParam>) -> Result<Json<Vec<Unit>>, ApiError> {
    Ok(Json(st.app.list_units(required_body(&q)?).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "organisation", request_body = UnitInput,
    responses((status = 201, body = Unit), (status = 422, body = ErrorBody)))]
pub async fn create_unit(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<UnitInput>,
) -> Result<axum::response::Response, ApiError> {
    let id = st.app.create_unit(&a, &input).await?;
    Ok(created(format!("/api/v1/units/{id}"), st.app.unit(id).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation", responses((status = 200, body = Unit), (status = 404, body = ErrorBody)))]
pub async fn get_unit(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Unit>, ApiError> {
    Ok(Json(st.app.unit(path_id(&id, "unit")?).await?))
}

#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "organisation", request_body = UnitInput,
    responses((status = 200, body = Unit), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_unit(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<UnitInput>,
) -> Result<Json<Unit>, ApiError> {
    let id = path_id(&id, "unit")?;
    st.app.update_unit(&a, id, &input).await?;
    Ok(Json(st.app.unit(id).await?))
}

#[utoipa::path(delete, path = "/api/v1/units/{id}", tag = "organisation",
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, description = "the unit still has sub-units, employees or offerings", body = ErrorBody)))]
pub async fn delete_unit(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    st.app.delete_unit(&a, path_id(&id, "unit")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/employees", tag = "organisation", params(BodyParam), responses((status = 200, body = [Employee]), (status = 400, body = ErrorBody)))]
pub async fn list_employees(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(q): ApiQuery<BodyParam>,
) -> Result<Json<Vec<Employee>>, ApiError> {
    Ok(Json(st.app.list_employees(&a, required_body(&q)?).await?))
}

#[utoipa::path(post, path = "/api/v1/employees", tag = "organisation", request_body = EmployeeInput,
    responses((status = 201, body = Employee), (status = 422, body = ErrorBody)))]
pub async fn create_employee(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> Result<axum::response::Response, ApiError> {
    let id = st.app.create_employee(&a, &input).await?;
    Ok(created(format!("/api/v1/employees/{id}"), st.app.employee(&a, id).await?))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "organisation", responses((status = 200, body = Employee), (status = 404, body = ErrorBody)))]
pub async fn get_employee(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<Employee>, ApiError> {
    Ok(Json(st.app.employee(&a, path_id(&id, "employee")?).await?))
}

#[utoipa::path(put, path = "/api/v1/employees/{id}", tag = "organisation", request_body = EmployeeInput,
    responses((status = 200, body = Employee), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_employee(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> Result<Json<Employee>, ApiError> {
    let id = path_id(&id, "employee")?;
    st.app.update_employee(&a, id, &input).await?;
    Ok(Json(st.app.employee(&a, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/employees/{id}", tag = "organisation", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_employee(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    st.app.delete_employee(&a, path_id(&id, "employee")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/segments", tag = "clients", params(BodyParam), responses((status = 200, body = [Segment]), (status = 400, body = ErrorBody)))]
pub async fn list_segments(State(st): State<AppState>, ApiQuery(q): ApiQuery<BodyParam>) -> Result<Json<Vec<Segment>>, ApiError> {
    Ok(Json(st.app.list_segments(required_body(&q)?).await?))
}

#[utoipa::path(post, path = "/api/v1/segments", tag = "clients", request_body = SegmentInput,
    responses((status = 201, body = Segment), (status = 422, body = ErrorBody)))]
pub async fn create_segment(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiJson(input): ApiJson<SegmentInput>,
) -> Result<axum::response::Response, ApiError> {
    let id = st.app.create_segment(&a, &input).await?;
    Ok(created(format!("/api/v1/segments/{id}"), st.app.segment(id).await?))
}

#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "clients", responses((status = 200, body = Segment), (status = 404, body = ErrorBody)))]
pub async fn get_segment(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Segment>, ApiError> {
    Ok(Json(st.app.segment(path_id(&id, "segment")?).await?))
}

#[utoipa::path(put, path = "/api/v1/segments/{id}", tag = "clients", request_body = SegmentInput,
    responses((status = 200, body = Segment), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_segment(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SegmentInput>,
) -> Result<Json<Segment>, ApiError> {
    let id = path_id(&id, "segment")?;
    st.app.update_segment(&a, id, &input).await?;
    Ok(Json(st.app.segment(id).await?))
}

#[utoipa::path(delete, path = "/api/v1/segments/{id}", tag = "clients", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_segment(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    st.app.delete_segment(&a, path_id(&id, "segment")?).await?;
    Ok(StatusCode::NO_CONTENT)
}
