//! Deciding whether an extracted answer equals the gold answer, without asking any model.
//!
//! Both sides are normalised (see [`super::extract::normalize`]); then the shape of the gold answer
//! picks the rule, and the answer must have a compatible shape:
//!
//! | gold looks like | rule (method) |
//! |---|---|
//! | the same string as the answer | `string` |
//! | `x = 3`, a single variable on the left | compare the right-hand sides |
//! | `A`..`E`, `(B)` | `choice`: the same letter |
//! | a number (`0.5`, `\frac12`, `1\frac12`, `1,000`) | `numeric`: exact rationals, see [`numbers_equal`]; an answer such as `\sqrt{4}` is evaluated |
//! | `\begin{pmatrix}..\end{pmatrix}` | `matrix`: same shape, entries equal |
//! | `A \cup B` | `union`: the same pieces in any order |
//! | `(a, b)`, `[a, b)` | `tuple`: same brackets, entries equal in order (points and intervals) |
//! | `\{a, b\}`, or `a, b` without brackets | `set`: the same elements in any order |
//! | `l = r` | `equation`: `l − r` proportional on both sides |
//! | any expression | `expression`: equal at random points (exact for rational functions) |
//!
//! An inequality in one variable (`2 \le x < 5`, `x > 3`) is first rewritten as the interval it
//! describes (`[2, 5)`, `(3, \infty)`), so it compares with intervals.
//!
//! Anything that parses as none of these is compared as a string with whitespace removed.
//! Commas are thousands separators only inside a well-formed number (`1,000`); otherwise they
//! separate elements (`1, 0`), so context decides.

use std::sync::LazyLock;

use regex::Regex;

use super::expr;
use super::extract::normalize;
pub use super::number::{Real, numbers_equal, parse_real};

static EQUATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?\s*=\s*([^=]+)$")
        .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
});
static MATRIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\\begin\{([pbBvV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{([pbBvV]?matrix|array)\}$")
        .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
});
static WORD_SEPARATOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:or|and)\s+").unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
});

/// How a comparison was decided, for score details.
pub type Method = &'static str;

/// Whether `answer` (as extracted) equals `gold`, and which rule decided it (see the module docs).
pub fn equivalent(answer: &str, gold: &str) -> (bool, Method) {
    equivalent_normalized(&prepare(answer), &prepare(gold))
}

/// Normalises an answer and rewrites the forms that have a canonical twin: `x = 1 or x = 2` is
/// the list `x = 1, x = 2`, and an inequality is its interval.
fn prepare(answer: &str) -> String {
    let s = WORD_SEPARATOR_RE.replace_all(&normalize(answer), ", ").into_owned();
    inequality_as_interval(&s).unwrap_or(s)
}

/// A canonical form of an answer, so that samples giving the same answer in different forms
/// (`0.5`, `\frac12`, `x = 1/2`) fall in one group for a majority vote: integers exactly, other
/// numbers and constant expressions to six significant digits, anything else as its normalised
/// text.
pub fn answer_key(answer: &str) -> String {
    let prepared = prepare(answer);
    let s = strip_equation(&prepared);
    match parse_real(s).or_else(|| expr::constant_value(s)) {
        Some(r) => match r.as_int() {
            Some(n) => n.to_string(),
            None if r.value.is_finite() => format!("{:.5e}", r.value),
            None => squash(s),
        },
        None => squash(s),
    }
}

