//! The SWE-bench and Exercism importers end to end: real git checkouts and exercise folders, answers
//! from replay providers graded in the sandbox, and SWE-bench prediction files written for the run.

use std::path::Path;
use std::process::Command;

use bench::families::SuiteSpec;
use bench::families::repair::{RepairSpec, evaluate_edit};
use bench::sandbox::{Limits, Sandbox};
use serde_json::json;

use crate::{Workspace, stderr};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Replay providers answering the given task ids, and a bench.toml naming them.
fn replay_providers(ws: &Workspace, providers: &[(&str, &[(&str, String)])]) {
    let mut config = String::new();
    for (name, answers) in providers {
        let lines: String = answers
            .iter()
            .map(|(id, answer)| format!("{}\n", json!({"task_id": id, "output": answer})))
            .collect();
        ws.write(&format!("{name}.jsonl"), &lines);
        config.push_str(&format!("[providers.{name}]\nprotocol = \"replay\"\npath = \"{name}.jsonl\"\n"));
    }
    ws.write("bench.toml", &config);
}

const BUGGY_CORE: &str = "def mean(values):\n    return sum(values) / (len(values) - 1)\n\n\ndef total(values):\n    return sum(values)\n";
const TEST_PATCH: &str = "diff --git a/tests/test_core.py b/tests/test_core.py\n--- a/tests/test_core.py\n+++ b/tests/test_core.py\n@@ -3,3 +3,7 @@ from calc.core import mean, total\n \n def test_total():\n     assert total([1, 2]) == 3\n+\n+\n+def test_mean():\n+    assert mean([1, 2, 3]) == 2\n";
const GOLD_PATCH: &str = "diff --git a/calc/core.py b/calc/core.py\n--- a/calc/core.py\n+++ b/calc/core.py\n@@ -1,5 +1,5 @@\n def mean(values):\n-    return sum(values) / (len(values) - 1)\n+    return sum(values) / len(values)\n \n \n def total(values):\n";

/// A checkout of `acme/calc` whose HEAD is one commit past the instance's base commit; the base.
fn calc_checkout(repos: &Path) -> String {
    let repo = repos.join("acme__calc");
    write(&repo, "calc/__init__.py", "");
    write(&repo, "calc/core.py", BUGGY_CORE);
    write(
        &repo,
        "tests/test_core.py",
        "from calc.core import mean, total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
    );
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let base = git(&repo, &["rev-parse", "HEAD"]);
    write(&repo, "calc/core.py", &BUGGY_CORE.replace("total", "grand_total"));
    git(&repo, &["commit", "-q", "-am", "later work the instance must not see"]);
    base
}

fn instance(base: &str) -> serde_json::Value {
    json!({
        "instance_id": "acme__calc-7", "repo": "acme/calc", "base_commit": base,
        "problem_statement": "mean() of [1, 2, 3] returns 3.0 instead of 2.0",
        "hints_text": "", "created_at": "2026-01-01T00:00:00Z", "version": "1.0",
        "patch": GOLD_PATCH, "test_patch": TEST_PATCH,
        "FAIL_TO_PASS": "[\"tests/test_core.py::test_mean\"]",
        "PASS_TO_PASS": "[\"tests/test_core.py::test_total\"]",
        "environment_setup_commit": base,
    })
}

