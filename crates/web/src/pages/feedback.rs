//! Client feedback pages, all without JavaScript: the rating block on the status page
//! (one form at a time, so no two forms share field ids), the rating form by tracking
//! code, the same form through a one-time link, and for staff the follow-up block on the
//! request card and the queue of open follow-ups.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, radios, textarea, Errors, Field, FormData};
use super::layout::{crumb, page};
use super::{parse_id, refused, OrPage, PageError};
use crate::api::requests::rfc3339;
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::feedback::{stage_name, ClientFeedback, RateMode, RatingRecord};
use okno_app::policy::{Action, Scope};
use okno_app::{Actor, AppError};
use okno_domain::rating::{Criterion, RatingInput, RawScore, EDIT_WINDOW_MS};
use okno_domain::{FieldError, Id};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/status/{code}/rating", get(rating_form).post(rate))
        .route("/feedback/{token}", get(link_form).post(rate_by_link))
        .route("/followups", get(queue))
        .route("/followups/{request_id}/close", post(close))
}

/// The form field of a criterion: `score_time` (no dot, so messages find their field).
fn field_name(c: Criterion) -> String {
    format!("score_{}", c.code())
}

/// API field names (`scores.time`) as the form's (`score_time`).
fn form_errors(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            let code =
                if e.field.starts_with("scores.") && matches!(e.code, "out_of_range" | "not_a_score") { "score_range" } else { e.code };
            FieldError { field: e.field.replacen("scores.", "score_", 1), code, ..e }
        })
        .collect()
}

fn input_of(f: &FormData) -> RatingInput {
    RatingInput {
        stage: f.get("stage").to_string(),
        scores: Criterion::ALL.iter().map(|c| (c.code().to_string(), f.opt(&field_name(*c)).map(|v| RawScore::Text(v.into())))).collect(),
        need_addressed: match f.get("need_addressed") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        comment: f.get("comment").to_string(),
    }
}

/// The form's values from a stored rating, to change it.
fn form_of(r: &RatingRecord) -> FormData {
    let mut v: Vec<(String, String)> =
        Criterion::ALL.iter().zip(r.scores).filter_map(|(c, s)| s.map(|s| (field_name(*c), s.to_string()))).collect();
    if let Some(n) = r.need_addressed {
        v.push(("need_addressed".into(), if n { "yes" } else { "no" }.into()));
    }
    v.push(("comment".into(), r.comment.clone()));
    FormData(v)
}

/// «4 — хорошо», «—» for a criterion left out.
fn score_words(ctx: &Ctx, s: Option<u8>) -> String {
    match s {
        Some(n) => format!("{n} — {}", ctx.label("fb.scale", &n.to_string())),
        None => ctx.t("fb.not_rated").to_string(),
    }
}

/// The rating form: radios 1–5 per criterion, "my need was addressed", a comment.
fn rating_fields(ctx: &Ctx, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    let scale: Vec<(String, String)> =
        (1..=5u8).rev().map(|n| (n.to_string(), format!("{n} — {}", ctx.label("fb.scale", &n.to_string())))).collect();
    let need = vec![("yes".to_string(), ctx.t("form.yes").to_string()), ("no".to_string(), ctx.t("fb.no").to_string())];
    html! {
        p.hint { (ctx.t("fb.scale_hint")) }
        @for c in Criterion::ALL {
            @let name = field_name(*c);
            (radios(ctx, Field { name: &name, label: ctx.label("fb.crit", c.code()), hint: None, value: f.get(&name), required: false }, &errs, &scale, "inline-radios"))
        }
        (radios(ctx, Field { name: "need_addressed", label: ctx.t("fb.need"), hint: Some(ctx.t("fb.need_hint")), value: f.get("need_addressed"), required: false }, &errs, &need, "inline-radios"))
        (textarea(ctx, Field { name: "comment", label: ctx.t("fb.comment"), hint: Some(ctx.t("fb.comment_hint")), value: f.get("comment"), required: false }, &errs, 4))
    }
}

fn summary(ctx: &Ctx, r: &RatingRecord) -> Markup {
    html! {
        dl.summary-list {
            @for (c, s) in Criterion::ALL.iter().zip(r.scores) {
                div { dt { (ctx.label("fb.crit", c.code())) } dd { (score_words(ctx, s)) } }
            }
            @if let Some(n) = r.need_addressed { div { dt { (ctx.t("fb.need")) } dd { @if n { (ctx.t("form.yes")) } @else { (ctx.t("fb.no")) } } } }
            @if !r.comment.is_empty() { div { dt { (ctx.t("fb.comment")) } dd { (r.comment) } } }
        }
    }
}

