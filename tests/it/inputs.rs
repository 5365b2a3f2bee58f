//! Bad configuration, suites and arguments: a clear error with file and line, exit 2, nothing sent.

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, stderr, two_providers};

#[test]
fn malformed_bench_toml_names_file_line_and_expectation() {
    let ws = Workspace::new();
    ws.write("bench.toml", "[providers.a]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\nconcurrency = 4\n");
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bench.toml") && err.contains("line 5") && err.contains("unknown field `concurrency`"),
        "{err}"
    );
    assert!(err.contains("max_concurrency"), "lists the fields it expected: {err}");
}

#[test]
fn invalid_toml_syntax_is_located() {
    let ws = Workspace::new();
    ws.write("cfg.toml", "[providers.a]\nprotocol = openai\n");
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl", "--config", "cfg.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cfg.toml") && err.contains("line 2"), "{err}");
}

#[test]
fn malformed_suite_lines_are_all_reported_before_anything_is_sent() {
    let server = Server::start(|req, _| server::answer(req, "4"));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write(
        "prompts.jsonl",
        "{\"id\": \"ok\", \"prompt\": \"2+2\", \"expected\": \"4\", \"match\": \"number\"}\n{\"id\": \"bad\", \"prompt\": \"x\"\n{\"id\": \"m\", \"prompt\": \"x\", \"expected\": \"4\", \"match\": \"similar\"}\n",
    );
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("prompts.jsonl:2:") && err.contains("prompts.jsonl:3:") && err.contains("similar"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_provider_and_missing_suite_are_usage_errors() {
    let ws = Workspace::new();
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "claud", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown provider `claud`"), "{}", stderr(&out));
    let out = ws.run(&["compare", "claude", "--suite", "nope.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("suite `nope.jsonl`: no such file"), "{}", stderr(&out));
    let out = ws.run(&["compare", "claude"]);
    assert_eq!(out.status.code(), Some(2), "clap usage errors exit 2 too");
}

#[test]
fn help_teaches_the_main_command() {
    let ws = Workspace::new();
    let out = ws.run(&["compare", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--suite",
        "--baseline",
        "--samples",
        "--limit",
        "--json",
        "--resume",
        "--dry-run",
        "--no-cache",
        "--out",
        "--config",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}
