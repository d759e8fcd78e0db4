//! Reading request histories for the analytics engine: `request_events` joined with the
//! `requests` columns a case needs, in `ORDER BY request_id, seq` order, in pages.
//!
//! Pages use keyset pagination on `(request_id, seq)` — a row-value comparison both
//! SQLite and PostgreSQL index — so a log of millions of events is read in bounded
//! chunks ([`PAGE_ROWS`] rows at a time), never as one giant result, and each page is
//! one short statement (no long-lived cursor holding a connection or a snapshot).
//!
//! The mapping of a stored event to the engine's input is decided here, once:
//! - **by client**: the event's `actor` is `client` (the client answering on the status
//!   page, `App::client_answers`) or `anonymous` (a request filed without signing in).
//! - **told the client** (`client_visible` for the engine): the stored flag, but not on
//!   `created` and `entered` (every request gets those automatically, which would make
//!   every visit "transparent") and not on the client's own moves (answering is not being
//!   told). What remains is what the client was actually told during a visit: asked for
//!   something (`paused`), notified, suspended or resumed with a reason, the term
//!   extended, the result given (`closed`).
//! - **resource** = the event's `actor` label (`account:<id>`, `client`, `system`…),
//!   never a name; **unit** = `requests.stage_unit_id`, **due** = `requests.due_at`.
//!
//! No personal data is read: not the client's name, contacts, subject, or the notes.

use crate::{Store, StoreError};
use okno_analytics::{CaseInput, EventInput, Kind, LogBuilder};
use okno_domain::Id;
use sqlx::Row;

/// Rows per page.
pub const PAGE_ROWS: i64 = 20_000;
/// Ids per `IN (…)` list when loading chosen requests.
const IDS_PER_QUERY: usize = 500;

/// Which requests' events to read.
#[derive(Clone, Debug)]
pub enum LogScope {
    /// Every request of every body.
    All,
    /// Every request of one body.
    Body(Id),
    /// These requests (any body).
    Requests(Vec<Id>),
}

/// One event row with its request's columns, borrowed from the database row.
#[derive(Clone, Copy, Debug)]
pub struct EventRow<'a> {
    pub request_id: &'a str,
    pub seq: i64,
    pub kind: Kind,
    pub stage: &'a str,
    pub at: i64,
    pub actor: &'a str,
    /// The stored `client_visible` flag, as recorded.
    pub stored_visible: bool,
    pub offering: &'a str,
    pub variant: &'a str,
    pub unit: Option<&'a str>,
    pub body: &'a str,
    pub channel: &'a str,
    pub due_at: Option<i64>,
    /// The request is closed (as of the statement that read this row).
    pub closed: bool,
    /// How it ended, once closed (`requests.outcome`).
    pub outcome: Option<&'a str>,
}

impl<'a> EventRow<'a> {
    pub fn by_client(&self) -> bool {
        is_client_actor(self.actor)
    }

    /// Whether this event told the client something (see the module doc).
    pub fn told_client(&self) -> bool {
        self.stored_visible && !self.by_client() && !matches!(self.kind, Kind::Created | Kind::Entered)
    }

    pub fn case_input(&self) -> CaseInput<'a> {
        CaseInput {
            id: self.request_id,
            offering: Some(self.offering),
            variant: Some(self.variant),
            unit: self.unit,
            body: Some(self.body),
            channel: Some(self.channel),
            outcome: self.outcome,
            due_at: self.due_at,
        }
    }

    pub fn event_input(&self) -> EventInput<'a> {
        EventInput {
            kind: self.kind,
            stage: self.stage,
            at: self.at,
            resource: self.actor,
            client_visible: self.told_client(),
            by_client: self.by_client(),
            stage_due: None,
        }
    }
}

/// The `actor` labels of the client's own moves.
pub fn is_client_actor(actor: &str) -> bool {
    actor == "client" || actor == "anonymous"
}

/// A case as loaded: its id, the last event read and whether it was closed then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedCase {
    pub id: String,
    pub last_seq: i64,
    pub closed: bool,
}

/// What a load read.
#[derive(Clone, Debug, Default)]
pub struct LoadSummary {
    pub cases: Vec<LoadedCase>,
    pub events: u64,
    /// The latest event time read.
    pub max_at: Option<i64>,
}

/// A request with events since some time: its newest event and state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentHead {
    pub id: String,
    pub last_seq: i64,
    pub max_at: i64,
    pub closed: bool,
}

const COLUMNS: &str = "e.request_id, e.seq, e.at, e.kind, e.stage_key, e.client_visible, e.actor, \
     r.offering_id, r.variant_key, r.stage_unit_id, r.body_id, r.channel, r.due_at, r.phase, r.outcome";

