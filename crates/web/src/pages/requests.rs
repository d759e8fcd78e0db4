//! Work queues and the request card for staff: what is at my unit's stages, what is
//! overdue or due soon, and one request's timeline with the moves its stage allows.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, Errors, FormData};
use super::layout::{crumb, page};
use super::{choose_body, parse_id, OrPage, PageError};
use crate::api::requests::{queue_filter, rfc3339, QueueParams};
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::requests::RequestCard;
use okno_app::AppError;
use okno_domain::calendar::{BodyCalendar, DaysLeft};
use okno_domain::request::{Move, Outcome, Phase};
use okno_domain::FieldError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/requests", get(queue)).route("/requests/{id}", get(card)).route("/requests/{id}/move", post(make_move))
}

/// «осталось 3 рабочих дня» / «просрочено на 2 рабочих дня», from a due moment, in the
/// body's own calendar.
fn left(cal: &BodyCalendar, due_ms: i64) -> (String, bool) {
    let now = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let l = cal.days_left(now, due_ms);
    (l.describe(), matches!(l, DaysLeft::Overdue(_)))
}

async fn queue(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<QueueParams>,
) -> Result<Response, PageError> {
    // Without a body asked for, the first body this person works in.
    let mine = actor.internal_bodies().and_then(|b| b.first().map(|id| id.to_string()));
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref().or(mine.as_deref())).await? else {
        return Err(PageError::new(&ctx, AppError::NotFound("body")));
    };
    let q = QueueParams { body: Some(body.id.to_string()), ..q };
    let (filter, page_req) = match queue_filter(&q) {
        Ok(x) => x,
        Err(_) => return Err(PageError::new(&ctx, AppError::NotFound("page"))),
    };
    let list = st.app.requests(&actor, &filter, page_req).await.or_page(&ctx)?;
    let (active, waiting, overdue, soon) = st.app.request_counts(&actor, body.id).await.or_page(&ctx)?;
    let low_ratings = st.app.open_followup_count(&actor, body.id).await.or_page(&ctx)?;
    if let Some(code) = q.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        // Staff find a request by the code a client reads out on the phone.
        let card = st.app.request_status(code).await.or_page(&ctx)?;
        return Ok(Redirect::to(&format!("/requests/{}", card.record.id)).into_response());
    }
    let units = st.app.list_units(body.id).await.or_page(&ctx)?;
    let cal = st.app.body_calendar(body.id).await.or_page(&ctx)?;
    let me = st.app.my_employee(&actor, body.id).await.or_page(&ctx)?;
    let mine = match &me {
        Some(e) => {
            let f =
                okno_app::requests::RequestFilter { body_id: Some(body.id), assignee_id: Some(e.id), active: true, ..Default::default() };
            Some((e.id, st.app.requests(&actor, &f, okno_app::PageRequest { page: 1, per_page: 1 }).await.or_page(&ctx)?.total))
        }
        None => None,
    };
    let assignee = q.assignee.as_deref().unwrap_or("");
    let tab = |key: &str, href: String, n: i64, current: bool| {
        html! {
            li { a href=(href) aria-current=[current.then_some("page")] { (ctx.t(key)) " " span.count { "(" (n) ")" } } }
        }
    };
    let base = format!("/requests?body={}", body.id);
    let due = q.due.as_deref().unwrap_or("");
    let phase = q.phase.as_deref().unwrap_or("");
    Ok(page(
        &ctx,
        ctx.t("rq.title"),
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            h1 { (ctx.t("rq.title")) }
            @if actor.may(okno_app::policy::Action::WorkRequests, okno_app::policy::Scope::Body(body.id)) {
                p { a.button.button-secondary href={"/requests/new?body=" (body.id)} { (ctx.t("intake.title")) } " "
                    a href={"/requests/clarity?body=" (body.id)} { (ctx.t("rq.clarity_link")) } }
            }
            nav.tabs aria-label=(ctx.t("rq.queues")) { ul {
                (tab("rq.active", base.clone(), active, due.is_empty() && phase.is_empty() && q.unit.is_none() && assignee.is_empty()))
                @if let Some((id, n)) = mine { (tab("rq.mine", format!("{base}&assignee={id}"), n, assignee == id.to_string())) }
                (tab("rq.overdue", format!("{base}&due=overdue"), overdue, due == "overdue"))
                (tab("rq.soon", format!("{base}&due=soon"), soon, due == "soon"))
                (tab("rq.waiting", format!("{base}&phase=waiting_for_client"), waiting, phase == "waiting_for_client"))
                (tab("fb.queue", format!("/followups?body={}", body.id), low_ratings, false))
            } }
            form.filters method="get" action="/requests" {
                input type="hidden" name="body" value=(body.id);
                div.field {
                    label.label for="f-code" { (ctx.t("status.code")) }
                    input.w-10 id="f-code" name="code" type="text" autocomplete="off";
                }
                div.field {
                    label.label for="f-unit" { (ctx.t("rq.unit")) }
                    select id="f-unit" name="unit" {
                        option value="" { (ctx.t("rq.all_units")) }
                        @for u in &units { option value=(u.id) selected[q.unit.as_deref() == Some(&u.id.to_string())] { (u.name) } }
                    }
                }
                div.actions { button.button.button-secondary type="submit" { (ctx.t("common.filter")) } }
            }
            @if list.items.is_empty() {
                p.empty { (ctx.t("rq.empty")) }
            } @else {
                p { (ctx.t("rq.found")) " " (list.total) }
                table.responsive {
                    thead { tr { th { (ctx.t("rq.code")) } th { (ctx.t("rq.subject")) } th { (ctx.t("rq.stage")) } th { (ctx.t("rq.phase")) } th { (ctx.t("rq.due")) } } }
                    tbody { @for r in &list.items { tr {
                        td data-label=(ctx.t("rq.code")) { a href={"/requests/" (r.id)} { (r.tracking_code) } }
                        td data-label=(ctx.t("rq.subject")) { (r.subject.chars().take(80).collect::<String>()) }
                        td data-label=(ctx.t("rq.stage")) { (r.state.stage) }
                        td data-label=(ctx.t("rq.phase")) { strong class={"tag tag-" (r.state.phase.code())} { (ctx.label("phase", r.state.phase.code())) } }
                        td data-label=(ctx.t("rq.due")) {
                            @match r.stage_due_at.or(r.due_at) {
                                Some(d) => { @let (text, late) = left(&cal, d); (format::date(ctx.lang, &rfc3339(d))) br; span class=[late.then_some("warning-text")] { (text) } }
                                None => (ctx.t("common.not_set")),
                            }
                        }
                    } } }
                }
            }
        },
    )
    .into_response())
}

