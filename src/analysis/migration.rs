//! The migration model: for each workload (a family, and each category within it) and candidate, a
//! recommendation (switch, switch with care, keep the baseline) from retention and its interval,
//! cost, latency and reliability, with the risks listed and the method and sample size behind every
//! number. The rules are data ([`MigrationRules`], `[migration]` in bench.toml), printed with the
//! report. A pure function of the run view: the Markdown and HTML reports only render it.

use serde::Serialize;

use super::comparisons::paired_scores;
use super::samples::task_scores;
use super::stats;
use super::summary::{SEED, UNCATEGORIZED};
use super::view::RunView;
use crate::config::MigrationRules;
use crate::provider::ErrorClass;

/// What to do with one workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// Every rule to switch holds.
    Switch,
    /// No rule says keep the baseline, but some rule to switch does not hold: its risks say which.
    SwitchWithCare,
    /// A rule says keep the baseline (too few tasks, too little retention, too many errors).
    KeepBaseline,
}

impl Recommendation {
    /// How the reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Recommendation::Switch => "switch",
            Recommendation::SwitchWithCare => "switch with care",
            Recommendation::KeepBaseline => "keep the baseline",
        }
    }
}

/// One number of the model with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The value; null when it has no basis (nothing measured, no price, a baseline of 0).
    pub value: Option<f64>,
    /// Its 95% confidence interval, where the method gives one.
    pub ci95: Option<[f64; 2]>,
    /// How many observations it rests on.
    pub n: usize,
    /// What was counted: `tasks`, `answers` or `calls`.
    pub unit: &'static str,
    /// How it was computed.
    pub method: String,
}

/// One workload for one candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Candidate provider.
    pub candidate: String,
    /// The family, or `all` for every task of the run.
    pub family: String,
    /// The category within the family, for a per-category workload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// What to do.
    pub recommendation: Recommendation,
    /// Why not `switch` (and notes on what could not be measured); empty for a clean switch.
    pub risks: Vec<String>,
    /// The baseline's score on the tasks both scored.
    pub baseline_score: Figure,
    /// The candidate's score on the same tasks.
    pub candidate_score: Figure,
    /// Candidate score / baseline score.
    pub retention: Figure,
    /// Candidate minus baseline score.
    pub difference: Figure,
    /// Two-sided p-value of the paired test of `difference` (exact McNemar for pass/fail scores).
    pub p_value: f64,
    /// The smallest difference these tasks detect with 80% power.
    pub mdd: Figure,
    /// Candidate cost per answer / the baseline's.
    pub cost_ratio: Figure,
    /// Candidate median latency / the baseline's.
    pub latency_ratio: Figure,
    /// The candidate's answers lost to request errors (infrastructure).
    pub error_rate: Figure,
    /// The candidate's answers beyond its context window.
    pub context_exceeded_rate: Figure,
    /// Invalid tool calls over all the candidate's calls, when the workload has tool episodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_call_rate: Option<Figure>,
}

impl Assessment {
    /// `family` or `family / category`.
    pub fn workload(&self) -> String {
        match &self.category {
            Some(category) => format!("{} / {category}", self.family),
            None => self.family.clone(),
        }
    }
}

/// The migration model of a run.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationReport {
    /// Run id.
    pub run_id: String,
    /// When the run started.
    pub created_at: String,
    /// Baseline provider.
    pub baseline: String,
    /// The baseline's model.
    pub baseline_model: String,
    /// The rules the recommendations follow.
    pub rules: MigrationRules,
    /// Per candidate, in the run's order: the whole run (`family: "all"`) first, then each family
    /// (when the run has several) followed by its categories (when it has several).
    pub assessments: Vec<Assessment>,
}

impl MigrationReport {
    /// The candidates, in the run's order, with their models.
    pub fn candidates(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for a in &self.assessments {
            if !names.contains(&a.candidate.as_str()) {
                names.push(&a.candidate);
            }
        }
        names
    }
}

