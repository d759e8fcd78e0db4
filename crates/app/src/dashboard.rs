//! Dashboards (DESIGN.md §4): the body overview with its worst stages first, an offering's
//! figures with monthly trends, the GOV.UK key performance indicators, the costs they need,
//! and the public transparency page. Every figure comes from the cached reports of
//! `analytics.rs`; nothing here reads events itself.
//!
//! # The KPIs (GOV.UK service manual, "measuring success")
//!
//! - **completion rate** = closed requests that ended with a result for the client
//!   (granted, refused, answered, redirected to the body that can help) ÷ closed requests.
//!   Withdrawn and "left unanswered" are not completed. Open requests are in neither.
//! - **digital take-up** = requests made through the web form, the API or Open311 ÷ all
//!   requests. Staff-only channels (in person, phone, post) are the rest.
//! - **user satisfaction** = ratings with a mean of 4 or more ÷ ratings.
//! - **cost per transaction** = the entered costs ÷ the requests they paid for. A cost
//!   entry covers a period; only the part of it inside the report's period counts, in
//!   proportion to days, and it is divided by the requests created on those same days, so
//!   a cost entered for one quarter is not spread over a year of requests.
//!   `cost_coverage` says which share of the period's days have a cost at all.
//!
//! # The transparency page
//!
//! Public, no sign-in. Only published offerings; an offering with fewer than
//! `transparency_min` requests in the period shows no figure at all, and the satisfaction
//! figure (and the index's satisfaction part) needs as many ratings. Only counts, shares,
//! medians and the index are shown: nothing about a single request or person.

use crate::analytics::{parse_day, parse_period, ReportKey};
use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_analytics::centricity::combine;
use okno_analytics::{Attr, Centricity, GroupReport, Parts, StageMetrics, Weights};
use okno_domain::offering::{Offering, Status};
use okno_domain::org::Body;
use okno_domain::{Id, Invalid};
use okno_store::{CostRecord, OfferingFilter};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const DAY_MS: i64 = 86_400_000;
/// Channels a client uses without staff.
pub const DIGITAL_CHANNELS: [&str; 3] = ["web_form", "api", "open311"];
/// Outcomes that gave the client a result.
pub const COMPLETED_OUTCOMES: [&str; 4] = ["granted", "refused", "answered", "redirected"];
/// A stage needs this many finished visits to be ranked among the worst.
pub const MIN_STAGE_VISITS: u64 = 5;
/// How many stages the overview ranks.
pub const WORST_STAGES: usize = 12;
/// The default of `transparency_min`.
pub const DEFAULT_TRANSPARENCY_MIN: u64 = 20;
/// Months a trend shows.
pub const TREND_MONTHS: usize = 12;
/// At most this many cost entries per offering may overlap a five-year window.
const MAX_COSTS: usize = 500;
/// Kopecks: at most a trillion roubles.
const MAX_KOPECKS: i64 = 100_000_000_000_000;

/// An offering's cost entries with the spans of the period they cover and their amount.
type OfferingSpans = (Id, Vec<(i64, i64)>, f64, Vec<CostRecord>);

/// The key performance indicators of a group of requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Kpis {
    pub requests: u64,
    pub closed: u64,
    pub completed: u64,
    pub completion_rate: Option<f64>,
    pub digital: u64,
    pub digital_take_up: Option<f64>,
    pub ratings: u64,
    /// Share of ratings of 4–5.
    pub satisfaction: Option<f64>,
    /// Roubles per request, over the days that have a cost entered.
    pub cost_per_transaction: Option<f64>,
    /// Share of the period's days with a cost entered (0..1).
    pub cost_coverage: Option<f64>,
}

/// Cost entries applied to a period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CostShare {
    /// Kopecks, prorated to the days inside the period.
    pub kopecks: f64,
    /// Requests created on the covered days.
    pub requests: u64,
    /// Covered days ÷ period days.
    pub coverage: f64,
}

