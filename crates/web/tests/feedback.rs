//! Client feedback through HTTP, on both databases: the invitation mail with its one-time
//! link after a stage that waited for the client and after closing; rating through the
//! status page, the link and the API; bad scores refused by field with nothing stored; a
//! second new rating refused, a change within the window accepted and a change after it
//! locked; a negative rating opening a follow-up for the owner, on the card and in the
//! queue, closed with a note that lands in the request's history; another body's staff
//! kept out.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn raw(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

struct Setup {
    mfc: String,
    id: String,
    code: String,
    exec: String,
    owner: String,
    stranger: String,
}

/// A citizen's appeal with an e-mail, asked for something at «route», then answered.
async fn setup(t: &TestApp) -> Setup {
    let sys = Actor::system();
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let bodies = t.get_json("/api/v1/bodies").await;
    let other = bodies.as_array().unwrap().iter().find(|b| b["id"] != mfc.as_str()).unwrap()["id"].as_str().unwrap().to_string();
    t.app.create_user(&sys, "admin@x.ru", "administrator", None, PASSWORD).await.unwrap();
    t.app.create_user(&sys, "exec@x.ru", "executor", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "owner@x.ru", "service_owner", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "stranger@x.ru", "service_owner", Some(other.parse().unwrap()), PASSWORD).await.unwrap();
    let tok = |m: &'static str| {
        let app = t.app.clone();
        async move { app.issue_token(&Actor::system(), m, "write", "t").await.unwrap().token }
    };
    let (admin, exec, owner, stranger) =
        (tok("admin@x.ru").await, tok("exec@x.ru").await, tok("owner@x.ru").await, tok("stranger@x.ru").await);
    let offering =
        t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (s, made) = t
        .post_json("/api/v1/requests", &json!({"offering_id": offering, "client_name": "Иванова Мария", "client_email": "maria@example.ru", "subject": "Не горит фонарь у дома 5"}))
        .await;
    assert_eq!(s, 201, "{made}");
    let s = Setup {
        mfc,
        id: made["id"].as_str().unwrap().to_string(),
        code: made["tracking_code"].as_str().unwrap().to_string(),
        exec,
        owner,
        stranger,
    };
    mv(t, &s, json!({"move": "complete"})).await;
    mv(t, &s, json!({"move": "ask_client", "message": "Уточните номер дома"})).await;
    let (st, _) = t.post_json(&format!("/api/v1/status/{}/answer", s.code), &json!({"answer": "Дом 5, корпус 2"})).await;
    assert_eq!(st, 200);
    s
}

async fn mv(t: &TestApp, s: &Setup, body: Value) -> Value {
    let r = t.client.post(t.url(&format!("/api/v1/requests/{}/moves", s.id))).bearer_auth(&s.exec).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    let v = r.json::<Value>().await.unwrap();
    assert_eq!(status, 200, "{v}");
    v
}

/// The one-time feedback links in the request's queued mails, in order.
async fn links(t: &TestApp, id: &str) -> Vec<String> {
    let mails = t.app.store().request_mails(id.parse().unwrap()).await.unwrap();
    let mut out = Vec::new();
    for m in mails.iter().filter(|m| m.kind == "feedback_invitation") {
        for part in m.body.split("{base_url}/feedback/").skip(1) {
            out.push(part.chars().take_while(|c| c.is_ascii_hexdigit()).collect());
        }
    }
    out
}

