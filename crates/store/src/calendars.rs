//! A body's business calendar (migration 0008): its overlay on the federal production
//! calendar, its UTC offset and working hours, with an optimistic version.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::{finish, get_id, now_ms};
use crate::{Store, StoreError};
use okno_domain::Id;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A body's calendar as stored. The overlay is validated text; `work_start`/`work_end`
/// are «HH:MM», `None` for the default day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BodyCalendarRecord {
    pub body_id: Id,
    pub overlay_text: String,
    pub utc_offset_minutes: i64,
    pub work_start: Option<String>,
    pub work_end: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

/// What a save writes; the use case has validated it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BodyCalendarWrite {
    pub overlay_text: String,
    pub utc_offset_minutes: i64,
    pub work_start: Option<String>,
    pub work_end: Option<String>,
}

fn row(r: &AnyRow) -> Result<BodyCalendarRecord, StoreError> {
    Ok(BodyCalendarRecord {
        body_id: get_id(r, "body_id")?,
        overlay_text: r.try_get("overlay_text")?,
        utc_offset_minutes: r.try_get("utc_offset_minutes")?,
        work_start: r.try_get("work_start")?,
        work_end: r.try_get("work_end")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

impl Store {
    /// The body's calendar, or `None` while it keeps the federal one.
    pub async fn get_body_calendar(&self, body: Id) -> Result<Option<BodyCalendarRecord>, StoreError> {
        let r = sqlx::query(
            "SELECT body_id, overlay_text, utc_offset_minutes, work_start, work_end, version, updated_at \
             FROM body_calendars WHERE body_id = $1",
        )
        .bind(body.to_string())
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(row).transpose()
    }

    /// Only the version (0 when there is no row): one primary-key lookup, so a cache can
    /// check it is current on every use.
    pub async fn body_calendar_version(&self, body: Id) -> Result<i64, StoreError> {
        let r =
            sqlx::query("SELECT version FROM body_calendars WHERE body_id = $1").bind(body.to_string()).fetch_optional(&self.pool).await?;
        Ok(match r {
            Some(r) => r.try_get("version")?,
            None => 0,
        })
    }

    /// Saves the calendar if it is still at `expected` (0: the body has none yet), with
    /// its audit entry in the same transaction; returns the new version. Someone else's
    /// save in between is `Stale`, on any number of nodes: the insert does nothing when a
    /// row appeared, the update matches no row when the version moved.
    pub async fn save_body_calendar(
        &self,
        body: Id,
        cal: &BodyCalendarWrite,
        expected: i64,
        trail: &Trail,
        change: &Change,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            // Both statements take the same six values; the update also the version read.
            let q = if expected == 0 {
                sqlx::query(
                    "INSERT INTO body_calendars (body_id, overlay_text, utc_offset_minutes, work_start, work_end, version, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (body_id) DO NOTHING",
                )
            } else {
                sqlx::query(
                    "UPDATE body_calendars SET overlay_text = $2, utc_offset_minutes = $3, work_start = $4, work_end = $5, \
                     version = version + 1, updated_at = $6 WHERE body_id = $1 AND version = $7",
                )
            };
            let q = q
                .bind(body.to_string())
                .bind(&cal.overlay_text)
                .bind(cal.utc_offset_minutes)
                .bind(cal.work_start.clone())
                .bind(cal.work_end.clone())
                .bind(now);
            let q = if expected == 0 { q } else { q.bind(expected) };
            let r = q.execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, "body calendar"))?;
            if r.rows_affected() == 0 {
                return Err(StoreError::Stale);
            }
            // The calendar is part of the body's record: its entries sit with the body's.
            append(&mut tx, trail, Entry { action: "body.calendar", entity: "body", entity_id: Some(body), body_id: Some(body), change })
                .await?;
            Ok(expected + 1)
        }
        .await;
        finish(tx, result).await
    }
}
