//! Anthropic Messages API adapter (`POST {base}/v1/messages`), streamed or not.
//!
//! Also serves the Anthropic-compatible endpoints of Kimi, DeepSeek, Z.ai, DashScope and others: the
//! auth header(s) come from [`Endpoint::auth`] and provider switches (thinking and the like) from
//! [`Endpoint::extra_body`]. Request building lives here; turning events or a body into an [`Outcome`]
//! lives in `anthropic/stream.rs` as pure code the tests replay recordings through.

mod stream;

use serde_json::{Map, Value, json};

use super::errors::ProviderError;
use super::http::{HttpProvider, Wire, with_path};
use super::{ChatRequest, Endpoint};
use crate::config::ReasoningEcho;
use crate::core::{Message, Outcome, Reasoning, Role, ToolCall, ToolChoice};

use stream::{AnthropicStream, parse_message};

/// The API version every request pins; compatible servers ignore it.
const ANTHROPIC_VERSION: &str = "2023-06-01";

/// The Anthropic Messages protocol.
pub(crate) struct Anthropic;

/// A provider speaking the Anthropic Messages protocol.
pub(crate) type AnthropicProvider = HttpProvider<Anthropic>;

impl Wire for Anthropic {
    const NAME: &'static str = "anthropic";
    const PATH: &'static str = "/v1/messages";
    const FIXED_HEADERS: &'static [(&'static str, &'static str)] =
        &[("anthropic-version", ANTHROPIC_VERSION)];
    type Stream = AnthropicStream;

    /// `{base}/v1/messages`; a base that already ends in `/v1` (a common way to write it) is not
    /// given a second one.
    fn url(base_url: &str) -> String {
        with_path(base_url, |path| {
            let base = path.trim_end_matches('/');
            format!("{}{}", base.strip_suffix("/v1").unwrap_or(base), Self::PATH)
        })
    }

    fn body(endpoint: &Endpoint, req: &ChatRequest) -> Value {
        build_body(endpoint, req)
    }

    fn parse_body(bytes: &[u8], latency_ms: f64) -> Result<Outcome, ProviderError> {
        parse_message(bytes, latency_ms)
    }
}

/// The Messages request body for `req` (see the module docs of `provider` for field meanings).
pub(crate) fn build_body(endpoint: &Endpoint, req: &ChatRequest) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(endpoint.model));
    body.insert("max_tokens".into(), json!(req.max_tokens));
    if let Some(system) = &req.system {
        body.insert("system".into(), json!(system));
    }
    body.insert("messages".into(), Value::Array(messages(&req.messages, endpoint.reasoning_echo)));
    if !req.tools.is_empty() {
        let tools = req
            .tools
            .iter()
            .map(|t| json!({"name": t.name, "description": t.description, "input_schema": t.parameters}))
            .collect();
        body.insert("tools".into(), Value::Array(tools));
        if let Some(choice) = &req.tool_choice {
            body.insert("tool_choice".into(), tool_choice(choice));
        }
    }
    if let Some(t) = req.temperature {
        body.insert("temperature".into(), json!(t));
    }
    if let Some(p) = req.top_p {
        body.insert("top_p".into(), json!(p));
    }
    if endpoint.stream {
        body.insert("stream".into(), Value::Bool(true));
    }
    for (k, v) in &endpoint.extra_body {
        body.insert(k.clone(), v.clone());
    }
    Value::Object(body)
}

/// Anthropic's `tool_choice` object.
fn tool_choice(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Auto => json!({"type": "auto"}),
        ToolChoice::Required => json!({"type": "any"}),
        ToolChoice::None => json!({"type": "none"}),
        ToolChoice::Tool(name) => json!({"type": "tool", "name": name}),
    }
}

/// Convert the neutral conversation: tool results become `tool_result` blocks in a user turn
/// (consecutive ones, and a user text right after them, share that turn, as the API requires
/// alternating roles); an assistant turn becomes its reasoning blocks (where `echo` says so), its
/// text, then its `tool_use` blocks.
fn messages(conversation: &[Message], echo: ReasoningEcho) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(conversation.len());
    // Whether the last message pushed is a user turn made of tool results (so blocks can be appended).
    let mut open_tool_turn = false;
    for msg in conversation {
        match msg.role {
            Role::Tool => {
                let block = tool_result_block(msg);
                match out.last_mut().and_then(|m| m.get_mut("content")).and_then(Value::as_array_mut) {
                    Some(blocks) if open_tool_turn => blocks.push(block),
                    _ => out.push(json!({"role": "user", "content": [block]})),
                }
                open_tool_turn = true;
            }
            Role::User => {
                let appended = open_tool_turn
                    && match out.last_mut().and_then(|m| m.get_mut("content")).and_then(Value::as_array_mut) {
                        Some(blocks) => {
                            blocks.push(json!({"type": "text", "text": msg.content}));
                            true
                        }
                        None => false,
                    };
                if !appended {
                    out.push(json!({"role": "user", "content": msg.content}));
                }
                open_tool_turn = false;
            }
            Role::Assistant => {
                out.push(json!({"role": "assistant", "content": assistant_content(msg, echo)}));
                open_tool_turn = false;
            }
        }
    }
    out
}

/// A `tool_result` block; `is_error` is sent only when set, as the SDKs do.
fn tool_result_block(msg: &Message) -> Value {
    let mut block = json!({
        "type": "tool_result",
        "tool_use_id": msg.tool_call_id.as_deref().unwrap_or_default(),
        "content": msg.content,
    });
    if msg.is_error {
        block["is_error"] = Value::Bool(true);
    }
    block
}

/// An assistant turn's content: a plain string when it is only text, else blocks in the order the
/// API returned them (reasoning, text, tool uses).
fn assistant_content(msg: &Message, echo: ReasoningEcho) -> Value {
    let made_calls = !msg.tool_calls.is_empty();
    let mut blocks: Vec<Value> = if echo.applies(made_calls) {
        msg.reasoning.iter().map(reasoning_block).collect()
    } else {
        Vec::new()
    };
    if blocks.is_empty() && !made_calls {
        return json!(msg.content);
    }
    if !msg.content.is_empty() {
        blocks.push(json!({"type": "text", "text": msg.content}));
    }
    blocks.extend(msg.tool_calls.iter().map(tool_use_block));
    Value::Array(blocks)
}

/// A thinking block exactly as it was received: the signature (which the API checks byte for byte)
/// only when the server sent one.
fn reasoning_block(reasoning: &Reasoning) -> Value {
    match reasoning {
        Reasoning::Thinking { text, signature: Some(signature) } => {
            json!({"type": "thinking", "thinking": text, "signature": signature})
        }
        Reasoning::Thinking { text, signature: None } => json!({"type": "thinking", "thinking": text}),
        Reasoning::Redacted { data } => json!({"type": "redacted_thinking", "data": data}),
    }
}

/// `tool_use.input` must be an object: arguments kept as raw text are re-parsed, else sent empty.
fn tool_use_block(call: &ToolCall) -> Value {
    let input = match &call.arguments {
        Value::Object(_) => call.arguments.clone(),
        Value::String(raw) => match serde_json::from_str::<Value>(raw) {
            Ok(parsed @ Value::Object(_)) => parsed,
            _ => json!({}),
        },
        _ => json!({}),
    };
    json!({"type": "tool_use", "id": call.id, "name": call.name, "input": input})
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod transcript_tests;
