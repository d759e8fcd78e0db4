//! `GET /api/v1/offerings/{id}/stage-metrics`: requests moved through a chain with a
//! return and an ask give the visits and shares counted by hand; the cached log follows
//! later moves; a bad period is a 422 naming the parameter; who may not read gets 401/403.

mod helpers;

use helpers::TestApp;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

fn day(offset_days: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (y, m, d) = okno_app::analytics::engine::iso::civil_from_days(now.div_euclid(86_400) + offset_days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn stage<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["stages"].as_array().unwrap().iter().find(|s| s["stage"] == key).unwrap_or_else(|| panic!("stage {key} in {v}"))
}

both_backends!(stage_metrics_count_visits_returns_and_asks, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let other = t.other_body(&mfc).await;
    let admin = t.staff_token("admin@x.ru", "administrator", None).await;
    let exec = t.staff_token("exec@x.ru", "executor", Some(&mfc)).await;
    let analyst = t.staff_token("analyst@x.ru", "analyst", Some(&mfc)).await;
    let elsewhere = t.staff_token("elsewhere@x.ru", "service_owner", Some(&other)).await;
    let offering =
        t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);

    let mut requests = Vec::new();
    for i in 0..3 {
        let (s, made) = t
            .post_json(
                "/api/v1/requests",
                &json!({"offering_id": offering, "client_name": format!("Клиент {i}"), "client_email": format!("c{i}@example.ru"), "subject": "Вопрос"}),
            )
            .await;
        assert_eq!(s, 201, "{made}");
        requests.push((made["id"].as_str().unwrap().to_string(), made["tracking_code"].as_str().unwrap().to_string()));
    }
    let url = format!("/api/v1/offerings/{offering}/stage-metrics?from={}&to={}", day(-1), day(1));
    let get = |tok: String| {
        let (client, url) = (t.client.clone(), t.url(&url));
        async move {
            let r = client.get(url).bearer_auth(tok).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };

    // Before any move: three visits of the first stage, none finished.
    let (s, m) = get(analyst.clone()).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["offering"]["requests"], 3);
    let reg = stage(&m, "register");
    assert_eq!((reg["count"].as_u64(), reg["finished"].as_u64()), (Some(3), Some(0)));
    assert_eq!(reg["name"], "Регистрация обращения");
    assert!(reg["return_share"].is_null() && reg["ratings"]["mean"].is_null());

    let mv = |id: String, body: Value| {
        let (client, url, exec) = (t.client.clone(), t.url(&format!("/api/v1/requests/{id}/moves")), exec.clone());
        async move {
            let r = client.post(url).bearer_auth(exec).json(&body).send().await.unwrap();
            let s = r.status().as_u16();
            assert_eq!(s, 200, "{}", r.text().await.unwrap());
        }
    };
    let complete = || json!({"move": "complete"});
    let (r1, code1) = requests[0].clone();
    let r2 = requests[1].0.clone();
    // R1: register → route → consider (asks the client, who answers) → answer → back to
    // consider → answer → closed.
    mv(r1.clone(), complete()).await;
    mv(r1.clone(), complete()).await;
    mv(r1.clone(), json!({"move": "ask_client", "message": "Уточните адрес"})).await;
    let (s, _) = t.post_json(&format!("/api/v1/status/{code1}/answer"), &json!({"answer": "Дом 5"})).await;
    assert_eq!(s, 200);
    mv(r1.clone(), complete()).await;
    mv(r1.clone(), json!({"move": "return", "to": "consider", "reason": "Не хватает ссылки на закон"})).await;
    mv(r1.clone(), complete()).await;
    mv(r1.clone(), json!({"move": "close", "outcome": "answered", "reason": ""})).await;
    // R2: register → route → consider (still there). R3 stays at register.
    mv(r2.clone(), complete()).await;
    mv(r2.clone(), complete()).await;

    let (s, m) = get(exec.clone()).await;
    assert_eq!(s, 200, "{m}");
    let keys: Vec<&str> = m["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(keys, ["register", "route", "consider", "answer"], "in chain order");
    let counts = |k: &str| {
        let s = stage(&m, k);
        (s["count"].as_u64().unwrap(), s["finished"].as_u64().unwrap(), s["return_share"].as_f64(), s["client_asks"].as_u64().unwrap())
    };
    assert_eq!(counts("register"), (3, 2, Some(0.0), 0));
    assert_eq!(counts("route"), (2, 2, Some(0.0), 0));
    assert_eq!(counts("consider"), (3, 2, Some(0.0), 1));
    assert_eq!(counts("answer"), (2, 2, Some(0.5), 0));
    let consider = stage(&m, "consider");
    assert!(consider["waiting"]["mean_s"].as_f64().unwrap() >= 0.0);
    assert!(consider["working"]["median_s"].as_f64().is_some());
    assert!(consider["centricity_index"].as_f64().is_some_and(|i| (0.0..=100.0).contains(&i)));
    assert!(consider["centricity"]["parts"]["satisfaction"].is_null(), "no ratings yet");
    let o = &m["offering"];
    assert_eq!(
        (o["requests"].as_u64(), o["closed"].as_u64(), o["returns"].as_u64(), o["requests_with_returns"].as_u64()),
        (Some(3), Some(1), Some(1), Some(1))
    );
    assert_eq!(o["client_asks"], 1);
    assert!(o["throughput"]["mean_s"].as_f64().is_some());
    // The ask and the result told the client something during R1's visits, nothing else
    // did: consider (2 of R1 + 1 of R2) has one visit with the ask.
    assert_eq!(stage(&m, "consider")["transparency"].as_f64(), Some(1.0 / 3.0));
    assert_eq!(stage(&m, "answer")["transparency"].as_f64(), Some(0.0), "the result is told after the visit ended");
    // The same again comes from the cache, identical.
    assert_eq!(get(admin.clone()).await.1, m);

    // A period outside the requests: nothing counted.
    let r = t
        .client
        .get(t.url(&format!("/api/v1/offerings/{offering}/stage-metrics?from=2025-01-01&to=2025-02-01")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let empty: Value = r.json().await.unwrap();
    assert_eq!((empty["offering"]["requests"].as_u64(), empty["stages"].as_array().map(Vec::len)), (Some(0), Some(0)));

    // Bad periods: 422 naming the parameter.
    for (q, field) in [
        ("from=2026-13-01&to=2027-01-01", "from"),
        ("from=garbage", "from"),
        ("from=2026-01-01&to=31.12.2026", "to"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("from=2019-01-01&to=2026-01-01", "to"),
    ] {
        let r = t.client.get(t.url(&format!("/api/v1/offerings/{offering}/stage-metrics?{q}"))).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(r.status(), 422, "{q}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["fields"][0]["field"], field, "{q}: {e}");
    }
    // Who may not read: anonymous 401, another body's staff 403; unknown offering 404.
    assert_eq!(t.get(&url).await.status(), 401);
    assert_eq!(get(elsewhere).await.0, 403);
    let r = t
        .client
        .get(t.url(&format!("/api/v1/offerings/{}/stage-metrics", okno_domain::Id::new())))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
});
