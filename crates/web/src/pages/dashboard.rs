//! The dashboards: a body's overview (`/analytics`, worst first), an offering's figures
//! with its chain drawn as a flow and a monthly trend (`/offerings/{id}/metrics`, with the
//! cost entries behind cost per transaction), and the public transparency page
//! (`/transparency`). Every chart has a table with the same figures beside it.

use super::ctx::Ctx;
use super::forms::{csrf_field, error_summary, text_input, Errors, Field, FormData};
use super::layout::{crumb, notice, page};
use super::{choose_body, parse_id, refused, OrPage, PageError};
use crate::api::dashboard::day;
use crate::flow_chart::{flow_svg, trend_svg, FlowLabels, FlowLoop, FlowStage, TrendLabels, TrendPoint};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup, PreEscaped};
use okno_app::analytics::StageMetricsView;
use okno_app::dashboard::{Kpis, OfferingKpis};
use okno_app::policy::{Action, Scope};
use okno_app::{Actor, AppError};
use okno_domain::FieldError;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/analytics", get(overview))
        .route("/offerings/{id}/metrics", get(offering))
        .route("/offerings/{id}/costs", post(add_cost))
        .route("/offerings/{id}/costs/{cost}/delete", post(delete_cost))
        .route("/transparency", get(transparency))
}

#[derive(Deserialize)]
struct Q {
    body: Option<String>,
    from: Option<String>,
    to: Option<String>,
    done: Option<String>,
}

const DAY: f64 = 86_400_000.0;

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.0} %", v * 100.0))
}

fn dec(v: Option<f64>, digits: usize) -> String {
    v.map_or("—".into(), |v| format!("{v:.digits$}").replace('.', ","))
}

fn roubles(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{} ₽", dec(Some(v), 2)))
}

fn period_form(ctx: &Ctx, action: &str, hidden: &[(&str, String)], q: &Q) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            div.field { label.label for="period-from" { (ctx.t("dash.from")) } input.w-10 id="period-from" name="from" type="date" value=[q.from.as_deref()]; }
            div.field { label.label for="period-to" { (ctx.t("dash.to")) } input.w-10 id="period-to" name="to" type="date" value=[q.to.as_deref()]; }
            div.actions { button.button.button-secondary type="submit" { (ctx.t("common.filter")) } }
        }
    }
}

fn groups_table(ctx: &Ctx, caption: &str, first: &str, rows: &[okno_app::dashboard::GroupRow]) -> Markup {
    html! {
        table.responsive {
            caption { (caption) }
            thead { tr { th { (first) } th.num { (ctx.t("dash.index")) } th.num { (ctx.t("dash.requests")) } th.num { (ctx.t("dash.late")) } th.num { (ctx.t("dash.median_days")) } th.num { (ctx.t("dash.clarity")) } } }
            tbody {
                @for g in rows {
                    tr {
                        td data-label=(first) { (g.name) }
                        td.num data-label=(ctx.t("dash.index")) { (dec(g.centricity.index, 0)) }
                        td.num data-label=(ctx.t("dash.requests")) { (g.requests) }
                        td.num data-label=(ctx.t("dash.late")) { (pct(g.breach_share)) }
                        td.num data-label=(ctx.t("dash.median_days")) { (dec(g.median_throughput_ms.map(|m| m / DAY), 1)) }
                        td.num data-label=(ctx.t("dash.clarity")) { (dec(g.clarity, 1)) }
                    }
                }
            }
        }
    }
}

/// The six parts of the index, each on its own (0–100, 100 best), and the index.
fn parts_table(ctx: &Ctx, caption: &str, rows: &[(String, &okno_app::analytics::engine::Centricity)]) -> Markup {
    let heads = ["dash.p_timeliness", "dash.p_waiting", "dash.p_rework", "dash.p_transparency", "dash.p_effort", "dash.p_satisfaction"];
    html! {
        table.responsive {
            caption { (caption) }
            thead { tr { th { (ctx.t("dash.part_of")) } @for h in heads { th.num { (ctx.t(h)) } } th.num { (ctx.t("dash.index")) } } }
            tbody {
                @for (name, c) in rows {
                    @let p = &c.parts;
                    tr {
                        td data-label=(ctx.t("dash.part_of")) { (name) }
                        @for (h, v) in heads.iter().zip([p.timeliness, p.waiting, p.rework, p.transparency, p.effort, p.satisfaction]) {
                            td.num data-label=(ctx.t(h)) { (dec(v.map(|v| v * 100.0), 0)) }
                        }
                        td.num data-label=(ctx.t("dash.index")) { (dec(c.index, 0)) }
                    }
                }
            }
        }
    }
}

