//! The issue text of a generated task, written as a user would report the bug: the public function
//! or class involved, the check that fails and the message it fails with, and what was expected.
//! It never shows the changed line or names the kind of change. Wording varies with the seed.

use super::tokens::{Kind, tokenize};
use super::{Caught, Draw, Site};

/// The unittest messages of a failing test: the exception line and what follows it (an assertion's
/// diff, say), without the traceback, at most 10 lines of at most 200 characters.
pub fn failure_message(log: &str, id: &str) -> Vec<String> {
    let lines: Vec<&str> = log.lines().collect();
    let Some(header) = lines.iter().position(|l| {
        let rest = l.strip_prefix("FAIL: ").or_else(|| l.strip_prefix("ERROR: "));
        rest.is_some_and(|r| header_id(r).as_deref() == Some(id))
    }) else {
        return Vec::new();
    };
    // The block: after the header's dashes, up to the next separator.
    let body_start = header + 2;
    let body_end = (body_start..lines.len())
        .find(|&i| lines[i].starts_with("=====") || lines[i].starts_with("-----"))
        .unwrap_or(lines.len());
    let body = lines.get(body_start..body_end).unwrap_or_default();
    let traceback = body.iter().rposition(|l| l.starts_with("Traceback (most recent call last):"));
    let mut rest = match traceback {
        Some(t) => &body[t + 1..],
        None => body,
    };
    while let Some((first, tail)) = rest.split_first() {
        if first.starts_with(char::is_whitespace) {
            rest = tail;
        } else {
            break;
        }
    }
    let mut message: Vec<String> = rest
        .iter()
        .take(10)
        .map(|l| {
            let l = l.trim_end();
            match l.char_indices().nth(200) {
                Some((cut, _)) => format!("{}...", &l[..cut]),
                None => l.to_string(),
            }
        })
        .collect();
    while message.last().is_some_and(|l| l.is_empty()) {
        message.pop();
    }
    message
}

/// The test id in a `FAIL:`/`ERROR:` header: `test_a (pkg.mod.Class.test_a)` (Python 3.11+) or
/// `test_a (pkg.mod.Class)` (older).
fn header_id(rest: &str) -> Option<String> {
    let (name, paren) = rest.trim().split_once(" (")?;
    let inner = paren.split(')').next()?;
    Some(if inner.ends_with(&format!(".{name}")) { inner.to_string() } else { format!("{inner}.{name}") })
}

/// The failing test the issue is written around: the first one (in id order) from the test module
/// named after the mutated module (`tests.test_money` for `worklog/money.py`), else the first one.
pub fn lead_test<'a>(failing: &'a [String], file: &str) -> &'a str {
    let stem = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".py");
    let own = format!(".test_{stem}.");
    failing.iter().find(|id| id.contains(&own)).or(failing.first()).map_or("", String::as_str)
}

/// `tests.test_billing.TestRateCard.test_minimum_charge` → (`minimum charge`, `rate card`).
pub fn test_words(id: &str) -> (String, String) {
    let mut parts = id.rsplit('.');
    let method = parts.next().unwrap_or(id);
    let class = parts.next().unwrap_or("");
    let words = method.strip_prefix("test_").unwrap_or(method).replace('_', " ");
    let class = class.strip_prefix("Test").unwrap_or(class);
    let mut group = String::new();
    for (i, c) in class.char_indices() {
        if c.is_uppercase() && i > 0 {
            group.push(' ');
        }
        group.extend(c.to_lowercase());
    }
    (words.trim().to_string(), group)
}

/// A `def` or `class` header and where it is.
struct Header<'a> {
    keyword: &'a str,
    name: &'a str,
    line: usize,
    col: usize,
    /// Decorated with `@property`.
    property: bool,
}

/// How the issue names the code involved: `` `RateCard.charge()` ``, `` `Entry` ``, or the module.
pub fn subject(source: &str, line: usize, module: &str) -> String {
    let toks = tokenize(source);
    // Logical line starts: (line, indentation, first token text, second token text).
    let mut starts: Vec<(usize, usize, &str, &str)> = Vec::new();
    let mut at_start = true;
    for (k, t) in toks.iter().enumerate() {
        if t.kind == Kind::Comment {
            continue;
        }
        if at_start {
            let next = toks[k + 1..].iter().find(|n| n.kind != Kind::Comment).map_or("", |n| n.text);
            starts.push((t.line, t.col, t.text, next));
        }
        at_start = t.kind == Kind::Newline;
    }
    let headers: Vec<Header<'_>> = starts
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.2, "def" | "class"))
        .map(|(i, s)| Header {
            keyword: s.2,
            name: s.3,
            line: s.0,
            col: s.1,
            property: i > 0 && starts[i - 1].2 == "@" && starts[i - 1].3 == "property",
        })
        .collect();
    // The statement holding `line`, then the headers around it, walking out by indentation.
    let Some(here) = starts.iter().rposition(|s| s.0 <= line) else { return module_subject(module) };
    let mut bound = starts[here].1 + 1;
    let (mut function, mut class) = (None, None);
    for s in starts[..=here].iter().rev() {
        if s.1 >= bound {
            continue;
        }
        bound = s.1;
        let Some(h) = headers.iter().find(|h| h.line == s.0 && h.col == s.1) else { continue };
        match (h.keyword, &function, &class) {
            ("def", None, None) => function = Some(h),
            ("class", _, None) => class = Some(h),
            _ => {}
        }
    }
    let private = |name: &str| name.starts_with('_') && !name.starts_with("__");
    match (class, function) {
        (Some(c), Some(f)) if f.name.starts_with("__") || private(f.name) => format!("`{}`", c.name),
        (Some(c), Some(f)) if f.property => format!("`{}.{}`", c.name, f.name),
        (Some(c), Some(f)) => format!("`{}.{}()`", c.name, f.name),
        (Some(c), None) => format!("`{}`", c.name),
        (None, Some(f)) if private(f.name) => public_caller(&headers, source, f.name)
            .map_or_else(|| module_subject(module), |caller| format!("`{caller}()`")),
        (None, Some(f)) => format!("`{}()`", f.name),
        (None, None) => module_subject(module),
    }
}

