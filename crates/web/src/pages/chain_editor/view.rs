//! The chain as it is: each variant's stages as an ordered flow, and the request form.

use super::super::ctx::Ctx;
use super::super::layout::{crumb, page};
use super::super::{parse_id, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use maud::{html, Markup};
use okno_app::policy::{Action, Scope};
use okno_domain::chain::{ActorKind, Chain, FieldKind, Stage, Variant};
use okno_domain::org::{Employee, Unit};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ViewQ {
    done: Option<String>,
    saved: Option<String>,
}

pub async fn chain_page(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ViewQ>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    let body = st.app.body(o.body_id).await.or_page(&ctx)?;
    let chain = st.app.chain(&actor, id).await.or_page(&ctx)?;
    let units = st.app.list_units(body.id).await.or_page(&ctx)?;
    // Employees' names are personal data: shown to the body's staff, not to the public.
    let employees = if actor.may(Action::ReadInternal, Scope::Body(body.id)) {
        st.app.list_employees(&actor, body.id).await.or_page(&ctx)?
    } else {
        Vec::new()
    };
    let may_edit = actor.may(Action::EditOfferings, Scope::Body(body.id));
    let edit = format!("/offerings/{id}/chain/edit");
    let saved = q.saved.as_deref().and_then(|s| s.parse::<i64>().ok()).filter(|_| q.done.as_deref() == Some("saved"));
    let title = format!("{}: {}", ctx.t("chain.title"), o.name);
    Ok(page(
        &ctx,
        &title,
        &[
            crumb(format!("/bodies/{}", body.id), body.name.clone()),
            crumb(format!("/offerings?body={}", body.id), ctx.t("cat.title")),
            crumb(format!("/offerings/{id}"), o.name.clone()),
        ],
        html! {
            @if let Some(v) = saved {
                div.notice.notice-success role="status" { p { (ctx.t("chain.saved").replace("{n}", &v.to_string())) } }
            }
            h1 { (ctx.t("chain.title")) span.caption { (o.name) } }
            @match &chain {
                None => {
                    p.empty { (ctx.t("chain.none")) }
                    @if may_edit { p { a.button href=(edit) { (ctx.t("chain.create")) } } }
                }
                Some((version, c)) => {
                    p.meta { (ctx.t("chain.version")) " " strong { (version) } ". " (ctx.t("chain.versions_hint")) }
                    @if may_edit { p { a.button href=(edit) { (ctx.t("common.edit")) } } }
                    (chain_body(&ctx, c, &units, &employees))
                    p { a href={"/api/v1/offerings/" (id) "/chain"} { (ctx.t("common.json")) } }
                }
            }
        },
    ))
}

fn chain_body(ctx: &Ctx, c: &Chain, units: &[Unit], employees: &[Employee]) -> Markup {
    html! {
        @for (vi, v) in c.variants.iter().enumerate() {
            section.chain-variant aria-labelledby={"variant-" (vi)} {
                h2 id={"variant-" (vi)} { (v.name) }
                (variant_facts(ctx, v))
                ol.chain-flow role="list" aria-label={(ctx.t("chain.stages")) ": " (v.name)} {
                    @for (si, s) in v.stages.iter().enumerate() {
                        li.chain-step { (stage(ctx, v, si, s, units, employees)) }
                    }
                }
            }
        }
        h2 { (ctx.t("chain.form")) }
        @if c.form.is_empty() {
            p { (ctx.t("chain.form.none")) }
        } @else {
            p { (ctx.t("chain.form.lead")) }
            table.table.responsive {
                caption.visually-hidden { (ctx.t("chain.form")) }
                thead { tr {
                    th scope="col" { (ctx.t("chain.f.label")) }
                    th scope="col" { (ctx.t("chain.f.kind")) }
                    th scope="col" { (ctx.t("chain.f.required")) }
                    th scope="col" { (ctx.t("chain.f.details")) }
                } }
                tbody {
                    @for f in &c.form {
                        tr {
                            td data-label=(ctx.t("chain.f.label")) { (f.label) }
                            td data-label=(ctx.t("chain.f.kind")) { (ctx.label("chain.kind", f.kind.code())) }
                            td data-label=(ctx.t("chain.f.required")) { (if f.required { ctx.t("chain.yes") } else { ctx.t("chain.no") }) }
                            td data-label=(ctx.t("chain.f.details")) {
                                @if !f.hint.is_empty() { (f.hint) }
                                @if f.kind == FieldKind::Choice { ul.plain { @for opt in &f.options { li { (opt) } } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn variant_facts(ctx: &Ctx, v: &Variant) -> Markup {
    html! {
        dl.summary-list {
            @if !v.applicant.is_empty() { div { dt { (ctx.t("chain.f.applicant")) } dd { (v.applicant) } } }
            div { dt { (ctx.t("chain.f.total")) } dd {
                @match &v.total_deadline { Some(t) => (t.describe()), None => (ctx.t("chain.no_term")) }
            } }
            @if v.max_extensions > 0 {
                div { dt { (ctx.t("chain.f.extensions")) } dd {
                    (ctx.t("chain.extensions_text").replace("{n}", &v.max_extensions.to_string()).replace("{days}", &v.extension_days.to_string()))
                } }
            }
        }
    }
}

/// Who does a stage, in words. Without the right to read staff the stage names the
/// employee's unit only.
pub fn actor_text(ctx: &Ctx, s: &Stage, units: &[Unit], employees: &[Employee]) -> String {
    let unit = |id: Option<okno_domain::Id>| {
        id.and_then(|id| units.iter().find(|u| u.id == id)).map(|u| u.name.clone()).unwrap_or_else(|| ctx.t("chain.unit_gone").to_string())
    };
    match s.actor_kind {
        ActorKind::Unit => unit(s.unit_id),
        ActorKind::Employee => match s.employee_id.and_then(|e| employees.iter().find(|x| x.id == e)) {
            Some(e) if e.position.is_empty() => format!("{} ({})", e.full_name, unit(Some(e.unit_id))),
            Some(e) => format!("{}, {} ({})", e.full_name, e.position, unit(Some(e.unit_id))),
            None => format!("{} — {}", unit(s.unit_id), ctx.t("chain.an_employee")),
        },
        ActorKind::OtherBody | ActorKind::Institution => {
            let mut t = format!("{}: {}", ctx.label("chain.actor", s.actor_kind.code()), s.actor_name);
            if s.unit_id.is_some() {
                t.push_str(&format!(" ({} {})", ctx.t("chain.via"), unit(s.unit_id)));
            }
            t
        }
    }
}

fn stage(ctx: &Ctx, v: &Variant, si: usize, s: &Stage, units: &[Unit], employees: &[Employee]) -> Markup {
    let returns: Vec<String> =
        s.may_return_to.iter().filter_map(|k| v.stage_index(k).map(|i| format!("{}. {}", i + 1, v.stages[i].name))).collect();
    html! {
        h3.chain-step-title { span.chain-step-no { (si + 1) } " " (s.name) }
        dl.chain-facts {
            div { dt { (ctx.t("chain.f.actor")) } dd { (actor_text(ctx, s, units, employees)) } }
            @if !s.role.is_empty() { div { dt { (ctx.t("chain.f.role")) } dd.pre-line { (s.role) } } }
            div { dt { (ctx.t("chain.f.deadline")) } dd {
                @match &s.deadline { Some(d) => (d.describe()), None => (ctx.t("chain.no_term")) }
            } }
            div { dt { (ctx.t("chain.f.client_sees")) } dd { (s.client_sees) } }
        }
        @if s.waits_for_client || s.may_refuse || s.may_suspend || !returns.is_empty() {
            ul.chain-flags {
                @if s.waits_for_client { li { strong.tag.tag-waiting_for_client { (ctx.t("chain.flag.waits")) } } }
                @if s.may_refuse { li { strong.tag.tag-retired { (ctx.t("chain.flag.refuse")) } } }
                @if s.may_suspend { li { strong.tag.tag-suspended { (ctx.t("chain.flag.suspend")) } } }
                @if !returns.is_empty() { li { (ctx.t("chain.flag.returns")) " " (returns.join("; ")) } }
            }
        }
    }
}
