//! Spawns the real web app on a random loopback port over a fresh database, per test.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use okno_app::App;
use okno_store::testing::TestDb;
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub app: App,
    _db: TestDb,
    _server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub async fn spawn(db: TestDb) -> TestApp {
        TestApp::spawn_with(db, false).await
    }

    /// As deployed behind HTTPS: session cookies marked `Secure`.
    pub async fn spawn_with(db: TestDb, secure_cookies: bool) -> TestApp {
        let app = App::new(db.store.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = okno_web::AppState::new(app.clone()).with_secure_cookies(secure_cookies);
        let server = tokio::spawn(async move {
            okno_web::serve(state, listener, std::future::pending()).await.unwrap();
        });
        // Redirects are checked by the tests themselves.
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { base, client, app, _db: db, _server: server }
    }

    pub async fn with_demo(db: TestDb) -> TestApp {
        let t = TestApp::spawn(db).await;
        okno_app::demo::load(&t.app).await.unwrap();
        t
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    pub async fn get_json_as(&self, path: &str, token: &str) -> Value {
        let r = self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.client.post(self.url(path)).json(body).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.client.put(self.url(path)).json(body).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(form).send().await.unwrap()
    }

    /// The body with this name, from the API.
    pub async fn body_id(&self, name: &str) -> String {
        let bodies = self.get_json("/api/v1/bodies").await;
        bodies.as_array().unwrap().iter().find(|b| b["name"] == name).unwrap()["id"].as_str().unwrap().to_string()
    }

    /// A body other than this one, from the API.
    pub async fn other_body(&self, body: &str) -> String {
        let bodies = self.get_json("/api/v1/bodies").await;
        bodies.as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap().to_string()).find(|id| id != body).unwrap()
    }

    /// A staff account with this role (in `body`, or in every body) and a write token for it.
    pub async fn staff_token(&self, email: &str, role: &str, body: Option<&str>) -> String {
        let sys = okno_app::Actor::system();
        let body = body.map(|b| b.parse().unwrap());
        self.app.create_user(&sys, email, role, body, "correct horse battery").await.unwrap();
        self.app.issue_token(&sys, email, "write", "t").await.unwrap().token
    }

    pub async fn offering_count(&self, body: &str) -> i64 {
        self.get_json(&format!("/api/v1/offerings?body={body}&per_page=1")).await["total"].as_i64().unwrap()
    }
}

/// Runs an async test on SQLite and on PostgreSQL with a spawned app.
#[macro_export]
macro_rules! app_test {
    ($name:ident, $body:expr) => {
        okno_store::both_backends!($name, |db: okno_store::testing::TestDb| async move {
            let f = $body;
            f(db).await
        });
    };
}