fn equivalent_normalized(a: &str, g: &str) -> (bool, Method) {
    if squash(a) == squash(g) {
        return (true, "string");
    }
    if let (Some(asides), Some(gsides)) = (equation(a), equation(g))
        && let Some(same) = expr::same_equation(asides, gsides)
    {
        return (same, "equation");
    }
    let (a, g) = (strip_equation(a), strip_equation(g));
    if let Some(gl) = choice_letter(g, true) {
        return (choice_letter(a, false) == Some(gl), "choice");
    }
    if let Some(gn) = parse_real(g) {
        let same = match parse_real(a) {
            Some(an) => numbers_equal(an, gn),
            None => expr::same_value(a, g) == Some(true),
        };
        return (same, "numeric");
    }
    if let Some(gm) = matrix(g) {
        let same = matrix(a).is_some_and(|am| {
            am.len() == gm.len()
                && am.iter().zip(&gm).all(|(ar, gr)| ar.len() == gr.len() && all_equal(ar, gr))
        });
        return (same, "matrix");
    }
    if let Some(gparts) = split_top_level(g, "\\cup") {
        let same = split_top_level(a, "\\cup").is_some_and(|aparts| same_elements(&aparts, &gparts));
        return (same, "union");
    }
    if let Some((go, gc, gitems)) = tuple(g) {
        let same = tuple(a).is_some_and(|(ao, ac, aitems)| {
            ao == go && ac == gc && aitems.len() == gitems.len() && all_equal(&aitems, &gitems)
        });
        return (same, "tuple");
    }
    if let Some(gitems) = set_or_list(g) {
        let same = set_or_list(a).is_some_and(|aitems| same_elements(&aitems, &gitems));
        return (same, "set");
    }
    if let Some(gsides) = equation(g) {
        let same = equation(a).and_then(|asides| expr::same_equation(asides, gsides)) == Some(true);
        return (same, "equation");
    }
    if let Some(same) = expr::same_value(a, g) {
        return (same, "expression");
    }
    (false, "string")
}

/// Whether the items are pairwise equal, in order.
fn all_equal(answer: &[&str], gold: &[&str]) -> bool {
    answer.iter().zip(gold).all(|(x, y)| equivalent_normalized(x.trim(), y.trim()).0)
}

/// Whether two lists hold equal elements in any order (as multisets).
fn same_elements(answer: &[&str], gold: &[&str]) -> bool {
    if answer.len() != gold.len() {
        return false;
    }
    let mut used = vec![false; answer.len()];
    gold.iter().all(|g| {
        let hit =
            (0..answer.len()).find(|&i| !used[i] && equivalent_normalized(answer[i].trim(), g.trim()).0);
        hit.map(|i| used[i] = true).is_some()
    })
}

/// The string with all whitespace removed, for the exact-string rule.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The right-hand side of `v = rhs` when the left side is a single variable; else the string.
fn strip_equation(s: &str) -> &str {
    match EQUATION_RE.captures(s).and_then(|c| c.get(1)) {
        Some(rhs) => rhs.as_str().trim(),
        None => s,
    }
}

/// A multiple-choice letter (`A`, `(B)`, `C)`), upper-cased.
fn choice_letter(s: &str, upper_only: bool) -> Option<char> {
    let t = s.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let mut chars = t.chars();
    let c = chars.next()?;
    let ok = chars.next().is_none()
        && if upper_only { ('A'..='E').contains(&c) } else { ('A'..='E').contains(&c.to_ascii_uppercase()) };
    ok.then(|| c.to_ascii_uppercase())
}

/// `s` split at every top-level (outside brackets and braces) occurrence of `sep`; `None` when
/// there is none or the brackets do not balance.
fn split_top_level<'a>(s: &'a str, sep: &str) -> Option<Vec<&'a str>> {
    let mut items = Vec::new();
    let (mut depth, mut start, mut i) = (0i32, 0usize, 0usize);
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ if depth == 0 && s[i..].starts_with(sep) => {
                items.push(&s[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
        i += 1;
    }
    items.push(&s[start..]);
    (depth == 0 && items.len() >= 2).then_some(items)
}

/// A bracketed list of two or more items: `(open, close, items)`. The opening and closing
/// brackets must enclose the whole string (`(1)+(2)` is not a tuple).
fn tuple(s: &str) -> Option<(char, char, Vec<&str>)> {
    let s = s.trim();
    let open = s.chars().next().filter(|c| matches!(c, '(' | '['))?;
    let close = s.chars().next_back().filter(|c| matches!(c, ')' | ']'))?;
    let inner = s.get(1..s.len() - 1)?;
    let items = split_top_level(inner, ",")?;
    Some((open, close, items))
}

/// Elements of `\{a, b\}` (any count), or of a bare list `a, b` (two or more, also `a or b`).
fn set_or_list(s: &str) -> Option<Vec<&str>> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix("\\{").and_then(|t| t.strip_suffix("\\}")) {
        return Some(split_top_level(inner, ",").unwrap_or_else(|| vec![inner]));
    }
    split_top_level(s, ",")
}

