//! Per-stage metrics of an offering over a period (`stage_metrics`), from an event log
//! kept in memory per body and refreshed incrementally.
//!
//! # The cache
//!
//! Computing on the database for every call would read millions of rows; the analytics
//! engine needs the whole history of each request in memory anyway. So each body's log
//! is loaded once and then kept up to date:
//!
//! - **settled** — the log of the body's *closed* requests. A closed request takes no
//!   more moves (the domain allows only comments), so this part only grows: a request
//!   that closes is loaded once and [`Log::append`]ed.
//! - **active** — the open requests' events, held as owned rows per request. When one
//!   moves, only its history is read again and its rows replaced; the active log is then
//!   rebuilt from memory (no database).
//! - **view** — `settled` with the active log appended, behind an `Arc`: what reports are
//!   computed on. Readers keep their `Arc` while a refresh builds the next one.
//!
//! **Refresh**, on each call: one indexed query for the requests of the body with events
//! later than the watermark minus [`LAG_MS`] (the watermark is the newest event time
//! loaded; the lag covers clocks of several nodes and transactions that commit after a
//! later one), compared with the last event number loaded per request. Nothing new → the
//! generation stays and the cached report is answered. New or moved open requests →
//! their histories are read and the view rebuilt; newly closed ones move to `settled`. A
//! closed request that got an event (a comment after closing) makes a full reload, as
//! does a first call. Events written with a time older than the watermark minus the lag
//! (only the demo loader back-dates events) are seen at the next full reload
//! ([`App::forget_analytics`]).
//!
//! **Reports** are cached per body by (offering, from, to) and thrown away when the
//! generation changes; computing runs on the blocking pool, outside the body's lock, over
//! the `Arc` of the view. A cache hit costs the freshness query and a clone of an `Arc`.
//!
//! The period is `[from, to)` in whole days at midnight UTC, on the request's creation
//! time, at most five years long.
//!
//! **Ratings** are kept for all bodies at once ([`RatingsState`]): the newest change time
//! (from an index) is compared on every call, only changed ratings are read, and a
//! recount every minute catches what a time alone would miss. A new rating version drops every cached report; the log stays. Each report maps
//! the ratings onto its log's cases as it is computed.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_analytics::{compute, CaseInput, EventInput, Kind, Log, LogBuilder, Query, Rating, Report};
use okno_domain::{Id, Invalid};
use okno_store::analytics::{feed, EventRow, LoadSummary, LogScope};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

pub use okno_analytics as engine;

/// How far back of the watermark each refresh looks, in ms.
pub const LAG_MS: i64 = 120_000;
/// Longest period a report may cover, in days (five years with their leap days).
pub const MAX_PERIOD_DAYS: i64 = 5 * 365 + 2;
const DAY_MS: i64 = 86_400_000;
const MAX_REPORTS: usize = 512;

/// Per body: its log state, behind an async lock so one refresh runs at a time.
#[derive(Clone, Debug, Default)]
pub(crate) struct AnalyticsCache {
    bodies: Arc<Mutex<HashMap<Id, Arc<tokio::sync::Mutex<BodyLog>>>>>,
    ratings: Arc<tokio::sync::Mutex<RatingsState>>,
}

impl AnalyticsCache {
    fn body(&self, body: Id) -> Arc<tokio::sync::Mutex<BodyLog>> {
        self.bodies.lock().unwrap_or_else(|p| p.into_inner()).entry(body).or_default().clone()
    }

    /// The ratings, current, and their version.
    async fn ratings(&self, store: &okno_store::Store) -> Result<(Arc<RatingsMap>, u64), AppError> {
        let mut r = self.ratings.lock().await;
        r.refresh(store).await?;
        Ok((r.map.clone(), r.version))
    }
}

/// One event of an open request, owned.
#[derive(Clone, Debug)]
struct OwnedEvent {
    kind: Kind,
    stage: String,
    at: i64,
    actor: String,
    visible: bool,
    by_client: bool,
}

#[derive(Clone, Debug)]
struct ActiveCase {
    offering: String,
    variant: String,
    unit: Option<String>,
    body: String,
    channel: String,
    due_at: Option<i64>,
    outcome: Option<String>,
    events: Vec<OwnedEvent>,
}

