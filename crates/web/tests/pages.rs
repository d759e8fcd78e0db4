//! The HTML pages, through HTTP: structure every page must have, forms that refuse bad
//! input without writing, and the language and low-vision switches.

mod helpers;

use helpers::TestApp;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::Value;

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

async fn page(t: &TestApp, path: &str) -> String {
    let r = t.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    r.text().await.unwrap()
}

both_backends!(every_page_has_the_frame, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let any = t.get_json(&format!("/api/v1/offerings?body={mfc}&kind=service&per_page=1")).await["items"][0].clone();
    let off = any["id"].as_str().unwrap();
    let unit = any["owner_unit"]["id"].as_str().unwrap();
    let seg = any["segments"][0]["id"].as_str().unwrap();
    let paths = [
        "/".to_string(),
        format!("/bodies/{mfc}"),
        format!("/bodies/{mfc}/edit"),
        "/bodies/new".into(),
        format!("/offerings?body={mfc}"),
        format!("/offerings/{off}"),
        format!("/offerings/{off}/edit"),
        format!("/offerings/{off}/delete"),
        format!("/offerings/new?body={mfc}"),
        format!("/segments?body={mfc}"),
        format!("/segments/{seg}"),
        format!("/segments/new?body={mfc}"),
        format!("/units?body={mfc}"),
        format!("/units/{unit}"),
        format!("/units/new?body={mfc}"),
        format!("/employees/new?unit={unit}"),
        format!("/client-map?body={mfc}"),
        format!("/transfer?body={mfc}"),
        "/audit".into(),
        "/audit?entity=offering&from=2020-01-01".into(),
    ];
    for p in &paths {
        let html = page(&t, p).await;
        assert!(html.starts_with("<!DOCTYPE html>"), "{p}");
        assert!(html.contains("<html lang=\"ru\">"), "{p}: Russian by default");
        assert_eq!(count(&html, "<h1"), 1, "{p}: exactly one h1");
        assert!(html.contains("class=\"skip-link\" href=\"#main\""), "{p}: skip link");
        assert!(html.contains("id=\"main\""), "{p}: main landmark");
        assert!(html.contains("/settings?view=lowvision"), "{p}: low-vision switch");
        assert!(!html.contains("style=\""), "{p}: no inline styles (the CSP forbids them)");
        assert!(!html.contains(">?<"), "{p}: no missing translation");
    }
    let r = t.get("/offerings/01a21a53-0000-7000-8000-000000000000").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Страница не найдена"));
    assert_eq!(t.get("/offerings/garbage").await.status(), 404);
    assert_eq!(t.get("/no/such/page").await.status(), 404);
});

