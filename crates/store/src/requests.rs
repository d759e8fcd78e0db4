//! Chains (versioned per offering) and requests with their append-only events.
//!
//! A move is one transaction: the UPDATE of the request checks its version (so of two
//! people acting on the same request at once exactly one wins, on any number of nodes),
//! then the move's events are appended, each hashed over the request's previous event.

use crate::db::{finish, get_id, get_opt_id};
use crate::group::{GroupFuture, GroupWrite};
use crate::{Page, Store, StoreError};
use okno_domain::chain::Chain;
use okno_domain::request::{Channel, EventKind, Fact, Outcome, Phase, RequestState};
use okno_domain::Id;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A client's contact details: personal data, kept to what an answer needs.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientContact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

// By hand: a request printed for a log or a failed assertion names no one.
impl std::fmt::Debug for ClientContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientContact { .. }")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RequestRecord {
    pub id: Id,
    pub tracking_code: String,
    pub body_id: Id,
    pub offering_id: Id,
    pub chain_version: i64,
    pub variant_key: String,
    pub channel: Channel,
    pub state: RequestState,
    pub stage_unit_id: Option<Id>,
    pub client: ClientContact,
    pub subject: String,
    pub fields_json: String,
    pub created_at: i64,
    pub stage_entered_at: i64,
    pub stage_due_at: Option<i64>,
    pub due_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// Client-waiting and suspended time so far, in milliseconds.
    pub paused_ms: i64,
    pub paused_since: Option<i64>,
    pub events: i64,
    pub last_hash: String,
    pub version: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at: i64,
    pub kind: EventKind,
    pub stage: String,
    pub to_stage: Option<String>,
    pub outcome: Option<Outcome>,
    pub days: Option<i64>,
    pub assignee: Option<Id>,
    pub note: String,
    pub client_visible: bool,
    pub actor: String,
}

/// Which requests a queue shows.
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    pub body_id: Option<Id>,
    pub offering_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub assignee_id: Option<Id>,
    /// Open, waiting or suspended: everything not closed.
    pub active: bool,
    pub phase: Option<Phase>,
    /// Due before this moment (ms): overdue or due soon.
    pub due_before: Option<i64>,
}

pub(crate) const COLUMNS: &str =
    "id, tracking_code, body_id, offering_id, chain_version, variant_key, channel, stage_key, stage_unit_id, phase, \
     outcome, extensions, assignee_id, client_name, client_email, client_phone, client_address, subject, fields_json, created_at, \
     stage_entered_at, stage_due_at, due_at, closed_at, paused_ms, paused_since, events, last_hash, version, updated_at";

fn corrupt(col: &'static str) -> StoreError {
    StoreError::Corrupt(col)
}

