//! The read side every command uses, whatever the backend: the runs a store holds and where each
//! stands, `latest`, manifests (rebuilt for runs stored before manifests), and [`Reads`] for the
//! analysis; the SQL is the backend's ([`Queries`]).

use std::collections::HashSet;

use super::backend::{Head, Queries, StoredManifest};
use super::{
    AttemptRow, CanaryRecord, MANIFEST_FORMAT, Manifest, ProviderSnapshot, Reads, ReportedModel, ResultRow,
    ResultText, RunRow, RunStatus, StopRow, StoreError, StoredResult, SuiteRecord, TaskRecord, TaskText,
    content_hash,
};
use crate::core::{ItemKey, Outcome, RunOptions, Vote};

/// A read connection; cheap to open, one per use site.
pub struct Reader {
    queries: Box<dyn Queries>,
}

impl Reads for Reader {
    fn run(&self, run_id: &str) -> Result<Option<RunRow>, StoreError> {
        Reader::run(self, run_id)
    }
    fn manifest(&self, run_id: &str) -> Result<Manifest, StoreError> {
        Reader::manifest(self, run_id)
    }
    fn tasks(&self, run_id: &str, each: &mut dyn FnMut(TaskRecord)) -> Result<(), StoreError> {
        self.queries.tasks(run_id, each)
    }
    fn results(&self, run_id: &str, each: &mut dyn FnMut(ResultRow)) -> Result<(), StoreError> {
        self.queries.results(run_id, each)
    }
    fn stops(&self, run_id: &str) -> Result<Vec<StopRow>, StoreError> {
        self.queries.stops(run_id)
    }
    fn attempts(&self, run_id: &str, each: &mut dyn FnMut(AttemptRow)) -> Result<(), StoreError> {
        self.queries.attempts(run_id, each)
    }
    fn task_texts(&self, run_id: &str, each: &mut dyn FnMut(TaskText)) -> Result<(), StoreError> {
        self.queries.task_texts(run_id, each)
    }
    fn result_texts(&self, run_id: &str, each: &mut dyn FnMut(ResultText)) -> Result<(), StoreError> {
        self.queries.result_texts(run_id, each)
    }
    fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError> {
        self.queries.reported_models(run_id)
    }
    fn stored_results(&self, run_id: &str, each: &mut dyn FnMut(StoredResult)) -> Result<(), StoreError> {
        self.queries.stored_results(run_id, each)
    }
    fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError> {
        self.queries.canaries(run_id)
    }
}

impl Reader {
    pub(super) fn new(queries: Box<dyn Queries>) -> Reader {
        Reader { queries }
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError(format!("{}: {e}", self.queries.name()))
    }

