//! The columnar event log: cases and their events as parallel vectors, labels interned.
//!
//! Events are stored case by case, in time order inside a case — the order
//! `ORDER BY request_id, seq` gives. The builder takes rows in that order and copies
//! nothing per event: labels already seen are found by hashing the borrowed `&str`, case
//! ids go into one growing text buffer.

use crate::intern::Interner;
use std::ops::Range;

/// "No value" in an `i64` column (a time that is not known).
pub(crate) const NONE: i64 = i64::MIN;
/// "No label" in a `u32` id column.
pub const NO_LABEL: u32 = u32::MAX;

/// What an event says happened. The codes are those of `okno_domain::request::EventKind`
/// (the store's `request_events.kind`), plus [`Kind::Started`] for logs imported from
/// process-mining tools, whose `lifecycle:transition = start` marks when work on an
/// activity began.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    Created = 0,
    Entered,
    Completed,
    Returned,
    Paused,
    Resumed,
    Suspended,
    Reassigned,
    Commented,
    ClientNotified,
    Extended,
    Closed,
    Started,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Created,
        Kind::Entered,
        Kind::Completed,
        Kind::Returned,
        Kind::Paused,
        Kind::Resumed,
        Kind::Suspended,
        Kind::Reassigned,
        Kind::Commented,
        Kind::ClientNotified,
        Kind::Extended,
        Kind::Closed,
        Kind::Started,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Entered => "entered",
            Kind::Completed => "completed",
            Kind::Returned => "returned",
            Kind::Paused => "paused",
            Kind::Resumed => "resumed",
            Kind::Suspended => "suspended",
            Kind::Reassigned => "reassigned",
            Kind::Commented => "commented",
            Kind::ClientNotified => "client_notified",
            Kind::Extended => "extended",
            Kind::Closed => "closed",
            Kind::Started => "started",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.code() == code)
    }

    #[inline]
    pub(crate) fn from_u8(v: u8) -> Kind {
        Kind::ALL[v as usize]
    }
}

/// One case (request) as the loader gives it. Labels are the store's text values (ids
/// and codes); `None` where the request has none.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaseInput<'a> {
    /// The request id (any text that names the case; only used to name it back).
    pub id: &'a str,
    pub offering: Option<&'a str>,
    /// Variant keys are per offering: group by variant inside one offering's filter.
    pub variant: Option<&'a str>,
    /// The responsible unit (`requests.stage_unit_id`).
    pub unit: Option<&'a str>,
    pub body: Option<&'a str>,
    pub channel: Option<&'a str>,
    /// How a closed request ended (`granted`, `refused`, `withdrawn`…); `None` while open.
    pub outcome: Option<&'a str>,
    /// The whole request's due time (`requests.due_at`, extensions included), UTC ms.
    pub due_at: Option<i64>,
}

/// One event of the current case.
#[derive(Clone, Copy, Debug)]
pub struct EventInput<'a> {
    pub kind: Kind,
    /// The stage the event is about (`request_events.stage_key`).
    pub stage: &'a str,
    /// UTC milliseconds.
    pub at: i64,
    /// Who acted (`request_events.actor`, or the assignee: the loader decides).
    pub resource: &'a str,
    /// The client was told of this event (`request_events.client_visible`, or narrower).
    pub client_visible: bool,
    /// The client made this move (actor `client`/`anonymous`): it does not start work.
    pub by_client: bool,
    /// On an `entered` event: when this stage visit is due, if the loader knows it.
    pub stage_due: Option<i64>,
}

impl<'a> EventInput<'a> {
    /// An event by staff, not shown to the client, without a stage due time.
    pub fn new(kind: Kind, stage: &'a str, at: i64, resource: &'a str) -> EventInput<'a> {
        EventInput { kind, stage, at, resource, client_visible: false, by_client: false, stage_due: None }
    }
}

pub(crate) const FLAG_VISIBLE: u8 = 1;
pub(crate) const FLAG_BY_CLIENT: u8 = 2;

/// Case attributes a query can filter and group by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attr {
    Offering,
    Variant,
    Unit,
    Body,
    Channel,
    Outcome,
}

/// How many case attributes there are (the length of [`Attr`]).
pub(crate) const ATTRS: usize = 6;

/// An immutable columnar event log. Build it with [`LogBuilder`].
#[derive(Clone, Debug, Default)]
pub struct Log {
    pub(crate) activities: Interner,
    pub(crate) resources: Interner,
    pub(crate) labels: Interner,

