//! Requests through the use cases, on SQLite and on PostgreSQL: a chain saved in versions,
//! a citizen's appeal walked to its answer, the clock paused while the client is asked,
//! concurrent moves where exactly one wins, and a tamper-evident history.

use okno_app::requests::NewRequest;
use okno_app::{demo, Actor, App, AppError, Staff, Who};
use okno_domain::account::Role;
use okno_domain::chain::{template, Template};
use okno_domain::request::{Move, Outcome, Phase};
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;

async fn setup(db: &TestDb) -> (App, Id, Id, Id) {
    let app = App::new(db.store.clone());
    demo::load(&app).await.unwrap();
    let body = app.list_bodies().await.unwrap().into_iter().find(|b| b.name == demo::MFC_BODY).unwrap().id;
    let unit = app.list_units(body).await.unwrap()[0].id;
    let offering = app
        .store()
        .all_offerings(body)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.status == okno_domain::offering::Status::Published)
        .unwrap()
        .id;
    app.save_chain(&Actor::system(), offering, &template(Template::CitizenAppeal, unit)).await.unwrap();
    (app, body, unit, offering)
}

fn executor(body: Id) -> Actor {
    Actor::new(Who::Staff(Staff { account_id: Id::new(), roles: vec![(Some(body), Role::Executor)], may_write: true }))
}

fn citizen_request(offering: Id) -> NewRequest {
    NewRequest {
        offering_id: Some(offering),
        client_name: "Иванова Мария Петровна".into(),
        client_email: Some("maria@example.ru".into()),
        subject: "Прошу отремонтировать освещение во дворе дома 5".into(),
        ..Default::default()
    }
}

async fn raw(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

both_backends!(an_appeal_goes_from_the_citizen_to_the_answer, |db: TestDb| async move {
    let (app, body, _, offering) = setup(&db).await;
    let r = app.create_request(&Actor::anonymous(), &citizen_request(offering)).await.unwrap();
    assert_eq!(r.state.stage, "register");
    assert!(r.due_at.unwrap() > r.created_at + 29 * 86_400_000, "30 days under 59-FZ");
    assert!(r.stage_due_at.unwrap() < r.due_at.unwrap());
    let status = app.request_status(&r.tracking_code.to_lowercase()).await.unwrap();
    assert_eq!(status.record.id, r.id, "the code is found whatever the case");

    let ex = executor(body);
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    assert_eq!(r.state.stage, "consider");
    let due_before = r.due_at.unwrap();
    let r = app.move_request(&ex, r.id, None, &Move::AskClient { message: "Уточните номер дома".into() }).await.unwrap();
    assert_eq!(r.state.phase, Phase::WaitingForClient);
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let r = app.client_answers(&r.tracking_code, "Дом 5, корпус 2").await.unwrap();
    assert_eq!(r.state.phase, Phase::Open);
    assert!(r.paused_ms >= 30 && r.due_at.unwrap() >= due_before + 30, "the client's time moved the due date on");
    let err = app.client_answers(&r.tracking_code, "ещё раз").await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { code: "not_waiting", .. }));

    let err = app.move_request(&ex, r.id, None, &Move::Close { outcome: Outcome::Answered, reason: String::new() }).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { code: "move_not_allowed", .. }), "no answer before the last stage");
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    let r = app.move_request(&ex, r.id, None, &Move::Close { outcome: Outcome::Answered, reason: String::new() }).await.unwrap();
    assert_eq!((r.state.phase, r.state.outcome), (Phase::Closed, Some(Outcome::Answered)));

    let card = app.request_card(&ex, r.id).await.unwrap();
    let kinds: Vec<&str> = card.events.iter().map(|e| e.kind.code()).collect();
    assert_eq!(kinds.first(), Some(&"created"));
    assert_eq!(kinds.last(), Some(&"closed"));
    let public = app.request_status(&r.tracking_code).await.unwrap();
    assert!(public.events.iter().all(|e| e.client_visible) && public.events.len() < card.events.len());
    assert_eq!(app.store().verify_request_events(r.id).await.unwrap(), None, "the history is intact");

    // Editing one event's note breaks its request's chain at that event.
    raw(&db, &format!("UPDATE request_events SET note = 'подделка' WHERE request_id = '{}' AND seq = 3", r.id)).await;
    assert_eq!(app.store().verify_request_events(r.id).await.unwrap(), Some(3));
});

