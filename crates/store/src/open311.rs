//! The reads Open311 GeoReport v2 needs: the services (published offerings that have a
//! delivery chain), requests across all bodies by time window, offering, tracking code and
//! phase, and the client-visible events of requests as mySociety's status updates.
//!
//! Everything here is public once the web layer has it: no column of personal data is
//! read except through `RequestRecord`, whose contact fields the web layer drops.

use crate::db::{get_id, placeholders};
use crate::requests::{request_row, COLUMNS};
use crate::{Page, Store, StoreError};
use okno_domain::request::{EventKind, Outcome};
use okno_domain::Id;
use sqlx::Row;

/// A published offering that takes requests, with its body's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open311Service {
    pub id: Id,
    pub body_id: Id,
    pub body_name: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    /// The product type or the service kind code.
    pub subkind: Option<String>,
}

/// One client-visible event of a request (mySociety's `request_update`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open311Update {
    pub request_id: Id,
    pub tracking_code: String,
    pub offering_id: Id,
    pub chain_version: i64,
    pub variant_key: String,
    pub seq: i64,
    pub at: i64,
    pub kind: EventKind,
    pub stage: String,
    pub outcome: Option<Outcome>,
}

/// Requests of published offerings only: a draft's requests do not exist for the public.
const PUBLISHED: &str = "offering_id IN (SELECT id FROM offerings WHERE status = 'published')";

impl Store {
    /// Published offerings with at least one chain version, by body and name.
    pub async fn open311_services(&self) -> Result<Vec<Open311Service>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.body_id, b.name AS body_name, o.name, o.description, o.kind, o.product_type, o.service_kind \
             FROM offerings o JOIN bodies b ON b.id = o.body_id \
             WHERE o.status = 'published' AND EXISTS (SELECT 1 FROM chains c WHERE c.offering_id = o.id) \
             ORDER BY b.name, o.name, o.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let product_type: Option<String> = r.try_get("product_type")?;
                let service_kind: Option<String> = r.try_get("service_kind")?;
                Ok(Open311Service {
                    id: get_id(r, "id")?,
                    body_id: get_id(r, "body_id")?,
                    body_name: r.try_get("body_name")?,
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                    kind: r.try_get("kind")?,
                    subkind: product_type.or(service_kind),
                })
            })
            .collect()
    }

    /// Requests of published offerings, newest first. With `codes` (tracking codes) only
    /// those, whatever else is asked (the spec: `service_request_id` overrides all other
    /// arguments); otherwise those created in `window` (`[from, to)` in ms), of the
    /// `offerings` when any are given, closed or not when `closed` says so. `page` is
    /// `(limit, offset)`.
    pub async fn open311_requests(
        &self,
        codes: &[String],
        offerings: &[Id],
        window: (i64, i64),
        closed: Option<bool>,
        page: (i64, i64),
    ) -> Result<Page<crate::RequestRecord>, StoreError> {
        let mut conds: Vec<String> = vec![PUBLISHED.to_string()];
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        if !codes.is_empty() {
            conds.push(format!("tracking_code IN ({})", placeholders(1, codes.len())));
            texts.extend(codes.iter().cloned());
        } else {
            if !offerings.is_empty() {
                conds.push(format!("offering_id IN ({})", placeholders(1, offerings.len())));
                texts.extend(offerings.iter().map(|o| o.to_string()));
            }
            let n = texts.len();
            conds.push(format!("created_at >= ${} AND created_at < ${}", n + 1, n + 2));
            numbers.extend([window.0, window.1]);
            match closed {
                Some(true) => conds.push("phase = 'closed'".into()),
                Some(false) => conds.push("phase <> 'closed'".into()),
                None => {}
            }
        }
        let where_sql = conds.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) AS n FROM requests WHERE {where_sql}");
        let mut q = sqlx::query(&count_sql);
        for t in &texts {
            q = q.bind(t.as_str());
        }
        for n in &numbers {
            q = q.bind(*n);
        }
        let total: i64 = q.fetch_one(&self.pool).await?.try_get("n")?;
        let k = texts.len() + numbers.len();
        let page_sql =
            format!("SELECT {COLUMNS} FROM requests WHERE {where_sql} ORDER BY created_at DESC, id LIMIT ${} OFFSET ${}", k + 1, k + 2);
        let mut q = sqlx::query(&page_sql);
        for t in &texts {
            q = q.bind(t.as_str());
        }
        for n in &numbers {
            q = q.bind(*n);
        }
        let rows = q.bind(page.0).bind(page.1).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(request_row).collect::<Result<_, _>>()?, total })
    }

    /// Client-visible events in `window` (`[from, to)` in ms) of requests of published
    /// offerings, oldest first; `page` is `(limit, offset)`.
    pub async fn open311_updates(&self, window: (i64, i64), page: (i64, i64)) -> Result<Vec<Open311Update>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.request_id, r.tracking_code, r.offering_id, r.chain_version, r.variant_key, e.seq, e.at, e.kind, e.stage_key, \
             e.outcome FROM request_events e JOIN requests r ON r.id = e.request_id \
             WHERE e.client_visible = 1 AND e.at >= $1 AND e.at < $2 \
             AND r.offering_id IN (SELECT id FROM offerings WHERE status = 'published') \
             ORDER BY e.at, e.request_id, e.seq LIMIT $3 OFFSET $4",
        )
        .bind(window.0)
        .bind(window.1)
        .bind(page.0)
        .bind(page.1)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let outcome: Option<String> = r.try_get("outcome")?;
                Ok(Open311Update {
                    request_id: get_id(r, "request_id")?,
                    tracking_code: r.try_get("tracking_code")?,
                    offering_id: get_id(r, "offering_id")?,
                    chain_version: r.try_get("chain_version")?,
                    variant_key: r.try_get("variant_key")?,
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    kind: EventKind::from_code(&kind).ok_or(StoreError::Corrupt("kind"))?,
                    stage: r.try_get("stage_key")?,
                    outcome: match outcome {
                        Some(o) => Some(Outcome::from_code(&o).ok_or(StoreError::Corrupt("outcome"))?),
                        None => None,
                    },
                })
            })
            .collect()
    }
}
