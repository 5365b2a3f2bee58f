use futures_util::stream;
use serde_json::{Map, json};

use super::stream::stop_reason;
use super::*;
use crate::provider::sse::fixtures::{self, MockReply};
use std::time::Instant;

use crate::config::AuthStyle;
use crate::config::{ApiKey, ReasoningEcho};
use crate::core::{StopReason, ToolSpec, Usage};
use crate::provider::Provider;
use crate::provider::errors::ErrorClass;
use crate::provider::http::request_headers;
use crate::provider::sse::{SseReader, Step, StreamState, drive};

pub(super) fn endpoint(base_url: &str, stream: bool) -> Endpoint {
    Endpoint {
        base_url: base_url.to_string(),
        model: "gpt-test".to_string(),
        api_key: Some(ApiKey::new("sk-test-secret".to_string())),
        auth: AuthStyle::Bearer,
        headers: vec![("OpenAI-Project".to_string(), "proj_1".to_string())],
        extra_body: Map::new(),
        stream,
        max_tokens_field: MaxTokensField::MaxTokens,
        reasoning_echo: ReasoningEcho::None,
        max_answer_bytes: 1 << 20,
    }
}

pub(super) fn request(messages: Vec<Message>) -> ChatRequest {
    ChatRequest {
        system: None,
        messages,
        tools: Vec::new(),
        max_tokens: 128,
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
    drive(SseReader::new(stream::iter(chunks), u64::MAX), OpenAiStream::default(), Instant::now()).await
}

/// Index of the first event the state machine counts as output (what TTFT is measured at).
fn first_output_event(body: &str) -> Option<usize> {
    let mut state = OpenAiStream::default();
    for (i, event) in fixtures::events(body).iter().enumerate() {
        if state.on_event(event).ok()? == Step::Output {
            return Some(i);
        }
    }
    None
}

#[tokio::test]
async fn fixture_text_stream_with_usage_chunk() {
    let Some(body) = fixtures::sse("openai_stream_text_include_usage.sse") else { return };
    let out = run_stream(&body, 7).await.unwrap();
    assert_eq!(
        out.text,
        "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, \
         I recommend checking a reliable weather website or a weather app."
    );
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.usage, Usage { input: 14, output: 30, ..Usage::default() });
    assert_eq!(out.model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL"));
    assert_eq!(out.system_fingerprint.as_deref(), Some("fp_5050236cbd"));
    assert!(!out.usage_estimated, "the parser never estimates; the HTTP path does");
    // Chunk 0 is role-only with content "": not output.
    assert_eq!(first_output_event(&body), Some(1));
    assert!(out.ttft_ms.unwrap() <= out.latency_ms);
}

#[tokio::test]
async fn fixture_parallel_tool_calls_by_index() {
    let Some(body) = fixtures::sse("openai_stream_tool_call_parallel.sse") else { return };
    let out = run_stream(&body, 4).await.unwrap();
    assert_eq!(out.tool_calls.len(), 2);
    assert_eq!(out.tool_calls[0].id, "call_JMW1whyEaYG438VE1OIflxA2");
    assert_eq!(out.tool_calls[0].name, "GetWeatherArgs");
    assert_eq!(out.tool_calls[0].arguments, json!({"city": "Edinburgh", "country": "GB", "units": "c"}));
    assert_eq!(out.tool_calls[1].id, "call_DNYTawLBoN8fj3KN6qU9N1Ou");
    assert_eq!(out.tool_calls[1].name, "get_stock_price");
    assert_eq!(out.tool_calls[1].arguments, json!({"ticker": "AAPL", "exchange": "NASDAQ"}));
    assert_eq!(out.text, "");
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 149, output: 60, ..Usage::default() });
    // The first tool_calls delta names the function: that is output.
    assert_eq!(first_output_event(&body), Some(1));
}

