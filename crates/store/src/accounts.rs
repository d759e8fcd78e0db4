//! Staff accounts, their roles, API tokens, web sessions and failed sign-ins.
//!
//! Changes to accounts, roles and tokens are audited in their own transaction. Sessions
//! and failure counters are operational state that changes on every visit or attempt,
//! so they are not; a failed sign-in itself is audited by `record_login_failure`.
//! Secrets arrive here already hashed: nothing in this module sees a password, a token
//! or a session id, and nothing secret ever goes into an audit entry.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::{finish, get_id, get_opt_id, now_ms, placeholders};
use crate::{Store, StoreError};
use okno_domain::account::{Email, Role, TokenScope};
use okno_domain::Id;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A role held in one body, or in every body (`None`).
pub type Grant = (Option<Id>, Role);

/// A staff account as stored, with its roles.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Id,
    /// Lower-case, as validated.
    pub email: String,
    /// An argon2id PHC string.
    pub password_hash: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub disabled_at: Option<i64>,
    /// Sorted: grants for every body first.
    pub roles: Vec<Grant>,
}

// By hand, so that printing an account for a log or a failed assertion leaks neither
// the hash nor the address.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("disabled_at", &self.disabled_at)
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

/// A web session. `id_hash` is the SHA-256 hex of the random id in the cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: String,
    pub account_id: Id,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("account_id", &self.account_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_seen_at", &self.last_seen_at)
            .finish_non_exhaustive()
    }
}

/// An API token as stored: its hash is the lookup key and is not read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: Id,
    pub account_id: Id,
    pub scope: TokenScope,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Counting failed sign-ins for one key ('account:<e-mail>' or 'ip:<address>'): after
/// `threshold` failures within `window_ms` of the first, the key is locked for `lock_ms`.
#[derive(Clone, Debug)]
pub struct FailureRule {
    pub key: String,
    pub threshold: i64,
    pub window_ms: i64,
    pub lock_ms: i64,
}

const ACCOUNT_COLUMNS: &str = "id, email, password_hash, created_at, updated_at, disabled_at";
const TOKEN_COLUMNS: &str = "id, account_id, scope, label, created_at, revoked_at, last_used_at";
const SESSION_COLUMNS: &str = "id_hash, account_id, csrf_token, created_at, expires_at, last_seen_at";

pub(crate) fn account_row(r: &AnyRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: get_id(r, "id")?,
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        disabled_at: r.try_get("disabled_at")?,
        roles: Vec::new(),
    })
}

fn token_row(r: &AnyRow) -> Result<TokenRecord, StoreError> {
    let scope: String = r.try_get("scope")?;
    Ok(TokenRecord {
        id: get_id(r, "id")?,
        account_id: get_id(r, "account_id")?,
        scope: TokenScope::from_code(&scope).ok_or(StoreError::Corrupt("scope"))?,
        label: r.try_get("label")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

fn session_row(r: &AnyRow) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id_hash: r.try_get("id_hash")?,
        account_id: get_id(r, "account_id")?,
        csrf_token: r.try_get("csrf_token")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
    })
}

fn grants_json(roles: &[Grant]) -> serde_json::Value {
    roles.iter().map(|(body, role)| json!({ "body_id": body, "role": role.code() })).collect()
}

async fn roles_in(tx: &mut Transaction<'_, Any>, account: Id) -> Result<Vec<Grant>, StoreError> {
    let rows =
        sqlx::query("SELECT body_id, role FROM account_roles WHERE account_id = $1").bind(account.to_string()).fetch_all(&mut **tx).await?;
    grants(&rows)
}

fn grants(rows: &[AnyRow]) -> Result<Vec<Grant>, StoreError> {
    let mut out = rows
        .iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok((get_opt_id(r, "body_id")?, Role::from_code(&role).ok_or(StoreError::Corrupt("role"))?))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Sorted here, not in SQL: the backends put NULLs at opposite ends.
    out.sort();
    Ok(out)
}

/// The account's e-mail inside `tx`, for the audit entry; `NotFound` if there is none.
async fn email_in(tx: &mut Transaction<'_, Any>, account: Id) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT email FROM accounts WHERE id = $1")
        .bind(account.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.try_get("email")?)
}

