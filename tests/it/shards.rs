//! Shards and merge: a run split with `--shard K/N` and joined with `bench merge` equals the run made
//! in one piece, task for task; shards that do not make one run are refused, each with its reason;
//! `bench regress` and `bench history` read merged runs; the Kubernetes Job's command runs locally.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::server::{self, Request, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout};

/// The provider answers as it should.
const GOOD: usize = 0;
/// It gets tasks 1 to 10 wrong.
const WORSE: usize = 1;
/// It rejects the key.
const REJECTING: usize = 2;

/// An OpenAI-style server behind providers `p` (model m-p) and `q` (m-q): q gets every fourth task
/// wrong and fails task 7 with a 500; tokens vary by task, so a task answered twice would show.
fn provider(phase: Arc<AtomicUsize>) -> Server {
    Server::start(move |req: &Request, _| {
        let phase = phase.load(Ordering::SeqCst);
        if phase == REJECTING {
            return server::json(401, serde_json::json!({"error": {"message": "bad key", "type": "auth"}}));
        }
        let model = req.body["model"].as_str().unwrap_or_default().to_string();
        let prompt = req.prompt();
        let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
        let q = model == "m-q";
        if q && n == 7 {
            return server::json(
                500,
                serde_json::json!({"error": {"message": "upstream", "type": "server_error"}}),
            );
        }
        let text = if prompt.contains("Reply with") {
            format!("Canberra ({model})")
        } else if (q && n.is_multiple_of(4)) || (phase == WORSE && n <= 10) {
            "The answer is 7.".to_string()
        } else {
            right_answer(&prompt)
        };
        server::json(
            200,
            serde_json::json!({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": format!("{model}-0905"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10 + n, "completion_tokens": 1 + n % 5, "total_tokens": 11 + n + n % 5}
            }),
        )
    })
}

fn config(url: &str, q_model: &str) -> String {
    let provider = |name: &str, model: &str, price: &str| {
        format!(
            "[providers.{name}]\nprotocol = \"openai\"\nbase_url = \"{url}/v1\"\nmodel = \"{model}\"\napi_key_env = \"TEST_KEY\"\nstream = false\nmax_retries = 0\n[providers.{name}.price]\n{price}\n"
        )
    };
    provider("p", "m-p", "input = 1.0\noutput = 2.0") + &provider("q", q_model, "input = 0.5\noutput = 1.5")
}

/// A workspace with providers p and q on `server`, suites `s` (30 tasks) and `t` (12).
fn workspace(server: &Server) -> Workspace {
    let ws = Workspace::new();
    ws.write("bench.toml", &config(&server.url(), "m-q"));
    ws.write("s.jsonl", &arithmetic_suite(30));
    ws.write("t.jsonl", &arithmetic_suite(12));
    ws.write("bench-regress.toml", "[regress]\nmax_latency_increase = 1000.0\n");
    ws
}

/// `bench run p q` over both suites, two samples, with the canary, tagged nightly, into `out`.
fn run(ws: &Workspace, out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "p", "q", "--suite", "s.jsonl", "--suite", "t.jsonl", "--samples", "2"];
    args.extend_from_slice(&["--tag", "nightly", "--canary", "--out", out]);
    args.extend_from_slice(extra);
    ws.run(&args)
}

fn ok(out: std::process::Output) -> std::process::Output {
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    out
}

