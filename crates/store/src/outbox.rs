//! The outbox: e-mail queued durably, and the record of deadline alerts already queued.
//!
//! Mails about a request are inserted in the request's own transaction
//! (`create_request`, `save_move` take `&[NewMail]`), so a committed change always has its
//! mail and a rolled-back one never does. A sender (in `app`) reads due rows, claims each
//! with a compare-and-set on `next_attempt_at` (portable, unlike `FOR UPDATE SKIP
//! LOCKED`), so two nodes never send the same row at once, then marks it sent or backs
//! off. Addresses and bodies are personal data: nothing here logs them, and `Debug`
//! prints neither.

use crate::db::{finish, get_id, get_opt_id};
use crate::{Store, StoreError};
use okno_domain::Id;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A mail to queue.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// What the mail is about, e.g. `request_created`, `request_changed`, `deadlines`.
    pub kind: String,
    pub request_id: Option<Id>,
}

impl std::fmt::Debug for NewMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMail").field("kind", &self.kind).field("request_id", &self.request_id).finish_non_exhaustive()
    }
}

/// A queued mail as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: Id,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub request_id: Option<Id>,
    pub created_at: i64,
    /// Tries so far, successful or not.
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    /// Set when the sender gave up; the row stays for an operator to see.
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

impl std::fmt::Debug for OutboxMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMail")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("sent_at", &self.sent_at)
            .field("failed_at", &self.failed_at)
            .finish_non_exhaustive()
    }
}

/// How many mails are waiting, sent, and given up on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

/// An open request whose deadline passed or is near, not yet alerted for this stage, due
/// date and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineCandidate {
    pub request_id: Id,
    pub tracking_code: String,
    pub body_id: Id,
    pub offering_id: Id,
    pub chain_version: i64,
    pub variant_key: String,
    pub stage_key: String,
    /// The stage's due date, or the whole term's when the stage has none.
    pub due_at: i64,
    pub overdue: bool,
}

const MAIL_COLUMNS: &str =
    "id, to_address, subject, body, kind, request_id, created_at, attempts, next_attempt_at, sent_at, failed_at, last_error";

fn mail_row(r: &AnyRow) -> Result<OutboxMail, StoreError> {
    Ok(OutboxMail {
        id: get_id(r, "id")?,
        to: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        kind: r.try_get("kind")?,
        request_id: get_opt_id(r, "request_id")?,
        created_at: r.try_get("created_at")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        sent_at: r.try_get("sent_at")?,
        failed_at: r.try_get("failed_at")?,
        last_error: r.try_get("last_error")?,
    })
}

fn candidate_row(r: &AnyRow, overdue: bool) -> Result<DeadlineCandidate, StoreError> {
    Ok(DeadlineCandidate {
        request_id: get_id(r, "id")?,
        tracking_code: r.try_get("tracking_code")?,
        body_id: get_id(r, "body_id")?,
        offering_id: get_id(r, "offering_id")?,
        chain_version: r.try_get("chain_version")?,
        variant_key: r.try_get("variant_key")?,
        stage_key: r.try_get("stage_key")?,
        due_at: r.try_get("due")?,
        overdue,
    })
}

