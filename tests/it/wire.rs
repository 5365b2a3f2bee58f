//! What a hostile or broken server sends back is bounded and classified: a flood of an answer is a
//! `bad_response` that is neither kept nor cached, a 200 HTML page to a streamed request is a
//! `bad_response` with what the page said, and credentials written into a base URL never reach the
//! store, the summary or the terminal.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::server::{self, Reply, Request, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

/// What the flooding server offers per answer: far past the default 8 MiB limit.
const FLOOD_BYTES: usize = 100 << 20;

/// A valid answer of about [`FLOOD_BYTES`] in the request's protocol and mode: it would parse and be
/// scored if it were read to its end.
fn flood(req: &Request, sent: Arc<AtomicUsize>) -> Reply {
    let x = "x".repeat(64 * 1024);
    let delta = |kind: &str, body: serde_json::Value| format!("event: {kind}\ndata: {body}\n\n");
    let (content_type, head, unit, tail) = match (req.is_anthropic(), req.streams()) {
        (true, true) => (
            "text/event-stream",
            server::anthropic_events("")[..2].concat(),
            delta(
                "content_block_delta",
                serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": x}}),
            ),
            server::anthropic_events("")[5..].concat(),
        ),
        (false, true) => (
            "text/event-stream",
            String::new(),
            format!("data: {}\n\n", serde_json::json!({"choices": [{"index": 0, "delta": {"content": x}}]})),
            server::openai_events("")[4..].concat(),
        ),
        (true, false) => (
            "application/json",
            r#"{"id":"m","type":"message","role":"assistant","model":"m","stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1},"content":[{"type":"text","text":""#.into(),
            x,
            r#""}]}"#.into(),
        ),
        (false, false) => (
            "application/json",
            r#"{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":""#.into(),
            x,
            r#""}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}"#.into(),
        ),
    };
    Reply::Flood { content_type, head, unit, tail, bytes: FLOOD_BYTES, sent }
}

