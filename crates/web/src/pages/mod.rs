//! Server-rendered pages. Each works without JavaScript; forms post back to the same
//! URL and are shown again with messages when input is refused.

// A page error carries the page context to render itself in the reader's language; it
// is built once per failed request, so its size does not matter.
#![allow(clippy::result_large_err)]

mod account;
mod attachments;
mod audit;
mod calendars;
mod catalogue;
mod chain_editor;
mod clarity;
mod client_map;
pub mod ctx;
mod dashboard;
mod feedback;
mod forms;
mod home;
mod intake;
mod layout;
mod offering_form;
mod org;
mod personal;
mod request_form;
mod requests;
mod response_clarity;
mod segments;
mod session;
mod status;
mod transfer;

use crate::error::status_of;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use ctx::Ctx;
use maud::html;
use okno_app::AppError;
use okno_domain::Id;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/settings", get(home::settings))
        .merge(audit::routes())
        .merge(catalogue::routes())
        .merge(chain_editor::routes())
        .merge(org::routes())
        .merge(calendars::routes())
        .merge(segments::routes())
        .merge(session::routes())
        .merge(account::routes())
        .merge(account::done_routes())
        .merge(personal::routes())
        .merge(clarity::routes())
        .merge(intake::routes())
        .merge(response_clarity::routes())
        .merge(requests::routes())
        .merge(status::routes())
        .merge(feedback::routes())
        .merge(dashboard::routes())
        .merge(attachments::routes())
        .merge(client_map::routes())
        .merge(transfer::routes())
}

/// Keeps editing pages (their forms as well as what they post) to those who may edit:
/// anyone else is sent to sign in, or told they may not.
pub async fn editors_only(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let actor = req.extensions().get::<crate::caller::Caller>().map(|c| c.actor.clone()).unwrap_or_else(okno_app::Actor::anonymous);
    use okno_app::policy::{Action, Scope};
    // Coarse on purpose: which body a form is for is known only to the use case, which
    // checks again precisely.
    let gate = [Action::EditOfferings, Action::EditStructure].into_iter().find(|a| actor.may(*a, Scope::SomeBody));
    match gate.map_or_else(|| actor.require(Action::EditOfferings, Scope::SomeBody), |_| Ok(())) {
        Ok(()) => next.run(req).await,
        Err(err) => {
            let (mut parts, _) = req.into_parts();
            let ctx = match <Ctx as axum::extract::FromRequestParts<()>>::from_request_parts(&mut parts, &()).await {
                Ok(c) => c,
                Err(never) => match never {},
            };
            PageError::new(&ctx, err).into_response()
        }
    }
}

/// A catalogue file as a download.
pub use transfer::MAX_UPLOAD;

pub fn download_catalogue(bytes: Vec<u8>, format: okno_app::transfer::Format) -> Response {
    transfer::download(bytes, format, "catalogue")
}

/// A page-level failure rendered as a page in the reader's language.
pub struct PageError {
    ctx: Ctx,
    err: AppError,
}

pub trait OrPage<T> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError> {
        self.map_err(|err| PageError { ctx: ctx.clone(), err })
    }
}

impl PageError {
    pub fn new(ctx: &Ctx, err: AppError) -> PageError {
        PageError { ctx: ctx.clone(), err }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let ctx = &self.ctx;
        if matches!(self.err, AppError::Unauthenticated) {
            // Sign in first, then come back here.
            let back: String = form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect();
            return Redirect::to(&format!("/login?back={back}")).into_response();
        }
        let status = status_of(&self.err);
        let (title, text) = match &self.err {
            AppError::NotFound(_) => (ctx.t("err.not_found.title"), ctx.t("err.not_found.text").to_string()),
            AppError::Conflict { code, message } => {
                let key = format!("err.{code}");
                let text = if crate::i18n::has_key(&key) { ctx.lang.t(&key).to_string() } else { message.clone() };
                (ctx.t("err.conflict.title"), text)
            }
            AppError::Unauthenticated | AppError::Forbidden => (ctx.t("err.forbidden.title"), String::new()),
            AppError::Invalid(inv) => (ctx.t("err.summary"), inv.0.iter().map(|e| forms::message(ctx, e)).collect::<Vec<_>>().join("; ")),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error on a page");
                (ctx.t("err.internal.title"), format!("{} {}", ctx.t("err.internal.text"), ctx.request_id))
            }
        };
        let body = layout::page(ctx, title, &[], html! { h1 { (title) } p { (text) } p { a href="/" { (ctx.t("nav.home")) } } });
        (status, body).into_response()
    }
}

pub fn not_found_page(ctx: &Ctx) -> Response {
    PageError { ctx: ctx.clone(), err: AppError::NotFound("page") }.into_response()
}

/// Parses an id from a path; a malformed one is simply a page that does not exist.
pub fn parse_id(ctx: &Ctx, s: &str) -> Result<Id, PageError> {
    s.parse().map_err(|_| PageError { ctx: ctx.clone(), err: AppError::NotFound("page") })
}

/// After a successful POST: back to a page, telling it what was done.
pub fn see_other(path: &str, done: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}done={done}")).into_response()
}

/// Renders a form again with its errors: 422 so tools see the refusal.
pub fn refused(markup: maud::Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
}

/// Picks the body a page is about: the one asked for, else the first one.
pub async fn choose_body(state: &AppState, ctx: &Ctx, asked: Option<&str>) -> Result<Option<okno_domain::org::Body>, PageError> {
    let bodies = state.app.list_bodies().await.or_page(ctx)?;
    if let Some(id) = asked.filter(|s| !s.is_empty()) {
        let id = parse_id(ctx, id)?;
        return bodies.into_iter().find(|b| b.id == id).map(Some).ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") });
    }
    Ok(bodies.into_iter().next())
}