/// The KPIs of a report group, with the costs that apply.
pub fn kpis(g: &GroupReport, cost: Option<CostShare>) -> Kpis {
    let c = &g.cases;
    let completed: u64 = COMPLETED_OUTCOMES.iter().filter_map(|o| c.outcomes.get(*o)).sum();
    let digital: u64 = DIGITAL_CHANNELS.iter().filter_map(|ch| c.channels.get(*ch)).sum();
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    Kpis {
        requests: c.cases,
        closed: c.closed,
        completed,
        completion_rate: ratio(completed, c.closed),
        digital,
        digital_take_up: ratio(digital, c.cases),
        ratings: g.ratings.count,
        satisfaction: g.ratings.satisfied_share,
        cost_per_transaction: cost.filter(|s| s.requests > 0).map(|s| s.kopecks / 100.0 / s.requests as f64),
        cost_coverage: cost.map(|s| s.coverage),
    }
}

/// The disjoint parts of `[from, to)` the entries cover, and their prorated amount.
pub fn cost_overlaps(entries: &[CostRecord], from: i64, to: i64) -> (Vec<(i64, i64)>, f64) {
    let mut spans = Vec::new();
    let mut kopecks = 0.0;
    for e in entries {
        let (a, b) = (e.period_from.max(from), e.period_to.min(to));
        if a < b {
            spans.push((a, b));
            kopecks += e.amount_kopecks as f64 * (b - a) as f64 / (e.period_to - e.period_from) as f64;
        }
    }
    (spans, kopecks)
}

/// A row of the overview: one offering's index, parts and KPIs.
#[derive(Clone, Debug, Serialize)]
pub struct OfferingRow {
    pub offering: Id,
    pub name: String,
    pub status: Status,
    pub centricity: Centricity,
    pub kpis: Kpis,
    pub breach_share: Option<f64>,
    pub median_throughput_ms: Option<f64>,
    pub open_followups: i64,
    /// The mean plain-language score (0–10) of the texts sent to clients in the period.
    pub clarity: Option<f64>,
}

/// A stage ranked on the overview.
#[derive(Clone, Debug, Serialize)]
pub struct StageRow {
    pub offering: Id,
    pub offering_name: String,
    pub stage_name: String,
    pub metrics: StageMetrics,
}

/// The index of one group (a unit of the body, a variant of an offering).
#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    /// The unit id or variant key (`None`: requests without one).
    pub key: Option<String>,
    pub name: String,
    pub requests: u64,
    pub centricity: Centricity,
    pub breach_share: Option<f64>,
    pub median_throughput_ms: Option<f64>,
    /// Units only: the mean plain-language score (0–10) of the texts sent to clients.
    pub clarity: Option<f64>,
}

