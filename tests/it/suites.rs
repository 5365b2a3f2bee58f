//! `bench suites`: listing what ships in the binary, and generating seeded math and long-context
//! suites.

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

/// A small project to build long-context haystacks from.
fn python_project(ws: &Workspace) {
    std::fs::create_dir_all(ws.path().join("proj/app")).unwrap();
    let handlers: String =
        (0..40).map(|i| format!("def handler_{i}(request):\n    return request.value * {i}\n\n\n")).collect();
    ws.write("proj/app/handlers.py", &handlers);
    ws.write("proj/README.md", "# proj\n\nA small service.\n");
}

#[test]
fn generate_long_context_writes_a_grid_over_your_files_that_loads_until_they_change() {
    let ws = Workspace::new();
    python_project(&ws);
    let args = [
        "suites",
        "generate",
        "long-context",
        "--seed",
        "7",
        "--lengths",
        "4k,32k",
        "--depths",
        "0,50",
        "--kinds",
        "niah_single,code_needle,aggregate",
        "--per-cell",
        "2",
        "--haystack",
        "proj",
    ];
    let first = ws.run(&[&args[..], &["--out", "lc.jsonl"]].concat());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).is_empty() && stderr(&first).contains("wrote 24 long-context tasks"),
        "{}",
        stderr(&first)
    );
    let written = std::fs::read_to_string(ws.path().join("lc.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 2 * (2 * 2 * 2 + 2 * 2), "{written}");
    let line: serde_json::Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    assert_eq!(line["id"], "lc-s7-niah_single-4k-d0-1");
    assert_eq!(
        (line["kind"].as_str(), line["length"].as_u64(), line["depth"].as_u64()),
        (Some("niah_single"), Some(4096), Some(0))
    );
    assert_eq!(line["haystack"]["paths"], serde_json::json!(["proj"]), "relative to the suite file");
    assert!(written.lines().filter(|l| l.contains("\"aggregate\"")).all(|l| !l.contains("\"depth\"")));

    let again = ws.run(&args);
    assert_eq!(stdout(&again), written, "the same seed writes the same bytes");
    let refused = ws.run(&[&args[..], &["--out", "lc.jsonl"]].concat());
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("lc.jsonl exists; pass --force"), "{}", stderr(&refused));

    let plan = ws.run(&["compare", "claude", "--suite", "long-context:lc.jsonl", "--dry-run", "--json"]);
    assert_eq!(plan.status.code(), Some(0), "{}{}", stdout(&plan), stderr(&plan));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&plan)).unwrap();
    assert_eq!(plan["providers"][0]["items"], 24);

    ws.write("proj/README.md", "# proj\n\nSomething else now.\n");
    let stale = ws.run(&["compare", "claude", "--suite", "long-context:lc.jsonl", "--dry-run"]);
    assert_eq!(stale.status.code(), Some(2), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("lc.jsonl:1: the haystack files changed since the suite was generated"),
        "{}",
        stderr(&stale)
    );
}

#[test]
fn generate_long_context_explains_itself_and_refuses_bad_grids() {
    let ws = Workspace::new();
    let help = ws.run(&["suites", "generate", "long-context", "--help"]);
    let text = stdout(&help);
    for expected in
        ["--lengths", "--depths", "--kinds", "--per-cell", "--haystack", "4k (= 4,096)", "lc-s<SEED>"]
    {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
    let bad_length = ws.run(&["suites", "generate", "long-context", "--lengths", "4k,4q"]);
    assert_eq!(bad_length.status.code(), Some(2));
    assert!(stderr(&bad_length).contains("`4q` is not a length"), "{}", stderr(&bad_length));
    let bad_kind = ws.run(&["suites", "generate", "long-context", "--kinds", "vartrak"]);
    assert!(stderr(&bad_kind).contains("did you mean `vartrack`"), "{}", stderr(&bad_kind));
    let missing = ws.run(&["suites", "generate", "long-context", "--haystack", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("--haystack: nowhere: no such file or folder"), "{}", stderr(&missing));
}

#[test]
fn the_bundled_long_context_grid_is_listed_and_max_context_sizes_it() {
    let ws = Workspace::new();
    let list = stdout(&ws.run(&["suites", "list"]));
    let row = list.lines().find(|l| l.contains("long-context")).unwrap_or_default();
    assert!(row.contains("540"), "{list}");
    let count = |extra: &[&str]| -> serde_json::Value {
        let out = ws.run(
            &[&["compare", "claude", "--suite", "long-context", "--dry-run", "--json"][..], extra].concat(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()["providers"][0]["items"].clone()
    };
    assert_eq!(count(&[]), 540);
    assert_eq!(count(&["--max-context", "16k"]), 3 * 90);
    assert_eq!(count(&["--max-context", "1m"]), 9 * 90);
    let bad = ws.run(&["compare", "claude", "--suite", "long-context", "--max-context", "lots"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a length"), "{}", stderr(&bad));
}
