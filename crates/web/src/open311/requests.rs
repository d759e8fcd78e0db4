//! Service requests: POST one (with an `api_key`), GET many with the spec's filters, GET
//! one, and GET a token (our requests are realtime: the token is the tracking code).
//!
//! What the public sees of a request: its tracking code as `service_request_id`, status,
//! the stage in plain words, the service and body, the client's text without the
//! location lines, the dates, and the location. Never a name, e-mail, phone or address
//! of the client.

use super::doc::Doc;
use super::doc::Format;
use super::location::{self, Location};
use super::services::{self, Service};
use super::{bad_format, paging, store, window, Fail, Params};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use okno_app::requests::{NewRequest, RequestRecord};
use okno_app::Actor;
use okno_domain::chain::{Chain, Stage};
use okno_domain::request::{Phase, TrackingCode};
use okno_domain::Id;
use std::collections::HashMap;

/// Spec: "limited to 4,000 characters".
const DESCRIPTION_MAX: usize = 4000;
/// The most `service_request_id`s one GET may name.
const IDS_MAX: usize = 1000;

/// The Open311 name of a `NewRequest` field, for error descriptions.
pub fn open311_field(field: &str) -> String {
    match field {
        "offering_id" => "service_code".into(),
        "client_name" => "first_name".into(),
        "client_email" => "email".into(),
        "client_phone" => "phone".into(),
        "client_address" => "attribute[client_address]".into(),
        "subject" => "attribute[subject]".into(),
        other => match other.strip_prefix("fields.") {
            Some(key) => format!("attribute[{key}]"),
            None => other.into(),
        },
    }
}

/// The offering's own form fields, sent as `attribute[<key>]` like the spec's attributes;
/// the app checks them, and its errors name them back as attributes.
async fn form_answers(st: &AppState, service: &Service, p: &Params) -> Result<std::collections::BTreeMap<String, String>, Fail> {
    let form = st.app.chain(&Actor::anonymous(), service.id).await?.map(|(_, c)| c.form).unwrap_or_default();
    Ok(form.iter().filter_map(|f| p.get(&format!("attribute[{}]", f.key)).map(|v| (f.key.clone(), v.to_string()))).collect())
}

/// Chains by (offering, version), read once per answer.
#[derive(Default)]
struct Chains(HashMap<(Id, i64), Option<Chain>>);

impl Chains {
    async fn stage<'a>(&'a mut self, st: &AppState, r: &RequestRecord) -> Option<&'a Stage> {
        let key = (r.offering_id, r.chain_version);
        if let std::collections::hash_map::Entry::Vacant(e) = self.0.entry(key) {
            e.insert(st.app.store().chain_version(r.offering_id, r.chain_version).await.ok());
        }
        self.0.get(&key)?.as_ref()?.variant(&r.variant_key)?.stages.iter().find(|s| s.key == r.state.stage)
    }
}

fn request_doc(r: &RequestRecord, service: Option<&Service>, stage: Option<&Stage>) -> Doc {
    let (text, loc) = location::split(&r.subject);
    // Only reports filed through Open311 are public civic reports; what a citizen wrote on
    // the body's own form or by mail (an appeal under 59-FZ) may hold personal data and is
    // not published.
    let text = if r.channel == okno_domain::request::Channel::Open311 { text } else { String::new() };
    let closed = r.state.phase == Phase::Closed;
    let stage_name = stage.map(|s| s.name.as_str()).unwrap_or("");
    let status_notes = match (r.state.phase, r.state.outcome) {
        (Phase::Closed, Some(o)) => Lang::Ru.label("outcome", o.code()).to_string(),
        (Phase::Closed, None) => Lang::Ru.label("phase", "closed").to_string(),
        (Phase::WaitingForClient, _) => format!("Этап: {stage_name}. Ждём ответа заявителя"),
        (Phase::Suspended, _) => format!("Этап: {stage_name}. Рассмотрение приостановлено"),
        (Phase::Open, _) => format!("Этап: {stage_name}"),
    };
    let notice = stage.map(|s| s.client_sees.trim()).filter(|s| !s.is_empty() && !closed);
    let mut fields = vec![
        ("service_request_id", Doc::str(&r.tracking_code)),
        ("status", Doc::str(if closed { "closed" } else { "open" })),
        ("status_notes", Doc::str(status_notes)),
        ("service_name", Doc::opt(service.map(|s| s.name.clone()))),
        ("service_code", Doc::str(r.offering_id.to_string())),
        ("description", Doc::str(text)),
        ("agency_responsible", Doc::opt(service.map(|s| s.body_name.clone()))),
        ("service_notice", Doc::opt(notice)),
        ("requested_datetime", Doc::str(super::w3c(r.created_at))),
        ("updated_datetime", Doc::str(super::w3c(r.closed_at.unwrap_or(r.updated_at)))),
        ("expected_datetime", Doc::opt(r.due_at.filter(|_| !closed).map(super::w3c))),
        ("address", Doc::opt(loc.address)),
        ("address_id", Doc::opt(loc.address_id)),
    ];
    if let Some((lat, long)) = loc.lat_long {
        fields.push(("lat", Doc::Num(lat)));
        fields.push(("long", Doc::Num(long)));
    }
    fields.push(("media_url", Doc::opt(loc.media_url)));
    Doc::Obj(fields)
}

