//! Who may do what, through HTTP, once accounts exist: anonymous callers, API tokens of
//! each role and scope, browser sessions with their CSRF token, sign-in and sign-out.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn user(t: &TestApp, email: &str, role: &str) {
    t.app.create_user(&Actor::system(), email, role, None, PASSWORD).await.unwrap();
}

async fn token(t: &TestApp, email: &str, scope: &str) -> String {
    t.app.issue_token(&Actor::system(), email, scope, "test").await.unwrap().token
}

fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("the form carries a CSRF token") + "name=\"_csrf\" value=\"".len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

/// POSTs an offering through the API as `bearer` (or anonymously) and returns the status.
async fn create_offering(t: &TestApp, bearer: Option<&str>, body: &str, unit: &str, name: &str) -> u16 {
    let mut r = t
        .client
        .post(t.url("/api/v1/offerings"))
        .json(&json!({"body_id": body, "name": name, "kind": "service", "service_kind": "other", "owner_unit_id": unit}));
    if let Some(b) = bearer {
        r = r.bearer_auth(b);
    }
    r.send().await.unwrap().status().as_u16()
}

both_backends!(roles_and_scopes_decide_what_a_token_may_do, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    for (email, role) in [
        ("admin@example.ru", "administrator"),
        ("owner@example.ru", "service_owner"),
        ("head@example.ru", "unit_head"),
        ("exec@example.ru", "executor"),
        ("analyst@example.ru", "analyst"),
        ("editor@example.ru", "communications_editor"),
    ] {
        user(&t, email, role).await;
    }
    // The first account ends set-up: anonymous callers now read only what is published.
    assert_eq!(create_offering(&t, None, &mfc, &unit, "Аноним").await, 401);
    let anon = t.get("/api/v1/audit").await;
    assert_eq!(anon.status(), 401);
    assert_eq!(anon.json::<Value>().await.unwrap()["code"], "unauthenticated");
    let r = t.client.get(t.url("/api/v1/bodies")).bearer_auth("okno_nonsense").send().await.unwrap();
    assert_eq!(r.status(), 401, "a wrong token is refused, not treated as anonymous");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "invalid_token");

    // role → may create an offering, may read the audit trail
    let matrix = [
        ("admin@example.ru", 201, 200),
        ("owner@example.ru", 201, 403),
        ("head@example.ru", 403, 403),
        ("exec@example.ru", 403, 403),
        ("analyst@example.ru", 403, 403),
        ("editor@example.ru", 403, 403),
    ];
    for (i, (email, create, audit)) in matrix.iter().enumerate() {
        let tok = token(&t, email, "write").await;
        assert_eq!(create_offering(&t, Some(&tok), &mfc, &unit, &format!("Услуга {i}")).await, *create, "{email} creating");
        let r = t.client.get(t.url("/api/v1/audit")).bearer_auth(&tok).send().await.unwrap();
        assert_eq!(r.status().as_u16(), *audit, "{email} reading the audit trail");
        let r = t.client.get(t.url(&format!("/api/v1/offerings?body={mfc}&status=draft"))).bearer_auth(&tok).send().await.unwrap();
        assert_eq!(r.status(), 200, "{email}: every staff role reads drafts");
    }
    let read_only = token(&t, "admin@example.ru", "read").await;
    assert_eq!(create_offering(&t, Some(&read_only), &mfc, &unit, "Чтение").await, 403, "a read token writes nothing");

    let admin = token(&t, "admin@example.ru", "write").await;
    let changes = t
        .client
        .get(t.url("/api/v1/audit?entity=offering&per_page=5"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let actor = changes["items"][0]["actor"].as_str().unwrap();
    assert!(actor.starts_with("account:"), "the audit trail names the account ({actor})");
});

both_backends!(browser_sessions_need_their_csrf_token, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    user(&t, "owner@example.ru", "service_owner").await;

    // Anonymous form posts are sent to sign in, and write nothing.
    let before = t.offering_count(&mfc).await;
    let r = t.post_form("/bodies/new", &[("name", "Орган без входа")]).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?back="));
    assert_eq!(t.get("/audit").await.status(), 303, "the audit page needs a signed-in administrator");

    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", "wrong password!!")]).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("Неверная почта или пароль"));
    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", PASSWORD), ("back", "/offerings")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/offerings");
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    let cookie = set.split(';').next().unwrap().to_string();

    let form =
        t.client.get(t.url(&format!("/segments/new?body={mfc}"))).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("owner@example.ru"), "the header shows who is signed in");
    let csrf = hidden_csrf(&form);
    let post = |fields: Vec<(&'static str, String)>| {
        t.client.post(t.url(&format!("/segments/new?body={mfc}"))).header("cookie", cookie.clone()).form(&fields).send()
    };
    let r = post(vec![("name", "Жители Заречья".into()), ("side", "external".into())]).await.unwrap();
    assert_eq!(r.status(), 403, "no token, no write");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "csrf");
    let r = post(vec![("name", "Жители Заречья".into()), ("side", "external".into()), ("_csrf", "forged".into())]).await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(!t.get_json(&format!("/api/v1/segments?body={mfc}")).await.to_string().contains("Жители Заречья"), "nothing was written");
    let r = post(vec![("name", "Жители Заречья".into()), ("side", "external".into()), ("_csrf", csrf.clone())]).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(t.offering_count(&mfc).await, before);

    let r = t.client.post(t.url("/logout")).header("cookie", &cookie).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let r = post(vec![("name", "Ещё".into()), ("side", "external".into()), ("_csrf", csrf)]).await.unwrap();
    assert_eq!(r.status(), 303, "the old cookie no longer signs in");
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"));
});

