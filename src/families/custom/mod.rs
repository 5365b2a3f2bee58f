//! The team's own prompts (DESIGN contract 3): a JSONL file, one task a line, each with one assertion.
//!
//! ```json
//! {"id": "t1", "prompt": "...", "system": "...", "expected": "42", "match": "number", "category": "billing"}
//! ```
//! `match` defaults to `exact`; see [`matching::MatchMode`] for what each mode accepts. A task without
//! an `id` takes its 1-based line number. Every malformed line is reported, with its line number, before
//! anything is sent.

pub mod matching;

use serde::Deserialize;

use super::{Family, SuiteError, SuiteSpec};
use crate::core::{Message, Outcome, Score, Task};
use matching::MatchMode;

/// Family name used in suite specs (`custom:PATH`).
pub const NAME: &str = "custom";

/// The custom-prompt family.
pub struct Custom;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Option<serde_json::Value>,
    prompt: String,
    system: Option<String>,
    expected: serde_json::Value,
    #[serde(rename = "match", default = "default_mode")]
    mode: MatchMode,
    category: Option<String>,
    max_tokens: Option<u32>,
    #[serde(default)]
    meta: serde_json::Value,
}

fn default_mode() -> MatchMode {
    MatchMode::Exact
}

impl Family for Custom {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        super::load_jsonl(spec, |line, number| parse_line(line, number, spec))
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        let mode = match task.meta.get("match").cloned().map(serde_json::from_value::<MatchMode>) {
            Some(Ok(mode)) => mode,
            _ => {
                return Score::scorer_error("bad_task", "task has no valid match mode");
            }
        };
        let verdict = mode.check(&task.expected, &outcome.text);
        Score::pass_fail(verdict.passed, verdict.detail)
    }
}

