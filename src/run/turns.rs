//! The turn loop: one task run as an episode of several requests against its family's environment.
//!
//! Each request is the task's conversation plus every turn so far; each answer's tool calls are
//! checked (a JSON object, a tool the environment offers, within its schema), the valid ones run in
//! call order, and all results go back together in the next request. The episode ends when the model
//! answers without a call, or is cut (and failed) at the environment's step limit. Every request goes
//! through the provider's limiter and retry policy like any other; an error that survives its retries
//! ends the episode as an infrastructure failure, not a wrong answer. Tokens and cost are summed over
//! the turns; latency is the whole episode's and TTFT the first turn's.
//!
//! With the cache on, each turn is looked up before it is sent and cached once answered, so a rerun
//! or a resumed run replays the episode through its environment without paying for turns already
//! answered, and asks the provider again from the first turn whose transcript differs (a team's MCP
//! server that now answers otherwise).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::scheduler::{ProviderRun, Sent};
use crate::core::{
    CallCheck, Episode, ItemKey, Message, Outcome, StopReason, Task, ToolCall, ToolSpec, Turn,
};
use crate::families::{Environment, EnvironmentError, ToolOutput};
use crate::provider::{ChatRequest, ErrorClass, ProviderError};

/// An environment that broke, as the infrastructure failure it is.
pub(super) fn environment_failure(error: EnvironmentError) -> ProviderError {
    ProviderError::new(ErrorClass::Environment, error.0)
}

/// Run `environment`'s episode, starting from `request` (the task's own conversation).
pub(super) async fn run_episode(
    run: &ProviderRun,
    key: &ItemKey,
    task: &Task,
    mut request: ChatRequest,
    mut environment: Box<dyn Environment>,
) -> Sent {
    let started = Instant::now();
    let fingerprint = run.turn_cache.is_some().then(|| task.fingerprint());
    request.tools = environment.tools().to_vec();
    let checker = CallChecker::new(environment.tools(), &run.schemas);
    let mut episode = Episode::default();
    let mut total = Outcome::default();
    let mut attempts = 0;
    let last = loop {
        if episode.turns.len() >= environment.step_limit() as usize {
            episode.step_limit_hit = true;
            break None;
        }
        let turn = (fingerprint.as_deref(), episode.turns.len());
        let (outcome, from_cache) = match run.answer_turn(key, &request, turn, attempts).await {
            (Sent::Answered(outcome, n), from_cache) => {
                attempts += n;
                (*outcome, from_cache)
            }
            (Sent::Failed(error, n), _) => return Sent::Failed(error, attempts + n),
            (Sent::Stopped, _) => return Sent::Stopped,
        };
        add_turn_figures(&mut total, &outcome, episode.turns.is_empty());
        let answer = outcome.assistant_message();
        let mut results = Vec::with_capacity(outcome.tool_calls.len());
        episode.parallel_turns += u32::from(outcome.tool_calls.len() > 1);
        for call in &outcome.tool_calls {
            episode.calls += 1;
            let output = match checker.check(call) {
                Err((check, why)) => {
                    episode.count_invalid(check);
                    ToolOutput::error(why)
                }
                Ok(()) => match environment.call(call).await {
                    Ok(output) => output,
                    Err(e) => return Sent::Failed(environment_failure(e), attempts),
                },
            };
            results.push(Message::tool_result(call.id.clone(), output.content, output.is_error));
        }
        request.messages.push(answer.clone());
        request.messages.extend(results.iter().cloned());
        let final_answer = outcome.tool_calls.is_empty();
        episode.turns.push(Turn {
            answer,
            results,
            usage: outcome.usage,
            stop: outcome.stop.clone(),
            latency_ms: outcome.latency_ms,
            ttft_ms: outcome.ttft_ms,
            from_cache,
        });
        if final_answer {
            break Some(outcome);
        }
    };
    episode.state = match environment.finish().await {
        Ok(state) => state,
        Err(e) => return Sent::Failed(environment_failure(e), attempts),
    };
    let mut outcome = match last {
        Some(last) => Outcome { usage: total.usage, ttft_ms: total.ttft_ms, ..last },
        None => Outcome { stop: StopReason::Other("step_limit".into()), ..total },
    };
    outcome.usage_estimated = total.usage_estimated;
    outcome.latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    outcome.episode = Some(Box::new(episode));
    Sent::Answered(Box::new(outcome), attempts)
}

