//! Providers that cannot be measured: a dead endpoint trips the circuit breaker within seconds, a
//! provider that scored nothing fails the command, and every planned item is accounted for.

use std::time::Duration;

use crate::server::{self, Reply, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, two_providers};

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// bench.toml with a working provider `a` on `live` and an OpenAI-protocol provider `dead` on `dead_url`.
fn live_and_dead(live: &str, dead_url: &str) -> String {
    let providers = two_providers(live, "max_concurrency = 4");
    format!(
        "{providers}\n[providers.dead]\nprotocol = \"openai\"\nbase_url = \"{dead_url}\"\nmodel = \"gpt-test\"\napi_key_env = \"TEST_KEY\"\nmax_concurrency = 4\n"
    )
}

fn attempts_of(ws: &Workspace, provider: &str) -> i64 {
    ws.db().query_row("SELECT COUNT(*) FROM attempts WHERE provider = ?1", [provider], |r| r.get(0)).unwrap()
}

#[test]
fn a_dead_endpoint_trips_the_breaker_and_fails_the_command_naming_the_url() {
    let live = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
    let dead_url = format!("http://127.0.0.1:{}/v1", closed_port());
    let ws = Workspace::new();
    ws.write("bench.toml", &live_and_dead(&live.url(), &dead_url));
    ws.write("prompts.jsonl", &arithmetic_suite(200));
    let out = ws.run(&["compare", "a", "dead", "--suite", "prompts.jsonl"]);

    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("provider `dead` stopped early") && err.contains(&dead_url), "{err}");
    assert!(err.contains("none ever succeeded"), "{err}");
    // 200 items with 4 retries each would be 1,000 connection attempts; the breaker stops after a
    // few seconds' streak (about 4 workers x 4 steps of the retry schedule).
    let attempts = attempts_of(&ws, "dead");
    assert!(attempts <= 40, "{attempts} attempts against a closed port");

    let summary = ws.summary();
    let dead = &summary["providers"][1];
    assert_eq!(dead["items"], 200, "{dead}");
    assert_eq!(dead["scored"], 0, "{dead}");
    let failed = dead["infra_errors"].as_u64().unwrap();
    let missing = dead["not_attempted"].as_u64().unwrap();
    assert_eq!(failed + missing, 200, "every planned item is a failure or not attempted: {dead}");
    assert!(missing >= 150, "{dead}");
    let why = dead["not_attempted_why"].as_str().unwrap();
    assert!(why.contains("stopped early: network") && why.contains(&dead_url), "{why}");
    assert_eq!(summary["providers"][0]["passed"], 200, "the live provider finished");
    let table = crate::stdout(&out);
    assert!(table.contains(&format!("dead: {missing} of 200 items not attempted")), "{table}");
}

#[test]
fn a_gateway_answering_502_to_everything_is_stopped_too() {
    let server = Server::start(|req, _| {
        if req.is_anthropic() {
            server::answer(req, &right_answer(&req.prompt()))
        } else {
            server::json(
                502,
                serde_json::json!({"error": {"message": "upstream connect error", "type": "server_error"}}),
            )
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &arithmetic_suite(100));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("provider `o` stopped early: server (HTTP 502)"), "{}", stderr(&out));
    assert!(attempts_of(&ws, "o") <= 30, "{} attempts", attempts_of(&ws, "o"));
    let o = &ws.summary()["providers"][1];
    assert!(o["not_attempted"].as_u64().unwrap() >= 80, "{o}");
}

#[test]
fn a_provider_that_answered_once_keeps_its_retries() {
    // The first answer succeeds, then the server fails every request with 500: the breaker stays
    // open, every item spends its retries and is recorded as a server failure.
    let server = Server::start(|req, n| {
        if n == 0 {
            server::answer(req, &right_answer(&req.prompt()))
        } else {
            server::json(500, serde_json::json!({"error": {"message": "internal", "type": "api_error"}}))
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 1\nmax_retries = 1"));
    ws.write("prompts.jsonl", &arithmetic_suite(4));
    let out = ws.run(&["compare", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "one task scored: {}", stderr(&out));
    let o = &ws.summary()["providers"][0];
    assert_eq!((o["scored"].as_u64(), o["infra_errors"].as_u64()), (Some(1), Some(3)), "{o}");
    assert_eq!(o["not_attempted"], 0, "{o}");
    assert_eq!(attempts_of(&ws, "o"), 1 + 3 * 2);
}

#[test]
fn a_server_answering_only_done_answers_nothing_and_fails_the_command() {
    let server = Server::start(|_, _| Reply::Sse {
        events: vec!["data: [DONE]\n\n".into()],
        gap: Duration::ZERO,
        cut_after: None,
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 1"));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let out = ws.run(&["compare", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("provider `o` answered nothing: 3 of 3 items failed (truncated_stream 3)"),
        "{}",
        stderr(&out)
    );
    let table = crate::stdout(&out);
    assert!(table.contains("— (0/3)") && !table.contains("0.0%"), "an empty score is a dash: {table}");
}
