//! Tool-call wiring against strict loopback servers, streamed and not: whole tool loops (two parallel
//! calls, one failing, then a final answer) driven through the real adapters, each follow-up checked
//! the way the providers check it. An Anthropic-shaped server rejects a `tool_result` without its
//! `tool_use_id` and a thinking block without its signature; an OpenAI-shaped one a tool message
//! without its `tool_call_id`; a Kimi-shaped one an assistant tool-call message without its
//! `reasoning_content`. Each rejection is shown to happen, so a passing loop means the wiring is right.

use std::sync::Arc;

use bench::core::{Message, Outcome, Reasoning, Role, ToolCall, ToolChoice, ToolSpec};
use bench::provider::{ChatRequest, ErrorClass, Provider, ProviderError, connect_named};
use serde_json::{Value, json};

use crate::Workspace;
use crate::server::{Reply, Request, Server};

/// What the servers' models think before calling; Kimi's must come back as `reasoning_content`.
const THINKING: &str = "Two cities: look both up at once.";
/// The signature the Anthropic-shaped server gives its thinking block: it must come back byte for byte.
const SIGNATURE: &str = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+q/0nQ=";
/// A redacted thinking block's payload, echoed back unchanged as well.
const REDACTED: &str = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP";
/// The final answer, after both tool results.
const FINAL: &str = "Oslo is 12 C; Atlantis is not a city I can look up.";

/// The test environment's one tool: weather by city, which fails for cities that do not exist.
fn weather(call: &ToolCall) -> (String, bool) {
    match call.arguments["city"].as_str() {
        Some("Oslo") => ("12 C, cloudy".into(), false),
        Some(other) => (format!("unknown city: {other}"), true),
        None => ("`city` is required".into(), true),
    }
}

fn question() -> ChatRequest {
    ChatRequest {
        system: Some("Answer with the tools.".into()),
        messages: vec![Message::user("Weather in Oslo and Atlantis?")],
        tools: vec![ToolSpec {
            name: "weather".into(),
            description: "Current weather of a city".into(),
            parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
        }],
        tool_choice: Some(ToolChoice::Auto),
        max_tokens: 2048,
        suite: "wiring".into(),
        task_id: "t1".into(),
        ..ChatRequest::default()
    }
}

/// Run the question as an episode, the way the turn loop does: each answer becomes an assistant turn
/// (reasoning kept), its calls run in order, and all results go back together in the next request.
async fn episode(provider: &dyn Provider) -> Result<Vec<Outcome>, ProviderError> {
    let mut req = question();
    let mut answers = Vec::new();
    while answers.len() < 4 {
        let answer = provider.complete(&req).await?;
        req.messages.push(answer.assistant_message());
        for call in &answer.tool_calls {
            let (content, is_error) = weather(call);
            req.messages.push(Message::tool_result(call.id.clone(), content, is_error));
        }
        let done = answer.tool_calls.is_empty();
        answers.push(answer);
        if done {
            return Ok(answers);
        }
    }
    panic!("no final answer after {} turns", answers.len())
}

/// A provider named `name` in a bench.toml pointing at `server`; no key is read or sent.
fn provider(ws: &Workspace, name: &str, table: &str, server: &Server) -> Arc<dyn Provider> {
    let config = format!(
        "[providers.{name}]\n{table}\nbase_url = \"{}\"\napi_key_env = \"BENCH_WIRING_UNSET_KEY\"\napi_key_required = false\n",
        server.url()
    );
    let path = ws.write("bench.toml", &config);
    connect_named(&path, name).unwrap()
}

fn assistant_turns(body: &Value) -> usize {
    body["messages"].as_array().unwrap().iter().filter(|m| m["role"] == "assistant").count()
}

fn rejected(status_body: Value) -> Reply {
    crate::server::json(400, status_body)
}

// ---- Anthropic ----

