//! Long context through the whole tool: prompts built when sent, a window as a capability (not sent
//! when the provider's configured window is smaller, or refused by the server as too long), the
//! effective context length, and the cache keyed on the task's recipe.

use serde_json::{Value, json};

use crate::server::{self, Reply, Request};

/// Prompts over this many bytes are refused as too long, as a 32k-token server would refuse them.
const SERVER_LIMIT_BYTES: usize = 32_768 * 4;

/// A model that reads perfectly within its window: it finds the asked key's needle in the prompt.
/// Longer prompts get the provider's real "too long" error, in the request's protocol.
fn reader(req: &Request) -> Reply {
    let prompt = req.prompt();
    if prompt.len() > SERVER_LIMIT_BYTES {
        let tokens = prompt.len() / 4;
        return if req.is_anthropic() {
            server::json(
                400,
                json!({"type": "error", "error": {"type": "invalid_request_error",
                       "message": format!("prompt is too long: {tokens} tokens > 32768 maximum")}}),
            )
        } else {
            server::json(
                400,
                json!({"error": {"message": format!("This model's maximum context length is 32768 tokens. However, your messages resulted in {tokens} tokens."),
                       "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}),
            )
        };
    }
    let asked = regex::Regex::new(r"special magic number for (.+?) mentioned").unwrap();
    let key = asked.captures(&prompt).map(|c| c[1].to_string()).unwrap_or_default();
    let needle =
        regex::Regex::new(&format!(r"special magic number for {} is: (\S+?)\.", regex::escape(&key)))
            .unwrap();
    let value = needle.captures(&prompt).map_or("no idea".to_string(), |c| c[1].to_string());
    server::answer(req, &format!("The special magic number is {value}."))
}

#[test]
fn a_32k_window_ends_the_effective_length_at_16k_whether_configured_or_refused_by_the_server() {
    let model = server::Server::start(|req, _| reader(req));
    let ws = crate::Workspace::new();
    // `a` says its window; `o` does not, and learns it from the server's refusals.
    let config = crate::two_providers(&model.url(), "").replacen(
        "api_key_env = \"TEST_KEY\"\n",
        "api_key_env = \"TEST_KEY\"\ncontext_window = 32768\n",
        1,
    );
    ws.write("bench.toml", &config);
    let generated = ws.run(&[
        "suites",
        "generate",
        "long-context",
        "--seed",
        "3",
        "--lengths",
        "4k,16k,64k",
        "--depths",
        "25,75",
        "--kinds",
        "niah_single",
        "--per-cell",
        "1",
        "--out",
        "lc.jsonl",
    ]);
    assert_eq!(generated.status.code(), Some(0), "{}", crate::stderr(&generated));

    let out = ws.run(&["compare", "a", "o", "--suite", "long-context:lc.jsonl", "--wide"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let table = crate::stdout(&out);
    assert!(table.contains("effective length") && table.contains("64k beyond window"), "{table}");

    let summary = ws.summary();
    for provider in &summary["providers"].as_array().unwrap()[..2] {
        let context = &provider["context"];
        assert_eq!(context["effective_length"], 16_384, "{provider}");
        let lengths: Vec<(u64, u64, u64)> = context["by_length"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["length"].as_u64().unwrap(),
                    b["scored"].as_u64().unwrap(),
                    b["exceeded"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(lengths, [(4096, 2, 0), (16_384, 2, 0), (65_536, 2, 2)], "{provider}");
        assert_eq!(
            (
                provider["context_exceeded"].as_u64(),
                provider["infra_errors"].as_u64(),
                provider["passed"].as_u64()
            ),
            (Some(2), Some(0), Some(4)),
            "a window is a capability, not an infrastructure failure: {provider}"
        );
    }
    let sent = |anthropic: bool| model.requests().iter().filter(|r| r.is_anthropic() == anthropic).count();
    assert_eq!(sent(true), 4, "the 64k prompts are never sent past a configured window");
    assert_eq!(sent(false), 6, "without one, the server's refusal says so");

    // The store keeps each built prompt's hash and size, never the haystack.
    let prompts: Vec<Value> = {
        let db = ws.db();
        let mut stmt = db
            .prepare("SELECT json_extract(outcome, '$.prompt') FROM results WHERE ok = 1 ORDER BY task_id")
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|p| serde_json::from_str(&p.unwrap()).unwrap())
            .collect()
    };
    assert_eq!(prompts.len(), 8);
    assert!(prompts.iter().all(|p| p["sha256"].as_str().is_some_and(|h| h.len() == 64)), "{prompts:?}");
    assert!(prompts.iter().all(|p| p["o200k_tokens"].as_u64().unwrap() > 4096), "{prompts:?}");

    // A rerun takes every answer from the cache: the key covers the recipe, not the (empty) task text.
    let before = model.requests().len();
    let again = ws.run(&["compare", "a", "o", "--suite", "long-context:lc.jsonl"]);
    assert_eq!(again.status.code(), Some(0), "{}", crate::stderr(&again));
    assert_eq!(model.requests().len(), before + 2, "only the refused 64k prompts of `o` are sent again");
    assert_eq!(ws.summary()["providers"][1]["context"]["effective_length"], 16_384);
}

#[test]
fn the_dry_run_counts_a_long_context_task_at_its_built_size() {
    let ws = crate::Workspace::new();
    let out =
        ws.run(&["compare", "kimi", "--suite", "long-context", "--max-context", "8k", "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let plan: Value = serde_json::from_str(&crate::stdout(&out)).unwrap();
    let kimi = &plan["providers"][0];
    let items = kimi["items"].as_u64().unwrap();
    assert!(items > 0);
    // Every task is 4k or 8k tokens of haystack plus its question.
    let input = kimi["est_input_tokens"].as_u64().unwrap();
    assert!(input > items * 4096 && input < items * (8192 + 200), "{input} tokens for {items} items");
}

#[test]
fn the_dry_run_does_not_count_a_task_beyond_the_window_as_to_send() {
    let ws = crate::Workspace::new();
    ws.write(
        "bench.toml",
        "[providers.small]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key_required = false\ncontext_window = 6000\n",
    );
    let out = ws.run(&[
        "compare",
        "small",
        "--suite",
        "long-context",
        "--max-context",
        "8k",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let plan: Value = serde_json::from_str(&crate::stdout(&out)).unwrap();
    let small = &plan["providers"][0];
    let (items, to_send, beyond) = (
        small["items"].as_u64().unwrap(),
        small["to_send"].as_u64().unwrap(),
        small["beyond_window"].as_u64().unwrap(),
    );
    assert_eq!(to_send + beyond, items, "{small:#}");
    assert_eq!(beyond, items / 2, "the 8k half of the grid is beyond a 6,000-token window: {small:#}");
    let input = small["est_input_tokens"].as_u64().unwrap();
    assert!(input < to_send * (4096 + 200), "only the 4k tasks are priced: {input}");

    let table = ws.run(&["compare", "small", "--suite", "long-context", "--max-context", "8k", "--dry-run"]);
    let text = crate::stdout(&table) + &crate::stderr(&table);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(&format!("{beyond} items are longer than their provider's context window")),
        "{text}"
    );
}
