//! The PostgreSQL write path: a run's start (its row and task list), its status, canary answers, and
//! the writer thread's loop over the write log.
//!
//! Many processes may write one database at once (shards of a run, several runs). Each writes only
//! rows of its own run, in transactions, with row-level upserts; the one table they share, the
//! response cache, is written last in each transaction and in key order, so two writers never wait
//! for each other in a cycle; a transaction the server still aborts (deadlock, serialization) is
//! tried again.

use std::sync::{Arc, LazyLock, mpsc};
use std::time::Duration;

use futures_util::future::try_join_all;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Statement};

use super::conn::{Conn, Pg};
use crate::core::{Outcome, Usage};
use crate::store::values::{error_columns, host_name, now};
use crate::store::{CanaryRecord, RunStart, StoreError, TaskRecord, Write};

/// Tasks inserted per statement when a run starts: bounded memory for a run of any size.
const TASK_CHUNK: usize = 1000;
/// Messages committed in one transaction at most.
const BATCH: usize = 256;
/// Tries of a transaction the server aborted because of another writer.
const TRIES: u32 = 5;

/// `INSERT ... ON CONFLICT (key) DO UPDATE` of every other column: SQLite's `INSERT OR REPLACE`.
fn upsert(table: &str, columns: &[&str], key: &[&str]) -> String {
    let values: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let set: Vec<String> =
        columns.iter().filter(|c| !key.contains(c)).map(|c| format!("{c} = EXCLUDED.{c}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        columns.join(", "),
        values.join(", "),
        key.join(", "),
        set.join(", ")
    )
}

const ITEM: &[&str] = &["run_id", "suite", "task_id", "provider", "sample"];

static ATTEMPT: LazyLock<String> = LazyLock::new(|| {
    let columns = [
        "run_id",
        "suite",
        "task_id",
        "provider",
        "sample",
        "attempt",
        "started_at",
        "latency_ms",
        "ttft_ms",
        "ok",
        "error_class",
        "http_status",
        "error_message",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "reasoning_tokens",
        "cost",
        "from_cache",
        "usage_estimated",
    ];
    let values: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    format!("INSERT INTO attempts ({}) VALUES ({})", columns.join(", "), values.join(", "))
});
static RESULT: LazyLock<String> = LazyLock::new(|| {
    let columns = [
        "run_id",
        "suite",
        "task_id",
        "provider",
        "sample",
        "ok",
        "error_class",
        "error_message",
        "attempts",
        "outcome",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "reasoning_tokens",
        "cost",
        "latency_ms",
        "ttft_ms",
        "from_cache",
        "finished_at",
        "usage_estimated",
        "model",
        "response_id",
        "system_fingerprint",
        "turns",
        "tool_calls",
        "invalid_calls",
        "parallel_turns",
        "step_limit_hit",
    ];
    upsert("results", &columns, ITEM)
});
static SCORE: LazyLock<String> = LazyLock::new(|| {
    let columns = ["run_id", "suite", "task_id", "provider", "sample", "passed", "value", "detail"];
    upsert("scores", &columns, ITEM)
});
static STOP: LazyLock<String> = LazyLock::new(|| {
    let columns = ["run_id", "provider", "error_class", "reason", "stopped_at"];
    upsert("provider_stops", &columns, &["run_id", "provider"])
});
static CACHE: LazyLock<String> =
    LazyLock::new(|| upsert("cache", &["key", "outcome", "created_at"], &["key"]));
static CANARY: LazyLock<String> = LazyLock::new(|| {
    let columns = ["run_id", "provider", "fingerprint", "answers", "created_at"];
    upsert("canaries", &columns, &["run_id", "provider"])
});

/// A count stored as BIGINT.
fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A small count stored as INTEGER.
fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Record a run that starts (its row and tasks) or resumes, in one transaction.
pub fn begin(conn: &mut Conn, start: &RunStart<'_>) -> Result<(), StoreError> {
    let manifest = serde_json::to_string(start.manifest).map_err(|e| StoreError(e.to_string()))?;
    let (pg, client) = (Arc::clone(&conn.pg), &mut conn.client);
    let pid = i64::from(std::process::id());
    pg.block(async {
        let tx = client.transaction().await.map_err(|e| pg.db(e))?;
        if start.new {
            tx.execute(
                "INSERT INTO runs (run_id, created_at, updated_at, status, command, baseline, providers, suites,
                   manifest, pid, host)
                 VALUES ($1, $2, $2, 'running', $3, $4, '[]', '[]', $5, $6, $7)",
                &[&start.run_id, &now(), &start.command, &start.manifest.baseline, &manifest, &pid, &host_name()],
            )
            .await
            .map_err(|e| pg.db(e))?;
            let insert = tx
                .prepare(
                    "INSERT INTO tasks (run_id, suite, task_id, position, family, category, fingerprint, meta,
                       prompt_excerpt)
                     SELECT $1, * FROM UNNEST($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[])",
                )
                .await
                .map_err(|e| pg.db(e))?;
            let mut rows = start.tasks.rows();
            let mut first = 0;
            loop {
                let chunk: Vec<_> = rows.by_ref().take(TASK_CHUNK).collect();
                if chunk.is_empty() {
                    break;
                }
                let columns = TaskColumns::of(chunk, first);
                first += TASK_CHUNK;
                tx.execute(
                    &insert,
                    &[
                        &start.run_id,
                        &columns.suite,
                        &columns.id,
                        &columns.position,
                        &columns.family,
                        &columns.category,
                        &columns.fingerprint,
                        &columns.meta,
                        &columns.prompt,
                    ],
                )
                .await
                .map_err(|e| pg.db(e))?;
            }
        } else {
            tx.execute(
                "UPDATE runs SET status = 'running', updated_at = $2, pid = $3, host = $4 WHERE run_id = $1",
                &[&start.run_id, &now(), &pid, &host_name()],
            )
            .await
            .map_err(|e| pg.db(e))?;
            tx.execute("DELETE FROM provider_stops WHERE run_id = $1", &[&start.run_id])
                .await
                .map_err(|e| pg.db(e))?;
        }
        tx.commit().await.map_err(|e| pg.db(e))
    })
}

