//! What the shared HTTP exchange reads, and refuses to read, whatever the protocol.

use serde_json::{Map, json};

use super::*;
use crate::config::{MaxTokensField, ReasoningEcho};
use crate::core::Message;
use crate::provider::anthropic::Anthropic;
use crate::provider::openai::{OpenAi, OpenAiProvider};
use crate::provider::sse::fixtures::{self, MockReply};

fn endpoint(base_url: &str, stream: bool, max_answer_bytes: u64) -> Endpoint {
    Endpoint {
        base_url: base_url.to_string(),
        model: "m".to_string(),
        api_key: None,
        auth: AuthStyle::Bearer,
        headers: Vec::new(),
        extra_body: Map::new(),
        stream,
        max_tokens_field: MaxTokensField::MaxTokens,
        reasoning_echo: ReasoningEcho::None,
        max_answer_bytes,
    }
}

fn request() -> ChatRequest {
    ChatRequest {
        system: None,
        messages: vec![Message::user("hi")],
        tools: Vec::new(),
        max_tokens: 16,
        temperature: None,
        top_p: None,
        tool_choice: None,
        suite: "s".to_string(),
        task_id: "t".to_string(),
        sample: 0,
    }
}

async fn openai(reply: MockReply, stream: bool, limit: u64) -> Result<Outcome, ProviderError> {
    let mock = fixtures::serve(reply).await;
    let provider = OpenAiProvider::new(endpoint(&mock.base, stream, limit), reqwest::Client::new());
    provider.complete(&request()).await
}

/// An OpenAI answer whose text is `n` bytes of `x`, streamed or whole, in 8 KiB pieces.
fn long_answer(n: usize, stream: bool) -> MockReply {
    let text = "x".repeat(n);
    let (content_type, body) = if stream {
        let chunk = json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": "stop"}]});
        ("text/event-stream", format!("data: {chunk}\n\ndata: [DONE]\n\n"))
    } else {
        let body = json!({"choices": [{"index": 0, "message": {"content": text}, "finish_reason": "stop"}]});
        ("application/json", body.to_string())
    };
    MockReply::new(200, content_type, &body, body.len().div_ceil(8192))
}

#[tokio::test]
async fn an_answer_past_the_limit_is_bad_response_streamed_or_not() {
    for stream in [true, false] {
        let out = openai(long_answer(60_000, stream), stream, 64 * 1024).await.unwrap();
        assert_eq!(out.text.len(), 60_000, "under the limit: read whole (stream {stream})");
        let err = openai(long_answer(80_000, stream), stream, 64 * 1024).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::BadResponse, "stream {stream}: {err}");
        assert!(err.message.contains("65536 bytes") && err.message.contains("max_answer_mb"), "{err}");
        assert!(!err.class.is_retryable());
    }
    let err = openai(long_answer(3 << 20, false), false, 2 << 20).await.unwrap_err();
    assert!(err.message.starts_with("answer larger than 2 MiB"), "{err}");
}

#[tokio::test]
async fn an_error_body_is_read_only_as_far_as_classifying_needs() {
    // A 500 whose body goes on for 4 MB after the error object: classified from its start.
    let body =
        format!("{{\"error\":{{\"type\":\"api_error\",\"message\":\"boom\"}}}}{}", " ".repeat(4 << 20));
    let err = openai(MockReply::new(500, "application/json", &body, 512), true, 1 << 20).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::Server, Some(500)), "{err}");
    assert!(err.message.contains("api_error"), "{err}");
}

#[tokio::test]
async fn a_page_answered_200_to_a_stream_is_bad_response_with_an_excerpt() {
    let page =
        "<html><head><title>Sign in</title></head><body><p>Hotel Wi-Fi: accept the terms</p></body></html>";
    for content_type in ["text/html; charset=UTF-8", "text/plain"] {
        let err = openai(MockReply::new(200, content_type, page, 2), true, 1 << 20).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::BadResponse, "{err}");
        assert_eq!(
            err.message,
            format!(
                "expected an event stream, got {} instead: Sign in Hotel Wi-Fi: accept the terms",
                content_type.to_ascii_lowercase()
            )
        );
    }
    // No content type at all: the body itself says it is not SSE.
    let mut reply = MockReply::new(200, "text/html", page, 3);
    reply.headers.clear();
    let err = openai(reply, true, 1 << 20).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse, "{err}");
    assert!(err.message.contains("not SSE: Sign in Hotel Wi-Fi"), "{err}");
    // An event stream labelled as one still works, with or without the label.
    let mut reply = long_answer(10, true);
    reply.headers.clear();
    assert_eq!(openai(reply, true, 1 << 20).await.unwrap().text, "xxxxxxxxxx");
}

#[tokio::test]
async fn invalid_utf8_in_a_streamed_answer_is_bad_response_as_in_a_whole_one() {
    let mut reply = MockReply::new(200, "text/event-stream", "", 1);
    reply.chunks = vec![
        b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"4 \xFF\"}}]}\n\n".to_vec(),
        b"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
            .to_vec(),
    ];
    let err = openai(reply.clone(), true, 1 << 20).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse, "{err}");
    assert!(err.message.contains("UTF-8"), "{err}");
    reply.headers = vec![("content-type".into(), "application/json".into())];
    reply.chunks =
        vec![b"{\"choices\":[{\"message\":{\"content\":\"4 \xFF\"},\"finish_reason\":\"stop\"}]}".to_vec()];
    assert_eq!(openai(reply, false, 1 << 20).await.unwrap_err().class, ErrorClass::BadResponse);
}

#[tokio::test]
async fn a_404_names_the_url_with_its_credentials_masked() {
    let mock =
        fixtures::serve(MockReply::new(404, "application/json", r#"{"error":{"message":"nope"}}"#, 1)).await;
    let base = mock.base.replace("http://", "http://user:s3cret@") + "/v1?key=s3cret";
    let provider = OpenAiProvider::new(endpoint(&base, true, 1 << 20), reqwest::Client::new());
    let err = provider.complete(&request()).await.unwrap_err();
    assert_eq!(err.status, Some(404));
    assert!(!err.message.contains("s3cret"), "{err}");
    assert!(err.message.contains("/v1/chat/completions?key=***"), "{err}");
    assert_eq!(mock.last().path, "/v1/chat/completions?key=s3cret", "the request used the real URL");
}

#[test]
fn the_protocol_path_goes_before_the_query() {
    assert_eq!(
        OpenAi::url("https://h.example/v1?api-version=1"),
        "https://h.example/v1/chat/completions?api-version=1"
    );
    assert_eq!(OpenAi::url("http://u:p@127.0.0.1:8/v1/"), "http://u:p@127.0.0.1:8/v1/chat/completions");
    assert_eq!(Anthropic::url("https://h.example/v1?key=k"), "https://h.example/v1/messages?key=k");
    assert_eq!(Anthropic::url("https://h.example"), "https://h.example/v1/messages");
}
