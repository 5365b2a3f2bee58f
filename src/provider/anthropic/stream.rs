//! Anthropic answers to [`Outcome`]s: the SSE event state machine and the non-streamed body parser.
//!
//! Both are pure (no I/O, no clock): the HTTP path feeds them and supplies the timings.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use crate::core::{Outcome, Reasoning, StopReason, ToolCall, Usage};
use crate::provider::errors::{ErrorClass, ProviderError, classify_stream_error};
use crate::provider::sse::{SseEvent, Step, StreamState, lenient_string, parse_arguments};

/// Map Anthropic's `stop_reason`.
pub(crate) fn stop_reason(reason: Option<&str>) -> StopReason {
    match reason {
        None => StopReason::Unknown,
        Some("end_turn") => StopReason::EndTurn,
        Some("max_tokens") => StopReason::MaxTokens,
        Some("stop_sequence") => StopReason::StopSequence,
        Some("tool_use") => StopReason::ToolUse,
        Some("refusal") => StopReason::Refusal,
        Some("pause_turn") => StopReason::Paused,
        Some("model_context_window_exceeded") => StopReason::ContextWindow,
        Some(other) => StopReason::Other(other.to_string()),
    }
}

/// `usage` as Anthropic sends it; every field optional because `message_delta` carries only some.
#[derive(Debug, Default, Deserialize)]
struct WireUsage {
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    cache_creation_input_tokens: Option<u64>,
    cache_read_input_tokens: Option<u64>,
    output_tokens_details: Option<OutputDetails>,
}

#[derive(Debug, Default, Deserialize)]
struct OutputDetails {
    thinking_tokens: Option<u64>,
}

impl WireUsage {
    /// Overwrite the fields this report carries: the counts are cumulative, never summed.
    fn apply(&self, usage: &mut Usage) {
        let set = |field: &mut u64, value: Option<u64>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut usage.input, self.input_tokens);
        set(&mut usage.output, self.output_tokens);
        set(&mut usage.cache_write, self.cache_creation_input_tokens);
        set(&mut usage.cache_read, self.cache_read_input_tokens);
        set(&mut usage.reasoning, self.output_tokens_details.as_ref().and_then(|d| d.thinking_tokens));
    }
}

#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
}

#[derive(Deserialize)]
struct MessageStart {
    message: StartMessage,
}

