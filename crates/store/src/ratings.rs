//! Client feedback (migration 0009): ratings per request and stage, the one-time links
//! mailed to invite them (only a SHA-256 of each token is kept), and the follow-ups a
//! negative rating opens for the service owner.
//!
//! A rating and its follow-up are written in one transaction, with the link that was used
//! (if any) marked used in it too: of two posts through one link exactly one wins.
//! Closing a follow-up bumps the request's version (the row lock, as a move does) and
//! appends a `commented` event to the request's hash chain in the same transaction.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::{finish, get_id, now_ms};
use crate::requests::{append_events, request_row, COLUMNS};
use crate::{Store, StoreError};
use okno_domain::request::{EventKind, Fact};
use okno_domain::Id;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored rating. `stage_key` is empty for the whole request; scores in the order of
/// `okno_domain::rating::Criterion::ALL`.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct RatingRecord {
    pub request_id: Id,
    pub stage_key: String,
    pub scores: [Option<u8>; 5],
    pub need_addressed: Option<bool>,
    /// The client's words: personal data.
    pub comment: String,
    pub created_at: i64,
    pub updated_at: i64,
}

// By hand: a rating printed in a log or a failed assertion shows no comment.
impl std::fmt::Debug for RatingRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RatingRecord")
            .field("request_id", &self.request_id)
            .field("stage_key", &self.stage_key)
            .field("scores", &self.scores)
            .finish_non_exhaustive()
    }
}

/// A rating without the client's words: what analytics reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingFacts {
    pub request_id: Id,
    /// Empty for the whole request.
    pub stage_key: String,
    pub scores: [Option<u8>; 5],
    pub need_addressed: Option<bool>,
    pub updated_at: i64,
}

/// What the audit trail keeps of a rating: the scores, never the client's comment.
#[derive(serde::Serialize)]
struct RatingSnapshot<'a> {
    stage_key: &'a str,
    scores: [Option<u8>; 5],
    need_addressed: Option<bool>,
    has_comment: bool,
}

impl<'a> From<&'a RatingRecord> for RatingSnapshot<'a> {
    fn from(r: &'a RatingRecord) -> Self {
        RatingSnapshot { stage_key: &r.stage_key, scores: r.scores, need_addressed: r.need_addressed, has_comment: !r.comment.is_empty() }
    }
}

async fn audit_rating(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    trail: &Trail,
    action: &str,
    body: Id,
    before: Option<&RatingRecord>,
    after: &RatingRecord,
) -> Result<(), StoreError> {
    let request = after.request_id;
    let after = RatingSnapshot::from(after);
    let change = match before {
        Some(b) => Change::updated(&RatingSnapshot::from(b), &after),
        None => Change::created(&after),
    };
    append(tx, trail, Entry { action, entity: "request", entity_id: Some(request), body_id: Some(body), change: &change }).await
}

/// A one-time feedback link as stored (its token's hash, never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackLinkRecord {
    pub token_hash: String,
    pub request_id: Id,
    pub stage_key: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A follow-up opened by a negative rating.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FollowupRecord {
    pub id: Id,
    pub request_id: Id,
    pub body_id: Id,
    pub stage_key: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub note: String,
}

pub(crate) const RATING_COLUMNS: &str =
    "request_id, stage_key, score_time, score_waiting, score_politeness, score_comfort, score_information, \
                              need_addressed, comment, created_at, updated_at";
const FOLLOWUP_COLUMNS: &str = "id, request_id, body_id, stage_key, opened_at, closed_at, closed_by, note";
const SCORE_COLUMNS: [&str; 5] = ["score_time", "score_waiting", "score_politeness", "score_comfort", "score_information"];

fn scores(r: &AnyRow) -> Result<[Option<u8>; 5], StoreError> {
    let mut out = [None; 5];
    for (i, c) in SCORE_COLUMNS.iter().enumerate() {
        let v: Option<i64> = r.try_get(*c)?;
        out[i] = match v {
            None => None,
            Some(n @ 1..=5) => Some(n as u8),
            Some(_) => return Err(StoreError::Corrupt("score")),
        };
    }
    Ok(out)
}

