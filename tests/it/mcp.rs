//! The team's own tools over MCP: whole episodes through bench's MCP environment against a real MCP
//! server built with the official SDK (tests/mcp_fixture.rs), and servers that crash, hang, or do
//! not exist. Every test checks that the server process is gone (and reaped) afterwards.

use std::path::Path;
use std::time::{Duration, Instant};

use bench::core::ToolCall;
use bench::families::EnvironmentError;
use bench::families::tools::mcp::{self, McpServer, StateTool};
use nix::sys::signal::kill;
use nix::unistd::Pid;
use serde_json::{Value, json};

const FIXTURE: &str = env!("CARGO_BIN_EXE_bench-mcp-fixture");

/// The fixture started with `args`, writing its process id into `dir`.
fn fixture(dir: &Path, args: &[&str], extra: Value) -> McpServer {
    let command: Vec<&str> = [FIXTURE].iter().chain(args).copied().collect();
    let mut line = json!({
        "command": command,
        "env": {"MCP_FIXTURE_PID_FILE": dir.join("pid"), "COUNTER_START": "10"},
    });
    line.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    serde_json::from_value(line).unwrap()
}

fn state_tool() -> StateTool {
    serde_json::from_value(json!({"name": "state"})).unwrap()
}

fn call(name: &str, arguments: Value) -> ToolCall {
    ToolCall { id: format!("call-{name}"), name: name.into(), arguments }
}

/// The process id the fixture wrote, once it has.
fn fixture_pid(dir: &Path) -> Pid {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(pid) = std::fs::read_to_string(dir.join("pid"))
            && let Ok(pid) = pid.trim().parse()
        {
            return Pid::from_raw(pid);
        }
        assert!(Instant::now() < deadline, "the fixture never wrote its pid");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether process `pid` exists; a zombie (exited, not reaped) still does.
fn exists(pid: Pid) -> bool {
    kill(pid, None).is_ok()
}

/// Wait up to `within` for process `pid` to be gone.
async fn gone_within(pid: Pid, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while exists(pid) {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

async fn start_err(server: &McpServer, state: Option<&StateTool>, base: &Path) -> EnvironmentError {
    match mcp::start(server, state, base).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn a_whole_episode_lists_calls_reads_the_state_and_ends_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture(dir.path(), &[], json!({}));
    let mut environment = mcp::start(&server, Some(&state_tool()), dir.path()).await.unwrap();
    let pid = fixture_pid(dir.path());

    let mut names: Vec<&str> = environment.tools().iter().map(|tool| tool.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["add", "chart", "crash", "sleep", "withdraw"], "the state tool is hidden");
    let add = environment.tools().iter().find(|tool| tool.name == "add").unwrap();
    assert!(add.description.contains("Add an amount"), "{add:?}");
    assert_eq!(add.parameters["properties"]["amount"]["type"], json!("integer"));
    assert_eq!(add.parameters["required"], json!(["amount"]));

    let added = environment.call(&call("add", json!({"amount": 5}))).await.unwrap();
    assert_eq!((added.content.as_str(), added.is_error), ("total is 15", false));
    let refused = environment.call(&call("withdraw", json!({"amount": 100}))).await.unwrap();
    assert_eq!((refused.content.as_str(), refused.is_error), ("refused: the total is only 15", true));
    let chart = environment.call(&call("chart", json!({}))).await.unwrap();
    assert_eq!(chart.content, "chart of a total of 15\n[image image/png, 68 bytes, not shown]");
    let unknown = environment.call(&call("reset", json!({}))).await.unwrap();
    assert!(unknown.is_error && unknown.content.starts_with("the server refused the call: "), "{unknown:?}");
    environment.call(&call("withdraw", json!({"amount": 3}))).await.unwrap();

    let state = environment.finish().await.unwrap();
    assert_eq!(state, json!({"total": 12, "operations": ["add 5", "withdraw 3"]}));
    assert!(!exists(pid), "the server is ended and reaped when the episode finishes");
}

#[tokio::test]
async fn relative_commands_run_from_the_task_files_folder_or_its_cwd() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("srv")).unwrap();
    std::os::unix::fs::symlink(FIXTURE, dir.path().join("srv/counter")).unwrap();
    for (command, cwd) in [("srv/counter", Value::Null), ("./counter", json!("srv"))] {
        let mut server = fixture(dir.path(), &[], json!({"cwd": cwd}));
        server.command = vec![command.into()];
        let mut environment = mcp::start(&server, None, dir.path()).await.unwrap();
        let added = environment.call(&call("add", json!({"amount": 1}))).await.unwrap();
        assert_eq!(added.content, "total is 11", "{command}");
        assert_eq!(environment.finish().await.unwrap(), Value::Null, "no state tool, no state");
    }
}

#[tokio::test]
async fn a_server_that_crashes_mid_episode_is_an_environment_failure_with_its_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture(dir.path(), &[], json!({"timeout_s": 20}));
    let mut environment = mcp::start(&server, Some(&state_tool()), dir.path()).await.unwrap();
    let pid = fixture_pid(dir.path());
    environment.call(&call("add", json!({"amount": 1}))).await.unwrap();
    let started = Instant::now();
    let error = environment.call(&call("crash", json!({}))).await.unwrap_err().0;
    assert!(started.elapsed() < Duration::from_secs(5), "a crash is seen at once, not at the timeout");
    assert!(
        error.starts_with(&format!(
            "MCP server `{FIXTURE}` closed the connection during `tools/call` of `crash`"
        )),
        "{error}"
    );
    assert!(error.ends_with("counter: crashing on purpose"), "{error}");
    drop(environment);
    assert!(gone_within(pid, Duration::from_secs(5)).await, "the crashed server is reaped");
}