impl Store {
    /// Calls `each` with every event of the scope, in `(request_id, seq)` order, reading
    /// [`PAGE_ROWS`] rows per statement.
    pub async fn scan_events(&self, scope: &LogScope, mut each: impl FnMut(&EventRow<'_>)) -> Result<u64, StoreError> {
        let mut n = 0;
        match scope {
            LogScope::All => n += self.scan_where("1 = 1", &[], &mut each).await?,
            LogScope::Body(b) => n += self.scan_where("r.body_id = $3", &[b.to_string()], &mut each).await?,
            LogScope::Requests(ids) => {
                let mut ids: Vec<String> = ids.iter().map(Id::to_string).collect();
                ids.sort();
                ids.dedup();
                for chunk in ids.chunks(IDS_PER_QUERY) {
                    let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
                    let cond = format!("e.request_id IN ({})", list.join(", "));
                    n += self.scan_where(&cond, chunk, &mut each).await?;
                }
            }
        }
        Ok(n)
    }

    async fn scan_where(&self, cond: &str, binds: &[String], each: &mut impl FnMut(&EventRow<'_>)) -> Result<u64, StoreError> {
        // Each page must walk the events' primary key from where the last one stopped. With
        // a body filter SQLite would rather start from the requests of the body and sort
        // all their events for every page (1.1 s a page on a million requests, against
        // 0.04 s); its CROSS JOIN fixes the loop order. PostgreSQL plans this well as is.
        let join = match self.backend() {
            crate::Backend::Sqlite => "CROSS JOIN",
            crate::Backend::Postgres => "JOIN",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM request_events e {join} requests r ON r.id = e.request_id \
             WHERE {cond} AND (e.request_id, e.seq) > ($1, $2) ORDER BY e.request_id, e.seq LIMIT {PAGE_ROWS}"
        );
        let (mut after_id, mut after_seq) = (String::new(), 0i64);
        let mut total = 0u64;
        loop {
            let mut q = sqlx::query(&sql).bind(after_id.clone()).bind(after_seq);
            for b in binds {
                q = q.bind(b.as_str());
            }
            let rows = q.fetch_all(&self.pool).await?;
            for r in &rows {
                let kind: &str = r.try_get("kind")?;
                let row = EventRow {
                    request_id: r.try_get("request_id")?,
                    seq: r.try_get("seq")?,
                    kind: Kind::from_code(kind).ok_or(StoreError::Corrupt("kind"))?,
                    stage: r.try_get("stage_key")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    stored_visible: r.try_get::<i64, _>("client_visible")? != 0,
                    offering: r.try_get("offering_id")?,
                    variant: r.try_get("variant_key")?,
                    unit: r.try_get("stage_unit_id")?,
                    body: r.try_get("body_id")?,
                    channel: r.try_get("channel")?,
                    due_at: r.try_get("due_at")?,
                    closed: r.try_get::<&str, _>("phase")? == "closed",
                    outcome: r.try_get("outcome")?,
                };
                each(&row);
            }
            total += rows.len() as u64;
            match rows.last() {
                Some(last) if rows.len() as i64 == PAGE_ROWS => {
                    after_id = last.try_get("request_id")?;
                    after_seq = last.try_get("seq")?;
                }
                _ => return Ok(total),
            }
        }
    }

    /// Loads the scope's events into `builder`, one case per request.
    pub async fn load_event_log(&self, scope: &LogScope, builder: &mut LogBuilder) -> Result<LoadSummary, StoreError> {
        let mut sum = LoadSummary::default();
        let mut failed = None;
        self.scan_events(scope, |row| {
            if failed.is_some() {
                return;
            }
            if let Err(e) = feed(builder, &mut sum, row) {
                failed = Some(e);
            }
        })
        .await?;
        match failed {
            Some(e) => Err(e),
            None => Ok(sum),
        }
    }

    /// The requests of a body with events later than `since` (ms): each one's newest
    /// event read and whether it is closed. Reads the recent events through the index on
    /// `request_events.at` and groups them here: asked to group, SQLite would walk the
    /// events' primary key instead (seconds on a million requests, for a handful of rows).
    pub async fn recent_heads(&self, body: Id, since: i64) -> Result<Vec<RecentHead>, StoreError> {
        let join = match self.backend() {
            crate::Backend::Sqlite => "CROSS JOIN",
            crate::Backend::Postgres => "JOIN",
        };
        let rows = sqlx::query(&format!(
            "SELECT e.request_id, e.seq, e.at, r.phase FROM request_events e {join} requests r ON r.id = e.request_id \
             WHERE e.at > $1 AND r.body_id = $2"
        ))
        .bind(since)
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut heads: std::collections::BTreeMap<String, RecentHead> = std::collections::BTreeMap::new();
        for r in &rows {
            let id: String = r.try_get("request_id")?;
            let (seq, at): (i64, i64) = (r.try_get("seq")?, r.try_get("at")?);
            let closed = r.try_get::<String, _>("phase")? == "closed";
            let h = heads.entry(id.clone()).or_insert(RecentHead { id, last_seq: seq, max_at: at, closed });
            h.last_seq = h.last_seq.max(seq);
            h.max_at = h.max_at.max(at);
        }
        Ok(heads.into_values().collect())
    }
}

/// Feeds one row to a builder, starting a case at each new request id.
pub fn feed(builder: &mut LogBuilder, sum: &mut LoadSummary, row: &EventRow<'_>) -> Result<(), StoreError> {
    let new_case = sum.cases.last().is_none_or(|c| c.id != row.request_id);
    if new_case {
        builder.begin_case(&row.case_input()).map_err(|_| StoreError::Corrupt("event log too large"))?;
        sum.cases.push(LoadedCase { id: row.request_id.to_string(), last_seq: row.seq, closed: row.closed });
    }
    builder.event(&row.event_input()).map_err(|_| StoreError::Corrupt("event log too large"))?;
    let c = sum.cases.last_mut().expect("pushed above");
    c.last_seq = row.seq;
    c.closed = row.closed;
    sum.events += 1;
    sum.max_at = Some(sum.max_at.map_or(row.at, |m| m.max(row.at)));
    Ok(())
}