/// What a real Messages endpoint checks of a tool loop with thinking on.
fn check_anthropic(body: &Value) -> Result<(), String> {
    let thinking_on = body["thinking"]["type"] == "enabled";
    let mut pending: Vec<String> = Vec::new();
    for (i, message) in body["messages"].as_array().unwrap().iter().enumerate() {
        let blocks = message["content"].as_array().cloned().unwrap_or_default();
        if message["role"] == "assistant" {
            if !pending.is_empty() {
                return Err(format!(
                    "messages.{i}: tool_use ids were found without tool_result blocks: {pending:?}"
                ));
            }
            for block in &blocks {
                match block["type"].as_str() {
                    Some("thinking") if block["signature"] != SIGNATURE || block["thinking"] != THINKING => {
                        return Err(format!(
                            "messages.{i}: thinking block without its signature, or changed"
                        ));
                    }
                    Some("redacted_thinking") if block["data"] != REDACTED => {
                        return Err(format!("messages.{i}: redacted_thinking block changed"));
                    }
                    Some("tool_use") => pending.push(block["id"].as_str().unwrap_or_default().to_string()),
                    _ => {}
                }
            }
            let starts_thinking =
                blocks.first().is_some_and(|b| b["type"] == "thinking" || b["type"] == "redacted_thinking");
            if thinking_on && !pending.is_empty() && !starts_thinking {
                return Err(format!(
                    "messages.{i}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. \
                     When `thinking` is enabled, a final `assistant` message must start with a thinking block"
                ));
            }
        } else {
            for (j, block) in blocks.iter().enumerate().filter(|(_, b)| b["type"] == "tool_result") {
                let id = block["tool_use_id"].as_str().filter(|id| !id.is_empty());
                let Some(id) = id else {
                    return Err(format!("messages.{i}.content.{j}.tool_use_id: Field required"));
                };
                let Some(at) = pending.iter().position(|p| p == id) else {
                    return Err(format!(
                        "messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}"
                    ));
                };
                pending.remove(at);
            }
            if !pending.is_empty() {
                return Err(format!(
                    "messages.{i}: tool_use ids were found without tool_result blocks: {pending:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Turn 0: thinking (signed), redacted thinking, two parallel calls. Turn 1: the final answer.
fn anthropic_blocks(turn: usize) -> (Vec<Value>, &'static str) {
    match turn {
        0 => (
            vec![
                json!({"type": "thinking", "thinking": THINKING, "signature": SIGNATURE}),
                json!({"type": "redacted_thinking", "data": REDACTED}),
                json!({"type": "tool_use", "id": "toolu_01A", "name": "weather", "input": {"city": "Oslo"}}),
                json!({"type": "tool_use", "id": "toolu_01B", "name": "weather", "input": {"city": "Atlantis"}}),
            ],
            "tool_use",
        ),
        _ => (vec![json!({"type": "text", "text": FINAL})], "end_turn"),
    }
}

/// One block as stream events: start (empty), deltas in two pieces, stop.
fn anthropic_block_events(index: usize, block: &Value) -> Vec<Value> {
    let halves = |s: &str| {
        let cut = s.char_indices().nth(s.chars().count() / 2).map_or(0, |(i, _)| i);
        (s[..cut].to_string(), s[cut..].to_string())
    };
    let start =
        |content: Value| json!({"type": "content_block_start", "index": index, "content_block": content});
    let delta = |delta: Value| json!({"type": "content_block_delta", "index": index, "delta": delta});
    let mut events = match block["type"].as_str().unwrap() {
        "thinking" => {
            let (a, b) = halves(THINKING);
            vec![
                start(json!({"type": "thinking", "thinking": "", "signature": ""})),
                delta(json!({"type": "thinking_delta", "thinking": a})),
                delta(json!({"type": "thinking_delta", "thinking": b})),
                delta(json!({"type": "signature_delta", "signature": SIGNATURE})),
            ]
        }
        "tool_use" => {
            let (a, b) = halves(&block["input"].to_string());
            let mut head = block.clone();
            head["input"] = json!({});
            vec![
                start(head),
                delta(json!({"type": "input_json_delta", "partial_json": a})),
                delta(json!({"type": "input_json_delta", "partial_json": b})),
            ]
        }
        "text" => vec![
            start(json!({"type": "text", "text": ""})),
            delta(json!({"type": "text_delta", "text": block["text"]})),
        ],
        _ => vec![start(block.clone())],
    };
    events.push(json!({"type": "content_block_stop", "index": index}));
    events
}

fn anthropic_reply(req: &Request, turn: usize) -> Reply {
    let (blocks, stop) = anthropic_blocks(turn);
    let usage = json!({"input_tokens": 120, "output_tokens": 40});
    if !req.streams() {
        return crate::server::json(
            200,
            json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test", "content": blocks,
                   "stop_reason": stop, "stop_sequence": null, "usage": usage}),
        );
    }
    let mut events = vec![
        json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
        "model": "claude-test", "content": [], "stop_reason": null, "usage": {"input_tokens": 120, "output_tokens": 1}}}),
    ];
    for (index, block) in blocks.iter().enumerate() {
        events.extend(anthropic_block_events(index, block));
    }
    events.push(
        json!({"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 40}}),
    );
    events.push(json!({"type": "message_stop"}));
    let events =
        events.iter().map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap())).collect();
    Reply::Sse { events, gap: std::time::Duration::ZERO, cut_after: None }
}

fn anthropic_server() -> Server {
    Server::start(|req, _| match check_anthropic(&req.body) {
        Err(why) => {
            rejected(json!({"type": "error", "error": {"type": "invalid_request_error", "message": why}}))
        }
        Ok(()) => anthropic_reply(req, assistant_turns(&req.body)),
    })
}

const CLAUDE_TABLE: &str =
    "preset = \"claude\"\nextra_body = { thinking = { type = \"enabled\", budget_tokens = 1024 } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_tool_loop_echoes_signed_thinking_and_marks_failed_results() {
    for stream in [true, false] {
        let (server, ws) = (anthropic_server(), Workspace::new());
        let table = format!("{CLAUDE_TABLE}\nstream = {stream}");
        let claude = provider(&ws, "claude-strict", &table, &server);
        let answers = episode(claude.as_ref()).await.unwrap_or_else(|e| panic!("stream {stream}: {e}"));
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].reasoning_blocks.len(), 2, "thinking and redacted thinking kept");
        assert_eq!(answers[1].text, FINAL);

        let follow_up = &server.requests()[1].body;
        assert_eq!(follow_up["tool_choice"], json!({"type": "auto"}));
        assert_eq!(follow_up["messages"][1]["content"][0]["signature"], SIGNATURE, "stream {stream}");
        assert_eq!(
            follow_up["messages"][1]["content"][1],
            json!({"type": "redacted_thinking", "data": REDACTED})
        );
        assert_eq!(
            follow_up["messages"][2]["content"],
            json!([
                {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "12 C, cloudy"},
                {"type": "tool_result", "tool_use_id": "toolu_01B", "content": "unknown city: Atlantis", "is_error": true},
            ]),
            "both results of the parallel calls in one user turn, in call order"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_shaped_server_rejects_unsigned_thinking_missing_ids_and_unechoed_thinking() {
    let (server, ws) = (anthropic_server(), Workspace::new());
    let claude = provider(&ws, "claude-strict", CLAUDE_TABLE, &server);
    let call =
        ToolCall { id: "toolu_01A".into(), name: "weather".into(), arguments: json!({"city": "Oslo"}) };
    let calling = |signature: Option<&str>| Message {
        role: Role::Assistant,
        tool_calls: vec![call.clone()],
        reasoning: vec![Reasoning::Thinking {
            text: THINKING.into(),
            signature: signature.map(str::to_string),
        }],
        ..Message::default()
    };
    let mut unsigned = question();
    unsigned.messages.extend([calling(None), Message::tool_result("toolu_01A", "12 C", false)]);
    let err = claude.complete(&unsigned).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::InvalidRequest, Some(400)), "{err}");
    assert!(err.message.contains("thinking block without its signature"), "{err}");

    let mut no_id = question();
    let result = Message { tool_call_id: None, ..Message::tool_result("", "12 C", false) };
    no_id.messages.extend([calling(Some(SIGNATURE)), result]);
    let err = claude.complete(&no_id).await.unwrap_err();
    assert!(err.message.contains("tool_use_id: Field required"), "{err}");

    // With reasoning_echo = "none" the thinking block is not sent back, which the API refuses.
    let ws = Workspace::new();
    let table = format!("{CLAUDE_TABLE}\nreasoning_echo = \"none\"");
    let bare = provider(&ws, "claude-bare", &table, &server);
    let err = episode(bare.as_ref()).await.unwrap_err();
    assert!(err.message.contains("must start with a thinking block"), "{err}");
}