    /// Every run, newest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, StoreError> {
        self.list(None)
    }

    /// The run with this id, if the store has it.
    pub fn run(&self, run_id: &str) -> Result<Option<RunRow>, StoreError> {
        Ok(self.list(Some(run_id))?.pop())
    }

    /// Resolve `latest` (the newest run; with `unfinished`, the newest run not finished) or an id.
    pub fn resolve(&self, run: &str, unfinished: bool) -> Result<Option<RunRow>, StoreError> {
        if run != "latest" {
            return self.run(run);
        }
        for head in self.queries.heads(None)? {
            if !unfinished || self.live_status(&head)? != RunStatus::Finished {
                return self.run(&head.run_id);
            }
        }
        Ok(None)
    }

    /// Runs (all, or the one named), newest first, with their live status and progress.
    fn list(&self, only: Option<&str>) -> Result<Vec<RunRow>, StoreError> {
        let mut rows = Vec::new();
        for head in self.queries.heads(only)? {
            let status = self.live_status(&head)?;
            let (done, cost) = self.progress(&head.run_id)?;
            let Head { run_id, created_at, command, .. } = head;
            rows.push(RunRow { run_id, created_at, status, command, done, cost });
        }
        Ok(rows)
    }

    /// A run stored as running is running only while a live process holds its lock.
    fn live_status(&self, head: &Head) -> Result<RunStatus, StoreError> {
        Ok(match head.status.as_str() {
            "finished" => RunStatus::Finished,
            "running" if self.queries.is_locked(&head.run_id)? => RunStatus::Running,
            _ => RunStatus::Interrupted,
        })
    }

    /// Items with a final result and their cost per currency.
    fn progress(&self, run_id: &str) -> Result<(u64, Vec<(String, f64)>), StoreError> {
        let manifest = self.manifest(run_id)?;
        let (mut done, mut cost) = (0u64, Vec::<(String, f64)>::new());
        for (provider, n, spent) in self.queries.spent(run_id)? {
            done += n;
            let currency = manifest.provider(&provider).map_or("USD", ProviderSnapshot::currency);
            match cost.iter_mut().find(|(c, _)| c == currency) {
                Some(entry) => entry.1 += spent,
                None => cost.push((currency.to_string(), spent)),
            }
        }
        Ok((done, cost))
    }

    /// The run's manifest: as stored, or rebuilt from the columns of a run stored before manifests.
    pub fn manifest(&self, run_id: &str) -> Result<Manifest, StoreError> {
        let Some(stored) = self.queries.stored_manifest(run_id)? else {
            return Err(self.err(format!("no run `{run_id}`")));
        };
        let StoredManifest { manifest, baseline, providers, command } = stored;
        if let Some(json) = manifest {
            return serde_json::from_str(&json)
                .map_err(|e| self.err(format!("run {run_id}: bad manifest: {e}")));
        }
        let providers: Vec<ProviderSnapshot> = serde_json::from_str(&providers)
            .map_err(|e| self.err(format!("run {run_id}: bad provider list: {e}")))?;
        self.legacy_manifest(run_id, baseline, providers, &command)
    }

    /// A manifest for a run stored by a release without manifests: providers and baseline as recorded,
    /// suites and families from its task rows, samples from its results, the vote from its command.
    fn legacy_manifest(
        &self,
        run_id: &str,
        baseline: String,
        providers: Vec<ProviderSnapshot>,
        command: &str,
    ) -> Result<Manifest, StoreError> {
        let mut tasks = Vec::new();
        self.queries.tasks(run_id, &mut |t| tasks.push(t))?;
        let mut suites: Vec<SuiteRecord> = Vec::new();
        for task in &tasks {
            match suites.iter_mut().find(|s| s.name == task.suite) {
                Some(suite) => suite.tasks += 1,
                None => suites.push(SuiteRecord {
                    name: task.suite.clone(),
                    family: task.family.clone(),
                    source: String::new(),
                    repos: None,
                    max_context: None,
                    tasks: 1,
                    content_hash: String::new(),
                }),
            }
        }
        for suite in &mut suites {
            suite.content_hash = content_hash(tasks.iter().filter(|t| t.suite == suite.name));
        }
        let vote = if command.contains("majority") { Vote::Majority } else { Vote::Mean };
        Ok(Manifest {
            format: MANIFEST_FORMAT,
            bench_version: "0.1.0 (before manifests)".into(),
            baseline,
            options: RunOptions {
                samples: self.queries.samples_seen(run_id)?,
                vote,
                max_tokens: None,
                temperature: None,
                use_cache: true,
                limit: None,
                context_threshold: crate::core::DEFAULT_CONTEXT_THRESHOLD,
            },
            providers,
            suites,
            tag: None,
            shard: None,
        })
    }

    /// Items of the run that already have a successful answer: resume skips them.
    pub fn answered(&self, run_id: &str) -> Result<HashSet<ItemKey>, StoreError> {
        self.queries.answered(run_id)
    }

    /// Answers of the run that have no score yet (a run killed between answer and score), or whose
    /// scorer could not run (a scorer error).
    pub fn unscored(&self, run_id: &str) -> Result<Vec<(ItemKey, Outcome)>, StoreError> {
        self.queries.unscored(run_id)
    }

    /// A cached answer for this key.
    pub fn cached(&self, key: &str) -> Result<Option<Outcome>, StoreError> {
        self.queries.cached(key)
    }

    /// The applied change (`model_patch` in the score detail) of every scored code-repair answer of
    /// the run, in key order; `None` where the answer held no patch that could be read.
    pub fn model_patches(&self, run_id: &str) -> Result<Vec<(ItemKey, Option<String>)>, StoreError> {
        self.queries.model_patches(run_id)
    }

    /// The ids of the runs tagged `tag`, oldest first.
    pub fn tagged(&self, tag: &str) -> Result<Vec<String>, StoreError> {
        self.queries.tagged(tag)
    }

    /// The newest run tagged `tag` that started before run `before` (any run tagged so, without
    /// `before`); never `before` itself.
    pub fn newest_tagged(&self, tag: &str, before: Option<&str>) -> Result<Option<String>, StoreError> {
        self.queries.newest_tagged(tag, before)
    }
}