/// Who works in the request's body, who "me" is among them, and what was just done.
pub(super) struct People {
    staff: Vec<(okno_domain::Id, String)>,
    me: Option<okno_domain::Id>,
    done: Option<String>,
    /// A draft to the client checked before sending, shown in its form.
    check: Option<DraftCheck>,
    /// The scores of texts already sent to the client.
    scores: Vec<okno_app::requests::ResponseScore>,
    /// The body's calendar: days left are its working days.
    calendar: std::sync::Arc<BodyCalendar>,
}

/// A draft checked for plain language, and the form it belongs to.
pub(super) struct DraftCheck {
    form: String,
    text: String,
    report: okno_app::clarity::Report,
}

/// The forms whose text goes to the client: they can be checked before sending.
const CLIENT_TEXT_FORMS: [&str; 5] = ["rq.close", "rq.refuse", "rq.ask", "rq.extend", "rq.notify"];

/// The score and the findings of a checked draft, beside the text.
fn clarity_panel(ctx: &Ctx, c: &DraftCheck) -> Markup {
    html! {
        div.notice role="status" {
            p { strong { (ctx.t("rq.clarity_score")) " " (format!("{:.1}", c.report.score).replace('.', ",")) " / 10" } }
            @if c.report.findings.is_empty() {
                p { (ctx.t("rq.clarity_clean")) }
            } @else {
                ul {
                    @for f in &c.report.findings {
                        @let quoted: String = c.text.chars().skip(f.start).take(f.end.saturating_sub(f.start)).collect();
                        li { "«" (quoted) "» — " (f.message) @if let Some(s) = &f.suggestion { " " span.hint-inline { (s) } } }
                    }
                }
            }
        }
    }
}