/// Task q2 is answered with a 100 MB flood by both providers, q1 and q3 correctly.
fn run_flooded(extra: &str) {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let server = Server::start(move |req, _| {
        if req.prompt() == "What is 2 + 2?" {
            flood(req, Arc::clone(&counter))
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), extra));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{extra}: {}", stderr(&out));

    let db = ws.db();
    let mut stmt = db
        .prepare("SELECT provider, error_class, error_message, attempts FROM results WHERE task_id = 'q2'")
        .unwrap();
    let failed: Vec<(String, Option<String>, Option<String>, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(failed.len(), 2, "{extra}: {failed:?}");
    for (provider, class, message, attempts) in &failed {
        assert_eq!(class.as_deref(), Some("bad_response"), "{extra} {provider}: {message:?}");
        let message = message.as_deref().unwrap_or_default();
        assert!(
            message.contains("8 MiB") && message.contains("max_answer_mb"),
            "{extra} {provider}: {message}"
        );
        assert_eq!(*attempts, 1, "{extra} {provider}: a flood is not asked for again");
    }
    let cached: i64 = db.query_row("SELECT COUNT(*) FROM cache", [], |r| r.get(0)).unwrap();
    assert_eq!(cached, 4, "{extra}: only the four good answers are cached");
    for p in ws.summary()["providers"].as_array().unwrap() {
        assert_eq!((p["passed"].as_u64(), p["infra_errors"].as_u64()), (Some(2), Some(1)), "{extra}: {p}");
    }
    let stored: u64 = walk(&ws.path().join("results")).iter().map(|f| f.metadata().unwrap().len()).sum();
    assert!(stored < 5 << 20, "{extra}: the store grew to {stored} bytes");
    // Two floods of 100 MB were offered; reading stopped a little past 8 MiB of each (socket buffers
    // hold a few MB more that the server could write before the client hung up).
    let written = sent.load(Ordering::SeqCst);
    assert!(written < 60 << 20, "{extra}: the server got to write {written} bytes");
}

#[test]
fn a_flood_of_an_answer_is_bad_response_neither_kept_nor_cached_streamed() {
    run_flooded("");
}

#[test]
fn a_flood_of_an_answer_is_bad_response_neither_kept_nor_cached_not_streamed() {
    run_flooded("stream = false");
}

#[test]
fn an_html_page_answered_200_to_a_stream_is_bad_response_with_its_text() {
    let server = Server::start(|req, _| {
        if req.prompt() == "What is 1 + 1?" {
            Reply::Body {
                status: 200,
                headers: vec![],
                content_type: "text/html; charset=utf-8",
                body: "<html><head><title>Sign in</title></head><body><h1>Hotel Wi-Fi: please sign in</h1></body></html>".into(),
            }
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let db = ws.db();
    let mut stmt =
        db.prepare("SELECT error_class, error_message, attempts FROM results WHERE task_id = 'q1'").unwrap();
    let rows: Vec<(Option<String>, Option<String>, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    for (class, message, attempts) in rows {
        assert_eq!(class.as_deref(), Some("bad_response"), "{message:?}");
        let message = message.unwrap_or_default();
        assert!(
            message.contains("text/html") && message.contains("Hotel Wi-Fi: please sign in"),
            "{message}"
        );
        assert_eq!(attempts, 1, "a page is not a cut stream: not retried");
    }
}

#[test]
fn credentials_in_a_base_url_reach_neither_store_nor_terminal() {
    let server = Server::start(|req, _| {
        if req.path.starts_with("/wrong/") {
            server::json(
                404,
                serde_json::json!({"error": {"message": "no such route", "type": "not_found_error"}}),
            )
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let port = server.addr.port();
    let config = format!(
        "[providers.o]\nprotocol = \"openai\"\nbase_url = \"http://user:s3cret@127.0.0.1:{port}/v1?api-version=1&key=s3cret\"\nmodel = \"gpt-test\"\n\
         api_key_env = \"TEST_KEY\"\n\n\
         [providers.lost]\nprotocol = \"openai\"\nbase_url = \"http://user:s3cret@127.0.0.1:{port}/wrong/v1?key=s3cret\"\nmodel = \"gpt-test\"\n\
         api_key_env = \"TEST_KEY\"\n\n\
         [providers.refused]\nprotocol = \"openai\"\nbase_url = \"http://user:s3cret@127.0.0.1:1/v1\"\nmodel = \"gpt-test\"\n\
         api_key_env = \"TEST_KEY\"\nmax_retries = 0\n"
    );
    let ws = Workspace::new();
    ws.write("bench.toml", &config);
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let run = ws
        .bench()
        .args(["compare", "o", "lost", "refused", "--suite", "prompts.jsonl"])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let err = stderr(&run);
    assert!(
        err.contains("/wrong/v1/chat/completions?key=***: check base_url"),
        "the 404 names the URL: {err}"
    );

    // The requests went to the real URL, query key included.
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(paths.contains(&"/v1/chat/completions?api-version=1&key=s3cret".to_string()), "{paths:?}");
    let summary = ws.summary();
    assert_eq!(summary["providers"][0]["passed"], 2, "{summary}");

    let list = ws.run(&["providers", "list"]);
    assert!(stdout(&list).contains("http://***:***@127.0.0.1"), "{}", stdout(&list));
    let report = ws.run(&["report"]);
    for (what, text) in [
        ("compare stdout", stdout(&run)),
        ("compare stderr", err),
        ("providers list", stdout(&list) + &stderr(&list)),
        ("report", stdout(&report) + &stderr(&report)),
        ("summary.json", summary.to_string()),
    ] {
        assert!(!text.contains("s3cret"), "{what}: {text}");
    }
    for file in walk(&ws.path().join("results")) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"s3cret"), "{}", file.display());
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .flat_map(|path| if path.is_dir() { walk(&path) } else { vec![path] })
        .collect()
}