#[tokio::test]
async fn fixture_glm_reasoning_whole_tool_call_usage_on_finish_chunk() {
    let Some(body) = fixtures::sse("glm_stream_reasoning_tool_call.sse") else { return };
    let out = run_stream(&body, 11).await.unwrap();
    assert_eq!(
        out.reasoning,
        "The user is asking about the weather in Florence, Italy. I have a weather function available that \
         can get weather information for a location. The required parameter is \"location\" which should be \
         a city name. The user specified \"Florence, Italy\" so I should use \"Florence\" as the location \
         parameter."
    );
    assert_eq!(out.text, "I'll check the weather in Florence, Italy for you.");
    assert_eq!(out.tool_calls.len(), 1);
    assert_eq!(out.tool_calls[0].id, "call_330c741a86144cb7a385bc6d");
    assert_eq!(out.tool_calls[0].name, "weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Florence"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    // prompt 173 of which 172 cached.
    assert_eq!(out.usage, Usage { input: 1, output: 87, cache_read: 172, cache_write: 0, reasoning: 63 });
    assert_eq!(out.model.as_deref(), Some("glm-4.7-flash"));
    assert_eq!(first_output_event(&body), Some(0), "reasoning counts as output");
}

#[tokio::test]
async fn fixture_openrouter_kimi_reasoning_field_and_opaque_ids() {
    let Some(body) = fixtures::sse("openrouter_kimi_stream_tool_call.sse") else { return };
    let out = run_stream(&body, 17).await.unwrap();
    assert!(out.reasoning.starts_with(" The user is asking for the weather in Florence, Italy."));
    assert!(out.reasoning.ends_with("Let me use the location provided by the user."));
    assert_eq!(out.text, "");
    assert_eq!(out.tool_calls.len(), 1);
    assert_eq!(out.tool_calls[0].id, "functions.weather:0");
    assert_eq!(out.tool_calls[0].name, "weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Florence,Italy"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 69, output: 87, cache_read: 0, cache_write: 0, reasoning: 66 });
    assert_eq!(out.model.as_deref(), Some("moonshotai/kimi-k2.5-0127"));
    assert_eq!(first_output_event(&body), Some(0));
}

#[tokio::test]
async fn fixture_llamacpp_reasoning_then_text() {
    let Some(body) = fixtures::sse("llamacpp_stream_text.sse") else { return };
    let out = run_stream(&body, 2).await.unwrap();
    assert_eq!(
        out.reasoning,
        "The user: \"Say hi in Portuguese\". They want a greeting in Portuguese. Simple: \"Olá!\" or \"Oi!\". \
         Probably respond with \"Olá!\" or \"Oi!\".\n\nWe should keep it concise. We'll respond."
    );
    assert_eq!(out.text, "Olá!");
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.usage, Usage { input: 84, output: 57, ..Usage::default() });
    assert_eq!(out.model.as_deref(), Some("openai/gpt-oss-20b"));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-rd0JN5fzYlCrafuJEy6psZhukXbBVmTK"));
    assert_eq!(out.system_fingerprint.as_deref(), Some("b7010-c27efd2bd"));
    assert_eq!(first_output_event(&body), Some(1), "chunk 0 has content null");
}

#[tokio::test]
async fn fixture_deepseek_stream_chunks_without_done() {
    let Some(text) = fixtures::text("deepseek_reasoner_stream_chunks.jsonl") else { return };
    // First and last chunk of a real stream; no [DONE], but the last has a finish_reason and usage.
    let body: String = text.lines().map(|l| format!(": keep-alive\n\ndata: {l}\n\n")).collect();
    let out = run_stream(&body, 3).await.unwrap();
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.usage, Usage { input: 6, output: 82, cache_read: 0, cache_write: 0, reasoning: 71 });
    assert_eq!(out.model.as_deref(), Some("deepseek-reasoner"));
    assert_eq!((out.text.as_str(), out.reasoning.as_str()), ("", ""));
    assert_eq!(out.ttft_ms, None, "neither chunk carries output");
}

