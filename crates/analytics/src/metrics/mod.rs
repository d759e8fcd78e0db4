//! One pass over case-ordered events: per-stage metrics, the performance directly-follows
//! graph, case throughput and rework, per group of cases.
//!
//! # Definitions
//!
//! A **visit** of a stage runs from its `entered` event to the first `completed`,
//! `returned` or `closed` event after it (an `entered` with a visit still open ends that
//! visit too). A visit with no end yet is *open*: it counts in `visits` but in no duration.
//!
//! Inside a visit:
//! - **work start** is the first event after `entered` that is `started`, `paused` or
//!   `suspended` (by anyone: the stage then waits on the client, not in the queue), or any
//!   other kind except `created`/`entered` made by staff (not `by_client`): reassigned,
//!   commented, client_notified, extended, completed, returned, closed. A visit that ends
//!   without one starts work at its end.
//! - **queue wait** = work start − entered.
//! - **client wait** = the time between each `paused`/`suspended` and the next `resumed`
//!   (or the visit's end, if still paused then).
//! - **working time** = visit time − queue wait − client wait.
//! - **waiting share** = (Σ queue wait + Σ client wait) ÷ Σ visit time.
//! - **return share** = visits that ended with `returned` ÷ finished visits.
//! - **rework cases** (per stage) = cases that finished the stage more than once — what
//!   PM4Py's `get_rework_cases_per_activity` counts on a log of visits. Per group:
//!   cases with at least one return, and the number of returns.
//! - **deadline breach**: a finished visit is due at the `stage_due` its `entered` event
//!   carries, or else at the case's `due_at` (the store keeps only the current stage's
//!   due time, so without a per-visit due a visit counts as late when it ended after the
//!   whole request was due). Visits with neither are left out of the share. Per group:
//!   closed cases with `closed_at > due_at` ÷ closed cases with a `due_at`.
//! - **transparency**: a visit is transparent when one of its events is `client_visible`
//!   or its stage is listed in [`Query::visible_stages`].
//! - **client asks**: `paused` events (the client was asked for documents or an answer).
//!
//! The **performance DFG** has an edge (a → b) for each two consecutive finished visits
//! of a case; its duration is b's work start − a's end. On the lifecycle view of the log
//! (a `start` row at the work start and a `complete` row at the end of each visit, see
//! [`crate::lifecycle`]) that is what PM4Py's `discover_performance_dfg` computes on an
//! interval frame (`start_timestamp` of b − `time:timestamp` of a) and what a SQL `LAG`
//! over the rows gives. **Throughput** of a closed case = `closed` − `created` (the first
//! event when there is no `created`); on the lifecycle view, last row − first row, as
//! PM4Py's `get_all_case_durations`.
//!
//! Durations are milliseconds; means and medians are over finished visits (closed cases
//! for throughput). The median of an even count is the mean of the middle two.

use crate::centricity::{self, Centricity, Parts, Rating, RatingAcc, RatingSummary, Weights};
use crate::intern::FxMap;
use crate::log::{Attr, Kind, Log, FLAG_BY_CLIENT, FLAG_VISIBLE, NONE, NO_LABEL};
use crate::median::Scratch;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which cases to count and how to group them.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    /// Cases created at or after this instant (UTC ms).
    pub from: Option<i64>,
    /// Cases created before this instant.
    pub to: Option<i64>,
    /// Only cases with these attribute values (offering id, unit id, channel code…).
    pub offering: Option<&'a str>,
    pub variant: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub body: Option<&'a str>,
    pub channel: Option<&'a str>,
    /// One result per value of this attribute (cases without one form a group with key
    /// `None`); a single group when not set.
    pub group_by: Option<Attr>,
    /// Stages whose every visit counts as transparent (the chain shows them to the client).
    pub visible_stages: &'a [&'a str],
    /// Client ratings; those of cases outside the query are ignored.
    pub ratings: &'a [Rating],
    /// The index's weights; check configured ones with [`Weights::validate`] first.
    pub weights: Weights,
}

/// Count, mean and median of a duration, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Stat {
    pub count: u64,
    pub mean_ms: Option<f64>,
    pub median_ms: Option<f64>,
}