both_backends!(offering_form_refuses_bad_input_and_keeps_it, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let before = t.offering_count(&mfc).await;
    let r = t
        .post_form(
            &format!("/offerings/new?body={mfc}"),
            &[
                ("name", "Справка о составе семьи"),
                ("kind", "service"),
                ("service_kind", "regulated"),
                ("fee", "abc"),
                ("term_value", "пять"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    for anchor in ["#f-fee", "#f-term_value", "#f-owner_unit_id", "#f-segments"] {
        assert!(html.contains(&format!("href=\"{anchor}\"")), "the summary links to {anchor}");
    }
    assert!(html.contains("Укажите сумму в рублях"), "messages are in Russian");
    assert!(html.contains("value=\"Справка о составе семьи\""), "typed input is kept");
    assert_eq!(t.offering_count(&mfc).await, before, "nothing was written");

    let units = t.get_json(&format!("/api/v1/units?body={mfc}")).await;
    let unit = units[0]["id"].as_str().unwrap().to_string();
    let segs = t.get_json(&format!("/api/v1/segments?body={mfc}")).await;
    let seg = segs[0]["id"].as_str().unwrap().to_string();
    let benefit_key = format!("benefit-{seg}");
    let r = t
        .post_form(
            &format!("/offerings/new?body={mfc}"),
            &[
                ("name", "Справка о составе семьи"),
                ("kind", "service"),
                ("service_kind", "regulated"),
                ("owner_unit_id", &unit),
                ("seg", &seg),
                (&benefit_key, "справка за день"),
                ("channels", "in_person"),
                ("channels", "e_service"),
                ("fee", "350,50"),
                ("term_value", "3"),
                ("term_unit", "working_days"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?done=created"));
    let id = location.trim_start_matches("/offerings/").split('?').next().unwrap().to_string();
    let o = t.get_json(&format!("/api/v1/offerings/{id}")).await;
    assert_eq!(o["fee_kopecks"], 35050);
    assert_eq!(o["segments"][0]["benefit"], "справка за день");
    assert_eq!(o["channels"].as_array().unwrap().len(), 2);
    let html = page(&t, &location).await;
    assert!(html.contains("Изменения") || html.contains("Создано"), "a notice confirms the action");
    assert!(html.contains("350,50"));

    // An edit from a stale form is refused and shows the conflict.
    let r = t
        .post_form(
            &format!("/offerings/{id}/edit"),
            &[
                ("name", "Новое имя"),
                ("kind", "service"),
                ("service_kind", "regulated"),
                ("owner_unit_id", &unit),
                ("status", "draft"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = t
        .post_form(
            &format!("/offerings/{id}/edit"),
            &[
                ("name", "Старое имя"),
                ("kind", "service"),
                ("service_kind", "regulated"),
                ("owner_unit_id", &unit),
                ("status", "draft"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Кто-то изменил запись"));
    assert_eq!(t.get_json(&format!("/api/v1/offerings/{id}")).await["name"], "Новое имя");

    let r = t.post_form(&format!("/offerings/{id}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(t.offering_count(&mfc).await, before);
});

both_backends!(bodies_units_segments_through_forms, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let html = page(&t, "/").await;
    assert!(html.contains("Органов пока нет"), "the empty state says what to do");
    let r = t.post_form("/bodies/new", &[("name", "  ")]).await;
    assert_eq!(r.status(), 422);
    assert!(t.get_json("/api/v1/bodies").await.as_array().unwrap().is_empty());
    let r = t.post_form("/bodies/new", &[("name", "Управление образования"), ("short_name", "УО")]).await;
    assert_eq!(r.status(), 303);
    let body = t.body_id("Управление образования").await;
    let r = t.post_form(&format!("/units/new?body={body}"), &[("name", "Отдел опеки")]).await;
    assert_eq!(r.status(), 303);
    let unit = r.headers()["location"].to_str().unwrap().trim_start_matches("/units/").split('?').next().unwrap().to_string();
    let r = t.post_form("/employees/new", &[("unit_id", &unit), ("full_name", "Сидорова Мария"), ("email", "не почта")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Введите адрес электронной почты"));
    let r = t.post_form("/employees/new", &[("unit_id", &unit), ("full_name", "Сидорова Мария"), ("position", "Специалист")]).await;
    assert_eq!(r.status(), 303);
    assert!(page(&t, &format!("/units/{unit}")).await.contains("Сидорова Мария"));
    let r = t.post_form(&format!("/segments/new?body={body}"), &[("name", "Опекуны"), ("side", "external")]).await;
    assert_eq!(r.status(), 303);
    let r = t.post_form(&format!("/segments/new?body={body}"), &[("name", "Опекуны"), ("side", "external")]).await;
    assert_eq!(r.status(), 422, "segment names are unique in a body");
    let html = page(&t, &format!("/segments?body={body}")).await;
    assert!(html.contains("Опекуны") && html.contains("Граждане"));
    let r = t.post_form(&format!("/units/{unit}/edit"), &[("name", "Отдел опеки"), ("parent_id", &unit)]).await;
    assert_eq!(r.status(), 422, "a unit cannot be inside itself");
});

both_backends!(language_and_low_vision_switches, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let r = t.get("/settings?lang=en&back=/offerings").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/offerings");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let html = t.client.get(t.url("/offerings")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Catalogue of products and services"));
    let r = t.get("/settings?view=lowvision&back=//evil.example").await;
    assert_eq!(r.headers()["location"], "/", "no open redirect");
    let html = t.client.get(t.url("/")).header("cookie", "view=lowvision").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<body class=\"lowvision\">"));
});

both_backends!(import_page_reports_row_errors_and_writes_nothing, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let before = t.offering_count(&mfc).await;
    let csv = "Название,Вид,Тип,Подразделение,Клиенты\nНовая справка,услуга,other,Нет такого отдела,Граждане\n";
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("catalogue.csv"));
    let r = t.client.post(t.url(&format!("/bodies/{mfc}/import"))).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Строка 2"), "the row is named");
    assert!(html.contains("Нет такого отдела"), "the unknown value is named");
    assert_eq!(t.offering_count(&mfc).await, before);
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(b"%PDF".to_vec()).file_name("scan.pdf"));
    let r = t.client.post(t.url(&format!("/bodies/{mfc}/import"))).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Загрузите файл XLSX или CSV"));
    let units: Value = t.get_json(&format!("/api/v1/units?body={mfc}")).await;
    let unit = units[0]["name"].as_str().unwrap();
    let csv = format!("Название,Вид,Тип,Подразделение,Клиенты\nНовая справка,услуга,other,{unit},Граждане: справка\n");
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("catalogue.csv"));
    let r = t.client.post(t.url(&format!("/bodies/{mfc}/import"))).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("добавлено 1"));
    assert_eq!(t.offering_count(&mfc).await, before + 1);
});

both_backends!(audit_page_shows_changes_and_refuses_bad_dates, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let html = page(&t, "/audit?entity=offering").await;
    assert!(html.contains("Цепочка записей не нарушена"));
    assert!(html.contains("offering.create"));
    assert!(html.contains("Что было и что стало"));
    let r = t.get("/audit?from=31.12.2026").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Введите дату в виде ГГГГ-ММ-ДД"));
});
