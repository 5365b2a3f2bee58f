//! Code repair, SWE-bench style: a repository and an issue go in, a patch comes out, and the patch is
//! applied ([`patch`]) and the tests run in a sandbox ([`crate::sandbox`]) to grade it ([`grading`]).
//!
//! A suite (`--suite repair:DIR`) is a folder of tasks, one sub-folder each:
//!
//! ```text
//! DIR/<task-id>/task.toml   issue, test_command, framework, fail_to_pass, pass_to_pass, files, category
//! DIR/<task-id>/repo/       the repository as the model sees it
//! DIR/<task-id>/hidden/     test files copied over the repository before the tests run (optional)
//! DIR/<task-id>/fix.patch   the reference fix (optional; used by the suite's own checks)
//! ```
//!
//! The score is pass/fail (resolved or not); the detail keeps the failure classes apart:
//! `no_patch`, `unsafe_patch`, `patch_failed`, `tests_failed`, `timed_out`, `sandbox_limit`.

pub mod grading;
pub mod patch;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Family, Score, SuiteError, SuiteSpec};
use crate::provider::Outcome;
use crate::sandbox::{Ending, Limits, Sandbox, WorkDir};
use crate::task::{Message, Task};

/// The family's name in `repair:DIR` suite specs.
pub const NAME: &str = "repair";

/// Source shown in a prompt, at most (the files named in `files`, in order, until the budget is spent).
const PROMPT_SOURCE_BUDGET: usize = 48 * 1024;

/// `task.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    issue: String,
    test_command: String,
    framework: Option<String>,
    #[serde(default)]
    fail_to_pass: Vec<String>,
    #[serde(default)]
    pass_to_pass: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    category: Option<String>,
    timeout_s: Option<u64>,
}

/// What scoring needs, carried in `Task::expected`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepairSpec {
    /// The repository snapshot.
    pub repo: PathBuf,
    /// Test files to lay over the repository before testing.
    pub hidden: Option<PathBuf>,
    /// Shell command that runs the tests from the repository root.
    pub test_command: String,
    /// How to read the test output.
    pub framework: grading::Framework,
    /// Tests that must go from failing to passing.
    pub fail_to_pass: Vec<String>,
    /// Tests that must keep passing.
    pub pass_to_pass: Vec<String>,
    /// Wall-clock limit of the test run.
    pub timeout_s: u64,
}

/// The code-repair family.
pub struct Repair;

/// How the model is asked to answer.
const ANSWER_FORMAT: &str = "Fix the issue. Answer with a unified diff against the repository root \
(`--- a/path` / `+++ b/path` headers, in a ```diff block), or with SEARCH/REPLACE blocks: the file \
path on its own line, then `<<<<<<< SEARCH`, the exact lines to replace, `=======`, the new lines, \
`>>>>>>> REPLACE`. Do not change the tests.";

/// Loads one task folder as a task of `suite` (also used by the suite's own checks).
pub fn load_task_dir(dir: &Path, suite: &str) -> Result<Task, String> {
    let id = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let toml_path = dir.join("task.toml");
    let text = std::fs::read_to_string(&toml_path).map_err(|e| format!("{}: {e}", toml_path.display()))?;
    let file: TaskFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", toml_path.display()))?;
    let repo = dir.join("repo");
    if !repo.is_dir() {
        return Err(format!("{}: no repo/ folder", dir.display()));
    }
    let framework = match &file.framework {
        Some(name) => name.parse().map_err(|e| format!("{}: {e}", toml_path.display()))?,
        None => grading::infer_framework(&file.test_command).ok_or_else(|| {
            format!("{}: set `framework`; it cannot be told from the test command", toml_path.display())
        })?,
    };
    let mut prompt =
        format!("You are working in a repository. An issue was reported:\n\n{}\n", file.issue.trim());
    let mut budget = PROMPT_SOURCE_BUDGET;
    for rel in &file.files {
        let content = std::fs::read_to_string(repo.join(rel))
            .map_err(|e| format!("{}: files: {rel}: {e}", toml_path.display()))?;
        if content.len() > budget {
            prompt.push_str(&format!("\n(`{rel}` and further files left out: over the prompt budget)\n"));
            break;
        }
        budget -= content.len();
        prompt.push_str(&format!("\n`{rel}`:\n```\n{content}```\n"));
    }
    prompt.push('\n');
    prompt.push_str(ANSWER_FORMAT);
    let hidden = dir.join("hidden");
    let spec = RepairSpec {
        repo,
        hidden: hidden.is_dir().then_some(hidden),
        test_command: file.test_command,
        framework,
        fail_to_pass: file.fail_to_pass,
        pass_to_pass: file.pass_to_pass,
        timeout_s: file.timeout_s.unwrap_or(300),
    };
    Ok(Task {
        id,
        suite: suite.to_string(),
        family: NAME.into(),
        category: file.category,
        system: None,
        messages: vec![Message::user(prompt)],
        tools: Vec::new(),
        max_tokens: Some(4096),
        expected: serde_json::to_value(&spec).map_err(|e| e.to_string())?,
        meta: serde_json::Value::Null,
    })
}