/// What happened at one stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageMetrics {
    pub stage: String,
    /// The stage's activity id in the log.
    pub activity: u32,
    /// Visits entered (open ones included).
    pub visits: u64,
    /// Visits that ended (completed, returned or closed).
    pub finished: u64,
    pub queue_wait: Stat,
    pub client_wait: Stat,
    pub working: Stat,
    pub duration: Stat,
    pub waiting_share: Option<f64>,
    /// Finished visits with a due time, and how many of them ended late.
    pub with_due: u64,
    pub breached: u64,
    pub breach_share: Option<f64>,
    pub returns: u64,
    pub return_share: Option<f64>,
    pub rework_cases: u64,
    pub transparent: u64,
    pub transparency: Option<f64>,
    pub client_asks: u64,
    pub ratings: RatingSummary,
    pub centricity: Centricity,
}

/// An edge of the performance directly-follows graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub mean_ms: Option<f64>,
    pub median_ms: Option<f64>,
}

/// Case-level figures of a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CaseMetrics {
    pub cases: u64,
    pub closed: u64,
    /// Created → closed, over closed cases.
    pub throughput: Stat,
    pub with_due: u64,
    pub breached: u64,
    pub breach_share: Option<f64>,
    /// Cases with at least one return, and all returns.
    pub rework_cases: u64,
    pub returns: u64,
    pub client_asks: u64,
    pub asks_per_case: Option<f64>,
    pub visits: u64,
    pub waiting_share: Option<f64>,
    pub transparency: Option<f64>,
    /// Events by kind code (only kinds that occur).
    pub events: BTreeMap<&'static str, u64>,
    /// Cases by channel code, and closed cases by outcome code (only values that occur):
    /// what digital take-up and the completion rate are computed from.
    pub channels: BTreeMap<String, u64>,
    pub outcomes: BTreeMap<String, u64>,
}

/// Everything about one group of cases.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    /// The attribute value of the group (`None`: not grouped, or cases without a value).
    pub key: Option<String>,
    pub cases: CaseMetrics,
    /// In the order the stages first appear in the log.
    pub stages: Vec<StageMetrics>,
    pub edges: Vec<Edge>,
    pub ratings: RatingSummary,
    pub centricity: Centricity,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub group_by: Option<Attr>,
    /// Groups in the order their first case appears; none when no case matches.
    pub groups: Vec<GroupReport>,
}

impl Report {
    /// The group with this key (`None` for the ungrouped result).
    pub fn group(&self, key: Option<&str>) -> Option<&GroupReport> {
        self.groups.iter().find(|g| g.key.as_deref() == key)
    }
}

impl GroupReport {
    pub fn stage(&self, stage: &str) -> Option<&StageMetrics> {
        self.stages.iter().find(|s| s.stage == stage)
    }

    pub fn edge(&self, from: &str, to: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.from == from && e.to == to)
    }
}

/// Dense ids for sparse keys: an array when the key space is small, a hash map otherwise.
struct SlotMap {
    dense: Vec<u32>,
    map: FxMap<u64, u32>,
    keys: Vec<u64>,
}

const DENSE_LIMIT: u64 = 1 << 22;

impl SlotMap {
    fn new(key_space: u64) -> SlotMap {
        let dense = if key_space <= DENSE_LIMIT { vec![u32::MAX; key_space as usize] } else { Vec::new() };
        SlotMap { dense, map: FxMap::default(), keys: Vec::new() }
    }

    #[inline]
    fn slot(&mut self, key: u64) -> (u32, bool) {
        let next = self.keys.len() as u32;
        if !self.dense.is_empty() {
            let s = &mut self.dense[key as usize];
            if *s != u32::MAX {
                return (*s, false);
            }
            *s = next;
        } else {
            match self.map.entry(key) {
                std::collections::hash_map::Entry::Occupied(o) => return (*o.get(), false),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(next);
                }
            }
        }
        self.keys.push(key);
        (next, true)
    }
}

#[derive(Clone, Copy, Default)]
struct StageAcc {
    visits: u64,
    finished: u64,
    queue: i128,
    client: i128,
    work: i128,
    total: i128,
    with_due: u64,
    breached: u64,
    returns: u64,
    rework_cases: u64,
    transparent: u64,
    asks: u64,
}

#[derive(Clone, Copy, Default)]
struct EdgeAcc {
    count: u64,
    sum: i128,
}

#[derive(Clone, Copy)]
struct GroupAcc {
    label: u32,
    cases: u64,
    closed: u64,
    throughput: i128,
    with_due: u64,
    breached: u64,
    rework_cases: u64,
    returns: u64,
    asks: u64,
    kinds: [u64; 13],
}

