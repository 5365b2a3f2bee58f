//! `json` and `json_schema` modes: finding a JSON value in the output and comparing it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;
use serde_json::{Value, json};

use super::{CACHE_MAX, Verdict, clip, lock, static_regex};

static SCHEMA_CACHE: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> =
    LazyLock::new(Default::default);
static FENCE_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?s)```[A-Za-z0-9_+-]*[ \t]*\r?\n?(.*?)```"));

/// Balanced-substring candidates tried before giving up (keeps pathological outputs cheap).
const MAX_JSON_CANDIDATES: usize = 64;

pub(super) fn is_schema_object(v: &Value) -> bool {
    v.as_object().is_some_and(|o| o.contains_key("$schema"))
}

/// End (exclusive) of the balanced `{...}`/`[...]` starting at `start`, skipping string contents.
fn balanced_end(b: &[u8], start: usize) -> Option<usize> {
    let mut stack = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (i, &c) in b.iter().enumerate().skip(start) {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' => stack.push(b'}'),
            b'[' => stack.push(b']'),
            b'}' | b']' => {
                if stack.pop() != Some(c) {
                    return None;
                }
                if stack.is_empty() {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The JSON value in `text` and where it came from; `prefer` (`{` or `[`) orders substring
/// candidates so values of the expected kind are tried first.
fn extract_json(text: &str, prefer: Option<u8>) -> Option<(Value, &'static str)> {
    for caps in FENCE_RE.captures_iter(text) {
        if let Some(Ok(v)) = caps.get(1).map(|m| serde_json::from_str(m.as_str().trim())) {
            return Some((v, "fenced"));
        }
    }
    if let Ok(v) = serde_json::from_str(text.trim()) {
        return Some((v, "whole"));
    }
    let b = text.as_bytes();
    let mut starts: Vec<usize> = (0..b.len()).filter(|&i| matches!(b[i], b'{' | b'[')).collect();
    if let Some(p) = prefer {
        starts.sort_by_key(|&i| b[i] != p);
    }
    starts
        .into_iter()
        .take(MAX_JSON_CANDIDATES)
        .filter_map(|s| balanced_end(b, s).map(|e| &text[s..e]))
        .find_map(|candidate| serde_json::from_str(candidate).ok())
        .map(|v| (v, "substring"))
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// First difference between `expected` and `got` as `(JSON pointer, reason)`.
fn first_mismatch(expected: &Value, got: &Value, path: &str) -> Option<(String, String)> {
    let here = |reason: String| Some((if path.is_empty() { "/".into() } else { path.to_owned() }, reason));
    match (expected, got) {
        (Value::Number(a), Value::Number(b)) => {
            if numbers_equal(a, b) {
                None
            } else {
                here(format!("expected {a}, got {b}"))
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            if let Some(k) = a.keys().find(|k| !b.contains_key(*k)) {
                return here(format!("missing key `{k}`"));
            }
            if let Some(k) = b.keys().find(|k| !a.contains_key(*k)) {
                return here(format!("unexpected key `{k}`"));
            }
            a.iter().find_map(|(k, v)| {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                first_mismatch(v, &b[k], &format!("{path}/{escaped}"))
            })
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return here(format!("expected {} items, got {}", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| first_mismatch(x, y, &format!("{path}/{i}")))
        }
        (a, b) if a == b => None,
        (a, b) => here(format!("expected {}, got {}", clip(&a.to_string(), 100), clip(&b.to_string(), 100))),
    }
}

pub(super) fn check_json(expected: &Value, output: &str) -> Verdict {
    let parsed;
    let expected = match expected.as_str().map(|s| serde_json::from_str::<Value>(s.trim())) {
        Some(Ok(v)) if v.is_object() || v.is_array() => {
            parsed = v;
            &parsed
        }
        _ => expected,
    };
    let prefer = match expected {
        Value::Object(_) => Some(b'{'),
        Value::Array(_) => Some(b'['),
        _ => None,
    };
    match extract_json(output, prefer) {
        None => Verdict::new(false, json!({ "reason": "no JSON value found in the output" })),
        Some((got, source)) => match first_mismatch(expected, &got, "") {
            None => Verdict::new(true, json!({ "source": source })),
            Some((path, reason)) => Verdict::new(
                false,
                json!({ "source": source, "mismatch": { "path": path, "reason": reason } }),
            ),
        },
    }
}

pub(super) fn cached_validator(schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
    let key = schema.to_string();
    if let Some(v) = lock(&SCHEMA_CACHE).get(&key) {
        return Ok(Arc::clone(v));
    }
    let validator =
        Arc::new(jsonschema::validator_for(schema).map_err(|e| format!("not a valid JSON Schema: {e}"))?);
    let mut cache = lock(&SCHEMA_CACHE);
    if cache.len() >= CACHE_MAX {
        cache.clear();
    }
    cache.insert(key, Arc::clone(&validator));
    Ok(validator)
}

pub(super) fn check_schema(schema: &Value, output: &str) -> Result<Verdict, String> {
    let validator = cached_validator(schema)?;
    let prefer = match schema.get("type").and_then(Value::as_str) {
        Some("object") => Some(b'{'),
        Some("array") => Some(b'['),
        _ => None,
    };
    let Some((got, source)) = extract_json(output, prefer) else {
        return Ok(Verdict::new(false, json!({ "reason": "no JSON value found in the output" })));
    };
    if validator.is_valid(&got) {
        return Ok(Verdict::new(true, json!({ "source": source })));
    }
    let errors: Vec<Value> = validator
        .iter_errors(&got)
        .take(5)
        .map(|e| json!({ "path": e.instance_path().to_string(), "message": clip(&e.to_string(), 300) }))
        .collect();
    Ok(Verdict::new(
        false,
        json!({ "source": source, "reason": "output does not match the schema", "errors": errors }),
    ))
}
