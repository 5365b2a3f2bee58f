//! Task families: each turns its data into [`Task`]s and scores answers to them.
//!
//! A family plugs into the pipeline at two points only, loading and scoring, and never sees the
//! scheduler or the wire. Scoring is pure and CPU-bound: the scoring pool calls it on rayon threads.

pub mod bfcl;
pub mod bundled;
pub mod context;
pub mod custom;
pub mod draw;
mod episode;
pub mod math;
pub mod repair;
mod shape;
pub mod tools;

use std::path::{Path, PathBuf};

pub use bundled::{BUNDLED, BUNDLED_DIRS};
pub use episode::{DEFAULT_STEP_LIMIT, Environment, EnvironmentError, EpisodeOutline, ToolOutput};

use futures_util::future::BoxFuture;

use crate::core::{BuiltPrompt, Outcome, Score, StopReason, Task};

/// A suite as named on the command line: which family reads which data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteSpec {
    /// Family name (`custom`, ...).
    pub family: String,
    /// Data file or folder (for a bundled suite, its name).
    pub path: PathBuf,
    /// Suite name used in reports: the file stem, or the bundled suite's name.
    pub name: String,
    /// The data of a suite shipped inside the binary.
    pub bundled: Option<&'static str>,
    /// Where the repositories of a SWE-bench suite are checked out (`--repos`).
    pub repos: Option<PathBuf>,
    /// The longest length of the bundled long-context grid (`--max-context`); `None`: its default.
    pub max_context: Option<u64>,
    /// How to name the suite again from any folder: a bundled suite's name, or
    /// `FAMILY:ABSOLUTE_PATH` (what a resumed run loads).
    pub source: String,
}

/// A suite that cannot be loaded, with every problem found (file:line: what).
#[derive(Debug, thiserror::Error)]
#[error("{}", .problems.join("\n"))]
pub struct SuiteError {
    /// One line per problem, each starting with `file:line:`.
    pub problems: Vec<String>,
}

impl SuiteError {
    /// A suite error with a single problem.
    pub fn one(problem: String) -> Self {
        SuiteError { problems: vec![problem] }
    }
}

/// A kind of task: how to load it and how to score answers to it.
pub trait Family: Send + Sync {
    /// Name used in `FAMILY:PATH` suite specs and in reports.
    fn name(&self) -> &'static str;
    /// Read a suite into tasks; every malformed entry is reported with its location.
    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError>;
    /// Score one answer to one of this family's tasks. Deterministic and CPU-bound, so it runs on
    /// the scoring pool's threads; most families are pure, code repair runs the tests in the sandbox.
    fn score(&self, task: &Task, outcome: &Outcome) -> Score;
    /// Whether `task` runs as an episode against an environment (so its outcome depends on more than
    /// its first request). False, the default, for families whose tasks are one request.
    fn runs_episodes(&self, _task: &Task) -> bool {
        false
    }
    /// Start the environment of an episode for `task`, for families whose tasks use tools over
    /// several turns. `None`, the default: the task is one request and one answer.
    fn environment<'a>(
        &'a self,
        _task: &'a Task,
    ) -> BoxFuture<'a, Result<Option<Box<dyn Environment>>, EnvironmentError>> {
        Box::pin(std::future::ready(Ok(None)))
    }
    /// The transcript `task`'s episode is expected to make, for estimates; `None` (the default) for
    /// tasks of one request, or when the family cannot tell.
    fn episode_outline(&self, _task: &Task) -> Option<EpisodeOutline> {
        None
    }
    /// Build `task`'s conversation now, when its request is sent, from its recipe: for tasks too
    /// large to hold their prompt while queued (a million-token haystack exists once per request,
    /// never once per task). `None`, the default: the task's own `system` and `messages` are sent.
    /// `Some(Err)`: the prompt cannot be built (a haystack file that changed since loading).
    fn build_prompt(&self, _task: &Task) -> Option<Result<BuiltPrompt, String>> {
        None
    }
    /// The size in o200k tokens of the prompt [`Family::build_prompt`] would build, known without
    /// building it, for token budgets, context-window checks and dry-run estimates. `None`, the
    /// default: the task's own messages are the prompt and are counted as they are.
    fn prompt_tokens(&self, _task: &Task) -> Option<u64> {
        None
    }
}