/// The visit in progress while walking a case.
#[derive(Clone, Copy)]
struct Visit {
    activity: u32,
    slot: u32,
    entered: i64,
    start: i64,
    paused_since: i64,
    client: i64,
    due: i64,
    transparent: bool,
}

struct Pass<'l> {
    log: &'l Log,
    n_act: u64,
    visible: Vec<bool>,
    stage_slots: SlotMap,
    edge_slots: SlotMap,
    stages: Vec<StageAcc>,
    edges: Vec<EdgeAcc>,
    groups: Vec<GroupAcc>,
    /// Samples for medians, one column each: the slot, then the values.
    visit_slot: Vec<u32>,
    visit_values: [Vec<i64>; 4],
    edge_slot: Vec<u32>,
    edge_value: Vec<i64>,
    closed_group: Vec<u32>,
    closed_value: Vec<i64>,
    /// Per activity: the last case that finished it, and how often in that case.
    seen_case: Vec<u32>,
    seen_count: Vec<u32>,
}

impl<'l> Pass<'l> {
    #[inline]
    fn stage_slot(&mut self, group: u32, activity: u32) -> u32 {
        let (slot, new) = self.stage_slots.slot(group as u64 * self.n_act + activity as u64);
        if new {
            self.stages.push(StageAcc::default());
        }
        slot
    }

    #[inline]
    fn end_visit(&mut self, v: &Visit, at: i64, kind: Kind, case: u32, group: u32, prev: &mut (u32, i64)) {
        let start = if v.start == NONE { at } else { v.start };
        let client = v.client + if v.paused_since != NONE { at - v.paused_since } else { 0 };
        let queue = start - v.entered;
        let total = at - v.entered;
        let work = total - queue - client;
        let due = if v.due != NONE { v.due } else { self.log.case_due[case as usize] };
        let s = &mut self.stages[v.slot as usize];
        s.finished += 1;
        s.queue += queue as i128;
        s.client += client as i128;
        s.work += work as i128;
        s.total += total as i128;
        if due != NONE {
            s.with_due += 1;
            s.breached += (at > due) as u64;
        }
        s.returns += (kind == Kind::Returned) as u64;
        s.transparent += v.transparent as u64;
        let a = v.activity as usize;
        if self.seen_case[a] != case {
            self.seen_case[a] = case;
            self.seen_count[a] = 1;
        } else {
            self.seen_count[a] += 1;
            if self.seen_count[a] == 2 {
                s.rework_cases += 1;
            }
        }
        self.visit_slot.push(v.slot);
        for (col, x) in self.visit_values.iter_mut().zip([queue, client, work, total]) {
            col.push(x);
        }
        let (prev_act, prev_end) = *prev;
        if prev_act != NO_LABEL {
            let key = (group as u64 * self.n_act + prev_act as u64) * self.n_act + v.activity as u64;
            let (slot, new) = self.edge_slots.slot(key);
            if new {
                self.edges.push(EdgeAcc::default());
            }
            let d = start - prev_end;
            let e = &mut self.edges[slot as usize];
            e.count += 1;
            e.sum += d as i128;
            self.edge_slot.push(slot);
            self.edge_value.push(d);
        }
        *prev = (v.activity, at);
    }

