//! «Проверка текста»: paste or upload a document, see every finding marked in place with
//! what to change, and the score. Anyone may use it; nothing is stored.

use super::ctx::Ctx;
use super::forms::{csrf_query, error_summary, Errors};
use super::layout::page;
use super::{refused, PageError};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use okno_app::clarity::{DocumentFormat, DocumentInput, Report};
use okno_app::AppError;
use okno_domain::FieldError;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/clarity",
        get(form).post(check).layer(axum::extract::DefaultBodyLimit::max(okno_app::clarity::MAX_DOCUMENT_BYTES + 64 * 1024)),
    )
}

fn clarity_page(ctx: &Ctx, text: &str, letter: bool, errors: &[FieldError], report: Option<&Report>) -> Markup {
    let errs = Errors { list: errors };
    let text_err = errs.for_field("text").or(errs.for_field("file"));
    page(
        ctx,
        ctx.t("cl.title"),
        &[],
        html! {
            (error_summary(ctx, errors))
            h1 { (ctx.t("cl.title")) }
            p { (ctx.t("cl.lead")) }
            @if let Some(r) = report { (results(ctx, text, r)) }
            form method="post" action={"/clarity" (csrf_query(ctx))} enctype="multipart/form-data" novalidate {
                div.field class=[text_err.map(|_| "field-error")] {
                    label.label for="f-text" { (ctx.t("cl.text")) }
                    p.hint id="f-text-hint" { (ctx.t("cl.text.hint")) }
                    @if let Some(e) = text_err { p.error-message id="f-text-error" { span.visually-hidden { (ctx.t("err.prefix")) " " } (super::forms::message(ctx, e)) } }
                    textarea.w-full id="f-text" name="text" rows="10" aria-describedby="f-text-hint" { (text) }
                }
                div.field {
                    label.label for="f-file" { (ctx.t("cl.file")) " " span.optional { "(" (ctx.t("common.optional")) ")" } }
                    p.hint id="f-file-hint" { (ctx.t("cl.file.hint")) }
                    input type="file" id="f-file" name="file" accept=".txt,.md,.docx,.odt" aria-describedby="f-file-hint";
                }
                div.field { div.checkbox {
                    input type="checkbox" id="f-letter" name="letter" value="yes" checked[letter];
                    label for="f-letter" { (ctx.t("cl.letter")) }
                } }
                div.actions { button.button type="submit" { (ctx.t("cl.submit")) } }
            }
        },
    )
}

/// The text with each finding marked and numbered, then the numbered list.
fn results(ctx: &Ctx, text: &str, r: &Report) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for f in &r.findings {
        cuts.push(f.start.min(chars.len()));
        cuts.push(f.end.min(chars.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        section.clarity-results aria-labelledby="cl-score" {
            h2 id="cl-score" { (ctx.t("cl.score")) " " (format!("{:.1}", r.score)) " " (ctx.t("cl.of10")) }
            p { (ctx.t("cl.score.hint")) }
            dl.summary-list {
                div { dt { (ctx.t("cl.words")) } dd { (r.metrics.words) } }
                div { dt { (ctx.t("cl.sentences")) } dd { (r.metrics.sentences) } }
                div { dt { (ctx.t("cl.asl")) } dd { (format!("{:.1}", r.metrics.mean_sentence_length)) } }
                div { dt { (ctx.t("cl.fre")) } dd { (format!("{:.1}", r.metrics.flesch_reading_ease)) } }
                div { dt { (ctx.t("cl.findings")) } dd { (r.findings.len()) } }
            }
            @if r.findings.is_empty() {
                div.notice.notice-success role="status" { p { (ctx.t("cl.clean")) } }
            } @else {
                h3 { (ctx.t("cl.marked")) }
                div.marked-text {
                    @for w in cuts.windows(2) {
                        @let (a, b) = (w[0], w[1]);
                        // The findings whose marks begin here get their numbers first.
                        @for (i, f) in r.findings.iter().enumerate() {
                            @if f.start == a { sup { a href={"#f-" (i + 1)} aria-label={(ctx.t("cl.finding")) " " (i + 1)} { (i + 1) } } }
                        }
                        @let piece: String = chars[a..b].iter().collect();
                        @let covering: Vec<usize> = r.findings.iter().enumerate().filter(|(_, f)| f.start <= a && b <= f.end && f.start < f.end).map(|(i, _)| i).collect();
                        @if covering.is_empty() { (piece) }
                        @else {
                            @let worst = covering.iter().map(|i| r.findings[*i].severity).max().expect("not empty");
                            mark class={"sev-" (worst.as_str())} { (piece) }
                        }
                    }
                }
                h3 { (ctx.t("cl.list")) }
                ol.findings {
                    @for (i, f) in r.findings.iter().enumerate() {
                        li id={"f-" (i + 1)} {
                            strong class={"tag sev-" (f.severity.as_str())} { (ctx.label("severity", f.severity.as_str())) }
                            " " (f.message)
                            @if let Some(s) = &f.suggestion { br; (ctx.t("cl.suggest")) " «" (s) "»" }
                            br; span.hint-inline { (ctx.t("cl.where")) " " (f.line) ":" (f.column) " · " code { (f.rule) } }
                        }
                    }
                }
            }
        }
    }
}

async fn form(ctx: Ctx) -> Markup {
    clarity_page(&ctx, "", false, &[], None)
}

async fn check(State(st): State<AppState>, ctx: Ctx, mut mp: Multipart) -> Response {
    let (mut text, mut letter, mut file): (String, bool, Option<(String, Vec<u8>)>) = (String::new(), false, None);
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().unwrap_or("").to_string();
                let Ok(bytes) = field.bytes().await else {
                    let e = FieldError { field: "file".into(), code: "too_large", message: "the document is too large".into() };
                    return refused(clarity_page(&ctx, "", letter, &[e], None));
                };
                match name.as_str() {
                    "text" => text = String::from_utf8_lossy(&bytes).into_owned(),
                    "letter" => letter = true,
                    "file" if !bytes.is_empty() => file = Some((file_name, bytes.to_vec())),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                let e = FieldError { field: "file".into(), code: "too_large", message: "the document is too large".into() };
                return refused(clarity_page(&ctx, "", letter, &[e], None));
            }
        }
    }
    let input = match file {
        Some((name, bytes)) => {
            let Some(format) = DocumentFormat::from_file_name(&name) else {
                let e = FieldError { field: "file".into(), code: "bad_document_type", message: "use txt, md, docx or odt".into() };
                return refused(clarity_page(&ctx, &text, letter, &[e], None));
            };
            DocumentInput { bytes, format, letter }
        }
        None if text.trim().is_empty() => {
            let e = FieldError { field: "text".into(), code: "required", message: "paste a text or choose a file".into() };
            return refused(clarity_page(&ctx, &text, letter, &[e], None));
        }
        None => DocumentInput { bytes: text.clone().into_bytes(), format: DocumentFormat::Text, letter },
    };
    match st.app.check_document(input).await {
        // Findings point into the extracted text, so that is the text shown.
        Ok(c) => clarity_page(&ctx, &c.text, letter, &[], Some(&c.report)).into_response(),
        Err(AppError::Invalid(inv)) => refused(clarity_page(&ctx, &text, letter, &inv.0, None)),
        Err(e) => PageError::new(&ctx, e).into_response(),
    }
}
