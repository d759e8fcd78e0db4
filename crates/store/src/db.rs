use crate::StoreError;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer; taking this before a write transaction turns
    /// SQLITE_BUSY upgrade failures into orderly waiting. `None` on PostgreSQL.
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    /// SQLite's group-commit writer for request writes; `None` on PostgreSQL.
    pub(crate) group: Option<crate::group::Group>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish()
    }
}

pub(crate) struct WriteGuard<'a> {
    _g: Option<tokio::sync::MutexGuard<'a, ()>>,
}

impl Store {
    /// Connects to `sqlite://…` or `postgres://…` and runs pending migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "the database URL must start with sqlite:// or postgres://".into(),
            )));
        };
        let mut opts = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        opts = match backend {
            Backend::Sqlite => opts.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    // synchronous=FULL: anything a client was told is saved survives power loss.
                    for pragma in
                        ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000"]
                    {
                        sqlx::query(pragma).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            }),
            Backend::Postgres => opts.max_connections(16),
        };
        let pool = opts.connect(url).await?;
        let write_lock = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        // `OKNO_SQLITE_GROUP_COMMIT=off` writes each request in its own transaction: the
        // benchmark's A/B switch, and a way out should batching ever misbehave in the field.
        let grouped = std::env::var("OKNO_SQLITE_GROUP_COMMIT").map_or(true, |v| v != "off");
        let group = write_lock.as_ref().filter(|_| grouped).map(|l| crate::group::Group::start(pool.clone(), l.clone()));
        let store = Store { pool, backend, write_lock, group };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Group commit so far on SQLite: (commits, request writes they carried).
    pub fn group_commit_stats(&self) -> Option<(u64, u64)> {
        self.group.as_ref().map(|g| g.stats())
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        let m = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        m.run(&self.pool).await.map_err(|e| StoreError::Database(e.into()))
    }

    /// Answers when the database does: the readiness probe.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn write_guard(&self) -> WriteGuard<'_> {
        match &self.write_lock {
            Some(l) => WriteGuard { _g: Some(l.lock().await) },
            None => WriteGuard { _g: None },
        }
    }
}

/// Commits on success; on failure rolls back before returning. A dropped transaction
/// rolls back later, on the connection's own thread: until then it holds SQLite's write
/// lock, and the next writer, already past `write_guard`, would find the database locked
/// (SQLite does not wait when a transaction that has read wants to write).
pub(crate) async fn finish<T>(tx: sqlx::Transaction<'_, sqlx::Any>, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(v) => {
            tx.commit().await?;
            Ok(v)
        }
        Err(e) => {
            // The error that made us roll back is the one to report.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) use okno_domain::instant::rfc3339 as ms_to_rfc3339;

pub(crate) fn get_id(row: &AnyRow, col: &'static str) -> Result<okno_domain::Id, StoreError> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|_| StoreError::Corrupt(col))
}

pub(crate) fn get_opt_id(row: &AnyRow, col: &'static str) -> Result<Option<okno_domain::Id>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| s.parse().map_err(|_| StoreError::Corrupt(col))).transpose()
}

pub(crate) fn get_list(row: &AnyRow, col: &'static str) -> Result<Vec<String>, StoreError> {
    let s: String = row.try_get(col)?;
    serde_json::from_str(&s).map_err(|_| StoreError::Corrupt(col))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("lists of strings always serialise")
}

/// `$from, $from+1, …` for an IN list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}
