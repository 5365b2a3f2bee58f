//! Files that are not JSON Lines of their family, recognised by their shape so the error says what
//! the file looks like and what to type instead, rather than failing on every line.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{SuiteSpec, bfcl, context, custom, math};

/// The one problem of a whole file, judged by its first non-blank line: one JSON array, JSON
/// objects spread over several lines, or another family's format.
pub(super) fn whole_file(spec: &SuiteSpec, first: &str) -> Option<String> {
    let trimmed = first.trim();
    let (path, converted) = (spec.path.display(), converted_name(&spec.path));
    let then = format!("then use --suite {}{}", prefix(spec), converted.display());
    if trimmed.starts_with('[') {
        return Some(format!(
            "this file is one JSON array; bench reads JSON Lines (one object per line): convert with \
             `jq -c '.[]' {path} > {}`, {then}",
            converted.display()
        ));
    }
    if trimmed == "{" {
        return Some(format!(
            "this file holds JSON objects spread over several lines; bench reads JSON Lines (one object \
             per line): convert with `jq -c . {path} > {}`, {then}",
            converted.display()
        ));
    }
    let first = serde_json::from_str::<Value>(trimmed).ok()?;
    let (family, looks) = format_of(&first)?;
    let readable = family == spec.family || (family == math::MATH && spec.family == math::AIME);
    if readable {
        return None;
    }
    let not = if spec.family == custom::NAME {
        "not prompts of your own (`prompt`, `expected`)".to_string()
    } else {
        format!("not a {} suite", spec.family)
    };
    let family_prefix = if family == custom::NAME { String::new() } else { format!("{family}:") };
    Some(format!("this looks like {looks}, {not}; use --suite {family_prefix}{path}"))
}

/// The family whose format a JSONL line is written in, with how to say so, judged by its fields.
fn format_of(line: &Value) -> Option<(&'static str, &'static str)> {
    let has = |key: &str| line.get(key).is_some();
    if has("prompt") && has("expected") {
        Some((custom::NAME, "prompts of your own (`prompt`, `expected`)"))
    } else if has("problem") && (has("answer") || has("solution")) {
        Some((math::MATH, "a math suite (`problem`, `answer`: what `bench suites generate math` writes)"))
    } else if has("question")
        && line.get("answer").and_then(Value::as_str).is_some_and(|a| a.contains("####"))
    {
        Some((math::GSM8K, "a gsm8k suite (`question`, `answer` ending in `#### N`)"))
    } else if has("question") && has("function") {
        Some((bfcl::NAME, "a BFCL question file (`id`, `question`, `function`)"))
    } else if has("kind") && has("length") && has("seed") {
        Some((
            context::NAME,
            "a long-context suite (`kind`, `length`, `seed`: what `bench suites generate long-context` writes)",
        ))
    } else {
        None
    }
}

/// For a line that is JSON but not an object: what it is, and what a line should look like.
pub(super) fn not_an_object(spec: &SuiteSpec, line: &str) -> Option<String> {
    let kind = match serde_json::from_str::<Value>(line).ok()? {
        Value::Object(_) => return None,
        Value::Array(_) => "a JSON array",
        Value::String(_) => "a JSON string",
        Value::Number(_) => "a JSON number",
        Value::Bool(_) => "a JSON boolean",
        Value::Null => "JSON null",
    };
    Some(format!(
        "this line is {kind}, not an object; each line must be one task as a JSON object, such as {}",
        example_line(&spec.family)
    ))
}

/// A minimal line of each JSONL family, for errors.
fn example_line(family: &str) -> &'static str {
    match family {
        math::GSM8K => r#"{"question": "...", "answer": "... #### 42"}"#,
        math::MATH | math::AIME => r#"{"problem": "...", "answer": "42"}"#,
        super::repair::swebench::NAME => {
            r#"{"instance_id": "...", "repo": "owner/name", "base_commit": "...", "problem_statement": "...", ...}"#
        }
        bfcl::NAME => {
            r#"{"id": "simple_python_0", "question": [[{"role": "user", "content": "..."}]], "function": [...]}"#
        }
        context::NAME => r#"{"id": "t1", "kind": "niah_single", "length": "32k", "depth": 50, "seed": 7}"#,
        _ => r#"{"prompt": "What is 2 + 2?", "expected": "4", "match": "number"}"#,
    }
}

/// What the suite argument starts with for this family: nothing for the team's own prompts.
fn prefix(spec: &SuiteSpec) -> String {
    if spec.family == custom::NAME { String::new() } else { format!("{}:", spec.family) }
}

/// Where a converted copy of `path` goes: beside it, as `.jsonl` (`.lines.jsonl` if it is one already).
fn converted_name(path: &Path) -> PathBuf {
    match path.extension() {
        Some(ext) if ext == "jsonl" => path.with_extension("lines.jsonl"),
        _ => path.with_extension("jsonl"),
    }
}
