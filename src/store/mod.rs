//! The durable store: what a run leaves behind, read back by every later command.
//!
//! A run starts by writing its [`Manifest`] and task list ([`Store::begin`]) before anything is sent.
//! Every attempt, final result and score is then sent to the [`Writer`] as it happens; the writer
//! commits in small batches, so a run killed at any moment keeps everything committed before it and
//! `--resume` finishes the rest. Everything the analysis reads goes through [`Reads`], so a second
//! backend (a team's PostgreSQL) shares all above the SQL; `sqlite/` is the default backend, one file
//! per output folder. [`merge`] joins the shards of a run, read through [`Reads`] from their stores,
//! into one run written like any other.

mod lock;
mod manifest;
pub mod merge;
mod records;
mod sqlite;

pub use lock::RunLock;
pub use manifest::{
    MANIFEST_FORMAT, Manifest, ProviderSnapshot, ShardRecord, SuiteRecord, TaskRecord, WholeSuite,
    content_hash, task_set_hash,
};
pub use records::{
    AttemptRecord, AttemptRow, CanaryRecord, FailureFacts, ProviderStop, Reads, ReportedModel, ResultRecord,
    ResultRow, ResultText, RunRow, RunStart, RunStatus, StartTasks, StopRow, StoredResult, StoredTask,
    TaskText, ToolUse, TurnRecord, Write,
};
pub use sqlite::{Reader, Store};

use std::path::Path;

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