/// The sandbox every evaluation shares (launched through the running `bench` executable).
fn sandbox() -> Result<&'static Sandbox, String> {
    static SANDBOX: OnceLock<Result<Sandbox, String>> = OnceLock::new();
    SANDBOX
        .get_or_init(|| Sandbox::new(Limits::default()).map_err(|e| format!("no sandbox: {e}")))
        .as_ref()
        .map_err(Clone::clone)
}

fn failure(class: &str, reason: impl Into<String>) -> Score {
    Score::pass_fail(false, json!({"class": class, "reason": reason.into()}))
}

/// Finds the patch in `answer` and grades it (see [`evaluate_edit`]).
pub fn evaluate(spec: &RepairSpec, answer: &str) -> Score {
    let Some(edit) = patch::find_edit(answer) else {
        return failure("no_patch", "no unified diff or SEARCH/REPLACE block in the answer");
    };
    match sandbox() {
        Ok(sandbox) => evaluate_edit(sandbox, spec, Some(&edit)),
        Err(e) => failure("sandbox_error", e),
    }
}

/// Applies `edit` (none: the repository as it is) to a fresh copy of the repository, lays the hidden
/// tests over it, runs the test command in `sandbox`, and grades the result as SWE-bench does.
pub fn evaluate_edit(sandbox: &Sandbox, spec: &RepairSpec, edit: Option<&patch::Edit>) -> Score {
    if let Some(reason) = edit.and_then(|e| patch::unsafe_reason(e, &spec.repo)) {
        return failure("unsafe_patch", reason);
    }
    let work = match WorkDir::copy_of(&spec.repo) {
        Ok(w) => w,
        Err(e) => return failure("sandbox_error", format!("cannot copy the repository: {e}")),
    };
    let rung = match edit.map(|e| patch::apply(e, work.path())).transpose() {
        Ok(rung) => rung.unwrap_or("none"),
        Err(e) => return failure("patch_failed", e),
    };
    if let Some(hidden) = &spec.hidden
        && let Err(e) = crate::sandbox::copy_tree(hidden, work.path())
    {
        return failure("sandbox_error", format!("cannot lay the hidden tests over the copy: {e}"));
    }
    let limits = Limits { wall: std::time::Duration::from_secs(spec.timeout_s), ..sandbox.limits };
    let run = match (Sandbox { limits, ..sandbox.clone() }).run(work.path(), &spec.test_command) {
        Ok(run) => run,
        Err(e) => return failure("sandbox_error", e.to_string()),
    };
    let statuses = grading::parse_log(spec.framework, &run.output);
    let grade = grading::grade(&statuses, &spec.fail_to_pass, &spec.pass_to_pass);
    let class = if grade.resolved {
        "resolved"
    } else if run.ending == Ending::TimedOut {
        "timed_out"
    } else if run.limit.is_some() {
        "sandbox_limit"
    } else {
        "tests_failed"
    };
    let tail_start = run.output.char_indices().rev().nth(1999).map_or(0, |(i, _)| i);
    let tail = &run.output[tail_start..];
    Score::pass_fail(
        grade.resolved,
        json!({
            "class": class, "rung": rung, "grade": grade, "ending": run.ending, "limit": run.limit,
            "test_seconds": run.elapsed.as_secs_f64(), "output_tail": tail,
        }),
    )
}

impl Family for Repair {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        let entries = std::fs::read_dir(&spec.path).map_err(|e| {
            SuiteError::one(format!("{}: cannot read the suite folder: {e}", spec.path.display()))
        })?;
        let mut dirs: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.join("task.toml").is_file()).collect();
        dirs.sort();
        let (mut tasks, mut problems) = (Vec::new(), Vec::new());
        for dir in dirs {
            match load_task_dir(&dir, &spec.name) {
                Ok(task) => tasks.push(task),
                Err(problem) => problems.push(problem),
            }
        }
        if !problems.is_empty() {
            return Err(SuiteError { problems });
        }
        if tasks.is_empty() {
            return Err(SuiteError::one(format!(
                "{}: no task folders (each needs a task.toml)",
                spec.path.display()
            )));
        }
        Ok(tasks)
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        match serde_json::from_value::<RepairSpec>(task.expected.clone()) {
            Ok(spec) => evaluate(&spec, &outcome.text),
            Err(e) => Score::pass_fail(false, json!({"class": "bad_task", "reason": e.to_string()})),
        }
    }
}
