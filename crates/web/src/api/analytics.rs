//! Analytics through the API: per-stage metrics of an offering over a period, with the
//! centricity index and its parts (DESIGN.md §4). Times are seconds; shares are 0..1.

use super::{path_id, ApiQuery};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use okno_app::analytics::engine::{Centricity, GroupReport, Parts, RatingSummary, StageMetrics, Stat};
use okno_app::analytics::StageMetricsView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/offerings/{id}/stage-metrics", get(stage_metrics))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PeriodParams {
    /// First day, `YYYY-MM-DD` (UTC), of the requests counted by their creation; a year
    /// before `to` by default.
    pub from: Option<String>,
    /// The day after the last one (excluded), `YYYY-MM-DD`; tomorrow by default. At most
    /// five years after `from`.
    pub to: Option<String>,
}

/// Count, mean and median of a duration, in seconds.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DurationJson {
    pub count: u64,
    pub mean_s: Option<f64>,
    pub median_s: Option<f64>,
}

fn secs(s: &Stat) -> DurationJson {
    DurationJson { count: s.count, mean_s: s.mean_ms.map(|m| m / 1000.0), median_s: s.median_ms.map(|m| m / 1000.0) }
}

/// The parts of the index, each 0..1 (1 is best), null without data.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PartsJson {
    pub timeliness: Option<f64>,
    pub waiting: Option<f64>,
    pub rework: Option<f64>,
    pub transparency: Option<f64>,
    pub effort: Option<f64>,
    pub satisfaction: Option<f64>,
}

fn parts(p: &Parts) -> PartsJson {
    PartsJson {
        timeliness: p.timeliness,
        waiting: p.waiting,
        rework: p.rework,
        transparency: p.transparency,
        effort: p.effort,
        satisfaction: p.satisfaction,
    }
}

/// Mean rating per criterion of Government Decree No. 1284, 1..5; null without ratings.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingsJson {
    pub count: u64,
    pub mean: Option<f64>,
    /// Time of provision.
    pub time: Option<f64>,
    /// Waiting time.
    pub waiting: Option<f64>,
    /// Politeness and competence.
    pub politeness: Option<f64>,
    /// Comfort of conditions.
    pub comfort: Option<f64>,
    /// Availability of information.
    pub information: Option<f64>,
    /// Share of 4 and 5.
    pub satisfied_share: Option<f64>,
}

fn ratings(r: &RatingSummary) -> RatingsJson {
    let c = &r.criteria;
    RatingsJson {
        count: r.count,
        mean: r.mean,
        time: c.time,
        waiting: c.waiting,
        politeness: c.politeness,
        comfort: c.comfort,
        information: c.information,
        satisfied_share: r.satisfied_share,
    }
}

/// The index (0..100) with its parts and the weight it rests on.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CentricityJson {
    pub index: Option<f64>,
    pub parts: PartsJson,
    pub weight_used: f64,
}

pub(crate) fn centricity(c: &Centricity) -> CentricityJson {
    CentricityJson { index: c.index, parts: parts(&c.parts), weight_used: c.weight_used }
}

/// One stage of the chain.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StageJson {
    /// The stage key.
    pub stage: String,
    /// Its name in the latest chain (the key when the chain no longer has it).
    pub name: String,
    /// Visits of the stage (a request returned to it visits it again), open ones included.
    pub count: u64,
    /// Visits that ended (the durations are over these).
    pub finished: u64,
    /// Waiting = in the queue before work began + for the client's answer.
    pub waiting: DurationJson,
    pub queue_wait: DurationJson,
    pub client_wait: DurationJson,
    pub working: DurationJson,
    pub breach_share: Option<f64>,
    pub return_share: Option<f64>,
    pub transparency: Option<f64>,
    pub client_asks: u64,
    pub ratings: RatingsJson,
    pub centricity_index: Option<f64>,
    pub centricity: CentricityJson,
}

