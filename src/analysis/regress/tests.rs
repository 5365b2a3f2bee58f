use super::*;
use crate::analysis::{result_row, run_view_of_tasks};
use crate::store::{ResultRow, TaskRecord};

fn task(suite: &str, id: &str, fingerprint: &str) -> TaskRecord {
    TaskRecord {
        suite: suite.into(),
        id: id.into(),
        family: "custom".into(),
        category: None,
        fingerprint: fingerprint.into(),
        meta: serde_json::Value::Null,
    }
}

/// A run of kimi over `n` tasks of suite `s` (fingerprint `f<i>`); task i scores `mark(i)`: `Some(1.0)`
/// right, `Some(0.0)` wrong, `None` lost to a server error.
fn run(n: usize, mark: impl Fn(usize) -> Option<f64>) -> RunView {
    let tasks = (1..=n).map(|i| task("s", &format!("t{i}"), &format!("f{i}"))).collect();
    let rows: Vec<ResultRow> = (1..=n)
        .map(|i| {
            let score = mark(i);
            result_row("s", &format!("t{i}"), "kimi", score, score.is_none().then_some("server"))
        })
        .collect();
    run_view_of_tasks(&["kimi"], "s", tasks, 1, rows)
}

fn check(before: &RunView, after: &RunView) -> Regress {
    regress(before, after, Vec::new(), &RegressRules::default(), false)
}

fn metrics(report: &Regress) -> Vec<Metric> {
    report.checks.iter().flat_map(|c| c.regressions.iter().map(|b| b.metric)).collect()
}

#[test]
fn a_significant_drop_is_a_regression_named_with_its_size() {
    let before = run(40, |_| Some(1.0));
    let after = run(40, |i| Some(if i <= 12 { 0.0 } else { 1.0 }));
    let report = check(&before, &after);
    assert!(report.failed());
    let c = &report.checks[0];
    assert_eq!((c.change.n_paired, c.change.score_before, c.change.score_after), (40, 1.0, 0.7));
    assert!(c.change.p_holm < 0.001, "12 losses, no gains: {}", c.change.p_holm);
    assert_eq!(c.regressions.len(), 1);
    let b = &c.regressions[0];
    assert_eq!((b.metric, b.before, b.after, b.limit), (Metric::Score, 1.0, 0.7, -0.02));
    assert!((b.change + 0.3).abs() < 1e-12);
}

#[test]
fn a_drop_the_size_of_sampling_noise_is_not() {
    // 30 of 40 right, then 28 of 40 with three losses and one gain: -5 points, McNemar p = 0.625.
    let before = run(40, |i| Some(if i <= 10 { 0.0 } else { 1.0 }));
    let after = run(40, |i| Some(if i <= 9 || (11..=13).contains(&i) { 0.0 } else { 1.0 }));
    let report = check(&before, &after);
    let c = &report.checks[0];
    assert!(
        (c.change.diff + 0.05).abs() < 1e-12 && c.change.p_value > 0.5,
        "{} {}",
        c.change.diff,
        c.change.p_value
    );
    assert!(metrics(&report).is_empty() && !report.failed());
    // Only a gate as loose as alpha = 0.7 would call it a regression.
    let loose = RegressRules { alpha: 0.7, ..RegressRules::default() };
    assert_eq!(metrics(&regress(&before, &after, Vec::new(), &loose, false)), [Metric::Score]);
}

#[test]
fn holm_corrects_across_every_provider_and_suite() {
    // Two suites: each loses 6 of 20 tasks with no gain (McNemar p = 2 * 0.5^6 = 0.03125), under
    // 0.05 alone but 0.0625 after Holm's correction over the two.
    let suites = ["a", "b"];
    let tasks = |view_suite: &str| -> Vec<TaskRecord> {
        (1..=20).map(|i| task(view_suite, &format!("t{i}"), &format!("f{i}"))).collect()
    };
    let view = |lost: usize| {
        let mut rows = Vec::new();
        let mut all_tasks = Vec::new();
        for s in suites {
            all_tasks.extend(tasks(s));
            rows.extend((1..=20).map(|i| {
                result_row(s, &format!("t{i}"), "kimi", Some(if i <= lost { 0.0 } else { 1.0 }), None)
            }));
        }
        let mut view = run_view_of_tasks(&["kimi"], "a", all_tasks, 1, rows);
        view.manifest
            .suites
            .push(crate::store::SuiteRecord { name: "b".into(), ..view.manifest.suites[0].clone() });
        view
    };
    let report = check(&view(0), &view(6));
    assert_eq!(report.checks.len(), 2);
    for c in &report.checks {
        assert!(
            (c.change.p_value - 0.03125).abs() < 1e-12 && (c.change.p_holm - 0.0625).abs() < 1e-12,
            "{c:?}"
        );
    }
    assert!(!report.failed(), "corrected, neither drop is significant");
}

#[test]
fn an_error_burst_cost_and_latency_have_thresholds_of_their_own() {
    let before = run(20, |_| Some(1.0));
    // Four of twenty lost to server errors: 20 points more errors; the answers left are all right.
    let after = run(20, |i| if i <= 4 { None } else { Some(1.0) });
    let report = check(&before, &after);
    assert_eq!(metrics(&report), [Metric::ErrorRate]);
    let b = &report.checks[0].regressions[0];
    assert!((b.after - 0.2).abs() < 1e-12 && b.before == 0.0 && b.limit == 0.05, "{b:?}");

    let mut pricier = run(20, |_| Some(1.0));
    pricier.rows.iter_mut().for_each(|r| {
        r.cost = 0.02;
        r.latency_ms = Some(2000.0);
    });
    let report = check(&before, &pricier);
    assert_eq!(metrics(&report), [Metric::Cost, Metric::LatencyP95]);
    let cost = &report.checks[0].regressions[0];
    assert!((cost.change - 1.0).abs() < 1e-12, "doubled: {cost:?}");
    assert_eq!(report.checks[0].currency.as_deref(), Some("USD"));
    let generous =
        RegressRules { max_cost_increase: 1.5, max_latency_increase: 1.5, ..RegressRules::default() };
    assert!(regress(&before, &pricier, Vec::new(), &generous, false).checks[0].regressions.is_empty());
}

#[test]
fn only_tasks_asked_alike_count_and_drift_fails_only_when_asked() {
    let before = run(10, |_| Some(1.0));
    // Every task rewritten (new fingerprints) and failed: nothing paired, nothing to blame.
    let rewritten: Vec<TaskRecord> =
        (1..=10).map(|i| task("s", &format!("t{i}"), &format!("g{i}"))).collect();
    let rows = (1..=10).map(|i| result_row("s", &format!("t{i}"), "kimi", Some(0.0), None)).collect();
    let after = run_view_of_tasks(&["kimi"], "s", rewritten, 1, rows);
    let report = check(&before, &after);
    assert_eq!((report.checks[0].change.n_paired, report.checks[0].change.changed), (0, 10));
    assert!(report.notes.iter().any(|n| n.contains("no task scored in both runs")), "{:?}", report.notes);
    assert!(!report.failed());

    let drift = vec![Drift {
        provider: "kimi".into(),
        kind: crate::analysis::drift::DriftKind::ReportedModel,
        before: "a".into(),
        after: "b".into(),
        message: "kimi: the model the provider reported changed: a → b".into(),
    }];
    let same = run(10, |_| Some(1.0));
    assert!(!regress(&before, &same, drift.clone(), &RegressRules::default(), false).failed());
    assert!(regress(&before, &same, drift, &RegressRules::default(), true).failed());
}