fn kpi_panel(ctx: &Ctx, k: &Kpis, index: Option<f64>) -> Markup {
    html! {
        dl.kpis {
            div { dt { (ctx.t("dash.index")) } dd { (dec(index, 0)) } }
            div { dt { (ctx.t("dash.requests")) } dd { (k.requests) } }
            div { dt { (ctx.t("dash.completion")) } dd { (pct(k.completion_rate)) } }
            div { dt { (ctx.t("dash.digital")) } dd { (pct(k.digital_take_up)) } }
            div { dt { (ctx.t("dash.satisfaction")) } dd { (pct(k.satisfaction)) span.hint.kpi-note { (k.ratings) " " (ctx.t("dash.ratings_n")) } } }
            div { dt { (ctx.t("dash.cost")) } dd { (roubles(k.cost_per_transaction))
                @if let Some(c) = k.cost_coverage.filter(|c| *c < 0.999) { span.hint.kpi-note { (ctx.t("dash.cost_covers")) " " (pct(Some(c))) } } } }
        }
    }
}

async fn overview(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<Q>,
) -> Result<Markup, PageError> {
    let mine = actor.internal_bodies().and_then(|b| b.first().map(|id| id.to_string()));
    let body = choose_body(&st, &ctx, q.body.as_deref().or(mine.as_deref()))
        .await?
        .ok_or_else(|| PageError::new(&ctx, AppError::NotFound("body")))?;
    let o = st.app.body_overview(&actor, body.id, q.from.as_deref(), q.to.as_deref()).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        ctx.t("dash.title"),
        &[],
        html! {
            span.caption { (o.body.name) }
            h1 { (ctx.t("dash.title")) }
            p.lead { (ctx.t("dash.lead")) }
            (period_form(&ctx, "/analytics", &[("body", body.id.to_string())], &q))
            p.hint { (ctx.t("dash.period")) " " (day(o.from)) " — " (day(o.to - 1)) ". " a href="/transparency" { (ctx.t("dash.public_link")) } }
            @match &o.total {
                None => p.empty { (ctx.t("dash.none")) },
                Some(t) => {
                    (kpi_panel(&ctx, &t.kpis, t.centricity.index))
                    @if t.open_followups > 0 {
                        p { a href={"/followups?body=" (body.id)} { (ctx.t("dash.followups")) ": " (t.open_followups) } }
                    }
                    h2 { (ctx.t("dash.worst_stages")) }
                    @if o.worst_stages.is_empty() {
                        p.empty { (ctx.t("dash.no_stages")) }
                    } @else {
                        table.responsive {
                            caption { (ctx.t("dash.worst_stages_caption")) }
                            thead { tr {
                                th { (ctx.t("dash.stage")) } th { (ctx.t("dash.offering")) } th.num { (ctx.t("dash.index")) }
                                th.num { (ctx.t("dash.late")) } th.num { (ctx.t("dash.returns")) } th.num { (ctx.t("dash.waiting_share")) }
                                th.num { (ctx.t("dash.rating")) } th.num { (ctx.t("dash.visits")) }
                            } }
                            tbody {
                                @for s in &o.worst_stages {
                                    tr {
                                        td data-label=(ctx.t("dash.stage")) { (s.stage_name) }
                                        td data-label=(ctx.t("dash.offering")) { a href={"/offerings/" (s.offering) "/metrics"} { (s.offering_name) } }
                                        td.num data-label=(ctx.t("dash.index")) { (dec(s.metrics.centricity.index, 0)) }
                                        td.num data-label=(ctx.t("dash.late")) { (pct(s.metrics.breach_share)) }
                                        td.num data-label=(ctx.t("dash.returns")) { (pct(s.metrics.return_share)) }
                                        td.num data-label=(ctx.t("dash.waiting_share")) { (pct(s.metrics.waiting_share)) }
                                        td.num data-label=(ctx.t("dash.rating")) { (dec(s.metrics.ratings.mean, 1)) }
                                        td.num data-label=(ctx.t("dash.visits")) { (s.metrics.finished) }
                                    }
                                }
                            }
                        }
                    }
                    h2 { (ctx.t("dash.offerings")) }
                    table.responsive {
                        caption { (ctx.t("dash.offerings_caption")) }
                        thead { tr {
                            th { (ctx.t("dash.offering")) } th.num { (ctx.t("dash.index")) } th.num { (ctx.t("dash.requests")) }
                            th.num { (ctx.t("dash.completion")) } th.num { (ctx.t("dash.digital")) } th.num { (ctx.t("dash.satisfaction")) }
                            th.num { (ctx.t("dash.cost")) } th.num { (ctx.t("dash.late")) } th.num { (ctx.t("dash.median_days")) }
                            th.num { (ctx.t("dash.clarity")) }
                        } }
                        tbody {
                            @for r in &o.offerings {
                                tr {
                                    td data-label=(ctx.t("dash.offering")) { a href={"/offerings/" (r.offering) "/metrics"} { (r.name) } }
                                    td.num data-label=(ctx.t("dash.index")) { (dec(r.centricity.index, 0)) }
                                    td.num data-label=(ctx.t("dash.requests")) { (r.kpis.requests) }
                                    td.num data-label=(ctx.t("dash.completion")) { (pct(r.kpis.completion_rate)) }
                                    td.num data-label=(ctx.t("dash.digital")) { (pct(r.kpis.digital_take_up)) }
                                    td.num data-label=(ctx.t("dash.satisfaction")) { (pct(r.kpis.satisfaction)) }
                                    td.num data-label=(ctx.t("dash.cost")) { (roubles(r.kpis.cost_per_transaction)) }
                                    td.num data-label=(ctx.t("dash.late")) { (pct(r.breach_share)) }
                                    td.num data-label=(ctx.t("dash.median_days")) { (dec(r.median_throughput_ms.map(|m| m / DAY), 1)) }
                                    td.num data-label=(ctx.t("dash.clarity")) { (dec(r.clarity, 1)) }
                                }
                            }
                        }
                    }
                    h2 { (ctx.t("dash.parts")) }
                    p.hint { (ctx.t("dash.parts_help")) }
                    (parts_table(&ctx, ctx.t("dash.parts_caption"), &std::iter::once((t.name.clone(), &t.centricity)).chain(o.offerings.iter().map(|r| (r.name.clone(), &r.centricity))).collect::<Vec<_>>()))
                    h2 { (ctx.t("dash.units")) }
                    (groups_table(&ctx, ctx.t("dash.units_caption"), ctx.t("dash.unit"), &o.units))
                    p.hint { (ctx.t("dash.kpi_help")) }
                }
            }
        },
    ))
}

