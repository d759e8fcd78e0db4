//! What an offering's transactions cost (migration 0011): amounts entered per period by
//! the service owner, for the GOV.UK "cost per transaction" figure. Each entry and each
//! removal is written with its audit entry in one transaction.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::{finish, get_id, now_ms};
use crate::{Store, StoreError};
use okno_domain::Id;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A cost entry as stored. The period is `[period_from, period_to)`, UTC midnights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CostRecord {
    pub id: Id,
    pub offering_id: Id,
    pub period_from: i64,
    pub period_to: i64,
    pub amount_kopecks: i64,
    pub note: String,
    pub entered_at: i64,
}

const COLUMNS: &str = "id, offering_id, period_from, period_to, amount_kopecks, note, entered_at";

fn row(r: &AnyRow) -> Result<CostRecord, StoreError> {
    Ok(CostRecord {
        id: get_id(r, "id")?,
        offering_id: get_id(r, "offering_id")?,
        period_from: r.try_get("period_from")?,
        period_to: r.try_get("period_to")?,
        amount_kopecks: r.try_get("amount_kopecks")?,
        note: r.try_get("note")?,
        entered_at: r.try_get("entered_at")?,
    })
}

impl Store {
    /// Adds a cost entry (validated by the use case) with its audit entry.
    pub async fn add_cost(
        &self,
        offering: Id,
        body: Id,
        period: (i64, i64),
        amount_kopecks: i64,
        note: &str,
        trail: &Trail,
    ) -> Result<CostRecord, StoreError> {
        let rec = CostRecord {
            id: Id::new(),
            offering_id: offering,
            period_from: period.0,
            period_to: period.1,
            amount_kopecks,
            note: note.to_string(),
            entered_at: now_ms(),
        };
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            sqlx::query(&format!("INSERT INTO offering_costs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
                .bind(rec.id.to_string())
                .bind(offering.to_string())
                .bind(rec.period_from)
                .bind(rec.period_to)
                .bind(rec.amount_kopecks)
                .bind(&rec.note)
                .bind(rec.entered_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "offering cost"))?;
            let change = Change::created(&rec);
            append(
                &mut tx,
                trail,
                Entry { action: "offering.cost.add", entity: "offering", entity_id: Some(offering), body_id: Some(body), change: &change },
            )
            .await?;
            Ok(rec)
        }
        .await;
        finish(tx, result).await
    }

    /// Removes a cost entry of this offering; `NotFound` when there is none.
    pub async fn delete_cost(&self, offering: Id, body: Id, cost: Id, trail: &Trail) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let before = sqlx::query(&format!("SELECT {COLUMNS} FROM offering_costs WHERE id = $1 AND offering_id = $2"))
                .bind(cost.to_string())
                .bind(offering.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            let before = before.as_ref().map(row).transpose()?.ok_or(StoreError::NotFound)?;
            sqlx::query("DELETE FROM offering_costs WHERE id = $1").bind(cost.to_string()).execute(&mut *tx).await?;
            let change = Change::deleted(&before);
            append(
                &mut tx,
                trail,
                Entry {
                    action: "offering.cost.delete",
                    entity: "offering",
                    entity_id: Some(offering),
                    body_id: Some(body),
                    change: &change,
                },
            )
            .await?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    /// How many requests of the offering were created in `[from, to)` (an index range).
    pub async fn requests_created(&self, offering: Id, from: i64, to: i64) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM requests WHERE offering_id = $1 AND created_at >= $2 AND created_at < $3")
            .bind(offering.to_string())
            .bind(from)
            .bind(to)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("n")?)
    }

    /// The cost entries of these offerings that overlap `[from, to)`, oldest period first.
    pub async fn costs(&self, offerings: &[Id], from: i64, to: i64) -> Result<Vec<CostRecord>, StoreError> {
        if offerings.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (0..offerings.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM offering_costs WHERE period_to > $1 AND period_from < $2 AND offering_id IN ({}) \
             ORDER BY period_from, entered_at",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(from).bind(to);
        for o in offerings {
            q = q.bind(o.to_string());
        }
        q.fetch_all(&self.pool).await?.iter().map(row).collect()
    }
}
