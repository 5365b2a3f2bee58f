//! The SQLite backend: `OUT/bench.sqlite`, written by one thread, read on connections of their own
//! (WAL mode lets reads run beside the writer).

mod reads;
mod schema;
mod series;
mod stored;

pub use reads::Reader;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use super::{RunLock, RunStart, RunStatus, StoreError, Write};
use crate::core::{Outcome, Usage};
use crate::provider::ProviderError;

/// File name of the database inside the output folder.
pub const DB_FILE: &str = "bench.sqlite";

/// Queued writes at most before producers wait for the writer: memory stays bounded however fast
/// answers arrive.
const QUEUE: usize = 4096;

/// The output folder's store: its database file and the folder that holds run locks.
#[derive(Debug, Clone)]
pub struct Store {
    out_dir: PathBuf,
    db: PathBuf,
}

/// Handle to the writer thread. Cloning the sender is how producers reach it.
pub struct Writer {
    tx: mpsc::SyncSender<Write>,
    handle: JoinHandle<Result<(), String>>,
}

impl Store {
    /// Open (creating) the output folder's database, upgrading an older schema in place.
    pub fn open(out_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(out_dir).map_err(|e| StoreError::io(out_dir, e))?;
        let db = out_dir.join(DB_FILE);
        let mut conn = schema::open(&db).map_err(|e| StoreError::db(&db, format!("cannot open: {e}")))?;
        schema::migrate(&mut conn).map_err(|e| StoreError::db(&db, e))?;
        Ok(Store { out_dir: out_dir.to_path_buf(), db })
    }

    /// Open an existing store for reading; a folder without one is an input error of the caller's.
    pub fn open_existing(out_dir: &Path) -> Result<Option<Store>, StoreError> {
        if out_dir.join(DB_FILE).exists() { Store::open(out_dir).map(Some) } else { Ok(None) }
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// The output folder.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// A read connection.
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Reader::open(&self.db, &self.out_dir)
    }

    /// Take the run's lock (`None`: another live process is working on it).
    pub fn lock(&self, run_id: &str) -> Result<Option<RunLock>, StoreError> {
        RunLock::acquire(&self.out_dir, run_id)
    }

    /// Record that a run starts (or resumes) in this process, committed before this returns.
    pub fn begin(&self, start: &RunStart<'_>) -> Result<(), StoreError> {
        let mut conn = schema::open(&self.db).map_err(|e| StoreError::db(&self.db, e))?;
        let err = |e: rusqlite::Error| StoreError::db(&self.db, e);
        let tx = conn.transaction().map_err(err)?;
        let manifest = serde_json::to_string(start.manifest).map_err(|e| StoreError(e.to_string()))?;
        let host = nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).ok();
        if start.new {
            tx.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, status, command, baseline, providers, suites,
                   manifest, pid, host)
                 VALUES (?1, ?2, ?2, 'running', ?3, ?4, '[]', '[]', ?5, ?6, ?7)",
                params![start.run_id, now(), start.command, start.manifest.baseline, manifest, std::process::id(), host],
            )
            .map_err(err)?;
            let mut stmt = tx
                .prepare(
                    "INSERT INTO tasks (run_id, suite, task_id, family, category, fingerprint, meta, prompt_excerpt)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            for (t, prompt) in start.tasks.rows() {
                let meta = (!t.meta.is_null()).then(|| t.meta.to_string());
                stmt.execute(params![
                    start.run_id,
                    t.suite,
                    t.id,
                    t.family,
                    t.category,
                    t.fingerprint,
                    meta,
                    prompt
                ])
                .map_err(err)?;
            }
        } else {
            tx.execute(
                "UPDATE runs SET status = 'running', updated_at = ?2, pid = ?3, host = ?4 WHERE run_id = ?1",
                params![start.run_id, now(), std::process::id(), host],
            )
            .map_err(err)?;
            tx.execute("DELETE FROM provider_stops WHERE run_id = ?1", params![start.run_id]).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Set the run's final status.
    pub fn set_status(&self, run_id: &str, status: RunStatus) -> Result<(), StoreError> {
        let conn = schema::open(&self.db).map_err(|e| StoreError::db(&self.db, e))?;
        conn.execute(
            "UPDATE runs SET status = ?1, updated_at = ?2 WHERE run_id = ?3",
            params![status.as_str(), now(), run_id],
        )
        .map(drop)
        .map_err(|e| StoreError::db(&self.db, e))
    }

    /// Start the writer thread for `run_id`.
    pub fn writer(&self, run_id: &str) -> Result<Writer, StoreError> {
        let conn = schema::open(&self.db).map_err(|e| StoreError::db(&self.db, e))?;
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let run_id = run_id.to_string();
        let handle = std::thread::Builder::new()
            .name("bench-store".into())
            .spawn(move || write_loop(conn, &run_id, rx))
            .map_err(|e| StoreError(format!("cannot start the store thread: {e}")))?;
        Ok(Writer { tx, handle })
    }
}

impl Writer {
    /// A sender for producers (scheduler tasks, scoring threads). Sending waits while the queue is
    /// full, which is how a slow disk slows the run instead of filling memory.
    pub fn sender(&self) -> mpsc::SyncSender<Write> {
        self.tx.clone()
    }