/// A chunk of tasks as column arrays, for one `UNNEST` insert.
struct TaskColumns {
    suite: Vec<String>,
    id: Vec<String>,
    position: Vec<i64>,
    family: Vec<String>,
    category: Vec<Option<String>>,
    fingerprint: Vec<String>,
    meta: Vec<Option<String>>,
    prompt: Vec<Option<String>>,
}

impl TaskColumns {
    fn of(tasks: Vec<(TaskRecord, Option<String>)>, first: usize) -> TaskColumns {
        let mut columns = TaskColumns {
            suite: Vec::new(),
            id: Vec::new(),
            position: Vec::new(),
            family: Vec::new(),
            category: Vec::new(),
            fingerprint: Vec::new(),
            meta: Vec::new(),
            prompt: Vec::new(),
        };
        for (i, (record, prompt)) in tasks.into_iter().enumerate() {
            columns.meta.push((!record.meta.is_null()).then(|| record.meta.to_string()));
            columns.prompt.push(prompt);
            columns.position.push(i64::try_from(first + i).unwrap_or(i64::MAX));
            columns.suite.push(record.suite);
            columns.id.push(record.id);
            columns.family.push(record.family);
            columns.category.push(record.category);
            columns.fingerprint.push(record.fingerprint);
        }
        columns
    }
}

/// Set a run's status.
pub fn set_status(conn: &Conn, run_id: &str, status: &str) -> Result<(), StoreError> {
    conn.pg.block(async {
        conn.client
            .execute(
                "UPDATE runs SET status = $1, updated_at = $2 WHERE run_id = $3",
                &[&status, &now(), &run_id],
            )
            .await
            .map(drop)
            .map_err(|e| conn.db(e))
    })
}

/// Keep the canary answers of a run's providers, in one transaction.
pub fn save_canaries(conn: &mut Conn, run_id: &str, canaries: &[CanaryRecord]) -> Result<(), StoreError> {
    let (pg, client) = (Arc::clone(&conn.pg), &mut conn.client);
    pg.block(async {
        let tx = client.transaction().await.map_err(|e| pg.db(e))?;
        for canary in canaries {
            let answers = serde_json::to_string(&canary.answers).map_err(|e| StoreError(e.to_string()))?;
            tx.execute(CANARY.as_str(), &[&run_id, &canary.provider, &canary.fingerprint, &answers, &now()])
                .await
                .map_err(|e| pg.db(e))?;
        }
        tx.commit().await.map_err(|e| pg.db(e))
    })
}

