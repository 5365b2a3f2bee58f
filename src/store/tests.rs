//! The same run written to both backends reads back the same, row for row and in the same order, and
//! renders the same summary; the PostgreSQL store's own guarantees (its run lock, writers of two runs
//! at once) hold. The PostgreSQL half runs where `BENCH_TEST_POSTGRES` names a server (see
//! `postgres/testdb.rs`).

use std::collections::BTreeMap;

use super::postgres::testdb;
use super::*;
use crate::core::{Episode, ItemKey, Message, Outcome, Score, Task, Usage};
use crate::provider::{ErrorClass, ProviderError};

const RUN: &str = "20261207-020000-aaaa";

fn task(suite: &str, id: &str, category: Option<&str>) -> Task {
    Task {
        id: id.into(),
        suite: suite.into(),
        family: "custom".into(),
        category: category.map(String::from),
        system: None,
        messages: vec![Message::user(format!("What is {id}?"))],
        tools: vec![],
        max_tokens: None,
        expected: serde_json::Value::Null,
        meta: serde_json::json!({"source": id}),
        recipe: None,
    }
}

fn tasks() -> Vec<Task> {
    // Ids whose byte order differs from a natural-language collation's ("B" < "a" byte by byte).
    vec![task("s1", "a", Some("x")), task("s1", "B", None), task("s2", "é", Some("y"))]
}

fn manifest(tag: &str) -> Manifest {
    let config = crate::config::Config::parse("", "b.toml").expect("presets");
    let providers = ["kimi", "deepseek"]
        .iter()
        .map(|p| ProviderSnapshot::of(&config.provider(p).expect("preset")).expect("snapshot"))
        .collect();
    Manifest {
        format: MANIFEST_FORMAT,
        bench_version: "test".into(),
        baseline: "kimi".into(),
        options: crate::core::RunOptions::default(),
        providers,
        suites: vec![],
        tag: Some(tag.into()),
        shard: None,
    }
}

fn key(task: &Task, provider: &str) -> ItemKey {
    ItemKey { suite: task.suite.clone(), task_id: task.id.clone(), provider: provider.into(), sample: 0 }
}

/// Every kind of message, with values that test the edges: a NUL in an answer, an episode, a patch, a
/// scorer error, a failed item, a stop, models and fingerprints some of which are missing.
fn writes(tasks: &[Task], cache_prefix: &str) -> Vec<Write> {
    let mut out = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        for provider in ["kimi", "deepseek"] {
            let key = key(task, provider);
            let failed = provider == "deepseek" && i == 2;
            let error = ProviderError {
                status: Some(429),
                ..ProviderError::new(ErrorClass::RateLimited, "slow down")
            };
            out.push(Write::Attempt(Box::new(AttemptRecord {
                key: key.clone(),
                attempt: 1,
                started_at: "2026-12-07T02:00:00Z".into(),
                latency_ms: 12.5 + i as f64,
                ttft_ms: (i == 0).then_some(3.25),
                error: failed.then(|| error.clone()),
                usage: Usage { input: 10, output: 5 + i as u64, cache_read: 1, cache_write: 0, reasoning: 2 },
                cost: 0.001 * (i + 1) as f64,
                from_cache: false,
                usage_estimated: i == 1,
            })));
            let outcome = Outcome {
                text: format!("answer {i}\u{0}"),
                usage: Usage { input: 10, output: 5, ..Usage::default() },
                model: (i != 1).then(|| format!("{provider}-model")),
                system_fingerprint: (i == 0).then(|| "fp_1".to_string()),
                latency_ms: 12.5,
                episode: (i == 1)
                    .then(|| Box::new(Episode { calls: 3, parallel_turns: 1, ..Episode::default() })),
                ..Outcome::default()
            };
            out.push(Write::Result(Box::new(ResultRecord {
                key: key.clone(),
                outcome: if failed { Err(error) } else { Ok(outcome) },
                attempts: 1,
                cost: 0.002,
                from_cache: false,
                cache_key: Some(format!("{cache_prefix}{i}{provider}")),
            })));
            if failed {
                continue;
            }
            let detail = match i {
                0 => serde_json::json!({"answer_key": 7, "got": "x\u{0}y", "hallucinated": true}),
                1 => {
                    serde_json::json!({"class": "tests_failed", "model_patch": "--- a\n+++ b\n", "min_calls": 2,
                                        "parallel_possible": true})
                }
                _ => serde_json::json!({"scorer_error": "sandbox", "method": "none"}),
            };
            let passed = i == 0;
            let value = if passed { 1.0 } else { 0.0 };
            out.push(Write::Score(key, Score { passed, value, detail }));
        }
    }
    out.push(Write::Stop(Box::new(ProviderStop {
        provider: "deepseek".into(),
        error: ProviderError::new(ErrorClass::QuotaExhausted, "no credit"),
    })));
    out.push(Write::Turn(Box::new(TurnRecord {
        cache_key: format!("{cache_prefix}turn"),
        outcome: Outcome::default(),
    })));
    out
}

