//! Open311 GeoReport v2 under `/open311/v2`, so that existing civic clients can list a
//! body's services, post requests and follow them: discovery, services and service
//! definitions, requests (POST with an `api_key`, GET with the spec's filters), tokens,
//! and mySociety's `servicerequestupdates`. JSON and XML; errors are the spec's
//! `[{"code": 400, "description": "…"}]` (`<errors><error>…` in XML).
//!
//! These routes are described by the Open311 spec, not by our OpenAPI document. Reads are
//! public and carry no personal data; a POST authenticates by its `api_key` (an API token
//! of an account, as `okno admin token` issues), not by a session.

mod doc;
mod location;
mod requests;
mod services;
mod updates;

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use doc::{Doc, Format};
use time::{OffsetDateTime, UtcOffset};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top).post(post_top))
        .route("/open311/v2/services/{file}", get(services::definition))
        .route("/open311/v2/requests/{file}", get(requests::one))
        .route("/open311/v2/tokens/{file}", get(requests::token))
}

/// Bodies keep Moscow time; every datetime we write carries the offset.
const MOSCOW: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

const DAY_MS: i64 = 86_400_000;
/// The spec's default window and its longest span.
const WINDOW_MS: i64 = 90 * DAY_MS;
/// The spec's default volume, and our largest page.
const MAX_PAGE: i64 = 1000;

/// A refusal in the spec's shape: an HTTP status and one description per problem.
#[derive(Debug)]
pub struct Fail {
    status: StatusCode,
    errors: Vec<String>,
}

impl Fail {
    fn new(status: StatusCode, description: impl Into<String>) -> Fail {
        Fail { status, errors: vec![description.into()] }
    }

    fn bad(description: impl Into<String>) -> Fail {
        Fail::new(StatusCode::BAD_REQUEST, description)
    }

    fn not_found(description: impl Into<String>) -> Fail {
        Fail::new(StatusCode::NOT_FOUND, description)
    }

    fn respond(self, format: Format) -> Response {
        let code = self.status.as_u16() as i64;
        let items = self.errors.into_iter().map(|d| Doc::Obj(vec![("code", Doc::Int(code)), ("description", Doc::Str(d))])).collect();
        doc::respond(self.status, format, "errors", &Doc::List("error", items))
    }
}

impl From<okno_app::AppError> for Fail {
    fn from(e: okno_app::AppError) -> Fail {
        use okno_app::AppError;
        match e {
            AppError::Invalid(inv) => Fail {
                status: StatusCode::BAD_REQUEST,
                errors: inv.0.iter().map(|f| format!("{}: {}", requests::open311_field(&f.field), f.message)).collect(),
            },
            AppError::NotFound(what) => Fail::not_found(format!("{what} not found")),
            AppError::Conflict { message, .. } => Fail::bad(message),
            AppError::Unauthenticated | AppError::Forbidden => Fail::bad("the api_key may not do this"),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "open311: internal error");
                Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error; try again later")
            }
        }
    }
}

/// A storage error as the spec's error (`map_err(store)`).
pub(crate) fn store<E: Into<okno_app::AppError>>(e: E) -> Fail {
    Fail::from(e.into())
}

/// The answer, or the errors, in the format the path asked for.
fn answer(format: Format, root: &str, result: Result<Doc, Fail>) -> Response {
    match result {
        Ok(d) => doc::respond(StatusCode::OK, format, root, &d),
        Err(f) => f.respond(format),
    }
}

/// The answer to a path whose format is neither `.json` nor `.xml`: a 404, in JSON since
/// the client asked for neither.
fn bad_format() -> Response {
    Fail::not_found("use .json or .xml").respond(Format::Json)
}

async fn top(State(st): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery, headers: HeaderMap) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return bad_format();
    };
    let params = Params::parse(q.as_deref().unwrap_or("").as_bytes());
    match name {
        "discovery" => answer(format, "discovery", Ok(services::discovery(&st, &headers))),
        "services" => answer(format, "services", services::list(&st).await),
        "requests" => answer(format, "service_requests", requests::list(&st, &params).await),
        "servicerequestupdates" => answer(format, "service_requests_updates", updates::list(&st, &params).await),
        _ => Fail::not_found(format!("no such resource: {name}")).respond(format),
    }
}

async fn post_top(
    State(st): State<AppState>,
    crate::state::CurrentActor(caller): crate::state::CurrentActor,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return bad_format();
    };
    if name != "requests" {
        return Fail::new(StatusCode::METHOD_NOT_ALLOWED, format!("{name} cannot be posted to")).respond(format);
    }
    // Some clients put api_key and jurisdiction_id in the query string; the form wins.
    let mut params = Params::parse(q.as_deref().unwrap_or("").as_bytes());
    params.0.extend(Params::parse(&body).0);
    answer(format, "service_requests", requests::create(&st, &caller, &params).await)
}