/// The flow's stages in chain order, and its returns as loops.
fn flow_parts(v: &StageMetricsView) -> (Vec<FlowStage>, Vec<FlowLoop>) {
    let Some(g) = v.report.group(None) else { return (Vec::new(), Vec::new()) };
    let mut keys: Vec<&str> = v.order.iter().map(String::as_str).filter(|k| g.stage(k).is_some()).collect();
    for s in &g.stages {
        if !keys.contains(&s.stage.as_str()) {
            keys.push(&s.stage);
        }
    }
    let stages = keys
        .iter()
        .filter_map(|k| g.stage(k))
        .map(|s| FlowStage {
            name: v.names.get(&s.stage).cloned().unwrap_or_else(|| s.stage.clone()),
            visits: s.visits,
            waiting_days: match (s.queue_wait.mean_ms, s.client_wait.mean_ms) {
                (Some(a), Some(b)) => Some((a + b) / DAY),
                _ => None,
            },
            working_days: s.working.mean_ms.map(|m| m / DAY),
            breach_share: s.breach_share,
            return_share: s.return_share,
            rating: s.ratings.mean,
            index: s.centricity.index,
        })
        .collect();
    let pos = |k: &str| keys.iter().position(|x| *x == k);
    let loops = g
        .edges
        .iter()
        .filter_map(|e| match (pos(&e.from), pos(&e.to)) {
            (Some(a), Some(b)) if b < a => Some(FlowLoop { from: a, to: b, count: e.count }),
            _ => None,
        })
        .collect();
    (stages, loops)
}

