//! `bench suites`: listing what ships in the binary, and generating seeded math suites.

use crate::{Workspace, stderr, stdout};

#[test]
fn generate_math_prints_the_same_lines_every_time() {
    let ws = Workspace::new();
    let first = ws.run(&["suites", "generate", "math", "--seed", "5", "--n", "3"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let text = stdout(&first);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("{\"unique_id\":\"math-s5-00000\""), "{text}");
    let again = ws.run(&["suites", "generate", "math", "--seed", "5", "--n", "3"]);
    assert_eq!(stdout(&again), text);
}

#[test]
fn generate_math_writes_a_file_the_math_family_loads() {
    let ws = Workspace::new();
    let out = ws.run(&["suites", "generate", "math", "--seed", "9", "--n", "20", "--out", "fresh.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let written = std::fs::read_to_string(ws.path().join("fresh.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 20);
    let plan = ws.run(&["compare", "claude", "--suite", "math:fresh.jsonl", "--dry-run"]);
    assert_eq!(plan.status.code(), Some(0), "{}{}", stdout(&plan), stderr(&plan));

    let bad = ws.run(&["suites", "generate", "math", "--out", "missing/dir/x.jsonl"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("cannot write missing/dir/x.jsonl"), "{}", stderr(&bad));
}

#[test]
fn suites_list_shows_bundled_suites_and_families() {
    let out = Workspace::new().run(&["suites", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in ["quick", "math", "200", "seed 2026", "custom, gsm8k, math, aime"] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
}
