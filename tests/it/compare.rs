//! `bench compare` end to end on both wire protocols, streaming and not.

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

/// Provider `a` answers everything right; `o` gets every third task wrong.
fn scoring_server() -> Server {
    Server::start(|req, _| {
        let prompt = req.prompt();
        if req.is_anthropic() {
            server::answer(req, &right_answer(&prompt))
        } else {
            let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
            let text =
                if n.is_multiple_of(3) { "The answer is 7.".to_string() } else { right_answer(&prompt) };
            server::answer(req, &text)
        }
    })
}

fn check_summary(summary: &serde_json::Value, streamed: bool) {
    assert!(summary["run_id"].as_str().is_some_and(|s| !s.is_empty()));
    let providers = summary["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 2);
    let (a, o) = (&providers[0], &providers[1]);
    for field in [
        "name",
        "model",
        "tasks",
        "scored",
        "passed",
        "score",
        "ci95",
        "infra_errors",
        "input_tokens",
        "output_tokens",
        "reasoning_tokens",
        "cost",
        "currency",
        "latency_ms",
        "ttft_ms",
    ] {
        assert!(a.get(field).is_some(), "providers[].{field} missing");
    }
    assert_eq!((a["name"].as_str(), a["model"].as_str()), (Some("a"), Some("claude-test")));
    assert_eq!(
        (a["tasks"].as_u64(), a["scored"].as_u64(), a["passed"].as_u64()),
        (Some(9), Some(9), Some(9))
    );
    assert_eq!(a["score"].as_f64(), Some(1.0));
    assert_eq!((o["passed"].as_u64(), o["infra_errors"].as_u64()), (Some(6), Some(0)));
    assert!((o["score"].as_f64().unwrap() - 6.0 / 9.0).abs() < 1e-9);
    let ci = o["ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < 0.667 && ci[1].as_f64().unwrap() > 0.667);
    // Anthropic: input 12 uncached + 3 cache reads; OpenAI: 15 prompt tokens including 3 cached.
    assert_eq!(a["input_tokens"].as_u64(), Some(9 * 15));
    assert_eq!(o["input_tokens"].as_u64(), Some(9 * 15));
    assert_eq!(a["output_tokens"].as_u64(), Some(9 * 5));
    // a: 12 * 3 + 3 * 0.3 + 5 * 15 per million, nine times.
    assert!((a["cost"].as_f64().unwrap() - 9.0 * (36.0 + 0.9 + 75.0) / 1e6).abs() < 1e-12);
    assert_eq!((a["currency"].as_str(), o["currency"].as_str()), (Some("USD"), Some("CNY")));
    if streamed {
        assert!(a["ttft_ms"]["p50"].as_f64().unwrap() > 0.0);
        assert!(o["ttft_ms"]["p50"].as_f64().unwrap() > 0.0);
    } else {
        assert_eq!(a["ttft_ms"]["p50"].as_f64(), Some(0.0));
    }
    let suites = summary["suites"].as_array().unwrap();
    assert_eq!(suites.len(), 2);
    assert_eq!(suites[0]["suite"].as_str(), Some("prompts"));
    assert_eq!(suites[0]["family"].as_str(), Some("custom"));
    let comparisons = summary["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), 1);
    let c = &comparisons[0];
    assert_eq!(
        (c["baseline"].as_str(), c["candidate"].as_str(), c["suite"].as_str()),
        (Some("a"), Some("o"), Some("all"))
    );
    assert_eq!(c["n_paired"].as_u64(), Some(9));
    assert!((c["diff"].as_f64().unwrap() + 3.0 / 9.0).abs() < 1e-9);
    assert!((c["retention"].as_f64().unwrap() - 6.0 / 9.0).abs() < 1e-9);
    // Three discordant pairs, all one way: exact McNemar p = 2 * 0.5^3.
    assert!((c["p_value"].as_f64().unwrap() - 0.25).abs() < 1e-9);
}

#[test]
fn compares_anthropic_and_openai_providers_streaming() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(9));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl", "--wide"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("provider") && table.contains("claude-test") && table.contains("retention"),
        "{table}"
    );
    assert!(table.contains("66.7%"), "{table}");
    check_summary(&ws.summary(), true);

    let requests = server.requests();
    assert_eq!(requests.len(), 18);
    let anthropic = requests.iter().find(|r| r.is_anthropic()).unwrap();
    assert_eq!(anthropic.header("x-api-key"), Some("sk-test-secret-0123456789"));
    assert_eq!(anthropic.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(anthropic.body["model"], "claude-test");
    let openai = requests.iter().find(|r| !r.is_anthropic()).unwrap();
    assert_eq!(openai.header("authorization"), Some("Bearer sk-test-secret-0123456789"));
    assert_eq!(openai.body["stream_options"]["include_usage"], true);
    // The key never reaches the store.
    let db = std::fs::read(ws.path().join("results/bench.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("sk-test-secret"));
}

#[test]
fn compares_without_streaming() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "stream = false"));
    ws.write("prompts.jsonl", &arithmetic_suite(9));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    check_summary(&ws.summary(), false);
    assert!(server.requests().iter().all(|r| !r.streams()));
}

