//! The catalogue: the list with filters, an offering's page, deleting one.

use super::ctx::Ctx;
use super::forms::status_tag;
use super::layout::{self, crumb, notice, page};
use super::{choose_body, parse_id, see_other, OrPage, PageError};
use crate::format;
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use okno_app::{ListQuery, PageRequest, Paged};
use okno_domain::offering::{Kind, Offering, ProductType, ServiceKind, Status};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    let editing = Router::new()
        .route("/offerings/new", get(super::offering_form::new_form).post(super::offering_form::create))
        .route("/offerings/{id}/edit", get(super::offering_form::edit_form).post(super::offering_form::update))
        .route("/offerings/{id}/delete", get(confirm_delete).post(delete))
        .route_layer(axum::middleware::from_fn(super::editors_only));
    Router::new().route("/offerings", get(list)).route("/offerings/{id}", get(view)).merge(editing)
}

/// Filters as typed in the URL. Unknown values mean "any": a stale bookmark still opens.
#[derive(Deserialize, Default)]
pub struct Filters {
    body: Option<String>,
    kind: Option<String>,
    product_type: Option<String>,
    service_kind: Option<String>,
    segment: Option<String>,
    unit: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

fn opt<T>(s: &Option<String>, f: fn(&str) -> Option<T>) -> Option<T> {
    s.as_deref().and_then(f)
}

/// Options for a `select` from a vocabulary.
pub fn vocab_options<T: Copy>(ctx: &Ctx, family: &str, all: &[T], code: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|x| (code(*x).to_string(), ctx.label(family, code(*x)).to_string())).collect()
}

pub fn type_label(ctx: &Ctx, o: &Offering) -> &'static str {
    match (o.product_type, o.service_kind) {
        (Some(p), _) => ctx.label("product_type", p.code()),
        (_, Some(s)) => ctx.label("service_kind", s.code()),
        _ => "",
    }
}