/// What the rows of one provider in one workload add up to.
#[derive(Debug, Default)]
struct Answers {
    items: usize,
    errors: usize,
    exceeded: usize,
    answered: usize,
    cost: f64,
    latencies: Vec<f64>,
    calls: u64,
    invalid: u64,
}

/// The migration model of `view` under `rules`.
pub fn migration(view: &RunView, rules: &MigrationRules) -> MigrationReport {
    let baseline = view.manifest.baseline.as_str();
    let workloads = workloads(view);
    let vote = view.manifest.options.vote;
    let order = view.task_order();
    let base_scores = task_scores(view, view.find_name(baseline), vote);
    let mut assessments = Vec::new();
    for snapshot in view.manifest.providers.iter().filter(|p| p.name != baseline) {
        let cand_scores = task_scores(view, view.find_name(&snapshot.name), vote);
        let currencies_match =
            view.manifest.provider(baseline).map(|b| b.currency()) == Some(snapshot.currency());
        let priced = currencies_match
            && snapshot.price.is_some()
            && view.manifest.provider(baseline).is_some_and(|b| b.price.is_some());
        for (family, category) in &workloads {
            let keep = |i: u32| {
                view.tasks.get(i as usize).is_some_and(|t| {
                    t.listed
                        && (family == "all" || view.family_of(t.suite) == family)
                        && category
                            .as_deref()
                            .is_none_or(|c| t.category.map_or(UNCATEGORIZED, |n| view.name(n)) == c)
                })
            };
            let (b, c) = paired_scores(&base_scores, &cand_scores, &order, vote, &keep);
            let base = answers(view, baseline, &keep);
            let cand = answers(view, &snapshot.name, &keep);
            let mut assessment = assess(&b, &c, &base, &cand, priced);
            assessment.candidate = snapshot.name.clone();
            assessment.family = family.clone();
            assessment.category = category.clone();
            let (recommendation, risks) = recommend(&assessment, rules);
            assessment.recommendation = recommendation;
            assessment.risks = risks;
            assessments.push(assessment);
        }
    }
    MigrationReport {
        run_id: view.run.run_id.clone(),
        created_at: view.run.created_at.clone(),
        baseline: baseline.to_string(),
        baseline_model: view.manifest.provider(baseline).map_or(String::new(), |p| p.model.clone()),
        rules: *rules,
        assessments,
    }
}

/// The workloads of a run as (family, category): `all`, then each family in the order of its first
/// suite (when the run has several: with one, the family is the whole run), each followed by its
/// categories (when it has several).
fn workloads(view: &RunView) -> Vec<(String, Option<String>)> {
    let mut families: Vec<&str> = Vec::new();
    for suite in &view.manifest.suites {
        if !families.contains(&suite.family.as_str()) {
            families.push(&suite.family);
        }
    }
    let mut workloads = vec![("all".to_string(), None)];
    for &family in &families {
        if families.len() > 1 {
            workloads.push((family.to_string(), None));
        }
        let mut categories: Vec<&str> = view
            .tasks
            .iter()
            .filter(|t| t.listed && view.family_of(t.suite) == family)
            .map(|t| t.category.map_or(UNCATEGORIZED, |c| view.name(c)))
            .collect();
        categories.sort_unstable();
        categories.dedup();
        if categories.len() > 1 {
            workloads.extend(categories.into_iter().map(|c| (family.to_string(), Some(c.to_string()))));
        }
    }
    workloads
}

/// The rows of `provider` on the tasks `keep` selects.
fn answers(view: &RunView, provider: &str, keep: &dyn Fn(u32) -> bool) -> Answers {
    let provider = view.find_name(provider);
    let too_long = view.find_name(ErrorClass::ContextTooLong.as_str());
    let mut a = Answers::default();
    for row in view.rows.iter().filter(|r| Some(r.provider) == provider && keep(r.task)) {
        a.items += 1;
        match row.error_class {
            Some(class) if Some(class) == too_long => a.exceeded += 1,
            Some(_) => a.errors += 1,
            None => {
                a.answered += 1;
                a.cost += row.cost;
                a.latencies.extend(row.latency_ms);
                if let Some(used) = row.tool_use {
                    a.calls += u64::from(used.calls);
                    a.invalid += u64::from(used.invalid);
                }
            }
        }
    }
    a
}

