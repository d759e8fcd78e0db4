//! The client's side of a request, without an account: the form to submit one for an
//! offering, and the status page by tracking code, where they also answer the body.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, text_input, textarea, Errors, Field, FormData};
use super::layout::{crumb, page};
use super::request_form;
use super::{parse_id, refused, OrPage, PageError};
use crate::api::requests::status_view;
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::{Actor, AppError};
use okno_domain::chain::Chain;
use okno_domain::offering::Offering;
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/apply", get(apply_form).post(apply))
        .route("/status", get(lookup))
        .route("/status/{code}", get(status))
        .route("/status/{code}/answer", post(answer))
}

fn apply_page(ctx: &Ctx, o: &okno_domain::offering::Offering, chain: &Chain, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
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
                (request_form::variant_choice(ctx, chain, f, &errs))
                (request_form::contact_fields(ctx, f, &errs))
                (request_form::own_fields(ctx, &chain.form, f, &errs))
                p.hint { (ctx.t("apply.privacy")) }
                div.actions { button.button type="submit" { (ctx.t("apply.submit")) } }
            }
        },
    )
}

/// The offering and its chain, or the page that says it takes no requests.
async fn offering_with_chain(st: &AppState, actor: &Actor, ctx: &Ctx, id: &str) -> Result<(Offering, Chain), PageError> {
    let id = parse_id(ctx, id)?;
    let o = st.app.offering(actor, id).await.or_page(ctx)?;
    match st.app.chain(actor, id).await.or_page(ctx)? {
        Some((_, chain)) => Ok((o, chain)),
        None => Err(PageError::new(ctx, AppError::NotFound("chain"))),
    }
}

async fn apply_form(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let (o, chain) = offering_with_chain(&st, &actor, &ctx, &id).await?;
    Ok(apply_page(&ctx, &o, &chain, &FormData(vec![]), &[]))
}

async fn apply(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (o, chain) = offering_with_chain(&st, &actor, &ctx, &id).await?;
    let f = FormData(form);
    let input = request_form::new_request(o.id, "web_form", &chain.form, &f);
    match st.app.create_request(&actor, &input).await {
        Ok(r) => Ok(Redirect::to(&format!("/status/{}?new=1", r.tracking_code)).into_response()),
        Err(AppError::Invalid(inv)) => Ok(refused(apply_page(&ctx, &o, &chain, &f, &inv.0))),
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

pub(super) async fn status_page(st: &AppState, ctx: &Ctx, code: &str, new: bool, errors: &[FieldError]) -> Response {
    let (v, _) = match status_view(st, code).await {
        Ok(x) => x,
        Err(_) => {
            let e = FieldError { field: "code".into(), code: "unknown_code", message: "no request has this code".into() };
            let f = FormData(vec![("code".into(), code.to_string())]);
            return (axum::http::StatusCode::NOT_FOUND, lookup_page(ctx, &f, &[e])).into_response();
        }
    };
    let errs = Errors { list: errors };
    let files = super::attachments::status_section(st, ctx, &v, errors).await;
    let feedback = super::feedback::status_section(st, ctx, code).await;
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
            (files)
            (feedback)
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