fn group_rows(groups: &[GroupReport], name: impl Fn(Option<&str>) -> String) -> Vec<GroupRow> {
    let mut rows: Vec<GroupRow> = groups
        .iter()
        .map(|g| GroupRow {
            key: g.key.clone(),
            name: name(g.key.as_deref()),
            requests: g.cases.cases,
            centricity: g.centricity.clone(),
            breach_share: g.cases.breach_share,
            median_throughput_ms: g.cases.throughput.median_ms,
            clarity: None,
        })
        .collect();
    let worst = |x: &Option<f64>| x.unwrap_or(f64::INFINITY);
    rows.sort_by(|a, b| worst(&a.centricity.index).total_cmp(&worst(&b.centricity.index)).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// A body's overview over a period.
#[derive(Clone, Debug, Serialize)]
pub struct BodyOverview {
    pub body: Body,
    pub from: i64,
    pub to: i64,
    /// The whole body: index and KPIs over every request.
    pub total: Option<OfferingRow>,
    /// Offerings with requests in the period, worst index first.
    pub offerings: Vec<OfferingRow>,
    /// Stages with at least [`MIN_STAGE_VISITS`] finished visits, worst index first.
    pub worst_stages: Vec<StageRow>,
    /// The body's units (the unit responsible for each request's current or last stage),
    /// worst index first.
    pub units: Vec<GroupRow>,
}

/// One month of an offering's trend.
#[derive(Clone, Debug, Serialize)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub from: i64,
    pub to: i64,
    pub centricity: Option<f64>,
    pub kpis: Kpis,
    pub breach_share: Option<f64>,
    pub median_throughput_ms: Option<f64>,
}

/// An offering's KPIs over the period, its costs and its monthly trend.
#[derive(Clone, Debug, Serialize)]
pub struct OfferingKpis {
    pub kpis: Kpis,
    /// The chain's variants, worst index first.
    pub variants: Vec<GroupRow>,
    pub costs: Vec<CostRecord>,
    pub months: Vec<MonthPoint>,
}

/// An offering on the public page.
#[derive(Clone, Debug, Serialize)]
pub struct PublicOffering {
    pub offering: Id,
    pub name: String,
    /// `None` when it had fewer requests than the threshold: nothing is shown.
    pub figures: Option<PublicFigures>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicFigures {
    pub requests: u64,
    pub closed: u64,
    pub median_days_to_result: Option<f64>,
    pub on_time_share: Option<f64>,
    pub completion_rate: Option<f64>,
    pub digital_take_up: Option<f64>,
    /// Only with at least the threshold's number of ratings.
    pub satisfaction: Option<f64>,
    pub cost_per_transaction: Option<f64>,
    pub centricity: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicBody {
    pub body: Body,
    pub offerings: Vec<PublicOffering>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Transparency {
    pub from: i64,
    pub to: i64,
    pub min_requests: u64,
    pub bodies: Vec<PublicBody>,
}

/// The midnight starting the month that contains `t`, and `months` later.
fn month_start(t: i64, months: i64) -> i64 {
    let (y, m, _) = okno_analytics::iso::civil_from_days(t.div_euclid(DAY_MS));
    let total = y * 12 + (m as i64 - 1) + months;
    okno_analytics::iso::days_from_civil(total.div_euclid(12), (total.rem_euclid(12) + 1) as u32, 1) * DAY_MS
}

fn month_label(t: i64) -> String {
    let (y, m, _) = okno_analytics::iso::civil_from_days(t.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}")
}

/// An amount in roubles: digits with an optional `,` or `.` and up to two decimals;
/// spaces between thousands are allowed.
pub fn parse_roubles(field: &str, value: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::one(field, "invalid_amount", "an amount in roubles, e.g. 125000 or 125 000,50");
    let v: String = value.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let (whole, frac) = match v.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (v.as_str(), ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let rub: i64 = whole.parse().map_err(|_| bad())?;
    let kop: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    let total = rub.checked_mul(100).and_then(|r| r.checked_add(kop)).filter(|k| *k <= MAX_KOPECKS);
    total.ok_or_else(|| Invalid::one(field, "out_of_range", "at most a trillion roubles"))
}

impl App {
    /// How many requests an offering needs in the period before the public page shows
    /// its figures.
    pub fn transparency_min(&self) -> u64 {
        self.transparency_min
    }

    /// The weights of the centricity index.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Sets the weights of the centricity index; refused unless they validate.
    pub fn with_weights(mut self, w: Weights) -> Result<App, okno_analytics::centricity::WeightsError> {
        w.validate()?;
        self.weights = w;
        Ok(self)
    }

    /// Sets the threshold of the public page (at least 1).
    pub fn with_transparency_min(mut self, n: u64) -> App {
        self.transparency_min = n.max(1);
        self
    }

    async fn stage_names(&self, offering: Id) -> Result<HashMap<String, String>, AppError> {
        Ok(match self.store().latest_chain(offering).await? {
            Some((_, chain)) => chain.variants.iter().flat_map(|v| v.stages.iter().map(|s| (s.key.clone(), s.name.clone()))).collect(),
            None => HashMap::new(),
        })
    }

    async fn body_offerings(&self, body: Id) -> Result<Vec<Offering>, AppError> {
        let f = OfferingFilter { body_id: Some(body), ..OfferingFilter::default() };
        Ok(self.store().list_offerings(&f, 10_000, 0).await?.items)
    }

    /// The cost shares of these offerings over `[from, to)`, counted on the body's log.
    async fn cost_shares(
        &self,
        body: Id,
        offerings: &[Id],
        from: i64,
        to: i64,
    ) -> Result<HashMap<Id, (CostShare, Vec<CostRecord>)>, AppError> {
        let entries = self.store().costs(offerings, from, to).await?;
        let mut by: HashMap<Id, Vec<CostRecord>> = HashMap::new();
        for e in entries {
            by.entry(e.offering_id).or_default().push(e);
        }
        if by.is_empty() {
            return Ok(HashMap::new());
        }
        let spans: Vec<OfferingSpans> = by
            .into_iter()
            .map(|(o, list)| {
                let (spans, kopecks) = cost_overlaps(&list, from, to);
                (o, spans, kopecks, list)
            })
            .collect();
        let counts = self
            .with_log(body, move |log| {
                spans
                    .into_iter()
                    .map(|(o, spans, kopecks, list)| {
                        let requests = log.count_created(Attr::Offering, &o.to_string(), &spans);
                        let covered: i64 = spans.iter().map(|(a, b)| b - a).sum();
                        (o, (CostShare { kopecks, requests, coverage: covered as f64 / (to - from) as f64 }, list))
                    })
                    .collect::<HashMap<_, _>>()
            })
            .await?;
        Ok(counts)
    }

    /// The overview of a body over a period (dates as for stage metrics): every offering
    /// with requests, worst index first, the body's total and its worst stages. Staff of
    /// the body.
    pub async fn body_overview(&self, actor: &Actor, body: Id, from: Option<&str>, to: Option<&str>) -> Result<BodyOverview, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let b = self.body(body).await?;
        actor.require_in(Action::ReadInternal, body)?;
        let (from, to) = parse_period(from, to, crate::requests::now_ms())?;
        let (grouped, _) = self.cached_report(body, ReportKey::BodyByOffering(from, to)).await?;
        let (whole, _) = self.cached_report(body, ReportKey::Body(from, to)).await?;
        let (by_unit, _) = self.cached_report(body, ReportKey::BodyByUnit(from, to)).await?;
        let unit_names: HashMap<String, String> = self.list_units(body).await?.into_iter().map(|u| (u.id.to_string(), u.name)).collect();
        let mut units = group_rows(&by_unit.groups, |k| k.and_then(|k| unit_names.get(k).cloned()).unwrap_or_else(|| "—".into()));
        // Document clarity beside the index: the texts sent to clients in the period.
        let clarity_of = |list: Vec<okno_store::ClarityGroup>| -> HashMap<String, (f64, i64)> {
            list.into_iter().map(|g| (g.id, (g.mean_score, g.texts))).collect()
        };
        let clarity_offerings = clarity_of(self.store().clarity_by(body, false, from, to).await?);
        let clarity_units = clarity_of(self.store().clarity_by(body, true, from, to).await?);
        for u in &mut units {
            u.clarity = u.key.as_ref().and_then(|k| clarity_units.get(k)).map(|c| c.0);
        }
        let offerings: HashMap<String, Offering> = self.body_offerings(body).await?.into_iter().map(|o| (o.id.to_string(), o)).collect();
        let ids: Vec<Id> = grouped.groups.iter().filter_map(|g| g.key.as_deref()).filter_map(|k| offerings.get(k)).map(|o| o.id).collect();
        let costs = self.cost_shares(body, &ids, from, to).await?;
        let open_by: HashMap<Id, i64> = self.store().open_followups_by_offering(body).await?.into_iter().collect();
        let mut rows = Vec::new();
        let mut stages = Vec::new();
        for g in &grouped.groups {
            let Some(o) = g.key.as_deref().and_then(|k| offerings.get(k)) else { continue };
            let names = self.stage_names(o.id).await?;
            for s in g.stages.iter().filter(|s| s.finished >= MIN_STAGE_VISITS && s.centricity.index.is_some()) {
                stages.push(StageRow {
                    offering: o.id,
                    offering_name: o.name.clone(),
                    stage_name: names.get(&s.stage).cloned().unwrap_or_else(|| s.stage.clone()),
                    metrics: s.clone(),
                });
            }
            rows.push(OfferingRow {
                offering: o.id,
                name: o.name.clone(),
                status: o.status,
                centricity: g.centricity.clone(),
                kpis: kpis(g, costs.get(&o.id).map(|c| c.0)),
                breach_share: g.cases.breach_share,
                median_throughput_ms: g.cases.throughput.median_ms,
                open_followups: open_by.get(&o.id).copied().unwrap_or(0),
                clarity: clarity_offerings.get(&o.id.to_string()).map(|c| c.0),
            });
        }
        let worst = |x: &Option<f64>| x.unwrap_or(f64::INFINITY);
        rows.sort_by(|a, b| worst(&a.centricity.index).total_cmp(&worst(&b.centricity.index)).then_with(|| a.name.cmp(&b.name)));
        stages.sort_by(|a, b| worst(&a.metrics.centricity.index).total_cmp(&worst(&b.metrics.centricity.index)));
        stages.truncate(WORST_STAGES);
        let total = whole.groups.first().map(|g| {
            let all_costs = costs.values().fold(None, |acc: Option<CostShare>, (c, _)| {
                let mut a = acc.unwrap_or_default();
                a.kopecks += c.kopecks;
                a.requests += c.requests;
                a.coverage = a.coverage.max(c.coverage);
                Some(a)
            });
            OfferingRow {
                offering: body,
                name: b.name.clone(),
                status: Status::Published,
                centricity: g.centricity.clone(),
                kpis: Kpis { cost_coverage: None, ..kpis(g, all_costs) },
                breach_share: g.cases.breach_share,
                median_throughput_ms: g.cases.throughput.median_ms,
                open_followups: open_by.values().sum(),
                clarity: {
                    let (sum, n) = clarity_offerings.values().fold((0.0, 0), |(s, n), (m, t)| (s + m * *t as f64, n + t));
                    (n > 0).then(|| sum / n as f64)
                },
            }
        });
        Ok(BodyOverview { body: b, from, to, total, offerings: rows, worst_stages: stages, units })
    }

    /// An offering's KPIs over the period, its cost entries there, and its trend: the
    /// [`TREND_MONTHS`] calendar months ending with the one that holds the period's last day.
    pub async fn offering_kpis(&self, actor: &Actor, offering: Id, from: Option<&str>, to: Option<&str>) -> Result<OfferingKpis, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let o = self.offering(actor, offering).await?;
        actor.require_in(Action::ReadInternal, o.body_id)?;
        let (from, to) = parse_period(from, to, crate::requests::now_ms())?;
        let (report, _) = self.cached_report(o.body_id, ReportKey::Offering(offering, from, to)).await?;
        let first = month_start(to - 1, -(TREND_MONTHS as i64 - 1));
        // The entries touching the period or the trend's months; each window prorates them.
        let entries = self.store().costs(&[offering], first.min(from), to.max(month_start(to - 1, 1))).await?;
        // Requests per covered span are counted on the log once, for the period and each month.
        let mut windows = vec![(from, to)];
        for i in 0..TREND_MONTHS as i64 {
            windows.push((month_start(first, i), month_start(first, i + 1)));
        }
        let spans: Vec<Vec<(i64, i64)>> = windows.iter().map(|(a, b)| cost_overlaps(&entries, *a, *b).0).collect();
        let key = offering.to_string();
        let counted = self
            .with_log(o.body_id, move |log| spans.iter().map(|s| log.count_created(Attr::Offering, &key, s)).collect::<Vec<_>>())
            .await?;
        let cost_for = |i: usize| -> Option<CostShare> {
            let (a, b) = windows[i];
            if entries.is_empty() {
                return None;
            }
            let (spans, kopecks) = cost_overlaps(&entries, a, b);
            let covered: i64 = spans.iter().map(|(x, y)| y - x).sum();
            Some(CostShare { kopecks, requests: counted[i], coverage: covered as f64 / (b - a) as f64 })
        };
        let empty = GroupReport {
            key: None,
            cases: Default::default(),
            stages: Vec::new(),
            edges: Vec::new(),
            ratings: Default::default(),
            centricity: Default::default(),
        };
        let g = report.groups.first().unwrap_or(&empty);
        let period_kpis = kpis(g, cost_for(0));
        let mut months = Vec::new();
        for (i, (a, b)) in windows.iter().enumerate().skip(1) {
            let (r, _) = self.cached_report(o.body_id, ReportKey::Offering(offering, *a, *b)).await?;
            let g = r.groups.first().unwrap_or(&empty);
            months.push(MonthPoint {
                month: month_label(*a),
                from: *a,
                to: *b,
                centricity: g.centricity.index,
                kpis: kpis(g, cost_for(i)),
                breach_share: g.cases.breach_share,
                median_throughput_ms: g.cases.throughput.median_ms,
            });
        }
        let in_period = entries.into_iter().filter(|e| e.period_to > from && e.period_from < to).collect();
        let (by_variant, _) = self.cached_report(o.body_id, ReportKey::OfferingByVariant(offering, from, to)).await?;
        let variant_names: HashMap<String, String> = match self.store().latest_chain(offering).await? {
            Some((_, chain)) => chain.variants.into_iter().map(|v| (v.key, v.name)).collect(),
            None => HashMap::new(),
        };
        let variants = group_rows(&by_variant.groups, |k| {
            k.map(|k| variant_names.get(k).cloned().unwrap_or_else(|| k.to_string())).unwrap_or_else(|| "—".into())
        });
        Ok(OfferingKpis { kpis: period_kpis, variants, costs: in_period, months })
    }

    /// Every cost entry of an offering, oldest period first. Staff of its body.
    pub async fn offering_costs(&self, actor: &Actor, offering: Id) -> Result<Vec<CostRecord>, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let o = self.offering(actor, offering).await?;
        actor.require_in(Action::ReadInternal, o.body_id)?;
        Ok(self.store().costs(&[offering], i64::MIN, i64::MAX).await?)
    }

    /// Enters what the offering's transactions cost over `[from, to)` (dates, `to`
    /// excluded). Administrators and service owners of the body. A period that overlaps
    /// another entry of the offering is refused: remove that one first.
    pub async fn add_offering_cost(
        &self,
        actor: &Actor,
        offering: Id,
        from: &str,
        to: &str,
        amount: &str,
        note: &str,
    ) -> Result<CostRecord, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let o = self.offering(actor, offering).await?;
        actor.require_in(Action::EditOfferings, o.body_id)?;
        let mut errors = Invalid::default();
        let from_ms = errors.take(parse_day("from", from));
        let to_ms = errors.take(parse_day("to", to));
        let kopecks = errors.take(parse_roubles("amount", amount));
        let note = note.trim();
        if note.chars().count() > 500 {
            errors.push("note", "too_long", "at most 500 characters");
        }
        if let (Some(f), Some(t)) = (from_ms, to_ms) {
            if f >= t {
                errors.push("to", "period_order", "the end must be after the start (to is excluded)");
            } else if t - f > crate::analytics::MAX_PERIOD_DAYS * DAY_MS {
                errors.push("to", "period_too_long", "a period is at most five years");
            }
        }
        errors.into_result()?;
        let (f, t, k) = (from_ms.unwrap_or_default(), to_ms.unwrap_or_default(), kopecks.unwrap_or_default());
        let existing = self.store().costs(&[offering], f, t).await?;
        if let Some(e) = existing.first() {
            let day = |ms: i64| {
                let (y, m, d) = okno_analytics::iso::civil_from_days(ms.div_euclid(DAY_MS));
                format!("{d:02}.{m:02}.{y}")
            };
            return Err(Invalid::one(
                "from",
                "overlaps",
                format!(
                    "another cost entry covers {} – {}; remove it first or choose other dates",
                    day(e.period_from),
                    day(e.period_to - DAY_MS)
                ),
            )
            .into());
        }
        if self.store().costs(&[offering], i64::MIN, i64::MAX).await?.len() >= MAX_COSTS {
            return Err(Invalid::one("from", "too_many", "at most 500 cost entries per offering").into());
        }
        Ok(self.store().add_cost(offering, o.body_id, (f, t), k, note, &actor.trail()).await?)
    }

    /// Removes a cost entry. Administrators and service owners of the body.
    pub async fn delete_offering_cost(&self, actor: &Actor, offering: Id, cost: Id) -> Result<(), AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let o = self.offering(actor, offering).await?;
        actor.require_in(Action::EditOfferings, o.body_id)?;
        self.store().delete_cost(offering, o.body_id, cost, &actor.trail()).await.map_err(AppError::not_found("cost entry"))
    }

    /// The public transparency figures of every body over a period. Anyone.
    pub async fn transparency(&self, from: Option<&str>, to: Option<&str>) -> Result<Transparency, AppError> {
        let (from, to) = parse_period(from, to, crate::requests::now_ms())?;
        let min = self.transparency_min;
        let mut bodies = Vec::new();
        for body in self.list_bodies().await? {
            let (grouped, _) = self.cached_report(body.id, ReportKey::BodyByOffering(from, to)).await?;
            let by_key: BTreeMap<&str, &GroupReport> = grouped.groups.iter().filter_map(|g| g.key.as_deref().map(|k| (k, g))).collect();
            let published: Vec<Offering> =
                self.body_offerings(body.id).await?.into_iter().filter(|o| o.status == Status::Published).collect();
            let shown: Vec<Id> = published
                .iter()
                .filter(|o| by_key.get(o.id.to_string().as_str()).is_some_and(|g| g.cases.cases >= min))
                .map(|o| o.id)
                .collect();
            let costs = self.cost_shares(body.id, &shown, from, to).await?;
            let mut offerings = Vec::new();
            for o in published {
                let g = by_key.get(o.id.to_string().as_str()).copied();
                let figures =
                    g.filter(|g| g.cases.cases >= min).map(|g| public_figures(g, costs.get(&o.id).map(|c| c.0), min, &self.weights));
                if g.is_some() || figures.is_some() {
                    offerings.push(PublicOffering { offering: o.id, name: o.name, figures });
                }
            }
            if !offerings.is_empty() {
                offerings.sort_by(|a, b| a.name.cmp(&b.name));
                bodies.push(PublicBody { body, offerings });
            }
        }
        Ok(Transparency { from, to, min_requests: min, bodies })
    }
}

