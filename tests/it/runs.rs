//! Runs that stand on their own: `bench report` from the store alone, `bench runs`, `--resume latest`,
//! resumes refused when the run would change, and stores written by the previous release.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

/// `a` answers everything right; `o` gets every third task wrong.
fn scoring_server(gap: Duration) -> Server {
    Server::start(move |req, _| {
        let prompt = req.prompt();
        let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
        let text = if !req.is_anthropic() && n.is_multiple_of(3) {
            "The answer is 7.".into()
        } else {
            right_answer(&prompt)
        };
        server::answer_paced(req, &text, gap)
    })
}

/// An arithmetic suite whose tasks fall in two categories.
fn categorised_suite(n: usize) -> String {
    (1..=n)
        .map(|i| {
            let category = if i % 2 == 0 { "even" } else { "odd" };
            format!("{{\"id\": \"q{i}\", \"prompt\": \"What is {i} + {i}?\", \"expected\": \"{}\", \"match\": \"number\", \"category\": \"{category}\"}}\n", 2 * i)
        })
        .collect()
}

fn newest_run(ws: &Workspace) -> String {
    ws.db().query_row("SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0)).unwrap()
}

#[test]
fn report_renders_a_run_from_the_store_alone() {
    let server = scoring_server(Duration::ZERO);
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &categorised_suite(9));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("category") && printed.contains("even"),
        "the table breaks scores down: {printed}"
    );
    let run_id = newest_run(&ws);
    let written =
        std::fs::read_to_string(ws.path().join("results").join(&run_id).join("summary.json")).unwrap();

    std::fs::remove_file(ws.path().join("bench.toml")).unwrap();
    std::fs::remove_file(ws.path().join("prompts.jsonl")).unwrap();
    let json = ws.run(&["report", &run_id, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert_eq!(stdout(&json), written, "the same summary.json, byte for byte");
    let table = ws.run(&["report", "latest"]);
    assert_eq!(stdout(&table), printed, "the same table compare printed");

    let markdown = ws.run(&["report", "latest", "--format", "markdown", "--output", "report.md"]);
    assert_eq!(markdown.status.code(), Some(0), "{}", stderr(&markdown));
    let md = std::fs::read_to_string(ws.path().join("report.md")).unwrap();
    assert!(
        md.contains("| **a** |") && md.contains("### Per category") && md.contains("| even | o |"),
        "{md}"
    );

    let missing = ws.run(&["report", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope: no such run"), "{}", stderr(&missing));
}

#[test]
fn a_resume_that_would_change_the_run_is_refused_with_what_differs() {
    let server = scoring_server(Duration::ZERO);
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let run_id = newest_run(&ws);
    let requests = server.requests().len();
    let resume = |extra: &[&str]| {
        let mut args = vec!["compare", "a", "o", "--suite", "prompts.jsonl", "--resume", run_id.as_str()];
        args.extend_from_slice(extra);
        ws.run(&args)
    };

    let refused = resume(&["--samples", "2"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--samples: 1 -> 2"), "{}", stderr(&refused));

    let fewer = ws.run(&["compare", "a", "--suite", "prompts.jsonl", "--resume", &run_id]);
    assert_eq!(fewer.status.code(), Some(2));
    assert!(stderr(&fewer).contains("providers: a o -> a"), "{}", stderr(&fewer));

    ws.write("prompts.jsonl", &arithmetic_suite(4));
    let refused = resume(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("suite `prompts` changed"), "{}", stderr(&refused));
    ws.write("prompts.jsonl", &arithmetic_suite(3));

    ws.write("bench.toml", &two_providers(&server.url(), "").replace("gpt-test", "gpt-other"));
    let refused = resume(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("provider `o` model: gpt-test -> gpt-other"), "{}", stderr(&refused));

    assert_eq!(server.requests().len(), requests, "nothing was sent by a refused resume");
    let summary = ws.summary();
    assert_eq!(summary["providers"].as_array().unwrap().len(), 2, "the run's summary is untouched");
}

#[test]
fn kill_9_shows_interrupted_and_resume_latest_finishes_from_the_store() {
    let server = scoring_server(Duration::from_millis(15));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &categorised_suite(30));
    let mut child = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl", "--samples", "1", "--max-tokens", "64"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let answered = |ws: &Workspace| -> i64 {
        std::panic::catch_unwind(|| {
            ws.db().query_row("SELECT COUNT(*) FROM results", [], |r| r.get(0)).unwrap_or(0)
        })
        .unwrap_or(0)
    };
    while answered(&ws) < 8 {
        assert!(Instant::now() < deadline, "the run made no progress");
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let running = ws.run(&["runs"]);
    assert!(stdout(&running).contains("running"), "a live run shows as running: {}", stdout(&running));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let runs = ws.run(&["runs"]);
    assert_eq!(runs.status.code(), Some(0), "{}", stderr(&runs));
    let listing = stdout(&runs);
    assert!(
        listing.contains("interrupted") && listing.contains("a o") && listing.contains("/ 60"),
        "{listing}"
    );

    let finished = ws.run(&["compare", "--resume", "latest"]);
    assert_eq!(finished.status.code(), Some(0), "{}", stderr(&finished));
    let summary = ws.summary();
    assert_eq!(
        (summary["providers"][0]["passed"].as_u64(), summary["providers"][1]["passed"].as_u64()),
        (Some(30), Some(20))
    );
    let max_tokens: Vec<u64> =
        server.requests().iter().filter_map(|r| r.body["max_tokens"].as_u64()).collect();
    assert!(max_tokens.iter().all(|&m| m == 64), "options come from the stored run: {max_tokens:?}");
    assert!(stdout(&ws.run(&["runs"])).contains("finished"));

    std::fs::remove_file(ws.path().join("bench.toml")).unwrap();
    let md = ws.run(&["report", "latest", "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    assert!(stdout(&md).contains("### Per category"), "{}", stdout(&md));
    let again = ws.run(&["compare", "--resume", "latest"]);
    assert_eq!(again.status.code(), Some(2), "nothing left to resume");
    assert!(stderr(&again).contains("no unfinished run"), "{}", stderr(&again));
}

#[test]
fn a_store_of_the_previous_format_is_read_and_upgraded_in_place() {
    let ws = Workspace::new();
    std::fs::create_dir_all(ws.path().join("results")).unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.sqlite");
    std::fs::copy(fixture, ws.path().join("results/bench.sqlite")).unwrap();

    let runs = ws.run(&["runs"]);
    assert_eq!(runs.status.code(), Some(0), "{}", stderr(&runs));
    assert!(
        stdout(&runs).contains("20261207-004106-bcff") && stdout(&runs).contains("finished"),
        "{}",
        stdout(&runs)
    );
    let version: i64 = ws.db().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 5, "upgraded in place to the current schema");

    let json = ws.run(&["report", "20261207-004106-bcff", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let providers = summary["providers"].as_array().unwrap();
    assert_eq!(
        (providers[0]["name"].as_str(), providers[0]["model"].as_str()),
        (Some("rec"), Some("recorded-model"))
    );
    assert_eq!((providers[0]["passed"].as_u64(), providers[1]["passed"].as_u64()), (Some(3), Some(1)));
    assert_eq!(providers[1]["input_tokens"].as_u64(), Some(30));
    assert_eq!(summary["comparisons"][0]["n_paired"].as_u64(), Some(3));
    assert_eq!(
        summary["categories"].as_array().map(Vec::len),
        Some(4),
        "categories stored by v1 are reported"
    );

    let html = ws.run(&["report", "20261207-004106-bcff", "--format", "html", "--output", "old.html"]);
    assert_eq!(html.status.code(), Some(0), "{}", stderr(&html));
    let html = std::fs::read_to_string(ws.path().join("old.html")).unwrap();
    assert!(
        html.contains("id=\"score-by-category\""),
        "a run stored before prompt excerpts still gets its report"
    );

    // The upgraded store takes new runs beside the old one.
    ws.write("answers.jsonl", "{\"task_id\": \"t1\", \"output\": \"2\"}\n");
    ws.write(
        "bench.toml",
        "[providers.rec]\nprotocol = \"replay\"\npath = \"answers.jsonl\"\nmodel = \"m\"\n",
    );
    ws.write(
        "p.jsonl",
        "{\"id\": \"t1\", \"prompt\": \"1+1?\", \"expected\": \"2\", \"match\": \"number\"}\n",
    );
    let out = ws.run(&["compare", "rec", "--suite", "p.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&ws.run(&["runs"])).matches("finished").count(), 2);
}
