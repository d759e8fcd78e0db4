//! Staff sign-in: accounts with argon2id passwords, web sessions, bearer tokens for
//! machines, and lockout after repeated failures.
//!
//! Secrets are random 32-byte values from the operating system; only their SHA-256 is
//! stored, so a leaked database signs no one in. A password is never stored, logged or
//! audited; neither is a token, a session id or (in logs) an e-mail.

use crate::{Actor, App, AppError, Who};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use okno_domain::account::{check_password, check_password_for, Email, Role, TokenScope};
use okno_domain::{text, Id, Invalid};
use okno_store::{Change, FailureRule, Grant, SessionRecord, StoreError, Trail};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// A session ends after this long without a request…
pub const SESSION_IDLE_MS: i64 = 12 * HOUR;
/// …and after this long in any case, so a stolen cookie does not live for ever.
pub const SESSION_ABSOLUTE_MS: i64 = 7 * 24 * HOUR;
/// `last_seen_at` and `last_used_at` are written at most this often: a write per request
/// would queue every reader behind SQLite's single writer.
const TOUCH_EVERY_MS: i64 = MINUTE;

/// Failures of one e-mail within the window that lock it: slows guessing one password
/// to a handful of tries per quarter-hour.
pub const ACCOUNT_FAILURE_LIMIT: i64 = 5;
/// Failures from one address within the window that lock it: slows trying one common
/// password against many e-mails, while an office behind one NAT still gets by.
pub const IP_FAILURE_LIMIT: i64 = 20;
pub const FAILURE_WINDOW_MS: i64 = 15 * MINUTE;
pub const LOCK_MS: i64 = 15 * MINUTE;

/// Every API token starts with this, so secret scanners and people can tell one apart.
pub const TOKEN_PREFIX: &str = "okno_";

const LABEL_MAX: usize = 100;

/// A signed-in session just created: `id` goes into the session cookie and is not kept
/// anywhere else; `csrf_token` goes into every form.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
    pub account_id: Id,
    /// UTC milliseconds; the session may end earlier when idle.
    pub expires_at: i64,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession").field("account_id", &self.account_id).field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// Who a valid session belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub account_id: Id,
    pub email: String,
    /// A role in one body, or in every body (`None`).
    pub roles: Vec<Grant>,
    /// What a form posted in this session must carry back.
    pub csrf_token: String,
    /// UTC milliseconds: when the session ends unless used again.
    pub expires_at: i64,
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionInfo")
            .field("account_id", &self.account_id)
            .field("roles", &self.roles)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl SessionInfo {
    /// Whether the account holds `role` in `body`, directly or as a grant for every body.
    pub fn holds(&self, role: Role, body: Id) -> bool {
        covers(&self.roles, role, body)
    }

    /// Whether `presented` is this session's CSRF token, compared in constant time.
    pub fn csrf_matches(&self, presented: &str) -> bool {
        constant_time_eq(self.csrf_token.as_bytes(), presented.as_bytes())
    }
}

/// Compares a presented CSRF token with the expected one in constant time.
pub fn csrf_equal(presented: &str, expected: &str) -> bool {
    constant_time_eq(expected.as_bytes(), presented.as_bytes())
}

/// Who a valid bearer token acts for, and how far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    pub token_id: Id,
    pub account_id: Id,
    pub email: String,
    pub roles: Vec<Grant>,
    pub scope: TokenScope,
}

impl SessionInfo {
    /// The actor of a request made in this session.
    pub fn actor(&self) -> Actor {
        Actor::new(crate::policy::Who::Staff(crate::policy::Staff {
            account_id: self.account_id,
            roles: self.roles.clone(),
            may_write: true,
        }))
    }
}

impl TokenInfo {
    /// The actor of a request made with this token; a read token may write nothing.
    pub fn actor(&self) -> Actor {
        let may_write = self.scope == TokenScope::Write;
        Actor::new(crate::policy::Who::Staff(crate::policy::Staff { account_id: self.account_id, roles: self.roles.clone(), may_write }))
    }
}

impl App {
    /// Whether any account exists; until one does, requests act as `Who::Open`.
    pub async fn accounts_exist(&self) -> Result<bool, AppError> {
        Ok(self.store().has_accounts().await?)
    }
}