fn module_subject(module: &str) -> String {
    format!("the `{module}` module")
}

/// A public top-level function of the module that calls `name`.
fn public_caller<'a>(headers: &[Header<'a>], source: &str, name: &str) -> Option<&'a str> {
    let lines: Vec<&str> = source.lines().collect();
    let call = format!("{name}(");
    headers.iter().enumerate().find_map(|(i, h)| {
        let end = headers[i + 1..].iter().find(|n| n.col <= h.col).map_or(lines.len(), |n| n.line);
        let body = lines.get(h.line + 1..end).unwrap_or_default();
        (h.keyword == "def"
            && h.col == 0
            && !h.name.starts_with('_')
            && body.iter().any(|l| l.contains(&call)))
        .then_some(h.name)
    })
}

fn count_words(n: usize) -> String {
    const WORDS: [&str; 11] =
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.get(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The issue of a task whose mutant is `site` in `original` (the unmutated module) and whose tests
/// reported `caught`; `draw` picks the wording.
pub fn issue(draw: &mut Draw, original: &str, site: &Site, caught: &Caught) -> String {
    let module = site.file.trim_end_matches(".py").replace('/', ".");
    let module = module.strip_suffix(".__init__").unwrap_or(&module).to_string();
    let who = subject(original, site.line.saturating_sub(1), &module);
    let lead = lead_test(&caught.failing, &site.file);
    let (check, group) = test_words(lead);
    let message = failure_message(&caught.output, lead);
    let title = match draw.below(4) {
        0 => format!("{who}: \"{check}\" no longer holds"),
        1 => format!("{who} gives wrong results ({check})"),
        2 => format!("Regression in {who}: {check}"),
        _ => format!("{} is broken in {who}", capitalised(&check)),
    };
    let opener = match draw.below(4) {
        0 => format!(
            "We use worklog to bill our clients, and after updating to the current version one of our \
             checks around {who} (in `{module}`) started to fail."
        ),
        1 => format!(
            "Something is off with {who} in `{module}`. We noticed it while reconciling last month's \
             timesheets against what we invoiced."
        ),
        2 => format!(
            "Since the last upgrade, {who} from `{module}` does not behave the way it used to, and our \
             acceptance checks caught it."
        ),
        _ => format!(
            "I think there is a bug in {who} (`{module}`). One of the checks in our pipeline fails and I \
             could not find anything on our side that would explain it."
        ),
    };
    let symptom = match draw.below(3) {
        0 => format!("The failing check is \"{check}\" ({group}). It fails with:"),
        1 => format!("Our check \"{check}\" ({group}) now reports:"),
        _ => format!("When we check \"{check}\" ({group}), we get:"),
    };
    let mut text = format!("{title}\n\n{opener}\n\n{symptom}\n\n");
    if message.is_empty() {
        text.push_str("    (the check fails without a message)\n");
    }
    for line in &message {
        text.push_str(&format!("    {line}\n").replace("    \n", "\n"));
    }
    let others: Vec<String> =
        caught.failing.iter().filter(|id| *id != lead).map(|id| test_words(id).0).collect();
    let more = caught.failing.len().saturating_sub(1);
    if let Some(example) = others.first() {
        let count = count_words(more);
        let line = match (more, draw.below(2)) {
            (1, 0) => format!("It is not the only one: \"{example}\" fails too."),
            (1, _) => format!("One other check of ours fails as well: \"{example}\"."),
            (_, 0) => format!("It is not the only one: {count} more checks fail, e.g. \"{example}\"."),
            _ => format!(
                "{} other checks of ours fail as well, among them \"{example}\".",
                capitalised(&count)
            ),
        };
        text.push_str(&format!("\n{line}\n"));
    }
    let expected = match draw.below(3) {
        0 => format!("Expected: \"{check}\" holds again, as it did in earlier versions."),
        1 => format!("Please restore the previous behaviour; \"{check}\" should hold."),
        _ => format!("We would expect \"{check}\" to hold, as it did before the update."),
    };
    let closer = match draw.below(4) {
        0 => "\nPython 3.11 on Linux, worklog from the main branch.\n",
        1 => "\nThanks for looking into it!\n",
        2 => "\nThis blocks our monthly invoicing run, so a fix soon would be much appreciated.\n",
        _ => "",
    };
    text.push_str(&format!("\n{expected}\n{closer}"));
    text
}