    case_names: String,
    case_name_end: Vec<usize>,
    /// Event offsets: case `c` owns events `case_first[c]..case_first[c + 1]`.
    pub(crate) case_first: Vec<u32>,
    /// Per attribute (in [`Attr`] order), the label id of each case or [`NO_LABEL`].
    pub(crate) case_attr: [Vec<u32>; ATTRS],
    pub(crate) case_created: Vec<i64>,
    pub(crate) case_closed: Vec<i64>,
    pub(crate) case_due: Vec<i64>,

    pub(crate) ev_case: Vec<u32>,
    pub(crate) ev_activity: Vec<u32>,
    pub(crate) ev_kind: Vec<u8>,
    pub(crate) ev_at: Vec<i64>,
    pub(crate) ev_resource: Vec<u32>,
    pub(crate) ev_flags: Vec<u8>,
    /// Stage due per event; empty while no event has one.
    pub(crate) ev_stage_due: Vec<i64>,
}

/// A case as read back from a [`Log`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseView<'a> {
    pub id: &'a str,
    pub offering: Option<&'a str>,
    pub variant: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub body: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub due_at: Option<i64>,
    pub events: Range<usize>,
}

/// An event as read back from a [`Log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventView<'a> {
    pub case: u32,
    pub kind: Kind,
    pub stage: &'a str,
    pub at: i64,
    pub resource: &'a str,
    pub client_visible: bool,
    pub by_client: bool,
    pub stage_due: Option<i64>,
}

fn opt(v: i64) -> Option<i64> {
    (v != NONE).then_some(v)
}

impl Log {
    pub fn cases(&self) -> usize {
        self.case_first.len().saturating_sub(1)
    }

    pub fn events(&self) -> usize {
        self.ev_at.len()
    }

    /// The id of a stage key, if any event has it.
    pub fn activity_id(&self, stage: &str) -> Option<u32> {
        self.activities.get(stage)
    }

    pub fn activity_name(&self, id: u32) -> &str {
        self.activities.name(id)
    }

    /// Every stage key with its id.
    pub fn activities(&self) -> impl Iterator<Item = (u32, &str)> {
        self.activities.iter()
    }

    /// The id of an attribute value (offering id, unit id, channel code…), if any case has it.
    pub fn label_id(&self, value: &str) -> Option<u32> {
        self.labels.get(value)
    }

    pub fn label(&self, id: u32) -> &str {
        self.labels.name(id)
    }

    pub fn case_id(&self, case: u32) -> &str {
        let c = case as usize;
        let start = if c == 0 { 0 } else { self.case_name_end[c - 1] };
        &self.case_names[start..self.case_name_end[c]]
    }

    /// How many cases with `value` for `attr` were created inside any of `intervals`
    /// (`[from, to)` in UTC ms; give disjoint ones, or a case is counted once per
    /// interval it falls in). An unknown value counts nothing.
    pub fn count_created(&self, attr: Attr, value: &str, intervals: &[(i64, i64)]) -> u64 {
        let Some(label) = self.labels.get(value) else { return 0 };
        let col = &self.case_attr[attr as usize];
        let mut n = 0;
        for (c, &l) in col.iter().enumerate() {
            if l != label {
                continue;
            }
            let at = self.case_created[c];
            if at == NONE {
                continue;
            }
            n += intervals.iter().filter(|(from, to)| *from <= at && at < *to).count() as u64;
        }
        n
    }

    /// A lookup from case id to case index (built on demand: one entry per case).
    pub fn case_index(&self) -> std::collections::HashMap<&str, u32> {
        (0..self.cases() as u32).map(|c| (self.case_id(c), c)).collect()
    }