/// Query or form parameters in order; the last of a repeated name wins.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: &[u8]) -> Params {
        Params(form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// A parameter's value, trimmed; empty counts as absent (the spec's "optional").
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// A comma-separated parameter, which may also be repeated.
    fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

pub(crate) use okno_app::requests::now_ms;

/// A W3C datetime in Moscow time: `2025-03-01T09:30:00+03:00`.
pub(crate) fn w3c(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(MOSCOW);
    let (h, m) = (t.offset().whole_hours(), t.offset().minutes_past_hour().abs());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        if h < 0 { '-' } else { '+' },
        h.abs(),
        m
    )
}

/// Parses a W3C datetime (`2010-01-01T00:00:00Z`, with an offset, fractions or without
/// seconds) or a date (midnight, Moscow time). A `+` a client forgot to encode arrives as
/// a space and is read as `+`.
pub(crate) fn parse_w3c(name: &str, raw: &str) -> Result<i64, Fail> {
    use time::format_description::well_known::Rfc3339;
    let s = raw.trim().replace(' ', "+");
    let bad = || Fail::bad(format!("{name} must be a W3C datetime with a time zone, e.g. 2010-01-01T00:00:00Z"));
    let t = if let Ok(t) = OffsetDateTime::parse(&s, &Rfc3339) {
        t
    } else if s.len() == 10 {
        let d = time::Date::parse(&s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| bad())?;
        d.midnight().assume_offset(MOSCOW)
    } else if let Some(tz) = s.get(16..).filter(|_| s.len() > 16 && s.as_bytes()[10] == b'T') {
        // hh:mm without seconds.
        OffsetDateTime::parse(&format!("{}:00{tz}", &s[..16]), &Rfc3339).map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    Ok((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The window `[from, to)` of `start_date` and `end_date`: at most 90 days, the most
/// recent 90 days when neither is given.
pub(crate) fn window(p: &Params) -> Result<(i64, i64), Fail> {
    let start = p.get("start_date").map(|s| parse_w3c("start_date", s)).transpose()?;
    let end = p.get("end_date").map(|s| parse_w3c("end_date", s)).transpose()?;
    let (from, to) = match (start, end) {
        (None, None) => {
            let now = now_ms();
            (now - WINDOW_MS, now + 1)
        }
        (Some(s), None) => (s, s + WINDOW_MS),
        (None, Some(e)) => (e - WINDOW_MS, e + 1),
        (Some(s), Some(e)) => (s, e + 1),
    };
    if to <= from {
        return Err(Fail::bad("end_date must not be before start_date"));
    }
    if to - from > WINDOW_MS + 1 {
        return Err(Fail::bad("start_date and end_date may not span more than 90 days"));
    }
    Ok((from, to))
}

/// `page` and `page_size` (an extension of the spec): `(limit, offset)`, 1000 by default.
pub(crate) fn paging(p: &Params) -> Result<(i64, i64), Fail> {
    let num = |name: &str, default: i64| -> Result<i64, Fail> {
        match p.get(name) {
            None => Ok(default),
            Some(s) => s.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| Fail::bad(format!("{name} must be a whole number from 1"))),
        }
    };
    let page = num("page", 1)?;
    let size = num("page_size", MAX_PAGE)?;
    if size > MAX_PAGE {
        return Err(Fail::bad(format!("page_size must be at most {MAX_PAGE}")));
    }
    Ok((size, (page - 1).saturating_mul(size)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_carry_a_zone_and_parse_back() {
        assert_eq!(w3c(0), "1970-01-01T03:00:00+03:00");
        assert_eq!(parse_w3c("d", "1970-01-01T03:00:00+03:00").unwrap(), 0);
        assert_eq!(parse_w3c("d", "1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(parse_w3c("d", "1970-01-01T03:00:00 03:00").unwrap(), 0, "an unencoded + arrives as a space");
        assert_eq!(parse_w3c("d", "1970-01-01T00:00Z").unwrap(), 0);
        assert_eq!(parse_w3c("d", "1970-01-01").unwrap(), -3 * 3_600_000);
        assert!(parse_w3c("d", "01/02/2020").is_err());
        assert!(parse_w3c("d", "2020-01-01T00:00:00").is_err(), "a zone is required");
    }

    #[test]
    fn windows_and_pages() {
        let p = Params::parse(b"start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z");
        assert!(window(&p).is_err(), "more than 90 days");
        let p = Params::parse(b"start_date=2025-01-02T00:00:00Z&end_date=2025-01-01T00:00:00Z");
        assert!(window(&p).is_err());
        let p = Params::parse(b"start_date=2025-01-01T00:00:00Z");
        let (from, to) = window(&p).unwrap();
        assert_eq!(to - from, WINDOW_MS);
        assert_eq!(paging(&Params::parse(b"")).unwrap(), (1000, 0));
        assert_eq!(paging(&Params::parse(b"page=3&page_size=10")).unwrap(), (10, 20));
        assert!(paging(&Params::parse(b"page_size=1001")).is_err());
        assert!(paging(&Params::parse(b"page=0")).is_err());
        assert_eq!(Params::parse(b"status=open,closed&status=open").list("status"), vec!["open", "closed", "open"]);
    }
}
