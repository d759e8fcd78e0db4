//! The JSON API, on both backends, through HTTP.

mod helpers;

use helpers::TestApp;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

/// A fresh body with one unit; returns (body id, unit id, segment ids by name).
async fn body_with_unit(t: &TestApp) -> (String, String, std::collections::HashMap<String, String>) {
    let (s, body) = t.post_json("/api/v1/bodies", &json!({"name": "Администрация округа"})).await;
    assert_eq!(s, 201, "{body}");
    let body_id = body["id"].as_str().unwrap().to_string();
    let (s, unit) = t.post_json("/api/v1/units", &json!({"body_id": body_id, "name": "Отдел реестров"})).await;
    assert_eq!(s, 201, "{unit}");
    let segs = t.get_json(&format!("/api/v1/segments?body={body_id}")).await;
    let segs =
        segs.as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap().to_string(), s["id"].as_str().unwrap().to_string())).collect();
    (body_id, unit["id"].as_str().unwrap().to_string(), segs)
}

both_backends!(offering_lifecycle, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (body, unit, segs) = body_with_unit(&t).await;
    assert!(segs.contains_key("Граждане") && segs.contains_key("Служащие органа"), "a new body gets the seed's segments");

    let (s, product) = t
        .post_json(
            "/api/v1/offerings",
            &json!({"body_id": body, "name": "Выписка из реестра", "kind": "product", "product_type": "document", "owner_unit_id": unit,
                     "segments": [{"segment_id": segs["Граждане"], "benefit": "подтверждает право"}], "status": "published"}),
        )
        .await;
    assert_eq!(s, 201, "{product}");
    let (s, service) = t
        .post_json(
            "/api/v1/offerings",
            &json!({"body_id": body, "name": "Предоставление выписки", "kind": "service", "service_kind": "regulated", "owner_unit_id": unit,
                     "segments": [{"segment_id": segs["Граждане"], "benefit": "выписка за 5 дней"}, {"segment_id": segs["Служащие органа"]}],
                     "outputs": [{"product_id": product["id"], "note": "по запросу"}],
                     "channels": ["e_service", "in_person"], "term": {"value": 5, "unit": "working_days"}, "fee_kopecks": 0,
                     "legal_basis": ["210-ФЗ"], "required_documents": ["Заявление"]}),
        )
        .await;
    assert_eq!(s, 201, "{service}");
    let id = service["id"].as_str().unwrap();
    let got = t.get_json(&format!("/api/v1/offerings/{id}")).await;
    assert_eq!(got["kind"], "service");
    assert_eq!(got["service_kind"], "regulated");
    assert_eq!(got["product_type"], Value::Null);
    assert_eq!(got["status"], "draft", "draft unless said otherwise");
    assert_eq!(got["owner_unit"]["name"], "Отдел реестров");
    assert_eq!(got["segments"][0]["side"], "external");
    assert_eq!(got["segments"][1]["side"], "internal");
    assert_eq!(got["outputs"][0]["product_id"], product["id"]);
    assert_eq!(got["outputs"][0]["product_type"], "document");
    assert_eq!(got["channels"], json!(["in_person", "e_service"]));
    assert_eq!(got["version"], 1);
    let p = t.get_json(&format!("/api/v1/offerings/{}", product["id"].as_str().unwrap())).await;
    assert_eq!(p["provided_by"][0]["id"], id);

    // Update with the version read; then the same stale version loses.
    let mut update = json!({"name": "Выдача выписки из реестра", "kind": "service", "service_kind": "regulated", "owner_unit_id": unit,
                             "segments": [{"segment_id": segs["Граждане"]}], "status": "published", "version": 1});
    let (s, updated) = t.put_json(&format!("/api/v1/offerings/{id}"), &update).await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["outputs"], json!([]), "PUT replaces the whole offering");
    update["name"] = json!("Чужая правка");
    let (s, err) = t.put_json(&format!("/api/v1/offerings/{id}"), &update).await;
    assert_eq!(s, 409);
    assert_eq!(err["code"], "stale_version");
    assert_eq!(t.get_json(&format!("/api/v1/offerings/{id}")).await["name"], "Выдача выписки из реестра");

    let r = t.client.delete(t.url(&format!("/api/v1/offerings/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(t.get(&format!("/api/v1/offerings/{id}")).await.status(), 404);
    assert_eq!(t.offering_count(&body).await, 1);
});

both_backends!(bad_input_is_refused_and_changes_nothing, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (body, unit, _) = body_with_unit(&t).await;
    let before = t.offering_count(&body).await;

    let (s, err) = t
        .post_json("/api/v1/offerings", &json!({"body_id": body, "name": " ", "kind": "thing", "owner_unit_id": unit, "channels": ["fax"]}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["code"], "validation_failed");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "kind", "channels[0]"]);
    assert!(err["fields"][1]["message"].as_str().unwrap().contains("product, service"));

    let (s, err) = t.post_json("/api/v1/offerings", &json!({"body_id": body, "name": "X", "kind": "product", "product_type": "document", "owner_unit_id": "01a21a53-0000-7000-8000-000000000000"})).await;
    assert_eq!((s, err["fields"][0]["field"].as_str()), (422, Some("owner_unit_id")), "a unit of no body");

    let r = t.client.post(t.url("/api/v1/offerings")).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "bad_json");
    let r = t.client.post(t.url("/api/v1/offerings")).body("name=x").send().await.unwrap();
    assert_eq!(r.status(), 415);
    let (s, err) = t.post_json("/api/v1/offerings", &json!({"body_id": body, "name": "X", "colour": "red"})).await;
    assert_eq!(s, 422, "unknown fields are refused, not ignored");
    assert_eq!(err["code"], "bad_json");

    let huge = "я".repeat(600_000);
    let r = t.client.post(t.url("/api/v1/offerings")).json(&json!({"body_id": body, "name": huge})).send().await.unwrap();
    let status = r.status();
    let err: Value = r.json().await.unwrap();
    assert_eq!(status, 413, "bodies over 1 MiB are refused before parsing: {err}");
    assert_eq!(err["code"], "too_large");

    let (s, _) = t
        .post_json(
            "/api/v1/offerings",
            &json!({"body_id": body, "name": "Дубль", "kind": "service", "service_kind": "other", "owner_unit_id": unit}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, err) = t
        .post_json(
            "/api/v1/offerings",
            &json!({"body_id": body, "name": "Дубль", "kind": "service", "service_kind": "other", "owner_unit_id": unit}),
        )
        .await;
    assert_eq!((s, err["fields"][0]["code"].as_str()), (422, Some("duplicate")));
    assert_eq!(t.offering_count(&body).await, before + 1, "only the one valid offering was written");

    assert_eq!(t.get("/api/v1/offerings/not-an-id").await.status(), 404);
    let r = t.client.delete(t.url(&format!("/api/v1/units/{unit}"))).send().await.unwrap();
    assert_eq!(r.status(), 409, "a unit that owns offerings stays");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "in_use");
});