fn editable(r: &RatingRecord) -> bool {
    ClientFeedback::editable(r.created_at)
}

/// The block on the status page: thanks for what is rated, one form for the first stage
/// not rated yet, and links to rate the others.
pub(super) async fn status_section(st: &AppState, ctx: &Ctx, code: &str) -> Markup {
    let Ok(fb) = st.app.client_feedback(code).await else { return html! {} };
    if fb.ratable.is_empty() {
        return html! {};
    }
    let code = fb.request.tracking_code.clone();
    let first_open = fb.ratable.iter().find(|k| fb.rating(k).is_none());
    html! {
        section.panel #feedback aria-labelledby="feedback-h" {
            h2 #feedback-h { (ctx.t("fb.title")) }
            @for key in &fb.ratable {
                @if let Some(r) = fb.rating(key) {
                    div.notice.notice-success {
                        h3 { (ctx.t("fb.thanks")) " — " (stage_name(&fb.variant, key)) }
                        (summary(ctx, r))
                        @if editable(r) {
                            p { a href={"/status/" (code) "/rating?stage=" (key)} { (ctx.t("fb.edit")) } " " span.hint-inline { (ctx.t("fb.edit_until")) " " (format::date(ctx.lang, &rfc3339(r.created_at + EDIT_WINDOW_MS))) } }
                        } @else {
                            p.hint { (ctx.t("fb.locked")) }
                        }
                    }
                } @else if Some(key) != first_open {
                    p { a href={"/status/" (code) "/rating?stage=" (key)} { (ctx.t("fb.rate_stage")) " «" (stage_name(&fb.variant, key)) "»" } }
                }
            }
            @if let Some(key) = first_open {
                h3 { (ctx.t("fb.rate")) " «" (stage_name(&fb.variant, key)) "»" }
                form method="post" action={"/status/" (code) "/rating"} novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="stage" value=(key);
                    input type="hidden" name="mode" value="new";
                    (rating_fields(ctx, &FormData::default(), &[]))
                    div.actions { button.button type="submit" { (ctx.t("fb.send")) } }
                }
            }
        }
    }
}

/// Where a rating form posts and what it is about.
struct Target<'a> {
    title: &'a str,
    /// `/status/{code}/rating` or `/feedback/{token}`.
    action: &'a str,
    stage: &'a str,
    back: Option<&'a str>,
}

/// The rating form page, by tracking code or through a link.
fn form_page(ctx: &Ctx, t: &Target<'_>, mode: RateMode, f: &FormData, errors: &[FieldError]) -> Markup {
    let Target { title, action, stage, back } = *t;
    page(
        ctx,
        ctx.t("fb.title"),
        &[],
        html! {
            (error_summary(ctx, errors))
            span.caption { (ctx.t("fb.title")) }
            h1 { (title) }
            form method="post" action=(action) novalidate {
                (csrf_field(ctx))
                input type="hidden" name="stage" value=(stage);
                input type="hidden" name="mode" value=(if mode == RateMode::Edit { "edit" } else { "new" });
                (rating_fields(ctx, f, errors))
                div.actions { button.button type="submit" { (ctx.t(if mode == RateMode::Edit { "fb.save" } else { "fb.send" })) } }
            }
            @if let Some(b) = back { p { a href=(b) { (ctx.t("fb.back")) } } }
        },
    )
}

/// A page that only says something: an unknown, used or expired link, a locked rating.
fn message_page(ctx: &Ctx, status: StatusCode, title_key: &str, text_key: &str, back: Option<&str>) -> Response {
    let body = page(
        ctx,
        ctx.t(title_key),
        &[],
        html! {
            h1 { (ctx.t(title_key)) }
            p { (ctx.t(text_key)) }
            @if let Some(b) = back { p { a href=(b) { (ctx.t("fb.back")) } } }
            p { a href="/status" { (ctx.t("status.lookup")) } }
        },
    );
    (status, body).into_response()
}

#[derive(Deserialize)]
struct StageQ {
    stage: Option<String>,
}

