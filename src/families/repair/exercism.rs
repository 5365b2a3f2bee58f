//! Exercism exercises as in aider's polyglot benchmark (`--suite exercism:DIR`): make the stub pass
//! its tests.
//!
//! DIR holds exercise folders, directly or at any depth up to [`MAX_DEPTH`] (so the polyglot
//! benchmark's root, `<language>/exercises/practice/<slug>/`, works as it is). An exercise folder has
//! `.docs/instructions.md` (with optional `introduction.md` and `instructions.append.md`) and
//! `.meta/config.json`, whose `files` names the `solution`, `test` and `example` files.
//!
//! The prompt is aider's: the docs, then the request to modify the solution files, then their
//! content. The model's patch is against the exercise folder; the test files are put back before the
//! tests run, and the exercise is solved when the language's test command exits 0 with at least one
//! test run and none failed. Tests Exercism marks as skipped are run too (`--include-ignored` for
//! Rust; Python and Go exercises skip nothing). Python, Rust and Go exercises are loaded; others are
//! left out with a warning.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use super::{RepairSpec, Source, grading::Framework, prompt, repair_task};
use crate::core::{Outcome, Score, Task};
use crate::families::{Family, SuiteError, SuiteSpec};

/// The family's name in `exercism:DIR` suite specs.
pub const NAME: &str = "exercism";

/// How deep below DIR exercise folders are looked for.
const MAX_DEPTH: usize = 4;

/// Wall-clock limit of one test run (aider's benchmark uses 180 s).
const TIMEOUT_S: u64 = 180;

/// `.meta/config.json` (only the part we use).
#[derive(Debug, Deserialize)]
struct Config {
    files: Files,
}

#[derive(Debug, Deserialize)]
struct Files {
    solution: Vec<String>,
    test: Vec<String>,
    #[serde(default)]
    editor: Vec<String>,
}

/// The Exercism importer.
pub struct Exercism {
    sandbox: std::sync::Arc<super::SandboxCell>,
}

impl Exercism {
    /// The family, scoring in the session's sandbox.
    pub fn new(sandbox: &std::sync::Arc<super::SandboxCell>) -> Self {
        Exercism { sandbox: std::sync::Arc::clone(sandbox) }
    }
}

impl Family for Exercism {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        let root = &spec.path;
        if !root.is_dir() {
            return Err(SuiteError::one(format!("{}: not a folder of exercises", root.display())));
        }
        let mut dirs = Vec::new();
        find_exercises(root, 0, &mut dirs);
        dirs.sort();
        let (mut tasks, mut problems, mut other_languages) = (Vec::new(), Vec::new(), 0usize);
        for dir in dirs {
            match exercise_task(&dir, root, &spec.name) {
                Ok(Some(task)) => tasks.push(task),
                Ok(None) => other_languages += 1,
                Err(problem) => problems.push(format!("{}: {problem}", dir.display())),
            }
        }
        if other_languages > 0 {
            tracing::warn!(
                "{}: {other_languages} exercises in languages other than Python, Rust and Go left out",
                root.display()
            );
        }
        if !problems.is_empty() {
            return Err(SuiteError { problems });
        }
        if tasks.is_empty() {
            return Err(SuiteError::one(format!(
                "{}: no Python, Rust or Go exercises (folders with .meta/config.json)",
                root.display()
            )));
        }
        Ok(tasks)
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        super::score(&self.sandbox, task, outcome)
    }
}

/// Collects the exercise folders at or below `dir`.
fn find_exercises(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    if dir.join(".meta").join("config.json").is_file() {
        found.push(dir.to_path_buf());
        return;
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let skip = name.to_string_lossy().starts_with('.') || name == "node_modules" || name == "target";
        if !skip && entry.file_type().is_ok_and(|t| t.is_dir()) {
            find_exercises(&entry.path(), depth + 1, found);
        }
    }
}

/// The languages we can test, by solution file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Python,
    Rust,
    Go,
}