impl Store {
    /// Creates an account with its roles; one audit entry records the e-mail and roles.
    /// A taken e-mail is `Duplicate("account")`, a body that does not exist `NotFound`.
    pub async fn create_account(&self, email: &Email, password_hash: &str, roles: &[Grant], trail: &Trail) -> Result<Id, StoreError> {
        let id = Id::new();
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            sqlx::query("INSERT INTO accounts (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
                .bind(id.to_string())
                .bind(email.as_str())
                .bind(password_hash)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "account"))?;
            for (body, role) in roles {
                insert_role(&mut tx, id, *body, *role, now).await?;
            }
            let change = Change::created(&json!({ "email": email.as_str(), "roles": grants_json(roles) }));
            let body_id = single_body(roles);
            append(&mut tx, trail, Entry { action: "account.create", entity: "account", entity_id: Some(id), body_id, change: &change })
                .await?;
            Ok(id)
        }
        .await;
        finish(tx, result).await
    }

    pub async fn get_account(&self, id: Id) -> Result<Account, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        self.with_roles(account_row(&row)?).await
    }

    /// `email` as validated (lower-case).
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1");
        match sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await? {
            Some(row) => Ok(Some(self.with_roles(account_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    /// Every account, by e-mail, with its roles.
    /// Whether any account exists: until one does, the instance is in set-up.
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT id FROM accounts LIMIT 1").fetch_optional(&self.pool).await?.is_some())
    }

    pub async fn list_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY email");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.with_roles(account_row(r)?).await?);
        }
        Ok(out)
    }

    async fn with_roles(&self, mut a: Account) -> Result<Account, StoreError> {
        let rows = sqlx::query("SELECT body_id, role FROM account_roles WHERE account_id = $1")
            .bind(a.id.to_string())
            .fetch_all(&self.pool)
            .await?;
        a.roles = grants(&rows)?;
        Ok(a)
    }

    /// Replaces the password hash and, in the same transaction, ends every session of the
    /// account except `keep_session` (a session id hash): whoever knew the old password
    /// is signed out everywhere else.
    pub async fn set_password(&self, id: Id, password_hash: &str, keep_session: Option<&str>, trail: &Trail) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let email = email_in(&mut tx, id).await?;
            sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id.to_string())
                .bind(password_hash)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
                .bind(id.to_string())
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            let change = Change::updated(&json!({ "email": email }), &json!({ "email": email, "password": "changed" }));
            append(
                &mut tx,
                trail,
                Entry { action: "account.password", entity: "account", entity_id: Some(id), body_id: None, change: &change },
            )
            .await
        }
        .await;
        finish(tx, result).await
    }

    /// Disables (ending its sessions) or re-enables an account. `NotFound` if none.
    pub async fn set_account_disabled(&self, id: Id, disabled: bool, trail: &Trail) -> Result<(), StoreError> {
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let email = email_in(&mut tx, id).await?;
            sqlx::query("UPDATE accounts SET disabled_at = $2, updated_at = $3 WHERE id = $1")
                .bind(id.to_string())
                .bind(disabled.then_some(now))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id.to_string()).execute(&mut *tx).await?;
            }
            let (action, change) = if disabled {
                (
                    "account.disable",
                    Change::updated(&json!({ "email": email, "disabled": false }), &json!({ "email": email, "disabled": true })),
                )
            } else {
                (
                    "account.enable",
                    Change::updated(&json!({ "email": email, "disabled": true }), &json!({ "email": email, "disabled": false })),
                )
            };
            append(&mut tx, trail, Entry { action, entity: "account", entity_id: Some(id), body_id: None, change: &change }).await
        }
        .await;
        finish(tx, result).await
    }

    /// Grants a role in `body` (or every body). `Duplicate("role")` if already held;
    /// `NotFound` if the account or the body does not exist.
    pub async fn grant_role(&self, account: Id, body: Option<Id>, role: Role, trail: &Trail) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let email = email_in(&mut tx, account).await?;
            let before = roles_in(&mut tx, account).await?;
            insert_role(&mut tx, account, body, role, now_ms()).await?;
            let after = roles_in(&mut tx, account).await?;
            let change = Change::updated(
                &json!({ "email": email, "roles": grants_json(&before) }),
                &json!({ "email": email, "roles": grants_json(&after) }),
            );
            append(
                &mut tx,
                trail,
                Entry { action: "role.grant", entity: "account", entity_id: Some(account), body_id: body, change: &change },
            )
            .await
        }
        .await;
        finish(tx, result).await
    }

    /// Takes a role back. `NotFound` if the account did not hold it.
    pub async fn revoke_role(&self, account: Id, body: Option<Id>, role: Role, trail: &Trail) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let email = email_in(&mut tx, account).await?;
            let before = roles_in(&mut tx, account).await?;
            // `body_id = NULL` is never true, hence two statements.
            let sql = match body {
                Some(_) => "DELETE FROM account_roles WHERE account_id = $1 AND role = $2 AND body_id = $3",
                None => "DELETE FROM account_roles WHERE account_id = $1 AND role = $2 AND body_id IS NULL",
            };
            let mut q = sqlx::query(sql).bind(account.to_string()).bind(role.code());
            if let Some(b) = body {
                q = q.bind(b.to_string());
            }
            if q.execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let after = roles_in(&mut tx, account).await?;
            let change = Change::updated(
                &json!({ "email": email, "roles": grants_json(&before) }),
                &json!({ "email": email, "roles": grants_json(&after) }),
            );
            append(
                &mut tx,
                trail,
                Entry { action: "role.revoke", entity: "account", entity_id: Some(account), body_id: body, change: &change },
            )
            .await
        }
        .await;
        finish(tx, result).await
    }

    /// Stores a new token by its hash. The audit entry names the account, scope and label.
    pub async fn create_token(
        &self,
        account: Id,
        token_hash: &str,
        scope: TokenScope,
        label: &str,
        trail: &Trail,
    ) -> Result<Id, StoreError> {
        let id = Id::new();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let email = email_in(&mut tx, account).await?;
            sqlx::query("INSERT INTO api_tokens (id, account_id, token_hash, scope, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id.to_string())
                .bind(account.to_string())
                .bind(token_hash)
                .bind(scope.code())
                .bind(label)
                .bind(now_ms())
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "token"))?;
            let change = Change::created(&json!({ "account_id": account, "email": email, "scope": scope.code(), "label": label }));
            append(&mut tx, trail, Entry { action: "token.create", entity: "token", entity_id: Some(id), body_id: None, change: &change })
                .await?;
            Ok(id)
        }
        .await;
        finish(tx, result).await
    }

    /// Revokes a token: `Ok(true)` now, `Ok(false)` if it already was (nothing is
    /// written), `NotFound` if there is no such token.
    pub async fn revoke_token(&self, id: Id, trail: &Trail) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
            let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&mut *tx).await?.ok_or(StoreError::NotFound)?;
            let t = token_row(&row)?;
            if t.revoked_at.is_some() {
                return Ok(false);
            }
            let email = email_in(&mut tx, t.account_id).await?;
            sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1")
                .bind(id.to_string())
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            let what = json!({ "account_id": t.account_id, "email": email, "scope": t.scope.code(), "label": t.label });
            let mut after = what.clone();
            after["revoked"] = json!(true);
            let change = Change::updated(&what, &after);
            append(&mut tx, trail, Entry { action: "token.revoke", entity: "token", entity_id: Some(id), body_id: None, change: &change })
                .await?;
            Ok(true)
        }
        .await;
        finish(tx, result).await
    }

    /// The token with this hash, revoked or not.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1");
        sqlx::query(&sql).bind(token_hash).fetch_optional(&self.pool).await?.as_ref().map(token_row).transpose()
    }

    pub async fn get_token(&self, id: Id) -> Result<TokenRecord, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
        let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        token_row(&row)
    }

    /// An account's tokens, newest first.
    pub async fn list_tokens(&self, account: Id) -> Result<Vec<TokenRecord>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id DESC");
        let rows = sqlx::query(&sql).bind(account.to_string()).fetch_all(&self.pool).await?;
        rows.iter().map(token_row).collect()
    }

    pub async fn touch_token(&self, id: Id, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1").bind(id.to_string()).bind(now).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.id_hash)
        .bind(s.account_id.to_string())
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .bind(s.last_seen_at)
        .execute(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "session"))?;
        Ok(())
    }

    /// The session with this id hash, expired or not: the caller decides with its clock.
    pub async fn session_by_hash(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id_hash = $1");
        sqlx::query(&sql).bind(id_hash).fetch_optional(&self.pool).await?.as_ref().map(session_row).transpose()
    }

    pub async fn touch_session(&self, id_hash: &str, last_seen_at: i64, expires_at: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(last_seen_at)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends one session; `false` if there was none.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.pool).await?;
        Ok(r.rows_affected() > 0)
    }

    /// Ends every session of an account except `keep` (an id hash); returns how many.
    pub async fn delete_sessions(&self, account: Id, keep: Option<&str>) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
            .bind(account.to_string())
            .bind(keep.unwrap_or(""))
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    /// Removes sessions whose `expires_at` has passed; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(r.rows_affected())
    }

    /// The latest `locked_until` after `now` among `keys`, if any is locked.
    pub async fn login_locked_until(&self, keys: &[&str], now: i64) -> Result<Option<i64>, StoreError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT MAX(locked_until) AS until FROM login_failures WHERE key IN ({}) AND locked_until > ${}",
            placeholders(1, keys.len()),
            keys.len() + 1
        );
        let mut q = sqlx::query(&sql);
        for k in keys {
            q = q.bind(*k);
        }
        Ok(q.bind(now).fetch_one(&self.pool).await?.try_get("until")?)
    }

    /// Counts one failed sign-in against every rule's key and appends the audit entry
    /// `login.failed` (with `change`, which must hold no password), all in one
    /// transaction. A failure more than `window_ms` after a key's first one starts the
    /// count again. Returns the latest lock now in force, if a key is locked.
    pub async fn record_login_failure(
        &self,
        rules: &[FailureRule],
        now: i64,
        account: Option<Id>,
        trail: &Trail,
        change: &Change,
    ) -> Result<Option<i64>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let mut locked: Option<i64> = None;
            for rule in rules {
                // The upsert takes the row's lock on PostgreSQL, so concurrent failures
                // for one key are counted one after the other, never lost.
                sqlx::query(
                    "INSERT INTO login_failures (key, failures, first_failure_at, locked_until) VALUES ($1, 1, $2, NULL) \
                     ON CONFLICT (key) DO UPDATE SET \
                     failures = CASE WHEN login_failures.first_failure_at <= $3 THEN 1 ELSE login_failures.failures + 1 END, \
                     locked_until = CASE WHEN login_failures.first_failure_at <= $3 THEN NULL ELSE login_failures.locked_until END, \
                     first_failure_at = CASE WHEN login_failures.first_failure_at <= $3 THEN $2 ELSE login_failures.first_failure_at END",
                )
                .bind(&rule.key)
                .bind(now)
                .bind(now - rule.window_ms)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE login_failures SET locked_until = $2 \
                     WHERE key = $1 AND failures >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
                )
                .bind(&rule.key)
                .bind(now + rule.lock_ms)
                .bind(rule.threshold)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let until: Option<i64> = sqlx::query("SELECT locked_until FROM login_failures WHERE key = $1")
                    .bind(&rule.key)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("locked_until")?;
                if let Some(u) = until.filter(|u| *u > now) {
                    locked = Some(locked.map_or(u, |l| l.max(u)));
                }
            }
            append(&mut tx, trail, Entry { action: "login.failed", entity: "account", entity_id: account, body_id: None, change }).await?;
            Ok(locked)
        }
        .await;
        finish(tx, result).await
    }

    /// Forgets the failures of one key, as after a successful sign-in.
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&self.pool).await?;
        Ok(())
    }

    /// Forgets counts whose window began at or before `window_start` and that hold no
    /// lock after `now`: guessed e-mails would otherwise pile up for ever.
    pub async fn delete_stale_login_failures(&self, window_start: i64, now: i64) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM login_failures WHERE first_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)")
            .bind(window_start)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    /// The failure count and lock of one key, if it has failed lately.
    pub async fn login_failures(&self, key: &str) -> Result<Option<(i64, Option<i64>)>, StoreError> {
        let row =
            sqlx::query("SELECT failures, locked_until FROM login_failures WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        row.map(|r| Ok((r.try_get("failures")?, r.try_get("locked_until")?))).transpose()
    }
}

async fn insert_role(tx: &mut Transaction<'_, Any>, account: Id, body: Option<Id>, role: Role, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO account_roles (account_id, body_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account.to_string())
        .bind(body.map(|b| b.to_string()))
        .bind(role.code())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(|e| match StoreError::from_write(e, "role") {
            // The foreign keys are the account's and the body's: a missing one is not found.
            StoreError::InUse(_) => StoreError::NotFound,
            other => other,
        })?;
    Ok(())
}

/// The body an audit entry is filed under: the one body of all grants, if there is one.
fn single_body(roles: &[Grant]) -> Option<Id> {
    let mut bodies = roles.iter().map(|(b, _)| *b);
    let first = bodies.next()??;
    bodies.all(|b| b == Some(first)).then_some(first)
}
