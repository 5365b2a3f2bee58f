//! Provider adapters: one request in a provider-neutral shape in, one [`Outcome`] or a classified
//! [`ProviderError`] out.
//!
//! Each wire protocol lives in its own file (`anthropic.rs`, `openai.rs`), both on the shared SSE reader
//! (`sse.rs`) and the shared HTTP error classifier (`errors.rs`). Adapters never retry and never sleep:
//! retries, rate limits and timeouts belong to the scheduler (`run/`), which sees every attempt.

mod anthropic;
mod errors;
mod headroom;
mod http;
#[cfg(feature = "local")]
pub mod local;
mod openai;
mod replay;
mod sse;
pub mod tokens;

use anthropic::AnthropicProvider;
pub use errors::{ErrorClass, MAX_RETRY_AFTER, ProviderError, classify_http_error};
use openai::OpenAiProvider;
pub use replay::ReplayProvider;
pub use sse::{SseEvent, SseParser};

use std::time::Instant;

use futures_util::future::BoxFuture;
use serde::Serialize;

use crate::config::{ApiKey, AuthStyle, MaxTokensField, ReasoningEcho};

use crate::core::{Message, Outcome, ToolChoice, ToolSpec};

/// One request, as every protocol understands it. Serialised (minus the routing fields) it is the
/// canonical request that the response cache keys on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChatRequest {
    /// System prompt; Anthropic sends it top-level, OpenAI as a first `system` message.
    pub system: Option<String>,
    /// The conversation.
    pub messages: Vec<Message>,
    /// Tools offered to the model.
    pub tools: Vec<ToolSpec>,
    /// Whether and which tool the model must call; the protocol's default (auto) when absent. Sent only
    /// with tools. Left out of the canonical request when absent, so older cache keys still match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Output budget (reasoning included where the protocol counts it so).
    pub max_tokens: u32,
    /// Sampling temperature; the provider's default when absent.
    pub temperature: Option<f64>,
    /// Nucleus sampling; the provider's default when absent.
    pub top_p: Option<f64>,
    /// Which suite the task comes from; used by providers that answer from records (replay), not sent
    /// and not part of the cache key.
    #[serde(skip)]
    pub suite: String,
    /// Which task this answers; used by providers that answer from records (replay), not sent.
    #[serde(skip)]
    pub task_id: String,
    /// Which sample of the task this is; part of the cache key, not sent.
    #[serde(skip)]
    pub sample: u32,
}

/// A provider that answers chat requests. Implementations are cheap to share (`Arc<dyn Provider>`) and
/// safe to call concurrently.
pub trait Provider: Send + Sync {
    /// Send one request and return its outcome; never retries.
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>>;
}

/// Where and how to reach an HTTP provider: everything an adapter needs from the configuration.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base URL without the protocol path (`https://api.anthropic.com`, `https://api.openai.com/v1`).
    pub base_url: String,
    /// Model id sent in the body.
    pub model: String,
    /// Key, when the provider needs one.
    pub api_key: Option<ApiKey>,
    /// Which auth header(s) to send.
    pub auth: AuthStyle,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// Extra top-level body fields merged into every request (thinking switches and the like).
    pub extra_body: serde_json::Map<String, serde_json::Value>,
    /// Stream with SSE (the default) or wait for one JSON body.
    pub stream: bool,
    /// Output budget field for OpenAI-style bodies.
    pub max_tokens_field: MaxTokensField,
    /// Which earlier assistant turns carry their reasoning back.
    pub reasoning_echo: ReasoningEcho,
    /// Largest answer body read, in bytes: reading stops past it and the answer is a `bad_response`,
    /// so a runaway or hostile server cannot fill memory or the store.
    pub max_answer_bytes: u64,
}

/// Milliseconds elapsed since `start`, as the store and the analysis keep them.
pub(crate) fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The provider named `name` in the bench.toml at `config` (or a preset), connected as a run would
/// connect it. For the integration tests and benchmarks, which drive the adapters without a run.
pub fn connect_named(config: &std::path::Path, name: &str) -> Result<std::sync::Arc<dyn Provider>, String> {
    let config = crate::config::Config::from_file(config).map_err(|e| e.to_string())?;
    connect(&config.provider(name).map_err(|e| e.to_string())?)
}

/// Build the provider a spec describes: an HTTP adapter with its own connection pool, or a replay
/// file. The key must already be known to be present when the spec requires one.
pub fn connect(spec: &crate::config::ProviderSpec) -> Result<std::sync::Arc<dyn Provider>, String> {
    use crate::config::Protocol;
    use std::sync::Arc;
    use std::time::Duration;
    let http = || {
        reqwest::Client::builder()
            .user_agent(concat!("bench/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            // An idle stream (no bytes, not even keep-alive comments) for this long is dead.
            .read_timeout(spec.timeout.min(Duration::from_secs(300)))
            .pool_max_idle_per_host(spec.max_concurrency as usize)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| format!("provider `{}`: cannot build an HTTP client: {e}", spec.name))
    };
    let endpoint = || -> Result<Endpoint, String> {
        Ok(Endpoint {
            base_url: spec.base_url.clone(),
            model: spec.model.clone(),
            api_key: spec.api_key().map_err(|e| e.to_string())?,
            auth: spec.auth,
            headers: spec.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            extra_body: spec.extra_body.clone(),
            stream: spec.stream,
            max_tokens_field: spec.max_tokens_field,
            reasoning_echo: spec.reasoning_echo,
            max_answer_bytes: spec.max_answer_mb.saturating_mul(1 << 20),
        })
    };
    Ok(match spec.protocol {
        Protocol::Anthropic => Arc::new(AnthropicProvider::new(endpoint()?, http()?)),
        Protocol::Openai => Arc::new(OpenAiProvider::new(endpoint()?, http()?)),
        Protocol::Replay => {
            let path =
                spec.path.as_deref().ok_or_else(|| format!("provider `{}` needs `path`", spec.name))?;
            Arc::new(ReplayProvider::from_file(path)?)
        }
        #[cfg(feature = "local")]
        Protocol::Local => return local::connect(spec),
        #[cfg(not(feature = "local"))]
        Protocol::Local => {
            return Err(format!(
                "provider `{}`: protocol \"local\" needs bench built with the `local` feature (on by default)",
                spec.name
            ));
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_stored_before_the_identity_and_estimate_fields_still_parse() {
        let old = r#"{"text":"4","reasoning":"","tool_calls":[],"usage":{"input":3,"output":1,"cache_read":0,
            "cache_write":0,"reasoning":0},"stop":"end_turn","model":null,"ttft_ms":null,"latency_ms":2.0}"#;
        let outcome: Outcome = serde_json::from_str(old).unwrap();
        assert!(!outcome.usage_estimated);
        assert_eq!((outcome.response_id, outcome.system_fingerprint), (None, None));

        // Defaults are left out when stored, so older readers see what they always saw.
        let plain = serde_json::to_value(Outcome::text_only("4")).unwrap();
        for field in ["usage_estimated", "response_id", "system_fingerprint"] {
            assert!(plain.get(field).is_none(), "{field} in {plain}");
        }
        let mut marked = Outcome::text_only("4");
        marked.usage_estimated = true;
        marked.response_id = Some("chatcmpl-1".into());
        marked.system_fingerprint = Some("fp_1".into());
        let text = serde_json::to_string(&marked).unwrap();
        assert!(text.contains(r#""usage_estimated":true"#), "{text}");
        assert_eq!(serde_json::from_str::<Outcome>(&text).unwrap(), marked);
    }
}