/// The writer's prepared statements, by what they write.
#[derive(Clone, Copy)]
enum Target {
    Attempt,
    Result,
    Score,
    Stop,
    Cache,
}

impl Target {
    const ALL: [Target; 5] = [Target::Attempt, Target::Result, Target::Score, Target::Stop, Target::Cache];

    fn sql(self) -> &'static str {
        match self {
            Target::Attempt => ATTEMPT.as_str(),
            Target::Result => RESULT.as_str(),
            Target::Score => SCORE.as_str(),
            Target::Stop => STOP.as_str(),
            Target::Cache => CACHE.as_str(),
        }
    }
}

/// One statement of a batch: which prepared statement, and its values.
struct Op {
    statement: Target,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
    /// The cache key, for cache writes (ordered last, by key).
    cache_key: Option<String>,
}

/// The writer thread's loop: batches of messages, each committed in one transaction with its
/// statements pipelined (one round trip per batch, not per row).
pub fn write_loop(mut conn: Conn, run_id: &str, rx: mpsc::Receiver<Write>) -> Result<(), String> {
    let pg = Arc::clone(&conn.pg);
    let statements = pg.block(prepare(&conn.client, &pg)).map_err(|e| e.to_string())?;
    while let Ok(first) = rx.recv() {
        let mut ops = Vec::new();
        for msg in std::iter::once(first).chain(rx.try_iter().take(BATCH)) {
            ops.extend(operations(run_id, msg).map_err(|e| format!("store: {e}"))?);
        }
        let (mut rows, mut cached): (Vec<Op>, Vec<Op>) =
            ops.into_iter().partition(|op| op.cache_key.is_none());
        cached.sort_by(|a, b| a.cache_key.cmp(&b.cache_key));
        rows.extend(cached);
        commit(&mut conn.client, &pg, &statements, &rows)?;
    }
    Ok(())
}

/// The writer's statements, prepared once, in the order [`operations`] names them.
async fn prepare(client: &Client, pg: &Pg) -> Result<Vec<Statement>, StoreError> {
    let mut statements = Vec::new();
    for target in Target::ALL {
        statements.push(client.prepare(target.sql()).await.map_err(|e| pg.db(e))?);
    }
    Ok(statements)
}

/// Commit `ops` in one transaction, trying again when the server aborted it for another writer.
fn commit(client: &mut Client, pg: &Pg, statements: &[Statement], ops: &[Op]) -> Result<(), String> {
    let mut tries = 0;
    loop {
        tries += 1;
        let result = pg.block(async {
            let tx = client.transaction().await.map_err(|e| Retry::from(pg, e))?;
            let pending = ops.iter().map(|op| {
                tx.execute_raw(
                    &statements[op.statement as usize],
                    op.params.iter().map(|p| p.as_ref() as &dyn ToSql),
                )
            });
            try_join_all(pending).await.map_err(|e| Retry::from(pg, e))?;
            tx.commit().await.map_err(|e| Retry::from(pg, e))
        });
        match result {
            Ok(()) => return Ok(()),
            Err(Retry { again: true, .. }) if tries < TRIES => {
                std::thread::sleep(Duration::from_millis(50 * u64::from(tries)));
            }
            Err(Retry { error, .. }) => return Err(format!("store: {error}")),
        }
    }
}

/// A failed transaction, and whether trying it again may succeed.
struct Retry {
    error: StoreError,
    again: bool,
}

impl Retry {
    fn from(pg: &Pg, e: tokio_postgres::Error) -> Retry {
        let again = matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE);
        Retry { error: pg.db(e), again }
    }
}

impl From<StoreError> for Retry {
    fn from(error: StoreError) -> Retry {
        Retry { error, again: false }
    }
}

fn op(statement: Target, params: Vec<Box<dyn ToSql + Sync + Send>>) -> Op {
    Op { statement, params, cache_key: None }
}

fn cache_op(key: &str, outcome_json: String) -> Op {
    Op {
        statement: Target::Cache,
        params: vec![Box::new(key.to_string()), Box::new(outcome_json), Box::new(now())],
        cache_key: Some(key.to_string()),
    }
}

