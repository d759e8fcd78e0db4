//! The delivery-chain page and its editor through HTTP, as a browser without JavaScript
//! uses them: the form is read back from the page (every field a browser would post),
//! changed, and posted with one of its buttons.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_domain::chain::{template, Chain, Template};
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;

const PASSWORD: &str = "correct horse battery";
const MFC: &str = "МФЦ городского округа (демо)";
const OTHER: &str = "Контрольно-счётная палата (демо)";

struct World {
    offering: Id,
    unit: Id,
    /// The version saved by the set-up.
    version: i64,
    owner: String,
}

/// The demo, a service owner of the MFC signed in, and a published MFC service with the
/// 59-FZ appeal chain saved.
async fn world(t: &TestApp) -> World {
    let sys = Actor::system();
    let mfc: Id = t.body_id(MFC).await.parse().unwrap();
    t.app.create_user(&sys, "owner@x.ru", "service_owner", Some(mfc), PASSWORD).await.unwrap();
    let unit = t.app.list_units(mfc).await.unwrap()[0].id;
    let offering = t
        .app
        .store()
        .all_offerings(mfc)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.status == okno_domain::offering::Status::Published)
        .unwrap()
        .id;
    let version = t.app.save_chain(&sys, offering, &template(Template::CitizenAppeal, unit)).await.unwrap();
    let owner = session(t, "owner@x.ru").await;
    World { offering, unit, version, owner }
}

async fn session(t: &TestApp, email: &str) -> String {
    let r = t.post_form("/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 303, "{email} signs in");
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

async fn get_as(t: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    t.client.get(t.url(path)).header("cookie", cookie).send().await.unwrap()
}

async fn api_chain(t: &TestApp, offering: Id) -> (i64, Chain) {
    let v = t.get_json(&format!("/api/v1/offerings/{offering}/chain")).await;
    (v["version"].as_i64().unwrap(), serde_json::from_value(v["chain"].clone()).unwrap())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
}

/// The attributes of a tag (`<input a="b" checked>`): name and value, `None` when bare.
fn attrs(tag: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches('<');
    rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
            return out;
        }
        let end = rest.find(|c: char| c == '=' || c.is_whitespace() || c == '>').unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix("=\"") {
            let close = r.find('"').unwrap();
            out.push((name, Some(unescape(&r[..close]))));
            rest = &r[close + 1..];
        } else {
            out.push((name, None));
        }
    }
}

fn attr<'a>(a: &'a [(String, Option<String>)], name: &str) -> Option<&'a str> {
    a.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_deref().unwrap_or(""))
}

/// What a browser posts for the form with this class, without the pressed button.
fn form_fields(html: &str, class: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("<form class=\"{class}\"")).unwrap_or_else(|| panic!("no form .{class} on the page"));
    let html = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        let here = &html[at + i..];
        let tag_end = here.find('>').unwrap() + 1;
        let tag = &here[..tag_end];
        let a = attrs(tag);
        at += i + tag_end;
        let Some(name) = attr(&a, "name") else { continue };
        if tag.starts_with("<input") {
            match attr(&a, "type").unwrap_or("text") {
                "checkbox" | "radio" if attr(&a, "checked").is_none() => {}
                "submit" => {}
                _ => out.push((name.to_string(), attr(&a, "value").unwrap_or("").to_string())),
            }
        } else if tag.starts_with("<textarea") {
            let close = html[at..].find("</textarea>").unwrap();
            out.push((name.to_string(), unescape(&html[at..at + close])));
        } else if tag.starts_with("<select") {
            let body = &html[at..at + html[at..].find("</select>").unwrap()];
            let options: Vec<(String, bool)> = body
                .split("<option")
                .skip(1)
                .map(|o| {
                    let a = attrs(&format!("<option{}", &o[..o.find('>').unwrap() + 1]));
                    (attr(&a, "value").unwrap_or("").to_string(), attr(&a, "selected").is_some())
                })
                .collect();
            let chosen = options.iter().find(|(_, s)| *s).or(options.first()).map(|(v, _)| v.clone()).unwrap_or_default();
            out.push((name.to_string(), chosen));
        }
    }
    out
}

fn get<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no field {name}"))
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields.iter_mut().find(|(k, _)| k == name).unwrap_or_else(|| panic!("no field {name}")).1 = value.to_string();
}

async fn editor(t: &TestApp, w: &World) -> Vec<(String, String)> {
    let r = get_as(t, &format!("/offerings/{}/chain/edit", w.offering), &w.owner).await;
    assert_eq!(r.status(), 200);
    form_fields(&r.text().await.unwrap(), "chain-editor")
}

