//! Open311 GeoReport v2 through HTTP, on both backends: discovery, services and their
//! definitions, a POST with and without api_key and location (a 4xx and nothing
//! written), GET requests with the spec's filters, tokens, mySociety's updates, and every
//! XML answer well-formed.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_domain::chain::{template, Template};
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";
const BASE: &str = "/open311/v2";

/// Reads an XML document to its end; panics unless it is well-formed. Returns the root.
fn well_formed(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut root, mut saw_decl) = (0usize, None, false);
    loop {
        match reader.read_event() {
            Ok(Event::Decl(_)) => saw_decl = true,
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    assert!(root.is_none(), "one root element: {xml}");
                    root = Some(e.name().as_ref().to_string());
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Empty(e)) if depth == 0 => root = Some(e.name().as_ref().to_string()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.to_string();
                assert!(["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str()), "only predefined entities: &{name};");
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}): {xml}"),
        }
    }
    assert_eq!(depth, 0, "every element closed: {xml}");
    assert!(saw_decl, "the XML declaration comes first: {xml}");
    root.expect("a root element")
}

async fn get(t: &TestApp, path: &str) -> (u16, String, String) {
    let r = t.get(&format!("{BASE}/{path}")).await;
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ct, r.text().await.unwrap())
}

async fn get_json(t: &TestApp, path: &str) -> Value {
    let (s, ct, body) = get(t, path).await;
    assert_eq!(s, 200, "GET {path}: {body}");
    assert!(ct.starts_with("application/json"), "{ct}");
    serde_json::from_str(&body).unwrap()
}

async fn get_xml(t: &TestApp, path: &str) -> (String, String) {
    let (s, ct, body) = get(t, path).await;
    assert_eq!(s, 200, "GET {path}: {body}");
    assert!(ct.starts_with("text/xml"), "{ct}");
    (well_formed(&body), body)
}

async fn post(t: &TestApp, file: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = t.post_form(&format!("{BASE}/{file}"), form).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// The good form less `drop`, plus `extra`.
fn form(good: &[(&str, &str)], extra: &[(&str, &str)], drop: &[&str]) -> Vec<(String, String)> {
    good.iter().filter(|(k, _)| !drop.contains(k)).chain(extra.iter()).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn send(t: &TestApp, form: Vec<(String, String)>, file: &str) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(t, file, &form).await
}

/// The spec's error array: every item has the HTTP code and a description.
fn errors(body: &str, code: i64) -> Vec<String> {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("errors are JSON: {body}"));
    let items = v.as_array().unwrap_or_else(|| panic!("errors are an array: {body}"));
    assert!(!items.is_empty());
    items
        .iter()
        .map(|e| {
            assert_eq!(e["code"], code, "{body}");
            e["description"].as_str().unwrap().to_string()
        })
        .collect()
}

async fn request_count(t: &TestApp) -> usize {
    t.app.store().open311_requests(&[], &[], (0, i64::MAX), None, (100_000, 0)).await.unwrap().items.len()
}

