//! The `replay` provider: answers produced elsewhere (a production log, another harness, an earlier
//! export, a reference solution), read from JSONL and scored and compared like any provider's.
//!
//! One answer a line: `{"task_id": "t1", "output": "..."}`, optionally with `suite`, `sample` (from
//! 0), `reasoning`, `usage` (`{"input": .., "output": ..}`), `latency_ms`, `ttft_ms`, and
//! `tool_calls` (`[{"name": .., "arguments": {..}, "id"?: ..}]`) beside or instead of `output`.
//! Several lines for one task without `sample` are its samples in file order.
//!
//! A task run as an episode of several turns is answered by a line with `turns` instead: a transcript
//! (`[{"role": "assistant", "content": .., "tool_calls": [..]}, {"role": "tool", ..}, ..]`) whose k-th
//! assistant message answers the request that already holds k assistant messages. A plain line is a
//! transcript of one turn. A request past the last turn is a `bad_response`.
//!
//! `suite` is the suite's name as the run knows it (a suite file's stem, or a bundled suite's name).
//! A line that names a suite answers only that suite's task, so two suites whose task ids coincide
//! (`t1` in both) are answered separately; a line without `suite` answers the task of that id in any
//! suite that has no line of its own for it.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;

use super::sse::parse_arguments;
use super::{ChatRequest, ErrorClass, Provider, ProviderError};
use crate::core::{Outcome, Role, StopReason, ToolCall, Usage};

/// Answers keyed by (suite, task id, sample), one outcome per turn; the suite is `None` for lines
/// that name none.
#[derive(Debug)]
pub struct ReplayProvider {
    answers: HashMap<Key, Vec<Outcome>>,
}

type Key = (Option<String>, String, u32);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    suite: Option<String>,
    task_id: Value,
    output: Option<String>,
    tool_calls: Option<Vec<ReplayCall>>,
    turns: Option<Vec<ReplayMessage>>,
    sample: Option<u32>,
    reasoning: Option<String>,
    usage: Option<ReplayUsage>,
    latency_ms: Option<f64>,
    ttft_ms: Option<f64>,
}

/// A tool call as written in a replay file; `arguments` may also be a JSON string (as OpenAI sends
/// them), kept as raw text when it does not parse, so invalid calls can be replayed too.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayCall {
    id: Option<String>,
    name: String,
    #[serde(default)]
    arguments: Value,
}

/// One message of a replayed transcript. Only assistant messages are replayed; the others (the
/// user's, tool results) may stay in the transcript as it was recorded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayMessage {
    role: Role,
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<ReplayCall>,
    reasoning: Option<String>,
    usage: Option<ReplayUsage>,
    latency_ms: Option<f64>,
    ttft_ms: Option<f64>,
    /// For a tool result in the transcript: the call it answered (not replayed).
    #[serde(rename = "tool_call_id")]
    _tool_call_id: Option<String>,
    /// For a tool result in the transcript: whether it was an error (not replayed).
    #[serde(rename = "is_error")]
    _is_error: Option<bool>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct ReplayUsage {
    #[serde(default)]
    input: u64,
    #[serde(default)]
    output: u64,
}

/// What one replayed turn says, before it becomes an [`Outcome`].
struct ReplayTurn {
    text: String,
    calls: Vec<ReplayCall>,
    reasoning: Option<String>,
    usage: Option<ReplayUsage>,
    latency_ms: Option<f64>,
    ttft_ms: Option<f64>,
}

impl ReplayTurn {
    /// The outcome of turn `turn` (from 0); calls without an id get `call_{turn}_{i}`, which is
    /// deterministic and unique within the episode.
    fn into_outcome(self, turn: usize) -> Outcome {
        let tool_calls: Vec<ToolCall> = self
            .calls
            .into_iter()
            .enumerate()
            .map(|(i, call)| ToolCall {
                id: call.id.filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{turn}_{i}")),
                name: call.name,
                arguments: match call.arguments {
                    Value::String(raw) => parse_arguments(&raw),
                    Value::Null => Value::Object(serde_json::Map::new()),
                    other => other,
                },
            })
            .collect();
        let usage = self.usage.unwrap_or_default();
        Outcome {
            text: self.text,
            reasoning: self.reasoning.unwrap_or_default(),
            stop: if tool_calls.is_empty() { StopReason::Unknown } else { StopReason::ToolUse },
            tool_calls,
            usage: Usage { input: usage.input, output: usage.output, ..Usage::default() },
            ttft_ms: self.ttft_ms,
            latency_ms: self.latency_ms.unwrap_or(0.0),
            ..Outcome::default()
        }
    }
}

