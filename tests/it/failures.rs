//! Transport and provider failures: each is retried or recorded with its class, never scored as a
//! wrong answer, and the run goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::server::{self, Reply, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

/// Every prompt's first attempt fails with `failure`; later attempts succeed.
fn fails_once(failure: fn(&server::Request) -> Reply) -> Server {
    let seen = Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    Server::start(move |req, _| {
        let key = (req.path.clone(), req.prompt());
        if seen.lock().unwrap().insert(key) {
            failure(req)
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    })
}

fn run_two(server: &Server, tasks: usize) -> (Workspace, std::process::Output) {
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(tasks));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    (ws, out)
}

fn attempt_classes(ws: &Workspace) -> Vec<(String, Option<String>, Option<i64>)> {
    let db = ws.db();
    let mut stmt = db.prepare("SELECT provider, error_class, http_status FROM attempts ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

fn assert_recovered(failure: fn(&server::Request) -> Reply, class: &str) {
    let server = fails_once(failure);
    let (ws, out) = run_two(&server, 3);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = ws.summary();
    for p in summary["providers"].as_array().unwrap() {
        assert_eq!(p["infra_errors"], 0, "{class}: {p}");
        assert_eq!(p["passed"], 3, "{class}: {p}");
    }
    let attempts = attempt_classes(&ws);
    assert_eq!(attempts.len(), 12, "{class}: one failed and one good attempt per item: {attempts:?}");
    let failed: Vec<_> = attempts.iter().filter(|a| a.1.is_some()).collect();
    assert_eq!(failed.len(), 6, "{attempts:?}");
    assert!(failed.iter().all(|a| a.1.as_deref() == Some(class)), "expected {class}: {attempts:?}");
}

#[test]
fn retries_429_with_retry_after() {
    assert_recovered(
        |req| {
            let body = if req.is_anthropic() {
                serde_json::json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Number of requests has exceeded your rate limit"}})
            } else {
                serde_json::json!({"error": {"message": "Rate limit reached. Please try again in 20ms.", "type": "requests", "code": "rate_limit_exceeded"}})
            };
            server::json_with(429, &[("retry-after-ms", "30")], body)
        },
        "rate_limited",
    );
}

#[test]
fn retries_529_overloaded() {
    assert_recovered(
        |_| {
            server::json(
                529,
                serde_json::json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
            )
        },
        "overloaded",
    );
}

#[test]
fn retries_500() {
    assert_recovered(
        |_| server::json(500, serde_json::json!({"error": {"message": "internal", "type": "api_error"}})),
        "server",
    );
}

#[test]
fn retries_an_html_502_page() {
    assert_recovered(
        |_| {
            Reply::Body {
            status: 502,
            headers: vec![],
            content_type: "text/html",
            body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".into(),
        }
        },
        "server",
    );
}

#[test]
fn retries_a_connection_reset() {
    assert_recovered(|_| Reply::Reset, "network");
}

#[test]
fn retries_a_stream_cut_in_the_middle() {
    assert_recovered(
        |req| {
            let events = if req.is_anthropic() {
                server::anthropic_events("The answer is")
            } else {
                server::openai_events("The answer is")
            };
            Reply::Sse { events, gap: Duration::ZERO, cut_after: Some(3) }
        },
        "truncated_stream",
    );
}

#[test]
fn invalid_json_is_an_infrastructure_failure_not_a_wrong_answer() {
    let server = Server::start(|req, _| {
        if req.is_anthropic() {
            server::answer(req, &right_answer(&req.prompt()))
        } else {
            Reply::Sse {
                events: vec![
                    "data: {\"id\": \"c1\", \"choices\": [{\"delta\": {\"content\": \"4\"\n\n".into(),
                ],
                gap: Duration::ZERO,
                cut_after: None,
            }
        }
    });
    let (ws, out) = run_two(&server, 2);
    assert_eq!(out.status.code(), Some(2), "a provider that answered nothing fails the command");
    assert!(stderr(&out).contains("provider `o` answered nothing: 2 of 2 items failed (bad_response 2)"));
    let summary = ws.summary();
    let o = &summary["providers"][1];
    assert_eq!((o["infra_errors"].as_u64(), o["scored"].as_u64()), (Some(2), Some(0)), "{o}");
    assert_eq!(o["errors_by_class"]["bad_response"], 2);
    assert_eq!(summary["comparisons"][0]["n_paired"], 0);
    assert!(stdout(&out).contains("bad_response"), "the table names the failure class");
}

#[test]
fn a_wrong_key_stops_that_provider_at_once_with_exit_2() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let server = Server::start(move |req, _| {
        if req.is_anthropic() {
            seen.fetch_add(1, Ordering::SeqCst);
            server::json(
                401,
                serde_json::json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
            )
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &arithmetic_suite(40));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("provider `a` stopped early") && err.contains("TEST_KEY") && err.contains("401"),
        "{err}"
    );
    assert!(!err.contains("sk-test-secret"), "the key is never printed");
    assert!(calls.load(Ordering::SeqCst) <= 2, "no retries and no new requests after a 401");
    let summary = ws.summary();
    assert_eq!(summary["providers"][1]["passed"], 40, "the other provider finished");
    let a = &summary["providers"][0];
    let (failed, missing) = (a["infra_errors"].as_u64().unwrap(), a["not_attempted"].as_u64().unwrap());
    assert_eq!(failed + missing, 40, "the 40 planned items are failures or not attempted: {a}");
    assert!(a["not_attempted_why"].as_str().unwrap().contains("stopped early: auth (HTTP 401)"), "{a}");
    assert!(stdout(&out).contains(&format!("a: {missing} of 40 items not attempted")), "{}", stdout(&out));
}

#[test]
fn a_missing_key_stops_before_any_request_naming_the_variable() {
    let server = Server::start(|req, _| server::answer(req, "x"));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let out = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .env_remove("TEST_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("provider `a` needs an API key: set the environment variable TEST_KEY"), "{err}");
    assert!(err.contains("provider `o`"), "every missing key is listed: {err}");
    assert!(server.requests().is_empty());

    let out = ws.run(&["compare", "claude", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ANTHROPIC_API_KEY"), "{}", stderr(&out));
}

#[test]
fn concurrency_backs_off_under_429_without_slowing_the_other_provider() {
    // Provider `a` tolerates 2 requests in flight and answers 429 beyond that; `o` has no limit.
    let server = Server::start(move |req, _| {
        if req.is_anthropic() && req.in_flight > 2 {
            server::json_with(
                429,
                &[("retry-after-ms", "20")],
                serde_json::json!({"type": "error", "error": {"type": "rate_limit_error", "message": "concurrency"}}),
            )
        } else if req.is_anthropic() {
            Reply::After(
                Duration::from_millis(30),
                Box::new(server::answer(req, &right_answer(&req.prompt()))),
            )
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 16\nmax_retries = 8"));
    ws.write("prompts.jsonl", &arithmetic_suite(40));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = ws.summary();
    assert_eq!(summary["providers"][0]["passed"], 40, "{}", summary["providers"][0]);
    assert_eq!(summary["providers"][1]["passed"], 40);
    let db = ws.db();
    let rejected: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM attempts WHERE provider = 'a' AND error_class = 'rate_limited'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(rejected > 0, "the server did push back");
    assert!(rejected < 40 * 3, "AIMD keeps rejections well below one per attempt: {rejected}");
}

#[test]
fn a_request_past_its_deadline_is_a_timeout_failure() {
    let server = Server::start(|req, _| {
        if req.is_anthropic() && req.prompt().contains(" 2 + 2") {
            Reply::After(Duration::from_secs(5), Box::new(server::answer(req, "The answer is 4.")))
        } else {
            server::answer(req, &right_answer(&req.prompt()))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "timeout_s = 0.3\nmax_retries = 1"));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let started = std::time::Instant::now();
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(4), "the deadline cut the slow request short");
    let a = &ws.summary()["providers"][0];
    assert_eq!(
        (a["infra_errors"].as_u64(), a["passed"].as_u64(), a["scored"].as_u64()),
        (Some(1), Some(2), Some(2)),
        "{a}"
    );
    assert_eq!(a["errors_by_class"]["timeout"], 1);
    assert_eq!(
        attempt_classes(&ws).iter().filter(|a| a.1.as_deref() == Some("timeout")).count(),
        2,
        "retried once"
    );
}

#[test]
fn a_404_stops_the_provider_with_a_hint_about_base_url() {
    let server = Server::start(|req, _| {
        if req.is_anthropic() {
            server::answer(req, &right_answer(&req.prompt()))
        } else {
            server::json(
                404,
                serde_json::json!({"error": {"message": "The model `gpt-test` does not exist", "type": "invalid_request_error", "code": "model_not_found"}}),
            )
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 1"));
    ws.write("prompts.jsonl", &arithmetic_suite(20));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("provider `o` stopped early") && err.contains("check base_url and model"), "{err}");
    assert_eq!(
        server.requests().iter().filter(|r| !r.is_anthropic()).count(),
        1,
        "one 404 is enough to stop"
    );
    assert_eq!(ws.summary()["providers"][0]["passed"], 20);
}

#[test]
fn a_server_that_ignores_stream_true_is_read_as_json() {
    let server = Server::start(|req, _| {
        let plain = crate::server::Request { body: serde_json::json!({"stream": false}), ..req.clone() };
        server::answer(&plain, &right_answer(&req.prompt()))
    });
    let (ws, out) = run_two(&server, 3);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = ws.summary();
    assert_eq!(
        (summary["providers"][0]["passed"].as_u64(), summary["providers"][1]["passed"].as_u64()),
        (Some(3), Some(3))
    );
    assert!(server.requests().iter().all(|r| r.streams()), "bench asked for a stream");
}

#[test]
fn rate_limit_headers_pause_the_provider_before_it_says_429() {
    // A fixed window of 3 requests per 400 ms: the 200s say how many are left and when the window
    // resets; a 4th request in a window gets a 429 without retry-after.
    const WINDOW: Duration = Duration::from_millis(400);
    let window = std::sync::Mutex::new((std::time::Instant::now(), 0u32));
    let server = Server::start(move |req, _| {
        let mut w = window.lock().unwrap();
        if w.0.elapsed() >= WINDOW {
            *w = (std::time::Instant::now(), 0);
        }
        w.1 += 1;
        let reset = format!("{}ms", WINDOW.saturating_sub(w.0.elapsed()).as_millis());
        if w.1 > 3 {
            let body = serde_json::json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}});
            return server::json_with(429, &[], body);
        }
        let remaining = (3 - w.1).to_string();
        match server::answer(req, &right_answer(&req.prompt())) {
            Reply::Body { status, content_type, body, .. } => Reply::Body {
                status,
                headers: vec![
                    ("x-ratelimit-remaining-requests".into(), remaining),
                    ("x-ratelimit-reset-requests".into(), reset),
                ],
                content_type,
                body,
            },
            other => other,
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 1\nstream = false"));
    ws.write("prompts.jsonl", &arithmetic_suite(9));
    let out = ws.run(&["compare", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(ws.summary()["providers"][0]["passed"], 9);
    let rejected: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM attempts WHERE error_class = 'rate_limited'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rejected, 0, "the headers said when the window was spent");
}

#[test]
fn an_rpm_budget_is_spread_over_each_second_without_429s() {
    // The provider enforces its 480 RPM as 8 requests in any sliding second (what OpenAI and
    // Anthropic warn a per-minute limit may mean): an answer beyond that is a 429. A refused request
    // does not count against the window.
    const PER_SECOND: usize = 8;
    const TASKS: usize = 50;
    #[derive(Default)]
    struct Window {
        accepted: std::collections::VecDeque<std::time::Instant>,
        first: Option<std::time::Instant>,
        last: Option<std::time::Instant>,
        answered: usize,
        rejected: usize,
    }
    let window = Arc::new(std::sync::Mutex::new(Window::default()));
    let seen = Arc::clone(&window);
    let server = Server::start(move |req, _| {
        let now = std::time::Instant::now();
        let mut w = seen.lock().unwrap();
        w.first.get_or_insert(now);
        w.last = Some(now);
        while w.accepted.front().is_some_and(|&t| now - t >= Duration::from_secs(1)) {
            w.accepted.pop_front();
        }
        if w.accepted.len() >= PER_SECOND {
            w.rejected += 1;
            let body = serde_json::json!({"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}});
            return server::json(429, body);
        }
        w.accepted.push_back(now);
        w.answered += 1;
        server::answer(req, &right_answer(&req.prompt()))
    });
    let ws = Workspace::new();
    let rpm = format!("rpm = {}\nmax_concurrency = 64", 60 * PER_SECOND);
    ws.write("bench.toml", &two_providers(&server.url(), &rpm));
    ws.write("prompts.jsonl", &arithmetic_suite(TASKS));
    let out = ws.run(&["compare", "o", "--suite", "prompts.jsonl", "--no-cache"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(ws.summary()["providers"][0]["passed"], TASKS);

    let w = window.lock().unwrap();
    let requests = w.answered + w.rejected;
    assert_eq!(w.answered, TASKS);
    assert!(
        w.rejected as f64 <= 0.02 * requests as f64,
        "{} of {requests} requests were refused: more than {PER_SECOND} arrived within a second",
        w.rejected
    );
    let wall = (w.last.unwrap() - w.first.unwrap()).as_secs_f64();
    let goodput = w.answered as f64 / wall;
    assert!(
        goodput >= 0.9 * PER_SECOND as f64,
        "{goodput:.2} answers a second over {wall:.2} s; the budget allows {PER_SECOND}"
    );
}

/// An SSE event as llama-cpp-python's server (sse-starlette) frames it: CRLF line ends.
fn llama_event(data: &str) -> String {
    format!("data: {data}\r\n\r\n")
}

/// A chat.completion.chunk as llama-cpp-python 0.3.x sends it: no `system_fingerprint`, no usage.
fn llama_chunk(delta: serde_json::Value, finish: Option<&str>) -> String {
    llama_event(
        &serde_json::json!({"id": "chatcmpl-5a1e", "object": "chat.completion.chunk", "created": 1750000000,
            "model": "SmolLM2-360M-Instruct-Q8_0.gguf",
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
        .to_string(),
    )
}

#[test]
fn a_stream_ended_by_done_without_finish_reason_is_retried_and_usage_is_estimated() {
    // llama-cpp-python with a second request in flight ends the running stream with `[DONE]` and no
    // finish_reason; it never reports usage, even when asked. Here every item's first attempt is cut
    // that way and the retry completes (still without usage).
    let seen = Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    let server = Server::start(move |req, _| {
        let answer = right_answer(&req.prompt());
        let (head, tail) = answer.split_at(answer.len() / 2);
        let mut events = vec![
            llama_chunk(serde_json::json!({"role": "assistant"}), None),
            llama_chunk(serde_json::json!({"content": head}), None),
        ];
        if seen.lock().unwrap().insert(req.prompt()) {
            events.push(llama_event("[DONE]"));
        } else {
            events.push(llama_chunk(serde_json::json!({"content": tail}), None));
            events.push(llama_chunk(serde_json::json!({}), Some("stop")));
            events.push(llama_event("[DONE]"));
        }
        Reply::Sse { events, gap: Duration::ZERO, cut_after: None }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &arithmetic_suite(4));
    let out = ws.run(&["compare", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        server.requests().iter().all(|r| r.body["stream_options"]["include_usage"] == true),
        "bench asked for usage"
    );

    let summary = ws.summary();
    let o = &summary["providers"][0];
    assert_eq!((o["passed"].as_u64(), o["infra_errors"].as_u64()), (Some(4), Some(0)), "{o}");

    let db = ws.db();
    let mut stmt = db
        .prepare("SELECT task_id, attempt, error_class, input_tokens, output_tokens FROM attempts ORDER BY task_id, attempt")
        .unwrap();
    let attempts: Vec<(String, i64, Option<String>, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(attempts.len(), 8, "one cut and one complete attempt per item: {attempts:?}");
    for pair in attempts.chunks(2) {
        let (cut, good) = (&pair[0], &pair[1]);
        assert_eq!((cut.1, cut.2.as_deref()), (1, Some("truncated_stream")), "{attempts:?}");
        assert_eq!((good.1, good.2.as_deref()), (2, None), "{attempts:?}");
        assert!(good.3 > 0 && good.4 > 0, "the complete answer has estimated tokens: {good:?}");
    }

    let mut stmt = db
        .prepare("SELECT input_tokens, output_tokens, attempts, outcome FROM results WHERE ok = 1")
        .unwrap();
    let results: Vec<(i64, i64, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.len(), 4);
    for (input, output, attempts, outcome) in &results {
        assert!(*input > 0 && *output > 0, "estimated usage is recorded: {input} in, {output} out");
        assert_eq!(*attempts, 2);
        assert!(outcome.contains(r#""usage_estimated":true"#), "{outcome}");
        assert!(outcome.contains(r#""response_id":"chatcmpl-5a1e""#), "{outcome}");
        assert!(outcome.contains(r#""model":"SmolLM2-360M-Instruct-Q8_0.gguf""#), "{outcome}");
    }
}
