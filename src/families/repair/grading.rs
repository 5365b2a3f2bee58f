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

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
}

impl Framework {
    /// Every framework, in the order error messages list them.
    pub const ALL: [Framework; 4] = [Framework::Pytest, Framework::Unittest, Framework::Cargo, Framework::Go];

    /// The name used in task files and on the command line (the serde name too).
    pub fn name(&self) -> &'static str {
        match self {
            Framework::Pytest => "pytest",
            Framework::Unittest => "unittest",
            Framework::Cargo => "cargo",
            Framework::Go => "go",
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
#[error("unknown test framework {0:?}: expected one of pytest, unittest, cargo, go")]
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
    }
    statuses
}

/// Adds one report for `id`; a failure (`Failed`, `Error`) is never replaced, and replaces anything.
fn record(statuses: &mut BTreeMap<String, TestStatus>, id: &str, status: TestStatus) {
    let id = id.trim();
    if id.is_empty() {
        return;
    }
    match statuses.get_mut(id) {
        Some(existing) if existing.is_failure() => {}
        Some(existing) => *existing = status,
        None => {
            statuses.insert(id.to_string(), status);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cleaning
// ---------------------------------------------------------------------------------------------

/// The log without ANSI escape sequences (colours, cursor moves, OSC titles and links) and without
/// control characters other than tab, newline and carriage return.
fn strip_terminal_codes(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']') => {
                    // OSC: runs to BEL or ESC \ (never past the line, in case it is unterminated).
                    chars.next();
                    while let Some(&c) = chars.peek() {
                        match c {
                            '\u{7}' => {
                                chars.next();
                                break;
                            }
                            '\u{1b}' => {
                                chars.next();
                                if chars.peek() == Some(&'\\') {
                                    chars.next();
                                }
                                break;
                            }
                            '\n' => break,
                            _ => {
                                chars.next();
                            }
                        }
                    }
                }
                Some(c) if c != '\n' && c != '\r' => {
                    // Two-character sequences (ESC 7, ESC M) and charset designations (ESC ( B).
                    chars.next();
                    if ('\u{20}'..='\u{2f}').contains(&c) {
                        while chars.peek().is_some_and(|c| ('\u{20}'..='\u{2f}').contains(c)) {
                            chars.next();
                        }
                        if chars.peek().is_some_and(|c| ('\u{30}'..='\u{7e}').contains(c)) {
                            chars.next();
                        }
                    }
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\n' | '\r' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Skips the rest of a control sequence (after `ESC [`): parameters, intermediates, final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            break;
        }
    }
}

/// The log's lines as a terminal would leave them: a trailing `\r` (CRLF) is dropped, and where a
/// line was redrawn after a bare `\r`, the last non-blank drawing is kept.
fn lines(log: &str) -> impl Iterator<Item = &str> {
    log.split('\n').map(|line| line.split('\r').rfind(|part| !part.trim().is_empty()).unwrap_or(""))
}

// ---------------------------------------------------------------------------------------------
// pytest
// ---------------------------------------------------------------------------------------------

/// pytest's status words, as printed both in `-rA` summaries and `-v` lines.
const PYTEST_WORDS: [(&str, TestStatus); 6] = [
    ("PASSED", TestStatus::Passed),
    ("FAILED", TestStatus::Failed),
    ("SKIPPED", TestStatus::Skipped),
    ("ERROR", TestStatus::Error),
    ("XFAIL", TestStatus::XFail),
    ("XPASS", TestStatus::Passed),
];

/// The status word `s` starts with (followed by whitespace or the end), and what follows it.
fn pytest_word(s: &str) -> Option<(&'static str, TestStatus, &str)> {
    PYTEST_WORDS.iter().find_map(|&(word, status)| {
        let rest = s.strip_prefix(word)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((word, status, rest))
    })
}

fn parse_pytest(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
    for line in lines(log) {
        let line = strip_xdist_prefix(line.trim_end());
        if let Some((word, status, rest)) = pytest_word(line) {
            // `-rA` summary: `PASSED id`, `FAILED id - message`, `XFAIL id - reason`.
            let rest = rest.trim_start();
            // `SKIPPED [2] tests/test_a.py:12: reason` groups skips by location, not id; and
            // `FAILED (failures=1)` is a unittest total, not a test.
            if rest.is_empty() || rest.starts_with('(') || (word == "SKIPPED" && rest.starts_with('[')) {
                continue;
            }
            record(statuses, without_message(rest), status);
        } else if let Some((id, status)) = pytest_verbose_line(line) {
            record(statuses, id, status);
        }
    }
}

/// A line without pytest-xdist's `[gw0] [ 50%] ` prefix (`-v -n N` prints status first after it).
fn strip_xdist_prefix(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('[') {
        let Some(close) = rest.find(']') else { break };
        let inside = rest[..close].trim();
        let worker =
            inside.strip_prefix("gw").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let percent =
            inside.strip_suffix('%').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !worker && !percent {
            break;
        }
        line = rest[close + 1..].trim_start();
    }
    line
}

/// The test id of a summary line's remainder: everything before the ` - message` suffix. The first
/// ` - ` outside brackets ends it, so parameters that contain ` - ` stay whole; if the brackets never
/// balance (a parameter with a lone `[`), the first `] - ` does.
fn without_message(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 && bytes[i..].starts_with(b" - ") => return rest[..i].trim_end(),
            _ => {}
        }
    }
    match rest.find("] - ") {
        Some(i) => &rest[..=i],
        None => rest.trim_end(),
    }
}

