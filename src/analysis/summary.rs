//! From stored results to the run summary (DESIGN contract 4): per provider and per suite scores with
//! 95% CIs, tokens, cost, latency percentiles and infrastructure failures, and paired comparisons of
//! every candidate with the baseline.
//!
//! The unit of analysis is the task. With `--samples N` a task's score is the mean over its scored
//! samples (or the majority answer's, see [`Vote`]), and pass@k is reported. Items lost to
//! infrastructure failures are counted in `infra_errors` and never scored as wrong.

use std::collections::BTreeMap;

use serde::Serialize;

use super::comparisons::{Breakdown, Comparison, correct, paired};
use super::context::{ContextSummary, context_summary};
use super::distribution::{Distribution, distribution};
use super::failures::{FailureSummary, failure_summaries};
use super::samples::{TaskSamples, pass_at_k, task_scores};
use super::stats;
use super::tool_use::ToolUseSummary;
use super::view::RunView;
use crate::core::Vote;
use crate::provider::ErrorClass;
use crate::store::{ProviderSnapshot, RunStatus};

/// Seed of every bootstrap and permutation in a summary, so the same results give the same summary.
pub(super) const SEED: u64 = 20_250_925;

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
    /// Items planned for this provider: tasks times samples. Each is scored, an infrastructure
    /// failure, or not attempted.
    pub items: usize,
    /// Items the provider answered (scored or not): 0 means it was not measured at all.
    pub answered: usize,
    /// Planned items never sent: the provider was stopped early or the run did not finish.
    pub not_attempted: usize,
    /// Why items were not attempted: the error that stopped the provider, or the run's state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_attempted_why: Option<String>,
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
    /// Answers whose usage the server did not report, counted locally (o200k): tokens and cost
    /// include estimates when this is not 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub usage_estimated: usize,
    /// Tasks longer than the provider's context window (not sent, or refused as too long): scored
    /// as not passed, never counted in `infra_errors`.
    #[serde(skip_serializing_if = "is_zero")]
    pub context_exceeded: usize,
    /// Long-context figures, when the run has long-context tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextSummary>,
    /// `cost / passed`: what one solved task costs (all samples and failed answers included); null
    /// when nothing passed or no price is configured.
    pub cost_per_solved: Option<f64>,
    /// End-to-end latency of answers: percentiles p10 to p99 and a log-binned histogram.
    pub latency_distribution: Distribution,
    /// The same for time to first token, over streamed answers (`n` is 0 without any).
    pub ttft_distribution: Distribution,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One provider on one category of tasks (across suites).
#[derive(Debug, Clone, Serialize)]
pub struct CategorySummary {
    /// Category name; tasks without one are `uncategorized`.
    pub category: String,
    /// Provider name.
    pub provider: String,
    /// Tasks in the category.
    pub tasks: usize,
    /// Tasks scored.
    pub scored: usize,
    /// Mean task score.
    pub score: f64,
    /// 95% CI of `score`.
    pub ci95: [f64; 2],
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
    /// Per category and provider, when the run's tasks have categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategorySummary>,
    /// Per candidate and category: the paired difference against the baseline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub category_comparisons: Vec<Comparison>,
    /// Per provider and category, how episodes used their tools (when the run has tool tasks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_use: Vec<ToolUseSummary>,
    /// Per candidate and haystack length of the long-context tasks: the paired difference against
    /// the baseline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub length_comparisons: Vec<Comparison>,
    /// Per candidate and family, when the run has several families: the paired difference against
    /// the baseline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub family_comparisons: Vec<Comparison>,
    /// Per provider, why answers failed: infrastructure apart from capability, over the run and
    /// per suite.
    pub failures: Vec<FailureSummary>,
}

/// The category of tasks that have none.
pub const UNCATEGORIZED: &str = "uncategorized";

/// Per-task samples of one provider, by task index in the view (`None`: no scored sample).
pub(super) type TaskScores = Vec<Option<TaskSamples>>;

