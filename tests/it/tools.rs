//! The tools family end to end: a loopback server plays generated tasks' reference solutions as a
//! model would, streamed, in Anthropic `tool_use` blocks and in OpenAI `tool_calls`, and checks
//! that every tool result comes back answering the ids it gave; `bench compare` then passes every
//! task, environment by environment.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::server::{self, Reply, Request, ScriptedCall, Server};
use crate::{Workspace, stderr, two_providers};

/// A task as the scripted model plays it: its calls turn by turn, then its final answer.
pub(crate) struct Script {
    turns: Vec<Vec<(String, Value)>>,
    answer: String,
}

impl Script {
    pub(crate) fn from_line(line: &Value) -> Script {
        let turns = line["solution"]
            .as_array()
            .unwrap()
            .iter()
            .map(|turn| {
                turn.as_array()
                    .unwrap()
                    .iter()
                    .map(|c| (c["name"].as_str().unwrap().to_string(), c["arguments"].clone()))
                    .collect()
            })
            .collect();
        Script { turns, answer: line["answer"].as_str().unwrap().to_string() }
    }
}

/// The id the server gives call `k` of turn `turn`: each protocol its own style, so an id sent
/// back can only have come from the answer.
fn call_id(request: &Request, turn: usize, k: usize) -> String {
    if request.is_anthropic() { format!("toolu_{turn}_{k}") } else { format!("call_{turn}_{k}") }
}

/// The text of the conversation's first user message: the task's prompt (OpenAI's system prompt
/// comes before it).
fn first_prompt(body: &Value) -> String {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    let Some(first) = messages.iter().find(|m| m["role"] == "user") else { return String::new() };
    match &first["content"] {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect(),
        _ => String::new(),
    }
}

/// The tool results at the end of the conversation, as (id, content, is_error): Anthropic's
/// `tool_result` blocks of the last user message, or OpenAI's trailing `role: tool` messages.
fn returned_results(request: &Request) -> Vec<(String, String, bool)> {
    let messages = request.body["messages"].as_array().cloned().unwrap_or_default();
    if request.is_anthropic() {
        let blocks = messages.last().and_then(|m| m["content"].as_array().cloned()).unwrap_or_default();
        blocks
            .iter()
            .filter(|b| b["type"] == "tool_result")
            .map(|b| {
                let id = b["tool_use_id"].as_str().unwrap_or("").to_string();
                (id, b["content"].as_str().unwrap_or("").to_string(), b["is_error"] == true)
            })
            .collect()
    } else {
        let tail = messages.iter().rev().take_while(|m| m["role"] == "tool").collect::<Vec<_>>();
        tail.into_iter()
            .rev()
            .map(|m| {
                (
                    m["tool_call_id"].as_str().unwrap_or("").to_string(),
                    m["content"].as_str().unwrap_or("").to_string(),
                    false,
                )
            })
            .collect()
    }
}

fn refuse(request: &Request, why: String) -> Reply {
    let body = if request.is_anthropic() {
        json!({"type": "error", "error": {"type": "invalid_request_error", "message": why}})
    } else {
        json!({"error": {"message": why, "type": "invalid_request_error"}})
    };
    server::json(400, body)
}

/// A server that plays each task's script: turn k of the conversation gets the calls of turn k of
/// the solution, after checking that the results of turn k-1 answer its ids, in order; then the
/// final answer. What it refused is listed in the returned log.
pub(crate) fn scripted(scripts: HashMap<String, Script>) -> (Server, Arc<Mutex<Vec<String>>>) {
    let problems = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&problems);
    let server = Server::start(move |req, _| {
        let Some(script) = scripts.get(&first_prompt(&req.body)) else {
            log.lock().unwrap().push(format!("no task has the prompt of {}", req.body));
            return refuse(req, "no task has this prompt".into());
        };
        let turn =
            req.body["messages"].as_array().unwrap().iter().filter(|m| m["role"] == "assistant").count();
        if turn > 0 {
            let want: Vec<String> =
                (0..script.turns[turn - 1].len()).map(|k| call_id(req, turn - 1, k)).collect();
            let got = returned_results(req);
            let ids: Vec<String> = got.iter().map(|(id, _, _)| id.clone()).collect();
            if ids != want || got.iter().any(|(_, content, error)| *error || content.is_empty()) {
                let why = format!("turn {turn}: expected results for {want:?}, got {got:?}");
                log.lock().unwrap().push(why.clone());
                return refuse(req, why);
            }
        }
        match script.turns.get(turn) {
            Some(calls) => {
                let calls: Vec<ScriptedCall> = calls
                    .iter()
                    .enumerate()
                    .map(|(k, (name, args))| (call_id(req, turn, k), name.clone(), args.clone()))
                    .collect();
                server::tool_calls(req, &calls)
            }
            None => server::answer(req, &script.answer),
        }
    });
    (server, problems)
}