/// What the offering page shows: the offering, its stage metrics and KPIs.
struct OfferingFigures<'a> {
    offering: &'a okno_domain::offering::Offering,
    metrics: &'a StageMetricsView,
    kpis: &'a OfferingKpis,
}

fn offering_page(ctx: &Ctx, actor: &Actor, fig: &OfferingFigures<'_>, q: &Q, f: &FormData, errors: &[FieldError]) -> Markup {
    let (v, k, name, body) = (fig.metrics, fig.kpis, fig.offering.name.as_str(), fig.offering.body_id);
    let (stages, loops) = flow_parts(v);
    let id = v.offering;
    let flow = flow_svg(
        &stages,
        &loops,
        &FlowLabels {
            title: ctx.t("dash.flow_title"),
            waiting: ctx.t("dash.waiting"),
            working: ctx.t("dash.working"),
            days: ctx.t("dash.days"),
            late: ctx.t("dash.late"),
            returns: ctx.t("dash.returns"),
            index: ctx.t("dash.index"),
        },
    );
    let points: Vec<TrendPoint> = k
        .months
        .iter()
        .map(|m| TrendPoint {
            label: format!("{}.{}", &m.month[5..7], &m.month[2..4]),
            requests: m.kpis.requests,
            index: m.centricity,
            on_time: m.breach_share.map(|b| 1.0 - b),
        })
        .collect();
    let trend = trend_svg(
        &points,
        &TrendLabels {
            title: ctx.t("dash.trend_title"),
            requests: ctx.t("dash.requests"),
            index: ctx.t("dash.index"),
            on_time: ctx.t("dash.on_time"),
        },
    );
    let group = v.report.group(None);
    let may_edit = actor.may(Action::EditOfferings, Scope::Body(body));
    let errs = Errors { list: errors };
    html! {
        (notice(ctx, q.done.as_deref()))
        span.caption { (ctx.t("dash.offering_caption")) }
        h1 { (name) }
        (period_form(ctx, &format!("/offerings/{id}/metrics"), &[], q))
        p.hint { (ctx.t("dash.period")) " " (day(v.from)) " — " (day(v.to - 1)) ". "
            a href={"/api/v1/offerings/" (id) "/stage-metrics?from=" (day(v.from)) "&to=" (day(v.to))} { (ctx.t("dash.as_json")) } }
        (error_summary(ctx, errors))
        (kpi_panel(ctx, &k.kpis, group.and_then(|g| g.centricity.index)))
        @if stages.is_empty() {
            p.empty { (ctx.t("dash.none")) }
        } @else {
            h2 { (ctx.t("dash.flow_title")) }
            p.hint { (ctx.t("dash.flow_help")) }
            div.chart-scroll { (PreEscaped(flow)) }
            table.responsive {
                caption { (ctx.t("dash.stages_caption")) }
                thead { tr {
                    th { (ctx.t("dash.stage")) } th.num { (ctx.t("dash.visits")) } th.num { (ctx.t("dash.waiting")) } th.num { (ctx.t("dash.working")) }
                    th.num { (ctx.t("dash.late")) } th.num { (ctx.t("dash.returns")) } th.num { (ctx.t("dash.rating")) } th.num { (ctx.t("dash.index")) }
                } }
                tbody {
                    @for s in &stages {
                        tr {
                            td data-label=(ctx.t("dash.stage")) { (s.name) }
                            td.num data-label=(ctx.t("dash.visits")) { (s.visits) }
                            td.num data-label=(ctx.t("dash.waiting")) { (dec(s.waiting_days, 1)) " " (ctx.t("dash.days")) }
                            td.num data-label=(ctx.t("dash.working")) { (dec(s.working_days, 1)) " " (ctx.t("dash.days")) }
                            td.num data-label=(ctx.t("dash.late")) { (pct(s.breach_share)) }
                            td.num data-label=(ctx.t("dash.returns")) { (pct(s.return_share)) }
                            td.num data-label=(ctx.t("dash.rating")) { (dec(s.rating, 1)) }
                            td.num data-label=(ctx.t("dash.index")) { (dec(s.index, 0)) }
                        }
                    }
                }
            }
        }
        @if let Some(g) = group {
            h2 { (ctx.t("dash.parts")) }
            p.hint { (ctx.t("dash.parts_help")) }
            (parts_table(ctx, ctx.t("dash.parts_caption"), &g.stages.iter().map(|s| (v.names.get(&s.stage).cloned().unwrap_or_else(|| s.stage.clone()), &s.centricity)).chain(std::iter::once((ctx.t("dash.whole_offering").to_string(), &g.centricity))).collect::<Vec<_>>()))
        }
        @if k.variants.len() > 1 {
            h2 { (ctx.t("dash.variants")) }
            (groups_table(ctx, ctx.t("dash.variants_caption"), ctx.t("dash.variant"), &k.variants))
        }
        h2 { (ctx.t("dash.trend_title")) }
        div.chart-scroll { (PreEscaped(trend)) }
        table.responsive {
            caption { (ctx.t("dash.trend_caption")) }
            thead { tr { th { (ctx.t("dash.month")) } th.num { (ctx.t("dash.requests")) } th.num { (ctx.t("dash.index")) } th.num { (ctx.t("dash.on_time")) } th.num { (ctx.t("dash.satisfaction")) } th.num { (ctx.t("dash.cost")) } } }
            tbody {
                @for m in &k.months {
                    tr {
                        td data-label=(ctx.t("dash.month")) { (m.month) }
                        td.num data-label=(ctx.t("dash.requests")) { (m.kpis.requests) }
                        td.num data-label=(ctx.t("dash.index")) { (dec(m.centricity, 0)) }
                        td.num data-label=(ctx.t("dash.on_time")) { (pct(m.breach_share.map(|b| 1.0 - b))) }
                        td.num data-label=(ctx.t("dash.satisfaction")) { (pct(m.kpis.satisfaction)) }
                        td.num data-label=(ctx.t("dash.cost")) { (roubles(m.kpis.cost_per_transaction)) }
                    }
                }
            }
        }
        h2 #costs { (ctx.t("dash.costs")) }
        p.hint { (ctx.t("dash.costs_help")) }
        @if k.costs.is_empty() {
            p.empty { (ctx.t("dash.no_costs")) }
        } @else {
            table.responsive {
                thead { tr { th { (ctx.t("dash.cost_period")) } th.num { (ctx.t("dash.amount")) } th { (ctx.t("dash.note")) } @if may_edit { th { span.visually-hidden { (ctx.t("common.delete")) } } } } }
                tbody {
                    @for c in &k.costs {
                        tr {
                            td data-label=(ctx.t("dash.cost_period")) { (day(c.period_from)) " — " (day(c.period_to - 86_400_000)) }
                            td.num data-label=(ctx.t("dash.amount")) { (roubles(Some(c.amount_kopecks as f64 / 100.0))) }
                            td data-label=(ctx.t("dash.note")) { (c.note) }
                            @if may_edit {
                                td { form method="post" action={"/offerings/" (id) "/costs/" (c.id) "/delete"} {
                                    (csrf_field(ctx))
                                    button.button.button-warning.button-small type="submit" { (ctx.t("common.delete")) }
                                } }
                            }
                        }
                    }
                }
            }
        }
        @if may_edit {
            h3 { (ctx.t("dash.add_cost")) }
            form method="post" action={"/offerings/" (id) "/costs"} novalidate {
                (csrf_field(ctx))
                (text_input(ctx, Field { name: "from", label: ctx.t("dash.cost_from"), hint: None, value: f.get("from"), required: true }, &errs, "date", "w-10"))
                (text_input(ctx, Field { name: "to", label: ctx.t("dash.cost_to"), hint: Some(ctx.t("dash.cost_to_hint")), value: f.get("to"), required: true }, &errs, "date", "w-10"))
                (text_input(ctx, Field { name: "amount", label: ctx.t("dash.amount"), hint: Some(ctx.t("dash.amount_hint")), value: f.get("amount"), required: true }, &errs, "text", "w-10"))
                (text_input(ctx, Field { name: "note", label: ctx.t("dash.note"), hint: None, value: f.get("note"), required: false }, &errs, "text", "w-30"))
                div.actions { button.button type="submit" { (ctx.t("dash.add_cost")) } }
            }
        }
    }
}

