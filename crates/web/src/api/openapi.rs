//! The OpenAPI description of `/api/v1`, generated from the handlers' annotations.

use super::{account, analytics, attachments, audit, calendars, catalogue, clarity, dashboard, feedback, org, requests};
use crate::error::ErrorBody;
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Okno API", version = "1", description = "The catalogue of a public body's products and services and their clients. Errors are JSON with a stable `code`, a `message` and per-field `fields`."),
    paths(
        catalogue::list, catalogue::create, catalogue::get_one, catalogue::put, catalogue::delete, catalogue::client_map,
        catalogue::export, catalogue::import,
        org::list_bodies, org::create_body, org::get_body, org::put_body,
        calendars::get_calendar, calendars::put_calendar, calendars::russia,
        org::list_units, org::create_unit, org::get_unit, org::put_unit, org::delete_unit,
        org::list_employees, org::create_employee, org::get_employee, org::put_employee, org::delete_employee,
        audit::list, audit::verify,
        account::change_password, account::personal_data, account::erase,
        clarity::check,
        analytics::stage_metrics,
        dashboard::overview, dashboard::offering_kpis, dashboard::costs, dashboard::add_cost, dashboard::delete_cost, dashboard::transparency,
        clarity::responses,
        requests::get_chain, requests::put_chain, requests::list, requests::create, requests::get_one, requests::make_move,
        requests::status, requests::answer,
        feedback::rate, feedback::change, feedback::request_ratings, feedback::followups, feedback::close,
        attachments::upload, attachments::list, attachments::download, attachments::client_upload, attachments::client_list, attachments::client_download,
        org::list_segments, org::create_segment, org::get_segment, org::put_segment, org::delete_segment,
    ),
    components(schemas(ErrorBody, okno_domain::FieldError, okno_domain::offering::TermInput)),
    tags((name = "catalogue", description = "Products and services"), (name = "clients", description = "Client segments and the client map"), (name = "organisation", description = "Bodies, units and employees"), (name = "audit", description = "The tamper-evident audit trail"), (name = "requests", description = "Delivery chains, requests and their moves, the client's status"), (name = "feedback", description = "Client ratings on the five criteria of Decree No. 1284 and follow-ups on negative ones"), (name = "documents", description = "The plain-Russian checker"), (name = "analytics", description = "Per-stage metrics and the client-centricity index"), (name = "accounts", description = "Your password; one person's data for administrators (152-FZ)"))
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
