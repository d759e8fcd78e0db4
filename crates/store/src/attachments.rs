//! Files attached to requests (migration 0007): the bytes are stored in the database, so
//! a backup holds them and every node sees them.
//!
//! Adding a file is one transaction on the request's row, like a move: the request's
//! `version` goes up first (on PostgreSQL that UPDATE takes the row lock, so concurrent
//! uploads and moves of one request line up, on any number of nodes), then the limits are
//! checked against what is committed, the file is inserted, and a `commented` event saying
//! so is appended to the request's hash-chained history. A refused file leaves nothing.
//! File names and contents are personal data: nothing here logs them, and `Debug` prints
//! neither.

use crate::db::{get_id, now_ms};
use crate::requests::{append_events, request_row, COLUMNS};
use crate::{Store, StoreError};
use okno_domain::request::{EventKind, Fact, Phase};
use okno_domain::Id;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A file to store, already checked by the caller (type, size, name).
pub struct NewAttachment<'a> {
    pub request_id: Id,
    pub name: &'a str,
    pub media_type: &'a str,
    pub content: &'a [u8],
    /// SHA-256 of `content`, hex.
    pub sha256: &'a str,
    /// `client`, or the staff actor's label; also the event's actor.
    pub uploaded_by: &'a str,
    pub client_visible: bool,
    /// The history's note, e.g. «Приложен файл «скан.pdf» (1,2 МБ)».
    pub note: &'a str,
    /// Refused with `TooMany` when the request already has this many files.
    pub max_files: i64,
    /// When set, refused with `PhaseNotAllowed` unless the request is in one of these.
    pub phases: Option<&'a [Phase]>,
}

/// A stored file, without its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct AttachmentRecord {
    pub id: Id,
    pub request_id: Id,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub client_visible: bool,
    pub created_at: i64,
}

// By hand: a file printed for a log or a failed assertion shows no name.
impl std::fmt::Debug for AttachmentRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentRecord")
            .field("id", &self.id)
            .field("request_id", &self.request_id)
            .field("media_type", &self.media_type)
            .field("size", &self.size)
            .field("client_visible", &self.client_visible)
            .finish_non_exhaustive()
    }
}

/// What became of a file to add.
#[derive(Debug)]
pub enum AttachOutcome {
    Added(AttachmentRecord),
    /// The request already has `max_files` files.
    TooMany,
    /// The request is in this phase, which the caller did not allow.
    PhaseNotAllowed(Phase),
}

const META: &str = "id, request_id, name, media_type, size, sha256, uploaded_by, client_visible, created_at";

fn attachment_row(r: &AnyRow) -> Result<AttachmentRecord, StoreError> {
    Ok(AttachmentRecord {
        id: get_id(r, "id")?,
        request_id: get_id(r, "request_id")?,
        name: r.try_get("name")?,
        media_type: r.try_get("media_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        client_visible: r.try_get::<i64, _>("client_visible")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Stores a file on a request and records it in the request's history, in one
    /// transaction that also bumps the request's version. `NotFound` for no such request.
    pub async fn add_attachment(&self, a: &NewAttachment<'_>) -> Result<AttachOutcome, StoreError> {
        let at = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result: Result<AttachOutcome, StoreError> = async {
            // First the row lock: later statements see what the last writer committed.
            let bumped = sqlx::query("UPDATE requests SET version = version + 1, updated_at = $2 WHERE id = $1")
                .bind(a.request_id.to_string())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            if bumped.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row = sqlx::query(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"))
                .bind(a.request_id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            let request = request_row(&row)?;
            if a.phases.is_some_and(|allowed| !allowed.contains(&request.state.phase)) {
                return Ok(AttachOutcome::PhaseNotAllowed(request.state.phase));
            }
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM request_attachments WHERE request_id = $1")
                .bind(a.request_id.to_string())
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n >= a.max_files {
                return Ok(AttachOutcome::TooMany);
            }
            let record = AttachmentRecord {
                id: Id::new(),
                request_id: a.request_id,
                name: a.name.to_string(),
                media_type: a.media_type.to_string(),
                size: a.content.len() as i64,
                sha256: a.sha256.to_string(),
                uploaded_by: a.uploaded_by.to_string(),
                client_visible: a.client_visible,
                created_at: at,
            };
            sqlx::query(&format!("INSERT INTO request_attachments ({META}, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
                .bind(record.id.to_string())
                .bind(record.request_id.to_string())
                .bind(&record.name)
                .bind(&record.media_type)
                .bind(record.size)
                .bind(&record.sha256)
                .bind(&record.uploaded_by)
                .bind(i64::from(record.client_visible))
                .bind(record.created_at)
                .bind(a.content)
                .execute(&mut *tx)
                .await?;
            let fact = Fact {
                kind: EventKind::Commented,
                stage: request.state.stage.clone(),
                to_stage: None,
                outcome: None,
                days: None,
                assignee: None,
                note: a.note.to_string(),
                client_visible: a.client_visible,
            };
            let (events, hash) = append_events(&mut tx, &request, &[fact], at, a.uploaded_by).await?;
            sqlx::query("UPDATE requests SET events = $2, last_hash = $3 WHERE id = $1")
                .bind(a.request_id.to_string())
                .bind(events)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            Ok(AttachOutcome::Added(record))
        }
        .await;
        // Only an added file commits; a refusal rolls the version bump back too.
        match result {
            Ok(AttachOutcome::Added(record)) => {
                tx.commit().await?;
                Ok(AttachOutcome::Added(record))
            }
            other => {
                let _ = tx.rollback().await;
                other
            }
        }
    }

    /// A request's files, oldest first, without their bytes.
    pub async fn list_attachments(&self, request: Id) -> Result<Vec<AttachmentRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {META} FROM request_attachments WHERE request_id = $1 ORDER BY created_at, id"))
            .bind(request.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(attachment_row).collect()
    }

    /// One file of a request with its bytes; `NotFound` when the request has no such file.
    pub async fn get_attachment(&self, request: Id, id: Id) -> Result<(AttachmentRecord, Vec<u8>), StoreError> {
        let row = sqlx::query(&format!("SELECT {META}, content FROM request_attachments WHERE request_id = $1 AND id = $2"))
            .bind(request.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((attachment_row(&row)?, row.try_get("content")?))
    }

    /// How many files a request has.
    pub async fn count_attachments(&self, request: Id) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM request_attachments WHERE request_id = $1")
            .bind(request.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Deletes every file of a request (erasing a client's personal data); returns how
    /// many. The history keeps its «Приложен файл» events, whose hashes cover them.
    pub async fn delete_request_attachments(&self, request: Id) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let done =
            sqlx::query("DELETE FROM request_attachments WHERE request_id = $1").bind(request.to_string()).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}
