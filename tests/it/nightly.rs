//! Runs as a series: `bench run --tag` (answered afresh, with the canary), `bench regress` catching a
//! regression planted in a loopback provider (an accuracy drop, a burst of errors, a model id that
//! moved, other canary answers) and passing a change the size of sampling noise, and `bench history`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::server::{self, Reply, Request, Server};
use crate::{Workspace, arithmetic_suite, assert_valid_junit, right_answer, stderr, stdout};

/// How the provider behaves in one night: which task numbers it gets wrong, which fail with a 500,
/// the model id it reports and its answer to every canary question.
#[derive(Clone, Copy)]
struct Night {
    wrong: fn(u64) -> bool,
    broken: fn(u64) -> bool,
    model: &'static str,
    canary: &'static str,
}

const GOOD: Night = Night { wrong: |_| false, broken: |_| false, model: "gpt-test-0905", canary: "Canberra" };

/// A non-streaming OpenAI-style server whose behaviour is the night `nights[phase]`.
fn provider(nights: Vec<Night>, phase: Arc<AtomicUsize>) -> Server {
    Server::start(move |req: &Request, _| {
        let night = nights[phase.load(Ordering::SeqCst).min(nights.len() - 1)];
        let prompt = req.prompt();
        let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
        let text = if prompt.contains("Reply with") {
            night.canary.to_string()
        } else if (night.broken)(n) {
            return server::json(
                500,
                serde_json::json!({"error": {"message": "upstream failed", "type": "server_error"}}),
            );
        } else if (night.wrong)(n) {
            "The answer is 7.".to_string()
        } else {
            right_answer(&prompt)
        };
        openai_answer(&text, night.model)
    })
}

fn openai_answer(text: &str, model: &str) -> Reply {
    server::json(
        200,
        serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": model,
            "system_fingerprint": format!("fp_{model}"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 15, "completion_tokens": 5, "total_tokens": 20}
        }),
    )
}

/// A workspace with provider `o` on `server` and a 40-task suite `nightly.jsonl`.
/// Loopback latency is noise (a loaded CI machine doubles it between two runs): no test here gates on it.
const LATENCY_IS_NOISE: &str = "max_latency_increase = 1000.0\n";

fn workspace(server: &Server, regress: &str) -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "bench.toml",
        &format!(
            "[providers.o]\nprotocol = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"gpt-test\"\napi_key_env = \"TEST_KEY\"\nstream = false\nmax_retries = 0\n[providers.o.price]\ninput = 1.0\noutput = 2.0\n[regress]\n{LATENCY_IS_NOISE}{regress}",
            server.url()
        ),
    );
    ws.write("nightly.jsonl", &arithmetic_suite(40));
    ws
}

