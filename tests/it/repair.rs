//! The code-repair family: bundled tasks graded in the sandbox, answers end to end through
//! `bench compare`, and hostile patches contained and classified.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bench::families::repair::patch::Edit;
use bench::families::repair::{RepairSpec, evaluate_edit, load_task_dir};
use bench::sandbox::{Limits, Sandbox};

use crate::{Workspace, stderr};

fn sandbox() -> Sandbox {
    Sandbox {
        launcher: PathBuf::from(env!("CARGO_BIN_EXE_bench")),
        limits: Limits::default(),
        allow_network: false,
    }
}

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/repair")
}

fn task_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(bundled())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("task.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn spec_of(dir: &Path) -> RepairSpec {
    serde_json::from_value(load_task_dir(dir, "repair").unwrap().expected).unwrap()
}

#[test]
fn every_bundled_task_is_resolved_by_its_fix_and_not_without() {
    let dirs = task_dirs();
    assert!(dirs.len() >= 20, "the bundled repair suite has {} tasks", dirs.len());
    let sandbox = sandbox();
    for dir in dirs {
        let spec = spec_of(&dir);
        let fix = Edit::Diff(std::fs::read_to_string(dir.join("fix.patch")).unwrap());
        let gold = evaluate_edit(&sandbox, &spec, Some(&fix));
        assert!(gold.passed, "{}: the reference fix does not resolve it: {}", dir.display(), gold.detail);
        assert_eq!(gold.detail["rung"], "git_apply");
        let untouched = evaluate_edit(&sandbox, &spec, None);
        assert!(!untouched.passed, "{}: resolved without a fix", dir.display());
        assert_eq!(untouched.detail["class"], "tests_failed", "{}", dir.display());
    }
}

/// A one-module project whose single test imports `calc`; `timeout_s` keeps the endless loop short.
fn tiny_task(ws: &Workspace) -> PathBuf {
    let root = ws.path().join("tasks/tiny");
    std::fs::create_dir_all(root.join("repo/tests")).unwrap();
    std::fs::write(root.join("repo/calc.py"), "def add(a, b):\n    return a - b\n").unwrap();
    std::fs::write(root.join("repo/tests/__init__.py"), "").unwrap();
    std::fs::write(
        root.join("repo/tests/test_calc.py"),
        "import unittest\nimport calc\n\n\nclass TestCalc(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 3), 5)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("task.toml"),
        "issue = \"add() subtracts\"\ntest_command = \"python3 -m unittest -v\"\nframework = \"unittest\"\nfail_to_pass = [\"tests.test_calc.TestCalc.test_add\"]\nfiles = [\"calc.py\"]\ntimeout_s = 5\n",
    )
    .unwrap();
    root
}

/// A diff that replaces calc.py's body with `body` (Python, indented by 4).
fn calc_patch(body: &str) -> String {
    let new: String = body.lines().map(|l| format!("+{l}\n")).collect();
    format!(
        "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,{} @@\n-def add(a, b):\n-    return a - b\n{new}",
        body.lines().count()
    )
}

#[test]
fn patches_in_every_form_apply_by_the_ladder() {
    let ws = Workspace::new();
    let spec = spec_of(&tiny_task(&ws));
    let sandbox = sandbox();
    let grade = |answer: &str| {
        let edit = bench::families::repair::patch::find_edit(answer).unwrap();
        evaluate_edit(&sandbox, &spec, Some(&edit))
    };
    let fenced =
        format!("Here is the fix:\n```diff\n{}```\n", calc_patch("def add(a, b):\n    return a + b"));
    assert_eq!(grade(&fenced).detail["rung"], "git_apply");
    // Wrong hunk counts: git apply refuses, --recount fixes them.
    let miscounted =
        calc_patch("def add(a, b):\n    return a + b").replace("@@ -1,2 +1,2 @@", "@@ -1,7 +1,9 @@");
    let s = grade(&miscounted);
    assert!(s.passed, "{}", s.detail);
    assert_ne!(s.detail["rung"], "git_apply");
    // Context whitespace that does not match: only the tolerant search/replace gets it in.
    let sloppy = "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):   \n-      return a - b\n+    return a + b\n";
    let s = grade(sloppy);
    assert!(s.passed, "{}", s.detail);
    assert_eq!(s.detail["rung"], "hunk_search_replace");
    let blocks = "calc.py\n```python\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n```\n";
    let s = grade(blocks);
    assert_eq!((s.passed, s.detail["rung"].as_str()), (true, Some("search_replace")), "{}", s.detail);
    let wrong = "calc.py\n<<<<<<< SEARCH\n    return a * b\n=======\n    return a + b\n>>>>>>> REPLACE\n";
    assert_eq!(grade(wrong).detail["class"], "patch_failed");
}