/// A chain for one published offering of the МФЦ; returns (offering, body name, api_key).
async fn setup(t: &TestApp) -> (String, String, String) {
    let sys = Actor::system();
    let body_name = "МФЦ городского округа (демо)";
    let mfc = t.body_id(body_name).await;
    let offerings = t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published&kind=service")).await;
    let offering = offerings["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain = template(Template::CitizenAppeal, unit.parse().unwrap());
    t.app.save_chain(&sys, offering.parse().unwrap(), &chain).await.unwrap();
    t.app.create_user(&sys, "open311@x.ru", "administrator", None, PASSWORD).await.unwrap();
    let key = t.app.issue_token(&sys, "open311@x.ru", "write", "open311").await.unwrap().token;
    (offering, body_name.to_string(), key)
}

both_backends!(open311_discovery_services_and_requests, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;

    // Discovery, in both formats.
    let d = get_json(&t, "discovery.json").await;
    let endpoint = &d["endpoints"][0];
    assert_eq!(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"), "{d}");
    assert!(endpoint["formats"].as_array().unwrap().iter().any(|f| f == "application/json"));
    assert_eq!(get_xml(&t, "discovery.xml").await.0, "discovery");

    // Only offerings with a chain take requests, so none are services yet.
    assert_eq!(get_json(&t, "services.json").await, Value::Array(vec![]));
    let (offering, body_name, key) = setup(&t).await;
    let services = get_json(&t, "services.json").await;
    let services = services.as_array().unwrap();
    assert_eq!(services.len(), 1, "{services:?}");
    let s = &services[0];
    assert_eq!(s["service_code"], offering.as_str());
    assert_eq!(s["group"], body_name.as_str());
    assert_eq!((s["metadata"].as_bool(), s["type"].as_str()), (Some(true), Some("realtime")));
    assert!(!s["service_name"].as_str().unwrap().is_empty());
    assert!(!s["keywords"].as_str().unwrap().is_empty());
    let (root, xml) = get_xml(&t, "services.xml").await;
    assert_eq!(root, "services");
    assert!(xml.contains(&format!("<service_code>{offering}</service_code>")), "{xml}");
    assert!(xml.contains("<metadata>true</metadata>"));

    // The definition: the form's fields as attributes, `subject` required and first.
    let def = get_json(&t, &format!("services/{offering}.json")).await;
    assert_eq!(def["service_code"], offering.as_str());
    let attrs = def["attributes"].as_array().unwrap();
    assert_eq!((attrs[0]["code"].as_str(), attrs[0]["required"].as_bool()), (Some("subject"), Some(true)));
    assert_eq!((attrs[0]["datatype"].as_str(), attrs[0]["order"].as_i64()), (Some("text"), Some(1)));
    assert!(attrs.iter().all(|a| a["variable"] == true && a["description"].is_string()));
    assert!(attrs.iter().any(|a| a["code"] == "client_email"));
    assert_eq!(get_xml(&t, &format!("services/{offering}.xml")).await.0, "service_definition");
    let (s, _, body) = get(&t, "services/0190a5e0-0000-7000-8000-000000000000.json").await;
    assert_eq!(s, 404);
    errors(&body, 404);
    let (s, _, body) = get(&t, "services/nonsense.xml").await;
    assert_eq!(s, 404);
    assert_eq!(well_formed(&body), "errors");
    assert!(body.contains("<error><code>404</code><description>"), "{body}");
    let (s, _, _) = get(&t, "services.html").await;
    assert_eq!(s, 404, "only .json and .xml");

    // POST: refused with a 400 and nothing written without api_key, with a wrong one,
    // without a location, without a subject, with an unknown service.
    let before = request_count(&t).await;
    let good: Vec<(&str, &str)> = vec![
        ("service_code", offering.as_str()),
        ("lat", "55.7558"),
        ("long", "37.6173"),
        ("address_string", "ул. Ленина, 1"),
        ("attribute[subject]", "Не горит фонарь у подъезда"),
        ("description", "Уже неделю темно"),
        ("first_name", "Мария"),
        ("last_name", "Иванова"),
        ("email", "maria@example.ru"),
        ("phone", "+7 900 123-45-67"),
        ("media_url", "https://example.org/photo.jpg"),
    ];
    let (s, body) = send(&t, form(&good, &[], &[]), "requests.json").await;
    assert_eq!(s, 400, "{body}");
    assert!(errors(&body, 400)[0].contains("api_key"), "{body}");
    let (s, body) = send(&t, form(&good, &[("api_key", "okno_wrong")], &[]), "requests.json").await;
    assert_eq!(s, 400, "{body}");
    assert!(errors(&body, 400)[0].contains("api_key"), "{body}");
    let keyed = key.as_str();
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &["lat", "long", "address_string"]), "requests.json").await;
    assert_eq!(s, 400, "{body}");
    assert!(errors(&body, 400)[0].contains("location"), "{body}");
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &["long", "address_string"]), "requests.xml").await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(well_formed(&body), "errors");
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &["attribute[subject]", "description"]), "requests.json").await;
    assert_eq!(s, 400, "{body}");
    assert!(errors(&body, 400)[0].contains("subject"), "{body}");
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &["service_code"]), "requests.json").await;
    assert_eq!(s, 400, "{body}");
    let (s, body) = send(
        &t,
        form(&good, &[("api_key", keyed), ("service_code", "0190a5e0-0000-7000-8000-000000000000")], &["service_code"]),
        "requests.json",
    )
    .await;
    assert_eq!(s, 404, "{body}");
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &["email", "phone"]), "requests.json").await;
    assert_eq!(s, 400, "no way to answer the client: {body}");
    assert!(errors(&body, 400)[0].starts_with("email:"), "named as Open311 names it: {body}");
    assert_eq!(request_count(&t).await, before, "nothing was written");

    // A good POST answers the tracking code as service_request_id.
    let (s, body) = send(&t, form(&good, &[("api_key", keyed)], &[]), "requests.json").await;
    assert_eq!(s, 200, "{body}");
    let made: Value = serde_json::from_str(&body).unwrap();
    let code = made[0]["service_request_id"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 9, "a tracking code: {code}");
    assert!(made[0]["service_notice"].as_str().unwrap().contains(&code));
    assert_eq!(request_count(&t).await, before + 1);
    let card = t.app.request_status(&code).await.unwrap();
    assert_eq!(card.record.channel.code(), "open311");
    assert!(card.record.subject.contains("Адрес: ул. Ленина, 1"), "{}", card.record.subject);
    // The key may also come in the query string (older clients put it there), and XML works.
    let r = t.client.post(t.url(&format!("{BASE}/requests.xml?api_key={key}"))).form(&good).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let xml = r.text().await.unwrap();
    assert_eq!(well_formed(&xml), "service_requests");
    assert!(xml.contains("<service_request_id>"), "{xml}");

    // GET one: public, without personal data, with the location taken off the text.
    let one = get_json(&t, &format!("requests/{code}.json")).await;
    let r = &one[0];
    assert_eq!(r["service_request_id"], code.as_str());
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], offering.as_str());
    assert_eq!(r["agency_responsible"], body_name.as_str());
    assert_eq!(r["description"], "Не горит фонарь у подъезда\n\nУже неделю темно");
    assert_eq!(r["address"], "ул. Ленина, 1");
    assert_eq!((r["lat"].as_f64(), r["long"].as_f64()), (Some(55.7558), Some(37.6173)));
    assert_eq!(r["media_url"], "https://example.org/photo.jpg");
    assert!(r["status_notes"].as_str().unwrap().starts_with("Этап: "), "{r}");
    for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
        let v = r[field].as_str().unwrap();
        assert!(v.ends_with("+03:00") && v.len() == 25, "{field} is a W3C datetime with a zone: {v}");
    }
    let text = one.to_string();
    for private in ["Мария", "Иванова", "maria@example.ru", "123-45-67"] {
        assert!(!text.contains(private), "no personal data ({private}): {text}");
    }
    assert_eq!(get_xml(&t, &format!("requests/{}.xml", code.to_lowercase())).await.0, "service_requests");
    let (s, _, body) = get(&t, "requests/AAAA-BBBB.json").await;
    assert_eq!(s, 404);
    errors(&body, 404);
    let tok = get_json(&t, &format!("tokens/{code}.json")).await;
    assert_eq!(tok[0]["service_request_id"], code.as_str());

    // GET many, with the spec's filters.
    let all = get_json(&t, "requests.json").await;
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let by_id = get_json(&t, &format!("requests.json?service_request_id={code},ZZZZ-ZZZZ,nonsense")).await;
    assert_eq!(by_id.as_array().unwrap().len(), 1);
    let by_id = get_json(&t, &format!("requests.json?service_request_id={code}&status=closed&start_date=2001-01-01T00:00:00Z")).await;
    assert_eq!(by_id.as_array().unwrap().len(), 1, "service_request_id overrides the other arguments");
    assert_eq!(get_json(&t, "requests.json?status=closed").await, Value::Array(vec![]));
    assert_eq!(get_json(&t, "requests.json?status=open").await.as_array().unwrap().len(), 2);
    assert_eq!(get_json(&t, "requests.json?status=open,closed").await.as_array().unwrap().len(), 2);
    assert_eq!(get_json(&t, &format!("requests.json?service_code={offering}")).await.as_array().unwrap().len(), 2);
    assert_eq!(get_json(&t, "requests.json?service_code=0190a5e0-0000-7000-8000-000000000000").await, Value::Array(vec![]));
    assert_eq!(get_json(&t, "requests.json?service_code=nonsense").await, Value::Array(vec![]));
    assert_eq!(get_json(&t, "requests.json?page=2&page_size=1").await.as_array().unwrap().len(), 1);
    assert_eq!(get_json(&t, "requests.json?page=3&page_size=1").await, Value::Array(vec![]));
    assert_eq!(
        get_json(&t, "requests.json?start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00+03:00").await,
        Value::Array(vec![])
    );
    assert_eq!(get_json(&t, "requests.json?end_date=2001-02-01").await, Value::Array(vec![]));
    for bad in [
        "requests.json?start_date=yesterday",
        "requests.json?start_date=2001-01-01T00:00:00Z&end_date=2001-06-01T00:00:00Z",
        "requests.json?status=pending",
        "requests.json?page_size=5000",
        "servicerequestupdates.json?end_date=soon",
    ] {
        let (s, _, body) = get(&t, bad).await;
        assert_eq!(s, 400, "{bad}: {body}");
        errors(&body, 400);
    }
    let (root, xml) = get_xml(&t, "requests.xml?status=open").await;
    assert_eq!(root, "service_requests");
    assert_eq!(xml.matches("<request>").count(), 2);

    // mySociety's updates: the events the client sees, with extended statuses.
    let updates = get_json(&t, "servicerequestupdates.json").await;
    let mine: Vec<&Value> = updates.as_array().unwrap().iter().filter(|u| u["service_request_id"] == code.as_str()).collect();
    assert_eq!(mine.first().map(|u| u["status"].clone()), Some(Value::from("open")), "{updates}");
    assert!(mine.iter().any(|u| u["status"] == "action_scheduled"), "{updates}");
    assert!(mine.iter().all(|u| u["update_id"].as_str().unwrap().starts_with(&code) && u["updated_datetime"].is_string()));
    assert_eq!(get_xml(&t, "servicerequestupdates.xml").await.0, "service_requests_updates");
});

