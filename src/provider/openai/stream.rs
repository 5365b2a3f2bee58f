//! OpenAI-style answers to [`Outcome`]s: the chunk state machine and the non-streamed body parser.
//!
//! Both are pure (no I/O, no clock): the HTTP path feeds them and supplies the timings.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use crate::core::{Outcome, StopReason, ToolCall, Usage};
use crate::provider::errors::{ErrorClass, ProviderError, classify_stream_error};
use crate::provider::sse::{SseEvent, Step, StreamState, lenient_string, parse_arguments};

/// Map `finish_reason`.
pub(crate) fn stop_reason(reason: Option<&str>) -> StopReason {
    match reason {
        None => StopReason::Unknown,
        Some("stop") => StopReason::EndTurn,
        Some("length") => StopReason::MaxTokens,
        Some("tool_calls" | "function_call") => StopReason::ToolUse,
        Some("content_filter" | "sensitive") => StopReason::ContentFilter,
        Some(other) => StopReason::Other(other.to_string()),
    }
}

/// `usage` in the OpenAI shape, with DeepSeek's and OpenRouter's extra fields.
#[derive(Debug, Default, Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    prompt_tokens_details: Option<PromptDetails>,
    completion_tokens_details: Option<CompletionDetails>,
    /// DeepSeek's name for cached prompt tokens.
    prompt_cache_hit_tokens: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
struct PromptDetails {
    cached_tokens: Option<u64>,
    cache_write_tokens: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
struct CompletionDetails {
    reasoning_tokens: Option<u64>,
}

impl WireUsage {
    /// Normalise: `prompt_tokens` includes cache reads (and writes, where reported), which move to their
    /// own fields so `input` counts only uncached tokens.
    fn normalise(&self) -> Usage {
        let details = self.prompt_tokens_details.as_ref();
        let cache_read = details.and_then(|d| d.cached_tokens).or(self.prompt_cache_hit_tokens).unwrap_or(0);
        let cache_write = details.and_then(|d| d.cache_write_tokens).unwrap_or(0);
        Usage {
            input: self.prompt_tokens.unwrap_or(0).saturating_sub(cache_read + cache_write),
            output: self.completion_tokens.unwrap_or(0),
            cache_read,
            cache_write,
            reasoning: self.completion_tokens_details.as_ref().and_then(|d| d.reasoning_tokens).unwrap_or(0),
        }
    }
}

#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(default, deserialize_with = "lenient_string")]
    id: Option<String>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient_string")]
    system_fingerprint: Option<String>,
    #[serde(borrow)]
    choices: Option<Vec<Choice<'a>>>,
    usage: Option<WireUsage>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice<'a> {
    index: Option<u32>,
    #[serde(borrow)]
    delta: Option<Delta<'a>>,
    #[serde(borrow)]
    finish_reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Delta<'a> {
    #[serde(borrow)]
    content: Option<Cow<'a, str>>,
    #[serde(borrow)]
    reasoning_content: Option<Cow<'a, str>>,
    /// What OpenRouter (and some vLLM builds) call `reasoning_content`.
    #[serde(borrow)]
    reasoning: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tool_calls: Option<Vec<ToolDelta<'a>>>,
}

#[derive(Deserialize)]
struct ToolDelta<'a> {
    index: Option<u32>,
    id: Option<String>,
    #[serde(borrow)]
    function: Option<FunctionDelta<'a>>,
}

#[derive(Deserialize)]
struct FunctionDelta<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    arguments: Option<Cow<'a, str>>,
}

/// A tool call being streamed, keyed by its `index`.
#[derive(Debug)]
struct ToolAcc {
    index: u32,
    id: String,
    name: String,
    arguments: String,
}

/// The state of one streamed chat completion (choice 0 only; `n` is never set above 1).
#[derive(Debug, Default)]
pub(crate) struct OpenAiStream {
    text: String,
    reasoning: String,
    tools: Vec<ToolAcc>,
    usage: Usage,
    finish: Option<String>,
    model: Option<String>,
    id: Option<String>,
    fingerprint: Option<String>,
    done: bool,
}

