//! Two runs side by side (`bench report A B`): per provider and suite both runs have, the change in
//! score over the tasks both runs asked alike, with a paired test (Holm-corrected across a provider's
//! suites), and the tasks that flipped between pass and fail.
//!
//! Tasks are matched by suite, task id and fingerprint (what is asked and how it is judged): a task
//! whose fingerprint changed is not the same question, so it is left out and counted in `changed`.

use std::collections::HashMap;

use serde::Serialize;

use super::samples::{TaskSamples, task_scores};
use super::stats::{self, PairedTest};
use super::summary::SEED;
use super::view::RunView;

/// One run of the two.
#[derive(Debug, Clone, Serialize)]
pub struct DiffRun {
    /// Run id.
    pub run_id: String,
    /// When it started.
    pub created_at: String,
}

/// One provider on one suite, before (run A) and after (run B).
#[derive(Debug, Clone, Serialize)]
pub struct SuiteChange {
    /// Provider name.
    pub provider: String,
    /// Suite name.
    pub suite: String,
    /// The model behind the name in run A.
    pub model_before: String,
    /// The model behind the name in run B.
    pub model_after: String,
    /// Tasks asked alike in both runs and scored in both.
    pub n_paired: usize,
    /// Tasks in both runs whose fingerprint changed: left out.
    pub changed: usize,
    /// Tasks of the suite only run A has.
    pub only_before: usize,
    /// Tasks of the suite only run B has.
    pub only_after: usize,
    /// Mean task score in run A, on the paired tasks.
    pub score_before: f64,
    /// Mean task score in run B, on the paired tasks.
    pub score_after: f64,
    /// `score_after - score_before`.
    pub diff: f64,
    /// Paired-bootstrap 95% CI of `diff`.
    pub ci95: [f64; 2],
    /// Two-sided p-value of the paired test.
    pub p_value: f64,
    /// `p_value` after Holm's correction across this provider's suites.
    pub p_holm: f64,
    /// Which test gave `p_value`.
    pub test: PairedTest,
    /// Task ids that passed in run A and fail in run B, in id order.
    pub pass_to_fail: Vec<String>,
    /// Task ids that failed in run A and pass in run B, in id order.
    pub fail_to_pass: Vec<String>,
}

/// What changed from run A to run B.
#[derive(Debug, Clone, Serialize)]
pub struct RunDiff {
    /// Run A.
    pub before: DiffRun,
    /// Run B.
    pub after: DiffRun,
    /// Per provider (run A's order) and suite (run A's order) both runs have.
    pub changes: Vec<SuiteChange>,
}

/// The listed tasks of `suite` in `view` by id: (index, fingerprint hash).
pub(super) fn tasks_of(view: &RunView, suite: &str) -> HashMap<Box<str>, (u32, u64)> {
    let Some(name) = view.find_name(suite) else { return HashMap::new() };
    view.tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.listed && t.suite == name)
        .filter_map(|(i, t)| u32::try_from(i).ok().map(|i| (t.id.clone(), (i, t.fingerprint))))
        .collect()
}

/// The samples of task `k`, when it has a scored one.
fn scored(scores: &[Option<TaskSamples>], k: u32) -> Option<&TaskSamples> {
    scores.get(k as usize).and_then(Option::as_ref)
}