/// A `-v` line: `path::test[params] STATUS [ 50%]`, `path::test SKIPPED (reason)`, or
/// `path::Class::test <- base.py PASSED` (a test inherited from another file). The status is the
/// first status word outside brackets; the id must contain `::` and no whitespace outside brackets.
fn pytest_verbose_line(line: &str) -> Option<(&str, TestStatus)> {
    if line.starts_with(char::is_whitespace) || !line.contains("::") {
        return None;
    }
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut status_at = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 => {
                if let Some((_, status, _)) = pytest_word(&line[i + 1..]) {
                    status_at = Some((i, status));
                    break;
                }
            }
            _ => {}
        }
    }
    let (end, status) = status_at?;
    let mut id = line[..end].trim_end();
    if let Some(i) = id.find(" <- ") {
        id = &id[..i];
    }
    let mut depth = 0usize;
    for b in id.bytes() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b if depth == 0 && b.is_ascii_whitespace() => return None,
            _ => {}
        }
    }
    id.contains("::").then_some((id, status))
}

// ---------------------------------------------------------------------------------------------
// unittest and Django
// ---------------------------------------------------------------------------------------------

/// A unittest test description, `name (inner)`, optionally followed by subtest parameters.
///
/// Python 3.11+ prints `inner` as the full id (`tests.test_x.TestX.test_a`); Python ≤ 3.10 and
/// Django on those versions print the class (`tests.test_x.TestX`).
#[derive(Debug, Clone, Copy)]
struct Description<'a> {
    name: &'a str,
    inner: &'a str,
    /// The whole description as printed, subtest parameters included.
    text: &'a str,
    /// `test_a (mod.Class.test_a) (i=1)` or `... [message] (i=1)`: one subtest of `name`.
    subtest: bool,
}

/// Whether `s` is made only of identifier characters and dots (a test name or a dotted path).
fn is_dotted_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

fn parse_description(text: &str) -> Option<Description<'_>> {
    let text = text.trim();
    let open = text.find(" (")?;
    let name = &text[..open];
    let after = &text[open + 2..];
    let close = after.find(')')?;
    let inner = &after[..close];
    if !is_dotted_name(name) || !is_dotted_name(inner) || !inner.contains('.') {
        return None;
    }
    let rest = &after[close + 1..];
    let subtest = match rest {
        "" => false,
        _ if rest.starts_with(" (") || rest.starts_with(" [") => true,
        _ => return None,
    };
    Some(Description { name, inner, text, subtest })
}

/// Records a test under every id form a task may list: the canonical `module.Class.test_a`, the
/// Django / SWE-bench form `test_a (module.Class)`, and the form as printed. A subtest's failure fails
/// its test; any subtest outcome is also recorded under the subtest's own text.
fn record_description(statuses: &mut BTreeMap<String, TestStatus>, d: Description<'_>, status: TestStatus) {
    if d.subtest {
        record(statuses, d.text, status);
        if !status.is_failure() {
            return;
        }
    }
    let (class, canonical) = match d.inner.rsplit_once('.') {
        Some((class, last)) if last == d.name => (class, d.inner.to_string()),
        _ => (d.inner, format!("{}.{}", d.inner, d.name)),
    };
    record(statuses, &canonical, status);
    record(statuses, &format!("{} ({class})", d.name), status);
    record(statuses, &format!("{} ({})", d.name, d.inner), status);
}