/// Store one run tagged `tag` with these writes and canary answers.
fn store_run(store: &Store, run_id: &str, tag: &str, messages: Vec<Write>) {
    let tasks = tasks();
    let manifest = manifest(tag);
    let start = RunStart {
        run_id,
        command: "compare kimi deepseek",
        manifest: &manifest,
        tasks: StartTasks::Loaded(&tasks),
        new: true,
    };
    store.begin(&start).expect("begin");
    let writer = store.writer(run_id).expect("writer");
    for msg in messages {
        writer.sender().send(msg).expect("the writer listens");
    }
    writer.finish().expect("every write committed");
    store.set_status(run_id, RunStatus::Finished).expect("status");
    let answers = BTreeMap::from([("c1".to_string(), "4".to_string())]);
    store
        .save_canaries(run_id, &[CanaryRecord { provider: "kimi".into(), fingerprint: "f".into(), answers }])
        .expect("canaries");
}

/// Everything a reader hands back about the run, as text (the created_at of the run differs between
/// stores: it is left out).
fn read_back(store: &Store) -> Vec<String> {
    let reader = store.reader().expect("reader");
    let mut out = Vec::new();
    let runs = reader.runs().expect("runs");
    out.push(format!(
        "{:?}",
        runs.iter().map(|r| (&r.run_id, r.status, &r.command, r.done, &r.cost)).collect::<Vec<_>>()
    ));
    out.push(format!("{:?}", reader.manifest(RUN).expect("manifest")));
    let mut each = Vec::new();
    reader.tasks(RUN, &mut |t| each.push(format!("{t:?}"))).expect("tasks");
    reader.results(RUN, &mut |r| each.push(format!("{r:?}"))).expect("results");
    reader.attempts(RUN, &mut |a| each.push(format!("{a:?}"))).expect("attempts");
    reader.task_texts(RUN, &mut |t| each.push(format!("{t:?}"))).expect("task texts");
    reader.result_texts(RUN, &mut |t| each.push(format!("{t:?}"))).expect("result texts");
    out.extend(each);
    out.push(format!("{:?}", reader.stops(RUN).expect("stops")));
    out.push(format!("{:?}", reader.reported_models(RUN).expect("models")));
    out.push(format!("{:?}", reader.canaries(RUN).expect("canaries")));
    let mut answered: Vec<_> =
        reader.answered(RUN).expect("answered").into_iter().map(|k| k.to_string()).collect();
    answered.sort();
    out.push(format!("{answered:?}"));
    let mut unscored: Vec<_> =
        reader.unscored(RUN).expect("unscored").into_iter().map(|(k, o)| format!("{k} {o:?}")).collect();
    unscored.sort();
    out.push(format!("{unscored:?}"));
    out.push(format!("{:?}", reader.model_patches(RUN).expect("patches")));
    out.push(format!(
        "{:?} {:?}",
        reader.cached("c-0kimi").expect("cached"),
        reader.cached("c-turn").expect("turn")
    ));
    out.push(format!("{:?}", reader.tagged("nightly").expect("tagged")));
    out.push(format!("{:?}", reader.newest_tagged("nightly", Some(RUN)).expect("newest")));
    let view = crate::analysis::RunView::load(&reader, RUN).expect("view");
    let summary = crate::analysis::summarize(&view);
    let mut json: serde_json::Value =
        serde_json::from_str(&crate::report::json::render(&summary).expect("json")).expect("JSON");
    json["created_at"] = serde_json::Value::Null;
    out.push(json.to_string());
    out
}

