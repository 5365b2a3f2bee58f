use futures_util::stream;
use serde_json::{Map, json};

use super::*;
use crate::provider::sse::fixtures::{self, MockReply};
use std::time::Instant;

use crate::config::AuthStyle;
use crate::config::{ApiKey, MaxTokensField, ReasoningEcho};
use crate::core::{StopReason, ToolSpec, Usage};
use crate::provider::Provider;
use crate::provider::errors::ErrorClass;
use crate::provider::http::request_headers;
use crate::provider::sse::{SseReader, Step, StreamState, drive};

pub(super) fn endpoint(base_url: &str, stream: bool) -> Endpoint {
    Endpoint {
        base_url: base_url.to_string(),
        model: "claude-test".to_string(),
        api_key: Some(ApiKey::new("sk-ant-test-secret".to_string())),
        auth: AuthStyle::XApiKey,
        headers: vec![("anthropic-beta".to_string(), "context-1m-2025-08-07".to_string())],
        extra_body: Map::new(),
        stream,
        max_tokens_field: MaxTokensField::MaxTokens,
        reasoning_echo: ReasoningEcho::All,
        max_answer_bytes: 1 << 20,
    }
}

pub(super) fn request(messages: Vec<Message>) -> ChatRequest {
    ChatRequest {
        system: None,
        messages,
        tools: Vec::new(),
        max_tokens: 256,
        temperature: None,
        top_p: None,
        tool_choice: None,
        suite: "s".to_string(),
        task_id: "t1".to_string(),
        sample: 0,
    }
}

/// Run an SSE text through the real reader and driver, in `pieces` chunks.
pub(super) async fn run_stream(body: &str, pieces: usize) -> Result<Outcome, ProviderError> {
    let size = body.len().div_ceil(pieces).max(1);
    let chunks: Vec<Result<Vec<u8>, reqwest::Error>> =
        body.as_bytes().chunks(size).map(|c| Ok(c.to_vec())).collect();
    let reader = SseReader::new(stream::iter(chunks), u64::MAX);
    drive(reader, AnthropicStream::default(), Instant::now()).await
}

/// Index of the first event the state machine counts as output (what TTFT is measured at).
fn first_output_event(body: &str) -> Option<usize> {
    let mut state = AnthropicStream::default();
    for (i, event) in fixtures::events(body).iter().enumerate() {
        if state.on_event(event).ok()? == Step::Output {
            return Some(i);
        }
    }
    None
}

#[tokio::test]
async fn fixture_text_stream() {
    let Some(body) = fixtures::sse("anthropic_stream_text.sse") else { return };
    let out = run_stream(&body, 5).await.unwrap();
    assert_eq!(out.text, "Hello there!");
    assert_eq!(out.reasoning, "");
    assert!(out.tool_calls.is_empty());
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.model.as_deref(), Some("claude-3-opus-latest"));
    assert_eq!(out.response_id.as_deref(), Some("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK"));
    assert_eq!((out.system_fingerprint, out.usage_estimated), (None, false));
    assert_eq!(out.usage, Usage { input: 11, output: 6, ..Usage::default() });
    assert!(out.ttft_ms.is_some());
    assert!(out.latency_ms >= out.ttft_ms.unwrap());
    // message_start, content_block_start and ping come first; "Hello" (event 3) is the first token.
    assert_eq!(first_output_event(&body), Some(3));
}

#[tokio::test]
async fn fixture_text_and_tool_use_stream() {
    let Some(body) = fixtures::sse("anthropic_stream_tool_use.sse") else { return };
    let out = run_stream(&body, 1).await.unwrap();
    assert_eq!(out.text, "I'll check the current weather in Paris for you.");
    assert_eq!(out.tool_calls.len(), 1);
    assert_eq!(out.tool_calls[0].id, "toolu_01NRLabsLyVHZPKxbKvkfSMn");
    assert_eq!(out.tool_calls[0].name, "get_weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Paris"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 377, output: 65, ..Usage::default() });
    assert_eq!(out.model.as_deref(), Some("claude-sonnet-4-20250514"));
}