    fn case(&mut self, case: u32, group: u32) {
        let log = self.log;
        let c = case as usize;
        let range = log.case_first[c] as usize..log.case_first[c + 1] as usize;
        let (acts, kinds, ats, flags) =
            (&log.ev_activity[range.clone()], &log.ev_kind[range.clone()], &log.ev_at[range.clone()], &log.ev_flags[range.clone()]);
        let dues = log.ev_stage_due.get(range.clone()).unwrap_or(&[]);
        let mut visit: Option<Visit> = None;
        let mut prev = (NO_LABEL, 0i64);
        let (mut returns, mut asks) = (0u64, 0u64);
        for i in 0..kinds.len() {
            let kind = Kind::from_u8(kinds[i]);
            let at = ats[i];
            self.groups[group as usize].kinds[kinds[i] as usize] += 1;
            match kind {
                Kind::Entered => {
                    if let Some(v) = visit.take() {
                        self.end_visit(&v, at, Kind::Completed, case, group, &mut prev);
                    }
                    let activity = acts[i];
                    let slot = self.stage_slot(group, activity);
                    self.stages[slot as usize].visits += 1;
                    visit = Some(Visit {
                        activity,
                        slot,
                        entered: at,
                        start: NONE,
                        paused_since: NONE,
                        client: 0,
                        due: dues.get(i).copied().unwrap_or(NONE),
                        transparent: flags[i] & FLAG_VISIBLE != 0 || self.visible[activity as usize],
                    });
                }
                Kind::Created => {}
                _ => {
                    let Some(v) = visit.as_mut() else { continue };
                    v.transparent |= flags[i] & FLAG_VISIBLE != 0;
                    match kind {
                        Kind::Completed | Kind::Returned | Kind::Closed => {
                            returns += (kind == Kind::Returned) as u64;
                            let v = visit.take().expect("matched Some");
                            self.end_visit(&v, at, kind, case, group, &mut prev);
                        }
                        Kind::Paused | Kind::Suspended => {
                            if v.start == NONE {
                                v.start = at;
                            }
                            if v.paused_since == NONE {
                                v.paused_since = at;
                            }
                            if kind == Kind::Paused {
                                asks += 1;
                                self.stages[v.slot as usize].asks += 1;
                            }
                        }
                        Kind::Resumed => {
                            if v.paused_since != NONE {
                                v.client += at - v.paused_since;
                                v.paused_since = NONE;
                            }
                            if v.start == NONE && flags[i] & FLAG_BY_CLIENT == 0 {
                                v.start = at;
                            }
                        }
                        Kind::Started => {
                            if v.start == NONE {
                                v.start = at;
                            }
                        }
                        _ => {
                            if v.start == NONE && flags[i] & FLAG_BY_CLIENT == 0 {
                                v.start = at;
                            }
                        }
                    }
                }
            }
        }
        let g = &mut self.groups[group as usize];
        g.cases += 1;
        g.returns += returns;
        g.rework_cases += (returns > 0) as u64;
        g.asks += asks;
        let closed = log.case_closed[c];
        if closed != NONE {
            g.closed += 1;
            let created = log.case_created[c];
            let tp = closed - created;
            g.throughput += tp as i128;
            self.closed_group.push(group);
            self.closed_value.push(tp);
            let due = log.case_due[c];
            if due != NONE {
                g.with_due += 1;
                g.breached += (closed > due) as u64;
            }
        }
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn mean(sum: i128, n: u64) -> Option<f64> {
    (n > 0).then(|| sum as f64 / n as f64)
}

fn share(part: i128, whole: i128) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Computes the metrics of the cases `q` selects, in one pass over their events.
pub fn compute(log: &Log, q: &Query<'_>) -> Report {
    let n_act = log.activities.len().max(1) as u64;
    let n_cases = log.cases();
    // Filters: attribute column and wanted label id. An unknown value matches nothing.
    let mut filters: Vec<(usize, u32)> = Vec::new();
    for (attr, want) in
        [(Attr::Offering, q.offering), (Attr::Variant, q.variant), (Attr::Unit, q.unit), (Attr::Body, q.body), (Attr::Channel, q.channel)]
    {
        if let Some(v) = want {
            match log.labels.get(v) {
                Some(id) => filters.push((attr as usize, id)),
                None => return Report { group_by: q.group_by, groups: Vec::new() },
            }
        }
    }
    let group_bound = if q.group_by.is_some() { log.labels.len() as u64 + 1 } else { 1 };
    let mut visible = vec![false; n_act as usize];
    for s in q.visible_stages {
        if let Some(a) = log.activities.get(s) {
            visible[a as usize] = true;
        }
    }
    let mut pass = Pass {
        log,
        n_act,
        visible,
        stage_slots: SlotMap::new(group_bound * n_act),
        edge_slots: SlotMap::new(group_bound.saturating_mul(n_act * n_act)),
        stages: Vec::new(),
        edges: Vec::new(),
        groups: Vec::new(),
        visit_slot: Vec::with_capacity(log.events() / 4),
        visit_values: std::array::from_fn(|_| Vec::with_capacity(log.events() / 4)),
        edge_slot: Vec::with_capacity(log.events() / 4),
        edge_value: Vec::with_capacity(log.events() / 4),
        closed_group: Vec::with_capacity(n_cases),
        closed_value: Vec::with_capacity(n_cases),
        seen_case: vec![u32::MAX; n_act as usize],
        seen_count: vec![0; n_act as usize],
    };
    // Label id (or NO_LABEL, mapped to the last index) → group index.
    let mut group_of: Vec<u32> = vec![u32::MAX; if q.group_by.is_some() { log.labels.len() + 1 } else { 1 }];
    let mut case_group: Vec<u32> = vec![u32::MAX; n_cases];
    let mut channel_counts: FxMap<(u32, u32), u64> = FxMap::default();
    let mut outcome_counts: FxMap<(u32, u32), u64> = FxMap::default();
    'cases: for (c, chosen) in case_group.iter_mut().enumerate() {
        let created = log.case_created[c];
        if q.from.is_some_and(|from| created == NONE || created < from) || q.to.is_some_and(|to| created == NONE || created >= to) {
            continue;
        }
        for &(attr, id) in &filters {
            if log.case_attr[attr][c] != id {
                continue 'cases;
            }
        }
        let (label, gi) = match q.group_by {
            None => (NO_LABEL, 0),
            Some(a) => {
                let l = log.case_attr[a as usize][c];
                (l, if l == NO_LABEL { log.labels.len() } else { l as usize })
            }
        };
        if group_of[gi] == u32::MAX {
            group_of[gi] = pass.groups.len() as u32;
            pass.groups.push(GroupAcc {
                label,
                cases: 0,
                closed: 0,
                throughput: 0,
                with_due: 0,
                breached: 0,
                rework_cases: 0,
                returns: 0,
                asks: 0,
                kinds: [0; 13],
            });
        }
        let g = group_of[gi];
        *chosen = g;
        for (attr, counts) in [(Attr::Channel, &mut channel_counts), (Attr::Outcome, &mut outcome_counts)] {
            let l = log.case_attr[attr as usize][c];
            if l != NO_LABEL {
                *counts.entry((g, l)).or_insert(0) += 1;
            }
        }
        pass.case(c as u32, g);
    }

    // Ratings of the selected cases, per stage and per group.
    let mut stage_ratings: Vec<RatingAcc> = Vec::new();
    let mut group_ratings = vec![RatingAcc::default(); pass.groups.len()];
    for r in q.ratings {
        let Some(&g) = case_group.get(r.case as usize) else { continue };
        if g == u32::MAX {
            continue;
        }
        group_ratings[g as usize].add(r);
        if let Some(a) = r.stage.filter(|&a| (a as usize) < log.activities.len()) {
            let slot = pass.stage_slot(g, a) as usize;
            if stage_ratings.len() <= slot {
                stage_ratings.resize(slot + 1, RatingAcc::default());
            }
            stage_ratings[slot].add(r);
        }
    }

    let mut report = finish(pass, q, stage_ratings, group_ratings);
    for (counts, pick) in [(channel_counts, 0), (outcome_counts, 1)] {
        for ((g, l), n) in counts {
            let c = &mut report.groups[g as usize].cases;
            let into = if pick == 0 { &mut c.channels } else { &mut c.outcomes };
            into.insert(log.labels.name(l).to_string(), n);
        }
    }
    report
}

fn finish(pass: Pass<'_>, q: &Query<'_>, stage_ratings: Vec<RatingAcc>, group_ratings: Vec<RatingAcc>) -> Report {
    let log = pass.log;
    let n_act = pass.n_act;
    let w = &q.weights;
    let mut scratch = Scratch::default();
    scratch.plan(pass.stages.iter().map(|s| s.finished), &pass.visit_slot);
    let [queue_med, client_med, work_med, total_med] = [0, 1, 2, 3].map(|m| scratch.medians(&pass.visit_values[m]));
    scratch.plan(pass.edges.iter().map(|e| e.count), &pass.edge_slot);
    let edge_med = scratch.medians(&pass.edge_value);
    scratch.plan(pass.groups.iter().map(|g| g.closed), &pass.closed_group);
    let case_med = scratch.medians(&pass.closed_value);

    let mut groups: Vec<GroupReport> = pass
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let events = Kind::ALL.iter().filter(|k| g.kinds[**k as usize] > 0).map(|k| (k.code(), g.kinds[*k as usize])).collect();
            GroupReport {
                key: (g.label != NO_LABEL).then(|| log.labels.name(g.label).to_string()),
                cases: CaseMetrics {
                    cases: g.cases,
                    closed: g.closed,
                    throughput: Stat { count: g.closed, mean_ms: mean(g.throughput, g.closed), median_ms: case_med[gi] },
                    with_due: g.with_due,
                    breached: g.breached,
                    breach_share: ratio(g.breached, g.with_due),
                    rework_cases: g.rework_cases,
                    returns: g.returns,
                    client_asks: g.asks,
                    asks_per_case: ratio(g.asks, g.cases),
                    events,
                    ..CaseMetrics::default()
                },
                stages: Vec::new(),
                edges: Vec::new(),
                ratings: group_ratings[gi].summary(),
                centricity: Centricity::default(),
            }
        })
        .collect();

    // Stages, in activity order within each group; group totals for waiting/transparency.
    let mut order: Vec<(u64, usize)> = pass.stage_slots.keys.iter().enumerate().map(|(slot, &k)| (k, slot)).collect();
    order.sort_unstable();
    let mut totals = vec![(0i128, 0i128, 0u64, 0u64); groups.len()];
    for (key, slot) in order {
        let g = (key / n_act) as usize;
        let activity = (key % n_act) as u32;
        let s = &pass.stages[slot];
        let stat = |sum: i128, med: &[Option<f64>]| Stat { count: s.finished, mean_ms: mean(sum, s.finished), median_ms: med[slot] };
        let ratings = stage_ratings.get(slot).map(RatingAcc::summary).unwrap_or_default();
        let waiting_share = share(s.queue + s.client, s.total);
        let return_share = ratio(s.returns, s.finished);
        let breach_share = ratio(s.breached, s.with_due);
        let transparency = ratio(s.transparent, s.visits);
        let parts = Parts {
            timeliness: breach_share.map(|b| 1.0 - b),
            waiting: waiting_share.map(|x| 1.0 - x),
            rework: return_share.map(|x| 1.0 - x),
            transparency,
            effort: (s.visits > 0).then(|| centricity::effort_part(s.asks as f64 / s.visits as f64, w)),
            satisfaction: ratings.mean.map(centricity::satisfaction_part),
        };
        let t = &mut totals[g];
        t.0 += s.queue + s.client;
        t.1 += s.total;
        t.2 += s.transparent;
        t.3 += s.visits;
        groups[g].stages.push(StageMetrics {
            stage: log.activities.name(activity).to_string(),
            activity,
            visits: s.visits,
            finished: s.finished,
            queue_wait: stat(s.queue, &queue_med),
            client_wait: stat(s.client, &client_med),
            working: stat(s.work, &work_med),
            duration: stat(s.total, &total_med),
            waiting_share,
            with_due: s.with_due,
            breached: s.breached,
            breach_share,
            returns: s.returns,
            return_share,
            rework_cases: s.rework_cases,
            transparent: s.transparent,
            transparency,
            client_asks: s.asks,
            ratings,
            centricity: centricity::combine(parts, w),
        });
    }

    let mut order: Vec<(u64, usize)> = pass.edge_slots.keys.iter().enumerate().map(|(slot, &k)| (k, slot)).collect();
    order.sort_unstable();
    for (key, slot) in order {
        let b = (key % n_act) as u32;
        let a = (key / n_act % n_act) as u32;
        let g = (key / n_act / n_act) as usize;
        let e = &pass.edges[slot];
        groups[g].edges.push(Edge {
            from: log.activities.name(a).to_string(),
            to: log.activities.name(b).to_string(),
            count: e.count,
            mean_ms: mean(e.sum, e.count),
            median_ms: edge_med[slot],
        });
    }

    for (g, (wait, total, transparent, visits)) in groups.iter_mut().zip(totals) {
        let c = &mut g.cases;
        c.visits = visits;
        c.waiting_share = share(wait, total);
        c.transparency = ratio(transparent, visits);
        let parts = Parts {
            timeliness: c.breach_share.map(|b| 1.0 - b),
            waiting: c.waiting_share.map(|x| 1.0 - x),
            rework: ratio(c.rework_cases, c.cases).map(|x| 1.0 - x),
            transparency: c.transparency,
            effort: c.asks_per_case.map(|a| centricity::effort_part(a, w)),
            satisfaction: g.ratings.mean.map(centricity::satisfaction_part),
        };
        g.centricity = centricity::combine(parts, w);
    }
    Report { group_by: q.group_by, groups }
}

#[cfg(test)]
pub(crate) mod tests;
