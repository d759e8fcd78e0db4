//! Reading and checking the audit trail. Entries are written by the store inside each
//! change's transaction; nothing here can add, edit or remove one.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError, PageRequest, Paged};
use okno_store::{AuditCheck, AuditFilter, AuditRecord};

impl App {
    /// Entries newest first.
    pub async fn audit(&self, actor: &Actor, filter: &AuditFilter, page: PageRequest) -> Result<Paged<AuditRecord>, AppError> {
        actor.require(Action::ReadAudit, Scope::Instance)?;
        let offset = (page.page as i64 - 1) * page.per_page as i64;
        let p = self.store().audit_page(filter, page.per_page as i64, offset).await?;
        Ok(Paged { items: p.items, total: p.total, page: page.page, per_page: page.per_page })
    }

    /// Walks the whole chain; `Broken` names the first entry that does not hold.
    pub async fn verify_audit(&self, actor: &Actor) -> Result<AuditCheck, AppError> {
        actor.require(Action::ReadAudit, Scope::Instance)?;
        Ok(self.store().verify_audit().await?)
    }
}
