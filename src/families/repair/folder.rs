//! The repair family's own task format (`--suite repair:DIR`): one folder per task.
//!
//! ```text
//! DIR/<task-id>/task.toml   issue, test_command, framework, fail_to_pass, pass_to_pass, files, category
//! DIR/<task-id>/repo/       the repository as the model sees it
//! DIR/<task-id>/hidden/     test files copied over the repository before the tests run (optional)
//! DIR/<task-id>/fix.patch   the reference fix (optional; used by the suite's own checks)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{RepairSpec, Source, grading, prompt, repair_task};
use crate::core::{Outcome, Score, Task};
use crate::families::{Family, SuiteError, SuiteSpec};

/// The family's name in `repair:DIR` suite specs.
pub const NAME: &str = "repair";

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
    let mut files = Vec::new();
    for rel in &file.files {
        let content = std::fs::read_to_string(repo.join(rel))
            .map_err(|e| format!("{}: files: {rel}: {e}", toml_path.display()))?;
        files.push((rel.clone(), content));
    }
    let intro = format!("You are working in a repository. An issue was reported:\n\n{}\n", file.issue.trim());
    let hidden = dir.join("hidden");
    let spec = RepairSpec {
        source: Source::dir(&repo),
        hidden: hidden.is_dir().then(|| super::source::absolute(&hidden)),
        restore: Vec::new(),
        test_patch: None,
        test_command: file.test_command,
        framework,
        fail_to_pass: file.fail_to_pass,
        pass_to_pass: file.pass_to_pass,
        timeout_s: file.timeout_s.unwrap_or(300),
    };
    repair_task(id, suite, NAME, file.category, prompt(&intro, &files, super::PROMPT_SOURCE_BUDGET), &spec)
}

/// The code-repair family's task-folder format.
pub struct Repair {
    sandbox: std::sync::Arc<super::SandboxCell>,
}

impl Repair {
    /// The family, scoring in the session's sandbox.
    pub fn new(sandbox: &std::sync::Arc<super::SandboxCell>) -> Self {
        Repair { sandbox: std::sync::Arc::clone(sandbox) }
    }
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
        super::score(&self.sandbox, task, outcome)
    }
}
