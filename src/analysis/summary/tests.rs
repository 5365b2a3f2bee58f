use super::*;
use crate::analysis::PairedTest;
use crate::core::Usage;
use crate::store::ResultRow;

/// A stored run of `providers` (presets) over suite `s` with tasks `(id, category)`.
fn view(providers: &[&str], tasks: &[(&str, Option<&str>)], samples: u32, rows: Vec<ResultRow>) -> RunView {
    let tasks: Vec<(String, Option<String>)> =
        tasks.iter().map(|(id, category)| (id.to_string(), category.map(String::from))).collect();
    crate::analysis::run_view(providers, "s", &tasks, samples, rows)
}

fn four_tasks() -> Vec<(&'static str, Option<&'static str>)> {
    vec![("1", None), ("2", None), ("3", None), ("4", None)]
}

fn row(provider: &str, task: &str, score: Option<f64>, error: Option<&str>) -> ResultRow {
    let mut row = crate::analysis::result_row("s", task, provider, score, error);
    row.usage = Usage { input: 100, output: 10, cache_read: 50, cache_write: 0, reasoning: 4 };
    row.cost = 0.5;
    row.latency_ms = Some(100.0);
    row.ttft_ms = Some(20.0);
    row
}

#[test]
fn infra_failures_are_counted_apart_and_comparisons_pair_tasks() {
    let rows = vec![
        row("claude", "1", Some(1.0), None),
        row("claude", "2", Some(1.0), None),
        row("claude", "3", Some(1.0), None),
        row("claude", "4", Some(0.0), None),
        row("kimi", "1", Some(1.0), None),
        row("kimi", "2", Some(0.0), None),
        row("kimi", "3", None, Some("rate_limited")),
        row("kimi", "4", Some(0.0), None),
    ];
    let s = summarize(&view(&["claude", "kimi"], &four_tasks(), 1, rows));
    let kimi = &s.providers[1];
    assert_eq!((kimi.tasks, kimi.scored, kimi.passed, kimi.infra_errors), (4, 3, 1, 1));
    assert!((kimi.score - 1.0 / 3.0).abs() < 1e-12, "a failure is not a wrong answer");
    assert_eq!(kimi.errors_by_class.get("rate_limited"), Some(&1));
    assert_eq!(kimi.input_tokens, 450);
    assert_eq!(kimi.cache_read_tokens, 150);
    assert!((kimi.cost - 1.5).abs() < 1e-12);
    assert_eq!(s.comparisons.len(), 1);
    let c = &s.comparisons[0];
    assert_eq!((c.n_paired, c.suite.as_str()), (3, "all"));
    assert!((c.diff - (-1.0 / 3.0)).abs() < 1e-12);
    // On the paired tasks 1, 2, 4 the baseline scores 2/3 and the candidate 1/3.
    assert_eq!(c.retention, Some(0.5));
    assert_eq!(c.test, PairedTest::McNemarExact);
    assert!(s.providers[0].ci95[0] < 0.75 && s.providers[0].ci95[1] > 0.75);
    assert_eq!(s.providers[0].latency_ms, Percentiles { p50: 100.0, p95: 100.0 });
}

#[test]
fn a_scorer_error_is_an_infra_failure_whose_tokens_still_count() {
    let mut broken = row("claude", "2", Some(0.0), None);
    broken.scorer_error = Some("sandbox_error".into());
    let rows = vec![row("claude", "1", Some(1.0), None), broken];
    let s = summarize(&view(&["claude"], &[("1", None), ("2", None)], 1, rows));
    let p = &s.providers[0];
    assert_eq!((p.scored, p.passed, p.infra_errors), (1, 1, 1));
    assert_eq!(p.score, 1.0, "no verdict is not a wrong answer");
    assert_eq!(p.errors_by_class.get("sandbox_error"), Some(&1));
    assert_eq!(p.input_tokens, 300, "the answer was paid for");
}