async fn rating_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<StageQ>,
) -> Result<Response, PageError> {
    let fb = st.app.client_feedback(&code).await.or_page(&ctx)?;
    let code = fb.request.tracking_code.clone();
    let back = format!("/status/{code}");
    let stage = q.stage.unwrap_or_default();
    if !fb.ratable.contains(&stage) {
        return Ok(message_page(&ctx, StatusCode::CONFLICT, "fb.not_yet", "fb.not_yet_text", Some(&back)));
    }
    let (mode, f) = match fb.rating(&stage) {
        Some(r) if !editable(r) => return Ok(message_page(&ctx, StatusCode::CONFLICT, "fb.locked_title", "fb.locked", Some(&back))),
        Some(r) => (RateMode::Edit, form_of(r)),
        None => (RateMode::New, FormData::default()),
    };
    let title = format!("{} «{}»", ctx.t("fb.rate"), stage_name(&fb.variant, &stage));
    let action = format!("/status/{code}/rating");
    Ok(form_page(&ctx, &Target { title: &title, action: &action, stage: &stage, back: Some(&back) }, mode, &f, &[]).into_response())
}

/// What a refused rating means for the form: field messages, or the conflict as one.
fn refusal(e: AppError) -> Result<(StatusCode, Vec<FieldError>), AppError> {
    match e {
        AppError::Invalid(inv) => Ok((StatusCode::UNPROCESSABLE_ENTITY, form_errors(inv.0))),
        AppError::Conflict { code, message } if code != "link_used" && code != "link_expired" => {
            Ok((StatusCode::CONFLICT, vec![FieldError { field: "score_time".into(), code, message }]))
        }
        other => Err(other),
    }
}

async fn rate(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(form);
    let mode = if f.get("mode") == "edit" { RateMode::Edit } else { RateMode::New };
    match st.app.rate_by_code(&code, &input_of(&f), mode).await {
        Ok(_) => Ok(Redirect::to(&format!("/status/{}#feedback", code.trim().to_uppercase())).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e).map_err(|e| PageError::new(&ctx, e))?;
            let fb = st.app.client_feedback(&code).await.or_page(&ctx)?;
            let code = fb.request.tracking_code.clone();
            let title = format!("{} «{}»", ctx.t("fb.rate"), stage_name(&fb.variant, f.get("stage")));
            let (action, back) = (format!("/status/{code}/rating"), format!("/status/{code}"));
            let body =
                form_page(&ctx, &Target { title: &title, action: &action, stage: f.get("stage"), back: Some(&back) }, mode, &f, &errors);
            Ok((status, body).into_response())
        }
    }
}

/// A link that cannot be used: 404 when unknown, 410 when used or expired.
fn link_refused(ctx: &Ctx, e: AppError) -> Response {
    match e {
        AppError::Conflict { code: "link_used", .. } => message_page(ctx, StatusCode::GONE, "fb.link_used_title", "fb.link_used", None),
        AppError::Conflict { code: "link_expired", .. } => {
            message_page(ctx, StatusCode::GONE, "fb.link_expired_title", "fb.link_expired", None)
        }
        AppError::NotFound(_) => message_page(ctx, StatusCode::NOT_FOUND, "fb.link_unknown_title", "fb.link_unknown", None),
        other => PageError::new(ctx, other).into_response(),
    }
}