#[tokio::test]
async fn fixture_thinking_then_tool_use_stream() {
    let Some(body) = fixtures::sse("anthropic_stream_thinking_tool_use.sse") else { return };
    let out = run_stream(&body, 13).await.unwrap();
    assert_eq!(
        out.reasoning,
        "The user is asking for weather information for Florence, Italy. I have access to a weather \
         function that takes a location parameter. The user has provided the location as \"Florence, \
         Italy\" which is specific enough for the weather function. I have all the required parameters \
         to make the function call."
    );
    assert_eq!(out.text, "");
    assert_eq!(out.tool_calls.len(), 1);
    assert_eq!(out.tool_calls[0].id, "toolu_01Js4AMfx5qpTLhwTusnvT68");
    assert_eq!(out.tool_calls[0].name, "weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Florence, Italy"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 424, output: 119, ..Usage::default() });
    // The first thinking_delta is the first output (message_start, block start, ping before it).
    assert_eq!(first_output_event(&body), Some(3));
}

#[tokio::test]
async fn fixture_thinking_refusal_stream_with_cumulative_usage() {
    let Some(body) = fixtures::sse("anthropic_stream_thinking_refusal.sse") else { return };
    let out = run_stream(&body, 3).await.unwrap();
    assert!(out.reasoning.starts_with("Simple educational question about what a solar eclipse is."));
    assert!(out.reasoning.ends_with("Minor correction or just roll with it politely."));
    assert!(out.reasoning.contains("I'm Claude"));
    assert_eq!(out.text, "Hi");
    assert_eq!(out.stop, StopReason::Refusal);
    assert_eq!(out.model.as_deref(), Some("claude-fable-5"));
    // message_start said output 5; message_delta's cumulative 106 replaces it (not 111).
    assert_eq!(out.usage, Usage { input: 28, output: 106, cache_read: 0, cache_write: 0, reasoning: 67 });
}

#[tokio::test]
async fn fixture_error_event_is_overloaded_with_partial_usage() {
    let Some(body) = fixtures::sse("anthropic_stream_error_event.sse") else { return };
    let err = run_stream(&body, 2).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Overloaded);
    assert_eq!(err.message, "overloaded_error: Overloaded");
    assert_eq!(err.partial_usage, Some(Usage::default()));
}

const START: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"usage":{"input_tokens":50,"cache_read_input_tokens":1000,"cache_creation_input_tokens":20,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

"#;

fn delta(text: &str) -> String {
    format!(
        "event: content_block_delta\ndata: {}\n\n",
        json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":text}})
    )
}

#[tokio::test]
async fn keep_alive_comments_before_first_event() {
    let body = format!(
        ": keep-alive\n\n: keep-alive\r\n\r\n{START}{}{}event: message_delta\ndata: {}\n\nevent: message_stop\ndata: {{\"type\":\"message_stop\"}}\n\n",
        delta(""),
        delta("ok"),
        json!({"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":2}})
    );
    let out = run_stream(&body, 4).await.unwrap();
    assert_eq!(out.text, "ok");
    assert_eq!(out.stop, StopReason::MaxTokens);
    assert_eq!(out.usage, Usage { input: 50, output: 2, cache_read: 1000, cache_write: 20, reasoning: 0 });
    // The empty text delta (event 2) is not the first token; "ok" (event 3) is.
    assert_eq!(first_output_event(&body), Some(3));
}

#[tokio::test]
async fn error_event_after_tokens_keeps_usage() {
    let body = format!(
        "{START}{}event: error\ndata: {}\n\n",
        delta("partial answer"),
        json!({"type":"error","error":{"type":"api_error","message":"Internal server error"}})
    );
    let err = run_stream(&body, 2).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Server);
    assert_eq!(err.partial_usage.unwrap().cache_read, 1000);
}

