//! The audit trail on both backends: every change leaves one chained entry, and editing
//! or removing any entry is found by `verify_audit`.

use okno_domain::offering::OfferingInput;
use okno_domain::org::{BodyInput, UnitInput};
use okno_store::testing::TestDb;
use okno_store::{both_backends, AuditCheck, AuditFilter, Change, Store, Trail};

fn by(who: &str) -> Trail {
    Trail { actor: who.into(), request_id: Some("req-1".into()), ip: Some("127.0.0.1".into()) }
}

/// Three changes: a body, a unit, an offering, then an update of the offering.
async fn some_changes(s: &Store) -> okno_domain::Id {
    let body = BodyInput { name: "МФЦ".into(), ..Default::default() }.validate().unwrap();
    let b = s.create_body(&body, &by("alice"), &Change::created(&body)).await.unwrap();
    let unit = UnitInput { body_id: Some(b), name: "Отдел".into(), ..Default::default() }.validate().unwrap();
    let u = s.create_unit(&unit, &by("alice"), &Change::created(&unit)).await.unwrap();
    let o = OfferingInput {
        body_id: Some(b),
        name: "Выписка".into(),
        kind: "service".into(),
        service_kind: Some("regulated".into()),
        owner_unit_id: Some(u),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let id = s.create_offering(&o, &by("bob"), &Change::created(&o)).await.unwrap();
    let before = s.get_offering(id).await.unwrap();
    let mut o2 = o.clone();
    o2.name = "Выписка из реестра".into();
    s.update_offering(id, &o2, Some(1), &by("bob"), &Change::updated(&before, &o2)).await.unwrap();
    id
}

async fn raw(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

both_backends!(every_change_is_recorded_and_chained, |db: TestDb| async move {
    let s = &db.store;
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 0 });
    let id = some_changes(s).await;
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 4 });
    let page = s.audit_page(&AuditFilter::default(), 10, 0).await.unwrap();
    assert_eq!(page.total, 4);
    let last = &page.items[0];
    assert_eq!((last.seq, last.action.as_str(), last.actor.as_str()), (4, "offering.update", "bob"));
    assert_eq!(last.entity_id, Some(id));
    assert_eq!(last.before.as_ref().unwrap()["name"], "Выписка");
    assert_eq!(last.after.as_ref().unwrap()["name"], "Выписка из реестра");
    assert_eq!(last.request_id.as_deref(), Some("req-1"));
    assert_eq!(last.ip.as_deref(), Some("127.0.0.1"));
    let bobs = s.audit_page(&AuditFilter { actor: Some("bob".into()), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(bobs.total, 2);
    let offering =
        s.audit_page(&AuditFilter { entity: Some("offering".into()), entity_id: Some(id), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(offering.total, 2);
});

both_backends!(a_failed_change_leaves_no_entry, |db: TestDb| async move {
    let s = &db.store;
    some_changes(s).await;
    let bodies = s.list_bodies().await.unwrap();
    let orphan = UnitInput { body_id: Some(bodies[0].id), name: "x".into(), parent_id: Some(okno_domain::Id::new()), ..Default::default() };
    assert!(s.create_unit(&orphan, &by("eve"), &Change::created(&orphan)).await.is_err(), "an unknown parent fails the foreign key");
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 4 });
});

both_backends!(an_edited_entry_is_found, |db: TestDb| async move {
    some_changes(&db.store).await;
    raw(&db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").await;
    match db.store.verify_audit().await.unwrap() {
        AuditCheck::Broken { seq, reason } => {
            assert_eq!(seq, 2);
            assert!(reason.contains("edited"), "{reason}");
        }
        ok => panic!("tampering went unnoticed: {ok:?}"),
    }
});

both_backends!(a_removed_entry_is_found, |db: TestDb| async move {
    some_changes(&db.store).await;
    raw(&db, "DELETE FROM audit_log WHERE seq = 3").await;
    assert!(matches!(db.store.verify_audit().await.unwrap(), AuditCheck::Broken { seq: 3, .. }));
    let db2 = TestDb::new(db.store.backend()).await.unwrap();
    some_changes(&db2.store).await;
    raw(&db2, "DELETE FROM audit_log WHERE seq = 4").await;
    assert!(
        matches!(db2.store.verify_audit().await.unwrap(), AuditCheck::Broken { seq: 4, .. }),
        "a removed last entry is found through the head"
    );
});

both_backends!(concurrent_writers_never_fork_the_chain, |db: TestDb| async move {
    let s = db.store.clone();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let body = BodyInput { name: format!("Орган {i}"), ..Default::default() }.validate().unwrap();
            s.create_body(&body, &by("load"), &Change::created(&body)).await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(s.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 12 });
});