/// One generated task per environment, each with calls that run together in one turn.
pub(crate) fn one_parallel_task_per_environment(ws: &Workspace) -> Vec<Value> {
    let out = ws.run(&["suites", "generate", "tools", "--seed", "11", "--n", "30", "--out", "all.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut envs = HashSet::new();
    let picked: Vec<Value> = std::fs::read_to_string(ws.path().join("all.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|t| t["solution"].as_array().unwrap().iter().any(|turn| turn.as_array().unwrap().len() > 1))
        .filter(|t| envs.insert(t["env"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(envs.len(), 3, "{envs:?}");
    picked
}

/// Every request offered the tools, and the tool results that came back are what the environment
/// said: the desk found the customer the prompt names, in both protocols.
fn assert_tools_offered_and_results_returned(requests: &[Request]) {
    for req in requests {
        let offered = req.body["tools"].as_array().unwrap();
        let name =
            |t: &Value| if req.is_anthropic() { t["name"].clone() } else { t["function"]["name"].clone() };
        assert!(offered.len() >= 5 && offered.iter().all(|t| name(t).is_string()), "{offered:?}");
    }
    for anthropic in [true, false] {
        let found = requests
            .iter()
            .filter(|r| r.is_anthropic() == anthropic)
            .flat_map(returned_results)
            .filter_map(|(_, content, _)| serde_json::from_str::<Value>(&content).ok())
            .find(|v| v["customer_id"].as_str().is_some_and(|id| id.starts_with("U-")));
        let customer = found
            .unwrap_or_else(|| panic!("no find_customer result reached the server (anthropic: {anthropic})"));
        assert!(requests.iter().any(|r| first_prompt(&r.body).contains(customer["name"].as_str().unwrap())));
    }
}

#[test]
fn both_wire_formats_play_reference_solutions_to_a_pass_in_every_environment() {
    let ws = Workspace::new();
    let picked = one_parallel_task_per_environment(&ws);
    ws.write("tasks.jsonl", &picked.iter().map(|t| format!("{t}\n")).collect::<String>());
    let scripts: HashMap<String, Script> =
        picked.iter().map(|t| (t["prompt"].as_str().unwrap().to_string(), Script::from_line(t))).collect();
    let requests_per_provider: usize = scripts.values().map(|s| s.turns.len() + 1).sum();
    let (server, problems) = scripted(scripts);
    ws.write("bench.toml", &two_providers(&server.url(), ""));

    let out = ws.run(&["compare", "a", "o", "--suite", "tools:tasks.jsonl", "--json"]);
    assert!(problems.lock().unwrap().is_empty(), "{:?}", problems.lock().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    for provider in &summary["providers"].as_array().unwrap()[..2] {
        let counts =
            (provider["tasks"].as_u64(), provider["passed"].as_u64(), provider["infra_errors"].as_u64());
        assert_eq!(counts, (Some(3), Some(3), Some(0)), "{provider}");
    }
    let categories = summary["categories"].as_array().unwrap();
    for env in ["business", "workspace", "desk"] {
        for provider in ["a", "o"] {
            let row = categories.iter().find(|c| c["category"] == env && c["provider"] == provider);
            assert!(
                row.is_some_and(|r| r["score"] == 1.0 && r["tasks"] == 1),
                "{env} {provider}: {categories:?}"
            );
        }
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2 * requests_per_provider);
    assert!(requests.iter().all(Request::streams));
    assert_tools_offered_and_results_returned(&requests);

    let db = ws.db();
    let mut query = db.prepare("SELECT detail FROM scores").unwrap();
    let details: Vec<String> = query.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(details.len(), 6);
    for detail in details {
        let detail: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["calls"], detail["min_calls"], "{detail}");
        assert_eq!(detail["parallel_possible"], true, "{detail}");
        assert!(detail["parallel_turns"].as_u64().unwrap() >= 1, "{detail}");
        assert_eq!(detail["invalid_calls"], json!({}), "{detail}");
    }
}

#[test]
fn generate_and_export_tools_write_the_same_bytes_for_the_same_seed() {
    let ws = Workspace::new();
    let first = ws.run(&["suites", "generate", "tools", "--seed", "4", "--n", "6"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let again = ws.run(&["suites", "generate", "tools", "--seed", "4", "--n", "6"]);
    assert_eq!(first.stdout, again.stdout);
    assert_eq!(String::from_utf8_lossy(&first.stdout).lines().count(), 6);

    let out = ws.run(&["suites", "export", "tools", "--solutions", "solutions.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let solutions = std::fs::read_to_string(ws.path().join("solutions.jsonl")).unwrap();
    assert_eq!(solutions.lines().count(), 60);
    let line: Value = serde_json::from_str(solutions.lines().next().unwrap()).unwrap();
    assert_eq!((line["task_id"].as_str(), line["suite"].as_str()), (Some("tools-s2026-0000"), Some("tools")));
    assert_eq!(line["turns"][0]["tool_calls"][0]["id"], "call_1_1");
    let again = ws.run(&["suites", "export", "tools", "--solutions", "solutions.jsonl"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let wrong =
        ws.run(&["suites", "export", "tools", "--suite", "quick", "--solutions", "x.jsonl", "--force"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("is a custom suite"), "{}", stderr(&wrong));
}

/// What a new user sees with `--suite tools`: every environment in the table and in summary.json.
#[test]
fn the_bundled_suite_passes_in_full_when_the_model_plays_every_reference() {
    let scripts: HashMap<String, Script> = include_str!("../../suites/tools.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|t| (t["prompt"].as_str().unwrap().to_string(), Script::from_line(&t)))
        .collect();
    assert_eq!(scripts.len(), 60, "every bundled prompt is distinct");
    let (server, problems) = scripted(scripts);
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    let out = ws.run(&["compare", "a", "o", "--suite", "tools"]);
    assert!(problems.lock().unwrap().is_empty(), "{:?}", problems.lock().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = ws.summary();
    for provider in &summary["providers"].as_array().unwrap()[..2] {
        assert_eq!(
            (provider["tasks"].as_u64(), provider["passed"].as_u64()),
            (Some(60), Some(60)),
            "{provider}"
        );
    }
    let categories = summary["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 6, "{categories:?}");
    assert!(categories.iter().all(|c| c["tasks"] == 20 && c["score"] == 1.0), "{categories:?}");
    let table = crate::stdout(&out);
    for env in ["business", "desk", "workspace"] {
        assert_eq!(table.lines().filter(|l| l.contains(env) && l.contains("100.0% [")).count(), 2, "{table}");
    }
    // The reference solutions make exactly the fewest calls, all valid, with calls at once where the
    // task allows them.
    let tool_use = summary["tool_use"].as_array().unwrap();
    assert_eq!(tool_use.len(), 6, "{tool_use:?}");
    for t in tool_use {
        assert_eq!(t["episodes"], 20, "{t}");
        assert_eq!((t["calls_over_min"].as_f64(), t["invalid_rate"].as_f64()), (Some(1.0), Some(0.0)), "{t}");
        assert!(t["parallel_rate"].is_null() || t["parallel_rate"] == 1.0, "{t}");
        assert!(t["mean_turns"].as_f64().unwrap() >= 2.0, "{t}");
    }
    assert!(table.contains("1.00×"), "the tool-use table is printed: {table}");
}

#[test]
fn exported_reference_solutions_replay_through_the_environments() {
    let ws = Workspace::new();
    let export = ws.run(&["suites", "export", "tools", "--solutions", "solutions.jsonl"]);
    assert_eq!(export.status.code(), Some(0), "{}", crate::stderr(&export));
    // The first task's reference loses its last turn of calls (a sink that changes the state): its end
    // state is no longer the expected one.
    let text = std::fs::read_to_string(ws.path().join("solutions.jsonl")).unwrap();
    let mut lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first_task = lines[0]["task_id"].as_str().unwrap().to_string();
    let turns = lines[0]["turns"].as_array_mut().unwrap();
    turns.remove(turns.len() - 2);
    ws.write("solutions.jsonl", &lines.iter().map(|l| format!("{l}\n")).collect::<String>());
    ws.write("bench.toml", "[providers.reference]\nprotocol = \"replay\"\npath = \"solutions.jsonl\"\n");

    let out = ws.run(&["compare", "reference", "--suite", "tools"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let summary = ws.summary();
    let provider = &summary["providers"][0];
    assert_eq!(
        (provider["scored"].as_u64(), provider["passed"].as_u64()),
        (Some(60), Some(59)),
        "{provider}"
    );
    let passed: bool = ws
        .db()
        .query_row("SELECT passed FROM scores WHERE task_id = ?1", [&first_task], |r| r.get(0))
        .unwrap();
    assert!(!passed, "the solution without one of its turns fails");
}