    /// Close the channel, wait for every queued write to be committed, and report a write failure.
    pub fn finish(self) -> Result<(), StoreError> {
        drop(self.tx);
        self.handle.join().map_err(|_| StoreError("the store thread panicked".into()))?.map_err(StoreError)
    }
}

/// Writes queued messages in batches: one transaction per batch keeps SQLite fast (thousands of rows a
/// second on one core) while a crash loses at most the batch in flight.
fn write_loop(mut conn: Connection, run_id: &str, rx: mpsc::Receiver<Write>) -> Result<(), String> {
    const BATCH: usize = 256;
    while let Ok(first) = rx.recv() {
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        apply(&tx, run_id, first).map_err(|e| format!("store: {e}"))?;
        for msg in rx.try_iter().take(BATCH) {
            apply(&tx, run_id, msg).map_err(|e| format!("store: {e}"))?;
        }
        tx.commit().map_err(|e| format!("store commit: {e}"))?;
    }
    Ok(())
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn apply(tx: &rusqlite::Transaction<'_>, run_id: &str, msg: Write) -> rusqlite::Result<()> {
    match msg {
        Write::Attempt(a) => {
            let (class, status, message) = error_columns(a.error.as_ref());
            tx.prepare_cached(
                "INSERT INTO attempts (run_id, suite, task_id, provider, sample, attempt, started_at, latency_ms,
                   ttft_ms, ok, error_class, http_status, error_message, input_tokens, output_tokens,
                   cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, from_cache, usage_estimated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )?
            .execute(params![
                run_id,
                a.key.suite,
                a.key.task_id,
                a.key.provider,
                a.key.sample,
                a.attempt,
                a.started_at,
                a.latency_ms,
                a.ttft_ms,
                a.error.is_none(),
                class,
                status,
                message,
                a.usage.input as i64,
                a.usage.output as i64,
                a.usage.cache_read as i64,
                a.usage.cache_write as i64,
                a.usage.reasoning as i64,
                a.cost,
                a.from_cache,
                a.usage_estimated,
            ])?;
        }
        Write::Result(r) => {
            let (outcome_json, usage, latency, ttft) = match &r.outcome {
                Ok(o) => (Some(to_json(o)?), o.usage, Some(o.latency_ms), o.ttft_ms),
                Err(_) => (None, Usage::default(), None, None),
            };
            let answer = r.outcome.as_ref().ok();
            let episode = answer.and_then(|o| o.episode.as_deref());
            let (class, _, message) = error_columns(r.outcome.as_ref().err());
            tx.prepare_cached(
                "INSERT OR REPLACE INTO results (run_id, suite, task_id, provider, sample, ok, error_class,
                   error_message, attempts, outcome, input_tokens, output_tokens, cache_read_tokens,
                   cache_write_tokens, reasoning_tokens, cost, latency_ms, ttft_ms, from_cache, finished_at,
                   usage_estimated, model, response_id, system_fingerprint, turns, tool_calls, invalid_calls,
                   parallel_turns, step_limit_hit)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                   ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
            )?
            .execute(params![
                run_id,
                r.key.suite,
                r.key.task_id,
                r.key.provider,
                r.key.sample,
                r.outcome.is_ok(),
                class,
                message,
                r.attempts,
                outcome_json,
                usage.input as i64,
                usage.output as i64,
                usage.cache_read as i64,
                usage.cache_write as i64,
                usage.reasoning as i64,
                r.cost,
                latency,
                ttft,
                r.from_cache,
                now(),
                answer.is_some_and(|o| o.usage_estimated),
                answer.and_then(|o| o.model.as_deref()),
                answer.and_then(|o| o.response_id.as_deref()),
                answer.and_then(|o| o.system_fingerprint.as_deref()),
                episode.map(|e| e.turns.len() as i64),
                episode.map(|e| e.calls),
                episode.map(|e| e.invalid()),
                episode.map(|e| e.parallel_turns),
                episode.map(|e| e.step_limit_hit),
            ])?;
            if let (Some(key), Some(json), false) = (&r.cache_key, &outcome_json, r.from_cache) {
                cache(tx, key, json)?;
            }
        }
        Write::Turn(turn) => cache(tx, &turn.cache_key, &to_json(&turn.outcome)?)?,
        Write::Stop(stop) => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO provider_stops (run_id, provider, error_class, reason, stopped_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                run_id,
                stop.provider,
                stop.error.class.as_str(),
                stop.error.to_string(),
                now()
            ])?;
        }
        Write::Score(key, score) => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO scores (run_id, suite, task_id, provider, sample, passed, value, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                run_id,
                key.suite,
                key.task_id,
                key.provider,
                key.sample,
                score.passed,
                score.value,
                score.detail.to_string()
            ])?;
        }
    }
    Ok(())
}

fn cache(tx: &rusqlite::Transaction<'_>, key: &str, outcome_json: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO cache (key, outcome, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![key, outcome_json, now()])?;
    Ok(())
}

fn to_json(outcome: &Outcome) -> rusqlite::Result<String> {
    serde_json::to_string(outcome).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn error_columns(error: Option<&ProviderError>) -> (Option<&'static str>, Option<u16>, Option<String>) {
    match error {
        Some(e) => (Some(e.class.as_str()), e.status, Some(e.message.clone())),
        None => (None, None, None),
    }
}
