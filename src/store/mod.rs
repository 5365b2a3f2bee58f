//! The durable store: what a run leaves behind, read back by every later command.
//!
//! A run starts by writing its [`Manifest`] and task list ([`Store::begin`]) before anything is sent.
//! Every attempt, final result and score is then sent to the [`Writer`] as it happens; the writer
//! commits in small batches, so a run killed at any moment keeps everything committed before it and
//! `--resume` finishes the rest. Everything the analysis reads goes through [`Reads`] (and the
//! [`Reader`] that implements it), so nothing above this module knows which backend holds the runs:
//! `sqlite/` (the default, one file per output folder) or `postgres/` (one database for a team, written
//! by many machines at once). Each backend holds its own SQL behind [`Backend`] and [`Queries`].
//! [`merge`] joins the shards of a run, read through [`Reads`] from their stores, into one run
//! written like any other.

mod backend;
mod location;
mod lock;
mod manifest;
pub mod merge;
mod postgres;
mod reader;
mod records;
mod sqlite;
mod stored;
#[cfg(test)]
mod tests;
mod values;
mod writer;

pub use location::Location;
pub use lock::RunLock;
pub use manifest::{
    MANIFEST_FORMAT, Manifest, ProviderSnapshot, ShardRecord, SuiteRecord, TaskRecord, WholeSuite,
    content_hash, task_set_hash,
};
pub use reader::Reader;
pub use records::{
    AttemptRecord, AttemptRow, CanaryRecord, FailureFacts, ProviderStop, Reads, ReportedModel, ResultRecord,
    ResultRow, ResultText, RunRow, RunStart, RunStatus, StartTasks, StopRow, StoredResult, StoredTask,
    TaskText, ToolUse, TurnRecord, Write,
};
pub use writer::Writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend::Backend;

/// A storage failure: the database cannot be opened, read or written (exit code 3).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

impl StoreError {
    fn db(path: &Path, e: impl std::fmt::Display) -> StoreError {
        StoreError(format!("{}: {e}", path.display()))
    }

    fn io(path: &Path, e: std::io::Error) -> StoreError {
        StoreError(format!("{}: {e}", path.display()))
    }
}

/// The store a command works with: its backend, and the output folder where a run's files
/// (summary.json, report.html, predictions) go whichever backend holds the runs.
#[derive(Clone)]
pub struct Store {
    out_dir: PathBuf,
    backend: Arc<dyn Backend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("out_dir", &self.out_dir).field("store", &self.backend.name()).finish()
    }
}

impl Store {
    /// Open (creating) the store at `location` for the output folder `out_dir`, upgrading an older
    /// schema in place.
    pub fn open(out_dir: &Path, location: &Location) -> Result<Store, StoreError> {
        let backend: Arc<dyn Backend> = match location {
            Location::Sqlite => Arc::new(sqlite::Sqlite::open(out_dir)?),
            Location::Postgres(url) => Arc::new(postgres::Postgres::open(url)?),
        };
        Ok(Store { out_dir: out_dir.to_path_buf(), backend })
    }

    /// Open an existing store for reading; `None` for an output folder without a database (a
    /// PostgreSQL store always exists once reachable: its tables are made on first use).
    pub fn open_existing(out_dir: &Path, location: &Location) -> Result<Option<Store>, StoreError> {
        match location {
            Location::Sqlite if !sqlite::Sqlite::exists(out_dir) => Ok(None),
            _ => Store::open(out_dir, location).map(Some),
        }
    }

    /// Where the runs are, for people: the database file, or the URL without its password.
    pub fn name(&self) -> String {
        self.backend.name()
    }

    /// Where a user looks for the runs, for messages: the output folder (SQLite), or the database URL
    /// without its password (PostgreSQL).
    pub fn place(&self) -> String {
        self.backend.place()
    }

    /// The output folder.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// A read connection.
    pub fn reader(&self) -> Result<Reader, StoreError> {
        self.backend.reader().map(Reader::new)
    }

    /// Take the run's lock (`None`: another live process is working on it).
    pub fn lock(&self, run_id: &str) -> Result<Option<RunLock>, StoreError> {
        self.backend.lock(run_id)
    }

    /// Record that a run starts (or resumes) in this process, committed before this returns.
    pub fn begin(&self, start: &RunStart<'_>) -> Result<(), StoreError> {
        self.backend.begin(start)
    }

    /// Set the run's final status.
    pub fn set_status(&self, run_id: &str, status: RunStatus) -> Result<(), StoreError> {
        self.backend.set_status(run_id, status)
    }

    /// Keep the canary answers of a run's providers (replacing any the run had).
    pub fn save_canaries(&self, run_id: &str, canaries: &[CanaryRecord]) -> Result<(), StoreError> {
        self.backend.save_canaries(run_id, canaries)
    }

    /// Start the writer thread for `run_id`.
    pub fn writer(&self, run_id: &str) -> Result<Writer, StoreError> {
        Writer::spawn(self.backend.write_loop(run_id)?)
    }
}