impl TokenInfo {
    pub fn holds(&self, role: Role, body: Id) -> bool {
        covers(&self.roles, role, body)
    }
}

/// A token just issued: `token` is shown once and never stored; `id` revokes it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewToken {
    pub id: Id,
    pub token: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken").field("id", &self.id).finish_non_exhaustive()
    }
}

fn covers(roles: &[Grant], role: Role, body: Id) -> bool {
    roles.iter().any(|(b, r)| *r == role && b.is_none_or(|b| b == body))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

use crate::requests::now_ms;

/// 32 bytes from the operating system's random source, as hex.
fn random_hex() -> String {
    let mut b = [0u8; 32];
    // Without the OS RNG no secret can be made safely; there is nothing sensible to fall
    // back to, and a panic here is caught and shown as an opaque error.
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    hex(&b)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps instead of a session id or a token. Unsalted SHA-256 is
/// enough: the input is 256 random bits, not something a person chose.
fn secret_hash(raw: &str) -> String {
    hex(&Sha256::digest(raw.as_bytes()))
}

/// When a session seen at `now` ends if not seen again: the sooner of idle and absolute.
fn expiry(created_at: i64, now: i64) -> i64 {
    (now + SESSION_IDLE_MS).min(created_at + SESSION_ABSOLUTE_MS)
}

fn alive(created_at: i64, last_seen_at: i64, now: i64) -> bool {
    now < last_seen_at + SESSION_IDLE_MS && now < created_at + SESSION_ABSOLUTE_MS
}

fn locked(until: i64, now: i64) -> AppError {
    let minutes = ((until - now).max(0) + MINUTE - 1) / MINUTE;
    AppError::Conflict { code: "locked", message: format!("too many failed sign-in attempts; try again in {} minute(s)", minutes.max(1)) }
}

/// A hash of a password no one has, to verify against when the e-mail is unknown, so a
/// sign-in takes as long whether or not the account exists.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("okno: there is no account with this e-mail"))
}

fn hash_now(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("argon2id with default parameters hashes any password").to_string()
}

/// argon2id with the crate's default parameters (OWASP's minimum: 19 MiB, 2 passes),
/// off the async threads: a hash takes tens of milliseconds of CPU.
async fn hash_password(password: &str) -> String {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&pw)).await.expect("password hashing does not panic")
}

/// Verifies against `hash`, or against the dummy when there is none (and then fails).
/// The parameters come from the PHC string, so older hashes keep verifying.
async fn verify_password(password: &str, hash: Option<String>) -> bool {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let h = hash.unwrap_or_else(|| dummy_hash().to_owned());
        Argon2::default().verify_password(pw.as_bytes(), h.as_str()).is_ok() && known
    })
    .await
    .expect("password verification does not panic")
}

fn require_system(actor: &Actor) -> Result<(), AppError> {
    match actor.who {
        Who::System => Ok(()),
        Who::Anonymous => Err(AppError::Unauthenticated),
        _ => Err(AppError::Forbidden),
    }
}

/// Keyed by what was typed, bounded: a key is stored, and the input is the client's.
fn account_key(typed_email: &str) -> String {
    let folded: String = typed_email.trim().to_lowercase().chars().take(320).collect();
    format!("account:{folded}")
}

fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