#[derive(Deserialize)]
struct StartMessage {
    #[serde(default, deserialize_with = "lenient_string")]
    id: Option<String>,
    model: Option<String>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct BlockStart {
    index: u32,
    content_block: StartBlock,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum StartBlock {
    Text {
        #[serde(default)]
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
        signature: Option<String>,
    },
    RedactedThinking {
        #[serde(default)]
        data: String,
    },
    ToolUse {
        #[serde(default)]
        id: String,
        #[serde(default)]
        name: String,
        input: Option<Value>,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct BlockDelta<'a> {
    index: u32,
    #[serde(borrow)]
    delta: Delta<'a>,
}

/// Flat on purpose (no tagged enum buffering): this is the per-token hot path.
#[derive(Deserialize)]
struct Delta<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    thinking: Option<Cow<'a, str>>,
    #[serde(borrow)]
    partial_json: Option<Cow<'a, str>>,
    #[serde(borrow)]
    signature: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct BlockStop {
    index: u32,
}

#[derive(Deserialize)]
struct MessageDelta {
    delta: MessageDeltaBody,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct MessageDeltaBody {
    stop_reason: Option<String>,
}

/// A `tool_use` block being streamed.
#[derive(Debug)]
struct ToolBlock {
    index: u32,
    id: String,
    name: String,
    /// `input_json_delta` fragments so far.
    json: String,
    /// The `input` of `content_block_start`, used when no fragments follow.
    start_input: Option<Value>,
    /// Set at `content_block_stop`.
    done: Option<ToolCall>,
}

impl ToolBlock {
    fn to_call(&self) -> ToolCall {
        let arguments = match &self.start_input {
            Some(input @ Value::Object(map)) if self.json.trim().is_empty() && !map.is_empty() => {
                input.clone()
            }
            _ => parse_arguments(&self.json),
        };
        ToolCall { id: self.id.clone(), name: self.name.clone(), arguments }
    }
}

/// The state of one streamed Messages answer.
#[derive(Debug, Default)]
pub(crate) struct AnthropicStream {
    text: String,
    reasoning: String,
    /// Thinking and redacted thinking blocks by their index, signatures included, to be echoed back.
    reasoning_blocks: Vec<(u32, Reasoning)>,
    tools: Vec<ToolBlock>,
    usage: Usage,
    stop: Option<String>,
    model: Option<String>,
    id: Option<String>,
    done: bool,
}

fn parse<'a, T: Deserialize<'a>>(event: &'a SseEvent, kind: &str) -> Result<T, ProviderError> {
    serde_json::from_str(&event.data).map_err(|e| {
        ProviderError::new(ErrorClass::BadResponse, format!("invalid JSON in Anthropic {kind} event: {e}"))
    })
}

impl AnthropicStream {
    fn tool_mut(&mut self, index: u32) -> &mut ToolBlock {
        match self.tools.iter().position(|t| t.index == index) {
            Some(pos) => &mut self.tools[pos],
            None => {
                // A delta for a block whose start we never saw: keep the arguments anyway.
                let block = ToolBlock {
                    index,
                    id: String::new(),
                    name: String::new(),
                    json: String::new(),
                    start_input: None,
                    done: None,
                };
                self.tools.push(block);
                let last = self.tools.len() - 1;
                &mut self.tools[last]
            }
        }
    }

    /// Add a piece of text or signature to the thinking block at `index`; a delta for a block whose
    /// start was never seen opens one.
    fn extend_thinking(&mut self, index: u32, piece: &str, to_signature: bool) {
        let found = self.reasoning_blocks.iter_mut().rev().find_map(|(at, block)| match block {
            Reasoning::Thinking { text, signature } if *at == index => Some((text, signature)),
            _ => None,
        });
        match found {
            Some((_, signature)) if to_signature => signature.get_or_insert_default().push_str(piece),
            Some((text, _)) => text.push_str(piece),
            None => {
                let (text, signature) = if to_signature {
                    (String::new(), Some(piece.to_string()))
                } else {
                    (piece.to_string(), None)
                };
                self.reasoning_blocks.push((index, Reasoning::Thinking { text, signature }));
            }
        }
    }

    fn on_delta(&mut self, delta: BlockDelta<'_>) -> Step {
        let output = |s: &str| if s.is_empty() { Step::Idle } else { Step::Output };
        let d = delta.delta;
        match (d.kind.as_ref(), d.text, d.thinking, d.partial_json, d.signature) {
            ("text_delta", Some(text), ..) => {
                self.text.push_str(&text);
                output(&text)
            }
            ("thinking_delta", _, Some(thinking), ..) => {
                self.reasoning.push_str(&thinking);
                self.extend_thinking(delta.index, &thinking, false);
                output(&thinking)
            }
            ("signature_delta", .., Some(signature)) => {
                self.extend_thinking(delta.index, &signature, true);
                Step::Idle
            }
            ("input_json_delta", _, _, Some(fragment), _) => {
                self.tool_mut(delta.index).json.push_str(&fragment);
                output(&fragment)
            }
            // citations_delta and future kinds carry no answer text.
            _ => Step::Idle,
        }
    }
}

impl StreamState for AnthropicStream {
    fn on_event(&mut self, event: &SseEvent) -> Result<Step, ProviderError> {
        let kind: Cow<'_, str> = if event.event.is_empty() || event.event == "message" {
            if event.data.trim().is_empty() {
                return Ok(Step::Idle);
            }
            parse::<TypeOnly<'_>>(event, "untyped")?.kind
        } else {
            Cow::Borrowed(event.event.as_str())
        };
        match kind.as_ref() {
            "content_block_delta" => Ok(self.on_delta(parse(event, "content_block_delta")?)),
            "ping" => Ok(Step::Idle),
            "message_start" => {
                let start: MessageStart = parse(event, "message_start")?;
                if let Some(usage) = &start.message.usage {
                    usage.apply(&mut self.usage);
                }
                self.model = start.message.model.filter(|m| !m.is_empty());
                self.id = start.message.id;
                Ok(Step::Idle)
            }
            "content_block_start" => {
                let start: BlockStart = parse(event, "content_block_start")?;
                match start.content_block {
                    StartBlock::Text { text } if text.is_empty() => Ok(Step::Idle),
                    StartBlock::Text { text } => {
                        self.text.push_str(&text);
                        Ok(Step::Output)
                    }
                    StartBlock::Thinking { thinking, signature } => {
                        self.reasoning.push_str(&thinking);
                        let step = if thinking.is_empty() { Step::Idle } else { Step::Output };
                        let block = Reasoning::Thinking { text: thinking, signature };
                        self.reasoning_blocks.push((start.index, block));
                        Ok(step)
                    }
                    StartBlock::RedactedThinking { data } => {
                        self.reasoning_blocks.push((start.index, Reasoning::Redacted { data }));
                        Ok(Step::Idle)
                    }
                    StartBlock::ToolUse { id, name, input } => {
                        let index = start.index;
                        self.tools.push(ToolBlock {
                            index,
                            id,
                            name,
                            json: String::new(),
                            start_input: input,
                            done: None,
                        });
                        Ok(Step::Idle)
                    }
                    StartBlock::Other => Ok(Step::Idle),
                }
            }
            "content_block_stop" => {
                let stop: BlockStop = parse(event, "content_block_stop")?;
                if let Some(tool) = self.tools.iter_mut().find(|t| t.index == stop.index && t.done.is_none())
                {
                    tool.done = Some(tool.to_call());
                }
                Ok(Step::Idle)
            }
            "message_delta" => {
                let delta: MessageDelta = parse(event, "message_delta")?;
                if let Some(reason) = delta.delta.stop_reason {
                    self.stop = Some(reason);
                }
                if let Some(usage) = &delta.usage {
                    usage.apply(&mut self.usage);
                }
                Ok(Step::Idle)
            }
            "message_stop" => {
                self.done = true;
                Ok(Step::Done)
            }
            "error" => {
                let value: Value = parse(event, "error")?;
                Err(classify_stream_error(&value))
            }
            _ => Ok(Step::Idle), // new event types are to be tolerated
        }
    }

    fn usage(&self) -> Usage {
        self.usage
    }

    fn finish(self, ttft_ms: Option<f64>, latency_ms: f64) -> Result<Outcome, ProviderError> {
        if !self.done {
            return Err(ProviderError::new(ErrorClass::TruncatedStream, "stream ended before message_stop")
                .with_partial_usage(self.usage));
        }
        // `message_stop` without a `stop_reason` (no `message_delta` carried one) is the Anthropic
        // form of OpenAI's `[DONE]` without a finish_reason: a server or gateway closing an answer it
        // abandoned, not a complete one.
        if self.stop.is_none() {
            return Err(ProviderError::new(
                ErrorClass::TruncatedStream,
                "message_stop without a stop_reason: the server abandoned the answer",
            )
            .with_partial_usage(self.usage));
        }
        let tool_calls = self.tools.iter().map(|t| t.done.clone().unwrap_or_else(|| t.to_call())).collect();
        let mut reasoning_blocks = self.reasoning_blocks;
        reasoning_blocks.sort_by_key(|(index, _)| *index);
        Ok(Outcome {
            reasoning_blocks: reasoning_blocks.into_iter().map(|(_, block)| block).collect(),
            prompt: None,
            episode: None,
            text: self.text,
            reasoning: self.reasoning,
            tool_calls,
            usage: self.usage,
            usage_estimated: false,
            stop: stop_reason(self.stop.as_deref()),
            model: self.model,
            response_id: self.id,
            system_fingerprint: None,
            ttft_ms,
            latency_ms,
            headroom: None,
        })
    }
}

#[derive(Deserialize)]
struct WireMessage {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    id: Option<String>,
    model: Option<String>,
    #[serde(default)]
    content: Vec<WireBlock>,
    stop_reason: Option<String>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum WireBlock {
    Text {
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
        signature: Option<String>,
    },
    RedactedThinking {
        #[serde(default)]
        data: String,
    },
    ToolUse {
        id: String,
        name: String,
        #[serde(default)]
        input: Value,
    },
    #[serde(other)]
    Other,
}

/// Parse a non-streamed Messages body (a 2xx answer). Text blocks are concatenated, thinking blocks go
/// to `reasoning` (their text) and `reasoning_blocks` (whole, with redacted ones), server-tool blocks
/// are skipped.
pub(crate) fn parse_message(body: &[u8], latency_ms: f64) -> Result<Outcome, ProviderError> {
    let body = body.trim_ascii();
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ProviderError::new(ErrorClass::BadResponse, format!("invalid JSON in Anthropic response body: {e}"))
    })?;
    if value.get("type").and_then(Value::as_str) == Some("error") {
        return Err(classify_stream_error(&value));
    }
    let message: WireMessage = serde_json::from_value(value).map_err(|e| {
        ProviderError::new(ErrorClass::BadResponse, format!("unexpected Anthropic response shape: {e}"))
    })?;
    if message.kind.as_deref().is_some_and(|k| k != "message") {
        return Err(ProviderError::new(ErrorClass::BadResponse, "Anthropic response is not a message"));
    }
    let mut outcome = Outcome {
        reasoning_blocks: Vec::new(),
        prompt: None,
        episode: None,
        text: String::new(),
        reasoning: String::new(),
        tool_calls: Vec::new(),
        usage: Usage::default(),
        usage_estimated: false,
        stop: stop_reason(message.stop_reason.as_deref()),
        model: message.model.filter(|m| !m.is_empty()),
        response_id: message.id,
        system_fingerprint: None,
        ttft_ms: None,
        latency_ms,
        headroom: None,
    };
    if let Some(usage) = &message.usage {
        usage.apply(&mut outcome.usage);
    }
    for block in message.content {
        match block {
            WireBlock::Text { text } => outcome.text.push_str(&text),
            WireBlock::Thinking { thinking, signature } => {
                outcome.reasoning.push_str(&thinking);
                outcome.reasoning_blocks.push(Reasoning::Thinking { text: thinking, signature });
            }
            WireBlock::RedactedThinking { data } => {
                outcome.reasoning_blocks.push(Reasoning::Redacted { data })
            }
            WireBlock::ToolUse { id, name, input } => {
                let arguments = if input.is_null() { Value::Object(serde_json::Map::new()) } else { input };
                outcome.tool_calls.push(ToolCall { id, name, arguments });
            }
            WireBlock::Other => {}
        }
    }
    Ok(outcome)
}
