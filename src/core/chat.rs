//! Chat messages in a provider-neutral shape: what a task asks and what an assistant turn holds.

use serde::{Deserialize, Serialize};

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person (or harness) asking.
    User,
    /// The model.
    Assistant,
    /// The result of a tool call, answering an assistant's call by id.
    Tool,
}

/// One turn of a conversation in a provider-neutral shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

impl Message {
    /// A plain user turn.
    pub fn user(content: impl Into<String>) -> Self {
        Message { role: Role::User, content: content.into(), tool_calls: Vec::new(), tool_call_id: None }
    }

    /// A plain assistant turn.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message { role: Role::Assistant, content: content.into(), tool_calls: Vec::new(), tool_call_id: None }
    }
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
