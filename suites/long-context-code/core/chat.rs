//! Chat messages in a provider-neutral shape: what a task asks and what an assistant turn holds.

use serde::{Deserialize, Serialize};

/// Who said a message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person (or harness) asking.
    #[default]
    User,
    /// The model.
    Assistant,
    /// The result of a tool call, answering an assistant's call by id.
    Tool,
}

/// One turn of a conversation in a provider-neutral shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who speaks.
    pub role: Role,
    /// The text of the turn (for a tool result: the tool's output).
    pub content: String,
    /// Calls the assistant made in this turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// For a tool result: the id of the call it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// For a tool result: the call failed (an unknown tool, arguments that break its schema, an error
    /// the tool raised); the model is told so it can correct itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_error: bool,
    /// An assistant turn's reasoning as the provider returned it, to be sent back where the protocol
    /// requires it (Anthropic's signed thinking blocks; `reasoning_content` for Kimi and DeepSeek).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasoning: Vec<Reasoning>,
}

impl Message {
    /// A plain user turn.
    pub fn user(content: impl Into<String>) -> Self {
        Message { role: Role::User, content: content.into(), ..Message::default() }
    }

    /// A plain assistant turn.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message { role: Role::Assistant, content: content.into(), ..Message::default() }
    }

    /// The result of tool call `call_id`, or the error it met.
    pub fn tool_result(call_id: impl Into<String>, content: impl Into<String>, is_error: bool) -> Self {
        Message {
            role: Role::Tool,
            content: content.into(),
            tool_call_id: Some(call_id.into()),
            is_error,
            ..Message::default()
        }
    }
}

/// Reasoning an assistant turn carried, kept whole so it can be echoed back unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reasoning {
    /// Readable reasoning: an Anthropic `thinking` block with its signature, or OpenAI-compatible
    /// `reasoning_content` (no signature).
    Thinking {
        /// The reasoning text.
        text: String,
        /// Anthropic's signature over the block; it must come back byte for byte.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    /// An Anthropic `redacted_thinking` block: encrypted, echoed back as is.
    Redacted {
        /// The opaque payload.
        data: String,
    },
}

/// Whether and which tool the model must call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolChoice {
    /// The model decides (the protocols' default).
    Auto,
    /// The model must call some tool (Anthropic `any`, OpenAI `required`).
    Required,
    /// The model must not call a tool.
    None,
    /// The model must call this tool.
    Tool(String),
}

/// A tool the model may call, described by a JSON Schema for its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    /// Name the model uses to call it.
    pub name: String,
    /// What the tool does, shown to the model.
    pub description: String,
    /// JSON Schema (type "object") of the arguments.
    pub parameters: serde_json::Value,
}

/// A call the model asked for; arguments are parsed JSON when the model produced valid JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Provider-assigned id, treated as opaque.
    pub id: String,
    /// Name of the tool called.
    pub name: String,
    /// Arguments: parsed JSON, or a JSON string holding the raw text when it did not parse.
    pub arguments: serde_json::Value,
}
