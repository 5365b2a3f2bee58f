//! Every candidate against the baseline on the tasks both scored: over the whole run, then per suite,
//! family, category and haystack length, each with a paired test, Holm's correction across the
//! breakdowns, retention with its own interval, and the smallest difference the comparison could
//! detect.
//!
//! Holm's family of tests: for each candidate, its breakdown comparisons together (per suite when the
//! run has several suites, per family when it has several families, per category, per length). The
//! comparison over the whole run (`suite: "all"` without a breakdown key) is the one pre-specified
//! test and is not corrected (`p_holm` equals `p_value`).

use serde::Serialize;

use super::stats::{self, PairedTest};
use super::summary::{SEED, TaskScores, in_order};
use crate::core::Vote;

/// A candidate against the baseline over the tasks both answered.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Baseline provider.
    pub baseline: String,
    /// Candidate provider.
    pub candidate: String,
    /// Suite name, or `all`.
    pub suite: String,
    /// The category compared (over every suite), for the per-category comparisons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The haystack length compared, for the per-length comparisons of long-context tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
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
    /// The family compared (over its suites), for the per-family comparisons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// `p_value` after Holm's correction across the candidate's breakdown comparisons (see the
    /// module); equal to `p_value` for the comparison over the whole run.
    pub p_holm: f64,
    /// Paired-bootstrap 95% CI of `retention` (null when retention is).
    pub retention_ci95: Option<[f64; 2]>,
    /// Minimum detectable difference: the smallest gap this comparison detects with 80% power at
    /// two-sided alpha 0.05 (McNemar's discordant-pair power for pass/fail scores, a normal
    /// approximation on the paired differences otherwise); null when there are too few pairs.
    pub mdd: Option<f64>,
    /// Too few tasks to detect a 5-point difference: `mdd` is over 0.05 (or unknown).
    pub underpowered: bool,
}

/// What a comparison is about, besides its candidate.
#[derive(Debug, Clone, Default)]
pub(super) struct Breakdown {
    pub suite: Option<String>,
    pub family: Option<String>,
    pub category: Option<String>,
    pub length: Option<u64>,
}

/// The paired comparison of `base` and `cand` over the tasks `keep` selects that both scored, walked
/// in `order`.
pub(super) fn paired(
    base: &TaskScores,
    cand: &TaskScores,
    order: &[u32],
    vote: Vote,
    keep: &dyn Fn(u32) -> bool,
) -> Comparison {
    let (b, c) = paired_scores(base, cand, order, vote, keep);
    let paired = stats::compare_paired(&b, &c, SEED);
    let mdd = stats::minimum_detectable_difference(&b, &c);
    Comparison {
        baseline: String::new(),
        candidate: String::new(),
        suite: "all".into(),
        category: None,
        length: None,
        n_paired: paired.n,
        diff: paired.diff,
        ci95: [paired.ci95.0, paired.ci95.1],
        p_value: paired.p_value,
        test: paired.test,
        retention: paired.retention,
        family: None,
        p_holm: paired.p_value,
        retention_ci95: paired.retention_ci95.map(|(l, h)| [l, h]),
        mdd,
        underpowered: mdd.is_none_or(|m| m > stats::TARGET_DIFFERENCE),
    }
}

/// The aligned task scores of the tasks `keep` selects that both scored, in `order`.
pub(super) fn paired_scores(
    base: &TaskScores,
    cand: &TaskScores,
    order: &[u32],
    vote: Vote,
    keep: &dyn Fn(u32) -> bool,
) -> (Vec<f64>, Vec<f64>) {
    let (mut b, mut c) = (Vec::new(), Vec::new());
    for (i, base_task) in in_order(base, order).filter(|(i, _)| keep(*i)) {
        if let Some(cand_task) = cand.get(i as usize).and_then(Option::as_ref) {
            b.push(base_task.score(vote));
            c.push(cand_task.score(vote));
        }
    }
    (b, c)
}

/// Sets `p_holm` on `comparisons` (all of one candidate's breakdowns: one family of tests).
pub(super) fn correct(comparisons: &mut [&mut Comparison]) {
    let p_values: Vec<f64> = comparisons.iter().map(|c| c.p_value).collect();
    for (c, p) in comparisons.iter_mut().zip(stats::holm(&p_values)) {
        c.p_holm = p;
    }
}

