//! The plain-language score of every text staff sent to a client, and its averages per
//! offering and per unit — document clarity beside the centricity index.

use crate::{Store, StoreError};
use okno_domain::Id;
use sqlx::Row;

/// One scored text.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseScore {
    pub request_id: Id,
    /// The request's version after the move that sent the text.
    pub version: i64,
    /// The move that carried it: ask_client, notify_client, extend, close.
    pub kind: String,
    /// 0–10, higher is plainer.
    pub score: f64,
    pub words: i64,
    pub findings: i64,
    pub checked_at: i64,
}

/// Averages over a group of texts (an offering, a unit).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ClarityGroup {
    pub id: String,
    pub name: String,
    pub texts: i64,
    /// Mean score, 0–10.
    pub mean_score: f64,
    /// Mean findings per 100 words.
    pub findings_per_100_words: f64,
}

impl Store {
    pub async fn save_response_score(&self, s: &ResponseScore) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO response_clarity (request_id, version, kind, score_centi, words, findings, checked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(s.request_id.to_string())
        .bind(s.version)
        .bind(&s.kind)
        .bind((s.score * 100.0).round() as i64)
        .bind(s.words)
        .bind(s.findings)
        .bind(s.checked_at)
        .execute(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "response score"))?;
        Ok(())
    }

    /// The scores of one request's texts, by version.
    pub async fn response_scores(&self, request: Id) -> Result<Vec<ResponseScore>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, kind, score_centi, words, findings, checked_at FROM response_clarity WHERE request_id = $1 ORDER BY version",
        )
        .bind(request.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ResponseScore {
                    request_id: request,
                    version: r.try_get("version")?,
                    kind: r.try_get("kind")?,
                    score: r.try_get::<i64, _>("score_centi")? as f64 / 100.0,
                    words: r.try_get("words")?,
                    findings: r.try_get("findings")?,
                    checked_at: r.try_get("checked_at")?,
                })
            })
            .collect()
    }

    /// Mean clarity of texts sent in [from, to) in one body, per offering or per unit
    /// (the unit the request was at when the text went out is not kept; the request's
    /// current stage unit stands for it).
    pub async fn clarity_by(&self, body: Id, per_unit: bool, from: i64, to: i64) -> Result<Vec<ClarityGroup>, StoreError> {
        // PostgreSQL sums BIGINTs as NUMERIC: cast back so both backends decode an i64.
        let (key, join) = if per_unit {
            ("r.stage_unit_id", "JOIN units g ON g.id = r.stage_unit_id")
        } else {
            ("r.offering_id", "JOIN offerings g ON g.id = r.offering_id")
        };
        let sql = format!(
            "SELECT {key} AS gid, g.name AS gname, COUNT(*) AS n, CAST(SUM(c.score_centi) AS BIGINT) AS s, CAST(SUM(c.findings) AS BIGINT) AS f, \
             CAST(SUM(c.words) AS BIGINT) AS w \
             FROM response_clarity c JOIN requests r ON r.id = c.request_id {join} \
             WHERE r.body_id = $1 AND c.checked_at >= $2 AND c.checked_at < $3 GROUP BY {key}, g.name ORDER BY SUM(c.score_centi) * 1.0 / COUNT(*)"
        );
        let rows = sqlx::query(&sql).bind(body.to_string()).bind(from).bind(to).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                let s: i64 = r.try_get("s")?;
                let f: i64 = r.try_get("f")?;
                let w: i64 = r.try_get("w")?;
                Ok(ClarityGroup {
                    id: r.try_get("gid")?,
                    name: r.try_get("gname")?,
                    texts: n,
                    mean_score: s as f64 / 100.0 / n.max(1) as f64,
                    findings_per_100_words: f as f64 * 100.0 / w.max(1) as f64,
                })
            })
            .collect()
    }
}
