//! `choice` mode: finding the option letter a model chose.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::number::glues;
use super::{Verdict, any_of, static_regex};
use crate::core::NO_ANSWER;

static ANSWER_CHOICE_RE: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(r"(?i:\banswer\b)(?:\s+(?i:is)\b)?[\s*_:=\-]*(?:(?i:option|choice)\b[\s*_:]*)?")
});
static PAREN_LETTER_RE: LazyLock<Regex> = LazyLock::new(|| static_regex(r"\(([A-J])\)"));
static BOLD_LETTER_RE: LazyLock<Regex> = LazyLock::new(|| static_regex(r"\*\*\s*([A-J])\s*[.)]?\s*\*\*"));
static CONNECTOR_RE: LazyLock<Regex> = LazyLock::new(|| static_regex(r"^[\s*_)\]]*(?:or|and|/|,|&)[\s*_]*"));

fn is_option(c: u8) -> bool {
    (b'A'..=b'J').contains(&c.to_ascii_uppercase())
}

pub(super) fn expected_letters(expected: &Value) -> Result<Vec<char>, String> {
    any_of(expected)?
        .into_iter()
        .map(|v| {
            let s = v.as_str().unwrap_or_default().trim();
            let s = s.strip_prefix('(').and_then(|s| s.strip_suffix(')')).unwrap_or(s).trim();
            match s.as_bytes() {
                [c] if is_option(*c) => Ok(char::from(c.to_ascii_uppercase())),
                _ => Err(format!("choice mode needs an option letter A-J (or a list of them), found {v}")),
            }
        })
        .collect()
}

/// An option letter starting at byte `i`: `(B)`, `[b]`, or a bare upper-case `B` not followed
/// by a word character. Returns the letter and the end of the token.
fn letter_token_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = text.as_bytes();
    let &c = b.get(i)?;
    if matches!(c, b'(' | b'[') {
        let close = if c == b'(' { b')' } else { b']' };
        let &letter = b.get(i + 1)?;
        return (is_option(letter) && b.get(i + 2) == Some(&close))
            .then(|| (char::from(letter.to_ascii_uppercase()), i + 3));
    }
    if !(b'A'..=b'J').contains(&c) || b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric() || *n >= 0x80) {
        return None;
    }
    if matches!(c, b'A' | b'I') {
        // "A bit", "I think": English words, not options.
        let rest = &b[i + 1..];
        let spaces = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if spaces > 0 && rest.get(spaces).is_some_and(u8::is_ascii_lowercase) {
            return None;
        }
    }
    Some((char::from(c), i + 1))
}

/// Finds the model's chosen letter: `Ok((letter, rule))`, or `Err(reason)`.
fn extract_choice(text: &str) -> Result<(char, &'static str), String> {
    let trimmed = text.trim();
    let bare = trimmed.trim_matches(|c: char| c.is_whitespace() || "*()[].:".contains(c));
    if let [c] = bare.as_bytes()
        && is_option(*c)
    {
        return Ok((char::from(c.to_ascii_uppercase()), "lone_letter"));
    }
    let phrases: Vec<usize> = ANSWER_CHOICE_RE.find_iter(text).map(|m| m.end()).collect();
    for &end in phrases.iter().rev() {
        if let Some((letter, after)) = letter_token_at(text, end) {
            if let Some(conn) = CONNECTOR_RE.find(&text[after..])
                && let Some((other, _)) = letter_token_at(text, after + conn.end())
                && other != letter
            {
                return Err(format!("ambiguous: the answer names both {letter} and {other}"));
            }
            return Ok((letter, "answer_phrase"));
        }
    }
    let standalone = PAREN_LETTER_RE
        .captures_iter(text)
        .filter_map(|c| c.get(0).zip(c.get(1)))
        .filter(|(whole, _)| whole.start() == 0 || !glues(text.as_bytes()[whole.start() - 1]))
        .last();
    if let Some((_, letter)) = standalone {
        return Ok((letter.as_str().chars().next().unwrap_or('?'), "parenthesised"));
    }
    if let Some(letter) = BOLD_LETTER_RE.captures_iter(text).filter_map(|c| c.get(1)).last() {
        return Ok((letter.as_str().chars().next().unwrap_or('?'), "bold"));
    }
    if let [c, b')' | b'.', ..] = trimmed.as_bytes()
        && (b'A'..=b'J').contains(c)
    {
        return Ok((char::from(*c), "leading"));
    }
    Err("no choice letter found in the output".into())
}

pub(super) fn check_choice(expected: &Value, output: &str) -> Result<Verdict, String> {
    let wanted = expected_letters(expected)?;
    let wanted_text: Vec<String> = wanted.iter().map(char::to_string).collect();
    Ok(match extract_choice(output) {
        Ok((letter, rule)) => {
            let passed = wanted.contains(&letter);
            let mut detail = json!({
                "extracted": letter.to_string(), "rule": rule, "expected": wanted_text,
                "answer_key": letter.to_string(),
            });
            if !passed {
                detail["reason"] = "chosen letter is not an expected one".into();
            }
            Verdict::new(passed, detail)
        }
        Err(reason) => {
            Verdict::new(false, json!({ "reason": reason, "expected": wanted_text, "answer_key": NO_ANSWER }))
        }
    })
}