async fn list(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(f): Query<Filters>,
) -> Result<Markup, PageError> {
    let body = choose_body(&st, &ctx, f.body.as_deref()).await?;
    let Some(body) = body else {
        return Ok(page(
            &ctx,
            ctx.t("cat.title"),
            &[],
            html! { h1 { (ctx.t("cat.title")) } p.empty { (ctx.t("home.empty")) } a.button href="/bodies/new" { (ctx.t("home.add_body")) } },
        ));
    };
    let units = st.app.list_units(body.id).await.or_page(&ctx)?;
    let segments = st.app.list_segments(body.id).await.or_page(&ctx)?;
    let parse_id = |s: &Option<String>| s.as_deref().and_then(|s| s.parse().ok());
    let query = ListQuery {
        body_id: Some(body.id),
        kind: opt(&f.kind, Kind::from_code),
        product_type: opt(&f.product_type, ProductType::from_code),
        service_kind: opt(&f.service_kind, ServiceKind::from_code),
        segment_id: parse_id(&f.segment),
        unit_id: parse_id(&f.unit),
        status: opt(&f.status, Status::from_code),
        q: f.q.clone().filter(|q| !q.trim().is_empty()),
        internal_in: None,
    };
    let page_no = f.page.as_deref().and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let result = st.app.list_offerings(&actor, &query, PageRequest { page: page_no, per_page: 20 }).await.or_page(&ctx)?;
    let bodies = st.app.list_bodies().await.or_page(&ctx)?;
    let sel = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    let title = format!("{} — {}", ctx.t("cat.title"), if body.short_name.is_empty() { &body.name } else { &body.short_name });
    Ok(page(
        &ctx,
        &title,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            (notice(&ctx, f.done.as_deref()))
            h1 { (ctx.t("cat.title")) span.caption { (body.name) } }
            p { a.button href={"/offerings/new?body=" (body.id)} { (ctx.t("cat.add")) } }
            div.catalogue {
                form.filters method="get" action="/offerings" {
                    h2 { (ctx.t("cat.filters")) }
                    div.filter-fields {
                        @if bodies.len() > 1 {
                            div {
                                label.label for="f-body" { (ctx.t("common.body")) }
                                select.select #f-body name="body" {
                                    @for b in &bodies { option value=(b.id) selected[b.id == body.id] { (b.name) } }
                                }
                            }
                        }
                        div {
                            label.label for="f-q" { (ctx.t("cat.q")) }
                            input.input #f-q type="search" name="q" value=(f.q.clone().unwrap_or_default());
                        }
                        div {
                            label.label for="f-kind" { (ctx.t("cat.kind")) }
                            select.select #f-kind name="kind" {
                                option value="" { (ctx.t("common.any")) }
                                @for k in Kind::ALL { option value=(k.code()) selected[sel(&f.kind, k.code())] { (ctx.label("kind", k.code())) } }
                            }
                        }
                        div {
                            label.label for="f-product_type" { (ctx.t("cat.type")) }
                            select.select #f-product_type name="product_type" {
                                option value="" { (ctx.t("common.any")) }
                                @for k in ProductType::ALL { option value=(k.code()) selected[sel(&f.product_type, k.code())] { (ctx.label("product_type", k.code())) } }
                            }
                        }
                        div {
                            label.label for="f-service_kind" { (ctx.t("cat.service_kind")) }
                            select.select #f-service_kind name="service_kind" {
                                option value="" { (ctx.t("common.any")) }
                                @for k in ServiceKind::ALL { option value=(k.code()) selected[sel(&f.service_kind, k.code())] { (ctx.label("service_kind", k.code())) } }
                            }
                        }
                        div {
                            label.label for="f-segment" { (ctx.t("cat.segment")) }
                            select.select #f-segment name="segment" {
                                option value="" { (ctx.t("common.any")) }
                                @for s in &segments { option value=(s.id) selected[sel(&f.segment, &s.id.to_string())] { (s.name) } }
                            }
                        }
                        div {
                            label.label for="f-unit" { (ctx.t("cat.unit")) }
                            select.select #f-unit name="unit" {
                                option value="" { (ctx.t("common.any")) }
                                @for u in &units { option value=(u.id) selected[sel(&f.unit, &u.id.to_string())] { (u.name) } }
                            }
                        }
                        div {
                            label.label for="f-status" { (ctx.t("cat.status")) }
                            select.select #f-status name="status" {
                                option value="" { (ctx.t("common.any")) }
                                @for k in Status::ALL { option value=(k.code()) selected[sel(&f.status, k.code())] { (ctx.label("status", k.code())) } }
                            }
                        }
                    }
                    @if bodies.len() <= 1 { input type="hidden" name="body" value=(body.id); }
                    button.button type="submit" { (ctx.t("common.filter")) }
                    a href={"/offerings?body=" (body.id)} { (ctx.t("common.reset")) }
                }
                div.results {
                    p.count { (ctx.t("common.found")) ": " strong { (result.total) } }
                    @if result.items.is_empty() {
                        p.empty { (ctx.t("cat.empty")) }
                    } @else {
                        table.table.responsive {
                            caption.visually-hidden { (ctx.t("cat.title")) }
                            thead { tr {
                                th scope="col" { (ctx.t("common.name")) }
                                th scope="col" { (ctx.t("cat.type_or_kind")) }
                                th scope="col" { (ctx.t("cat.unit")) }
                                th scope="col" { (ctx.t("cat.clients")) }
                                th scope="col" { (ctx.t("cat.status")) }
                            } }
                            tbody {
                                @for o in &result.items {
                                    tr {
                                        td data-label=(ctx.t("common.name")) { a href={"/offerings/" (o.id)} { (o.name) } }
                                        td data-label=(ctx.t("cat.type_or_kind")) { (ctx.label("kind", o.kind.code())) ": " (type_label(&ctx, o)) }
                                        td data-label=(ctx.t("cat.unit")) { (o.owner_unit.name) }
                                        td data-label=(ctx.t("cat.clients")) {
                                            @if o.segments.is_empty() { span.warning-text { (ctx.t("map.no_clients")) } }
                                            @else { (o.segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")) }
                                        }
                                        td data-label=(ctx.t("cat.status")) { (status_tag(&ctx, o.status)) }
                                    }
                                }
                            }
                        }
                        (pagination(&ctx, &result, &ctx.here))
                    }
                }
            }
        },
    ))
}

/// Previous/next links keeping every other query parameter.
pub fn pagination<T>(ctx: &Ctx, p: &Paged<T>, here: &str) -> Markup {
    let pages = p.pages();
    if pages <= 1 {
        return html! {};
    }
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let keep: Vec<&str> = query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("page=") && !kv.starts_with("done=")).collect();
    let link = |n: u32| {
        let mut parts = keep.clone();
        let pn = format!("page={n}");
        parts.push(&pn);
        format!("{path}?{}", parts.join("&"))
    };
    html! {
        nav.pagination aria-label=(ctx.t("common.pagination")) {
            @if p.page > 1 { a rel="prev" href=(link(p.page - 1)) { "← " (ctx.t("common.prev")) } }
            span { (ctx.t("common.page")) " " (p.page) " " (ctx.t("common.of")) " " (pages) }
            @if p.page < pages { a rel="next" href=(link(p.page + 1)) { (ctx.t("common.next")) " →" } }
        }
    }
}

#[derive(Deserialize)]
struct DoneQ {
    done: Option<String>,
}