both_backends!(open311_over_the_demo_history, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let n = okno_app::demo_history::load_history(&t.app, 40).await.unwrap();
    assert!(n > 0);
    let services = get_json(&t, "services.json").await;
    assert!(services.as_array().unwrap().len() > 1, "every published service of the demo has a chain: {services}");

    let all = get_json(&t, "requests.json").await;
    let all = all.as_array().unwrap();
    assert!(!all.is_empty());
    let closed = get_json(&t, "requests.json?status=closed").await;
    let open = get_json(&t, "requests.json?status=open").await;
    let (closed, open) = (closed.as_array().unwrap(), open.as_array().unwrap());
    assert!(!closed.is_empty() && !open.is_empty(), "the demo has both");
    assert_eq!(closed.len() + open.len(), all.len());
    assert!(closed.iter().all(|r| r["status"] == "closed" && r["expected_datetime"].is_null()));
    assert!(open.iter().all(|r| r["status"] == "open"));
    // Newest first.
    let times: Vec<&str> = all.iter().map(|r| r["requested_datetime"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let text = serde_json::to_string(all).unwrap();
    assert!(!text.contains("@example"), "no e-mail addresses in the public list");

    let updates = get_json(&t, "servicerequestupdates.json").await;
    let statuses: std::collections::BTreeSet<&str> = updates.as_array().unwrap().iter().map(|u| u["status"].as_str().unwrap()).collect();
    let allowed =
        ["open", "action_scheduled", "investigating", "in_progress", "fixed", "no_further_action", "not_councils_responsibility", "closed"];
    assert!(statuses.iter().all(|s| allowed.contains(s)), "{statuses:?}");
    assert!(statuses.contains("fixed") || statuses.contains("no_further_action"), "closed requests show up: {statuses:?}");
    let (root, xml) = get_xml(&t, "servicerequestupdates.xml").await;
    assert_eq!(root, "service_requests_updates");
    assert!(xml.contains("<request_update><update_id>"));
    let (root, _) = get_xml(&t, "requests.xml").await;
    assert_eq!(root, "service_requests");
});
