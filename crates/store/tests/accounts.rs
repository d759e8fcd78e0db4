//! Accounts, roles, tokens, sessions and failed sign-ins on both backends.

use okno_domain::account::{Email, Role, TokenScope};
use okno_domain::org::BodyInput;
use okno_domain::Id;
use okno_store::testing::TestDb;
use okno_store::{both_backends, AuditCheck, AuditFilter, Change, FailureRule, SessionRecord, Store, StoreError, Trail};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

fn by() -> Trail {
    Trail { actor: "system".into(), request_id: None, ip: None }
}

fn email(s: &str) -> Email {
    Email::parse("email", s).unwrap()
}

async fn body(s: &Store) -> Id {
    let b = BodyInput { name: "МФЦ".into(), ..Default::default() }.validate().unwrap();
    s.create_body(&b, &by(), &Change::created(&b)).await.unwrap()
}

fn session(id_hash: &str, account: Id, now: i64) -> SessionRecord {
    SessionRecord {
        id_hash: id_hash.into(),
        account_id: account,
        csrf_token: format!("csrf-{id_hash}"),
        created_at: now,
        expires_at: now + 1000,
        last_seen_at: now,
    }
}

fn rule(key: &str, threshold: i64) -> FailureRule {
    FailureRule { key: key.into(), threshold, window_ms: 1000, lock_ms: 5000 }
}

both_backends!(accounts_are_created_read_and_unique_by_email, |db: TestDb| async move {
    let s = &db.store;
    let b = body(s).await;
    let id = s.create_account(&email("Anna@Example.ru"), HASH, &[(Some(b), Role::Executor), (None, Role::Analyst)], &by()).await.unwrap();
    let a = s.get_account(id).await.unwrap();
    assert_eq!(a.email, "anna@example.ru");
    assert_eq!(a.password_hash, HASH);
    assert_eq!(a.disabled_at, None);
    assert_eq!(a.roles, vec![(None, Role::Analyst), (Some(b), Role::Executor)], "grants for every body first");
    assert_eq!(s.account_by_email("anna@example.ru").await.unwrap().unwrap().id, id);
    assert!(s.account_by_email("boris@example.ru").await.unwrap().is_none());
    assert!(matches!(s.get_account(Id::new()).await, Err(StoreError::NotFound)));
    assert!(!format!("{a:?}").contains("argon2") && !format!("{a:?}").contains("anna"), "Debug hides the hash and the address");

    let dup = s.create_account(&email("anna@example.ru"), HASH, &[(None, Role::Analyst)], &by()).await;
    assert!(matches!(dup, Err(StoreError::Duplicate("account"))), "{dup:?}");
    let no_body = s.create_account(&email("boris@example.ru"), HASH, &[(Some(Id::new()), Role::Analyst)], &by()).await;
    assert!(matches!(no_body, Err(StoreError::NotFound)), "{no_body:?}");
    assert!(s.account_by_email("boris@example.ru").await.unwrap().is_none(), "a failed create leaves nothing behind");
    assert_eq!(s.list_accounts().await.unwrap().len(), 1);
});

both_backends!(roles_are_granted_once_per_body_and_revoked, |db: TestDb| async move {
    let s = &db.store;
    let b = body(s).await;
    let id = s.create_account(&email("anna@example.ru"), HASH, &[(None, Role::Administrator)], &by()).await.unwrap();
    let again = s.grant_role(id, None, Role::Administrator, &by()).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "a grant for every body is unique too: {again:?}");
    s.grant_role(id, Some(b), Role::Administrator, &by()).await.unwrap();
    assert!(matches!(s.grant_role(id, Some(b), Role::Administrator, &by()).await, Err(StoreError::Duplicate(_))));
    s.grant_role(id, Some(b), Role::UnitHead, &by()).await.unwrap();
    assert!(matches!(s.grant_role(id, Some(Id::new()), Role::UnitHead, &by()).await, Err(StoreError::NotFound)));
    assert!(matches!(s.grant_role(Id::new(), None, Role::UnitHead, &by()).await, Err(StoreError::NotFound)));
    assert_eq!(s.get_account(id).await.unwrap().roles.len(), 3);

    s.revoke_role(id, None, Role::Administrator, &by()).await.unwrap();
    assert!(matches!(s.revoke_role(id, None, Role::Administrator, &by()).await, Err(StoreError::NotFound)));
    assert_eq!(s.get_account(id).await.unwrap().roles, vec![(Some(b), Role::Administrator), (Some(b), Role::UnitHead)]);
});

