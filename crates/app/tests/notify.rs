//! Notifications against a real SMTP server (tests/smtp-sink.py on aiosmtpd, Debian's
//! python3-aiosmtpd), on SQLite and on PostgreSQL: the client hears of every visible
//! change with the tracking code and the status link; while the server is down nothing
//! is lost, and after it is back every mail arrives exactly once; staff get one digest
//! per deadline, never repeated.

use okno_app::notify::{Sender, BACKOFF_FIRST_MS};
use okno_app::requests::NewRequest;
use okno_app::{demo, Actor, App, Staff, Who};
use okno_domain::account::Role;
use okno_domain::chain::{template, Template};
use okno_domain::request::{Move, Outcome};
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BASE: &str = "http://okno.test";
const CLIENT: &str = "maria@example.ru";

/// The SMTP sink: a child process on a fixed port, writing each message to `dir`.
struct Sink {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

fn python() -> &'static str {
    for p in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(p).args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
        if ok {
            return p;
        }
    }
    panic!("no python3 with aiosmtpd: install python3-aiosmtpd (scripts/test.sh does)");
}

impl Sink {
    fn start() -> Sink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut s = Sink { child: None, port, dir: tempfile::tempdir().unwrap() };
        s.up();
        s
    }

    fn up(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/smtp-sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        self.child = Some(child);
    }

    fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    fn messages(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.down();
    }
}

fn text(m: &serde_json::Value, field: &str) -> String {
    m[field].as_str().unwrap_or_default().replace("\r\n", "\n")
}

async fn setup(db: &TestDb) -> (App, Id, Id) {
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
    (app, body, offering)
}

fn executor(body: Id) -> Actor {
    Actor::new(Who::Staff(Staff { account_id: Id::new(), roles: vec![(Some(body), Role::Executor)], may_write: true }))
}

fn request(offering: Id, email: Option<&str>) -> NewRequest {
    NewRequest {
        offering_id: Some(offering),
        client_name: "Иванова Мария Петровна".into(),
        client_email: email.map(str::to_string),
        client_phone: Some("+7 900 123-45-67".into()),
        subject: "Прошу отремонтировать освещение во дворе дома 5".into(),
        ..Default::default()
    }
}

fn now() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