both_backends!(list_filters_pages_and_bad_queries, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let all = t.get_json(&format!("/api/v1/offerings?body={mfc}")).await;
    assert_eq!(all["total"], 11);
    let services = t.get_json(&format!("/api/v1/offerings?body={mfc}&kind=service")).await;
    assert!(services["items"].as_array().unwrap().iter().all(|o| o["kind"] == "service"));
    let regulated = t.get_json(&format!("/api/v1/offerings?body={mfc}&service_kind=regulated")).await;
    assert_eq!(regulated["total"], 3);
    let q = t.get_json(&format!("/api/v1/offerings?body={mfc}&q=ДЕТСКИЙ%20сад")).await;
    assert_eq!(q["total"], 2, "the decision and the service mention a kindergarten");
    let page2 = t.get_json(&format!("/api/v1/offerings?body={mfc}&per_page=5&page=3")).await;
    assert_eq!((page2["items"].as_array().unwrap().len(), page2["page"].as_i64()), (1, Some(3)));
    let segs = t.get_json(&format!("/api/v1/segments?body={mfc}")).await;
    let parents = segs.as_array().unwrap().iter().find(|s| s["name"] == "Родители детей дошкольного возраста").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let for_parents = t.get_json(&format!("/api/v1/offerings?segment={parents}")).await;
    assert_eq!(for_parents["total"], 2);

    let r = t.get("/api/v1/offerings?kind=thing&per_page=1000&status=gone").await;
    assert_eq!(r.status(), 400);
    let err: Value = r.json().await.unwrap();
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["kind", "status", "per_page"]);
    assert_eq!(t.get("/api/v1/offerings?segment=abc").await.status(), 400);
    assert_eq!(t.get("/api/v1/units").await.status(), 400, "units need a body");
});

