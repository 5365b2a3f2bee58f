//! Judging an episode as tau-bench does: the final state must equal the expected one, and the final
//! answer must contain every required fact.
//!
//! Both comparisons forgive what does not change the meaning: text is compared without regard to
//! case or spacing (`"## 1.5.0\n\n- Fix"` equals `"## 1.5.0\n- fix"`), numbers within half a cent,
//! and a numeric fact matches any number in the answer however it is written (`1234.5` matches
//! `1,234.50` and `$1234.50`).

use serde_json::Value;

/// State differences reported before the rest are summed up.
const MAX_DIFFS: usize = 12;
/// Numbers closer than this are equal (amounts are rounded to the cent).
const TOLERANCE: f64 = 0.005;

/// How much of the state the expected value covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Only the top-level parts the expected value names (a bundled world's `charts`, `files`...).
    Parts,
    /// The whole value (an MCP state tool's result).
    Whole,
}

/// Where `actual` differs from `expected`, one line each (`charts[0].values[1]: expected 12.5, got
/// 12`); empty when they agree.
pub(crate) fn state_diff(expected: &Value, actual: &Value, scope: Scope) -> Vec<String> {
    let mut out = Vec::new();
    match (scope, expected, actual) {
        (Scope::Parts, Value::Object(parts), Value::Object(state)) => {
            for (part, want) in parts {
                match state.get(part) {
                    Some(got) => diff(want, got, part, &mut out),
                    None => out.push(format!("{part}: missing from the state")),
                }
            }
        }
        _ => diff(expected, actual, "state", &mut out),
    }
    if out.len() > MAX_DIFFS {
        let more = out.len() - MAX_DIFFS;
        out.truncate(MAX_DIFFS);
        out.push(format!("... and {more} more"));
    }
    out
}

fn diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, w) in want {
                let at = format!("{path}.{key}");
                match got.get(key) {
                    Some(g) => diff(w, g, &at, out),
                    None => out.push(format!("{at}: expected {}, missing", show(w))),
                }
            }
            for key in got.keys().filter(|k| !want.contains_key(*k)) {
                out.push(format!("{path}.{key}: not expected, got {}", show(&got[key])));
            }
        }
        (Value::Array(want), Value::Array(got)) if want.len() != got.len() => {
            out.push(format!("{path}: expected {} items, got {}: {}", want.len(), got.len(), show(actual)))
        }
        (Value::Array(want), Value::Array(got)) => {
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                diff(w, g, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(w), Value::Number(g)) => {
            if !w.as_f64().zip(g.as_f64()).is_some_and(|(w, g)| same_number(w, g)) {
                out.push(format!("{path}: expected {w}, got {g}"));
            }
        }
        (Value::String(w), Value::String(g)) => {
            if normalize(w) != normalize(g) {
                out.push(format!("{path}: expected {}, got {}", show(expected), show(actual)));
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{path}: expected {}, got {}", show(w), show(g))),
    }
}

fn same_number(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE.max(a.abs().max(b.abs()) * 1e-12)
}

/// A value as it appears in a difference, clipped so one long file does not flood the detail.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 160 {
        return text;
    }
    format!("{}...", text.chars().take(160).collect::<String>())
}

/// Text as compared: lower case, every run of white space one space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The facts `answer` does not contain, in the task's order (markdown's `*` and `` ` `` marks aside).
pub(crate) fn missing_facts(answer: &str, facts: &[String]) -> Vec<String> {
    let plain = normalize(&answer.replace(['*', '`'], ""));
    let numbers = numbers_in(answer);
    facts
        .iter()
        .filter(|fact| match as_number(fact) {
            Some(want) => !numbers.iter().any(|got| same_number(want, *got)),
            None => !plain.contains(&normalize(fact)),
        })
        .cloned()
        .collect()
}

/// A fact that is a plain number (`1234.50`, `1,234.50`, `-3`), currency signs aside.
fn as_number(fact: &str) -> Option<f64> {
    let bare = fact.trim().trim_start_matches(['$', '€', '£']).replace(',', "");
    let digits = bare.strip_prefix('-').unwrap_or(&bare);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next()?;
    let fraction = parts.next().unwrap_or("0");
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(whole) && numeric(fraction)).then(|| bare.parse().ok()).flatten()
}

