//! The audit trail for administrators: filters, the entries with what changed, and
//! whether the chain is intact.

use super::catalogue::pagination;
use super::ctx::Ctx;
use super::forms::{error_summary, Errors, Field};
use super::layout::page;
use super::{OrPage, PageError};
use crate::api::audit::filter;
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use okno_app::{AuditCheck, PageRequest};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(view))
}

#[derive(Deserialize, Default)]
struct Q {
    entity: Option<String>,
    actor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

const ENTITIES: [&str; 7] = ["body", "unit", "employee", "segment", "offering", "account", "personal_data"];

async fn view(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Response, PageError> {
    let check = st.app.verify_audit(&actor).await.or_page(&ctx)?;
    let (f, errors) = match filter(&q.entity, &q.actor, &q.from, &q.to) {
        Ok(f) => (f, vec![]),
        Err(inv) => (Default::default(), inv.0),
    };
    let page_no = q.page.as_deref().and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let entries = st.app.audit(&actor, &f, PageRequest { page: page_no, per_page: 50 }).await.or_page(&ctx)?;
    let errs = Errors { list: &errors };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let (from, to, who) = (v(&q.from), v(&q.to), v(&q.actor));
    let body = page(
        &ctx,
        ctx.t("audit.title"),
        &[],
        html! {
            (error_summary(&ctx, &errors))
            h1 { (ctx.t("audit.title")) }
            p { a href="/admin/personal-data" { (ctx.t("pd.title")) } }
            @match &check {
                AuditCheck::Intact { entries } => div.notice.notice-success role="status" { p { (ctx.t("audit.intact")) " " (entries) } },
                AuditCheck::Broken { seq, reason } => div.error-summary role="alert" { h2 { (ctx.t("audit.broken")) " " (seq) } p { (reason) } },
            }
            form.filters method="get" action="/audit" {
                h2 { (ctx.t("cat.filters")) }
                div.filter-fields {
                    div {
                        label.label for="f-entity" { (ctx.t("audit.entity")) }
                        select.select #f-entity name="entity" {
                            option value="" { (ctx.t("common.any")) }
                            @for e in ENTITIES { option value=(e) selected[q.entity.as_deref() == Some(e)] { (ctx.label("entity", e)) } }
                        }
                    }
                    (super::forms::text_input(&ctx, Field { name: "actor", label: ctx.t("audit.actor"), hint: None, value: &who, required: false }, &errs, "text", "w-full"))
                    (super::forms::text_input(&ctx, Field { name: "from", label: ctx.t("audit.from"), hint: None, value: &from, required: false }, &errs, "date", "w-full"))
                    (super::forms::text_input(&ctx, Field { name: "to", label: ctx.t("audit.to"), hint: None, value: &to, required: false }, &errs, "date", "w-full"))
                }
                button.button type="submit" { (ctx.t("common.filter")) }
                a href="/audit" { (ctx.t("common.reset")) }
            }
            p.count { (ctx.t("common.found")) ": " strong { (entries.total) } }
            @if entries.items.is_empty() { p.empty { (ctx.t("audit.empty")) } }
            @else {
                table.table.responsive {
                    thead { tr {
                        th scope="col" { "№" }
                        th scope="col" { (ctx.t("audit.when")) }
                        th scope="col" { (ctx.t("audit.actor")) }
                        th scope="col" { (ctx.t("audit.action")) }
                        th scope="col" { (ctx.t("audit.what")) }
                    } }
                    tbody { @for e in &entries.items { tr {
                        td data-label="№" { (e.seq) }
                        td data-label=(ctx.t("audit.when")) { (format::date_time(ctx.lang, &e.at)) }
                        td data-label=(ctx.t("audit.actor")) { (e.actor) @if let Some(ip) = &e.ip { br; span.hint-inline { (ip) } } }
                        td data-label=(ctx.t("audit.action")) { code { (e.action) } @if let Some(r) = &e.request_id { br; span.hint-inline { (ctx.t("audit.request")) " " (r) } } }
                        td data-label=(ctx.t("audit.what")) {
                            (ctx.label("entity", &e.entity))
                            @if let (Some(id), "offering") = (e.entity_id, e.entity.as_str()) { " " a href={"/offerings/" (id)} { (id) } }
                            @else if let Some(id) = e.entity_id { " " (id) }
                            @if e.redacted { p.hint-inline { (ctx.t("audit.redacted")) } }
                            @else { details {
                                summary { (ctx.t("audit.changes")) }
                                @if let Some(b) = &e.before { h3 { (ctx.t("audit.before")) } pre.json tabindex="0" { (serde_json::to_string_pretty(b).unwrap_or_default()) } }
                                @if let Some(a) = &e.after { h3 { (ctx.t("audit.after")) } pre.json tabindex="0" { (serde_json::to_string_pretty(a).unwrap_or_default()) } }
                            } }
                        }
                    } } }
                }
                (pagination(&ctx, &entries, &ctx.here))
            }
        },
    );
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, body).into_response())
}
