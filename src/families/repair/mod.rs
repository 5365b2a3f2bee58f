//! Code repair, SWE-bench style: a repository and an issue go in, a patch comes out, and the patch is
//! applied ([`patch`]) and the tests run in a sandbox ([`crate::sandbox`]) to grade it ([`grading`]).
//!
//! Three suite formats feed the same evaluation: the family's own task folders (`repair:DIR`,
//! [`folder`]), SWE-bench instances against local checkouts (`swebench:FILE --repos DIR`,
//! [`swebench`]), and Exercism exercises as in aider's polyglot benchmark (`exercism:DIR`,
//! [`exercism`]).
//!
//! The score is pass/fail (resolved or not); the detail keeps the failure classes apart:
//! `no_patch`, `unsafe_patch`, `patch_failed`, `tests_failed`, `timed_out`, `sandbox_limit`, and
//! carries the applied change as a clean diff (`model_patch`) for SWE-bench prediction files.

pub mod exercism;
pub mod folder;
pub mod grading;
pub mod mutate;
pub mod patch;
pub mod source;
pub mod swebench;

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::json;

pub use folder::{NAME, Repair, load_task_dir};
pub use source::Source;

use crate::core::{Message, Outcome, Score, Task};
use crate::sandbox::{Ending, Limits, Sandbox};

/// Source shown in a prompt, at most, for small projects (the task's files, in order, while they fit).
const PROMPT_SOURCE_BUDGET: usize = 48 * 1024;

/// What scoring needs, carried in `Task::expected`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepairSpec {
    /// The repository snapshot the model's patch is made against.
    pub source: Source,
    /// A folder of test files to lay over the repository before testing.
    pub hidden: Option<PathBuf>,
    /// Files put back as the snapshot has them after the model's patch (tests it must not change).
    #[serde(default)]
    pub restore: Vec<String>,
    /// A diff applied after that (SWE-bench's `test_patch`).
    #[serde(default)]
    pub test_patch: Option<String>,
    /// Shell command that runs the tests from the repository root.
    pub test_command: String,
    /// How to read the test output.
    pub framework: grading::Framework,
    /// Tests that must go from failing to passing. With both lists empty, the run must exit 0 with
    /// at least one test run and none failed (the Exercism rule).
    pub fail_to_pass: Vec<String>,
    /// Tests that must keep passing.
    pub pass_to_pass: Vec<String>,
    /// Wall-clock limit of the test run.
    pub timeout_s: u64,
}

/// How the model is asked to answer.
const ANSWER_FORMAT: &str = "Fix the issue. Answer with a unified diff against the repository root \
(`--- a/path` / `+++ b/path` headers, in a ```diff block), or with SEARCH/REPLACE blocks: the file \
path on its own line, then `<<<<<<< SEARCH`, the exact lines to replace, `=======`, the new lines, \
`>>>>>>> REPLACE`. Do not change the tests.";

/// A prompt: `intro`, then the `files` (path, content) that fit in `budget` bytes, in order, then how
/// to answer. A file that does not fit is named, so the model knows it exists.
fn prompt(intro: &str, files: &[(String, String)], mut budget: usize) -> String {
    let mut prompt = intro.to_string();
    for (rel, content) in files {
        if content.len() > budget {
            prompt.push_str(&format!("\n(`{rel}` left out: over the prompt budget)\n"));
            continue;
        }
        budget -= content.len();
        let newline = if content.ends_with('\n') { "" } else { "\n" };
        prompt.push_str(&format!("\n`{rel}`:\n```\n{content}{newline}```\n"));
    }
    prompt.push('\n');
    prompt.push_str(ANSWER_FORMAT);
    prompt
}

/// A repair task as every importer makes it.
fn repair_task(
    id: String,
    suite: &str,
    family: &str,
    category: Option<String>,
    prompt: String,
    spec: &RepairSpec,
) -> Result<Task, String> {
    Ok(Task {
        id,
        suite: suite.to_string(),
        family: family.into(),
        category,
        system: None,
        messages: vec![Message::user(prompt)],
        tools: Vec::new(),
        max_tokens: Some(4096),
        expected: serde_json::to_value(spec).map_err(|e| e.to_string())?,
        meta: serde_json::Value::Null,
        recipe: None,
    })
}

/// The sandbox of one session's code-repair evaluations, made on first use with the session's limits
/// (bench.toml's `[sandbox]`), so a run without repair tasks never sets one up.
pub struct SandboxCell {
    limits: Limits,
    allow_network: bool,
    sandbox: OnceLock<Result<Sandbox, String>>,
}

impl SandboxCell {
    /// A cell that will make a sandbox with these limits.
    pub fn new(limits: Limits, allow_network: bool) -> Self {
        SandboxCell { limits, allow_network, sandbox: OnceLock::new() }
    }