#[test]
fn both_stores_read_back_the_same_run_row_for_row() {
    let Some(db) = testdb::fresh("both_stores_read_back_the_same_run_row_for_row") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Store::open(dir.path(), &Location::Sqlite).expect("sqlite");
    let postgres = Store::open(dir.path(), &Location::Postgres(Box::new(db.url.clone()))).expect("postgres");
    for store in [&sqlite, &postgres] {
        store_run(store, "20261206-020000-0000", "nightly", Vec::new());
        store_run(store, RUN, "nightly", writes(&tasks(), "c-"));
    }
    let (a, b) = (read_back(&sqlite), read_back(&postgres));
    assert!(a.iter().any(|line| line.contains(r"x\\u0000y")), "the NUL survives: {a:#?}");
    assert!(a.iter().any(|line| line.contains("tests_failed")), "{a:#?}");
    for (sqlite, postgres) in a.iter().zip(&b) {
        assert_eq!(sqlite, postgres);
    }
    assert_eq!(a.len(), b.len());
}

#[test]
fn a_postgres_run_lock_is_held_by_one_process_and_seen_by_readers() {
    let Some(db) = testdb::fresh("a_postgres_run_lock_is_held_by_one_process_and_seen_by_readers") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path(), &Location::Postgres(Box::new(db.url.clone()))).expect("postgres");
    let other =
        Store::open(dir.path(), &Location::Postgres(Box::new(db.url.clone()))).expect("a second client");
    let tasks = tasks();
    let manifest = manifest("t");
    store
        .begin(&RunStart {
            run_id: RUN,
            command: "c",
            manifest: &manifest,
            tasks: StartTasks::Loaded(&tasks),
            new: true,
        })
        .expect("begin");
    let status = |s: &Store| s.reader().expect("reader").run(RUN).expect("run").expect("stored").status;
    assert_eq!(status(&other), RunStatus::Interrupted, "stored as running, but nobody holds it");
    let lock = store.lock(RUN).expect("lock").expect("free");
    assert!(other.lock(RUN).expect("lock").is_none(), "one holder at a time");
    assert!(other.lock("another-run").expect("lock").is_some(), "other runs are free");
    assert_eq!(status(&other), RunStatus::Running);
    drop(lock);
    assert_eq!(status(&other), RunStatus::Interrupted, "released on drop");
    assert!(other.lock(RUN).expect("lock").is_some());
}

#[test]
fn two_writers_of_two_runs_sharing_cache_keys_both_commit() {
    let Some(db) = testdb::fresh("two_writers_of_two_runs_sharing_cache_keys_both_commit") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let url = db.url.clone();
    let runs = ["20261207-030000-0001", "20261207-030000-0002"];
    std::thread::scope(|scope| {
        for (n, run_id) in runs.iter().enumerate() {
            let (url, dir) = (url.clone(), dir.path());
            scope.spawn(move || {
                let store = Store::open(dir, &Location::Postgres(Box::new(url))).expect("postgres");
                let mut messages = Vec::new();
                for round in 0..20 {
                    let mut batch = writes(&tasks(), "shared-");
                    if (n + round) % 2 == 1 {
                        batch.reverse();
                    }
                    messages.extend(batch);
                }
                store_run(&store, run_id, "concurrent", messages);
            });
        }
    });
    let store = Store::open(dir.path(), &Location::Postgres(Box::new(url))).expect("postgres");
    let reader = store.reader().expect("reader");
    for run_id in runs {
        let run = reader.run(run_id).expect("run").expect("stored");
        assert_eq!((run.status, run.done), (RunStatus::Finished, 6), "{run_id}");
        let mut attempts = 0;
        reader.attempts(run_id, &mut |_| attempts += 1).expect("attempts");
        assert_eq!(attempts, 6 * 20, "every attempt of {run_id} kept");
    }
    assert_eq!(reader.tagged("concurrent").expect("tagged").len(), 2);
}