impl Comparison {
    /// This comparison labelled with its providers and what it breaks down.
    pub(super) fn labelled(mut self, baseline: &str, candidate: &str, breakdown: Breakdown) -> Comparison {
        self.baseline = baseline.to_string();
        self.candidate = candidate.to_string();
        self.suite = breakdown.suite.unwrap_or_else(|| "all".into());
        self.family = breakdown.family;
        self.category = breakdown.category;
        self.length = breakdown.length;
        self
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::analysis::{result_row, run_view, summarize};
    use crate::store::ResultRow;

    /// `n` tasks in categories a and b; claude passes all, kimi fails `misses` of category a.
    fn run(n: usize, misses: usize) -> crate::analysis::RunView {
        let tasks: Vec<(String, Option<String>)> = (0..n)
            .map(|i| (format!("t{i:03}"), Some(if i % 2 == 0 { "a" } else { "b" }.to_string())))
            .collect();
        let mut rows: Vec<ResultRow> = Vec::new();
        for (i, (id, _)) in tasks.iter().enumerate() {
            rows.push(result_row("s", id, "claude", Some(1.0), None));
            let missed = i % 2 == 0 && i / 2 < misses;
            rows.push(result_row("s", id, "kimi", Some(if missed { 0.0 } else { 1.0 }), None));
        }
        run_view(&["claude", "kimi"], "s", &tasks, 1, rows)
    }

    #[test]
    fn breakdowns_are_holm_corrected_together_and_the_overall_test_is_not() {
        let s = summarize(&run(40, 7));
        let overall = &s.comparisons[0];
        assert_eq!(overall.p_holm, overall.p_value, "the overall test stands alone");
        let (a, b) = (&s.category_comparisons[0], &s.category_comparisons[1]);
        // Category a: 7 of 20 lost, McNemar p = 2 / 2^7; b: nothing lost, p = 1. Holm: 2p and 1.
        assert!((a.p_value - 2.0 / 128.0).abs() < 1e-15, "{}", a.p_value);
        assert!((a.p_holm - 4.0 / 128.0).abs() < 1e-15 && b.p_holm == 1.0, "{} {}", a.p_holm, b.p_holm);
        assert_eq!(a.retention, Some(13.0 / 20.0));
    }

    #[test]
    fn small_breakdowns_are_flagged_with_their_mdd_and_retention_gets_an_interval() {
        let s = summarize(&run(40, 7));
        let a = &s.category_comparisons[0];
        // 20 paired tasks, 7 discordant: far from detecting 5 points.
        assert!(a.underpowered && a.mdd.unwrap() > 0.3, "{:?}", a.mdd);
        let [lo, hi] = a.retention_ci95.unwrap();
        assert!(lo < 0.65 && 0.65 < hi && hi <= 1.0, "[{lo}, {hi}]");
        // 400 identical answers: an MDD under 5 points, not flagged.
        let big = summarize(&run(400, 0));
        let overall = &big.comparisons[0];
        assert!(!overall.underpowered && overall.mdd.unwrap() < 0.05, "{:?}", overall.mdd);
        assert_eq!(overall.retention_ci95, Some([1.0, 1.0]));
    }

    #[test]
    fn several_families_get_their_own_comparisons_in_the_same_holm_family() {
        // Suite s (custom) and suite m (math), 20 tasks each; kimi misses 7 of m.
        let mut tasks = Vec::new();
        let mut rows = Vec::new();
        for (suite, family) in [("s", "custom"), ("m", "math")] {
            for i in 0..20 {
                let id = format!("t{i:02}");
                tasks.push(crate::store::TaskRecord {
                    suite: suite.into(),
                    id: id.clone(),
                    family: family.into(),
                    category: None,
                    fingerprint: String::new(),
                    meta: serde_json::Value::Null,
                });
                rows.push(result_row(suite, &id, "claude", Some(1.0), None));
                let missed = suite == "m" && i < 7;
                rows.push(result_row(suite, &id, "kimi", Some(if missed { 0.0 } else { 1.0 }), None));
            }
        }
        let mut view = crate::analysis::run_view_of_tasks(&["claude", "kimi"], "s", tasks, 1, rows);
        let mut math = view.manifest.suites[0].clone();
        (math.name, math.family) = ("m".into(), "math".into());
        view.manifest.suites.push(math);
        let s = summarize(&view);
        let families: Vec<(Option<&str>, usize)> =
            s.family_comparisons.iter().map(|c| (c.family.as_deref(), c.n_paired)).collect();
        assert_eq!(families, [(Some("custom"), 20), (Some("math"), 20)]);
        // Four tests in kimi's family (suites s, m; families custom, math): the two with p = 2/128
        // become 4 x 2/128 and 3 x 2/128, then the running maximum makes both 8/128.
        let suite_m = s.comparisons.iter().find(|c| c.suite == "m").unwrap();
        let family_math = &s.family_comparisons[1];
        for c in [suite_m, family_math] {
            assert!(
                (c.p_value - 2.0 / 128.0).abs() < 1e-15 && (c.p_holm - 8.0 / 128.0).abs() < 1e-15,
                "{c:?}"
            );
        }
        assert_eq!(s.comparisons[0].p_holm, s.comparisons[0].p_value);
    }
}