/// Problems reported before giving up on a file, so a broken file does not flood the terminal.
const MAX_PROBLEMS: usize = 20;

/// Read a JSONL suite with `parse(line, line_number)` per non-blank line. Every bad line and every
/// duplicate id is reported as `file:line: what` (up to [`MAX_PROBLEMS`]); an empty suite is an error.
/// A file whose first line shows it is not JSON Lines of this family (one JSON array, pretty-printed
/// JSON, another family's format) gets one problem saying so, and what to type instead.
pub(crate) fn load_jsonl(
    spec: &SuiteSpec,
    mut parse: impl FnMut(&str, usize) -> Result<Task, String>,
) -> Result<Vec<Task>, SuiteError> {
    use std::io::BufRead;
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut at_first_line = true;
    for (index, line) in spec.open()?.lines().enumerate() {
        let number = index + 1;
        let at = format!("{}:{number}", spec.path.display());
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                problems.push(format!("{at}: cannot read line: {e}"));
                break;
            }
        };
        let line = if index == 0 { strip_bom(&line) } else { &line };
        if line.trim().is_empty() {
            continue;
        }
        if std::mem::take(&mut at_first_line)
            && let Some(problem) = shape::whole_file(spec, line)
        {
            return Err(SuiteError::one(format!("{at}: {problem}")));
        }
        match parse(line, number) {
            Ok(task) => match seen.insert(task.id.clone(), number) {
                Some(first) => {
                    problems.push(format!("{at}: duplicate id `{}` (first on line {first})", task.id))
                }
                None => tasks.push(task),
            },
            Err(what) => problems.push(format!("{at}: {}", shape::not_an_object(spec, line).unwrap_or(what))),
        }
        if problems.len() >= MAX_PROBLEMS {
            problems.push(format!("{}: stopped after {MAX_PROBLEMS} problems", spec.path.display()));
            break;
        }
    }
    if !problems.is_empty() {
        return Err(SuiteError { problems });
    }
    if tasks.is_empty() {
        return Err(SuiteError::one(format!("{}: the suite has no tasks", spec.path.display())));
    }
    Ok(tasks)
}

/// `text` without the byte-order mark some editors and spreadsheet exports put at the start of a file.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The names of every family, in the order `bench suites list` shows them.
const NAMES: &[&str] = &[
    custom::NAME,
    math::GSM8K,
    math::MATH,
    math::AIME,
    repair::NAME,
    repair::swebench::NAME,
    repair::exercism::NAME,
    bfcl::NAME,
    tools::NAME,
    context::NAME,
];

/// Names of all families, for error messages and help.
pub fn names() -> Vec<&'static str> {
    NAMES.to_vec()
}

/// What families need from the session that opens them: today the code-repair sandbox's limits.
#[derive(Debug, Clone, Copy, Default)]
pub struct FamilyContext {
    /// Limits of every sandboxed test run (bench.toml's `[sandbox]`).
    pub sandbox: crate::sandbox::Limits,
    /// Whether sandboxed tests keep the host's network.
    pub sandbox_network: bool,
}

/// Every family, built once per session with its context: how suites are loaded and answers scored.
pub struct Registry {
    families: Vec<Box<dyn Family>>,
}

impl Default for Registry {
    /// The families with default limits, for tests and commands without a configuration.
    fn default() -> Self {
        Registry::new(FamilyContext::default())
    }
}

impl Registry {
    /// The families, each given what it needs from `context`.
    pub fn new(context: FamilyContext) -> Registry {
        let sandbox = std::sync::Arc::new(repair::SandboxCell::new(context.sandbox, context.sandbox_network));
        Registry {
            families: vec![
                Box::new(custom::Custom),
                Box::new(math::Gsm8k),
                Box::new(math::Math),
                Box::new(math::Aime),
                Box::new(repair::Repair::new(&sandbox)),
                Box::new(repair::swebench::SweBench::new(&sandbox)),
                Box::new(repair::exercism::Exercism::new(&sandbox)),
                Box::new(bfcl::Bfcl),
                Box::new(tools::Tools),
                Box::new(context::LongContext),
            ],
        }
    }