both_backends!(clients_hear_of_every_change_and_nothing_is_lost_while_smtp_is_down, |db: TestDb| async move {
    let (app, body, offering) = setup(&db).await;
    let mut sink = Sink::start();
    let sender = Sender::new(app.clone(), &sink.url(), "Окно <okno@example.org>", &format!("{BASE}/")).unwrap();
    let ex = executor(body);

    // Created: one mail, queued with the request.
    let r = app.create_request(&Actor::anonymous(), &request(offering, Some(CLIENT))).await.unwrap();
    let code = r.tracking_code.clone();
    let queued = app.store().request_mails(r.id).await.unwrap();
    assert_eq!(queued.len(), 1, "the mail is queued with the request");
    assert!(queued[0].body.contains("{base_url}/status/"), "links are filled in when sent");
    // A comment is not for the client; asking for documents is.
    app.move_request(&ex, r.id, None, &Move::Comment { text: "внутреннее".into() }).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::AskClient { message: "Уточните номер дома".into() }).await.unwrap();
    assert_eq!(app.store().request_mails(r.id).await.unwrap().len(), 3);

    let report = sender.send_due(now()).await.unwrap();
    assert_eq!((report.sent, report.retrying), (3, 0));
    let got = sink.messages();
    assert_eq!(got.len(), 3);
    for m in &got {
        assert_eq!(m["rcpt_tos"][0], CLIENT);
        assert_eq!(m["mail_from"], "okno@example.org");
        let body = text(m, "body");
        assert!(text(m, "subject").contains(&code), "the subject names the request");
        assert!(body.contains(&format!("Код заявки: {code}")));
        assert!(body.contains(&format!("{BASE}/status/{code}")), "the status link: {body}");
        assert!(!body.contains("{base_url}"));
        assert!(!body.contains("внутреннее"), "staff comments stay inside");
    }
    assert!(text(&got[0], "subject").ends_with("принята"));
    assert!(text(&got[0], "body").contains("Мы приняли вашу заявку"));
    assert!(text(&got[1], "body").contains("Сейчас заявка на этапе"));
    assert!(text(&got[2], "subject").ends_with("нужен ваш ответ"));
    assert!(text(&got[2], "body").contains("Уточните номер дома"));
    assert_eq!(sender.send_due(now()).await.unwrap().sent, 0, "nothing is sent twice");

    // The server goes away: the client's answer is queued, the try fails, nothing is lost.
    sink.down();
    app.client_answers(&code, "Дом 5, корпус 2").await.unwrap();
    let t = now();
    let report = sender.send_due(t).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.gave_up), (0, 1, 0));
    let pending: Vec<_> = app.store().request_mails(r.id).await.unwrap().into_iter().filter(|m| m.sent_at.is_none()).collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 1);
    assert!(pending[0].last_error.is_some() && pending[0].failed_at.is_none());
    assert!(pending[0].next_attempt_at >= t + BACKOFF_FIRST_MS, "it backs off");
    assert_eq!(app.store().outbox_counts().await.unwrap().queued, 1);

    // Back up: not before the back-off, then exactly once.
    sink.up();
    assert_eq!(sender.send_due(t + 1000).await.unwrap().sent, 0, "the retry waits");
    assert_eq!(sender.send_due(t + BACKOFF_FIRST_MS + 1).await.unwrap().sent, 1);
    assert_eq!(sender.send_due(t + BACKOFF_FIRST_MS + 2).await.unwrap().sent, 0);
    let got = sink.messages();
    assert_eq!(got.len(), 4, "delivered exactly once");
    assert!(text(&got[3], "body").contains("Рассмотрение заявки продолжается"));
    let id = pending[0].id.to_string();
    assert_eq!(got.iter().filter(|m| text(m, "message_id").contains(&id)).count(), 1);

    // To the end: an extension (one mail, not two) and the answer.
    app.move_request(&ex, r.id, None, &Move::Extend { days: 30, reason: "Нужна проверка на месте".into() }).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::NotifyClient { message: "Ответ готовим".into() }).await.unwrap();
    app.move_request(&ex, r.id, None, &Move::Close { outcome: Outcome::Answered, reason: "Освещение починят до 1 мая".into() })
        .await
        .unwrap();
    // Five mails about the changes, and two invitations to rate (feedback.rs): for the
    // stage that asked the client, once it is completed, and for the closed request.
    assert_eq!(sender.send_due(now()).await.unwrap().sent, 7);
    let (invitations, got): (Vec<_>, Vec<_>) = sink.messages().into_iter().partition(|m| text(m, "subject").starts_with("Оцените"));
    assert_eq!(invitations.len(), 2);
    assert!(invitations.iter().all(|m| text(m, "body").contains("/feedback/")));
    assert_eq!(got.len(), 9);
    assert!(text(&got[4], "subject").ends_with("срок продлён"));
    assert!(text(&got[4], "body").contains("продлён на 30 дней") && text(&got[4], "body").contains("Новый срок:"));
    assert!(text(&got[7], "body").contains("Ответ готовим"));
    assert!(text(&got[8], "subject").ends_with("рассмотрение завершено"));
    assert!(text(&got[8], "body").contains("вам дан ответ") && text(&got[8], "body").contains("Освещение починят"));
    let counts = app.store().outbox_counts().await.unwrap();
    assert_eq!((counts.queued, counts.sent, counts.failed), (0, 11, 0));

    // No e-mail, no mail; the change itself still happens.
    let quiet = app.create_request(&Actor::anonymous(), &request(offering, None)).await.unwrap();
    assert!(app.store().request_mails(quiet.id).await.unwrap().is_empty());
});

both_backends!(a_mail_given_up_on_stays_visible, |db: TestDb| async move {
    let (app, _, offering) = setup(&db).await;
    // Nothing listens on this port: every try fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sender = Sender::new(app.clone(), &format!("smtp://127.0.0.1:{port}"), "okno@example.org", BASE).unwrap();
    let r = app.create_request(&Actor::anonymous(), &request(offering, Some(CLIENT))).await.unwrap();
    let mut t = now();
    for _ in 0..okno_app::notify::MAX_ATTEMPTS {
        sender.send_due(t).await.unwrap();
        t += okno_app::notify::BACKOFF_CAP_MS + 1;
    }
    let m = &app.store().request_mails(r.id).await.unwrap()[0];
    assert_eq!(m.attempts, okno_app::notify::MAX_ATTEMPTS);
    assert!(m.failed_at.is_some() && m.sent_at.is_none());
    assert_eq!(app.store().failed_mails(10).await.unwrap().len(), 1);
    assert_eq!(sender.send_due(t).await.unwrap(), Default::default(), "a failed mail is not tried again");
});