async fn press(t: &TestApp, cookie: &str, offering: Id, fields: &[(String, String)], op: &str) -> reqwest::Response {
    let mut body = fields.to_vec();
    body.push(("op".into(), op.into()));
    t.client.post(t.url(&format!("/offerings/{offering}/chain/edit"))).header("cookie", cookie).form(&body).send().await.unwrap()
}

/// Each stage's fields by its row id, without the index in their names: what must
/// survive an operation on other stages unchanged.
fn stages_by_row(fields: &[(String, String)]) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let mut rows: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    let rid = |prefix: &str| get(fields, &format!("{prefix}.rid")).to_string();
    for (k, v) in fields {
        let parts: Vec<&str> = k.splitn(3, '.').collect();
        if let [var, st, leaf] = parts[..] {
            if st.starts_with('s') && *leaf != *"may_return_to" {
                rows.entry(format!("{var}/{}", rid(&format!("{var}.{st}")))).or_default().push((leaf.to_string(), v.clone()));
            }
        }
    }
    rows
}

both_backends!(the_chain_page_shows_the_flow_to_anyone, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let path = format!("/offerings/{}/chain", w.offering);
    let r = t.get(&path).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for expected in
        ["Регистрация обращения", "ч. 2 ст. 8 59-ФЗ: 3 дня", "ч. 1 ст. 12 59-ФЗ: 30 дней", "Как прислать ответ", "Можно отказать"]
    {
        assert!(html.contains(expected), "the chain page shows «{expected}»");
    }
    assert!(html.contains(&format!("<strong>{}</strong>", w.version)), "the version is named");
    assert!(html.contains("<ol class=\"chain-flow\""), "the stages are an ordered list");
    assert!(!html.contains("/chain/edit"), "no edit link for the public");
    let own = get_as(&t, &path, &w.owner).await.text().await.unwrap();
    assert!(own.contains(&format!("href=\"/offerings/{}/chain/edit\"", w.offering)), "the service owner may edit");

    let offering_page = t.get(&format!("/offerings/{}", w.offering)).await.text().await.unwrap();
    assert!(offering_page.contains(&format!("href=\"/offerings/{}/chain\"", w.offering)), "the offering links to its chain");

    // English, and an offering that has no chain yet.
    let en = t.client.get(t.url(&path)).header("cookie", "lang=en").send().await.unwrap().text().await.unwrap();
    assert!(en.contains("Delivery chain") && en.contains("Request form"));
    let mfc: Id = t.body_id(MFC).await.parse().unwrap();
    let input = okno_domain::offering::OfferingInput {
        body_id: Some(mfc),
        name: "Услуга без цепочки".into(),
        kind: "service".into(),
        service_kind: Some("other".into()),
        owner_unit_id: Some(w.unit),
        ..Default::default()
    };
    let draft = t.app.create_offering(&Actor::system(), &input).await.unwrap();
    assert_eq!(t.get(&format!("/offerings/{draft}/chain")).await.status(), 404, "a draft's chain is not public");
    let none = get_as(&t, &format!("/offerings/{draft}/chain"), &w.owner).await.text().await.unwrap();
    assert!(none.contains("Цепочка ещё не задана") && none.contains(&format!("/offerings/{draft}/chain/edit")));
    let r = get_as(&t, &format!("/offerings/{draft}/chain/edit"), &w.owner).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("это будет версия 1"));
    assert_eq!(t.get(&format!("/offerings/{}/chain", Id::new())).await.status(), 404);
});

both_backends!(a_stage_added_and_saved_is_a_new_version, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let (_, before) = api_chain(&t, w.offering).await;
    let fields = editor(&t, &w).await;
    assert_eq!(get(&fields, "base_version"), w.version.to_string());

    let r = press(&t, &w.owner, w.offering, &fields, "add_stage:0:1").await;
    assert_eq!(r.status(), 200, "adding a row only redraws the form");
    let mut fields = form_fields(&r.text().await.unwrap(), "chain-editor");
    assert_eq!(get(&fields, "v0.s1.name"), "", "the new stage is second");
    assert_eq!(get(&fields, "v0.s2.name"), before.variants[0].stages[1].name, "the old second is third");
    assert_eq!(get(&fields, "v0.s1.actor"), format!("unit:{}", w.unit), "the new stage starts with the actor before it");
    assert_eq!(api_chain(&t, w.offering).await.0, w.version, "nothing is saved yet");

    set(&mut fields, "v0.s1.name", "Проверка полномочий представителя");
    set(&mut fields, "v0.s1.key", "check");
    set(&mut fields, "v0.s1.client_sees", "Проверяем доверенность представителя.");
    set(&mut fields, "v0.s1.deadline_amount", "2");
    set(&mut fields, "v0.s1.deadline_citation", "п. 12 регламента");
    let r = press(&t, &w.owner, w.offering, &fields, "save").await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/offerings/{}/chain?saved={}&done=saved", w.offering, w.version + 1));
    let page = get_as(&t, &location, &w.owner).await.text().await.unwrap();
    assert!(page.contains(&format!("сохранена как версия {}", w.version + 1)), "the page says which version was saved");
    assert!(page.contains("п. 12 регламента: 2 рабочих дня"));

    let (version, after) = api_chain(&t, w.offering).await;
    assert_eq!(version, w.version + 1);
    let mut expected = before.clone();
    let mut added = expected.variants[0].stages[0].clone();
    added.key = "check".into();
    added.name = "Проверка полномочий представителя".into();
    added.client_sees = "Проверяем доверенность представителя.".into();
    added.role = String::new();
    added.may_refuse = false;
    added.deadline =
        Some(okno_domain::calendar::DeadlineRule::new(2, okno_domain::calendar::DeadlineUnit::WorkingDays, "п. 12 регламента"));
    expected.variants[0].stages.insert(1, added);
    assert_eq!(after, expected, "the new stage is in, and nothing else changed");
});