fn figure(
    value: Option<f64>,
    ci95: Option<[f64; 2]>,
    n: usize,
    unit: &'static str,
    method: String,
) -> Figure {
    Figure { value, ci95, n, unit, method }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (!sorted.is_empty()).then(|| stats::percentile_sorted(&sorted, 50.0))
}

/// The figures of one workload from its paired task scores `b`, `c` and each side's answers (names
/// and the recommendation are left for the caller).
fn assess(b: &[f64], c: &[f64], base: &Answers, cand: &Answers, priced: bool) -> Assessment {
    let n = b.len();
    let paired = stats::compare_paired(b, c, SEED);
    let score = |xs: &[f64]| {
        let (lo, hi) = stats::score_ci(xs, SEED);
        let method =
            "mean task score on the tasks both scored; 95% CI by Wilson for pass/fail, bootstrap otherwise";
        figure((n > 0).then(|| stats::mean(xs)), (n > 0).then_some([lo, hi]), n, "tasks", method.into())
    };
    let retention_ci = paired.retention_ci95.map(|(l, h)| [l, h]);
    let test = match paired.test {
        stats::PairedTest::McNemarExact => "the exact McNemar",
        stats::PairedTest::SignFlipPermutation => "a sign-flip permutation",
        stats::PairedTest::None => "no",
    };
    let per_answer = |a: &Answers| (a.answered > 0).then(|| a.cost / a.answered as f64);
    let cost_ratio = match (priced, per_answer(base), per_answer(cand)) {
        (true, Some(b), Some(c)) if b > 0.0 => Some(c / b),
        _ => None,
    };
    let latency_ratio = match (median(&base.latencies), median(&cand.latencies)) {
        (Some(b), Some(c)) if b > 0.0 => Some(c / b),
        _ => None,
    };
    Assessment {
        candidate: String::new(),
        family: String::new(),
        category: None,
        recommendation: Recommendation::KeepBaseline,
        risks: Vec::new(),
        baseline_score: score(b),
        candidate_score: score(c),
        retention: figure(
            paired.retention,
            retention_ci,
            n,
            "tasks",
            format!(
                "mean(candidate) / mean(baseline) over the tasks both scored; 95% CI by paired bootstrap of the ratio ({} resamples, seed {SEED})",
                stats::BOOTSTRAP_RESAMPLES
            ),
        ),
        difference: figure(
            (n > 0).then_some(paired.diff),
            (n > 0).then_some([paired.ci95.0, paired.ci95.1]),
            n,
            "tasks",
            format!("candidate minus baseline score; 95% CI by paired bootstrap; p-value by {test} test"),
        ),
        p_value: paired.p_value,
        mdd: figure(
            stats::minimum_detectable_difference(b, c),
            None,
            n,
            "tasks",
            "smallest difference detected with 80% power at two-sided alpha 0.05 (McNemar's discordant-pair power, Connor 1987; a normal approximation for partial credit)".into(),
        ),
        cost_ratio: figure(
            cost_ratio,
            None,
            base.answered + cand.answered,
            "answers",
            "mean cost per answer, candidate / baseline (null without prices in one currency)".into(),
        ),
        latency_ratio: figure(
            latency_ratio,
            None,
            base.latencies.len() + cand.latencies.len(),
            "answers",
            "median end-to-end latency, candidate / baseline".into(),
        ),
        error_rate: figure(
            share(cand.errors, cand.items),
            None,
            cand.items,
            "answers",
            "the candidate's items lost to request errors after retries (rate limits, timeouts, 5xx, cut streams...)".into(),
        ),
        context_exceeded_rate: figure(
            share(cand.exceeded, cand.items),
            None,
            cand.items,
            "answers",
            "the candidate's items longer than its context window (scored as failures)".into(),
        ),
        invalid_call_rate: (cand.calls > 0).then(|| {
            figure(
                Some(cand.invalid as f64 / cand.calls as f64),
                None,
                usize::try_from(cand.calls).unwrap_or(usize::MAX),
                "calls",
                "the candidate's invalid tool calls (bad JSON, unknown tool, schema violation) over all its calls".into(),
            )
        }),
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The recommendation for `a` under `rules`, and its risks: the broken "keep" rules, then the broken
/// "switch" rules, then what could not be measured.
pub fn recommend(a: &Assessment, rules: &MigrationRules) -> (Recommendation, Vec<String>) {
    let (mut keep, mut care, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    let n = a.retention.n;
    if n < rules.min_tasks {
        keep.push(format!(
            "only {n} paired tasks, under {} (min_tasks): too little evidence to move",
            rules.min_tasks
        ));
    }
    match (a.retention.value, a.retention.ci95) {
        (Some(r), _) if r < rules.care_min_retention => keep.push(format!(
            "retention {} is under {} (care_min_retention)",
            pct(r),
            pct(rules.care_min_retention)
        )),
        (Some(_), Some([lo, hi])) => {
            if lo < rules.min_retention {
                care.push(format!(
                    "retention's 95% CI lower bound {} is under {} (min_retention)",
                    pct(lo),
                    pct(rules.min_retention)
                ));
            }
            if hi - lo > rules.max_ci_width {
                care.push(format!(
                    "retention's 95% CI is {:.1} points wide, over {:.1} (max_ci_width)",
                    (hi - lo) * 100.0,
                    rules.max_ci_width * 100.0
                ));
            }
        }
        _ => care.push("retention is undefined: the baseline scored 0 on these tasks".into()),
    }
    if let Some(rate) = a.error_rate.value {
        if rate > rules.care_max_error_rate {
            keep.push(format!(
                "infrastructure error rate {} is over {} (care_max_error_rate)",
                pct(rate),
                pct(rules.care_max_error_rate)
            ));
        } else if rate > rules.max_error_rate {
            care.push(format!(
                "infrastructure error rate {} is over {} (max_error_rate)",
                pct(rate),
                pct(rules.max_error_rate)
            ));
        }
    }
    if let Some(rate) = a.context_exceeded_rate.value.filter(|r| *r > rules.max_context_exceeded_rate) {
        care.push(format!(
            "{} of tasks beyond the context window, over {} (max_context_exceeded_rate)",
            pct(rate),
            pct(rules.max_context_exceeded_rate)
        ));
    }
    if let Some(rate) =
        a.invalid_call_rate.as_ref().and_then(|f| f.value).filter(|r| *r > rules.max_invalid_call_rate)
    {
        care.push(format!(
            "{} of tool calls invalid, over {} (max_invalid_call_rate)",
            pct(rate),
            pct(rules.max_invalid_call_rate)
        ));
    }
    match a.cost_ratio.value {
        Some(r) if r > rules.max_cost_ratio => care.push(format!(
            "costs {r:.2}× the baseline per answer, over {:.2}× (max_cost_ratio)",
            rules.max_cost_ratio
        )),
        Some(_) => {}
        None => notes.push("cost not compared: a price is missing or the currencies differ".to_string()),
    }
    match a.latency_ratio.value {
        Some(r) if r > rules.max_latency_ratio => care.push(format!(
            "median latency {r:.2}× the baseline's, over {:.2}× (max_latency_ratio)",
            rules.max_latency_ratio
        )),
        Some(_) => {}
        None => notes.push("latency not compared: no latency measured".to_string()),
    }
    if let Some(mdd) = a.mdd.value.filter(|m| *m > stats::TARGET_DIFFERENCE) {
        notes.push(format!(
            "{n} tasks cannot detect a 5-point difference (minimum detectable difference {:.1} points)",
            mdd * 100.0
        ));
    }
    let recommendation = if !keep.is_empty() {
        Recommendation::KeepBaseline
    } else if !care.is_empty() {
        Recommendation::SwitchWithCare
    } else {
        Recommendation::Switch
    };
    keep.extend(care);
    keep.extend(notes);
    (recommendation, keep)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
