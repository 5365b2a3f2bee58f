//! `bench regress`: a run checked against an earlier one, per provider and suite both have, over the
//! tasks both asked alike (same suite, id and fingerprint).
//!
//! A score drop is a regression only when it is larger than `max_drop` and the paired test
//! ([`super::diff`]: exact McNemar for pass/fail scores, a sign-flip test otherwise) says it is not
//! chance after Holm's correction across every provider x suite checked: with ten checks, one comes
//! out under 0.05 by luck alone half the time. Cost per answer and latency p95 (relative rises) and
//! the infrastructure error rate (an absolute rise) have thresholds of their own and no test: they
//! are the user's budget, not a hypothesis. Drift (see [`super::drift`]) is carried along as warnings.

use serde::Serialize;

use super::diff::{SuiteChange, diff, tasks_of};
use super::drift::Drift;
use super::figures::{SuiteFigures, suite_figures};
use super::stats;
use super::view::RunView;
use crate::config::{RegressRules, relative_change};

/// One of the two runs.
#[derive(Debug, Clone, Serialize)]
pub struct RegressRun {
    /// Run id.
    pub run_id: String,
    /// When it started.
    pub created_at: String,
    /// Its series, if tagged.
    pub tag: Option<String>,
}

/// What a breach is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The mean task score (a drop).
    Score,
    /// The mean cost of an answer (a relative rise).
    Cost,
    /// Latency p95 (a relative rise).
    LatencyP95,
    /// The infrastructure error rate (an absolute rise).
    ErrorRate,
}

/// A threshold a check broke: the figure before and after, the change (absolute for score and error
/// rate, relative for cost and latency) and the limit it passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// Which figure.
    pub metric: Metric,
    /// Its value in the earlier run.
    pub before: f64,
    /// Its value in the run checked.
    pub after: f64,
    /// `after - before`, or that over `before` for cost and latency.
    pub change: f64,
    /// The threshold (`-max_drop` for the score).
    pub limit: f64,
}

/// One provider on one suite, in both runs.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The paired comparison over the tasks both runs share, as `bench report A B` gives it; its
    /// `p_holm` is corrected across every check of the report.
    #[serde(flatten)]
    pub change: SuiteChange,
    /// The earlier run's figures over the tasks both runs share.
    pub before: SuiteFigures,
    /// The checked run's figures over the same tasks.
    pub after: SuiteFigures,
    /// Currency of both runs' costs; `None` when they differ or either is unpriced.
    pub currency: Option<String>,
    /// The thresholds this check broke; empty when it passed.
    pub regressions: Vec<Breach>,
}

/// The whole verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Regress {
    /// The earlier run.
    pub before: RegressRun,
    /// The run checked.
    pub after: RegressRun,
    /// The thresholds applied.
    pub rules: RegressRules,
    /// Per provider (earlier run's order) and suite both runs have.
    pub checks: Vec<Check>,
    /// Changes behind the providers' names.
    pub drift: Vec<Drift>,
    /// Whether drift fails the check (`--fail-on-drift`).
    pub fail_on_drift: bool,
    /// What could not be checked, and why.
    pub notes: Vec<String>,
}

impl Regress {
    /// Checks that broke a threshold.
    pub fn regressions(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.regressions.is_empty())
    }

    /// Whether the gate fails: a regression, or drift with `fail_on_drift`.
    pub fn failed(&self) -> bool {
        self.regressions().next().is_some() || (self.fail_on_drift && !self.drift.is_empty())
    }
}

fn side(view: &RunView) -> RegressRun {
    RegressRun {
        run_id: view.run.run_id.clone(),
        created_at: view.run.created_at.clone(),
        tag: view.manifest.tag.clone(),
    }
}