both_backends!(two_senders_never_send_one_mail_twice, |db: TestDb| async move {
    let (app, _, offering) = setup(&db).await;
    let sink = Sink::start();
    let a = Sender::new(app.clone(), &sink.url(), "okno@example.org", BASE).unwrap();
    let b = Sender::new(App::new(db.store.clone()), &sink.url(), "okno@example.org", BASE).unwrap();
    for _ in 0..5 {
        app.create_request(&Actor::anonymous(), &request(offering, Some(CLIENT))).await.unwrap();
    }
    let t = now();
    let (ra, rb) = tokio::join!(a.send_due(t), b.send_due(t));
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 5);
    assert_eq!(sink.messages().len(), 5);
});

both_backends!(staff_hear_of_due_and_overdue_requests_once, |db: TestDb| async move {
    let (app, body, offering) = setup(&db).await;
    let sink = Sink::start();
    let sender = Sender::new(app.clone(), &sink.url(), "okno@example.org", BASE).unwrap();
    app.create_user(&Actor::system(), "executor@mfc.example.ru", "executor", Some(body), "correct horse battery").await.unwrap();
    app.create_user(&Actor::system(), "analyst@mfc.example.ru", "analyst", Some(body), "correct horse battery").await.unwrap();
    let r = app.create_request(&Actor::anonymous(), &request(offering, None)).await.unwrap();
    let due = r.stage_due_at.unwrap();

    let report = app.sweep_deadlines(due - 60_000).await.unwrap();
    assert_eq!((report.alerted, report.mails), (1, 1), "due soon: one digest to the one executor");
    assert_eq!(app.sweep_deadlines(due - 30_000).await.unwrap().alerted, 0, "never repeated");
    assert_eq!(app.sweep_deadlines(due + 60_000).await.unwrap().alerted, 1, "overdue is told once more");
    assert_eq!(app.sweep_deadlines(due + 120_000).await.unwrap().alerted, 0, "and never again");
    // The sweep ran "in the future": its mails are due from then on.
    assert_eq!(sender.send_due(due + 120_000).await.unwrap().sent, 2);
    let got = sink.messages();
    assert_eq!(got.len(), 2);
    assert!(text(&got[0], "body").contains("срок истекает"));
    let got = &got[1..];
    assert_eq!(got[0]["rcpt_tos"][0], "executor@mfc.example.ru", "executors, not analysts");
    let digest = text(&got[0], "body");
    assert!(text(&got[0], "subject").contains("просрочено — 1"));
    assert!(digest.contains(&r.tracking_code) && digest.contains("срок истёк"));
    assert!(digest.contains(&format!("{BASE}/requests/{}", r.id)), "a link to the card: {digest}");
    assert!(!digest.contains("Иванова"), "no client's data in staff mail");

    // The next stage has its own deadline, alerted on its own.
    let ex = executor(body);
    let r = app.move_request(&ex, r.id, None, &Move::Complete).await.unwrap();
    let report = app.sweep_deadlines(r.stage_due_at.unwrap() + 1).await.unwrap();
    assert_eq!(report.alerted, 1);
});

both_backends!(due_soon_is_counted_in_the_bodys_own_calendar, |db: TestDb| async move {
    let (app, body, offering) = setup(&db).await;
    app.create_user(&Actor::system(), "executor@mfc.example.ru", "executor", Some(body), "correct horse battery").await.unwrap();
    // Registration has three working days: more than the next working day away.
    let r = app.create_request(&Actor::anonymous(), &request(offering, None)).await.unwrap();
    let t = now();
    let left = r.stage_due_at.unwrap() - t;
    assert!(left > 2 * 86_400_000, "three working days: {left} ms left");
    assert_eq!(app.sweep_deadlines(t).await.unwrap().alerted, 0, "not due soon in the federal calendar");
    // Then the body declares every weekday of the next two weeks a regional holiday: its
    // next working day is now past the request's due time.
    let today = time::OffsetDateTime::now_utc().date();
    let overlay: String = (1..=14)
        .map(|d| today + time::Duration::days(d))
        .filter(|d| !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday))
        .map(|d| format!("{d} holiday # региональный праздник\n"))
        .collect();
    let input = okno_domain::calendar::BodyCalendarInput { overlay, version: Some(0), ..Default::default() };
    app.save_body_calendar(&Actor::system(), body, &input).await.unwrap();
    assert_eq!(app.sweep_deadlines(t).await.unwrap().alerted, 1, "due before the end of the body's next working day");
});
