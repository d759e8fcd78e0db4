//! Signing in and out. A session lives in an HTTP-only, SameSite=Lax cookie holding a
//! random id; the server keeps only its hash.

use super::ctx::{safe_back, Ctx};
use super::forms::{csrf_field, error_summary, text_input, Errors, Field, FormData};
use super::layout::page;
use crate::caller::{Caller, SESSION_COOKIE};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use maud::{html, Markup};
use okno_app::AppError;
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(login)).route("/logout", post(logout))
}

#[derive(Deserialize)]
struct BackQ {
    back: Option<String>,
}

fn login_page(ctx: &Ctx, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    let fld = |name: &'static str, label: &str| Field {
        name,
        label: ctx.lang.t(label),
        hint: None,
        value: if name == "password" { "" } else { f.get(name) },
        required: true,
    };
    page(
        ctx,
        ctx.t("login.title"),
        &[],
        html! {
            (error_summary(ctx, errors))
            h1 { (ctx.t("login.title")) }
            p { (ctx.t("login.lead")) }
            form method="post" action="/login" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="back" value=(f.get("back"));
                (text_input(ctx, fld("email", "login.email"), &errs, "email", "w-20"))
                (text_input(ctx, fld("password", "login.password"), &errs, "password", "w-20"))
                div.actions { button.button type="submit" { (ctx.t("login.submit")) } }
            }
        },
    )
}

async fn login_form(ctx: Ctx, Query(q): Query<BackQ>) -> Markup {
    login_page(&ctx, &FormData(vec![("back".into(), safe_back(q.back.as_deref()))]), &[])
}

async fn login(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(form);
    let refuse = |status: StatusCode, code: &'static str, key: &str| {
        let err = FieldError { field: "email".into(), code, message: ctx.lang.t(key).into() };
        (status, login_page(&ctx, &f, &[err])).into_response()
    };
    match st.app.login(&actor, f.get("email"), f.get("password")).await {
        Ok(s) => {
            let mut r = Redirect::to(&safe_back(f.opt("back"))).into_response();
            let cookie = format!("{SESSION_COOKIE}={}; {}; Max-Age=604800", s.id, st.cookie_attributes());
            r.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("ascii cookie"));
            r
        }
        Err(AppError::Unauthenticated) => refuse(StatusCode::UNAUTHORIZED, "login_failed", "login.failed"),
        Err(AppError::Conflict { code: "locked", .. }) => refuse(StatusCode::TOO_MANY_REQUESTS, "login_locked", "login.locked"),
        Err(AppError::Invalid(_)) => refuse(StatusCode::UNAUTHORIZED, "login_failed", "login.failed"),
        Err(e) => super::PageError::new(&ctx, e).into_response(),
    }
}

async fn logout(State(st): State<AppState>, caller: Option<Extension<Caller>>) -> Response {
    if let Some(sid) = caller.and_then(|Extension(c)| c.session) {
        if let Err(e) = st.app.logout(&sid).await {
            tracing::error!(error = %e, "could not end a session");
        }
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, format!("{SESSION_COOKIE}=; {}; Max-Age=0", st.cookie_attributes()).parse().expect("ascii cookie"));
    r
}
