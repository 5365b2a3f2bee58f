//! How a provider is reached, as configuration words: its key (never printable), its auth header
//! style, and the body field of its output budget. The wire adapters read these; they live here so
//! that configuration never imports the adapters.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An API key read from the environment. It has no `Display`, and its `Debug` hides the value, so it
/// cannot reach a log line, an error message or the store by accident.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key read from the environment.
    pub fn new(value: String) -> Self {
        ApiKey(value)
    }

    /// The key itself, for an auth header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// How an HTTP provider authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthStyle {
    /// `Authorization: Bearer KEY`.
    Bearer,
    /// `x-api-key: KEY` (Anthropic).
    XApiKey,
    /// Both headers, for Anthropic-compatible endpoints that accept either.
    Both,
}

/// Which body field carries the output budget in OpenAI-style requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxTokensField {
    /// `max_tokens`: what most OpenAI-compatible servers read.
    MaxTokens,
    /// `max_completion_tokens`: what OpenAI's reasoning models require.
    MaxCompletionTokens,
}
