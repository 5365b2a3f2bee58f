//! BFCL's own data (../shared/data/bfcl): every ground-truth answer passes the checker, and answers
//! with one thing changed fail it. Skipped when the shared data is absent, never in CI.

use std::path::{Path, PathBuf};

use super::*;
use crate::families::Registry;

/// BFCL's data folder beside the checkout, or `None` (with a message) when it is absent outside CI.
fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bfcl");
    if dir.is_dir() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{} is missing: CI must have the shared data",
        dir.display()
    );
    eprintln!("skipping: {} not found", dir.display());
    None
}

fn load_all(dir: &Path) -> Vec<Task> {
    let spec = SuiteSpec::parse(&format!("bfcl:{}", dir.display())).unwrap();
    Registry::default().load(&spec).unwrap()
}

fn with_calls(calls: Vec<ToolCall>) -> Outcome {
    let mut outcome = Outcome::text_only("");
    outcome.tool_calls = calls;
    outcome
}

fn is_ast(task: &Task) -> bool {
    task.category.as_deref().and_then(check_of).is_some_and(Check::needs_ground_truth)
}

#[test]
fn every_category_loads_with_tools_the_providers_accept() {
    let Some(dir) = shared_data() else { return };
    let tasks = load_all(&dir);
    let mut counts = std::collections::BTreeMap::new();
    for task in &tasks {
        *counts.entry(task.category.clone().unwrap()).or_insert(0) += 1;
    }
    let expected = [
        ("irrelevance", 240),
        ("multiple", 200),
        ("parallel", 200),
        ("parallel_multiple", 200),
        ("simple_python", 400),
    ];
    assert_eq!(counts, expected.iter().map(|(c, n)| (c.to_string(), *n)).collect());
    let legal = regex::Regex::new(r"^[a-zA-Z0-9_-]{1,64}$").unwrap();
    let bfcl_types = regex::Regex::new(r#""type":"(dict|float|tuple|any)""#).unwrap();
    for task in &tasks {
        assert!(task.id.starts_with(task.category.as_deref().unwrap()), "{}", task.id);
        for tool in &task.tools {
            assert!(legal.is_match(&tool.name), "{}: {}", task.id, tool.name);
            assert!(!bfcl_types.is_match(&tool.parameters.to_string()), "{}: {}", task.id, tool.parameters);
            if let Err(e) = jsonschema::meta::validate(&tool.parameters) {
                panic!("{}: `{}` is not valid JSON Schema: {e}", task.id, tool.name);
            }
        }
    }
    let renamed = tasks.iter().filter(|t| !t.meta["names"].as_object().unwrap().is_empty()).count();
    assert!(renamed > 500, "most tasks have dotted names: {renamed}");
}

#[test]
fn every_ground_truth_answer_passes_in_any_order() {
    let Some(dir) = shared_data() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for task in load_all(&dir).iter().filter(|t| is_ast(t)) {
        let calls = reference_calls(task).unwrap();
        let mut reversed = calls.clone();
        reversed.reverse();
        for (order, calls) in [("as listed", calls), ("reversed", reversed)] {
            let score = Bfcl.score(task, &with_calls(calls));
            if !score.passed {
                failures.push(format!("{} ({order}): {}", task.id, score.detail));
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 1000);
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
}

/// `value` changed so that no acceptable value equals it, or `None` for dicts and nulls.
fn changed(value: &Value) -> Option<Value> {
    Some(match value {
        Value::String(s) => json!(format!("{s} zz changed")),
        Value::Bool(b) => json!(!b),
        Value::Number(n) if n.is_f64() => json!(n.as_f64()? + 7919.5),
        Value::Number(n) => json!(n.as_i64()? + 7919),
        Value::Array(items) => {
            let mut items = items.clone();
            items.push(changed(items.first()?)?);
            Value::Array(items)
        }
        Value::Object(_) | Value::Null => return None,
    })
}

/// Scores the reference answer of every AST task with `change` applied to its first call (skipping
/// tasks where `change` finds nothing to change); returns (tasks changed, failures that were not
/// `expected` error types).
fn changed_answers(
    tasks: &[Task],
    change: impl Fn(&Task, &mut ToolCall) -> bool,
    expected: &[&str],
) -> (usize, Vec<String>) {
    let mut changed = 0;
    let mut wrong = Vec::new();
    for task in tasks.iter().filter(|t| is_ast(t)) {
        let mut calls = reference_calls(task).unwrap();
        if !change(task, &mut calls[0]) {
            continue;
        }
        changed += 1;
        let score = Bfcl.score(task, &with_calls(calls));
        let kind = score.detail["error_type"].as_str().unwrap_or("(passed)");
        if score.passed || !expected.iter().any(|e| kind.starts_with(e)) {
            wrong.push(format!("{}: {}", task.id, score.detail));
        }
    }
    (changed, wrong)
}

#[test]
fn a_changed_value_fails() {
    let Some(dir) = shared_data() else { return };
    let tasks = load_all(&dir);
    // The first reference call answers the first expected call: change a value to one it does not accept.
    let change_a_value = |task: &Task, call: &mut ToolCall| {
        let want = task.expected["ground_truth"][0].as_object().and_then(|c| c.values().next()).unwrap();
        let acceptable = |param: &str, value: &Value| {
            let candidates = want[param].as_array().unwrap();
            let standardized = |v: &Value| v.as_str().map_or(v.clone(), |s| json!(values::standardize(s)));
            candidates.iter().any(|c| values::py_eq(&standardized(value), &standardized(c)))
        };
        let Some(args) = call.arguments.as_object_mut() else { return false };
        let found = args.iter_mut().find_map(|(param, value)| {
            changed(value).filter(|new| !acceptable(param, new)).map(|new| (value, new))
        });
        found.map(|(value, new)| *value = new).is_some()
    };
    let (changed, wrong) = changed_answers(
        &tasks,
        change_a_value,
        &["value_error", "parallel_function_checker_no_order:cannot_find_match"],
    );
    assert!(changed >= 995, "values changed in {changed} of 1000 tasks");
    assert!(wrong.is_empty(), "{} not failed as expected:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_missing_required_parameter_fails() {
    let Some(dir) = shared_data() else { return };
    let tasks = load_all(&dir);
    let drop_required = |task: &Task, call: &mut ToolCall| {
        let functions = task.expected["functions"].as_array().unwrap();
        let bfcl =
            task.meta["names"].get(&call.name).and_then(Value::as_str).unwrap_or(&call.name).to_string();
        let function = functions.iter().find(|f| f["name"] == bfcl.as_str()).unwrap();
        let required = function["parameters"]["required"].as_array().unwrap();
        let Some(args) = call.arguments.as_object_mut() else { return false };
        let present =
            required.iter().filter_map(Value::as_str).find(|p| args.contains_key(*p)).map(str::to_string);
        present.is_some_and(|p| args.remove(&p).is_some())
    };
    let (changed, wrong) = changed_answers(
        &tasks,
        drop_required,
        &["simple_function_checker:missing_required", "parallel_function_checker_no_order:cannot_find_match"],
    );
    assert!(changed >= 995, "a required parameter dropped in {changed} of 1000 tasks");
    assert!(wrong.is_empty(), "{} not failed as expected:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_wrong_function_name_fails() {
    let Some(dir) = shared_data() else { return };
    let tasks = load_all(&dir);
    let rename = |_: &Task, call: &mut ToolCall| {
        call.name = "not_a_bfcl_function".into();
        true
    };
    let (changed, wrong) = changed_answers(
        &tasks,
        rename,
        &["simple_function_checker:wrong_func_name", "parallel_function_checker_no_order:cannot_find_match"],
    );
    assert_eq!(changed, 1000);
    assert!(wrong.is_empty(), "{} not failed as expected:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn irrelevance_passes_with_no_call_and_fails_with_one() {
    let Some(dir) = shared_data() else { return };
    let tasks = load_all(&dir);
    let irrelevance: Vec<&Task> =
        tasks.iter().filter(|t| t.category.as_deref() == Some("irrelevance")).collect();
    assert_eq!(irrelevance.len(), 240);
    for task in irrelevance {
        assert!(Bfcl.score(task, &with_calls(vec![])).passed, "{}", task.id);
        let call = ToolCall { id: "c0".into(), name: task.tools[0].name.clone(), arguments: json!({}) };
        let score = Bfcl.score(task, &with_calls(vec![call]));
        assert!(!score.passed, "{}", task.id);
        assert_eq!(score.detail["error_type"], "irrelevance_error:decoder_success");
    }
}