#[test]
fn fixture_non_streaming_tool_call() {
    let Some(value) = fixtures::json("openai_chat_tool_call.json") else { return };
    let out = parse_completion(value.to_string().as_bytes(), 3.0).unwrap();
    assert_eq!(out.text, "");
    assert_eq!(out.tool_calls.len(), 1);
    let call = &out.tool_calls[0];
    assert_eq!((call.id.as_str(), call.name.as_str()), ("call_NKpApJybW1MzOjZO2FzwYw0d", "Query"));
    assert_eq!(call.arguments["name"], "May 2022 Fulfilled Orders Not Delivered on Time");
    assert_eq!(call.arguments["table_name"], "orders");
    assert_eq!(call.arguments["conditions"].as_array().unwrap().len(), 4);
    assert_eq!(call.arguments["conditions"][3]["value"], json!({"column_name": "expected_delivery_date"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 512, output: 132, ..Usage::default() });
    assert_eq!(out.model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-ABfvtNiaTNUF6OymZUnEFc9lPq9p1"));
    assert_eq!(out.system_fingerprint.as_deref(), Some("fp_7568d46099"));
    assert_eq!((out.ttft_ms, out.latency_ms), (None, 3.0));
}

#[test]
fn fixture_gpt5_reasoning_tokens() {
    let Some(value) = fixtures::json("openai_gpt5_chat_simple.json.txt") else { return };
    let out = parse_completion(value.to_string().as_bytes(), 1.0).unwrap();
    assert_eq!(out.text, "Olá!");
    assert_eq!(out.stop, StopReason::EndTurn);
    assert_eq!(out.usage, Usage { input: 19, output: 139, cache_read: 0, cache_write: 0, reasoning: 128 });
    assert_eq!(out.model.as_deref(), Some("gpt-5-2025-08-07"));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-DuLdZDauwhFn5FZYgDe3D5LiXUlQW"));
    assert_eq!(out.system_fingerprint, None, "null on the wire");
}

#[test]
fn fixture_deepseek_reasoner_body_with_leading_blank_lines() {
    let Some(raw) = fixtures::text("deepseek_reasoner_response.json") else { return };
    // Under load DeepSeek sends blank lines before the JSON while the request waits.
    let body = format!("\n\n \n{raw}");
    let out = parse_completion(body.as_bytes(), 1.0).unwrap();
    assert_eq!(out.text, "Hello! How can I assist you today?");
    assert!(out.reasoning.starts_with("Okay, the user wrote \"hello\"."));
    assert!(out.reasoning.ends_with("Send it off."));
    assert_eq!(out.usage, Usage { input: 6, output: 92, cache_read: 0, cache_write: 0, reasoning: 81 });
}

#[test]
fn fixture_glm_non_streaming_tool_call_with_cache() {
    let Some(value) = fixtures::json("glm_chat_tool_call.json.txt") else { return };
    let out = parse_completion(value.to_string().as_bytes(), 1.0).unwrap();
    assert_eq!(out.text, "I'll check the weather in Florence, Italy for you.");
    assert!(out.reasoning.starts_with("The user is asking for the weather in Florence, Italy."));
    assert_eq!(out.tool_calls[0].id, "call_-7807249954186984837");
    assert_eq!(out.tool_calls[0].name, "weather");
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Florence,Italy"}));
    assert_eq!(out.stop, StopReason::ToolUse);
    assert_eq!(out.usage, Usage { input: 130, output: 88, cache_read: 43, cache_write: 0, reasoning: 62 });
}

#[test]
fn usage_prefers_cached_tokens_then_deepseek_hits() {
    let body = json!({"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":100,"completion_tokens":5,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}});
    let out = parse_completion(body.to_string().as_bytes(), 1.0).unwrap();
    assert_eq!(out.usage, Usage { input: 36, output: 5, cache_read: 64, cache_write: 0, reasoning: 0 });
    let body = json!({"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},"finish_reason":"length"}],
        "usage":{"prompt_tokens":100,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":10,"cache_write_tokens":30}}});
    let out = parse_completion(body.to_string().as_bytes(), 1.0).unwrap();
    assert_eq!(out.usage, Usage { input: 60, output: 5, cache_read: 10, cache_write: 30, reasoning: 0 });
    assert_eq!((out.text.as_str(), out.stop), ("ab", StopReason::MaxTokens));
}

#[test]
fn non_streaming_errors() {
    assert_eq!(
        parse_completion(b"<html>bad gateway</html>", 1.0).unwrap_err().class,
        ErrorClass::BadResponse
    );
    assert_eq!(parse_completion(br#"{"choices":[]}"#, 1.0).unwrap_err().class, ErrorClass::BadResponse);
    let err = parse_completion(br#"{"error":{"message":"Rate limit","code":429}}"#, 1.0).unwrap_err();
    assert_eq!(err.class, ErrorClass::RateLimited);
}

fn chunk(delta: serde_json::Value, finish: Option<&str>) -> String {
    let c = json!({"id":"c","object":"chat.completion.chunk","model":"m",
        "choices":[{"index":0,"delta":delta,"finish_reason":finish}]});
    format!("data: {c}\n\n")
}

#[tokio::test]
async fn keep_alive_comments_then_text() {
    let body = format!(
        ": keep-alive\n\n: keep-alive\n\n{}{}{}data: [DONE]\n\n",
        chunk(json!({"role":"assistant","content":""}), None),
        chunk(json!({"content":"Hi"}), None),
        chunk(json!({}), Some("content_filter")),
    );
    let out = run_stream(&body, 5).await.unwrap();
    assert_eq!(out.text, "Hi");
    assert_eq!(out.stop, StopReason::ContentFilter);
    assert_eq!(out.usage, Usage::default(), "no usage chunk was sent");
    assert_eq!(first_output_event(&body), Some(1));
}

#[tokio::test]
async fn openrouter_mid_stream_error_chunk() {
    let usage = json!({"id":"c","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":3}});
    let error = json!({"id":"c","object":"chat.completion.chunk","provider":"Chutes",
        "error":{"code":502,"message":"Provider returned error"},
        "choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]});
    let body = format!("{}data: {usage}\n\ndata: {error}\n\n", chunk(json!({"content":"Par"}), None));
    let err = run_stream(&body, 3).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Server);
    assert!(err.message.contains("Provider returned error"));
    assert_eq!(err.partial_usage, Some(Usage { input: 40, output: 3, ..Usage::default() }));

    let quota = json!({"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}});
    let err = run_stream(&format!("event: error\ndata: {quota}\n\n"), 1).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::QuotaExhausted);
}

#[tokio::test]
async fn cut_before_done_without_finish_is_truncated() {
    let body = format!("{}{}", chunk(json!({"content":"Hel"}), None), chunk(json!({"content":"lo"}), None));
    let err = run_stream(&body, 2).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream);
    assert_eq!(err.partial_usage, Some(Usage::default()));
    // Cut mid-line.
    let err = run_stream(&body[..body.len() - 8], 2).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream);
    // With a finish_reason but no [DONE] and no trailing blank line: complete.
    let body = format!("{}{}", chunk(json!({"content":"Hello"}), None), chunk(json!({}), Some("stop")));
    let out = run_stream(body.trim_end(), 2).await;
    assert_eq!(out.unwrap_err().class, ErrorClass::TruncatedStream, "the final line was cut: not trusted");
    let out = run_stream(&body[..body.len() - 1], 2).await.unwrap();
    assert_eq!((out.text.as_str(), out.stop), ("Hello", StopReason::EndTurn));
}

/// A chunk as llama-cpp-python 0.3.x streams them: `id`, `model`, `created`, no `system_fingerprint`.
fn llama_chunk(delta: serde_json::Value) -> String {
    let c = json!({"id":"chatcmpl-9f1c","object":"chat.completion.chunk","created":1750000000,
        "model":"SmolLM2-135M-Instruct","choices":[{"index":0,"delta":delta,"logprobs":null,"finish_reason":null}]});
    format!("data: {c}\n\n")
}

#[tokio::test]
async fn done_without_finish_reason_is_a_cut_stream_not_an_answer() {
    // What llama-cpp-python sends when a second request arrives mid-answer: no finish_reason, no
    // usage, then [DONE] and a clean end of the body.
    let body = format!(
        "{}{}{}data: [DONE]\n\n",
        llama_chunk(json!({"role":"assistant"})),
        llama_chunk(json!({"content":"The answer"})),
        llama_chunk(json!({"content":" is"})),
    );
    for pieces in [1, 3, 7] {
        let err = run_stream(&body, pieces).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::TruncatedStream, "{err}");
        assert!(err.message.contains("[DONE] but no finish_reason"), "{}", err.message);
        assert_eq!(err.partial_usage, Some(Usage::default()), "nothing was reported");
    }
    assert!(err_is_retryable(&body).await);
}

async fn err_is_retryable(body: &str) -> bool {
    run_stream(body, 1).await.unwrap_err().class.is_retryable()
}

#[tokio::test]
async fn done_only_and_empty_choices_streams_are_cut() {
    for body in [
        "data: [DONE]\n\n".to_string(),
        ": keep-alive\n\ndata: [DONE]\n\n".to_string(),
        // A gateway that swallowed an upstream error.
        "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\ndata: [DONE]\n\n"
            .to_string(),
        // The same without [DONE], and an empty finish_reason is no reason either.
        "data: {\"id\":\"gen-1\",\"choices\":[]}\n\n".to_string(),
        chunk(json!({"content":"x"}), Some("")) + "data: [DONE]\n\n",
        String::new(),
    ] {
        let err = run_stream(&body, 2).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::TruncatedStream, "{body:?}: {err}");
    }
}

#[tokio::test]
async fn cut_stream_keeps_the_usage_reported_before_done() {
    let usage = json!({"id":"c","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":2}});
    let body = format!("{}data: {usage}\n\ndata: [DONE]\n\n", chunk(json!({"content":"Hel"}), None));
    let err = run_stream(&body, 2).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream);
    assert_eq!(err.partial_usage, Some(Usage { input: 30, output: 2, ..Usage::default() }));
}

#[tokio::test]
async fn identity_comes_from_the_first_chunk_that_has_it() {
    let first = json!({"id":"","model":"","choices":[{"index":0,"delta":{"role":"assistant"}}]});
    let second = json!({"id":"chatcmpl-7","model":"qwen3-coder-plus","system_fingerprint":"fp_a",
        "choices":[{"index":0,"delta":{"content":"ok"}}]});
    let third = json!({"id":"chatcmpl-8","model":"other","system_fingerprint":"fp_b",
        "choices":[{"index":0,"delta":{},"finish_reason":"stop"}]});
    let body = format!("data: {first}\n\ndata: {second}\n\ndata: {third}\n\ndata: [DONE]\n\n");
    let out = run_stream(&body, 3).await.unwrap();
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-7"));
    // An id of another type is not worth failing an answer over.
    let odd = body
        .replace(r#""id":"chatcmpl-7""#, r#""id":7"#)
        .replace(r#""system_fingerprint":"fp_a""#, r#""system_fingerprint":null"#);
    let odd_out = run_stream(&odd, 1).await.unwrap();
    assert_eq!(
        (odd_out.response_id.as_deref(), odd_out.system_fingerprint.as_deref()),
        (Some("chatcmpl-8"), Some("fp_b"))
    );
    let body_json = json!({"id": 12, "choices": [{"message": {"content": "x"}, "finish_reason": "stop"}]});
    assert_eq!(parse_completion(body_json.to_string().as_bytes(), 1.0).unwrap().response_id, None);
    assert_eq!(out.model.as_deref(), Some("qwen3-coder-plus"));
    assert_eq!(out.system_fingerprint.as_deref(), Some("fp_a"));
}

#[tokio::test]
async fn http_usage_is_estimated_when_the_server_reports_none() {
    // llama-cpp-python ignores stream_options.include_usage: a complete stream without usage.
    let body = format!(
        "{}{}{}data: [DONE]\n\n",
        llama_chunk(json!({"role":"assistant"})),
        llama_chunk(json!({"content":"The answer is 4."})),
        chunk(json!({}), Some("stop")),
    );
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 2)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let mut req = request(vec![Message::user("What is 2 + 2?")]);
    req.system = Some("Answer with a number.".into());
    let out = provider.complete(&req).await.unwrap();
    assert!(out.usage_estimated);
    assert_eq!(out.usage.output, crate::core::count_o200k("The answer is 4."));
    assert_eq!(out.usage.input, crate::provider::tokens::request_tokens(&req));
    assert!(out.usage.input > crate::core::count_o200k("What is 2 + 2?"));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-9f1c"));
    assert_eq!(out.model.as_deref(), Some("SmolLM2-135M-Instruct"));

    // Reported usage is kept as reported, even when small.
    let usage = json!({"id":"c","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":1}});
    let body = format!("{}data: {usage}\n\ndata: [DONE]\n\n", chunk(json!({"content":"4"}), Some("stop")));
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 2)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let out = provider.complete(&req).await.unwrap();
    assert!(!out.usage_estimated);
    assert_eq!(out.usage, Usage { input: 7, output: 1, ..Usage::default() });

    // A non-streamed body without usage is estimated too.
    let body = json!({"id":"chatcmpl-2","model":"m","choices":[{"index":0,
        "message":{"role":"assistant","content":"4"},"finish_reason":"stop"}]});
    let mock = fixtures::serve(MockReply::new(200, "application/json", &body.to_string(), 1)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, false), reqwest::Client::new());
    let out = provider.complete(&req).await.unwrap();
    assert!(out.usage_estimated);
    assert_eq!((out.usage.input, out.usage.output), (crate::provider::tokens::request_tokens(&req), 1));
    assert_eq!(out.response_id.as_deref(), Some("chatcmpl-2"));
}

