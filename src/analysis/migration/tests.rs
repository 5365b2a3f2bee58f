use super::*;
use crate::analysis::{result_row, run_view_of_tasks};
use crate::store::{ResultRow, TaskRecord};

fn fig(value: Option<f64>, ci95: Option<[f64; 2]>, n: usize) -> Figure {
    figure(value, ci95, n, "tasks", String::new())
}

/// A workload that passes every default rule: 200 tasks, retention 0.99 [0.96, 1.02], no errors,
/// cheaper and as fast.
fn clean() -> Assessment {
    Assessment {
        candidate: "kimi".into(),
        family: "math".into(),
        category: None,
        recommendation: Recommendation::KeepBaseline,
        risks: Vec::new(),
        baseline_score: fig(Some(0.9), None, 200),
        candidate_score: fig(Some(0.89), None, 200),
        retention: fig(Some(0.99), Some([0.96, 1.02]), 200),
        difference: fig(Some(-0.01), None, 200),
        p_value: 0.5,
        mdd: fig(Some(0.04), None, 200),
        cost_ratio: fig(Some(0.3), None, 400),
        latency_ratio: fig(Some(1.1), None, 400),
        error_rate: fig(Some(0.0), None, 200),
        context_exceeded_rate: fig(Some(0.0), None, 200),
        invalid_call_rate: None,
    }
}

#[test]
fn every_switch_rule_holding_is_a_switch() {
    let (recommendation, risks) = recommend(&clean(), &MigrationRules::default());
    assert_eq!((recommendation, risks), (Recommendation::Switch, Vec::<String>::new()));
}

/// An edit of a workload's figures.
type Change = Box<dyn Fn(&mut Assessment)>;

#[test]
fn each_broken_switch_rule_is_a_risk_of_a_switch_with_care() {
    let rules = MigrationRules::default();
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|a| a.retention.ci95 = Some([0.93, 1.02])),
            "retention's 95% CI lower bound 93.0% is under 95.0% (min_retention)",
        ),
        (
            Box::new(|a| a.retention.ci95 = Some([0.95, 1.12])),
            "retention's 95% CI is 17.0 points wide, over 15.0 (max_ci_width)",
        ),
        (
            Box::new(|a| a.error_rate.value = Some(0.03)),
            "infrastructure error rate 3.0% is over 2.0% (max_error_rate)",
        ),
        (
            Box::new(|a| a.context_exceeded_rate.value = Some(0.02)),
            "2.0% of tasks beyond the context window, over 1.0% (max_context_exceeded_rate)",
        ),
        (
            Box::new(|a| a.invalid_call_rate = Some(fig(Some(0.08), None, 50))),
            "8.0% of tool calls invalid, over 5.0% (max_invalid_call_rate)",
        ),
        (
            Box::new(|a| a.cost_ratio.value = Some(1.3)),
            "costs 1.30× the baseline per answer, over 1.00× (max_cost_ratio)",
        ),
        (
            Box::new(|a| a.latency_ratio.value = Some(2.1)),
            "median latency 2.10× the baseline's, over 1.50× (max_latency_ratio)",
        ),
        (
            Box::new(|a| a.retention.value = None),
            "retention is undefined: the baseline scored 0 on these tasks",
        ),
    ];
    for (change, risk) in cases {
        let mut a = clean();
        change(&mut a);
        let (recommendation, risks) = recommend(&a, &rules);
        assert_eq!(recommendation, Recommendation::SwitchWithCare, "{risk}");
        assert_eq!(risks, [risk]);
    }
}

#[test]
fn a_keep_rule_outweighs_everything_and_notes_never_decide() {
    let rules = MigrationRules::default();
    let mut a = clean();
    a.retention = fig(Some(0.85), Some([0.8, 0.9]), 20);
    a.error_rate.value = Some(0.12);
    let (recommendation, risks) = recommend(&a, &rules);
    assert_eq!(recommendation, Recommendation::KeepBaseline);
    assert_eq!(
        risks,
        [
            "only 20 paired tasks, under 30 (min_tasks): too little evidence to move",
            "retention 85.0% is under 90.0% (care_min_retention)",
            "infrastructure error rate 12.0% is over 10.0% (care_max_error_rate)",
        ]
    );
    // What cannot be measured is said, but does not change a switch.
    let mut a = clean();
    a.cost_ratio.value = None;
    a.mdd.value = Some(0.08);
    let (recommendation, risks) = recommend(&a, &rules);
    assert_eq!(recommendation, Recommendation::Switch);
    assert_eq!(
        risks,
        [
            "cost not compared: a price is missing or the currencies differ",
            "200 tasks cannot detect a 5-point difference (minimum detectable difference 8.0 points)",
        ]
    );
    // The rules are data: a looser bar turns the same numbers into a switch.
    let mut a = clean();
    a.cost_ratio.value = Some(1.3);
    let loose = MigrationRules { max_cost_ratio: 1.5, ..rules };
    assert_eq!(recommend(&a, &loose).0, Recommendation::Switch);
}

