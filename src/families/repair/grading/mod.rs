//! Reading a test run's log, and deciding from it, the way SWE-bench does, whether a repair resolved
//! the issue.
//!
//! A repair is graded by running the repository's tests after the patch is applied. The sandbox gives
//! back one combined stdout+stderr log; [`parse_log`] turns it into a status per test id, and
//! [`grade`] checks the task's `FAIL_TO_PASS` and `PASS_TO_PASS` lists against that map
//! (SWE-bench `harness/grading.py`, see `reference/tasks.md` §1.4–1.6).
//!
//! The parsers are lenient where real logs are messy and strict where a mistake would flip a verdict:
//!
//! * ANSI colour codes and other control characters are removed first; CRLF and bare-CR progress
//!   redraws are reduced to what a terminal would show last.
//! * Each parser is one pass over the lines, with no backtracking, and never panics.
//! * When the same id is reported twice, a failure wins over anything else (a pytest test that passes
//!   and then errors in teardown is reported as both `PASSED` and `ERROR`).
//! * Ids are recorded as the framework prints them in full, including parametrisations with spaces
//!   (`tests/test_a.py::test_x[a b-1]`). SWE-bench's own parser splits on whitespace and so produced
//!   ids truncated mid-parameter (`tests/test_a.py::test_x[a`); [`grade`] resolves those by prefix.
//!
//! | framework | lines read |
//! |---|---|
//! | pytest | `-rA` summary lines `PASSED id`, `FAILED id - message`, and `-v` lines `id PASSED [ 50%]` |
//! | unittest (and Django's `runtests.py`) | `test_a (mod.Class) ... ok`, a docstring line `Docstring ... ok` after a bare `test_a (mod.Class)`, and the `FAIL:` / `ERROR:` headers |
//! | cargo test | `test path::name ... ok / FAILED / ignored` |
//! | go test -v | `--- PASS: TestName (0.00s)`, `--- FAIL:`, `--- SKIP:`, subtests indented |
//! | sympy `bin/test` | `test_name ok / F / E`, and `___ file.py:test_name ___` failure headers |

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod logs;
use logs::{parse_cargo, parse_go, parse_pytest, parse_sympy, parse_unittest, strip_terminal_codes};

/// Outcome of one test as the framework reported it: the unit [`grade`] reasons about, shared by
/// every framework so grading does not depend on where a log came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    /// The test ran and passed. Also pytest `XPASS` (a non-strict expected failure that passed:
    /// pytest itself counts it as a success, and a strict one is already reported as `FAILED`).
    Passed,
    /// An assertion failed. Also unittest's `unexpected success`, which makes the run unsuccessful.
    Failed,
    /// The test could not run to completion: an exception outside an assertion, or a fixture,
    /// setup or collection error.
    Error,
    /// The test was skipped (`SKIPPED`, `skipped 'reason'`, cargo `ignored`, go `SKIP`).
    Skipped,
    /// An expected failure failed as expected (pytest `XFAIL`, unittest `expected failure`).
    #[serde(rename = "xfail")]
    XFail,
}

impl TestStatus {
    /// Whether this status reports something broken; such a report outranks any other for the same id.
    fn is_failure(self) -> bool {
        matches!(self, TestStatus::Failed | TestStatus::Error)
    }
}

/// Test frameworks whose output we parse: a task names one (or we infer it from its test command,
/// see [`infer_framework`]) so the right parser reads its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    /// `pytest -rA` (best) or `pytest -v`.
    Pytest,
    /// `python -m unittest -v`, and Django's `tests/runtests.py --verbosity 2`.
    Unittest,
    /// `cargo test`.
    Cargo,
    /// `go test -v`.
    Go,
    /// sympy's `bin/test --verbose`.
    Sympy,
}

impl Framework {
    /// Every framework, in the order error messages list them.
    pub const ALL: [Framework; 5] =
        [Framework::Pytest, Framework::Unittest, Framework::Cargo, Framework::Go, Framework::Sympy];

