//! The tamper-evident audit trail. Every change is appended here inside the change's own
//! transaction: who, when, what, the record before and after, the request id and the
//! client's address. Each entry's hash covers the previous entry's hash, so editing or
//! deleting any entry breaks the chain from that point, and `verify_audit` names it.
//!
//! Entries are sealed over a digest of their snapshots (version 2), so erasing a person's
//! data can replace the snapshots of the entries about them with a marker and the chain
//! still holds; every redacted entry must be named by a later `personal_data.erase`
//! entry, or verification fails.

use crate::db::{get_opt_id, ms_to_rfc3339, now_ms};
use crate::{Page, Store, StoreError};
use okno_domain::Id;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

/// The action of the entry that records an erasure and names the entries it redacted.
pub(crate) const ERASE_ACTION: &str = "personal_data.erase";

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
    /// The snapshots were removed when a person's data was erased.
    pub redacted: bool,
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

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What a redacted entry's snapshots are replaced with.
pub(crate) const REDACTED: &str = r#"{"redacted":"personal data erased"}"#;

/// The digest version-2 entries are sealed over.
pub(crate) fn payload_digest(before: Option<&str>, after: Option<&str>) -> String {
    sha256_hex(serde_json::json!([before, after]).to_string().as_bytes())
}

impl Sealed<'_> {
    /// Version 2: SHA-256 over a JSON array of every field, the snapshots by their digest.
    fn hash_v2(&self, payload_digest: &str) -> String {
        let canonical = serde_json::json!([
            2,
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.body_id,
            payload_digest,
            self.request_id,
            self.ip,
            self.prev_hash
        ]);
        sha256_hex(canonical.to_string().as_bytes())
    }

    /// Version 1, before erasure existed: SHA-256 over a JSON array of every field.
    fn hash_v1(&self) -> String {
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
        sha256_hex(canonical.to_string().as_bytes())
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
    let digest = payload_digest(sealed.before.as_deref(), sealed.after.as_deref());
    let hash = sealed.hash_v2(&digest);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, body_id, before_json, after_json, request_id, ip, prev_hash, hash, \
         hash_version, payload_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 2, $14)",
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
    .bind(&digest)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(())
}

pub(crate) const COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, body_id, before_json, after_json, request_id, ip, prev_hash, hash, hash_version, payload_digest, redacted_at";

fn parse_json(s: Option<String>) -> Option<serde_json::Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

pub(crate) fn record(r: &AnyRow) -> Result<AuditRecord, StoreError> {
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
        redacted: r.try_get::<Option<i64>, _>("redacted_at")?.is_some(),
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
        let mut redacted_seqs: Vec<i64> = Vec::new();
        let mut erased: std::collections::HashSet<i64> = std::collections::HashSet::new();
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
                let version: i64 = r.try_get("hash_version")?;
                let redacted = r.try_get::<Option<i64>, _>("redacted_at")?.is_some();
                let computed = if version == 1 {
                    sealed.hash_v1()
                } else {
                    let digest: Option<String> = r.try_get("payload_digest")?;
                    let digest = digest.unwrap_or_default();
                    if redacted {
                        // Nothing but the marker may stand where the snapshots were.
                        if sealed.before.as_deref().is_some_and(|b| b != REDACTED) || sealed.after.as_deref().is_some_and(|a| a != REDACTED)
                        {
                            return Ok(AuditCheck::Broken { seq, reason: "a redacted entry holds content other than the marker".into() });
                        }
                        redacted_seqs.push(seq);
                    } else if payload_digest(sealed.before.as_deref(), sealed.after.as_deref()) != digest {
                        return Ok(AuditCheck::Broken { seq, reason: "its content does not match its hash: it was edited".into() });
                    }
                    sealed.hash_v2(&digest)
                };
                if computed != stored {
                    return Ok(AuditCheck::Broken { seq, reason: "its content does not match its hash: it was edited".into() });
                }
                if action == ERASE_ACTION {
                    if let Some(after) = sealed.after.as_deref().and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok()) {
                        let listed = after["redacted_entries"].as_array().into_iter().flatten().filter_map(|v| v.as_i64());
                        erased.extend(listed.filter(|s| *s < seq));
                    }
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
        if let Some(seq) = redacted_seqs.into_iter().find(|s| !erased.contains(s)) {
            return Ok(AuditCheck::Broken { seq, reason: "it was redacted without an erasure entry naming it".into() });
        }
        Ok(AuditCheck::Intact { entries: expected - 1 })
    }
}
