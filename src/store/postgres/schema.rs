//! The PostgreSQL schema: the tables and columns of the SQLite store (see `sqlite/schema.rs`), typed
//! for PostgreSQL, in ordered migrations of its own recorded in `schema_version`. Text that is sorted
//! or grouped (ids, names, times) is collated byte by byte (`"C"`), as SQLite compares it, so both
//! stores hand rows back in the same order; JSON is kept as text, as written, in both. Two columns
//! stand in for SQLite's implicit row order: `runs.seq` and `tasks.position`.

use tokio_postgres::Client;

use super::conn::explain;

/// Ordered migrations: a database at version `v` gets `MIGRATIONS[v..]` applied in one transaction.
/// Append, never edit: a released migration is history.
const MIGRATIONS: &[&str] = &[V1_TABLES];

/// The schema version this release writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Every table of SQLite's version 5 at once (the PostgreSQL store starts there).
const V1_TABLES: &str = r#"
CREATE TABLE runs (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY,  -- SQLite's rowid: the order runs were stored
    run_id      TEXT COLLATE "C" PRIMARY KEY,
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT NOT NULL,
    status      TEXT NOT NULL,          -- running | interrupted | finished
    command     TEXT NOT NULL,
    baseline    TEXT NOT NULL,
    providers   TEXT NOT NULL,
    suites      TEXT NOT NULL,
    manifest    TEXT,                   -- JSON run manifest
    pid         BIGINT,
    host        TEXT
);
CREATE TABLE tasks (
    run_id         TEXT COLLATE "C" NOT NULL,
    suite          TEXT COLLATE "C" NOT NULL,
    task_id        TEXT COLLATE "C" NOT NULL,
    position       BIGINT NOT NULL,     -- the order the run planned its tasks in
    family         TEXT NOT NULL,
    category       TEXT,
    fingerprint    TEXT,
    meta           TEXT,
    prompt_excerpt TEXT,
    PRIMARY KEY (run_id, suite, task_id)
);
CREATE INDEX tasks_in_order ON tasks (run_id, position);
CREATE TABLE attempts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         TEXT COLLATE "C" NOT NULL,
    suite          TEXT COLLATE "C" NOT NULL,
    task_id        TEXT COLLATE "C" NOT NULL,
    provider       TEXT COLLATE "C" NOT NULL,
    sample         INTEGER NOT NULL,
    attempt        INTEGER NOT NULL,
    started_at     TEXT NOT NULL,
    latency_ms     DOUBLE PRECISION NOT NULL,
    ttft_ms        DOUBLE PRECISION,
    ok             BOOLEAN NOT NULL,
    error_class    TEXT,
    http_status    INTEGER,
    error_message  TEXT,
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    cost           DOUBLE PRECISION NOT NULL,
    from_cache     BOOLEAN NOT NULL,
    usage_estimated BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX attempts_by_item ON attempts (run_id, provider, suite, task_id, sample);
CREATE TABLE results (
    run_id         TEXT COLLATE "C" NOT NULL,
    suite          TEXT COLLATE "C" NOT NULL,
    task_id        TEXT COLLATE "C" NOT NULL,
    provider       TEXT COLLATE "C" NOT NULL,
    sample         INTEGER NOT NULL,
    ok             BOOLEAN NOT NULL,    -- false: infrastructure failure after all retries
    error_class    TEXT,
    error_message  TEXT,
    attempts       INTEGER NOT NULL,
    outcome        TEXT,                -- JSON Outcome when ok
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    cost           DOUBLE PRECISION NOT NULL,
    latency_ms     DOUBLE PRECISION,
    ttft_ms        DOUBLE PRECISION,
    from_cache     BOOLEAN NOT NULL,
    finished_at    TEXT NOT NULL,
    usage_estimated BOOLEAN NOT NULL DEFAULT false,
    model          TEXT COLLATE "C",
    response_id    TEXT,
    system_fingerprint TEXT COLLATE "C",
    turns          INTEGER,
    tool_calls     INTEGER,
    invalid_calls  INTEGER,
    parallel_turns INTEGER,
    step_limit_hit BOOLEAN,
    PRIMARY KEY (run_id, suite, task_id, provider, sample)
);
CREATE INDEX results_by_run ON results (run_id, ok);
CREATE TABLE scores (
    run_id      TEXT COLLATE "C" NOT NULL,
    suite       TEXT COLLATE "C" NOT NULL,
    task_id     TEXT COLLATE "C" NOT NULL,
    provider    TEXT COLLATE "C" NOT NULL,
    sample      INTEGER NOT NULL,
    passed      BOOLEAN NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    detail      TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, task_id, provider, sample)
);
CREATE TABLE cache (
    key         TEXT COLLATE "C" PRIMARY KEY,
    outcome     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE provider_stops (
    run_id      TEXT COLLATE "C" NOT NULL,
    provider    TEXT COLLATE "C" NOT NULL,
    error_class TEXT NOT NULL,
    reason      TEXT NOT NULL,
    stopped_at  TEXT NOT NULL,
    PRIMARY KEY (run_id, provider)
);
CREATE TABLE canaries (
    run_id      TEXT COLLATE "C" NOT NULL,
    provider    TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT NOT NULL,
    answers     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (run_id, provider)
);
"#;

/// Key of the transaction-level advisory lock that makes processes starting at once on a fresh
/// database migrate it one after the other ("bench" in ASCII).
const MIGRATION_LOCK: i64 = 0x0062_656e_6368;

/// Bring the database to [`SCHEMA_VERSION`]: create the tables, or apply the migrations it lacks.
/// A database from a newer release is refused; one that is up to date is only read (a user allowed
/// to read and write rows, not to create tables, can use it).
pub async fn migrate(client: &mut Client) -> Result<(), String> {
    let tx = client.transaction().await.map_err(|e| explain(&e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(|e| explain(&e))?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| explain(&e))?;
    let version: i32 = match exists {
        true => tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| explain(&e))?,
        false => 0,
    };
    if version > SCHEMA_VERSION {
        return Err(format!(
            "the database has bench schema version {version}, newer than this bench understands \
             ({SCHEMA_VERSION}); upgrade bench or use another database"
        ));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if !exists {
        tx.batch_execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            .await
            .map_err(|e| format!("cannot create the tables: {}", explain(&e)))?;
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
        tx.batch_execute(migration)
            .await
            .map_err(|e| format!("upgrading the store to version {}: {}", i + 1, explain(&e)))?;
    }
    tx.execute("DELETE FROM schema_version", &[]).await.map_err(|e| explain(&e))?;
    tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&SCHEMA_VERSION])
        .await
        .map_err(|e| explain(&e))?;
    tx.commit().await.map_err(|e| explain(&e))
}
