//! The SQLite backend: `OUT/bench.sqlite`, written by one thread, read on connections of their own
//! (WAL mode lets reads run beside the writer).

mod reads;
mod schema;
mod series;
mod stored;

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::{Connection, params};

use super::backend::{Backend, Queries, WriteLoop};
use super::values::{error_columns, host_name, now};
use super::{CanaryRecord, RunLock, RunStart, RunStatus, StoreError, Write};
use crate::core::{Outcome, Usage};

/// File name of the database inside the output folder.
pub const DB_FILE: &str = "bench.sqlite";

/// The output folder's store: its database file and the folder that holds run locks.
#[derive(Debug, Clone)]
pub struct Sqlite {
    out_dir: PathBuf,
    db: PathBuf,
}

impl Sqlite {
    /// Open (creating) the output folder's database, upgrading an older schema in place.
    pub fn open(out_dir: &Path) -> Result<Sqlite, StoreError> {
        std::fs::create_dir_all(out_dir).map_err(|e| StoreError::io(out_dir, e))?;
        let db = out_dir.join(DB_FILE);
        let mut conn = schema::open(&db).map_err(|e| StoreError::db(&db, format!("cannot open: {e}")))?;
        schema::migrate(&mut conn).map_err(|e| StoreError::db(&db, e))?;
        Ok(Sqlite { out_dir: out_dir.to_path_buf(), db })
    }

    /// Whether the output folder has a database.
    pub fn exists(out_dir: &Path) -> bool {
        out_dir.join(DB_FILE).exists()
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        schema::open(&self.db).map_err(|e| StoreError::db(&self.db, e))
    }
}

impl Backend for Sqlite {
    fn name(&self) -> String {
        self.db.display().to_string()
    }

    fn place(&self) -> String {
        self.out_dir.display().to_string()
    }

    fn reader(&self) -> Result<Box<dyn Queries>, StoreError> {
        Ok(Box::new(reads::SqliteReader::open(&self.db, &self.out_dir)?))
    }

    fn lock(&self, run_id: &str) -> Result<Option<RunLock>, StoreError> {
        RunLock::acquire(&self.out_dir, run_id)
    }

    fn begin(&self, start: &RunStart<'_>) -> Result<(), StoreError> {
        let mut conn = self.connect()?;
        let err = |e: rusqlite::Error| StoreError::db(&self.db, e);
        let tx = conn.transaction().map_err(err)?;
        let manifest = serde_json::to_string(start.manifest).map_err(|e| StoreError(e.to_string()))?;
        if start.new {
            tx.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, status, command, baseline, providers, suites,
                   manifest, pid, host)
                 VALUES (?1, ?2, ?2, 'running', ?3, ?4, '[]', '[]', ?5, ?6, ?7)",
                params![
                    start.run_id,
                    now(),
                    start.command,
                    start.manifest.baseline,
                    manifest,
                    std::process::id(),
                    host_name()
                ],
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
                params![start.run_id, now(), std::process::id(), host_name()],
            )
            .map_err(err)?;
            tx.execute("DELETE FROM provider_stops WHERE run_id = ?1", params![start.run_id]).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn set_status(&self, run_id: &str, status: RunStatus) -> Result<(), StoreError> {
        self.connect()?
            .execute(
                "UPDATE runs SET status = ?1, updated_at = ?2 WHERE run_id = ?3",
                params![status.as_str(), now(), run_id],
            )
            .map(drop)
            .map_err(|e| StoreError::db(&self.db, e))
    }

    fn save_canaries(&self, run_id: &str, canaries: &[CanaryRecord]) -> Result<(), StoreError> {
        let err = |e: rusqlite::Error| StoreError::db(&self.db, e);
        let mut conn = self.connect()?;
        let tx = conn.transaction().map_err(err)?;
        for canary in canaries {
            let answers = serde_json::to_string(&canary.answers).map_err(|e| StoreError(e.to_string()))?;
            tx.execute(
                "INSERT OR REPLACE INTO canaries (run_id, provider, fingerprint, answers, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![run_id, canary.provider, canary.fingerprint, answers, now()],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn write_loop(&self, run_id: &str) -> Result<WriteLoop, StoreError> {
        let conn = self.connect()?;
        let run_id = run_id.to_string();
        Ok(Box::new(move |rx| write_loop(conn, &run_id, rx)))
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