both_backends!(set_up_mode_lasts_until_the_first_account, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (s, _) = t.post_json("/api/v1/bodies", &json!({"name": "Орган на этапе установки"})).await;
    assert_eq!(s, 201, "without accounts the instance is open");
    assert!(t.get("/").await.text().await.unwrap().contains("/login?back="), "the header offers to sign in");
    user(&t, "admin@example.ru", "administrator").await;
    let (s, _) = t.post_json("/api/v1/bodies", &json!({"name": "Другой орган"})).await;
    assert_eq!(s, 401);
});

async fn session_cookie(t: &TestApp, email: &str) -> String {
    let r = t.post_form("/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 303, "{email} signs in");
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

both_backends!(editing_pages_are_for_editors, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    user(&t, "exec@example.ru", "executor").await;
    user(&t, "owner@example.ru", "service_owner").await;
    let forms = [
        format!("/offerings/new?body={mfc}"),
        format!("/segments/new?body={mfc}"),
        format!("/units/new?body={mfc}"),
        "/bodies/new".into(),
        format!("/transfer?body={mfc}"),
    ];
    let exec = session_cookie(&t, "exec@example.ru").await;
    let owner = session_cookie(&t, "owner@example.ru").await;
    for path in &forms {
        let r = t.get(path).await;
        assert_eq!(r.status(), 303, "anonymous {path}");
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?back="));
        let r = t.client.get(t.url(path)).header("cookie", &exec).send().await.unwrap();
        assert_eq!(r.status(), 403, "executor {path}");
        assert!(r.text().await.unwrap().contains("Нет доступа"));
        let r = t.client.get(t.url(path)).header("cookie", &owner).send().await.unwrap();
        assert_eq!(r.status(), 200, "service owner {path}");
    }
    assert_eq!(t.get(&format!("/offerings?body={mfc}")).await.status(), 200, "the catalogue stays public");
    assert_eq!(t.get(&format!("/client-map?body={mfc}")).await.status(), 200, "the client map stays public");
});

both_backends!(staff_change_their_password_on_a_page, |db: TestDb| async move {
    let t = TestApp::spawn_with(db, true).await;
    user(&t, "owner@example.ru", "service_owner").await;
    assert_eq!(t.get("/account/password").await.status(), 303, "anonymous callers sign in first");
    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", PASSWORD)]).await;
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.contains("; Secure"), "behind HTTPS the session cookie is Secure: {set}");
    let cookie = set.split(';').next().unwrap().to_string();
    let form = t.client.get(t.url("/account/password")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let csrf = hidden_csrf(&form.text().await.unwrap());
    let change = |current: &str, new: &str, confirm: &str| {
        let fields = [
            ("current_password", current.to_string()),
            ("new_password", new.into()),
            ("confirm_password", confirm.into()),
            ("_csrf", csrf.clone()),
        ];
        t.client.post(t.url("/account/password")).header("cookie", cookie.clone()).form(&fields).send()
    };
    let r = change(PASSWORD, "a brand new passphrase", "a brand new passfrase").await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Пароли не совпадают"));
    let r = change("not my password", "a brand new passphrase", "a brand new passphrase").await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Это не ваш текущий пароль"));
    let r = change(PASSWORD, "short", "short").await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("не меньше 12 знаков"));
    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 303, "nothing changed so far");

    let r = change(PASSWORD, "a brand new passphrase", "a brand new passphrase").await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/account/password/done");
    let r = t.client.get(t.url("/account/password")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), 200, "this session goes on");
    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 401, "the old password no longer works");
    let r = t.post_form("/login", &[("email", "owner@example.ru"), ("password", "a brand new passphrase")]).await;
    assert_eq!(r.status(), 303);
});

both_backends!(a_role_in_one_body_does_not_reach_another, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let ksp = t.body_id("Контрольно-счётная палата (демо)").await;
    t.app.create_user(&Actor::system(), "owner@example.ru", "service_owner", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    user(&t, "admin@example.ru", "administrator").await;
    let owner = token(&t, "owner@example.ru", "write").await;
    let admin = token(&t, "admin@example.ru", "write").await;
    let mfc_unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let ksp_unit = t.get_json(&format!("/api/v1/units?body={ksp}")).await[0]["id"].as_str().unwrap().to_string();
    assert_eq!(create_offering(&t, Some(&owner), &mfc, &mfc_unit, "Своя услуга").await, 201);
    assert_eq!(create_offering(&t, Some(&owner), &ksp, &ksp_unit, "Чужая услуга").await, 403);
    assert_eq!(create_offering(&t, Some(&admin), &ksp, &ksp_unit, "Черновик палаты").await, 201);
    let drafts = |body: &str, tok: &str| {
        t.client.get(t.url(&format!("/api/v1/offerings?body={body}&status=draft"))).bearer_auth(tok.to_string()).send()
    };
    let total = |v: Value| v["total"].as_i64().unwrap();
    assert!(total(drafts(&mfc, &owner).await.unwrap().json().await.unwrap()) >= 1, "drafts of the owner's own body");
    assert_eq!(total(drafts(&ksp, &owner).await.unwrap().json().await.unwrap()), 0, "another body's drafts stay hidden");
    assert!(total(drafts(&ksp, &admin).await.unwrap().json().await.unwrap()) >= 1, "an administrator of every body sees them");
    let r = t.client.get(t.url(&format!("/api/v1/employees?body={ksp}"))).bearer_auth(&owner).send().await.unwrap();
    assert_eq!(r.status(), 403, "employees of another body are not the owner's to read");
});
