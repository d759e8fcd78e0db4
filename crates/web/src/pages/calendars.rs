//! A body's business calendar: the year as twelve month tables (public), and the form
//! where an administrator or unit head sets the time zone, working hours and the body's
//! regional lines, typed or uploaded as a .txt file.

use super::ctx::Ctx;
use super::forms::{csrf_query, field_id, Errors, Field, FormData};
use super::layout::{crumb, notice, page};
use super::{parse_id, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::calendars::{BodyCalendar, BodyCalendarInput, CalendarDay, CalendarView};
use okno_app::policy::{Action, Scope};
use okno_app::{Actor, AppError};
use okno_domain::calendar::{offset_label, time_text, DayKind, ProductionCalendar, RUSSIAN_OFFSETS};
use okno_domain::org::Body;
use okno_domain::FieldError;
use serde::Deserialize;
use time::Month;

pub fn routes() -> Router<AppState> {
    let editing =
        Router::new().route("/bodies/{id}/calendar/edit", get(edit).post(save)).route_layer(axum::middleware::from_fn(super::editors_only));
    Router::new().route("/bodies/{id}/calendar", get(view)).merge(editing)
}

#[derive(Deserialize, Default)]
struct Q {
    year: Option<String>,
    done: Option<String>,
}

/// «UTC+3 — Москва, Санкт-Петербург, Казань»; offsets outside Russia by number alone.
fn zone_label(ctx: &Ctx, minutes: i32) -> String {
    if RUSSIAN_OFFSETS.contains(&minutes) {
        format!("{} — {}", offset_label(minutes), ctx.t(&format!("cal.zone.{minutes}")))
    } else {
        offset_label(minutes)
    }
}

fn hours_text(ctx: &Ctx, cal: &BodyCalendar) -> String {
    ctx.t("cal.hours_value").replace("{start}", &time_text(cal.hours.start())).replace("{end}", &time_text(cal.hours.end()))
}

fn kind_tag(ctx: &Ctx, kind: DayKind) -> Markup {
    // Working days carry no letter in the grid, so none here either.
    html! {
        span class={"cal-key cal-" (kind.code())} {
            @if kind != DayKind::Working { span.cal-mark aria-hidden="true" { (ctx.label("cal.mark", kind.code())) } " " }
            (ctx.label("cal.kind", kind.code()))
        }
    }
}

/// The covered years as «2025–2027», for the hint under the overlay.
fn covered_years() -> String {
    let years: Vec<i32> = ProductionCalendar::russia().covered_years().collect();
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// One month as a table: a caption, weekday headers, a row per week. Each day shows its
/// number, a letter for its kind (with the word for screen readers) and colour, so the
/// kind never rests on colour alone; a day the body's own lines decide is starred.
fn month_table(ctx: &Ctx, year: i32, month: Month, days: &[&CalendarDay]) -> Markup {
    let Some(first) = days.first() else { return html! {} };
    let lead = first.date.weekday().number_days_from_monday() as usize;
    let mut cells: Vec<Option<&CalendarDay>> = vec![None; lead];
    cells.extend(days.iter().copied().map(Some));
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let noted: Vec<&CalendarDay> = days.iter().copied().filter(|d| d.note.is_some()).collect();
    html! {
        div.cal-month {
            table.cal-table {
                caption { (ctx.label("cal.month", &(month as u8).to_string())) " " (year) }
                thead { tr { @for wd in 1..=7 { th scope="col" { abbr title=(ctx.label("cal.wday", &wd.to_string())) { (ctx.label("cal.wd", &wd.to_string())) } } } } }
                tbody {
                    @for week in cells.chunks(7) {
                        tr {
                            @for cell in week {
                                @match cell {
                                    None => { td.cal-empty {} }
                                    Some(d) => {
                                      @let class = format!("cal-day cal-{}{}", d.kind.code(), if d.regional { " cal-regional" } else { "" });
                                      td class=(class) {
                                        span.cal-num { (d.date.day()) }
                                        @if d.kind != DayKind::Working { span.cal-mark aria-hidden="true" { (ctx.label("cal.mark", d.kind.code())) } }
                                        @if d.regional { span.cal-star aria-hidden="true" { "*" } }
                                        span.visually-hidden {
                                            ", " (ctx.label("cal.kind", d.kind.code()))
                                            @if d.regional { ", " (ctx.t("cal.regional")) }
                                            @if let Some(n) = &d.note { ": " (n) }
                                        }
                                      }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !noted.is_empty() {
                ul.cal-notes {
                    @for d in noted {
                        li {
                            strong { (d.date.day()) } " — " (ctx.label("cal.kind", d.kind.code())) ": " (d.note.as_deref().unwrap_or(""))
                            @if d.regional { " (" (ctx.t("cal.regional")) ")" }
                        }
                    }
                }
            }
        }
    }
}

fn view_page(ctx: &Ctx, body: &Body, v: &CalendarView, may_edit: bool, done: Option<&str>) -> Markup {
    let y = &v.year;
    let cal = &v.calendar;
    let title = ctx.t("cal.title");
    let months: Vec<(Month, Vec<&CalendarDay>)> =
        (1..=12u8).filter_map(|m| Month::try_from(m).ok()).map(|m| (m, y.days.iter().filter(|d| d.date.month() == m).collect())).collect();
    let base = format!("/bodies/{}/calendar", body.id);
    page(
        ctx,
        title,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            (notice(ctx, done))
            h1 { (title) " " (y.year) span.caption { (body.name) } }
            p.lead { (ctx.t("cal.lead")) }
            nav.pagination aria-label=(ctx.t("cal.years")) {
                @if y.year > 2000 { a href={(base) "?year=" (y.year - 1)} rel="prev" { "← " (y.year - 1) } }
                @if y.year < 2100 { a href={(base) "?year=" (y.year + 1)} rel="next" { (y.year + 1) " →" } }
            }
            dl.summary-list {
                div { dt { (ctx.t("cal.zone")) } dd { (zone_label(ctx, cal.offset_minutes())) } }
                div { dt { (ctx.t("cal.hours")) } dd { (hours_text(ctx, cal)) } }
                div { dt { (ctx.t("cal.status")) } dd { (ctx.label("cal.status", y.status)) } }
                div { dt { (ctx.t("cal.working_days")) } dd { (y.working_days) @if y.short_days > 0 { " (" (ctx.t("cal.short_days")) ": " (y.short_days) ")" } } }
                div { dt { (ctx.t("cal.days_off")) } dd { (y.days_off) } }
                div { dt { (ctx.t("cal.norm_hours")) } dd { (y.norm_hours_40) } }
                div { dt { (ctx.t("cal.window_hours")) } dd { (y.window_hours) } }
            }
            @if may_edit { p { a.button href={(base) "/edit"} { (ctx.t("cal.edit")) } } }
            h2 { (ctx.t("cal.legend")) }
            p.legend {
                @for k in DayKind::ALL { (kind_tag(ctx, *k)) }
                span.cal-key.cal-regional { span.cal-star aria-hidden="true" { "*" } " " (ctx.t("cal.regional_key")) }
            }
            div.cal-months {
                @for (m, days) in &months { (month_table(ctx, y.year, *m, days)) }
            }
            h2 { (ctx.t("cal.overlay_title")) }
            @if cal.overlay.is_empty() { p.empty { (ctx.t("cal.overlay_empty")) } } @else { pre.json { (cal.overlay) } }
            p { a href="/api/v1/calendar/russia" { (ctx.t("cal.federal_file")) } }
        },
    )
}

async fn view(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Q>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let body = st.app.body(id).await.or_page(&ctx)?;
    // A year that is not a number is a page that does not exist, like a bad id.
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i32>().map_err(|_| PageError::new(&ctx, AppError::NotFound("page")))?),
    };
    let v = st.app.calendar_view(id, year).await.or_page(&ctx)?;
    Ok(view_page(&ctx, &body, &v, actor.may(Action::EditStructure, Scope::Body(id)), q.done.as_deref()))
}

// ---- the form ----

/// Errors in the page's language: each bad overlay line as «Строка 3: …».
fn localise(ctx: &Ctx, errors: &[FieldError], overlay: &str) -> Vec<FieldError> {
    let lines = match ProductionCalendar::russia().with_regional_overlay(overlay) {
        Err(e) if errors.iter().any(|f| f.code == "calendar_line") => e.0,
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for e in errors {
        if e.code == "calendar_line" {
            continue;
        }
        let key = format!("cal.err.{}", e.code);
        let message = if crate::i18n::has_key(&key) { ctx.lang.t(&key).to_string() } else { super::forms::message(ctx, e) };
        out.push(FieldError { field: e.field.clone(), code: "cal", message });
    }
    for l in lines {
        let text = match ctx.lang {
            crate::i18n::Lang::Ru => l.problem.ru(),
            crate::i18n::Lang::En => l.problem.to_string(),
        };
        out.push(FieldError { field: "overlay".into(), code: "cal", message: format!("{} {}: {text}", ctx.t("cal.line"), l.line) });
    }
    out
}

/// Every message for one field, beside it; `name` gives the block the id the field's
/// `aria-describedby` names.
fn field_errors(ctx: &Ctx, name: &str, errors: &[&FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div id={(field_id(name)) "-error"} {
                @for e in errors {
                    p.field-error { span.visually-hidden { (ctx.t("err.prefix")) " " } (e.message) }
                }
            }
        }
    }
}

/// The hint, and the errors when there are some, for `aria-describedby`.
fn described_by(name: &str, errors: &[&FieldError]) -> String {
    let id = field_id(name);
    if errors.is_empty() {
        format!("{id}-hint")
    } else {
        format!("{id}-hint {id}-error")
    }
}

fn edit_form(ctx: &Ctx, body: &Body, f: &FormData, errors: &[FieldError]) -> Markup {
    let title = ctx.t("cal.edit_title");
    let errs = Errors { list: errors };
    let offset: i32 = f.get("utc_offset_minutes").parse().unwrap_or(okno_domain::calendar::DEFAULT_OFFSET_MINUTES);
    let mut zones: Vec<i32> = RUSSIAN_OFFSETS.to_vec();
    if !zones.contains(&offset) {
        zones.push(offset);
        zones.sort_unstable();
    }
    let of = |name: &str| -> Vec<&FieldError> { errors.iter().filter(|e| super::forms::form_field(&e.field) == name).collect() };
    let (zone_errs, overlay_errs, file_errs) = (of("utc_offset_minutes"), of("overlay"), of("file"));
    let field = |name: &'static str, label: &'static str, hint: &'static str| Field {
        name,
        label: ctx.t(label),
        hint: Some(ctx.t(hint)),
        value: f.get(name),
        required: true,
    };
    let overlay_hint = ctx.t("cal.f.overlay.hint").replace("{years}", &covered_years());
    page(
        ctx,
        title,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/bodies/{}/calendar", body.id), ctx.t("cal.title"))],
        html! {
            @if !errors.is_empty() {
                div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 #error-summary-title { (ctx.t("err.summary")) }
                    ul { @for e in errors.iter().take(200) { li { a href={"#" (field_id(&super::forms::form_field(&e.field)))} { (e.message) } } } }
                }
            }
            h1 { (title) span.caption { (body.name) } }
            // Multipart, so the same form takes a typed text or an uploaded file without
            // JavaScript; the CSRF token rides in the query, as the check reads it there.
            form method="post" action={"/bodies/" (body.id) "/calendar/edit" (csrf_query(ctx))} enctype="multipart/form-data" novalidate {
                input type="hidden" name="version" value=(f.get("version"));
                div.form-group.has-error[!zone_errs.is_empty()] {
                    label.label for=(field_id("utc_offset_minutes")) { (ctx.t("cal.zone")) }
                    div.hint id={(field_id("utc_offset_minutes")) "-hint"} { (ctx.t("cal.f.zone.hint")) }
                    (field_errors(ctx, "utc_offset_minutes", &zone_errs))
                    select.select id=(field_id("utc_offset_minutes")) name="utc_offset_minutes" aria-describedby=(described_by("utc_offset_minutes", &zone_errs))
                        aria-invalid=[(!zone_errs.is_empty()).then_some("true")] {
                        @for z in &zones { option value=(z) selected[*z == offset] { (zone_label(ctx, *z)) } }
                    }
                }
                (super::forms::text_input(ctx, field("work_start", "cal.f.work_start", "cal.f.work_start.hint"), &errs, "text", "w-5"))
                (super::forms::text_input(ctx, field("work_end", "cal.f.work_end", "cal.f.work_end.hint"), &errs, "text", "w-5"))
                div.form-group.has-error[!overlay_errs.is_empty()] {
                    label.label for=(field_id("overlay")) { (ctx.t("cal.f.overlay")) " " span.optional { "(" (ctx.t("common.optional")) ")" } }
                    div.hint id={(field_id("overlay")) "-hint"} { (overlay_hint) }
                    (field_errors(ctx, "overlay", &overlay_errs))
                    textarea.textarea.cal-overlay id=(field_id("overlay")) name="overlay" rows="12" spellcheck="false"
                        aria-describedby=(described_by("overlay", &overlay_errs)) aria-invalid=[(!overlay_errs.is_empty()).then_some("true")] { (f.get("overlay")) }
                }
                div.form-group.has-error[!file_errs.is_empty()] {
                    label.label for=(field_id("file")) { (ctx.t("cal.f.file")) " " span.optional { "(" (ctx.t("common.optional")) ")" } }
                    div.hint id={(field_id("file")) "-hint"} { (ctx.t("cal.f.file.hint")) }
                    (field_errors(ctx, "file", &file_errs))
                    input.file id=(field_id("file")) type="file" name="file" accept=".txt,text/plain" aria-describedby=(described_by("file", &file_errs))
                        aria-invalid=[(!file_errs.is_empty()).then_some("true")];
                }
                div.actions {
                    button.button type="submit" { (ctx.t("common.save")) }
                    " " a href={"/bodies/" (body.id) "/calendar"} { (ctx.t("cal.back")) }
                }
            }
            p { a href="/api/v1/calendar/russia" { (ctx.t("cal.federal_file")) } }
        },
    )
}

/// The form filled from the stored calendar.
fn form_of(version: i64, cal: &BodyCalendar) -> FormData {
    FormData(vec![
        ("version".into(), version.to_string()),
        ("utc_offset_minutes".into(), cal.offset_minutes().to_string()),
        ("work_start".into(), time_text(cal.hours.start())),
        ("work_end".into(), time_text(cal.hours.end())),
        ("overlay".into(), cal.overlay.clone()),
    ])
}

/// The body, checked first: someone who may not edit it sees no form and learns nothing.
async fn editable_body(st: &AppState, actor: &Actor, ctx: &Ctx, id: &str) -> Result<Body, PageError> {
    let id = parse_id(ctx, id)?;
    let body = st.app.body(id).await.or_page(ctx)?;
    actor.require_in(Action::EditStructure, id).or_page(ctx)?;
    Ok(body)
}

async fn edit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let body = editable_body(&st, &actor, &ctx, &id).await?;
    let (version, cal) = st.app.body_calendar_versioned(body.id).await.or_page(&ctx)?;
    Ok(edit_form(&ctx, &body, &form_of(version, &cal), &[]))
}

/// The posted fields and the uploaded file, from a multipart form (the page's own) or
/// a plain urlencoded one (a client without file upload).
async fn read_form(req: Request) -> Option<(FormData, Option<Vec<u8>>)> {
    let multipart =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(req, &()).await.ok()?;
        return Some((FormData(fields), None));
    }
    let mut mp = Multipart::from_request(req, &()).await.ok()?;
    let (mut fields, mut file) = (Vec::new(), None);
    while let Some(field) = mp.next_field().await.ok()? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.ok()?;
        if name == "file" {
            // A browser sends an empty part when no file was chosen.
            if !bytes.is_empty() {
                file = Some(bytes.to_vec());
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Some((FormData(fields), file))
}

fn refused_with(status: StatusCode, markup: Markup) -> Response {
    (status, markup).into_response()
}

async fn save(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let body = editable_body(&st, &actor, &ctx, &id).await?;
    let Some((mut f, file)) = read_form(req).await else {
        let err = FieldError { field: "file".into(), code: "cal", message: ctx.t("cal.err.unreadable").into() };
        let (version, cal) = st.app.body_calendar_versioned(body.id).await.or_page(&ctx)?;
        return Ok(refused_with(StatusCode::UNPROCESSABLE_ENTITY, edit_form(&ctx, &body, &form_of(version, &cal), &[err])));
    };
    if let Some(bytes) = file {
        // The file replaces the typed text, and is shown in the field if it is refused.
        match String::from_utf8(bytes) {
            Ok(text) => {
                f.0.retain(|(k, _)| k != "overlay");
                f.0.push(("overlay".into(), text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()));
            }
            Err(_) => {
                let err = FieldError { field: "file".into(), code: "cal", message: ctx.t("cal.err.not_utf8").into() };
                return Ok(refused_with(StatusCode::UNPROCESSABLE_ENTITY, edit_form(&ctx, &body, &f, &[err])));
            }
        }
    }
    let input = BodyCalendarInput {
        overlay: f.get("overlay").to_string(),
        // Not a number: out of range, so the offset's own message is shown.
        utc_offset_minutes: f.opt("utc_offset_minutes").map(|v| v.parse().unwrap_or(i32::MAX)),
        work_start: f.opt("work_start").map(str::to_string),
        work_end: f.opt("work_end").map(str::to_string),
        version: f.opt("version").and_then(|v| v.parse().ok()),
    };
    match st.app.save_body_calendar(&actor, body.id, &input).await {
        Ok(_) => Ok(super::see_other(&format!("/bodies/{}/calendar", body.id), "saved")),
        Err(AppError::Invalid(inv)) => {
            let errors = localise(&ctx, &inv.0, f.get("overlay"));
            Ok(refused_with(StatusCode::UNPROCESSABLE_ENTITY, edit_form(&ctx, &body, &f, &errors)))
        }
        Err(AppError::Conflict { code: "stale_version", .. }) => {
            // Their text stays, with the current version: they compare and save again on purpose.
            let (version, _) = st.app.body_calendar_versioned(body.id).await.or_page(&ctx)?;
            f.0.retain(|(k, _)| k != "version");
            f.0.push(("version".into(), version.to_string()));
            let err = FieldError { field: "overlay".into(), code: "cal", message: ctx.t("err.stale_version").into() };
            Ok(refused_with(StatusCode::CONFLICT, edit_form(&ctx, &body, &f, &[err])))
        }
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}