impl App {
    /// Creates a staff account with one role, in `body` or (`None`) in every body. Only
    /// the command line may, for now. All problems are reported at once, by field:
    /// `email`, `role`, `body_id`, `password`.
    pub async fn create_user(&self, actor: &Actor, email: &str, role: &str, body: Option<Id>, password: &str) -> Result<Id, AppError> {
        require_system(actor)?;
        let mut e = Invalid::default();
        let email = e.take(Email::parse("email", email));
        let role = e.take(Role::parse("role", role));
        match &email {
            Some(m) => e.take(check_password_for("password", password, m)),
            None => e.take(check_password("password", password)),
        };
        if let Some(b) = body {
            match self.store.get_body(b).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => e.push("body_id", "unknown", "no such body"),
                Err(other) => return Err(other.into()),
            }
        }
        if let Some(m) = &email {
            if self.store.account_by_email(m.as_str()).await?.is_some() {
                e.push("email", "duplicate", "an account with this e-mail already exists");
            }
        }
        e.into_result()?;
        let (email, role) = (email.expect("validated"), role.expect("validated"));
        let hash = hash_password(password).await;
        self.store.create_account(&email, &hash, &[(body, role)], &actor.trail()).await.map_err(|e| match e {
            // Another process created the same e-mail between our check and the insert.
            StoreError::Duplicate(_) => Invalid::one("email", "duplicate", "an account with this e-mail already exists").into(),
            StoreError::NotFound => Invalid::one("body_id", "unknown", "no such body").into(),
            other => other.into(),
        })
    }

    /// Issues a bearer token for the account with `email`. The token is returned once;
    /// only its hash is kept. Only the command line may, for now.
    pub async fn issue_token(&self, actor: &Actor, email: &str, scope: &str, label: &str) -> Result<NewToken, AppError> {
        require_system(actor)?;
        let mut e = Invalid::default();
        let email = e.take(Email::parse("email", email));
        let account = match &email {
            Some(m) => self.store.account_by_email(m.as_str()).await?,
            None => None,
        };
        match &account {
            None if email.is_some() => e.push("email", "unknown", "there is no account with this e-mail"),
            Some(a) if a.disabled_at.is_some() => e.push("email", "disabled", "this account is disabled"),
            _ => {}
        }
        let scope = e.take(TokenScope::parse("scope", scope));
        let label = if label.trim().is_empty() { Some(String::new()) } else { e.take(text::name("label", label, LABEL_MAX)) };
        e.into_result()?;
        let account = account.expect("validated");
        let token = format!("{TOKEN_PREFIX}{}", random_hex());
        let id = self
            .store
            .create_token(account.id, &secret_hash(&token), scope.expect("validated"), &label.expect("validated"), &actor.trail())
            .await?;
        Ok(NewToken { id, token })
    }

    /// Revokes a token: `Ok(true)` now, `Ok(false)` if it already was.
    pub async fn revoke_token(&self, actor: &Actor, token_id: Id) -> Result<bool, AppError> {
        require_system(actor)?;
        self.store.revoke_token(token_id, &actor.trail()).await.map_err(AppError::not_found("token"))
    }

    /// The account a bearer token acts for, if the token is known, not revoked and its
    /// account not disabled.
    pub async fn token(&self, raw: &str) -> Result<Option<TokenInfo>, AppError> {
        self.token_at(raw, now_ms()).await
    }

    async fn token_at(&self, raw: &str, now: i64) -> Result<Option<TokenInfo>, AppError> {
        if !raw.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(t) = self.store.token_by_hash(&secret_hash(raw)).await? else { return Ok(None) };
        if t.revoked_at.is_some() {
            return Ok(None);
        }
        let account = match self.store.get_account(t.account_id).await {
            Ok(a) if a.disabled_at.is_none() => a,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if t.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY_MS) {
            self.store.touch_token(t.id, now).await?;
        }
        Ok(Some(TokenInfo { token_id: t.id, account_id: account.id, email: account.email, roles: account.roles, scope: t.scope }))
    }

    /// Signs in with e-mail and password; `actor.ip` is the client's address.
    ///
    /// A wrong e-mail or password is `Unauthenticated`, the same for both. After
    /// `ACCOUNT_FAILURE_LIMIT` failures for one e-mail, or `IP_FAILURE_LIMIT` from one
    /// address, within `FAILURE_WINDOW_MS`, that e-mail or address is locked for
    /// `LOCK_MS`: `Conflict { code: "locked" }`, whatever the password. Every failure is
    /// in the audit trail, without the password.
    pub async fn login(&self, actor: &Actor, email: &str, password: &str) -> Result<NewSession, AppError> {
        self.login_at(actor, email, password, now_ms()).await
    }

    async fn login_at(&self, actor: &Actor, email: &str, password: &str, now: i64) -> Result<NewSession, AppError> {
        let account_key = account_key(email);
        let ip_key = actor.ip.as_deref().map(ip_key);
        let keys: Vec<&str> = std::iter::once(account_key.as_str()).chain(ip_key.as_deref()).collect();
        if let Some(until) = self.store.login_locked_until(&keys, now).await? {
            return Err(locked(until, now));
        }
        let account = match Email::parse("email", email) {
            Ok(m) => self.store.account_by_email(m.as_str()).await?,
            Err(_) => None,
        };
        let verified = verify_password(password, account.as_ref().map(|a| a.password_hash.clone())).await;
        match account {
            Some(a) if verified && a.disabled_at.is_none() => {
                self.store.clear_login_failures(&account_key).await?;
                // Sign-ins are rare enough to carry the clean-up of what has run out.
                self.store.delete_expired_sessions(now).await?;
                self.store.delete_stale_login_failures(now - FAILURE_WINDOW_MS, now).await?;
                let (id, csrf_token) = (random_hex(), random_hex());
                let expires_at = expiry(now, now);
                let record = SessionRecord {
                    id_hash: secret_hash(&id),
                    account_id: a.id,
                    csrf_token: csrf_token.clone(),
                    created_at: now,
                    expires_at,
                    last_seen_at: now,
                };
                self.store.create_session(&record).await?;
                Ok(NewSession { id, csrf_token, account_id: a.id, expires_at })
            }
            account => {
                // What was typed is recorded only when it names an account: people type
                // passwords into the e-mail field, and the trail must never hold one.
                let reason = match &account {
                    None => "unknown_email",
                    Some(a) if a.disabled_at.is_some() => "disabled",
                    Some(_) => "wrong_password",
                };
                let change = Change::created(&serde_json::json!({
                    "email": account.as_ref().map(|a| a.email.as_str()),
                    "reason": reason,
                }));
                let until = self.record_failure(&actor.trail(), account.as_ref().map(|a| a.id), account_key, ip_key, now, &change).await?;
                match until {
                    Some(until) => Err(locked(until, now)),
                    None => Err(AppError::Unauthenticated),
                }
            }
        }
    }

    async fn record_failure(
        &self,
        trail: &Trail,
        account: Option<Id>,
        account_key: String,
        ip_key: Option<String>,
        now: i64,
        change: &Change,
    ) -> Result<Option<i64>, AppError> {
        let mut rules =
            vec![FailureRule { key: account_key, threshold: ACCOUNT_FAILURE_LIMIT, window_ms: FAILURE_WINDOW_MS, lock_ms: LOCK_MS }];
        if let Some(key) = ip_key {
            rules.push(FailureRule { key, threshold: IP_FAILURE_LIMIT, window_ms: FAILURE_WINDOW_MS, lock_ms: LOCK_MS });
        }
        let until = self.store.record_login_failure(&rules, now, account, trail, change).await?;
        if until.is_some() {
            tracing::warn!("sign-in locked after repeated failures");
        }
        Ok(until)
    }

    /// The account behind a session cookie, if the session is still valid. Sessions
    /// slide: each use (noted at most once a minute) extends the idle limit, never past
    /// the absolute one.
    pub async fn session(&self, raw_id: &str) -> Result<Option<SessionInfo>, AppError> {
        self.session_at(raw_id, now_ms()).await
    }

    async fn session_at(&self, raw_id: &str, now: i64) -> Result<Option<SessionInfo>, AppError> {
        let Some(s) = self.store.session_by_hash(&secret_hash(raw_id)).await? else { return Ok(None) };
        if !alive(s.created_at, s.last_seen_at, now) {
            self.store.delete_session(&s.id_hash).await?;
            return Ok(None);
        }
        let account = match self.store.get_account(s.account_id).await {
            Ok(a) if a.disabled_at.is_none() => a,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut expires_at = s.expires_at;
        if now - s.last_seen_at >= TOUCH_EVERY_MS {
            expires_at = expiry(s.created_at, now);
            self.store.touch_session(&s.id_hash, now, expires_at).await?;
        }
        Ok(Some(SessionInfo { account_id: account.id, email: account.email, roles: account.roles, csrf_token: s.csrf_token, expires_at }))
    }

    /// Ends a session; ending one that does not exist is not an error.
    pub async fn logout(&self, raw_id: &str) -> Result<(), AppError> {
        self.store.delete_session(&secret_hash(raw_id)).await?;
        Ok(())
    }

    /// Changes an account's password after checking the current one, and ends every other
    /// session of the account (`current_session` is the raw id of the one to keep).
    /// Problems are by field: `current_password`, `new_password`. A wrong current
    /// password counts as a failed sign-in, so a borrowed session cannot guess it freely.
    pub async fn change_password(
        &self,
        actor: &Actor,
        account_id: Id,
        current_session: Option<&str>,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        if let Who::Staff(s) = &actor.who {
            // A read-scope token changes nothing, its own account's password included.
            if !s.may_write || s.account_id != account_id {
                return Err(AppError::Forbidden);
            }
        }
        let now = now_ms();
        let account = self.store.get_account(account_id).await.map_err(AppError::not_found("account"))?;
        let account_key = account_key(&account.email);
        let ip_key = actor.ip.as_deref().map(ip_key);
        let keys: Vec<&str> = std::iter::once(account_key.as_str()).chain(ip_key.as_deref()).collect();
        if let Some(until) = self.store.login_locked_until(&keys, now).await? {
            return Err(locked(until, now));
        }
        // The staff member acts on their own account; the command line names itself.
        let trail = match actor.who {
            Who::System => actor.trail(),
            _ => Trail { actor: format!("account:{account_id}"), ..actor.trail() },
        };
        if !verify_password(current_password, Some(account.password_hash.clone())).await {
            let change = Change::created(&serde_json::json!({ "email": account.email, "reason": "wrong_current_password" }));
            if let Some(until) = self.record_failure(&trail, Some(account_id), account_key, ip_key, now, &change).await? {
                return Err(locked(until, now));
            }
            return Err(Invalid::one("current_password", "wrong_password", "this is not your current password").into());
        }
        let email = Email::parse("email", &account.email).map_err(|_| AppError::Internal(StoreError::Corrupt("email")))?;
        let mut e = Invalid::default();
        e.take(check_password_for("new_password", new_password, &email));
        if e.is_empty() && new_password == current_password {
            e.push("new_password", "unchanged", "must differ from the current password");
        }
        e.into_result()?;
        let hash = hash_password(new_password).await;
        let keep = current_session.map(secret_hash);
        self.store.set_password(account_id, &hash, keep.as_deref(), &trail).await.map_err(AppError::not_found("account"))?;
        self.store.clear_login_failures(&account_key).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_slide_up_to_the_absolute_limit() {
        let start = 1_000_000_000_000;
        assert_eq!(expiry(start, start), start + SESSION_IDLE_MS);
        let late = start + SESSION_ABSOLUTE_MS - HOUR;
        assert_eq!(expiry(start, late), start + SESSION_ABSOLUTE_MS, "never past the absolute limit");
        assert!(alive(start, start, start + SESSION_IDLE_MS - 1));
        assert!(!alive(start, start, start + SESSION_IDLE_MS), "idle too long");
        let seen = start + SESSION_ABSOLUTE_MS - MINUTE;
        assert!(alive(start, seen, seen + 1));
        assert!(!alive(start, seen, start + SESSION_ABSOLUTE_MS), "used all along, still ends");
    }

    #[test]
    fn secrets_are_random_and_stored_hashed() {
        let (a, b) = (random_hex(), random_hex());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        let h = secret_hash(&a);
        assert_eq!(h.len(), 64);
        assert_ne!(h, a);
        assert_eq!(secret_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn lock_messages_round_minutes_up() {
        let AppError::Conflict { code, message } = locked(10 * MINUTE + 1, 0) else { panic!() };
        assert_eq!(code, "locked");
        assert!(message.contains("11 minute"), "{message}");
        let AppError::Conflict { message, .. } = locked(5, 5) else { panic!() };
        assert!(message.contains("1 minute"), "{message}");
    }

    #[test]
    fn grants_for_every_body_cover_each_body() {
        let (a, b) = (Id::new(), Id::new());
        let roles = vec![(None, Role::Analyst), (Some(a), Role::Executor)];
        assert!(covers(&roles, Role::Analyst, b));
        assert!(covers(&roles, Role::Executor, a));
        assert!(!covers(&roles, Role::Executor, b));
        assert!(!covers(&roles, Role::Administrator, a));
    }

    #[test]
    fn csrf_tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn passwords_hash_to_argon2id_phc_strings() {
        let h = hash_now("correct horse battery");
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert_ne!(h, hash_now("correct horse battery"), "salted");
        assert!(Argon2::default().verify_password(b"correct horse battery", h.as_str()).is_ok());
        assert!(Argon2::default().verify_password(b"correct horse batterY", h.as_str()).is_err());
    }
}