#[tokio::test]
async fn http_cut_stream_after_done_is_truncated_not_estimated() {
    let body = format!(
        "{}{}data: [DONE]\n\n",
        llama_chunk(json!({"role":"assistant"})),
        llama_chunk(json!({"content":"The"}))
    );
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 2)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream, "{err}");
    assert!(err.class.signals_overload(), "a cut stream makes the scheduler back off");
}

#[tokio::test]
async fn invalid_json_chunk_is_bad_response() {
    let body = format!("{}data: {{\"choices\": [\n\n", chunk(json!({"content":"a"}), None));
    let err = run_stream(&body, 1).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse);
}

#[tokio::test]
async fn tool_calls_without_index_or_id() {
    let body = format!(
        "{}{}{}{}{}data: [DONE]\n\n",
        chunk(
            json!({"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{\"x\""}}]}),
            None
        ),
        chunk(json!({"tool_calls":[{"function":{"arguments":":1}"}}]}), None),
        chunk(json!({"tool_calls":[{"id":"b","function":{"name":"g","arguments":""}}]}), None),
        chunk(json!({"tool_calls":[{"index":2,"function":{"name":"h","arguments":"not json"}}]}), None),
        chunk(json!({}), Some("tool_calls")),
    );
    let out = run_stream(&body, 3).await.unwrap();
    let calls: Vec<_> =
        out.tool_calls.iter().map(|c| (c.id.as_str(), c.name.as_str(), c.arguments.clone())).collect();
    assert_eq!(
        calls,
        [("a", "f", json!({"x": 1})), ("b", "g", json!({})), ("call_2", "h", json!("not json"))]
    );
}