async fn view(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DoneQ>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    let body = st.app.body(o.body_id).await.or_page(&ctx)?;
    let chain = st.app.chain(&actor, id).await.or_page(&ctx)?;
    let by_side: HashMap<_, Vec<_>> = o.segments.iter().fold(HashMap::new(), |mut m, s| {
        m.entry(s.side).or_insert_with(Vec::new).push(s);
        m
    });
    Ok(page(
        &ctx,
        &o.name,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/offerings?body={}", body.id), ctx.t("cat.title"))],
        html! {
            (notice(&ctx, q.done.as_deref()))
            span.caption { (ctx.label("kind", o.kind.code())) " · " (type_label(&ctx, &o)) }
            h1 { (o.name) }
            p { (status_tag(&ctx, o.status)) }
            @if !o.description.is_empty() { p.lead { (o.description) } }
            @if chain.is_some() && o.status == okno_domain::offering::Status::Published {
                p { a.button.button-start href={"/offerings/" (o.id) "/apply"} { (ctx.t("off.apply")) } }
            }
            p.actions {
                a.button href={"/offerings/" (o.id) "/edit"} { (ctx.t("common.edit")) }
                a.button.button-warning href={"/offerings/" (o.id) "/delete"} { (ctx.t("common.delete")) }
                a.button.button-secondary href={"/offerings/" (o.id) "/chain"} { (ctx.t("chain.link")) }
            }
            h2 { (ctx.t("cat.clients")) }
            @if o.segments.is_empty() {
                p.warning-text { (ctx.t("off.no_clients")) }
            }
            @for side in [okno_domain::segment::Side::Internal, okno_domain::segment::Side::External] {
                @if let Some(list) = by_side.get(&side) {
                    h3 { (ctx.label("side", side.code())) }
                    dl.summary-list {
                        @for s in list {
                            div { dt { a href={"/segments/" (s.id)} { (s.name) } } dd { (s.benefit) } }
                        }
                    }
                }
            }
            @if o.kind == Kind::Service {
                h2 { (ctx.t("off.outputs")) }
                @if o.outputs.is_empty() {
                    p { (ctx.t("off.only_service")) }
                } @else {
                    p { (ctx.t("off.hands_over")) }
                    ul { @for out in &o.outputs { li { a href={"/offerings/" (out.product_id)} { (out.name) } @if !out.note.is_empty() { " — " (out.note) } } } }
                }
            } @else if !o.provided_by.is_empty() {
                h2 { (ctx.t("off.provided_by")) }
                ul { @for s in &o.provided_by { li { a href={"/offerings/" (s.id)} { (s.name) } } } }
            }
            @if let Some((_, c)) = &chain {
                h2 { (ctx.t("off.chain")) }
                @for v in &c.variants {
                    @if c.variants.len() > 1 { h3 { (v.name) } }
                    @if let Some(t) = &v.total_deadline { p { (ctx.t("rq.total_due")) ": " (t.describe()) } }
                    ol.stages {
                        @for s in &v.stages {
                            li { strong { (s.name) } @if let Some(d) = &s.deadline { " — " (d.describe()) } br; span.hint-inline { (s.client_sees) } }
                        }
                    }
                }
            }
            h2 { (ctx.t("off.details")) }
            dl.summary-list {
                div { dt { (ctx.t("off.owner_unit")) } dd { a href={"/units/" (o.owner_unit.id)} { (o.owner_unit.name) } } }
                div { dt { (ctx.t("off.responsible")) } dd { @if let Some(e) = &o.responsible_employee { (e.name) } @else { (ctx.t("common.not_set")) } } }
                div { dt { (ctx.t("off.channels")) } dd {
                    @if o.channels.is_empty() { (ctx.t("common.not_set")) }
                    @else { (o.channels.iter().map(|c| ctx.label("channel", c.code())).collect::<Vec<_>>().join(", ")) }
                } }
                div { dt { (ctx.t("off.term")) } dd { (format::term(ctx.lang, o.term)) } }
                div { dt { (ctx.t("off.fee")) } dd { (format::fee(ctx.lang, o.fee_kopecks)) } }
                div { dt { (ctx.t("off.legal_basis")) } dd {
                    @if o.legal_basis.is_empty() { (ctx.t("common.not_set")) } @else { ul.plain { @for l in &o.legal_basis { li { (l) } } } }
                } }
                div { dt { (ctx.t("off.documents")) } dd {
                    @if o.required_documents.is_empty() { (ctx.t("common.not_set")) } @else { ul.plain { @for d in &o.required_documents { li { (d) } } } }
                } }
                div { dt { (ctx.t("common.updated")) } dd { (format::date(ctx.lang, &o.updated_at)) " · " (ctx.t("off.version")) " " (o.version) } }
            }
            p { a href={"/api/v1/offerings/" (o.id)} { (ctx.t("common.json")) } }
        },
    ))
}

async fn confirm_delete(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    Ok(layout::confirm_delete(&ctx, &format!("/offerings/{}", o.id), &o.name))
}

async fn delete(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    st.app.delete_offering(&actor, id).await.or_page(&ctx)?;
    Ok(see_other(&format!("/offerings?body={}", o.body_id), "deleted"))
}