    pub fn case(&self, case: u32) -> CaseView<'_> {
        let c = case as usize;
        let attr = |a: Attr| {
            let id = self.case_attr[a as usize][c];
            (id != NO_LABEL).then(|| self.labels.name(id))
        };
        CaseView {
            id: self.case_id(case),
            offering: attr(Attr::Offering),
            variant: attr(Attr::Variant),
            unit: attr(Attr::Unit),
            body: attr(Attr::Body),
            channel: attr(Attr::Channel),
            outcome: attr(Attr::Outcome),
            created_at: self.case_created[c],
            closed_at: opt(self.case_closed[c]),
            due_at: opt(self.case_due[c]),
            events: self.case_first[c] as usize..self.case_first[c + 1] as usize,
        }
    }

    pub fn event(&self, i: usize) -> EventView<'_> {
        EventView {
            case: self.ev_case[i],
            kind: Kind::from_u8(self.ev_kind[i]),
            stage: self.activities.name(self.ev_activity[i]),
            at: self.ev_at[i],
            resource: self.resources.name(self.ev_resource[i]),
            client_visible: self.ev_flags[i] & FLAG_VISIBLE != 0,
            by_client: self.ev_flags[i] & FLAG_BY_CLIENT != 0,
            stage_due: self.ev_stage_due.get(i).copied().and_then(opt),
        }
    }

    /// Appends another log's cases after this one's (e.g. logs loaded in parallel from
    /// parts of a file or of a table). Labels are matched by text; the other log's ids are
    /// mapped onto this one's. Cost: one pass over the other log's columns.
    pub fn append(&mut self, other: &Log) {
        let map = |from: &Interner, into: &mut Interner| -> Vec<u32> { from.iter().map(|(_, name)| into.intern(name)).collect() };
        let acts = map(&other.activities, &mut self.activities);
        let res = map(&other.resources, &mut self.resources);
        let labels = map(&other.labels, &mut self.labels);
        let (case_base, event_base) = (self.cases() as u32, self.events() as u32);
        let name_base = self.case_names.len();
        self.case_names.push_str(&other.case_names);
        self.case_name_end.extend(other.case_name_end.iter().map(|e| e + name_base));
        if self.case_first.is_empty() {
            self.case_first.push(0);
        }
        self.case_first.extend(other.case_first.iter().skip(1).map(|f| f + event_base));
        for (mine, theirs) in self.case_attr.iter_mut().zip(&other.case_attr) {
            mine.extend(theirs.iter().map(|&l| if l == NO_LABEL { NO_LABEL } else { labels[l as usize] }));
        }
        self.case_created.extend_from_slice(&other.case_created);
        self.case_closed.extend_from_slice(&other.case_closed);
        self.case_due.extend_from_slice(&other.case_due);
        self.ev_case.extend(other.ev_case.iter().map(|c| c + case_base));
        self.ev_activity.extend(other.ev_activity.iter().map(|&a| acts[a as usize]));
        self.ev_kind.extend_from_slice(&other.ev_kind);
        self.ev_at.extend_from_slice(&other.ev_at);
        self.ev_resource.extend(other.ev_resource.iter().map(|&r| res[r as usize]));
        self.ev_flags.extend_from_slice(&other.ev_flags);
        if !self.ev_stage_due.is_empty() || !other.ev_stage_due.is_empty() {
            self.ev_stage_due.resize(event_base as usize, NONE);
            if other.ev_stage_due.is_empty() {
                self.ev_stage_due.resize(self.ev_at.len(), NONE);
            } else {
                self.ev_stage_due.extend_from_slice(&other.ev_stage_due);
            }
        }
    }

    /// Memory held by the columns, in bytes (capacity, not only length).
    pub fn heap_bytes(&self) -> usize {
        self.case_names.capacity()
            + self.case_name_end.capacity() * 8
            + self.case_first.capacity() * 4
            + self.case_attr.iter().map(|v| v.capacity() * 4).sum::<usize>()
            + (self.case_created.capacity() + self.case_closed.capacity() + self.case_due.capacity()) * 8
            + (self.ev_case.capacity() + self.ev_activity.capacity() + self.ev_resource.capacity()) * 4
            + self.ev_kind.capacity()
            + self.ev_flags.capacity()
            + (self.ev_at.capacity() + self.ev_stage_due.capacity()) * 8
    }
}

/// Misuse of the builder.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("an event came before any case")]
    NoCase,
    #[error("more than 2^32 - 1 events or cases")]
    TooLarge,
}

/// Builds a [`Log`] from rows in case order. Within a case, events should come in time
/// order; if they do not, the case is sorted by time when it ends (stable, so events of
/// the same instant keep their order).
#[derive(Debug, Default)]
pub struct LogBuilder {
    log: Log,
    in_case: bool,
    unsorted: bool,
    has_created: bool,
    perm: Vec<u32>,
}

impl LogBuilder {
    pub fn new() -> LogBuilder {
        LogBuilder::default()
    }