both_backends!(account_changes_are_audited_without_secrets, |db: TestDb| async move {
    let s = &db.store;
    let b = body(s).await;
    let id = s.create_account(&email("anna@example.ru"), HASH, &[(Some(b), Role::ServiceOwner)], &by()).await.unwrap();
    s.set_password(id, "$argon2id$new", None, &by()).await.unwrap();
    s.grant_role(id, None, Role::Analyst, &by()).await.unwrap();
    let t = s.create_token(id, "tokenhash-1", TokenScope::Write, "1C", &by()).await.unwrap();
    assert!(s.revoke_token(t, &by()).await.unwrap());
    s.set_account_disabled(id, true, &by()).await.unwrap();
    s.set_account_disabled(id, false, &by()).await.unwrap();
    s.revoke_role(id, None, Role::Analyst, &by()).await.unwrap();

    let page = s.audit_page(&AuditFilter::default(), 50, 0).await.unwrap();
    let actions: Vec<&str> = page.items.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "body.create",
            "account.create",
            "account.password",
            "role.grant",
            "token.create",
            "token.revoke",
            "account.disable",
            "account.enable",
            "role.revoke"
        ]
    );
    let created = page.items.iter().find(|e| e.action == "account.create").unwrap();
    assert_eq!(created.entity, "account");
    assert_eq!(created.entity_id, Some(id));
    assert_eq!(created.body_id, Some(b));
    let after = created.after.as_ref().unwrap();
    assert_eq!(after["email"], "anna@example.ru");
    assert_eq!(after["roles"][0]["role"], "service_owner");
    let token = page.items.iter().find(|e| e.action == "token.create").unwrap();
    assert_eq!((token.entity.as_str(), token.entity_id), ("token", Some(t)));
    assert_eq!(token.after.as_ref().unwrap()["label"], "1C");
    for e in &page.items {
        let text = format!("{:?} {:?}", e.before, e.after);
        assert!(!text.contains("argon2") && !text.contains("tokenhash"), "{}: {text}", e.action);
    }
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 9 });
});

both_backends!(tokens_are_found_by_hash_and_revoked, |db: TestDb| async move {
    let s = &db.store;
    let id = s.create_account(&email("anna@example.ru"), HASH, &[(None, Role::Analyst)], &by()).await.unwrap();
    let t = s.create_token(id, "hash-a", TokenScope::Read, "", &by()).await.unwrap();
    let dup = s.create_token(id, "hash-a", TokenScope::Read, "", &by()).await;
    assert!(matches!(dup, Err(StoreError::Duplicate("token"))), "{dup:?}");
    assert!(matches!(s.create_token(Id::new(), "hash-b", TokenScope::Read, "", &by()).await, Err(StoreError::NotFound)));
    let found = s.token_by_hash("hash-a").await.unwrap().unwrap();
    assert_eq!((found.id, found.account_id, found.scope, found.revoked_at, found.last_used_at), (t, id, TokenScope::Read, None, None));
    assert!(s.token_by_hash("hash-x").await.unwrap().is_none());
    s.touch_token(t, 1234).await.unwrap();
    assert_eq!(s.get_token(t).await.unwrap().last_used_at, Some(1234));

    assert!(s.revoke_token(t, &by()).await.unwrap());
    assert!(!s.revoke_token(t, &by()).await.unwrap(), "revoking twice writes nothing");
    assert!(matches!(s.revoke_token(Id::new(), &by()).await, Err(StoreError::NotFound)));
    assert!(s.token_by_hash("hash-a").await.unwrap().unwrap().revoked_at.is_some());
    assert_eq!(s.list_tokens(id).await.unwrap().len(), 1);
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 3 });
});

