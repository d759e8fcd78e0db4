//! Files on the request card (staff) and on the status page (the client). Uploads are
//! multipart forms, so their CSRF token rides in the action's query (`csrf_query`); a
//! refused file shows the card or the status page again with the message beside the
//! field, and a success goes back to the list.

use super::ctx::Ctx;
use super::forms::{csrf_query, message};
use super::{parse_id, OrPage, PageError};
use crate::api::attachments::{download_response, read_upload, Upload, UPLOAD_LIMIT};
use crate::api::requests::{rfc3339, StatusView};
use crate::format;
use crate::i18n::Lang;
use crate::state::{AppState, CurrentActor};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use okno_app::attachments::{size_text, AttachmentRecord, FileType, CLIENT, MAX_FILES};
use okno_app::AppError;
use okno_domain::{FieldError, Id};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests/{id}/attachments", post(staff_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/requests/{id}/attachments/{aid}", get(staff_download))
        .route("/status/{code}/attachments", post(client_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/status/{code}/attachments/{aid}", get(client_download))
}

/// «1,2 МБ» / «1.2 MB».
fn size(ctx: &Ctx, n: i64) -> String {
    size_text(n, [ctx.t("att.bytes"), ctx.t("att.kb"), ctx.t("att.mb")], ctx.lang == Lang::Ru)
}

/// PDF, PNG, DOCX…: the type found on upload, in words people know.
fn kind(media_type: &str) -> &'static str {
    FileType::from_media_type(media_type).map(FileType::label).unwrap_or("")
}

/// A refusal in the page's language: the summary at the top of the card or the status
/// page shows `message` for codes it has no text of its own for.
fn localised(ctx: &Ctx, e: FieldError) -> FieldError {
    let key = format!("att.err.{}", e.code);
    let text = if crate::i18n::has_key(&key) { ctx.lang.t(&key).replace("{max}", &MAX_FILES.to_string()) } else { e.message };
    FieldError { field: "file".into(), code: e.code, message: text }
}