impl Language {
    fn of(solution: &[String]) -> Option<Language> {
        solution.iter().find_map(|file| match Path::new(file).extension()?.to_str()? {
            "py" => Some(Language::Python),
            "rs" => Some(Language::Rust),
            "go" => Some(Language::Go),
            _ => None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
            Language::Go => "go",
        }
    }

    /// The test command and how to read its output.
    fn test_command(self, tests: &[String]) -> (String, Framework) {
        match self {
            Language::Python if pytest_available() => (
                format!("python3 -m pytest -rA --tb=short -p no:cacheprovider {}", tests.join(" ")),
                Framework::Pytest,
            ),
            Language::Python => {
                let modules: Vec<String> =
                    tests.iter().map(|t| t.strip_suffix(".py").unwrap_or(t).replace('/', ".")).collect();
                (format!("python3 -m unittest -v {}", modules.join(" ")), Framework::Unittest)
            }
            Language::Rust => ("cargo test --offline -- --include-ignored".into(), Framework::Cargo),
            Language::Go => ("go test -v ./...".into(), Framework::Go),
        }
    }
}

/// Whether `python3 -m pytest` works here (asked once); Exercism's Python tests are unittest classes,
/// so unittest runs them when pytest is not installed.
fn pytest_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        std::process::Command::new("python3")
            .args(["-c", "import pytest"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The task for one exercise folder; `None` for a language we cannot test.
fn exercise_task(dir: &Path, root: &Path, suite: &str) -> Result<Option<Task>, String> {
    let config_path = dir.join(".meta").join("config.json");
    let text = std::fs::read_to_string(&config_path).map_err(|e| format!(".meta/config.json: {e}"))?;
    let config: Config = serde_json::from_str(crate::families::strip_bom(&text))
        .map_err(|e| format!(".meta/config.json: not an Exercism config: {e}"))?;
    let Some(language) = Language::of(&config.files.solution) else {
        return Ok(None);
    };
    if config.files.test.is_empty() {
        return Err(".meta/config.json: files.test is empty".into());
    }
    let mut docs = String::new();
    for doc in ["introduction.md", "instructions.md", "instructions.append.md"] {
        if let Ok(text) = std::fs::read_to_string(dir.join(".docs").join(doc)) {
            docs.push_str(text.trim());
            docs.push_str("\n\n");
        }
    }
    if docs.is_empty() {
        return Err("no .docs/instructions.md".into());
    }
    let mut files = Vec::new();
    for rel in &config.files.solution {
        let content =
            std::fs::read_to_string(dir.join(rel)).map_err(|e| format!("solution file {rel}: {e}"))?;
        files.push((rel.clone(), content));
    }
    let intro = format!(
        "{docs}####\n\nUse the above instructions to modify the supplied files: {}\n\
         Don't change the names of existing functions or classes, as they may be referenced from other \
         code like unit tests, etc.\nOnly use standard libraries, don't suggest installing any packages.\n",
        config.files.solution.join(" ")
    );
    let (test_command, framework) = language.test_command(&config.files.test);
    let spec = RepairSpec {
        source: Source::dir(dir),
        hidden: None,
        restore: config.files.test.iter().chain(&config.files.editor).cloned().collect(),
        test_patch: None,
        test_command,
        framework,
        fail_to_pass: Vec::new(),
        pass_to_pass: Vec::new(),
        timeout_s: TIMEOUT_S,
    };
    let task = repair_task(
        exercise_id(dir, root),
        suite,
        NAME,
        Some(language.name().into()),
        prompt(&intro, &files, super::PROMPT_SOURCE_BUDGET),
        &spec,
    )?;
    Ok(Some(task))
}

/// The exercise's id: its folder name when DIR holds the exercises, else its path below DIR without
/// the `exercises/practice` part (`python/bowling` in the polyglot benchmark).
fn exercise_id(dir: &Path, root: &Path) -> String {
    let name = || dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Ok(rel) = dir.strip_prefix(root) else { return name() };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|p| p != "exercises" && p != "practice")
        .collect();
    if parts.is_empty() { name() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_folder_names_or_paths_below_the_root() {
        let root = Path::new("/data/polyglot");
        assert_eq!(exercise_id(&root.join("python/exercises/practice/bowling"), root), "python/bowling");
        assert_eq!(exercise_id(&root.join("bowling"), root), "bowling");
        assert_eq!(exercise_id(root, root), "polyglot");
    }

    #[test]
    fn languages_follow_the_solution_file() {
        assert_eq!(Language::of(&["Cargo.toml".into(), "src/lib.rs".into()]), Some(Language::Rust));
        assert_eq!(Language::of(&["bowling.py".into()]), Some(Language::Python));
        assert_eq!(Language::of(&["bowling.go".into()]), Some(Language::Go));
        assert_eq!(Language::of(&["bowling.js".into()]), None);
        assert_eq!(Language::Rust.test_command(&[]).0, "cargo test --offline -- --include-ignored");
    }
}
