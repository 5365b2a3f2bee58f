//! OpenAI Chat Completions adapter (`POST {base}/chat/completions`), streamed or not.
//!
//! One adapter for OpenAI and every compatible server (Kimi, DeepSeek, DashScope, Z.ai, Ark, OpenRouter,
//! vLLM, Ollama, llama.cpp): their deviations (reasoning fields, whole tool calls in one delta, usage on
//! the finish chunk, in-stream errors, a missing `[DONE]`) are all accepted by the stream parser in
//! `openai/stream.rs`, which is pure so recordings can be replayed through it.

mod stream;

use serde_json::{Map, Value, json};

use super::errors::ProviderError;
use super::http::{HttpProvider, Wire};
use super::{ChatRequest, Endpoint};
use crate::config::{MaxTokensField, ReasoningEcho};
use crate::core::{Message, Outcome, Reasoning, Role, ToolCall, ToolChoice};

use stream::{OpenAiStream, parse_completion};

/// The OpenAI Chat Completions protocol.
pub(crate) struct OpenAi;

/// A provider speaking the OpenAI Chat Completions protocol.
pub(crate) type OpenAiProvider = HttpProvider<OpenAi>;

impl Wire for OpenAi {
    const NAME: &'static str = "openai";
    const PATH: &'static str = "/chat/completions";
    const FIXED_HEADERS: &'static [(&'static str, &'static str)] = &[];
    type Stream = OpenAiStream;

    fn body(endpoint: &Endpoint, req: &ChatRequest) -> Value {
        build_body(endpoint, req)
    }

    fn parse_body(bytes: &[u8], latency_ms: f64) -> Result<Outcome, ProviderError> {
        parse_completion(bytes, latency_ms)
    }
}

/// The Chat Completions request body for `req`.
pub(crate) fn build_body(endpoint: &Endpoint, req: &ChatRequest) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(endpoint.model));
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if let Some(system) = &req.system {
        messages.push(json!({"role": "system", "content": system}));
    }
    messages.extend(req.messages.iter().map(|msg| message(msg, endpoint.reasoning_echo)));
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
        if let Some(choice) = &req.tool_choice {
            body.insert("tool_choice".into(), tool_choice(choice));
        }
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

/// OpenAI's `tool_choice` value.
fn tool_choice(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::Required => json!("required"),
        ToolChoice::None => json!("none"),
        ToolChoice::Tool(name) => json!({"type": "function", "function": {"name": name}}),
    }
}

/// One neutral message as a Chat Completions message; an assistant turn carries its reasoning as
/// `reasoning_content` where `echo` says so (the field Kimi, DeepSeek and GLM read back).
fn message(msg: &Message, echo: ReasoningEcho) -> Value {
    match msg.role {
        Role::User => json!({"role": "user", "content": msg.content}),
        Role::Assistant => {
            let made_calls = !msg.tool_calls.is_empty();
            let mut turn = if made_calls {
                // `content` may be null next to tool calls; an empty string upsets some servers.
                let content = if msg.content.is_empty() { Value::Null } else { json!(msg.content) };
                let calls: Vec<Value> = msg.tool_calls.iter().map(tool_call).collect();
                json!({"role": "assistant", "content": content, "tool_calls": calls})
            } else {
                json!({"role": "assistant", "content": msg.content})
            };
            if echo.applies(made_calls)
                && let Some(reasoning) = reasoning_text(&msg.reasoning)
            {
                turn["reasoning_content"] = Value::String(reasoning);
            }
            turn
        }
        Role::Tool => json!({
            "role": "tool",
            "tool_call_id": msg.tool_call_id.as_deref().unwrap_or_default(),
            "content": msg.content,
        }),
    }
}

/// The readable reasoning of a turn as one text, or `None` when it had none (redacted blocks cannot
/// be read, so they are not sent to a protocol without them).
fn reasoning_text(reasoning: &[Reasoning]) -> Option<String> {
    let mut texts = reasoning.iter().filter_map(|block| match block {
        Reasoning::Thinking { text, .. } => Some(text.as_str()),
        Reasoning::Redacted { .. } => None,
    });
    let first = texts.next()?;
    Some(texts.fold(first.to_string(), |joined, text| joined + text))
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
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod transcript_tests;
