//! What the store records and hands back, whatever the backend: the write log's messages (attempts,
//! results, scores), a run as it starts, and the rows the analysis reads through [`Reads`].

use std::collections::BTreeMap;

use super::values::prompt_excerpt;
use super::{Manifest, StoreError, TaskRecord};
use crate::core::{ItemKey, Outcome, Score, Task, Usage};
use crate::provider::ProviderError;

/// One HTTP attempt (or cache hit), successful or not.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// What it answered.
    pub key: ItemKey,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Wall-clock start (RFC 3339).
    pub started_at: String,
    /// How long it took.
    pub latency_ms: f64,
    /// Time to first output token, when streamed.
    pub ttft_ms: Option<f64>,
    /// The error, for a failed attempt.
    pub error: Option<ProviderError>,
    /// Tokens billed (partial usage for a failed stream).
    pub usage: Usage,
    /// Cost of those tokens.
    pub cost: f64,
    /// Answered from the response cache.
    pub from_cache: bool,
    /// The usage was counted locally because the server reported none.
    pub usage_estimated: bool,
}

/// The final word on one item after all retries.
#[derive(Debug, Clone)]
pub struct ResultRecord {
    /// What it answered.
    pub key: ItemKey,
    /// The answer, or the error that ended the last attempt.
    pub outcome: Result<Outcome, ProviderError>,
    /// Attempts made.
    pub attempts: u32,
    /// Cost of the answer (0 for a failure).
    pub cost: f64,
    /// Answered from the response cache.
    pub from_cache: bool,
    /// Cache key under which to keep a fresh successful answer.
    pub cache_key: Option<String>,
}

/// One turn of an episode as its provider answered it, kept in the response cache so a rerun or a
/// resumed run replays the turn instead of paying for it again.
#[derive(Debug, Clone)]
pub struct TurnRecord {
    /// Cache key of the turn's request.
    pub cache_key: String,
    /// The answer to that request.
    pub outcome: Outcome,
}

/// A provider the scheduler stopped sending to before its items were done, and why: the reason the
/// report gives for the items it never sent.
#[derive(Debug, Clone)]
pub struct ProviderStop {
    /// The provider.
    pub provider: String,
    /// The error every further request would have met.
    pub error: ProviderError,
}

/// A run as it starts or resumes: written before any request is sent.
#[derive(Debug, Clone)]
pub struct RunStart<'a> {
    /// Run id (the results sub-folder's name).
    pub run_id: &'a str,
    /// The command line arguments after `bench`, for people reading `bench runs`.
    pub command: &'a str,
    /// What the run was asked to do.
    pub manifest: &'a Manifest,
    /// Its tasks; written on the first start only (a resume checked they are the same).
    pub tasks: StartTasks<'a>,
    /// Whether the run is new (else it is resumed and its manifest is kept).
    pub new: bool,
}

/// The tasks a run starts with.
#[derive(Debug, Clone, Copy)]
pub enum StartTasks<'a> {
    /// Loaded from their suites: each is recorded as its [`TaskRecord`] one at a time (a list of
    /// records beside the tasks would double what a large run holds).
    Loaded(&'a [Task]),
    /// As other runs stored them: the shards `bench merge` joins.
    Stored(&'a [StoredTask]),
}

impl<'a> StartTasks<'a> {
    /// Each task's record and prompt excerpt, in order: the rows a backend writes.
    pub fn rows(self) -> Box<dyn Iterator<Item = (TaskRecord, Option<String>)> + 'a> {
        match self {
            StartTasks::Loaded(tasks) => {
                Box::new(tasks.iter().map(|t| (TaskRecord::of(t), prompt_excerpt(t))))
            }
            StartTasks::Stored(tasks) => {
                Box::new(tasks.iter().map(|t| (t.record.clone(), t.prompt_excerpt.clone())))
            }
        }
    }
}

/// A task as a run stored it: its record and the excerpt of its prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTask {
    /// Suite, id, family, category, fingerprint, metadata.
    pub record: TaskRecord,
    /// What the reports show of its prompt (see `values::prompt_excerpt`).
    pub prompt_excerpt: Option<String>,
}

/// A final result as stored, whole (the answer with its turns and reported model, or the error),
/// with its score: what `bench merge` copies into the run it writes.
#[derive(Debug, Clone)]
pub struct StoredResult {
    /// The result as the writer takes it; no cache key (a copy is not cached again).
    pub result: ResultRecord,
    /// Its score, when it was scored.
    pub score: Option<Score>,
}

