//! Multi-turn tool conversations on the Chat Completions wire: first requests rebuilt exactly as the
//! recordings sent them, answers turned into transcript turns, and follow-ups with `role: tool`
//! results, JSON-string arguments and `reasoning_content` per `reasoning_echo`.

use serde_json::{Value, json};

use super::tests::{endpoint, request, run_stream};
use super::*;
use crate::core::ToolSpec;
use crate::provider::sse::fixtures;

/// The recordings' weather tool, as the neutral request offers it.
fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "weather".into(),
        description: "Get weather information for a location".into(),
        parameters: json!({"properties": {"location": {"description": "the city", "type": "string"}},
                           "required": ["location"], "type": "object"}),
    }
}

/// A recorded request without the `strict: false` its client added to every tool (a field the
/// neutral tool spec does not carry).
fn without_strict(mut recorded: Value) -> Value {
    for tool in recorded["tools"].as_array_mut().unwrap() {
        tool["function"].as_object_mut().unwrap().remove("strict");
    }
    recorded
}

/// The recordings' first request: system, user question, the weather tool, tool_choice auto.
fn first_request(question: &str, model: &str, stream: bool) -> (Endpoint, ChatRequest) {
    let mut ep = endpoint("https://api.example.com/v1", stream);
    ep.model = model.into();
    let mut req = request(vec![Message::user(question)]);
    req.system = Some("You are a helpful assistant".into());
    req.tools = vec![weather_tool()];
    req.tool_choice = Some(ToolChoice::Auto);
    req.max_tokens = 4000;
    (ep, req)
}

#[test]
fn glm_exchange_sends_reasoning_content_back_with_the_tool_call() {
    let (Some(recorded), Some(answer)) = (
        fixtures::recorded_request("glm_chat_tool_call.json.txt"),
        fixtures::json("glm_chat_tool_call.json.txt"),
    ) else {
        return;
    };
    let (mut ep, mut req) = first_request("What's the weather in Florence,Italy?", "glm-4.7-flash", false);
    assert_eq!(build_body(&ep, &req), without_strict(recorded), "the first request, as recorded");

    let answer = parse_completion(answer.to_string().as_bytes(), 1.0).unwrap();
    req.messages.push(answer.assistant_message());
    req.messages.push(Message::tool_result("call_-7807249954186984837", "Sunny, 24 C", false));
    ep.reasoning_echo = ReasoningEcho::ToolCalls;
    let sent = build_body(&ep, &req);
    assert_eq!(
        sent["messages"].as_array().unwrap()[2..],
        [
            json!({
                "role": "assistant",
                "content": "I'll check the weather in Florence, Italy for you.",
                "reasoning_content": answer.reasoning,
                "tool_calls": [{"id": "call_-7807249954186984837", "type": "function",
                                "function": {"name": "weather", "arguments": "{\"location\":\"Florence,Italy\"}"}}],
            }),
            json!({"role": "tool", "tool_call_id": "call_-7807249954186984837", "content": "Sunny, 24 C"}),
        ]
    );
    ep.reasoning_echo = ReasoningEcho::None;
    assert!(build_body(&ep, &req)["messages"][2].get("reasoning_content").is_none());
}

#[tokio::test]
async fn glm_stream_exchange_round_trips() {
    let (Some(recorded), Some(body)) = (
        fixtures::recorded_request("glm_stream_reasoning_tool_call.sse"),
        fixtures::sse("glm_stream_reasoning_tool_call.sse"),
    ) else {
        return;
    };
    let (mut ep, mut req) = first_request("What's the weather in Florence, Italy?", "glm-4.7-flash", true);
    ep.extra_body.insert("reasoning_effort".into(), json!("high"));
    let mut first = build_body(&ep, &req);
    // The recording's client set no output budget; bench always sends one.
    assert_eq!(first.as_object_mut().unwrap().remove("max_tokens"), Some(json!(4000)));
    assert_eq!(first, without_strict(recorded), "the first request, as recorded");

    let answer = run_stream(&body, 6).await.unwrap();
    req.messages.push(answer.assistant_message());
    req.messages.push(Message::tool_result(answer.tool_calls[0].id.clone(), "Sunny", false));
    ep.reasoning_echo = ReasoningEcho::ToolCalls;
    let sent = build_body(&ep, &req);
    let turn = &sent["messages"][2];
    assert_eq!(turn["reasoning_content"], json!(answer.reasoning));
    assert!(turn["reasoning_content"].as_str().unwrap().starts_with("The user is asking about the weather"));
    assert_eq!(turn["tool_calls"][0]["function"]["arguments"], json!("{\"location\":\"Florence\"}"));
    assert_eq!(sent["messages"][3]["tool_call_id"], json!("call_330c741a86144cb7a385bc6d"));
}

