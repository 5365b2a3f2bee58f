//! The ground truth of a task as the calls of a model that answered right.

use serde_json::{Map, Value};

use super::checker::{ExpectedCall, FunctionDoc};
use super::values::is_omitted;
use crate::core::{Task, ToolCall};

/// The ground truth of a BFCL task as tool calls under the names the model sees: the first acceptable
/// value of every parameter (inside dicts and lists of dicts too), leaving out parameters that may be
/// left out and have no other value. An irrelevance or relevance task gives no calls. So tests,
/// benchmarks and replays can put a right answer through the checker.
pub fn reference_calls(task: &Task) -> Result<Vec<ToolCall>, String> {
    let Some(truth) = task.expected.get("ground_truth").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let functions =
        task.expected.get("functions").and_then(Value::as_array).ok_or("the task has no functions")?;
    let docs = functions.iter().map(FunctionDoc::read).collect::<Result<Vec<_>, _>>()?;
    let names = task.meta.get("names").and_then(Value::as_object);
    let provider_name = |bfcl: &str| {
        let renamed = names.and_then(|n| n.iter().find(|(_, original)| original.as_str() == Some(bfcl)));
        renamed.map_or_else(|| bfcl.to_string(), |(name, _)| name.clone())
    };
    truth
        .iter()
        .enumerate()
        .map(|(index, call)| {
            let call = ExpectedCall::read(call)?;
            let doc =
                docs.iter().find(|d| d.name == call.name).ok_or(format!("no function `{}`", call.name))?;
            let mut arguments = Map::new();
            // A parameter the function does not have can only be left out (BFCL lists a few, with `""`).
            for (param, candidates) in call.params.iter().filter(|(p, _)| doc.has(p)) {
                let Some(value) = first_value(candidates) else { continue };
                let value = match (doc.declared_type(param), doc.item_type(param)) {
                    (Some("dict"), _) => one_dict(value),
                    (Some("array" | "tuple"), Some("dict")) => match value {
                        Value::Array(dicts) => Value::Array(dicts.iter().map(one_dict).collect()),
                        other => other.clone(),
                    },
                    _ => value.clone(),
                };
                arguments.insert(param.clone(), value);
            }
            Ok(ToolCall {
                id: format!("call_{index}"),
                name: provider_name(call.name),
                arguments: arguments.into(),
            })
        })
        .collect()
}

/// The first acceptable value that is not the "may be left out" marker.
fn first_value(candidates: &Value) -> Option<&Value> {
    match candidates {
        Value::Array(values) => values.iter().find(|v| !is_omitted(v)),
        other => Some(other),
    }
}

/// An acceptable dict (each key with its acceptable values) as one dict a model would pass.
fn one_dict(accepted: &Value) -> Value {
    match accepted {
        Value::Object(keys) => keys
            .iter()
            .filter_map(|(key, values)| first_value(values).map(|v| (key.clone(), v.clone())))
            .collect(),
        other => other.clone(),
    }
}