#[tokio::test]
async fn a_server_that_never_answers_initialize_times_out_and_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture(dir.path(), &["silent"], json!({"timeout_s": 2}));
    let started = Instant::now();
    let error = start_err(&server, None, dir.path()).await.0;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.contains("did not answer `initialize` within 2s"), "{error}");
    assert!(
        gone_within(fixture_pid(dir.path()), Duration::from_secs(10)).await,
        "the silent server is killed"
    );
}

#[tokio::test]
async fn a_call_that_does_not_answer_in_time_fails_the_episode() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture(dir.path(), &[], json!({"timeout_s": 2}));
    let mut environment = mcp::start(&server, None, dir.path()).await.unwrap();
    let pid = fixture_pid(dir.path());
    let error = environment.call(&call("sleep", json!({"seconds": 60}))).await.unwrap_err().0;
    assert!(error.contains("did not answer `tools/call` of `sleep` within 2s"), "{error}");
    assert!(error.contains("serving on stdio from 10"), "the stderr tail is shown: {error}");
    drop(environment);
    assert!(gone_within(pid, Duration::from_secs(10)).await, "a dropped environment ends its server");
}

#[tokio::test]
async fn a_server_that_cannot_start_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = fixture(dir.path(), &[], json!({}));
    server.command = vec!["bench-no-such-mcp-server".into(), "--stdio".into()];
    let error = start_err(&server, None, dir.path()).await.0;
    assert_eq!(
        error,
        "cannot start MCP server `bench-no-such-mcp-server --stdio`: `bench-no-such-mcp-server` is not on PATH"
    );
    server.command = vec!["./server.py".into()];
    let error = start_err(&server, None, dir.path()).await.0;
    assert!(
        error.ends_with(&format!("{} does not exist", dir.path().join("./server.py").display())),
        "{error}"
    );
    server.cwd = Some("nowhere".into());
    let error = start_err(&server, None, dir.path()).await.0;
    assert!(error.contains("nowhere is not a folder"), "{error}");

    let exits =
        serde_json::from_value(json!({"command": ["sh", "-c", "echo 'no such module: mcp' >&2; exit 1"]}))
            .unwrap();
    let error = start_err(&exits, None, dir.path()).await.0;
    assert!(error.contains("did not initialize") && error.ends_with("no such module: mcp"), "{error}");
}

#[tokio::test]
async fn a_state_tool_the_server_does_not_list_stops_the_episode_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let server = fixture(dir.path(), &[], json!({}));
    let ledger: StateTool = serde_json::from_value(json!({"name": "ledger"})).unwrap();
    let error = start_err(&server, Some(&ledger), dir.path()).await.0;
    assert!(error.contains("lists no state tool `ledger` (its tools: "), "{error}");
    assert!(!exists(fixture_pid(dir.path())), "the server is ended before the error is returned");
}

/// A model that, on the first request of a task, calls `first`; on the second, `second`; then
/// answers `answer`. Either protocol, streamed or not.
fn scripted_model(req: &crate::server::Request) -> crate::server::Reply {
    let turn =
        req.body["messages"].as_array().map_or(0, |m| m.iter().filter(|m| m["role"] == "assistant").count());
    let crash = req.prompt().contains("crash");
    let step = |name: &str, arguments: Value| vec![(format!("call_{turn}"), name.to_string(), arguments)];
    match (turn, crash) {
        (0, false) => crate::server::tool_calls(req, &step("add", json!({"amount": 5}))),
        (1, false) => crate::server::tool_calls(req, &step("withdraw", json!({"amount": 3}))),
        (0, true) => crate::server::tool_calls(req, &step("crash", json!({}))),
        _ => crate::server::answer(req, "The total is now 12."),
    }
}