/// The statements one message makes.
fn operations(run_id: &str, msg: Write) -> Result<Vec<Op>, serde_json::Error> {
    let run = || Box::new(run_id.to_string()) as Box<dyn ToSql + Sync + Send>;
    Ok(match msg {
        Write::Attempt(a) => {
            let (class, status, message) = error_columns(a.error.as_ref());
            let u = a.usage;
            vec![op(
                Target::Attempt,
                vec![
                    run(),
                    Box::new(a.key.suite),
                    Box::new(a.key.task_id),
                    Box::new(a.key.provider),
                    Box::new(int(a.key.sample)),
                    Box::new(int(a.attempt)),
                    Box::new(a.started_at),
                    Box::new(a.latency_ms),
                    Box::new(a.ttft_ms),
                    Box::new(a.error.is_none()),
                    Box::new(class),
                    Box::new(status.map(i32::from)),
                    Box::new(message),
                    Box::new(big(u.input)),
                    Box::new(big(u.output)),
                    Box::new(big(u.cache_read)),
                    Box::new(big(u.cache_write)),
                    Box::new(big(u.reasoning)),
                    Box::new(a.cost),
                    Box::new(a.from_cache),
                    Box::new(a.usage_estimated),
                ],
            )]
        }
        Write::Result(r) => {
            let outcome_json = r.outcome.as_ref().ok().map(serde_json::to_string).transpose()?;
            let mut ops = vec![op(Target::Result, result_params(run_id, &r, outcome_json.clone()))];
            if let (Some(key), Some(json), false) = (&r.cache_key, outcome_json, r.from_cache) {
                ops.push(cache_op(key, json));
            }
            ops
        }
        Write::Turn(turn) => vec![cache_op(&turn.cache_key, serde_json::to_string(&turn.outcome)?)],
        Write::Stop(stop) => vec![op(
            Target::Stop,
            vec![
                run(),
                Box::new(stop.provider),
                Box::new(stop.error.class.as_str()),
                Box::new(stop.error.to_string()),
                Box::new(now()),
            ],
        )],
        Write::Score(key, score) => vec![op(
            Target::Score,
            vec![
                run(),
                Box::new(key.suite),
                Box::new(key.task_id),
                Box::new(key.provider),
                Box::new(int(key.sample)),
                Box::new(score.passed),
                Box::new(score.value),
                Box::new(score.detail.to_string()),
            ],
        )],
    })
}

/// The values of a final result's row.
fn result_params(
    run_id: &str,
    r: &crate::store::ResultRecord,
    outcome_json: Option<String>,
) -> Vec<Box<dyn ToSql + Sync + Send>> {
    let answer: Option<&Outcome> = r.outcome.as_ref().ok();
    let (usage, latency, ttft) = match answer {
        Some(o) => (o.usage, Some(o.latency_ms), o.ttft_ms),
        None => (Usage::default(), None, None),
    };
    let episode = answer.and_then(|o| o.episode.as_deref());
    let (class, _, message) = error_columns(r.outcome.as_ref().err());
    vec![
        Box::new(run_id.to_string()),
        Box::new(r.key.suite.clone()),
        Box::new(r.key.task_id.clone()),
        Box::new(r.key.provider.clone()),
        Box::new(int(r.key.sample)),
        Box::new(r.outcome.is_ok()),
        Box::new(class),
        Box::new(message),
        Box::new(int(r.attempts)),
        Box::new(outcome_json),
        Box::new(big(usage.input)),
        Box::new(big(usage.output)),
        Box::new(big(usage.cache_read)),
        Box::new(big(usage.cache_write)),
        Box::new(big(usage.reasoning)),
        Box::new(r.cost),
        Box::new(latency),
        Box::new(ttft),
        Box::new(r.from_cache),
        Box::new(now()),
        Box::new(answer.is_some_and(|o| o.usage_estimated)),
        Box::new(answer.and_then(|o| o.model.clone())),
        Box::new(answer.and_then(|o| o.response_id.clone())),
        Box::new(answer.and_then(|o| o.system_fingerprint.clone())),
        Box::new(episode.map(|e| i32::try_from(e.turns.len()).unwrap_or(i32::MAX))),
        Box::new(episode.map(|e| int(e.calls))),
        Box::new(episode.map(|e| int(e.invalid()))),
        Box::new(episode.map(|e| int(e.parallel_turns))),
        Box::new(episode.map(|e| e.step_limit_hit)),
    ]
}
