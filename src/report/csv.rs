//! Tidy CSV for spreadsheets and data frames: one row per answer (provider x task x sample) with what
//! became of it, and one row per provider x suite with its score and its comparison against the
//! baseline. Pure functions of the run view and its summary.

use std::collections::HashMap;

use super::outcome::Fate;
use crate::analysis::{Comparison, RunView, Summary};

/// Columns of [`items`].
const ITEM_COLUMNS: [&str; 19] = [
    "run_id",
    "provider",
    "model",
    "suite",
    "family",
    "task_id",
    "category",
    "sample",
    "outcome",
    "error_class",
    "score",
    "passed",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cost",
    "currency",
    "latency_ms",
    "ttft_ms",
];

/// Columns of [`suites`].
const SUITE_COLUMNS: [&str; 15] = [
    "run_id",
    "provider",
    "model",
    "suite",
    "family",
    "tasks",
    "scored",
    "score",
    "ci95_low",
    "ci95_high",
    "diff_vs_baseline",
    "diff_ci95_low",
    "diff_ci95_high",
    "p_value",
    "retention",
];

/// One row per answer, in the store's order (provider, suite, task id, sample). `outcome` is one of
/// `passed`, `failed`, `context_exceeded`, `infra_error`, `scorer_error`, `unscored`; empty cells
/// are figures the answer does not have.
pub fn items(view: &RunView) -> Result<String, String> {
    let families: HashMap<&str, &str> =
        view.manifest.suites.iter().map(|s| (s.name.as_str(), s.family.as_str())).collect();
    let mut out = ::csv::Writer::from_writer(Vec::new());
    out.write_record(ITEM_COLUMNS).map_err(csv_error)?;
    for row in &view.rows {
        let Some(task) = view.tasks.get(row.task as usize) else { continue };
        let provider = view.name(row.provider);
        let snapshot = view.manifest.provider(provider);
        let suite = view.name(task.suite);
        let fate = Fate::of(view, row);
        out.write_record([
            view.run.run_id.as_str(),
            provider,
            snapshot.map_or("", |p| p.model.as_str()),
            suite,
            families.get(suite).copied().unwrap_or(""),
            &task.id,
            task.category.map_or("", |c| view.name(c)),
            &row.sample.to_string(),
            fate.as_str(),
            Fate::class(view, row).unwrap_or(""),
            &optional(row.score),
            &row.passed.map_or_else(String::new, |p| p.to_string()),
            &row.usage.total_input().to_string(),
            &row.usage.output.to_string(),
            &row.usage.reasoning.to_string(),
            &row.cost.to_string(),
            snapshot.map_or("", |p| p.currency()),
            &optional(row.latency_ms),
            &optional(row.ttft_ms),
        ])
        .map_err(csv_error)?;
    }
    finish(out)
}

/// One row per provider and suite: the score with its 95% CI and the paired comparison with the
/// baseline (empty for the baseline itself).
pub fn suites(summary: &Summary) -> Result<String, String> {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    out.write_record(SUITE_COLUMNS).map_err(csv_error)?;
    let one_suite = summary.suites.iter().all(|s| summary.suites.first().is_some_and(|f| f.suite == s.suite));
    for s in &summary.suites {
        let model = summary.providers.iter().find(|p| p.name == s.provider).map_or("", |p| p.model.as_str());
        // With one suite the comparison over `all` is the suite's.
        let compared = |c: &&Comparison| {
            c.candidate == s.provider
                && c.category.is_none()
                && (c.suite == s.suite || (one_suite && c.suite == "all"))
        };
        let c = summary.comparisons.iter().find(compared);
        out.write_record([
            summary.run_id.as_str(),
            &s.provider,
            model,
            &s.suite,
            &s.family,
            &s.tasks.to_string(),
            &s.scored.to_string(),
            &s.score.to_string(),
            &s.ci95[0].to_string(),
            &s.ci95[1].to_string(),
            &optional(c.map(|c| c.diff)),
            &optional(c.map(|c| c.ci95[0])),
            &optional(c.map(|c| c.ci95[1])),
            &optional(c.map(|c| c.p_value)),
            &optional(c.and_then(|c| c.retention)),
        ])
        .map_err(csv_error)?;
    }
    finish(out)
}

fn optional(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

fn csv_error(e: ::csv::Error) -> String {
    format!("cannot write CSV: {e}")
}

fn finish(out: ::csv::Writer<Vec<u8>>) -> Result<String, String> {
    let bytes = out.into_inner().map_err(|e| format!("cannot write CSV: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot write CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{example_run, summarize};

    #[test]
    fn one_row_per_answer_with_its_outcome() {
        let view = example_run();
        let csv = items(&view).unwrap();
        insta::assert_snapshot!(csv);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 12, "a header and one row per answer");
        assert!(
            lines.iter().any(
                |l| l.contains(",kimi,kimi-k2.6,support,custom,t3,billing,0,infra_error,rate_limited,,,")
            )
        );
    }

    #[test]
    fn one_row_per_provider_and_suite_with_the_comparison() {
        let csv = suites(&summarize(&example_run())).unwrap();
        insta::assert_snapshot!(csv);
        let kimi = csv.lines().find(|l| l.contains(",kimi,")).unwrap();
        assert!(kimi.contains(",-0.2,"), "the paired difference of the only suite: {kimi}");
        let claude = csv.lines().find(|l| l.contains(",claude,")).unwrap();
        assert!(claude.ends_with(",,,,,"), "the baseline has no comparison: {claude}");
    }
}
