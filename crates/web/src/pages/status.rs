//! The client's side of a request, without an account: the form to submit one for an
//! offering, and the status page by tracking code, where they also answer the body.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, text_input, textarea, Errors, Field, FormData};
use super::layout::{crumb, page};
use super::{parse_id, refused, OrPage, PageError};
use crate::api::requests::status_view;
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::requests::NewRequest;
use okno_app::AppError;
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/apply", get(apply_form).post(apply))
        .route("/status", get(lookup))
        .route("/status/{code}", get(status))
        .route("/status/{code}/answer", post(answer))
}

fn apply_page(ctx: &Ctx, o: &okno_domain::offering::Offering, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    let fld = |name: &'static str, label: &str, hint: Option<&str>, required: bool| Field {
        name,
        label: ctx.lang.t(label),
        hint: hint.map(|h| ctx.lang.t(h)),
        value: f.get(name),
        required,
    };
    page(
        ctx,
        ctx.t("apply.title"),
        &[crumb(format!("/offerings/{}", o.id), o.name.clone())],
        html! {
            (error_summary(ctx, errors))
            span.caption { (o.name) }
            h1 { (ctx.t("apply.title")) }
            p { (ctx.t("apply.lead")) }
            form method="post" action={"/offerings/" (o.id) "/apply"} novalidate {
                (csrf_field(ctx))
                (textarea(ctx, fld("subject", "apply.subject", Some("apply.subject.hint"), true), &errs, 6))
                (text_input(ctx, fld("client_name", "apply.name", None, true), &errs, "text", "w-20"))
                (text_input(ctx, fld("client_email", "apply.email", Some("apply.contact.hint"), false), &errs, "email", "w-20"))
                (text_input(ctx, fld("client_phone", "apply.phone", None, false), &errs, "tel", "w-10"))
                (textarea(ctx, fld("client_address", "apply.address", None, false), &errs, 2))
                p.hint { (ctx.t("apply.privacy")) }
                div.actions { button.button type="submit" { (ctx.t("apply.submit")) } }
            }
        },
    )
}

async fn apply_form(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    if st.app.chain(&actor, id).await.or_page(&ctx)?.is_none() {
        return Err(PageError::new(&ctx, AppError::NotFound("chain")));
    }
    Ok(apply_page(&ctx, &o, &FormData(vec![]), &[]))
}

