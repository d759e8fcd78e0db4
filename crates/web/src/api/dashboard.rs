//! Dashboards through the API: a body's overview (worst first), an offering's KPIs with
//! its monthly trend, the cost entries behind "cost per transaction", and the public
//! transparency figures. Times are seconds or days as named; shares are 0..1; money is
//! roubles.

use super::analytics::{centricity, CentricityJson, PeriodParams};
use super::{path_id, ApiJson, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use okno_app::dashboard::{BodyOverview, GroupRow, Kpis, OfferingKpis, OfferingRow, StageRow, Transparency};
use okno_app::CostRecord;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bodies/{id}/overview", get(overview))
        .route("/api/v1/offerings/{id}/kpis", get(offering_kpis))
        .route("/api/v1/offerings/{id}/costs", get(costs).post(add_cost))
        .route("/api/v1/offerings/{id}/costs/{cost}", delete(delete_cost))
        .route("/api/v1/transparency", get(transparency))
}

pub(crate) fn day(ms: i64) -> String {
    let (y, m, d) = okno_app::analytics::engine::iso::civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The GOV.UK key performance indicators (definitions in the README).
#[derive(Serialize, utoipa::ToSchema)]
pub struct KpisJson {
    pub requests: u64,
    pub closed: u64,
    /// Closed with a result (granted, refused, answered, redirected) ÷ closed.
    pub completion_rate: Option<f64>,
    /// Through the web form, the API or Open311 ÷ all requests.
    pub digital_take_up: Option<f64>,
    pub ratings: u64,
    /// Ratings of 4–5 ÷ ratings.
    pub satisfaction: Option<f64>,
    /// Roubles per request, over the days with a cost entered.
    pub cost_per_transaction: Option<f64>,
    /// Share of the period's days with a cost entered.
    pub cost_coverage: Option<f64>,
}

pub(crate) fn kpis_json(k: &Kpis) -> KpisJson {
    KpisJson {
        requests: k.requests,
        closed: k.closed,
        completion_rate: k.completion_rate,
        digital_take_up: k.digital_take_up,
        ratings: k.ratings,
        satisfaction: k.satisfaction,
        cost_per_transaction: k.cost_per_transaction,
        cost_coverage: k.cost_coverage,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferingRowJson {
    pub offering_id: String,
    pub name: String,
    pub centricity_index: Option<f64>,
    pub centricity: CentricityJson,
    pub kpis: KpisJson,
    pub breach_share: Option<f64>,
    pub median_days_to_result: Option<f64>,
    pub open_followups: i64,
    /// Mean plain-language score (0–10) of the texts sent to clients in the period.
    pub clarity_score: Option<f64>,
}

fn row_json(r: &OfferingRow) -> OfferingRowJson {
    OfferingRowJson {
        offering_id: r.offering.to_string(),
        name: r.name.clone(),
        centricity_index: r.centricity.index,
        centricity: centricity(&r.centricity),
        kpis: kpis_json(&r.kpis),
        breach_share: r.breach_share,
        median_days_to_result: r.median_throughput_ms.map(|m| m / 86_400_000.0),
        open_followups: r.open_followups,
        clarity_score: r.clarity,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StageRowJson {
    pub offering_id: String,
    pub offering: String,
    pub stage: String,
    pub name: String,
    pub finished: u64,
    pub centricity_index: Option<f64>,
    pub centricity: CentricityJson,
    pub breach_share: Option<f64>,
    pub return_share: Option<f64>,
    pub waiting_share: Option<f64>,
    pub rating_mean: Option<f64>,
}

fn stage_row_json(s: &StageRow) -> StageRowJson {
    let m = &s.metrics;
    StageRowJson {
        offering_id: s.offering.to_string(),
        offering: s.offering_name.clone(),
        stage: m.stage.clone(),
        name: s.stage_name.clone(),
        finished: m.finished,
        centricity_index: m.centricity.index,
        centricity: centricity(&m.centricity),
        breach_share: m.breach_share,
        return_share: m.return_share,
        waiting_share: m.waiting_share,
        rating_mean: m.ratings.mean,
    }
}

/// The index of a unit of the body or a variant of an offering.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupJson {
    /// The unit id or the variant key; null for requests without one.
    pub key: Option<String>,
    pub name: String,
    pub requests: u64,
    pub centricity_index: Option<f64>,
    pub centricity: CentricityJson,
    pub breach_share: Option<f64>,
    pub median_days_to_result: Option<f64>,
    /// Units: mean plain-language score (0–10) of the texts sent to clients.
    pub clarity_score: Option<f64>,
}

fn group_json(g: &GroupRow) -> GroupJson {
    GroupJson {
        key: g.key.clone(),
        name: g.name.clone(),
        requests: g.requests,
        centricity_index: g.centricity.index,
        centricity: centricity(&g.centricity),
        breach_share: g.breach_share,
        median_days_to_result: g.median_throughput_ms.map(|m| m / 86_400_000.0),
        clarity_score: g.clarity,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OverviewJson {
    pub body_id: String,
    pub body: String,
    pub from: String,
    pub to: String,
    /// The whole body; null without requests in the period.
    pub total: Option<OfferingRowJson>,
    /// Offerings with requests in the period, worst index first.
    pub offerings: Vec<OfferingRowJson>,
    /// Stages with at least five finished visits, worst index first (at most twelve).
    pub worst_stages: Vec<StageRowJson>,
    /// Units (responsible for the request's current or last stage), worst index first.
    pub units: Vec<GroupJson>,
}

pub(crate) fn overview_json(o: &BodyOverview) -> OverviewJson {
    OverviewJson {
        body_id: o.body.id.to_string(),
        body: o.body.name.clone(),
        from: day(o.from),
        to: day(o.to),
        total: o.total.as_ref().map(row_json),
        offerings: o.offerings.iter().map(row_json).collect(),
        worst_stages: o.worst_stages.iter().map(stage_row_json).collect(),
        units: o.units.iter().map(group_json).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}/overview", tag = "analytics", params(PeriodParams),
    responses((status = 200, body = OverviewJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "a bad period", body = ErrorBody)))]
pub async fn overview(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<OverviewJson>, ApiError> {
    let o = st.app.body_overview(&a, path_id(&id, "body")?, q.from.as_deref(), q.to.as_deref()).await?;
    Ok(Json(overview_json(&o)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CostJson {
    pub id: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// The day after the last one.
    pub to: String,
    pub amount: f64,
    pub note: String,
}

fn cost_json(c: &CostRecord) -> CostJson {
    CostJson {
        id: c.id.to_string(),
        from: day(c.period_from),
        to: day(c.period_to),
        amount: c.amount_kopecks as f64 / 100.0,
        note: c.note.clone(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MonthJson {
    /// `YYYY-MM`.
    pub month: String,
    pub centricity_index: Option<f64>,
    pub kpis: KpisJson,
    pub breach_share: Option<f64>,
    pub median_days_to_result: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferingKpisJson {
    pub kpis: KpisJson,
    /// The chain's variants, worst index first.
    pub variants: Vec<GroupJson>,
    /// The twelve months ending with the period's last.
    pub months: Vec<MonthJson>,
    /// Cost entries overlapping the period.
    pub costs: Vec<CostJson>,
}

pub(crate) fn offering_kpis_json(k: &OfferingKpis) -> OfferingKpisJson {
    OfferingKpisJson {
        kpis: kpis_json(&k.kpis),
        variants: k.variants.iter().map(group_json).collect(),
        months: k
            .months
            .iter()
            .map(|m| MonthJson {
                month: m.month.clone(),
                centricity_index: m.centricity,
                kpis: kpis_json(&m.kpis),
                breach_share: m.breach_share,
                median_days_to_result: m.median_throughput_ms.map(|x| x / 86_400_000.0),
            })
            .collect(),
        costs: k.costs.iter().map(cost_json).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/kpis", tag = "analytics", params(PeriodParams),
    responses((status = 200, body = OfferingKpisJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "a bad period", body = ErrorBody)))]
pub async fn offering_kpis(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<OfferingKpisJson>, ApiError> {
    let k = st.app.offering_kpis(&a, path_id(&id, "offering")?, q.from.as_deref(), q.to.as_deref()).await?;
    Ok(Json(offering_kpis_json(&k)))
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/costs", tag = "analytics",
    responses((status = 200, body = [CostJson]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn costs(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<CostJson>>, ApiError> {
    let list = st.app.offering_costs(&a, path_id(&id, "offering")?).await?;
    Ok(Json(list.iter().map(cost_json).collect()))
}

/// A cost entry: what the offering's transactions cost over `[from, to)`.
// Missing fields are empty (and refused by the use case, after it checked who asks).
#[derive(Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCost {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// The day after the last one, `YYYY-MM-DD`.
    pub to: String,
    /// Roubles, e.g. `125000` or `"125 000,50"`.
    pub amount: serde_json::Value,
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/offerings/{id}/costs", tag = "analytics", request_body = NewCost,
    responses((status = 201, body = CostJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "bad dates or amount, or the period overlaps another entry (`overlaps`)", body = ErrorBody)))]
pub async fn add_cost(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewCost>,
) -> Result<(StatusCode, Json<CostJson>), ApiError> {
    let amount = match &input.amount {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let c = st.app.add_offering_cost(&a, path_id(&id, "offering")?, &input.from, &input.to, &amount, &input.note).await?;
    Ok((StatusCode::CREATED, Json(cost_json(&c))))
}

#[utoipa::path(delete, path = "/api/v1/offerings/{id}/costs/{cost}", tag = "analytics",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_cost(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path((id, cost)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    st.app.delete_offering_cost(&a, path_id(&id, "offering")?, path_id(&cost, "cost entry")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicFiguresJson {
    pub requests: u64,
    pub closed: u64,
    pub median_days_to_result: Option<f64>,
    pub on_time_share: Option<f64>,
    pub completion_rate: Option<f64>,
    pub digital_take_up: Option<f64>,
    /// Null with fewer ratings than the threshold.
    pub satisfaction: Option<f64>,
    pub cost_per_transaction: Option<f64>,
    pub centricity_index: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicOfferingJson {
    pub offering_id: String,
    pub name: String,
    /// Null when the offering had fewer requests than `min_requests`: nothing is shown.
    pub figures: Option<PublicFiguresJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicBodyJson {
    pub body_id: String,
    pub name: String,
    pub offerings: Vec<PublicOfferingJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransparencyJson {
    pub from: String,
    pub to: String,
    pub min_requests: u64,
    pub bodies: Vec<PublicBodyJson>,
}

pub(crate) fn transparency_json(t: &Transparency) -> TransparencyJson {
    TransparencyJson {
        from: day(t.from),
        to: day(t.to),
        min_requests: t.min_requests,
        bodies: t
            .bodies
            .iter()
            .map(|b| PublicBodyJson {
                body_id: b.body.id.to_string(),
                name: b.body.name.clone(),
                offerings: b
                    .offerings
                    .iter()
                    .map(|o| PublicOfferingJson {
                        offering_id: o.offering.to_string(),
                        name: o.name.clone(),
                        figures: o.figures.as_ref().map(|f| PublicFiguresJson {
                            requests: f.requests,
                            closed: f.closed,
                            median_days_to_result: f.median_days_to_result,
                            on_time_share: f.on_time_share,
                            completion_rate: f.completion_rate,
                            digital_take_up: f.digital_take_up,
                            satisfaction: f.satisfaction,
                            cost_per_transaction: f.cost_per_transaction,
                            centricity_index: f.centricity,
                        }),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/transparency", tag = "analytics", params(PeriodParams),
    responses((status = 200, body = TransparencyJson), (status = 422, description = "a bad period", body = ErrorBody)))]
pub async fn transparency(State(st): State<AppState>, ApiQuery(q): ApiQuery<PeriodParams>) -> Result<Json<TransparencyJson>, ApiError> {
    let t = st.app.transparency(q.from.as_deref(), q.to.as_deref()).await?;
    Ok(Json(transparency_json(&t)))
}
