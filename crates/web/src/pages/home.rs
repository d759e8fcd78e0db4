use super::ctx::{safe_back, Ctx};
use super::layout::{notice, page};
use super::{OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use okno_app::{ListQuery, PageRequest};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn home(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Done>,
) -> Result<Markup, PageError> {
    let bodies = st.app.list_bodies().await.or_page(&ctx)?;
    let mut counts = Vec::new();
    for b in &bodies {
        let f = ListQuery { body_id: Some(b.id), ..Default::default() };
        let p = st.app.list_offerings(&actor, &f, PageRequest { page: 1, per_page: 1 }).await.or_page(&ctx)?;
        counts.push(p.total);
    }
    Ok(page(
        &ctx,
        ctx.t("home.title"),
        &[],
        html! {
            (notice(&ctx, q.done.as_deref()))
            h1 { (ctx.t("home.title")) }
            p.lead { (ctx.t("home.lead")) }
            h2 { (ctx.t("home.bodies")) }
            @if bodies.is_empty() {
                p.empty { (ctx.t("home.empty")) }
            } @else {
                ul.cards {
                    @for (b, n) in bodies.iter().zip(&counts) {
                        li.card {
                            h3 { a href={"/bodies/" (b.id)} { (b.name) } }
                            @if !b.description.is_empty() { p { (b.description) } }
                            p.meta { (n) " " (ctx.t("home.offerings")) }
                            p.card-links {
                                a href={"/offerings?body=" (b.id)} { (ctx.t("body.open_catalogue")) }
                                a href={"/client-map?body=" (b.id)} { (ctx.t("nav.client_map")) }
                                a href={"/segments?body=" (b.id)} { (ctx.t("nav.segments")) }
                            }
                        }
                    }
                }
            }
            p { a.button.button-secondary href="/bodies/new" { (ctx.t("home.add_body")) } }
        },
    ))
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    lang: Option<String>,
    view: Option<String>,
    back: Option<String>,
}

/// Sets the language or the low-vision mode in a cookie and goes back. A GET, so the
/// switch is a plain link that works everywhere; it changes only presentation.
pub async fn settings(Query(q): Query<SettingsQuery>) -> Response {
    let mut cookies = Vec::new();
    if let Some(l) = q.lang.as_deref().and_then(crate::i18n::Lang::from_code) {
        cookies.push(format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", l.code()));
    }
    match q.view.as_deref() {
        Some("lowvision") => cookies.push("view=lowvision; Path=/; Max-Age=31536000; SameSite=Lax".into()),
        Some("normal") => cookies.push("view=normal; Path=/; Max-Age=0; SameSite=Lax".into()),
        _ => {}
    }
    let mut resp = Redirect::to(&safe_back(q.back.as_deref())).into_response();
    for c in cookies {
        resp.headers_mut().append(header::SET_COOKIE, c.parse().expect("ascii cookie"));
    }
    resp
}