async fn ratings_as(t: &TestApp, id: &str, token: &str) -> (u16, Value) {
    let r = t.client.get(t.url(&format!("/api/v1/requests/{id}/ratings"))).bearer_auth(token).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

both_backends!(ratings_through_links_pages_and_the_api, |db: TestDb| async move {
    let url = db.url.clone();
    let t = TestApp::with_demo(db).await;
    let s = setup(&t).await;
    let code = s.code.clone();

    // Nothing to rate while the request is open and no client stage is finished.
    let (st, e) = t.post_json(&format!("/api/v1/status/{code}/ratings"), &json!({"scores": {"time": 5}})).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("not_ratable")), "{e}");
    let page = t.get(&format!("/status/{code}")).await.text().await.unwrap();
    assert!(!page.contains("score_time"), "no rating form before anything is ratable");
    assert!(links(&t, &s.id).await.is_empty(), "no invitation yet");

    // Leaving «route», where the client was asked, makes it ratable and mails a link.
    mv(&t, &s, json!({"move": "complete"})).await;
    let route_links = links(&t, &s.id).await;
    assert_eq!(route_links.len(), 1, "one invitation for the finished client stage");
    assert_eq!(route_links[0].len(), 48);
    let page = t.get(&format!("/status/{code}")).await.text().await.unwrap();
    assert!(page.contains("Определение компетенции") && page.contains("name=\"score_time\""), "the status page offers the stage's rating");

    // The link: a clear page for an unknown token; the form; once only.
    let r = t.get("/feedback/00ff00ff").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Ссылка не найдена"));
    let link = format!("/feedback/{}", route_links[0]);
    let r = t.get(&link).await;
    assert_eq!(r.status(), 200);
    let form = r.text().await.unwrap();
    assert!(form.contains("очень плохо") && form.contains("отлично") && !form.contains(&code), "the link's form, without the code");
    let r = t.post_form(&link, &[("score_time", "0"), ("comment", "Долго")]).await;
    assert_eq!(r.status(), 422, "a bad score through the link is refused");
    assert!(r.text().await.unwrap().contains("f-score_time"));
    let r = t.post_form(&link, &[("score_time", "4"), ("score_information", "5"), ("comment", "Хорошо объяснили")]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Спасибо за оценку"));
    let r = t.post_form(&link, &[("score_time", "3")]).await;
    assert_eq!(r.status(), 410, "a used link is gone");
    assert!(r.text().await.unwrap().contains("Ссылка уже использована"));
    assert_eq!(t.get(&link).await.status(), 410);
    // An expired link says so.
    raw(&url, &format!("UPDATE feedback_links SET used_at = NULL, expires_at = 1 WHERE request_id = '{}'", s.id)).await;
    let r = t.get(&link).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("Срок ссылки истёк"));

    // Close the request: the whole request becomes ratable, with its own link.
    mv(&t, &s, json!({"move": "complete"})).await;
    mv(&t, &s, json!({"move": "close", "outcome": "answered", "reason": ""})).await;
    assert_eq!(links(&t, &s.id).await.len(), 2, "one more invitation on close");

    // Out of range, or not a number: 422 naming the field, nothing written.
    for bad in [json!(0), json!(6), json!("five")] {
        let (st, e) = t.post_json(&format!("/api/v1/status/{code}/ratings"), &json!({"scores": {"time": bad, "waiting": 4}})).await;
        assert_eq!(st, 422, "{e}");
        assert_eq!(e["fields"][0]["field"], "scores.time");
    }
    let (_, stored) = ratings_as(&t, &s.id, &s.owner).await;
    assert_eq!(stored["ratings"].as_array().unwrap().len(), 1, "only the link's rating is stored: {stored}");

    // The whole request through the status page, then a second new one is refused.
    let r = t
        .post_form(&format!("/status/{code}/rating"), &[("stage", ""), ("mode", "new"), ("score_time", "5"), ("score_politeness", "4")])
        .await;
    assert_eq!(r.status(), 303);
    let page = t.get(&format!("/status/{code}")).await.text().await.unwrap();
    assert!(page.contains("Спасибо за оценку") && page.contains("Изменить оценку"), "thanks and a way to change it");
    let (st, e) = t.post_json(&format!("/api/v1/status/{code}/ratings"), &json!({"scores": {"time": 3}})).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("rating_exists")), "{e}");
    let r = t.post_form(&format!("/status/{code}/rating"), &[("stage", ""), ("mode", "new"), ("score_time", "2")]).await;
    assert_eq!(r.status(), 409);

    // A change within the window: a 2 opens a follow-up for the owner.
    let (st, v) = t
        .put_json(
            &format!("/api/v1/status/{code}/ratings"),
            &json!({"scores": {"time": 2, "waiting": 3}, "comment": "Ответ пришёл поздно"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["scores"]["time"], 2);
    let (st, all) = ratings_as(&t, &s.id, &s.owner).await;
    assert_eq!(st, 200);
    let whole = all["ratings"].as_array().unwrap().iter().find(|r| r["stage"] == "").unwrap().clone();
    assert_eq!((whole["scores"]["time"].as_u64(), whole["scores"]["politeness"].as_u64()), (Some(2), None), "a change replaces the rating");
    assert_eq!(all["followups"].as_array().unwrap().len(), 1);

    // After the window the rating is locked.
    raw(
        &url,
        &format!("UPDATE request_ratings SET created_at = created_at - 15 * 86400000 WHERE request_id = '{}' AND stage_key = ''", s.id),
    )
    .await;
    let (st, e) = t.put_json(&format!("/api/v1/status/{code}/ratings"), &json!({"scores": {"time": 5}})).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("rating_locked")), "{e}");
    let r = t.get(&format!("/status/{code}/rating?stage=")).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("нельзя изменить"));

    // Another body's staff read nothing; the anonymous public neither.
    assert_eq!(ratings_as(&t, &s.id, &s.stranger).await.0, 403);
    assert_eq!(t.get(&format!("/api/v1/requests/{}/ratings", s.id)).await.status(), 401);
    let r = t.client.get(t.url(&format!("/api/v1/followups?body={}", s.mfc))).bearer_auth(&s.stranger).send().await.unwrap();
    assert_eq!(r.status(), 403);
});

