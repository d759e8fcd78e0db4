//! The audit trail through the API: filtered pages, and the chain check.

use super::{query_id, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use okno_app::{AuditCheck, AuditFilter, AuditRecord, PageRequest};
use okno_domain::Invalid;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/audit", get(list)).route("/api/v1/audit/verify", get(verify))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    /// body, unit, employee, segment, offering.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Who acted, as recorded (e.g. `open`, `system`).
    pub actor: Option<String>,
    pub body: Option<String>,
    /// First day, YYYY-MM-DD, Moscow time.
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, Moscow time, inclusive.
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One audit entry.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub body_id: Option<String>,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub hash: String,
    /// The snapshots were removed when a person's data was erased.
    pub redacted: bool,
}

impl From<AuditRecord> for AuditEntry {
    fn from(r: AuditRecord) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id.map(|i| i.to_string()),
            body_id: r.body_id.map(|i| i.to_string()),
            before: r.before,
            after: r.after,
            request_id: r.request_id,
            ip: r.ip,
            hash: r.hash,
            redacted: r.redacted,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditVerification {
    pub intact: bool,
    /// Entries checked, when intact.
    pub entries: Option<i64>,
    /// The first entry that does not hold, when broken.
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

/// Midnight of a day in Moscow time (UTC+3), in UTC milliseconds.
pub fn day_start_ms(field: &str, s: &str) -> Result<i64, Invalid> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s.trim(), &format).map_err(|_| Invalid::one(field, "invalid_date", "write the date as YYYY-MM-DD"))?;
    let t = d.midnight().assume_offset(time::macros::offset!(+3));
    Ok((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Parses the filters shared by the page and the API.
pub fn filter(entity: &Option<String>, actor: &Option<String>, from: &Option<String>, to: &Option<String>) -> Result<AuditFilter, Invalid> {
    let mut e = Invalid::default();
    let nonblank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let from_ms = nonblank(from).and_then(|d| e.take(day_start_ms("from", &d)));
    let to_ms = nonblank(to).and_then(|d| e.take(day_start_ms("to", &d))).map(|ms| ms + 86_400_000);
    e.into_result()?;
    Ok(AuditFilter { entity: nonblank(entity), actor: nonblank(actor), from_ms, to_ms, ..Default::default() })
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<AuditPage>, ApiError> {
    let bad = |inv: Invalid| {
        let mut err = ApiError::bad_request("bad_query", "some query parameters are not valid; see fields");
        err.body.fields = inv.0;
        err
    };
    let mut f = filter(&p.entity, &p.actor, &p.from, &p.to).map_err(bad)?;
    f.entity_id = query_id(&p.entity_id, "entity_id")?;
    f.body_id = query_id(&p.body, "body")?;
    let page = PageRequest::new(p.page, p.per_page).map_err(bad)?;
    let r = st.app.audit(&a, &f, page).await?;
    Ok(Json(AuditPage { items: r.items.into_iter().map(Into::into).collect(), total: r.total, page: r.page, per_page: r.per_page }))
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerification), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn verify(State(st): State<AppState>, CurrentActor(a): CurrentActor) -> Result<Json<AuditVerification>, ApiError> {
    Ok(Json(match st.app.verify_audit(&a).await? {
        AuditCheck::Intact { entries } => AuditVerification { intact: true, entries: Some(entries), broken_at: None, reason: None },
        AuditCheck::Broken { seq, reason } => {
            AuditVerification { intact: false, entries: None, broken_at: Some(seq), reason: Some(reason) }
        }
    }))
}