/// The status a unittest result word reports: `ok`, `FAIL`, `ERROR`, `skipped 'reason'`,
/// `expected failure`, `unexpected success` (and Django's `OK` when `allow_upper_ok`).
fn unittest_status(word: &str, allow_upper_ok: bool) -> Option<TestStatus> {
    let word = word.trim();
    Some(match word {
        "ok" => TestStatus::Passed,
        "OK" if allow_upper_ok => TestStatus::Passed,
        "FAIL" => TestStatus::Failed,
        "ERROR" => TestStatus::Error,
        "expected failure" => TestStatus::XFail,
        "unexpected success" => TestStatus::Failed,
        _ if word
            .strip_prefix("skipped")
            .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace)) =>
        {
            TestStatus::Skipped
        }
        _ => return None,
    })
}

fn parse_unittest(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
    // The test whose status has not been printed yet: after a bare description line (its docstring
    // follows), or after `test_a (m.C) ... ` followed by the test's own output.
    let mut pending: Option<Description<'_>> = None;
    for line in lines(log) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let header = t
            .strip_prefix("FAIL:")
            .map(|r| (r, TestStatus::Failed))
            .or_else(|| t.strip_prefix("ERROR:").map(|r| (r, TestStatus::Error)));
        if let Some((rest, status)) = header {
            // `FAIL: test_a (mod.Class)`, `ERROR: setUpClass (mod.Class)`, `FAIL: test_a (m.C.test_a) (i=1)`.
            if let Some(d) = parse_description(rest) {
                record_description(statuses, d, status);
            }
            pending = None;
            continue;
        }
        if t.starts_with("Ran ") || t.starts_with("====") || t.starts_with("----") {
            pending = None;
            continue;
        }
        if let Some((prefix, status)) =
            t.rsplit_once(" ... ").and_then(|(p, s)| Some((p, unittest_status(s, true)?)))
        {
            // The description is what follows any earlier ` ... ` (Python ≤ 3.10 leaves a test whose
            // subtest failed without a status, and the next test continues its line).
            let prefix = prefix.trim();
            let last = prefix.rsplit(" ... ").next().unwrap_or(prefix);
            if let Some(d) = parse_description(last) {
                record_description(statuses, d, status);
            } else {
                // A docstring line: SWE-bench's Django lists use the docstring as the id.
                record(statuses, prefix, status);
                if let Some(d) = pending {
                    record_description(statuses, d, status);
                }
            }
            pending = None;
            continue;
        }
        if let Some(status) = unittest_status(t, false) {
            if let Some(d) = pending.take() {
                record_description(statuses, d, status);
            }
            continue;
        }
        let head = t.strip_suffix(" ...").unwrap_or(t);
        let head = head.split(" ... ").next().unwrap_or(head);
        if let Some(d) = parse_description(head) {
            pending = Some(d);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// cargo test
// ---------------------------------------------------------------------------------------------

fn parse_cargo(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
    for line in lines(log) {
        let Some(rest) = line.trim().strip_prefix("test ") else { continue };
        let Some((name, word)) = rest.rsplit_once(" ... ") else { continue };
        let status = match word.trim() {
            "ok" => TestStatus::Passed,
            "FAILED" => TestStatus::Failed,
            w if w == "ignored" || w.starts_with("ignored,") => TestStatus::Skipped,
            _ => continue,
        };
        let name = name.rsplit(" ... ").next().unwrap_or(name).trim();
        record(statuses, name, status);
        if let Some(base) = name.strip_suffix(" - should panic") {
            record(statuses, base, status);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// go test
// ---------------------------------------------------------------------------------------------

fn parse_go(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
    for line in lines(log) {
        let Some(rest) = line.trim_start().strip_prefix("--- ") else { continue };
        let (rest, status) = if let Some(r) = rest.strip_prefix("PASS:") {
            (r, TestStatus::Passed)
        } else if let Some(r) = rest.strip_prefix("FAIL:") {
            (r, TestStatus::Failed)
        } else if let Some(r) = rest.strip_prefix("SKIP:") {
            (r, TestStatus::Skipped)
        } else {
            continue;
        };
        let rest = rest.trim();
        let name = match rest.rfind(" (") {
            Some(i) if rest.ends_with(')') => &rest[..i],
            _ => rest,
        };
        record(statuses, name, status);
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