/// The file field with its label, hint and message: the same on the card and the status page.
fn file_field(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    let err = errors.iter().find(|e| e.field == "file");
    html! {
        div.form-group.has-error[err.is_some()] {
            label.label for="f-file" { (ctx.t("att.file")) }
            div.hint #f-file-hint { (ctx.t("att.file.hint").replace("{max}", &MAX_FILES.to_string())) }
            @if let Some(e) = err { p.error-message #f-file-error { (message(ctx, e)) } }
            input.file #f-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.txt"
                aria-describedby=(if err.is_some() { "f-file-hint f-file-error" } else { "f-file-hint" });
        }
    }
}

/// The request card's files: the list with download links, and the form to add one.
pub fn section(ctx: &Ctx, request_id: Id, list: &[AttachmentRecord], errors: &[FieldError]) -> Markup {
    html! {
        section aria-labelledby="attachments" {
            h2 #attachments { (ctx.t("att.title")) }
            @if list.is_empty() {
                p.empty { (ctx.t("att.empty")) }
            } @else {
                table.responsive {
                    thead { tr { th { (ctx.t("att.name")) } th { (ctx.t("att.size")) } th { (ctx.t("att.who")) } th { (ctx.t("att.when")) } } }
                    tbody { @for a in list { tr {
                        td data-label=(ctx.t("att.name")) {
                            a href={"/requests/" (request_id) "/attachments/" (a.id)} download { (a.name) }
                            @if a.client_visible { br; span.hint-inline { (ctx.t("att.visible")) } }
                        }
                        td data-label=(ctx.t("att.size")) { (kind(&a.media_type)) ", " (size(ctx, a.size)) }
                        td data-label=(ctx.t("att.who")) {
                            @if a.uploaded_by == CLIENT { (ctx.t("att.by_client")) } @else { (ctx.t("att.by_staff")) br; span.hint-inline { (a.uploaded_by) } }
                        }
                        td data-label=(ctx.t("att.when")) { (format::date_time(ctx.lang, &rfc3339(a.created_at))) }
                    } } }
                }
            }
            @if list.len() >= MAX_FILES {
                p { (ctx.t("att.full").replace("{max}", &MAX_FILES.to_string())) }
            } @else {
                form method="post" action={"/requests/" (request_id) "/attachments" (csrf_query(ctx))} enctype="multipart/form-data" novalidate {
                    (file_field(ctx, errors))
                    div.form-group { div.checkbox {
                        input #f-client_visible type="checkbox" name="client_visible" value="true";
                        label for="f-client_visible" { (ctx.t("att.show_client")) }
                    } }
                    button.button.button-secondary type="submit" { (ctx.t("att.attach")) }
                }
            }
        }
    }
}

/// The card's section for a request, with `errors` beside the file field.
pub async fn card_section(
    st: &AppState,
    actor: &okno_app::Actor,
    ctx: &Ctx,
    request_id: Id,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    let list = st.app.attachments(actor, request_id).await.or_page(ctx)?;
    Ok(section(ctx, request_id, &list, errors))
}

/// The status page's files: those the body shows the client, those the client sent
/// (without names: the page carries no personal data), and — only while the request
/// waits for the client — the form to send one.
pub async fn status_section(st: &AppState, ctx: &Ctx, v: &StatusView, errors: &[FieldError]) -> Markup {
    let files = st.app.client_attachments(&v.tracking_code).await.unwrap_or_default();
    let file_error = errors.iter().find(|e| e.field == "file");
    if files.from_body.is_empty() && files.sent.is_empty() && !v.waiting_for_you && file_error.is_none() {
        return html! {};
    }
    html! {
        section aria-labelledby="attachments" {
            h2 #attachments { (ctx.t("att.title")) }
            @if !files.from_body.is_empty() {
                h3 { (ctx.t("att.from_body")) }
                ul { @for a in &files.from_body { li {
                    a href={"/status/" (v.tracking_code) "/attachments/" (a.id)} download { (a.name) }
                    " — " (kind(&a.media_type)) ", " (size(ctx, a.size))
                } } }
            }
            @if !files.sent.is_empty() {
                h3 { (ctx.t("att.sent")) }
                ul { @for s in &files.sent { li {
                    (kind(&s.media_type)) ", " (size(ctx, s.size)) " — " (format::date_time(ctx.lang, &rfc3339(s.created_at)))
                } } }
            }
            @if v.waiting_for_you {
                form method="post" action={"/status/" (v.tracking_code) "/attachments" (csrf_query(ctx))} enctype="multipart/form-data" novalidate {
                    (file_field(ctx, errors))
                    button.button.button-secondary type="submit" { (ctx.t("att.send")) }
                }
            } @else if let Some(e) = file_error {
                // The form is gone (the request no longer waits): the message stands alone.
                p.error-message #f-file { (message(ctx, e)) }
            }
        }
    }
}

/// The upload of a multipart form, or why there is none.
async fn upload_of(mp: Result<Multipart, MultipartRejection>) -> Result<Upload, FieldError> {
    match mp {
        Ok(mp) => read_upload(mp).await,
        Err(_) => Err(FieldError { field: "file".into(), code: "no_file", message: "choose a file".into() }),
    }
}

/// A refused upload as one field error for the form, with the status to answer with.
fn refusal(ctx: &Ctx, e: AppError) -> Result<(FieldError, StatusCode), AppError> {
    match e {
        AppError::Invalid(inv) => {
            let first = inv.0.into_iter().next().unwrap_or(FieldError { field: "file".into(), code: "invalid", message: String::new() });
            Ok((localised(ctx, first), StatusCode::UNPROCESSABLE_ENTITY))
        }
        AppError::Conflict { code, message } => {
            Ok((localised(ctx, FieldError { field: "file".into(), code, message }), StatusCode::CONFLICT))
        }
        other => Err(other),
    }
}

async fn staff_upload(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    // Who may, before the upload is read.
    st.app.may_attach(&actor, id).await.or_page(&ctx)?;
    let result = match upload_of(mp).await {
        Ok(u) => st.app.attach(&actor, id, &u.name, &u.bytes, u.client_visible).await.map(|_| ()),
        Err(e) => Err(okno_domain::Invalid(vec![e]).into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}#attachments")).into_response()),
        Err(e) => {
            let (e, status) = refusal(&ctx, e).or_page(&ctx)?;
            super::requests::show_refusal(&st, &actor, &ctx, id, e, status).await
        }
    }
}

async fn staff_download(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path((id, aid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, aid) = (parse_id(&ctx, &id)?, parse_id(&ctx, &aid)?);
    Ok(download_response(st.app.attachment(&actor, id, aid).await.or_page(&ctx)?))
}

async fn client_upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    // A closed request refuses before the upload is read.
    let result = match st.app.client_may_attach(&code).await {
        Ok(r) => match upload_of(mp).await {
            Ok(u) => st.app.attach_by_client(&r.tracking_code, &u.name, &u.bytes).await.map(|_| r.tracking_code),
            Err(e) => Err(okno_domain::Invalid(vec![e]).into()),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(code) => Ok(Redirect::to(&format!("/status/{code}#attachments")).into_response()),
        Err(AppError::Invalid(inv)) if inv.0.iter().any(|e| e.field == "code") => Err(PageError::new(&ctx, AppError::NotFound("request"))),
        Err(e) => {
            let (e, status) = refusal(&ctx, e).or_page(&ctx)?;
            let mut page = super::status::status_page(&st, &ctx, &code, false, &[e]).await;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}

async fn client_download(State(st): State<AppState>, ctx: Ctx, Path((code, aid)): Path<(String, String)>) -> Result<Response, PageError> {
    let aid = parse_id(&ctx, &aid)?;
    Ok(download_response(st.app.client_attachment(&code, aid).await.or_page(&ctx)?))
}