both_backends!(bad_requests_and_moves_change_nothing, |db: TestDb| async move {
    let (app, body, _, offering) = setup(&db).await;
    let mut bad = citizen_request(offering);
    bad.client_name = " ".into();
    bad.client_email = Some("not an address".into());
    bad.subject = String::new();
    let AppError::Invalid(inv) = app.create_request(&Actor::anonymous(), &bad).await.unwrap_err() else { panic!() };
    let fields: Vec<&str> = inv.0.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"client_name") && fields.contains(&"client_email") && fields.contains(&"subject"), "{fields:?}");
    let mut nowhere = citizen_request(Id::new());
    nowhere.offering_id = Some(Id::new());
    assert!(matches!(app.create_request(&Actor::anonymous(), &nowhere).await, Err(AppError::Invalid(_))));
    let mut no_contact = citizen_request(offering);
    no_contact.client_email = None;
    let AppError::Invalid(inv) = app.create_request(&Actor::anonymous(), &no_contact).await.unwrap_err() else { panic!() };
    assert_eq!(inv.0[0].code, "contact_required");
    assert_eq!(
        app.store().list_requests(&okno_store::RequestFilter { body_id: Some(body), ..Default::default() }, 10, 0).await.unwrap().total,
        0
    );

    let r = app.create_request(&Actor::anonymous(), &citizen_request(offering)).await.unwrap();
    assert!(matches!(app.move_request(&Actor::anonymous(), r.id, None, &Move::Complete).await, Err(AppError::Unauthenticated)));
    let analyst = Actor::new(Who::Staff(Staff { account_id: Id::new(), roles: vec![(Some(body), Role::Analyst)], may_write: true }));
    assert!(matches!(app.move_request(&analyst, r.id, None, &Move::Complete).await, Err(AppError::Forbidden)));
    let stranger = executor(Id::new());
    assert!(matches!(app.move_request(&stranger, r.id, None, &Move::Complete).await, Err(AppError::Forbidden)));
    let after = app.store().get_request(r.id).await.unwrap();
    assert_eq!((after.version, after.state.stage.as_str(), after.events), (1, "register", r.events.max(2)));
});

both_backends!(of_concurrent_moves_exactly_one_wins, |db: TestDb| async move {
    let (app, body, _, offering) = setup(&db).await;
    let r = app.create_request(&Actor::anonymous(), &citizen_request(offering)).await.unwrap();
    let ex = executor(body);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (app, ex) = (app.clone(), ex.clone());
            tokio::spawn(async move { app.move_request(&ex, r.id, Some(1), &Move::Complete).await })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => won += 1,
            Err(AppError::Conflict { code: "stale_version", .. }) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(won, 1, "exactly one of eight moves wins");
    let after = app.store().get_request(r.id).await.unwrap();
    assert_eq!((after.version, after.state.stage.as_str()), (2, "route"), "one transition, not two");
    let completed = app.store().request_events(r.id).await.unwrap().iter().filter(|e| e.kind.code() == "completed").count();
    assert_eq!(completed, 1);
    assert_eq!(app.store().verify_request_events(r.id).await.unwrap(), None);
});

both_backends!(a_new_chain_version_leaves_requests_in_flight_alone, |db: TestDb| async move {
    let (app, body, unit, offering) = setup(&db).await;
    let r = app.create_request(&Actor::anonymous(), &citizen_request(offering)).await.unwrap();
    let mut shorter = template(Template::CitizenAppeal, unit);
    shorter.variants[0].stages.truncate(2);
    let v = app.save_chain(&Actor::system(), offering, &shorter).await.unwrap();
    assert_eq!(v, 2);
    let ex = executor(body);
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    assert_eq!(r.state.stage, "consider", "the request keeps the four stages it started with");
    let fresh = app.create_request(&Actor::anonymous(), &citizen_request(offering)).await.unwrap();
    assert_eq!(fresh.chain_version, 2);
    let mut broken = template(Template::CitizenAppeal, unit);
    broken.variants[0].stages[0].unit_id = Some(Id::new());
    assert!(matches!(app.save_chain(&Actor::system(), offering, &broken).await, Err(AppError::Invalid(_))));
});

both_backends!(sqlite_commits_concurrent_requests_in_groups, |db: TestDb| async move {
    let (app, body, _, offering) = setup(&db).await;
    let before = app.store().group_commit_stats();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.create_request(&Actor::anonymous(), &citizen_request(offering)).await })
        })
        .collect();
    let mut made = Vec::new();
    for t in tasks {
        made.push(t.await.unwrap().unwrap());
    }
    // Every caller's request is there, with its own verified history.
    for r in &made {
        assert_eq!(app.store().verify_request_events(r.id).await.unwrap(), None);
    }
    let f = okno_app::requests::RequestFilter { body_id: Some(body), ..Default::default() };
    assert_eq!(app.store().list_requests(&f, 1000, 0).await.unwrap().total, 64);
    match (before, app.store().group_commit_stats()) {
        (Some((c0, w0)), Some((c1, w1))) => {
            assert_eq!(w1 - w0, 64, "every write went through the group writer");
            assert!(c1 - c0 < 64, "{} commits for 64 writes: they were grouped", c1 - c0);
        }
        (None, None) => assert_eq!(app.store().backend(), okno_store::Backend::Postgres),
        other => panic!("{other:?}"),
    }
});
