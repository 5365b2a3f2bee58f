//! How a provider is reached, as configuration words: its key (never printable), its base URL as it
//! may be shown (credentials masked), its auth header style, the body field of its output budget, and
//! which turns carry reasoning back. The wire adapters read these; they live here so that
//! configuration never imports the adapters.

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

/// Which assistant turns carry their reasoning back to the provider in later requests.
///
/// Some providers reject a multi-turn tool conversation without it (Anthropic's signed thinking
/// blocks before a `tool_use`; Kimi's thinking mode wants `reasoning_content` on every earlier
/// tool-call message), others want it left out (DeepSeek R1 era), and sending it costs input tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningEcho {
    /// Never send reasoning back.
    None,
    /// Only on assistant turns that made tool calls (Kimi thinking, DeepSeek and GLM with tools).
    ToolCalls,
    /// On every assistant turn that had reasoning (Anthropic: thinking blocks echoed unchanged).
    All,
}

impl ReasoningEcho {
    /// Whether an assistant turn (with tool calls or not) sends its reasoning back.
    pub fn applies(self, made_tool_calls: bool) -> bool {
        match self {
            ReasoningEcho::None => false,
            ReasoningEcho::ToolCalls => made_tool_calls,
            ReasoningEcho::All => true,
        }
    }
}

/// Query parameter names whose values are credentials (`?key=`, `?api_key=`, `?access_token=`,
/// Azure's `?sig=`), matched case-insensitively as parts of the name.
const SECRET_QUERY_WORDS: &[&str] =
    &["key", "token", "secret", "password", "passwd", "auth", "credential", "sig"];

/// A base URL as it may be stored, printed or logged: user name, password and the values of query
/// parameters that look like credentials become `***`. A URL with none of them comes back unchanged
/// (so stored run records stay comparable), and masking a masked URL changes nothing. One that cannot
/// be parsed is hidden whole if it has room for credentials (an `@` or a `?`), since where they are
/// cannot be known. The request itself always uses the real URL.
pub fn masked_url(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else {
        if raw.contains(['@', '?']) {
            return "<base_url hidden: not a valid URL>".to_string();
        }
        return raw.to_string();
    };
    let secret_name = |name: &str| {
        let name = name.to_ascii_lowercase();
        SECRET_QUERY_WORDS.iter().any(|word| name.contains(word))
    };
    let secret_query = url.query_pairs().any(|(name, _)| secret_name(&name));
    if url.username().is_empty() && url.password().is_none() && !secret_query {
        return raw.to_string();
    }
    // Setting credentials fails only on URLs that cannot have any (`data:`), which never get here.
    if !url.username().is_empty() && url.set_username("***").is_err() {
        return "<base_url hidden>".to_string();
    }
    if url.password().is_some() && url.set_password(Some("***")).is_err() {
        return "<base_url hidden>".to_string();
    }
    if secret_query {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret_name(&name) { "***".to_string() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::masked_url;

    #[test]
    fn masks_userinfo_and_key_like_query_values_only() {
        assert_eq!(masked_url("http://user:s3cret@127.0.0.1:8080/v1"), "http://***:***@127.0.0.1:8080/v1");
        assert_eq!(masked_url("https://tok3n@example.com/v1"), "https://***@example.com/v1");
        assert_eq!(
            masked_url("https://h.example/v1?api-version=2024-06-01&api_key=s3cret&X-Goog-Api-Key=abc"),
            "https://h.example/v1?api-version=2024-06-01&api_key=***&X-Goog-Api-Key=***"
        );
        assert_eq!(
            masked_url("https://h.example/v1?sig=abc%2Fdef&sv=1"),
            "https://h.example/v1?sig=***&sv=1"
        );
    }

    #[test]
    fn urls_without_credentials_come_back_unchanged() {
        for url in ["https://api.anthropic.com", "https://api.openai.com/v1", "http://h/v1?api-version=1"] {
            assert_eq!(masked_url(url), url);
        }
        assert_eq!(masked_url("not a url: user:s3cret@h"), "<base_url hidden: not a valid URL>");
        assert_eq!(masked_url(""), "", "providers not reached over HTTP have none");
        let masked = masked_url("http://u:p@h/v1?key=k");
        assert_eq!(masked_url(&masked), masked);
    }
}
