//! A run killed with SIGKILL and resumed loses nothing and redoes nothing it had finished.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, two_providers};

fn committed(ws: &Workspace) -> HashSet<(String, String)> {
    let Ok(db) = std::panic::catch_unwind(|| ws.db()) else { return HashSet::new() };
    let Ok(mut stmt) = db.prepare("SELECT provider, task_id FROM results WHERE ok = 1") else {
        return HashSet::new();
    };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn kill_9_then_resume_finishes_with_nothing_lost_and_nothing_twice() {
    let server = Server::start(|req, _| {
        server::answer_paced(req, &right_answer(&req.prompt()), Duration::from_millis(15))
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &arithmetic_suite(30));

    let mut child = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(&ws).len() < 10 {
        assert!(Instant::now() < deadline, "the run made no progress");
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let before = committed(&ws);
    assert!(before.len() < 60, "killed before the end");
    let requests_before = server.requests().len();
    let run_id: String = ws.db().query_row("SELECT run_id FROM runs", [], |r| r.get(0)).unwrap();
    let status: String = ws.db().query_row("SELECT status FROM runs", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "running", "a killed run never got to say it finished");

    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl", "--resume", &run_id]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let resent: Vec<(String, String)> = server.requests()[requests_before..]
        .iter()
        .map(|r| (if r.is_anthropic() { "a" } else { "o" }.to_string(), r.prompt()))
        .collect();
    for (provider, task) in &before {
        let n: usize = task.trim_start_matches('q').parse().unwrap();
        let prompt = format!("What is {n} + {n}?");
        assert!(
            !resent.contains(&(provider.clone(), prompt)),
            "{provider}/{task} was answered before the kill and asked again"
        );
    }
    assert_eq!(resent.len(), 60 - before.len(), "the resumed run asks exactly what was missing");

    let db = ws.db();
    let results: i64 = db.query_row("SELECT COUNT(*) FROM results WHERE ok = 1", [], |r| r.get(0)).unwrap();
    let scores: i64 = db.query_row("SELECT COUNT(*) FROM scores", [], |r| r.get(0)).unwrap();
    assert_eq!((results, scores), (60, 60), "every answer saved once and scored once");
    let summary = ws.summary();
    assert_eq!(summary["run_id"], run_id.as_str());
    assert_eq!(summary["providers"][0]["passed"], 30);
    assert_eq!(summary["providers"][1]["passed"], 30);
    let status: String = db.query_row("SELECT status FROM runs", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "finished");
    // Two providers at max_concurrency = 2; the server counts a request until its reply is written, so
    // a client that already sent the next one can show one more per provider.
    assert!(server.max_in_flight() <= 2 * 2 + 2, "max_concurrency is respected: {}", server.max_in_flight());
}

#[test]
fn resume_of_an_unknown_run_is_a_usage_error() {
    let server = Server::start(|req, _| server::answer(req, "x"));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl", "--resume", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--resume nope: no such run"), "{}", stderr(&out));
    let dry = ws.run(&["compare", "a", "--suite", "prompts.jsonl", "--resume", "nope", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(2), "a dry run of an unknown resume fails like the real one");
    assert!(server.requests().is_empty());
}

#[test]
fn ctrl_c_stops_cleanly_with_exit_130_and_a_resumable_run() {
    stop_with_signal_then_resume("-INT", 130);
}

#[test]
fn sigterm_stops_cleanly_with_exit_143_and_a_resumable_run() {
    stop_with_signal_then_resume("-TERM", 143);
}

/// Send `signal` to a run in the middle: it exits with `code`, saved and marked interrupted, and
/// `--resume` finishes it.
fn stop_with_signal_then_resume(signal: &str, code: i32) {
    let server = Server::start(|req, _| {
        server::answer_paced(req, &right_answer(&req.prompt()), Duration::from_millis(20))
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_concurrency = 2"));
    ws.write("prompts.jsonl", &arithmetic_suite(30));
    let child = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(&ws).len() < 6 {
        assert!(Instant::now() < deadline, "the run made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("interrupted") && err.contains("--resume"), "{err}");
    let (run_id, status): (String, String) =
        ws.db().query_row("SELECT run_id, status FROM runs", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(status, "interrupted");
    let before = committed(&ws).len();
    assert!(before < 60);

    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl", "--resume", &run_id]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(committed(&ws).len(), 60);
    assert_eq!(ws.summary()["providers"][1]["passed"], 30);
}

#[test]
fn a_kill_right_after_the_run_id_is_printed_leaves_a_run_that_resumes() {
    use std::io::BufRead;
    let server = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(5));
    let mut child = ws
        .bench()
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap()).read_line(&mut first).unwrap();
    child.kill().unwrap(); // SIGKILL, as soon as the id is on screen
    child.wait().unwrap();
    let run_id = first.strip_prefix("run ").and_then(|l| l.split(':').next()).unwrap_or_default().to_string();
    assert!(!run_id.is_empty(), "the first line names the run: {first}");

    let resumed = ws.run(&["compare", "--resume", &run_id]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let summary = ws.summary();
    assert_eq!(summary["run_id"], run_id.as_str());
    assert_eq!(
        (summary["providers"][0]["passed"].as_u64(), summary["providers"][1]["passed"].as_u64()),
        (Some(5), Some(5))
    );
}
