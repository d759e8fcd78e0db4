//! The lifecycle view of a log, as process-mining tools read it (XES
//! `lifecycle:transition`, or a CSV with a lifecycle column): per stage visit, a `start`
//! row when work began, `suspend`/`resume` rows around each wait for the client, and a
//! `complete` row when the visit ended. Waiting in the queue is then the gap between one
//! visit's `complete` and the next one's `start`, and tools separate it from work.
//!
//! [`export`] turns a log into rows with the same definitions as [`crate::metrics`];
//! [`Importer`] rebuilds a log from rows, so the engine computes on an exported file what
//! it computes on the database. What the view cannot carry: when a case's first visit was
//! entered (the case begins at its first row, so that visit's queue wait is lost unless
//! work began at creation), the due times, client visibility, whether a pause was an ask
//! or a suspension (both import as `paused`), and open visits (only finished visits are
//! exported; an imported case counts as closed at its last `complete`). A `complete`
//! followed by the `start` of a stage the case first reached no later than the completed
//! one imports as a return.

use crate::intern::{FxHasher, FxMap};
use crate::log::{CaseInput, Kind, Log, LogBuilder, NO_LABEL};
use std::hash::{Hash, Hasher};

/// A `lifecycle:transition` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transition {
    Start,
    Suspend,
    Resume,
    Complete,
}

impl Transition {
    pub fn code(self) -> &'static str {
        match self {
            Transition::Start => "start",
            Transition::Suspend => "suspend",
            Transition::Resume => "resume",
            Transition::Complete => "complete",
        }
    }

    pub fn from_code(s: &str) -> Option<Transition> {
        match s {
            "start" => Some(Transition::Start),
            "suspend" => Some(Transition::Suspend),
            "resume" => Some(Transition::Resume),
            "complete" => Some(Transition::Complete),
            _ => None,
        }
    }
}

/// One row of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub case: &'a str,
    pub activity: &'a str,
    pub transition: Transition,
    /// UTC milliseconds.
    pub at: i64,
    pub resource: &'a str,
}

/// Calls `emit` with the rows of every finished visit, case by case in log order. Rows of
/// a visit are held back (in one reused buffer) until it ends, so open visits give none.
pub fn export<'l>(log: &'l Log, mut emit: impl FnMut(&Row<'l>)) {
    let mut rows: Vec<Row<'l>> = Vec::new();
    for case in 0..log.cases() as u32 {
        let id = log.case_id(case);
        let c = case as usize;
        let range = log.case_first[c] as usize..log.case_first[c + 1] as usize;
        let mut open = false;
        let (mut started, mut paused) = (false, false);
        let mut activity = NO_LABEL;
        rows.clear();
        for i in range {
            let kind = Kind::from_u8(log.ev_kind[i]);
            let at = log.ev_at[i];
            let resource = log.resources.name(log.ev_resource[i]);
            let by_client = log.ev_flags[i] & crate::log::FLAG_BY_CLIENT != 0;
            let row = |t: Transition, rows: &mut Vec<Row<'l>>| {
                rows.push(Row { case: id, activity: log.activities.name(activity), transition: t, at, resource })
            };
            if kind == Kind::Entered {
                if open {
                    // An entry with a visit still open ends it (as the metrics do).
                    if !started {
                        row(Transition::Start, &mut rows);
                    }
                    if paused {
                        row(Transition::Resume, &mut rows);
                    }
                    row(Transition::Complete, &mut rows);
                    rows.drain(..).for_each(|r| emit(&r));
                }
                open = true;
                started = false;
                paused = false;
                activity = log.ev_activity[i];
                continue;
            }
            if !open || kind == Kind::Created {
                continue;
            }
            match kind {
                Kind::Completed | Kind::Returned | Kind::Closed => {
                    if !started {
                        row(Transition::Start, &mut rows);
                    }
                    if paused {
                        row(Transition::Resume, &mut rows);
                    }
                    row(Transition::Complete, &mut rows);
                    rows.drain(..).for_each(|r| emit(&r));
                    open = false;
                }
                Kind::Paused | Kind::Suspended => {
                    if !started {
                        started = true;
                        row(Transition::Start, &mut rows);
                    }
                    if !paused {
                        paused = true;
                        row(Transition::Suspend, &mut rows);
                    }
                }
                Kind::Resumed => {
                    if paused {
                        paused = false;
                        row(Transition::Resume, &mut rows);
                    }
                }
                _ => {
                    if !started && (kind == Kind::Started || !by_client) {
                        started = true;
                        row(Transition::Start, &mut rows);
                    }
                }
            }
        }
    }
}