    /// With room for this many cases and events, so loading reallocates nothing.
    pub fn with_capacity(cases: usize, events: usize) -> LogBuilder {
        let mut b = LogBuilder::default();
        let l = &mut b.log;
        l.case_name_end.reserve(cases);
        l.case_names.reserve(cases * 16);
        l.case_first.reserve(cases + 1);
        for v in &mut l.case_attr {
            v.reserve(cases);
        }
        l.case_created.reserve(cases);
        l.case_closed.reserve(cases);
        l.case_due.reserve(cases);
        l.ev_case.reserve(events);
        l.ev_activity.reserve(events);
        l.ev_kind.reserve(events);
        l.ev_at.reserve(events);
        l.ev_resource.reserve(events);
        l.ev_flags.reserve(events);
        b
    }

    /// Starts a case; the events that follow belong to it until the next `begin_case`.
    /// Returns the case index.
    pub fn begin_case(&mut self, c: &CaseInput<'_>) -> Result<u32, BuildError> {
        self.end_case();
        let l = &mut self.log;
        let index = u32::try_from(l.case_name_end.len()).map_err(|_| BuildError::TooLarge)?;
        if l.case_first.is_empty() {
            l.case_first.push(0);
        }
        l.case_names.push_str(c.id);
        l.case_name_end.push(l.case_names.len());
        let attrs = [c.offering, c.variant, c.unit, c.body, c.channel, c.outcome];
        for (col, v) in l.case_attr.iter_mut().zip(attrs) {
            col.push(v.map_or(NO_LABEL, |s| l.labels.intern(s)));
        }
        l.case_created.push(NONE);
        l.case_closed.push(NONE);
        l.case_due.push(c.due_at.unwrap_or(NONE));
        self.in_case = true;
        self.has_created = false;
        Ok(index)
    }

    /// Interns a stage key (for callers that push events by id).
    pub(crate) fn stage_id(&mut self, stage: &str) -> u32 {
        self.log.activities.intern(stage)
    }

    pub(crate) fn activity_name(&self, id: u32) -> &str {
        self.log.activities.name(id)
    }

    pub(crate) fn case_name(&self, case: u32) -> &str {
        self.log.case_id(case)
    }

    pub(crate) fn resource_id(&mut self, resource: &str) -> u32 {
        self.log.resources.intern(resource)
    }

    /// Adds an event to the current case.
    pub fn event(&mut self, e: &EventInput<'_>) -> Result<(), BuildError> {
        let activity = self.log.activities.intern(e.stage);
        let resource = self.log.resources.intern(e.resource);
        let flags = (e.client_visible as u8 * FLAG_VISIBLE) | (e.by_client as u8 * FLAG_BY_CLIENT);
        self.push(e.kind, activity, e.at, resource, flags, e.stage_due)
    }

    #[inline]
    pub(crate) fn push(
        &mut self,
        kind: Kind,
        activity: u32,
        at: i64,
        resource: u32,
        flags: u8,
        stage_due: Option<i64>,
    ) -> Result<(), BuildError> {
        if !self.in_case {
            return Err(BuildError::NoCase);
        }
        let l = &mut self.log;
        if l.ev_at.len() >= u32::MAX as usize {
            return Err(BuildError::TooLarge);
        }
        let case = (l.case_name_end.len() - 1) as u32;
        let first = *l.case_first.last().expect("begin_case pushed it") as usize;
        if l.ev_at.len() > first && at < *l.ev_at.last().expect("non-empty") {
            self.unsorted = true;
        }
        l.ev_case.push(case);
        l.ev_activity.push(activity);
        l.ev_kind.push(kind as u8);
        l.ev_at.push(at);
        l.ev_resource.push(resource);
        l.ev_flags.push(flags);
        if let Some(due) = stage_due {
            if l.ev_stage_due.len() < l.ev_at.len() - 1 {
                l.ev_stage_due.resize(l.ev_at.len() - 1, NONE);
            }
            l.ev_stage_due.push(due);
        } else if !l.ev_stage_due.is_empty() {
            l.ev_stage_due.push(NONE);
        }
        let c = case as usize;
        match kind {
            Kind::Created if !self.has_created => {
                l.case_created[c] = at;
                self.has_created = true;
            }
            Kind::Closed => l.case_closed[c] = at,
            _ => {}
        }
        Ok(())
    }

