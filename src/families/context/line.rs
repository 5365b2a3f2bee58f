//! The task line of a `long-context:FILE.jsonl` suite, and lengths as RULER counts them.
//!
//! ```json
//! {"id": "lc-s7-niah_single-32k-d50-1", "kind": "niah_single", "length": 32768, "depth": 50, "seed": 8817}
//! {"id": "t2", "kind": "code_needle", "length": "128k", "depth": 25, "seed": 3,
//!  "haystack": {"paths": ["src"], "sha256": "9f2c..."}}
//! ```
//! A line holds the seed and parameters, never the haystack: the prompt is built when it is sent.
//! `length` is a number of tokens or `4k`/`1m` (`k` = 1,024, `m` = 1,048,576); `depth` is where the
//! answer sits, in percent of the text (0 = the start), and is left out for `aggregate`, which spreads
//! its list over the whole text. `haystack` names the team's own files (paths relative to the suite
//! file) with the sha256 of their content, checked when the suite loads.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::code::Language;
use super::kinds::{Kind, plan};
use crate::core::Task;

/// The shortest length: room for the longest needles and question with text around them.
pub const MIN_LENGTH: u64 = 1024;
/// The longest length: 4m, twice the largest context windows offered today.
pub const MAX_LENGTH: u64 = 4 * 1_048_576;

/// A length in tokens from `4096`, `4k` or `1m` (any case; `k` = 1,024, `m` = 1,048,576).
pub fn parse_length(text: &str) -> Result<u64, String> {
    let trimmed = text.trim().to_ascii_lowercase();
    let (digits, unit) = match trimmed.strip_suffix('k') {
        Some(d) => (d, 1024),
        None => match trimmed.strip_suffix('m') {
            Some(d) => (d, 1_048_576),
            None => (trimmed.as_str(), 1),
        },
    };
    let tokens = digits.parse::<u64>().ok().and_then(|n| n.checked_mul(unit)).ok_or_else(|| {
        format!("`{text}` is not a length; expected a number of tokens such as 4096, 4k or 1m")
    })?;
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&tokens) {
        return Err(format!(
            "length `{text}` ({tokens} tokens) is out of range; expected {} to {}",
            length_name(MIN_LENGTH),
            length_name(MAX_LENGTH)
        ));
    }
    Ok(tokens)
}

/// `4k`, `1m` or the plain number: how reports and ids name a length.
pub fn length_name(tokens: u64) -> String {
    if tokens >= 1_048_576 && tokens.is_multiple_of(1_048_576) {
        format!("{}m", tokens / 1_048_576)
    } else if tokens >= 1024 && tokens.is_multiple_of(1024) {
        format!("{}k", tokens / 1024)
    } else {
        tokens.to_string()
    }
}

/// The team's own files a haystack is made of, and their content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HaystackRef {
    /// Files or folders, relative to the suite file's folder (or absolute).
    pub paths: Vec<String>,
    /// sha256 of their content as read when the suite was generated.
    pub sha256: String,
}

/// What the prompt of a task is built from: the task line without its id. Kept in the task's
/// `recipe`, so it is part of the task's fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// What is hidden and asked.
    pub kind: Kind,
    /// The haystack's length in tokens.
    pub length: u64,
    /// Percent of the text; `None` for `aggregate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u8>,
    /// What the needles and the filler are drawn from.
    pub seed: u64,
    /// The team's own files; synthetic prose (or the bundled source tree) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub haystack: Option<HaystackRef>,
}

impl Recipe {
    /// The depth as a fraction of the text (the middle for kinds without one).
    pub fn depth_fraction(&self) -> f64 {
        f64::from(self.depth.unwrap_or(50)) / 100.0
    }
}

/// One task line as written: an id and a recipe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskLine {
    /// Stable task id.
    pub id: String,
    /// Everything else on the line.
    #[serde(flatten)]
    pub recipe: Recipe,
}

/// A line as read, before its fields are checked one by one for clear errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine {
    id: Value,
    kind: String,
    length: Value,
    #[serde(default)]
    depth: Option<Value>,
    seed: u64,
    #[serde(default)]
    haystack: Option<HaystackRef>,
}

impl TaskLine {
    /// Read one line; what is wrong is said field by field.
    pub fn parse(text: &str) -> Result<TaskLine, String> {
        let raw: RawLine = serde_json::from_str(text).map_err(|e| {
            let text = e.to_string();
            match text.rfind(" at line 1 column ") {
                Some(i) => format!("{} (column {})", &text[..i], &text[i + " at line 1 column ".len()..]),
                None => text,
            }
        })?;
        let id = match raw.id {
            Value::String(s) if !s.trim().is_empty() => s,
            Value::Number(n) => n.to_string(),
            other => return Err(format!("`id` must be a non-empty string or a number, found {other}")),
        };
        let kind = Kind::parse(&raw.kind).map_err(|e| format!("`kind`: {e}"))?;
        let length = match &raw.length {
            Value::Number(n) => parse_length(&n.to_string()),
            Value::String(s) => parse_length(s),
            other => Err(format!("expected a number of tokens or a length such as \"32k\", found {other}")),
        }
        .map_err(|e| format!("`length`: {e}"))?;
        let depth = match (raw.depth, kind.has_depth()) {
            (None, false) => None,
            (Some(_), false) => {
                return Err(
                    "`depth`: aggregate spreads its word list over the whole text; leave depth out".into()
                );
            }
            (None, true) => {
                return Err(format!("`depth` is missing; {} needs one, in percent (0-100)", kind.name()));
            }
            (Some(value), true) => Some(parse_depth(&value).map_err(|e| format!("`depth`: {e}"))?),
        };
        if let Some(haystack) = &raw.haystack
            && (haystack.paths.is_empty() || haystack.sha256.is_empty())
        {
            return Err("`haystack` needs `paths` and their `sha256`".into());
        }
        Ok(TaskLine { id, recipe: Recipe { kind, length, depth, seed: raw.seed, haystack: raw.haystack } })
    }

