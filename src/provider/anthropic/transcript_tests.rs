//! Multi-turn tool conversations on the Anthropic wire: reasoning blocks captured with their signatures
//! (streamed and not), echoed per `reasoning_echo`, tool results with `is_error` in one user turn, and
//! `tool_choice`; checked against the recorded exchanges.

use serde_json::{Value, json};

use super::tests::{endpoint, request, run_stream};
use super::*;
use crate::core::{StopReason, ToolSpec};
use crate::provider::sse::fixtures;

/// The signature the recorded claude-sonnet-4 stream ends its thinking block with.
const RECORDED_SIGNATURE_START: &str = "EtYDCkYICxgCKkAVHEWRYo6RgSMs4ZZDX4gW16kdfp2EIXftcLesVephGa";

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "weather".into(),
        description: "Get weather information for a location".into(),
        parameters: json!({"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}),
    }
}

fn body_with(echo: ReasoningEcho, messages: Vec<Message>) -> Value {
    let mut ep = endpoint("https://api.anthropic.com", false);
    ep.reasoning_echo = echo;
    build_body(&ep, &request(messages))
}

#[test]
fn recorded_tool_exchange_round_trips_through_the_neutral_transcript() {
    let (Some(first), Some(second)) =
        (fixtures::json("anthropic_tool_use.json"), fixtures::json("anthropic_tool_result_roundtrip.json"))
    else {
        return;
    };
    let tool = &first["request"]["tools"][0];
    let mut req = request(vec![Message::user("What is the weather in SF?")]);
    req.max_tokens = 1024;
    req.tools = vec![ToolSpec {
        name: "get_weather".into(),
        description: tool["description"].as_str().unwrap().into(),
        parameters: tool["input_schema"].clone(),
    }];
    let mut ep = endpoint("https://api.anthropic.com", false);
    ep.model = "claude-haiku-4-5".into();
    assert_eq!(build_body(&ep, &req), first["request"], "the first request, exactly as recorded");

    // The answer becomes the transcript's assistant turn as the turn loop makes it; the tool failed.
    let answer = parse_message(first["response"].to_string().as_bytes(), 1.0).unwrap();
    req.messages.push(answer.assistant_message());
    let error = "RuntimeError('Unexpected error, try again')";
    req.messages.push(Message::tool_result(answer.tool_calls[0].id.clone(), error, true));
    let mut expected = second["request"].clone();
    // `caller` is a response-only field the SDK echoed back; the neutral transcript does not keep it.
    expected["messages"][1]["content"][0].as_object_mut().unwrap().remove("caller");
    assert_eq!(build_body(&ep, &req), expected);
}

#[tokio::test]
async fn streamed_thinking_is_captured_signed_and_echoed_unchanged_before_the_tool_use() {
    let Some(body) = fixtures::sse("anthropic_stream_thinking_tool_use.sse") else { return };
    let answer = run_stream(&body, 7).await.unwrap();
    let [Reasoning::Thinking { text, signature: Some(signature) }] = answer.reasoning_blocks.as_slice()
    else {
        panic!("one signed thinking block expected: {:?}", answer.reasoning_blocks);
    };
    assert_eq!(text, &answer.reasoning);
    let recorded = fixtures::events(&body)
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(&e.data).ok())
        .find(|data| data["delta"]["type"] == "signature_delta")
        .map(|data| data["delta"]["signature"].as_str().unwrap().to_string())
        .unwrap();
    assert!(recorded.starts_with(RECORDED_SIGNATURE_START));
    assert_eq!(signature, &recorded, "the whole signature, byte for byte");

    let call_id = answer.tool_calls[0].id.clone();
    let transcript = vec![
        Message::user("What's the weather in Florence, Italy?"),
        answer.assistant_message(),
        Message::tool_result(call_id.clone(), "40 C and sunny", false),
    ];
    let sent = body_with(ReasoningEcho::All, transcript.clone());
    assert_eq!(
        sent["messages"],
        json!([
            {"role": "user", "content": "What's the weather in Florence, Italy?"},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": answer.reasoning, "signature": signature},
                {"type": "tool_use", "id": "toolu_01Js4AMfx5qpTLhwTusnvT68", "name": "weather",
                 "input": {"location": "Florence, Italy"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": call_id, "content": "40 C and sunny"},
            ]},
        ])
    );
    // `tool_calls` echoes it too (the turn called a tool); `none` leaves it out.
    assert_eq!(body_with(ReasoningEcho::ToolCalls, transcript.clone())["messages"], sent["messages"]);
    let bare = body_with(ReasoningEcho::None, transcript);
    assert_eq!(bare["messages"][1]["content"].as_array().unwrap().len(), 1);
    assert_eq!(bare["messages"][1]["content"][0]["type"], "tool_use");
}

