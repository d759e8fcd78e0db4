//! The client map page: the SVG diagram, then the same facts as tables, per offering,
//! per segment and per unit. Made to be printed and handed out.

use super::ctx::Ctx;
use super::forms::side_tag;
use super::layout::{crumb, page};
use super::{choose_body, OrPage, PageError};
use crate::charts::{client_map_svg, MapLabels};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use okno_domain::segment::Side;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/client-map", get(view))
}

#[derive(Deserialize)]
struct Q {
    body: Option<String>,
}

async fn view(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Ok(page(&ctx, ctx.t("map.title"), &[], html! { h1 { (ctx.t("map.title")) } p.empty { (ctx.t("home.empty")) } }));
    };
    let map = st.app.client_map(&actor, body.id).await.or_page(&ctx)?;
    let names: HashMap<_, _> = map.offerings.iter().map(|o| (o.id, o.name.as_str())).collect();
    let seg_names: HashMap<_, _> = map.segments.iter().map(|s| (s.id, s.name.as_str())).collect();
    let svg = client_map_svg(
        &map,
        &MapLabels {
            title: ctx.t("map.diagram"),
            units: ctx.t("nav.units"),
            offerings: ctx.t("cat.title"),
            clients: ctx.t("nav.segments"),
        },
    );
    Ok(page(
        &ctx,
        &format!("{} — {}", ctx.t("map.title"), body.name),
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            h1 { (ctx.t("map.title")) span.caption { (body.name) } }
            p.lead { (ctx.t("map.lead")) }
            p.no-print { a href={"/api/v1/client-map?body=" (body.id)} { (ctx.t("common.json")) } }
            @if map.offerings.is_empty() {
                p.empty { (ctx.t("map.empty")) " " a href={"/offerings/new?body=" (body.id)} { (ctx.t("cat.add")) } }
            } @else {
                figure.map-figure {
                    div.scroll-x tabindex="0" role="region" aria-label=(ctx.t("map.diagram")) { (PreEscaped(svg)) }
                    figcaption.legend {
                        span.key.key-product { (ctx.t("kind.product")) } span.key.key-service { (ctx.t("kind.service")) }
                        span.key.key-internal { (ctx.t("side1.internal")) } span.key.key-external { (ctx.t("side1.external")) }
                    }
                }
                h2 { (ctx.t("map.gaps")) }
                @if map.offerings_without_clients.is_empty() && map.segments_without_offerings.is_empty() {
                    p { (ctx.t("map.no_gaps")) }
                }
                @if !map.offerings_without_clients.is_empty() {
                    h3 { (ctx.t("map.no_clients")) }
                    ul { @for id in &map.offerings_without_clients { li { a href={"/offerings/" (id) "/edit"} { (names.get(id).copied().unwrap_or("")) } } } }
                }
                @if !map.segments_without_offerings.is_empty() {
                    h3 { (ctx.t("map.no_offerings")) }
                    ul { @for id in &map.segments_without_offerings { li { a href={"/segments/" (id)} { (seg_names.get(id).copied().unwrap_or("")) } } } }
                }
                h2 { (ctx.t("map.by_offering")) }
                table.table.responsive {
                    thead { tr { th scope="col" { (ctx.t("common.name")) } th scope="col" { (ctx.t("cat.kind")) } th scope="col" { (ctx.t("cat.clients")) } } }
                    tbody { @for o in &map.offerings { tr {
                        td data-label=(ctx.t("common.name")) { a href={"/offerings/" (o.id)} { (o.name) } }
                        td data-label=(ctx.t("cat.kind")) { (ctx.label("kind", o.kind.code())) }
                        td data-label=(ctx.t("cat.clients")) {
                            @if o.clients.is_empty() { span.warning-text { (ctx.t("map.no_clients")) } }
                            ul.plain { @for c in &o.clients { li { (side_tag(&ctx, c.side)) " " (c.name) @if !c.benefit.is_empty() { " — " (c.benefit) } } } }
                        }
                    } } }
                }
                h2 { (ctx.t("map.by_segment")) }
                @for side in Side::ALL {
                    h3 { (ctx.label("side", side.code())) }
                    table.table.responsive {
                        thead { tr { th scope="col" { (ctx.t("cat.segment")) } th scope="col" { (ctx.t("seg.served_by")) } } }
                        tbody { @for s in map.segments.iter().filter(|s| s.side == *side) { tr {
                            td data-label=(ctx.t("cat.segment")) { a href={"/segments/" (s.id)} { (s.name) } }
                            td data-label=(ctx.t("seg.served_by")) {
                                @if s.offerings.is_empty() { span.warning-text { (ctx.t("map.no_offerings")) } }
                                ul.plain { @for o in &s.offerings { li { (o.name) @if !o.benefit.is_empty() { " — " (o.benefit) } } } }
                            }
                        } } }
                    }
                }
                h2 { (ctx.t("map.by_unit")) }
                table.table.responsive {
                    thead { tr { th scope="col" { (ctx.t("cat.unit")) } th scope="col" { (ctx.t("unit.produces")) } th scope="col" { (ctx.t("cat.clients")) } } }
                    tbody { @for u in map.units.iter().filter(|u| !u.offerings.is_empty()) { tr {
                        td data-label=(ctx.t("cat.unit")) { a href={"/units/" (u.id)} { (u.name) } }
                        td data-label=(ctx.t("unit.produces")) { ul.plain { @for id in &u.offerings { li { (names.get(id).copied().unwrap_or("")) } } } }
                        td data-label=(ctx.t("cat.clients")) { (u.segments.iter().filter_map(|s| seg_names.get(s).copied()).collect::<Vec<_>>().join(", ")) }
                    } } }
                }
                p.no-print { button.button.button-secondary type="button" data-print="" hidden { (ctx.t("common.print")) } }
            }
        },
    ))
}