pub(crate) fn request_row(r: &AnyRow) -> Result<RequestRecord, StoreError> {
    let channel: String = r.try_get("channel")?;
    let phase: String = r.try_get("phase")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    Ok(RequestRecord {
        id: get_id(r, "id")?,
        tracking_code: r.try_get("tracking_code")?,
        body_id: get_id(r, "body_id")?,
        offering_id: get_id(r, "offering_id")?,
        chain_version: r.try_get("chain_version")?,
        variant_key: r.try_get("variant_key")?,
        channel: Channel::from_code(&channel).ok_or(corrupt("channel"))?,
        state: RequestState {
            stage: r.try_get("stage_key")?,
            phase: Phase::from_code(&phase).ok_or(corrupt("phase"))?,
            outcome: match outcome {
                Some(o) => Some(Outcome::from_code(&o).ok_or(corrupt("outcome"))?),
                None => None,
            },
            extensions: r.try_get::<i64, _>("extensions")? as u32,
            assignee: get_opt_id(r, "assignee_id")?,
        },
        stage_unit_id: get_opt_id(r, "stage_unit_id")?,
        client: ClientContact {
            name: r.try_get("client_name")?,
            email: r.try_get("client_email")?,
            phone: r.try_get("client_phone")?,
            address: r.try_get("client_address")?,
        },
        subject: r.try_get("subject")?,
        fields_json: r.try_get("fields_json")?,
        created_at: r.try_get("created_at")?,
        stage_entered_at: r.try_get("stage_entered_at")?,
        stage_due_at: r.try_get("stage_due_at")?,
        due_at: r.try_get("due_at")?,
        closed_at: r.try_get("closed_at")?,
        paused_ms: r.try_get("paused_ms")?,
        paused_since: r.try_get("paused_since")?,
        events: r.try_get("events")?,
        last_hash: r.try_get("last_hash")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn event_row(r: &AnyRow) -> Result<EventRecord, StoreError> {
    let kind: String = r.try_get("kind")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    Ok(EventRecord {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        kind: EventKind::from_code(&kind).ok_or(corrupt("kind"))?,
        stage: r.try_get("stage_key")?,
        to_stage: r.try_get("to_stage")?,
        outcome: match outcome {
            Some(o) => Some(Outcome::from_code(&o).ok_or(corrupt("outcome"))?),
            None => None,
        },
        days: r.try_get("days")?,
        assignee: get_opt_id(r, "assignee_id")?,
        note: r.try_get("note")?,
        client_visible: r.try_get::<i64, _>("client_visible")? != 0,
        actor: r.try_get("actor")?,
    })
}

/// The hash of one event: SHA-256 over the previous hash and every field, as JSON.
pub(crate) fn event_hash(prev: &str, request: Id, seq: i64, at: i64, f: &Fact, actor: &str) -> String {
    let canonical = serde_json::json!([
        prev,
        request.to_string(),
        seq,
        at,
        f.kind.code(),
        f.stage,
        f.to_stage,
        f.outcome.map(|o| o.code()),
        f.days,
        f.assignee.map(|a| a.to_string()),
        f.note,
        f.client_visible,
        actor
    ]);
    Sha256::digest(canonical.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The first hash of every request's chain of events.
pub const EVENTS_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub(crate) async fn append_events(
    tx: &mut Transaction<'_, Any>,
    r: &RequestRecord,
    facts: &[Fact],
    at: i64,
    actor: &str,
) -> Result<(i64, String), StoreError> {
    let mut seq = r.events;
    let mut prev = r.last_hash.clone();
    for f in facts {
        seq += 1;
        let hash = event_hash(&prev, r.id, seq, at, f, actor);
        sqlx::query(
            "INSERT INTO request_events (request_id, seq, at, kind, stage_key, to_stage, outcome, days, assignee_id, note, client_visible, actor, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(r.id.to_string())
        .bind(seq)
        .bind(at)
        .bind(f.kind.code())
        .bind(&f.stage)
        .bind(f.to_stage.clone())
        .bind(f.outcome.map(|o| o.code()))
        .bind(f.days.map(i64::from))
        .bind(f.assignee.map(|a| a.to_string()))
        .bind(&f.note)
        .bind(i64::from(f.client_visible))
        .bind(actor)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
        prev = hash;
    }
    Ok((seq, prev))
}

impl Store {
    /// Saves a new version of an offering's chain; returns its number (1, 2, …).
    /// Saves the next version. With `expected` (0: no chain yet), a newer version saved
    /// since the caller read theirs is `Stale`, checked inside the write transaction.
    pub async fn save_chain(
        &self,
        offering: Id,
        body: Id,
        chain: &Chain,
        expected: Option<i64>,
        trail: &crate::Trail,
    ) -> Result<i64, StoreError> {
        let now = crate::db::now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM chains WHERE offering_id = $1")
                .bind(offering.to_string())
                .fetch_one(&mut *tx)
                .await?;
            let current: i64 = row.try_get("v")?;
            if expected.is_some_and(|e| e != current) {
                return Err(StoreError::Stale);
            }
            let version = current + 1;
            let json = serde_json::to_string(chain).map_err(|_| corrupt("chain_json"))?;
            sqlx::query("INSERT INTO chains (offering_id, version, body_id, chain_json, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(offering.to_string())
                .bind(version)
                .bind(body.to_string())
                .bind(&json)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "chain"))?;
            let change = crate::Change::created(&serde_json::json!({ "version": version, "chain": chain }));
            crate::audit::append(
                &mut tx,
                trail,
                crate::audit::Entry {
                    action: "chain.save",
                    entity: "offering",
                    entity_id: Some(offering),
                    body_id: Some(body),
                    change: &change,
                },
            )
            .await?;
            Ok(version)
        }
        .await;
        finish(tx, result).await
    }

    /// The newest version of an offering's chain, if it has one.
    pub async fn latest_chain(&self, offering: Id) -> Result<Option<(i64, Chain)>, StoreError> {
        let row = sqlx::query("SELECT version, chain_json FROM chains WHERE offering_id = $1 ORDER BY version DESC LIMIT 1")
            .bind(offering.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let json: String = r.try_get("chain_json")?;
            Ok((r.try_get("version")?, serde_json::from_str(&json).map_err(|_| corrupt("chain_json"))?))
        })
        .transpose()
    }

    pub async fn chain_version(&self, offering: Id, version: i64) -> Result<Chain, StoreError> {
        let row = sqlx::query("SELECT chain_json FROM chains WHERE offering_id = $1 AND version = $2")
            .bind(offering.to_string())
            .bind(version)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let json: String = row.try_get("chain_json")?;
        serde_json::from_str(&json).map_err(|_| corrupt("chain_json"))
    }

    /// Inserts a new request with its first events. `r.events` and `r.last_hash` are
    /// filled in here. `mails` are queued in the outbox in the same transaction.
    pub async fn create_request(&self, r: &RequestRecord, facts: &[Fact], actor: &str, mails: &[crate::NewMail]) -> Result<(), StoreError> {
        let w = CreateWrite { r: r.clone(), facts: facts.to_vec(), actor: actor.to_string(), mails: mails.to_vec() };
        self.request_write(w).await
    }

    pub async fn save_move(
        &self,
        r: &RequestRecord,
        expected: i64,
        facts: &[Fact],
        at: i64,
        actor: &str,
        mails: &[crate::NewMail],
    ) -> Result<i64, StoreError> {
        let w = MoveWrite { r: r.clone(), expected, facts: facts.to_vec(), at, actor: actor.to_string(), mails: mails.to_vec() };
        self.request_write(w).await
    }

    /// A request write: through SQLite's group commit, or its own transaction on PostgreSQL.
    async fn request_write<W: GroupWrite>(&self, w: W) -> Result<W::Out, StoreError> {
        if let Some(group) = &self.group {
            return group.run(w).await;
        }
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = Box::new(w).run(&mut tx).await;
        finish(tx, result).await
    }

    pub async fn get_request(&self, id: Id) -> Result<RequestRecord, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = $1");
        let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        request_row(&row)
    }

    pub async fn request_by_code(&self, code: &str) -> Result<RequestRecord, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM requests WHERE tracking_code = $1");
        let row = sqlx::query(&sql).bind(code).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        request_row(&row)
    }

    pub async fn request_events(&self, id: Id) -> Result<Vec<EventRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, kind, stage_key, to_stage, outcome, days, assignee_id, note, client_visible, actor FROM request_events \
             WHERE request_id = $1 ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_row).collect()
    }

    /// Walks one request's events; `Some(seq)` names the first that does not hold.
    pub async fn verify_request_events(&self, id: Id) -> Result<Option<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, kind, stage_key, to_stage, outcome, days, assignee_id, note, client_visible, actor, hash FROM request_events \
             WHERE request_id = $1 ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut prev = EVENTS_GENESIS.to_string();
        for (i, r) in rows.iter().enumerate() {
            let e = event_row(r)?;
            if e.seq != i as i64 + 1 {
                return Ok(Some(i as i64 + 1));
            }
            let f = Fact {
                kind: e.kind,
                stage: e.stage.clone(),
                to_stage: e.to_stage.clone(),
                outcome: e.outcome,
                days: e.days.map(|d| d as u32),
                assignee: e.assignee,
                note: e.note.clone(),
                client_visible: e.client_visible,
            };
            let stored: String = r.try_get("hash")?;
            if event_hash(&prev, id, e.seq, e.at, &f, &e.actor) != stored {
                return Ok(Some(e.seq));
            }
            prev = stored;
        }
        let head = self.get_request(id).await?;
        if head.last_hash != prev || head.events != rows.len() as i64 {
            return Ok(Some(rows.len() as i64 + 1));
        }
        Ok(None)
    }

    pub async fn list_requests(&self, f: &RequestFilter, limit: i64, offset: i64) -> Result<Page<RequestRecord>, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut vals: Vec<String> = Vec::new();
        let mut add = |cond: &str, v: String, vals: &mut Vec<String>| {
            vals.push(v);
            conds.push(cond.replace('?', &format!("${}", vals.len())));
        };
        if let Some(b) = f.body_id {
            add("body_id = ?", b.to_string(), &mut vals);
        }
        if let Some(o) = f.offering_id {
            add("offering_id = ?", o.to_string(), &mut vals);
        }
        if let Some(u) = f.unit_id {
            add("stage_unit_id = ?", u.to_string(), &mut vals);
        }
        if let Some(a) = f.assignee_id {
            add("assignee_id = ?", a.to_string(), &mut vals);
        }
        if let Some(p) = f.phase {
            add("phase = ?", p.code().into(), &mut vals);
        } else if f.active {
            conds.push("phase <> 'closed'".into());
        }
        let mut due = String::new();
        if let Some(d) = f.due_before {
            due = format!(" AND COALESCE(stage_due_at, due_at) IS NOT NULL AND COALESCE(stage_due_at, due_at) < {d}");
        }
        let where_sql = if conds.is_empty() { "WHERE 1 = 1".to_string() } else { format!("WHERE {}", conds.join(" AND ")) };
        let count_sql = format!("SELECT COUNT(*) AS n FROM requests {where_sql}{due}");
        let mut q = sqlx::query(&count_sql);
        for v in &vals {
            q = q.bind(v.as_str());
        }
        let total: i64 = q.fetch_one(&self.pool).await?.try_get("n")?;
        let n = vals.len();
        // Soonest due first; requests without a due date after, newest first.
        let page_sql = format!(
            "SELECT {COLUMNS} FROM requests {where_sql}{due} ORDER BY CASE WHEN COALESCE(stage_due_at, due_at) IS NULL THEN 1 ELSE 0 END, \
             COALESCE(stage_due_at, due_at), created_at DESC, id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&page_sql);
        for v in &vals {
            q = q.bind(v.as_str());
        }
        let rows = q.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(request_row).collect::<Result<_, _>>()?, total })
    }

    /// Counts per queue for one body: active, waiting for the client, overdue, due soon.
    pub async fn request_counts(&self, body: Id, now: i64, soon: i64) -> Result<(i64, i64, i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT \
               COUNT(CASE WHEN phase <> 'closed' THEN 1 END) AS active, \
               COUNT(CASE WHEN phase = 'waiting_for_client' THEN 1 END) AS waiting, \
               COUNT(CASE WHEN phase = 'open' AND COALESCE(stage_due_at, due_at) < $2 THEN 1 END) AS overdue, \
               COUNT(CASE WHEN phase = 'open' AND COALESCE(stage_due_at, due_at) >= $2 AND COALESCE(stage_due_at, due_at) < $3 THEN 1 END) AS soon \
             FROM requests WHERE body_id = $1",
        )
        .bind(body.to_string())
        .bind(now)
        .bind(soon)
        .fetch_one(&self.pool)
        .await?;
        // COUNT, not SUM: PostgreSQL sums BIGINTs into NUMERIC, which `Any` cannot read.
        let get = |c: &str| -> Result<i64, StoreError> { Ok(row.try_get::<i64, _>(c)?) };
        Ok((get("active")?, get("waiting")?, get("overdue")?, get("soon")?))
    }
}

