//! Math reasoning from standard datasets: `gsm8k:PATH`, `math:PATH` (MATH / MATH-500) and
//! `aime:PATH` suites, all JSONL, all scored by the same model-free checker.
//!
//! Each dataset format is its own small [`Family`] (so `FAMILY:PATH` suite specs pick the importer);
//! they share [`score_answer`]: extract the final answer from the output ([`extract`]) and decide
//! equivalence with the gold answer ([`equiv`]).

pub mod equiv;
pub mod expr;
pub mod extract;
pub mod generate;
pub mod number;

use serde_json::{Value, json};

use super::{Family, SuiteError, SuiteSpec};
use crate::core::{Message, Outcome, Score, Task};

/// What every math prompt asks for after the problem, so the extractor has a marker to find.
pub const INSTRUCTION: &str = "Solve the problem step by step. Put your final answer in \\boxed{} \
or on a last line of the form `#### ANSWER`.";

/// Family name of GSM8K suites (`gsm8k:PATH`).
pub const GSM8K: &str = "gsm8k";
/// Family name of MATH suites (`math:PATH`).
pub const MATH: &str = "math";
/// Family name of AIME suites (`aime:PATH`).
pub const AIME: &str = "aime";

/// GSM8K JSONL (`question`, `answer` ending in `#### N`); ids are line numbers.
pub struct Gsm8k;
/// MATH / MATH-500 JSONL (`problem`, `answer` or a `\boxed{}` in `solution`, `subject`, `level`,
/// `unique_id`).
pub struct Math;
/// AIME-style JSONL (`problem` or `question`, `answer` such as `"025"`, optional `id`).
pub struct Aime;

/// The importer-specific part of a dataset line: (id, problem, gold answer, category).
type Parsed = (String, String, String, Option<String>);

fn get_str<'a>(obj: &'a Value, key: &str) -> Result<Option<&'a str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` must be a string, found {other}")),
    }
}

fn need_str<'a>(obj: &'a Value, key: &str) -> Result<&'a str, String> {
    match get_str(obj, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(format!("`{key}` is empty")),
        None => Err(format!("missing `{key}`")),
    }
}

/// The gold answer of a GSM8K rationale: the text after the last `####`.
pub fn gsm8k_gold(answer: &str) -> Option<&str> {
    let pos = answer.rfind("####")?;
    let gold = answer[pos + 4..].trim();
    (!gold.is_empty()).then_some(gold)
}

fn parse_gsm8k(obj: &Value, line: usize) -> Result<Parsed, String> {
    let question = need_str(obj, "question")?;
    let answer = need_str(obj, "answer")?;
    let gold = gsm8k_gold(answer).ok_or("`answer` does not end with `#### N`")?;
    Ok((line.to_string(), question.to_owned(), gold.to_owned(), None))
}

fn parse_math(obj: &Value, line: usize) -> Result<Parsed, String> {
    let problem = need_str(obj, "problem")?;
    let gold = match get_str(obj, "answer")? {
        Some(a) if !a.trim().is_empty() => a.trim().to_owned(),
        _ => {
            let solution = need_str(obj, "solution").map_err(|_| "missing `answer` (and no `solution`)")?;
            extract::last_boxed(solution)
                .ok_or("no `answer`, and no \\boxed{} in `solution`")?
                .trim()
                .to_owned()
        }
    };
    let id = get_str(obj, "unique_id")?.map_or_else(|| line.to_string(), str::to_owned);
    let category = match get_str(obj, "subject")? {
        Some(s) => Some(s.to_owned()),
        None => get_str(obj, "type")?.map(str::to_owned),
    };
    Ok((id, problem.to_owned(), gold, category))
}

fn parse_aime(obj: &Value, line: usize) -> Result<Parsed, String> {
    let problem = match get_str(obj, "problem")? {
        Some(p) => p,
        None => need_str(obj, "question")?,
    };
    if problem.trim().is_empty() {
        return Err("the problem is empty".into());
    }
    let gold = match obj.get("answer") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => return Err(format!("`answer` must be a string or number, found {other}")),
        None => return Err("missing `answer`".into()),
    };
    let id = match obj.get("id") {
        None | Some(Value::Null) => line.to_string(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => return Err(format!("`id` must be a non-empty string or a number, found {other}")),
    };
    Ok((id, problem.to_owned(), gold, Some("aime".into())))
}

/// Reads a JSONL dataset with one of the per-format line parsers, reporting every bad line.
fn load_with(
    spec: &SuiteSpec,
    family: &str,
    parse: fn(&Value, usize) -> Result<Parsed, String>,
) -> Result<Vec<Task>, SuiteError> {
    super::load_jsonl(spec, |line, number| {
        let obj = serde_json::from_str::<Value>(line).map_err(|e| format!("not JSON: {e}"))?;
        if !obj.is_object() {
            return Err("not a JSON object".into());
        }
        let (id, problem, gold, category) = parse(&obj, number)?;
        Ok(Task {
            id,
            suite: spec.name.clone(),
            family: family.into(),
            category,
            system: None,
            messages: vec![Message::user(format!("{}\n\n{INSTRUCTION}", problem.trim()))],
            tools: Vec::new(),
            max_tokens: None,
            expected: Value::String(gold),
            meta: Value::Null,
            recipe: None,
        })
    })
}

/// Scores a model's output against a gold answer string; shared by every math family. The detail
/// carries an `answer_key` (see [`equiv::answer_key`]) for majority votes over samples.
pub fn score_answer(output: &str, gold: &str) -> Score {
    match extract::extract(output) {
        None => Score::pass_fail(
            false,
            json!({"extracted": null, "gold": gold, "method": "none", "answer_key": crate::core::NO_ANSWER}),
        ),
        Some(found) => {
            let (passed, method) = equiv::equivalent(&found.raw, gold);
            let key = equiv::answer_key(&found.raw);
            Score::pass_fail(
                passed,
                json!({"extracted": found.raw, "gold": gold, "method": method, "rule": found.method, "answer_key": key}),
            )
        }
    }
}

fn score_task(task: &Task, outcome: &Outcome) -> Score {
    match task.expected.as_str() {
        Some(gold) => score_answer(&outcome.text, gold),
        None => Score::pass_fail(false, json!({"error": "task has no gold answer string"})),
    }
}

impl Family for Gsm8k {
    fn name(&self) -> &'static str {
        GSM8K
    }
    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        load_with(spec, self.name(), parse_gsm8k)
    }
    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        score_task(task, outcome)
    }
}

impl Family for Math {
    fn name(&self) -> &'static str {
        MATH
    }
    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        load_with(spec, self.name(), parse_math)
    }
    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        score_task(task, outcome)
    }
}

impl Family for Aime {
    fn name(&self) -> &'static str {
        AIME
    }
    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        load_with(spec, self.name(), parse_aime)
    }
    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        score_task(task, outcome)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