/// Compare run `after` with run `before`.
pub fn diff(before: &RunView, after: &RunView) -> RunDiff {
    let mut changes = Vec::new();
    for provider in &before.manifest.providers {
        let Some(later) = after.manifest.provider(&provider.name) else { continue };
        let scores_before =
            task_scores(before, before.find_name(&provider.name), before.manifest.options.vote);
        let scores_after = task_scores(after, after.find_name(&provider.name), after.manifest.options.vote);
        let first = changes.len();
        for suite in
            before.manifest.suites.iter().filter(|s| after.manifest.suites.iter().any(|t| t.name == s.name))
        {
            let (a, b) = (tasks_of(before, &suite.name), tasks_of(after, &suite.name));
            let mut ids: Vec<&Box<str>> = a.keys().filter(|id| b.contains_key(*id)).collect();
            ids.sort_unstable();
            let mut change = SuiteChange {
                provider: provider.name.clone(),
                suite: suite.name.clone(),
                model_before: provider.model.clone(),
                model_after: later.model.clone(),
                n_paired: 0,
                changed: 0,
                only_before: a.len() - ids.len(),
                only_after: b.len() - ids.len(),
                score_before: 0.0,
                score_after: 0.0,
                diff: 0.0,
                ci95: [0.0, 0.0],
                p_value: 1.0,
                p_holm: 1.0,
                test: PairedTest::None,
                pass_to_fail: Vec::new(),
                fail_to_pass: Vec::new(),
            };
            let (mut xs, mut ys) = (Vec::new(), Vec::new());
            for id in ids {
                let ((i, print_a), (j, print_b)) = (a[id], b[id]);
                if print_a != print_b {
                    change.changed += 1;
                    continue;
                }
                let (Some(x), Some(y)) = (scored(&scores_before, i), scored(&scores_after, j)) else {
                    continue;
                };
                xs.push(x.score(before.manifest.options.vote));
                ys.push(y.score(after.manifest.options.vote));
                match (x.passed(before.manifest.options.vote), y.passed(after.manifest.options.vote)) {
                    (true, false) => change.pass_to_fail.push(id.to_string()),
                    (false, true) => change.fail_to_pass.push(id.to_string()),
                    _ => {}
                }
            }
            let paired = stats::compare_paired(&xs, &ys, SEED);
            change.n_paired = paired.n;
            change.score_before = stats::mean(&xs);
            change.score_after = stats::mean(&ys);
            change.diff = paired.diff;
            change.ci95 = [paired.ci95.0, paired.ci95.1];
            change.p_value = paired.p_value;
            change.test = paired.test;
            changes.push(change);
        }
        let p_values: Vec<f64> = changes[first..].iter().map(|c| c.p_value).collect();
        for (change, p) in changes[first..].iter_mut().zip(stats::holm(&p_values)) {
            change.p_holm = p;
        }
    }
    let side =
        |view: &RunView| DiffRun { run_id: view.run.run_id.clone(), created_at: view.run.created_at.clone() };
    RunDiff { before: side(before), after: side(after), changes }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::analysis::{result_row, run_view_of_tasks};
    use crate::store::{ResultRow, TaskRecord};

    fn task(id: &str, fingerprint: &str) -> TaskRecord {
        TaskRecord {
            suite: "s".into(),
            id: id.into(),
            family: "custom".into(),
            category: None,
            fingerprint: fingerprint.into(),
            meta: serde_json::Value::Null,
        }
    }

    /// A run of kimi over tasks t1..t6 (t6 only when `extra`), with these pass marks.
    fn run(marks: &[(&str, f64)], prints: &[(&str, &str)]) -> RunView {
        let tasks = prints.iter().map(|(id, print)| task(id, print)).collect();
        let rows: Vec<ResultRow> =
            marks.iter().map(|(id, mark)| result_row("s", id, "kimi", Some(*mark), None)).collect();
        run_view_of_tasks(&["kimi"], "s", tasks, 1, rows)
    }

    #[test]
    fn tasks_are_matched_by_id_and_fingerprint_and_flips_are_listed() {
        let prints = [("t1", "a"), ("t2", "b"), ("t3", "c"), ("t4", "d"), ("t5", "e")];
        let before = run(&[("t1", 1.0), ("t2", 1.0), ("t3", 0.0), ("t4", 0.0), ("t5", 1.0)], &prints);
        // t5 was rewritten (new fingerprint); t6 is new; t1 now fails, t3 and t4 now pass.
        let after_prints = [("t1", "a"), ("t2", "b"), ("t3", "c"), ("t4", "d"), ("t5", "E"), ("t6", "f")];
        let after = run(
            &[("t1", 0.0), ("t2", 1.0), ("t3", 1.0), ("t4", 1.0), ("t5", 0.0), ("t6", 1.0)],
            &after_prints,
        );
        let d = diff(&before, &after);
        assert_eq!(d.changes.len(), 1);
        let c = &d.changes[0];
        assert_eq!((c.n_paired, c.changed, c.only_before, c.only_after), (4, 1, 0, 1));
        assert_eq!(
            (c.pass_to_fail.as_slice(), c.fail_to_pass.as_slice()),
            (&["t1".to_string()][..], &["t3".to_string(), "t4".to_string()][..])
        );
        assert_eq!((c.score_before, c.score_after, c.diff), (0.5, 0.75, 0.25));
        // One loss, two gains: McNemar p = 1; a single suite is its own Holm family.
        assert_eq!((c.p_value, c.p_holm, c.test), (1.0, 1.0, PairedTest::McNemarExact));
    }

    #[test]
    fn a_provider_or_suite_missing_from_one_run_is_left_out() {
        let before = run(&[("t1", 1.0)], &[("t1", "a")]);
        let tasks = vec![task("t1", "a")];
        let other = run_view_of_tasks(
            &["claude"],
            "s",
            tasks,
            1,
            vec![result_row("s", "t1", "claude", Some(1.0), None)],
        );
        assert!(diff(&before, &other).changes.is_empty());
        let renamed = run_view_of_tasks(&["kimi"], "s2", vec![], 1, vec![]);
        assert!(diff(&before, &renamed).changes.is_empty());
    }
}