#[derive(Debug, Default)]
struct BodyLog {
    loaded: bool,
    settled: Log,
    active: BTreeMap<String, ActiveCase>,
    /// Per request: the last event number loaded and whether it is in `settled`.
    known: HashMap<String, (i64, bool)>,
    view: Arc<Log>,
    watermark: i64,
    generation: u64,
    /// The ratings version the cached reports were computed with.
    ratings_version: u64,
    reports: HashMap<ReportKey, Arc<Report>>,
}

/// The metrics of one offering over a period, with the stage names of its chain.
#[derive(Clone, Debug)]
pub struct StageMetricsView {
    pub offering: Id,
    /// `[from, to)`, UTC ms.
    pub from: i64,
    pub to: i64,
    /// The report: one group (or none when no request was created in the period).
    pub report: Arc<Report>,
    /// Stage key → name, over every variant of the latest chain.
    pub names: BTreeMap<String, String>,
    /// The stage keys in chain order (variants in order, first appearance).
    pub order: Vec<String>,
    /// Which refresh of the body's log the report was computed on.
    pub generation: u64,
}

/// A date `YYYY-MM-DD` as UTC midnight in ms, or a 422 naming the parameter.
pub fn parse_day(field: &str, value: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::one(field, "invalid_date", "a date as YYYY-MM-DD");
    let v = value.trim();
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().ok().filter(|_| s.bytes().all(|c| c.is_ascii_digit()));
    let (Some(y), Some(m), Some(d)) = (num(&v[0..4]), num(&v[5..7]), num(&v[8..10])) else { return Err(bad()) };
    let month = time::Month::try_from(m as u8).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(y as i32, month, d as u8).map_err(|_| bad())?;
    if !(2000..=2100).contains(&date.year()) {
        return Err(Invalid::one(field, "out_of_range", "a year from 2000 to 2100"));
    }
    Ok(okno_analytics::iso::days_from_civil(y as i64, m, d) * DAY_MS)
}

