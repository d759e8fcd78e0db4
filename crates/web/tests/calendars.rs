//! A body's business calendar through HTTP: regional holidays imported through the API
//! and through the page (typed or as a .txt file), refused lines named and nothing saved,
//! stale versions, who may edit, and a second node that never keeps an old calendar.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_domain::calendar::{DeadlineRule, DeadlineUnit};
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";
const MFC: &str = "МФЦ городского округа (демо)";
const OTHER: &str = "Контрольно-счётная палата (демо)";
/// Kurban Bayram 2026 is a Wednesday: a working day federally, a holiday in Tatarstan.
const KURBAN: &str = "# Татарстан\n2026-05-27 holiday # Курбан-байрам\n";

/// Tokens: an administrator of the MFC, an administrator of the other body, an
/// administrator of every body.
async fn setup(t: &TestApp) -> (String, String, String, String) {
    let sys = Actor::system();
    let mfc = t.body_id(MFC).await;
    let other = t.body_id(OTHER).await;
    t.app.create_user(&sys, "admin-mfc@x.ru", "administrator", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "admin-other@x.ru", "administrator", Some(other.parse().unwrap()), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "root@x.ru", "administrator", None, PASSWORD).await.unwrap();
    let mine = t.app.issue_token(&sys, "admin-mfc@x.ru", "write", "t").await.unwrap().token;
    let theirs = t.app.issue_token(&sys, "admin-other@x.ru", "write", "t").await.unwrap().token;
    let root = t.app.issue_token(&sys, "root@x.ru", "read", "t").await.unwrap().token;
    (mfc, mine, theirs, root)
}

async fn put(t: &TestApp, body: &str, token: Option<&str>, input: &Value) -> (u16, Value) {
    let mut r = t.client.put(t.url(&format!("/api/v1/bodies/{body}/calendar?year=2026"))).json(input);
    if let Some(tok) = token {
        r = r.bearer_auth(tok);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn day<'a>(cal: &'a Value, date: &str) -> &'a Value {
    cal["year"]["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap_or_else(|| panic!("{date} in {cal}"))
}

both_backends!(a_regional_holiday_through_the_api, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, mine, theirs, root) = setup(&t).await;
    let url = format!("/api/v1/bodies/{mfc}/calendar?year=2026");

    // Until it is set, a body has the federal calendar in Moscow time; anyone may read it.
    let federal = t.get_json(&url).await;
    assert_eq!(federal["version"], 0);
    assert_eq!((federal["utc_offset_minutes"].as_i64(), federal["utc_offset"].as_str()), (Some(180), Some("UTC+3")));
    assert_eq!((federal["work_start"].as_str(), federal["work_end"].as_str()), (Some("09:00"), Some("18:00")));
    assert_eq!(federal["year"]["working_days"], 247);
    assert_eq!(federal["year"]["norm_hours_40"], 1972);
    assert_eq!(federal["year"]["status"], "published");
    assert_eq!(federal["year"]["days"].as_array().unwrap().len(), 365);
    assert_eq!(day(&federal, "2026-05-27")["kind"], "working");
    assert_eq!(day(&federal, "2026-01-07")["note"], "Рождество Христово");

    // The MFC's administrator imports Kurban Bayram: a working day fewer, the day a holiday
    // with its note, marked as the body's own.
    let input = json!({"overlay": KURBAN, "utc_offset_minutes": 180, "work_start": "08:00", "work_end": "17:00", "version": 0});
    let (s, saved) = put(&t, &mfc, Some(&mine), &input).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["year"]["working_days"], 246);
    assert_eq!(saved["year"]["norm_hours_40"], 1964);
    let kurban = day(&saved, "2026-05-27");
    assert_eq!(
        (kurban["kind"].as_str(), kurban["note"].as_str(), kurban["regional"].as_bool()),
        (Some("holiday"), Some("Курбан-байрам"), Some(true))
    );
    assert_eq!(saved["overlay"], KURBAN);
    assert_eq!(saved["work_start"], "08:00");
    let read = t.get_json(&url).await;
    assert_eq!((read["version"].as_i64(), read["year"]["working_days"].as_i64()), (Some(1), Some(246)));

    // Deadlines follow: one working day from Tuesday May 26 is Thursday, not Wednesday.
    let cal = t.app.body_calendar(mfc.parse().unwrap()).await.unwrap();
    let tuesday = time::macros::datetime!(2026-05-26 10:00 +3).unix_timestamp() * 1000;
    let due = cal.local(cal.due(tuesday, &DeadlineRule::new(1, DeadlineUnit::WorkingDays, "")));
    assert_eq!(due, time::macros::datetime!(2026-05-28 23:59:59 +3));

    // Bad lines: each named with its number, and nothing is saved.
    let bad = json!({"overlay": "2026-05-27 holiday # Курбан-байрам\n2026-13-01 holiday\n2029-01-10 holiday # no such year yet\n", "utc_offset_minutes": 180, "version": 1});
    let (s, e) = put(&t, &mfc, Some(&mine), &bad).await;
    assert_eq!((s, e["code"].as_str()), (422, Some("validation_failed")), "{e}");
    let fields = e["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2, "{e}");
    assert!(fields.iter().all(|f| f["field"] == "overlay" && f["code"] == "calendar_line"), "{e}");
    assert!(fields[0]["message"].as_str().unwrap().starts_with("line 2: `2026-13-01` is not a date"), "{e}");
    assert!(fields[1]["message"].as_str().unwrap().starts_with("line 3: year 2029 is not covered: the calendar covers 2025–2027"), "{e}");
    let (s, e) = put(&t, &mfc, Some(&mine), &json!({"overlay": "", "utc_offset_minutes": 200, "work_start": "9.00", "version": 1})).await;
    assert_eq!(s, 422);
    let names: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(names, ["utc_offset_minutes", "work_start"]);
    let (s, _) = put(&t, &mfc, Some(&mine), &json!({"overlay": KURBAN, "unknown": 1, "version": 1})).await;
    assert_eq!(s, 422, "an unknown field is refused");
    let read = t.get_json(&url).await;
    assert_eq!(
        (read["version"].as_i64(), read["year"]["working_days"].as_i64(), read["overlay"].as_str()),
        (Some(1), Some(246), Some(KURBAN))
    );

    // A save decided on an old version is refused, not lost.
    let (s, e) = put(&t, &mfc, Some(&mine), &json!({"overlay": "", "version": 0})).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")), "{e}");
    let (s, e) = put(&t, &mfc, Some(&mine), &json!({"overlay": ""})).await;
    assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("version")), "the version read is required: {e}");

    // Another body's administrator may not; a read-only token may not; nobody anonymous.
    let (s, _) = put(&t, &mfc, Some(&theirs), &input).await;
    assert_eq!(s, 403);
    let (s, _) = put(&t, &mfc, Some(&root), &input).await;
    assert_eq!(s, 403);
    let (s, e) = put(&t, &mfc, None, &input).await;
    assert_eq!((s, e["code"].as_str()), (401, Some("unauthenticated")));
    assert_eq!(t.get_json(&url).await["version"], 1);

    // The change is in the audit trail, with the body.
    let audit = t.get_json_as(&format!("/api/v1/audit?entity=body&entity_id={mfc}"), &root).await;
    let entry = audit["items"].as_array().unwrap().iter().find(|e| e["action"] == "body.calendar").expect("an audit entry");
    assert_eq!(entry["after"]["overlay_text"], KURBAN);
    assert_eq!(entry["after"]["version"], 1);

    // Years and the federal file.
    assert_eq!(t.get(&format!("/api/v1/bodies/{mfc}/calendar?year=1999")).await.status(), 422);
    assert_eq!(t.get(&format!("/api/v1/bodies/{mfc}/calendar?year=soon")).await.status(), 400);
    assert_eq!(t.get("/api/v1/bodies/00000000-0000-7000-8000-000000000000/calendar").await.status(), 404);
    let r = t.get("/api/v1/calendar/russia").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = r.text().await.unwrap();
    assert!(text.contains("year 2026") && text.contains("2026-01-09 day_off"), "{text}");
});