    /// The name used in task files and on the command line (the serde name too).
    pub fn name(&self) -> &'static str {
        match self {
            Framework::Pytest => "pytest",
            Framework::Unittest => "unittest",
            Framework::Cargo => "cargo",
            Framework::Go => "go",
            Framework::Sympy => "sympy",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A framework name that is not one of [`Framework::ALL`]: the error of `Framework`'s [`FromStr`] so a
/// typo in a task file is reported with the names that would have worked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown test framework {0:?}: expected one of pytest, unittest, cargo, go, sympy")]
pub struct UnknownFramework(
    /// The name as it was given.
    pub String,
);

impl FromStr for Framework {
    type Err = UnknownFramework;

    /// Reads a framework name, ignoring case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Framework::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownFramework(s.to_string()))
    }
}

/// Guesses the framework from the shell command that runs the tests, so tasks need not name it.
///
/// `pytest`, `py.test`, `python -m pytest` → pytest; `python -m unittest`, Django's `runtests.py`
/// or `manage.py test` → unittest; `cargo test` → cargo; `go test` → go. In a chain
/// (`cd x && pip install pytest && python -m unittest -v`) the last command that runs tests decides,
/// and installation commands are ignored. `None` when nothing is recognised.
pub fn infer_framework(test_command: &str) -> Option<Framework> {
    let mut found = None;
    for part in test_command.split(['&', ';', '|', '\n']) {
        let words: Vec<&str> = part
            .split_whitespace()
            .map(|w| w.trim_matches(|c| matches!(c, '"' | '\'' | '(' | ')' | '`')))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(framework) = framework_of_command(&words) {
            found = Some(framework);
        }
    }
    found
}

/// The framework one simple command (no `&&`, `;`, `|`) runs, if any.
fn framework_of_command(words: &[&str]) -> Option<Framework> {
    if words.contains(&"install") {
        return None;
    }
    let base = |w: &str| -> String { w.rsplit('/').next().unwrap_or(w).to_ascii_lowercase() };
    // The first word after `at` that is not an option or a `+toolchain`.
    let subcommand = |at: usize| words.iter().skip(at + 1).find(|w| !w.starts_with(['-', '+'])).copied();
    let module = |name: &str| words.windows(2).any(|p| p[0] == "-m" && p[1] == name);

    if module("pytest") || words.iter().any(|w| matches!(base(w).as_str(), "pytest" | "py.test" | "pytest-3"))
    {
        return Some(Framework::Pytest);
    }
    if module("unittest")
        || words.iter().any(|w| base(w) == "runtests.py")
        || words.iter().position(|w| base(w) == "manage.py").is_some_and(|i| subcommand(i) == Some("test"))
    {
        return Some(Framework::Unittest);
    }
    if words.iter().position(|w| base(w) == "cargo").is_some_and(|i| subcommand(i) == Some("test")) {
        return Some(Framework::Cargo);
    }
    if words.iter().position(|w| base(w) == "go").is_some_and(|i| subcommand(i) == Some("test")) {
        return Some(Framework::Go);
    }
    None
}

/// Statuses by test id, from a test run's combined stdout+stderr: the input [`grade`] needs.
///
/// Never panics, whatever the input; an unparseable log gives an empty map (every required test then
/// counts as missing, so failed).
pub fn parse_log(framework: Framework, log: &str) -> BTreeMap<String, TestStatus> {
    let clean = strip_terminal_codes(log);
    let mut statuses = BTreeMap::new();
    match framework {
        Framework::Pytest => parse_pytest(&clean, &mut statuses),
        Framework::Unittest => parse_unittest(&clean, &mut statuses),
        Framework::Cargo => parse_cargo(&clean, &mut statuses),
        Framework::Go => parse_go(&clean, &mut statuses),
        Framework::Sympy => parse_sympy(&clean, &mut statuses),
    }
    statuses
}

// ---------------------------------------------------------------------------------------------
// Grading
// ---------------------------------------------------------------------------------------------

/// How many ids [`Grade::failing`] lists at most, so a broken suite does not bloat the report.
pub const MAX_FAILING_LISTED: usize = 20;

/// Passed and required tests in one list: what the report shows for `FAIL_TO_PASS` and `PASS_TO_PASS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Tests in the list that succeeded.
    pub passed: usize,
    /// Tests in the list.
    pub total: usize,
}