#[test]
fn non_streamed_thinking_and_redacted_blocks_are_kept_in_order() {
    let body = json!({"type": "message", "model": "m", "stop_reason": "tool_use",
    "usage": {"input_tokens": 5, "output_tokens": 9},
    "content": [
        {"type": "thinking", "thinking": "Look it up.", "signature": "c2lnLTE="},
        {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"location": "Rome"}},
    ]});
    let answer = parse_message(body.to_string().as_bytes(), 1.0).unwrap();
    assert_eq!(
        answer.reasoning_blocks,
        vec![
            Reasoning::Thinking { text: "Look it up.".into(), signature: Some("c2lnLTE=".into()) },
            Reasoning::Redacted { data: "EmwKAhgBEgy3va3pzix/LafPsn4a".into() },
        ]
    );
    let sent = body_with(ReasoningEcho::All, vec![Message::user("Rome?"), answer.assistant_message()]);
    assert_eq!(
        sent["messages"][1]["content"],
        json!([
            {"type": "thinking", "thinking": "Look it up.", "signature": "c2lnLTE="},
            {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"location": "Rome"}},
        ])
    );
}

#[tokio::test]
async fn streamed_redacted_thinking_and_split_signatures_are_whole() {
    let events = [
        r#"{"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3}}}"#,
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"b3BhcXVl"}}"#,
        r#"{"type":"content_block_stop","index":0}"#,
        r#"{"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
        r#"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"Two "}}"#,
        r#"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"parts."}}"#,
        r#"{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"c2ln"}}"#,
        r#"{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"LTI="}}"#,
        r#"{"type":"content_block_stop","index":1}"#,
        r#"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#,
        r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Done."}}"#,
        r#"{"type":"content_block_stop","index":2}"#,
        r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}"#,
        r#"{"type":"message_stop"}"#,
    ];
    let body: String = events.iter().map(|data| format!("data: {data}\n\n")).collect();
    let answer = run_stream(&body, 5).await.unwrap();
    assert_eq!((answer.text.as_str(), answer.reasoning.as_str()), ("Done.", "Two parts."));
    assert_eq!(
        answer.reasoning_blocks,
        vec![
            Reasoning::Redacted { data: "b3BhcXVl".into() },
            Reasoning::Thinking { text: "Two parts.".into(), signature: Some("c2lnLTI=".into()) },
        ]
    );
    assert_eq!(answer.stop, StopReason::EndTurn);
}

#[test]
fn reasoning_echo_decides_which_assistant_turns_carry_their_thinking() {
    let signed =
        |text: &str| Reasoning::Thinking { text: text.into(), signature: Some(format!("sig-{text}")) };
    let call =
        ToolCall { id: "toolu_1".into(), name: "weather".into(), arguments: json!({"location": "Oslo"}) };
    let transcript = vec![
        Message::user("Hi"),
        Message { reasoning: vec![signed("greet")], ..Message::assistant("Hello.") },
        Message::user("Weather in Oslo?"),
        Message { reasoning: vec![signed("call")], tool_calls: vec![call], ..Message::assistant("") },
        Message::tool_result("toolu_1", "no such city", true),
    ];
    let thinking_of = |body: &Value, at: usize| -> Vec<String> {
        match &body["messages"][at]["content"] {
            Value::Array(blocks) => blocks
                .iter()
                .filter(|b| b["type"] == "thinking")
                .map(|b| b["signature"].as_str().unwrap().to_string())
                .collect(),
            _ => Vec::new(),
        }
    };
    let all = body_with(ReasoningEcho::All, transcript.clone());
    assert_eq!(
        (thinking_of(&all, 1), thinking_of(&all, 3)),
        (vec!["sig-greet".into()], vec!["sig-call".into()])
    );
    assert_eq!(all["messages"][1]["content"][1], json!({"type": "text", "text": "Hello."}));
    let tool_turns = body_with(ReasoningEcho::ToolCalls, transcript.clone());
    assert_eq!(tool_turns["messages"][1]["content"], json!("Hello."), "a text turn stays a plain string");
    assert_eq!(thinking_of(&tool_turns, 3), vec!["sig-call".to_string()]);
    let none = body_with(ReasoningEcho::None, transcript);
    assert_eq!((thinking_of(&none, 1), thinking_of(&none, 3)), (vec![], vec![]));
    assert_eq!(
        none["messages"][4]["content"],
        json!([{"type": "tool_result", "tool_use_id": "toolu_1", "content": "no such city", "is_error": true}])
    );
}

#[test]
fn tool_choice_maps_to_anthropic_objects_and_only_goes_with_tools() {
    let cases = [
        (ToolChoice::Auto, json!({"type": "auto"})),
        (ToolChoice::Required, json!({"type": "any"})),
        (ToolChoice::None, json!({"type": "none"})),
        (ToolChoice::Tool("weather".into()), json!({"type": "tool", "name": "weather"})),
    ];
    let ep = endpoint("https://api.anthropic.com", true);
    for (choice, wire) in cases {
        let mut req = request(vec![Message::user("Weather?")]);
        req.tools = vec![weather_tool()];
        req.tool_choice = Some(choice.clone());
        assert_eq!(build_body(&ep, &req)["tool_choice"], wire, "{choice:?}");
        req.tools.clear();
        assert!(build_body(&ep, &req).get("tool_choice").is_none(), "no tools, no tool_choice");
    }
    let mut req = request(vec![Message::user("Weather?")]);
    req.tools = vec![weather_tool()];
    assert!(build_body(&ep, &req).get("tool_choice").is_none(), "absent: the API's default");
}