#[tokio::test]
async fn stream_cut_before_message_stop_is_truncated() {
    let body = format!("{START}{}", delta("half an ans"));
    let err = run_stream(&body, 3).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream);
    assert_eq!(
        err.partial_usage,
        Some(Usage { input: 50, output: 1, cache_read: 1000, cache_write: 20, reasoning: 0 })
    );
    // Cut in the middle of the data line too.
    let cut = &body[..body.len() - 10];
    assert_eq!(run_stream(cut, 2).await.unwrap_err().class, ErrorClass::TruncatedStream);
}

#[tokio::test]
async fn message_stop_without_a_stop_reason_is_a_cut_stream() {
    // The Anthropic form of OpenAI's `[DONE]` without a finish_reason: the end marker, but nothing
    // ever said why the answer ended.
    let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    let block_stop = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
    let usage_only = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":{\"output_tokens\":4}}\n\n";
    for body in [
        format!("{START}{}{block_stop}{stop}", delta("half an ans")),
        format!("{START}{}{block_stop}{usage_only}{stop}", delta("half an ans")),
        format!("{START}{stop}"),
        stop.to_string(),
    ] {
        let err = run_stream(&body, 2).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::TruncatedStream, "{body}: {err}");
        assert!(err.class.signals_overload());
    }
    let body = format!("{START}{}{block_stop}{usage_only}{stop}", delta("half an ans"));
    let err = run_stream(&body, 2).await.unwrap_err();
    assert!(err.message.contains("without a stop_reason"), "{}", err.message);
    assert_eq!(
        err.partial_usage,
        Some(Usage { input: 50, output: 4, cache_read: 1000, cache_write: 20, reasoning: 0 }),
        "what was reported before the end"
    );
    // An empty stream (the body closed at once) is cut too.
    assert_eq!(run_stream("", 1).await.unwrap_err().class, ErrorClass::TruncatedStream);
}

#[tokio::test]
async fn http_usage_is_estimated_when_the_server_reports_none() {
    // A compatible server that sends no usage at all: a complete answer, counted here.
    let body = [
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_local\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"local-model\",\"content\":[]}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        &delta("The answer is 4."),
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ]
    .concat();
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 3)).await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let req = request(vec![Message::user("What is 2 + 2?")]);
    let out = provider.complete(&req).await.unwrap();
    assert_eq!(out.text, "The answer is 4.");
    assert!(out.usage_estimated);
    assert_eq!(out.usage.input, crate::provider::tokens::request_tokens(&req));
    assert_eq!(out.usage.output, crate::core::count_o200k("The answer is 4."));
    assert_eq!((out.response_id.as_deref(), out.model.as_deref()), (Some("msg_local"), Some("local-model")));
}

#[tokio::test]
async fn invalid_json_in_data_is_bad_response() {
    let body = format!(
        "{START}event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\n\n"
    );
    let err = run_stream(&body, 1).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse);
    assert!(err.message.contains("content_block_delta"), "{}", err.message);
    assert!(err.partial_usage.is_some());
}

#[tokio::test]
async fn tool_input_edge_cases_and_untyped_events() {
    // No `event:` lines (type read from data), unknown events, an empty tool input, invalid tool JSON,
    // input given whole in content_block_start, and a final event without its blank line.
    let events = [
        json!({"type":"message_start","message":{"model":"m","usage":{"input_tokens":5,"output_tokens":1}}}),
        json!({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t0","name":"noargs","input":{}}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}),
        json!({"type":"content_block_stop","index":0}),
        json!({"type":"brand_new_event","foo":1}),
        json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"broken","input":{}}}),
        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\": tru"}}),
        json!({"type":"content_block_stop","index":1}),
        json!({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"t2","name":"whole","input":{"q":"x"}}}),
        json!({"type":"content_block_stop","index":2}),
        json!({"type":"content_block_start","index":3,"content_block":{"type":"redacted_thinking","data":"abc"}}),
        json!({"type":"content_block_stop","index":3}),
        json!({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}}),
        json!({"type":"message_delta","delta":{},"usage":{"output_tokens":31,"input_tokens":5}}),
    ];
    let mut body: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    body.push_str("data: {\"type\":\"message_stop\"}\n");
    let out = run_stream(&body, 6).await.unwrap();
    let args: Vec<_> = out.tool_calls.iter().map(|c| (c.id.as_str(), c.arguments.clone())).collect();
    assert_eq!(args, [("t0", json!({})), ("t1", json!("{\"a\": tru")), ("t2", json!({"q": "x"}))]);
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage.output, 31);
    assert!(out.ttft_ms.is_some(), "tool argument text counts as output");
}