/// Every number written in `text`: `1,234.50` is one number, a `-` counts as a sign only where no
/// word comes before it (`B-701` holds 701, not -701).
fn numbers_in(text: &str) -> Vec<f64> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut digits = String::new();
        while end < b.len() && b[end].is_ascii_digit() {
            digits.push(b[end] as char);
            end += 1;
            // A comma followed by exactly three digits groups thousands.
            let group = end + 4 <= b.len()
                && b.get(end) == Some(&b',')
                && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
                && !b.get(end + 4).is_some_and(u8::is_ascii_digit);
            if group {
                end += 1;
            }
        }
        if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            digits.push('.');
            end += 1;
            while end < b.len() && b[end].is_ascii_digit() {
                digits.push(b[end] as char);
                end += 1;
            }
        }
        let signed = i >= 1 && b[i - 1] == b'-' && (i < 2 || !b[i - 2].is_ascii_alphanumeric());
        if let Ok(value) = digits.parse::<f64>() {
            found.push(if signed { -value } else { value });
        }
        i = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_read_however_they_are_written() {
        assert_eq!(numbers_in("€1,234.50 and 12,5 and B-701, -3"), vec![1234.5, 12.0, 5.0, 701.0, -3.0]);
        assert_eq!(numbers_in("version 1.5.0 on 2026-03"), vec![1.5, 2026.0, 3.0]);
        assert_eq!(numbers_in("1,000,000"), vec![1_000_000.0]);
        assert_eq!(as_number("1,234.50"), Some(1234.5));
        assert_eq!(as_number("$89"), Some(89.0));
        assert_eq!(as_number("1.5.0"), None);
        assert_eq!(as_number("B-701"), None);
    }

    #[test]
    fn facts_match_without_regard_to_case_spacing_or_number_format() {
        let answer = "**Acme  Corp** leads with $1,234.50 (order `O-3004`).";
        let facts: Vec<String> =
            ["acme corp", "1234.5", "O-3004", "1234.51", "Birch Labs"].map(String::from).to_vec();
        assert_eq!(missing_facts(answer, &facts), vec!["1234.51".to_string(), "Birch Labs".to_string()]);
    }

    #[test]
    fn only_the_named_parts_are_compared_and_each_difference_is_located() {
        let expected = json!({"charts": [{"kind": "bar", "values": [10.5, 2]}], "reports": []});
        let same = json!({"charts": [{"kind": "BAR", "values": [10.501, 2.0]}], "reports": [], "emails": [{"to": "x"}]});
        assert!(state_diff(&expected, &same, Scope::Parts).is_empty());
        let off = json!({"charts": [{"kind": "line", "values": [10.4, 2], "extra": 1}], "reports": [{"chart_ids": []}]});
        let diffs = state_diff(&expected, &off, Scope::Parts);
        assert_eq!(diffs.len(), 4, "{diffs:?}");
        assert!(diffs[0].starts_with("charts[0].kind: expected \"bar\""), "{diffs:?}");
        assert!(diffs[1].starts_with("charts[0].values[0]: expected 10.5, got 10.4"), "{diffs:?}");
        assert!(diffs[2].starts_with("charts[0].extra: not expected"), "{diffs:?}");
        assert!(diffs[3].starts_with("reports: expected 0 items, got 1"), "{diffs:?}");
        assert_eq!(
            state_diff(&json!({"files": {}}), &json!({}), Scope::Parts),
            vec!["files: missing from the state"]
        );
        let whole = state_diff(&json!({"a": 1}), &json!({"a": 1, "b": 2}), Scope::Whole);
        assert_eq!(whole, vec!["state.b: not expected, got 2"]);
    }

    #[test]
    fn text_in_the_state_compares_without_regard_to_case_or_spacing() {
        let expected = json!({"files": {"CHANGELOG.md": "## 1.5.0\n- Fix\n\n## 1.4.2"}});
        let actual = json!({"files": {"CHANGELOG.md": "## 1.5.0\n\n- fix\n## 1.4.2\n"}});
        assert!(state_diff(&expected, &actual, Scope::Parts).is_empty());
        let changed = json!({"files": {"CHANGELOG.md": "## 1.5.0\n- Fixed\n## 1.4.2"}});
        assert_eq!(state_diff(&expected, &changed, Scope::Parts).len(), 1);
        let many =
            json!({"files": (0..20).map(|i| (i.to_string(), json!(i))).collect::<serde_json::Map<_, _>>()});
        let diffs = state_diff(&json!({"files": {}}), &many, Scope::Parts);
        assert_eq!(diffs.last().unwrap(), "... and 8 more");
    }
}