#[test]
fn finish_reasons() {
    let cases = [
        (Some("stop"), StopReason::EndTurn),
        (Some("length"), StopReason::MaxTokens),
        (Some("tool_calls"), StopReason::ToolUse),
        (Some("function_call"), StopReason::ToolUse),
        (Some("content_filter"), StopReason::ContentFilter),
        (Some("sensitive"), StopReason::ContentFilter),
        (Some("insufficient_system_resource"), StopReason::Other("insufficient_system_resource".into())),
        (None, StopReason::Unknown),
    ];
    for (wire, want) in cases {
        assert_eq!(stop_reason(wire), want);
    }
}

#[test]
fn request_body_with_system_tools_calls_and_results() {
    let mut ep = endpoint("https://api.openai.com/v1/", true);
    ep.max_tokens_field = MaxTokensField::MaxCompletionTokens;
    ep.extra_body.insert("reasoning_effort".into(), json!("low"));
    ep.extra_body
        .insert("stream_options".into(), json!({"include_usage": true, "include_obfuscation": false}));
    let mut req = request(vec![
        Message::user("Weather in SF?"),
        Message {
            role: Role::Assistant,
            content: String::new(),
            tool_calls: vec![
                ToolCall { id: "call_1".into(), name: "weather".into(), arguments: json!({"city": "SF"}) },
                ToolCall {
                    id: "functions.weather:1".into(),
                    name: "weather".into(),
                    arguments: json!("{bad"),
                },
            ],
            tool_call_id: None,
            ..Message::default()
        },
        Message::tool_result("call_1", "18C", false),
        Message::tool_result("functions.weather:1", "error", false),
        Message::assistant("It is 18C."),
    ]);
    req.system = Some("Be terse.".into());
    req.top_p = Some(0.9);
    req.tools = vec![ToolSpec {
        name: "weather".into(),
        description: "Get the weather".into(),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
    }];
    let expected = json!({
        "model": "gpt-test",
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Weather in SF?"},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"SF\"}"}},
                {"id": "functions.weather:1", "type": "function", "function": {"name": "weather", "arguments": "{bad"}},
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
            {"role": "tool", "tool_call_id": "functions.weather:1", "content": "error"},
            {"role": "assistant", "content": "It is 18C."},
        ],
        "tools": [{"type": "function", "function": {"name": "weather", "description": "Get the weather",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
        "max_completion_tokens": 128,
        "top_p": 0.9,
        "stream": true,
        "stream_options": {"include_usage": true, "include_obfuscation": false},
        "reasoning_effort": "low",
    });
    assert_eq!(build_body(&ep, &req), expected);

    ep.stream = false;
    ep.max_tokens_field = MaxTokensField::MaxTokens;
    ep.extra_body.clear();
    let plain = build_body(&ep, &request(vec![Message::user("hi")]));
    assert_eq!(
        plain,
        json!({"model": "gpt-test", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 128})
    );
    assert_eq!(
        OpenAiProvider::new(ep, reqwest::Client::new()).url,
        "https://api.openai.com/v1/chat/completions"
    );
}