/// The turns a line answers with, or what is wrong with it.
fn line_turns(line: Line) -> Result<Vec<Outcome>, String> {
    let Some(messages) = line.turns else {
        if line.output.is_none() && line.tool_calls.is_none() {
            return Err(
                "missing field `output` (a replay line needs `output`, `tool_calls` or `turns`)".into()
            );
        }
        let turn = ReplayTurn {
            text: line.output.unwrap_or_default(),
            calls: line.tool_calls.unwrap_or_default(),
            reasoning: line.reasoning,
            usage: line.usage,
            latency_ms: line.latency_ms,
            ttft_ms: line.ttft_ms,
        };
        return Ok(vec![turn.into_outcome(0)]);
    };
    let beside: Vec<&str> = [
        ("output", line.output.is_some()),
        ("tool_calls", line.tool_calls.is_some()),
        ("reasoning", line.reasoning.is_some()),
        ("usage", line.usage.is_some()),
        ("latency_ms", line.latency_ms.is_some()),
        ("ttft_ms", line.ttft_ms.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if !beside.is_empty() {
        return Err(format!(
            "`turns` cannot go with {}: set them on its assistant messages",
            beside.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let turns: Vec<Outcome> = messages
        .into_iter()
        .filter(|message| message.role == Role::Assistant)
        .enumerate()
        .map(|(turn, message)| {
            let replayed = ReplayTurn {
                text: message.content.unwrap_or_default(),
                calls: message.tool_calls,
                reasoning: message.reasoning,
                usage: message.usage,
                latency_ms: message.latency_ms,
                ttft_ms: message.ttft_ms,
            };
            replayed.into_outcome(turn)
        })
        .collect();
    if turns.is_empty() {
        return Err("`turns` has no assistant message to answer with".into());
    }
    Ok(turns)
}

impl ReplayProvider {
    /// Read a JSONL file of answers; every malformed line is reported as `file:line: what`.
    pub fn from_file(path: &Path) -> Result<ReplayProvider, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("{}: cannot open replay file: {e}", path.display()))?;
        let mut answers = HashMap::new();
        let mut next_sample: HashMap<(Option<String>, String), u32> = HashMap::new();
        let mut problems = Vec::new();
        for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
            let at = format!("{}:{}", path.display(), index + 1);
            let line = line.map_err(|e| format!("{at}: cannot read: {e}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line = match serde_json::from_str(&line) {
                Ok(parsed) => parsed,
                Err(e) => {
                    problems.push(format!("{at}: {e}"));
                    continue;
                }
            };
            let task_id = match &parsed.task_id {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => {
                    problems.push(format!("{at}: `task_id` must be a string or number, found {other}"));
                    continue;
                }
            };
            let suite = parsed.suite.clone();
            let counter = next_sample.entry((suite.clone(), task_id.clone())).or_insert(0);
            let sample = parsed.sample.unwrap_or(*counter);
            *counter = sample + 1;
            let turns = match line_turns(parsed) {
                Ok(turns) => turns,
                Err(e) => {
                    problems.push(format!("{at}: {e}"));
                    continue;
                }
            };
            let of_suite = suite.as_ref().map(|s| format!(" of suite `{s}`")).unwrap_or_default();
            if answers.insert((suite, task_id.clone(), sample), turns).is_some() {
                problems
                    .push(format!("{at}: a second answer for task `{task_id}`{of_suite} sample {sample}"));
            }
        }
        if !problems.is_empty() {
            problems.truncate(20);
            return Err(problems.join("\n"));
        }
        Ok(ReplayProvider { answers })
    }

    /// The answer to `req`: the turn after the assistant messages it already holds.
    fn answer(&self, req: &ChatRequest) -> Result<Outcome, ProviderError> {
        let (task_id, sample) = (req.task_id.clone(), req.sample);
        let which = format!("task `{}` of suite `{}` sample {}", req.task_id, req.suite, req.sample);
        let turns = self
            .answers
            .get(&(Some(req.suite.clone()), task_id.clone(), sample))
            .or_else(|| self.answers.get(&(None, task_id, sample)))
            .ok_or_else(|| bad_response(format!("the replay file has no answer for {which}")))?;
        let turn = req.messages.iter().filter(|m| m.role == Role::Assistant).count();
        turns.get(turn).cloned().ok_or_else(|| {
            bad_response(format!(
                "the replay answer for {which} has {} turn(s) and the episode asked for turn {}: \
                 the recorded transcript ends before the episode does",
                turns.len(),
                turn + 1
            ))
        })
    }
}

/// A replay that cannot answer: never worth retrying.
fn bad_response(message: String) -> ProviderError {
    ProviderError {
        class: ErrorClass::BadResponse,
        status: None,
        message,
        retry_after: None,
        should_retry: Some(false),
        partial_usage: None,
    }
}

impl Provider for ReplayProvider {
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>> {
        let answer = self.answer(req);
        Box::pin(async move { answer })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