#[test]
fn stop_reasons() {
    let cases = [
        (Some("end_turn"), StopReason::EndTurn),
        (Some("max_tokens"), StopReason::MaxTokens),
        (Some("stop_sequence"), StopReason::StopSequence),
        (Some("tool_use"), StopReason::ToolUse),
        (Some("refusal"), StopReason::Refusal),
        (Some("pause_turn"), StopReason::Paused),
        (Some("model_context_window_exceeded"), StopReason::ContextWindow),
        (Some("new_reason"), StopReason::Other("new_reason".into())),
        (None, StopReason::Unknown),
    ];
    for (wire, want) in cases {
        assert_eq!(super::stream::stop_reason(wire), want);
    }
}

#[test]
fn fixture_non_streaming_tool_use() {
    let Some(fixture) = fixtures::json("anthropic_tool_use.json") else { return };
    let body = serde_json::to_vec(&fixture["response"]).unwrap();
    let out = parse_message(&body, 12.5).unwrap();
    assert_eq!(out.text, "");
    assert_eq!(out.tool_calls.len(), 1);
    assert_eq!(out.tool_calls[0].id, "toolu_01A9HHF5Ezy3oBrKmSgfASm9");
    assert_eq!(out.tool_calls[0].name, "get_weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "San Francisco, CA", "units": "f"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 656, output: 74, ..Usage::default() });
    assert_eq!(out.model.as_deref(), Some("claude-haiku-4-5-20251001"));
    assert_eq!(out.response_id.as_deref(), Some("msg_01RMQBcKf2dxTq6qfi31BBTz"));
    assert_eq!(out.ttft_ms, None);
    assert_eq!(out.latency_ms, 12.5);
}

#[test]
fn fixture_roundtrip_request_and_response() {
    let Some(fixture) = fixtures::json("anthropic_tool_result_roundtrip.json") else { return };
    // The recorded follow-up request, rebuilt from the neutral conversation.
    let recorded = &fixture["request"];
    let call = ToolCall {
        id: "toolu_01A9HHF5Ezy3oBrKmSgfASm9".into(),
        name: "get_weather".into(),
        arguments: json!({"location": "San Francisco, CA", "units": "f"}),
    };
    let mut req = request(vec![
        Message::user("What is the weather in SF?"),
        Message {
            role: Role::Assistant,
            content: String::new(),
            tool_calls: vec![call],
            tool_call_id: None,
            ..Message::default()
        },
        Message::tool_result(
            "toolu_01A9HHF5Ezy3oBrKmSgfASm9",
            "RuntimeError('Unexpected error, try again')",
            true,
        ),
    ]);
    req.max_tokens = 1024;
    let tool = &recorded["tools"][0];
    req.tools = vec![ToolSpec {
        name: "get_weather".into(),
        description: tool["description"].as_str().unwrap().into(),
        parameters: tool["input_schema"].clone(),
    }];
    let mut ep = endpoint("https://api.anthropic.com", false);
    ep.model = "claude-haiku-4-5".into();
    let built = build_body(&ep, &req);
    // The neutral shape keeps no `caller` (a response-only field); everything else must match.
    let mut expected = recorded.clone();
    expected["messages"][1]["content"][0].as_object_mut().unwrap().remove("caller");
    assert_eq!(built, expected);

    let body = serde_json::to_vec(&fixture["response"]).unwrap();
    let out = parse_message(&body, 1.0).unwrap();
    assert!(out.text.starts_with("I apologize, but I'm getting an error"));
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.usage, Usage { input: 760, output: 63, ..Usage::default() });
}