async fn people(st: &AppState, actor: &okno_app::Actor, ctx: &Ctx, c: &RequestCard, done: Option<String>) -> Result<People, PageError> {
    let body = c.record.body_id;
    let staff = st.app.list_employees(actor, body).await.or_page(ctx)?.into_iter().map(|e| (e.id, e.full_name)).collect();
    let me = st.app.my_employee(actor, body).await.or_page(ctx)?.map(|e| e.id);
    let scores = st.app.store().response_scores(c.record.id).await.map_err(|e| PageError::new(ctx, e.into()))?;
    let calendar = st.app.body_calendar(body).await.or_page(ctx)?;
    Ok(People { staff, me, done, check: None, scores, calendar })
}

fn card_page(ctx: &Ctx, c: &RequestCard, offering: &str, errors: &[FieldError], files: Markup, people: &People) -> Markup {
    let r = &c.record;
    let idx = c.variant.stage_index(&r.state.stage).unwrap_or(0);
    let stage = &c.variant.stages[idx];
    let name_of = |k: &str| c.variant.stages.iter().find(|s| s.key == k).map(|s| s.name.clone()).unwrap_or_else(|| k.to_string());
    let errs = Errors { list: errors };
    // The check this page shows, if the person asked to check a draft in this form.
    let checked = |form: &str| people.check.as_ref().filter(|c| c.form == form);
    let move_form = |kind: &str, label: &str, extra: Markup| {
        html! {
            form.move-form method="post" action={"/requests/" (r.id) "/move"} {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(r.version);
                input type="hidden" name="move" value=(kind);
                (extra)
                @if let Some(c) = checked(label) { (clarity_panel(ctx, c)) }
                button.button.button-secondary type="submit" { (ctx.t(label)) }
                @if CLIENT_TEXT_FORMS.contains(&label) {
                    " " button.button.button-secondary name="check" value=(label) type="submit" { (ctx.t("rq.check_text")) }
                }
            }
        }
    };
    let note = |form: &str, name: &str, label: &str| {
        let draft = checked(form).map(|c| c.text.as_str()).unwrap_or("");
        html! {
            div.field {
                label.label for={"f-" (name)} { (ctx.t(label)) }
                @if let Some(e) = errs.for_field(name) { p.error-message { (super::forms::message(ctx, e)) } }
                textarea.w-full id={"f-" (name)} name=(name) rows="2" { (draft) }
            }
        }
    };
    let open = r.state.phase == Phase::Open;
    page(
        ctx,
        &format!("{} {}", ctx.t("rq.request"), r.tracking_code),
        &[crumb(format!("/requests?body={}", r.body_id), ctx.t("rq.title"))],
        html! {
            (error_summary(ctx, errors))
            span.caption { (offering) " · " (c.variant.name) }
            h1 { (ctx.t("rq.request")) " " (r.tracking_code) }
            @if people.done.as_deref() == Some("created") {
                div.notice role="status" { p { (ctx.t("intake.done")) " " strong.code { (r.tracking_code) } } }
            }
            p { strong class={"tag tag-" (r.state.phase.code())} { (ctx.label("phase", r.state.phase.code())) }
                @if let Some(o) = r.state.outcome { " " strong.tag { (ctx.label("outcome", o.code())) } } }
            dl.summary-list {
                div { dt { (ctx.t("rq.stage")) } dd { (stage.name) @if !stage.role.is_empty() { br; span.hint-inline { (stage.role) } } } }
                @if let Some(d) = r.stage_due_at { div { dt { (ctx.t("rq.stage_due")) } dd { (format::date_time(ctx.lang, &rfc3339(d))) " · " (left(&people.calendar, d).0)
                    @if let Some(rule) = &stage.deadline { br; span.hint-inline { (rule.describe()) } } } } }
                @if let Some(d) = r.due_at { div { dt { (ctx.t("rq.total_due")) } dd { (format::date(ctx.lang, &rfc3339(d))) " · " (left(&people.calendar, d).0)
                    @if let Some(rule) = &c.variant.total_deadline { br; span.hint-inline { (rule.describe()) } } } } }
                div { dt { (ctx.t("rq.subject")) } dd { (r.subject) } }
                div { dt { (ctx.t("rq.client")) } dd {
                    (r.client.name)
                    @if let Some(m) = &r.client.email { br; (m) }
                    @if let Some(p) = &r.client.phone { br; (p) }
                    @if let Some(a) = &r.client.address { br; (a) }
                } }
                div { dt { (ctx.t("rq.channel")) } dd { (ctx.label("rqchannel", r.channel.code())) " · " (format::date_time(ctx.lang, &rfc3339(r.created_at))) } }
                @for (f, v) in c.answers() {
                    div { dt { (f.label) } dd { @if f.kind == okno_domain::chain::FieldKind::Checkbox { (ctx.t("form.yes")) } @else { (v) } } }
                }
                div { dt { (ctx.t("rq.assignee")) } dd {
                    @match r.state.assignee.and_then(|a| people.staff.iter().find(|(id, _)| *id == a)) {
                        Some((_, name)) => (name),
                        None => (ctx.t("rq.nobody")),
                    }
                } }
            }
            @if r.state.phase != Phase::Closed {
                h2 { (ctx.t("rq.moves")) }
                div.moves {
                    @if open && idx + 1 < c.variant.stages.len() {
                        (move_form("complete", "rq.complete", html! { p { (ctx.t("rq.next_is")) " " (c.variant.stages[idx + 1].name) } }))
                    }
                    @if open && idx + 1 == c.variant.stages.len() {
                        (move_form("close", "rq.close", html! {
                            div.field { label.label for="f-outcome" { (ctx.t("rq.outcome")) }
                                select id="f-outcome" name="outcome" { @for o in [Outcome::Granted, Outcome::Answered, Outcome::Refused] { option value=(o.code()) { (ctx.label("outcome", o.code())) } } } }
                            (note("rq.close", "reason", "rq.reason"))
                        }))
                    }
                    @if open && stage.may_refuse && idx + 1 < c.variant.stages.len() {
                        (move_form("close", "rq.refuse", html! {
                            input type="hidden" name="outcome" value="refused";
                            (note("rq.refuse", "reason", "rq.reason"))
                        }))
                    }
                    @if open && !stage.may_return_to.is_empty() {
                        (move_form("return", "rq.return", html! {
                            div.field { label.label for="f-to" { (ctx.t("rq.return_to")) }
                                select id="f-to" name="to" { @for k in &stage.may_return_to { option value=(k) { (name_of(k)) } } } }
                            (note("rq.return", "reason", "rq.reason"))
                        }))
                    }
                    @if open { (move_form("ask_client", "rq.ask", note("rq.ask", "message", "rq.ask_what"))) }
                    @if r.state.phase == Phase::WaitingForClient { (move_form("client_answered", "rq.answered", note("rq.answered", "note", "rq.answer_note"))) }
                    @if open && stage.may_suspend { (move_form("suspend", "rq.suspend", note("rq.suspend", "reason", "rq.reason"))) }
                    @if r.state.phase == Phase::Suspended { (move_form("resume", "rq.resume", html! {})) }
                    @if open && r.state.extensions < c.variant.max_extensions {
                        (move_form("extend", "rq.extend", html! {
                            div.field { label.label for="f-days" { (ctx.t("rq.days")) } input.w-5 id="f-days" name="days" type="number" min="1" max=(c.variant.extension_days) value=(c.variant.extension_days); }
                            (note("rq.extend", "reason", "rq.extend_why"))
                        }))
                    }
                    @if let Some(me) = people.me.filter(|m| r.state.assignee != Some(*m)) {
                        (move_form("reassign", "rq.take", html! { input type="hidden" name="employee_id" value=(me); }))
                    }
                    @if !people.staff.is_empty() {
                        (move_form("reassign", "rq.reassign", html! {
                            div.field {
                                label.label for="f-employee_id" { (ctx.t("rq.reassign_to")) }
                                @if let Some(e) = errs.for_field("employee_id") { p.error-message { (super::forms::message(ctx, e)) } }
                                select id="f-employee_id" name="employee_id" {
                                    @for (id, name) in &people.staff { option value=(id) selected[r.state.assignee == Some(*id)] { (name) } }
                                }
                            }
                        }))
                    }
                    (move_form("notify_client", "rq.notify", note("rq.notify", "message", "rq.notify_text")))
                }
            }
            (move_form("comment", "rq.comment", note("rq.comment", "text", "rq.comment_text")))
            (files)
            @if !people.scores.is_empty() {
                h2 { (ctx.t("rq.clarity_sent")) }
                ul.plain {
                    @for sc in &people.scores {
                        li { (format::date_time(ctx.lang, &rfc3339(sc.checked_at))) " · " (ctx.t(match sc.kind.as_str() { "ask_client" => "rq.ask", "notify_client" => "rq.notify", "extend" => "rq.extend", _ => "rq.close" })) " · "
                            strong { (format!("{:.1}", sc.score).replace('.', ",")) " / 10" } }
                    }
                }
            }
            h2 { (ctx.t("rq.timeline")) }
            ol.timeline {
                @for e in &c.events {
                    li {
                        span.when { (format::date_time(ctx.lang, &rfc3339(e.at))) }
                        " " strong { (ctx.label("event", e.kind.code())) } " — " (name_of(&e.stage))
                        @if let Some(t) = &e.to_stage { " → " (name_of(t)) }
                        @if let Some(o) = e.outcome { " · " (ctx.label("outcome", o.code())) }
                        @if let Some(d) = e.days { " · +" (d) }
                        @if !e.note.is_empty() { br; span.note { (e.note) } }
                        br; span.hint-inline { (e.actor) @if e.client_visible { " · " (ctx.t("rq.visible")) } }
                    }
                }
            }
        },
    )
}