/// Keep the first non-empty value a stream sends for an identity field.
fn keep_first(slot: &mut Option<String>, value: Option<impl Into<String> + AsRef<str>>) {
    if slot.is_none() {
        *slot = value.filter(|v| !v.as_ref().is_empty()).map(Into::into);
    }
}

impl OpenAiStream {
    fn on_tool_delta(&mut self, delta: ToolDelta<'_>) -> bool {
        // Servers that omit `index` send one call per id: a new id starts a new call.
        let index = delta.index.unwrap_or_else(|| match (self.tools.last(), delta.id.as_deref()) {
            (Some(last), Some(id)) if !last.id.is_empty() && last.id != id => last.index + 1,
            (Some(last), _) => last.index,
            (None, _) => 0,
        });
        let pos = match self.tools.iter().position(|t| t.index == index) {
            Some(pos) => pos,
            None => {
                let acc = ToolAcc { index, id: String::new(), name: String::new(), arguments: String::new() };
                self.tools.push(acc);
                self.tools.len() - 1
            }
        };
        let acc = &mut self.tools[pos];
        if let Some(id) = delta.id.filter(|id| !id.is_empty() && acc.id.is_empty()) {
            acc.id = id;
        }
        let mut output = false;
        if let Some(function) = delta.function {
            if let Some(name) = function.name.filter(|n| !n.is_empty()) {
                if acc.name.is_empty() {
                    acc.name.push_str(&name);
                }
                output = true;
            }
            if let Some(args) = function.arguments.filter(|a| !a.is_empty()) {
                acc.arguments.push_str(&args);
                output = true;
            }
        }
        output
    }
}

impl StreamState for OpenAiStream {
    fn on_event(&mut self, event: &SseEvent) -> Result<Step, ProviderError> {
        let data = event.data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(Step::Done);
        }
        if data.is_empty() {
            return Ok(Step::Idle);
        }
        let chunk: Chunk<'_> = serde_json::from_str(data).map_err(|e| {
            ProviderError::new(ErrorClass::BadResponse, format!("invalid JSON in chat completion chunk: {e}"))
        })?;
        if let Some(error) = &chunk.error {
            return Err(classify_stream_error(&serde_json::json!({ "error": error })));
        }
        if event.event == "error" {
            let value: Value = serde_json::from_str(data).unwrap_or(Value::Null);
            return Err(classify_stream_error(&value));
        }
        keep_first(&mut self.model, chunk.model);
        keep_first(&mut self.id, chunk.id);
        keep_first(&mut self.fingerprint, chunk.system_fingerprint);
        if let Some(usage) = &chunk.usage {
            self.usage = usage.normalise();
        }
        let mut output = false;
        for choice in chunk.choices.into_iter().flatten().filter(|c| c.index.unwrap_or(0) == 0) {
            if let Some(reason) = choice.finish_reason.filter(|r| !r.is_empty()) {
                self.finish = Some(reason.into_owned());
            }
            let Some(delta) = choice.delta else { continue };
            if let Some(text) = delta.content.filter(|t| !t.is_empty()) {
                self.text.push_str(&text);
                output = true;
            }
            let reasoning = delta.reasoning_content.filter(|r| !r.is_empty()).or(delta.reasoning);
            if let Some(reasoning) = reasoning.filter(|r| !r.is_empty()) {
                self.reasoning.push_str(&reasoning);
                output = true;
            }
            for tool in delta.tool_calls.into_iter().flatten() {
                output |= self.on_tool_delta(tool);
            }
        }
        Ok(if output { Step::Output } else { Step::Idle })
    }

    fn usage(&self) -> Usage {
        self.usage
    }

    fn finish(self, ttft_ms: Option<f64>, latency_ms: f64) -> Result<Outcome, ProviderError> {
        // Only a finish_reason says the answer is complete. Some servers close without `[DONE]` after
        // one (accepted); others send `[DONE]` without one when they abandon a stream: llama-cpp-python
        // ends a running stream that way whenever another request arrives, and a gateway that
        // swallowed an upstream error may send `choices: []` then `[DONE]`. Those are cut answers.
        if self.finish.is_none() {
            let message = if self.done {
                "stream ended with [DONE] but no finish_reason: the server abandoned the answer"
            } else {
                "stream ended before [DONE] without a finish_reason"
            };
            return Err(
                ProviderError::new(ErrorClass::TruncatedStream, message).with_partial_usage(self.usage)
            );
        }
        let tool_calls = self
            .tools
            .into_iter()
            .map(|t| ToolCall {
                id: if t.id.is_empty() { format!("call_{}", t.index) } else { t.id },
                name: t.name,
                arguments: parse_arguments(&t.arguments),
            })
            .collect();
        Ok(Outcome {
            reasoning_blocks: Vec::new(),
            prompt: None,
            episode: None,
            text: self.text,
            reasoning: self.reasoning,
            tool_calls,
            usage: self.usage,
            usage_estimated: false,
            stop: stop_reason(self.finish.as_deref()),
            model: self.model,
            response_id: self.id,
            system_fingerprint: self.fingerprint,
            ttft_ms,
            latency_ms,
            headroom: None,
        })
    }
}