fn count(ws: &Workspace, out: &str, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(ws.path().join(out).join("bench.sqlite")).unwrap();
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every row `sql` selects from the store in `out`, each as one line of text.
fn rows(ws: &Workspace, out: &str, sql: &str) -> Vec<String> {
    let db = rusqlite::Connection::open(ws.path().join(out).join("bench.sqlite")).unwrap();
    let mut stmt = db.prepare(sql).unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |r| {
        let cells: Vec<String> =
            (0..columns).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
        Ok(cells.join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

/// `bench report` of the newest run in `out` as JSON, without what differs between any two runs
/// (ids, times, latencies).
fn summary(ws: &Workspace, out: &str) -> serde_json::Value {
    let report = ok(ws.run(&["report", "latest", "--format", "json", "--out", out]));
    let mut json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    strip(&mut json);
    json
}

fn strip(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| {
                ![
                    "run_id",
                    "created_at",
                    "latency_ms",
                    "ttft_ms",
                    "latency_distribution",
                    "ttft_distribution",
                ]
                .contains(&k.as_str())
            });
            map.values_mut().for_each(strip);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The CSV rows of every answer of the newest run in `out`, without run id, latency and TTFT.
fn answers(ws: &Workspace, out: &str) -> Vec<String> {
    let csv = ok(ws.run(&["report", "latest", "--format", "csv", "--out", out]));
    let text = stdout(&csv);
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let keep: Vec<usize> =
        (0..header.len()).filter(|&i| !["run_id", "latency_ms", "ttft_ms"].contains(&header[i])).collect();
    text.lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",")
        })
        .collect()
}

#[test]
fn three_shards_merged_equal_the_run_made_in_one_piece_and_regress_like_it() {
    let phase = Arc::new(AtomicUsize::new(GOOD));
    let server = provider(Arc::clone(&phase));
    let ws = workspace(&server);

    ok(run(&ws, "whole", &[]));
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = ok(run(&ws, &format!("shard-{k}"), &["--shard", &shard]));
        let tasks = count(&ws, &format!("shard-{k}"), "SELECT COUNT(*) FROM tasks");
        assert!(
            stderr(&out).contains(&format!(": {tasks} tasks (shard {shard} of 42 tasks) x 2 providers")),
            "{}",
            stderr(&out)
        );
        sizes.push(tasks);
    }
    assert_eq!(sizes.iter().sum::<i64>(), 42, "{sizes:?}");
    assert!(sizes.iter().all(|&n| (5..=25).contains(&n)), "each shard has a share: {sizes:?}");

    // A dry run counts the shard's items only.
    let dry = ok(run(&ws, "dry", &["--shard", "2/3", "--dry-run", "--json"]));
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(plan["shard"], serde_json::json!({"shard": "2/3", "tasks": sizes[1], "of_tasks": 42}));
    assert_eq!(plan["providers"][0]["items"], sizes[1] * 2);
    let dry = ok(run(&ws, "dry", &["--shard", "2/3", "--dry-run"]));
    assert!(stdout(&dry).contains(&format!("Shard 2/3: {} of 42 tasks.", sizes[1])), "{}", stdout(&dry));

    let merged = ok(ws.run(&["merge", "shard-1/", "shard-2", "shard-3", "--out", "merged"]));
    assert!(stderr(&merged).contains("3 shards merged (shard-1 "), "{}", stderr(&merged));
    assert!(stdout(&merged).contains("provider"), "prints the table: {}", stdout(&merged));

    assert_eq!(summary(&ws, "merged"), summary(&ws, "whole"), "the same summary, figure for figure");
    assert_eq!(answers(&ws, "merged"), answers(&ws, "whole"), "the same answers, task for task");
    for sql in [
        "SELECT COUNT(*) FROM attempts",
        "SELECT COUNT(*) FROM results WHERE ok = 0",
        "SELECT COUNT(*) FROM tasks WHERE prompt_excerpt LIKE 'What is %'",
        "SELECT COUNT(*) FROM canaries",
        "SELECT COUNT(DISTINCT model) FROM results WHERE model LIKE 'm-_-0905'",
        "SELECT COUNT(*) FROM scores WHERE detail LIKE '%\"extracted\"%'",
    ] {
        assert_eq!(count(&ws, "merged", sql), count(&ws, "whole", sql), "{sql}");
    }
    assert_eq!(count(&ws, "merged", "SELECT COUNT(*) FROM canaries"), 2);
    // Every answer (its whole stored outcome), score and attempt is the shards' own, byte for byte.
    for sql in [
        "SELECT suite, task_id, provider, sample, ok, error_class, attempts, outcome, cost, model FROM results",
        "SELECT suite, task_id, provider, sample, passed, value, detail FROM scores",
        "SELECT suite, task_id, provider, sample, attempt, started_at, latency_ms, ok, http_status, cost FROM attempts",
    ] {
        let shards: Vec<String> = (1..=3).flat_map(|k| rows(&ws, &format!("shard-{k}"), sql)).collect();
        assert_eq!(sorted(rows(&ws, "merged", sql)), sorted(shards), "{sql}");
    }
    let merged_db = rusqlite::Connection::open(ws.path().join("merged/bench.sqlite")).unwrap();
    let merged_id: String = merged_db.query_row("SELECT run_id FROM runs", [], |r| r.get(0)).unwrap();
    let run_dir = ws.path().join("merged").join(&merged_id);
    assert!(run_dir.join("summary.json").exists() && run_dir.join("report.html").exists());
    let runs = ok(ws.run(&["runs", "--out", "merged"]));
    assert!(stdout(&runs).contains("finished") && stdout(&runs).contains("nightly"), "{}", stdout(&runs));

    // The next night is worse; its shards merged into the same folder regress against the first.
    let first = ok(ws.run(&["regress", "--against", "latest:nightly", "--out", "merged"]));
    assert!(stdout(&first).contains("nothing to compare"), "{}", stdout(&first));
    phase.store(WORSE, Ordering::SeqCst);
    for k in 1..=3 {
        ok(run(&ws, &format!("night2-{k}"), &["--shard", &format!("{k}/3")]));
    }
    ok(ws.run(&["merge", "night2-3", "night2-1", "night2-2", "--out", "merged"]));
    let md = ws.run(&[
        "regress",
        "--against",
        "latest:nightly",
        "--format",
        "markdown",
        "--out",
        "merged",
        "--config",
        "bench-regress.toml",
    ]);
    assert_eq!(md.status.code(), Some(1), "{}\n{}", stdout(&md), stderr(&md));
    assert!(stdout(&md).contains("- **p · s**: score dropped 100.0% → 66.7%"), "{}", stdout(&md));
    assert!(stdout(&md).contains("over 30 tasks"), "{}", stdout(&md));
    let history = ok(ws.run(&["history", "--tag", "nightly", "--json", "--out", "merged"]));
    let history: serde_json::Value = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(history["runs"].as_array().map(Vec::len), Some(2), "{history}");
}

