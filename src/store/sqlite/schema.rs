//! The SQLite schema of `OUT/bench.sqlite`: one file per output folder holding every run, every
//! attempt, every final result and score, and the response cache shared by runs.

use rusqlite::{Connection, TransactionBehavior};

/// The schema version this release writes: the number of [`MIGRATIONS`].
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Ordered migrations: a file at version `v` (SQLite's `user_version`) gets `MIGRATIONS[v..]` applied
/// in one transaction. A store written by an earlier release is upgraded in place, never refused.
/// Append, never edit: a released migration is history.
const MIGRATIONS: &[&str] = &[V1_TABLES, V2_MANIFEST, V3_STOPS_AND_EPISODES, V4_PROMPT_EXCERPTS, V5_CANARIES];

const V1_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    status      TEXT NOT NULL,          -- running | interrupted | finished
    command     TEXT NOT NULL,          -- the arguments, for `--resume`
    baseline    TEXT NOT NULL,
    providers   TEXT NOT NULL,          -- JSON: resolved provider specs (never keys)
    suites      TEXT NOT NULL           -- JSON: suite specs
);
CREATE TABLE IF NOT EXISTS tasks (
    run_id      TEXT NOT NULL,
    suite       TEXT NOT NULL,
    task_id     TEXT NOT NULL,
    family      TEXT NOT NULL,
    category    TEXT,
    PRIMARY KEY (run_id, suite, task_id)
);
CREATE TABLE IF NOT EXISTS attempts (
    id             INTEGER PRIMARY KEY,
    run_id         TEXT NOT NULL,
    suite          TEXT NOT NULL,
    task_id        TEXT NOT NULL,
    provider       TEXT NOT NULL,
    sample         INTEGER NOT NULL,
    attempt        INTEGER NOT NULL,
    started_at     TEXT NOT NULL,
    latency_ms     REAL NOT NULL,
    ttft_ms        REAL,
    ok             INTEGER NOT NULL,
    error_class    TEXT,
    http_status    INTEGER,
    error_message  TEXT,
    input_tokens   INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens   INTEGER NOT NULL,
    cost           REAL NOT NULL,
    from_cache     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_item ON attempts (run_id, provider, suite, task_id, sample);
CREATE TABLE IF NOT EXISTS results (
    run_id         TEXT NOT NULL,
    suite          TEXT NOT NULL,
    task_id        TEXT NOT NULL,
    provider       TEXT NOT NULL,
    sample         INTEGER NOT NULL,
    ok             INTEGER NOT NULL,    -- 0: infrastructure failure after all retries
    error_class    TEXT,
    error_message  TEXT,
    attempts       INTEGER NOT NULL,
    outcome        TEXT,                -- JSON Outcome when ok
    input_tokens   INTEGER NOT NULL,
    output_tokens  INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens   INTEGER NOT NULL,
    cost           REAL NOT NULL,
    latency_ms     REAL,
    ttft_ms        REAL,
    from_cache     INTEGER NOT NULL,
    finished_at    TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, task_id, provider, sample)
);
CREATE TABLE IF NOT EXISTS scores (
    run_id      TEXT NOT NULL,
    suite       TEXT NOT NULL,
    task_id     TEXT NOT NULL,
    provider    TEXT NOT NULL,
    sample      INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    value       REAL NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, task_id, provider, sample)
);
CREATE TABLE IF NOT EXISTS cache (
    key         TEXT PRIMARY KEY,       -- sha256 of base URL, model, canonical request, sample
    outcome     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
"#;

/// Runs that stand on their own: the manifest and who runs it; task fingerprints and metadata; what
/// the provider said it was (model, response id, system fingerprint) and whether usage was estimated.
const V2_MANIFEST: &str = r#"
ALTER TABLE runs ADD COLUMN manifest TEXT;          -- JSON run manifest (NULL: stored before v2)
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE tasks ADD COLUMN fingerprint TEXT;
ALTER TABLE tasks ADD COLUMN meta TEXT;
ALTER TABLE results ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN model TEXT;
ALTER TABLE results ADD COLUMN response_id TEXT;
ALTER TABLE results ADD COLUMN system_fingerprint TEXT;
ALTER TABLE attempts ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS results_by_run ON results (run_id, ok);
"#;

/// Why a provider stopped before its items were done, so a report can say why items were never sent
/// (a resume clears its run's stops: they describe the latest attempt at the run); and how each
/// episode used its tools, beside the result, so the analysis need not parse every stored outcome.
const V3_STOPS_AND_EPISODES: &str = r#"
CREATE TABLE IF NOT EXISTS provider_stops (
    run_id      TEXT NOT NULL,
    provider    TEXT NOT NULL,
    error_class TEXT NOT NULL,
    reason      TEXT NOT NULL,          -- the error as shown: class, HTTP status, message
    stopped_at  TEXT NOT NULL,
    PRIMARY KEY (run_id, provider)
);
ALTER TABLE results ADD COLUMN turns INTEGER;           -- episodes only: requests made
ALTER TABLE results ADD COLUMN tool_calls INTEGER;      -- calls made, valid or not
ALTER TABLE results ADD COLUMN invalid_calls INTEGER;   -- bad JSON, unknown tool, schema violation
ALTER TABLE results ADD COLUMN parallel_turns INTEGER;  -- turns with more than one call
ALTER TABLE results ADD COLUMN step_limit_hit INTEGER;  -- cut at the step limit
"#;

/// What each task asked, in short, so that a report's task table shows the prompt beside the answer
/// without the suite file (NULL for tasks stored before v4).
const V4_PROMPT_EXCERPTS: &str = r#"
ALTER TABLE tasks ADD COLUMN prompt_excerpt TEXT;
"#;

/// Each provider's answers to the canary prompts of a run (`bench run --canary`), so `bench regress`
/// can say when the same questions at temperature 0 start getting other answers. Runs are found by
/// their tag in the manifest (`json_extract(manifest, '$.tag')`), which needs no column.
const V5_CANARIES: &str = r#"
CREATE TABLE IF NOT EXISTS canaries (
    run_id      TEXT NOT NULL,
    provider    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,          -- sha256 of the answers in task-id order
    answers     TEXT NOT NULL,          -- JSON: {"task id": "answer", ...}
    created_at  TEXT NOT NULL,
    PRIMARY KEY (run_id, provider)
);
"#;

/// Open (creating if needed) the database with the pragmas every connection needs.
pub fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    const BUSY: std::time::Duration = std::time::Duration::from_secs(30);
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY)?;
    // Switching a new file to WAL needs it to itself and does not wait for another process that
    // opens it at the same moment: try again until the busy timeout.
    let deadline = std::time::Instant::now() + BUSY;
    while let Err(e) = conn.pragma_update(None, "journal_mode", "WAL") {
        if e.sqlite_error_code() != Some(rusqlite::ErrorCode::DatabaseBusy)
            || std::time::Instant::now() > deadline
        {
            return Err(e);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // NORMAL in WAL mode: a committed transaction survives a crash of the process (kill -9); only a power
    // loss can take the last commits, and a resumed run redoes those.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Bring the file to [`SCHEMA_VERSION`]: create it, or apply the migrations it lacks. A file from a
/// newer release is refused (this release cannot know what its tables mean).
pub fn migrate(conn: &mut Connection) -> Result<(), String> {
    let version: i64 =
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| e.to_string())?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    // Read the version again under the write lock: two processes that start at once on a new file
    // upgrade it one after the other, the second finding nothing left to do.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| e.to_string())?;
    let version: i64 =
        tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| e.to_string())?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "the results database has schema version {version}, newer than this bench understands \
             ({SCHEMA_VERSION}); upgrade bench or use another --out folder"
        ));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
        tx.execute_batch(migration).map_err(|e| format!("upgrading the store to version {}: {e}", i + 1))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())
}
