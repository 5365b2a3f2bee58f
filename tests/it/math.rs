//! The math family end to end: a MATH-format suite, several samples per task, pass@k and the
//! majority vote.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::server::{self, Server};
use crate::{Workspace, stderr, two_providers};

/// Two MATH-style problems whose gold answers are `\frac{1}{2}` and `12`.
const PROBLEMS: &str = r#"{"problem": "What is $\\frac{2}{4}$ in lowest terms?", "answer": "\\frac{1}{2}", "subject": "Prealgebra", "level": 1, "unique_id": "test/prealgebra/1.json"}
{"problem": "What is $3 \\cdot 4$?", "answer": "12", "subject": "Prealgebra", "level": 1, "unique_id": "test/prealgebra/2.json"}
"#;

/// Per provider and problem, the answers its five samples give, in whatever order they are asked.
/// `a` is right twice out of five, and its wrong answers all differ: the vote picks the right one.
/// `o` is also right twice, but three samples agree on the same wrong answer: the vote loses.
fn voting_server() -> Server {
    let asked: Mutex<HashMap<(bool, bool), usize>> = Mutex::new(HashMap::new());
    Server::start(move |req, _| {
        let half = req.prompt().contains("frac");
        let nth = {
            let mut asked = asked.lock().unwrap();
            let n = asked.entry((req.is_anthropic(), half)).or_default();
            *n += 1;
            *n - 1
        };
        let (right, wrong): (&str, [&str; 3]) = match (req.is_anthropic(), half) {
            (true, true) => ("0.5", ["\\frac{2}{3}", "0.25", "2"]),
            (true, false) => ("12", ["7", "13", "14"]),
            (false, true) => ("\\dfrac{1}{2}", ["\\frac{1}{4}"; 3]),
            (false, false) => ("12.0", ["7"; 3]),
        };
        let answer = if nth % 5 < 2 { right } else { wrong[nth % 5 - 2] };
        server::answer(req, &format!("Working it out step by step.\n\nThe answer is $\\boxed{{{answer}}}$."))
    })
}

#[test]
fn samples_give_pass_at_k_and_a_majority_vote() {
    let server = voting_server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("problems.jsonl", PROBLEMS);
    let out = ws.run(&["compare", "a", "o", "--suite", "math:problems.jsonl", "--samples", "5", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mean: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(server.requests().len(), 20);
    for p in &mean["providers"].as_array().unwrap()[..2] {
        assert!((p["score"].as_f64().unwrap() - 0.4).abs() < 1e-9, "{p}");
        assert_eq!(p["passed"], 0, "two of five samples right is not a pass by the mean");
        assert!((p["pass_at_k"]["1"].as_f64().unwrap() - 0.4).abs() < 1e-9);
        assert_eq!(p["pass_at_k"]["5"], 1.0);
    }
    assert_eq!(mean["vote"], "mean");
    assert_eq!(mean["suites"][0]["pass_at_k"]["5"], 1.0);
    let table = stderr(&out);
    assert!(
        table.contains("5 samples per task (scores: mean of samples); a: pass@1 40.0%, pass@5 100.0%"),
        "{table}"
    );

    // The same answers (all from the cache), counted by majority vote.
    let out = ws.run(&[
        "compare",
        "a",
        "o",
        "--suite",
        "math:problems.jsonl",
        "--samples",
        "5",
        "--vote",
        "majority",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 20, "the second run is answered from the cache");
    let vote: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(vote["vote"], "majority");
    let (a, o) = (&vote["providers"][0], &vote["providers"][1]);
    assert_eq!((a["score"].as_f64(), a["passed"].as_u64()), (Some(1.0), Some(2)));
    assert_eq!((o["score"].as_f64(), o["passed"].as_u64()), (Some(0.0), Some(0)));
    assert_eq!(vote["comparisons"][0]["diff"], -1.0);
}

#[test]
fn a_malformed_math_line_is_reported_with_its_line() {
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers("http://127.0.0.1:9", ""));
    ws.write("problems.jsonl", &format!("{PROBLEMS}{{\"problem\": \"no answer here\"}}\n"));
    let out = ws.run(&["compare", "a", "--suite", "math:problems.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("problems.jsonl:3") && err.contains("answer"), "{err}");
}
