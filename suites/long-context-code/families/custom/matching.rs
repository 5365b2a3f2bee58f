//! Assertions for the team's own prompts: how a model's output is checked against `expected`.
//!
//! Each custom task names one [`MatchMode`]. [`MatchMode::validate_expected`] runs when the suite
//! is loaded so a bad task (a regex that does not compile, a non-numeric `expected` in number
//! mode, ...) is rejected before anything is sent; [`MatchMode::check`] runs once per output and
//! returns a [`Verdict`] whose `detail` says what was extracted and compared.
//!
//! Compiled regexes and JSON Schemas are cached per pattern/schema text, since `check` may run
//! on the order of 100 000 times over a run.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod choice;
mod json;
mod number;

use choice::{check_choice, expected_letters};
use json::{cached_validator, check_json, check_schema, is_schema_object};
use number::{check_number, expected_numbers};

/// How a custom task's output is compared with its `expected` value (the `match` field).
///
/// Modes that accept a list (`exact`, `contains`, `regex`, `number`, `choice`) treat it as
/// "any of": the task passes when one entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// `exact`: the output, with leading and trailing whitespace removed, equals `expected`
    /// (also trimmed) character for character. Case-sensitive; nothing else is stripped (quotes,
    /// backticks and a trailing period all count). `expected`: a string, number or boolean
    /// (compared as its JSON text), or a list of them.
    Exact,
    /// `contains`: `expected` appears somewhere in the output (case-sensitive substring).
    /// `expected`: a non-empty string or a list of them.
    Contains,
    /// `regex`: the pattern (Rust `regex` syntax) matches anywhere in the output; anchor with
    /// `^`/`$` to match it all, prefix `(?i)` for case-insensitive, `(?s)` to let `.` cross
    /// lines. `expected`: a pattern or a list of patterns.
    Regex,
    /// `number`: the model's final number equals `expected` numerically (whole numbers exactly;
    /// otherwise relative tolerance 1e-6, absolute 1e-9 near zero). The final number is, in order of preference: the last
    /// number in the last `\boxed{...}`; the first number after the last `####`; the number
    /// right after the last "answer is" / "answer:" (case-insensitive, only markdown, quotes or
    /// brackets in between); otherwise the last number in the output. A number may carry a sign,
    /// `$`, thousands separators (`1,234,567`; `1,2,3` is three numbers), decimals, an
    /// exponent (`1e-3`), a trailing `%` (ignored: `50%` is 50) and may be a simple fraction
    /// (`3/4` is 0.75; LaTeX `\frac{3}{4}` too). `expected`: a number, a string holding exactly
    /// one such number (`"1,200"`), or a list of them.
    Number,
    /// `choice`: multiple choice, letters A–J. The model's letter is, in order: the whole output
    /// when it is a single letter (`B`, `(b)`, `B.`); the letter after the last "answer is" /
    /// "answer:" phrase (`Answer: B`, `answer is (B)`, `**Answer:** **B**`); the last standalone
    /// `(B)`; the last bold `**B**`; a leading `B)` or `B.`. Bare letters must be upper case,
    /// and "A"/"I" followed by a lower-case word are read as English, not as options. An answer
    /// naming two letters (`B or C`) fails as ambiguous. `expected`: a letter (any case) or a
    /// list of acceptable letters.
    Choice,
    /// `json`: the JSON value in the output equals `expected` (object key order is ignored,
    /// numbers compare numerically so `1 == 1.0`). The value is taken from the first fenced
    /// code block (```` ```json ````) that parses, else the whole trimmed output, else the first
    /// balanced `{...}`/`[...]` substring that parses (trying ones of `expected`'s kind first).
    /// An `expected` string holding a JSON object/array is compared as that value; an
    /// `expected` object with a `"$schema"` key is treated as `json_schema`.
    Json,
    /// `json_schema`: the output's JSON value (found as for `json`) validates against
    /// `expected`, a JSON Schema (draft detected from `$schema`, default 2020-12). Remote
    /// `$ref`s are not fetched. The detail lists the first few validation errors.
    JsonSchema,
}

/// The result of checking one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether the output satisfies the assertion.
    pub passed: bool,
    /// What was extracted and compared, and on failure why (stored with the score).
    pub detail: Value,
}

impl Verdict {
    fn new(passed: bool, detail: Value) -> Self {
        Verdict { passed, detail }
    }

    fn invalid(error: String) -> Self {
        Verdict::new(false, json!({ "error": format!("invalid expected value: {error}") }))
    }
}