async fn render_offering(
    st: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: okno_domain::Id,
    q: &Q,
    f: &FormData,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    let o = st.app.offering(actor, id).await.or_page(ctx)?;
    let v = st.app.stage_metrics(actor, id, q.from.as_deref(), q.to.as_deref()).await.or_page(ctx)?;
    let k = st.app.offering_kpis(actor, id, q.from.as_deref(), q.to.as_deref()).await.or_page(ctx)?;
    Ok(page(
        ctx,
        &o.name,
        &[crumb(format!("/analytics?body={}", o.body_id), ctx.t("dash.title")), crumb(format!("/offerings/{id}"), &o.name)],
        offering_page(ctx, actor, &OfferingFigures { offering: &o, metrics: &v, kpis: &k }, q, f, errors),
    ))
}

async fn offering(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Q>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    render_offering(&st, &actor, &ctx, id, &q, &FormData(Vec::new()), &[]).await
}

async fn add_cost(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let f = FormData(form);
    match st.app.add_offering_cost(&actor, id, f.get("from"), f.get("to"), f.get("amount"), f.get("note")).await {
        Ok(_) => Ok(super::see_other(&format!("/offerings/{id}/metrics"), "saved")),
        Err(AppError::Invalid(inv)) => {
            let q = Q { body: None, from: None, to: None, done: None };
            Ok(refused(render_offering(&st, &actor, &ctx, id, &q, &f, &inv.0).await?))
        }
        Err(e) => Err(PageError::new(&ctx, e)),
    }
}