#[derive(serde::Deserialize)]
struct CardQ {
    done: Option<String>,
}

async fn card(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<CardQ>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    render_card(&st, &actor, &ctx, id, &[], q.done, None).await
}

fn parse_move(f: &FormData) -> Result<Move, FieldError> {
    let text = |k: &str| f.get(k).to_string();
    Ok(match f.get("move") {
        "complete" => Move::Complete,
        "return" => Move::Return { to: text("to"), reason: text("reason") },
        "ask_client" => Move::AskClient { message: text("message") },
        "client_answered" => Move::ClientAnswered { note: text("note") },
        "suspend" => Move::Suspend { reason: text("reason") },
        "resume" => Move::Resume,
        "reassign" => Move::Reassign {
            employee_id: f.get("employee_id").parse().map_err(|_| FieldError {
                field: "employee_id".into(),
                code: "required",
                message: "choose the employee".into(),
            })?,
        },
        "comment" => Move::Comment { text: text("text") },
        "notify_client" => Move::NotifyClient { message: text("message") },
        "extend" => Move::Extend {
            days: f.get("days").trim().parse().map_err(|_| FieldError {
                field: "days".into(),
                code: "not_a_number",
                message: "a number of days".into(),
            })?,
            reason: text("reason"),
        },
        "close" => Move::Close {
            outcome: Outcome::from_code(f.get("outcome")).ok_or(FieldError {
                field: "outcome".into(),
                code: "not_allowed",
                message: "choose the result".into(),
            })?,
            reason: text("reason"),
        },
        _ => return Err(FieldError { field: "move".into(), code: "not_allowed", message: "unknown move".into() }),
    })
}

