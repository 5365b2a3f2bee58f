//! BFCL, the Berkeley Function Calling Leaderboard, single-turn: `bfcl:DIR` (BFCL's data folder) or
//! `bfcl:DIR/BFCL_v4_<category>.json`, checked as BFCL's AST checker checks, so a provider's function
//! calling can be measured on the standard benchmark and compared with published numbers.
//!
//! Loading (`load.rs`) reads the question files and their ground truth in `possible_answer/`; each
//! entry's functions are offered as tools the way BFCL's FC mode offers them (`schema.rs`): names made
//! legal for the providers (`math.factorial` -> `math_factorial`, the renames kept in the task's
//! `meta.names`) and BFCL's Python type names turned into JSON Schema. Scoring maps the called names
//! back and runs the checker (`checker.rs`, `values.rs`): the right function, required parameters
//! present, no parameter outside the function or the ground truth, Python's types (an int where a
//! float is declared is promoted), each value among the acceptable ones (strings compared after
//! BFCL's normalisation, `""` marking a parameter that may be left out), parallel calls matched in
//! any order. Irrelevance passes when no call is made, relevance when one is.
//!
//! Task ids are BFCL's ids and the category is BFCL's (`simple_python`, `live_multiple`, ...), so the
//! report breaks scores down the way the leaderboard does.

mod checker;
mod load;
mod reference;
mod schema;
mod values;

use serde_json::{Map, Value, json};

use super::{Family, SuiteError, SuiteSpec};
use crate::core::{Outcome, Score, Task, ToolCall};
use checker::{Call, Check, ExpectedCall, Failure, FunctionDoc};

pub use reference::reference_calls;

/// The family's name in `bfcl:PATH` suite specs.
pub const NAME: &str = "bfcl";

/// The categories bench checks: BFCL's single-turn Python ones, named as in BFCL's file names
/// (`simple` is BFCL v3's name of `simple_python`).
pub const CATEGORIES: &[&str] = &[
    "simple",
    "simple_python",
    "multiple",
    "parallel",
    "parallel_multiple",
    "irrelevance",
    "live_simple",
    "live_multiple",
    "live_parallel",
    "live_parallel_multiple",
    "live_irrelevance",
    "live_relevance",
];

/// How a category is checked, routed by its name as BFCL routes it; `None` for categories bench does
/// not check (multi-turn, agentic, Java, JavaScript).
fn check_of(category: &str) -> Option<Check> {
    if !CATEGORIES.contains(&category) {
        return None;
    }
    Some(if category.contains("irrelevance") {
        Check::Irrelevance
    } else if category.contains("relevance") {
        Check::Relevance
    } else if category.contains("parallel") {
        Check::Parallel
    } else if category.contains("multiple") {
        Check::Multiple
    } else {
        Check::Simple
    })
}

/// The BFCL importer and checker.
pub struct Bfcl;

impl Family for Bfcl {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        load::load(spec)
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        score(task, outcome)
    }
}

/// The BFCL name of a called tool: the provider-legal name mapped back.
fn bfcl_name<'a>(names: Option<&'a Map<String, Value>>, call: &'a ToolCall) -> &'a str {
    names.and_then(|n| n.get(&call.name)).and_then(Value::as_str).unwrap_or(&call.name)
}

fn score(task: &Task, outcome: &Outcome) -> Score {
    let category = task.category.as_deref().unwrap_or("(none)");
    let Some(check) = check_of(category) else {
        return Score::scorer_error("bad_task", format!("category `{category}` is not one bench checks"));
    };
    let names = task.meta.get("names").and_then(Value::as_object);
    let shown: Vec<Value> =
        outcome.tool_calls.iter().map(|call| json!({bfcl_name(names, call): call.arguments})).collect();
    let made = outcome.tool_calls.len();
    let verdict = match check {
        Check::Irrelevance if made > 0 => Err(Failure::new(
            "irrelevance_error:decoder_success",
            format!("{made} call(s) made, where none of the functions fits the question"),
        )),
        Check::Relevance if made == 0 => Err(Failure::new(
            "relevance_error:decoder_failed",
            "no call made, where a function fits the question",
        )),
        Check::Irrelevance | Check::Relevance => Ok(()),
        _ => match ast_verdict(task, check, outcome, names) {
            Ok(verdict) => verdict,
            Err(bad_task) => return Score::scorer_error("bad_task", bad_task),
        },
    };
    let mut detail = json!({"check": check.name(), "calls": shown});
    match verdict {
        Ok(()) => Score::pass_fail(true, detail),
        Err(failure) => {
            if let (Value::Object(detail), Value::Object(why)) = (&mut detail, failure.to_json()) {
                detail.extend(why);
            }
            Score::pass_fail(false, detail)
        }
    }
}

/// The checker's verdict on the calls of an answer; `Err` when the task itself cannot be read.
fn ast_verdict(
    task: &Task,
    check: Check,
    outcome: &Outcome,
    names: Option<&Map<String, Value>>,
) -> Result<Result<(), Failure>, String> {
    let functions =
        task.expected.get("functions").and_then(Value::as_array).ok_or("the task has no functions")?;
    let functions = functions.iter().map(FunctionDoc::read).collect::<Result<Vec<_>, _>>()?;
    let expected =
        task.expected.get("ground_truth").and_then(Value::as_array).ok_or("the task has no ground truth")?;
    let expected = expected.iter().map(ExpectedCall::read).collect::<Result<Vec<_>, _>>()?;
    Ok(decode(&outcome.tool_calls, names)
        .and_then(|calls| checker::check(check, &functions, &calls, &expected)))
}

/// The calls as BFCL decodes them: each with a JSON object of arguments, or the answer fails.
fn decode<'a>(
    calls: &'a [ToolCall],
    names: Option<&'a Map<String, Value>>,
) -> Result<Vec<Call<'a>>, Failure> {
    if calls.is_empty() {
        return Err(Failure::new("ast_decoder:decoder_failed", "no tool call in the answer"));
    }
    let not_an_object = |index: usize, call: &ToolCall, what: String| {
        Failure::new(
            "ast_decoder:decoder_failed",
            format!("the arguments of call {index} (`{}`) {what}", call.name),
        )
    };
    calls
        .iter()
        .enumerate()
        .map(|(index, call)| match &call.arguments {
            Value::Object(arguments) => Ok(Call { name: bfcl_name(names, call), arguments }),
            Value::String(raw) if serde_json::from_str::<Value>(raw).is_ok_and(|v| v.is_object()) => {
                Err(not_an_object(index, call, "are a JSON object encoded twice, as a string".into()))
            }
            other => {
                let text: String = other.to_string().chars().take(200).collect();
                Err(not_an_object(index, call, format!("are not a JSON object: {text}")))
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
