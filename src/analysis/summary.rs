//! From stored results to the run summary (DESIGN contract 4): per provider and per suite scores with
//! 95% CIs, tokens, cost, latency percentiles and infrastructure failures, and paired comparisons of
//! every candidate with the baseline.
//!
//! The unit of analysis is the task. With `--samples N` a task's score is the mean over its scored
//! samples (or the majority answer's, see [`Vote`]), and pass@k is reported. Items lost to
//! infrastructure failures are counted in `infra_errors` and never scored as wrong.

use std::collections::BTreeMap;

use serde::Serialize;

use super::samples::{TaskSamples, pass_at_k};
use super::stats::{self, PairedTest};
use crate::config::ProviderSpec;
use crate::core::Vote;
use crate::store::ResultRow;

/// Seed of every bootstrap and permutation in a summary, so the same results give the same summary.
const SEED: u64 = 20_250_925;

/// Median and 95th percentile, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// One provider over the whole run.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderSummary {
    /// Provider name.
    pub name: String,
    /// Model id.
    pub model: String,
    /// Tasks in the run.
    pub tasks: usize,
    /// Tasks with at least one scored answer.
    pub scored: usize,
    /// Tasks that passed.
    pub passed: usize,
    /// Mean task score over scored tasks.
    pub score: f64,
    /// 95% CI of `score` (Wilson for pass/fail scores, bootstrap otherwise).
    pub ci95: [f64; 2],
    /// Answers lost to infrastructure failures after all retries.
    pub infra_errors: usize,
    /// The same, by error class.
    pub errors_by_class: BTreeMap<String, usize>,
    /// Input tokens read, cached or not.
    pub input_tokens: u64,
    /// Of which read from the provider's prompt cache.
    pub cache_read_tokens: u64,
    /// Output tokens, reasoning included.
    pub output_tokens: u64,
    /// Of which reasoning.
    pub reasoning_tokens: u64,
    /// Cost of the answers at the configured price.
    pub cost: f64,
    /// Currency of `cost`.
    pub currency: String,
    /// Whether a price is configured (else `cost` is 0 by lack of a price, not by being free).
    pub priced: bool,
    /// End-to-end latency of answers.
    pub latency_ms: Percentiles,
    /// Time to first token of streamed answers.
    pub ttft_ms: Percentiles,
    /// Unbiased pass@k by k, with several samples per task (absent with one).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_at_k: BTreeMap<u32, f64>,
}

/// One provider on one suite.
#[derive(Debug, Clone, Serialize)]
pub struct SuiteSummary {
    /// Suite name.
    pub suite: String,
    /// Family of its tasks.
    pub family: String,
    /// Provider name.
    pub provider: String,
    /// Tasks in the suite.
    pub tasks: usize,
    /// Tasks scored.
    pub scored: usize,
    /// Mean task score.
    pub score: f64,
    /// 95% CI of `score`.
    pub ci95: [f64; 2],
    /// Unbiased pass@k by k, with several samples per task (absent with one).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_at_k: BTreeMap<u32, f64>,
}

/// A candidate against the baseline over the tasks both answered.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Baseline provider.
    pub baseline: String,
    /// Candidate provider.
    pub candidate: String,
    /// Suite name, or `all`.
    pub suite: String,
    /// Tasks scored for both.
    pub n_paired: usize,
    /// Mean of candidate minus baseline task scores.
    pub diff: f64,
    /// Paired-bootstrap 95% CI of `diff`.
    pub ci95: [f64; 2],
    /// Two-sided p-value of the paired test.
    pub p_value: f64,
    /// Which test gave `p_value`.
    pub test: PairedTest,
    /// Candidate score / baseline score on the paired tasks (null when the baseline scored 0).
    pub retention: Option<f64>,
}

/// The run summary written to `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Run id.
    pub run_id: String,
    /// When the summary was made.
    pub created_at: String,
    /// Baseline provider.
    pub baseline: String,
    /// Answers per task and provider.
    pub samples: u32,
    /// How samples became task scores.
    pub vote: Vote,
    /// Per provider, in command-line order.
    pub providers: Vec<ProviderSummary>,
    /// Per suite and provider.
    pub suites: Vec<SuiteSummary>,
    /// Per candidate and suite (`all` first).
    pub comparisons: Vec<Comparison>,
}

/// Per-task samples of one provider, by (suite, task id).
type TaskScores = BTreeMap<(String, String), TaskSamples>;