#[test]
fn a_shard_shares_the_response_cache_with_the_whole_run() {
    let server = provider(Arc::new(AtomicUsize::new(GOOD)));
    let ws = workspace(&server);
    ok(ws.run(&["compare", "p", "--suite", "s.jsonl", "--shard", "1/3"]));
    let asked = server.served();
    let shard: i64 = ws.db().query_row("SELECT COUNT(*) FROM tasks", [], |r| r.get(0)).unwrap();
    assert_eq!(asked as i64, shard);
    ok(ws.run(&["compare", "p", "--suite", "s.jsonl"]));
    assert_eq!(server.served() - asked, 30 - asked, "the shard's answers come from the cache");
}

#[test]
fn a_bad_shard_is_refused_with_what_to_write() {
    let ws = Workspace::new();
    ws.write("s.jsonl", &arithmetic_suite(3));
    for (shard, says) in [
        ("0/3", "K counts from 1"),
        ("4/3", "K must be at most N (3)"),
        ("abc", "write K/N, such as 2/8"),
        ("1/0", "N must be from 1"),
    ] {
        let out = ws.run(&["run", "kimi", "--suite", "s.jsonl", "--shard", shard, "--dry-run"]);
        assert_eq!(out.status.code(), Some(2), "{shard}");
        assert!(stderr(&out).contains(says), "{shard}: {}", stderr(&out));
    }
}

