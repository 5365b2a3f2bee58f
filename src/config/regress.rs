//! The `[regress]` table of bench.toml: when `bench regress` calls a change between two runs a
//! regression. Explicit data, printed with every verdict, so a reader can check it against them;
//! each value may be overridden by the flag of the same name.
//!
//! ```toml
//! [regress]
//! max_drop = 0.02                 # a score drop must be larger than this (and significant)
//! alpha = 0.05                    # significance level of the paired test, after Holm's correction
//! max_cost_increase = 0.25        # cost per answer may rise by at most this share
//! max_latency_increase = 0.5      # latency p95 may rise by at most this share
//! max_error_rate_increase = 0.05  # infrastructure error rate may rise by at most this (absolute)
//! ```

use serde::{Deserialize, Serialize};

/// The thresholds of `bench regress`; every field has a default (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegressRules {
    /// A score drop (fraction of 1) counts only when larger than this.
    pub max_drop: f64,
    /// ... and when the paired test's Holm-corrected p-value is under this.
    pub alpha: f64,
    /// Largest relative rise of the mean cost per answer that is not a regression.
    pub max_cost_increase: f64,
    /// Largest relative rise of the 95th percentile of latency that is not a regression.
    pub max_latency_increase: f64,
    /// Largest rise of the infrastructure error rate (absolute, fraction of 1) that is not a
    /// regression.
    pub max_error_rate_increase: f64,
}

impl Default for RegressRules {
    fn default() -> Self {
        RegressRules {
            max_drop: 0.02,
            alpha: 0.05,
            max_cost_increase: 0.25,
            max_latency_increase: 0.5,
            max_error_rate_increase: 0.05,
        }
    }
}

impl RegressRules {
    /// Every value out of range, as (key, what is wrong), all at once.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let ranges: [(&'static str, f64, f64, &str); 5] = [
            ("max_drop", self.max_drop, 1.0, "a share of the score from 0 to 1"),
            ("alpha", self.alpha, 1.0, "a significance level above 0 and at most 1"),
            ("max_cost_increase", self.max_cost_increase, f64::MAX, "a share of 0 or more (0.25: +25%)"),
            ("max_latency_increase", self.max_latency_increase, f64::MAX, "a share of 0 or more (0.5: +50%)"),
            ("max_error_rate_increase", self.max_error_rate_increase, 1.0, "a rate from 0 to 1"),
        ];
        let mut problems = Vec::new();
        for (key, value, most, expected) in ranges {
            let least_ok = if key == "alpha" { value > 0.0 } else { value >= 0.0 };
            if !(least_ok && value <= most && value.is_finite()) {
                problems.push((key, format!("{key} = {value}; expected {expected}")));
            }
        }
        problems
    }

    /// Whether a score change `diff` (after − before) with Holm-corrected p-value `p_holm` is a
    /// regression: a drop larger than `max_drop` that the paired test says is not chance.
    pub fn score_regressed(&self, diff: f64, p_holm: f64) -> bool {
        -diff > self.max_drop && p_holm < self.alpha
    }

    /// Whether the mean cost per answer rose by more than `max_cost_increase`, relative; `None` when
    /// the two cannot be compared (no cost before).
    pub fn cost_regressed(&self, before: f64, after: f64) -> Option<bool> {
        relative_change(before, after).map(|change| change > self.max_cost_increase)
    }

    /// Whether latency p95 rose by more than `max_latency_increase`, relative; `None` without a
    /// latency before.
    pub fn latency_regressed(&self, before: f64, after: f64) -> Option<bool> {
        relative_change(before, after).map(|change| change > self.max_latency_increase)
    }

    /// Whether the infrastructure error rate rose by more than `max_error_rate_increase`.
    pub fn error_rate_regressed(&self, before: f64, after: f64) -> bool {
        after - before > self.max_error_rate_increase
    }
}

/// `(after - before) / before`; `None` when `before` is not a positive number.
pub fn relative_change(before: f64, after: f64) -> Option<f64> {
    (before > 0.0 && before.is_finite() && after.is_finite()).then(|| (after - before) / before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_must_be_both_larger_than_max_drop_and_significant() {
        let rules = RegressRules::default();
        assert!(rules.score_regressed(-0.10, 0.001));
        assert!(!rules.score_regressed(-0.10, 0.2), "large but within noise");
        assert!(!rules.score_regressed(-0.015, 0.001), "significant but within max_drop");
        assert!(!rules.score_regressed(-0.02, 0.001), "exactly max_drop is not larger");
        assert!(!rules.score_regressed(0.10, 0.001), "a gain is never a regression");
        assert!(!rules.score_regressed(-0.10, 0.05), "alpha itself is not under alpha");
        let strict = RegressRules { max_drop: 0.0, alpha: 0.2, ..rules };
        assert!(strict.score_regressed(-0.01, 0.1));
    }

    #[test]
    fn cost_and_latency_rise_relative_error_rate_absolute() {
        let rules = RegressRules::default();
        assert_eq!(rules.cost_regressed(0.010, 0.0124), Some(false), "+24%");
        assert_eq!(rules.cost_regressed(0.010, 0.0126), Some(true), "+26%");
        assert_eq!(rules.cost_regressed(0.0, 0.5), None, "unpriced before: cannot say");
        assert_eq!(rules.cost_regressed(0.010, 0.001), Some(false), "cheaper");
        assert_eq!(rules.latency_regressed(1000.0, 1490.0), Some(false));
        assert_eq!(rules.latency_regressed(1000.0, 1510.0), Some(true));
        assert!(!rules.error_rate_regressed(0.10, 0.14));
        assert!(rules.error_rate_regressed(0.0, 0.06));
        assert!(!rules.error_rate_regressed(0.30, 0.0));
    }

    #[test]
    fn out_of_range_values_are_all_named() {
        let rules = RegressRules {
            max_drop: 1.5,
            alpha: 0.0,
            max_cost_increase: -0.1,
            max_latency_increase: f64::NAN,
            max_error_rate_increase: 2.0,
        };
        let keys: Vec<&str> = rules.problems().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            ["max_drop", "alpha", "max_cost_increase", "max_latency_increase", "max_error_rate_increase"]
        );
        assert!(RegressRules::default().problems().is_empty());
    }
}