#[test]
fn swebench_instances_are_graded_on_a_local_checkout_and_exported_as_predictions() {
    let ws = Workspace::new();
    let repos = ws.path().join("repos");
    let base = calc_checkout(&repos);
    ws.write("lite.jsonl", &format!("{}\n", instance(&base)));
    // The fix as SEARCH/REPLACE blocks: the prediction file must still carry a clean diff.
    let blocks = "calc/core.py\n<<<<<<< SEARCH\n    return sum(values) / (len(values) - 1)\n=======\n    return sum(values) / len(values)\n>>>>>>> REPLACE\n";
    // Deleting the failing test would pass if bench let the model change the tests.
    let cheat = "```diff\n--- a/tests/test_core.py\n+++ b/tests/test_core.py\n@@ -4,2 +4,2 @@\n def test_total():\n-    assert total([1, 2]) == 3\n+    assert True\n```\n";
    replay_providers(
        &ws,
        &[
            ("gold", &[("acme__calc-7", blocks.to_string())]),
            ("cheat", &[("acme__calc-7", cheat.to_string())]),
        ],
    );

    let out =
        ws.run(&["compare", "gold", "cheat", "--suite", "swebench:lite.jsonl", "--repos", "repos", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][0]["score"], 1.0, "{summary}");
    assert_eq!(summary["providers"][1]["score"], 0.0, "{summary}");
    assert_eq!(summary["suites"][0]["family"], "swebench");
    let detail: serde_json::Value = serde_json::from_str(
        &ws.db()
            .query_row("SELECT detail FROM scores WHERE provider = 'cheat'", [], |r| r.get::<_, String>(0))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(detail["class"], "tests_failed", "{detail}");
    assert_eq!(detail["grade"]["fail_to_pass"]["passed"], 0, "{detail}");

    // The user's checkout is untouched: same HEAD, clean tree.
    let repo = repos.join("acme__calc");
    assert_ne!(git(&repo, &["rev-parse", "HEAD"]), base);
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");

    // Predictions: one file per provider, in the official harness's format, with patches it can apply.
    let run_dir = ws.path().join("results").join(summary["run_id"].as_str().unwrap());
    let line = std::fs::read_to_string(run_dir.join("predictions/gold.jsonl")).unwrap();
    let prediction: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(prediction["instance_id"], "acme__calc-7");
    assert_eq!(prediction["model_name_or_path"], "gold");
    let patch = prediction["model_patch"].as_str().unwrap();
    assert!(
        patch.starts_with(
            "diff --git a/calc/core.py b/calc/core.py\n--- a/calc/core.py\n+++ b/calc/core.py\n@@"
        ),
        "{patch}"
    );
    let check = ws.path().join("check");
    git(ws.path(), &["clone", "-q", repo.to_str().unwrap(), "check"]);
    git(&check, &["checkout", "-q", &base]);
    std::fs::write(ws.path().join("gold.diff"), patch).unwrap();
    git(&check, &["apply", "--check", ws.path().join("gold.diff").to_str().unwrap()]);
    assert!(run_dir.join("predictions/cheat.jsonl").is_file());
}

#[test]
fn swebench_tests_run_with_the_checkouts_own_virtual_environment() {
    let ws = Workspace::new();
    let repos = ws.path().join("repos");
    let base = calc_checkout(&repos);
    let real = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    let real = String::from_utf8_lossy(&real.stdout).trim().to_string();
    let bin = repos.join("acme__calc/.venv/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("python3"), format!("#!/bin/sh\necho from-the-venv\nexec {real} \"$@\"\n"))
        .unwrap();
    let executable = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755);
    std::fs::set_permissions(bin.join("python3"), executable).unwrap();
    ws.write("lite.jsonl", &format!("{}\n", instance(&base)));
    replay_providers(&ws, &[("gold", &[("acme__calc-7", format!("```diff\n{GOLD_PATCH}```"))])]);
    let out = ws.run(&["compare", "gold", "--suite", "swebench:lite.jsonl", "--repos", "repos", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let detail: serde_json::Value = serde_json::from_str(
        &ws.db().query_row("SELECT detail FROM scores", [], |r| r.get::<_, String>(0)).unwrap(),
    )
    .unwrap();
    assert_eq!(detail["class"], "resolved", "{detail}");
    assert!(detail["output_tail"].as_str().unwrap().starts_with("from-the-venv"), "{detail}");
}

#[test]
fn swebench_suites_need_their_checkouts() {
    let ws = Workspace::new();
    let repos = ws.path().join("repos");
    let base = calc_checkout(&repos);
    ws.write("lite.jsonl", &format!("{}\n", instance(&base)));
    replay_providers(&ws, &[("gold", &[])]);
    let no_repos = ws.run(&["compare", "gold", "--suite", "swebench:lite.jsonl"]);
    assert_eq!(no_repos.status.code(), Some(2));
    assert!(stderr(&no_repos).contains("needs --repos DIR"), "{}", stderr(&no_repos));

    let unknown = "0123456789abcdef0123456789abcdef01234567";
    ws.write(
        "lite.jsonl",
        &format!("{}\n{}\n", instance(&base), instance(unknown)).replacen("acme__calc-7", "acme__calc-8", 1),
    );
    let missing_commit = ws.run(&["compare", "gold", "--suite", "swebench:lite.jsonl", "--repos", "repos"]);
    assert_eq!(missing_commit.status.code(), Some(2));
    let err = stderr(&missing_commit);
    assert!(err.contains("lite.jsonl:2: acme__calc-7:") && err.contains(unknown), "{err}");

    ws.write("lite.jsonl", &format!("{}\n", instance(&base)).replace("acme/calc", "acme/other"));
    let missing_repo = ws.run(&["compare", "gold", "--suite", "swebench:lite.jsonl", "--repos", "repos"]);
    assert!(stderr(&missing_repo).contains("no git checkout of acme/other"), "{}", stderr(&missing_repo));

    std::fs::write(ws.path().join("test.parquet"), b"PAR1\x15\x04\x15\x80").unwrap();
    let parquet = ws.run(&["compare", "gold", "--suite", "swebench:test.parquet", "--repos", "repos"]);
    assert_eq!(parquet.status.code(), Some(2));
    assert!(stderr(&parquet).contains("convert it to JSONL first"), "{}", stderr(&parquet));
}

/// A polyglot-benchmark layout: `<language>/exercises/practice/<slug>/`.
fn exercises(root: &Path) {
    let leap = "Given a year, report if it is a leap year.\n";
    let py = root.join("python/exercises/practice/leap");
    write(&py, ".docs/instructions.md", leap);
    write(
        &py,
        ".meta/config.json",
        r#"{"authors": ["x"], "files": {"solution": ["leap.py"], "test": ["leap_test.py"], "example": [".meta/example.py"]}, "blurb": "leap"}"#,
    );
    write(
        &py,
        ".meta/example.py",
        "def leap_year(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n",
    );
    write(&py, "leap.py", "def leap_year(year):\n    pass\n");
    write(
        &py,
        "leap_test.py",
        "import unittest\n\nfrom leap import leap_year\n\n\nclass LeapTest(unittest.TestCase):\n    def test_2000(self):\n        self.assertIs(leap_year(2000), True)\n\n    def test_1900(self):\n        self.assertIs(leap_year(1900), False)\n\n\nif __name__ == \"__main__\":\n    unittest.main()\n",
    );

    let rs = root.join("rust/exercises/practice/leap");
    write(&rs, ".docs/instructions.md", leap);
    write(
        &rs,
        ".meta/config.json",
        r#"{"files": {"solution": ["src/lib.rs", "Cargo.toml"], "test": ["tests/leap.rs"], "example": [".meta/example.rs"]}}"#,
    );
    write(&rs, "Cargo.toml", "[package]\nname = \"leap\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    write(&rs, "src/lib.rs", "pub fn is_leap_year(year: u64) -> bool {\n    year % 4 == 0\n}\n");
    // Exercism marks all but the first test ignored; a stub that passes only the first must fail.
    write(
        &rs,
        "tests/leap.rs",
        "use leap::is_leap_year;\n\n#[test]\nfn year_2000() {\n    assert!(is_leap_year(2000));\n}\n\n#[test]\n#[ignore]\nfn year_1900() {\n    assert!(!is_leap_year(1900));\n}\n",
    );

    let go = root.join("go/exercises/practice/leap");
    write(&go, ".docs/instructions.md", leap);
    write(
        &go,
        ".meta/config.json",
        r#"{"files": {"solution": ["leap.go"], "test": ["leap_test.go"], "example": [".meta/example.go"]}}"#,
    );
    write(&go, "go.mod", "module leap\n\ngo 1.18\n");
    write(&go, "leap.go", "package leap\n\nfunc IsLeapYear(year int) bool {\n\treturn year%4 == 0\n}\n");
    write(
        &go,
        "leap_test.go",
        "package leap\n\nimport \"testing\"\n\nfunc Test2000(t *testing.T) {\n\tif !IsLeapYear(2000) {\n\t\tt.Fatal(\"2000\")\n\t}\n}\n\nfunc Test1900(t *testing.T) {\n\tif IsLeapYear(1900) {\n\t\tt.Fatal(\"1900\")\n\t}\n}\n",
    );

    let js = root.join("javascript/exercises/practice/leap");
    write(&js, ".docs/instructions.md", leap);
    write(&js, ".meta/config.json", r#"{"files": {"solution": ["leap.js"], "test": ["leap.spec.js"]}}"#);
}

#[test]
fn exercism_exercises_are_solved_when_their_tests_pass() {
    let ws = Workspace::new();
    exercises(&ws.path().join("polyglot"));
    let py_fix = "```diff\n--- a/leap.py\n+++ b/leap.py\n@@ -1,2 +1,2 @@\n def leap_year(year):\n-    pass\n+    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n```";
    let rs_fix = "src/lib.rs\n<<<<<<< SEARCH\n    year % 4 == 0\n=======\n    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)\n>>>>>>> REPLACE\n";
    let go_fix = "```diff\n--- a/leap.go\n+++ b/leap.go\n@@ -3,3 +3,3 @@\n func IsLeapYear(year int) bool {\n-\treturn year%4 == 0\n+\treturn year%4 == 0 && (year%100 != 0 || year%400 == 0)\n }\n```";
    // Rewriting the tests instead of the code: the tests are put back before they run.
    let py_cheat = "leap_test.py\n<<<<<<< SEARCH\n        self.assertIs(leap_year(2000), True)\n=======\n        pass\n>>>>>>> REPLACE\nleap_test.py\n<<<<<<< SEARCH\n        self.assertIs(leap_year(1900), False)\n=======\n        pass\n>>>>>>> REPLACE\n";
    replay_providers(
        &ws,
        &[
            (
                "solver",
                &[
                    ("go/leap", go_fix.to_string()),
                    ("python/leap", py_fix.to_string()),
                    ("rust/leap", rs_fix.to_string()),
                ],
            ),
            (
                "cheat",
                &[
                    ("go/leap", "Looks right to me.".to_string()),
                    ("python/leap", py_cheat.to_string()),
                    ("rust/leap", "No changes needed.".to_string()),
                ],
            ),
        ],
    );
    let out = ws.run(&["compare", "solver", "cheat", "--suite", "exercism:polyglot", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["providers"][0]["tasks"], 3, "the JavaScript exercise is left out: {summary}");
    assert_eq!(summary["providers"][0]["score"], 1.0, "{summary}");
    assert_eq!(summary["providers"][1]["score"], 0.0, "{summary}");
    let classes: Vec<(String, String)> = ws
        .db()
        .prepare("SELECT task_id, json_extract(detail, '$.class') FROM scores WHERE provider = 'cheat' ORDER BY task_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        classes,
        [
            ("go/leap".into(), "no_patch".into()),
            ("python/leap".into(), "tests_failed".into()),
            ("rust/leap".into(), "no_patch".into())
        ]
    );

    // The untouched Rust stub passes the first test but not the one Exercism marks ignored.
    let suite = SuiteSpec::parse(&format!("exercism:{}", ws.path().join("polyglot/rust").display())).unwrap();
    let tasks = bench::families::Registry::default().load(&suite).unwrap();
    assert_eq!(tasks[0].id, "leap");
    let spec: RepairSpec = serde_json::from_value(tasks[0].expected.clone()).unwrap();
    let sandbox = Sandbox {
        launcher: env!("CARGO_BIN_EXE_bench").into(),
        limits: Limits::default(),
        allow_network: false,
    };
    let stub = evaluate_edit(&sandbox, &spec, None);
    assert_eq!(stub.detail["class"], "tests_failed", "{}", stub.detail);
    assert_eq!(stub.detail["tests_seen"], 2, "{}", stub.detail);
}

#[test]
fn a_task_bench_cannot_set_up_is_an_infra_failure_and_resume_scores_it_again() {
    let ws = Workspace::new();
    let repos = ws.path().join("repos");
    let base = calc_checkout(&repos);
    let mut broken = instance(&base);
    broken["test_patch"] = json!(TEST_PATCH.replace("tests/test_core.py", "tests/test_gone.py"));
    ws.write("lite.jsonl", &format!("{broken}\n"));
    replay_providers(&ws, &[("gold", &[("acme__calc-7", format!("```diff\n{GOLD_PATCH}```"))])]);
    let out = ws.run(&["compare", "gold", "--suite", "swebench:lite.jsonl", "--repos", "repos", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let provider = &summary["providers"][0];
    assert_eq!(
        (provider["scored"].as_u64(), provider["infra_errors"].as_u64()),
        (Some(0), Some(1)),
        "{summary}"
    );
    assert_eq!(provider["errors_by_class"]["bad_task"], 1, "{summary}");

    // Resuming scores the answer it already has again (the scorer may work now) and asks nothing new.
    let run_id = summary["run_id"].as_str().unwrap();
    let resume = |ws: &Workspace| {
        ws.run(&[
            "compare",
            "gold",
            "--suite",
            "swebench:lite.jsonl",
            "--repos",
            "repos",
            "--json",
            "--resume",
            run_id,
        ])
    };
    let resumed = resume(&ws);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let summary: serde_json::Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(summary["providers"][0]["errors_by_class"]["bad_task"], 1, "{summary}");

    // A fixed dataset is another suite: resuming the run with it is refused, and says why.
    ws.write("lite.jsonl", &format!("{}\n", instance(&base)));
    let refused = resume(&ws);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("suite `lite` changed"), "{}", stderr(&refused));
}
