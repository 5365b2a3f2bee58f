//! Environments: what a task run as an episode of several turns talks to.
//!
//! A family whose tasks use tools over several turns starts an [`Environment`] per episode (an
//! in-process simulation, or the team's own MCP server). The engine's turn loop offers the
//! environment's tools to the model, checks each call (is it valid JSON, a known tool, within the
//! schema?), runs the valid ones here in call order, and sends the results back, until the model
//! answers without a call or the step limit is hit. The environment's final state goes to the
//! family's scorer with the transcript.

use futures_util::future::BoxFuture;

use crate::core::{Message, ToolCall, ToolSpec};

/// Turns an episode may take before it is cut and failed, unless the environment says otherwise.
pub const DEFAULT_STEP_LIMIT: u32 = 20;

/// What a tool call returned, as the model will read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    /// The result (or the error message), as text.
    pub content: String,
    /// The tool refused or failed; the model is told so.
    pub is_error: bool,
}

impl ToolOutput {
    /// A successful result.
    pub fn ok(content: impl Into<String>) -> Self {
        ToolOutput { content: content.into(), is_error: false }
    }

    /// An error the model should see and may correct.
    pub fn error(content: impl Into<String>) -> Self {
        ToolOutput { content: content.into(), is_error: true }
    }
}

/// What an episode is expected to send, known without a model: the transcript its reference solution
/// makes. `--dry-run` prices every turn from it, since an episode's later requests carry the whole
/// conversation so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EpisodeOutline {
    /// The tools offered on every turn; empty where only a live server can list them (MCP).
    pub tools: Vec<ToolSpec>,
    /// What each tool-calling turn of the reference adds to the conversation: the assistant's calls,
    /// then their results where the family can compute them. The answering turn after the last adds
    /// nothing.
    pub turns: Vec<Vec<Message>>,
}

/// An environment that could not do its part (a tool server that did not start, crashed or timed
/// out): the episode is an infrastructure failure, not a wrong answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct EnvironmentError(pub String);

/// One episode's world: the tools it offers, how it runs a call, and the state it ends in.
///
/// Environments are deterministic: the same calls in the same order give the same results and the
/// same final state, so an interrupted episode is simply run again from its start.
pub trait Environment: Send {
    /// The tools offered to the model.
    fn tools(&self) -> &[ToolSpec];

    /// Turns the episode may take before it is cut and failed.
    fn step_limit(&self) -> u32 {
        DEFAULT_STEP_LIMIT
    }

    /// Run one call whose name and arguments have been checked against [`Environment::tools`]. A
    /// tool's own refusal (an order that does not exist) is an `is_error` output; an `Err` means the
    /// environment itself broke.
    fn call<'a>(&'a mut self, call: &'a ToolCall) -> BoxFuture<'a, Result<ToolOutput, EnvironmentError>>;

    /// End the episode: the state the scorer judges, after which the environment is torn down.
    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<serde_json::Value, EnvironmentError>>;
}
