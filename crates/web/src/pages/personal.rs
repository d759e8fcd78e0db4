//! Personal data on request (152-FZ), for administrators of every body: find what is
//! held about one person, download it, erase it.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, text_input, Errors, Field, FormData};
use super::layout::page;
use super::{refused, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::personal::{PersonRequest, PersonalExport};
use okno_app::AppError;
use okno_domain::FieldError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/personal-data", get(view))
        .route("/admin/personal-data/export.json", get(export))
        .route("/admin/personal-data/erase", post(erase))
}

fn request_of(f: &FormData) -> PersonRequest {
    PersonRequest { email: f.opt("email").map(str::to_string), employee_id: f.opt("employee_id").map(str::to_string) }
}

fn query_string(r: &PersonRequest) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(e) = r.email.as_deref().filter(|e| !e.is_empty()) {
        s.append_pair("email", e);
    }
    if let Some(e) = r.employee_id.as_deref().filter(|e| !e.is_empty()) {
        s.append_pair("employee_id", e);
    }
    s.finish()
}

fn person_page(ctx: &Ctx, f: &FormData, errors: &[FieldError], found: Option<&PersonalExport>) -> Markup {
    let errs = Errors { list: errors };
    let fld = |name: &'static str, label: &str, hint: &str| Field {
        name,
        label: ctx.lang.t(label),
        hint: Some(ctx.lang.t(hint)),
        value: f.get(name),
        required: false,
    };
    page(
        ctx,
        ctx.t("pd.title"),
        &[],
        html! {
            (error_summary(ctx, errors))
            h1 { (ctx.t("pd.title")) }
            p { (ctx.t("pd.lead")) }
            form method="get" action="/admin/personal-data" novalidate {
                (text_input(ctx, fld("email", "pd.email", "pd.email.hint"), &errs, "email", "w-20"))
                (text_input(ctx, fld("employee_id", "pd.employee", "pd.employee.hint"), &errs, "text", "w-20"))
                div.actions { button.button type="submit" { (ctx.t("pd.find")) } }
            }
            @if let Some(x) = found {
                h2 { (ctx.t("pd.found")) }
                @if x.is_empty() {
                    p { (ctx.t("pd.nothing")) }
                } @else {
                    dl.summary-list {
                        div { dt { (ctx.t("pd.account")) } dd { @match &x.account { Some(a) => { (a.email) @if a.disabled { " (" (ctx.t("pd.disabled")) ")" } }, None => (ctx.t("common.not_set")) } } }
                        div { dt { (ctx.t("pd.employees")) } dd {
                            @if x.employees.is_empty() { (ctx.t("common.not_set")) }
                            ul.plain { @for e in &x.employees { li { (e.full_name) @if !e.position.is_empty() { ", " (e.position) } } } }
                        } }
                        div { dt { (ctx.t("pd.audit")) } dd { (x.audit.len()) } }
                        div { dt { (ctx.t("pd.requests")) } dd {
                            @if x.requests.is_empty() { (ctx.t("common.not_set")) }
                            ul.plain { @for r in &x.requests { li { (r.tracking_code) " — " (r.client_name) } } }
                        } }
                    }
                    @let q = query_string(&request_of(f));
                    p { a.button.button-secondary href={"/admin/personal-data/export.json?" (q)} download { (ctx.t("pd.download")) } }
                    h2 { (ctx.t("pd.erase")) }
                    div.warning-text { p { strong { (ctx.t("pd.erase.warning")) } } }
                    form method="post" action="/admin/personal-data/erase" {
                        (csrf_field(ctx))
                        input type="hidden" name="email" value=(f.get("email"));
                        input type="hidden" name="employee_id" value=(f.get("employee_id"));
                        div.field class=[errs.for_field("confirm").map(|_| "field-error")] {
                            @if let Some(e) = errs.for_field("confirm") { p.error-message id="confirm-error" { span.visually-hidden { (ctx.t("err.prefix")) " " } (super::forms::message(ctx, e)) } }
                            div.checkbox {
                                input type="checkbox" id="f-confirm" name="confirm" value="yes";
                                label for="f-confirm" { (ctx.t("pd.erase.confirm")) }
                            }
                        }
                        div.actions { button.button.button-warning type="submit" { (ctx.t("pd.erase.submit")) } }
                    }
                }
            }
        },
    )
}

async fn view(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Vec<(String, String)>>) -> Response {
    let f = FormData(q);
    // The page itself is for administrators only, asked or not.
    if let Err(e) = actor.require(okno_app::policy::Action::ReadAudit, okno_app::policy::Scope::Instance) {
        return PageError::new(&ctx, e).into_response();
    }
    if f.opt("email").is_none() && f.opt("employee_id").is_none() {
        return person_page(&ctx, &f, &[], None).into_response();
    }
    match st.app.personal_data(&actor, &request_of(&f)).await {
        Ok(x) => person_page(&ctx, &f, &[], Some(&x)).into_response(),
        Err(AppError::Invalid(inv)) => refused(person_page(&ctx, &f, &inv.0, None)),
        Err(e) => PageError::new(&ctx, e).into_response(),
    }
}

async fn export(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let x = st.app.personal_data(&actor, &request_of(&FormData(q))).await.or_page(&ctx)?;
    Ok(([(header::CONTENT_DISPOSITION, "attachment; filename=\"personal-data.json\""), (header::CACHE_CONTROL, "no-store")], axum::Json(x))
        .into_response())
}

async fn erase(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(form);
    if let Err(e) = actor.require(okno_app::policy::Action::ErasePersonalData, okno_app::policy::Scope::Instance) {
        return PageError::new(&ctx, e).into_response();
    }
    if f.get("confirm") != "yes" {
        let found = st.app.personal_data(&actor, &request_of(&f)).await.ok();
        let err = FieldError { field: "confirm".into(), code: "confirm_erase", message: "tick the box to confirm".into() };
        return refused(person_page(&ctx, &f, &[err], found.as_ref()));
    }
    match st.app.erase_personal_data(&actor, &request_of(&f)).await {
        Ok(done) => page(
            &ctx,
            ctx.t("pd.erased"),
            &[],
            html! {
                div.notice.notice-success role="status" {
                    h1 { (ctx.t("pd.erased")) }
                    p { (ctx.t("pd.erased.text")) " " (done.redacted_entries.len()) }
                    p { (ctx.t("pd.erased.requests")) " " (done.request_ids.len()) }
                }
                p { a href="/admin/personal-data" { (ctx.t("pd.title")) } }
            },
        )
        .into_response(),
        Err(AppError::Invalid(inv)) => refused(person_page(&ctx, &f, &inv.0, None)),
        Err(e) => PageError::new(&ctx, e).into_response(),
    }
}