#[tokio::test]
async fn kimi_stream_exchange_keeps_opaque_ids_and_reasoning() {
    let (Some(recorded), Some(body)) = (
        fixtures::recorded_request("openrouter_kimi_stream_tool_call.sse"),
        fixtures::sse("openrouter_kimi_stream_tool_call.sse"),
    ) else {
        return;
    };
    let (mut ep, mut req) =
        first_request("What's the weather in Florence,Italy?", "moonshotai/kimi-k2.5", true);
    ep.extra_body.insert("usage".into(), json!({"include": true}));
    assert_eq!(build_body(&ep, &req), without_strict(recorded), "the first request, as recorded");

    let answer = run_stream(&body, 9).await.unwrap();
    req.messages.push(answer.assistant_message());
    req.messages.push(Message::tool_result("functions.weather:0", "Sunny", false));
    ep.reasoning_echo = ReasoningEcho::ToolCalls;
    let sent = build_body(&ep, &req);
    assert_eq!(
        sent["messages"][2],
        json!({"role": "assistant", "content": null, "reasoning_content": answer.reasoning,
               "tool_calls": [{"id": "functions.weather:0", "type": "function",
                               "function": {"name": "weather", "arguments": "{\"location\":\"Florence,Italy\"}"}}]})
    );
    assert_eq!(
        sent["messages"][3],
        json!({"role": "tool", "tool_call_id": "functions.weather:0", "content": "Sunny"})
    );
}

#[tokio::test]
async fn parallel_calls_go_back_together_in_call_order() {
    let Some(body) = fixtures::sse("openai_stream_tool_call_parallel.sse") else { return };
    let answer = run_stream(&body, 3).await.unwrap();
    let mut req = request(vec![Message::user("Weather in Edinburgh and the AAPL price?")]);
    req.messages.push(answer.assistant_message());
    for (call, result) in answer.tool_calls.iter().zip(["12 C", "227.5"]) {
        req.messages.push(Message::tool_result(call.id.clone(), result, false));
    }
    let sent = build_body(&endpoint("https://api.openai.com/v1", true), &req);
    let messages = sent["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 4);
    assert_eq!(messages[1]["tool_calls"][0]["id"], "call_JMW1whyEaYG438VE1OIflxA2");
    assert_eq!(messages[1]["tool_calls"][1]["id"], "call_DNYTawLBoN8fj3KN6qU9N1Ou");
    assert_eq!(
        serde_json::from_str::<Value>(
            messages[1]["tool_calls"][1]["function"]["arguments"].as_str().unwrap()
        )
        .unwrap(),
        json!({"ticker": "AAPL", "exchange": "NASDAQ"}),
        "arguments travel as a JSON string"
    );
    assert_eq!(
        messages[2..],
        [
            json!({"role": "tool", "tool_call_id": "call_JMW1whyEaYG438VE1OIflxA2", "content": "12 C"}),
            json!({"role": "tool", "tool_call_id": "call_DNYTawLBoN8fj3KN6qU9N1Ou", "content": "227.5"}),
        ]
    );
}

#[test]
fn deepseek_text_turns_keep_their_reasoning_only_under_all() {
    let Some(raw) = fixtures::text("deepseek_reasoner_response.json") else { return };
    let answer = parse_completion(raw.as_bytes(), 1.0).unwrap();
    let req = request(vec![Message::user("hello"), answer.assistant_message(), Message::user("And now?")]);
    let mut ep = endpoint("https://api.deepseek.com", false);
    for (echo, carries) in
        [(ReasoningEcho::None, false), (ReasoningEcho::ToolCalls, false), (ReasoningEcho::All, true)]
    {
        ep.reasoning_echo = echo;
        let turn = &build_body(&ep, &req)["messages"][1];
        assert_eq!(turn["content"], "Hello! How can I assist you today?");
        assert_eq!(turn.get("reasoning_content").is_some(), carries, "{echo:?}: {turn}");
    }
    assert!(
        build_body(&ep, &req)["messages"][1]["reasoning_content"]
            .as_str()
            .unwrap()
            .starts_with("Okay, the user")
    );
}

#[test]
fn signed_and_redacted_blocks_become_one_readable_reasoning_text() {
    let call = ToolCall { id: "c1".into(), name: "weather".into(), arguments: json!({"location": "Oslo"}) };
    let turn = Message {
        reasoning: vec![
            Reasoning::Thinking { text: "First, ".into(), signature: Some("sig".into()) },
            Reasoning::Redacted { data: "opaque".into() },
            Reasoning::Thinking { text: "then call.".into(), signature: None },
        ],
        tool_calls: vec![call],
        ..Message::assistant("")
    };
    assert_eq!(message(&turn, ReasoningEcho::ToolCalls)["reasoning_content"], "First, then call.");
    let only_redacted = Message { reasoning: vec![Reasoning::Redacted { data: "x".into() }], ..turn };
    assert!(message(&only_redacted, ReasoningEcho::All).get("reasoning_content").is_none());
}

#[test]
fn tool_choice_maps_to_openai_values_and_only_goes_with_tools() {
    let cases = [
        (ToolChoice::Auto, json!("auto")),
        (ToolChoice::Required, json!("required")),
        (ToolChoice::None, json!("none")),
        (ToolChoice::Tool("weather".into()), json!({"type": "function", "function": {"name": "weather"}})),
    ];
    let ep = endpoint("https://api.openai.com/v1", false);
    for (choice, wire) in cases {
        let mut req = request(vec![Message::user("Weather?")]);
        req.tools = vec![weather_tool()];
        req.tool_choice = Some(choice.clone());
        assert_eq!(build_body(&ep, &req)["tool_choice"], wire, "{choice:?}");
        req.tools.clear();
        assert!(build_body(&ep, &req).get("tool_choice").is_none(), "no tools, no tool_choice");
    }
}