both_backends!(client_map_answers_the_seed_question, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let audit = t.body_id("Контрольно-счётная палата (демо)").await;
    let map = t.get_json(&format!("/api/v1/client-map?body={audit}")).await;
    assert_eq!(map["offerings"].as_array().unwrap().len(), 16);
    let showcase = map["offerings"].as_array().unwrap().iter().find(|o| o["name"] == "Витрина проектов цифровой трансформации").unwrap();
    let clients: Vec<&str> = showcase["clients"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(clients.contains(&"ИТ-компании") && clients.contains(&"Цифровой актив"));
    assert_eq!(showcase["clients"][0]["side"], "internal", "internal clients first");
    let students = map["segments"].as_array().unwrap().iter().find(|s| s["name"] == "Студенты").unwrap();
    assert_eq!(students["offerings"].as_array().unwrap().len(), 2);
    assert!(map["units"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["name"] == "Отдел данных и аналитики" && u["offerings"].as_array().unwrap().len() == 4));
    assert_eq!(map["offerings_without_clients"], json!([]));
    assert_eq!(t.get("/api/v1/client-map").await.status(), 400);
    assert_eq!(t.get("/api/v1/client-map?body=01a21a53-0000-7000-8000-000000000000").await.status(), 404);
});

both_backends!(catalogue_round_trips_through_the_api, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let r = t.get(&format!("/api/v1/bodies/{mfc}/catalogue?format=csv")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.bytes().await.unwrap();
    let r = t
        .client
        .post(t.url(&format!("/api/v1/bodies/{mfc}/catalogue")))
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["created"].as_i64(), report["updated"].as_i64()), (Some(0), Some(11)));
    let xlsx = t.get(&format!("/api/v1/bodies/{mfc}/catalogue")).await.bytes().await.unwrap();
    assert_eq!(&xlsx[..2], b"PK", "an XLSX is a zip");
    let r = t
        .client
        .post(t.url(&format!("/api/v1/bodies/{mfc}/catalogue")))
        .header("content-type", "application/pdf")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
});

