//! Bodies, units and employees: pages and forms.

use super::catalogue::type_label;
use super::ctx::Ctx;
use super::forms::{error_summary, select, status_tag, text_input, textarea, Errors, Field, FormData};
use super::layout::{self, crumb, notice, page};
use super::{choose_body, parse_id, refused, see_other, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use okno_app::{AppError, ListQuery, PageRequest};
use okno_domain::org::{Body, BodyInput, EmployeeInput, Unit, UnitInput};
use okno_domain::{FieldError, Id};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    let editing = Router::new()
        .route("/bodies/new", get(new_body).post(create_body))
        .route("/bodies/{id}/edit", get(edit_body).post(update_body))
        .route("/units/new", get(new_unit).post(create_unit))
        .route("/units/{id}/edit", get(edit_unit).post(update_unit))
        .route("/units/{id}/delete", get(confirm_delete_unit).post(delete_unit))
        .route("/employees/new", get(new_employee).post(create_employee))
        .route("/employees/{id}/edit", get(edit_employee).post(update_employee))
        .route("/employees/{id}/delete", axum::routing::post(delete_employee))
        .route_layer(axum::middleware::from_fn(super::editors_only));
    Router::new().route("/bodies/{id}", get(view_body)).route("/units", get(units)).route("/units/{id}", get(view_unit)).merge(editing)
}

#[derive(Deserialize, Default)]
pub struct Q {
    body: Option<String>,
    unit: Option<String>,
    done: Option<String>,
}

fn field<'a>(ctx: &Ctx, f: &'a FormData, name: &'a str, label: &str, hint: Option<&str>, required: bool) -> Field<'a> {
    Field { name, label: ctx.lang.t(label), hint: hint.map(|h| ctx.lang.t(h)), value: f.get(name), required }
}

// ---- bodies ----

fn body_form(ctx: &Ctx, existing: Option<&Body>, f: &FormData, errors: &[FieldError]) -> Markup {
    let errs = Errors { list: errors };
    let (title, action) = match existing {
        Some(b) => (ctx.t("body.edit"), format!("/bodies/{}/edit", b.id)),
        None => (ctx.t("body.new"), "/bodies/new".to_string()),
    };
    page(
        ctx,
        title,
        &existing.map(|b| vec![crumb(format!("/bodies/{}", b.id), b.name.clone())]).unwrap_or_default(),
        html! {
            (error_summary(ctx, errors))
            h1 { (title) }
            @if existing.is_none() { p { (ctx.t("body.segments_note")) } }
            form method="post" action=(action) novalidate {
                (super::forms::csrf_field(ctx))
                (text_input(ctx, field(ctx, f, "name", "common.name", Some("body.name.hint"), true), &errs, "text", "w-full"))
                (text_input(ctx, field(ctx, f, "short_name", "body.short_name", None, false), &errs, "text", "w-20"))
                (textarea(ctx, field(ctx, f, "description", "common.description", None, false), &errs, 3))
                div.actions { button.button type="submit" { (ctx.t("common.save")) } }
            }
        },
    )
}

fn body_input(f: &FormData) -> BodyInput {
    BodyInput { name: f.get("name").into(), short_name: f.get("short_name").into(), description: f.get("description").into() }
}

async fn new_body(ctx: Ctx) -> Markup {
    body_form(&ctx, None, &FormData::default(), &[])
}

async fn create_body(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(form);
    match st.app.create_body(&actor, &body_input(&f)).await {
        Ok(id) => Ok(see_other(&format!("/bodies/{id}"), "created")),
        Err(AppError::Invalid(inv)) => Ok(refused(body_form(&ctx, None, &f, &inv.0))),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn view_body(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let b = st.app.body(id).await.or_page(&ctx)?;
    let units = st.app.list_units(id).await.or_page(&ctx)?;
    let segments = st.app.list_segments(id).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        &b.name,
        &[],
        html! {
            (notice(&ctx, q.done.as_deref()))
            h1 { (b.name) }
            @if !b.description.is_empty() { p.lead { (b.description) } }
            ul.tiles {
                li { a href={"/offerings?body=" (b.id)} { (ctx.t("cat.title")) } }
                li { a href={"/client-map?body=" (b.id)} { (ctx.t("map.title")) } }
                li { a href={"/segments?body=" (b.id)} { (ctx.t("seg.title")) " (" (segments.len()) ")" } }
                li { a href={"/units?body=" (b.id)} { (ctx.t("unit.title")) " (" (units.len()) ")" } }
                li { a href={"/transfer?body=" (b.id)} { (ctx.t("tr.title")) } }
                li { a href={"/bodies/" (b.id) "/calendar"} { (ctx.t("cal.title")) } }
            }
            p { a href={"/bodies/" (b.id) "/edit"} { (ctx.t("body.edit")) } }
        },
    ))
}

