//! `bench history`: the runs of a tag over time, per provider and suite, oldest first. Runs are added
//! one at a time, so a long series never holds more than one run's view.

use serde::Serialize;

use super::figures::{SuiteFigures, suite_figures};
use super::view::RunView;

/// One run of a series.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Run id.
    pub run_id: String,
    /// When it started.
    pub created_at: String,
    /// The model the provider named in that run.
    pub model: String,
    /// Tasks of the suite in that run.
    pub tasks: usize,
    /// Score, CI, results, errors, cost and latency over the suite.
    #[serde(flatten)]
    pub figures: SuiteFigures,
    /// Infrastructure errors over results.
    pub error_rate: Option<f64>,
    /// Currency of `cost`.
    pub currency: String,
}

/// One provider on one suite over the runs of the tag that have both.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Provider name.
    pub provider: String,
    /// Suite name.
    pub suite: String,
    /// One point per run, oldest first.
    pub points: Vec<Point>,
}

/// A tag's history.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The tag.
    pub tag: String,
    /// The runs read, oldest first.
    pub runs: Vec<String>,
    /// Per provider and suite, in the order they first appear.
    pub series: Vec<Series>,
}

impl History {
    /// An empty history of `tag`.
    pub fn new(tag: &str) -> History {
        History { tag: tag.to_string(), runs: Vec::new(), series: Vec::new() }
    }

    /// Add the next run (newer than every run added so far), keeping only `provider` and `suite` when
    /// given.
    pub fn add(&mut self, view: &RunView, provider: Option<&str>, suite: Option<&str>) {
        self.runs.push(view.run.run_id.clone());
        for p in view.manifest.providers.iter().filter(|p| provider.is_none_or(|wanted| p.name == wanted)) {
            for s in view.manifest.suites.iter().filter(|s| suite.is_none_or(|wanted| s.name == wanted)) {
                let point = Point {
                    run_id: view.run.run_id.clone(),
                    created_at: view.run.created_at.clone(),
                    model: p.model.clone(),
                    tasks: s.tasks,
                    figures: suite_figures(view, &p.name, &s.name, &|_| true),
                    error_rate: None,
                    currency: p.currency().to_string(),
                };
                let point = Point { error_rate: point.figures.error_rate(), ..point };
                match self.series.iter_mut().find(|x| x.provider == p.name && x.suite == s.name) {
                    Some(series) => series.points.push(point),
                    None => self.series.push(Series {
                        provider: p.name.clone(),
                        suite: s.name.clone(),
                        points: vec![point],
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{example_run, result_row, run_view};

    #[test]
    fn each_provider_and_suite_gets_one_point_per_run_oldest_first() {
        let first = example_run();
        let tasks = [("t1".to_string(), None), ("t2".to_string(), None)];
        let rows = vec![
            result_row("support", "t1", "kimi", Some(1.0), None),
            result_row("support", "t2", "kimi", None, Some("timeout")),
        ];
        let mut second = run_view(&["kimi"], "support", &tasks, 1, rows);
        second.run.run_id = "20261208-120000-abcd".into();

        let mut history = History::new("nightly");
        history.add(&first, None, None);
        history.add(&second, None, None);
        assert_eq!(history.runs, ["20261207-120000-abcd", "20261208-120000-abcd"]);
        let names: Vec<(&str, usize)> =
            history.series.iter().map(|s| (s.provider.as_str(), s.points.len())).collect();
        assert_eq!(names, [("claude", 1), ("kimi", 2)], "claude is not in the second run");
        let kimi = &history.series[1].points;
        assert!((kimi[0].figures.score - 0.6).abs() < 1e-12);
        assert_eq!((kimi[1].figures.score, kimi[1].error_rate, kimi[1].tasks), (1.0, Some(0.5), 2));

        let mut only = History::new("nightly");
        only.add(&first, Some("claude"), Some("support"));
        only.add(&second, Some("claude"), None);
        assert_eq!((only.series.len(), only.series[0].points.len()), (1, 1));
    }
}
