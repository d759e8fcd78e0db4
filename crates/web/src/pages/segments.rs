//! Client segments: the list by side, one segment's page, and the form.

use super::catalogue::type_label;
use super::ctx::Ctx;
use super::forms::{error_summary, radios, side_tag, status_tag, text_input, textarea, Errors, Field, FormData};
use super::layout::{self, crumb, notice, page};
use super::{choose_body, parse_id, refused, see_other, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::{AppError, ListQuery, PageRequest};
use okno_domain::org::Body;
use okno_domain::segment::{Segment, SegmentInput, Side};
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    let editing = Router::new()
        .route("/segments/new", get(new_form).post(create))
        .route("/segments/{id}/edit", get(edit_form).post(update))
        .route("/segments/{id}/delete", get(confirm_delete).post(delete))
        .route_layer(axum::middleware::from_fn(super::editors_only));
    Router::new().route("/segments", get(list)).route("/segments/{id}", get(view)).merge(editing)
}

#[derive(Deserialize, Default)]
struct Q {
    body: Option<String>,
    done: Option<String>,
}

async fn list(State(st): State<AppState>, CurrentActor(actor): CurrentActor, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Ok(page(&ctx, ctx.t("seg.title"), &[], html! { h1 { (ctx.t("seg.title")) } p.empty { (ctx.t("home.empty")) } }));
    };
    let segments = st.app.list_segments(body.id).await.or_page(&ctx)?;
    let map = st.app.client_map(&actor, body.id).await.or_page(&ctx)?;
    let served = |id| map.segments.iter().find(|s| s.id == id).map(|s| s.offerings.len()).unwrap_or(0);
    Ok(page(
        &ctx,
        ctx.t("seg.title"),
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            (notice(&ctx, q.done.as_deref()))
            h1 { (ctx.t("seg.title")) span.caption { (body.name) } }
            p.lead { (ctx.t("seg.lead")) }
            p { a.button href={"/segments/new?body=" (body.id)} { (ctx.t("seg.add")) } }
            @if segments.is_empty() { p.empty { (ctx.t("seg.empty")) } }
            @for side in Side::ALL {
                @let list: Vec<&Segment> = segments.iter().filter(|s| s.side == *side).collect();
                @if !list.is_empty() {
                    h2 { (ctx.label("side", side.code())) }
                    ul.segment-list {
                        @for s in list {
                            li {
                                a href={"/segments/" (s.id)} { (s.name) }
                                " — " (served(s.id)) " " (ctx.t("seg.count"))
                                @if !s.description.is_empty() { br; span.hint-inline { (s.description) } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn form_page(ctx: &Ctx, body: &Body, existing: Option<&Segment>, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    let (title, action) = match existing {
        Some(s) => (ctx.t("seg.edit"), format!("/segments/{}/edit", s.id)),
        None => (ctx.t("seg.new"), format!("/segments/new?body={}", body.id)),
    };
    let fld = |name: &'static str, label: &str, required: bool| Field {
        name,
        label: ctx.lang.t(label),
        hint: None,
        value: f.get(name),
        required,
    };
    let sides: Vec<(String, String)> = Side::ALL.iter().map(|s| (s.code().to_string(), ctx.label("side1", s.code()).to_string())).collect();
    page(
        ctx,
        title,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/segments?body={}", body.id), ctx.t("seg.title"))],
        html! {
            (error_summary(ctx, errors))
            h1 { (title) }
            form method="post" action=(action) novalidate {
                (super::forms::csrf_field(ctx))
                (text_input(ctx, fld("name", "common.name", true), &errs, "text", "w-full"))
                (radios(ctx, Field { hint: Some(ctx.t("seg.lead")), ..fld("side", "seg.side", true) }, &errs, &sides, ""))
                (textarea(ctx, fld("description", "common.description", false), &errs, 2))
                div.actions { button.button type="submit" { (ctx.t("common.save")) } }
            }
        },
    )
}

fn input(body: &Body, f: &FormData) -> SegmentInput {
    SegmentInput {
        body_id: Some(body.id),
        name: f.get("name").into(),
        side: f.get("side").into(),
        description: f.get("description").into(),
    }
}

async fn new_form(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let body = choose_body(&st, &ctx, q.body.as_deref()).await?.ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") })?;
    Ok(form_page(&ctx, &body, None, &FormData(vec![("side".into(), "external".into())]), &[]))
}

async fn create(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Q>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let body = choose_body(&st, &ctx, q.body.as_deref()).await?.ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") })?;
    let f = FormData(form);
    match st.app.create_segment(&actor, &input(&body, &f)).await {
        Ok(id) => Ok(see_other(&format!("/segments/{id}"), "created")),
        Err(AppError::Invalid(inv)) => Ok(refused(form_page(&ctx, &body, None, &f, &inv.0))),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn view(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Q>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let s = st.app.segment(id).await.or_page(&ctx)?;
    let body = st.app.body(s.body_id).await.or_page(&ctx)?;
    let offerings = st
        .app
        .list_offerings(&actor, &ListQuery { segment_id: Some(id), ..Default::default() }, PageRequest { page: 1, per_page: 100 })
        .await
        .or_page(&ctx)?;
    Ok(page(
        &ctx,
        &s.name,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/segments?body={}", body.id), ctx.t("seg.title"))],
        html! {
            (notice(&ctx, q.done.as_deref()))
            span.caption { (side_tag(&ctx, s.side)) }
            h1 { (s.name) }
            @if !s.description.is_empty() { p.lead { (s.description) } }
            p.actions {
                a.button.button-secondary href={"/segments/" (s.id) "/edit"} { (ctx.t("common.edit")) }
                a.button.button-warning href={"/segments/" (s.id) "/delete"} { (ctx.t("common.delete")) }
            }
            h2 { (ctx.t("seg.served_by")) }
            @if offerings.items.is_empty() { p.empty { (ctx.t("seg.nothing")) } }
            @else {
                table.table.responsive {
                    thead { tr { th scope="col" { (ctx.t("common.name")) } th scope="col" { (ctx.t("cat.type_or_kind")) } th scope="col" { (ctx.t("off.benefit")) } th scope="col" { (ctx.t("cat.unit")) } th scope="col" { (ctx.t("cat.status")) } } }
                    tbody { @for o in &offerings.items { tr {
                        td data-label=(ctx.t("common.name")) { a href={"/offerings/" (o.id)} { (o.name) } }
                        td data-label=(ctx.t("cat.type_or_kind")) { (ctx.label("kind", o.kind.code())) ": " (type_label(&ctx, o)) }
                        td data-label=(ctx.t("off.benefit")) { (o.segments.iter().find(|x| x.id == id).map(|x| x.benefit.as_str()).unwrap_or("")) }
                        td data-label=(ctx.t("cat.unit")) { a href={"/units/" (o.owner_unit.id)} { (o.owner_unit.name) } }
                        td data-label=(ctx.t("cat.status")) { (status_tag(&ctx, o.status)) }
                    } } }
                }
            }
        },
    ))
}

async fn edit_form(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let s = st.app.segment(id).await.or_page(&ctx)?;
    let body = st.app.body(s.body_id).await.or_page(&ctx)?;
    let f = FormData(vec![
        ("name".into(), s.name.clone()),
        ("side".into(), s.side.code().into()),
        ("description".into(), s.description.clone()),
    ]);
    Ok(form_page(&ctx, &body, Some(&s), &f, &[]))
}

async fn update(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let s = st.app.segment(id).await.or_page(&ctx)?;
    let body = st.app.body(s.body_id).await.or_page(&ctx)?;
    let f = FormData(form);
    match st.app.update_segment(&actor, id, &input(&body, &f)).await {
        Ok(()) => Ok(see_other(&format!("/segments/{id}"), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(form_page(&ctx, &body, Some(&s), &f, &inv.0))),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn confirm_delete(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let s = st.app.segment(id).await.or_page(&ctx)?;
    Ok(layout::confirm_delete(&ctx, &format!("/segments/{}", s.id), &s.name))
}

async fn delete(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let s = st.app.segment(id).await.or_page(&ctx)?;
    st.app.delete_segment(&actor, id).await.or_page(&ctx)?;
    Ok(see_other(&format!("/segments?body={}", s.body_id), "deleted"))
}