async fn edit_body(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let b = st.app.body(id).await.or_page(&ctx)?;
    let f = FormData(vec![
        ("name".into(), b.name.clone()),
        ("short_name".into(), b.short_name.clone()),
        ("description".into(), b.description.clone()),
    ]);
    Ok(body_form(&ctx, Some(&b), &f, &[]))
}

async fn update_body(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let b = st.app.body(id).await.or_page(&ctx)?;
    let f = FormData(form);
    match st.app.update_body(&actor, id, &body_input(&f)).await {
        Ok(()) => Ok(see_other(&format!("/bodies/{id}"), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(body_form(&ctx, Some(&b), &f, &inv.0))),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

// ---- units ----

/// Units in tree order with their depth, for indented lists and selects.
fn tree(units: &[Unit]) -> Vec<(usize, &Unit)> {
    fn walk<'a>(units: &'a [Unit], parent: Option<Id>, depth: usize, out: &mut Vec<(usize, &'a Unit)>) {
        for u in units.iter().filter(|u| u.parent_id == parent) {
            out.push((depth, u));
            if depth < 20 {
                walk(units, Some(u.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(units, None, 0, &mut out);
    out
}

async fn units(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Ok(page(&ctx, ctx.t("unit.title"), &[], html! { h1 { (ctx.t("unit.title")) } p.empty { (ctx.t("home.empty")) } }));
    };
    let units = st.app.list_units(body.id).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        ctx.t("unit.title"),
        &[crumb(format!("/bodies/{}", body.id), body.name.clone())],
        html! {
            (notice(&ctx, q.done.as_deref()))
            h1 { (ctx.t("unit.title")) span.caption { (body.name) } }
            p { a.button href={"/units/new?body=" (body.id)} { (ctx.t("unit.add")) } }
            @if units.is_empty() { p.empty { (ctx.t("unit.empty")) } }
            ul.tree {
                @for (depth, u) in tree(&units) {
                    li class={"depth-" (depth.min(5))} { a href={"/units/" (u.id)} { (u.name) } }
                }
            }
        },
    ))
}

async fn unit_form(
    st: &AppState,
    ctx: &Ctx,
    body: &Body,
    existing: Option<&Unit>,
    f: &FormData,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    let units = st.app.list_units(body.id).await.or_page(ctx)?;
    let errs = Errors { list: errors };
    let (title, action) = match existing {
        Some(u) => (ctx.t("unit.edit"), format!("/units/{}/edit", u.id)),
        None => (ctx.t("unit.new"), format!("/units/new?body={}", body.id)),
    };
    let parents: Vec<(String, String)> = tree(&units)
        .into_iter()
        .filter(|(_, u)| Some(u.id) != existing.map(|e| e.id))
        .map(|(d, u)| (u.id.to_string(), format!("{}{}", "— ".repeat(d), u.name)))
        .collect();
    Ok(page(
        ctx,
        title,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/units?body={}", body.id), ctx.t("unit.title"))],
        html! {
            (error_summary(ctx, errors))
            h1 { (title) }
            form method="post" action=(action) novalidate {
                (super::forms::csrf_field(ctx))
                (text_input(ctx, field(ctx, f, "name", "common.name", None, true), &errs, "text", "w-full"))
                (select(ctx, field(ctx, f, "parent_id", "unit.parent", None, false), &errs, &parents))
                (textarea(ctx, field(ctx, f, "description", "common.description", None, false), &errs, 3))
                div.actions { button.button type="submit" { (ctx.t("common.save")) } }
            }
        },
    ))
}

fn unit_input(body: Id, f: &FormData) -> UnitInput {
    UnitInput {
        body_id: Some(body),
        parent_id: f.opt("parent_id").and_then(|p| p.parse().ok()),
        name: f.get("name").into(),
        description: f.get("description").into(),
    }
}

async fn new_unit(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let body = choose_body(&st, &ctx, q.body.as_deref()).await?.ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") })?;
    unit_form(&st, &ctx, &body, None, &FormData::default(), &[]).await
}

async fn create_unit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Q>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let body = choose_body(&st, &ctx, q.body.as_deref()).await?.ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") })?;
    let f = FormData(form);
    match st.app.create_unit(&actor, &unit_input(body.id, &f)).await {
        Ok(id) => Ok(see_other(&format!("/units/{id}"), "created")),
        Err(AppError::Invalid(inv)) => Ok(refused(unit_form(&st, &ctx, &body, None, &f, &inv.0).await?)),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn view_unit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Q>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let u = st.app.unit(id).await.or_page(&ctx)?;
    let body = st.app.body(u.body_id).await.or_page(&ctx)?;
    let units = st.app.list_units(u.body_id).await.or_page(&ctx)?;
    let staff_view = actor.may(okno_app::policy::Action::ReadInternal, okno_app::policy::Scope::Body(u.body_id));
    let employees: Vec<_> = if staff_view {
        st.app.list_employees(&actor, u.body_id).await.or_page(&ctx)?.into_iter().filter(|e| e.unit_id == id).collect()
    } else {
        Vec::new()
    };
    let offerings = st
        .app
        .list_offerings(&actor, &ListQuery { unit_id: Some(id), ..Default::default() }, PageRequest { page: 1, per_page: 100 })
        .await
        .or_page(&ctx)?;
    let parent = u.parent_id.and_then(|p| units.iter().find(|x| x.id == p));
    Ok(page(
        &ctx,
        &u.name,
        &[crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/units?body={}", body.id), ctx.t("unit.title"))],
        html! {
            (notice(&ctx, q.done.as_deref()))
            @if let Some(p) = parent { span.caption { a href={"/units/" (p.id)} { (p.name) } } }
            h1 { (u.name) }
            @if !u.description.is_empty() { p.lead { (u.description) } }
            p.actions {
                a.button.button-secondary href={"/units/" (u.id) "/edit"} { (ctx.t("common.edit")) }
                a.button.button-secondary href={"/offerings/new?body=" (body.id)} { (ctx.t("cat.add")) }
                a.button.button-warning href={"/units/" (u.id) "/delete"} { (ctx.t("common.delete")) }
            }
            h2 { (ctx.t("unit.produces")) }
            @if offerings.items.is_empty() { p.empty { (ctx.t("unit.nothing")) } }
            @else {
                table.table.responsive {
                    thead { tr { th scope="col" { (ctx.t("common.name")) } th scope="col" { (ctx.t("cat.type_or_kind")) } th scope="col" { (ctx.t("cat.clients")) } th scope="col" { (ctx.t("cat.status")) } } }
                    tbody { @for o in &offerings.items { tr {
                        td data-label=(ctx.t("common.name")) { a href={"/offerings/" (o.id)} { (o.name) } }
                        td data-label=(ctx.t("cat.type_or_kind")) { (ctx.label("kind", o.kind.code())) ": " (type_label(&ctx, o)) }
                        td data-label=(ctx.t("cat.clients")) { (o.segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")) }
                        td data-label=(ctx.t("cat.status")) { (status_tag(&ctx, o.status)) }
                    } } }
                }
            }
            @let subs: Vec<_> = units.iter().filter(|x| x.parent_id == Some(u.id)).collect();
            @if !subs.is_empty() {
                h2 { (ctx.t("unit.subunits")) }
                ul { @for s in subs { li { a href={"/units/" (s.id)} { (s.name) } } } }
            }
            // Employees are personal data: the public page of a unit does not list them.
            @if staff_view {
                h2 { (ctx.t("unit.employees")) }
                @if employees.is_empty() { p { (ctx.t("unit.no_employees")) } }
                ul.employees {
                    @for e in &employees {
                        li { (e.full_name) @if !e.position.is_empty() { ", " (e.position) } " " a href={"/employees/" (e.id) "/edit"} { (ctx.t("common.edit")) span.visually-hidden { ": " (e.full_name) } } }
                    }
                }
                p { a.button.button-secondary href={"/employees/new?unit=" (u.id)} { (ctx.t("emp.add")) } }
            }
        },
    ))
}

async fn edit_unit(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let u = st.app.unit(id).await.or_page(&ctx)?;
    let body = st.app.body(u.body_id).await.or_page(&ctx)?;
    let f = FormData(vec![
        ("name".into(), u.name.clone()),
        ("parent_id".into(), u.parent_id.map(|p| p.to_string()).unwrap_or_default()),
        ("description".into(), u.description.clone()),
    ]);
    unit_form(&st, &ctx, &body, Some(&u), &f, &[]).await
}

async fn update_unit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let u = st.app.unit(id).await.or_page(&ctx)?;
    let body = st.app.body(u.body_id).await.or_page(&ctx)?;
    let f = FormData(form);
    match st.app.update_unit(&actor, id, &unit_input(body.id, &f)).await {
        Ok(()) => Ok(see_other(&format!("/units/{id}"), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(unit_form(&st, &ctx, &body, Some(&u), &f, &inv.0).await?)),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn confirm_delete_unit(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let u = st.app.unit(id).await.or_page(&ctx)?;
    Ok(layout::confirm_delete(&ctx, &format!("/units/{}", u.id), &u.name))
}

async fn delete_unit(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let u = st.app.unit(id).await.or_page(&ctx)?;
    st.app.delete_unit(&actor, id).await.or_page(&ctx)?;
    Ok(see_other(&format!("/units?body={}", u.body_id), "deleted"))
}

// ---- employees ----

async fn employee_form(
    st: &AppState,
    ctx: &Ctx,
    body: Id,
    existing: Option<Id>,
    f: &FormData,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    let units = st.app.list_units(body).await.or_page(ctx)?;
    let errs = Errors { list: errors };
    let (title, action) = match existing {
        Some(id) => (ctx.t("emp.edit"), format!("/employees/{id}/edit")),
        None => (ctx.t("emp.new"), "/employees/new".to_string()),
    };
    let options: Vec<(String, String)> =
        tree(&units).into_iter().map(|(d, u)| (u.id.to_string(), format!("{}{}", "— ".repeat(d), u.name))).collect();
    Ok(page(
        ctx,
        title,
        &[crumb(format!("/units?body={body}"), ctx.t("unit.title"))],
        html! {
            (error_summary(ctx, errors))
            h1 { (title) }
            form method="post" action=(action) novalidate {
                (super::forms::csrf_field(ctx))
                (text_input(ctx, field(ctx, f, "full_name", "emp.full_name", None, true), &errs, "text", "w-full"))
                (text_input(ctx, field(ctx, f, "position", "emp.position", None, false), &errs, "text", "w-full"))
                (text_input(ctx, field(ctx, f, "email", "emp.email", None, false), &errs, "email", "w-20"))
                (select(ctx, field(ctx, f, "unit_id", "emp.unit", None, true), &errs, &options))
                div.actions { button.button type="submit" { (ctx.t("common.save")) } }
            }
            @if let Some(id) = existing {
                form method="post" action={"/employees/" (id) "/delete"} {
                    (super::forms::csrf_field(ctx))
                    button.button.button-warning type="submit" { (ctx.t("common.delete")) }
                }
            }
        },
    ))
}

fn employee_input(f: &FormData) -> EmployeeInput {
    EmployeeInput {
        unit_id: f.opt("unit_id").and_then(|u| u.parse().ok()),
        full_name: f.get("full_name").into(),
        position: f.get("position").into(),
        email: f.opt("email").map(Into::into),
    }
}

async fn new_employee(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let unit = parse_id(&ctx, q.unit.as_deref().unwrap_or(""))?;
    let u = st.app.unit(unit).await.or_page(&ctx)?;
    employee_form(&st, &ctx, u.body_id, None, &FormData(vec![("unit_id".into(), u.id.to_string())]), &[]).await
}

async fn create_employee(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = FormData(form);
    let input = employee_input(&f);
    match st.app.create_employee(&actor, &input).await {
        Ok(_) => Ok(see_other(&format!("/units/{}", input.unit_id.expect("validated")), "created")),
        Err(AppError::Invalid(inv)) => {
            // Without a valid unit we cannot know the body; fall back to the first one.
            let body = match input.unit_id {
                Some(u) => st.app.unit(u).await.ok().map(|u| u.body_id),
                None => None,
            };
            let body = match body {
                Some(b) => b,
                None => choose_body(&st, &ctx, None)
                    .await?
                    .map(|b| b.id)
                    .ok_or(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") })?,
            };
            Ok(refused(employee_form(&st, &ctx, body, None, &f, &inv.0).await?))
        }
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

async fn edit_employee(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let e = st.app.employee(&actor, id).await.or_page(&ctx)?;
    let f = FormData(vec![
        ("full_name".into(), e.full_name.clone()),
        ("position".into(), e.position.clone()),
        ("email".into(), e.email.clone().unwrap_or_default()),
        ("unit_id".into(), e.unit_id.to_string()),
    ]);
    employee_form(&st, &ctx, e.body_id, Some(id), &f, &[]).await
}

async fn update_employee(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let e = st.app.employee(&actor, id).await.or_page(&ctx)?;
    let f = FormData(form);
    let input = employee_input(&f);
    match st.app.update_employee(&actor, id, &input).await {
        Ok(()) => Ok(see_other(&format!("/units/{}", input.unit_id.unwrap_or(e.unit_id)), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(employee_form(&st, &ctx, e.body_id, Some(id), &f, &inv.0).await?)),
        Err(err) => Err(PageError { ctx, err }),
    }
}

async fn delete_employee(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let e = st.app.employee(&actor, id).await.or_page(&ctx)?;
    st.app.delete_employee(&actor, id).await.or_page(&ctx)?;
    Ok(see_other(&format!("/units/{}", e.unit_id), "deleted"))
}
