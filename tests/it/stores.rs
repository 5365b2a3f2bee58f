//! The same commands against both stores (SQLite in the output folder, and PostgreSQL when
//! `BENCH_TEST_POSTGRES` names a server, see `pg.rs`): compare then report, resume after `kill -9`,
//! the response cache (episodes' turns included), regress and history over tagged runs, two runs
//! written at once, the run lock; and what a PostgreSQL URL must never show.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::pg::{self, Store};
use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

fn ok(out: &std::process::Output, store: &Store) {
    assert_eq!(out.status.code(), Some(0), "{}: {}", store.name(), stderr(out));
}

/// A workspace whose bench.toml names the store and providers `a` and `o` on `server`.
fn workspace(store: &Store, server: &Server, extra: &str, tasks: usize) -> Workspace {
    let ws = Workspace::new();
    ws.write("bench.toml", &format!("{}{}", store.toml(), two_providers(&server.url(), extra)));
    ws.write("prompts.jsonl", &arithmetic_suite(tasks));
    ws
}

/// A summary without what differs between two runs of the same thing (ids, times, latencies).
fn comparable(mut summary: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|k, _| {
                    !k.starts_with("latency") && !k.starts_with("ttft") && k != "run_id" && k != "created_at"
                });
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut summary);
    summary
}

#[test]
fn compare_then_report_gives_the_same_summary_on_both_stores() {
    let server = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
    let mut summaries = Vec::new();
    for store in Store::all("compare_then_report_gives_the_same_summary_on_both_stores") {
        let ws = workspace(&store, &server, "", 4);
        let out = store.run(&ws, &["compare", "a", "o", "--suite", "prompts.jsonl", "--json"]);
        ok(&out, &store);
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        let run_id = summary["run_id"].as_str().unwrap().to_string();
        let file =
            std::fs::read_to_string(ws.path().join("results").join(&run_id).join("summary.json")).unwrap();
        assert_eq!(stdout(&out), file, "{}: the summary file is in the output folder", store.name());
        let report = store.run(&ws, &["report", "latest", "--format", "json"]);
        ok(&report, &store);
        assert_eq!(stdout(&report), file, "{}: the report is summary.json, byte for byte", store.name());
        let runs = store.run(&ws, &["runs"]);
        assert!(stdout(&runs).contains(&run_id) && stdout(&runs).contains("finished"), "{}", stdout(&runs));
        if matches!(store, Store::Postgres(_)) {
            assert!(!ws.path().join("results/bench.sqlite").exists(), "the runs are in PostgreSQL alone");
        }
        assert_eq!(summary["providers"][0]["passed"], 4);
        summaries.push(comparable(summary));
    }
    for other in &summaries[1..] {
        assert_eq!(&summaries[0], other, "both stores give the same summary");
    }
}

#[test]
fn a_run_killed_with_sigkill_resumes_with_nothing_lost_on_both_stores() {
    for store in Store::all("a_run_killed_with_sigkill_resumes_with_nothing_lost_on_both_stores") {
        let server = Server::start(|req, _| {
            server::answer_paced(req, &right_answer(&req.prompt()), Duration::from_millis(15))
        });
        let ws = workspace(&store, &server, "max_concurrency = 2", 20);
        let mut child = store
            .bench(&ws)
            .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while store.answered(&ws).len() < 8 {
            assert!(Instant::now() < deadline, "{}: the run made no progress", store.name());
            assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let before = store.answered(&ws).len();
        assert!(before < 40, "{}: killed before the end", store.name());
        let runs = store.run(&ws, &["runs"]);
        assert!(stdout(&runs).contains("interrupted"), "{}: {}", store.name(), stdout(&runs));
        let sent = server.requests().len();

        let out = store.run(&ws, &["compare", "--resume", "latest", "--json"]);
        ok(&out, &store);
        assert_eq!(
            server.requests().len() - sent,
            40 - before,
            "{}: only what was missing is asked",
            store.name()
        );
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (summary["providers"][0]["passed"].as_u64(), summary["providers"][1]["passed"].as_u64()),
            (Some(20), Some(20))
        );
        assert_eq!(store.answered(&ws).len(), 40, "{}: every answer stored once", store.name());
    }
}

