//! Scoring an MCP task as tau-bench does: the final answer holds the required facts and the
//! server's end state equals the expected one.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::core::{Outcome, Score};

/// Differences of state listed in a score's detail; the rest are only counted.
const MAX_DIFFERENCES: usize = 20;

/// Judge an MCP task's episode: the final answer contains every fact in `facts` (case and spacing
/// aside) and, when the task expects a state, the state tool's result equals `expected_state`
/// (numbers by value: `5` equals `5.0`). An episode cut at the step limit fails. The detail names
/// the missing facts and each place where the state differs, as `{"path": "/a/0", "expected": ..,
/// "got": ..}` with a side left out where that key or item is absent.
pub fn score(facts: &[String], expected_state: Option<&Value>, outcome: &Outcome) -> Score {
    let answer = normalise(&outcome.text);
    let missing: Vec<&String> = facts.iter().filter(|fact| !answer.contains(&normalise(fact))).collect();
    let episode = outcome.episode.as_deref();
    let step_limit_hit = episode.is_some_and(|episode| episode.step_limit_hit);
    let mut passed = missing.is_empty() && !step_limit_hit;
    let mut detail = json!({"missing_facts": missing});
    if step_limit_hit {
        detail["step_limit_hit"] = Value::Bool(true);
    }
    if let Some(expected) = expected_state {
        let state = episode.map_or(&Value::Null, |episode| &episode.state);
        let mut differences = Vec::new();
        diff(Some(expected), Some(state), "", &mut differences);
        passed &= differences.is_empty();
        if differences.len() > MAX_DIFFERENCES {
            detail["state_differences"] = differences.len().into();
            differences.truncate(MAX_DIFFERENCES);
        }
        detail["state_diff"] = Value::Array(differences);
    }
    Score::pass_fail(passed, detail)
}

/// Lower case, with every run of whitespace as one space.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Where `got` differs from `expected`, each difference at its JSON Pointer `path`. Objects are
/// compared key by key and arrays of the same length item by item; anything else as a whole.
fn diff(expected: Option<&Value>, got: Option<&Value>, path: &str, out: &mut Vec<Value>) {
    match (expected, got) {
        (Some(Value::Object(expected)), Some(Value::Object(got))) => {
            let keys: BTreeSet<&String> = expected.keys().chain(got.keys()).collect();
            for key in keys {
                let path = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                diff(expected.get(key), got.get(key), &path, out);
            }
        }
        (Some(Value::Array(expected)), Some(Value::Array(got))) if expected.len() == got.len() => {
            for (index, (expected, got)) in expected.iter().zip(got).enumerate() {
                diff(Some(expected), Some(got), &format!("{path}/{index}"), out);
            }
        }
        (Some(expected), Some(got)) if same_scalar(expected, got) => {}
        (None, None) => {}
        _ => {
            let mut difference = json!({"path": if path.is_empty() { "/" } else { path }});
            if let Some(expected) = expected {
                difference["expected"] = expected.clone();
            }
            if let Some(got) = got {
                difference["got"] = got.clone();
            }
            out.push(difference);
        }
    }
}

/// Equal values, numbers compared by value (a server's `5.0` is the expected `5`). Objects and
/// arrays reach here only when their shapes differ, so plain equality is right for them.
fn same_scalar(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Number(expected), Value::Number(got)) => match (expected.as_i64(), got.as_i64()) {
            (Some(expected), Some(got)) => expected == got,
            _ => expected.as_f64() == got.as_f64(),
        },
        _ => expected == got,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Episode;

    fn outcome(text: &str, state: Value, step_limit_hit: bool) -> Outcome {
        let episode = Episode { state, step_limit_hit, ..Episode::default() };
        Outcome { text: text.into(), episode: Some(Box::new(episode)), ..Outcome::default() }
    }

    fn facts(facts: &[&str]) -> Vec<String> {
        facts.iter().map(|fact| fact.to_string()).collect()
    }

    #[test]
    fn facts_are_found_whatever_their_case_and_spacing() {
        let answer = outcome("The order  ORD-7 ships\non Monday.", Value::Null, false);
        let score = score(&facts(&["ord-7", "ships on monday"]), None, &answer);
        assert!(score.passed, "{}", score.detail);
        let score = super::score(&facts(&["ORD-7", "Tuesday"]), None, &answer);
        assert!(!score.passed);
        assert_eq!(score.detail["missing_facts"], json!(["Tuesday"]));
        assert!(score.detail.get("state_diff").is_none(), "{}", score.detail);
    }

    #[test]
    fn the_state_must_equal_the_expected_one_numbers_by_value() {
        let expected = json!({"total": 15, "orders": [{"id": 1, "paid": true}], "note": null});
        let answer =
            outcome("done", json!({"total": 15.0, "orders": [{"id": 1, "paid": true}], "note": null}), false);
        let score = score(&[], Some(&expected), &answer);
        assert!(score.passed, "{}", score.detail);
        assert_eq!(score.detail["state_diff"], json!([]));
    }

    #[test]
    fn each_difference_of_state_is_named_by_its_path() {
        let expected = json!({"total": 15, "orders": [{"id": 1, "paid": true}], "a/b": 1, "tags": ["x"]});
        let got =
            json!({"total": 14, "orders": [{"id": 1, "paid": false}], "extra": "y", "tags": ["x", "z"]});
        let score = score(&facts(&["done"]), Some(&expected), &outcome("Done.", got, false));
        assert!(!score.passed);
        assert_eq!(
            score.detail["state_diff"],
            json!([
                {"path": "/a~1b", "expected": 1},
                {"path": "/extra", "got": "y"},
                {"path": "/orders/0/paid", "expected": true, "got": false},
                {"path": "/tags", "expected": ["x"], "got": ["x", "z"]},
                {"path": "/total", "expected": 15, "got": 14},
            ])
        );
    }

    #[test]
    fn a_missing_state_or_a_cut_episode_fails() {
        let no_episode = Outcome { text: "15".into(), ..Outcome::default() };
        let score = score(&[], Some(&json!({"total": 15})), &no_episode);
        assert!(!score.passed);
        assert_eq!(
            score.detail["state_diff"],
            json!([{"path": "/", "expected": {"total": 15}, "got": null}])
        );
        let score = super::score(&facts(&["15"]), None, &outcome("15", Value::Null, true));
        assert!(!score.passed);
        assert_eq!(score.detail["step_limit_hit"], json!(true));
    }

    #[test]
    fn a_long_diff_is_cut_and_counted() {
        let expected: serde_json::Map<String, Value> =
            (0..30).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let score = score(&[], Some(&Value::Object(expected)), &outcome("", json!({}), false));
        assert_eq!(score.detail["state_differences"], json!(30));
        assert_eq!(score.detail["state_diff"].as_array().map(Vec::len), Some(MAX_DIFFERENCES));
    }
}