/// Checks a period given as two dates: `[from, to)`, `from` before `to`, at most five
/// years. A missing `to` is tomorrow (today included); a missing `from` is a year before `to`.
pub fn parse_period(from: Option<&str>, to: Option<&str>, now: i64) -> Result<(i64, i64), Invalid> {
    fn nonblank(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let to_ms = match nonblank(to) {
        Some(t) => parse_day("to", t)?,
        None => (now.div_euclid(DAY_MS) + 1) * DAY_MS,
    };
    let from_ms = match nonblank(from) {
        Some(f) => parse_day("from", f)?,
        None => to_ms - 365 * DAY_MS,
    };
    if from_ms >= to_ms {
        return Err(Invalid::one("from", "period_order", "the start must be before the end (to is excluded)"));
    }
    if to_ms - from_ms > MAX_PERIOD_DAYS * DAY_MS {
        return Err(Invalid::one("to", "period_too_long", "a period is at most five years"));
    }
    Ok((from_ms, to_ms))
}

/// Every rating as analytics needs it (no comments), keyed by request id.
type RatingsMap = HashMap<String, Vec<StoredRating>>;

#[derive(Clone, Debug)]
struct StoredRating {
    stage: String,
    scores: [Option<u8>; 5],
    need_addressed: Option<bool>,
}

/// The ratings of every body, kept up to date like the logs. Each use reads the newest
/// change time (one index lookup); when it moved, the ratings changed since the previous
/// newest minus [`LAG_MS`] are read and merged. At most every [`RECOUNT`] the ratings are
/// also counted, and a count that differs from the cache's (a rating written by a node
/// with a slow clock, or deleted with its request) reloads them all.
#[derive(Debug, Default)]
struct RatingsState {
    loaded: bool,
    latest: i64,
    counted_at: Option<std::time::Instant>,
    map: Arc<RatingsMap>,
    version: u64,
}

/// How often the ratings cache counts the ratings (see [`RatingsState`]).
const RECOUNT: std::time::Duration = std::time::Duration::from_secs(60);

impl RatingsState {
    async fn refresh(&mut self, store: &okno_store::Store) -> Result<(), AppError> {
        let recount = self.counted_at.is_none_or(|t| t.elapsed() >= RECOUNT);
        let (count, latest) = if recount {
            let (n, latest) = store.ratings_stamp().await?;
            (Some(n), latest)
        } else {
            (None, store.ratings_latest().await?)
        };
        if recount {
            self.counted_at = Some(std::time::Instant::now());
        }
        let moved = !self.loaded || latest != self.latest;
        let miscounted = count.is_some_and(|n| n != count_of(&self.map));
        if !moved && !miscounted {
            return Ok(());
        }
        let map = Arc::make_mut(&mut self.map);
        if !self.loaded || miscounted {
            map.clear();
            merge(map, store.ratings_since(i64::MIN).await?);
        } else {
            merge(map, store.ratings_since(self.latest.saturating_sub(LAG_MS)).await?);
        }
        self.loaded = true;
        self.latest = latest;
        self.version += 1;
        Ok(())
    }
}

fn count_of(map: &RatingsMap) -> i64 {
    map.values().map(|v| v.len() as i64).sum()
}

fn merge(map: &mut RatingsMap, rows: Vec<okno_store::ratings::RatingFacts>) {
    for r in rows {
        let list = map.entry(r.request_id.to_string()).or_default();
        let rating = StoredRating { stage: r.stage_key, scores: r.scores, need_addressed: r.need_addressed };
        match list.iter_mut().find(|x| x.stage == rating.stage) {
            Some(x) => *x = rating,
            None => list.push(rating),
        }
    }
}

/// The ratings of the log's cases, mapped to case and stage ids. A stage the log never
/// saw (rated, then the case erased from view) is left out; `''` rates the whole request.
fn ratings_for(log: &Log, map: &RatingsMap) -> Vec<Rating> {
    let mut out = Vec::new();
    if map.is_empty() {
        return out;
    }
    for c in 0..log.cases() as u32 {
        let Some(list) = map.get(log.case_id(c)) else { continue };
        for r in list {
            let stage = if r.stage.is_empty() { None } else { log.activity_id(&r.stage) };
            if stage.is_none() && !r.stage.is_empty() {
                continue;
            }
            if let Ok(rating) = Rating::new(c, stage, r.scores, r.need_addressed) {
                out.push(rating);
            }
        }
    }
    out
}

/// What a cached report covers, over the requests created in `[from, to)`: one
/// offering's (whole, or per variant), or the body's (whole, per offering or per unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ReportKey {
    Offering(Id, i64, i64),
    OfferingByVariant(Id, i64, i64),
    BodyByOffering(i64, i64),
    BodyByUnit(i64, i64),
    Body(i64, i64),
}

impl BodyLog {
    async fn full_load(&mut self, store: &okno_store::Store, body: Id) -> Result<(), AppError> {
        let mut settled = LogBuilder::new();
        let mut sum = LoadSummary::default();
        let mut active: BTreeMap<String, ActiveCase> = BTreeMap::new();
        let mut known: HashMap<String, (i64, bool)> = HashMap::new();
        let mut failed = None;
        // A case goes where its first row says: closed → settled; open → active.
        let mut current: Option<(String, bool)> = None;
        let mut max_at = i64::MIN;
        store
            .scan_events(&LogScope::Body(body), |row| {
                max_at = max_at.max(row.at);
                let same = current.as_ref().is_some_and(|(id, _)| id == row.request_id);
                if !same {
                    current = Some((row.request_id.to_string(), row.closed));
                }
                let closed = current.as_ref().is_some_and(|(_, c)| *c);
                if closed {
                    if let Err(e) = feed(&mut settled, &mut sum, row) {
                        failed.get_or_insert(e);
                    }
                } else {
                    keep_active(&mut active, row);
                }
                known.insert(row.request_id.to_string(), (row.seq, closed));
            })
            .await?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        self.settled = settled.finish();
        self.active = active;
        self.known = known;
        self.watermark = self.watermark.max(max_at);
        self.loaded = true;
        self.rebuild_view();
        Ok(())
    }

