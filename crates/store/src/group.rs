//! Group commit for SQLite: request writes go to one writer task, which runs whatever has
//! queued up meanwhile in one transaction, each write in its own savepoint, and commits
//! once. With `synchronous=FULL` a commit is an fsync; batching makes throughput a few
//! fsyncs per second's worth of writes instead of one per request, while every caller
//! still hears back only after the commit that holds its write is durable.
//!
//! A write that fails rolls back to its savepoint and does not disturb its neighbours;
//! a commit that fails fails every write in the batch, and each caller is told so.
//! PostgreSQL needs none of this: it commits concurrent transactions together itself.

use crate::StoreError;
use sqlx::{Any, AnyPool, Transaction};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

pub(crate) type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Most writes in one transaction: bounds how long one batch holds the write lock.
const MAX_BATCH: usize = 256;
/// Writes waiting for the writer; callers beyond this wait to enqueue (back-pressure).
const QUEUE: usize = 4096;

/// What a write's `run` returns.
pub(crate) type GroupFuture<'t, T> = BoxFuture<'t, Result<T, StoreError>>;

/// One write, run inside the writer's transaction.
pub(crate) trait GroupWrite: Send + 'static {
    type Out: Send + 'static;
    fn run<'t, 'c>(self: Box<Self>, tx: &'t mut Transaction<'c, Any>) -> GroupFuture<'t, Self::Out>
    where
        'c: 't;
}

/// What the writer tells a caller once the batch's commit is known.
type Reply = Box<dyn FnOnce(Result<(), String>) + Send>;

/// A write with its caller's reply channel, its output type erased for the queue.
trait Queued: Send {
    fn run<'t, 'c>(self: Box<Self>, tx: &'t mut Transaction<'c, Any>) -> BoxFuture<'t, (bool, Reply)>
    where
        'c: 't;
}

struct Pending<W: GroupWrite> {
    write: W,
    reply: oneshot::Sender<Result<W::Out, StoreError>>,
}

impl<W: GroupWrite> Queued for Pending<W> {
    fn run<'t, 'c>(self: Box<Self>, tx: &'t mut Transaction<'c, Any>) -> BoxFuture<'t, (bool, Reply)>
    where
        'c: 't,
    {
        Box::pin(async move {
            let Pending { write, reply } = *self;
            let result = Box::new(write).run(tx).await;
            let ok = result.is_ok();
            let reply: Reply = Box::new(move |commit: Result<(), String>| {
                let answer = match commit {
                    Ok(()) => result,
                    // The write itself went fine, but the batch did not reach the disk.
                    Err(m) if ok => Err(StoreError::Database(sqlx::Error::Protocol(format!("group commit failed: {m}")))),
                    Err(_) => result,
                };
                let _ = reply.send(answer);
            });
            (ok, reply)
        })
    }
}

/// The handle writes are sent through; cheap to clone.
#[derive(Clone)]
pub(crate) struct Group {
    queue: mpsc::Sender<Box<dyn Queued>>,
    stats: Arc<Stats>,
}

/// Commits and the writes they carried, for `/metrics` and for tests that batching happens.
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) commits: AtomicU64,
    pub(crate) writes: AtomicU64,
}

impl Group {
    /// Starts the writer task on the current runtime.
    pub(crate) fn start(pool: AnyPool, write_lock: Arc<Mutex<()>>) -> Group {
        let (queue, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Stats::default());
        tokio::spawn(writer(pool, write_lock, rx, stats.clone()));
        Group { queue, stats }
    }

    /// (commits, writes) so far.
    pub(crate) fn stats(&self) -> (u64, u64) {
        (self.stats.commits.load(Ordering::Relaxed), self.stats.writes.load(Ordering::Relaxed))
    }

    /// Runs `write` in the next batch; returns once the batch is committed.
    pub(crate) async fn run<W: GroupWrite>(&self, write: W) -> Result<W::Out, StoreError> {
        let (reply, answer) = oneshot::channel();
        let gone = || StoreError::Database(sqlx::Error::PoolClosed);
        self.queue.send(Box::new(Pending { write, reply })).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn writer(pool: AnyPool, write_lock: Arc<Mutex<()>>, mut rx: mpsc::Receiver<Box<dyn Queued>>, stats: Arc<Stats>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        // Other writers (catalogue edits, accounts) take the same lock one by one.
        let _w = write_lock.lock().await;
        let mut tx = match pool.begin().await {
            Ok(tx) => tx,
            Err(e) => {
                let m = e.to_string();
                tracing::error!(error = %m, "group commit: cannot begin");
                // Dropping a write drops its reply channel: the caller hears the store is gone.
                drop(batch);
                continue;
            }
        };
        let mut replies = Vec::with_capacity(batch.len());
        let mut broken: Option<String> = None;
        for w in batch {
            let mut sp = match sqlx::Acquire::begin(&mut tx).await {
                Ok(sp) => sp,
                Err(e) => {
                    broken = Some(e.to_string());
                    break;
                }
            };
            let (ok, reply) = w.run(&mut sp).await;
            let ended = if ok { sp.commit().await } else { sp.rollback().await };
            replies.push(reply);
            if let Err(e) = ended {
                broken = Some(e.to_string());
                break;
            }
        }
        let outcome = match broken {
            Some(m) => {
                let _ = tx.rollback().await;
                Err(m)
            }
            None => tx.commit().await.map_err(|e| e.to_string()),
        };
        match &outcome {
            Ok(()) => {
                stats.commits.fetch_add(1, Ordering::Relaxed);
                stats.writes.fetch_add(replies.len() as u64, Ordering::Relaxed);
            }
            Err(m) => tracing::error!(error = %m, writes = replies.len(), "group commit failed"),
        }
        for reply in replies {
            reply(outcome.clone());
        }
    }
}
