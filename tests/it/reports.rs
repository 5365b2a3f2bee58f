//! Reports of stored runs beyond the summary: two runs side by side (`bench report A B`), the
//! migration report and its `[migration]` rules, and the statistics and failure taxonomy summary.json
//! gains.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::server::{self, Reply, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

/// The task number in an arithmetic prompt (`What is N + N?`).
fn task_number(prompt: &str) -> u64 {
    prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn newest_run(ws: &Workspace) -> String {
    ws.db().query_row("SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0)).unwrap()
}

#[test]
fn report_a_b_pairs_tasks_by_fingerprint_and_lists_the_flips() {
    // First run: `o` gets q3 and q6 wrong. Second run: `o` gets q1 wrong, the rest right.
    let second = Arc::new(AtomicBool::new(false));
    let phase = second.clone();
    let server = Server::start(move |req, _| {
        let n = task_number(&req.prompt());
        let wrong =
            !req.is_anthropic() && if phase.load(Ordering::SeqCst) { n == 1 } else { n.is_multiple_of(3) };
        server::answer(req, &if wrong { "The answer is 7.".to_string() } else { right_answer(&req.prompt()) })
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(6));
    let first = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let run_a = newest_run(&ws);

    // q6 is asked differently now: a new fingerprint, so it is not the same question.
    let changed = arithmetic_suite(6).replace("What is 6 + 6?", "What is 6 + 6? Answer with a number.");
    ws.write("prompts.jsonl", &changed);
    second.store(true, Ordering::SeqCst);
    let again = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl", "--no-cache"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));

    let table = ws.bench().env("COLUMNS", "200").args(["report", &run_a, "latest"]).output().unwrap();
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("5 (1 changed, left out)") && text.contains("−1 / +1"), "{text}");
    assert!(
        text.contains("o · prompts: pass → fail (1): q1") && text.contains("fail → pass (1): q3"),
        "{text}"
    );

    let json = ws.run(&["report", &run_a, "latest", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let diff: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let o = &diff["changes"][1];
    assert_eq!(
        (o["provider"].as_str(), o["n_paired"].as_u64(), o["changed"].as_u64()),
        (Some("o"), Some(5), Some(1))
    );
    assert_eq!((o["pass_to_fail"][0].as_str(), o["fail_to_pass"][0].as_str()), (Some("q1"), Some("q3")));
    assert_eq!((o["score_before"].as_f64(), o["score_after"].as_f64()), (Some(0.8), Some(0.8)));
    assert_eq!(diff["before"]["run_id"].as_str(), Some(run_a.as_str()));

    let md = ws.run(&["report", &run_a, "latest", "--format", "markdown"]);
    assert!(stdout(&md).contains("### Flipped tasks"), "{}", stdout(&md));
    let both = ws.run(&["report", &run_a, "latest", "--migration"]);
    assert_eq!(both.status.code(), Some(2), "two runs and --migration do not go together");
    let missing = ws.run(&["report", &run_a, "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope: no such run"), "{}", stderr(&missing));
}

/// `n` arithmetic tasks in the categories `even` and `odd`.
fn categorised(n: usize) -> String {
    (1..=n)
        .map(|i| {
            let category = if i % 2 == 0 { "even" } else { "odd" };
            format!("{{\"id\": \"q{i}\", \"prompt\": \"What is {i} + {i}?\", \"expected\": \"{}\", \"match\": \"number\", \"category\": \"{category}\"}}\n", 2 * i)
        })
        .collect()
}

#[test]
fn the_migration_report_follows_the_rules_in_bench_toml() {
    // `o` misses one task in ten, all of them odd: even keeps everything, odd 80%.
    let server = Server::start(|req, _| {
        let n = task_number(&req.prompt());
        let wrong = !req.is_anthropic() && n % 10 == 5;
        server::answer(req, &if wrong { "The answer is 7.".to_string() } else { right_answer(&req.prompt()) })
    });
    let ws = Workspace::new();
    let rules = "[migration]\nmin_tasks = 10\ncare_min_retention = 0.85\nmin_retention = 0.85\nmax_ci_width = 1.0\nmax_latency_ratio = 100\n";
    ws.write("bench.toml", &format!("{}\n{rules}", two_providers(&server.url(), "")));
    ws.write("prompts.jsonl", &categorised(40));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let md = ws.run(&["report", "latest", "--migration", "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    let text = stdout(&md);
    let summary_at = text.find("## Executive summary").unwrap();
    assert!(summary_at < text.find("## o").unwrap() && text.starts_with("# Migration report"), "{text}");
    // Even: retention 100% on 20 tasks, a switch (its cost is in another currency: a note, not a
    // rule). Odd: 80%, under care_min_retention. All: 90%, but its CI reaches under min_retention.
    assert!(text.contains("### custom / even: switch\n"), "{text}");
    assert!(text.contains("| `min_tasks` | fewer paired tasks: keep the baseline | 10 |"), "{text}");
    assert!(text.contains("cost not compared: a price is missing or the currencies differ"), "{text}");

    // The same report as one printable page: no external asset, the recommendations marked.
    let html = ws.run(&["report", "latest", "--migration", "--format", "html", "--output", "migration.html"]);
    assert_eq!(html.status.code(), Some(0), "{}", stderr(&html));
    let page = std::fs::read_to_string(ws.path().join("migration.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<h2>Executive summary</h2>"), "{page}");
    assert!(page.contains("<table>") && page.contains("@media print"), "{page}");
    assert!(page.contains("custom / even: switch</h3>"), "{page}");
    assert!(!page.contains("src=") && !page.contains("href=\"http"), "{page}");

    let json = ws.run(&["report", "latest", "--migration", "--format", "json"]);
    let model: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let workloads: Vec<(&str, Option<&str>, &str)> = model["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (a["family"].as_str().unwrap(), a["category"].as_str(), a["recommendation"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        workloads,
        [
            ("all", None, "switch_with_care"),
            ("custom", Some("even"), "switch"),
            ("custom", Some("odd"), "keep_baseline")
        ]
    );
    assert_eq!(model["rules"]["min_tasks"].as_u64(), Some(10));
    assert_eq!(model["assessments"][2]["retention"]["n"].as_u64(), Some(20));

    let providers = two_providers(&server.url(), "");
    ws.write("bench.toml", &format!("{providers}\n[migration]\nmax_error_rate = 2\n"));
    let bad = ws.run(&["report", "latest", "--migration"]);
    assert_eq!(bad.status.code(), Some(2));
    let line = providers.lines().count() + 3;
    let expected = format!("bench.toml:{line}: [migration] max_error_rate = 2; expected a value from 0 to 1");
    assert!(stderr(&bad).contains(&expected), "{}", stderr(&bad));
}

#[test]
fn summary_json_gains_power_holm_retention_ci_distributions_and_the_failure_taxonomy() {
    // `o` answers q2 with a content filter, q4 wrongly; `a`'s q5 is lost to a 500 every time.
    let server = Server::start(|req, _| {
        let n = task_number(&req.prompt());
        match (req.is_anthropic(), n) {
            (false, 2) => {
                let events = server::openai_events("I cannot help with that.")
                    .into_iter()
                    .map(|e| e.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"content_filter\""))
                    .collect();
                Reply::Sse { events, gap: Duration::ZERO, cut_after: None }
            }
            (false, 4) => server::answer(req, "The answer is 7."),
            (true, 5) => server::json(
                500,
                serde_json::json!({"type": "error", "error": {"type": "api_error", "message": "boom"}}),
            ),
            _ => server::answer(req, &right_answer(&req.prompt())),
        }
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 0"));
    ws.write("prompts.jsonl", &categorised(6));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = ws.summary();

    let o_failures = summary["failures"].as_array().unwrap().iter().find(|f| f["provider"] == "o").unwrap();
    assert_eq!(
        o_failures["capability"],
        serde_json::json!({"refusal": 1, "wrong_answer": 1}),
        "{o_failures}"
    );
    assert_eq!(o_failures["infrastructure_total"].as_u64(), Some(0));
    let a_failures = &summary["failures"][0];
    assert_eq!(a_failures["infrastructure"], serde_json::json!({"server": 1}), "{a_failures}");

    let c = &summary["comparisons"][0];
    assert_eq!(c["n_paired"].as_u64(), Some(5));
    assert!(c["underpowered"].as_bool().unwrap() && c["mdd"].as_f64().unwrap() > 0.05, "{c}");
    assert_eq!(c["p_holm"], c["p_value"], "the overall comparison is not corrected");
    assert!(c["retention_ci95"].as_array().is_some_and(|ci| ci.len() == 2), "{c}");
    for category in summary["category_comparisons"].as_array().unwrap() {
        assert!(category["p_holm"].as_f64().unwrap() >= category["p_value"].as_f64().unwrap(), "{category}");
    }
    let o = &summary["providers"][1];
    let cost_per_solved = o["cost"].as_f64().unwrap() / 4.0;
    assert!((o["cost_per_solved"].as_f64().unwrap() - cost_per_solved).abs() < 1e-12, "{o}");
    let latency = &o["latency_distribution"];
    assert_eq!(latency["n"].as_u64(), Some(6));
    let counts: u64 =
        latency["histogram"]["counts"].as_array().unwrap().iter().filter_map(|c| c.as_u64()).sum();
    assert_eq!(counts, 6);
    assert!(latency["percentiles"]["p99"].as_f64() >= latency["percentiles"]["p10"].as_f64(), "{latency}");
    assert_eq!(o["ttft_distribution"]["n"].as_u64(), Some(6), "streamed answers have a TTFT");

    let md = ws.run(&["report", "latest", "--format", "markdown"]);
    let text = stdout(&md);
    assert!(text.contains("| o | all | 0 of 6 | 2 of 6: refusal 1, wrong_answer 1 |"), "{text}");
    assert!(text.contains("Too few tasks to detect a 5-point difference"), "{text}");
}