/// Sum one turn's tokens into the episode's; TTFT is the first turn's.
fn add_turn_figures(total: &mut Outcome, turn: &Outcome, first: bool) {
    let (sum, add) = (&mut total.usage, &turn.usage);
    sum.input += add.input;
    sum.output += add.output;
    sum.cache_read += add.cache_read;
    sum.cache_write += add.cache_write;
    sum.reasoning += add.reasoning;
    total.usage_estimated |= turn.usage_estimated;
    if first {
        total.ttft_ms = turn.ttft_ms;
    }
}

/// Compiled tool schemas by their JSON text, shared by a run's episodes: compiling a schema costs
/// far more than checking a call against it, and a suite's tasks offer the same few tools.
#[derive(Default)]
pub(super) struct Schemas(Mutex<HashMap<String, Option<Arc<jsonschema::Validator>>>>);

impl Schemas {
    fn validator(&self, tool: &ToolSpec) -> Option<Arc<jsonschema::Validator>> {
        let key = tool.parameters.to_string();
        if let Some(known) = self.0.lock().ok().and_then(|cache| cache.get(&key).cloned()) {
            return known;
        }
        let compiled = jsonschema::validator_for(&tool.parameters)
            .inspect_err(|e| tracing::warn!("tool `{}` has a schema that cannot be checked: {e}", tool.name))
            .ok()
            .map(Arc::new);
        if let Ok(mut cache) = self.0.lock() {
            cache.insert(key, compiled.clone());
        }
        compiled
    }
}

/// Checks calls against the tools offered: arguments must be a JSON object, the tool must exist,
/// and the arguments must satisfy its schema. What fails goes back to the model as a tool error.
struct CallChecker {
    validators: HashMap<String, Option<Arc<jsonschema::Validator>>>,
}

impl CallChecker {
    fn new(tools: &[ToolSpec], schemas: &Schemas) -> Self {
        let validators = tools.iter().map(|tool| (tool.name.clone(), schemas.validator(tool))).collect();
        CallChecker { validators }
    }

    fn check(&self, call: &ToolCall) -> Result<(), (CallCheck, String)> {
        let Some(validator) = self.validators.get(&call.name) else {
            let mut names: Vec<&str> = self.validators.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err((
                CallCheck::UnknownTool,
                format!("there is no tool named `{}`; the tools are: {}", call.name, names.join(", ")),
            ));
        };
        if !call.arguments.is_object() {
            let raw = call.arguments.as_str().map_or_else(|| call.arguments.to_string(), str::to_string);
            return Err((CallCheck::BadJson, format!("the arguments are not a JSON object: {raw}")));
        }
        if let Some(validator) = validator {
            let problems: Vec<String> =
                validator.iter_errors(&call.arguments).map(|e| e.to_string()).collect();
            if !problems.is_empty() {
                return Err((
                    CallCheck::SchemaViolation,
                    format!("the arguments do not match the tool's schema: {}", problems.join("; ")),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn checker() -> CallChecker {
        CallChecker::new(
            &[ToolSpec {
                name: "convert".into(),
                description: "Convert an amount".into(),
                parameters: json!({
                    "type": "object",
                    "properties": {"amount": {"type": "number"}, "to": {"type": "string", "enum": ["EUR", "USD"]}},
                    "required": ["amount", "to"]
                }),
            }],
            &Schemas::default(),
        )
    }

    fn call(name: &str, arguments: serde_json::Value) -> ToolCall {
        ToolCall { id: "c1".into(), name: name.into(), arguments }
    }

    #[test]
    fn a_valid_call_passes() {
        assert_eq!(checker().check(&call("convert", json!({"amount": 3, "to": "EUR"}))), Ok(()));
    }

    #[test]
    fn each_kind_of_invalid_call_is_named_for_the_model() {
        let checker = checker();
        let (check, why) = checker.check(&call("convrt", json!({}))).unwrap_err();
        assert_eq!(check, CallCheck::UnknownTool);
        assert!(why.contains("`convrt`") && why.contains("convert"), "{why}");
        let (check, why) = checker.check(&call("convert", json!("{\"amount\": 3,"))).unwrap_err();
        assert_eq!(check, CallCheck::BadJson);
        assert!(why.contains("{\"amount\": 3,"), "{why}");
        let (check, why) = checker.check(&call("convert", json!({"amount": "3", "to": "GBP"}))).unwrap_err();
        assert_eq!(check, CallCheck::SchemaViolation);
        assert!(why.contains("GBP") && why.contains("\"3\""), "{why}");
        assert_eq!(
            checker.check(&call("convert", json!({"to": "USD"}))).unwrap_err().0,
            CallCheck::SchemaViolation
        );
    }
}