async fn docs(st: &AppState, records: &[RequestRecord]) -> Result<Doc, Fail> {
    let services = services::all(st).await?;
    let mut chains = Chains::default();
    let mut items = Vec::with_capacity(records.len());
    for r in records {
        let stage = chains.stage(st, r).await;
        items.push(request_doc(r, services.get(&r.offering_id), stage));
    }
    Ok(Doc::List("request", items))
}

/// GET requests: `service_request_id` (overrides the rest), `service_code`, `start_date`,
/// `end_date`, `status`, and `page`/`page_size`.
pub async fn list(st: &AppState, p: &Params) -> Result<Doc, Fail> {
    let ids = p.list("service_request_id");
    if ids.len() > IDS_MAX {
        return Err(Fail::bad(format!("at most {IDS_MAX} service_request_id at once")));
    }
    let page = paging(p)?;
    let records = if !ids.is_empty() {
        // An id that cannot be a tracking code matches nothing, like an unknown one.
        let codes: Vec<String> = ids.iter().filter_map(|c| TrackingCode::parse(c)).map(|c| c.to_string()).collect();
        if codes.is_empty() {
            Vec::new()
        } else {
            st.app.store().open311_requests(&codes, &[], (0, 0), None, page).await.map_err(store)?.items
        }
    } else {
        // A code that cannot be an offering's matches nothing, like an unknown one.
        let codes = p.list("service_code");
        let offerings: Vec<Id> = codes.iter().filter_map(|c| c.parse().ok()).collect();
        if !codes.is_empty() && offerings.is_empty() {
            return Ok(Doc::List("request", Vec::new()));
        }
        let mut closed = None;
        let statuses = p.list("status");
        let (open, shut) = (statuses.iter().any(|s| s == "open"), statuses.iter().any(|s| s == "closed"));
        if let Some(bad) = statuses.iter().find(|s| *s != "open" && *s != "closed") {
            return Err(Fail::bad(format!("status must be open or closed, not {bad}")));
        }
        if open != shut {
            closed = Some(shut);
        }
        st.app.store().open311_requests(&[], &offerings, window(p)?, closed, page).await.map_err(store)?.items
    };
    docs(st, &records).await
}

async fn by_code(st: &AppState, raw: &str) -> Result<RequestRecord, Fail> {
    let unknown = || Fail::not_found(format!("service_request_id {raw} was not found"));
    let code = TrackingCode::parse(raw).ok_or_else(unknown)?;
    let page = st.app.store().open311_requests(&[code.to_string()], &[], (0, 0), None, (1, 0)).await.map_err(store)?;
    page.items.into_iter().next().ok_or_else(unknown)
}

/// GET requests/{service_request_id}.
pub async fn one(State(st): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, format)) = Format::split(&file) else {
        return bad_format();
    };
    let result = async {
        let r = by_code(&st, code).await?;
        docs(&st, &[r]).await
    }
    .await;
    super::answer(format, "service_requests", result)
}

/// GET tokens/{token}: our requests are realtime, so the token is the tracking code.
pub async fn token(State(st): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = Format::split(&file) else {
        return bad_format();
    };
    let result = async {
        let r = by_code(&st, token).await?;
        Ok(Doc::List(
            "request",
            vec![Doc::Obj(vec![("service_request_id", Doc::str(&r.tracking_code)), ("token", Doc::str(&r.tracking_code))])],
        ))
    }
    .await;
    super::answer(format, "service_requests", result)
}

