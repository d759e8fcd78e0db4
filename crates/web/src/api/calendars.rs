//! A body's business calendar through the API: read a year, save the body's own lines,
//! offset and hours, and the shipped federal file as an example of the format.

use super::{path_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use okno_app::calendars::{BodyCalendarInput, CalendarView, CalendarYear};
use okno_domain::calendar::{offset_label, time_text, ProductionCalendar};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/bodies/{id}/calendar", get(get_calendar).put(put_calendar)).route("/api/v1/calendar/russia", get(russia))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearParam {
    /// The year to list, 2000–2100; the current year in the body's time by default.
    pub year: Option<i32>,
}

/// A body's calendar and one year of it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarJson {
    pub body_id: String,
    /// Send it back with a change: a calendar saved by someone else since is a 409. 0
    /// while the body keeps the federal calendar.
    pub version: i64,
    /// Minutes east of UTC: 180 is Moscow time.
    pub utc_offset_minutes: i32,
    /// The same as words: «UTC+3».
    pub utc_offset: String,
    /// «09:00».
    pub work_start: String,
    /// «18:00»; a pre-holiday day ends an hour earlier.
    pub work_end: String,
    /// The body's own lines over the federal calendar, in the format of
    /// `GET /api/v1/calendar/russia`.
    pub overlay: String,
    pub year: CalendarYear,
}

fn json(body: okno_domain::Id, v: CalendarView) -> CalendarJson {
    let c = &v.calendar;
    CalendarJson {
        body_id: body.to_string(),
        version: v.version,
        utc_offset_minutes: c.offset_minutes(),
        utc_offset: offset_label(c.offset_minutes()),
        work_start: time_text(c.hours.start()),
        work_end: time_text(c.hours.end()),
        overlay: c.overlay.clone(),
        year: v.year,
    }
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}/calendar", tag = "organisation", params(YearParam),
    responses((status = 200, body = CalendarJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "the year is out of range", body = ErrorBody)))]
pub async fn get_calendar(
    State(st): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<YearParam>,
) -> Result<Json<CalendarJson>, ApiError> {
    let id = path_id(&id, "body")?;
    Ok(Json(json(id, st.app.calendar_view(id, q.year).await?)))
}

#[utoipa::path(put, path = "/api/v1/bodies/{id}/calendar", tag = "organisation", request_body = BodyCalendarInput, params(YearParam),
    responses((status = 200, body = CalendarJson, description = "saved; the year asked for (the current one by default)"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "stale_version: someone saved the calendar since you read it", body = ErrorBody),
        (status = 422, description = "every bad field; each bad overlay line as a message «line N: …» on `overlay`", body = ErrorBody)))]
pub async fn put_calendar(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<YearParam>,
    ApiJson(input): ApiJson<BodyCalendarInput>,
) -> Result<Json<CalendarJson>, ApiError> {
    let id = path_id(&id, "body")?;
    st.app.save_body_calendar(&a, id, &input).await?;
    Ok(Json(json(id, st.app.calendar_view(id, q.year).await?)))
}

#[utoipa::path(get, path = "/api/v1/calendar/russia", tag = "organisation",
    responses((status = 200, description = "the federal production calendar shipped with Okno, in the text format a body's overlay uses", content_type = "text/plain", body = String)))]
pub async fn russia() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], ProductionCalendar::shipped_text()).into_response()
}