async fn delete_cost(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path((id, cost)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let cost = parse_id(&ctx, &cost)?;
    st.app.delete_offering_cost(&actor, id, cost).await.or_page(&ctx)?;
    Ok(super::see_other(&format!("/offerings/{id}/metrics"), "deleted").into_response())
}

async fn transparency(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Q>) -> Result<Markup, PageError> {
    let t = st.app.transparency(q.from.as_deref(), q.to.as_deref()).await.or_page(&ctx)?;
    Ok(page(
        &ctx,
        ctx.t("pub.title"),
        &[],
        html! {
            h1 { (ctx.t("pub.title")) }
            p.lead { (ctx.t("pub.lead")) }
            (period_form(&ctx, "/transparency", &[], &q))
            p.hint { (ctx.t("dash.period")) " " (day(t.from)) " — " (day(t.to - 1)) ". "
                (ctx.t("pub.threshold")) " " (t.min_requests) "." " " a href={"/api/v1/transparency?from=" (day(t.from)) "&to=" (day(t.to))} { (ctx.t("dash.as_json")) } }
            @if t.bodies.is_empty() { p.empty { (ctx.t("pub.none")) } }
            @for b in &t.bodies {
                h2 { (b.body.name) }
                table.responsive {
                    caption { (ctx.t("pub.caption")) }
                    thead { tr {
                        th { (ctx.t("dash.offering")) } th.num { (ctx.t("dash.requests")) } th.num { (ctx.t("dash.median_days")) } th.num { (ctx.t("dash.on_time")) }
                        th.num { (ctx.t("dash.completion")) } th.num { (ctx.t("dash.digital")) } th.num { (ctx.t("dash.satisfaction")) } th.num { (ctx.t("dash.cost")) } th.num { (ctx.t("dash.index")) }
                    } }
                    tbody {
                        @for o in &b.offerings {
                            tr {
                                td data-label=(ctx.t("dash.offering")) { a href={"/offerings/" (o.offering)} { (o.name) } }
                                @match &o.figures {
                                    None => td colspan="8" { (ctx.t("pub.too_few")) " " (t.min_requests) },
                                    Some(f) => {
                                        td.num data-label=(ctx.t("dash.requests")) { (f.requests) }
                                        td.num data-label=(ctx.t("dash.median_days")) { (dec(f.median_days_to_result, 1)) }
                                        td.num data-label=(ctx.t("dash.on_time")) { (pct(f.on_time_share)) }
                                        td.num data-label=(ctx.t("dash.completion")) { (pct(f.completion_rate)) }
                                        td.num data-label=(ctx.t("dash.digital")) { (pct(f.digital_take_up)) }
                                        td.num data-label=(ctx.t("dash.satisfaction")) { (pct(f.satisfaction)) }
                                        td.num data-label=(ctx.t("dash.cost")) { (roubles(f.cost_per_transaction)) }
                                        td.num data-label=(ctx.t("dash.index")) { (dec(f.centricity, 0)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p.hint { (ctx.t("dash.kpi_help")) }
        },
    ))
}