/// How samples are counted: `--samples` per task, and how they become a task's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    /// Answers per task and provider.
    pub samples: u32,
    /// How they make the task's score.
    pub vote: Vote,
}

fn ci(values: &[f64]) -> [f64; 2] {
    let (lo, hi) = stats::score_ci(values, SEED);
    [lo, hi]
}

fn percentiles(mut values: Vec<f64>) -> Percentiles {
    values.sort_by(f64::total_cmp);
    Percentiles { p50: stats::percentile_sorted(&values, 50.0), p95: stats::percentile_sorted(&values, 95.0) }
}

/// Build the summary. `tasks_per_suite` holds every suite of the run with its task count and family, so
/// providers that lost tasks to failures are still measured against the whole suite.
pub fn summarize(
    run_id: &str,
    specs: &[ProviderSpec],
    baseline: &str,
    sampling: Sampling,
    tasks_per_suite: &BTreeMap<String, (usize, String)>,
    rows: &[ResultRow],
) -> Summary {
    let Sampling { samples, vote } = sampling;
    let total_tasks: usize = tasks_per_suite.values().map(|(n, _)| n).sum();
    let mut scores: BTreeMap<&str, TaskScores> = BTreeMap::new();
    let mut providers = Vec::with_capacity(specs.len());
    for spec in specs {
        let mine: Vec<&ResultRow> = rows.iter().filter(|r| r.key.provider == spec.name).collect();
        let mut per_task = TaskScores::new();
        let mut summary = ProviderSummary {
            name: spec.name.clone(),
            model: spec.model.clone(),
            tasks: total_tasks,
            scored: 0,
            passed: 0,
            score: 0.0,
            ci95: [0.0, 0.0],
            infra_errors: 0,
            errors_by_class: BTreeMap::new(),
            input_tokens: 0,
            cache_read_tokens: 0,
            output_tokens: 0,
            reasoning_tokens: 0,
            cost: 0.0,
            currency: spec.currency().code().into(),
            priced: spec.price.is_some(),
            latency_ms: Percentiles { p50: 0.0, p95: 0.0 },
            ttft_ms: Percentiles { p50: 0.0, p95: 0.0 },
            pass_at_k: BTreeMap::new(),
        };
        let (mut latencies, mut ttfts) = (Vec::new(), Vec::new());
        for row in &mine {
            if let Some(class) = &row.error_class {
                summary.infra_errors += 1;
                *summary.errors_by_class.entry(class.clone()).or_default() += 1;
                continue;
            }
            summary.input_tokens += row.usage.total_input();
            summary.cache_read_tokens += row.usage.cache_read;
            summary.output_tokens += row.usage.output;
            summary.reasoning_tokens += row.usage.reasoning;
            summary.cost += row.cost;
            latencies.extend(row.latency_ms);
            ttfts.extend(row.ttft_ms);
            if let Some(class) = &row.scorer_error {
                summary.infra_errors += 1;
                *summary.errors_by_class.entry(class.clone()).or_default() += 1;
                continue;
            }
            if let (Some(score), Some(passed)) = (row.score, row.passed) {
                per_task.entry((row.key.suite.clone(), row.key.task_id.clone())).or_default().add(
                    score,
                    passed,
                    row.answer_key.clone(),
                );
            }
        }
        let values: Vec<f64> = per_task.values().map(|t| t.score(vote)).collect();
        summary.scored = values.len();
        summary.passed = per_task.values().filter(|t| t.passed(vote)).count();
        summary.pass_at_k = pass_at_k(per_task.values(), samples);
        summary.score = stats::mean(&values);
        summary.ci95 = ci(&values);
        summary.latency_ms = percentiles(latencies);
        summary.ttft_ms = percentiles(ttfts);
        providers.push(summary);
        scores.insert(&spec.name, per_task);
    }

    let empty = TaskScores::new();
    let mut suites = Vec::new();
    for (suite, (count, family)) in tasks_per_suite {
        for spec in specs {
            let tasks = scores
                .get(spec.name.as_str())
                .unwrap_or(&empty)
                .iter()
                .filter(|((s, _), _)| s == suite)
                .map(|(_, t)| t);
            let values: Vec<f64> = tasks.clone().map(|t| t.score(vote)).collect();
            suites.push(SuiteSummary {
                suite: suite.clone(),
                family: family.clone(),
                provider: spec.name.clone(),
                tasks: *count,
                scored: values.len(),
                score: stats::mean(&values),
                ci95: ci(&values),
                pass_at_k: pass_at_k(tasks, samples),
            });
        }
    }

    let mut comparisons = Vec::new();
    let base_scores = scores.get(baseline).unwrap_or(&empty);
    let mut suite_filters: Vec<Option<&String>> = vec![None];
    if tasks_per_suite.len() > 1 {
        suite_filters.extend(tasks_per_suite.keys().map(Some));
    }
    for spec in specs.iter().filter(|s| s.name != baseline) {
        let cand_scores = scores.get(spec.name.as_str()).unwrap_or(&empty);
        for filter in &suite_filters {
            let (mut base, mut cand) = (Vec::new(), Vec::new());
            for (key, b) in base_scores.iter().filter(|((s, _), _)| filter.is_none_or(|f| f == s)) {
                if let Some(c) = cand_scores.get(key) {
                    base.push(b.score(vote));
                    cand.push(c.score(vote));
                }
            }
            let paired = stats::compare_paired(&base, &cand, SEED);
            comparisons.push(Comparison {
                baseline: baseline.to_string(),
                candidate: spec.name.clone(),
                suite: filter.map_or_else(|| "all".to_string(), |s| s.clone()),
                n_paired: paired.n,
                diff: paired.diff,
                ci95: [paired.ci95.0, paired.ci95.1],
                p_value: paired.p_value,
                test: paired.test,
                retention: paired.retention,
            });
        }
    }

    Summary {
        run_id: run_id.to_string(),
        created_at: jiff::Timestamp::now().to_string(),
        baseline: baseline.to_string(),
        samples,
        vote,
        providers,
        suites,
        comparisons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::core::{ItemKey, Usage};

    fn row(provider: &str, task: &str, score: Option<f64>, error: Option<&str>) -> ResultRow {
        ResultRow {
            key: ItemKey { suite: "s".into(), task_id: task.into(), provider: provider.into(), sample: 0 },
            family: "custom".into(),
            category: None,
            error_class: error.map(String::from),
            usage: Usage { input: 100, output: 10, cache_read: 50, cache_write: 0, reasoning: 4 },
            cost: 0.5,
            latency_ms: Some(100.0),
            ttft_ms: Some(20.0),
            score,
            passed: score.map(|s| s >= 1.0),
            answer_key: None,
            scorer_error: None,
        }
    }

    #[test]
    fn infra_failures_are_counted_apart_and_comparisons_pair_tasks() {
        let config = Config::parse("", "b.toml").unwrap();
        let specs = vec![config.provider("claude").unwrap(), config.provider("kimi").unwrap()];
        let suites: BTreeMap<String, (usize, String)> = [("s".to_string(), (4, "custom".to_string()))].into();
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
        let s = summarize("r", &specs, "claude", Sampling { samples: 1, vote: Vote::Mean }, &suites, &rows);
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
        let config = Config::parse("", "b.toml").unwrap();
        let specs = vec![config.provider("claude").unwrap()];
        let suites: BTreeMap<String, (usize, String)> = [("s".to_string(), (2, "repair".to_string()))].into();
        let mut broken = row("claude", "2", Some(0.0), None);
        broken.scorer_error = Some("sandbox_error".into());
        let rows = vec![row("claude", "1", Some(1.0), None), broken];
        let s = summarize("r", &specs, "claude", Sampling { samples: 1, vote: Vote::Mean }, &suites, &rows);
        let p = &s.providers[0];
        assert_eq!((p.scored, p.passed, p.infra_errors), (1, 1, 1));
        assert_eq!(p.score, 1.0, "no verdict is not a wrong answer");
        assert_eq!(p.errors_by_class.get("sandbox_error"), Some(&1));
        assert_eq!(p.input_tokens, 300, "the answer was paid for");
    }

    #[test]
    fn samples_average_within_a_task() {
        let config = Config::parse("", "b.toml").unwrap();
        let specs = vec![config.provider("claude").unwrap()];
        let suites: BTreeMap<String, (usize, String)> = [("s".to_string(), (1, "custom".to_string()))].into();
        let mut rows = vec![
            row("claude", "1", Some(1.0), None),
            row("claude", "1", Some(0.0), None),
            row("claude", "1", Some(1.0), None),
        ];
        for (i, r) in rows.iter_mut().enumerate() {
            r.key.sample = i as u32;
        }
        let s = summarize("r", &specs, "claude", Sampling { samples: 3, vote: Vote::Mean }, &suites, &rows);
        assert_eq!((s.providers[0].scored, s.providers[0].passed), (1, 1));
        assert!((s.providers[0].score - 2.0 / 3.0).abs() < 1e-12);
    }
}
