//! The family-neutral unit of work.
//!
//! A family turns its data (a JSONL file, a generator seed, a dataset) into [`Task`]s; everything
//! downstream (plan, scheduler, providers, store) sees only this shape. The expected answer is kept as
//! JSON because only the family that made the task knows how to read it back when scoring.

use serde::{Deserialize, Serialize};

/// One prompt to put to every provider, with what the owning family needs to score the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Stable id: the dataset's own id where it has one, else the 1-based line number (contract 6).
    pub id: String,
    /// Name of the suite the task came from (a file stem or bundled suite name).
    pub suite: String,
    /// Name of the family that loaded the task and will score its answers.
    pub family: String,
    /// Free-form grouping used to break scores down in reports.
    pub category: Option<String>,
    /// System prompt, sent the way each protocol expects it.
    pub system: Option<String>,
    /// The conversation so far; the last message is usually the user's question.
    pub messages: Vec<Message>,
    /// Tools the model may call (empty for plain prompts).
    pub tools: Vec<ToolSpec>,
    /// Output budget for this task; the run's default applies when absent.
    pub max_tokens: Option<u32>,
    /// What a right answer looks like, in the family's own terms.
    pub expected: serde_json::Value,
    /// Anything else the family wants to carry to scoring.
    pub meta: serde_json::Value,
}

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
