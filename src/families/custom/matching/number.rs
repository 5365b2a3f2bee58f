//! `number` mode: finding the model's final number in free text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::{Verdict, any_of, static_regex};
use crate::core::NO_ANSWER;

/// One number found in a text: its byte span and value.
#[derive(Debug, Clone, Copy)]
struct NumToken {
    start: usize,
    end: usize,
    value: f64,
}

static FRAC_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"\\[dt]?frac\s*\{\s*([^{}]+?)\s*\}\s*\{\s*([^{}]+?)\s*\}"));
static ANSWER_RE: LazyLock<Regex> = LazyLock::new(|| static_regex(r"(?i)\banswer\b[\s*_]*(?:is\b|[:=])"));

/// Rewrites LaTeX spellings of numbers into plain ones (`\frac{3}{4}` -> `3/4`, `1{,}000`,
/// `1\,000` -> `1,000`, `\$` -> `$`, Unicode minus -> `-`).
fn normalize_math(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') && !text.contains('\u{2212}') && !text.contains("{,}") {
        return Cow::Borrowed(text);
    }
    let s = text
        .replace('\u{2212}', "-")
        .replace("{,}", ",")
        .replace("\\,", ",")
        .replace("\\!", "")
        .replace("\\$", "$")
        .replace("\\%", "%");
    Cow::Owned(FRAC_RE.replace_all(&s, "${1}/${2}").into_owned())
}

/// Characters that glue a following `-`/`+` to a preceding word, making it an operator
/// (`3-4`, `gpt-4`) rather than a sign.
pub(super) fn glues(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b')' | b']' | b'_')
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Parses a number starting exactly at byte `start` of `text`, if there is one.
fn parse_number_at(text: &str, start: usize) -> Option<NumToken> {
    let b = text.as_bytes();
    let mut i = start;
    let (mut sign, mut dollar) = (None, false);
    loop {
        match b.get(i) {
            Some(&c @ (b'-' | b'+')) if sign.is_none() => {
                if i > 0 && glues(b[i - 1]) {
                    return None;
                }
                sign = Some(c);
                i += 1;
            }
            Some(b'$') if !dollar => {
                dollar = true;
                i += 1;
            }
            _ => break,
        }
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
        return None;
    }
    let mut plain = String::new();
    if sign == Some(b'-') {
        plain.push('-');
    }
    let int_start = i;
    i = digits_end(b, i);
    let int_len = i - int_start;
    plain.push_str(&text[int_start..i]);
    let mut grouped = false;
    if (1..=3).contains(&int_len) {
        // Thousands groups: exactly three digits after each comma, and no digit after the group.
        while b.get(i) == Some(&b',') && digits_end(b, i + 1) == i + 4 {
            plain.push_str(&text[i + 1..i + 4]);
            i += 4;
            grouped = true;
        }
    }
    let mut plain_integer = !grouped;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        if int_len == 0 && i > 0 && b[i - 1].is_ascii_digit() {
            return None;
        }
        let end = digits_end(b, i + 1);
        plain.push_str(&text[i..end]);
        i = end;
        plain_integer = false;
    } else if int_len == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let end = digits_end(b, j);
        if end > j {
            plain.push_str(&text[i..end]);
            i = end;
            plain_integer = false;
        }
    }
    let mut value = plain.parse::<f64>().ok()?;
    if plain_integer && b.get(i) == Some(&b'/') {
        let den_end = digits_end(b, i + 1);
        let is_date_or_decimal = (matches!(b.get(den_end), Some(b'/' | b'.' | b','))
            && b.get(den_end + 1).is_some_and(u8::is_ascii_digit))
            || (start > 0 && b[start - 1] == b'/');
        if den_end > i + 1 && !is_date_or_decimal {
            let den = text[i + 1..den_end].parse::<f64>().ok()?;
            if den != 0.0 {
                value /= den;
                i = den_end;
            }
        }
    }
    if b.get(i) == Some(&b'%') {
        i += 1;
    }
    Some(NumToken { start, end: i, value })
}