/// A new request with its first events and mails.
struct CreateWrite {
    r: RequestRecord,
    facts: Vec<Fact>,
    actor: String,
    mails: Vec<crate::NewMail>,
}

impl GroupWrite for CreateWrite {
    type Out = ();
    fn run<'t, 'c>(self: Box<Self>, tx: &'t mut Transaction<'c, Any>) -> GroupFuture<'t, ()>
    where
        'c: 't,
    {
        Box::pin(async move {
            let w = self;
            let fresh = RequestRecord { events: 0, last_hash: EVENTS_GENESIS.into(), ..w.r.clone() };
            sqlx::query(&format!(
                "INSERT INTO requests ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                 $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)"
            ))
            .bind(w.r.id.to_string())
            .bind(&w.r.tracking_code)
            .bind(w.r.body_id.to_string())
            .bind(w.r.offering_id.to_string())
            .bind(w.r.chain_version)
            .bind(&w.r.variant_key)
            .bind(w.r.channel.code())
            .bind(&w.r.state.stage)
            .bind(w.r.stage_unit_id.map(|u| u.to_string()))
            .bind(w.r.state.phase.code())
            .bind(w.r.state.outcome.map(|o| o.code()))
            .bind(i64::from(w.r.state.extensions))
            .bind(w.r.state.assignee.map(|a| a.to_string()))
            .bind(&w.r.client.name)
            .bind(w.r.client.email.clone())
            .bind(w.r.client.phone.clone())
            .bind(w.r.client.address.clone())
            .bind(&w.r.subject)
            .bind(&w.r.fields_json)
            .bind(w.r.created_at)
            .bind(w.r.stage_entered_at)
            .bind(w.r.stage_due_at)
            .bind(w.r.due_at)
            .bind(w.r.closed_at)
            .bind(w.r.paused_ms)
            .bind(w.r.paused_since)
            .bind(0i64)
            .bind(EVENTS_GENESIS)
            .bind(1i64)
            .bind(w.r.updated_at)
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "request"))?;
            let (events, hash) = append_events(tx, &fresh, &w.facts, w.r.created_at, &w.actor).await?;
            sqlx::query("UPDATE requests SET events = $2, last_hash = $3 WHERE id = $1")
                .bind(w.r.id.to_string())
                .bind(events)
                .bind(&hash)
                .execute(&mut **tx)
                .await?;
            crate::outbox::insert_mails(tx, &w.mails, w.r.created_at).await
        })
    }
}