#[test]
fn the_response_cache_answers_a_repeat_run_on_both_stores() {
    let server = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
    let mut expected = 0;
    for store in Store::all("the_response_cache_answers_a_repeat_run_on_both_stores") {
        let ws = workspace(&store, &server, "", 3);
        for _ in 0..2 {
            ok(&store.run(&ws, &["compare", "a", "o", "--suite", "prompts.jsonl"]), &store);
        }
        expected += 6;
        assert_eq!(
            server.requests().len(),
            expected,
            "{}: the second run is answered from the cache",
            store.name()
        );
        let runs = store.run(&ws, &["report", "latest", "--format", "json"]);
        let summary: Value = serde_json::from_slice(&runs.stdout).unwrap();
        assert_eq!(summary["providers"][1]["passed"], 3, "{}", store.name());
    }
}

#[test]
fn episodes_replay_their_turns_from_the_cache_on_both_stores() {
    for store in Store::all("episodes_replay_their_turns_from_the_cache_on_both_stores") {
        let ws = Workspace::new();
        let picked = crate::tools::one_parallel_task_per_environment(&ws);
        ws.write("tasks.jsonl", &picked.iter().map(|t| format!("{t}\n")).collect::<String>());
        let scripts: HashMap<String, crate::tools::Script> = picked
            .iter()
            .map(|t| (t["prompt"].as_str().unwrap().to_string(), crate::tools::Script::from_line(t)))
            .collect();
        let (server, problems) = crate::tools::scripted(scripts);
        ws.write("bench.toml", &format!("{}{}", store.toml(), two_providers(&server.url(), "")));
        let first = store.run(&ws, &["compare", "a", "o", "--suite", "tools:tasks.jsonl", "--json"]);
        ok(&first, &store);
        let asked = server.requests().len();
        assert!(asked > 6, "episodes take several turns: {asked}");
        let again = store.run(&ws, &["compare", "a", "o", "--suite", "tools:tasks.jsonl", "--json"]);
        ok(&again, &store);
        assert!(problems.lock().unwrap().is_empty(), "{:?}", problems.lock().unwrap());
        assert_eq!(server.requests().len(), asked, "{}: every turn came from the cache", store.name());
        let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(summary["providers"][0]["passed"], 3, "{}", store.name());
    }
}