impl MatchMode {
    /// Checks `output` against `expected` under this mode (semantics on each variant).
    /// Never panics; an `expected` that [`MatchMode::validate_expected`] would reject fails with
    /// an `error` detail.
    pub fn check(self, expected: &Value, output: &str) -> Verdict {
        let result = match self {
            MatchMode::Exact => check_exact(expected, output),
            MatchMode::Contains => check_contains(expected, output),
            MatchMode::Regex => check_regex(expected, output),
            MatchMode::Number => check_number(expected, output),
            MatchMode::Choice => check_choice(expected, output),
            MatchMode::Json if is_schema_object(expected) => check_schema(expected, output),
            MatchMode::Json => Ok(check_json(expected, output)),
            MatchMode::JsonSchema => check_schema(expected, output),
        };
        result.unwrap_or_else(Verdict::invalid)
    }

    /// Checks at suite load time that `expected` is usable with this mode, so a bad task is
    /// reported with a clear message instead of failing every output.
    ///
    /// # Errors
    /// A human-readable reason: wrong type, empty list or string, a regex that does not
    /// compile, a non-numeric value in number mode, a choice that is not a letter A–J, an
    /// invalid JSON Schema.
    pub fn validate_expected(self, expected: &Value) -> Result<(), String> {
        match self {
            MatchMode::Exact => texts_of(expected).map(drop),
            MatchMode::Contains => {
                if texts_of(expected)?.iter().any(String::is_empty) {
                    return Err("contains mode needs non-empty strings".into());
                }
                Ok(())
            }
            MatchMode::Regex => {
                for pattern in patterns_of(expected)? {
                    cached_regex(pattern)?;
                }
                Ok(())
            }
            MatchMode::Number => expected_numbers(expected).map(drop),
            MatchMode::Choice => expected_letters(expected).map(drop),
            MatchMode::Json if is_schema_object(expected) => cached_validator(expected).map(drop),
            MatchMode::Json => Ok(()),
            MatchMode::JsonSchema => {
                if !expected.is_object() && !expected.is_boolean() {
                    return Err("json_schema mode needs a JSON Schema object".into());
                }
                cached_validator(expected).map(drop)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// exact / contains / regex

/// The entries of an any-of `expected`: a list's items, or the value itself.
fn any_of(expected: &Value) -> Result<Vec<&Value>, String> {
    match expected {
        Value::Array(items) if items.is_empty() => Err("the list of expected values is empty".into()),
        Value::Array(items) => Ok(items.iter().collect()),
        other => Ok(vec![other]),
    }
}

fn texts_of(expected: &Value) -> Result<Vec<String>, String> {
    any_of(expected)?
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!("expected a string or number (or a list of them), found {other}")),
        })
        .collect()
}

fn patterns_of(expected: &Value) -> Result<Vec<&str>, String> {
    any_of(expected)?
        .into_iter()
        .map(|v| match v.as_str() {
            Some("") => Err("regex mode needs non-empty patterns".to_string()),
            Some(s) => Ok(s),
            None => Err(format!("regex mode needs a pattern string (or a list of them), found {v}")),
        })
        .collect()
}

fn check_exact(expected: &Value, output: &str) -> Result<Verdict, String> {
    let texts = texts_of(expected)?;
    let got = output.trim();
    let passed = texts.iter().any(|t| t.trim() == got);
    let mut detail = json!({ "got": clip(got, 200), "expected": texts });
    if !passed {
        detail["reason"] = "trimmed output differs from every expected value".into();
    }
    Ok(Verdict::new(passed, detail))
}

fn check_contains(expected: &Value, output: &str) -> Result<Verdict, String> {
    let texts = texts_of(expected)?;
    Ok(match texts.iter().find(|t| !t.is_empty() && output.contains(t.as_str())) {
        Some(found) => Verdict::new(true, json!({ "found": found })),
        None => Verdict::new(
            false,
            json!({ "reason": "no expected substring appears in the output", "expected": texts }),
        ),
    })
}

fn check_regex(expected: &Value, output: &str) -> Result<Verdict, String> {
    let patterns = patterns_of(expected)?;
    for pattern in &patterns {
        if let Some(m) = cached_regex(pattern)?.find(output) {
            return Ok(Verdict::new(true, json!({ "pattern": pattern, "matched": clip(m.as_str(), 200) })));
        }
    }
    Ok(Verdict::new(false, json!({ "reason": "no pattern matched the output", "patterns": patterns })))
}

/// Entries kept per cache before it is cleared (suites hold far fewer distinct patterns).
const CACHE_MAX: usize = 4096;

static REGEX_CACHE: LazyLock<Mutex<HashMap<String, Regex>>> = LazyLock::new(Default::default);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn cached_regex(pattern: &str) -> Result<Regex, String> {
    if let Some(re) = lock(&REGEX_CACHE).get(pattern) {
        return Ok(re.clone());
    }
    let re = Regex::new(pattern).map_err(|e| format!("regex `{pattern}` does not compile: {e}"))?;
    let mut cache = lock(&REGEX_CACHE);
    if cache.len() >= CACHE_MAX {
        cache.clear();
    }
    cache.insert(pattern.to_owned(), re.clone());
    Ok(re)
}

fn clip(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Compiles a regex known at build time (the patterns below are literals covered by tests).
fn static_regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