    fn end_case(&mut self) {
        if !self.in_case {
            return;
        }
        self.in_case = false;
        let l = &mut self.log;
        let first = *l.case_first.last().expect("begin_case pushed it") as usize;
        let end = l.ev_at.len();
        if !l.ev_stage_due.is_empty() && l.ev_stage_due.len() < end {
            l.ev_stage_due.resize(end, NONE);
        }
        let c = l.case_created.len() - 1;
        if self.unsorted {
            self.unsorted = false;
            sort_case(l, first..end, &mut self.perm);
            // Re-read the first `created` and the last `closed` in the new order.
            if let Some(i) = (first..end).find(|&i| l.ev_kind[i] == Kind::Created as u8) {
                l.case_created[c] = l.ev_at[i];
            }
            if let Some(i) = (first..end).rev().find(|&i| l.ev_kind[i] == Kind::Closed as u8) {
                l.case_closed[c] = l.ev_at[i];
            }
        }
        if !self.has_created {
            // No `created` event: the case began with its first event.
            l.case_created[c] = if first < end { l.ev_at[first] } else { NONE };
        }
        l.case_first.push(end as u32);
    }

    pub fn finish(mut self) -> Log {
        self.end_case();
        if self.log.case_first.is_empty() {
            self.log.case_first.push(0);
        }
        self.log
    }
}