async fn link_form(State(st): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Response {
    match st.app.feedback_link(&token).await {
        Ok((link, _)) => {
            let title = format!("{} «{}»", ctx.t("fb.rate"), link.stage_name);
            let action = format!("/feedback/{}", token.trim());
            form_page(
                &ctx,
                &Target { title: &title, action: &action, stage: &link.stage_key, back: None },
                RateMode::New,
                &FormData::default(),
                &[],
            )
            .into_response()
        }
        Err(e) => link_refused(&ctx, e),
    }
}

async fn rate_by_link(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(form);
    match st.app.rate_by_link(&token, &input_of(&f)).await {
        Ok((link, r)) => page(
            &ctx,
            ctx.t("fb.thanks"),
            &[],
            html! {
                div.notice.notice-success role="status" { h1 { (ctx.t("fb.thanks")) } p { (link.stage_name) } }
                (summary(&ctx, &r))
                p { (ctx.t("fb.thanks_text")) }
            },
        )
        .into_response(),
        Err(e) => match refusal(e) {
            Ok((status, errors)) => match st.app.feedback_link(&token).await {
                Ok((link, _)) => {
                    let title = format!("{} «{}»", ctx.t("fb.rate"), link.stage_name);
                    let action = format!("/feedback/{}", token.trim());
                    let body = form_page(
                        &ctx,
                        &Target { title: &title, action: &action, stage: &link.stage_key, back: None },
                        RateMode::New,
                        &f,
                        &errors,
                    );
                    (status, body).into_response()
                }
                Err(e) => link_refused(&ctx, e),
            },
            Err(e) => link_refused(&ctx, e),
        },
    }
}

/// The follow-up block on the request card: its ratings, and the open follow-up with a
/// form to close it. Empty when the request has no rating.
pub(super) async fn card_section(st: &AppState, actor: &Actor, ctx: &Ctx, id: Id, errors: &[FieldError]) -> Result<Markup, PageError> {
    let (ratings, followups) = st.app.request_ratings(actor, id).await.or_page(ctx)?;
    if ratings.is_empty() && followups.is_empty() {
        return Ok(html! {});
    }
    let open = followups.iter().find(|f| f.closed_at.is_none());
    let errs = Errors { list: errors };
    Ok(html! {
        section.panel #feedback aria-labelledby="feedback-h" {
            h2 #feedback-h { (ctx.t("fb.card_title")) }
            @if let Some(f) = open {
                div.notice.notice-warning role="status" {
                    h3 { (ctx.t("fb.followup_open")) }
                    p { (ctx.t("fb.followup_text")) " " (format::date_time(ctx.lang, &rfc3339(f.opened_at))) }
                    @if actor.may(Action::EditOfferings, Scope::Body(f.body_id)) {
                        form method="post" action={"/followups/" (id) "/close"} novalidate {
                            (csrf_field(ctx))
                            (textarea(ctx, Field { name: "note", label: ctx.t("fb.followup_note"), hint: Some(ctx.t("fb.followup_note_hint")), value: "", required: true }, &errs, 3))
                            div.actions { button.button type="submit" { (ctx.t("fb.followup_close")) } }
                        }
                    } @else {
                        p.hint { (ctx.t("fb.followup_owner_closes")) }
                    }
                }
            }
            @for r in &ratings {
                h3 { (ctx.t("fb.rating_of")) " " @if r.stage_key.is_empty() { (ctx.t("fb.whole")) } @else { "«" (r.stage_key) "»" }
                    " · " (format::date_time(ctx.lang, &rfc3339(r.updated_at))) }
                (summary(ctx, r))
            }
            @for f in followups.iter().filter(|f| f.closed_at.is_some()) {
                p.hint { (ctx.t("fb.followup_closed")) " " (format::date_time(ctx.lang, &rfc3339(f.closed_at.unwrap_or_default()))) ": " (f.note) }
            }
        }
    })
}

async fn close(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let f = FormData(form);
    match st.app.close_followup(&actor, id, f.get("note")).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}#feedback")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let section = card_section(&st, &actor, &ctx, id, &inv.0).await?;
            Ok(refused(page(
                &ctx,
                ctx.t("fb.card_title"),
                &[crumb(format!("/requests/{id}"), ctx.t("rq.request"))],
                html! { (error_summary(&ctx, &inv.0)) (section) },
            )))
        }
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}

#[derive(Deserialize)]
struct BodyQ {
    body: Option<String>,
}

/// The service owner's queue: requests with a rating of 2 or less not yet looked at.
async fn queue(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<BodyQ>,
) -> Result<Response, PageError> {
    let mine = actor.internal_bodies().and_then(|b| b.first().map(|id| id.to_string()));
    let Some(body) = super::choose_body(&st, &ctx, q.body.as_deref().or(mine.as_deref())).await? else {
        return Err(PageError::new(&ctx, AppError::NotFound("body")));
    };
    let list = st.app.followups(&actor, body.id, true).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        ctx.t("fb.queue"),
        &[crumb(format!("/requests?body={}", body.id), ctx.t("rq.title"))],
        html! {
            h1 { (ctx.t("fb.queue")) }
            p { (ctx.t("fb.queue_lead")) }
            @if list.is_empty() {
                p.empty { (ctx.t("fb.queue_empty")) }
            } @else {
                table.responsive {
                    thead { tr { th { (ctx.t("rq.code")) } th { (ctx.t("rq.subject")) } th { (ctx.t("fb.opened")) } } }
                    tbody { @for (f, r) in &list { tr {
                        td data-label=(ctx.t("rq.code")) { a href={"/requests/" (r.id) "#feedback"} { (r.tracking_code) } }
                        td data-label=(ctx.t("rq.subject")) { (r.subject.chars().take(80).collect::<String>()) }
                        td data-label=(ctx.t("fb.opened")) { (format::date_time(ctx.lang, &rfc3339(f.opened_at))) }
                    } } }
                }
            }
        },
    )
    .into_response())
}
