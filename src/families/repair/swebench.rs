//! SWE-bench instances (`--suite swebench:FILE --repos DIR`), graded on local checkouts without
//! Docker.
//!
//! FILE is the dataset as JSONL (SWE-bench, Lite, Verified: `instance_id, repo, base_commit,
//! problem_statement, patch, test_patch, FAIL_TO_PASS, PASS_TO_PASS, ...`; the two test lists are JSON
//! strings inside the JSON, plain lists are accepted too). DIR holds one git checkout per repository,
//! as `DIR/owner__name`, `DIR/owner/name` or `DIR/name`, with the instances' base commits fetched.
//!
//! Each evaluation clones the checkout at `base_commit` into a fresh folder, applies the model's
//! patch, resets the files the test patch touches, applies the test patch, and runs the repository's
//! test command on the test files, as the SWE-bench harness's `eval.sh` does. The tests run with the
//! checkout's own virtual environment when it has one (`.venv/` or `venv/`, untracked), else with the
//! `python3` on PATH, so the repository's dependencies must be installed there; the copy is put first
//! on `PYTHONPATH` so an editable install of the checkout does not shadow the patched copy.
//!
//! The prompt holds the problem statement and the files the gold patch edits (SWE-bench's "oracle"
//! retrieval), within the prompt budget.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{RepairSpec, Source, grading::Framework, patch, prompt, repair_task};
use crate::core::{Outcome, Score, Task};
use crate::families::{Family, SuiteError, SuiteSpec, load_jsonl};

/// The family's name in `swebench:FILE` suite specs.
pub const NAME: &str = "swebench";

/// Source in a prompt, at most: real repositories' files are large (about 48k tokens).
const PROMPT_BUDGET: usize = 192 * 1024;

/// Wall-clock limit of one test run (the SWE-bench harness's default).
const TIMEOUT_S: u64 = 1800;

/// One dataset row; fields not listed here (`hints_text`, `version`, ...) are ignored.
#[derive(Debug, Deserialize)]
struct Instance {
    instance_id: String,
    repo: String,
    base_commit: String,
    problem_statement: String,
    #[serde(default)]
    patch: String,
    test_patch: String,
    #[serde(rename = "FAIL_TO_PASS")]
    fail_to_pass: TestList,
    #[serde(rename = "PASS_TO_PASS", default)]
    pass_to_pass: TestList,
}

/// A test list as the datasets carry it: a JSON string holding a JSON list, or the list itself.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TestList {
    Encoded(String),
    Plain(Vec<String>),
}

impl Default for TestList {
    fn default() -> Self {
        TestList::Plain(Vec::new())
    }
}

