//! What a backend provides: the store's writes ([`Backend`]) and the queries behind a [`Reader`]
//! ([`Queries`]). The logic on top of them (which runs are live, `latest`, manifests of old runs) is
//! shared, in [`super::reader`], so the backends differ only in their SQL.
//!
//! [`Reader`]: super::Reader

use std::collections::HashSet;
use std::sync::mpsc;

use super::{
    AttemptRow, CanaryRecord, ReportedModel, ResultRow, ResultText, RunLock, RunStart, RunStatus, StopRow,
    StoreError, StoredResult, TaskRecord, TaskText, Write,
};
use crate::core::{ItemKey, Outcome};

/// The writer thread's work: apply every message of the channel, committing in batches, until it
/// closes; the error ends the run.
pub type WriteLoop = Box<dyn FnOnce(mpsc::Receiver<Write>) -> Result<(), String> + Send>;

/// A store's writes and connections.
pub trait Backend: Send + Sync {
    /// Where the runs are, for people (never with a password): the database file, or the URL.
    fn name(&self) -> String;
    /// Where a user looks for the runs: the output folder, or the URL.
    fn place(&self) -> String;
    /// A read connection.
    fn reader(&self) -> Result<Box<dyn Queries>, StoreError>;
    /// Take the run's lock (`None`: another live process holds it).
    fn lock(&self, run_id: &str) -> Result<Option<RunLock>, StoreError>;
    /// Record that a run starts or resumes (see [`super::Store::begin`]).
    fn begin(&self, start: &RunStart<'_>) -> Result<(), StoreError>;
    /// Set the run's status.
    fn set_status(&self, run_id: &str, status: RunStatus) -> Result<(), StoreError>;
    /// Keep the canary answers of a run (replacing any it had).
    fn save_canaries(&self, run_id: &str, canaries: &[CanaryRecord]) -> Result<(), StoreError>;
    /// The writer thread's loop for `run_id`, on a connection of its own.
    fn write_loop(&self, run_id: &str) -> Result<WriteLoop, StoreError>;
}

/// A run as listed: id, start, status as stored, command.
pub struct Head {
    /// Run id.
    pub run_id: String,
    /// When it started (RFC 3339).
    pub created_at: String,
    /// `running`, `interrupted` or `finished`, as last written.
    pub status: String,
    /// The arguments it was started with.
    pub command: String,
}

/// A run's manifest as stored: its JSON, or for a run stored before manifests (SQLite files of early
/// releases) the columns it had instead.
pub struct StoredManifest {
    /// The manifest's JSON (`None` before manifests).
    pub manifest: Option<String>,
    /// The baseline column.
    pub baseline: String,
    /// The providers column (JSON list of provider snapshots).
    pub providers: String,
    /// The command column.
    pub command: String,
}

/// The queries of one read connection. Every method that hands rows to `each` streams them, so a
/// large run is never held whole; orders are those [`super::Reads`] documents, with text compared
/// byte by byte in both backends.
pub trait Queries: Send {
    /// Where the runs are, for error messages.
    fn name(&self) -> String;
    /// The runs (all, or the one named), newest first.
    fn heads(&self, only: Option<&str>) -> Result<Vec<Head>, StoreError>;
    /// Whether a live process holds the run's lock.
    fn is_locked(&self, run_id: &str) -> Result<bool, StoreError>;
    /// Per provider: final results so far and their summed cost.
    fn spent(&self, run_id: &str) -> Result<Vec<(String, u64, f64)>, StoreError>;
    /// The stored manifest of a run, `None` when there is no such run.
    fn stored_manifest(&self, run_id: &str) -> Result<Option<StoredManifest>, StoreError>;
    /// One more than the highest sample index among the run's results (1 when it has none).
    fn samples_seen(&self, run_id: &str) -> Result<u32, StoreError>;
    /// The run's tasks in planned order.
    fn tasks(&self, run_id: &str, each: &mut dyn FnMut(TaskRecord)) -> Result<(), StoreError>;
    /// Items with a successful answer.
    fn answered(&self, run_id: &str) -> Result<HashSet<ItemKey>, StoreError>;
    /// Answers without a score, or whose scorer could not run.
    fn unscored(&self, run_id: &str) -> Result<Vec<(ItemKey, Outcome)>, StoreError>;
    /// The cached answer under `key`.
    fn cached(&self, key: &str) -> Result<Option<Outcome>, StoreError>;
    /// Final results joined with tasks and scores (see [`super::Reads::results`]).
    fn results(&self, run_id: &str, each: &mut dyn FnMut(ResultRow)) -> Result<(), StoreError>;
    /// Providers stopped early.
    fn stops(&self, run_id: &str) -> Result<Vec<StopRow>, StoreError>;
    /// Every attempt.
    fn attempts(&self, run_id: &str, each: &mut dyn FnMut(AttemptRow)) -> Result<(), StoreError>;
    /// Prompt excerpts in planned order.
    fn task_texts(&self, run_id: &str, each: &mut dyn FnMut(TaskText)) -> Result<(), StoreError>;
    /// Answers, details and errors, in the order of `results`.
    fn result_texts(&self, run_id: &str, each: &mut dyn FnMut(ResultText)) -> Result<(), StoreError>;
    /// The applied change of every scored code-repair answer, by provider, sample, suite and task.
    fn model_patches(&self, run_id: &str) -> Result<Vec<(ItemKey, Option<String>)>, StoreError>;
    /// The runs tagged `tag`, oldest first.
    fn tagged(&self, tag: &str) -> Result<Vec<String>, StoreError>;
    /// The newest run tagged `tag` that started before `before`.
    fn newest_tagged(&self, tag: &str, before: Option<&str>) -> Result<Option<String>, StoreError>;
    /// What each provider reported itself as.
    fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError>;
    /// The canary answers of the run.
    fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError>;
    /// Every final result whole, with its score, in the order of `results`.
    fn stored_results(&self, run_id: &str, each: &mut dyn FnMut(StoredResult)) -> Result<(), StoreError>;
}
