//! Fresh databases for tests, on both backends.
//!
//! PostgreSQL comes from `OKNO_TEST_POSTGRES_URL` (an admin URL to a throwaway cluster,
//! as `scripts/test.sh` starts). Without it a PostgreSQL test is skipped with a notice —
//! except under `CI=true`, where it fails: CI must never pass by skipping.

use crate::{Backend, Store};

/// A database that lives as long as this value (the SQLite file is deleted with it).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

// An explicit Drop keeps the struct whole: otherwise an `async move` block that only
// touches `db.store` captures that field alone and the temp dir is deleted under SQLite.
impl Drop for TestDb {
    fn drop(&mut self) {}
}

impl TestDb {
    /// `None` when the backend is unavailable outside CI.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("okno.sqlite").display());
                let store = Store::connect(&url).await.expect("open sqlite");
                Some(TestDb { store, url, _dir: Some(dir) })
            }
            Backend::Postgres => {
                let url = fresh_postgres_database().await?;
                let store = Store::connect(&url).await.expect("open postgres");
                Some(TestDb { store, url, _dir: None })
            }
        }
    }
}

/// Creates an empty database on the test cluster and returns its URL.
pub async fn fresh_postgres_database() -> Option<String> {
    let Ok(admin) = std::env::var("OKNO_TEST_POSTGRES_URL") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but OKNO_TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI");
        }
        eprintln!("skipping a PostgreSQL test: OKNO_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!("okno_t_{}", okno_domain::Id::new().to_string().replace('-', ""));
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("connect to OKNO_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
    let base = match admin.rfind('/') {
        Some(i) if admin[..i].contains('@') || admin[..i].matches('/').count() >= 2 => &admin[..i],
        _ => admin.as_str(),
    };
    let query = admin.find('?').map(|i| &admin[i..]).unwrap_or("");
    Some(format!("{base}/{name}{query}"))
}

/// Runs a test body on SQLite and on PostgreSQL: `both_backends!(name, |db: TestDb| async move { … });`
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testing::TestDb::new($crate::Backend::Sqlite).await.unwrap();
                ($body)(db).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::testing::TestDb::new($crate::Backend::Postgres).await {
                    ($body)(db).await;
                }
            }
        }
    };
}
