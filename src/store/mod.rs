//! The durable store: SQLite in the output folder, written by one thread.
//!
//! Every attempt, final result and score is sent to the [`Writer`] as it happens; the writer commits in
//! small batches, so a run killed at any moment keeps everything committed before it and `--resume`
//! finishes the rest. Reads (resume, cache, analysis) use their own connections, which WAL mode lets run
//! beside the writer.

mod reads;
mod schema;

pub use reads::{Reader, ResultRow, RunInfo};

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use crate::core::{ItemKey, Outcome, Score, Usage};
use crate::provider::ProviderError;

/// File name of the database inside the output folder.
pub const DB_FILE: &str = "bench.sqlite";

/// One HTTP attempt (or cache hit), successful or not.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// What it answered.
    pub key: ItemKey,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Wall-clock start (RFC 3339).
    pub started_at: String,
    /// How long it took.
    pub latency_ms: f64,
    /// Time to first output token, when streamed.
    pub ttft_ms: Option<f64>,
    /// The error, for a failed attempt.
    pub error: Option<ProviderError>,
    /// Tokens billed (partial usage for a failed stream).
    pub usage: Usage,
    /// Cost of those tokens.
    pub cost: f64,
    /// Answered from the response cache.
    pub from_cache: bool,
}

/// The final word on one item after all retries.
#[derive(Debug, Clone)]
pub struct ResultRecord {
    /// What it answered.
    pub key: ItemKey,
    /// The answer, or the error that ended the last attempt.
    pub outcome: Result<Outcome, ProviderError>,
    /// Attempts made.
    pub attempts: u32,
    /// Cost of the answer (0 for a failure).
    pub cost: f64,
    /// Answered from the response cache.
    pub from_cache: bool,
    /// Cache key under which to keep a fresh successful answer.
    pub cache_key: Option<String>,
}

/// A run as it starts: what `--resume` needs to check it is resuming the same thing.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Run id (the results sub-folder's name).
    pub run_id: String,
    /// The command line arguments after `bench`.
    pub command: String,
    /// Baseline provider.
    pub baseline: String,
    /// Resolved providers as JSON (keys are never part of a spec).
    pub providers: serde_json::Value,
    /// Suites as JSON.
    pub suites: serde_json::Value,
}

/// Messages the writer thread applies in order.
#[derive(Debug)]
pub enum Write {
    /// Create the run or, on resume, mark it running again.
    Run(RunRecord),
    /// Record the tasks of the run (suite, id, family, category).
    Tasks(Vec<(String, String, String, Option<String>)>),
    /// Record one attempt.
    Attempt(Box<AttemptRecord>),
    /// Record a final result (and cache a fresh answer).
    Result(Box<ResultRecord>),
    /// Record a score.
    Score(ItemKey, Score),
    /// Set the run's status (`interrupted`, `finished`).
    Status(String),
}

/// Handle to the writer thread. Cloning the sender is how producers reach it.
pub struct Writer {
    tx: mpsc::Sender<Write>,
    handle: JoinHandle<Result<(), String>>,
}

/// Open (creating) the output folder's database and check its schema.
pub fn open(out_dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("{}: cannot create output folder: {e}", out_dir.display()))?;
    let path = out_dir.join(DB_FILE);
    let conn = schema::open(&path).map_err(|e| format!("{}: cannot open database: {e}", path.display()))?;
    schema::migrate(&conn).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

impl Writer {
    /// Start the writer thread for `run_id` on the database at `db`.
    pub fn start(db: &Path, run_id: &str) -> Result<Writer, String> {
        let conn = schema::open(db).map_err(|e| format!("{}: {e}", db.display()))?;
        let (tx, rx) = mpsc::channel();
        let run_id = run_id.to_string();
        let handle = std::thread::Builder::new()
            .name("bench-store".into())
            .spawn(move || write_loop(conn, &run_id, rx))
            .map_err(|e| format!("cannot start the store thread: {e}"))?;
        Ok(Writer { tx, handle })
    }

    /// A sender for producers (scheduler tasks, scoring threads).
    pub fn sender(&self) -> mpsc::Sender<Write> {
        self.tx.clone()
    }

    /// Close the channel, wait for every queued write to be committed, and report a write failure.
    pub fn finish(self) -> Result<(), String> {
        drop(self.tx);
        self.handle.join().map_err(|_| "the store thread panicked".to_string())?
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
        Write::Run(run) => {
            tx.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, status, command, baseline, providers, suites)
                 VALUES (?1, ?2, ?2, 'running', ?3, ?4, ?5, ?6)
                 ON CONFLICT(run_id) DO UPDATE SET updated_at = ?2, status = 'running', command = ?3,
                   baseline = ?4, providers = ?5, suites = ?6",
                params![run.run_id, now(), run.command, run.baseline, run.providers.to_string(), run.suites.to_string()],
            )?;
        }
        Write::Tasks(tasks) => {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO tasks (run_id, suite, task_id, family, category) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (suite, task_id, family, category) in tasks {
                stmt.execute(params![run_id, suite, task_id, family, category])?;
            }
        }
        Write::Attempt(a) => {
            let (class, status, message) = error_columns(a.error.as_ref());
            tx.prepare_cached(
                "INSERT INTO attempts (run_id, suite, task_id, provider, sample, attempt, started_at, latency_ms,
                   ttft_ms, ok, error_class, http_status, error_message, input_tokens, output_tokens,
                   cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, from_cache)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
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
            ])?;
        }
        Write::Result(r) => {
            let (outcome_json, usage, latency, ttft) = match &r.outcome {
                Ok(o) => (serde_json::to_string(o).ok(), o.usage, Some(o.latency_ms), o.ttft_ms),
                Err(_) => (None, Usage::default(), None, None),
            };
            let (class, _, message) = error_columns(r.outcome.as_ref().err());
            tx.prepare_cached(
                "INSERT OR REPLACE INTO results (run_id, suite, task_id, provider, sample, ok, error_class,
                   error_message, attempts, outcome, input_tokens, output_tokens, cache_read_tokens,
                   cache_write_tokens, reasoning_tokens, cost, latency_ms, ttft_ms, from_cache, finished_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
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
            ])?;
            if let (Some(key), Some(json), false) = (&r.cache_key, &outcome_json, r.from_cache) {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO cache (key, outcome, created_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![key, json, now()])?;
            }
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
        Write::Status(status) => {
            tx.execute(
                "UPDATE runs SET status = ?1, updated_at = ?2 WHERE run_id = ?3",
                params![status, now(), run_id],
            )?;
        }
    }
    Ok(())
}

fn error_columns(error: Option<&ProviderError>) -> (Option<&'static str>, Option<u16>, Option<String>) {
    match error {
        Some(e) => (Some(e.class.as_str()), e.status, Some(e.message.clone())),
        None => (None, None, None),
    }
}
