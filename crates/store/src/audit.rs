//! The tamper-evident audit trail. Every change is appended here inside the change's own
//! transaction: who, when, what, the record before and after, the request id and the
//! client's address. Each entry's hash covers the previous entry's hash, so editing or
//! deleting any entry breaks the chain from that point, and `verify_audit` names it.

use crate::db::{get_opt_id, ms_to_rfc3339, now_ms};
use crate::{Page, Store, StoreError};
use okno_domain::Id;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted and from where; the same for every entry of one request.
#[derive(Clone, Debug, Default)]
pub struct Trail {
    pub actor: String,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// What changed: the record before (none on create) and after (none on delete).
#[derive(Clone, Debug, Default)]
pub struct Change {
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    fn value<T: Serialize>(v: &T) -> Option<serde_json::Value> {
        serde_json::to_value(v).ok()
    }

    pub fn created<A: Serialize>(after: &A) -> Change {
        Change { before: None, after: Change::value(after) }
    }

    pub fn updated<B: Serialize, A: Serialize>(before: &B, after: &A) -> Change {
        Change { before: Change::value(before), after: Change::value(after) }
    }

    pub fn deleted<B: Serialize>(before: &B) -> Change {
        Change { before: Change::value(before), after: None }
    }
}

/// One entry as read back.
#[derive(Clone, Debug, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Id>,
    pub body_id: Option<Id>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub hash: String,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<Id>,
    pub actor: Option<String>,
    pub body_id: Option<Id>,
    /// Milliseconds since the epoch, inclusive.
    pub from_ms: Option<i64>,
    /// Milliseconds since the epoch, exclusive.
    pub to_ms: Option<i64>,
}

/// The result of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditCheck {
    Intact {
        entries: i64,
    },
    /// The first entry whose sequence, link or hash does not hold.
    Broken {
        seq: i64,
        reason: String,
    },
}

pub(crate) struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<Id>,
    pub body_id: Option<Id>,
    pub change: &'a Change,
}

struct Sealed<'a> {
    seq: i64,
    at: i64,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<String>,
    body_id: Option<String>,
    before: Option<String>,
    after: Option<String>,
    request_id: Option<&'a str>,
    ip: Option<&'a str>,
    prev_hash: &'a str,
}

impl Sealed<'_> {
    /// SHA-256 over a JSON array of every field: unambiguous, and the same on any backend.
    fn hash(&self) -> String {
        let canonical = serde_json::json!([
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.body_id,
            self.before,
            self.after,
            self.request_id,
            self.ip,
            self.prev_hash
        ]);
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Appends one entry inside `tx`. The caller holds the write guard (SQLite); on
/// PostgreSQL the first UPDATE takes the head's row lock until `tx` ends.
pub(crate) async fn append(tx: &mut sqlx::Transaction<'_, Any>, trail: &Trail, e: Entry<'_>) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").execute(&mut **tx).await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut **tx).await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: String = head.try_get("hash")?;
    let sealed = Sealed {
        seq,
        at: now_ms(),
        actor: &trail.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id.map(|i| i.to_string()),
        body_id: e.body_id.map(|i| i.to_string()),
        before: e.change.before.as_ref().map(|v| v.to_string()),
        after: e.change.after.as_ref().map(|v| v.to_string()),
        request_id: trail.request_id.as_deref(),
        ip: trail.ip.as_deref(),
        prev_hash: &prev,
    };
    let hash = sealed.hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, body_id, before_json, after_json, request_id, ip, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(seq)
    .bind(sealed.at)
    .bind(sealed.actor)
    .bind(sealed.action)
    .bind(sealed.entity)
    .bind(sealed.entity_id.clone())
    .bind(sealed.body_id.clone())
    .bind(sealed.before.clone())
    .bind(sealed.after.clone())
    .bind(sealed.request_id)
    .bind(sealed.ip)
    .bind(sealed.prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(())
}

const COLUMNS: &str = "seq, at, actor, action, entity, entity_id, body_id, before_json, after_json, request_id, ip, prev_hash, hash";

fn parse_json(s: Option<String>) -> Option<serde_json::Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

fn record(r: &AnyRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        seq: r.try_get("seq")?,
        at: ms_to_rfc3339(r.try_get("at")?),
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: get_opt_id(r, "entity_id")?,
        body_id: get_opt_id(r, "body_id")?,
        before: parse_json(r.try_get("before_json")?),
        after: parse_json(r.try_get("after_json")?),
        request_id: r.try_get("request_id")?,
        ip: r.try_get("ip")?,
        hash: r.try_get("hash")?,
    })
}