/// Messages the writer thread applies in order.
#[derive(Debug)]
pub enum Write {
    /// Record one attempt.
    Attempt(Box<AttemptRecord>),
    /// Record a final result (and cache a fresh answer).
    Result(Box<ResultRecord>),
    /// Record a score.
    Score(ItemKey, Score),
    /// Record why a provider stopped early.
    Stop(Box<ProviderStop>),
    /// Cache one turn of an episode.
    Turn(Box<TurnRecord>),
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// A live process is working on it.
    Running,
    /// Stopped before the end (Ctrl-C, a signal, a crash, `kill -9`, a reboot): `--resume` finishes it.
    Interrupted,
    /// Every item has its final result.
    Finished,
}

impl RunStatus {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Finished => "finished",
        }
    }
}

/// A run as `bench runs` lists it.
#[derive(Debug, Clone)]
pub struct RunRow {
    /// Run id.
    pub run_id: String,
    /// When it started (RFC 3339).
    pub created_at: String,
    /// Where it stands; a run stored as running whose process is gone is [`RunStatus::Interrupted`].
    pub status: RunStatus,
    /// The arguments it was started with.
    pub command: String,
    /// Items with a final result (answered or failed).
    pub done: u64,
    /// Cost of the answers so far, per currency code.
    pub cost: Vec<(String, f64)>,
}

/// One final result joined with its score: the unit the analysis aggregates.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// Which answer.
    pub key: ItemKey,
    /// Family of the task.
    pub family: String,
    /// Category of the task.
    pub category: Option<String>,
    /// The error class when the item failed for infrastructure reasons.
    pub error_class: Option<String>,
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
    /// The family's canonical form of the answer (`answer_key` in the score detail), for votes.
    pub answer_key: Option<String>,
    /// The class of a scorer error: the answer has no verdict and counts as an infrastructure failure.
    pub scorer_error: Option<String>,
    /// How the answer's episode used its tools (absent for a single request).
    pub tool_use: Option<ToolUse>,
    /// The score detail's `hallucinated`: a made-up answer where the truth is "not in the text".
    pub hallucinated: bool,
    /// What the score detail of a failed answer says about why (empty for a passed one).
    pub failure: FailureFacts,
}

/// The fields of a failed answer's score detail that name why it failed, read back for the failure
/// taxonomy (the analysis maps them to a class in one place). Each family fills the ones it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureFacts {
    /// `class` (code repair: `no_patch`, `patch_failed`, `unsafe_patch`, `tests_failed`...).
    pub class: Option<String>,
    /// `error_type` (function calling: BFCL's checker error, `type_error:simple`...).
    pub error_type: Option<String>,
    /// `method` (math: `none` when no final answer was found).
    pub method: Option<String>,
    /// `refusal` (any family: the provider's stop reason when it declined to answer).
    pub refusal: Option<String>,
}

/// How one episode used its tools: the figures the tool-use breakdown sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToolUse {
    /// Requests made.
    pub turns: u32,
    /// Tool calls made, valid or not.
    pub calls: u32,
    /// Of which invalid (bad JSON, unknown tool, schema violation).
    pub invalid: u32,
    /// Turns with more than one call at once.
    pub parallel_turns: u32,
    /// Cut at the step limit.
    pub step_limit_hit: bool,
    /// The fewest calls that solve the task, when its family knows (`min_calls` in the score detail).
    pub min_calls: Option<u32>,
    /// Whether some of the task's calls could be made at once (`parallel_possible` in the detail).
    pub parallel_possible: bool,
}

/// A provider stopped early, as the analysis reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StopRow {
    /// The provider.
    pub provider: String,
    /// The error class that stopped it.
    pub error_class: String,
    /// The error as shown (class, HTTP status, message).
    pub reason: String,
}

/// One attempt as stored, for the attempts log (`bench report --format jsonl`): every HTTP attempt
/// and cache hit of a run, retries included, so a team can audit what was sent and what it cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttemptRow {
    /// Suite of the task.
    pub suite: String,
    /// Task id within the suite.
    pub task_id: String,
    /// Provider asked.
    pub provider: String,
    /// Sample index.
    pub sample: u32,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// Wall-clock start (RFC 3339).
    pub started_at: String,
    /// How long it took.
    pub latency_ms: f64,
    /// Time to first output token, when streamed.
    pub ttft_ms: Option<f64>,
    /// Whether it produced an answer.
    pub ok: bool,
    /// The error class of a failed attempt.
    pub error_class: Option<String>,
    /// The HTTP status of a failed attempt, when there was one.
    pub http_status: Option<u16>,
    /// The error as recorded (never holds a key).
    pub error_message: Option<String>,
    /// Tokens billed (partial usage for a failed stream).
    pub usage: Usage,
    /// Cost of those tokens.
    pub cost: f64,
    /// Answered from the response cache.
    pub from_cache: bool,
    /// The usage was counted locally because the server reported none.
    pub usage_estimated: bool,
}