/// The whole offering over the period.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferingTotalsJson {
    pub requests: u64,
    pub closed: u64,
    /// Created → closed, over closed requests.
    pub throughput: DurationJson,
    pub breach_share: Option<f64>,
    pub requests_with_returns: u64,
    pub returns: u64,
    pub client_asks: u64,
    pub waiting_share: Option<f64>,
    pub transparency: Option<f64>,
    pub ratings: RatingsJson,
    pub centricity_index: Option<f64>,
    pub centricity: CentricityJson,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StageMetricsJson {
    pub offering_id: String,
    /// The period, `[from, to)`, as dates.
    pub from: String,
    pub to: String,
    pub stages: Vec<StageJson>,
    pub offering: OfferingTotalsJson,
}

fn day(ms: i64) -> String {
    let (y, m, d) = okno_app::analytics::engine::iso::civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Waiting per visit = queue wait + client wait. The mean is exact (the sum of the two
/// means). The engine keeps the two medians apart, so the median of the sum is given only
/// where it is exact: when no visit waited for the client (then it is the queue's median).
fn waiting(s: &StageMetrics) -> DurationJson {
    let mean = match (s.queue_wait.mean_ms, s.client_wait.mean_ms) {
        (Some(a), Some(b)) => Some((a + b) / 1000.0),
        _ => None,
    };
    let median = if s.client_wait.mean_ms == Some(0.0) { s.queue_wait.median_ms.map(|m| m / 1000.0) } else { None };
    DurationJson { count: s.finished, mean_s: mean, median_s: median }
}

fn stage_json(s: &StageMetrics, names: &BTreeMap<String, String>) -> StageJson {
    StageJson {
        stage: s.stage.clone(),
        name: names.get(&s.stage).cloned().unwrap_or_else(|| s.stage.clone()),
        count: s.visits,
        finished: s.finished,
        waiting: waiting(s),
        queue_wait: secs(&s.queue_wait),
        client_wait: secs(&s.client_wait),
        working: secs(&s.working),
        breach_share: s.breach_share,
        return_share: s.return_share,
        transparency: s.transparency,
        client_asks: s.client_asks,
        ratings: ratings(&s.ratings),
        centricity_index: s.centricity.index,
        centricity: centricity(&s.centricity),
    }
}

fn totals(g: Option<&GroupReport>) -> OfferingTotalsJson {
    let empty = Stat::default();
    match g {
        Some(g) => OfferingTotalsJson {
            requests: g.cases.cases,
            closed: g.cases.closed,
            throughput: secs(&g.cases.throughput),
            breach_share: g.cases.breach_share,
            requests_with_returns: g.cases.rework_cases,
            returns: g.cases.returns,
            client_asks: g.cases.client_asks,
            waiting_share: g.cases.waiting_share,
            transparency: g.cases.transparency,
            ratings: ratings(&g.ratings),
            centricity_index: g.centricity.index,
            centricity: centricity(&g.centricity),
        },
        None => OfferingTotalsJson {
            requests: 0,
            closed: 0,
            throughput: secs(&empty),
            breach_share: None,
            requests_with_returns: 0,
            returns: 0,
            client_asks: 0,
            waiting_share: None,
            transparency: None,
            ratings: ratings(&RatingSummary::default()),
            centricity_index: None,
            centricity: centricity(&Centricity::default()),
        },
    }
}

pub fn json(v: &StageMetricsView) -> StageMetricsJson {
    let group = v.report.group(None);
    let mut stages: Vec<StageJson> = Vec::new();
    if let Some(g) = group {
        // Chain order first, then stages the chain no longer has, in log order.
        for key in &v.order {
            if let Some(s) = g.stage(key) {
                stages.push(stage_json(s, &v.names));
            }
        }
        for s in &g.stages {
            if !v.order.contains(&s.stage) {
                stages.push(stage_json(s, &v.names));
            }
        }
    }
    StageMetricsJson { offering_id: v.offering.to_string(), from: day(v.from), to: day(v.to), stages, offering: totals(group) }
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/stage-metrics", tag = "analytics", params(PeriodParams),
    responses((status = 200, body = StageMetricsJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "a bad period: the field names `from` or `to`", body = ErrorBody)))]
pub async fn stage_metrics(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<StageMetricsJson>, ApiError> {
    let id = path_id(&id, "offering")?;
    let v = st.app.stage_metrics(&a, id, q.from.as_deref(), q.to.as_deref()).await?;
    Ok(Json(json(&v)))
}
