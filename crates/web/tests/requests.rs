//! Requests through HTTP: a chain set up through the API, a citizen's request from the
//! public form, the status page by tracking code, staff moving it on the card, the client
//! answering, and a clear 4xx for every bad move.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn setup(t: &TestApp) -> (String, String, String, String) {
    let sys = Actor::system();
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    t.app.create_user(&sys, "admin@x.ru", "administrator", None, PASSWORD).await.unwrap();
    t.app.create_user(&sys, "exec@x.ru", "executor", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    let admin = t.app.issue_token(&sys, "admin@x.ru", "write", "t").await.unwrap().token;
    let exec = t.app.issue_token(&sys, "exec@x.ru", "write", "t").await.unwrap().token;
    let offerings = t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await;
    let offering = offerings["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);
    (mfc, offering, admin, exec)
}

both_backends!(a_request_through_the_api, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, offering, admin, exec) = setup(&t).await;

    // A bad chain is refused by field, and nothing is saved.
    let r = t
        .client
        .put(t.url(&format!("/api/v1/offerings/{offering}/chain")))
        .bearer_auth(&admin)
        .json(&json!({"variants": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(t.get_json(&format!("/api/v1/offerings/{offering}/chain")).await["version"], 1);

    let (s, made) = t
        .post_json("/api/v1/requests", &json!({"offering_id": offering, "client_name": "Иванова Мария", "client_email": "maria@example.ru", "subject": "Не горит фонарь у дома 5"}))
        .await;
    assert_eq!(s, 201, "{made}");
    assert!(made.get("client_name").is_none(), "an anonymous caller gets the tracking code, not the card");
    let code = made["tracking_code"].as_str().unwrap().to_string();
    let id = made["id"].as_str().unwrap().to_string();

    let status = t.get_json(&format!("/api/v1/status/{}", code.to_lowercase())).await;
    assert_eq!(status["stage"], "Регистрация обращения");
    assert_eq!(status["next"], "Определение компетенции");
    assert!(status["expected_by"].as_str().is_some());
    assert!(!status.to_string().contains("Иванова"), "the status shows no personal data");

    let mv = |body: Value, tok: String| {
        let url = t.url(&format!("/api/v1/requests/{id}/moves"));
        let client = t.client.clone();
        async move {
            let r = client.post(url).bearer_auth(tok).json(&body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (s, card) = mv(json!({"move": "complete", "version": 1}), exec.clone()).await;
    assert_eq!(s, 200, "{card}");
    assert_eq!(card["stage"], "route");
    let (s, e) = mv(json!({"move": "complete", "version": 1}), exec.clone()).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "a move decided on an old version is refused");
    let (s, e) = mv(json!({"move": "return", "to": "answer", "reason": "x"}), exec.clone()).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("move_not_allowed")));
    let (s, e) = mv(json!({"move": "fly"}), exec.clone()).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("bad_json")), "an unknown move names the moves there are: {e}");
    let (s, _) = mv(json!({"move": "complete"}), String::from("okno_wrong")).await;
    assert_eq!(s, 401);

    let (s, card) = mv(json!({"move": "ask_client", "message": "Уточните номер дома"}), exec.clone()).await;
    assert_eq!((s, card["phase"].as_str()), (200, Some("waiting_for_client")));
    let status = t.get_json(&format!("/api/v1/status/{code}")).await;
    assert_eq!(status["waiting_for_you"], true);
    let (s, after) = t.post_json(&format!("/api/v1/status/{code}/answer"), &json!({"answer": "Дом 5, корпус 2"})).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["waiting_for_you"], false);
    let (s, _) = t.post_json(&format!("/api/v1/status/{code}/answer"), &json!({"answer": "ещё"})).await;
    assert_eq!(s, 409);

    let queue = t
        .client
        .get(t.url(&format!("/api/v1/requests?body={mfc}")))
        .bearer_auth(&exec)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(queue["total"], 1);
    let r = t.client.get(t.url(&format!("/api/v1/requests?body={mfc}&due=late"))).bearer_auth(&exec).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let (s, e) = t.post_json("/api/v1/requests", &json!({"offering_id": offering, "client_name": "Без связи", "subject": "Вопрос"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["fields"][0]["code"], "contact_required");
    assert_eq!(t.get("/api/v1/status/ZZZZ-ZZZZ").await.status(), 404);
    assert_eq!(t.get("/api/v1/status/12").await.status(), 422);
});

both_backends!(a_citizen_and_an_executor_on_the_pages, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, offering, _, exec) = setup(&t).await;
    let page = t.get(&format!("/offerings/{offering}")).await.text().await.unwrap();
    assert!(
        page.contains(&format!("/offerings/{offering}/apply")) && page.contains("Регистрация обращения"),
        "the offering shows its chain and the way in"
    );

    let r = t.post_form(&format!("/offerings/{offering}/apply"), &[("subject", ""), ("client_name", "Иванова Мария")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Укажите почту, телефон или почтовый адрес"), "the contact rule is explained");
    let r = t
        .post_form(
            &format!("/offerings/{offering}/apply"),
            &[("subject", "Не горит фонарь"), ("client_name", "Иванова Мария"), ("client_phone", "+7 900 123-45-67")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let status_url = r.headers()["location"].to_str().unwrap().to_string();
    assert!(status_url.starts_with("/status/") && status_url.ends_with("?new=1"));
    let html = t.get(&status_url).await.text().await.unwrap();
    assert!(html.contains("Заявка отправлена") && html.contains("Обращение получено"), "the code and the current stage in plain words");
    let code = status_url.trim_start_matches("/status/").trim_end_matches("?new=1").to_string();

    let r = t.get(&format!("/status?code={}", code.replace('-', " ").to_lowercase())).await;
    assert_eq!(r.status(), 303, "a code typed loosely is found");
    assert_eq!(t.get("/status?code=12").await.status(), 422);

    // The executor's queue and card, with a bearer token (the session flow is in access.rs).
    let queue = t.client.get(t.url(&format!("/requests?body={mfc}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains(&code));
    let id = t.get_json_as(&format!("/api/v1/requests?body={mfc}"), &exec).await["items"][0]["id"].as_str().unwrap().to_string();
    let card = t.client.get(t.url(&format!("/requests/{id}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(card.contains("Этап выполнен") && card.contains("Иванова Мария"));
    let post = |form: Vec<(&'static str, String)>| {
        t.client.post(t.url(&format!("/requests/{id}/move"))).bearer_auth(exec.clone()).form(&form).send()
    };
    let r = post(vec![("move", "complete".into()), ("version", "1".into())]).await.unwrap();
    assert_eq!(r.status(), 303);
    let r = post(vec![("move", "complete".into()), ("version", "1".into())]).await.unwrap();
    assert_eq!(r.status(), 409, "the second click on an old page is refused");
    assert!(r.text().await.unwrap().contains("Кто-то"), "with a message saying someone else acted");
    let r = post(vec![("move", "ask_client".into()), ("message", " ".into())]).await.unwrap();
    assert_eq!(r.status(), 409);
    let r = post(vec![("move", "ask_client".into()), ("message", "Пришлите фото фонаря".into())]).await.unwrap();
    assert_eq!(r.status(), 303);

    // The client sees the question and answers it on the status page.
    let html = t.get(&format!("/status/{code}")).await.text().await.unwrap();
    assert!(html.contains("Нужен ваш ответ") && html.contains("Пришлите фото фонаря"));
    let r = t.post_form(&format!("/status/{code}/answer"), &[("answer", "")]).await;
    assert_eq!(r.status(), 422);
    let r = t.post_form(&format!("/status/{code}/answer"), &[("answer", "Фото отправил на почту")]).await;
    assert_eq!(r.status(), 303);
    let html = t.get(&format!("/status/{code}")).await.text().await.unwrap();
    assert!(!html.contains("Нужен ваш ответ"));
});

both_backends!(an_offerings_own_form_on_every_channel_and_staff_intake, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, offering, admin, exec) = setup(&t).await;
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::RegulatedService, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let count = || async { t.get_json_as(&format!("/api/v1/requests?body={mfc}"), &exec).await["total"].as_i64().unwrap() };
    let before = count().await;

    // Through the API: the required answers are named, and nothing is written.
    let base = json!({"offering_id": offering, "client_name": "Петров Пётр", "client_phone": "+7 900 111-22-33", "subject": "Справка"});
    let (s, e) = t.post_json("/api/v1/requests", &base).await;
    assert_eq!(s, 422, "{e}");
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"fields.result_by") && fields.contains(&"fields.consent"), "{fields:?}");
    let mut bad = base.clone();
    bad["fields"] = json!({"result_by": "Голубиной почтой", "consent": "true", "shoe_size": "42"});
    let (s, e) = t.post_json("/api/v1/requests", &bad).await;
    assert_eq!(s, 422);
    let codes: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"not_an_option") && codes.contains(&"unknown"), "{codes:?}");
    // A caller cannot claim the request came in at the counter.
    let mut counter = base.clone();
    counter["fields"] = json!({"result_by": "Почтой", "consent": "true"});
    counter["channel"] = json!("walk_in");
    let (s, e) = t.post_json("/api/v1/requests", &counter).await;
    assert_eq!((s, e["fields"][0]["code"].as_str()), (422, Some("staff_only")));
    assert_eq!(count().await, before, "nothing was written");

    let mut good = base.clone();
    good["fields"] = json!({"result_by": "Почтой", "consent": "on", "snils": ""});
    let (s, made) = t.post_json("/api/v1/requests", &good).await;
    assert_eq!(s, 201, "{made}");
    let id = made["id"].as_str().unwrap();
    let card = t.get_json_as(&format!("/api/v1/requests/{id}"), &exec).await;
    assert_eq!(card["fields"], json!({"result_by": "Почтой", "consent": "true"}), "answers cleaned, blank ones dropped");

    // The public form asks the same, and names a missing answer beside its field.
    let html = t.get(&format!("/offerings/{offering}/apply")).await.text().await.unwrap();
    assert!(html.contains("Как получить результат") && html.contains("В личном кабинете на Госуслугах"));
    let r = t
        .post_form(
            &format!("/offerings/{offering}/apply"),
            &[("subject", "Справка"), ("client_name", "Петров Пётр"), ("client_phone", "+7 900 111-22-33"), ("fields.result_by", "Почтой")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#f-fields-consent\""), "the summary links to the consent box");

    // Open311 clients read the same fields as attributes.
    let def = t.get_json(&format!("/open311/v2/services/{offering}.json")).await;
    let attr = def["attributes"].as_array().unwrap().iter().find(|a| a["code"] == "result_by").expect("the form's field").clone();
    assert_eq!(attr["datatype"], "singlevaluelist");
    assert_eq!(attr["values"].as_array().unwrap().len(), 3);

    // Staff register a phone call: the channel is theirs to give, the card shows the code.
    let page = t.client.get(t.url(&format!("/requests/new?body={mfc}&offering={offering}"))).bearer_auth(&exec).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Как поступила заявка"));
    let anon = t.get(&format!("/requests/new?body={mfc}")).await;
    assert!(anon.headers()["location"].to_str().unwrap().starts_with("/login"), "anonymous callers sign in first");
    let post = |form: Vec<(&'static str, &'static str)>| {
        t.client.post(t.url(&format!("/requests/new?body={mfc}&offering={offering}"))).bearer_auth(exec.clone()).form(&form).send()
    };
    let call = vec![
        ("subject", "Звонок: нужна справка"),
        ("client_name", "Сидорова Анна"),
        ("client_phone", "+7 900 444-55-66"),
        ("fields.result_by", "Лично в МФЦ"),
        ("fields.consent", "true"),
    ];
    let r = post(call.clone()).await.unwrap();
    assert_eq!(r.status(), 422, "how it came in must be said");
    let mut with_channel = call.clone();
    with_channel.push(("channel", "phone"));
    let r = post(with_channel).await.unwrap();
    assert_eq!(r.status(), 303);
    let card_url = r.headers()["location"].to_str().unwrap().to_string();
    assert!(card_url.ends_with("?done=created"), "{card_url}");
    let phoned = card_url.trim_start_matches("/requests/").trim_end_matches("?done=created").to_string();
    let rec = t.get_json_as(&format!("/api/v1/requests/{phoned}"), &exec).await;
    assert_eq!((rec["channel"].as_str(), rec["fields"]["result_by"].as_str()), (Some("phone"), Some("Лично в МФЦ")));
    let html = t.client.get(t.url(&card_url)).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(rec["tracking_code"].as_str().unwrap()) && html.contains("Сообщите заявителю код"));
    assert!(html.contains("Лично в МФЦ"), "the answers are on the card");

    // "Take it": the executor's own employee record is found by the work e-mail.
    let (s, emp) = {
        let r = t
            .client
            .post(t.url("/api/v1/employees"))
            .bearer_auth(&admin)
            .json(&json!({"unit_id": unit, "full_name": "Исполнителева Ирина", "email": "EXEC@x.ru"}))
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(s, 201, "{emp}");
    let emp_id = emp["id"].as_str().unwrap().to_string();
    let html = t.client.get(t.url(&format!("/requests/{phoned}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Взять себе"));
    let version = rec["version"].as_i64().unwrap().to_string();
    let r = t
        .client
        .post(t.url(&format!("/requests/{phoned}/move")))
        .bearer_auth(&exec)
        .form(&[("move", "reassign"), ("version", &version), ("employee_id", &emp_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(t.get_json_as(&format!("/api/v1/requests/{phoned}"), &exec).await["assignee_id"].as_str(), Some(emp_id.as_str()));
    let queue = t.client.get(t.url(&format!("/requests?body={mfc}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains("Мои") && queue.contains(&format!("assignee={emp_id}")), "my queue is a tab");
    let mine = t.get_json_as(&format!("/api/v1/requests?body={mfc}&assignee={emp_id}"), &exec).await;
    assert_eq!(mine["total"], 1);
    // An employee of another body is refused beside the field.
    let r = t
        .client
        .post(t.url(&format!("/requests/{phoned}/move")))
        .bearer_auth(&exec)
        .form(&[("move", "reassign"), ("employee_id", "0190a5e0-0000-7000-8000-000000000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
});

both_backends!(a_reply_to_the_client_is_checked_before_sending_and_scored, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, offering, _, exec) = setup(&t).await;
    let (s, made) = t
        .post_json(
            "/api/v1/requests",
            &json!({"offering_id": offering, "client_name": "Иванова Мария", "client_email": "maria@example.ru", "subject": "Фонарь"}),
        )
        .await;
    assert_eq!(s, 201);
    let id = made["id"].as_str().unwrap().to_string();
    let draft = "В целях осуществления рассмотрения обращения необходимо предоставление документов.";
    let post = |form: Vec<(&'static str, &'static str)>| {
        t.client.post(t.url(&format!("/requests/{id}/move"))).bearer_auth(exec.clone()).form(&form).send()
    };

    // Checking shows the score and findings beside the draft, and sends nothing.
    let r = post(vec![("move", "ask_client"), ("version", "1"), ("message", draft), ("check", "rq.ask")]).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Понятность:") && html.contains(draft) && html.contains("«В целях»"), "score, draft kept, a finding quoted");
    let card = t.get_json_as(&format!("/api/v1/requests/{id}"), &exec).await;
    assert_eq!((card["version"].as_i64(), card["phase"].as_str()), (Some(1), Some("open")), "nothing was sent");
    let r = post(vec![("move", "ask_client"), ("version", "1"), ("message", " "), ("check", "rq.ask")]).await.unwrap();
    assert_eq!(r.status(), 422, "an empty draft cannot be checked");

    // Sending scores it; a plain text scores higher than the bureaucratic one.
    let r = post(vec![("move", "ask_client"), ("version", "1"), ("message", draft)]).await.unwrap();
    assert_eq!(r.status(), 303);
    let r = post(vec![("move", "client_answered"), ("note", "Прислала")]).await.unwrap();
    assert_eq!(r.status(), 303);
    let r = post(vec![("move", "notify_client"), ("message", "Мы получили ваши документы. Ответим до 20 декабря.")]).await.unwrap();
    assert_eq!(r.status(), 303);
    let html = t.client.get(t.url(&format!("/requests/{id}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Понятность отправленных заявителю текстов"));
    let scores = t.app.store().response_scores(id.parse().unwrap()).await.unwrap();
    assert_eq!(scores.len(), 2, "the comment and the client's answer are not scored");
    assert!(scores[1].score > scores[0].score, "{scores:?}");

    let per = t.get_json_as(&format!("/api/v1/clarity/responses?body={mfc}"), &exec).await;
    assert_eq!(per["offerings"][0]["texts"], 2, "{per}");
    assert_eq!(per["units"].as_array().unwrap().iter().map(|u| u["texts"].as_i64().unwrap()).sum::<i64>(), 2);
    let r = t.client.get(t.url(&format!("/api/v1/clarity/responses?body={mfc}&from=вчера"))).bearer_auth(&exec).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(t.get(&format!("/api/v1/clarity/responses?body={mfc}")).await.status(), 401, "staff only");
    let page = t.client.get(t.url(&format!("/requests/clarity?body={mfc}"))).bearer_auth(&exec).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("По услугам"));
});

both_backends!(due_dates_follow_the_bodys_own_calendar, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, offering, admin, exec) = setup(&t).await;
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::RegulatedService, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body = json!({"offering_id": offering, "client_name": "Петров Пётр", "client_phone": "+7 900 111-22-33", "subject": "Справка",
                      "fields": {"result_by": "Почтой", "consent": "true"}});
    let (t, exec) = (&t, &exec);
    let stage_due = |made: Value| async move {
        let id = made["id"].as_str().unwrap().to_string();
        t.get_json_as(&format!("/api/v1/requests/{id}"), exec).await["stage_due_at"].as_str().unwrap().to_string()
    };
    let (s, before) = t.post_json("/api/v1/requests", &body).await;
    assert_eq!(s, 201, "{before}");
    let before = stage_due(before).await;

    // The body declares the next two weeks' weekdays regional holidays.
    let today = time::OffsetDateTime::now_utc().date();
    let overlay: String = (1..=14)
        .map(|d| today + time::Duration::days(d))
        .filter(|d| !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday))
        .map(|d| format!("{d} holiday # региональный праздник\n"))
        .collect();
    let version = t.get_json(&format!("/api/v1/bodies/{mfc}/calendar")).await["version"].as_i64().unwrap_or(0);
    let r = t
        .client
        .put(t.url(&format!("/api/v1/bodies/{mfc}/calendar")))
        .bearer_auth(&admin)
        .json(&json!({"overlay": overlay, "version": version}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (s, after) = t.post_json("/api/v1/requests", &body).await;
    assert_eq!(s, 201);
    let after = stage_due(after).await;
    // A one-working-day stage now ends after the holidays: at least a week later.
    let (b, a) = (&before[..10], &after[..10]);
    let parse = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
    assert!(parse(a) - parse(b) >= time::Duration::days(7), "before {before}, after {after}");
});