both_backends!(refused_input_is_kept_and_nothing_is_saved, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let fields = editor(&t, &w).await;
    let r = press(&t, &w.owner, w.offering, &fields, "add_field").await;
    let mut fields = form_fields(&r.text().await.unwrap(), "chain-editor");
    // The template's form has one question; the new one is the second.
    set(&mut fields, "v0.s1.name", "  ");
    set(&mut fields, "f1.label", "Способ получения ответа");
    set(&mut fields, "f1.kind", "choice");
    set(&mut fields, "f1.options", "Только один вариант");
    set(&mut fields, "v0.s2.deadline_amount", "неделя");
    let r = press(&t, &w.owner, w.offering, &fields, "save").await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let summary = &html[html.find("class=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    for (href, words) in [
        ("#f-v0-s1-name", "Заполните это поле"),
        ("#f-f1-options", "не меньше двух вариантов"),
        ("#f-v0-s2-deadline_amount", "Введите целое число"),
    ] {
        let at = summary.find(&format!("href=\"{href}\"")).unwrap_or_else(|| panic!("the summary links to {href}: {summary}"));
        assert!(summary[at..].split("</a>").next().unwrap().contains(words), "{href} says «{words}»");
        let id = &href[1..];
        assert!(html.contains(&format!("id=\"{id}\"")), "the link {href} has its field");
        assert!(html.contains(&format!("id=\"{id}-error\"")), "the message stands beside {id}");
    }
    assert!(summary.contains("Вариант 1, этап 2"), "the summary says where");
    let kept = form_fields(&html, "chain-editor");
    assert_eq!(get(&kept, "f1.label"), "Способ получения ответа", "input is kept");
    assert_eq!(get(&kept, "f1.options"), "Только один вариант");
    assert_eq!(get(&kept, "v0.s2.deadline_amount"), "неделя");
    assert_eq!(api_chain(&t, w.offering).await.0, w.version, "nothing was saved");
});

both_backends!(a_stale_draft_is_not_saved_over_a_newer_version, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let mut fields = editor(&t, &w).await;
    // Meanwhile someone else saves another chain.
    let theirs = template(Template::LegalReview, w.unit);
    let newer = t.app.save_chain(&Actor::system(), w.offering, &theirs).await.unwrap();
    set(&mut fields, "v0.name", "Моё название");
    let r = press(&t, &w.owner, w.offering, &fields, "save").await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("кто-то сохранил версию {newer}")), "the conflict is explained");
    let kept = form_fields(&html, "chain-editor");
    assert_eq!(get(&kept, "v0.name"), "Моё название", "the draft is kept");
    assert_eq!(get(&kept, "base_version"), newer.to_string());
    assert_eq!(api_chain(&t, w.offering).await, (newer, theirs.validate(&[w.unit], &[]).unwrap()), "nothing was overwritten");
    // Having seen the newer version, they save on purpose.
    let r = press(&t, &w.owner, w.offering, &kept, "save").await;
    assert_eq!(r.status(), 303);
    let (v, c) = api_chain(&t, w.offering).await;
    assert_eq!((v, c.variants[0].name.as_str()), (newer + 1, "Моё название"));
});