#[test]
fn json_flag_prints_the_summary_on_stdout_and_the_table_on_stderr() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let out = ws.run(&["compare", "o", "a", "--suite", "prompts.jsonl", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is the summary JSON");
    assert_eq!(summary["baseline"], "o", "the first provider is the baseline");
    assert_eq!(summary["comparisons"][0]["candidate"], "a");
    assert!(stderr(&out).contains("retention"));
}

#[test]
fn baseline_flag_chooses_the_reference() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let out = ws.run(&["compare", "o", "a", "--suite", "prompts.jsonl", "--baseline", "a", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["comparisons"][0]["baseline"], "a");
    assert_eq!(summary["comparisons"][0]["candidate"], "o");
}

#[test]
fn cache_answers_repeat_runs_and_samples_are_independent() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(4));
    let run = |extra: &[&str]| {
        let mut args = vec!["compare", "a", "o", "--suite", "prompts.jsonl"];
        args.extend_from_slice(extra);
        let out = ws.run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    run(&[]);
    assert_eq!(server.requests().len(), 8);
    run(&[]);
    assert_eq!(server.requests().len(), 8, "a second identical run is answered from the cache");
    run(&["--no-cache"]);
    assert_eq!(server.requests().len(), 16);
    run(&["--samples", "3"]);
    assert_eq!(server.requests().len(), 16 + 16, "sample 0 is cached; samples 1 and 2 are new requests");
    let summary = ws.summary();
    assert_eq!(summary["samples"], 3);
    assert_eq!(summary["providers"][0]["scored"], 4);
}

#[test]
fn dry_run_prints_the_plan_and_sends_nothing() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(5));
    let out = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl", "--dry-run"])
        .env_remove("TEST_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(
        plan.contains("est. cost") && plan.contains("CNY") && plan.contains("Nothing was sent"),
        "{plan}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn replay_answers_are_scored_and_compared_like_a_provider() {
    let server = scoring_server();
    let ws = Workspace::new();
    let config = two_providers(&server.url(), "")
        + "\n[providers.prod]\nprotocol = \"replay\"\npath = \"answers.jsonl\"\n";
    ws.write("bench.toml", &config);
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    ws.write(
        "answers.jsonl",
        "{\"task_id\": \"q1\", \"output\": \"2\"}\n{\"task_id\": \"q2\", \"output\": \"5\"}\n{\"task_id\": \"q3\", \"output\": \"Answer: 6\"}\n",
    );
    let out = ws.run(&["compare", "a", "prod", "--suite", "prompts.jsonl", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][1]["name"], "prod");
    assert_eq!(summary["providers"][1]["passed"], 2);
    assert_eq!(summary["comparisons"][0]["n_paired"], 3);
}

#[test]
fn providers_list_shows_every_preset_with_prices() {
    let ws = Workspace::new();
    let out = ws.run(&["providers", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for name in [
        "claude",
        "kimi",
        "kimi-anthropic",
        "deepseek",
        "deepseek-anthropic",
        "qwen",
        "glm",
        "doubao",
        "gpt",
        "spark",
        "qiniu",
        "openrouter",
        "ollama",
        "vllm",
        "llamacpp",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(text.contains("ANTHROPIC_API_KEY") && text.contains("CNY") && text.contains("as of"), "{text}");
}

#[test]
fn limit_takes_the_first_tasks_of_each_suite() {
    let server = scoring_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("first.jsonl", &arithmetic_suite(5));
    ws.write("second.jsonl", &arithmetic_suite(4));
    let out = ws.run(&[
        "compare",
        "a",
        "o",
        "--suite",
        "first.jsonl",
        "--suite",
        "second.jsonl",
        "--limit",
        "2",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][0]["tasks"], 4);
    assert_eq!(server.requests().len(), 8);
    let comparisons: Vec<&str> =
        summary["comparisons"].as_array().unwrap().iter().map(|c| c["suite"].as_str().unwrap()).collect();
    assert_eq!(comparisons, ["all", "first", "second"], "one paired comparison overall and one per suite");
    assert!(
        stderr(&out).contains("first") && stderr(&out).contains("second"),
        "the per-suite table is shown"
    );
}