fn parse_line(line: &str, number: usize, spec: &SuiteSpec) -> Result<Task, String> {
    let parsed: Line = serde_json::from_str(line).map_err(|e| {
        // serde_json reports "at line 1 column N" of this one line; the column is what helps.
        let text = e.to_string();
        match text.rfind(" at line 1 column ") {
            Some(i) => format!("{} (column {})", &text[..i], &text[i + " at line 1 column ".len()..]),
            None => text,
        }
    })?;
    let id = match parsed.id {
        None => number.to_string(),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(other) => return Err(format!("`id` must be a non-empty string or a number, found {other}")),
    };
    if parsed.prompt.trim().is_empty() {
        return Err("`prompt` is empty".into());
    }
    if parsed.max_tokens == Some(0) {
        return Err(
            "`max_tokens` is 0; expected at least 1, or leave it out for the provider's budget".into()
        );
    }
    parsed.mode.validate_expected(&parsed.expected).map_err(|e| format!("`expected`: {e}"))?;
    let mut meta = match parsed.meta {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => serde_json::Map::new(),
        other => return Err(format!("`meta` must be an object, found {other}")),
    };
    meta.insert("match".into(), serde_json::to_value(parsed.mode).unwrap_or_default());
    Ok(Task {
        id,
        suite: spec.name.clone(),
        family: NAME.into(),
        category: parsed.category,
        system: parsed.system,
        messages: vec![Message::user(parsed.prompt)],
        tools: Vec::new(),
        max_tokens: parsed.max_tokens,
        expected: parsed.expected,
        meta: serde_json::Value::Object(meta),
        recipe: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_for(text: &str) -> (tempfile::TempDir, SuiteSpec) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prompts.jsonl");
        std::fs::write(&path, text).unwrap();
        let spec = SuiteSpec {
            family: NAME.into(),
            path,
            name: "prompts".into(),
            bundled: None,
            repos: None,
            max_context: None,
            source: String::new(),
        };
        (dir, spec)
    }

    fn answer(text: &str) -> Outcome {
        Outcome::text_only(text)
    }

    #[test]
    fn loads_ids_defaults_and_line_numbers() {
        let (_dir, spec) = spec_for(
            "{\"id\": \"t1\", \"prompt\": \"2+2?\", \"expected\": \"4\", \"match\": \"number\", \"category\": \"math\"}\n\n{\"prompt\": \"Say hi\", \"expected\": \"hi\", \"system\": \"terse\"}\n{\"id\": 7, \"prompt\": \"p\", \"expected\": \"x\"}\n",
        );
        let tasks = Custom.load(&spec).unwrap();
        assert_eq!(tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t1", "3", "7"]);
        assert_eq!(tasks[0].category.as_deref(), Some("math"));
        assert_eq!(tasks[1].system.as_deref(), Some("terse"));
        assert_eq!(tasks[1].meta["match"], "exact");
        assert_eq!(tasks[0].suite, "prompts");
    }

    #[test]
    fn reports_every_bad_line_with_its_number() {
        let (_dir, spec) = spec_for(
            "{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"x\"}\nnot json\n{\"id\": \"b\", \"prompt\": \"p\", \"expected\": \"x\", \"match\": \"fuzzy\"}\n{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"x\"}\n{\"prompt\": \"p\", \"expect\": \"x\"}\n{\"id\": \"c\", \"prompt\": \"p\", \"expected\": \"(\", \"match\": \"regex\"}\n",
        );
        let problems = Custom.load(&spec).unwrap_err().problems;
        let path = spec.path.display().to_string();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems[0].starts_with(&format!("{path}:2: ")), "{problems:#?}");
        assert!(problems[1].starts_with(&format!("{path}:3: ")) && problems[1].contains("fuzzy"));
        assert!(problems[2].contains(":4: duplicate id `a` (first on line 1)"));
        assert!(problems[3].contains(":5: ") && problems[3].contains("expect"));
        assert!(problems[4].contains(":6: `expected`"));
    }

    #[test]
    fn scores_with_the_line_match_mode() {
        let (_dir, spec) =
            spec_for("{\"id\": \"n\", \"prompt\": \"p\", \"expected\": \"1,200\", \"match\": \"number\"}\n");
        let task = &Custom.load(&spec).unwrap()[0];
        assert!(Custom.score(task, &answer("The total is 1200.")).passed);
        assert!(!Custom.score(task, &answer("The total is 1300.")).passed);
    }

    #[test]
    fn bundled_suites_load() {
        for (name, ..) in crate::families::BUNDLED {
            let spec = SuiteSpec::parse(name).unwrap();
            assert!(spec.bundled.is_some());
            let tasks = crate::families::Registry::default().load(&spec).unwrap();
            assert!(tasks.len() >= 5 && tasks.iter().all(|t| t.suite == *name), "{name}");
        }
    }

    #[test]
    fn a_byte_order_mark_before_the_first_line_is_ignored() {
        let (_dir, spec) = spec_for("\u{feff}{\"id\": \"t1\", \"prompt\": \"p\", \"expected\": \"x\"}\n");
        assert_eq!(Custom.load(&spec).unwrap()[0].id, "t1");
    }

    #[test]
    fn a_file_of_another_shape_is_one_problem_saying_what_to_type() {
        let cases = [
            ("[\n  {\"prompt\": \"p\", \"expected\": \"x\"}\n]\n", "one JSON array", "jq -c '.[]'"),
            ("[{\"prompt\": \"p\", \"expected\": \"x\"}]\n", "one JSON array", "prompts.lines.jsonl"),
            ("{\n  \"prompt\": \"p\",\n  \"expected\": \"x\"\n}\n", "several lines", "jq -c ."),
            (
                "{\"unique_id\": \"m\", \"problem\": \"1+1\", \"answer\": \"2\"}\n",
                "looks like a math suite",
                "--suite math:",
            ),
            (
                "{\"question\": \"1+1\", \"answer\": \"so #### 2\"}\n",
                "looks like a gsm8k suite",
                "--suite gsm8k:",
            ),
        ];
        for (text, what, instead) in cases {
            let (_dir, spec) = spec_for(text);
            let problems = Custom.load(&spec).unwrap_err().problems;
            assert_eq!(problems.len(), 1, "{problems:#?}");
            let at = format!("{}:1: ", spec.path.display());
            assert!(problems[0].starts_with(&at) && problems[0].contains(what), "{problems:#?}");
            assert!(problems[0].contains(instead), "{problems:#?}");
        }
    }

    #[test]
    fn a_line_that_is_not_an_object_says_what_it_is() {
        let (_dir, spec) = spec_for("{\"prompt\": \"p\", \"expected\": \"x\"}\n\"hi\"\n3\n[1]\nnull\n");
        let problems = Custom.load(&spec).unwrap_err().problems;
        let kinds = [
            "2: this line is a JSON string",
            "3: this line is a JSON number",
            "4: this line is a JSON array",
            "5: this line is JSON null",
        ];
        assert_eq!(problems.len(), kinds.len(), "{problems:#?}");
        for (problem, kind) in problems.iter().zip(kinds) {
            assert!(problem.contains(kind) && problem.contains("\"prompt\":"), "{problem}");
        }
    }

    #[test]
    fn a_task_budget_of_zero_tokens_is_refused() {
        let (_dir, spec) = spec_for("{\"prompt\": \"p\", \"expected\": \"x\", \"max_tokens\": 0}\n");
        let problems = Custom.load(&spec).unwrap_err().problems;
        assert!(
            problems[0].ends_with(
                ":1: `max_tokens` is 0; expected at least 1, or leave it out for the provider's budget"
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn empty_suite_is_an_error() {
        let (_dir, spec) = spec_for("\n\n");
        assert!(Custom.load(&spec).unwrap_err().to_string().contains("no tasks"));
    }
}