both_backends!(a_second_node_never_keeps_an_old_calendar, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, mine, _, _) = setup(&t).await;
    let body: okno_domain::Id = mfc.parse().unwrap();
    // Another `okno serve` on the same database: its own cache.
    let other_node = okno_app::App::new(t.app.store().clone());
    let before = other_node.body_calendar(body).await.unwrap();
    assert!(before.overlay.is_empty());
    assert!(std::sync::Arc::ptr_eq(&before, &other_node.body_calendar(body).await.unwrap()), "cached while unchanged");

    let (s, _) = put(&t, &mfc, Some(&mine), &json!({"overlay": KURBAN, "utc_offset_minutes": 300, "version": 0})).await;
    assert_eq!(s, 200);
    let after = other_node.body_calendar(body).await.unwrap();
    assert_eq!((after.overlay.as_str(), after.offset_minutes()), (KURBAN, 300), "the other node reads the new version at once");
});

fn action_of(html: &str) -> String {
    let at = html.find("enctype=\"multipart/form-data\"").expect("the multipart form");
    let start = html[..at].rfind("action=\"").unwrap() + "action=\"".len();
    html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&")
}

both_backends!(the_calendar_page_and_its_form, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let (mfc, _, theirs, _) = setup(&t).await;
    let page_url = format!("/bodies/{mfc}/calendar");
    let edit_url = format!("/bodies/{mfc}/calendar/edit");

    // The body's page links to its calendar; the calendar is public.
    let body_page = t.get(&format!("/bodies/{mfc}")).await.text().await.unwrap();
    assert!(body_page.contains(&format!("href=\"{page_url}\"")), "the body page links to the calendar");
    let r = t.get(&format!("{page_url}?year=2026")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Производственный календарь") && html.contains("Май 2026") && html.contains("Рождество Христово"));
    assert!(html.contains("<caption>") && html.contains("scope=\"col\""), "each month is a table with a caption and headers");
    assert!(html.contains("UTC+3 — МСК: Москва"));
    assert!(!html.contains(&format!("href=\"{edit_url}\"")), "no edit link for those who may not edit");
    assert_eq!(t.get(&format!("{page_url}?year=next")).await.status(), 404);

    // Anonymous: sent to sign in, for the form and for a post.
    for r in [t.get(&edit_url).await, t.post_form(&edit_url, &[("overlay", KURBAN)]).await] {
        assert_eq!(r.status(), 303);
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?back="));
    }
    // Another body's administrator sees no form.
    let r = t.client.get(t.url(&edit_url)).bearer_auth(&theirs).send().await.unwrap();
    assert_eq!(r.status(), 403);

    // The body's administrator, signed in in a browser.
    let r = t.post_form("/login", &[("email", "admin-mfc@x.ru"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let get = |path: String| t.client.get(t.url(&path)).header("cookie", cookie.clone()).send();
    let view = get(format!("{page_url}?year=2026")).await.unwrap().text().await.unwrap();
    assert!(view.contains(&format!("href=\"{edit_url}\"")), "the edit link for who may edit");
    let form = get(edit_url.clone()).await.unwrap().text().await.unwrap();
    assert!(form.contains("Калининград") && form.contains("UTC+12 — МСК+9: Петропавловск-Камчатский"), "zones with their cities");
    let action = action_of(&form);
    assert!(action.starts_with(&format!("{edit_url}?_csrf=")), "{action}");
    let post = |fields: Vec<(&'static str, String)>, file: Option<Vec<u8>>| {
        let mut mp = reqwest::multipart::Form::new();
        for (k, v) in fields {
            mp = mp.text(k, v);
        }
        let part = reqwest::multipart::Part::bytes(file.unwrap_or_default()).file_name("calendar.txt").mime_str("text/plain").unwrap();
        mp = mp.part("file", part);
        t.client.post(t.url(&action)).header("cookie", cookie.clone()).multipart(mp).send()
    };
    let fields = |version: &str| {
        vec![
            ("version", version.to_string()),
            ("utc_offset_minutes", "300".to_string()),
            ("work_start", "08:00".to_string()),
            ("work_end", "17:00".to_string()),
            ("overlay", String::new()),
        ]
    };

    // A file with a bad line: 422, the line named in Russian beside the field, nothing saved.
    let r = post(fields("0"), Some("2026-05-27 holiday # Курбан-байрам\n2026-05-32 holiday\n".as_bytes().to_vec())).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Строка 2: «2026-05-32» — не дата"), "{html}");
    assert!(html.contains("2026-05-27 holiday # Курбан-байрам"), "the file's text is kept in the field to fix");
    assert_eq!(t.get_json(&format!("/api/v1/bodies/{mfc}/calendar")).await["version"], 0);
    let r = post(fields("0"), Some(vec![0xff, 0xfe, 0x00])).await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("UTF-8"));

    // A good file (with a byte-order mark, as Windows Notepad writes it) is saved.
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend_from_slice(KURBAN.as_bytes());
    let r = post(fields("0"), Some(bom)).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("{page_url}?done=saved"));
    let view = get(format!("{page_url}?year=2026&done=saved")).await.unwrap().text().await.unwrap();
    assert!(view.contains("Курбан-байрам") && view.contains("региональный") && view.contains("UTC+5"), "{view}");
    assert!(view.contains("08:00–17:00"));
    let api = t.get_json(&format!("/api/v1/bodies/{mfc}/calendar?year=2026")).await;
    assert_eq!((api["version"].as_i64(), api["year"]["working_days"].as_i64()), (Some(1), Some(246)));

    // Typed in the field, on a stale version: refused with the text kept.
    let mut typed = fields("0");
    typed.retain(|(k, _)| *k != "overlay");
    typed.push(("overlay", "2026-03-20 holiday # Ураза-байрам\n".into()));
    let r = post(typed.clone(), None).await.unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Ураза-байрам") && html.contains("name=\"version\" value=\"1\""),
        "the text stays, with the current version to save again"
    );
    typed[0].1 = "1".into();
    let r = post(typed, None).await.unwrap();
    assert_eq!(r.status(), 303);
    let api = t.get_json(&format!("/api/v1/bodies/{mfc}/calendar?year=2026")).await;
    assert_eq!(api["overlay"], "2026-03-20 holiday # Ураза-байрам\n");
    assert_eq!(day(&api, "2026-05-27")["kind"], "working", "the typed text replaced the whole overlay");
    assert_eq!(day(&api, "2026-03-20")["kind"], "holiday");

    // In English too.
    let en = t.client.get(t.url(&format!("{page_url}?year=2026"))).header("cookie", "lang=en").send().await.unwrap().text().await.unwrap();
    assert!(en.contains("Business calendar") && en.contains("March 2026") && en.contains("regional"));
});