/// A task's prompt as the reports show it: an excerpt stored when the run started, so a report
/// needs no suite file.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskText {
    /// Suite name.
    pub suite: String,
    /// Task id within the suite.
    pub id: String,
    /// The excerpt; `None` for runs stored before excerpts were kept, or a task with no text prompt.
    pub prompt_excerpt: Option<String>,
}

/// The words behind one final result, for the reports' task tables: the answer, what the scorer
/// said, and the error of a failed item.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultText {
    /// Which answer.
    pub key: ItemKey,
    /// The answer text (the final answer of an episode); `None` for a failed item.
    pub answer: Option<String>,
    /// The score's detail as JSON text, without the applied patch of a code-repair answer.
    pub detail: Option<String>,
    /// The error that ended the item, for a failed one.
    pub error: Option<String>,
}

/// What a provider said it was over a run's answers: one row per distinct model id and system
/// fingerprint it reported, with how many answers said so. A provider whose alias moved to another
/// model shows it here first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedModel {
    /// The provider.
    pub provider: String,
    /// The model id the answers named (`None`: the wire gave none).
    pub model: Option<String>,
    /// The `system_fingerprint` the answers carried, where the wire gives one.
    pub system_fingerprint: Option<String>,
    /// Answers that reported this pair.
    pub answers: u64,
}

/// A provider's answers to the bundled canary prompts (`bench run --canary`, temperature 0), kept
/// per run so that `bench regress` can tell when the same questions start getting other answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanaryRecord {
    /// The provider.
    pub provider: String,
    /// sha256 (hex) of the answers in task-id order: equal answers, equal fingerprints.
    pub fingerprint: String,
    /// The answer to each canary task, by task id, whitespace folded.
    pub answers: BTreeMap<String, String>,
}

/// What the analysis reads of a run: one interface, so another backend (a team's PostgreSQL) shares
/// everything above the SQL.
pub trait Reads {
    /// The run with this id, if the store has it.
    fn run(&self, run_id: &str) -> Result<Option<RunRow>, StoreError>;
    /// Its manifest.
    fn manifest(&self, run_id: &str) -> Result<Manifest, StoreError>;
    /// Its tasks, in the order they were planned, handed to `each` one at a time (a large run's list
    /// is never held whole).
    fn tasks(&self, run_id: &str, each: &mut dyn FnMut(TaskRecord)) -> Result<(), StoreError>;
    /// Its final results joined with their scores, ordered by provider, suite, task id and sample,
    /// handed to `each` one at a time.
    fn results(&self, run_id: &str, each: &mut dyn FnMut(ResultRow)) -> Result<(), StoreError>;
    /// The providers stopped early in the run's latest attempt, and why.
    fn stops(&self, run_id: &str) -> Result<Vec<StopRow>, StoreError>;
    /// Every attempt of the run, ordered by provider, suite, task id, sample and attempt, handed to
    /// `each` one at a time.
    fn attempts(&self, run_id: &str, each: &mut dyn FnMut(AttemptRow)) -> Result<(), StoreError>;
    /// The prompt excerpt of each task, in the order they were planned, handed to `each` one at a time.
    fn task_texts(&self, run_id: &str, each: &mut dyn FnMut(TaskText)) -> Result<(), StoreError>;
    /// The answer, score detail and error of each final result, in the order of [`Reads::results`],
    /// handed to `each` one at a time.
    fn result_texts(&self, run_id: &str, each: &mut dyn FnMut(ResultText)) -> Result<(), StoreError>;
    /// What each provider reported itself as over the run's successful answers, by provider, then
    /// model and fingerprint.
    fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError>;
    /// The canary answers of each provider that recorded them, by provider.
    fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError>;
    /// Every final result whole, with its score, in the order of [`Reads::results`], handed to
    /// `each` one at a time: what `bench merge` copies from each shard.
    fn stored_results(&self, run_id: &str, each: &mut dyn FnMut(StoredResult)) -> Result<(), StoreError>;
}