/// Inserts mails inside the caller's transaction, due at once.
pub(crate) async fn insert_mails(tx: &mut Transaction<'_, Any>, mails: &[NewMail], at: i64) -> Result<(), StoreError> {
    for m in mails {
        sqlx::query(
            "INSERT INTO outbox (id, to_address, subject, body, kind, request_id, created_at, attempts, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7)",
        )
        .bind(Id::new().to_string())
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(&m.kind)
        .bind(m.request_id.map(|r| r.to_string()))
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Queues mails on their own (those not tied to a change of a request).
    pub async fn queue_mails(&self, mails: &[NewMail], at: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = insert_mails(&mut tx, mails, at).await;
        finish(tx, result).await
    }

    /// Mails due for a try at `now`, oldest first.
    pub async fn due_mails(&self, now: i64, limit: i64) -> Result<Vec<OutboxMail>, StoreError> {
        let sql = format!(
            "SELECT {MAIL_COLUMNS} FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2"
        );
        let rows = sqlx::query(&sql).bind(now).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(mail_row).collect()
    }

    /// Claims a mail for one sender: moves its next try to `lease_until` if it is still
    /// `seen` (the value read with it). `false` when another sender got there first.
    pub async fn claim_mail(&self, id: Id, seen: i64, lease_until: i64) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $3 WHERE id = $1 AND next_attempt_at = $2 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(id.to_string())
        .bind(seen)
        .bind(lease_until)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn mark_mail_sent(&self, id: Id, at: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1 AND sent_at IS NULL")
            .bind(id.to_string())
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed try: the next one at `next_attempt_at`, or none (`give_up`).
    pub async fn mark_mail_failed(&self, id: Id, error: &str, next_attempt_at: i64, give_up: Option<i64>) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let error: String = error.chars().take(1000).collect();
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, failed_at = $4 \
             WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id.to_string())
        .bind(error)
        .bind(next_attempt_at)
        .bind(give_up)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_mail(&self, id: Id) -> Result<OutboxMail, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE id = $1");
        let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        mail_row(&row)
    }

    /// Every mail about one request, in the order queued.
    pub async fn request_mails(&self, request: Id) -> Result<Vec<OutboxMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE request_id = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql).bind(request.to_string()).fetch_all(&self.pool).await?;
        rows.iter().map(mail_row).collect()
    }

    /// Mails the sender gave up on, newest first.
    pub async fn failed_mails(&self, limit: i64) -> Result<Vec<OutboxMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id LIMIT $1");
        let rows = sqlx::query(&sql).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(mail_row).collect()
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        // COUNT, not SUM: PostgreSQL sums BIGINTs into NUMERIC, which `Any` cannot read.
        let row = sqlx::query(
            "SELECT COUNT(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 END) AS queued, \
             COUNT(CASE WHEN sent_at IS NOT NULL THEN 1 END) AS sent, \
             COUNT(CASE WHEN failed_at IS NOT NULL THEN 1 END) AS failed FROM outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(OutboxCounts { queued: row.try_get("queued")?, sent: row.try_get("sent")?, failed: row.try_get("failed")? })
    }

    /// Open requests overdue at `now` (due before it) or due soon (before `soon`), not yet
    /// alerted for their current stage, due date and kind; the soonest first, at most
    /// `limit` of each kind. Waiting and suspended requests are left out: their clock stands.
    pub async fn deadline_candidates(&self, now: i64, soon: i64, limit: i64) -> Result<Vec<DeadlineCandidate>, StoreError> {
        let query = |cond: &str, kind: &str, limit: &str| {
            format!(
                "SELECT id, tracking_code, body_id, offering_id, chain_version, variant_key, stage_key, \
                 COALESCE(stage_due_at, due_at) AS due FROM requests r \
                 WHERE phase = 'open' AND COALESCE(stage_due_at, due_at) IS NOT NULL AND {cond} \
                 AND NOT EXISTS (SELECT 1 FROM deadline_alerts a WHERE a.request_id = r.id AND a.stage_key = r.stage_key \
                 AND a.due_at = COALESCE(r.stage_due_at, r.due_at) AND a.kind = '{kind}') \
                 ORDER BY COALESCE(stage_due_at, due_at), id LIMIT {limit}"
            )
        };
        let mut out = Vec::new();
        let overdue = query("COALESCE(stage_due_at, due_at) < $1", "overdue", "$2");
        for r in sqlx::query(&overdue).bind(now).bind(limit).fetch_all(&self.pool).await? {
            out.push(candidate_row(&r, true)?);
        }
        let due_soon = query("COALESCE(stage_due_at, due_at) >= $1 AND COALESCE(stage_due_at, due_at) < $2", "due_soon", "$3");
        for r in sqlx::query(&due_soon).bind(now).bind(soon).bind(limit).fetch_all(&self.pool).await? {
            out.push(candidate_row(&r, false)?);
        }
        Ok(out)
    }

    /// E-mail addresses of the active accounts that work a body's requests: an `executor`
    /// or `unit_head` role in that body or in every body. Sorted, without repeats.
    pub async fn deadline_recipients(&self, body: Id) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT a.email FROM accounts a JOIN account_roles g ON g.account_id = a.id \
             WHERE a.disabled_at IS NULL AND g.role IN ('executor', 'unit_head') AND (g.body_id = $1 OR g.body_id IS NULL) \
             ORDER BY a.email",
        )
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("email")?)).collect()
    }

    /// Records the alerts and queues their mails in one transaction. `false` (and nothing
    /// written) when another sweep recorded one of them first.
    pub async fn record_deadline_alerts(&self, alerts: &[DeadlineCandidate], mails: &[NewMail], at: i64) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            for c in alerts {
                sqlx::query("INSERT INTO deadline_alerts (request_id, stage_key, due_at, kind, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(c.request_id.to_string())
                    .bind(&c.stage_key)
                    .bind(c.due_at)
                    .bind(if c.overdue { "overdue" } else { "due_soon" })
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, "deadline alert"))?;
            }
            insert_mails(&mut tx, mails, at).await
        }
        .await;
        match finish(tx, result).await {
            Ok(()) => Ok(true),
            Err(StoreError::Duplicate(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
