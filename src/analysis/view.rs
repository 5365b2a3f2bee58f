//! The run view: everything the summary and the renderers need, loaded from the store alone (no
//! `bench.toml`, no suite files, no live providers), through the store's read interface.
//!
//! A large run has hundreds of thousands of results, so the view keeps them compact: each row refers
//! to its task by index and to its provider, error class and answer key by [`Name`], a number for a
//! string kept once in the view, and holds only the figures the summary reads. The store streams its
//! tasks and results into the view one at a time; no list of full records is ever held.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::core::Usage;
use crate::store::{Manifest, Reads, ResultRow, RunRow, StopRow, StoreError, TaskRecord, ToolUse};

/// A string (suite, category, provider, error class, answer key) kept once in a [`RunView`]; equal
/// strings have equal names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(u32);

impl Name {
    /// The name's number, unique within its view.
    pub fn number(self) -> u32 {
        self.0
    }
}

/// One task of the run.
#[derive(Debug, Clone)]
pub struct ViewTask {
    /// Its suite.
    pub suite: Name,
    /// Its id within the suite.
    pub id: Box<str>,
    /// Its category, if it has one.
    pub category: Option<Name>,
    /// In the run's task list (false for a task that only a result names).
    pub listed: bool,
    /// Where a long-context task sits in its grid (from its metadata).
    pub context: Option<ContextCell>,
    /// A hash of the task's fingerprint (what is asked and how it is judged), to tell whether two
    /// runs asked the same thing; 0 for a task only a result names.
    pub fingerprint: u64,
}

/// A long-context task's place in the grid: its haystack length, the needle's depth and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextCell {
    /// Haystack length in tokens (o200k).
    pub length: u64,
    /// Needle depth, percent of the haystack (0: the start); `None` for kinds spread through the
    /// whole text (`aggregate`).
    pub depth: Option<u32>,
    /// Task kind (`niah_single`, `absent`, ...).
    pub kind: Name,
}

/// One final result with its score, as the summary reads it.
#[derive(Debug, Clone)]
pub struct ViewRow {
    /// Index of its task in [`RunView::tasks`].
    pub task: u32,
    /// The provider that answered.
    pub provider: Name,
    /// Sample number.
    pub sample: u32,
    /// The error class when the item failed for infrastructure reasons.
    pub error_class: Option<Name>,
    /// Tokens of the answer.
    pub usage: Usage,
    /// Whether the usage was counted locally because the server reported none.
    pub usage_estimated: bool,
    /// Cost of the answer.
    pub cost: f64,
    /// End-to-end latency.
    pub latency_ms: Option<f64>,
    /// Time to first token.
    pub ttft_ms: Option<f64>,
    /// Score value, when scored.
    pub score: Option<f64>,
    /// Pass/fail, when scored.
    pub passed: Option<bool>,
    /// The family's canonical form of the answer, for votes.
    pub answer_key: Option<Name>,
    /// The class of a scorer error: the answer has no verdict and counts as an infrastructure failure.
    pub scorer_error: Option<Name>,
    /// How the answer's episode used its tools (absent for a single request).
    pub tool_use: Option<ToolUse>,
    /// The scorer found a confident answer to a question whose needle is absent.
    pub hallucinated: bool,
    /// The capability class of a failed answer (see [`super::failures`]); `None` when it passed, was
    /// not scored, or was lost to an infrastructure failure.
    pub failure: Option<Name>,
}

/// One stored run, as the analysis sees it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Id, start time, status.
    pub run: RunRow,
    /// What the run was asked to do.
    pub manifest: Manifest,
    /// Its tasks in the order they were planned, then any task a result names that the list lacks.
    pub tasks: Vec<ViewTask>,
    /// Every final result with its score, in the order given (the store's: provider, suite, task id,
    /// sample).
    pub rows: Vec<ViewRow>,
    /// Providers stopped early in the run's latest attempt, and why.
    pub stops: Vec<StopRow>,
    /// The strings behind [`Name`]s, by number.
    names: Vec<Box<str>>,
    /// Numbers of the strings, while the view is built.
    name_index: HashMap<Box<str>, u32>,
    /// Task index by (suite, id), while the view is built.
    task_index: HashMap<(Name, Box<str>), u32>,
}

impl RunView {
    /// Load run `run_id` (which must exist) through `store`.
    pub fn load(store: &dyn Reads, run_id: &str) -> Result<RunView, StoreError> {
        let run = store.run(run_id)?.ok_or_else(|| StoreError(format!("no run `{run_id}` in the store")))?;
        let mut view = RunView::empty(run, store.manifest(run_id)?);
        store.tasks(run_id, &mut |task| view.add_task(&task))?;
        store.results(run_id, &mut |row| view.add_row(row))?;
        view.stops = store.stops(run_id)?;
        Ok(view.built())
    }

    /// A view of `tasks` and `rows` (rows in the store's order, for the same sums).
    pub fn new(
        run: RunRow,
        manifest: Manifest,
        tasks: impl IntoIterator<Item = TaskRecord>,
        rows: impl IntoIterator<Item = ResultRow>,
    ) -> RunView {
        let mut view = RunView::empty(run, manifest);
        tasks.into_iter().for_each(|task| view.add_task(&task));
        rows.into_iter().for_each(|row| view.add_row(row));
        view.built()
    }