    /// Brings the log up to date; true when it changed.
    async fn refresh(&mut self, store: &okno_store::Store, body: Id) -> Result<bool, AppError> {
        if !self.loaded {
            self.full_load(store, body).await?;
            return Ok(true);
        }
        let heads = store.recent_heads(body, self.watermark.saturating_sub(LAG_MS)).await?;
        let mut changed: Vec<Id> = Vec::new();
        let mut max_at = self.watermark;
        for h in &heads {
            max_at = max_at.max(h.max_at);
            match self.known.get(&h.id) {
                Some(&(seq, _)) if h.last_seq <= seq => {}
                Some(&(_, true)) => {
                    // A closed request got an event: reload everything (rare).
                    self.loaded = false;
                    self.full_load(store, body).await?;
                    return Ok(true);
                }
                _ => changed.push(h.id.parse().map_err(|_| AppError::Internal(okno_store::StoreError::Corrupt("request_id")))?),
            }
        }
        if changed.is_empty() {
            self.watermark = max_at;
            return Ok(false);
        }
        // Read the changed requests' whole histories; closed ones join `settled`.
        let mut closing = LogBuilder::new();
        let mut sum = LoadSummary::default();
        let mut fresh: BTreeMap<String, ActiveCase> = BTreeMap::new();
        let mut rows: Vec<(String, i64, bool)> = Vec::new();
        let mut failed = None;
        // Two passes would read twice; instead keep every row as owned and sort after.
        store
            .scan_events(&LogScope::Requests(changed), |row| {
                max_at = max_at.max(row.at);
                keep_active(&mut fresh, row);
                rows.push((row.request_id.to_string(), row.seq, row.closed));
            })
            .await?;
        let mut last: HashMap<&str, (i64, bool)> = HashMap::new();
        for (id, seq, closed) in &rows {
            last.insert(id.as_str(), (*seq, *closed));
        }
        for (id, case) in fresh {
            let (seq, closed) = last.get(id.as_str()).copied().unwrap_or((0, false));
            if closed {
                self.active.remove(&id);
                for e in &case.events {
                    let row = EventRow {
                        request_id: &id,
                        seq,
                        kind: e.kind,
                        stage: &e.stage,
                        at: e.at,
                        actor: &e.actor,
                        stored_visible: e.visible,
                        offering: &case.offering,
                        variant: &case.variant,
                        unit: case.unit.as_deref(),
                        body: &case.body,
                        channel: &case.channel,
                        due_at: case.due_at,
                        closed: true,
                        outcome: case.outcome.as_deref(),
                    };
                    if let Err(e) = feed(&mut closing, &mut sum, &row) {
                        failed.get_or_insert(e);
                    }
                }
            } else {
                self.active.insert(id.clone(), case);
            }
            self.known.insert(id, (seq, closed));
        }
        if let Some(e) = failed {
            return Err(e.into());
        }
        if sum.events > 0 {
            self.settled.append(&closing.finish());
        }
        self.watermark = max_at;
        self.rebuild_view();
        Ok(true)
    }

    fn rebuild_view(&mut self) {
        let mut b = LogBuilder::new();
        for (id, c) in &self.active {
            let input = CaseInput {
                id,
                offering: Some(c.offering.as_str()),
                variant: Some(c.variant.as_str()),
                unit: c.unit.as_deref(),
                body: Some(c.body.as_str()),
                channel: Some(c.channel.as_str()),
                outcome: c.outcome.as_deref(),
                due_at: c.due_at,
            };
            // Cannot fail: a case is begun before its events, and the counts are far below 2^32.
            let _ = b.begin_case(&input);
            for e in &c.events {
                let _ = b.event(&EventInput {
                    kind: e.kind,
                    stage: &e.stage,
                    at: e.at,
                    resource: &e.actor,
                    client_visible: e.visible,
                    by_client: e.by_client,
                    stage_due: None,
                });
            }
        }
        let mut view = self.settled.clone();
        view.append(&b.finish());
        self.view = Arc::new(view);
        self.generation += 1;
        self.reports.clear();
    }
}