fn task(suite: &str, id: &str, family: &str, category: &str) -> TaskRecord {
    TaskRecord {
        suite: suite.into(),
        id: id.into(),
        family: family.into(),
        category: Some(category.into()),
        fingerprint: String::new(),
        meta: serde_json::Value::Null,
    }
}

#[test]
fn workloads_are_families_then_their_categories_with_the_numbers_behind_them() {
    // 40 tasks in two categories; claude passes all, kimi misses 4 of "hard" and loses 2 "easy" to a 429.
    let mut tasks = Vec::new();
    let mut rows: Vec<ResultRow> = Vec::new();
    for i in 0..40 {
        let (id, category) = (format!("t{i:02}"), if i < 20 { "easy" } else { "hard" });
        tasks.push(task("s", &id, "custom", category));
        rows.push(result_row("s", &id, "claude", Some(1.0), None));
        let row = match i {
            0 | 1 => result_row("s", &id, "kimi", None, Some("rate_limited")),
            20..24 => result_row("s", &id, "kimi", Some(0.0), None),
            _ => result_row("s", &id, "kimi", Some(1.0), None),
        };
        rows.push(row);
    }
    let mut view = run_view_of_tasks(&["claude", "kimi"], "s", tasks, 1, rows);
    let kimi = view.find_name("kimi");
    for row in view.rows.iter_mut().filter(|r| Some(r.provider) == kimi) {
        row.latency_ms = Some(2000.0);
        row.cost = 0.002;
    }
    let report = migration(&view, &MigrationRules::default());
    let names: Vec<String> = report.assessments.iter().map(Assessment::workload).collect();
    assert_eq!(names, ["all", "custom / easy", "custom / hard"], "one family: the run is the family");
    let all = &report.assessments[0];
    assert_eq!((all.retention.n, all.retention.value), (38, Some(34.0 / 38.0)));
    assert_eq!((all.error_rate.value, all.error_rate.n), (Some(2.0 / 40.0), 40));
    assert_eq!(all.cost_ratio.value.map(|r| (r * 1000.0).round() / 1000.0), Some(0.2), "0.002 against 0.01");
    assert_eq!(all.latency_ratio.value, Some(2.0), "2000 ms against 1000 ms");
    assert!(
        all.retention.method.contains("paired bootstrap") && all.difference.method.contains("exact McNemar")
    );
    // Retention 89.5% is under 90%: keep; the error rate (5%) breaks a switch rule too.
    assert_eq!(all.recommendation, Recommendation::KeepBaseline, "{:?}", all.risks);
    let easy = &report.assessments[1];
    assert_eq!((easy.retention.value, easy.retention.n), (Some(1.0), 18));
    assert_eq!(easy.recommendation, Recommendation::KeepBaseline, "18 tasks are under min_tasks");
    let lenient = MigrationRules {
        min_tasks: 10,
        max_error_rate: 0.2,
        care_max_error_rate: 0.2,
        max_latency_ratio: 3.0,
        ..MigrationRules::default()
    };
    let report = migration(&view, &lenient);
    assert_eq!(
        report.assessments[1].recommendation,
        Recommendation::Switch,
        "{:?}",
        report.assessments[1].risks
    );
    assert_eq!(report.assessments[2].recommendation, Recommendation::KeepBaseline, "hard: retention 80%");
    assert_eq!(report.candidates(), ["kimi"]);
}

#[test]
fn several_families_each_get_a_workload_before_their_categories() {
    let mut tasks = Vec::new();
    let mut rows = Vec::new();
    for (suite, family, category, id) in [
        ("s", "custom", "a", "1"),
        ("s", "custom", "b", "2"),
        ("m", "math", "algebra", "3"),
        ("m", "math", "algebra", "4"),
    ] {
        tasks.push(task(suite, id, family, category));
        for provider in ["claude", "kimi"] {
            rows.push(result_row(suite, id, provider, Some(1.0), None));
        }
    }
    let mut view = run_view_of_tasks(&["claude", "kimi"], "s", tasks, 1, rows);
    let mut math = view.manifest.suites[0].clone();
    (math.name, math.family) = ("m".into(), "math".into());
    view.manifest.suites.push(math);
    let report = migration(&view, &MigrationRules::default());
    let names: Vec<String> = report.assessments.iter().map(Assessment::workload).collect();
    assert_eq!(names, ["all", "custom", "custom / a", "custom / b", "math"], "math has one category");
    let n: Vec<usize> = report.assessments.iter().map(|a| a.retention.n).collect();
    assert_eq!(n, [4, 2, 1, 1, 2]);
}