/// Stable sort of one case's events by time, column by column through a permutation.
fn sort_case(l: &mut Log, range: Range<usize>, perm: &mut Vec<u32>) {
    perm.clear();
    perm.extend(range.clone().map(|i| i as u32));
    perm.sort_by_key(|&i| l.ev_at[i as usize]);
    fn apply<T: Copy>(col: &mut [T], range: &Range<usize>, perm: &[u32]) {
        if col.is_empty() {
            return;
        }
        let copy: Vec<T> = col[range.clone()].to_vec();
        for (k, &p) in perm.iter().enumerate() {
            col[range.start + k] = copy[p as usize - range.start];
        }
    }
    apply(&mut l.ev_activity, &range, perm);
    apply(&mut l.ev_kind, &range, perm);
    apply(&mut l.ev_at, &range, perm);
    apply(&mut l.ev_resource, &range, perm);
    apply(&mut l.ev_flags, &range, perm);
    apply(&mut l.ev_stage_due, &range, perm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_are_the_domain_event_codes() {
        use okno_domain::request::EventKind;
        for k in EventKind::ALL {
            let ours = Kind::from_code(k.code()).unwrap_or_else(|| panic!("{} unknown here", k.code()));
            assert_eq!(ours.code(), k.code());
        }
        // Ours has exactly one more: `started`, for imported lifecycle logs.
        assert_eq!(Kind::ALL.len(), EventKind::ALL.len() + 1);
        assert!(EventKind::from_code("started").is_none());
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
            assert_eq!(Kind::from_u8(i as u8), *k);
        }
    }

    fn case<'a>(id: &'a str, offering: &'a str) -> CaseInput<'a> {
        CaseInput { id, offering: Some(offering), channel: Some("web_form"), due_at: Some(500), ..Default::default() }
    }

    #[test]
    fn counts_cases_created_in_intervals_and_reads_the_outcome_back() {
        let mut b = LogBuilder::new();
        for (id, offering, at, outcome) in
            [("r1", "o1", 10, Some("granted")), ("r2", "o1", 20, None), ("r3", "o2", 20, Some("refused")), ("r4", "o1", 35, None)]
        {
            b.begin_case(&CaseInput { outcome, ..case(id, offering) }).unwrap();
            b.event(&EventInput::new(Kind::Created, "a", at, "client")).unwrap();
        }
        let log = b.finish();
        assert_eq!(log.count_created(Attr::Offering, "o1", &[(0, 15), (20, 36)]), 3);
        assert_eq!(log.count_created(Attr::Offering, "o1", &[(11, 20)]), 0, "the end is excluded");
        assert_eq!(log.count_created(Attr::Offering, "o2", &[(0, 100)]), 1);
        assert_eq!(log.count_created(Attr::Offering, "nope", &[(0, 100)]), 0);
        assert_eq!((log.case(0).outcome, log.case(1).outcome, log.case(2).outcome), (Some("granted"), None, Some("refused")));
    }

    #[test]
    fn builds_columns_in_case_order() {
        let mut b = LogBuilder::new();
        assert_eq!(b.event(&EventInput::new(Kind::Created, "a", 0, "x")), Err(BuildError::NoCase));
        assert_eq!(b.begin_case(&case("r1", "o1")).unwrap(), 0);
        b.event(&EventInput::new(Kind::Created, "a", 10, "client")).unwrap();
        b.event(&EventInput::new(Kind::Entered, "a", 10, "client")).unwrap();
        b.event(&EventInput { stage_due: Some(99), ..EventInput::new(Kind::Completed, "a", 20, "e1") }).unwrap();
        b.event(&EventInput::new(Kind::Closed, "a", 20, "e1")).unwrap();
        assert_eq!(b.begin_case(&case("r2", "o2")).unwrap(), 1);
        b.event(&EventInput { client_visible: true, by_client: true, ..EventInput::new(Kind::Entered, "b", 30, "client") }).unwrap();
        let log = b.finish();
        assert_eq!((log.cases(), log.events()), (2, 5));
        let c0 = log.case(0);
        assert_eq!((c0.id, c0.offering, c0.created_at, c0.closed_at, c0.due_at), ("r1", Some("o1"), 10, Some(20), Some(500)));
        assert_eq!(c0.events, 0..4);
        let c1 = log.case(1);
        assert_eq!((c1.id, c1.created_at, c1.closed_at, c1.events), ("r2", 30, None, 4..5));
        let e = log.event(4);
        assert_eq!((e.case, e.kind, e.stage, e.resource, e.client_visible, e.by_client), (1, Kind::Entered, "b", "client", true, true));
        assert_eq!(log.event(2).stage_due, Some(99));
        assert_eq!(log.event(4).stage_due, None);
        assert_eq!(log.activity_id("b"), Some(1));
        assert_eq!(log.case_index()["r2"], 1);
        assert!(log.heap_bytes() > 0);
    }

    #[test]
    fn a_case_out_of_time_order_is_sorted_stably() {
        let mut b = LogBuilder::new();
        b.begin_case(&case("r1", "o")).unwrap();
        b.event(&EventInput::new(Kind::Created, "a", 5, "x")).unwrap();
        b.event(&EventInput::new(Kind::Entered, "a", 5, "x")).unwrap();
        b.event(&EventInput::new(Kind::Completed, "a", 9, "x")).unwrap();
        b.event(&EventInput::new(Kind::Commented, "a", 7, "y")).unwrap();
        b.event(&EventInput::new(Kind::Entered, "b", 9, "x")).unwrap();
        let log = b.finish();
        let kinds: Vec<_> = (0..5).map(|i| (log.event(i).kind, log.event(i).at)).collect();
        assert_eq!(kinds, [(Kind::Created, 5), (Kind::Entered, 5), (Kind::Commented, 7), (Kind::Completed, 9), (Kind::Entered, 9)]);
        assert_eq!(log.event(2).resource, "y");
    }

    #[test]
    fn appending_logs_maps_their_labels() {
        let build = |cases: &[(&str, &str, &str)], due: bool| {
            let mut b = LogBuilder::new();
            for (id, offering, stage) in cases {
                b.begin_case(&case(id, offering)).unwrap();
                b.event(&EventInput::new(Kind::Created, stage, 1, "x")).unwrap();
                let stage_due = due.then_some(7);
                b.event(&EventInput { stage_due, ..EventInput::new(Kind::Entered, stage, 2, id) }).unwrap();
            }
            b.finish()
        };
        let whole = build(&[("r1", "o1", "a"), ("r2", "o2", "b"), ("r3", "o2", "a"), ("r4", "o3", "c")], false);
        let mut first = build(&[("r1", "o1", "a")], false);
        // The second part meets its labels in another order and carries stage due times.
        let second = build(&[("r2", "o2", "b"), ("r3", "o2", "a"), ("r4", "o3", "c")], true);
        first.append(&second);
        assert_eq!((first.cases(), first.events()), (whole.cases(), whole.events()));
        for c in 0..whole.cases() as u32 {
            assert_eq!(first.case(c), whole.case(c));
        }
        for i in 0..whole.events() {
            let (a, b) = (first.event(i), whole.event(i));
            assert_eq!((a.case, a.kind, a.stage, a.at, a.resource), (b.case, b.kind, b.stage, b.at, b.resource));
            assert_eq!(a.stage_due, if i >= 2 && b.kind == Kind::Entered { Some(7) } else { None });
        }
        let mut empty = LogBuilder::new().finish();
        empty.append(&whole);
        assert_eq!(empty.case(3), whole.case(3));
    }

    #[test]
    fn an_empty_log_is_fine() {
        let log = LogBuilder::new().finish();
        assert_eq!((log.cases(), log.events()), (0, 0));
    }
}