// ---- OpenAI and Kimi ----

/// What an OpenAI-style endpoint checks of a tool loop; `kimi`: thinking mode's reasoning_content rule.
fn check_openai(body: &Value, kimi: bool) -> Result<(), String> {
    let mut pending: Vec<String> = Vec::new();
    for (i, message) in body["messages"].as_array().unwrap().iter().enumerate() {
        match message["role"].as_str() {
            Some("tool") => {
                let Some(id) = message["tool_call_id"].as_str().filter(|id| !id.is_empty()) else {
                    return Err(format!(
                        "Missing parameter 'tool_call_id': messages[{i}] with role 'tool' must have a 'tool_call_id'"
                    ));
                };
                let Some(at) = pending.iter().position(|p| p == id) else {
                    return Err(format!(
                        "Invalid parameter: messages[{i}] tool_call_id {id} answers no tool call"
                    ));
                };
                pending.remove(at);
            }
            _ if !pending.is_empty() => {
                return Err(format!(
                    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. \
                     The following tool_call_ids did not have response messages: {pending:?}"
                ));
            }
            Some("assistant") => {
                for call in message["tool_calls"].as_array().into_iter().flatten() {
                    let arguments = call["function"]["arguments"].as_str().unwrap_or("not a string");
                    if serde_json::from_str::<Value>(arguments).is_err() {
                        return Err(format!("messages[{i}]: function arguments must be a JSON string"));
                    }
                    pending.push(call["id"].as_str().unwrap_or_default().to_string());
                }
                let calls = message["tool_calls"].as_array().is_some_and(|c| !c.is_empty());
                if kimi && calls && message["reasoning_content"] != THINKING {
                    return Err(format!(
                        "thinking is enabled but reasoning_content is missing in assistant tool call message at index {i}"
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn openai_reply(req: &Request, turn: usize) -> Reply {
    let calls = [
        ("functions.weather:0", "{\"city\": \"Oslo\"}"),
        ("functions.weather:1", "{\"city\": \"Atlantis\"}"),
    ];
    let usage = json!({"prompt_tokens": 90, "completion_tokens": 30, "total_tokens": 120});
    let (reasoning, tool_calls, content, finish) = match turn {
        0 => {
            let tool_calls: Vec<Value> = calls
                .iter()
                .map(|(id, args)| json!({"id": id, "type": "function", "function": {"name": "weather", "arguments": args}}))
                .collect();
            (json!(THINKING), json!(tool_calls), Value::Null, "tool_calls")
        }
        _ => (Value::Null, Value::Null, json!(FINAL), "stop"),
    };
    if !req.streams() {
        let mut message = json!({"role": "assistant", "content": content, "reasoning_content": reasoning});
        if !tool_calls.is_null() {
            message["tool_calls"] = tool_calls;
        }
        return crate::server::json(
            200,
            json!({"id": "c1", "object": "chat.completion", "created": 1, "model": "kimi-test",
                   "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}),
        );
    }
    let chunk = |delta: Value, finish: Value| {
        format!(
            "data: {}\n\n",
            json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "kimi-test",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), Value::Null)];
    if let Some(reasoning) = reasoning.as_str() {
        events.push(chunk(json!({"reasoning_content": reasoning}), Value::Null));
    }
    if let Some(text) = content.as_str() {
        events.push(chunk(json!({"content": text}), Value::Null));
    }
    for (index, (id, args)) in calls.iter().enumerate().filter(|_| turn == 0) {
        let (a, b) = args.split_at(args.len() / 2);
        events.push(chunk(
            json!({"tool_calls": [{"index": index, "id": id, "type": "function",
            "function": {"name": "weather", "arguments": a}}]}),
            Value::Null,
        ));
        events.push(chunk(
            json!({"tool_calls": [{"index": index, "function": {"arguments": b}}]}),
            Value::Null,
        ));
    }
    events.push(chunk(json!({}), json!(finish)));
    events.push(format!("data: {}\n\n", json!({"id": "c1", "choices": [], "usage": usage})));
    events.push("data: [DONE]\n\n".into());
    Reply::Sse { events, gap: std::time::Duration::ZERO, cut_after: None }
}

fn openai_server(kimi: bool) -> Server {
    Server::start(move |req, _| match check_openai(&req.body, kimi) {
        Err(why) => {
            rejected(json!({"error": {"message": why, "type": "invalid_request_error", "code": null}}))
        }
        Ok(()) => openai_reply(req, assistant_turns(&req.body)),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_tool_loop_answers_each_call_by_its_tool_call_id() {
    for stream in [true, false] {
        let (server, ws) = (openai_server(false), Workspace::new());
        let table = format!("protocol = \"openai\"\nmodel = \"gpt-test\"\nstream = {stream}");
        let gpt = provider(&ws, "gpt-strict", &table, &server);
        let answers = episode(gpt.as_ref()).await.unwrap_or_else(|e| panic!("stream {stream}: {e}"));
        assert_eq!(answers[1].text, FINAL);
        let follow_up = &server.requests()[1].body;
        assert_eq!(follow_up["tool_choice"], "auto");
        let messages = follow_up["messages"].as_array().unwrap();
        assert!(
            messages[2].get("reasoning_content").is_none(),
            "reasoning_echo defaults to none: {}",
            messages[2]
        );
        assert_eq!(messages[2]["tool_calls"][1]["function"]["arguments"], "{\"city\":\"Atlantis\"}");
        assert_eq!(
            messages[3..],
            [
                json!({"role": "tool", "tool_call_id": "functions.weather:0", "content": "12 C, cloudy"}),
                json!({"role": "tool", "tool_call_id": "functions.weather:1", "content": "unknown city: Atlantis"}),
            ]
        );
    }
    // A tool message without its id is refused.
    let (server, ws) = (openai_server(false), Workspace::new());
    let gpt = provider(&ws, "gpt-strict", "protocol = \"openai\"\nmodel = \"gpt-test\"", &server);
    let call = ToolCall {
        id: "functions.weather:0".into(),
        name: "weather".into(),
        arguments: json!({"city": "Oslo"}),
    };
    let mut req = question();
    req.messages.push(Message { role: Role::Assistant, tool_calls: vec![call], ..Message::default() });
    req.messages.push(Message { tool_call_id: None, ..Message::tool_result("", "12 C", false) });
    let err = gpt.complete(&req).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::InvalidRequest, Some(400)), "{err}");
    assert!(err.message.contains("tool_call_id"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kimi_thinking_gets_reasoning_content_back_on_every_tool_call_turn() {
    // The presets of the providers that need it send it; streamed or not.
    for (preset, stream) in [("kimi", true), ("kimi", false), ("deepseek", true), ("glm", false)] {
        let (server, ws) = (openai_server(true), Workspace::new());
        let table = format!("preset = \"{preset}\"\nstream = {stream}");
        let kimi = provider(&ws, "kimi-strict", &table, &server);
        let answers =
            episode(kimi.as_ref()).await.unwrap_or_else(|e| panic!("{preset}, stream {stream}: {e}"));
        assert_eq!(answers[1].text, FINAL);
        let follow_up = &server.requests()[1].body;
        assert_eq!(follow_up["messages"][2]["reasoning_content"], THINKING, "{preset}");
    }
    // Without it (as the OpenAI preset would send), Kimi's thinking mode refuses the follow-up.
    let (server, ws) = (openai_server(true), Workspace::new());
    let table = "preset = \"kimi\"\nreasoning_echo = \"none\"";
    let err = episode(provider(&ws, "kimi-bare", table, &server).as_ref()).await.unwrap_err();
    assert_eq!((err.class, err.status), (ErrorClass::InvalidRequest, Some(400)), "{err}");
    assert!(
        err.message.contains("reasoning_content is missing in assistant tool call message at index 2"),
        "{err}"
    );
}

// ---- Replay ----

#[test]
fn replay_files_with_tool_calls_and_transcripts_load_and_answer_through_bench() {
    let ws = Workspace::new();
    ws.write("bench.toml", "[providers.prod]\nprotocol = \"replay\"\npath = \"answers.jsonl\"\n");
    ws.write("prompts.jsonl", &crate::arithmetic_suite(3));
    let transcript = json!({"task_id": "q1", "turns": [
        {"role": "user", "content": "What is 1 + 1?"},
        {"role": "assistant", "content": "2", "usage": {"input": 9, "output": 1}},
    ]});
    let calls = json!({"task_id": "q2", "output": "4", "tool_calls": [{"name": "add", "arguments": {"a": 2, "b": 2}}]});
    let wrong = json!({"task_id": "q3", "turns": [{"role": "assistant", "content": "7"}]});
    ws.write("answers.jsonl", &format!("{transcript}\n{calls}\n{wrong}\n"));
    let out = ws.run(&["compare", "prod", "--suite", "prompts.jsonl", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let prod = &summary["providers"][0];
    assert_eq!((prod["scored"].as_u64(), prod["passed"].as_u64()), (Some(3), Some(2)), "{prod}");
    assert_eq!(prod["input_tokens"], 9);

    ws.write("answers.jsonl", "{\"task_id\": \"q1\", \"turns\": [], \"output\": \"2\"}\n");
    let out = ws.run(&["compare", "prod", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", crate::stderr(&out));
    assert!(
        crate::stderr(&out).contains("answers.jsonl:1: `turns` cannot go with `output`"),
        "{}",
        crate::stderr(&out)
    );
}