    /// The task as the pipeline sees it, in suite `suite`. Its expected answers follow from the
    /// recipe (`language`: that of the haystack's files); its prompt is built when it is sent, from
    /// `recipe` and the haystack at `paths` (resolved, for a line with its own files).
    pub fn to_task(&self, suite: &str, language: Language, paths: &[std::path::PathBuf]) -> Task {
        let recipe = &self.recipe;
        let plan = plan(recipe.kind, recipe.depth_fraction(), recipe.seed, language);
        let mut meta = json!({"kind": recipe.kind.name(), "length": recipe.length, "depth": recipe.depth});
        if !paths.is_empty() {
            meta["haystack_paths"] = json!(paths);
        }
        Task {
            id: self.id.clone(),
            suite: suite.to_string(),
            family: super::NAME.into(),
            category: Some(recipe.kind.name().into()),
            system: None,
            // Built when the request is sent (`Family::build_prompt`): a task never holds its haystack.
            messages: Vec::new(),
            tools: Vec::new(),
            max_tokens: None,
            expected: json!({"strings": plan.expected, "absent": recipe.kind == Kind::Absent}),
            meta,
            recipe: Some(serde_json::to_value(recipe).unwrap_or(Value::Null)),
        }
    }
}

/// A depth from a whole number 0-100.
fn parse_depth(value: &Value) -> Result<u8, String> {
    match value.as_u64() {
        Some(depth) if depth <= 100 => Ok(depth as u8),
        _ => Err(format!(
            "{value} is not a depth; expected a whole percentage from 0 (the start) to 100 (the end)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_as_ruler_counts_them() {
        assert_eq!(parse_length("4k"), Ok(4096));
        assert_eq!(parse_length("128K"), Ok(131_072));
        assert_eq!(parse_length("1m"), Ok(1_048_576));
        assert_eq!(parse_length("5000"), Ok(5000));
        for bad in ["4q", "k", "1.5k", "-4k", ""] {
            assert!(parse_length(bad).unwrap_err().contains("is not a length"), "{bad}");
        }
        assert!(parse_length("512").unwrap_err().contains("out of range; expected 1k to 4m"));
        assert!(parse_length("8m").is_err());
        assert_eq!(length_name(131_072), "128k");
        assert_eq!(length_name(1_048_576), "1m");
        assert_eq!(length_name(5000), "5000");
    }

    #[test]
    fn lines_round_trip_and_bad_fields_say_what_is_wrong() {
        let text = r#"{"id":"t1","kind":"niah_single","length":32768,"depth":50,"seed":7}"#;
        let line = TaskLine::parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(serde_json::to_string(&line).unwrap_or_default(), text);
        let string_length = TaskLine::parse(r#"{"id":2,"kind":"aggregate","length":"1m","seed":1}"#);
        assert_eq!(
            string_length.map(|l| (l.id, l.recipe.length, l.recipe.depth)),
            Ok(("2".into(), 1_048_576, None))
        );
        let bad = |line: &str| TaskLine::parse(line).unwrap_err();
        assert!(
            bad(r#"{"id":"t","kind":"niah_singel","length":4096,"depth":0,"seed":1}"#)
                .contains("did you mean `niah_single`")
        );
        assert!(
            bad(r#"{"id":"t","kind":"absent","length":"4q","depth":0,"seed":1}"#)
                .starts_with("`length`: `4q` is not a length")
        );
        assert!(
            bad(r#"{"id":"t","kind":"absent","length":4096,"depth":120,"seed":1}"#)
                .starts_with("`depth`: 120 is not a depth")
        );
        assert!(bad(r#"{"id":"t","kind":"absent","length":4096,"seed":1}"#).contains("`depth` is missing"));
        assert!(
            bad(r#"{"id":"t","kind":"aggregate","length":4096,"depth":5,"seed":1}"#)
                .contains("leave depth out")
        );
        assert!(
            bad(r#"{"id":"t","kind":"absent","length":4096,"depth":5,"seed":1,"haystak":{}}"#)
                .contains("unknown field `haystak`")
        );
    }

    #[test]
    fn a_task_holds_its_recipe_and_answers_but_no_prompt() {
        let line =
            TaskLine::parse(r#"{"id":"t1","kind":"niah_multivalue","length":4096,"depth":25,"seed":9}"#)
                .unwrap_or_else(|e| panic!("{e}"));
        let task = line.to_task("lc", Language::Rust, &[]);
        assert!(task.messages.is_empty() && task.system.is_none());
        assert_eq!(task.category.as_deref(), Some("niah_multivalue"));
        assert_eq!(task.expected["strings"].as_array().map(Vec::len), Some(4));
        assert_eq!(task.meta, json!({"kind": "niah_multivalue", "length": 4096, "depth": 25}));
        let recipe: Recipe =
            serde_json::from_value(task.recipe.clone().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recipe, line.recipe);
    }
}
