//! A person's data on request (152-FZ): an administrator exports it and erases it through
//! the API and the pages; the erasure leaves no trace of the person in the records or the
//! audit trail, and the chain still verifies — while a forged redaction does not.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";
const PERSON: &str = "anna.smirnova@x.ru";
const NAME: &str = "Смирнова Анна Олеговна";

async fn raw(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

async fn call(t: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> (u16, String) {
    let mut r = match method {
        "GET" => t.client.get(t.url(path)),
        _ => t.client.post(t.url(path)),
    }
    .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

both_backends!(an_administrator_exports_and_erases_a_person, |db: TestDb| async move {
    let url = db.url.clone();
    let t = TestApp::with_demo(db).await;
    let sys = Actor::system();
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    t.app.create_user(&sys, "admin@x.ru", "administrator", None, PASSWORD).await.unwrap();
    let admin = t.app.issue_token(&sys, "admin@x.ru", "write", "t").await.unwrap().token;
    let read_only = t.app.issue_token(&sys, "admin@x.ru", "read", "t").await.unwrap().token;

    // The person: an employee record (created, then changed), an account, a failed sign-in.
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let (s, emp) = call(&t, "POST", "/api/v1/employees", &admin, Some(json!({"unit_id": unit, "full_name": NAME, "email": PERSON}))).await;
    assert_eq!(s, 201, "{emp}");
    let emp: Value = serde_json::from_str(&emp).unwrap();
    let emp_id = emp["id"].as_str().unwrap().to_string();
    let (s, _) = call(&t, "PUT", &format!("/api/v1/employees/{emp_id}"), &admin, None).await;
    assert_eq!(s, 405, "PUT goes through put() below");
    let r = t
        .client
        .put(t.url(&format!("/api/v1/employees/{emp_id}")))
        .bearer_auth(&admin)
        .json(&json!({"unit_id": unit, "full_name": NAME, "position": "Главный специалист", "email": PERSON}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    t.app.create_user(&sys, PERSON, "executor", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    let r = t.post_form("/login", &[("email", PERSON), ("password", "not the password")]).await;
    assert_eq!(r.status(), 401);

    // Export: everything, and never the password hash.
    let (s, text) = call(&t, "GET", &format!("/api/v1/personal-data?email={PERSON}"), &read_only, None).await;
    assert_eq!(s, 200, "{text}");
    let x: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(x["account"]["email"], PERSON);
    assert_eq!(x["employees"][0]["full_name"], NAME);
    let entries = x["audit"].as_array().unwrap().len();
    assert!(entries >= 4, "employee created and changed, account created, sign-in failed: {entries}");
    assert!(!text.contains("argon2"), "no password hash in an export");

    // Bad input changes nothing.
    let (s, text) = call(&t, "POST", "/api/v1/personal-data/erase", &admin, Some(json!({}))).await;
    assert_eq!(s, 422, "{text}");
    let (s, _) = call(&t, "POST", "/api/v1/personal-data/erase", &admin, Some(json!({"email": "nobody@x.ru"}))).await;
    assert_eq!(s, 404);
    let (s, _) = call(&t, "POST", "/api/v1/personal-data/erase", &admin, Some(json!({"email": "admin@x.ru"}))).await;
    assert_eq!(s, 409, "one's own account is not erased");
    let (s, _) = call(&t, "POST", "/api/v1/personal-data/erase", &read_only, Some(json!({"email": PERSON}))).await;
    assert_eq!(s, 403, "a read token erases nothing");
    assert_eq!(
        t.app.store().find_person(&okno_store::PersonQuery { email: Some(PERSON.into()), employee_id: None }).await.unwrap().employees[0]
            .full_name,
        NAME
    );

    // Erase.
    let (s, text) = call(&t, "POST", "/api/v1/personal-data/erase", &admin, Some(json!({"email": PERSON}))).await;
    assert_eq!(s, 200, "{text}");
    let done: Value = serde_json::from_str(&text).unwrap();
    let redacted: Vec<i64> = done["redacted_entries"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert!(redacted.len() >= 4, "{text}");

    // Nothing of the person is left anywhere an administrator can look.
    let (s, trail) = call(&t, "GET", "/api/v1/audit?per_page=100", &admin, None).await;
    assert_eq!(s, 200, "{trail}");
    assert!(!trail.contains(PERSON) && !trail.contains(NAME), "the audit trail no longer names the person");
    assert!(trail.contains("\"redacted\":true"));
    let (s, emp) = call(&t, "GET", &format!("/api/v1/employees/{emp_id}"), &admin, None).await;
    assert_eq!(s, 200, "{emp}");
    assert!(!emp.contains(NAME) && !emp.contains(PERSON), "{emp}");
    let (_, again) = call(&t, "GET", &format!("/api/v1/personal-data?email={PERSON}"), &admin, None).await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert!(again["account"].is_null() && again["employees"].as_array().unwrap().is_empty(), "{again}");
    let r = t.post_form("/login", &[("email", PERSON), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 401, "the erased account signs no one in");

    // The chain still holds, and the erasure is on record.
    let (_, v) = call(&t, "GET", "/api/v1/audit/verify", &admin, None).await;
    assert!(v.contains("\"intact\":true"), "{v}");
    let (_, erasures) = call(&t, "GET", "/api/v1/audit?entity=personal_data", &admin, None).await;
    assert!(erasures.contains("personal_data.erase"), "{erasures}");

    // A forged redaction — hiding an entry no erasure names — is found.
    let (_, page) = call(&t, "GET", "/api/v1/audit?entity=offering&per_page=1", &admin, None).await;
    let victim = serde_json::from_str::<Value>(&page).unwrap()["items"][0]["seq"].as_i64().unwrap();
    raw(&url, &format!("UPDATE audit_log SET before_json = NULL, after_json = '{{\"redacted\":\"personal data erased\"}}', redacted_at = 1 WHERE seq = {victim}"))
        .await;
    let (_, v) = call(&t, "GET", "/api/v1/audit/verify", &admin, None).await;
    let v: Value = serde_json::from_str(&v).unwrap();
    assert_eq!(v["intact"], false);
    assert_eq!(v["broken_at"], victim, "{v}");

    // And so is content put back into a redacted entry.
    raw(&url, &format!("UPDATE audit_log SET redacted_at = NULL WHERE seq = {victim}")).await;
    raw(&url, &format!("UPDATE audit_log SET after_json = '{{\"full_name\":\"Подделка\"}}' WHERE seq = {}", redacted[0])).await;
    let (_, v) = call(&t, "GET", "/api/v1/audit/verify", &admin, None).await;
    let v: Value = serde_json::from_str(&v).unwrap();
    assert_eq!(v["intact"], false);
});

both_backends!(the_personal_data_page_finds_downloads_and_erases, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let sys = Actor::system();
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    t.app.create_user(&sys, "admin@x.ru", "administrator", None, PASSWORD).await.unwrap();
    t.app.create_user(&sys, PERSON, "analyst", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    let r = t.post_form("/login", &[("email", "admin@x.ru"), ("password", PASSWORD)]).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let get = |path: String| t.client.get(t.url(&path)).header("cookie", cookie.clone()).send();

    let page = get(format!("/admin/personal-data?email={PERSON}")).await.unwrap().text().await.unwrap();
    assert!(page.contains(PERSON) && page.contains("Удалить навсегда"), "the page shows what is held and offers erasure");
    let at = page.find("name=\"_csrf\" value=\"").unwrap() + "name=\"_csrf\" value=\"".len();
    let csrf = page[at..at + page[at..].find('"').unwrap()].to_string();
    let bad = get("/admin/personal-data?email=not-an-address".into()).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("Введите адрес электронной почты"));

    let file = get(format!("/admin/personal-data/export.json?email={PERSON}")).await.unwrap();
    assert!(file.headers()["content-disposition"].to_str().unwrap().contains("personal-data.json"));
    assert!(file.text().await.unwrap().contains(PERSON));

    let post = |confirm: bool| {
        let mut form = vec![("email", PERSON.to_string()), ("_csrf", csrf.clone())];
        if confirm {
            form.push(("confirm", "yes".into()));
        }
        t.client.post(t.url("/admin/personal-data/erase")).header("cookie", cookie.clone()).form(&form).send()
    };
    let r = post(false).await.unwrap();
    assert_eq!(r.status(), 422, "erasing needs the box ticked");
    assert!(t.app.store().account_by_email(PERSON).await.unwrap().is_some(), "nothing erased");
    let r = post(true).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Персональные данные удалены"));
    assert!(t.app.store().account_by_email(PERSON).await.unwrap().is_none());
});

both_backends!(a_clients_requests_are_exported_and_erased_but_the_case_stays, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let sys = Actor::system();
    t.app.create_user(&sys, "root@x.ru", "administrator", None, PASSWORD).await.unwrap();
    let admin = t.app.issue_token(&sys, "root@x.ru", "write", "t").await.unwrap().token;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let offering =
        t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (s, made) = t
        .post_json(
            "/api/v1/requests",
            &json!({"offering_id": offering, "client_name": NAME, "client_email": "Anna.Smirnova@x.ru", "client_phone": "+7 900 765-43-21",
                    "subject": "Прошу убрать сугроб у подъезда", "fields": {"reply_by": "По электронной почте"}}),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    let id = made["id"].as_str().unwrap().to_string();
    let code = made["tracking_code"].as_str().unwrap().to_string();

    let (s, body) = call(&t, "GET", &format!("/api/v1/personal-data?email={PERSON}"), &admin, None).await;
    assert_eq!(s, 200, "{body}");
    let export: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(export["requests"][0]["tracking_code"], code.as_str());
    assert_eq!(export["requests"][0]["subject"], "Прошу убрать сугроб у подъезда");
    assert_eq!(export["requests"][0]["fields"]["reply_by"], "По электронной почте");

    let (s, body) = call(&t, "POST", "/api/v1/personal-data/erase", &admin, Some(json!({"email": PERSON}))).await;
    assert_eq!(s, 200, "{body}");
    let erased: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(erased["request_ids"][0], id.as_str());
    let card = t.get_json_as(&format!("/api/v1/requests/{id}"), &admin).await;
    let text = card.to_string();
    for gone in [NAME, "+7 900 765-43-21", "сугроб", "anna.smirnova", "Anna.Smirnova"] {
        assert!(!text.contains(gone), "{gone} is still on the card: {text}");
    }
    assert_eq!(card["tracking_code"], code.as_str(), "the case itself stays, with its history");
    assert!(card["events"].as_array().unwrap().len() >= 2);
    let (s, body) = call(&t, "GET", &format!("/api/v1/personal-data?email={PERSON}"), &admin, None).await;
    assert_eq!(s, 200);
    assert!(serde_json::from_str::<Value>(&body).unwrap()["requests"].as_array().unwrap().is_empty(), "nothing is held any more");
    assert_eq!(t.app.store().verify_request_events(id.parse().unwrap()).await.unwrap(), None, "the request's history still verifies");
});
