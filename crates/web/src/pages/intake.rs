//! Staff register a request on a client's behalf: at the counter, from a phone call or
//! from a letter. The form is the client's own, plus how the request came in; the card
//! that follows shows the tracking code to read out or write back.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, radios, select, Errors, Field, FormData};
use super::layout::{crumb, page};
use super::{choose_body, parse_id, refused, request_form, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::policy::{Action, Scope};
use okno_app::{Actor, AppError};
use okno_domain::chain::Chain;
use okno_domain::offering::Offering;
use okno_domain::org::Body;
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/requests/new", get(show).post(submit))
}

/// The channels a person at the body registers; the web form, the API and Open311 make
/// their own requests.
const STAFF_CHANNELS: [&str; 3] = ["walk_in", "phone", "mail"];

#[derive(Deserialize)]
struct Q {
    body: Option<String>,
    offering: Option<String>,
}

/// The offerings of the body that take requests (they have a chain).
async fn takes_requests(st: &AppState, actor: &Actor, ctx: &Ctx, body: &Body) -> Result<Vec<(Offering, Chain)>, PageError> {
    let mut out = Vec::new();
    for o in st.app.store().all_offerings(body.id).await.map_err(|e| PageError::new(ctx, e.into()))? {
        if let Some((_, chain)) = st.app.chain(actor, o.id).await.or_page(ctx)? {
            out.push((o, chain));
        }
    }
    Ok(out)
}

async fn body_of(st: &AppState, actor: &Actor, ctx: &Ctx, asked: Option<&str>) -> Result<Body, PageError> {
    actor.require(Action::WorkRequests, Scope::SomeBody).or_page(ctx)?;
    let mine = actor.internal_bodies().and_then(|b| b.first().map(|id| id.to_string()));
    let body = choose_body(st, ctx, asked.or(mine.as_deref())).await?.ok_or_else(|| PageError::new(ctx, AppError::NotFound("body")))?;
    actor.require_in(Action::WorkRequests, body.id).or_page(ctx)?;
    Ok(body)
}

fn intake_page(
    ctx: &Ctx,
    body: &Body,
    offerings: &[(Offering, Chain)],
    chosen: Option<&(Offering, Chain)>,
    data: &FormData,
    errors: &[FieldError],
) -> Markup {
    let errs = Errors { list: errors };
    let options: Vec<(String, String)> = offerings.iter().map(|(o, _)| (o.id.to_string(), o.name.clone())).collect();
    let channels: Vec<(String, String)> = STAFF_CHANNELS.iter().map(|c| (c.to_string(), ctx.label("rqchannel", c).to_string())).collect();
    let chosen_id = chosen.map(|(o, _)| o.id.to_string()).unwrap_or_default();
    page(
        ctx,
        ctx.t("intake.title"),
        &[crumb(format!("/requests?body={}", body.id), ctx.t("rq.title"))],
        html! {
            (error_summary(ctx, errors))
            span.caption { (body.name) }
            h1 { (ctx.t("intake.title")) }
            p { (ctx.t("intake.lead")) }
            @if offerings.is_empty() {
                p.empty { (ctx.t("intake.none")) }
            }
            // Choosing the offering first: its form decides the rest of the page.
            form.filters method="get" action="/requests/new" {
                input type="hidden" name="body" value=(body.id);
                (select(ctx, Field { name: "offering", label: ctx.t("intake.offering"), hint: None, value: &chosen_id, required: true }, &errs, &options))
                div.actions { button.button.button-secondary type="submit" { (ctx.t("intake.choose")) } }
            }
            @if let Some((o, chain)) = chosen {
                form method="post" action={"/requests/new?body=" (body.id) "&offering=" (o.id)} novalidate {
                    (csrf_field(ctx))
                    h2 { (o.name) }
                    (radios(ctx, Field { name: "channel", label: ctx.t("intake.channel"), hint: None, value: data.get("channel"), required: true }, &errs, &channels, ""))
                    (request_form::variant_choice(ctx, chain, data, &errs))
                    (request_form::contact_fields(ctx, data, &errs))
                    (request_form::own_fields(ctx, &chain.form, data, &errs))
                    p.hint { (ctx.t("intake.privacy")) }
                    div.actions { button.button type="submit" { (ctx.t("intake.submit")) } }
                }
            }
        },
    )
}

async fn show(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let body = body_of(&st, &actor, &ctx, q.body.as_deref()).await?;
    let offerings = takes_requests(&st, &actor, &ctx, &body).await?;
    let chosen = match q.offering.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => {
            let id = parse_id(&ctx, id)?;
            Some(offerings.iter().find(|(o, _)| o.id == id).ok_or_else(|| PageError::new(&ctx, AppError::NotFound("offering")))?)
        }
        None => None,
    };
    Ok(intake_page(&ctx, &body, &offerings, chosen, &FormData::default(), &[]))
}

async fn submit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Q>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let body = body_of(&st, &actor, &ctx, q.body.as_deref()).await?;
    let offerings = takes_requests(&st, &actor, &ctx, &body).await?;
    let id = parse_id(&ctx, q.offering.as_deref().unwrap_or(""))?;
    let chosen = offerings.iter().find(|(o, _)| o.id == id).ok_or_else(|| PageError::new(&ctx, AppError::NotFound("offering")))?;
    let data = FormData(form);
    let channel = data.get("channel");
    if !STAFF_CHANNELS.contains(&channel) {
        let e = FieldError { field: "channel".into(), code: "required", message: "say how the request came in".into() };
        return Ok(refused(intake_page(&ctx, &body, &offerings, Some(chosen), &data, &[e])));
    }
    let input = request_form::new_request(id, channel, &chosen.1.form, &data);
    match st.app.create_request(&actor, &input).await {
        Ok(r) => Ok(Redirect::to(&format!("/requests/{}?done=created", r.id)).into_response()),
        Err(AppError::Invalid(inv)) => Ok(refused(intake_page(&ctx, &body, &offerings, Some(chosen), &data, &inv.0))),
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}
