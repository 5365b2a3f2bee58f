//! The run view: everything the summary and the renderers need, loaded from the store alone (no
//! `bench.toml`, no suite files, no live providers), through the store's read interface.

use crate::store::{Manifest, Reads, ResultRow, RunRow, StoreError, TaskRecord};

/// One stored run, as the analysis sees it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Id, start time, status.
    pub run: RunRow,
    /// What the run was asked to do.
    pub manifest: Manifest,
    /// Its tasks.
    pub tasks: Vec<TaskRecord>,
    /// Every final result with its score.
    pub rows: Vec<ResultRow>,
}

impl RunView {
    /// Load run `run_id` (which must exist) through `store`.
    pub fn load(store: &dyn Reads, run_id: &str) -> Result<RunView, StoreError> {
        let run = store.run(run_id)?.ok_or_else(|| StoreError(format!("no run `{run_id}` in the store")))?;
        Ok(RunView {
            run,
            manifest: store.manifest(run_id)?,
            tasks: store.tasks(run_id)?,
            rows: store.results(run_id)?,
        })
    }
}