both_backends!(a_negative_rating_opens_a_followup_the_owner_closes, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let s = setup(&t).await;
    mv(&t, &s, json!({"move": "complete"})).await;
    let (st, v) = t
        .post_json(
            &format!("/api/v1/status/{}/ratings", s.code),
            &json!({"stage": "route", "scores": {"waiting": 1, "politeness": "2"}, "comment": "Никто не перезвонил"}),
        )
        .await;
    assert_eq!(st, 201, "{v}");

    // The owner sees it in the API queue, on the queue page with a count, and on the card.
    let open = t.get_json_as(&format!("/api/v1/followups?body={}", s.mfc), &s.owner).await;
    let open = open.as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["tracking_code"], s.code.as_str());
    let get_page = |path: String| {
        let (client, url, tok) = (t.client.clone(), t.url(&path), s.owner.clone());
        async move { client.get(url).bearer_auth(tok).send().await.unwrap().text().await.unwrap() }
    };
    let queue = get_page(format!("/requests?body={}", s.mfc)).await;
    assert!(queue.contains("Отзывы ≤ 2 <span class=\"count\">(1)</span>"), "the tab with its count");
    let list = get_page(format!("/followups?body={}", s.mfc)).await;
    assert!(list.contains(&s.code));
    let card = get_page(format!("/requests/{}", s.id)).await;
    assert!(
        card.contains("Отрицательный отзыв") && card.contains("Никто не перезвонил") && card.contains("/close"),
        "the card's follow-up block"
    );

    // Closing needs a note and the service owner (or an administrator) of the body.
    let close = |tok: String, body: Value| {
        let (client, url) = (t.client.clone(), t.url(&format!("/api/v1/followups/{}/close", s.id)));
        async move {
            let r = client.post(url).bearer_auth(tok).json(&body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    assert_eq!(close(s.stranger.clone(), json!({"note": "x"})).await.0, 403);
    assert_eq!(close(s.exec.clone(), json!({"note": "x"})).await.0, 403, "an executor sees it but does not close it");
    let (st, e) = close(s.owner.clone(), json!({"note": "  "})).await;
    assert_eq!((st, e["fields"][0]["field"].as_str()), (422, Some("note")));
    let (st, v) = close(s.owner.clone(), json!({"note": "Позвонили заявителю, извинились"})).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(close(s.owner.clone(), json!({"note": "ещё"})).await.0, 409, "nothing open any more");

    // The note is in the request's history as a comment, and the chain of events holds.
    let card = t.get_json_as(&format!("/api/v1/requests/{}", s.id), &s.owner).await;
    let last = card["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "commented");
    assert!(last["note"].as_str().unwrap().contains("Позвонили заявителю"));
    assert_eq!(t.app.store().verify_request_events(s.id.parse().unwrap()).await.unwrap(), None);
    assert!(t.get_json_as(&format!("/api/v1/followups?body={}", s.mfc), &s.owner).await.as_array().unwrap().is_empty());

    // For the analytics loader: every rating, without comments.
    let all = t.app.store().ratings_since(i64::MIN).await.unwrap();
    let mine: Vec<_> = all.iter().filter(|r| r.request_id.to_string() == s.id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].stage_key.as_str(), mine[0].scores), ("route", [None, Some(1), Some(2), None, None]));
    assert_eq!(t.app.store().ratings_stamp().await.unwrap().0, all.len() as i64);
});