    fn get(&self) -> Result<&Sandbox, String> {
        self.sandbox
            .get_or_init(|| {
                Sandbox::new(self.limits)
                    .map(|s| Sandbox { allow_network: self.allow_network, ..s })
                    .map_err(|e| format!("no sandbox: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn failure(class: &str, reason: impl Into<String>) -> Score {
    Score::pass_fail(false, json!({"class": class, "reason": reason.into()}))
}

/// Scores an answer to a task of any repair format.
fn score(sandbox: &SandboxCell, task: &Task, outcome: &Outcome) -> Score {
    match serde_json::from_value::<RepairSpec>(task.expected.clone()) {
        Ok(spec) => evaluate(sandbox, &spec, &outcome.text),
        Err(e) => Score::scorer_error("bad_task", e.to_string()),
    }
}

/// Finds the patch in `answer` and grades it (see [`evaluate_edit`]).
pub fn evaluate(sandbox: &SandboxCell, spec: &RepairSpec, answer: &str) -> Score {
    let Some(edit) = patch::find_edit(answer) else {
        let mut score = failure("no_patch", "no unified diff or SEARCH/REPLACE block in the answer");
        score.detail["model_patch"] = json!("");
        return score;
    };
    match sandbox.get() {
        Ok(sandbox) => evaluate_edit(sandbox, spec, Some(&edit)),
        Err(e) => Score::scorer_error("sandbox_error", e),
    }
}

/// Applies `edit` (none: the repository as it is) to a fresh copy of the repository, puts the tests
/// in place (hidden files, restored files, test patch), runs the test command in `sandbox`, and
/// grades the result as SWE-bench does.
pub fn evaluate_edit(sandbox: &Sandbox, spec: &RepairSpec, edit: Option<&patch::Edit>) -> Score {
    let mut score = run_and_grade(sandbox, spec, edit);
    // What the model wrote, for prediction files, when the change itself could not be taken.
    if score.detail.get("model_patch").is_none()
        && let Some(patch::Edit::Diff(diff)) = edit
    {
        score.detail["model_patch"] = json!(diff);
    }
    score
}

fn run_and_grade(sandbox: &Sandbox, spec: &RepairSpec, edit: Option<&patch::Edit>) -> Score {
    let work = match spec.source.materialize() {
        Ok(w) => w,
        Err(e) => return Score::scorer_error("sandbox_error", e),
    };
    if let Some(reason) = edit.and_then(|e| patch::unsafe_reason(e, work.path())) {
        return failure("unsafe_patch", reason);
    }
    let (rung, model_patch) = match edit {
        None => ("none", String::new()),
        Some(edit) => match patch::apply(edit, work.path()) {
            Ok(rung) => {
                let changed =
                    patch::changes_as_diff(&patch::touched_paths(edit), |p| spec.source.read(p), work.path());
                (rung, changed)
            }
            Err(e) => return failure("patch_failed", e),
        },
    };
    if let Err(e) = prepare_tests(spec, work.path()) {
        return Score::scorer_error("bad_task", e);
    }
    // A long test run may also use that much CPU; the wall-clock limit still bounds it.
    let limits = Limits {
        wall: std::time::Duration::from_secs(spec.timeout_s),
        cpu_s: sandbox.limits.cpu_s.max(spec.timeout_s),
        ..sandbox.limits
    };
    let run = match (Sandbox { limits, ..sandbox.clone() }).run(work.path(), &spec.test_command) {
        Ok(run) => run,
        Err(e) => return Score::scorer_error("sandbox_error", e.to_string()),
    };
    let statuses = grading::parse_log(spec.framework, &run.output);
    let grade = grading::grade(&statuses, &spec.fail_to_pass, &spec.pass_to_pass);
    let resolved = if spec.fail_to_pass.is_empty() && spec.pass_to_pass.is_empty() {
        run.succeeded() && grading::all_ran_and_passed(&statuses)
    } else {
        grade.resolved
    };
    let class = if resolved {
        "resolved"
    } else if run.ending == Ending::TimedOut {
        "timed_out"
    } else if run.limit.is_some() {
        "sandbox_limit"
    } else {
        "tests_failed"
    };
    let tail_start = run.output.char_indices().rev().nth(1999).map_or(0, |(i, _)| i);
    Score::pass_fail(
        resolved,
        json!({
            "class": class, "rung": rung, "grade": grade, "ending": run.ending, "limit": run.limit,
            "tests_seen": statuses.len(), "test_seconds": run.elapsed.as_secs_f64(),
            "output_tail": &run.output[tail_start..], "model_patch": model_patch,
        }),
    )
}

/// Puts the tests in place after the model's patch: the hidden folder over the copy, the files the
/// model must not change back as the snapshot has them, then the test patch.
fn prepare_tests(spec: &RepairSpec, dir: &std::path::Path) -> Result<(), String> {
    if let Some(hidden) = &spec.hidden {
        crate::sandbox::copy_tree(hidden, dir)
            .map_err(|e| format!("cannot lay the hidden tests over the copy: {e}"))?;
    }
    for rel in &spec.restore {
        let target = dir.join(rel);
        match spec.source.read(rel) {
            Some(bytes) => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| format!("{rel}: {e}"))?;
                }
                std::fs::write(&target, bytes).map_err(|e| format!("cannot restore {rel}: {e}"))?;
            }
            None => match std::fs::remove_file(&target) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(format!("cannot remove {rel}: {e}"));
                }
                _ => {}
            },
        }
    }
    if let Some(test_patch) = &spec.test_patch {
        patch::apply(&patch::Edit::Diff(test_patch.clone()), dir)
            .map_err(|e| format!("the test patch does not apply: {e}"))?;
    }
    Ok(())
}
