//! Many requests with their whole history at once, for a large demo: one transaction per
//! call, multi-row `INSERT … VALUES (…), (…)` with bound parameters, each event hashed
//! over the previous one exactly as a move appends it (`requests::event_hash`), so
//! `verify_request_events` holds and later moves continue the chain. No mails are queued:
//! the history is past.

use crate::db::finish;
use crate::ratings::{RatingRecord, RATING_COLUMNS};
use crate::requests::{event_hash, RequestRecord, COLUMNS, EVENTS_GENESIS};
use crate::{Store, StoreError};
use okno_domain::request::Fact;
use sqlx::{Any, Row, Transaction};
use std::collections::HashSet;

/// One past event of a generated request.
#[derive(Clone, Debug)]
pub struct BulkEvent {
    pub at: i64,
    pub fact: Fact,
    pub actor: &'static str,
}

/// A request as it stands now, with every event that led there and an optional rating.
/// `record.events` and `record.last_hash` are filled in by `insert_requests_bulk`.
#[derive(Clone, Debug)]
pub struct BulkRequest {
    pub record: RequestRecord,
    pub events: Vec<BulkEvent>,
    pub rating: Option<RatingRecord>,
}

// Rows per statement: about 1,000 bound parameters. Not SQLite's limit of 32,766: SQLite
// finds a `$n` parameter by walking a list of every name in the statement, so binding
// costs the square of the parameter count; at 31,200 a statement of events took 3 s, and
// a million requests would have taken hours. PostgreSQL loses nothing by it either.
const REQUEST_ROWS: usize = 32; // × 30 columns = 960
const EVENT_ROWS: usize = 75; // × 13 columns = 975
const RATING_ROWS: usize = 90; // × 11 columns = 990

/// `($1, …, $cols), ($cols+1, …)` for `rows` rows.
fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

impl Store {
    /// Every tracking code in use, so a generator can draw new ones that do not clash.
    pub async fn request_tracking_codes(&self) -> Result<HashSet<String>, StoreError> {
        let rows = sqlx::query("SELECT tracking_code FROM requests").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(r.try_get::<String, _>("tracking_code")?)).collect()
    }

    /// Inserts the requests, their events (hashed here) and ratings in one transaction.
    /// Returns how many events were written.
    pub async fn insert_requests_bulk(&self, batch: &mut [BulkRequest]) -> Result<u64, StoreError> {
        // Hash before taking the write lock: it is the CPU-heavy part.
        let mut hashes: Vec<String> = Vec::with_capacity(batch.iter().map(|b| b.events.len()).sum());
        for b in batch.iter_mut() {
            let mut prev = EVENTS_GENESIS.to_string();
            for (i, e) in b.events.iter().enumerate() {
                let h = event_hash(&prev, b.record.id, i as i64 + 1, e.at, &e.fact, e.actor);
                hashes.push(h.clone());
                prev = h;
            }
            b.record.events = b.events.len() as i64;
            b.record.last_hash = prev;
        }
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = insert_all(&mut tx, batch, &hashes).await;
        finish(tx, result).await
    }
}

async fn insert_all(tx: &mut Transaction<'_, Any>, batch: &[BulkRequest], hashes: &[String]) -> Result<u64, StoreError> {
    for part in batch.chunks(REQUEST_ROWS) {
        let sql = format!("INSERT INTO requests ({COLUMNS}) VALUES {}", placeholders(part.len(), 30));
        let mut q = sqlx::query(&sql);
        for b in part {
            let r = &b.record;
            q = q
                .bind(r.id.to_string())
                .bind(r.tracking_code.clone())
                .bind(r.body_id.to_string())
                .bind(r.offering_id.to_string())
                .bind(r.chain_version)
                .bind(r.variant_key.clone())
                .bind(r.channel.code())
                .bind(r.state.stage.clone())
                .bind(r.stage_unit_id.map(|u| u.to_string()))
                .bind(r.state.phase.code())
                .bind(r.state.outcome.map(|o| o.code()))
                .bind(i64::from(r.state.extensions))
                .bind(r.state.assignee.map(|a| a.to_string()))
                .bind(r.client.name.clone())
                .bind(r.client.email.clone())
                .bind(r.client.phone.clone())
                .bind(r.client.address.clone())
                .bind(r.subject.clone())
                .bind(r.fields_json.clone())
                .bind(r.created_at)
                .bind(r.stage_entered_at)
                .bind(r.stage_due_at)
                .bind(r.due_at)
                .bind(r.closed_at)
                .bind(r.paused_ms)
                .bind(r.paused_since)
                .bind(r.events)
                .bind(r.last_hash.clone())
                .bind(r.version)
                .bind(r.updated_at);
        }
        q.execute(&mut **tx).await.map_err(|e| StoreError::from_write(e, "request"))?;
    }
    // Events in rows of (request, seq, event, hash), then in statements of EVENT_ROWS.
    let mut rows = Vec::with_capacity(hashes.len());
    let mut h = hashes.iter();
    for b in batch {
        for (i, e) in b.events.iter().enumerate() {
            rows.push((b.record.id, i as i64 + 1, e, h.next().expect("one hash per event")));
        }
    }
    for part in rows.chunks(EVENT_ROWS) {
        let sql = format!(
            "INSERT INTO request_events (request_id, seq, at, kind, stage_key, to_stage, outcome, days, assignee_id, note, client_visible, actor, hash) \
             VALUES {}",
            placeholders(part.len(), 13)
        );
        let mut q = sqlx::query(&sql);
        for (id, seq, e, hash) in part {
            let f = &e.fact;
            q = q
                .bind(id.to_string())
                .bind(*seq)
                .bind(e.at)
                .bind(f.kind.code())
                .bind(f.stage.clone())
                .bind(f.to_stage.clone())
                .bind(f.outcome.map(|o| o.code()))
                .bind(f.days.map(i64::from))
                .bind(f.assignee.map(|a| a.to_string()))
                .bind(f.note.clone())
                .bind(i64::from(f.client_visible))
                .bind(e.actor)
                .bind((*hash).clone());
        }
        q.execute(&mut **tx).await?;
    }
    let ratings: Vec<&RatingRecord> = batch.iter().filter_map(|b| b.rating.as_ref()).collect();
    for part in ratings.chunks(RATING_ROWS) {
        let sql = format!("INSERT INTO request_ratings ({RATING_COLUMNS}) VALUES {}", placeholders(part.len(), 11));
        let mut q = sqlx::query(&sql);
        for r in part {
            q = q.bind(r.request_id.to_string()).bind(r.stage_key.clone());
            for s in r.scores {
                q = q.bind(s.map(i64::from));
            }
            q = q.bind(r.need_addressed.map(i64::from)).bind(r.comment.clone()).bind(r.created_at).bind(r.updated_at);
        }
        q.execute(&mut **tx).await.map_err(|e| StoreError::from_write(e, "rating"))?;
    }
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_every_row_and_column() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