#[derive(Deserialize)]
struct Completion {
    #[serde(default, deserialize_with = "lenient_string")]
    id: Option<String>,
    model: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    system_fingerprint: Option<String>,
    #[serde(default)]
    choices: Vec<FullChoice>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct FullChoice {
    message: Option<FullMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct FullMessage {
    content: Option<Value>,
    reasoning_content: Option<String>,
    reasoning: Option<String>,
    tool_calls: Option<Vec<FullToolCall>>,
}

#[derive(Deserialize)]
struct FullToolCall {
    id: Option<String>,
    function: FullFunction,
}

#[derive(Deserialize)]
struct FullFunction {
    #[serde(default)]
    name: String,
    arguments: Option<Value>,
}

/// Text of a `content` that is a string, or an array of `{type: text, text}` parts.
fn content_text(content: Option<Value>) -> String {
    match content {
        Some(Value::String(s)) => s,
        Some(Value::Array(parts)) => {
            parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<Vec<_>>().concat()
        }
        _ => String::new(),
    }
}

/// Parse a non-streamed chat completion (a 2xx answer). Leading whitespace, which DeepSeek sends while
/// a request waits in its queue, is skipped.
pub(crate) fn parse_completion(body: &[u8], latency_ms: f64) -> Result<Outcome, ProviderError> {
    let value: Value = serde_json::from_slice(body.trim_ascii()).map_err(|e| {
        ProviderError::new(ErrorClass::BadResponse, format!("invalid JSON in chat completion body: {e}"))
    })?;
    if value.get("error").is_some_and(|e| !e.is_null()) {
        return Err(classify_stream_error(&value));
    }
    let completion: Completion = serde_json::from_value(value).map_err(|e| {
        ProviderError::new(ErrorClass::BadResponse, format!("unexpected chat completion shape: {e}"))
    })?;
    let Some(choice) = completion.choices.into_iter().next() else {
        return Err(ProviderError::new(ErrorClass::BadResponse, "chat completion without choices"));
    };
    let message = choice.message.unwrap_or(FullMessage {
        content: None,
        reasoning_content: None,
        reasoning: None,
        tool_calls: None,
    });
    let tool_calls = message
        .tool_calls
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, call)| ToolCall {
            id: call.id.filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{i}")),
            name: call.function.name,
            arguments: match call.function.arguments {
                Some(Value::String(raw)) => parse_arguments(&raw),
                Some(Value::Null) | None => parse_arguments(""),
                Some(other) => other,
            },
        })
        .collect();
    Ok(Outcome {
        reasoning_blocks: Vec::new(),
        prompt: None,
        episode: None,
        text: content_text(message.content),
        reasoning: message
            .reasoning_content
            .filter(|r| !r.is_empty())
            .or(message.reasoning)
            .unwrap_or_default(),
        tool_calls,
        usage: completion.usage.map(|u| u.normalise()).unwrap_or_default(),
        usage_estimated: false,
        stop: stop_reason(choice.finish_reason.as_deref()),
        model: completion.model.filter(|m| !m.is_empty()),
        response_id: completion.id,
        system_fingerprint: completion.system_fingerprint,
        ttft_ms: None,
        latency_ms,
        headroom: None,
    })
}
