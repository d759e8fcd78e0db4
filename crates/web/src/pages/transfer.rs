//! Import and export of a body's catalogue as XLSX or CSV.

use super::ctx::Ctx;
use super::layout::{crumb, page};
use super::{choose_body, parse_id, refused, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use okno_app::transfer::{Column, Format};
use okno_app::AppError;
use okno_domain::org::Body;
use okno_domain::FieldError;
use serde::Deserialize;

pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/transfer", get(view))
        .route("/bodies/{id}/catalogue.xlsx", get(export_xlsx))
        .route("/bodies/{id}/catalogue.csv", get(export_csv))
        .route("/bodies/{id}/import", post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)))
        // The export holds drafts and the page is for loading data: editors only.
        .route_layer(axum::middleware::from_fn(super::editors_only))
}

#[derive(Deserialize)]
struct Q {
    body: Option<String>,
}

/// Row errors read as «Строка 5, Подразделение: нет такой записи в органе: «…»». The
/// importer's messages are English fallbacks; the code picks the translation and the
/// value it names («…») is carried over.
fn row_message(ctx: &Ctx, e: &FieldError) -> String {
    let named = e.message.split('«').nth(1).and_then(|rest| rest.split('»').next());
    let key = format!("imp.{}", e.code);
    let text =
        if crate::i18n::has_key(&key) { ctx.lang.t(&key).replace("{value}", named.unwrap_or("")) } else { super::forms::message(ctx, e) };
    match e.field.strip_prefix("rows[").and_then(|r| r.split_once(']')) {
        Some((row, rest)) => {
            let code = rest.trim_start_matches('.');
            let col = match (Column::from_code(code), ctx.lang) {
                (Some(c), crate::i18n::Lang::Ru) => c.title(),
                _ => code,
            };
            let sep = if col.is_empty() { String::new() } else { format!(", {col}") };
            format!("{} {row}{sep}: {text}", ctx.t("tr.row"))
        }
        None => text,
    }
}

fn view_page(ctx: &Ctx, body: &Body, errors: &[FieldError], done: Option<(usize, usize)>) -> Markup {
    page(
        ctx,
        ctx.t("tr.title"),
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            @if !errors.is_empty() {
                div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 #error-summary-title { (ctx.t("err.summary")) }
                    ul { @for e in errors.iter().take(200) { li { a href="#f-file" { (row_message(ctx, e)) } } } }
                }
            }
            @if let Some((c, u)) = done {
                div.notice.notice-success role="status" { p { (ctx.t("tr.done").replace("{created}", &c.to_string()).replace("{updated}", &u.to_string())) } }
            }
            h1 { (ctx.t("tr.title")) span.caption { (body.name) } }
            p.lead { (ctx.t("tr.lead")) }
            h2 { (ctx.t("tr.export")) }
            ul {
                li { a href={"/bodies/" (body.id) "/catalogue.xlsx"} download { (ctx.t("tr.xlsx")) } }
                li { a href={"/bodies/" (body.id) "/catalogue.csv"} download { (ctx.t("tr.csv")) } }
            }
            h2 { (ctx.t("tr.import")) }
            form method="post" action={"/bodies/" (body.id) "/import" (super::forms::csrf_query(ctx))} enctype="multipart/form-data" {
                div.form-group.has-error[!errors.is_empty()] {
                    label.label for="f-file" { (ctx.t("tr.file")) }
                    div.hint #f-file-hint { (ctx.t("tr.file.hint")) }
                    input.file #f-file type="file" name="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" aria-describedby="f-file-hint";
                }
                button.button type="submit" { (ctx.t("tr.import")) }
            }
        },
    )
}

async fn view(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Ok(page(&ctx, ctx.t("tr.title"), &[], html! { h1 { (ctx.t("tr.title")) } p.empty { (ctx.t("home.empty")) } }));
    };
    actor.require_in(okno_app::policy::Action::EditOfferings, body.id).or_page(&ctx)?;
    Ok(view_page(&ctx, &body, &[], None))
}

pub fn download(bytes: Vec<u8>, format: Format, name: &str) -> Response {
    let (mime, ext) = match format {
        Format::Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{ext}\""))], bytes)
        .into_response()
}

async fn export(st: AppState, actor: okno_app::Actor, ctx: Ctx, id: String, format: Format) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let bytes = st.app.export_catalogue(&actor, id, format).await.or_page(&ctx)?;
    Ok(download(bytes, format, "catalogue"))
}

async fn export_xlsx(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    export(st, actor, ctx, id, Format::Xlsx).await
}

async fn export_csv(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    export(st, actor, ctx, id, Format::Csv).await
}

async fn import(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let body = st.app.body(id).await.or_page(&ctx)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b.to_vec())),
                Err(_) => {
                    return Ok(refused(view_page(
                        &ctx,
                        &body,
                        &[FieldError { field: "file".into(), code: "file_too_large", message: ctx.t("tr.file.hint").into() }],
                        None,
                    )))
                }
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(refused(view_page(
            &ctx,
            &body,
            &[FieldError { field: "file".into(), code: "no_file", message: ctx.t("tr.no_file").into() }],
            None,
        )));
    };
    let Some(format) = Format::from_extension_or_name(&name) else {
        return Ok(refused(view_page(
            &ctx,
            &body,
            &[FieldError { field: "file".into(), code: "bad_file_type", message: ctx.t("tr.bad_type").into() }],
            None,
        )));
    };
    match st.app.import_catalogue(&actor, id, format, &bytes).await {
        Ok(report) => Ok(view_page(&ctx, &body, &[], Some((report.created, report.updated))).into_response()),
        Err(AppError::Invalid(inv)) => Ok(refused(view_page(&ctx, &body, &inv.0, None))),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}