/// The scored tasks of `scores` as (task index, samples), in `order`.
pub(super) fn in_order<'a>(
    scores: &'a TaskScores,
    order: &'a [u32],
) -> impl Iterator<Item = (u32, &'a TaskSamples)> + Clone + 'a {
    order.iter().filter_map(|&i| scores.get(i as usize).and_then(Option::as_ref).map(|t| (i, t)))
}

fn ci(values: &[f64]) -> [f64; 2] {
    let (lo, hi) = stats::score_ci(values, SEED);
    [lo, hi]
}

fn percentiles(mut values: Vec<f64>) -> Percentiles {
    values.sort_by(f64::total_cmp);
    Percentiles { p50: stats::percentile_sorted(&values, 50.0), p95: stats::percentile_sorted(&values, 95.0) }
}

/// Build the summary of a stored run. Every figure is a function of the view, so the same run always
/// gives the same summary, byte for byte.
pub fn summarize(view: &RunView) -> Summary {
    let options = &view.manifest.options;
    let (samples, vote) = (options.samples, options.vote);
    let baseline = view.manifest.baseline.as_str();
    let snapshots = &view.manifest.providers;
    let total_tasks: usize = view.manifest.suites.iter().map(|s| s.tasks).sum();
    // Every per-task list is walked in (suite, task id) order, which fixes the order of the values
    // behind each mean and confidence interval.
    let order = view.task_order();
    let mut scores: BTreeMap<&str, TaskScores> = BTreeMap::new();
    let mut providers = Vec::with_capacity(snapshots.len());
    for snapshot in snapshots {
        let (summary, per_task) = provider_summary(view, &order, snapshot, total_tasks, samples, vote);
        providers.push(summary);
        scores.insert(&snapshot.name, per_task);
    }
    let empty = TaskScores::new();
    let scores_of = |name: &str| scores.get(name).unwrap_or(&empty);
    let task = |i: u32| view.tasks.get(i as usize);

    let mut suites = Vec::new();
    for suite in &view.manifest.suites {
        let name = view.find_name(&suite.name);
        let in_suite = |i: u32| name.is_some() && task(i).map(|t| t.suite) == name;
        for snapshot in snapshots {
            let tasks =
                in_order(scores_of(&snapshot.name), &order).filter(|(i, _)| in_suite(*i)).map(|(_, t)| t);
            let values: Vec<f64> = tasks.clone().map(|t| t.score(vote)).collect();
            suites.push(SuiteSummary {
                suite: suite.name.clone(),
                family: suite.family.clone(),
                provider: snapshot.name.clone(),
                tasks: suite.tasks,
                scored: values.len(),
                score: stats::mean(&values),
                ci95: ci(&values),
                pass_at_k: pass_at_k(tasks, samples),
            });
        }
    }

    // The category of each listed task (a task only a result names has none).
    let category_of =
        |i: u32| task(i).filter(|t| t.listed).map(|t| t.category.map_or(UNCATEGORIZED, |c| view.name(c)));
    let mut category_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for t in view.tasks.iter().filter(|t| t.listed) {
        *category_sizes.entry(t.category.map_or(UNCATEGORIZED, |c| view.name(c))).or_default() += 1;
    }
    let has_categories = category_sizes.keys().any(|c| *c != UNCATEGORIZED);

    let mut categories = Vec::new();
    for (category, size) in category_sizes.iter().filter(|_| has_categories) {
        for snapshot in snapshots {
            let values: Vec<f64> = in_order(scores_of(&snapshot.name), &order)
                .filter(|(i, _)| category_of(*i) == Some(*category))
                .map(|(_, t)| t.score(vote))
                .collect();
            categories.push(CategorySummary {
                category: category.to_string(),
                provider: snapshot.name.clone(),
                tasks: *size,
                scored: values.len(),
                score: stats::mean(&values),
                ci95: ci(&values),
            });
        }
    }

    let lengths: std::collections::BTreeSet<u64> =
        view.tasks.iter().filter(|t| t.listed).filter_map(|t| t.context.map(|c| c.length)).collect();
    let families: std::collections::BTreeSet<&str> =
        view.manifest.suites.iter().map(|s| s.family.as_str()).collect();
    let family_of = |i: u32| task(i).map(|t| view.family_of(t.suite));
    let base_scores = scores_of(baseline);
    let several_suites = view.manifest.suites.len() > 1;
    let (mut comparisons, mut family_comparisons, mut category_comparisons, mut length_comparisons) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for snapshot in snapshots.iter().filter(|s| s.name != baseline) {
        let cand_scores = scores_of(&snapshot.name);
        let compare = |breakdown: Breakdown, keep: &dyn Fn(u32) -> bool| {
            paired(base_scores, cand_scores, &order, vote, keep).labelled(baseline, &snapshot.name, breakdown)
        };
        let overall = compare(Breakdown::default(), &|_| true);
        let mut by_suite = Vec::new();
        for suite in view.manifest.suites.iter().filter(|_| several_suites) {
            let name = view.find_name(&suite.name);
            let breakdown = Breakdown { suite: Some(suite.name.clone()), ..Breakdown::default() };
            by_suite.push(compare(breakdown, &|i| name.is_some() && task(i).map(|t| t.suite) == name));
        }
        let mut by_family = Vec::new();
        for family in families.iter().filter(|_| families.len() > 1) {
            let breakdown = Breakdown { family: Some(family.to_string()), ..Breakdown::default() };
            by_family.push(compare(breakdown, &|i| family_of(i) == Some(*family)));
        }
        let mut by_category = Vec::new();
        for category in category_sizes.keys().filter(|_| has_categories) {
            let breakdown = Breakdown { category: Some(category.to_string()), ..Breakdown::default() };
            by_category.push(compare(breakdown, &|i| category_of(i) == Some(*category)));
        }
        let mut by_length = Vec::new();
        for &length in &lengths {
            let breakdown = Breakdown { length: Some(length), ..Breakdown::default() };
            by_length.push(compare(breakdown, &|i| {
                task(i).and_then(|t| t.context).is_some_and(|c| c.length == length)
            }));
        }
        correct(
            &mut by_suite
                .iter_mut()
                .chain(&mut by_family)
                .chain(&mut by_category)
                .chain(&mut by_length)
                .collect::<Vec<_>>(),
        );
        comparisons.push(overall);
        comparisons.extend(by_suite);
        family_comparisons.extend(by_family);
        category_comparisons.extend(by_category);
        length_comparisons.extend(by_length);
    }

    Summary {
        run_id: view.run.run_id.clone(),
        created_at: view.run.created_at.clone(),
        baseline: baseline.to_string(),
        samples,
        vote,
        providers,
        suites,
        comparisons,
        categories,
        category_comparisons,
        tool_use: super::tool_use::tool_use(view),
        length_comparisons,
        family_comparisons,
        failures: failure_summaries(view),
    }
}

/// One provider's figures over the whole run, and its scored tasks for the breakdowns.
fn provider_summary(
    view: &RunView,
    order: &[u32],
    snapshot: &ProviderSnapshot,
    total_tasks: usize,
    samples: u32,
    vote: Vote,
) -> (ProviderSummary, TaskScores) {
    let mut summary = ProviderSummary {
        name: snapshot.name.clone(),
        model: snapshot.model.clone(),
        tasks: total_tasks,
        scored: 0,
        passed: 0,
        score: 0.0,
        ci95: [0.0, 0.0],
        infra_errors: 0,
        items: total_tasks * samples as usize,
        answered: 0,
        not_attempted: 0,
        not_attempted_why: None,
        errors_by_class: BTreeMap::new(),
        input_tokens: 0,
        cache_read_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost: 0.0,
        currency: snapshot.currency().into(),
        priced: snapshot.price.is_some(),
        latency_ms: Percentiles { p50: 0.0, p95: 0.0 },
        ttft_ms: Percentiles { p50: 0.0, p95: 0.0 },
        pass_at_k: BTreeMap::new(),
        usage_estimated: 0,
        context_exceeded: 0,
        context: None,
        cost_per_solved: None,
        latency_distribution: Distribution::default(),
        ttft_distribution: Distribution::default(),
    };
    let mut exceeded = vec![false; view.tasks.len()];
    let (mut latencies, mut ttfts) = (Vec::new(), Vec::new());
    let provider = view.find_name(&snapshot.name);
    let context_too_long = view.find_name(ErrorClass::ContextTooLong.as_str());
    let mut results = 0;
    for row in view.rows.iter().filter(|r| Some(r.provider) == provider) {
        results += 1;
        if row.error_class.is_some() && row.error_class == context_too_long {
            summary.context_exceeded += 1;
            if let Some(task) = exceeded.get_mut(row.task as usize) {
                *task = true;
            }
            continue;
        }
        if let Some(class) = row.error_class {
            summary.infra_errors += 1;
            *summary.errors_by_class.entry(view.name(class).to_string()).or_default() += 1;
            continue;
        }
        summary.answered += 1;
        summary.input_tokens += row.usage.total_input();
        summary.cache_read_tokens += row.usage.cache_read;
        summary.output_tokens += row.usage.output;
        summary.reasoning_tokens += row.usage.reasoning;
        summary.usage_estimated += usize::from(row.usage_estimated);
        summary.cost += row.cost;
        latencies.extend(row.latency_ms);
        ttfts.extend(row.ttft_ms);
        if let Some(class) = row.scorer_error {
            summary.infra_errors += 1;
            *summary.errors_by_class.entry(view.name(class).to_string()).or_default() += 1;
        }
    }
    let per_task = task_scores(view, provider, vote);
    let tasks = in_order(&per_task, order).map(|(_, t)| t);
    let values: Vec<f64> = tasks.clone().map(|t| t.score(vote)).collect();
    summary.scored = values.len();
    summary.passed = tasks.clone().filter(|t| t.passed(vote)).count();
    summary.pass_at_k = pass_at_k(tasks, samples);
    summary.score = stats::mean(&values);
    summary.ci95 = ci(&values);
    summary.cost_per_solved =
        (summary.passed > 0 && summary.priced).then(|| summary.cost / summary.passed as f64);
    summary.latency_ms = percentiles(latencies.clone());
    summary.ttft_ms = percentiles(ttfts.clone());
    summary.latency_distribution = distribution(latencies);
    summary.ttft_distribution = distribution(ttfts);
    summary.context = context_summary(view, provider, &per_task, &exceeded, vote);
    summary.not_attempted = summary.items.saturating_sub(results);
    if summary.not_attempted > 0 {
        summary.not_attempted_why = Some(not_attempted_why(view, &snapshot.name));
    }
    (summary, per_task)
}

/// Why some of a provider's items have no result.
fn not_attempted_why(view: &RunView, provider: &str) -> String {
    match view.stops.iter().find(|s| s.provider == provider) {
        Some(stop) => format!("stopped early: {}", stop.reason),
        None => match view.run.status {
            RunStatus::Running => "the run is still going".into(),
            RunStatus::Interrupted => "the run was interrupted before they were sent".into(),
            RunStatus::Finished => "not sent".into(),
        },
    }
}

#[cfg(test)]
mod tests;