async fn apply(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    let f = FormData(form);
    let opt = |k: &str| f.opt(k).map(str::to_string);
    let input = NewRequest {
        offering_id: Some(id),
        variant: None,
        channel: Some("web_form".into()),
        client_name: f.get("client_name").into(),
        client_email: opt("client_email"),
        client_phone: opt("client_phone"),
        client_address: opt("client_address"),
        subject: f.get("subject").into(),
    };
    match st.app.create_request(&actor, &input).await {
        Ok(r) => Ok(Redirect::to(&format!("/status/{}?new=1", r.tracking_code)).into_response()),
        Err(AppError::Invalid(inv)) => Ok(refused(apply_page(&ctx, &o, &f, &inv.0))),
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}

#[derive(Deserialize)]
struct CodeQ {
    code: Option<String>,
}

async fn lookup(ctx: Ctx, Query(q): Query<CodeQ>) -> Response {
    let errors = match q.code.as_deref().map(str::trim) {
        None => vec![],
        Some(c) => match okno_domain::request::TrackingCode::parse(c) {
            Some(code) => return Redirect::to(&format!("/status/{code}")).into_response(),
            None => vec![FieldError { field: "code".into(), code: "invalid_code", message: "a tracking code looks like K7M2-9QXD".into() }],
        },
    };
    let f = FormData(vec![("code".into(), q.code.clone().unwrap_or_default())]);
    let body = lookup_page(&ctx, &f, &errors);
    if errors.is_empty() {
        body.into_response()
    } else {
        refused(body)
    }
}

fn lookup_page(ctx: &Ctx, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    page(
        ctx,
        ctx.t("status.lookup"),
        &[],
        html! {
            (error_summary(ctx, errors))
            h1 { (ctx.t("status.lookup")) }
            form method="get" action="/status" novalidate {
                (text_input(ctx, Field { name: "code", label: ctx.t("status.code"), hint: Some(ctx.t("status.code.hint")), value: f.get("code"), required: true }, &errs, "text", "w-10"))
                div.actions { button.button type="submit" { (ctx.t("status.find")) } }
            }
        },
    )
}

#[derive(Deserialize)]
struct NewQ {
    new: Option<String>,
}

async fn status(State(st): State<AppState>, ctx: Ctx, Path(code): Path<String>, Query(q): Query<NewQ>) -> Response {
    status_page(&st, &ctx, &code, q.new.is_some(), &[]).await
}

async fn status_page(st: &AppState, ctx: &Ctx, code: &str, new: bool, errors: &[FieldError]) -> Response {
    let (v, _) = match status_view(st, code).await {
        Ok(x) => x,
        Err(_) => {
            let e = FieldError { field: "code".into(), code: "unknown_code", message: "no request has this code".into() };
            let f = FormData(vec![("code".into(), code.to_string())]);
            return (axum::http::StatusCode::NOT_FOUND, lookup_page(ctx, &f, &[e])).into_response();
        }
    };
    let errs = Errors { list: errors };
    let body = page(
        ctx,
        &format!("{} {}", ctx.t("status.title"), v.tracking_code),
        &[],
        html! {
            (error_summary(ctx, errors))
            @if new {
                div.notice.notice-success role="status" {
                    h2 { (ctx.t("status.created")) }
                    p { (ctx.t("status.keep_code")) " " strong.code { (v.tracking_code) } }
                }
            }
            span.caption { (v.offering) }
            h1 { (ctx.t("status.title")) " " (v.tracking_code) }
            @if let Some(o) = &v.outcome {
                p { strong class={"tag tag-closed"} { (ctx.label("outcome", o)) } }
            } @else {
                dl.summary-list {
                    div { dt { (ctx.t("status.now")) } dd { strong { (v.stage) } br; (v.now) } }
                    @if let Some(n) = &v.next { div { dt { (ctx.t("status.next")) } dd { (n) } } }
                    @if let Some(d) = &v.expected_by { div { dt { (ctx.t("status.expected")) } dd { (format::date(ctx.lang, d)) } } }
                }
            }
            @if v.waiting_for_you {
                section.panel aria-labelledby="answer-h" {
                    h2 id="answer-h" { (ctx.t("status.waiting")) }
                    @if let Some(ask) = v.history.iter().rev().find(|e| e.kind == "paused") { p { (ask.note) } }
                    form method="post" action={"/status/" (v.tracking_code) "/answer"} novalidate {
                        (csrf_field(ctx))
                        (textarea(ctx, Field { name: "answer", label: ctx.t("status.answer"), hint: None, value: "", required: true }, &errs, 5))
                        div.actions { button.button type="submit" { (ctx.t("status.send")) } }
                    }
                }
            }
            h2 { (ctx.t("status.history")) }
            ol.timeline {
                @for e in &v.history {
                    li {
                        span.when { (format::date_time(ctx.lang, &e.at)) }
                        " " strong { (ctx.label("event", &e.kind)) } " — " (e.stage)
                        @if !e.note.is_empty() && e.kind != "entered" { br; span.note { (e.note) } }
                    }
                }
            }
            p.print-hide { a href="/status" { (ctx.t("status.lookup")) } }
        },
    );
    if errors.is_empty() {
        body.into_response()
    } else {
        refused(body)
    }
}

async fn answer(State(st): State<AppState>, ctx: Ctx, Path(code): Path<String>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let f = FormData(form);
    match st.app.client_answers(&code, f.get("answer")).await {
        Ok(_) => Redirect::to(&format!("/status/{code}")).into_response(),
        Err(AppError::Invalid(inv)) => status_page(&st, &ctx, &code, false, &inv.0).await,
        Err(e) => PageError::new(&ctx, e).into_response(),
    }
}