impl App {
    /// Gives the demo's published services a believable cost for each of the last twelve
    /// full months that had requests: requests × a unit cost of 300–1,200 roubles per
    /// service, ±10 %. The current month stays free for a user to enter. Months that
    /// already have an entry are left alone, so loading twice adds nothing. Returns the
    /// number of entries made.
    pub async fn load_demo_costs(&self) -> Result<usize, AppError> {
        let this_month = month_start(crate::requests::now_ms(), 0);
        let months: Vec<(i64, i64)> = (-12..0).map(|i| (month_start(this_month, i), month_start(this_month, i + 1))).collect();
        let trail = Actor::system().trail();
        let mut rng = crate::demo_history::Lcg(0x0c05_7e11);
        let mut made = 0;
        for body in self.list_bodies().await? {
            let published: Vec<Offering> =
                self.body_offerings(body.id).await?.into_iter().filter(|o| o.status == Status::Published).collect();
            // Counted in the database, not the analytics log: loading a million requests'
            // events only to count them would take minutes.
            let mut counts = Vec::with_capacity(published.len());
            for o in &published {
                let mut per_month = Vec::with_capacity(months.len());
                for &(from, to) in &months {
                    per_month.push(self.store().requests_created(o.id, from, to).await? as u64);
                }
                counts.push(per_month);
            }
            for (o, per_month) in published.iter().zip(counts) {
                let unit_kopecks = (300 + rng.below(900) as i64) * 100;
                for (&(from, to), n) in months.iter().zip(per_month) {
                    if n == 0 || !self.store().costs(&[o.id], from, to).await?.is_empty() {
                        continue;
                    }
                    let noise = 90 + rng.below(21) as i64;
                    let amount = (n as i64 * unit_kopecks * noise / 100) / 10_000 * 10_000;
                    self.store()
                        .add_cost(o.id, body.id, (from, to), amount.max(10_000), "Фонд оплаты труда, помещение и связь (демо)", &trail)
                        .await?;
                    made += 1;
                }
            }
        }
        Ok(made)
    }
}

