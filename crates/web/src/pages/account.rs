//! The signed-in person's own account: changing the password.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, text_input, Errors, Field};
use super::layout::page;
use super::{refused, PageError};
use crate::caller::Caller;
use crate::state::{AppState, CurrentActor};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use maud::{html, Markup};
use okno_app::AppError;
use okno_domain::FieldError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/password", get(form).post(change))
}

fn password_page(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    // Passwords are never echoed back into a form.
    let fld = |name: &'static str, label: &str, hint: Option<&str>| Field {
        name,
        label: ctx.lang.t(label),
        hint: hint.map(|h| ctx.lang.t(h)),
        value: "",
        required: true,
    };
    page(
        ctx,
        ctx.t("pwd.title"),
        &[],
        html! {
            (error_summary(ctx, errors))
            h1 { (ctx.t("pwd.title")) }
            p { (ctx.t("pwd.lead")) }
            form method="post" action="/account/password" novalidate {
                (csrf_field(ctx))
                (text_input(ctx, fld("current_password", "pwd.current", None), &errs, "password", "w-20"))
                (text_input(ctx, fld("new_password", "pwd.new", Some("pwd.new.hint")), &errs, "password", "w-20"))
                (text_input(ctx, fld("confirm_password", "pwd.confirm", None), &errs, "password", "w-20"))
                div.actions { button.button type="submit" { (ctx.t("pwd.submit")) } }
            }
        },
    )
}

async fn form(CurrentActor(actor): CurrentActor, ctx: Ctx) -> Response {
    match actor.account_id() {
        Some(_) => password_page(&ctx, &[]).into_response(),
        None => PageError::new(&ctx, AppError::Unauthenticated).into_response(),
    }
}

async fn change(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    caller: Option<Extension<Caller>>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let Some(account) = actor.account_id() else {
        return PageError::new(&ctx, AppError::Unauthenticated).into_response();
    };
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    if get("new_password") != get("confirm_password") {
        let err = FieldError { field: "confirm_password".into(), code: "mismatch", message: "the two new passwords differ".into() };
        return refused(password_page(&ctx, &[err]));
    }
    let session = caller.and_then(|Extension(c)| c.session);
    match st.app.change_password(&actor, account, session.as_deref(), get("current_password"), get("new_password")).await {
        Ok(()) => Redirect::to("/account/password/done").into_response(),
        Err(AppError::Invalid(inv)) => refused(password_page(&ctx, &inv.0)),
        Err(e) => PageError::new(&ctx, e).into_response(),
    }
}

pub fn done_routes() -> Router<AppState> {
    Router::new().route("/account/password/done", get(done))
}

async fn done(ctx: Ctx) -> Markup {
    page(
        &ctx,
        ctx.t("pwd.done"),
        &[],
        html! {
            div.notice.notice-success role="status" { h1 { (ctx.t("pwd.done")) } p { (ctx.t("pwd.done.text")) } }
            p { a href="/" { (ctx.t("nav.home")) } }
        },
    )
}
