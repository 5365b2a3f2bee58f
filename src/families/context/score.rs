//! Scoring, deterministic and local: the share of expected strings the answer contains, case aside
//! (RULER's `string_match_all`); a task passes when it names them all. An `absent` task passes when
//! the answer says the text holds no such thing; an answer that gives a value instead is marked as a
//! hallucination in the score's detail.

use serde_json::{Value, json};

use super::kinds::NOT_FOUND;
use crate::core::{Score, Task};

/// Ways an answer says the text holds no answer, lower case.
const DECLINES: &[&str] = &[
    NOT_FOUND,
    "not mentioned",
    "isn't mentioned",
    "no mention",
    "does not mention",
    "doesn't mention",
    "does not contain",
    "doesn't contain",
    "not present",
    "not in the text",
    "not in the provided text",
    "no special magic number",
    "no such",
    "not provided",
    "not given",
    "not stated",
    "cannot find",
    "can't find",
    "could not find",
    "couldn't find",
    "there is no",
    "there isn't",
];

/// The score of `answer` to `task`, with its length, depth and kind in the detail.
pub fn score(task: &Task, answer: &str) -> Score {
    let mut detail = json!({
        "kind": task.meta.get("kind").cloned().unwrap_or(Value::Null),
        "length": task.meta.get("length").cloned().unwrap_or(Value::Null),
        "depth": task.meta.get("depth").cloned().unwrap_or(Value::Null),
    });
    let lower = answer.to_lowercase();
    if task.expected.get("absent").and_then(Value::as_bool) == Some(true) {
        let declined = DECLINES.iter().any(|phrase| lower.contains(phrase));
        let hallucinated = !declined && gives_a_value(answer);
        detail["declined"] = json!(declined);
        detail["hallucinated"] = json!(hallucinated);
        return Score::pass_fail(declined, detail);
    }
    let Some(expected) = task.expected.get("strings").and_then(Value::as_array) else {
        return Score::scorer_error("bad_task", "the task has no expected strings");
    };
    let expected: Vec<&str> = expected.iter().filter_map(Value::as_str).collect();
    if expected.is_empty() {
        return Score::scorer_error("bad_task", "the task has no expected strings");
    }
    let (found, missing): (Vec<&str>, Vec<&str>) =
        expected.iter().partition(|e| lower.contains(&e.to_lowercase()));
    let recall = found.len() as f64 / expected.len() as f64;
    detail["recall"] = json!(recall);
    detail["found"] = json!(found);
    detail["missing"] = json!(missing);
    Score { passed: missing.is_empty(), value: recall, detail }
}

/// Whether an answer states a value: a number of three digits or more.
fn gives_a_value(answer: &str) -> bool {
    let longest_number = answer.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    longest_number >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::context::code::Language;
    use crate::families::context::line::TaskLine;

    fn task(kind: &str, seed: u64) -> Task {
        let text = format!(r#"{{"id":"t","kind":"{kind}","length":4096,"depth":50,"seed":{seed}}}"#);
        TaskLine::parse(&text).unwrap_or_else(|e| panic!("{e}")).to_task("lc", Language::Rust, &[])
    }

    fn strings(task: &Task) -> Vec<String> {
        task.expected["strings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    }

    #[test]
    fn recall_of_the_expected_strings_case_aside() {
        let single = task("niah_single", 4);
        let value = strings(&single).remove(0);
        let right = score(&single, &format!("The special magic number is {value}."));
        assert!(right.passed && right.value == 1.0);
        assert_eq!(right.detail["kind"], "niah_single");
        assert_eq!((right.detail["length"].as_u64(), right.detail["depth"].as_u64()), (Some(4096), Some(50)));
        let wrong = score(&single, "The special magic number is 1234567.");
        assert!(!wrong.passed && wrong.value == 0.0 && wrong.detail["missing"][0] == value.as_str());

        let vartrack = task("vartrack", 4);
        let names = strings(&vartrack);
        let two = format!("{} and {}", names[0].to_lowercase(), names[1]);
        let partial = score(&vartrack, &two);
        assert!(!partial.passed && (partial.value - 2.0 / 5.0).abs() < 1e-9, "{partial:?}");
        assert!(score(&vartrack, &names.join(", ").to_lowercase()).passed, "case does not matter");
    }

    #[test]
    fn absent_passes_when_the_answer_says_so_and_a_made_up_value_is_a_hallucination() {
        let absent = task("absent", 5);
        for answer in ["not found", "Not found.", "The text does not mention a special magic number for it."]
        {
            let verdict = score(&absent, answer);
            assert!(verdict.passed && verdict.detail["hallucinated"] == false, "{answer}: {verdict:?}");
        }
        let made_up = score(&absent, "The special magic number is 4829173.");
        assert!(!made_up.passed && made_up.detail["hallucinated"] == true, "{made_up:?}");
        let vague = score(&absent, "I am not sure.");
        assert!(!vague.passed && vague.detail["hallucinated"] == false, "{vague:?}");
    }

    #[test]
    fn a_task_without_expected_strings_is_a_scorer_error() {
        let mut broken = task("niah_single", 1);
        broken.expected = json!({"strings": []});
        assert_eq!(score(&broken, "x").detail[crate::core::SCORER_ERROR], "bad_task");
    }
}