both_backends!(units_employees_and_segments, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (body, unit, segs) = body_with_unit(&t).await;
    let (s, child) = t.post_json("/api/v1/units", &json!({"body_id": body, "parent_id": unit, "name": "Сектор выписок"})).await;
    assert_eq!(s, 201);
    let (s, err) = t.put_json(&format!("/api/v1/units/{unit}"), &json!({"name": "Отдел реестров", "parent_id": child["id"]})).await;
    assert_eq!((s, err["fields"][0]["code"].as_str()), (422, Some("cycle")));
    let (s, emp) = t
        .post_json("/api/v1/employees", &json!({"unit_id": unit, "full_name": "Иванова Анна Петровна", "email": "Ivanova@Example.RU"}))
        .await;
    assert_eq!(s, 201);
    assert_eq!(emp["email"], "ivanova@example.ru");
    let (s, err) = t.post_json("/api/v1/employees", &json!({"unit_id": unit, "full_name": "Петров", "email": "petrov"})).await;
    assert_eq!((s, err["fields"][0]["field"].as_str()), (422, Some("email")));
    let (s, seg) = t.post_json("/api/v1/segments", &json!({"body_id": body, "name": "Жители микрорайона", "side": "external"})).await;
    assert_eq!(s, 201);
    let (s, err) = t.post_json("/api/v1/segments", &json!({"body_id": body, "name": "Граждане", "side": "external"})).await;
    assert_eq!((s, err["fields"][0]["code"].as_str()), (422, Some("duplicate")));
    let (s, err) = t.post_json("/api/v1/segments", &json!({"body_id": body, "name": "Кто-то", "side": "sideways"})).await;
    assert_eq!((s, err["fields"][0]["field"].as_str()), (422, Some("side")));
    let r = t.client.delete(t.url(&format!("/api/v1/segments/{}", seg["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(t.get_json(&format!("/api/v1/segments?body={body}")).await.as_array().unwrap().len(), segs.len());
    assert_eq!(t.get_json(&format!("/api/v1/employees?body={body}")).await.as_array().unwrap().len(), 1);
});

both_backends!(operations_endpoints_and_headers, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let r = t.get("/healthz").await;
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(!h["x-request-id"].is_empty(), "every response carries its request id");
    assert_eq!(t.get("/readyz").await.status(), 200);
    t.get("/api/v1/bodies").await;
    let metrics = t.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("okno_http_requests_total{method=\"GET\",route=\"/api/v1/bodies\",status=\"200\"} 1"), "{metrics}");
    assert!(metrics.contains("okno_http_request_duration_seconds_bucket"));
    let spec = t.get_json("/api/openapi.json").await;
    for path in [
        "/api/v1/offerings",
        "/api/v1/offerings/{id}",
        "/api/v1/segments",
        "/api/v1/client-map",
        "/api/v1/units",
        "/api/v1/employees",
        "/api/v1/bodies/{id}/catalogue",
    ] {
        assert!(spec["paths"].get(path).is_some(), "OpenAPI describes {path}");
    }
    assert!(spec["components"]["schemas"]["Offering"]["properties"]["segments"].is_object());
    let r = t.get("/api/v1/nothing-here").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_found");
});

both_backends!(changes_through_the_api_are_audited, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (body, unit, _) = body_with_unit(&t).await;
    let r = t
        .client
        .post(t.url("/api/v1/offerings"))
        .header("x-request-id", "trace-me-42")
        .json(&json!({"body_id": body, "name": "Справка", "kind": "service", "service_kind": "other", "owner_unit_id": unit}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .put_json(
            &format!("/api/v1/offerings/{id}"),
            &json!({"name": "Справка о составе семьи", "kind": "service", "service_kind": "other", "owner_unit_id": unit}),
        )
        .await;
    assert_eq!(s, 200);
    let log = t.get_json("/api/v1/audit?entity=offering").await;
    assert_eq!(log["total"], 2);
    let update = &log["items"][0];
    assert_eq!(update["action"], "offering.update");
    assert_eq!(update["actor"], "open");
    assert_eq!(update["before"]["name"], "Справка");
    assert_eq!(update["after"]["name"], "Справка о составе семьи");
    assert_eq!(update["ip"], "127.0.0.1");
    assert_eq!(log["items"][1]["request_id"], "trace-me-42", "the caller's request id is kept");
    let v = t.get_json("/api/v1/audit/verify").await;
    assert_eq!(v["intact"], true);
    assert!(v["entries"].as_i64().unwrap() >= 2 + 12, "the body, its seeded segments, the unit and the offering");
    let r = t.get("/api/v1/audit?from=yesterday").await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["fields"][0]["field"], "from");
    let today = t.get_json(&format!("/api/v1/audit?entity=offering&entity_id={id}&from=2020-01-01&to=2999-12-31")).await;
    assert_eq!(today["total"], 2);
});
