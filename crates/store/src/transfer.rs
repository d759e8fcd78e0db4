//! Batch writes for a catalogue import: many offerings of one body, all or nothing.
//!
//! The rows and links are written by the same helpers as single offerings
//! (`catalogue.rs`); what this adds is the order that a whole file needs.

use crate::audit::{append, Change, Entry, Trail};
use crate::catalogue::{clear_links, insert_row, update_row, write_links};
use crate::db::{finish, now_ms, placeholders};
use crate::{Store, StoreError};
use okno_domain::offering::ValidOffering;
use okno_domain::Id;

/// How many ids go into one `IN (…)` list: far below the bind limits of both backends.
const CHUNK: usize = 500;

/// One offering of an import, checked by the caller against the body's records and
/// the other items of the batch.
#[derive(Clone, Debug)]
pub struct ImportItem {
    /// Pre-assigned for new offerings, so that other items can hand them over.
    pub id: Id,
    pub mode: ImportMode,
    pub offering: ValidOffering,
    /// The offering as it was, for the audit trail (`None` for new ones).
    pub before: Option<serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    Create,
    /// Replace the offering if it still has the version the caller read (else `Stale`).
    Update {
        version: i64,
    },
}

impl Store {
    /// Creates and updates offerings in one transaction: every row first, then every
    /// link, so that outputs may point at products created by the same batch.
    /// Returns (created, updated). On any error nothing is written.
    pub async fn import_offerings(&self, items: &[ImportItem], trail: &Trail) -> Result<(usize, usize), StoreError> {
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;

        let result = async {
            // Park the names of the offerings being updated on their ids (unique by
            // construction), so that a file may swap names between offerings or give an
            // old name to a new one without tripping UNIQUE (body_id, name) half-way.
            let updated: Vec<String> =
                items.iter().filter(|i| matches!(i.mode, ImportMode::Update { .. })).map(|i| i.id.to_string()).collect();
            for chunk in updated.chunks(CHUNK) {
                let sql = format!("UPDATE offerings SET name = id WHERE id IN ({})", placeholders(1, chunk.len()));
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(id.as_str());
                }
                q.execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, "offering"))?;
            }

            let (mut created, mut changed) = (0, 0);
            for item in items {
                match item.mode {
                    ImportMode::Create => {
                        insert_row(&mut tx, item.id, &item.offering, now).await?;
                        created += 1;
                    }
                    ImportMode::Update { version } => {
                        update_row(&mut tx, item.id, &item.offering, version, now).await?;
                        clear_links(&mut tx, item.id, &item.offering).await?;
                        changed += 1;
                    }
                }
            }
            for item in items {
                write_links(&mut tx, item.id, &item.offering).await?;
                let (action, before) = match item.mode {
                    ImportMode::Create => ("offering.import_create", None),
                    ImportMode::Update { .. } => ("offering.import_update", item.before.clone()),
                };
                let change = Change { before, after: serde_json::to_value(&item.offering).ok() };
                let entry =
                    Entry { action, entity: "offering", entity_id: Some(item.id), body_id: Some(item.offering.body_id), change: &change };
                append(&mut tx, trail, entry).await?;
            }
            Ok((created, changed))
        }
        .await;
        finish(tx, result).await
    }
}