/// Check run `after` against run `before` with `rules`; `drift` is what changed behind the names.
pub fn regress(
    before: &RunView,
    after: &RunView,
    drift: Vec<Drift>,
    rules: &RegressRules,
    fail_on_drift: bool,
) -> Regress {
    let changes = diff(before, after).changes;
    let p_holm = stats::holm(&changes.iter().map(|c| c.p_value).collect::<Vec<_>>());
    let mut checks = Vec::with_capacity(changes.len());
    for (change, p_holm) in changes.into_iter().zip(p_holm) {
        let (a, b) = (tasks_of(before, &change.suite), tasks_of(after, &change.suite));
        let shared: Vec<(u32, u32)> = a
            .iter()
            .filter_map(|(id, (i, print))| b.get(id).filter(|(_, p)| p == print).map(|(j, _)| (*i, *j)))
            .collect();
        let marks = |len: usize, pick: fn(&(u32, u32)) -> u32| {
            let mut kept = vec![false; len];
            for pair in &shared {
                if let Some(k) = kept.get_mut(pick(pair) as usize) {
                    *k = true;
                }
            }
            kept
        };
        let (kept_before, kept_after) =
            (marks(before.tasks.len(), |p| p.0), marks(after.tasks.len(), |p| p.1));
        let keep_before = |i: u32| kept_before.get(i as usize).copied().unwrap_or(false);
        let keep_after = |j: u32| kept_after.get(j as usize).copied().unwrap_or(false);
        let currency = |view: &RunView| {
            view.manifest.provider(&change.provider).filter(|p| p.price.is_some()).map(|p| p.currency())
        };
        let mut check = Check {
            before: suite_figures(before, &change.provider, &change.suite, &keep_before),
            after: suite_figures(after, &change.provider, &change.suite, &keep_after),
            currency: currency(before).filter(|c| Some(*c) == currency(after)).map(String::from),
            change: SuiteChange { p_holm, ..change },
            regressions: Vec::new(),
        };
        check.regressions = breaches(&check, rules);
        checks.push(check);
    }
    let mut notes = Vec::new();
    for (one, other, which) in [(before, after, "the earlier run"), (after, before, "the run checked")] {
        for p in &one.manifest.providers {
            for s in &one.manifest.suites {
                let in_other = other.manifest.provider(&p.name).is_some()
                    && other.manifest.suites.iter().any(|t| t.name == s.name);
                if !in_other {
                    notes.push(format!("{} · {}: only in {which}; not checked", p.name, s.name));
                }
            }
        }
    }
    for c in checks.iter().filter(|c| c.change.n_paired == 0) {
        notes.push(format!(
            "{} · {}: no task scored in both runs; its score is not checked",
            c.change.provider, c.change.suite
        ));
    }
    Regress { before: side(before), after: side(after), rules: *rules, checks, drift, fail_on_drift, notes }
}

/// The thresholds `check` breaks under `rules`.
fn breaches(check: &Check, rules: &RegressRules) -> Vec<Breach> {
    let mut out = Vec::new();
    if check.change.n_paired > 0 && rules.score_regressed(check.change.diff, check.change.p_holm) {
        out.push(Breach {
            metric: Metric::Score,
            before: check.change.score_before,
            after: check.change.score_after,
            change: check.change.diff,
            limit: -rules.max_drop,
        });
    }
    let (a, b) = (&check.before, &check.after);
    if let (Some(_), Some(x), Some(y)) = (&check.currency, a.cost_per_answer(), b.cost_per_answer())
        && rules.cost_regressed(x, y) == Some(true)
    {
        let change = relative_change(x, y).unwrap_or(0.0);
        out.push(Breach {
            metric: Metric::Cost,
            before: x,
            after: y,
            change,
            limit: rules.max_cost_increase,
        });
    }
    if let (Some(x), Some(y)) = (a.latency_p95_ms, b.latency_p95_ms)
        && rules.latency_regressed(x, y) == Some(true)
    {
        let change = relative_change(x, y).unwrap_or(0.0);
        out.push(Breach {
            metric: Metric::LatencyP95,
            before: x,
            after: y,
            change,
            limit: rules.max_latency_increase,
        });
    }
    if let (Some(x), Some(y)) = (a.error_rate(), b.error_rate())
        && rules.error_rate_regressed(x, y)
    {
        out.push(Breach {
            metric: Metric::ErrorRate,
            before: x,
            after: y,
            change: y - x,
            limit: rules.max_error_rate_increase,
        });
    }
    out
}

#[cfg(test)]
mod tests;
