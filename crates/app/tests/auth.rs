//! Staff sign-in through the use cases, on SQLite and on PostgreSQL: passwords, lockout,
//! sessions, tokens and what the audit trail keeps of them.

use okno_app::{Actor, App, AppError, Who, ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, TOKEN_PREFIX};
use okno_domain::account::{Role, TokenScope};
use okno_domain::org::BodyInput;
use okno_domain::Id;
use okno_store::testing::TestDb;
use okno_store::{both_backends, AuditCheck, AuditFilter};

const PASSWORD: &str = "Ведомость-2026 весна";
const EMAIL: &str = "anna@mfc.example.ru";

fn from(ip: &str) -> Actor {
    Actor { who: Who::Anonymous, request_id: Some("req-7".into()), ip: Some(ip.into()) }
}

async fn raw(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

/// An app with one administrator, `EMAIL` / `PASSWORD`.
async fn app_with_user(db: &TestDb) -> (App, Id) {
    let app = App::new(db.store.clone());
    let id = app.create_user(&Actor::system(), EMAIL, "administrator", None, PASSWORD).await.unwrap();
    (app, id)
}

fn is_locked(r: &Result<okno_app::NewSession, AppError>) -> bool {
    matches!(r, Err(AppError::Conflict { code: "locked", .. }))
}

fn fields(e: AppError) -> Vec<(String, &'static str)> {
    match e {
        AppError::Invalid(inv) => inv.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

both_backends!(users_are_created_only_valid_and_only_by_the_system, |db: TestDb| async move {
    let app = App::new(db.store.clone());
    let sys = Actor::system();
    let b = app.create_body(&sys, &BodyInput { name: "МФЦ".into(), ..Default::default() }).await.unwrap();
    let id = app.create_user(&sys, " Anna@MFC.example.ru ", "unit_head", Some(b), PASSWORD).await.unwrap();
    let a = app.store().get_account(id).await.unwrap();
    assert_eq!(a.email, EMAIL);
    assert_eq!(a.roles, vec![(Some(b), Role::UnitHead)]);
    assert!(a.password_hash.starts_with("$argon2id$"), "stored as an argon2id PHC string");
    assert!(!a.password_hash.contains(PASSWORD));

    let errs = fields(app.create_user(&sys, "not an email", "root", Some(Id::new()), "short").await.unwrap_err());
    assert_eq!(
        errs,
        [
            ("email".to_string(), "invalid_email"),
            ("role".to_string(), "not_allowed"),
            ("password".to_string(), "too_short"),
            ("body_id".to_string(), "unknown")
        ]
    );
    let errs = fields(app.create_user(&sys, EMAIL, "analyst", None, PASSWORD).await.unwrap_err());
    assert_eq!(errs, [("email".to_string(), "duplicate")]);
    let errs = fields(app.create_user(&sys, "boris.petrov@example.ru", "analyst", None, "Boris.Petrov").await.unwrap_err());
    assert_eq!(errs, [("password".to_string(), "like_email")]);
    assert!(matches!(app.create_user(&Actor::open(), "b@example.ru", "analyst", None, PASSWORD).await, Err(AppError::Forbidden)));
    assert!(matches!(
        app.create_user(&Actor::anonymous(), "b@example.ru", "analyst", None, PASSWORD).await,
        Err(AppError::Unauthenticated)
    ));
    assert_eq!(app.store().list_accounts().await.unwrap().len(), 1, "refused creations change nothing");
});

both_backends!(sign_in_succeeds_with_the_right_password_only, |db: TestDb| async move {
    let (app, id) = app_with_user(&db).await;
    let s = app.login(&from("10.0.0.1"), "ANNA@mfc.example.ru", PASSWORD).await.unwrap();
    assert_eq!(s.account_id, id);
    assert_eq!((s.id.len(), s.csrf_token.len()), (64, 64));
    assert_ne!(s.id, s.csrf_token);
    assert!(!format!("{s:?}").contains(&s.id), "Debug hides the session id");
    let info = app.session(&s.id).await.unwrap().expect("a valid session");
    assert_eq!((info.account_id, info.email.as_str(), info.csrf_token.as_str()), (id, EMAIL, s.csrf_token.as_str()));
    assert_eq!(info.roles, vec![(None, Role::Administrator)]);
    assert!(info.holds(Role::Administrator, Id::new()));
    assert!(info.csrf_matches(&s.csrf_token) && !info.csrf_matches("forged"));

    assert!(matches!(app.login(&from("10.0.0.1"), EMAIL, "wrong password!").await, Err(AppError::Unauthenticated)));
    assert!(matches!(app.login(&from("10.0.0.1"), "nobody@example.ru", PASSWORD).await, Err(AppError::Unauthenticated)));
    assert!(matches!(app.login(&from("10.0.0.1"), "", "").await, Err(AppError::Unauthenticated)));
    assert!(app.session("not-a-session").await.unwrap().is_none());
    assert!(app.session("").await.unwrap().is_none());
    let second = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    assert_ne!(second.id, s.id, "each sign-in is a new session");
    assert_eq!(
        app.store().login_failures(&format!("account:{EMAIL}")).await.unwrap(),
        None,
        "a successful sign-in clears the account's failures"
    );
});

both_backends!(failed_sign_ins_are_audited_without_the_password, |db: TestDb| async move {
    let (app, id) = app_with_user(&db).await;
    app.login(&from("192.0.2.9"), EMAIL, "Ведомость-2026 осень").await.unwrap_err();
    app.login(&from("192.0.2.9"), "Ведомость-2026 весна", "typed into the e-mail field").await.unwrap_err();
    let page = app
        .audit(&Actor::system(), &AuditFilter { entity: Some("account".into()), ..Default::default() }, Default::default())
        .await
        .unwrap();
    let failed: Vec<_> = page.items.iter().filter(|e| e.action == "login.failed").collect();
    assert_eq!(failed.len(), 2);
    let (unknown, known) = (failed[0], failed[1]);
    assert_eq!(known.entity_id, Some(id));
    assert_eq!(known.after.as_ref().unwrap()["email"], EMAIL);
    assert_eq!(known.after.as_ref().unwrap()["reason"], "wrong_password");
    assert_eq!((known.actor.as_str(), known.ip.as_deref(), known.request_id.as_deref()), ("anonymous", Some("192.0.2.9"), Some("req-7")));
    assert_eq!(unknown.entity_id, None);
    assert_eq!(unknown.after.as_ref().unwrap()["email"], serde_json::Value::Null, "what was typed is not kept when it names no one");
    for e in &page.items {
        let text = format!("{:?} {:?}", e.before, e.after);
        assert!(!text.contains("Ведомость") && !text.contains("argon2"), "{text}");
    }
    assert_eq!(app.store().verify_audit().await.unwrap(), AuditCheck::Intact { entries: 3 });
});

both_backends!(an_account_locks_after_repeated_failures_and_unlocks_after_the_window, |db: TestDb| async move {
    let (app, _) = app_with_user(&db).await;
    for i in 1..ACCOUNT_FAILURE_LIMIT {
        // Each from another address: the account is what is counted.
        let r = app.login(&from(&format!("10.0.0.{i}")), EMAIL, "wrong password!").await;
        assert!(matches!(r, Err(AppError::Unauthenticated)), "failure {i}: {r:?}");
    }
    let fifth = app.login(&from("10.0.0.99"), EMAIL, "wrong password!").await;
    assert!(is_locked(&fifth), "the fifth failure locks: {fifth:?}");
    let right = app.login(&from("10.0.0.100"), EMAIL, PASSWORD).await;
    assert!(is_locked(&right), "locked even with the right password: {right:?}");
    let Err(AppError::Conflict { message, .. }) = right else { unreachable!() };
    assert!(message.contains("15 minute"), "{message}");
    assert!(is_locked(&app.login(&from("10.0.0.100"), " Anna@MFC.example.ru", PASSWORD).await), "the e-mail is folded");
    assert!(app
        .login(&from("10.0.0.1"), "other@example.ru", "wrong password!")
        .await
        .is_err_and(|e| matches!(e, AppError::Unauthenticated)));

    // The lock has passed: move its times 16 minutes back.
    let back = 16 * 60_000;
    raw(&db, &format!("UPDATE login_failures SET locked_until = locked_until - {back}, first_failure_at = first_failure_at - {back}"))
        .await;
    app.login(&from("10.0.0.100"), EMAIL, PASSWORD).await.expect("unlocked after the window");
    assert_eq!(app.store().login_failures(&format!("account:{EMAIL}")).await.unwrap(), None);
});

both_backends!(unknown_emails_lock_like_known_ones, |db: TestDb| async move {
    let (app, _) = app_with_user(&db).await;
    let mut last = None;
    for _ in 0..ACCOUNT_FAILURE_LIMIT {
        last = Some(app.login(&from("10.0.0.1"), "nobody@example.ru", "wrong password!").await);
    }
    assert!(is_locked(last.as_ref().unwrap()), "no difference tells which e-mails exist");
});

both_backends!(an_address_locks_after_many_failures, |db: TestDb| async move {
    let (app, _) = app_with_user(&db).await;
    // Failures spread over e-mails, so no account locks; the address does. Old failures
    // from the address, outside the window, do not count: the count starts again.
    raw(
        &db,
        &format!("INSERT INTO login_failures (key, failures, first_failure_at) VALUES ('ip:203.0.113.5', {}, 0)", IP_FAILURE_LIMIT - 3),
    )
    .await;
    for i in 0..IP_FAILURE_LIMIT - 1 {
        let r = app.login(&from("203.0.113.5"), &format!("user{i}@example.ru"), "wrong password!").await;
        assert!(matches!(r, Err(AppError::Unauthenticated)), "failure {i}: {r:?}");
    }
    let last = app.login(&from("203.0.113.5"), "user-last@example.ru", "wrong password!").await;
    assert!(is_locked(&last), "failure {IP_FAILURE_LIMIT} locks the address: {last:?}");
    assert!(is_locked(&app.login(&from("203.0.113.5"), EMAIL, PASSWORD).await), "even for the right password");
    app.login(&from("203.0.113.6"), EMAIL, PASSWORD).await.expect("another address is not locked");
    let no_ip = Actor { ip: None, ..from("x") };
    app.login(&no_ip, EMAIL, PASSWORD).await.expect("without an address only the account counts");
});

both_backends!(sessions_expire_when_idle_or_old_and_end_on_logout, |db: TestDb| async move {
    let (app, _) = app_with_user(&db).await;
    let a = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    let b = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    let c = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    let hour = 3_600_000i64;

    // Idle for 11 hours: still valid, and using it slides the idle limit.
    raw(&db, &format!("UPDATE sessions SET last_seen_at = last_seen_at - {}, created_at = created_at - {}", 11 * hour, 11 * hour)).await;
    let before = app.session(&a.id).await.unwrap().expect("valid after 11 idle hours");
    assert!(before.expires_at > a.expires_at, "the idle limit moved on");
    // Idle for 13 hours: gone, and its row with it.
    raw(&db, &format!("UPDATE sessions SET last_seen_at = last_seen_at - {}", 13 * hour)).await;
    assert!(app.session(&b.id).await.unwrap().is_none(), "idle too long");
    assert!(app.session(&b.id).await.unwrap().is_none());
    // Used a minute ago but signed in 8 days ago: gone.
    raw(&db, &format!("UPDATE sessions SET created_at = created_at - {}, last_seen_at = {}", 8 * 24 * hour, now_ms() - 60_000)).await;
    assert!(app.session(&c.id).await.unwrap().is_none(), "older than the absolute limit");

    let d = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    assert!(app.session(&d.id).await.unwrap().is_some());
    app.logout(&d.id).await.unwrap();
    assert!(app.session(&d.id).await.unwrap().is_none(), "logout ends the session");
    app.logout(&d.id).await.unwrap();
});

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

both_backends!(changing_the_password_ends_the_other_sessions, |db: TestDb| async move {
    let (app, id) = app_with_user(&db).await;
    let here = app.login(&from("10.0.0.1"), EMAIL, PASSWORD).await.unwrap();
    let elsewhere = app.login(&from("10.0.0.2"), EMAIL, PASSWORD).await.unwrap();
    let me = from("10.0.0.1");
    let new = "Новый пароль на весну";

    let errs = fields(app.change_password(&me, id, Some(&here.id), "not my password", new).await.unwrap_err());
    assert_eq!(errs, [("current_password".to_string(), "wrong_password")]);
    let errs = fields(app.change_password(&me, id, Some(&here.id), PASSWORD, "short").await.unwrap_err());
    assert_eq!(errs, [("new_password".to_string(), "too_short")]);
    let errs = fields(app.change_password(&me, id, Some(&here.id), PASSWORD, PASSWORD).await.unwrap_err());
    assert_eq!(errs, [("new_password".to_string(), "unchanged")]);
    assert!(app.session(&elsewhere.id).await.unwrap().is_some(), "refused changes end nothing");

    app.change_password(&me, id, Some(&here.id), PASSWORD, new).await.unwrap();
    assert!(app.session(&here.id).await.unwrap().is_some(), "the session that changed it stays");
    assert!(app.session(&elsewhere.id).await.unwrap().is_none(), "every other session ends");
    assert!(matches!(app.login(&me, EMAIL, PASSWORD).await, Err(AppError::Unauthenticated)));
    app.login(&me, EMAIL, new).await.expect("the new password works");

    let page = app.audit(&Actor::system(), &AuditFilter::default(), Default::default()).await.unwrap();
    let changed = page.items.iter().find(|e| e.action == "account.password").unwrap();
    assert_eq!((changed.actor.as_str(), changed.entity_id), (format!("account:{id}").as_str(), Some(id)));
    for e in &page.items {
        let text = format!("{:?} {:?}", e.before, e.after);
        assert!(!text.contains("пароль") && !text.contains("Ведомость") && !text.contains("argon2"), "{text}");
    }
    assert!(matches!(app.store().verify_audit().await.unwrap(), AuditCheck::Intact { .. }));
});

both_backends!(tokens_are_issued_looked_up_and_revoked, |db: TestDb| async move {
    let (app, id) = app_with_user(&db).await;
    let sys = Actor::system();
    let t = app.issue_token(&sys, EMAIL, "write", "1C integration").await.unwrap();
    assert!(t.token.starts_with(TOKEN_PREFIX) && t.token.len() == TOKEN_PREFIX.len() + 64, "{}", t.token.len());
    assert!(!format!("{t:?}").contains(&t.token), "Debug hides the token");
    let stored = app.store().get_token(t.id).await.unwrap();
    assert_eq!((stored.scope, stored.label.as_str(), stored.last_used_at), (TokenScope::Write, "1C integration", None));

    let info = app.token(&t.token).await.unwrap().expect("a valid token");
    assert_eq!((info.token_id, info.account_id, info.email.as_str(), info.scope), (t.id, id, EMAIL, TokenScope::Write));
    assert!(info.holds(Role::Administrator, Id::new()));
    assert!(app.store().get_token(t.id).await.unwrap().last_used_at.is_some(), "use is noted");
    assert!(app.token("okno_0000").await.unwrap().is_none());
    assert!(app.token(&t.token[TOKEN_PREFIX.len()..]).await.unwrap().is_none(), "the prefix is part of the token");

    let errs = fields(app.issue_token(&sys, "nobody@example.ru", "admin", "").await.unwrap_err());
    assert_eq!(errs, [("email".to_string(), "unknown"), ("scope".to_string(), "not_allowed")]);
    assert!(matches!(app.issue_token(&Actor::open(), EMAIL, "read", "").await, Err(AppError::Forbidden)));

    let other = app.issue_token(&sys, EMAIL, "read", "").await.unwrap();
    assert!(app.revoke_token(&sys, t.id).await.unwrap());
    assert!(!app.revoke_token(&sys, t.id).await.unwrap(), "already revoked");
    assert!(app.token(&t.token).await.unwrap().is_none(), "a revoked token acts for no one");
    assert_eq!(app.token(&other.token).await.unwrap().unwrap().scope, TokenScope::Read, "other tokens still work");
    assert!(matches!(app.revoke_token(&sys, Id::new()).await, Err(AppError::NotFound("token"))));

    let page = app.audit(&sys, &AuditFilter { entity: Some("token".into()), ..Default::default() }, Default::default()).await.unwrap();
    assert_eq!(page.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["token.revoke", "token.create", "token.create"]);
    for e in &page.items {
        let text = format!("{:?} {:?}", e.before, e.after);
        assert!(!text.contains(&t.token[TOKEN_PREFIX.len()..]) && !text.contains(&other.token[TOKEN_PREFIX.len()..]), "{text}");
    }
});