#[test]
fn bench_compare_runs_episodes_against_the_teams_mcp_server_on_both_wires() {
    let model = crate::server::Server::start(|req, _| scripted_model(req));
    let ws = crate::Workspace::new();
    ws.write("bench.toml", &crate::two_providers(&model.url(), ""));
    let server = json!({"command": [FIXTURE], "env": {"COUNTER_START": "10"}});
    let tasks = [
        json!({"id": "counter", "prompt": "Add 5, withdraw 3, and tell me the total.", "mcp": server,
               "facts": ["total is now 12"], "state_tool": {"name": "state"},
               "expected_state": {"total": 12, "operations": ["add 5", "withdraw 3"]}, "min_calls": 2}),
        json!({"id": "broken", "prompt": "Please crash the server.", "mcp": server, "facts": ["anything"]}),
    ];
    ws.write("mcp.jsonl", &tasks.iter().map(|t| format!("{t}\n")).collect::<String>());
    let out = ws.run(&["compare", "a", "o", "--suite", "tools:mcp.jsonl"]);
    let errors: Vec<String> = {
        let db = ws.db();
        let mut stmt =
            db.prepare("SELECT task_id || ': ' || error_message FROM results WHERE ok = 0").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(out.status.code(), Some(0), "{}\n{errors:#?}", crate::stderr(&out));

    let summary = ws.summary();
    for provider in &summary["providers"].as_array().unwrap()[..2] {
        assert_eq!(
            (provider["passed"].as_u64(), provider["scored"].as_u64()),
            (Some(1), Some(1)),
            "{provider}"
        );
        assert_eq!(
            provider["errors_by_class"]["environment"], 1,
            "a crashed server is an infrastructure failure"
        );
    }
    let tool_use = summary["tool_use"].as_array().unwrap();
    assert!(tool_use.iter().all(|t| t["category"] == "mcp" && t["calls_over_min"] == 1.0), "{tool_use:?}");
    // The counter task's state tool is read by bench, never offered to the model.
    let offered: Vec<String> = model
        .requests()
        .iter()
        .filter(|r| r.prompt().contains("Add 5"))
        .flat_map(|r| r.body["tools"].as_array().cloned().unwrap_or_default())
        .map(|t| t["name"].as_str().or(t["function"]["name"].as_str()).unwrap_or_default().to_string())
        .collect();
    assert!(offered.contains(&"add".to_string()) && !offered.contains(&"state".to_string()), "{offered:?}");
    let message: String = ws
        .db()
        .query_row("SELECT error_message FROM results WHERE error_class = 'environment' LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(message.contains(FIXTURE), "the error names the server's command: {message}");

    // Run again: every turn comes from the cache while the episodes replay through fresh servers (the
    // crashing task's first turn too: the crash is the server's, after the model answered).
    let before = model.requests().len();
    let again = ws.run(&["compare", "a", "o", "--suite", "tools:mcp.jsonl"]);
    assert_eq!(again.status.code(), Some(0), "{}", crate::stderr(&again));
    assert_eq!(model.requests().len(), before, "nothing is sent again");
    let summary = ws.summary();
    assert_eq!(summary["providers"][0]["passed"], 1);
    assert_eq!(summary["providers"][0]["errors_by_class"]["environment"], 1, "the server still crashes");
    assert_eq!(summary["tool_use"][0]["mean_calls"], 2.0, "the replayed episode keeps its figures");
}

#[test]
fn cached_turns_replay_until_the_teams_server_answers_differently() {
    let model = crate::server::Server::start(|req, _| scripted_model(req));
    let ws = crate::Workspace::new();
    ws.write("bench.toml", &crate::two_providers(&model.url(), ""));
    // No `env` in the task: the server reads COUNTER_START from bench's environment, so the same task
    // file meets a server that answers differently.
    let task = json!({"id": "counter", "prompt": "Add 5, withdraw 3, and tell me the total.",
                      "mcp": {"command": [FIXTURE]}, "facts": ["total is now 12"]});
    ws.write("mcp.jsonl", &format!("{task}\n"));
    let run = |start: &str| {
        let out = ws
            .bench()
            .env("COUNTER_START", start)
            .args(["compare", "o", "--suite", "tools:mcp.jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
        model.requests().len()
    };
    assert_eq!(run("10"), 3, "three turns: add, withdraw, answer");
    assert_eq!(run("10"), 3, "the same server: every turn replays from the cache");
    assert_eq!(ws.summary()["providers"][0]["passed"], 1);
    // From 20, `add` answers "total is 25": the first turn's request is unchanged and replays; the two
    // after it carry the new result, so the model is asked again.
    assert_eq!(run("20"), 5);
    let attempts: Vec<(i64, bool)> = {
        let db = ws.db();
        let mut stmt = db
            .prepare("SELECT attempt, from_cache FROM attempts WHERE run_id = (SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1) ORDER BY attempt")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(attempts, [(1, true), (2, false), (3, false)], "each turn's attempt says where it came from");
}