both_backends!(only_the_bodys_editors_may_edit, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let sys = Actor::system();
    let other: Id = t.body_id(OTHER).await.parse().unwrap();
    let mfc: Id = t.body_id(MFC).await.parse().unwrap();
    t.app.create_user(&sys, "owner@other.ru", "service_owner", Some(other), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "exec@x.ru", "executor", Some(mfc), PASSWORD).await.unwrap();
    let fields = editor(&t, &w).await;
    let edit = format!("/offerings/{}/chain/edit", w.offering);

    let r = t.get(&edit).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?back="));
    let mut anonymous = fields.clone();
    anonymous.retain(|(k, _)| k != "_csrf");
    anonymous.push(("op".into(), "save".into()));
    let r = t.client.post(t.url(&edit)).form(&anonymous).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"));

    for email in ["owner@other.ru", "exec@x.ru"] {
        let cookie = session(&t, email).await;
        let page = get_as(&t, &format!("/offerings/{}/chain", w.offering), &cookie).await.text().await.unwrap();
        assert!(!page.contains("/chain/edit"), "{email} is not offered the editor");
        let r = get_as(&t, &edit, &cookie).await;
        assert_eq!(r.status(), 403, "{email} opens the editor");
        // Their own session's token, with the owner's form.
        let csrf = {
            let at = page.find("name=\"_csrf\" value=\"").unwrap() + "name=\"_csrf\" value=\"".len();
            page[at..at + page[at..].find('"').unwrap()].to_string()
        };
        let mut theirs = fields.clone();
        set(&mut theirs, "_csrf", &csrf);
        set(&mut theirs, "v0.name", "Чужая правка");
        for op in ["save", "add_stage:0:0"] {
            let r = press(&t, &cookie, w.offering, &theirs, op).await;
            assert_eq!(r.status(), 403, "{email} posts {op}");
        }
    }
    assert_eq!(api_chain(&t, w.offering).await.0, w.version, "nothing was saved");
});

both_backends!(moving_a_stage_keeps_every_other_input, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = world(&t).await;
    let mut fields = editor(&t, &w).await;
    set(&mut fields, "v0.name", "Обращение (правка)");
    set(&mut fields, "v0.s0.name", "Регистрация (правка)");
    set(&mut fields, "v0.s2.role", "Новая роль <с разметкой> & «кавычками»");
    set(&mut fields, "v0.s2.deadline_amount", "не число");
    set(&mut fields, "f0.options", "Письмом\nЭлектронной почтой\nЛично");
    let (s1, s2) = (get(&fields, "v0.s1.name").to_string(), get(&fields, "v0.s2.name").to_string());
    let r = press(&t, &w.owner, w.offering, &fields, "up:0:2").await;
    assert_eq!(r.status(), 200);
    let moved = form_fields(&r.text().await.unwrap(), "chain-editor");
    assert_eq!((get(&moved, "v0.s1.name"), get(&moved, "v0.s2.name")), (s2.as_str(), s1.as_str()), "the stages swapped");
    assert_eq!(get(&moved, "v0.s1.role"), "Новая роль <с разметкой> & «кавычками»");
    assert_eq!(stages_by_row(&moved), stages_by_row(&fields), "every stage kept every value");
    let rest = |f: &[(String, String)]| {
        let mut r: Vec<(String, String)> = f.iter().filter(|(k, _)| !k.contains(".s")).cloned().collect();
        r.sort();
        r
    };
    assert_eq!(rest(&moved), rest(&fields), "the variant's and the form's fields are untouched");
    // Returns follow their stage: «Ответ» still goes back to «Рассмотрение», now second;
    // «Рассмотрение» can no longer go back to «Определение компетенции», now below it.
    let returns = |at: &str| moved.iter().filter(|(k, _)| *k == format!("{at}.may_return_to")).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    assert_eq!(returns("v0.s3"), [get(&moved, "v0.s1.rid")]);
    assert!(returns("v0.s1").is_empty());

    // Starting from a template replaces the draft, still without saving.
    let mut picked = moved.clone();
    set(&mut picked, "template", "legal_review");
    let r = press(&t, &w.owner, w.offering, &picked, "template").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let from_template = form_fields(&html, "chain-editor");
    let legal = template(Template::LegalReview, w.unit);
    assert_eq!(get(&from_template, "v0.s0.name"), legal.variants[0].stages[0].name);
    assert!(html.contains("Черновик заменён шаблоном"));
    assert_eq!(get(&from_template, "base_version"), w.version.to_string(), "still based on the version opened");
    assert_eq!(api_chain(&t, w.offering).await.0, w.version, "nothing was saved");
});

#[test]
fn the_scraper_reads_what_a_browser_posts() {
    let html = r#"<form class="x" method="post"><input type="hidden" name="a" value="1 &amp; &quot;2&quot;"><input type="checkbox" name="c" value="on"><input type="checkbox" name="d" value="on" checked><textarea name="t" rows="2">x &lt;y&gt;</textarea><select name="s"><option value="">—</option><option value="b" selected>B</option></select><button type="submit" name="op" value="save">S</button></form>"#;
    let f = form_fields(html, "x");
    let want: Vec<(String, String)> =
        [("a", "1 & \"2\""), ("d", "on"), ("t", "x <y>"), ("s", "b")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(f, want);
}
