//! A small stored run for renderer tests: two providers, one suite, two categories, one
//! infrastructure failure.

use super::RunView;
use crate::config::Config;
use crate::core::{ItemKey, RunOptions, Usage};
use crate::store::{Manifest, ProviderSnapshot, ResultRow, RunRow, RunStatus, SuiteRecord, TaskRecord};

/// A stored run of `providers` (presets) over one suite with tasks `(id, category)` and these rows.
pub(crate) fn run_view(
    providers: &[&str],
    suite: &str,
    tasks: &[(String, Option<String>)],
    samples: u32,
    rows: Vec<ResultRow>,
) -> RunView {
    let tasks: Vec<TaskRecord> = tasks
        .iter()
        .map(|(id, category)| TaskRecord {
            suite: suite.into(),
            id: id.clone(),
            family: "custom".into(),
            category: category.clone(),
            fingerprint: String::new(),
            meta: serde_json::Value::Null,
        })
        .collect();
    run_view_of_tasks(providers, suite, tasks, samples, rows)
}

/// A stored run of `providers` (presets) over one suite of these task records and rows.
pub(crate) fn run_view_of_tasks(
    providers: &[&str],
    suite: &str,
    tasks: Vec<TaskRecord>,
    samples: u32,
    rows: Vec<ResultRow>,
) -> RunView {
    let config = Config::parse("", "b.toml").expect("presets parse");
    let providers: Vec<ProviderSnapshot> = providers
        .iter()
        .map(|p| ProviderSnapshot::of(&config.provider(p).expect("a preset")).expect("a snapshot"))
        .collect();
    RunView::new(
        RunRow {
            run_id: "20261207-120000-abcd".into(),
            created_at: "2026-12-07T12:00:00Z".into(),
            status: RunStatus::Finished,
            command: String::new(),
            done: rows.len() as u64,
            cost: Vec::new(),
        },
        Manifest {
            format: 1,
            bench_version: "test".into(),
            baseline: providers[0].name.clone(),
            options: RunOptions { samples, ..RunOptions::default() },
            suites: vec![SuiteRecord {
                name: suite.into(),
                family: "custom".into(),
                source: format!("custom:/data/{suite}.jsonl"),
                repos: None,
                max_context: None,
                tasks: tasks.len(),
                content_hash: String::new(),
            }],
            providers,
            tag: None,
            shard: None,
        },
        tasks,
        rows,
    )
}

/// One scored (or failed, with `error`) answer of `provider` to task `task` of suite `suite`.
pub(crate) fn result_row(
    suite: &str,
    task: &str,
    provider: &str,
    score: Option<f64>,
    error: Option<&str>,
) -> ResultRow {
    ResultRow {
        key: ItemKey { suite: suite.into(), task_id: task.into(), provider: provider.into(), sample: 0 },
        family: "custom".into(),
        category: None,
        error_class: error.map(String::from),
        usage: Usage { input: 1200, output: 300, ..Usage::default() },
        usage_estimated: false,
        cost: 0.01,
        latency_ms: Some(1000.0),
        ttft_ms: Some(200.0),
        score,
        passed: score.map(|s| s >= 1.0),
        answer_key: None,
        scorer_error: None,
        tool_use: None,
        hallucinated: false,
        failure: crate::store::FailureFacts::default(),
    }
}

/// Six tasks (billing: t1-t3, search: t4-t6) answered by `claude` (5 right) and `kimi` (3 right, one
/// lost to a rate limit).
pub(crate) fn example_run() -> RunView {
    let tasks: Vec<(String, Option<String>)> = (1..=6)
        .map(|i| (format!("t{i}"), Some(if i <= 3 { "billing" } else { "search" }.to_string())))
        .collect();
    let answers = [("claude", [1, 1, 1, 1, 1, 0]), ("kimi", [1, 0, 2, 1, 1, 0])];
    let mut rows = Vec::new();
    for (provider, marks) in answers {
        for (i, mark) in marks.iter().enumerate() {
            let failed = *mark == 2;
            let task = format!("t{}", i + 1);
            let mut row = result_row(
                "support",
                &task,
                provider,
                (!failed).then(|| f64::from(*mark)),
                failed.then_some("rate_limited"),
            );
            row.latency_ms = Some(800.0 + 100.0 * i as f64);
            rows.push(row);
        }
    }
    run_view(&["claude", "kimi"], "support", &tasks, 1, rows)
}