/// A move: the version check, the new state, its events and mails.
struct MoveWrite {
    r: RequestRecord,
    expected: i64,
    facts: Vec<Fact>,
    at: i64,
    actor: String,
    mails: Vec<crate::NewMail>,
}

impl GroupWrite for MoveWrite {
    type Out = i64;
    fn run<'t, 'c>(self: Box<Self>, tx: &'t mut Transaction<'c, Any>) -> GroupFuture<'t, i64>
    where
        'c: 't,
    {
        Box::pin(async move {
            let w = self;
            // The version check first: the loser of a race learns it before writing anything.
            let done = sqlx::query(
                "UPDATE requests SET stage_key = $3, stage_unit_id = $4, phase = $5, outcome = $6, extensions = $7, assignee_id = $8, \
                 stage_entered_at = $9, stage_due_at = $10, due_at = $11, closed_at = $12, paused_ms = $13, paused_since = $14, \
                 version = version + 1, updated_at = $15 WHERE id = $1 AND version = $2",
            )
            .bind(w.r.id.to_string())
            .bind(w.expected)
            .bind(&w.r.state.stage)
            .bind(w.r.stage_unit_id.map(|u| u.to_string()))
            .bind(w.r.state.phase.code())
            .bind(w.r.state.outcome.map(|o| o.code()))
            .bind(i64::from(w.r.state.extensions))
            .bind(w.r.state.assignee.map(|a| a.to_string()))
            .bind(w.r.stage_entered_at)
            .bind(w.r.stage_due_at)
            .bind(w.r.due_at)
            .bind(w.r.closed_at)
            .bind(w.r.paused_ms)
            .bind(w.r.paused_since)
            .bind(w.at)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale);
            }
            // The events counter and hash as of the version just won: read inside the
            // transaction, after the row lock.
            let row =
                sqlx::query("SELECT events, last_hash FROM requests WHERE id = $1").bind(w.r.id.to_string()).fetch_one(&mut **tx).await?;
            let current = RequestRecord { events: row.try_get("events")?, last_hash: row.try_get("last_hash")?, ..w.r.clone() };
            let (events, hash) = append_events(tx, &current, &w.facts, w.at, &w.actor).await?;
            sqlx::query("UPDATE requests SET events = $2, last_hash = $3 WHERE id = $1")
                .bind(w.r.id.to_string())
                .bind(events)
                .bind(&hash)
                .execute(&mut **tx)
                .await?;
            crate::outbox::insert_mails(tx, &w.mails, w.at).await?;
            Ok(w.expected + 1)
        })
    }
}