both_backends!(sessions_are_kept_touched_and_ended, |db: TestDb| async move {
    let s = &db.store;
    let a = s.create_account(&email("anna@example.ru"), HASH, &[], &by()).await.unwrap();
    let b = s.create_account(&email("boris@example.ru"), HASH, &[], &by()).await.unwrap();
    for (h, acc, at) in [("s1", a, 100), ("s2", a, 5000), ("s3", a, 5000), ("s4", b, 5000)] {
        s.create_session(&session(h, acc, at)).await.unwrap();
    }
    assert!(s.create_session(&session("s5", Id::new(), 0)).await.is_err(), "a session needs an account");
    let got = s.session_by_hash("s2").await.unwrap().unwrap();
    assert_eq!(got, session("s2", a, 5000));
    s.touch_session("s2", 5500, 9000).await.unwrap();
    let got = s.session_by_hash("s2").await.unwrap().unwrap();
    assert_eq!((got.last_seen_at, got.expires_at), (5500, 9000));

    assert_eq!(s.delete_expired_sessions(1100).await.unwrap(), 1, "s1 expired at 1100");
    assert!(s.session_by_hash("s1").await.unwrap().is_none());
    assert_eq!(s.delete_sessions(a, Some("s2")).await.unwrap(), 1, "s3 goes, s2 is kept");
    assert!(s.session_by_hash("s2").await.unwrap().is_some());
    assert!(s.delete_session("s2").await.unwrap());
    assert!(!s.delete_session("s2").await.unwrap());

    s.create_session(&session("s6", b, 5000)).await.unwrap();
    s.set_password(b, "$argon2id$other", Some("s6"), &by()).await.unwrap();
    assert!(s.session_by_hash("s4").await.unwrap().is_none(), "a new password ends the other sessions");
    assert!(s.session_by_hash("s6").await.unwrap().is_some(), "but not the one that changed it");
    s.set_account_disabled(b, true, &by()).await.unwrap();
    assert!(s.session_by_hash("s6").await.unwrap().is_none(), "disabling ends every session");
    assert_eq!(s.get_account(b).await.unwrap().password_hash, "$argon2id$other");
});

both_backends!(failed_sign_ins_are_counted_locked_and_cleared, |db: TestDb| async move {
    let s = &db.store;
    let change = Change::created(&serde_json::json!({ "reason": "wrong_password" }));
    let rules = [rule("account:anna@example.ru", 3), rule("ip:10.0.0.1", 5)];
    let keys = ["account:anna@example.ru", "ip:10.0.0.1"];
    // Failures at t = 0, 10, 20 of a window of 1000: the third locks the account key.
    assert_eq!(s.record_login_failure(&rules, 0, None, &by(), &change).await.unwrap(), None);
    assert_eq!(s.record_login_failure(&rules, 10, None, &by(), &change).await.unwrap(), None);
    assert_eq!(s.login_locked_until(&keys, 15).await.unwrap(), None);
    assert_eq!(s.record_login_failure(&rules, 20, None, &by(), &change).await.unwrap(), Some(5020));
    assert_eq!(s.login_failures("account:anna@example.ru").await.unwrap(), Some((3, Some(5020))));
    assert_eq!(s.login_failures("ip:10.0.0.1").await.unwrap(), Some((3, None)));
    assert_eq!(s.login_locked_until(&keys, 21).await.unwrap(), Some(5020));
    assert_eq!(s.login_locked_until(&["ip:10.0.0.1"], 21).await.unwrap(), None, "the address is not locked yet");
    assert_eq!(s.login_locked_until(&keys, 5020).await.unwrap(), None, "the lock ends");
    assert_eq!(s.login_locked_until(&[], 21).await.unwrap(), None);

    // After the window a failure starts a new count and drops the old lock.
    assert_eq!(s.record_login_failure(&rules[..1], 6000, None, &by(), &change).await.unwrap(), None);
    assert_eq!(s.login_failures("account:anna@example.ru").await.unwrap(), Some((1, None)));

    // Two more failures from the address within its window lock it (5 in all).
    s.record_login_failure(&rules[1..], 30, None, &by(), &change).await.unwrap();
    assert_eq!(s.record_login_failure(&rules[1..], 40, None, &by(), &change).await.unwrap(), Some(5040));

    s.clear_login_failures("account:anna@example.ru").await.unwrap();
    assert_eq!(s.login_failures("account:anna@example.ru").await.unwrap(), None);
    assert!(s.login_failures("ip:10.0.0.1").await.unwrap().is_some(), "clearing one key keeps the others");

    // The address's count began at 0 and is locked until 5040; a stale unlocked count goes.
    s.record_login_failure(&[rule("account:old@example.ru", 3)], 100, None, &by(), &change).await.unwrap();
    assert_eq!(s.delete_stale_login_failures(2000, 3000).await.unwrap(), 1);
    assert_eq!(s.login_failures("account:old@example.ru").await.unwrap(), None);
    assert!(s.login_failures("ip:10.0.0.1").await.unwrap().is_some(), "a lock in force is kept");
    assert_eq!(s.delete_stale_login_failures(2000, 6000).await.unwrap(), 1, "and goes when it ends");

    let page = s.audit_page(&AuditFilter { entity: Some("account".into()), ..Default::default() }, 50, 0).await.unwrap();
    assert_eq!(page.total, 7, "every failure is audited");
    assert!(page.items.iter().all(|e| e.action == "login.failed"));
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 7 });
});