/// Keeps a row of an open request as owned data (the engine's flags already decided).
fn keep_active(active: &mut BTreeMap<String, ActiveCase>, row: &EventRow<'_>) {
    let ev = row.event_input();
    let e = OwnedEvent {
        kind: row.kind,
        stage: row.stage.to_string(),
        at: row.at,
        actor: row.actor.to_string(),
        visible: ev.client_visible,
        by_client: ev.by_client,
    };
    match active.get_mut(row.request_id) {
        Some(c) => {
            // The request's columns as of the newest row read.
            c.unit = row.unit.map(str::to_string);
            c.due_at = row.due_at;
            c.outcome = row.outcome.map(str::to_string);
            c.events.push(e);
        }
        None => {
            active.insert(
                row.request_id.to_string(),
                ActiveCase {
                    offering: row.offering.to_string(),
                    variant: row.variant.to_string(),
                    unit: row.unit.map(str::to_string),
                    body: row.body.to_string(),
                    channel: row.channel.to_string(),
                    due_at: row.due_at,
                    outcome: row.outcome.map(str::to_string),
                    events: vec![e],
                },
            );
        }
    }
}

impl App {
    /// Per-stage metrics of an offering for requests created in `[from, to)` (dates
    /// `YYYY-MM-DD`). Staff who may read the body's internal records (analysts too).
    pub async fn stage_metrics(
        &self,
        actor: &Actor,
        offering: Id,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<StageMetricsView, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let o = self.offering(actor, offering).await?;
        actor.require_in(Action::ReadInternal, o.body_id)?;
        let (from, to) = parse_period(from, to, crate::requests::now_ms())?;
        let (names, order) = match self.store().latest_chain(offering).await? {
            Some((_, chain)) => {
                let mut names = BTreeMap::new();
                let mut order = Vec::new();
                for v in &chain.variants {
                    for s in &v.stages {
                        if names.insert(s.key.clone(), s.name.clone()).is_none() {
                            order.push(s.key.clone());
                        }
                    }
                }
                (names, order)
            }
            None => (BTreeMap::new(), Vec::new()),
        };
        let (report, generation) = self.cached_report(o.body_id, ReportKey::Offering(offering, from, to)).await?;
        Ok(StageMetricsView { offering, from, to, report, names, order, generation })
    }

    /// A report of the body's log, from the cache when neither the log nor the ratings
    /// changed since it was computed.
    pub(crate) async fn cached_report(&self, body: Id, key: ReportKey) -> Result<(Arc<Report>, u64), AppError> {
        let (ratings, ratings_version) = self.analytics.ratings(self.store()).await?;
        let cell = self.refreshed(body).await?;
        let (log, generation) = {
            let mut b = cell.lock().await;
            if b.ratings_version != ratings_version {
                b.reports.clear();
                b.ratings_version = ratings_version;
            }
            if let Some(r) = b.reports.get(&key) {
                return Ok((r.clone(), b.generation));
            }
            (b.view.clone(), b.generation)
        };
        let weights = self.weights.clone();
        let report = tokio::task::spawn_blocking(move || {
            let rated = ratings_for(&log, &ratings);
            let (offering, from, to, group_by) = match key {
                ReportKey::Offering(o, from, to) => (Some(o.to_string()), from, to, None),
                ReportKey::OfferingByVariant(o, from, to) => (Some(o.to_string()), from, to, Some(engine::Attr::Variant)),
                ReportKey::BodyByOffering(from, to) => (None, from, to, Some(engine::Attr::Offering)),
                ReportKey::BodyByUnit(from, to) => (None, from, to, Some(engine::Attr::Unit)),
                ReportKey::Body(from, to) => (None, from, to, None),
            };
            let q = Query {
                from: Some(from),
                to: Some(to),
                offering: offering.as_deref(),
                group_by,
                ratings: &rated,
                weights,
                ..Query::default()
            };
            compute(&log, &q)
        })
        .await
        .map_err(|_| AppError::Internal(okno_store::StoreError::Corrupt("analytics task")))?;
        let report = Arc::new(report);
        let mut b = cell.lock().await;
        if b.generation == generation && b.ratings_version == ratings_version {
            if b.reports.len() >= MAX_REPORTS {
                b.reports.clear();
            }
            b.reports.insert(key, report.clone());
        }
        Ok((report, generation))
    }

