//! A small stored run for renderer tests: two providers, one suite, two categories, one
//! infrastructure failure.

use super::RunView;
use crate::config::Config;
use crate::core::{ItemKey, RunOptions, Usage, Vote};
use crate::store::{Manifest, ProviderSnapshot, ResultRow, RunRow, RunStatus, SuiteRecord, TaskRecord};

/// Six tasks (billing: 1-3, search: 4-6) answered by `claude` (5 right) and `kimi` (3 right, one
/// lost to a rate limit).
pub(crate) fn example_run() -> RunView {
    let config = Config::parse("", "b.toml").expect("presets parse");
    let providers: Vec<ProviderSnapshot> = ["claude", "kimi"]
        .iter()
        .map(|p| ProviderSnapshot::of(&config.provider(p).expect("a preset")).expect("a snapshot"))
        .collect();
    let tasks: Vec<TaskRecord> = (1..=6)
        .map(|i| TaskRecord {
            suite: "support".into(),
            id: format!("t{i}"),
            family: "custom".into(),
            category: Some(if i <= 3 { "billing" } else { "search" }.into()),
            fingerprint: String::new(),
            meta: serde_json::Value::Null,
        })
        .collect();
    let answers = [("claude", [1, 1, 1, 1, 1, 0]), ("kimi", [1, 0, 2, 1, 1, 0])];
    let mut rows = Vec::new();
    for (provider, marks) in answers {
        for (i, mark) in marks.iter().enumerate() {
            let failed = *mark == 2;
            rows.push(ResultRow {
                key: ItemKey {
                    suite: "support".into(),
                    task_id: format!("t{}", i + 1),
                    provider: provider.into(),
                    sample: 0,
                },
                family: "custom".into(),
                category: tasks[i].category.clone(),
                error_class: failed.then(|| "rate_limited".into()),
                usage: Usage { input: 1200, output: 300, ..Usage::default() },
                usage_estimated: false,
                cost: 0.01,
                latency_ms: Some(800.0 + 100.0 * i as f64),
                ttft_ms: Some(200.0),
                score: (!failed).then(|| f64::from(*mark)),
                passed: (!failed).then_some(*mark == 1),
                answer_key: None,
                scorer_error: None,
            });
        }
    }
    RunView {
        run: RunRow {
            run_id: "20261207-120000-abcd".into(),
            created_at: "2026-12-07T12:00:00Z".into(),
            status: RunStatus::Finished,
            command: "compare claude kimi --suite support.jsonl".into(),
            done: rows.len() as u64,
            cost: Vec::new(),
        },
        manifest: Manifest {
            format: 1,
            bench_version: "test".into(),
            baseline: "claude".into(),
            options: RunOptions {
                samples: 1,
                vote: Vote::Mean,
                max_tokens: None,
                temperature: None,
                use_cache: true,
                limit: None,
            },
            providers,
            suites: vec![SuiteRecord {
                name: "support".into(),
                family: "custom".into(),
                source: "custom:/data/support.jsonl".into(),
                repos: None,
                tasks: 6,
                content_hash: String::new(),
            }],
        },
        tasks,
        rows,
    }
}
