//! The large demo (`okno demo --requests N` above `demo_bulk::BULK_ABOVE`), on SQLite and on
//! PostgreSQL: the requests are spread over a year and most of the old ones are finished,
//! every outcome and the rework, pauses, suspensions, breaches and ratings a dashboard
//! shows occur, the hash chains hold and take further moves, and the stage metrics see it.

use okno_app::{demo, demo_bulk, Actor, App};
use okno_domain::request::{Move, Outcome, Phase};
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use sqlx::{Connection, Row};
use std::collections::HashMap;

const N: usize = 3000;
const DAY: i64 = 86_400_000;

struct Req {
    id: Id,
    offering: Id,
    created_at: i64,
    closed_at: Option<i64>,
    due_at: Option<i64>,
    phase: String,
    outcome: Option<String>,
}

async fn requests(db: &TestDb) -> Vec<Req> {
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let rows =
        sqlx::query("SELECT id, offering_id, created_at, closed_at, due_at, phase, outcome FROM requests").fetch_all(&mut c).await.unwrap();
    rows.iter()
        .map(|r| Req {
            id: r.get::<String, _>("id").parse().unwrap(),
            offering: r.get::<String, _>("offering_id").parse().unwrap(),
            created_at: r.get("created_at"),
            closed_at: r.get("closed_at"),
            due_at: r.get("due_at"),
            phase: r.get("phase"),
            outcome: r.get("outcome"),
        })
        .collect()
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query(sql).fetch_one(&mut c).await.unwrap().get::<i64, _>(0)
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

both_backends!(a_bulk_demo_has_a_year_of_believable_history, |db: TestDb| async move {
    let app = App::new(db.store.clone());
    demo::load(&app).await.unwrap();
    let mut calls = Vec::new();
    let totals = demo_bulk::load_bulk(&app, N, |t| calls.push(t.requests)).await.unwrap();
    assert_eq!(totals.requests, N);
    assert_eq!(calls, vec![N], "progress at the end (and every 100,000)");
    let now = now_ms();

    // The count, and the totals as written.
    let rs = requests(&db).await;
    assert_eq!(rs.len(), N);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM request_events").await, totals.events as i64);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM request_ratings").await, totals.ratings as i64);

    // A year of requests, none in the future.
    let oldest = rs.iter().map(|r| r.created_at).min().unwrap();
    assert!(now - oldest > 330 * DAY, "the oldest request is {} days old; they should span a year", (now - oldest) / DAY);
    assert!(rs.iter().all(|r| r.created_at < now && r.closed_at.is_none_or(|c| c >= r.created_at && c < now)));
    let latest = count(&db, "SELECT MAX(at) FROM request_events").await;
    assert!(latest < now, "an event {} s in the future", (latest - now) / 1000);
    let old: Vec<&Req> = rs.iter().filter(|r| now - r.created_at > 60 * DAY).collect();
    assert!(old.len() > N / 2, "{} of {N} requests are older than 60 days", old.len());

    // Most old requests are finished; only recent ones are left in progress, some of them.
    let old_closed = old.iter().filter(|r| r.phase == "closed").count();
    assert!(old_closed * 100 >= old.len() * 80, "only {old_closed} of {} requests older than 60 days are closed", old.len());
    let recent_open = rs.iter().filter(|r| r.phase != "closed" && now - r.created_at < 42 * DAY).count();
    assert!(recent_open > 0, "some recent requests are still in progress");
    for r in &rs {
        assert_eq!(r.phase == "closed", r.closed_at.is_some(), "closed_at is set exactly when closed");
        assert_eq!(r.phase == "closed", r.outcome.is_some(), "an outcome exactly when closed");
    }
    // (Requests left suspended are rarer, about 1 in 2,000: only some chains allow it.
    // Suspensions are checked below by their events.)
    for phase in [Phase::Open, Phase::WaitingForClient] {
        assert!(rs.iter().any(|r| r.phase == phase.code()), "some request is {}", phase.code());
    }

    // Every outcome occurs.
    let mut outcomes: HashMap<&str, usize> = HashMap::new();
    for r in &rs {
        if let Some(o) = &r.outcome {
            *outcomes.entry(o.as_str()).or_default() += 1;
        }
    }
    for o in [Outcome::Granted, Outcome::Refused, Outcome::Answered, Outcome::Withdrawn, Outcome::Redirected, Outcome::LeftUnanswered] {
        assert!(outcomes.get(o.code()).copied().unwrap_or(0) > 0, "no request ended {}: {outcomes:?}", o.code());
    }

    // Rework, pauses, suspensions, extensions; requests closed after their whole term.
    for kind in ["returned", "paused", "resumed", "suspended", "extended", "reassigned", "commented", "client_notified"] {
        let n = count(&db, &format!("SELECT COUNT(*) FROM request_events WHERE kind = '{kind}'")).await;
        assert!(n > 0, "no {kind} events");
    }
    let late = rs.iter().filter(|r| matches!((r.closed_at, r.due_at), (Some(c), Some(d)) if c > d)).count();
    assert!(late > 0, "some requests are answered after their term");

    // Ratings for roughly 30–50 % of closed requests, only of closed ones.
    let closed = rs.iter().filter(|r| r.phase == "closed").count();
    let rated = count(&db, "SELECT COUNT(*) FROM request_ratings").await as usize;
    assert!(rated * 100 >= closed * 30 && rated * 100 <= closed * 50, "{rated} ratings for {closed} closed requests");
    let rated_open =
        count(&db, "SELECT COUNT(*) FROM request_ratings g JOIN requests r ON r.id = g.request_id WHERE r.phase <> 'closed'").await;
    assert_eq!(rated_open, 0, "only closed requests are rated");

    // The hash chains hold, for a sample.
    for r in rs.iter().step_by(37) {
        assert_eq!(app.store().verify_request_events(r.id).await.unwrap(), None, "the chain of {} breaks", r.id);
    }

    // A bulk-made open request takes a normal move; its chain goes on.
    let open = rs.iter().find(|r| r.phase == "open").expect("an open request");
    let before = app.store().get_request(open.id).await.unwrap();
    let after = app
        .move_request(&Actor::system(), open.id, Some(before.version), &Move::AskClient { message: "Пришлите копию паспорта".into() })
        .await
        .unwrap();
    assert_eq!(after.state.phase, Phase::WaitingForClient);
    assert_eq!(after.version, before.version + 1);
    let stored = app.store().get_request(open.id).await.unwrap();
    assert_eq!(stored.events, before.events + 1, "the move appended its event");
    assert_eq!(stored.state.phase, Phase::WaitingForClient);
    assert_eq!(app.store().verify_request_events(open.id).await.unwrap(), None, "the chain holds after a move");

    // The stage metrics of the busiest offering see the history.
    let mut per: HashMap<Id, usize> = HashMap::new();
    for r in &rs {
        *per.entry(r.offering).or_default() += 1;
    }
    let (&busiest, &n) = per.iter().max_by_key(|(_, n)| **n).unwrap();
    let view = app.stage_metrics(&Actor::system(), busiest, None, None).await.unwrap();
    let group = view.report.groups.first().expect("a group of the offering's requests");
    assert!(!group.stages.is_empty());
    assert!(group.stages.iter().all(|s| s.visits > 0), "every stage shown was visited");
    let visits: u64 = group.stages.iter().map(|s| s.visits).sum();
    assert!(visits as usize >= n / 2, "{visits} stage visits for {n} requests");
    assert!(group.stages.iter().any(|s| s.breached > 0), "some stage is done late");
    assert!(group.stages.iter().any(|s| s.finished > 0));
});
