//! Dashboards: the body overview and an offering's KPIs follow the requests, their
//! channels, outcomes and ratings; ratings reach the stage metrics; cost entries give the
//! cost per transaction and bad ones change nothing; the public page hides offerings with
//! too few requests and never shows a person; the pages draw the flow and the trend.

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

both_backends!(dashboards_follow_requests_ratings_and_costs, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let other = t.other_body(&mfc).await;
    let admin = t.staff_token("admin@x.ru", "administrator", None).await;
    let owner = t.staff_token("owner@x.ru", "service_owner", Some(&mfc)).await;
    let exec = t.staff_token("exec@x.ru", "executor", Some(&mfc)).await;
    let elsewhere = t.staff_token("elsewhere@x.ru", "service_owner", Some(&other)).await;
    let offering =
        t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);

    // Three requests from clients online, one registered by staff at the front desk.
    let mut requests = Vec::new();
    for i in 0..4 {
        let mut body = json!({"offering_id": offering, "client_name": format!("Клиентка Иванова {i}"), "client_email": format!("ivanova{i}@example.ru"), "subject": "Вопрос"});
        let r = if i == 3 {
            body["channel"] = json!("walk_in");
            t.client.post(t.url("/api/v1/requests")).bearer_auth(&exec).json(&body).send().await.unwrap()
        } else {
            t.client.post(t.url("/api/v1/requests")).json(&body).send().await.unwrap()
        };
        assert_eq!(r.status(), 201);
        let made: Value = r.json().await.unwrap();
        requests.push((made["id"].as_str().unwrap().to_string(), made["tracking_code"].as_str().unwrap().to_string()));
    }
    let mv = |id: String, body: Value| {
        let (client, url, exec) = (t.client.clone(), t.url(&format!("/api/v1/requests/{id}/moves")), exec.clone());
        async move {
            let r = client.post(url).bearer_auth(exec).json(&body).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
        }
    };
    // R0 answered; R1 closed as withdrawn; R2 and R3 stay open.
    for _ in 0..3 {
        mv(requests[0].0.clone(), json!({"move": "complete"})).await;
    }
    mv(requests[0].0.clone(), json!({"move": "close", "outcome": "answered", "reason": "Дорогу на вашей улице отремонтируют в мае. Если работы не начнутся, позвоните нам."})).await;
    mv(requests[1].0.clone(), json!({"move": "close", "outcome": "withdrawn", "reason": "Заявитель отозвал обращение"})).await;
    // The client of R0 rates the whole request 5 on every criterion, with a comment.
    let (s, v) = t
        .post_json(
            &format!("/api/v1/status/{}/ratings", requests[0].1),
            &json!({"scores": {"time": 5, "waiting": 5, "politeness": 5, "comfort": 5, "information": 5}, "comment": "Спасибо, Мария Петровна"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");

    // The rating is in the audit trail with its scores, without the comment.
    let audit = t.get_json_as("/api/v1/audit?entity=request", &admin).await.to_string();
    assert!(audit.contains("request.rating.add"), "{audit}");
    assert!(!audit.contains("Мария Петровна"), "the comment stays out of the trail");

    let period = format!("from={}&to={}", day(-1), day(1));
    // Ratings reach the stage metrics: the offering's satisfaction part is now 1.
    let m = t.get_json_as(&format!("/api/v1/offerings/{offering}/stage-metrics?{period}"), &exec).await;
    assert_eq!(m["offering"]["ratings"]["count"], 1, "{m}");
    assert_eq!(m["offering"]["centricity"]["parts"]["satisfaction"].as_f64(), Some(1.0));
    assert_eq!(m["offering"]["ratings"]["politeness"].as_f64(), Some(5.0));

    // KPIs: completion 1 of 2 closed, digital 3 of 4, satisfaction 1 of 1; no cost yet.
    let kpis_url = format!("/api/v1/offerings/{offering}/kpis?{period}");
    let k = t.get_json_as(&kpis_url, &exec).await;
    let kp = &k["kpis"];
    assert_eq!((kp["requests"].as_u64(), kp["closed"].as_u64()), (Some(4), Some(2)), "{k}");
    assert_eq!(kp["completion_rate"].as_f64(), Some(0.5));
    assert_eq!(kp["digital_take_up"].as_f64(), Some(0.75));
    assert_eq!(kp["satisfaction"].as_f64(), Some(1.0));
    assert!(kp["cost_per_transaction"].is_null() && kp["cost_coverage"].is_null());
    let months = k["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(
        months.last().unwrap()["kpis"]["requests"].as_u64().unwrap() + months[months.len() - 2]["kpis"]["requests"].as_u64().unwrap(),
        4,
        "the requests are in this month (or the last, just after midnight)"
    );

    // Costs: an executor may not enter them; bad input changes nothing; a good entry
    // gives 1,000 roubles over the four requests of those days.
    let costs_url = t.url(&format!("/api/v1/offerings/{offering}/costs"));
    let post = |tok: String, body: Value| {
        let (client, url) = (t.client.clone(), costs_url.clone());
        async move {
            let r = client.post(url).bearer_auth(tok).json(&body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let entry = json!({"from": day(-1), "to": day(1), "amount": "1 000,00", "note": "Фонд оплаты труда"});
    assert_eq!(post(exec.clone(), entry.clone()).await.0, 403);
    assert_eq!(post(elsewhere.clone(), entry.clone()).await.0, 403);
    for (bad, field, code) in [
        (json!({"from": day(-1), "to": day(1), "amount": "тысяча"}), "amount", "invalid_amount"),
        (json!({"from": day(1), "to": day(-1), "amount": 10}), "to", "period_order"),
        (json!({"from": "2026-02-30", "to": day(1), "amount": 10}), "from", "invalid_date"),
    ] {
        let (s, e) = post(owner.clone(), bad).await;
        assert_eq!((s, e["fields"][0]["field"].as_str(), e["fields"][0]["code"].as_str()), (422, Some(field), Some(code)), "{e}");
    }
    assert_eq!(t.get_json_as(&format!("/api/v1/offerings/{offering}/costs"), &exec).await.as_array().unwrap().len(), 0, "nothing written");
    let (s, c) = post(owner.clone(), entry.clone()).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["amount"].as_f64(), Some(1000.0));
    let (s, e) = post(owner.clone(), json!({"from": day(0), "to": day(2), "amount": 5})).await;
    assert_eq!((s, e["fields"][0]["code"].as_str()), (422, Some("overlaps")), "{e}");
    let kp = t.get_json_as(&kpis_url, &exec).await["kpis"].clone();
    assert_eq!(kp["cost_per_transaction"].as_f64(), Some(250.0), "{kp}");
    assert_eq!(kp["cost_coverage"].as_f64(), Some(1.0));

    // The body overview: the offering with its KPIs; another body's staff may not look.
    let o = t.get_json_as(&format!("/api/v1/bodies/{mfc}/overview?{period}"), &exec).await;
    let row =
        o["offerings"].as_array().unwrap().iter().find(|r| r["offering_id"] == offering.as_str()).unwrap_or_else(|| panic!("{o}")).clone();
    assert_eq!(row["kpis"]["requests"], 4);
    assert_eq!(row["kpis"]["cost_per_transaction"].as_f64(), Some(250.0));
    assert_eq!(o["total"]["kpis"]["requests"], 4);
    // The answer sent to the client was scored: its clarity stands beside the index.
    assert!(row["clarity_score"].as_f64().is_some_and(|c| (0.0..=10.0).contains(&c)), "{row}");
    assert!(o["units"].as_array().unwrap().iter().any(|u| u["clarity_score"].is_number()), "{}", o["units"]);
    assert!(o["worst_stages"].as_array().unwrap().is_empty(), "no stage was finished five times");
    let sum = |list: &Value| list.as_array().unwrap().iter().map(|g| g["requests"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum(&o["units"]), 4, "every request has a responsible unit: {}", o["units"]);
    assert!(o["units"].as_array().unwrap().iter().all(|u| u["name"] != "—"), "units are named");
    let variants = t.get_json_as(&kpis_url, &exec).await["variants"].clone();
    assert_eq!(sum(&variants), 4, "{variants}");
    let r = t.client.get(t.url(&format!("/api/v1/bodies/{mfc}/overview"))).bearer_auth(&elsewhere).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = t.client.get(t.url(&format!("/api/v1/bodies/{mfc}/overview?from=2026-13-01"))).bearer_auth(&exec).send().await.unwrap();
    assert_eq!(r.status(), 422);

    // The public page: four requests are fewer than the default threshold of 20, so the
    // offering is listed without a figure; with a threshold of 3 its figures appear. No
    // client's name, address or comment is anywhere in it.
    let p = t.get_json(&format!("/api/v1/transparency?{period}")).await;
    assert_eq!(p["min_requests"], 20);
    let listed = p["bodies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["offerings"].as_array().unwrap().clone())
        .find(|o| o["offering_id"] == offering.as_str())
        .unwrap();
    assert!(listed["figures"].is_null(), "{listed}");
    let open = t.app.clone().with_transparency_min(3).transparency(Some(&day(-1)), Some(&day(1))).await.unwrap();
    let shown = open.bodies.iter().flat_map(|b| &b.offerings).find(|o| o.offering.to_string() == offering).unwrap();
    let f = shown.figures.as_ref().expect("four requests reach a threshold of 3");
    assert_eq!((f.requests, f.completion_rate, f.digital_take_up), (4, Some(0.5), Some(0.75)));
    assert_eq!(f.satisfaction, None, "one rating is fewer than three");
    assert_eq!(f.cost_per_transaction, Some(250.0));
    let text = format!("{p}{}", t.get("/transparency").await.text().await.unwrap());
    assert!(!text.contains("Иванова") && !text.contains("example.ru") && !text.contains("Мария"), "no personal data");

    // The pages: the overview, the offering's flow and trend, and the cost form.
    let page = |path: String, tok: String| {
        let (client, url) = (t.client.clone(), t.url(&path));
        async move {
            let r = client.get(url).bearer_auth(tok).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, html) = page(format!("/analytics?body={mfc}&{}", period), exec.clone()).await;
    assert_eq!(s, 200);
    assert!(html.contains("Показатели обслуживания") && html.contains(&format!("/offerings/{offering}/metrics")));
    assert!(html.contains("250,00 ₽") && html.contains("75 %"), "the KPIs are on the page");
    let (s, html) = page(format!("/offerings/{offering}/metrics?{period}"), owner.clone()).await;
    assert_eq!(s, 200);
    assert!(html.contains("class=\"flow-svg\"") && html.contains("class=\"trend-svg\""));
    assert_eq!(html.matches("class=\"flow-stage\"").count(), 4, "the four stages of the appeal chain");
    assert!(html.contains("Из чего складывается индекс") && html.contains("Вся услуга"), "each part of the index on its own");
    let form = format!("action=\"/offerings/{offering}/costs\"");
    assert!(html.contains("Фонд оплаты труда") && html.contains(&form), "the entry and the form");
    let (_, html) = page(format!("/offerings/{offering}/metrics?{period}"), exec.clone()).await;
    assert!(html.contains("Фонд оплаты труда") && !html.contains(&form), "an executor sees the entry, not the form");
    // A bad amount through the form: 422 with the message, nothing written.
    let r = t
        .client
        .post(t.url(&format!("/offerings/{offering}/costs")))
        .bearer_auth(&owner)
        .form(&[("from", day(5).as_str()), ("to", day(6).as_str()), ("amount", "много")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Укажите сумму в рублях"));
    assert_eq!(t.get_json_as(&format!("/api/v1/offerings/{offering}/costs"), &exec).await.as_array().unwrap().len(), 1);
    // Removing the entry through the page.
    let id = c["id"].as_str().unwrap();
    let r = t.client.post(t.url(&format!("/offerings/{offering}/costs/{id}/delete"))).bearer_auth(&owner).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(t.get_json_as(&format!("/api/v1/offerings/{offering}/costs"), &exec).await.as_array().unwrap().len(), 0);
});
