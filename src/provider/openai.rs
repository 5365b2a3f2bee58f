//! OpenAI Chat Completions adapter (`POST {base}/chat/completions`), streamed or not.
//!
//! One adapter for OpenAI and every compatible server (Kimi, DeepSeek, DashScope, Z.ai, Ark, OpenRouter,
//! vLLM, Ollama, llama.cpp): their deviations (reasoning fields, whole tool calls in one delta, usage on
//! the finish chunk, in-stream errors, a missing `[DONE]`) are all accepted by the stream parser in
//! `openai/stream.rs`, which is pure so recordings can be replayed through it.

mod stream;

use std::time::Instant;

use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Map, Value, json};

use super::errors::{
    ErrorClass, ProviderError, extend_headers, secret_header, send_checked, transport_error,
};
use super::sse::{SseReader, drive};
use super::{AuthStyle, ChatRequest, Endpoint, MaxTokensField, Outcome, Provider, elapsed_ms};
use crate::task::{Message, Role, ToolCall};

use stream::{OpenAiStream, parse_completion};

/// A provider speaking the OpenAI Chat Completions protocol.
pub struct OpenAiProvider {
    endpoint: Endpoint,
    client: reqwest::Client,
    url: String,
}

impl OpenAiProvider {
    /// An adapter for one endpoint, sharing the caller's HTTP client (and so its pool and timeouts).
    pub fn new(endpoint: Endpoint, client: reqwest::Client) -> Self {
        let url = format!("{}/chat/completions", endpoint.base_url.trim_end_matches('/'));
        OpenAiProvider { endpoint, client, url }
    }

    async fn run(&self, req: &ChatRequest) -> Result<Outcome, ProviderError> {
        let body = serde_json::to_vec(&build_body(&self.endpoint, req)).map_err(|e| {
            ProviderError::new(ErrorClass::InvalidRequest, format!("cannot encode body: {e}"))
        })?;
        let request = self.client.post(&self.url).headers(request_headers(&self.endpoint)?).body(body);
        let start = Instant::now();
        let response = send_checked(request).await?;
        if self.endpoint.stream {
            let reader = SseReader::new(response.bytes_stream());
            drive(reader, OpenAiStream::default(), start).await
        } else {
            let bytes = response.bytes().await.map_err(|e| transport_error(e, true))?;
            parse_completion(&bytes, elapsed_ms(start))
        }
    }
}

impl Provider for OpenAiProvider {
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>> {
        Box::pin(async move {
            let result = self.run(req).await.map_err(|err| match &self.endpoint.api_key {
                Some(key) => err.redacted(key.expose()),
                None => err,
            });
            if let Err(err) = &result {
                tracing::debug!(model = %self.endpoint.model, class = %err.class, status = ?err.status, "openai request failed");
            }
            result
        })
    }
}

/// Content type, auth per [`AuthStyle`] (`Bearer` normally; `x-api-key` for gateways that want it), then
/// the endpoint's own headers.
fn request_headers(endpoint: &Endpoint) -> Result<HeaderMap, ProviderError> {
    let mut headers = HeaderMap::new();
    headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(key) = &endpoint.api_key {
        if matches!(endpoint.auth, AuthStyle::Bearer | AuthStyle::Both) {
            headers
                .insert(reqwest::header::AUTHORIZATION, secret_header(&format!("Bearer {}", key.expose()))?);
        }
        if matches!(endpoint.auth, AuthStyle::XApiKey | AuthStyle::Both) {
            headers.insert("x-api-key", secret_header(key.expose())?);
        }
    }
    extend_headers(&mut headers, &endpoint.headers)?;
    Ok(headers)
}

/// The Chat Completions request body for `req`.
pub(crate) fn build_body(endpoint: &Endpoint, req: &ChatRequest) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(endpoint.model));
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if let Some(system) = &req.system {
        messages.push(json!({"role": "system", "content": system}));
    }
    messages.extend(req.messages.iter().map(message));
    body.insert("messages".into(), Value::Array(messages));
    if !req.tools.is_empty() {
        let tools = req
            .tools
            .iter()
            .map(|t| {
                json!({"type": "function", "function": {
                    "name": t.name, "description": t.description, "parameters": t.parameters,
                }})
            })
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    let budget_field = match endpoint.max_tokens_field {
        MaxTokensField::MaxTokens => "max_tokens",
        MaxTokensField::MaxCompletionTokens => "max_completion_tokens",
    };
    body.insert(budget_field.into(), json!(req.max_tokens));
    if let Some(t) = req.temperature {
        body.insert("temperature".into(), json!(t));
    }
    if let Some(p) = req.top_p {
        body.insert("top_p".into(), json!(p));
    }
    if endpoint.stream {
        body.insert("stream".into(), Value::Bool(true));
        body.insert("stream_options".into(), json!({"include_usage": true}));
    }
    for (k, v) in &endpoint.extra_body {
        body.insert(k.clone(), v.clone());
    }
    Value::Object(body)
}

fn message(msg: &Message) -> Value {
    match msg.role {
        Role::User => json!({"role": "user", "content": msg.content}),
        Role::Assistant if msg.tool_calls.is_empty() => json!({"role": "assistant", "content": msg.content}),
        Role::Assistant => {
            // `content` may be null next to tool calls; an empty string upsets some servers.
            let content = if msg.content.is_empty() { Value::Null } else { json!(msg.content) };
            let calls: Vec<Value> = msg.tool_calls.iter().map(tool_call).collect();
            json!({"role": "assistant", "content": content, "tool_calls": calls})
        }
        Role::Tool => json!({
            "role": "tool",
            "tool_call_id": msg.tool_call_id.as_deref().unwrap_or_default(),
            "content": msg.content,
        }),
    }
}

/// Arguments travel as a JSON string; ones kept as raw text (invalid JSON) go back verbatim.
fn tool_call(call: &ToolCall) -> Value {
    let arguments = match &call.arguments {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    };
    json!({"id": call.id, "type": "function", "function": {"name": call.name, "arguments": arguments}})
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
