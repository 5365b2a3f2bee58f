//! Per-framework readers of test logs: each turns one combined stdout+stderr log into a status per
//! test id (see the table in the parent module).

use std::collections::BTreeMap;

use super::TestStatus;

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
pub(super) fn strip_terminal_codes(log: &str) -> String {
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

pub(super) fn parse_pytest(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
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
pub(super) fn without_message(rest: &str) -> &str {
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

pub(super) fn parse_unittest(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
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

pub(super) fn parse_cargo(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
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

pub(super) fn parse_go(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
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
// sympy's bin/test
// ---------------------------------------------------------------------------------------------

/// `bin/test --verbose` prints `test_name ok`, `test_name F` or `test_name E` per test, and a
/// `____ sympy/x/tests/test_y.py:test_name ____` header above each failure's traceback (SWE-bench
/// `parse_log_sympy`).
pub(super) fn parse_sympy(log: &str, statuses: &mut BTreeMap<String, TestStatus>) {
    for line in lines(log) {
        let line = line.trim();
        if line.starts_with('_') && line.ends_with('_') {
            let inner = line.trim_matches('_').trim();
            if let Some((file, test)) = inner.split_once(".py:") {
                record(statuses, &format!("{file}.py:{test}"), TestStatus::Failed);
            }
            continue;
        }
        if !line.starts_with("test_") {
            continue;
        }
        let Some((name, word)) = line.rsplit_once(' ') else { continue };
        let status = match word {
            "ok" => TestStatus::Passed,
            "F" => TestStatus::Failed,
            "E" => TestStatus::Error,
            "f" => TestStatus::XFail,
            "s" => TestStatus::Skipped,
            _ => continue,
        };
        if let Some(id) = name.split_whitespace().next() {
            record(statuses, id, status);
        }
    }
}