#[test]
fn shards_that_do_not_make_one_run_are_refused_each_with_its_reason() {
    let phase = Arc::new(AtomicUsize::new(GOOD));
    let server = provider(Arc::clone(&phase));
    let ws = workspace(&server);
    let shard = |out: &str, k: &str, extra: &[&str]| {
        let mut args = vec!["run", "p", "--suite", "s.jsonl", "--tag", "nightly", "--shard", k, "--out", out];
        args.extend_from_slice(extra);
        ws.run(&args)
    };
    for k in 1..=3 {
        ok(shard(&format!("shard-{k}"), &format!("{k}/3"), &[]));
    }
    let refused = |args: &[&str], says: &[&str]| {
        let mut full = vec!["merge"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--out", "merged"]);
        let out = ws.run(&full);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        for said in says {
            assert!(stderr(&out).contains(said), "{args:?}: expected `{said}` in {}", stderr(&out));
        }
    };

    ok(shard("again-1", "1/3", &[]));
    refused(&["shard-1", "again-1", "shard-2", "shard-3"], &["shard-1 and again-1 are both shard 1/3"]);
    refused(&["shard-1", "shard-2"], &["shards 3 of 3 are missing (given: 1/3 in shard-1, 2/3 in shard-2)"]);

    std::fs::create_dir(ws.path().join("changed")).unwrap();
    ws.write("changed/s.jsonl", &arithmetic_suite(30).replace("What is 5 + 5?", "What is 5 + 5 ?"));
    let mut args = vec!["run", "p", "--suite", "changed/s.jsonl", "--tag", "nightly", "--shard", "3/3"];
    args.extend_from_slice(&["--out", "changed-3"]);
    ok(ws.run(&args));
    refused(
        &["shard-1", "shard-2", "changed-3"],
        &["shard-1 and changed-3 are not shards of one run:", "suite `s` differs (30 tasks, content"],
    );

    ws.write("other.toml", &config(&server.url(), "m-q").replace("\"m-p\"", "\"m-p2\""));
    ok(shard("other-3", "3/3", &["--config", "other.toml"]));
    refused(&["shard-1", "shard-2", "other-3"], &["provider `p` model: m-p -> m-p2"]);
    ok(ws.run(&[
        "run",
        "p",
        "--suite",
        "s.jsonl",
        "--tag",
        "other",
        "--shard",
        "3/3",
        "--out",
        "other-tag-3",
    ]));
    refused(&["shard-1", "shard-2", "other-tag-3"], &["--tag: nightly -> other"]);
    ok(ws.run(&["run", "p", "--suite", "s.jsonl", "--tag", "nightly", "--out", "whole"]));
    refused(&["shard-1", "shard-2", "whole"], &["whole: run", "is not a shard (made without --shard K/N)"]);
    refused(&["shard-1", "shard-2", "nowhere"], &["nowhere: no runs here (no bench.sqlite)"]);

    // A shard stopped early (its key rejected) is refused until it is resumed, as itself.
    phase.store(REJECTING, Ordering::SeqCst);
    let broken = shard("broken-2", "2/3", &[]);
    assert_eq!(broken.status.code(), Some(2), "{}", stderr(&broken));
    let run_id: String = rusqlite::Connection::open(ws.path().join("broken-2/bench.sqlite"))
        .unwrap()
        .query_row("SELECT run_id FROM runs", [], |r| r.get(0))
        .unwrap();
    let hint = format!("bench run --resume {run_id} --out broken-2");
    refused(&["shard-1", "broken-2", "shard-3"], &[&format!("broken-2: run {run_id} is interrupted"), &hint]);
    let other_shard = ws.run(&["run", "--resume", &run_id, "--out", "broken-2", "--shard", "1/3"]);
    assert_eq!(other_shard.status.code(), Some(2));
    assert!(stderr(&other_shard).contains("--shard: 2/3 -> 1/3"), "{}", stderr(&other_shard));
    assert!(!ws.path().join("merged").exists(), "nothing is written until every check passed");

    phase.store(GOOD, Ordering::SeqCst);
    let resumed = ok(ws.run(&["run", "--resume", &run_id, "--out", "broken-2"]));
    assert!(
        stderr(&resumed).contains("(shard 2/3 of 30 tasks)"),
        "a resume keeps its shard: {}",
        stderr(&resumed)
    );
    ok(ws.run(&["merge", "shard-1", &format!("broken-2@{run_id}"), "shard-3", "--out", "merged"]));
    assert_eq!(count(&ws, "merged", "SELECT COUNT(*) FROM results WHERE ok = 1"), 30);
}

/// `scripts/ci/run-indexed-locally.sh`, with the bench under test and this workspace's bench.toml.
fn indexed_job(ws: &Workspace, night: &str) -> std::process::Output {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/ci/run-indexed-locally.sh");
    let mut cmd = std::process::Command::new("sh");
    for (key, _) in std::env::vars().filter(|(key, _)| key.ends_with("_API_KEY")) {
        cmd.env_remove(key);
    }
    cmd.arg(script)
        .current_dir(ws.path())
        .env("BENCH", env!("CARGO_BIN_EXE_bench"))
        .env("TEST_KEY", "sk-test-secret-0123456789")
        .env("NO_COLOR", "1")
        .env("SHARDS", "3")
        .env("NIGHT", night)
        .env("DATA", "data")
        .env("BENCH_ARGS", "p q --suite s.jsonl --suite t.jsonl --samples 2 --canary")
        .env("BENCH_CONFIG", "bench.toml")
        .output()
        .unwrap()
}

#[test]
fn the_kubernetes_job_command_runs_each_index_locally_then_merges_and_regresses() {
    let phase = Arc::new(AtomicUsize::new(GOOD));
    let server = provider(Arc::clone(&phase));
    let ws = workspace(&server);
    let toml = std::fs::read_to_string(ws.path().join("bench.toml")).unwrap();
    ws.write("bench.toml", &format!("{toml}[regress]\nmax_latency_increase = 1000.0\n"));

    let first = indexed_job(&ws, "night-1");
    let said = stdout(&first);
    assert_eq!(first.status.code(), Some(0), "{said}{}", stderr(&first));
    for k in 1..=3 {
        assert!(said.contains(&format!("== index {} (shard {k}/3): exit 0", k - 1)), "{said}");
        assert!(ws.path().join(format!("data/shards/night-1/shard-{k}.done")).exists());
    }
    assert_eq!(said.matches("3 shards merged").count(), 1, "exactly one index merges: {said}");
    assert!(said.contains("nothing to compare"), "the first night: {said}");
    let history = rusqlite::Connection::open(ws.path().join("data/nightly/bench.sqlite")).unwrap();
    let (runs, manifest): (i64, String) = history
        .query_row("SELECT COUNT(*), MAX(manifest) FROM runs", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(runs, 1);
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!((manifest["tag"].as_str(), manifest.get("shard")), (Some("nightly"), None));
    let results: i64 = history.query_row("SELECT COUNT(*) FROM results", [], |r| r.get(0)).unwrap();
    assert_eq!(results, 42 * 2 * 2, "every task, sample and provider");

    phase.store(WORSE, Ordering::SeqCst);
    let second = indexed_job(&ws, "night-2");
    assert_eq!(second.status.code(), Some(1), "the merged run regressed: {}", stdout(&second));
    let md = std::fs::read_to_string(ws.path().join("data/shards/night-2/regress.md")).unwrap();
    assert!(md.contains("- **p · s**: score dropped 100.0% → 66.7%"), "{md}");
    assert!(ws.path().join("data/shards/night-2/regress.xml").exists());
}