/// Why a row cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("case {case}: {activity} starts while {open} is still open; one stage at a time")]
    Overlap { case: String, activity: String, open: String },
    #[error("case {case}: {transition} of {activity} outside a visit of it")]
    Stray { case: String, activity: String, transition: &'static str },
    #[error("case {case}: rows of another case came in between; rows must be grouped by case")]
    Split { case: String },
    #[error(transparent)]
    Build(#[from] crate::log::BuildError),
}

fn id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

/// Rebuilds a [`Log`] from rows grouped by case, in time order inside each case (as
/// [`export`] writes them). Per case it keeps a few ids; nothing is allocated per row.
#[derive(Default)]
pub struct Importer {
    b: LogBuilder,
    case: String,
    cases_seen: u32,
    /// The visit in progress: activity id, or NO_LABEL.
    open: u32,
    started: bool,
    /// A `complete` waiting to learn whether the next visit makes it a return.
    pending: Option<(u32, i64, u32)>,
    last_at: i64,
    /// Per activity: the case (index + 1) that last reached it, and the order it was first reached.
    reached_in: Vec<u32>,
    first_pos: Vec<u32>,
    next_pos: u32,
    /// Hash of each finished case id → its index, to catch a case whose rows are split.
    done: FxMap<u64, u32>,
    /// The last activity and resource seen, with their ids: a visit's rows usually repeat
    /// both, and a comparison is cheaper than a hash lookup.
    last_activity: Option<(String, u32)>,
    last_resource: Option<(String, u32)>,
}

/// The id of `label`: from the one-entry cache, or interned (and then cached).
#[inline]
fn cached(cache: &mut Option<(String, u32)>, label: &str, intern: impl FnOnce(&str) -> u32) -> u32 {
    if let Some((l, id)) = cache {
        if l == label {
            return *id;
        }
        let id2 = intern(label);
        l.clear();
        l.push_str(label);
        *id = id2;
        return id2;
    }
    let id = intern(label);
    *cache = Some((label.to_string(), id));
    id
}

impl Importer {
    pub fn new() -> Importer {
        Importer::default()
    }

    /// With room for this many cases and rows.
    pub fn with_capacity(cases: usize, rows: usize) -> Importer {
        // Each visit gives two rows and becomes entered + started + completed, plus
        // created and closed per case.
        Importer { b: LogBuilder::with_capacity(cases, rows * 3 / 2 + cases * 2), ..Importer::default() }
    }

    fn reach(&mut self, activity: u32) {
        let a = activity as usize;
        if self.reached_in.len() <= a {
            self.reached_in.resize(a + 1, 0);
            self.first_pos.resize(a + 1, 0);
        }
        if self.reached_in[a] != self.cases_seen {
            self.reached_in[a] = self.cases_seen;
            self.first_pos[a] = self.next_pos;
            self.next_pos += 1;
        }
    }

    fn position(&self, activity: u32) -> Option<u32> {
        let a = activity as usize;
        (self.reached_in.get(a) == Some(&self.cases_seen)).then(|| self.first_pos[a])
    }

    /// Flushes a held `complete`: as a return if `next` was reached no later than it.
    fn settle(&mut self, next: Option<u32>) -> Result<(), ImportError> {
        if let Some((activity, at, resource)) = self.pending.take() {
            let back = match (next.and_then(|n| self.position(n)), self.position(activity)) {
                (Some(n), Some(a)) => n <= a,
                _ => false,
            };
            let kind = if back { Kind::Returned } else { Kind::Completed };
            self.b.push(kind, activity, at, resource, 0, None)?;
            if next.is_none() {
                self.b.push(Kind::Closed, activity, at, resource, 0, None)?;
            }
        }
        Ok(())
    }

    fn end_case(&mut self) -> Result<(), ImportError> {
        self.settle(None)?;
        if self.cases_seen > 0 {
            self.done.entry(id_hash(&self.case)).or_insert(self.cases_seen - 1);
        }
        Ok(())
    }

    /// Adds one row.
    pub fn row(&mut self, r: &Row<'_>) -> Result<(), ImportError> {
        let new_case = r.case != self.case || self.cases_seen == 0;
        if new_case {
            self.end_case()?;
            if let Some(&earlier) = self.done.get(&id_hash(r.case)) {
                if self.b.case_name(earlier) == r.case {
                    return Err(ImportError::Split { case: r.case.to_string() });
                }
            }
            self.case.clear();
            self.case.push_str(r.case);
            self.cases_seen += 1;
            self.next_pos = 0;
            self.open = NO_LABEL;
            self.started = false;
            self.b.begin_case(&CaseInput { id: r.case, ..CaseInput::default() })?;
        }
        let b = &mut self.b;
        let activity = cached(&mut self.last_activity, r.activity, |l| b.stage_id(l));
        let resource = cached(&mut self.last_resource, r.resource, |l| b.resource_id(l));
        let stray = |t: Transition| ImportError::Stray { case: r.case.to_string(), activity: r.activity.to_string(), transition: t.code() };
        match r.transition {
            Transition::Start | Transition::Complete if self.open == NO_LABEL => {
                // A new visit: entered when the previous one ended, or now for the first.
                let entered = if new_case {
                    self.b.push(Kind::Created, activity, r.at, resource, 0, None)?;
                    r.at
                } else {
                    self.pending.map_or(self.last_at, |p| p.1)
                };
                self.settle(Some(activity))?;
                self.reach(activity);
                self.b.push(Kind::Entered, activity, entered, resource, 0, None)?;
                self.open = activity;
                self.started = r.transition == Transition::Start;
                if self.started {
                    self.b.push(Kind::Started, activity, r.at, resource, 0, None)?;
                } else {
                    self.pending = Some((activity, r.at, resource));
                    self.open = NO_LABEL;
                }
            }
            Transition::Start if self.open == activity => {}
            Transition::Start => {
                return Err(ImportError::Overlap {
                    case: r.case.to_string(),
                    activity: r.activity.to_string(),
                    open: self.b.activity_name(self.open).to_string(),
                })
            }
            Transition::Complete if self.open == activity => {
                self.pending = Some((activity, r.at, resource));
                self.open = NO_LABEL;
            }
            Transition::Suspend if self.open == activity => self.b.push(Kind::Paused, activity, r.at, resource, 0, None)?,
            Transition::Resume if self.open == activity => self.b.push(Kind::Resumed, activity, r.at, resource, 0, None)?,
            t => return Err(stray(t)),
        }
        self.last_at = r.at;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Log, ImportError> {
        self.end_case()?;
        Ok(self.b.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::EventInput;
    use crate::metrics::tests::random_log;
    use crate::metrics::{compute, Query, Report};

    fn rows_of(log: &Log) -> Vec<(String, String, Transition, i64)> {
        let mut out = Vec::new();
        export(log, |r| out.push((r.case.to_string(), r.activity.to_string(), r.transition, r.at)));
        out
    }

    fn import(log: &Log) -> Log {
        let mut imp = Importer::with_capacity(log.cases(), log.events());
        let mut err = None;
        export(log, |r| {
            if let Err(e) = imp.row(r) {
                err.get_or_insert(e);
            }
        });
        assert_eq!(err, None);
        imp.finish().unwrap()
    }

    #[test]
    fn a_visit_becomes_start_suspend_resume_complete() {
        let mut b = LogBuilder::new();
        b.begin_case(&CaseInput { id: "r", ..Default::default() }).unwrap();
        for (kind, stage, at) in [
            (Kind::Created, "a", 0),
            (Kind::Entered, "a", 0),
            (Kind::Commented, "a", 5),
            (Kind::Paused, "a", 7),
            (Kind::Resumed, "a", 9),
            (Kind::Completed, "a", 10),
            (Kind::Entered, "b", 10),
            (Kind::Suspended, "b", 12),
            (Kind::Returned, "b", 20),
            (Kind::Entered, "a", 20),
            (Kind::Completed, "a", 30),
            (Kind::Closed, "a", 30),
        ] {
            b.event(&EventInput::new(kind, stage, at, "e")).unwrap();
        }
        // An open visit at the end gives no rows.
        b.begin_case(&CaseInput { id: "open", ..Default::default() }).unwrap();
        b.event(&EventInput::new(Kind::Entered, "a", 50, "e")).unwrap();
        b.event(&EventInput::new(Kind::Reassigned, "a", 55, "e")).unwrap();
        let log = b.finish();
        let rows = rows_of(&log);
        let t = |a: &str, tr, at| ("r".to_string(), a.to_string(), tr, at);
        use Transition::*;
        assert_eq!(
            rows,
            [
                t("a", Start, 5),
                t("a", Suspend, 7),
                t("a", Resume, 9),
                t("a", Complete, 10),
                // The suspension is the work start; it is still open at the return.
                t("b", Start, 12),
                t("b", Suspend, 12),
                t("b", Resume, 20),
                t("b", Complete, 20),
                // No staff action before the end: work starts at the end.
                t("a", Start, 30),
                t("a", Complete, 30),
            ]
        );
        // Imported back: b's visit ended in a return to a stage reached earlier.
        let back = import(&log);
        let g = &compute(&back, &Query::default()).groups[0];
        assert_eq!(g.stage("b").unwrap().returns, 1);
        assert_eq!(g.cases.closed, 1);
        assert_eq!(g.cases.throughput.mean_ms, Some(25.0), "first row (5) to last (30)");
    }

    /// What survives the lifecycle view: visits, durations, the DFG, rework, throughput.
    fn view_figures(r: &Report) -> Vec<String> {
        let mut out = Vec::new();
        for g in &r.groups {
            let c = &g.cases;
            out.push(format!(
                "cases {} closed {} tp {:?} returns {} rework {}",
                c.cases, c.closed, c.throughput, c.returns, c.rework_cases
            ));
            for s in &g.stages {
                out.push(format!(
                    "{} {} {} q{:?} c{:?} w{:?} d{:?} r{} rw{}",
                    s.stage, s.visits, s.finished, s.queue_wait, s.client_wait, s.working, s.duration, s.returns, s.rework_cases
                ));
            }
            for e in &g.edges {
                out.push(format!("{}>{} {} {:?} {:?}", e.from, e.to, e.count, e.mean_ms, e.median_ms));
            }
        }
        out
    }

    #[test]
    fn export_then_import_keeps_every_figure_the_view_carries() {
        for seed in [3u64, 11, 500] {
            let log = random_log(seed, 300, true, true);
            let back = import(&log);
            assert_eq!(back.cases(), log.cases());
            let want = view_figures(&compute(&log, &Query::default()));
            let got = view_figures(&compute(&back, &Query::default()));
            assert_eq!(got, want, "seed {seed}");
            // And the view of the imported log is the same rows again.
            assert_eq!(rows_of(&back), rows_of(&log));
        }
    }

    #[test]
    fn bad_rows_are_refused_with_the_case_named() {
        let row = |case, activity, transition, at| Row { case, activity, transition, at, resource: "e" };
        let mut imp = Importer::new();
        imp.row(&row("r1", "a", Transition::Start, 0)).unwrap();
        let e = imp.row(&row("r1", "b", Transition::Start, 1)).unwrap_err();
        assert!(matches!(e, ImportError::Overlap { .. }), "{e}");
        assert!(e.to_string().contains("r1"));

        let mut imp = Importer::new();
        assert!(matches!(imp.row(&row("r1", "a", Transition::Suspend, 0)), Err(ImportError::Stray { .. })));

        let mut imp = Importer::new();
        imp.row(&row("r1", "a", Transition::Complete, 0)).unwrap();
        imp.row(&row("r2", "a", Transition::Complete, 0)).unwrap();
        assert!(matches!(imp.row(&row("r1", "a", Transition::Complete, 5)), Err(ImportError::Split { .. })));
        assert_eq!(Transition::from_code("complete"), Some(Transition::Complete));
        assert_eq!(Transition::from_code("schedule"), None);
    }
}
