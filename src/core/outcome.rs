//! What one attempt produced, in a provider-neutral shape: the answer, its usage, why it stopped.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::chat::{Message, Reasoning, Role, ToolCall};
use super::episode::Episode;

/// Token counts normalised across protocols.
///
/// `input` excludes cache reads and writes (Anthropic's convention; for OpenAI-style usage the cached
/// tokens are subtracted from `prompt_tokens`). `output` includes reasoning, and `reasoning` is the part
/// of `output` spent thinking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Uncached input tokens.
    pub input: u64,
    /// Output tokens, reasoning included.
    pub output: u64,
    /// Input tokens read from the provider's prompt cache.
    pub cache_read: u64,
    /// Input tokens written to the provider's prompt cache.
    pub cache_write: u64,
    /// Output tokens spent on reasoning (a part of `output`).
    pub reasoning: u64,
}

impl Usage {
    /// Every input token the model read, cached or not.
    pub fn total_input(&self) -> u64 {
        self.input + self.cache_read + self.cache_write
    }
}

/// Why the model stopped, mapped from each protocol's own names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// A natural end (`end_turn`, `stop`).
    EndTurn,
    /// The output budget ran out (`max_tokens`, `length`).
    MaxTokens,
    /// A stop sequence matched.
    StopSequence,
    /// The model wants tool results (`tool_use`, `tool_calls`).
    ToolUse,
    /// The model declined (`refusal`).
    Refusal,
    /// The provider filtered the output (`content_filter`, `sensitive`).
    ContentFilter,
    /// The context window was exceeded while generating.
    ContextWindow,
    /// The server paused a long turn (`pause_turn`).
    Paused,
    /// A reason this harness does not know, kept verbatim.
    Other(String),
    /// The stream ended without saying (only seen in replayed or truncated answers).
    #[default]
    Unknown,
}

/// Everything one successful attempt produced; for a task run as an episode of several turns, the
/// final answer with usage summed over the turns and the whole episode's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The answer text (all text blocks joined).
    pub text: String,
    /// Reasoning text (thinking blocks, `reasoning_content`), empty when the model showed none.
    pub reasoning: String,
    /// Reasoning blocks as returned (with Anthropic signatures), to send back in the next turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasoning_blocks: Vec<Reasoning>,
    /// Tool calls in the order the model made them.
    pub tool_calls: Vec<ToolCall>,
    /// Token counts.
    pub usage: Usage,
    /// Why generation stopped.
    pub stop: StopReason,
    /// Model name the server reported, when it did.
    pub model: Option<String>,
    /// The response's id on the wire (OpenAI `id`, Anthropic `message.id`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<String>,
    /// OpenAI's `system_fingerprint` (the backend configuration that answered), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// The server reported no usage, so `usage` was counted locally (o200k) and is an estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub usage_estimated: bool,
    /// Milliseconds from sending the request to the first output delta (text, reasoning or tool
    /// arguments; pings, comments and role-only chunks do not count). None for non-streamed answers.
    pub ttft_ms: Option<f64>,
    /// Milliseconds from sending the request to the end of the answer.
    pub latency_ms: f64,
    /// What the response's rate-limit headers said is left (not stored: it matters only now).
    #[serde(skip)]
    pub headroom: Option<Headroom>,
    /// The prompt a family built when the request was sent (long context): kept as its hash and size
    /// so a stored run says exactly what was asked without holding a million tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<PromptRecord>,
    /// The turns, tool calls and final environment state of a multi-turn episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episode: Option<Box<Episode>>,
}

/// What identifies a prompt built at send time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptRecord {
    /// sha256 (hex) of the system prompt and messages as sent.
    pub sha256: String,
    /// Its size in o200k tokens: an approximation of the provider's own count, which is the
    /// answer's input usage when the provider reports one.
    pub o200k_tokens: u64,
}

impl Outcome {
    /// The assistant message this answer becomes in an episode's transcript, its reasoning kept whole
    /// for the adapters that must send it back: the blocks as returned (Anthropic's, signed), else the
    /// reasoning text as one unsigned block (OpenAI-compatible `reasoning_content`).
    pub fn assistant_message(&self) -> Message {
        let reasoning = if !self.reasoning_blocks.is_empty() {
            self.reasoning_blocks.clone()
        } else if !self.reasoning.is_empty() {
            vec![Reasoning::Thinking { text: self.reasoning.clone(), signature: None }]
        } else {
            Vec::new()
        };
        Message {
            role: Role::Assistant,
            content: self.text.clone(),
            tool_calls: self.tool_calls.clone(),
            reasoning,
            ..Message::default()
        }
    }
}

#[cfg(test)]
impl Outcome {
    /// An answer that is only text, for scorer tests.
    pub(crate) fn text_only(text: &str) -> Outcome {
        Outcome { text: text.into(), stop: StopReason::EndTurn, latency_ms: 1.0, ..Outcome::default() }
    }
}

/// What is left of a provider's limits after one response: (left, time until the window resets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headroom {
    /// Requests left in the current window.
    pub requests: Option<(u64, Duration)>,
    /// Tokens left under the most restrictive token limit.
    pub tokens: Option<(u64, Duration)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasoning_without_blocks_is_kept_as_unsigned_thinking() {
        let outcome = Outcome { reasoning: "think".into(), text: "hi".into(), ..Outcome::default() };
        let turn = outcome.assistant_message();
        assert_eq!(turn.reasoning, vec![Reasoning::Thinking { text: "think".into(), signature: None }]);
        assert_eq!((turn.role, turn.content.as_str()), (Role::Assistant, "hi"));
    }

    #[test]
    fn reasoning_blocks_win_over_the_text_and_keep_their_signatures() {
        let blocks = vec![
            Reasoning::Thinking { text: "a".into(), signature: Some("sig".into()) },
            Reasoning::Redacted { data: "opaque".into() },
        ];
        let call = ToolCall { id: "c1".into(), name: "f".into(), arguments: serde_json::json!({}) };
        let outcome = Outcome {
            reasoning: "a".into(),
            reasoning_blocks: blocks.clone(),
            tool_calls: vec![call.clone()],
            ..Outcome::default()
        };
        let turn = outcome.assistant_message();
        assert_eq!((turn.reasoning, turn.tool_calls), (blocks, vec![call]));
    }
}
