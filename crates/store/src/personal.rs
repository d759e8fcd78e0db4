//! One person's data, found and erased on request (152-FZ arts. 14 and 21).
//!
//! A person is found by e-mail (their account and any employee record with that
//! address) or by an employee record's id. Erasing keeps the records other records
//! point to (an offering names its responsible employee; the audit trail names accounts)
//! but empties every field that identifies the person, ends their sessions and tokens,
//! and redacts the snapshots of the audit entries about them; the chain still verifies.

use crate::accounts::account_row;
use crate::audit::{append, Entry, ERASE_ACTION, REDACTED};
use crate::db::{finish, now_ms};
use crate::org::employee_row;
use crate::{Account, AuditRecord, Change, Store, StoreError, Trail};
use okno_domain::org::Employee;
use okno_domain::Id;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

/// Whom to look for.
#[derive(Clone, Debug, Default)]
pub struct PersonQuery {
    /// Lower-cased by the caller.
    pub email: Option<String>,
    pub employee_id: Option<Id>,
}

/// Everything Okno holds about one person.
#[derive(Clone, Debug)]
pub struct PersonalData {
    pub account: Option<Account>,
    pub employees: Vec<Employee>,
    /// Entries about the person's account or employee records, and those they made.
    pub audit: Vec<AuditRecord>,
    /// Requests the person made as a client, found by the address they gave.
    pub requests: Vec<crate::RequestRecord>,
}

/// What an erasure did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erasure {
    pub account_id: Option<Id>,
    pub employee_ids: Vec<Id>,
    pub redacted_entries: Vec<i64>,
    /// Entries written before erasure existed: sealed over their content, left as they are.
    pub kept_entries: Vec<i64>,
    /// Requests whose client details, subject, answers and files were erased.
    pub request_ids: Vec<Id>,
}

/// The requests a client made, by the e-mail they gave (lower-cased by the caller).
async fn client_requests(tx: &mut Transaction<'_, Any>, email: Option<&str>) -> Result<Vec<crate::RequestRecord>, StoreError> {
    let Some(email) = email else { return Ok(Vec::new()) };
    let sql = format!("SELECT {} FROM requests WHERE LOWER(client_email) = $1 ORDER BY created_at", crate::requests::COLUMNS);
    let rows = sqlx::query(&sql).bind(email).fetch_all(&mut **tx).await?;
    rows.iter().map(crate::requests::request_row).collect()
}

/// At most this many audit entries in one export; the rest are counted by the trail's
/// own filters.
const EXPORT_AUDIT_LIMIT: i64 = 10_000;

async fn find_in(tx: &mut Transaction<'_, Any>, q: &PersonQuery) -> Result<(Option<Account>, Vec<Employee>), StoreError> {
    let account = match &q.email {
        Some(e) => {
            let rows = sqlx::query("SELECT id, email, password_hash, created_at, updated_at, disabled_at FROM accounts WHERE email = $1")
                .bind(e)
                .fetch_all(&mut **tx)
                .await?;
            rows.first().map(account_row).transpose()?
        }
        None => None,
    };
    let rows = sqlx::query(
        "SELECT id, body_id, unit_id, full_name, position, email FROM employees WHERE ($1 <> '' AND LOWER(email) = $1) OR id = $2 ORDER BY id",
    )
    .bind(q.email.clone().unwrap_or_default())
    .bind(q.employee_id.map(|i| i.to_string()).unwrap_or_default())
    .fetch_all(&mut **tx)
    .await?;
    let employees = rows.iter().map(employee_row).collect::<Result<Vec<_>, _>>()?;
    Ok((account, employees))
}

/// The audit entries about the person: their account's and employee records' entries,
/// and failed sign-ins with their address when no account matched it.
fn about_sql(account: Option<Id>, employees: &[Id], email: Option<&str>, with_actor: bool) -> (String, Vec<String>) {
    let mut conds = Vec::new();
    let mut vals = Vec::new();
    if let Some(a) = account {
        vals.push(a.to_string());
        conds.push(format!("(entity = 'account' AND entity_id = ${})", vals.len()));
        if with_actor {
            vals.push(format!("account:{a}"));
            conds.push(format!("actor = ${}", vals.len()));
        }
    }
    for e in employees {
        vals.push(e.to_string());
        conds.push(format!("(entity = 'employee' AND entity_id = ${})", vals.len()));
    }
    if let Some(e) = email {
        // The address is stored as JSON text; quotes and backslashes cannot occur in a
        // validated address, so a plain LIKE on the quoted value is exact enough.
        let escaped = e.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        vals.push(format!("%\"{escaped}\"%"));
        conds.push(format!("(action = 'login.failed' AND entity_id IS NULL AND after_json LIKE ${} ESCAPE '\\')", vals.len()));
    }
    if conds.is_empty() {
        conds.push("1 = 0".into());
    }
    (conds.join(" OR "), vals)
}

