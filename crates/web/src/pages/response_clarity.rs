//! How plain the texts a body sent its clients were, per offering and per unit: where
//! to start teaching plain language. Built from the scores stored as texts go out.

use super::ctx::Ctx;
use super::layout::{crumb, page};
use super::{choose_body, OrPage, PageError};
use crate::api::clarity::period;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use okno_app::requests::ClarityGroup;
use okno_app::AppError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/requests/clarity", get(show))
}

#[derive(Deserialize)]
struct Q {
    body: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn table(ctx: &Ctx, caption: &str, rows: &[ClarityGroup]) -> Markup {
    html! {
        table.responsive {
            caption { (caption) }
            thead { tr { th { (ctx.t("rcl.name")) } th.num { (ctx.t("rcl.texts")) } th.num { (ctx.t("rcl.score")) } th.num { (ctx.t("rcl.findings")) } } }
            tbody {
                @for g in rows {
                    tr {
                        td data-label=(ctx.t("rcl.name")) { (g.name) }
                        td.num data-label=(ctx.t("rcl.texts")) { (g.texts) }
                        td.num data-label=(ctx.t("rcl.score")) { (format!("{:.1}", g.mean_score).replace('.', ",")) }
                        td.num data-label=(ctx.t("rcl.findings")) { (format!("{:.1}", g.findings_per_100_words).replace('.', ",")) }
                    }
                }
            }
        }
    }
}

async fn show(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let mine = actor.internal_bodies().and_then(|b| b.first().map(|id| id.to_string()));
    let body = choose_body(&st, &ctx, q.body.as_deref().or(mine.as_deref()))
        .await?
        .ok_or_else(|| PageError::new(&ctx, AppError::NotFound("body")))?;
    let (from, to) = period(q.from.as_deref(), q.to.as_deref()).map_err(|e| PageError::new(&ctx, e.into()))?;
    let (offerings, units) = st.app.response_clarity(&actor, body.id, from, to).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        ctx.t("rcl.title"),
        &[crumb(format!("/requests?body={}", body.id), ctx.t("rq.title"))],
        html! {
            span.caption { (body.name) }
            h1 { (ctx.t("rcl.title")) }
            p { (ctx.t("rcl.lead")) }
            form.filters method="get" action="/requests/clarity" {
                input type="hidden" name="body" value=(body.id);
                div.field { label.label for="f-from" { (ctx.t("rcl.from")) } input.w-10 id="f-from" name="from" type="date" value=[q.from.as_deref()]; }
                div.field { label.label for="f-to" { (ctx.t("rcl.to")) } input.w-10 id="f-to" name="to" type="date" value=[q.to.as_deref()]; }
                div.actions { button.button.button-secondary type="submit" { (ctx.t("common.filter")) } }
            }
            @if offerings.is_empty() {
                p.empty { (ctx.t("rcl.none")) }
            } @else {
                (table(&ctx, ctx.t("rcl.by_offering"), &offerings))
                (table(&ctx, ctx.t("rcl.by_unit"), &units))
            }
        },
    ))
}
