//! The record of a multi-turn episode: what each turn asked and answered, how the model used its
//! tools, and the environment's state at the end, which is what the family scores.

use serde::{Deserialize, Serialize};

use super::chat::Message;
use super::outcome::{StopReason, Usage};

/// One request and its answer within an episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The assistant's answer: text, tool calls and reasoning.
    pub answer: Message,
    /// The results sent back for its tool calls, in call order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Message>,
    /// Tokens of this request.
    pub usage: Usage,
    /// Why the model stopped.
    pub stop: StopReason,
    /// From sending to the end of the answer.
    pub latency_ms: f64,
    /// To the first output delta, when streamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttft_ms: Option<f64>,
    /// The answer came from the response cache.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_cache: bool,
}

/// What was wrong with a tool call before it could run; the model is told, and the call counts
/// against the episode's tool-call validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallCheck {
    /// Arguments that are not a JSON object (malformed JSON, or a bare value).
    BadJson,
    /// A tool the task does not offer.
    UnknownTool,
    /// Arguments that break the tool's JSON Schema (a missing required field, a wrong type...).
    SchemaViolation,
}

impl CallCheck {
    /// The snake_case name used in the store and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CallCheck::BadJson => "bad_json",
            CallCheck::UnknownTool => "unknown_tool",
            CallCheck::SchemaViolation => "schema_violation",
        }
    }
}

/// A whole episode: its turns, the tool calls counted, and where the environment ended up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Every turn, in order.
    pub turns: Vec<Turn>,
    /// Tool calls the model made, valid or not.
    pub calls: u32,
    /// Of which invalid, by what was wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_calls: Vec<(CallCheck, u32)>,
    /// Turns in which the model made more than one call at once.
    pub parallel_turns: u32,
    /// The episode was cut at the step limit before the model gave a final answer (a failed task).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub step_limit_hit: bool,
    /// The environment's state after the last turn, for the family's scorer.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub state: serde_json::Value,
}

impl Episode {
    /// Count one invalid call of kind `check`.
    pub fn count_invalid(&mut self, check: CallCheck) {
        match self.invalid_calls.iter_mut().find(|(c, _)| *c == check) {
            Some((_, n)) => *n += 1,
            None => self.invalid_calls.push((check, 1)),
        }
    }

    /// Invalid calls of every kind.
    pub fn invalid(&self) -> u32 {
        self.invalid_calls.iter().map(|(_, n)| n).sum()
    }
}