impl Store {
    /// Everything held about the person; empty when nothing matches.
    pub async fn find_person(&self, q: &PersonQuery) -> Result<PersonalData, StoreError> {
        let mut tx = self.pool.begin().await?;
        let (account, employees) = find_in(&mut tx, q).await?;
        let ids: Vec<Id> = employees.iter().map(|e| e.id).collect();
        let (cond, vals) = about_sql(account.as_ref().map(|a| a.id), &ids, q.email.as_deref(), true);
        let sql = format!("SELECT {} FROM audit_log WHERE {cond} ORDER BY seq LIMIT {EXPORT_AUDIT_LIMIT}", crate::audit::COLUMNS);
        let mut query = sqlx::query(&sql);
        for v in &vals {
            query = query.bind(v.as_str());
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let audit = rows.iter().map(crate::audit::record).collect::<Result<Vec<_>, _>>()?;
        let requests = client_requests(&mut tx, q.email.as_deref()).await?;
        tx.commit().await?;
        let account = match account {
            Some(a) => Some(self.get_account(a.id).await?),
            None => None,
        };
        Ok(PersonalData { account, employees, audit, requests })
    }

    /// Erases the person in one transaction and records the erasure in the audit trail.
    /// `NotFound` when nothing matches, so a typo erases nothing and says so.
    pub async fn erase_person(&self, q: &PersonQuery, trail: &Trail) -> Result<Erasure, StoreError> {
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let (account, employees) = find_in(&mut tx, q).await?;
            let requests = client_requests(&mut tx, q.email.as_deref()).await?;
            if account.is_none() && employees.is_empty() && requests.is_empty() {
                return Err(StoreError::NotFound);
            }
            let ids: Vec<Id> = employees.iter().map(|e| e.id).collect();
            let mut out = Erasure {
                account_id: account.as_ref().map(|a| a.id),
                employee_ids: ids.clone(),
                request_ids: requests.iter().map(|r| r.id).collect(),
                ..Default::default()
            };
            // The case stays (its stages, times and outcome are the body's record and its
            // statistics); who the client was and what they wrote go. Bumping the version
            // makes a card open in someone's browser stale rather than silently resaved.
            for r in &requests {
                let id = r.id.to_string();
                sqlx::query(
                    "UPDATE requests SET client_name = $2, client_email = NULL, client_phone = NULL, client_address = NULL, \
                     subject = $3, fields_json = '{}', version = version + 1, updated_at = $4 WHERE id = $1",
                )
                .bind(&id)
                .bind(ERASED_CLIENT)
                .bind(ERASED_SUBJECT)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM request_attachments WHERE request_id = $1").bind(&id).execute(&mut *tx).await?;
                // The scores stay for the statistics; the client's own words go.
                sqlx::query("UPDATE request_ratings SET comment = '' WHERE request_id = $1").bind(&id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM outbox WHERE request_id = $1 AND sent_at IS NULL").bind(&id).execute(&mut *tx).await?;
            }

            // Entries made *by* the person stay: they record what was done to other records.
            let (cond, vals) = about_sql(out.account_id, &ids, q.email.as_deref(), false);
            let sql = format!("SELECT seq, hash_version FROM audit_log WHERE {cond} ORDER BY seq");
            let mut query = sqlx::query(&sql);
            for v in &vals {
                query = query.bind(v.as_str());
            }
            for r in query.fetch_all(&mut *tx).await? {
                let seq: i64 = r.try_get("seq")?;
                let version: i64 = r.try_get("hash_version")?;
                if version >= 2 {
                    out.redacted_entries.push(seq);
                } else {
                    out.kept_entries.push(seq);
                }
            }
            for seq in &out.redacted_entries {
                sqlx::query(
                    "UPDATE audit_log SET before_json = CASE WHEN before_json IS NULL THEN NULL ELSE $2 END, \
                     after_json = CASE WHEN after_json IS NULL THEN NULL ELSE $2 END, redacted_at = $3 WHERE seq = $1",
                )
                .bind(*seq)
                .bind(REDACTED)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }

            for e in &ids {
                sqlx::query("UPDATE employees SET full_name = $2, position = '', email = NULL, updated_at = $3 WHERE id = $1")
                    .bind(e.to_string())
                    .bind(ERASED_NAME)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(a) = &account {
                let id = a.id.to_string();
                // An address that can never be typed at sign-in, unique per account.
                sqlx::query("UPDATE accounts SET email = $2, password_hash = '!', disabled_at = $3, updated_at = $3 WHERE id = $1")
                    .bind(&id)
                    .bind(format!("erased-{id}@invalid"))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(&id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM api_tokens WHERE account_id = $1").bind(&id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM account_roles WHERE account_id = $1").bind(&id).execute(&mut *tx).await?;
            }
            if let Some(e) = &q.email {
                sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(format!("account:{e}")).execute(&mut *tx).await?;
            }
            // The erasure's own entry names records and entries, never the person.
            let change = Change::created(&json!({
                "account_id": out.account_id,
                "employee_ids": out.employee_ids,
                "redacted_entries": out.redacted_entries,
                "kept_entries": out.kept_entries,
                "request_ids": out.request_ids,
            }));
            let entity_id = out.account_id.or(out.employee_ids.first().copied()).or(out.request_ids.first().copied());
            append(&mut tx, trail, Entry { action: ERASE_ACTION, entity: "personal_data", entity_id, body_id: None, change: &change })
                .await?;
            Ok(out)
        }
        .await;
        finish(tx, result).await
    }
}

/// What an erased employee is called wherever they are still referred to.
pub const ERASED_NAME: &str = "Сотрудник (данные удалены)";

/// What an erased client is called on their request, and what stands for their text.
pub const ERASED_CLIENT: &str = "Заявитель (данные удалены)";
pub const ERASED_SUBJECT: &str = "Текст удалён по требованию заявителя (ст. 21 152-ФЗ)";