    /// The family with this name.
    pub fn get(&self, name: &str) -> Option<&dyn Family> {
        self.families.iter().map(|f| f.as_ref()).find(|f| f.name() == name)
    }

    /// Whether `task`'s family runs it as an episode.
    pub fn runs_episodes(&self, task: &Task) -> bool {
        self.get(&task.family).is_some_and(|family| family.runs_episodes(task))
    }

    /// The transcript `task`'s episode is expected to make, when its family can tell.
    pub fn episode_outline(&self, task: &Task) -> Option<EpisodeOutline> {
        self.get(&task.family).and_then(|family| family.episode_outline(task))
    }

    /// Start the environment of `task`'s episode, if its family runs tasks as episodes.
    pub fn environment<'a>(
        &'a self,
        task: &'a Task,
    ) -> BoxFuture<'a, Result<Option<Box<dyn Environment>>, EnvironmentError>> {
        match self.get(&task.family) {
            Some(family) => family.environment(task),
            None => Box::pin(std::future::ready(Ok(None))),
        }
    }

    /// The conversation `task`'s family builds for it at send time, if it builds one (see
    /// [`Family::build_prompt`]).
    pub fn build_prompt(&self, task: &Task) -> Option<Result<BuiltPrompt, String>> {
        self.get(&task.family).and_then(|family| family.build_prompt(task))
    }

    /// The size of the prompt `task`'s family would build for it, without building it (see
    /// [`Family::prompt_tokens`]).
    pub fn prompt_tokens(&self, task: &Task) -> Option<u64> {
        self.get(&task.family).and_then(|family| family.prompt_tokens(task))
    }

    /// Load a suite's tasks with its family.
    pub fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        match self.get(&spec.family) {
            Some(family) => family.load(spec),
            None => Err(SuiteError::one(format!("unknown family `{}`", spec.family))),
        }
    }

    /// Score one answer with its task's family; a task of a family this build lacks gets no verdict.
    /// When the provider said the model declined (its stop reason is a refusal or a content filter),
    /// the detail says so under `refusal`, whatever the family, for the failure taxonomy.
    pub fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        let mut score = match self.get(&task.family) {
            Some(family) => family.score(task, outcome),
            None => return Score::scorer_error("unknown_family", format!("no family `{}`", task.family)),
        };
        let declined = match outcome.stop {
            StopReason::Refusal => Some("refusal"),
            StopReason::ContentFilter => Some("content_filter"),
            _ => None,
        };
        if let (Some(reason), serde_json::Value::Object(detail)) = (declined, &mut score.detail) {
            detail.insert("refusal".into(), reason.into());
        }
        score
    }
}

/// " (did you mean `math:PATH`?)" for a mistyped family prefix, or " (did you mean `quick`?)" for a
/// mistyped bundled suite; nothing when neither is close.
fn suggest_suite(arg: &str, bundled: &[&str]) -> String {
    match arg.split_once(':') {
        Some((prefix, path)) if !NAMES.contains(&prefix) => {
            match crate::core::closest(prefix, NAMES.iter().copied()) {
                Some(family) => format!(" (did you mean `{family}:{path}`?)"),
                None => String::new(),
            }
        }
        // A file name (`math.jsonl`) is not a mistyped bundled suite.
        None if !arg.contains(['.', '/']) => crate::core::did_you_mean(arg, bundled.iter().copied()),
        _ => String::new(),
    }
}