    fn empty(run: RunRow, manifest: Manifest) -> RunView {
        RunView {
            run,
            manifest,
            tasks: Vec::new(),
            rows: Vec::new(),
            stops: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            task_index: HashMap::new(),
        }
    }

    /// The view once every task and row is in: the lookups only building needs are dropped.
    fn built(mut self) -> RunView {
        self.name_index = HashMap::new();
        self.task_index = HashMap::new();
        self.tasks.shrink_to_fit();
        self.rows.shrink_to_fit();
        self
    }

    /// The string behind `name`.
    pub fn name(&self, name: Name) -> &str {
        usize::try_from(name.0).ok().and_then(|i| self.names.get(i)).map_or("", |s| s)
    }

    /// The name of `text`, if the view has it.
    pub fn find_name(&self, text: &str) -> Option<Name> {
        self.names.iter().position(|n| **n == *text).and_then(|i| u32::try_from(i).ok()).map(Name)
    }

    fn intern(&mut self, text: &str) -> Name {
        if let Some(&n) = self.name_index.get(text) {
            return Name(n);
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(text.into());
        self.name_index.insert(text.into(), n);
        Name(n)
    }

    /// The index of task (suite, id), added as unlisted when the view lacks it.
    fn task_of(&mut self, suite: &str, id: &str) -> u32 {
        let suite = self.intern(suite);
        // A lookup by borrowed parts would need a custom key type; ids are short, so a key is built.
        let key = (suite, Box::<str>::from(id));
        if let Some(&i) = self.task_index.get(&key) {
            return i;
        }
        let i = u32::try_from(self.tasks.len()).unwrap_or(u32::MAX);
        self.tasks.push(ViewTask {
            suite,
            id: key.1.clone(),
            category: None,
            listed: false,
            context: None,
            fingerprint: 0,
        });
        self.task_index.insert(key, i);
        i
    }

    /// Add a task of the run's list; a task listed twice keeps its last category.
    fn add_task(&mut self, record: &TaskRecord) {
        let i = self.task_of(&record.suite, &record.id);
        let category = record.category.as_deref().map(|c| self.intern(c));
        let context = (record.family == crate::families::context::NAME)
            .then(|| self.context_cell(&record.meta))
            .flatten();
        if let Some(task) = usize::try_from(i).ok().and_then(|i| self.tasks.get_mut(i)) {
            task.category = category;
            task.listed = true;
            task.context = context;
            task.fingerprint = fingerprint_hash(&record.fingerprint);
        }
    }

    /// The grid cell in a long-context task's metadata: `{"kind": ..., "length": 4096, "depth": 50}`.
    fn context_cell(&mut self, meta: &serde_json::Value) -> Option<ContextCell> {
        let length = meta.get("length")?.as_u64()?;
        let depth = meta.get("depth").and_then(serde_json::Value::as_u64).map(|d| d.min(100) as u32);
        let kind = self.intern(meta.get("kind")?.as_str()?);
        Some(ContextCell { length, depth, kind })
    }

    fn add_row(&mut self, row: ResultRow) {
        let task = self.task_of(&row.key.suite, &row.key.task_id);
        let failure = super::failures::capability_failure(&row).map(|c| self.intern(c.as_str()));
        let row = ViewRow {
            task,
            provider: self.intern(&row.key.provider),
            sample: row.key.sample,
            error_class: row.error_class.as_deref().map(|c| self.intern(c)),
            usage: row.usage,
            usage_estimated: row.usage_estimated,
            cost: row.cost,
            latency_ms: row.latency_ms,
            ttft_ms: row.ttft_ms,
            score: row.score,
            passed: row.passed,
            answer_key: row.answer_key.as_deref().map(|k| self.intern(k)),
            scorer_error: row.scorer_error.as_deref().map(|c| self.intern(c)),
            tool_use: row.tool_use,
            hallucinated: row.hallucinated,
            failure,
        };
        self.rows.push(row);
    }

    /// The family of the suite named `suite` (from the manifest), or `unknown`.
    pub fn family_of(&self, suite: Name) -> &str {
        let name = self.name(suite);
        self.manifest.suites.iter().find(|s| s.name == name).map_or("unknown", |s| s.family.as_str())
    }

    /// Indices of the tasks ordered by (suite, id) as strings: the order of every per-task list in the
    /// summary.
    pub fn task_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.tasks.len()).filter_map(|i| u32::try_from(i).ok()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.tasks[a as usize], &self.tasks[b as usize]);
            (self.name(a.suite), &*a.id).cmp(&(self.name(b.suite), &*b.id))
        });
        order
    }
}

/// A fingerprint (sha256 hex) folded to 8 bytes: enough to tell changed tasks apart, a fraction of the
/// memory of the text. Stable within a build, which is all a comparison of two loaded runs needs.
fn fingerprint_hash(fingerprint: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    fingerprint.hash(&mut hasher);
    hasher.finish()
}