#[test]
fn non_streaming_edge_cases() {
    let body = br#"
    {"type":"message","model":"m","content":[{"type":"thinking","thinking":"hmm","signature":"s"},{"type":"redacted_thinking","data":"x"},{"type":"text","text":"a"},{"type":"server_tool_use","id":"s","name":"web_search","input":{}},{"type":"text","text":"b"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4,"cache_read_input_tokens":7,"cache_creation_input_tokens":null}}
    "#;
    let out = parse_message(body, 1.0).unwrap();
    assert_eq!((out.text.as_str(), out.reasoning.as_str()), ("ab", "hmm"));
    assert_eq!(out.usage, Usage { input: 3, output: 4, cache_read: 7, ..Usage::default() });

    assert_eq!(parse_message(b"<html>oops</html>", 1.0).unwrap_err().class, ErrorClass::BadResponse);
    assert_eq!(parse_message(br#"{"content":"nope"}"#, 1.0).unwrap_err().class, ErrorClass::BadResponse);
    let err =
        parse_message(br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, 1.0);
    assert_eq!(err.unwrap_err().class, ErrorClass::Overloaded);
}

#[test]
fn request_body_with_system_tools_calls_and_results() {
    let mut ep = endpoint("https://api.anthropic.com/", true);
    ep.extra_body.insert("thinking".into(), json!({"type": "enabled", "budget_tokens": 2048}));
    ep.extra_body.insert("max_tokens".into(), json!(4096));
    let mut req = request(vec![
        Message::user("Weather in SF and NYC?"),
        Message {
            role: Role::Assistant,
            content: "Checking both.".into(),
            tool_calls: vec![
                ToolCall { id: "c1".into(), name: "weather".into(), arguments: json!({"city": "SF"}) },
                ToolCall { id: "c2".into(), name: "weather".into(), arguments: json!("{\"city\":\"NYC\"}") },
            ],
            tool_call_id: None,
            ..Message::default()
        },
        Message {
            role: Role::Tool,
            content: "18C".into(),
            tool_calls: vec![],
            tool_call_id: Some("c1".into()),
            ..Message::default()
        },
        Message {
            role: Role::Tool,
            content: "25C".into(),
            tool_calls: vec![],
            tool_call_id: Some("c2".into()),
            ..Message::default()
        },
        Message::user("Which is warmer?"),
        Message::assistant("NYC."),
    ]);
    req.system = Some("Be terse.".into());
    req.temperature = Some(0.2);
    req.tools = vec![ToolSpec {
        name: "weather".into(),
        description: "Get the weather".into(),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
    }];
    let expected = json!({
        "model": "claude-test",
        "max_tokens": 4096,
        "system": "Be terse.",
        "messages": [
            {"role": "user", "content": "Weather in SF and NYC?"},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Checking both."},
                {"type": "tool_use", "id": "c1", "name": "weather", "input": {"city": "SF"}},
                {"type": "tool_use", "id": "c2", "name": "weather", "input": {"city": "NYC"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "c1", "content": "18C"},
                {"type": "tool_result", "tool_use_id": "c2", "content": "25C"},
                {"type": "text", "text": "Which is warmer?"},
            ]},
            {"role": "assistant", "content": "NYC."},
        ],
        "tools": [{"name": "weather", "description": "Get the weather",
                   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
        "temperature": 0.2,
        "stream": true,
        "thinking": {"type": "enabled", "budget_tokens": 2048},
    });
    assert_eq!(build_body(&ep, &req), expected);
    let provider = AnthropicProvider::new(ep, reqwest::Client::new());
    assert_eq!(provider.url, "https://api.anthropic.com/v1/messages");
    for base in [
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/v1",
        "http://127.0.0.1:8080/v1/",
    ] {
        assert_eq!(Anthropic::url(base), "http://127.0.0.1:8080/v1/messages", "{base}");
    }
    assert_eq!(
        Anthropic::url("https://api.moonshot.ai/anthropic"),
        "https://api.moonshot.ai/anthropic/v1/messages"
    );
}

#[test]
fn auth_headers_per_style() {
    let mut ep = endpoint("http://x", true);
    let h = request_headers(&ep, Anthropic::FIXED_HEADERS).unwrap();
    assert_eq!(h["x-api-key"], "sk-ant-test-secret");
    assert!(h["x-api-key"].is_sensitive());
    assert!(h.get("authorization").is_none());
    assert_eq!(h["anthropic-version"], "2023-06-01");
    assert_eq!(h["anthropic-beta"], "context-1m-2025-08-07");
    ep.auth = AuthStyle::Bearer;
    let h = request_headers(&ep, Anthropic::FIXED_HEADERS).unwrap();
    assert_eq!(h["authorization"], "Bearer sk-ant-test-secret");
    assert!(h.get("x-api-key").is_none());
    ep.auth = AuthStyle::Both;
    let h = request_headers(&ep, Anthropic::FIXED_HEADERS).unwrap();
    assert!(h.contains_key("authorization") && h.contains_key("x-api-key"));
    ep.api_key = Some(ApiKey::new("bad\nkey-secret".into()));
    let err = request_headers(&ep, Anthropic::FIXED_HEADERS).unwrap_err();
    assert_eq!(err.class, ErrorClass::Auth);
    assert!(!err.message.contains("secret"));
    ep.api_key = None;
    let h = request_headers(&ep, Anthropic::FIXED_HEADERS).unwrap();
    assert!(!h.contains_key("authorization") && !h.contains_key("x-api-key"));
}

#[tokio::test]
async fn http_streaming_end_to_end() {
    let Some(body) = fixtures::sse("anthropic_stream_tool_use.sse") else { return };
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 9)).await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let out = provider.complete(&request(vec![Message::user("hi")])).await.unwrap();
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Paris"}));
    let ttft = out.ttft_ms.unwrap();
    assert!(ttft > 0.0 && ttft <= out.latency_ms);
    // A second request on the same client reuses the connection: the body was read to its end.
    let again = provider.complete(&request(vec![Message::user("hi")])).await.unwrap();
    assert_eq!(again.tool_calls, out.tool_calls);
    assert_eq!(mock.connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    let seen = mock.last();
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.headers["x-api-key"], "sk-ant-test-secret");
    assert_eq!(seen.headers["anthropic-version"], "2023-06-01");
    assert_eq!(seen.headers["content-type"], "application/json");
    assert_eq!(seen.body["stream"], json!(true));
    assert_eq!(seen.body["messages"], json!([{"role": "user", "content": "hi"}]));
}

#[tokio::test]
async fn http_non_streaming_and_errors() {
    let Some(fixture) = fixtures::json("anthropic_tool_use.json") else { return };
    let body = fixture["response"].to_string();
    let mock = fixtures::serve(MockReply::new(200, "application/json", &body, 1)).await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, false), reqwest::Client::new());
    let out = provider.complete(&request(vec![Message::user("hi")])).await.unwrap();
    assert_eq!(out.tool_calls[0].name, "get_weather");
    assert_eq!(out.ttft_ms, None);

    let mut reply = MockReply::new(
        429,
        "application/json",
        r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}"#,
        1,
    );
    reply.headers.push(("retry-after-ms".into(), "1500".into()));
    let mock = fixtures::serve(reply).await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::RateLimited, Some(429)));
    assert_eq!(err.retry_after, Some(std::time::Duration::from_millis(1500)));
    assert!(!err.to_string().contains("sk-ant"));

    let mock = fixtures::serve(MockReply::new(
        401,
        "application/json",
        r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
        1,
    ))
    .await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Auth);
    assert!(err.class.is_fatal_for_provider());
}

#[tokio::test]
async fn http_connection_cut_mid_stream_is_truncated() {
    let body = format!("{START}{}", delta("Hello"));
    let mut reply = MockReply::new(200, "text/event-stream", &body, 3);
    reply.cut = true;
    let mock = fixtures::serve(reply).await;
    let provider = AnthropicProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream, "{err}");
    assert_eq!(err.partial_usage.unwrap().input, 50);

    // Nothing listening: a network error, not a truncated stream.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let provider = AnthropicProvider::new(endpoint(&base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Network, "{err}");
    assert_eq!(err.partial_usage, None);
}