fn nightly_run(ws: &Workspace, extra: &[&str]) {
    let mut args = vec!["run", "o", "--suite", "nightly.jsonl", "--tag", "nightly"];
    args.extend_from_slice(extra);
    let out = ws.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn two_tagged_runs_where_the_second_is_worse_fail_the_gate_with_the_suite_and_the_drop() {
    let phase = Arc::new(AtomicUsize::new(0));
    let worse = Night { wrong: |n| n <= 12, ..GOOD };
    let server = provider(vec![GOOD, worse], Arc::clone(&phase));
    let ws = workspace(&server, "");

    nightly_run(&ws, &[]);
    let first = ws.run(&["regress", "--against", "latest:nightly", "--junit", "first.xml"]);
    assert_eq!(first.status.code(), Some(0), "the first night has nothing to compare: {}", stderr(&first));
    assert!(
        stdout(&first).contains("nothing to compare: no run tagged `nightly` started before"),
        "{}",
        stdout(&first)
    );
    assert!(std::fs::read_to_string(ws.path().join("first.xml")).unwrap().contains("<skipped"));
    assert_valid_junit(&ws.path().join("first.xml"));

    phase.store(1, Ordering::SeqCst);
    let served = server.served();
    nightly_run(&ws, &[]);
    assert_eq!(server.served() - served, 40, "a run asks afresh: nothing comes from the cache");

    let md =
        ws.run(&["regress", "--against", "latest:nightly", "--format", "markdown", "--junit", "regress.xml"]);
    assert_eq!(md.status.code(), Some(1), "{}", stderr(&md));
    let text = stdout(&md);
    assert!(text.starts_with("## bench regress: FAILED: 1 regression"), "{text}");
    assert!(
        text.contains("- **o · nightly**: score dropped 100.0% → 70.0% (-30.0 pt")
            && text.contains("over 40 tasks"),
        "names the suite and the size of the drop: {text}"
    );
    assert_valid_junit(&ws.path().join("regress.xml"));
    let junit = std::fs::read_to_string(ws.path().join("regress.xml")).unwrap();
    assert!(junit.contains(r#"<testcase name="nightly" classname="bench.regress.o""#), "{junit}");
    assert!(junit.contains(r#"type="regression">o · nightly: score dropped"#), "{junit}");

    // Thresholds from bench.toml, and a flag over them.
    ws.write("loose.toml", &format!("[regress]\nmax_drop = 0.35\n{LATENCY_IS_NOISE}"));
    let loose = ws.run(&["regress", "--against", "latest:nightly", "--config", "loose.toml"]);
    assert_eq!(loose.status.code(), Some(0), "a 30-point drop is within 35: {}", stdout(&loose));
    assert!(stdout(&loose).contains(": passed"), "{}", stdout(&loose));
    let strict =
        ws.run(&["regress", "--against", "latest:nightly", "--config", "loose.toml", "--max-drop", "0.1"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    ws.write("bad.toml", "[regress]\n\nalpha = 2\n");
    let bad = ws.run(&["regress", "--against", "latest:nightly", "--config", "bad.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("bad.toml:3: [regress] alpha = 2"), "{}", stderr(&bad));

    // The earlier run named by id, the run checked named too: the same verdict.
    let ids: Vec<String> = ws
        .db()
        .prepare("SELECT run_id FROM runs ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let by_id = ws.run(&["regress", &ids[1], "--against", &ids[0], "--format", "json"]);
    assert_eq!(by_id.status.code(), Some(1), "{}", stderr(&by_id));
    let json: serde_json::Value = serde_json::from_slice(&by_id.stdout).unwrap();
    assert_eq!(json["checks"][0]["regressions"][0]["metric"], "score");
    assert_eq!(json["after"]["tag"], "nightly");
    let runs = ws.run(&["runs"]);
    assert!(stdout(&runs).contains("tag") && stdout(&runs).contains("nightly"), "{}", stdout(&runs));

    let typo = ws.run(&["regress", "--against", "latest:nigthly"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(stderr(&typo).contains("no run in results is tagged `nigthly`"), "{}", stderr(&typo));
    let itself = ws.run(&["regress", &ids[1], "--against", &ids[1]]);
    assert_eq!(itself.status.code(), Some(2), "{}", stderr(&itself));
}

#[test]
fn a_difference_the_size_of_sampling_noise_passes() {
    // 30 of 40, then 28 of 40 with three tasks lost and one won: -5 points, McNemar p = 0.625.
    let before = Night { wrong: |n| n <= 10, ..GOOD };
    let after = Night { wrong: |n| n <= 9 || (11..=13).contains(&n), ..GOOD };
    let phase = Arc::new(AtomicUsize::new(0));
    let server = provider(vec![before, after], Arc::clone(&phase));
    let ws = workspace(&server, "");
    nightly_run(&ws, &[]);
    phase.store(1, Ordering::SeqCst);
    nightly_run(&ws, &[]);
    let out =
        ws.bench().env("COLUMNS", "200").args(["regress", "--against", "latest:nightly"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains(": passed") && text.contains("75.0% → 70.0%"), "{text}");
    assert!(!text.contains("REGRESSION"), "{text}");
}

#[test]
fn a_burst_of_errors_is_a_regression_of_its_own() {
    let burst = Night { broken: |n| n <= 6, ..GOOD };
    let phase = Arc::new(AtomicUsize::new(0));
    let server = provider(vec![GOOD, burst], Arc::clone(&phase));
    let ws = workspace(&server, "");
    nightly_run(&ws, &[]);
    phase.store(1, Ordering::SeqCst);
    nightly_run(&ws, &[]);
    let out = ws.run(&["regress", "--against", "latest:nightly", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("- **o · nightly**: infrastructure error rate rose 0.0% → 15.0% (+15.0 pt; at most +5.0 pt passes)"),
        "{text}"
    );
    assert!(!text.contains("score dropped"), "the answers given were all right: {text}");
}

#[test]
fn a_model_id_that_moved_and_new_canary_answers_are_drift() {
    let moved = Night { model: "gpt-test-1120", canary: "Canberra, Australia", ..GOOD };
    let phase = Arc::new(AtomicUsize::new(0));
    let server = provider(vec![GOOD, moved], Arc::clone(&phase));
    let ws = workspace(&server, "");
    nightly_run(&ws, &["--canary"]);
    let canaries: i64 = ws.db().query_row("SELECT COUNT(*) FROM canaries", [], |r| r.get(0)).unwrap();
    assert_eq!(canaries, 1);
    let answers: String = ws.db().query_row("SELECT answers FROM canaries", [], |r| r.get(0)).unwrap();
    assert_eq!(answers.matches("Canberra").count(), 5, "{answers}");
    let results: i64 = ws.db().query_row("SELECT COUNT(*) FROM results", [], |r| r.get(0)).unwrap();
    assert_eq!(results, 40, "canary answers are not results of the run");
    phase.store(1, Ordering::SeqCst);
    nightly_run(&ws, &["--canary"]);

    let warned =
        ws.bench().env("COLUMNS", "300").args(["regress", "--against", "latest:nightly"]).output().unwrap();
    assert_eq!(warned.status.code(), Some(0), "drift alone warns: {}", stdout(&warned));
    let text = stdout(&warned);
    assert!(text.contains("passed, with 3 drift warnings"), "{text}");
    assert!(
        text.contains("warning: o: the model the provider reported changed: gpt-test-0905 → gpt-test-1120"),
        "{text}"
    );
    assert!(
        text.contains("warning: o: the system_fingerprint set changed: fp_gpt-test-0905 → fp_gpt-test-1120"),
        "{text}"
    );
    assert!(
        text.contains("warning: o: the canary answers changed:")
            && text
                .contains("(5 of 5 questions: canary-1: \"Canberra\" → \"Canberra, Australia\"; canary-2:")
            && text.contains("; and 3 more)"),
        "{text}"
    );

    let failed =
        ws.run(&["regress", "--against", "latest:nightly", "--fail-on-drift", "--format", "markdown"]);
    assert_eq!(failed.status.code(), Some(1), "{}", stdout(&failed));
    assert!(stdout(&failed).contains("### Drift (fails the check)"), "{}", stdout(&failed));
}

#[test]
fn history_shows_each_tagged_run_oldest_first() {
    let phase = Arc::new(AtomicUsize::new(0));
    let nights = vec![GOOD, Night { wrong: |n| n <= 4, ..GOOD }, Night { wrong: |n| n <= 8, ..GOOD }];
    let server = provider(nights, Arc::clone(&phase));
    let ws = workspace(&server, "");
    for night in 0..3 {
        phase.store(night, Ordering::SeqCst);
        nightly_run(&ws, &[]);
    }
    let untagged = ws.run(&["compare", "o", "--suite", "nightly.jsonl", "--no-cache"]);
    assert_eq!(untagged.status.code(), Some(0), "{}", stderr(&untagged));

    let table = ws.bench().env("COLUMNS", "120").args(["history", "--tag", "nightly"]).output().unwrap();
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("o · nightly (3 runs)") && text.contains("3 runs tagged `nightly`"), "{text}");
    let scores: Vec<usize> = ["100.0%", "90.0%", "80.0%"].iter().map(|s| text.find(s).unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] < w[1]), "oldest first: {text}");
    assert!(text.contains("-10.0 pt") && text.contains("0.0% (0)"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 120, "fits the width: {line}");
    }

    let json = ws.run(&["history", "--tag", "nightly", "--provider", "o", "--suite", "nightly", "--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let history: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let points = history["series"][0]["points"].as_array().unwrap();
    let scores: Vec<f64> = points.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert_eq!(scores, [1.0, 0.9, 0.8]);
    assert_eq!(history["runs"].as_array().unwrap().len(), 3, "the untagged run is not in the series");
    assert!(points.iter().all(|p| p["error_rate"] == 0.0
        && p["latency_p95_ms"].is_number()
        && p["cost"].as_f64() > Some(0.0)));

    let wrong = ws.run(&["history", "--tag", "nightly", "--provider", "oo"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stderr(&wrong).contains("--provider oo: not in the runs tagged `nightly` (did you mean `o`?)"),
        "{}",
        stderr(&wrong)
    );
    let none = ws.run(&["history", "--tag", "weekly"]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));

    // The HTML report of a tagged run draws the series up to it; an untagged run has no trend.
    let runs: Vec<String> = {
        let db = ws.db();
        let mut stmt = db.prepare("SELECT run_id FROM runs ORDER BY created_at, rowid").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let page =
        |run: &str| std::fs::read_to_string(ws.path().join("results").join(run).join("report.html")).unwrap();
    assert!(!page(&runs[0]).contains("id=\"trend-score-nightly\""), "the first night has no trend");
    let third = page(&runs[2]);
    for id in ["trend-score-nightly", "trend-cost", "trend-latency", "trend-errors"] {
        assert!(
            third.contains(&format!("<figure class=\"chart\" id=\"{id}\">")),
            "{id} in the third night's report"
        );
    }
    assert!(!page(&runs[3]).contains("id=\"trend-"), "the untagged run has no trend");
    let report = ws.run(&["report", &runs[1], "--format", "html", "--output", "second.html"]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let second = std::fs::read_to_string(ws.path().join("second.html")).unwrap();
    assert!(
        second.contains("Mean task score on nightly in each run tagged `nightly` up to this one"),
        "the trend of a stored run stops at it"
    );
}