#[test]
fn hostile_patches_are_contained_and_classified() {
    let ws = Workspace::new();
    let spec = spec_of(&tiny_task(&ws));
    let mut sandbox = sandbox();
    sandbox.limits = Limits { processes: 64, file_size: 8 << 20, ..Limits::default() };
    let outside = ws.path().join("precious.txt");
    std::fs::write(&outside, "keep me").unwrap();
    let diff = |body: &str| Edit::Diff(calc_patch(body));
    let class = |edit: &Edit| {
        let s = evaluate_edit(&sandbox, &spec, Some(edit));
        assert!(!s.passed);
        s.detail
    };

    let traversal =
        Edit::Diff("--- a/../precious.txt\n+++ b/../precious.txt\n@@ -1 +1 @@\n-keep me\n+gone\n".into());
    assert_eq!(class(&traversal)["class"], "unsafe_patch");
    let absolute = Edit::Blocks(vec![(outside.display().to_string(), String::new(), "gone".into())]);
    assert_eq!(class(&absolute)["class"], "unsafe_patch");

    let started = std::time::Instant::now();
    let endless = class(&diff("while True:\n    pass"));
    assert_eq!(endless["class"], "timed_out", "{endless}");
    assert!(started.elapsed() < Duration::from_secs(20));

    let bomb = class(&diff(
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
    ));
    assert!(matches!(bomb["class"].as_str(), Some("timed_out" | "sandbox_limit")), "{bomb}");

    let network = class(&diff(
        "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\ndef add(a, b):\n    return a + b",
    ));
    assert_eq!(network["class"], "tests_failed", "{network}");
    assert!(network["output_tail"].as_str().unwrap().contains("unreachable"), "{network}");

    let huge = class(&diff(
        "with open('big.bin', 'wb') as f:\n    for _ in range(1 << 14):\n        f.write(b'x' * (1 << 20))",
    ));
    assert_eq!(
        (huge["class"].as_str(), huge["limit"].as_str()),
        (Some("sandbox_limit"), Some("file_size")),
        "{huge}"
    );

    let delete = format!(
        "import os\nos.remove({:?})\ndef add(a, b):\n    return a + b",
        outside.display().to_string()
    );
    let deleted = class(&diff(&delete));
    assert_eq!(deleted["class"], "tests_failed", "{deleted}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
}

#[test]
fn repair_answers_are_graded_end_to_end() {
    let ws = Workspace::new();
    let root = tiny_task(&ws);
    let fix = calc_patch("def add(a, b):\n    return a + b");
    let answers =
        [("gold", format!("```diff\n{fix}```")), ("lazy", "I think the bug is in calc.py.".to_string())];
    let mut config = String::new();
    for (name, answer) in &answers {
        ws.write(
            &format!("{name}.jsonl"),
            &format!("{}\n", serde_json::json!({"task_id": "tiny", "output": answer})),
        );
        config.push_str(&format!("[providers.{name}]\nprotocol = \"replay\"\npath = \"{name}.jsonl\"\n"));
    }
    ws.write("bench.toml", &config);
    let suite = format!("repair:{}", root.parent().unwrap().display());
    let out = ws.run(&["compare", "gold", "lazy", "--suite", &suite, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][0]["score"], 1.0);
    assert_eq!(summary["providers"][1]["score"], 0.0);
    let detail: String =
        ws.db().query_row("SELECT detail FROM scores WHERE provider = 'lazy'", [], |r| r.get(0)).unwrap();
    assert!(detail.contains("no_patch"), "{detail}");
}

#[test]
fn the_bundled_suite_runs_by_name_from_the_binary() {
    let ws = Workspace::new();
    let first = &task_dirs()[0];
    let id = first.file_name().unwrap().to_str().unwrap().to_string();
    let fix = std::fs::read_to_string(first.join("fix.patch")).unwrap();
    ws.write(
        "gold.jsonl",
        &format!("{}\n", serde_json::json!({"task_id": id, "output": format!("```diff\n{fix}```")})),
    );
    ws.write("bench.toml", "[providers.gold]\nprotocol = \"replay\"\npath = \"gold.jsonl\"\n");
    let cache = ws.path().join("cache");
    let out = ws
        .bench()
        .env("XDG_CACHE_HOME", &cache)
        .args(["compare", "gold", "--suite", "repair", "--limit", "1", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][0]["score"], 1.0, "{summary}");
    assert_eq!(summary["suites"][0]["suite"], "repair");
    let unpacked: Vec<PathBuf> =
        std::fs::read_dir(cache.join("bench/suites")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(unpacked.len(), 1, "{unpacked:?}");
    assert!(unpacked[0].join(&id).join("task.toml").is_file());
}