impl Store {
    /// Entries newest first, filtered.
    pub async fn audit_page(&self, f: &AuditFilter, limit: i64, offset: i64) -> Result<Page<AuditRecord>, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut push_text = |col: &str, v: String, conds: &mut Vec<String>| {
            texts.push(v);
            conds.push(format!("{col} = ${}", texts.len()));
        };
        if let Some(e) = &f.entity {
            push_text("entity", e.clone(), &mut conds);
        }
        if let Some(e) = f.entity_id {
            push_text("entity_id", e.to_string(), &mut conds);
        }
        if let Some(a) = &f.actor {
            push_text("actor", a.clone(), &mut conds);
        }
        if let Some(b) = f.body_id {
            push_text("body_id", b.to_string(), &mut conds);
        }
        let mut n = texts.len();
        let mut ints: Vec<i64> = Vec::new();
        if let Some(from) = f.from_ms {
            n += 1;
            conds.push(format!("at >= ${n}"));
            ints.push(from);
        }
        if let Some(to) = f.to_ms {
            n += 1;
            conds.push(format!("at < ${n}"));
            ints.push(to);
        }
        let where_sql = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
        let count_sql = format!("SELECT COUNT(*) AS n FROM audit_log {where_sql}");
        let mut q = sqlx::query(&count_sql);
        for t in &texts {
            q = q.bind(t.as_str());
        }
        for i in &ints {
            q = q.bind(*i);
        }
        let total: i64 = q.fetch_one(&self.pool).await?.try_get("n")?;
        let sql = format!("SELECT {COLUMNS} FROM audit_log {where_sql} ORDER BY seq DESC LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let mut q = sqlx::query(&sql);
        for t in &texts {
            q = q.bind(t.as_str());
        }
        for i in &ints {
            q = q.bind(*i);
        }
        let rows = q.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(record).collect::<Result<_, _>>()?, total })
    }

    /// Walks the whole chain in order, a thousand entries at a time.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let mut prev = GENESIS.to_string();
        let mut expected = 1i64;
        loop {
            let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000");
            let rows = sqlx::query(&sql).bind(expected).fetch_all(&self.pool).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let seq: i64 = r.try_get("seq")?;
                if seq != expected {
                    return Ok(AuditCheck::Broken { seq: expected, reason: format!("entry {expected} is missing") });
                }
                let prev_hash: String = r.try_get("prev_hash")?;
                if prev_hash != prev {
                    return Ok(AuditCheck::Broken { seq, reason: "it does not link to the entry before it".into() });
                }
                let actor: String = r.try_get("actor")?;
                let action: String = r.try_get("action")?;
                let entity: String = r.try_get("entity")?;
                let request_id: Option<String> = r.try_get("request_id")?;
                let ip: Option<String> = r.try_get("ip")?;
                let sealed = Sealed {
                    seq,
                    at: r.try_get("at")?,
                    actor: &actor,
                    action: &action,
                    entity: &entity,
                    entity_id: r.try_get("entity_id")?,
                    body_id: r.try_get("body_id")?,
                    before: r.try_get("before_json")?,
                    after: r.try_get("after_json")?,
                    request_id: request_id.as_deref(),
                    ip: ip.as_deref(),
                    prev_hash: &prev_hash,
                };
                let stored: String = r.try_get("hash")?;
                if sealed.hash() != stored {
                    return Ok(AuditCheck::Broken { seq, reason: "its content does not match its hash: it was edited".into() });
                }
                prev = stored;
                expected += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        if head_seq != expected - 1 || head_hash != prev {
            return Ok(AuditCheck::Broken {
                seq: expected,
                reason: format!("the chain ends at {} but the head says {head_seq}: entries were removed", expected - 1),
            });
        }
        Ok(AuditCheck::Intact { entries: expected - 1 })
    }
}