impl TestList {
    fn decode(self, field: &str) -> Result<Vec<String>, String> {
        match self {
            TestList::Plain(list) => Ok(list),
            TestList::Encoded(text) if text.trim().is_empty() => Ok(Vec::new()),
            TestList::Encoded(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{field} is not a JSON list of test ids inside the string: {e}")),
        }
    }
}

/// The SWE-bench importer.
pub struct SweBench {
    sandbox: std::sync::Arc<super::SandboxCell>,
}

impl SweBench {
    /// The family, scoring in the session's sandbox.
    pub fn new(sandbox: &std::sync::Arc<super::SandboxCell>) -> Self {
        SweBench { sandbox: std::sync::Arc::clone(sandbox) }
    }
}

impl Family for SweBench {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        let Some(repos) = &spec.repos else {
            return Err(SuiteError::one(format!(
                "{}: a SWE-bench suite needs --repos DIR, a folder with one git checkout per repository \
                 (DIR/django__django, DIR/django/django or DIR/django)",
                spec.path.display()
            )));
        };
        let mut magic = [0u8; 4];
        if std::fs::File::open(&spec.path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .is_ok()
            && &magic == b"PAR1"
        {
            return Err(SuiteError::one(format!(
                "{}: this is the Parquet file from Hugging Face; convert it to JSONL first: python3 -c \
                 \"import pandas as p; p.read_parquet('{0}').to_json('instances.jsonl', orient='records', lines=True)\"",
                spec.path.display()
            )));
        }
        load_jsonl(spec, |line, _| {
            if line.trim_start().starts_with('[') {
                return Err("expected one JSON object per line (JSONL); convert a JSON list with \
                            `jq -c '.[]' FILE`"
                    .into());
            }
            let row: Instance =
                serde_json::from_str(line).map_err(|e| format!("not a SWE-bench instance: {e}"))?;
            instance_task(row, repos, &spec.name)
        })
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        super::score(&self.sandbox, task, outcome)
    }
}

fn instance_task(row: Instance, repos: &Path, suite: &str) -> Result<Task, String> {
    let id = row.instance_id.clone();
    let fail_to_pass = row.fail_to_pass.decode("FAIL_TO_PASS").map_err(|e| format!("{id}: {e}"))?;
    let pass_to_pass = row.pass_to_pass.decode("PASS_TO_PASS").map_err(|e| format!("{id}: {e}"))?;
    let repo = super::source::absolute(&find_checkout(repos, &row.repo).map_err(|e| format!("{id}: {e}"))?);
    let source = Source::git(&repo, &row.base_commit);
    source.check().map_err(|e| format!("{id}: {e}"))?;

    let test_files = patch::touched_paths(&patch::Edit::Diff(row.test_patch.clone()));
    let (mut test_command, framework) = test_command(&row.repo, &test_directives(&row.repo, &test_files));
    if let Some(bin) = venv_bin(&repo) {
        test_command =
            format!("export PATH={}:\"$PATH\"; {test_command}", shell_quote(&bin.to_string_lossy()));
    }
    let mut files = Vec::new();
    for rel in patch::touched_paths(&patch::Edit::Diff(row.patch.clone())) {
        if let Some(content) = source.read(&rel).and_then(|b| String::from_utf8(b).ok()) {
            files.push((rel, content));
        }
    }
    let intro = format!(
        "You are working in a checkout of the {} repository. An issue was reported:\n\n{}\n",
        row.repo,
        row.problem_statement.trim()
    );
    let spec = RepairSpec {
        source,
        hidden: None,
        restore: test_files,
        test_patch: Some(row.test_patch),
        test_command,
        framework,
        fail_to_pass,
        pass_to_pass,
        timeout_s: TIMEOUT_S,
    };
    repair_task(id, suite, NAME, Some(row.repo), prompt(&intro, &files, PROMPT_BUDGET), &spec)
}

/// The checkout of `owner/name` under `repos`.
fn find_checkout(repos: &Path, repo: &str) -> Result<PathBuf, String> {
    let (owner, name) = repo.split_once('/').unwrap_or(("", repo));
    let candidates = [repos.join(format!("{owner}__{name}")), repos.join(owner).join(name), repos.join(name)];
    candidates.iter().find(|dir| dir.join(".git").exists()).cloned().ok_or_else(|| {
        let tried: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
        format!("no git checkout of {repo} (tried {})", tried.join(", "))
    })
}

/// The `bin` folder of a virtual environment kept in the checkout (`.venv/` or `venv/`, untracked),
/// whose `python3` then runs the tests: one environment per repository, as the harness's images have.
fn venv_bin(checkout: &Path) -> Option<PathBuf> {
    [".venv", "venv"]
        .iter()
        .map(|name| checkout.join(name).join("bin"))
        .find(|bin| bin.join("python3").exists())
}

/// What the test command is given to run: the test files, minus data files, as SWE-bench's
/// `get_test_directives` makes them (Django wants dotted module labels under `tests/`).
fn test_directives(repo: &str, test_files: &[String]) -> Vec<String> {
    const NOT_TESTS: [&str; 13] = [
        ".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml", ".toml", ".rst",
        ".cfg",
    ];
    let files = test_files.iter().filter(|f| !NOT_TESTS.iter().any(|ext| f.ends_with(ext)));
    if repo == "django/django" {
        files
            .map(|f| {
                let f = f.strip_suffix(".py").unwrap_or(f);
                f.strip_prefix("tests/").unwrap_or(f).replace('/', ".")
            })
            .collect()
    } else {
        files.cloned().collect()
    }
}

/// The repository's test command (SWE-bench `constants/python.py`), run from the copy's root.
fn test_command(repo: &str, directives: &[String]) -> (String, Framework) {
    let quoted: Vec<String> = directives.iter().map(|d| shell_quote(d)).collect();
    let args = quoted.join(" ");
    let path = "export PYTHONPATH=\"$PWD${PYTHONPATH:+:$PYTHONPATH}\"; ";
    match repo {
        "django/django" => (
            format!(
                "{path}python3 ./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 {args}"
            ),
            Framework::Unittest,
        ),
        "sympy/sympy" => (
            format!(
                "{path}PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' python3 bin/test -C --verbose {args}"
            ),
            Framework::Sympy,
        ),
        "astropy/astropy" => (
            format!("{path}python3 -m pytest -rA -vv -o console_output_style=classic --tb=no {args}"),
            Framework::Pytest,
        ),
        _ => (
            format!("{path}python3 -m pytest --no-header -rA --tb=no -p no:cacheprovider {args}"),
            Framework::Pytest,
        ),
    }
}

/// `s` as one shell word.
fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-:+=,@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_lists_are_decoded_from_strings_and_lists() {
        let row: Instance = serde_json::from_str(
            r#"{"instance_id":"a__b-1","repo":"a/b","base_commit":"c","problem_statement":"p",
                "test_patch":"","FAIL_TO_PASS":"[\"t.py::test_x[a b]\"]","PASS_TO_PASS":["t.py::test_y"]}"#,
        )
        .expect("row");
        assert_eq!(row.fail_to_pass.decode("F").expect("f2p"), vec!["t.py::test_x[a b]"]);
        assert_eq!(row.pass_to_pass.decode("P").expect("p2p"), vec!["t.py::test_y"]);
        assert!(TestList::Encoded("not json".into()).decode("F").is_err());
        assert_eq!(TestList::Encoded("".into()).decode("F").expect("empty"), Vec::<String>::new());
    }

    #[test]
    fn directives_follow_the_harness() {
        let files = vec!["tests/admin_views/tests.py".to_string(), "tests/data/x.json".to_string()];
        assert_eq!(test_directives("django/django", &files), vec!["admin_views.tests"]);
        assert_eq!(test_directives("psf/requests", &files), vec!["tests/admin_views/tests.py"]);
        let (cmd, framework) = test_command("psf/requests", &["tests/test a.py".into()]);
        assert!(cmd.ends_with("-p no:cacheprovider 'tests/test a.py'"), "{cmd}");
        assert_eq!(framework, Framework::Pytest);
        assert_eq!(test_command("sympy/sympy", &[]).1, Framework::Sympy);
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