fn rating_row(r: &AnyRow) -> Result<RatingRecord, StoreError> {
    Ok(RatingRecord {
        request_id: get_id(r, "request_id")?,
        stage_key: r.try_get("stage_key")?,
        scores: scores(r)?,
        need_addressed: r.try_get::<Option<i64>, _>("need_addressed")?.map(|v| v != 0),
        comment: r.try_get("comment")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn followup_row(r: &AnyRow) -> Result<FollowupRecord, StoreError> {
    Ok(FollowupRecord {
        id: get_id(r, "id")?,
        request_id: get_id(r, "request_id")?,
        body_id: get_id(r, "body_id")?,
        stage_key: r.try_get("stage_key")?,
        opened_at: r.try_get("opened_at")?,
        closed_at: r.try_get("closed_at")?,
        closed_by: r.try_get("closed_by")?,
        note: r.try_get("note")?,
    })
}

/// Binds `$1`…`$9` as both writes of a rating use them: request, stage, the five scores,
/// need addressed, comment.
fn bind_rating<'q>(q: AnyQuery<'q>, r: &'q RatingRecord) -> AnyQuery<'q> {
    let mut q = q.bind(r.request_id.to_string()).bind(&r.stage_key);
    for s in r.scores {
        q = q.bind(score_bind(s));
    }
    q.bind(r.need_addressed.map(i64::from)).bind(&r.comment)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn score_bind(v: Option<u8>) -> Option<i64> {
    v.map(i64::from)
}

/// Opens a follow-up for the rating's stage unless one is open already.
async fn open_followup(tx: &mut sqlx::Transaction<'_, sqlx::Any>, r: &RatingRecord, body: Id, at: i64) -> Result<(), StoreError> {
    let open: i64 = sqlx::query("SELECT COUNT(*) AS n FROM followups WHERE request_id = $1 AND stage_key = $2 AND closed_at IS NULL")
        .bind(r.request_id.to_string())
        .bind(&r.stage_key)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
    if open == 0 {
        sqlx::query("INSERT INTO followups (id, request_id, body_id, stage_key, opened_at, note) VALUES ($1, $2, $3, $4, $5, '')")
            .bind(Id::new().to_string())
            .bind(r.request_id.to_string())
            .bind(body.to_string())
            .bind(&r.stage_key)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Stores one-time links (their hashes) for a request's stages.
    pub async fn add_feedback_links(&self, links: &[FeedbackLinkRecord]) -> Result<(), StoreError> {
        if links.is_empty() {
            return Ok(());
        }
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            for l in links {
                sqlx::query(
                    "INSERT INTO feedback_links (token_hash, request_id, stage_key, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)",
                )
                .bind(&l.token_hash)
                .bind(l.request_id.to_string())
                .bind(&l.stage_key)
                .bind(l.created_at)
                .bind(l.expires_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "feedback link"))?;
            }
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    pub async fn feedback_link(&self, token_hash: &str) -> Result<Option<FeedbackLinkRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT token_hash, request_id, stage_key, created_at, expires_at, used_at FROM feedback_links WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(FeedbackLinkRecord {
                token_hash: r.try_get("token_hash")?,
                request_id: get_id(&r, "request_id")?,
                stage_key: r.try_get("stage_key")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
                used_at: r.try_get("used_at")?,
            })
        })
        .transpose()
    }

    /// Every rating of one request, the whole request first, then by stage key.
    pub async fn request_ratings(&self, request: Id) -> Result<Vec<RatingRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {RATING_COLUMNS} FROM request_ratings WHERE request_id = $1 ORDER BY stage_key"))
            .bind(request.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rating_row).collect()
    }

    /// Adds a new rating. `Duplicate("rating")` when the stage is rated already; `Stale`
    /// when `link` (a token hash) was used meanwhile. With `followup_body`, a follow-up is
    /// opened for that body's service owner in the same transaction.
    pub async fn add_rating(
        &self,
        r: &RatingRecord,
        link: Option<&str>,
        body: Id,
        followup_body: Option<Id>,
        trail: &Trail,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            if let Some(hash) = link {
                let used = sqlx::query("UPDATE feedback_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                    .bind(hash)
                    .bind(r.created_at)
                    .execute(&mut *tx)
                    .await?;
                if used.rows_affected() == 0 {
                    return Err(StoreError::Stale);
                }
            }
            let insert = format!("INSERT INTO request_ratings ({RATING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
            bind_rating(sqlx::query(&insert), r)
                .bind(r.created_at)
                .bind(r.updated_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "rating"))?;
            if let Some(body) = followup_body {
                open_followup(&mut tx, r, body, r.created_at).await?;
            }
            audit_rating(&mut tx, trail, "request.rating.add", body, None, r).await
        }
        .await;
        finish(tx, result).await
    }

    /// Changes a rating given at or after `not_before` (the edit window); `NotFound` when
    /// there is none, `Stale` when it is older (locked).
    pub async fn update_rating(
        &self,
        r: &RatingRecord,
        not_before: i64,
        body: Id,
        followup_body: Option<Id>,
        trail: &Trail,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let before = sqlx::query(&format!("SELECT {RATING_COLUMNS} FROM request_ratings WHERE request_id = $1 AND stage_key = $2"))
                .bind(r.request_id.to_string())
                .bind(&r.stage_key)
                .fetch_optional(&mut *tx)
                .await?;
            let before = before.as_ref().map(rating_row).transpose()?;
            let done = bind_rating(
                sqlx::query(
                    "UPDATE request_ratings SET score_time = $3, score_waiting = $4, score_politeness = $5, score_comfort = $6, \
                     score_information = $7, need_addressed = $8, comment = $9, updated_at = $10 \
                     WHERE request_id = $1 AND stage_key = $2 AND created_at >= $11",
                ),
                r,
            )
            .bind(r.updated_at)
            .bind(not_before)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                let exists: i64 = sqlx::query("SELECT COUNT(*) AS n FROM request_ratings WHERE request_id = $1 AND stage_key = $2")
                    .bind(r.request_id.to_string())
                    .bind(&r.stage_key)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("n")?;
                return Err(if exists == 0 { StoreError::NotFound } else { StoreError::Stale });
            }
            if let Some(body) = followup_body {
                open_followup(&mut tx, r, body, r.updated_at).await?;
            }
            audit_rating(&mut tx, trail, "request.rating.change", body, before.as_ref(), r).await
        }
        .await;
        finish(tx, result).await
    }

    /// Follow-ups of one body, newest first; only the open ones with `open_only`.
    pub async fn followups(&self, body: Id, open_only: bool, limit: i64) -> Result<Vec<FollowupRecord>, StoreError> {
        let open = if open_only { " AND closed_at IS NULL" } else { "" };
        let rows =
            sqlx::query(&format!("SELECT {FOLLOWUP_COLUMNS} FROM followups WHERE body_id = $1{open} ORDER BY opened_at DESC, id LIMIT $2"))
                .bind(body.to_string())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(followup_row).collect()
    }

    pub async fn open_followup_count(&self, body: Id) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM followups WHERE body_id = $1 AND closed_at IS NULL")
            .bind(body.to_string())
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    pub async fn request_followups(&self, request: Id) -> Result<Vec<FollowupRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {FOLLOWUP_COLUMNS} FROM followups WHERE request_id = $1 ORDER BY opened_at, id"))
            .bind(request.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(followup_row).collect()
    }

    /// Closes a request's open follow-ups with `note` and appends a `commented` event
    /// saying so, in one transaction. `Ok(false)` (nothing written) when none is open;
    /// `NotFound` for no such request.
    pub async fn close_followups(&self, request: Id, note: &str, event_note: &str, actor: &str) -> Result<bool, StoreError> {
        let at = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result: Result<bool, StoreError> = async {
            // The row lock first, as a move takes it: the event chain cannot fork.
            let bumped = sqlx::query("UPDATE requests SET version = version + 1, updated_at = $2 WHERE id = $1")
                .bind(request.to_string())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            if bumped.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let closed =
                sqlx::query("UPDATE followups SET closed_at = $2, closed_by = $3, note = $4 WHERE request_id = $1 AND closed_at IS NULL")
                    .bind(request.to_string())
                    .bind(at)
                    .bind(actor)
                    .bind(note)
                    .execute(&mut *tx)
                    .await?;
            if closed.rows_affected() == 0 {
                return Ok(false);
            }
            let row =
                sqlx::query(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1")).bind(request.to_string()).fetch_one(&mut *tx).await?;
            let r = request_row(&row)?;
            let fact = Fact {
                kind: EventKind::Commented,
                stage: r.state.stage.clone(),
                to_stage: None,
                outcome: None,
                days: None,
                assignee: None,
                note: event_note.to_string(),
                client_visible: false,
            };
            let (events, hash) = append_events(&mut tx, &r, std::slice::from_ref(&fact), at, actor).await?;
            sqlx::query("UPDATE requests SET events = $2, last_hash = $3 WHERE id = $1")
                .bind(request.to_string())
                .bind(events)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            Ok(true)
        }
        .await;
        match result {
            // Nothing to close: roll back the version bump too.
            Ok(false) => finish(tx, Err(StoreError::NotFound)).await.or(Ok(false)),
            other => finish(tx, other).await,
        }
    }

    /// Open follow-ups of a body per offering (offerings without any are left out).
    pub async fn open_followups_by_offering(&self, body: Id) -> Result<Vec<(Id, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.offering_id, COUNT(*) AS n FROM followups f JOIN requests r ON r.id = f.request_id \
             WHERE f.body_id = $1 AND f.closed_at IS NULL GROUP BY r.offering_id",
        )
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((get_id(r, "offering_id")?, r.try_get("n")?))).collect()
    }

    /// How many ratings there are and when the newest change was (the count reads a whole
    /// index: tens of milliseconds on hundreds of thousands of ratings).
    pub async fn ratings_stamp(&self) -> Result<(i64, i64), StoreError> {
        let r =
            sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS latest FROM request_ratings").fetch_one(&self.pool).await?;
        Ok((r.try_get("n")?, r.try_get("latest")?))
    }

    /// When the newest rating was given or changed (0 with none): one index lookup.
    pub async fn ratings_latest(&self) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COALESCE(MAX(updated_at), 0) AS latest FROM request_ratings").fetch_one(&self.pool).await?;
        Ok(r.try_get("latest")?)
    }

    /// Ratings written or edited at or after `since` (UTC ms; `i64::MIN` for all), for the
    /// analytics loader: scores and whether the need was addressed, never the comment.
    pub async fn ratings_since(&self, since: i64) -> Result<Vec<RatingFacts>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT request_id, stage_key, {}, need_addressed, updated_at FROM request_ratings WHERE updated_at >= $1 \
             ORDER BY request_id, stage_key",
            SCORE_COLUMNS.join(", ")
        ))
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RatingFacts {
                    request_id: get_id(r, "request_id")?,
                    stage_key: r.try_get("stage_key")?,
                    scores: scores(r)?,
                    need_addressed: r.try_get::<Option<i64>, _>("need_addressed")?.map(|v| v != 0),
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }
}