/// All numbers in `text`, left to right.
fn scan_numbers(text: &str) -> Vec<NumToken> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match parse_number_at(text, i) {
            Some(token) => {
                i = token.end;
                out.push(token);
            }
            None => i += 1,
        }
    }
    out
}

/// Contents of every `\boxed{...}` (braces balanced), in order.
fn boxed_contents(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (pos, opener) in text.match_indices("\\boxed{") {
        let start = pos + opener.len();
        let mut depth = 1usize;
        for (i, c) in text[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(&text[start..start + i]);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The number directly after byte `from`, skipping only markdown/LaTeX/quote filler.
fn number_right_after(text: &str, from: usize) -> Option<NumToken> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() && i - from < 64 && (b[i].is_ascii_whitespace() || b"*_:=([{\\\"'`~".contains(&b[i])) {
        i += 1;
    }
    parse_number_at(text, i)
}

/// Finds the model's final number: `(extracted text, value, rule)`.
fn extract_number(text: &str) -> Option<(String, f64, &'static str)> {
    let found = |s: &str, t: NumToken, rule| (s[t.start..t.end].to_owned(), t.value, rule);
    for content in boxed_contents(text).into_iter().rev() {
        if let Some(t) = scan_numbers(content).pop() {
            return Some(found(content, t, "boxed"));
        }
    }
    for (pos, _) in text.rmatch_indices("####") {
        let rest = &text[pos + 4..];
        let line = rest.split('\n').next().unwrap_or_default();
        if let Some(&t) = scan_numbers(line).first() {
            return Some(found(line, t, "hashes"));
        }
    }
    let phrases: Vec<usize> = ANSWER_RE.find_iter(text).map(|m| m.end()).collect();
    for &end in phrases.iter().rev() {
        if let Some(t) = number_right_after(text, end) {
            return Some(found(text, t, "answer_phrase"));
        }
    }
    scan_numbers(text).pop().map(|t| found(text, t, "last_number"))
}

fn parse_expected_number(v: &Value) -> Result<f64, String> {
    let bad = || format!("number mode needs a number (or a list of numbers), found {v}");
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(bad),
        Value::String(s) => {
            let s = s.trim();
            match scan_numbers(s).as_slice() {
                [t] if t.start == 0 && t.end == s.len() && t.value.is_finite() => Ok(t.value),
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

pub(super) fn expected_numbers(expected: &Value) -> Result<Vec<f64>, String> {
    any_of(expected)?.into_iter().map(parse_expected_number).collect()
}

/// Numeric equality: two whole numbers must be equal exactly (a relative tolerance would make
/// 1,450,001 equal 1,450,000); otherwise relative tolerance 1e-6 and absolute tolerance 1e-9.
fn close_enough(a: f64, b: f64) -> bool {
    if a.fract() == 0.0 && b.fract() == 0.0 {
        return a == b;
    }
    let diff = (a - b).abs();
    a == b || diff <= 1e-9 || diff <= 1e-6 * a.abs().max(b.abs())
}

pub(super) fn check_number(expected: &Value, output: &str) -> Result<Verdict, String> {
    let wanted = expected_numbers(expected)?;
    let text = normalize_math(output);
    Ok(match extract_number(&text) {
        None => Verdict::new(
            false,
            json!({ "reason": "no number found in the output", "expected": wanted, "answer_key": NO_ANSWER }),
        ),
        Some((extracted, value, rule)) => {
            let passed = wanted.iter().any(|&w| close_enough(value, w));
            let key = if value.fract() == 0.0 && value.abs() < 1e15 {
                format!("{value:.0}")
            } else {
                format!("{value:.5e}")
            };
            let mut detail = json!({
                "extracted": extracted, "value": value, "rule": rule, "expected": wanted, "answer_key": key,
            });
            if !passed {
                detail["reason"] = "extracted number differs from every expected value".into();
            }
            Verdict::new(passed, detail)
        }
    })
}
