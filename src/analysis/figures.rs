//! One provider on one suite of one run, in the figures a series follows from night to night: the
//! score with its CI, cost, latency p95 and the infrastructure error rate. `bench regress` reads
//! them over the tasks two runs share, `bench history` over every task of each run.

use serde::Serialize;

use super::samples::task_scores;
use super::stats;
use super::summary::SEED;
use super::view::RunView;
use crate::provider::ErrorClass;

/// One provider on one suite (or on the tasks of it a caller keeps).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SuiteFigures {
    /// Tasks scored (a task beyond the context window scores 0, as in the summary).
    pub scored: usize,
    /// Mean task score over the scored tasks.
    pub score: f64,
    /// 95% CI of `score` (Wilson for pass/fail scores, bootstrap otherwise).
    pub ci95: [f64; 2],
    /// Final results: answered, or lost to an infrastructure failure (context-window refusals left
    /// out: they are a capability, not a failure of the service).
    pub results: usize,
    /// Of which lost to infrastructure failures (or whose scorer could not run).
    pub infra_errors: usize,
    /// Results the provider answered.
    pub answers: usize,
    /// Cost of the answers.
    pub cost: f64,
    /// 95th percentile of the answers' end-to-end latency, in milliseconds; `None` without answers.
    pub latency_p95_ms: Option<f64>,
}

impl SuiteFigures {
    /// Infrastructure errors over results; `None` without results.
    pub fn error_rate(&self) -> Option<f64> {
        (self.results > 0).then(|| self.infra_errors as f64 / self.results as f64)
    }

    /// Mean cost of an answer; `None` without answers.
    pub fn cost_per_answer(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.cost / self.answers as f64)
    }
}

/// The figures of `provider` on suite `suite` of `view`, over the tasks (indices in the view) that
/// `keep` accepts.
pub fn suite_figures(
    view: &RunView,
    provider: &str,
    suite: &str,
    keep: &dyn Fn(u32) -> bool,
) -> SuiteFigures {
    let mut figures = SuiteFigures::default();
    let (Some(provider), Some(suite)) = (view.find_name(provider), view.find_name(suite)) else {
        return figures;
    };
    let in_suite = |i: u32| keep(i) && view.tasks.get(i as usize).is_some_and(|t| t.suite == suite);
    let context_too_long = view.find_name(ErrorClass::ContextTooLong.as_str());
    let mut latencies = Vec::new();
    for row in view.rows.iter().filter(|r| r.provider == provider && in_suite(r.task)) {
        if row.error_class.is_some() && row.error_class == context_too_long {
            continue;
        }
        figures.results += 1;
        if row.error_class.is_some() {
            figures.infra_errors += 1;
            continue;
        }
        figures.answers += 1;
        figures.infra_errors += usize::from(row.scorer_error.is_some());
        figures.cost += row.cost;
        latencies.extend(row.latency_ms);
    }
    latencies.sort_by(f64::total_cmp);
    figures.latency_p95_ms = (!latencies.is_empty()).then(|| stats::percentile_sorted(&latencies, 95.0));
    let vote = view.manifest.options.vote;
    let values: Vec<f64> = task_scores(view, Some(provider), vote)
        .iter()
        .enumerate()
        .filter(|(i, _)| u32::try_from(*i).is_ok_and(in_suite))
        .filter_map(|(_, t)| t.as_ref().map(|t| t.score(vote)))
        .collect();
    figures.scored = values.len();
    figures.score = stats::mean(&values);
    let (lo, hi) = stats::score_ci(&values, SEED);
    figures.ci95 = [lo, hi];
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{example_run, result_row, run_view};

    #[test]
    fn figures_count_errors_apart_from_answers_and_skip_the_context_window() {
        // kimi in the example: t1..t6 = right, wrong, rate-limited, right, right, wrong.
        let view = example_run();
        let all = suite_figures(&view, "kimi", "support", &|_| true);
        assert_eq!((all.results, all.infra_errors, all.answers, all.scored), (6, 1, 5, 5));
        assert_eq!(all.error_rate(), Some(1.0 / 6.0));
        assert!((all.score - 0.6).abs() < 1e-12);
        assert!((all.cost_per_answer().unwrap() - 0.01).abs() < 1e-12);
        // Latencies 800..1300 ms without t3 (1000): p95 of [800, 900, 1100, 1200, 1300].
        assert!((all.latency_p95_ms.unwrap() - 1280.0).abs() < 1e-9);
        let first_two = suite_figures(&view, "kimi", "support", &|i| i < 2);
        assert_eq!((first_two.results, first_two.scored, first_two.score), (2, 2, 0.5));
        assert_eq!(suite_figures(&view, "kimi", "other", &|_| true), SuiteFigures::default());

        let tasks = [("t1".to_string(), None), ("t2".to_string(), None)];
        let rows = vec![
            result_row("s", "t1", "kimi", Some(1.0), None),
            result_row("s", "t2", "kimi", None, Some("context_too_long")),
        ];
        let window = suite_figures(&run_view(&["kimi"], "s", &tasks, 1, rows), "kimi", "s", &|_| true);
        assert_eq!((window.results, window.infra_errors, window.scored, window.score), (1, 0, 2, 0.5));
    }
}