/// The SWE-bench verdict for one evaluation: whether the issue counts as resolved, and the numbers
/// and ids that explain it in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// Every `FAIL_TO_PASS` and `PASS_TO_PASS` test succeeded (SWE-bench `RESOLVED_FULL`).
    pub resolved: bool,
    /// The tests the fix must make pass.
    pub fail_to_pass: Counts,
    /// The tests the fix must not break.
    pub pass_to_pass: Counts,
    /// Ids of required tests that did not succeed, `FAIL_TO_PASS` first, at most
    /// [`MAX_FAILING_LISTED`].
    pub failing: Vec<String>,
}

/// Grades one evaluation as SWE-bench does (`harness/grading.py`).
///
/// A `FAIL_TO_PASS` test succeeds iff it `Passed` or is an `XFail`; a `PASS_TO_PASS` test iff it
/// `Passed`, is an `XFail`, or was `Skipped` (SWE-bench HEAD). A test missing from the log fails.
/// Empty lists count as fully passed. An id truncated mid-parameter (more `[` than `]`, SWE-bench
/// issue #290) that is not in the map is matched as a prefix, and succeeds if every test it matches
/// succeeds.
pub fn grade(
    statuses: &BTreeMap<String, TestStatus>,
    fail_to_pass: &[String],
    pass_to_pass: &[String],
) -> Grade {
    let mut failing = Vec::new();
    let mut count = |ids: &[String], ok: fn(TestStatus) -> bool| {
        let mut counts = Counts { passed: 0, total: ids.len() };
        for id in ids {
            if succeeded(statuses, id, ok) {
                counts.passed += 1;
            } else if failing.len() < MAX_FAILING_LISTED {
                failing.push(id.clone());
            }
        }
        counts
    };
    let fail_to_pass = count(fail_to_pass, |s| matches!(s, TestStatus::Passed | TestStatus::XFail));
    let pass_to_pass =
        count(pass_to_pass, |s| matches!(s, TestStatus::Passed | TestStatus::XFail | TestStatus::Skipped));
    Grade {
        resolved: fail_to_pass.passed == fail_to_pass.total && pass_to_pass.passed == pass_to_pass.total,
        fail_to_pass,
        pass_to_pass,
        failing,
    }
}

/// Whether the test `id` succeeded by the rule `ok`, resolving truncated ids by prefix.
fn succeeded(statuses: &BTreeMap<String, TestStatus>, id: &str, ok: fn(TestStatus) -> bool) -> bool {
    if let Some(&status) = statuses.get(id) {
        return ok(status);
    }
    let id = id.trim();
    if let Some(&status) = statuses.get(id) {
        return ok(status);
    }
    if id.is_empty() || id.matches('[').count() <= id.matches(']').count() {
        return false;
    }
    let mut candidates = statuses
        .range::<str, _>((Bound::Included(id), Bound::Unbounded))
        .take_while(|(key, _)| key.starts_with(id))
        .map(|(_, &status)| ok(status))
        .peekable();
    candidates.peek().is_some() && candidates.all(|success| success)
}

/// The rule for tasks without test lists (Exercism): at least one test ran, and none failed or errored.
pub fn all_ran_and_passed(statuses: &BTreeMap<String, TestStatus>) -> bool {
    !statuses.is_empty() && !statuses.values().any(|s| s.is_failure())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
