//! The `[migration]` table of bench.toml: the rules that turn a run's numbers into a recommendation
//! per workload (switch, switch with care, keep the baseline). Explicit data, printed in every
//! migration report, so a reader can check each verdict against them.
//!
//! ```toml
//! [migration]
//! min_tasks = 30                    # fewer paired tasks: keep the baseline (too little evidence)
//! care_min_retention = 0.90         # retention under this: keep the baseline
//! care_max_error_rate = 0.10        # infrastructure error rate over this: keep the baseline
//! min_retention = 0.95              # switch: retention's 95% CI lower bound at least this
//! max_ci_width = 0.15               # switch: retention's 95% CI at most this wide
//! max_error_rate = 0.02             # switch: infrastructure error rate at most this
//! max_context_exceeded_rate = 0.01  # switch: share of tasks beyond the context window at most this
//! max_invalid_call_rate = 0.05      # switch: share of invalid tool calls at most this (tool tasks)
//! max_cost_ratio = 1.0              # switch: cost per answer at most this times the baseline's
//! max_latency_ratio = 1.5           # switch: median latency at most this times the baseline's
//! ```
//!
//! A workload that breaks no "keep" rule and every "switch" rule is `switch`; one that breaks no
//! "keep" rule but some "switch" rule is `switch_with_care`, with each broken rule listed as a risk.

use serde::{Deserialize, Serialize};

/// The rules of the migration model; every field has a default (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MigrationRules {
    /// Fewer paired tasks than this: keep the baseline, whatever the numbers.
    pub min_tasks: usize,
    /// Retention (point estimate) under this: keep the baseline.
    pub care_min_retention: f64,
    /// Infrastructure error rate over this: keep the baseline.
    pub care_max_error_rate: f64,
    /// Switch only when retention's 95% CI lower bound is at least this.
    pub min_retention: f64,
    /// Switch only when retention's 95% CI is at most this wide.
    pub max_ci_width: f64,
    /// Switch only when the infrastructure error rate is at most this.
    pub max_error_rate: f64,
    /// Switch only when the share of tasks beyond the context window is at most this.
    pub max_context_exceeded_rate: f64,
    /// Switch only when the share of invalid tool calls is at most this (workloads with tool calls).
    pub max_invalid_call_rate: f64,
    /// Switch only when the cost per answer is at most this times the baseline's (when both are priced
    /// in one currency).
    pub max_cost_ratio: f64,
    /// Switch only when the median latency is at most this times the baseline's.
    pub max_latency_ratio: f64,
}

impl Default for MigrationRules {
    fn default() -> Self {
        MigrationRules {
            min_tasks: 30,
            care_min_retention: 0.90,
            care_max_error_rate: 0.10,
            min_retention: 0.95,
            max_ci_width: 0.15,
            max_error_rate: 0.02,
            max_context_exceeded_rate: 0.01,
            max_invalid_call_rate: 0.05,
            max_cost_ratio: 1.0,
            max_latency_ratio: 1.5,
        }
    }
}

impl MigrationRules {
    /// Each rule with its value and what it means, in the order the module lists them: what the
    /// report prints.
    pub fn described(&self) -> Vec<(&'static str, String, &'static str)> {
        vec![
            ("min_tasks", self.min_tasks.to_string(), "fewer paired tasks: keep the baseline"),
            (
                "care_min_retention",
                self.care_min_retention.to_string(),
                "retention under this: keep the baseline",
            ),
            (
                "care_max_error_rate",
                self.care_max_error_rate.to_string(),
                "infrastructure error rate over this: keep the baseline",
            ),
            (
                "min_retention",
                self.min_retention.to_string(),
                "switch: retention 95% CI lower bound at least this",
            ),
            ("max_ci_width", self.max_ci_width.to_string(), "switch: retention 95% CI at most this wide"),
            (
                "max_error_rate",
                self.max_error_rate.to_string(),
                "switch: infrastructure error rate at most this",
            ),
            (
                "max_context_exceeded_rate",
                self.max_context_exceeded_rate.to_string(),
                "switch: share of tasks beyond the context window at most this",
            ),
            (
                "max_invalid_call_rate",
                self.max_invalid_call_rate.to_string(),
                "switch: share of invalid tool calls at most this",
            ),
            (
                "max_cost_ratio",
                self.max_cost_ratio.to_string(),
                "switch: cost per answer at most this × the baseline's",
            ),
            (
                "max_latency_ratio",
                self.max_latency_ratio.to_string(),
                "switch: median latency at most this × the baseline's",
            ),
        ]
    }

    /// Every value that makes no sense, as (the keys it is about, most likely first; what is wrong),
    /// all at once: values out of range, else rules that contradict each other.
    pub fn problems(&self) -> Vec<(&'static [&'static str], String)> {
        let mut problems: Vec<(&'static [&'static str], String)> = Vec::new();
        if self.min_tasks == 0 {
            problems.push((&["min_tasks"], "min_tasks = 0; expected at least 1 paired task".to_string()));
        }
        let shares: [(&'static [&'static str], f64, f64); 7] = [
            (&["care_min_retention"], self.care_min_retention, 2.0),
            (&["min_retention"], self.min_retention, 2.0),
            (&["care_max_error_rate"], self.care_max_error_rate, 1.0),
            (&["max_ci_width"], self.max_ci_width, 2.0),
            (&["max_error_rate"], self.max_error_rate, 1.0),
            (&["max_context_exceeded_rate"], self.max_context_exceeded_rate, 1.0),
            (&["max_invalid_call_rate"], self.max_invalid_call_rate, 1.0),
        ];
        for (keys, value, most) in shares {
            if !(0.0..=most).contains(&value) {
                problems.push((keys, format!("{} = {value}; expected a value from 0 to {most}", keys[0])));
            }
        }
        let ratios: [(&'static [&'static str], f64); 2] =
            [(&["max_cost_ratio"], self.max_cost_ratio), (&["max_latency_ratio"], self.max_latency_ratio)];
        for (keys, value) in ratios {
            if !(value > 0.0 && value.is_finite()) {
                problems.push((keys, format!("{} = {value}; expected a positive ratio", keys[0])));
            }
        }
        if !problems.is_empty() {
            return problems;
        }
        if self.care_min_retention > self.min_retention {
            problems.push((
                &["care_min_retention", "min_retention"],
                format!(
                    "care_min_retention = {} is above min_retention = {}: the bar under which the baseline is kept cannot be above the bar to switch",
                    self.care_min_retention, self.min_retention
                ),
            ));
        }
        if self.care_max_error_rate < self.max_error_rate {
            problems.push((
                &["care_max_error_rate", "max_error_rate"],
                format!(
                    "care_max_error_rate = {} is under max_error_rate = {}: the error rate over which the baseline is kept cannot be under the one a switch allows",
                    self.care_max_error_rate, self.max_error_rate
                ),
            ));
        }
        problems
    }
}