/// Which form field a refused move's message belongs beside.
fn field_for(m: &Move) -> &'static str {
    match m {
        Move::AskClient { .. } | Move::NotifyClient { .. } => "message",
        Move::Comment { .. } => "text",
        Move::ClientAnswered { .. } => "note",
        Move::Reassign { .. } => "employee_id",
        _ => "reason",
    }
}

async fn make_move(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let f = FormData(form);
    let version = f.get("version").parse().ok();
    let mv = match parse_move(&f) {
        Ok(m) => m,
        Err(e) => return show_refusal(&st, &actor, &ctx, id, e, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    // «Проверить текст»: the draft is checked and shown again in its form; nothing is sent.
    if let Some(form) = f.opt("check").filter(|c| CLIENT_TEXT_FORMS.contains(c)) {
        let text = okno_app::clarity::client_text(&mv).map(|(_, t)| t.to_string()).unwrap_or_default();
        if text.trim().is_empty() {
            let e = FieldError { field: field_for(&mv).into(), code: "required", message: "write the text first".into() };
            return show_refusal(&st, &actor, &ctx, id, e, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        let report = st.app.check_response(&text).await.or_page(&ctx)?;
        let check = DraftCheck { form: form.to_string(), text, report };
        return Ok(render_card(&st, &actor, &ctx, id, &[], None, Some(check)).await?.into_response());
    }
    match st.app.move_request(&actor, id, version, &mv).await {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}")).into_response()),
        Err(AppError::Conflict { code, message }) => {
            let e = FieldError { field: field_for(&mv).into(), code, message };
            show_refusal(&st, &actor, &ctx, id, e, axum::http::StatusCode::CONFLICT).await
        }
        Err(AppError::Invalid(inv)) => {
            let e = inv.0.into_iter().next().unwrap_or(FieldError { field: "move".into(), code: "invalid", message: String::new() });
            show_refusal(&st, &actor, &ctx, id, e, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}

pub(super) async fn show_refusal(
    st: &AppState,
    actor: &okno_app::Actor,
    ctx: &Ctx,
    id: okno_domain::Id,
    e: FieldError,
    status: axum::http::StatusCode,
) -> Result<Response, PageError> {
    Ok((status, render_card(st, actor, ctx, id, std::slice::from_ref(&e), None, None).await?).into_response())
}

/// The card with everything around it — files, ratings, staff, scores — loaded once, so
/// the plain card, a refused move and a checked draft show the same page.
async fn render_card(
    st: &AppState,
    actor: &okno_app::Actor,
    ctx: &Ctx,
    id: okno_domain::Id,
    errors: &[FieldError],
    done: Option<String>,
    check: Option<DraftCheck>,
) -> Result<Markup, PageError> {
    let c = st.app.request_card(actor, id).await.or_page(ctx)?;
    let offering = st.app.store().get_offering(c.record.offering_id).await.map(|o| o.name).unwrap_or_default();
    let files = super::attachments::card_section(st, actor, ctx, id, errors).await?;
    let files = html! { (super::feedback::card_section(st, actor, ctx, id, &[]).await?) (files) };
    let mut people = people(st, actor, ctx, &c, done).await?;
    people.check = check;
    Ok(card_page(ctx, &c, &offering, errors, files, &people))
}