    /// The body's log cell, refreshed on a task of its own: the first load of a large log
    /// (a million requests) outlasts an HTTP request's timeout, and a load dropped half-way
    /// would start again from nothing on the next call and never finish.
    async fn refreshed(&self, body: Id) -> Result<Arc<tokio::sync::Mutex<BodyLog>>, AppError> {
        let cell = self.analytics.body(body);
        let (task_cell, store) = (cell.clone(), self.store().clone());
        tokio::spawn(async move {
            let mut b = task_cell.lock().await;
            b.refresh(&store, body).await
        })
        .await
        .map_err(|_| AppError::Internal(okno_store::StoreError::Corrupt("analytics task")))??;
        Ok(cell)
    }

    /// Loads every body's log and the ratings, so the first dashboard after a start does
    /// not wait for them (minutes on a million requests). A server calls it in the
    /// background as it starts; a failure is logged and the first call tries again.
    pub async fn warm_analytics(&self) {
        let started = std::time::Instant::now();
        if let Err(e) = self.analytics.ratings(self.store()).await {
            tracing::warn!(error = %e, "analytics warm-up: the ratings could not be read");
        }
        let bodies = match self.list_bodies().await {
            Ok(b) => b,
            Err(e) => return tracing::warn!(error = %e, "analytics warm-up: the bodies could not be read"),
        };
        for b in bodies {
            if let Err(e) = self.refreshed(b.id).await {
                tracing::warn!(body = %b.id, error = %e, "analytics warm-up failed for a body");
            }
        }
        tracing::info!(ms = started.elapsed().as_millis() as u64, "analytics warm-up done");
    }

    /// Runs `f` on the body's current log (refreshed first), on the blocking pool.
    pub(crate) async fn with_log<T: Send + 'static>(&self, body: Id, f: impl FnOnce(&Log) -> T + Send + 'static) -> Result<T, AppError> {
        let log = self.refreshed(body).await?.lock().await.view.clone();
        tokio::task::spawn_blocking(move || f(&log))
            .await
            .map_err(|_| AppError::Internal(okno_store::StoreError::Corrupt("analytics task")))
    }

    /// Drops the cached log of a body (or of all bodies): the next call reloads it.
    pub fn forget_analytics(&self, body: Option<Id>) {
        let mut map = self.analytics.bodies.lock().unwrap_or_else(|p| p.into_inner());
        match body {
            Some(b) => {
                map.remove(&b);
            }
            None => map.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked_and_name_their_parameter() {
        let now = 20_000 * DAY_MS + 5;
        let (f, t) = parse_period(Some("2026-01-01"), Some("2026-02-01"), now).unwrap();
        assert_eq!(t - f, 31 * DAY_MS);
        assert_eq!(parse_period(None, None, now).unwrap(), (20_001 * DAY_MS - 365 * DAY_MS, 20_001 * DAY_MS));
        let field = |r: Result<(i64, i64), Invalid>| r.unwrap_err().0[0].field.clone();
        assert_eq!(field(parse_period(Some("yesterday"), None, now)), "from");
        assert_eq!(field(parse_period(Some("2026-02-30"), Some("2026-03-01"), now)), "from");
        assert_eq!(field(parse_period(Some("2026-01-01"), Some("2026-13-01"), now)), "to");
        assert_eq!(field(parse_period(Some("2026-01-01"), Some("+2026-1-01"), now)), "to");
        assert_eq!(field(parse_period(Some("2026-02-01"), Some("2026-01-01"), now)), "from");
        assert_eq!(field(parse_period(Some("2026-01-01"), Some("2026-01-01"), now)), "from");
        assert_eq!(field(parse_period(Some("2020-01-01"), Some("2026-01-01"), now)), "to");
        assert!(parse_period(Some("2021-01-01"), Some("2026-01-01"), now).is_ok());
    }
}