#[test]
fn regress_and_history_read_tagged_runs_on_both_stores() {
    for store in Store::all("regress_and_history_read_tagged_runs_on_both_stores") {
        let night = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let phase = std::sync::Arc::clone(&night);
        let server = Server::start(move |req, _| {
            let worse = phase.load(std::sync::atomic::Ordering::SeqCst) == 1;
            let n: u64 = req.prompt().split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
            let text = if worse && n.is_multiple_of(2) {
                "The answer is 7.".to_string()
            } else {
                right_answer(&req.prompt())
            };
            server::answer(req, &text)
        });
        let ws = workspace(&store, &server, "", 30);
        for _ in 0..2 {
            ok(&store.run(&ws, &["run", "o", "--suite", "prompts.jsonl", "--tag", "nightly"]), &store);
            night.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        let regress = store.run(&ws, &["regress", "--against", "latest:nightly", "--format", "markdown"]);
        assert_eq!(
            regress.status.code(),
            Some(1),
            "{}: {}{}",
            store.name(),
            stdout(&regress),
            stderr(&regress)
        );
        assert!(stdout(&regress).contains("prompts"), "{}", stdout(&regress));
        let history = store.run(&ws, &["history", "--tag", "nightly", "--json"]);
        ok(&history, &store);
        let text = stdout(&history);
        assert_eq!(text.matches("\"run_id\"").count(), 2, "{}: both runs of the tag: {text}", store.name());
        let missing = store.run(&ws, &["history", "--tag", "nigthly"]);
        assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    }
}

#[test]
fn two_processes_write_two_runs_into_one_store_at_once() {
    for store in Store::all("two_processes_write_two_runs_into_one_store_at_once") {
        let server = Server::start(|req, _| {
            server::answer_paced(req, &right_answer(&req.prompt()), Duration::from_millis(5))
        });
        let ws = workspace(&store, &server, "", 15);
        let children: Vec<_> = (0..2)
            .map(|_| {
                store
                    .bench(&ws)
                    .args(["compare", "a", "o", "--suite", "prompts.jsonl", "--no-cache", "--json"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut ids = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            ok(&out, &store);
            let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(summary["providers"][0]["passed"], 15, "{}", store.name());
            ids.push(summary["run_id"].as_str().unwrap().to_string());
        }
        assert_ne!(ids[0], ids[1]);
        let runs = stdout(&store.run(&ws, &["runs"]));
        assert_eq!(runs.matches("finished").count(), 2, "{}: {runs}", store.name());
        assert_eq!(store.answered(&ws).len(), 60, "{}", store.name());
    }
}

#[test]
fn shards_written_into_one_store_at_once_merge_by_tag_into_the_unsharded_run() {
    for store in Store::all("shards_written_into_one_store_at_once_merge_by_tag_into_the_unsharded_run") {
        let server = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
        let ws = workspace(&store, &server, "", 12);
        let nightly = ["run", "a", "o", "--suite", "prompts.jsonl", "--tag", "nightly"];
        let whole = store.run(&ws, &[&nightly[..], &["--json"]].concat());
        ok(&whole, &store);
        let shards: Vec<_> = (1..=3)
            .map(|k| {
                let shard = format!("{k}/3");
                store
                    .bench(&ws)
                    .args(nightly)
                    .args(["--shard", &shard])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in shards {
            ok(&child.wait_with_output().unwrap(), &store);
        }
        let merged = store.run(&ws, &["merge", "--tag", "nightly"]);
        ok(&merged, &store);
        assert!(stderr(&merged).contains("3 shards merged"), "{}", stderr(&merged));
        let report = store.run(&ws, &["report", "latest", "--format", "json"]);
        ok(&report, &store);
        let (whole, merged): (Value, Value) =
            (serde_json::from_slice(&whole.stdout).unwrap(), serde_json::from_slice(&report.stdout).unwrap());
        assert_ne!(whole["run_id"], merged["run_id"]);
        assert_eq!(
            comparable(merged),
            comparable(whole),
            "{}: the merged run is the unsharded run",
            store.name()
        );
        let again = store.run(&ws, &["merge", "--tag", "nightly"]);
        assert_eq!(
            again.status.code(),
            Some(2),
            "{}: shards merged already are not merged twice",
            store.name()
        );
    }
}

#[test]
fn a_running_run_cannot_be_resumed_by_another_process_on_either_store() {
    for store in Store::all("a_running_run_cannot_be_resumed_by_another_process_on_either_store") {
        let server = Server::start(|req, _| {
            server::answer_paced(req, &right_answer(&req.prompt()), Duration::from_millis(40))
        });
        let ws = workspace(&store, &server, "max_concurrency = 1", 30);
        let mut child = store
            .bench(&ws)
            .args(["compare", "a", "--suite", "prompts.jsonl"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while store.answered(&ws).is_empty() {
            assert!(Instant::now() < deadline, "{}: the run made no progress", store.name());
            std::thread::sleep(Duration::from_millis(20));
        }
        let runs = stdout(&store.run(&ws, &["runs"]));
        assert!(runs.contains("running"), "{}: {runs}", store.name());
        let second = store.run(&ws, &["compare", "--resume", "latest"]);
        assert_eq!(second.status.code(), Some(2), "{}: {}", store.name(), stderr(&second));
        assert!(stderr(&second).contains("running in another process"), "{}", stderr(&second));
        child.kill().unwrap();
        child.wait().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let runs = stdout(&store.run(&ws, &["runs"]));
            if runs.contains("interrupted") {
                break;
            }
            assert!(Instant::now() < deadline, "{}: the lock outlived its process: {runs}", store.name());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn an_unreachable_postgres_store_is_exit_3_naming_host_and_database_never_the_password() {
    let ws = Workspace::new();
    let url = "postgres://bench:s3cret-pw@127.0.0.1:1/nightly";
    for args in [vec!["runs", "--store", url], vec!["report", "latest", "--store", url]] {
        let out = ws.run(&args);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("postgres://bench@127.0.0.1:1/nightly") && err.contains("cannot connect"),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
    }
    ws.write("bench.toml", "store = \"postgres://bench:s3cret-pw@127.0.0.1:1/nightly?sslmode=sometimes\"\n");
    let out = ws.run(&["runs"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bench.toml:1: store:"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("s3cret"), "{}", stderr(&out));
}

#[test]
fn a_wrong_password_is_exit_3_and_never_shown() {
    let Some(db) = pg::fresh("a_wrong_password_is_exit_3_and_never_shown") else { return };
    let ws = Workspace::new();
    let out =
        ws.bench().args(["runs", "--store", &db.url]).env("PGPASSWORD", "not-the-pw-42").output().unwrap();
    let err = stderr(&out);
    if db.password.is_some() {
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("password") && err.contains(&db.url), "{err}");
    }
    assert!(!err.contains("not-the-pw-42"), "{err}");
    let right = ws
        .bench()
        .args(["runs", "--store", &db.url_with_password])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert_eq!(right.status.code(), Some(0), "the password in the URL works: {}", stderr(&right));
    assert!(stdout(&right).contains("no runs in postgres://"), "{}", stdout(&right));
    if let Some(password) = &db.password {
        assert!(!stdout(&right).contains(password.as_str()) && !stderr(&right).contains(password.as_str()));
    }
}

#[test]
fn the_resume_hint_names_the_store_without_its_password() {
    let Some(db) = pg::fresh("the_resume_hint_names_the_store_without_its_password") else { return };
    let server = Server::start(|_, _| {
        server::json(
            401,
            serde_json::json!({"error": {"message": "invalid key", "type": "authentication_error"}}),
        )
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let out = ws
        .bench()
        .args(["compare", "o", "--suite", "prompts.jsonl", "--store", &db.url_with_password])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("--store {}", db.url)), "{err}");
    let runs = ws
        .bench()
        .args(["runs", "--store", &db.url_with_password])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    let listed = stdout(&runs);
    assert!(
        listed.contains(&format!("with: bench compare --resume latest --store {}\n", db.url)),
        "bench runs gives the resume command with the store: {listed}"
    );
    if let Some(password) = &db.password {
        for text in [&err, &stdout(&out), &listed] {
            assert!(!text.contains(password.as_str()), "{text}");
        }
    }
}

#[test]
fn tls_to_postgres_is_used_only_with_a_verified_server_certificate() {
    let test = "tls_to_postgres_is_used_only_with_a_verified_server_certificate";
    let Some(db) = pg::fresh(test) else { return };
    let Ok(ca) = std::env::var("BENCH_TEST_POSTGRES_CA") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: CI must test TLS (scripts/postgres.sh starts the server with a test CA)"
        );
        eprintln!("{test}: skipped: the test server has no TLS (set BENCH_TEST_POSTGRES_CA)");
        return;
    };
    let server = Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let compare = |store: &str| {
        let mut cmd = ws.bench();
        cmd.args(["compare", "o", "--suite", "prompts.jsonl", "--store", store]);
        if let Some(password) = &db.password {
            cmd.env("PGPASSWORD", password);
        }
        cmd.output().unwrap()
    };
    let verified = compare(&format!("{}?sslmode=verify-full&sslrootcert={ca}", db.url));
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));

    let unverified = compare(&format!("{}?sslmode=require", db.url));
    assert_eq!(unverified.status.code(), Some(3), "an unknown issuer is refused: {}", stderr(&unverified));
    let err = stderr(&unverified);
    assert!(err.contains("cannot connect to the PostgreSQL store") && err.contains("certificate"), "{err}");
    let missing = compare(&format!("{}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", db.url));
    assert_eq!(missing.status.code(), Some(3), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("sslrootcert /nonexistent/ca.pem"), "{}", stderr(&missing));
}