#[test]
fn auth_headers() {
    let mut ep = endpoint("http://x", true);
    let h = request_headers(&ep, OpenAi::FIXED_HEADERS).unwrap();
    assert_eq!(h["authorization"], "Bearer sk-test-secret");
    assert!(h["authorization"].is_sensitive());
    assert!(!h.contains_key("x-api-key"));
    assert_eq!(h["openai-project"], "proj_1");
    ep.auth = AuthStyle::XApiKey;
    let h = request_headers(&ep, OpenAi::FIXED_HEADERS).unwrap();
    assert!(!h.contains_key("authorization"));
    assert_eq!(h["x-api-key"], "sk-test-secret");
    ep.api_key = None;
    assert!(!request_headers(&ep, OpenAi::FIXED_HEADERS).unwrap().contains_key("x-api-key"));
    ep.headers.push(("bad header".into(), "v".into()));
    assert_eq!(request_headers(&ep, OpenAi::FIXED_HEADERS).unwrap_err().class, ErrorClass::InvalidRequest);
}

#[tokio::test]
async fn http_streaming_end_to_end() {
    let Some(body) = fixtures::sse("glm_stream_reasoning_tool_call.sse") else { return };
    let mock = fixtures::serve(MockReply::new(200, "text/event-stream", &body, 25)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let out = provider.complete(&request(vec![Message::user("weather?")])).await.unwrap();
    assert_eq!(out.tool_calls[0].arguments, json!({"location": "Florence"}));
    let ttft = out.ttft_ms.unwrap();
    assert!(ttft > 0.0 && ttft < out.latency_ms, "{ttft} vs {}", out.latency_ms);
    let again = provider.complete(&request(vec![Message::user("weather?")])).await.unwrap();
    assert_eq!(again.text, out.text);
    assert_eq!(mock.connections.load(std::sync::atomic::Ordering::SeqCst), 1, "connection reused");
    let seen = mock.last();
    assert_eq!(seen.path, "/chat/completions");
    assert_eq!(seen.headers["authorization"], "Bearer sk-test-secret");
    assert_eq!(seen.headers["openai-project"], "proj_1");
    assert_eq!(seen.body["stream_options"], json!({"include_usage": true}));
    assert_eq!(seen.body["max_tokens"], json!(128));
}

#[tokio::test]
async fn http_non_streaming_and_errors() {
    let Some(raw) = fixtures::text("deepseek_reasoner_response.json") else { return };
    let mock = fixtures::serve(MockReply::new(200, "application/json", &format!("\n\n{raw}"), 3)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, false), reqwest::Client::new());
    let out = provider.complete(&request(vec![Message::user("hello")])).await.unwrap();
    assert_eq!(out.text, "Hello! How can I assist you today?");
    assert_eq!(out.ttft_ms, None);

    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let mock = fixtures::serve(MockReply::new(502, "text/html", html, 1)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hello")])).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::Server, Some(502)));
    assert_eq!(err.message, "502 Bad Gateway 502 Bad Gateway nginx");

    let body = r#"{"error":{"message":"Rate limit reached. Please try again in 20s.","type":"requests","code":"rate_limit_exceeded"}}"#;
    let mut reply = MockReply::new(429, "application/json", body, 1);
    reply.headers.push(("retry-after-ms".into(), "750".into()));
    let mock = fixtures::serve(reply).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hello")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::RateLimited);
    assert_eq!(err.retry_after, Some(std::time::Duration::from_millis(750)), "the header wins over the text");

    // A server that echoes the rejected key back in full: the key must not reach the error.
    let body = r#"{"error":{"message":"Incorrect API key provided: sk-test-secret.","type":"invalid_request_error","code":"invalid_api_key"}}"#;
    let mock = fixtures::serve(MockReply::new(401, "application/json", body, 1)).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hello")])).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::Auth, Some(401)));
    assert!(!err.to_string().contains("sk-test-secret"));
    assert!(err.message.contains("Incorrect API key provided: ***."), "{}", err.message);
}

#[tokio::test]
async fn http_connection_cut_mid_stream_is_truncated() {
    let body =
        format!("{}{}", chunk(json!({"content":"Hello"}), None), chunk(json!({"content":" wor"}), None));
    let mut reply = MockReply::new(200, "text/event-stream", &body, 2);
    reply.cut = true;
    let mock = fixtures::serve(reply).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, true), reqwest::Client::new());
    let err = provider.complete(&request(vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::TruncatedStream, "{err}");
    assert!(err.partial_usage.is_some());
}