/// Reads the location arguments: lat and long together, address_string or address_id.
fn location(p: &Params) -> Result<Location, Fail> {
    let coordinate = |name: &str, limit: f64| -> Result<Option<f64>, Fail> {
        match p.get(name) {
            None => Ok(None),
            Some(s) => s
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= limit)
                .map(Some)
                .ok_or_else(|| Fail::bad(format!("{name} must be a number from -{limit} to {limit} (WGS84)"))),
        }
    };
    let lat_long = match (coordinate("lat", 90.0)?, coordinate("long", 180.0)?) {
        (Some(lat), Some(long)) => Some((lat, long)),
        (None, None) => None,
        _ => return Err(Fail::bad("lat and long must be sent together")),
    };
    let loc = Location {
        address: p.get("address_string").map(str::to_string),
        address_id: p.get("address_id").map(str::to_string),
        lat_long,
        media_url: p.get("media_url").map(str::to_string),
    };
    if loc.is_empty() {
        return Err(Fail::bad("a location is required: lat and long, address_string or address_id"));
    }
    Ok(loc)
}

/// POST requests: checks the api_key, the service and the location, then creates the
/// request as the key's account, on the open311 channel.
pub async fn create(st: &AppState, caller: &Actor, p: &Params) -> Result<Doc, Fail> {
    // GeoReport v2 lists no status for a bad key; its "400 - General Service Error" fits,
    // and a 400 tells generic clients the request was refused, not the server broken.
    let Some(key) = p.get("api_key") else {
        return Err(Fail::bad("api_key is required: an API token issued by the administrator (okno admin token)"));
    };
    let token = st.app.token(key).await.map_err(Fail::from)?.ok_or_else(|| Fail::bad("api_key is unknown or revoked"))?;
    let Some(code) = p.get("service_code") else {
        return Err(Fail::bad("service_code was not provided"));
    };
    let service = services::find(st, code).await?;
    let loc = location(p)?;

    let attribute = |code: &str| p.get(&format!("attribute[{code}]"));
    let text = match (attribute("subject"), p.get("description")) {
        (Some(s), Some(d)) if s != d => format!("{s}\n\n{d}"),
        (Some(s), _) => s.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => return Err(Fail::bad("attribute[subject] is required: say what the request is about")),
    };
    if text.chars().count() > DESCRIPTION_MAX {
        return Err(Fail::bad(format!("attribute[subject] and description must be at most {DESCRIPTION_MAX} characters")));
    }
    let name = [p.get("first_name"), p.get("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let name = match (name.is_empty(), attribute("client_name")) {
        (false, _) => name,
        (true, Some(n)) => n.to_string(),
        // Open311 reports may be anonymous; the record still needs a name to address.
        (true, None) => "Заявитель (Open311)".to_string(),
    };
    let input = NewRequest {
        offering_id: Some(service.id),
        variant: None,
        channel: Some("open311".into()),
        client_name: name,
        client_email: p.get("email").or(attribute("client_email")).map(str::to_string),
        client_phone: p.get("phone").or(attribute("client_phone")).map(str::to_string),
        client_address: attribute("client_address").map(str::to_string),
        subject: location::compose(&text, &loc),
        fields: form_answers(st, &service, p).await?,
    };
    let mut actor = token.actor();
    actor.request_id = caller.request_id.clone();
    actor.ip = caller.ip.clone();
    let r = st.app.create_request(&actor, &input).await?;
    let mut chains = Chains::default();
    let notice = chains.stage(st, &r).await.map(|s| s.client_sees.trim().to_string()).filter(|s| !s.is_empty());
    let due = r.due_at.map(|d| format!("Ожидаемый срок: {}.", &super::w3c(d)[..10]));
    let notice = [Some(format!("Обращение зарегистрировано, номер {}.", r.tracking_code)), notice, due]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Doc::List(
        "request",
        vec![Doc::Obj(vec![
            ("service_request_id", Doc::str(&r.tracking_code)),
            ("service_notice", Doc::str(notice)),
            ("account_id", Doc::Null),
        ])],
    ))
}