#[test]
fn samples_average_within_a_task() {
    let mut rows = vec![
        row("claude", "1", Some(1.0), None),
        row("claude", "1", Some(0.0), None),
        row("claude", "1", Some(1.0), None),
    ];
    for (i, r) in rows.iter_mut().enumerate() {
        r.key.sample = i as u32;
    }
    let s = summarize(&view(&["claude"], &[("1", None)], 3, rows));
    assert_eq!((s.providers[0].scored, s.providers[0].passed), (1, 1));
    assert!((s.providers[0].score - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn categories_break_scores_down_with_paired_differences() {
    // Category "billing": tasks 1, 2, 3; "search": task 4; task 5 has none.
    let tasks = [
        ("1", Some("billing")),
        ("2", Some("billing")),
        ("3", Some("billing")),
        ("4", Some("search")),
        ("5", None),
    ];
    let mut rows = Vec::new();
    for (task, claude, kimi) in
        [("1", 1.0, 1.0), ("2", 1.0, 0.0), ("3", 0.0, 0.0), ("4", 1.0, 1.0), ("5", 0.0, 1.0)]
    {
        rows.push(row("claude", task, Some(claude), None));
        rows.push(row("kimi", task, Some(kimi), None));
    }
    let s = summarize(&view(&["claude", "kimi"], &tasks, 1, rows));
    let got: Vec<(&str, &str, usize, f64)> =
        s.categories.iter().map(|c| (c.category.as_str(), c.provider.as_str(), c.tasks, c.score)).collect();
    assert_eq!(
        got,
        [
            ("billing", "claude", 3, 2.0 / 3.0),
            ("billing", "kimi", 3, 1.0 / 3.0),
            ("search", "claude", 1, 1.0),
            ("search", "kimi", 1, 1.0),
            (UNCATEGORIZED, "claude", 1, 0.0),
            (UNCATEGORIZED, "kimi", 1, 1.0),
        ]
    );
    // Billing: 2/3 vs 1/3 on three paired tasks; one discordant pair, so McNemar's exact p is 1.
    let billing = &s.category_comparisons[0];
    assert_eq!(
        (billing.category.as_deref(), billing.candidate.as_str(), billing.n_paired),
        (Some("billing"), "kimi", 3)
    );
    assert!((billing.diff + 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(billing.retention, Some(0.5));
    assert_eq!(billing.p_value, 1.0);
    let search = &s.category_comparisons[1];
    assert_eq!((search.diff, search.retention), (0.0, Some(1.0)));
    assert_eq!(s.category_comparisons.len(), 3, "one per category, the uncategorized included");
    // The overall comparison is unchanged by the breakdown: 3/5 vs 3/5.
    assert_eq!((s.comparisons[0].n_paired, s.comparisons[0].diff), (5, 0.0));
}

#[test]
fn no_categories_no_breakdown() {
    let rows = vec![row("claude", "1", Some(1.0), None), row("kimi", "1", Some(1.0), None)];
    let s = summarize(&view(&["claude", "kimi"], &[("1", None)], 1, rows));
    assert!(s.categories.is_empty() && s.category_comparisons.is_empty());
    let json = serde_json::to_value(&s).unwrap();
    assert!(json.get("categories").is_none(), "absent from summary.json when there are none");
}

#[test]
fn every_planned_item_is_scored_failed_or_not_attempted_with_why() {
    let rows = vec![
        row("claude", "1", Some(1.0), None),
        row("claude", "2", Some(0.0), None),
        row("claude", "3", Some(1.0), None),
        row("claude", "4", Some(1.0), None),
        row("kimi", "1", None, Some("auth")),
    ];
    let mut view = view(&["claude", "kimi"], &four_tasks(), 2, rows);
    view.run.status = RunStatus::Running;
    let s = summarize(&view);
    let (claude, kimi) = (&s.providers[0], &s.providers[1]);
    assert_eq!((claude.items, claude.not_attempted), (8, 4), "two samples per task, one answered each");
    assert_eq!((kimi.items, kimi.infra_errors, kimi.not_attempted), (8, 1, 7));
    assert_eq!(kimi.not_attempted_why.as_deref(), Some("the run is still going"));

    view.run.status = RunStatus::Interrupted;
    view.stops.push(crate::store::StopRow {
        provider: "kimi".into(),
        error_class: "auth".into(),
        reason: "auth (HTTP 401): invalid x-api-key".into(),
    });
    let s = summarize(&view);
    assert_eq!(
        s.providers[1].not_attempted_why.as_deref(),
        Some("stopped early: auth (HTTP 401): invalid x-api-key")
    );
    assert_eq!(
        s.providers[0].not_attempted_why.as_deref(),
        Some("the run was interrupted before they were sent")
    );
    let json = serde_json::to_value(&s.providers[1]).unwrap_or_default();
    assert_eq!((json["items"].as_u64(), json["not_attempted"].as_u64()), (Some(8), Some(7)));
}