/// The public figures of a group: satisfaction only from `min` ratings or more, and the
/// index then without its satisfaction part.
fn public_figures(g: &GroupReport, cost: Option<CostShare>, min: u64, weights: &Weights) -> PublicFigures {
    let k = kpis(g, cost);
    let enough_ratings = g.ratings.count >= min;
    let parts = Parts { satisfaction: if enough_ratings { g.centricity.parts.satisfaction } else { None }, ..g.centricity.parts.clone() };
    PublicFigures {
        requests: k.requests,
        closed: k.closed,
        median_days_to_result: g.cases.throughput.median_ms.map(|m| m / DAY_MS as f64),
        on_time_share: g.cases.breach_share.map(|b| 1.0 - b),
        completion_rate: k.completion_rate,
        digital_take_up: k.digital_take_up,
        satisfaction: if enough_ratings { k.satisfaction } else { None },
        cost_per_transaction: k.cost_per_transaction,
        centricity: combine(parts, weights).index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(from_day: i64, to_day: i64, kopecks: i64) -> CostRecord {
        CostRecord {
            id: Id::new(),
            offering_id: Id::new(),
            period_from: from_day * DAY_MS,
            period_to: to_day * DAY_MS,
            amount_kopecks: kopecks,
            note: String::new(),
            entered_at: 0,
        }
    }

    #[test]
    fn costs_count_in_proportion_to_the_days_inside_the_period() {
        // 90 days for 9,000 roubles; the period holds its last 30 days and 10 more.
        let (spans, kopecks) = cost_overlaps(&[entry(0, 90, 900_000)], 60 * DAY_MS, 100 * DAY_MS);
        assert_eq!(spans, vec![(60 * DAY_MS, 90 * DAY_MS)]);
        assert!((kopecks - 300_000.0).abs() < 1e-6);
        assert!(cost_overlaps(&[entry(0, 10, 5)], 10 * DAY_MS, 20 * DAY_MS).0.is_empty(), "the end day is excluded");
    }

    #[test]
    fn amounts_are_read_as_russians_write_them() {
        assert_eq!(parse_roubles("amount", "125000"), Ok(12_500_000));
        assert_eq!(parse_roubles("amount", "125 000,5"), Ok(12_500_050));
        assert_eq!(parse_roubles("amount", "1\u{a0}000.05"), Ok(100_005));
        for bad in ["", "-5", "12,345", "1e3", "12.3.4", "руб"] {
            assert_eq!(parse_roubles("amount", bad).unwrap_err().0[0].code, "invalid_amount", "{bad}");
        }
        assert_eq!(parse_roubles("amount", "99999999999999999").unwrap_err().0[0].code, "out_of_range");
    }

    #[test]
    fn months_step_over_year_ends() {
        let d = |y, m, day| okno_analytics::iso::days_from_civil(y, m, day) * DAY_MS;
        assert_eq!(month_start(d(2026, 1, 15), 0), d(2026, 1, 1));
        assert_eq!(month_start(d(2026, 1, 15), -1), d(2025, 12, 1));
        assert_eq!(month_start(d(2026, 12, 31), 1), d(2027, 1, 1));
        assert_eq!(month_start(d(2026, 3, 1), -11), d(2025, 4, 1));
        assert_eq!(month_label(d(2025, 4, 1)), "2025-04");
    }

    #[test]
    fn kpis_follow_their_definitions() {
        let mut g = GroupReport {
            key: None,
            cases: Default::default(),
            stages: Vec::new(),
            edges: Vec::new(),
            ratings: Default::default(),
            centricity: Default::default(),
        };
        g.cases.cases = 10;
        g.cases.closed = 8;
        g.cases.outcomes = BTreeMap::from([("granted".into(), 5), ("refused".into(), 1), ("withdrawn".into(), 2)]);
        g.cases.channels = BTreeMap::from([("web_form".into(), 4), ("open311".into(), 2), ("walk_in".into(), 4)]);
        let k = kpis(&g, Some(CostShare { kopecks: 60_000.0, requests: 4, coverage: 0.5 }));
        assert_eq!((k.completed, k.completion_rate), (6, Some(0.75)));
        assert_eq!((k.digital, k.digital_take_up), (6, Some(0.6)));
        assert_eq!(k.cost_per_transaction, Some(150.0));
        assert_eq!(k.cost_coverage, Some(0.5));
        assert_eq!(kpis(&g, None).cost_per_transaction, None);
    }
}