impl SuiteSpec {
    /// Parse a `--suite` argument: `FAMILY:PATH`, a path to a `.jsonl` file of the team's own prompts,
    /// or the name of a bundled suite (see [`BUNDLED`]) when no such file exists.
    pub fn parse(arg: &str) -> Result<SuiteSpec, SuiteError> {
        if let Some((name, family, text, _)) = BUNDLED.iter().find(|b| b.0 == arg)
            && !Path::new(arg).exists()
        {
            return Ok(SuiteSpec {
                family: family.to_string(),
                path: PathBuf::from(format!("{name} (bundled)")),
                name: name.to_string(),
                bundled: Some(text),
                repos: None,
                max_context: None,
                source: name.to_string(),
            });
        }
        if let Some((name, family, files, _)) = BUNDLED_DIRS.iter().find(|b| b.0 == arg)
            && !Path::new(arg).exists()
        {
            let path = bundled::unpack(name, files)?;
            return Ok(SuiteSpec {
                family: family.to_string(),
                path,
                name: name.to_string(),
                bundled: None,
                repos: None,
                max_context: None,
                source: name.to_string(),
            });
        }
        let (family, path) = match arg.split_once(':') {
            Some((family, path)) if NAMES.contains(&family) => (family.to_string(), PathBuf::from(path)),
            _ => (custom::NAME.to_string(), PathBuf::from(arg)),
        };
        if !path.exists() {
            let bundled: Vec<&str> =
                BUNDLED.iter().map(|b| b.0).chain(BUNDLED_DIRS.iter().map(|b| b.0)).collect();
            return Err(SuiteError::one(format!(
                "suite `{arg}`: no such file{}; expected a JSONL file of prompts, FAMILY:PATH with FAMILY one of: {}, or a bundled suite: {}",
                suggest_suite(arg, &bundled),
                names().join(", "),
                bundled.join(", ")
            )));
        }
        let name = Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| arg.into());
        let absolute = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let source = format!("{family}:{}", absolute.display());
        Ok(SuiteSpec { family, path, name, bundled: None, repos: None, max_context: None, source })
    }

    /// The suite's data as lines of text: the bundled text, or the file.
    pub fn open(&self) -> Result<Box<dyn std::io::BufRead>, SuiteError> {
        match self.bundled {
            Some(text) => Ok(Box::new(text.as_bytes())),
            None => std::fs::File::open(&self.path)
                .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn std::io::BufRead>)
                .map_err(|e| SuiteError::one(format!("{}: cannot open suite: {e}", self.path.display()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_such_suite(arg: &str) -> String {
        SuiteSpec::parse(arg).unwrap_err().to_string()
    }

    #[test]
    fn a_declined_answer_is_marked_as_a_refusal_in_any_familys_detail() {
        let task = Task {
            id: "1".into(),
            suite: "s".into(),
            family: custom::NAME.into(),
            category: None,
            system: None,
            messages: Vec::new(),
            tools: Vec::new(),
            max_tokens: None,
            expected: serde_json::json!("42"),
            meta: serde_json::json!({"match": "exact"}),
            recipe: None,
        };
        let registry = Registry::default();
        let answer = |stop| Outcome { text: "I can't help with that.".into(), stop, ..Outcome::default() };
        let refused = registry.score(&task, &answer(StopReason::Refusal));
        assert_eq!((refused.passed, refused.detail["refusal"].as_str()), (false, Some("refusal")));
        let filtered = registry.score(&task, &answer(StopReason::ContentFilter));
        assert_eq!(filtered.detail["refusal"].as_str(), Some("content_filter"));
        let wrong = registry.score(&task, &answer(StopReason::EndTurn));
        assert!(!wrong.passed && wrong.detail.get("refusal").is_none(), "{}", wrong.detail);
    }

    #[test]
    fn a_mistyped_suite_or_family_gets_a_suggestion() {
        assert!(no_such_suite("quik").contains("suite `quik`: no such file (did you mean `quick`?);"));
        assert!(no_such_suite("repiar").contains("(did you mean `repair`?)"));
        let typo = no_such_suite("maht:fresh.jsonl");
        assert!(typo.contains("(did you mean `math:fresh.jsonl`?)"), "{typo}");
        assert!(typo.contains("custom, gsm8k, math"), "still lists the families: {typo}");
        for arg in ["math:missing.jsonl", "math.jsonl", "prompts.jsonl", "zzzz"] {
            assert!(!no_such_suite(arg).contains("did you mean"), "{arg}: {}", no_such_suite(arg));
        }
    }
}