/// Rows of a LaTeX matrix (`pmatrix`, `bmatrix`, `array`...), each a list of entries.
fn matrix(s: &str) -> Option<Vec<Vec<&str>>> {
    let caps = MATRIX_RE.captures(s.trim())?;
    let body = caps.get(2)?.as_str();
    let rows: Vec<Vec<&str>> = body
        .split("\\\\")
        .filter(|row| !row.trim().is_empty())
        .map(|row| row.split('&').map(str::trim).collect())
        .collect();
    (!rows.is_empty()).then_some(rows)
}

/// The two sides of an equation with exactly one `=` (and no other relation).
fn equation(s: &str) -> Option<(&str, &str)> {
    let (l, r) = s.split_once('=')?;
    (!r.contains('=') && !l.trim().is_empty() && !r.trim().is_empty()).then_some((l.trim(), r.trim()))
}

/// The interval an inequality in one variable describes: `a < x \le b` is `(a, b]`, `x \ge a` is
/// `[a, \infty)`. `None` for anything else.
fn inequality_as_interval(s: &str) -> Option<String> {
    if !s.contains(['<', '>']) && !s.contains("\\l") && !s.contains("\\g") {
        return None;
    }
    let mut t = s.to_owned();
    for (from, to) in [
        ("\\leqslant", "<="),
        ("\\geqslant", ">="),
        ("\\leq", "<="),
        ("\\geq", ">="),
        ("\\le", "<="),
        ("\\ge", ">="),
        ("\\lt", "<"),
        ("\\gt", ">"),
        ("\u{2264}", "<="),
        ("\u{2265}", ">="),
    ] {
        t = t.replace(from, to);
    }
    // Split into operands and relations: `a`, `<`, `x`, `<=`, `b`.
    let (mut parts, mut relations) = (Vec::new(), Vec::new());
    let mut rest = t.as_str();
    while let Some(pos) = rest.find(['<', '>']) {
        parts.push(rest[..pos].trim());
        let (relation, len) = match (&rest[pos..pos + 1], rest[pos + 1..].starts_with('=')) {
            ("<", true) => ("<=", 2),
            ("<", false) => ("<", 1),
            (_, true) => (">=", 2),
            (_, false) => (">", 1),
        };
        relations.push(relation);
        rest = &rest[pos + len..];
    }
    parts.push(rest.trim());
    let is_var = |p: &str| p.len() == 1 && p.chars().all(|c| c.is_ascii_alphabetic());
    let less = |r: &str| r.starts_with('<');
    let closed = |r: &str| r.ends_with('=');
    let (lo, lo_closed, hi, hi_closed) = match (parts.as_slice(), relations.as_slice()) {
        ([x, b], [r]) if is_var(x) && less(r) => ("-\\infty", false, *b, closed(r)),
        ([x, a], [r]) if is_var(x) => (*a, closed(r), "\\infty", false),
        ([a, x], [r]) if is_var(x) && less(r) => (*a, closed(r), "\\infty", false),
        ([b, x], [r]) if is_var(x) => ("-\\infty", false, *b, closed(r)),
        ([a, x, b], [r1, r2]) if is_var(x) && less(r1) && less(r2) => (*a, closed(r1), *b, closed(r2)),
        ([b, x, a], [r1, r2]) if is_var(x) && !less(r1) && !less(r2) => (*a, closed(r2), *b, closed(r1)),
        _ => return None,
    };
    if lo.is_empty() || hi.is_empty() {
        return None;
    }
    let (open, close) = (if lo_closed { '[' } else { '(' }, if hi_closed { ']' } else { ')' });
    Some(format!("{open}{lo}, {hi}{close}"))
}
