//! Retention with its own interval: the share of the baseline's score a candidate keeps on the same
//! tasks, and how sure that share is.

use super::percentile_sorted;
use super::resample::resample_sums;

/// Aligned (baseline, candidate) rows of the first `min(len)` tasks.
fn pairs(baseline: &[f64], candidate: &[f64]) -> Vec<[f64; 2]> {
    baseline.iter().zip(candidate).map(|(&b, &c)| [b, c]).collect()
}

/// Paired-bootstrap 95% percentile interval of retention, `mean(candidate) / mean(baseline)`.
///
/// `baseline[i]` and `candidate[i]` are the scores of the same task (aligned; extra values of the
/// longer slice are ignored). Task indices are resampled with replacement `resamples` times from a
/// [`StdRng`] seeded with `seed`, the ratio of the resampled sums is taken, and the 2.5th and 97.5th
/// percentiles of those ratios are reported. A resample whose baseline sums to 0 has no ratio and is
/// left out. `None` when there are no pairs or the baseline scored 0 on every task (retention is
/// undefined). A ratio is resampled rather than derived from the difference's interval because
/// retention is what a migration decision is phrased in, and its sampling distribution is skewed.
pub fn bootstrap_ratio_ci(
    baseline: &[f64],
    candidate: &[f64],
    resamples: usize,
    seed: u64,
) -> Option<(f64, f64)> {
    let n = baseline.len().min(candidate.len());
    let (baseline, candidate) = (&baseline[..n], &candidate[..n]);
    let base_sum: f64 = baseline.iter().sum();
    if n == 0 || base_sum == 0.0 {
        return None;
    }
    let point = candidate.iter().sum::<f64>() / base_sum;
    if resamples == 0 {
        return Some((point, point));
    }
    let mut ratios: Vec<f64> = Vec::with_capacity(resamples);
    resample_sums(&pairs(baseline, candidate), resamples, seed, |[b, c]| {
        if b > 0.0 {
            ratios.push(c / b);
        }
    });
    if ratios.is_empty() {
        return Some((point, point));
    }
    ratios.sort_by(f64::total_cmp);
    Some((percentile_sorted(&ratios, 2.5), percentile_sorted(&ratios, 97.5)))
}

/// The paired-bootstrap 95% intervals of the mean difference `candidate - baseline` and of retention,
/// from the same resamples of the (baseline, candidate) pairs: the ratio's interval is exactly
/// [`bootstrap_ratio_ci`]'s (the same draws from the same seed), got without drawing a second time. Slices must be aligned and of equal length.
pub(super) fn bootstrap_diff_and_ratio(
    baseline: &[f64],
    candidate: &[f64],
    resamples: usize,
    seed: u64,
) -> ((f64, f64), Option<(f64, f64)>) {
    let n = baseline.len().min(candidate.len());
    let diffs: Vec<f64> = baseline.iter().zip(candidate).map(|(b, c)| c - b).collect();
    let all_equal = diffs.iter().all(|&d| d == diffs[0]);
    if n == 0 || all_equal || resamples == 0 {
        // No spread in the differences (or nothing to draw): the mean's interval is the mean itself,
        // while the ratio may still vary (equal gaps on unequal baselines) and is drawn on its own.
        let m = super::mean(&diffs);
        return ((m, m), bootstrap_ratio_ci(baseline, candidate, resamples, seed));
    }
    let mut means = Vec::with_capacity(resamples);
    let mut ratios = Vec::with_capacity(resamples);
    resample_sums(&pairs(baseline, candidate), resamples, seed, |[b, c]| {
        means.push((c - b) / n as f64);
        if b > 0.0 {
            ratios.push(c / b);
        }
    });
    means.sort_by(f64::total_cmp);
    let diff = (percentile_sorted(&means, 2.5), percentile_sorted(&means, 97.5));
    let base_sum: f64 = baseline[..n].iter().sum();
    let ratio = if base_sum == 0.0 {
        None
    } else if ratios.is_empty() {
        let point = candidate[..n].iter().sum::<f64>() / base_sum;
        Some((point, point))
    } else {
        ratios.sort_by(f64::total_cmp);
        Some((percentile_sorted(&ratios, 2.5), percentile_sorted(&ratios, 97.5)))
    };
    (diff, ratio)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_ratio_has_no_spread() {
        // Every task keeps exactly half: every resample's ratio is 0.5.
        let base = [1.0, 0.8, 0.6, 1.0, 0.4];
        let cand: Vec<f64> = base.iter().map(|b| b / 2.0).collect();
        assert_eq!(bootstrap_ratio_ci(&base, &cand, 2_000, 3), Some((0.5, 0.5)));
    }

    #[test]
    fn two_tasks_by_enumeration() {
        // Baseline passes both, the candidate one: resamples are {t1,t1} (ratio 1, 1/4 of draws),
        // {t2,t2} (ratio 0, 1/4) and mixed (0.5, 1/2), so the 2.5th percentile is 0 and the 97.5th 1.
        assert_eq!(bootstrap_ratio_ci(&[1.0, 1.0], &[1.0, 0.0], 10_000, 1), Some((0.0, 1.0)));
    }

    #[test]
    fn a_fixed_paired_sample() {
        // 40 tasks: the baseline passes 30, the candidate keeps 24 of them and gains 3 others, so
        // retention is 27 / 30 = 0.9. Its CI holds the point, is reproducible for a seed, and is about
        // as wide as the delta method says: se = sd(c - 0.9 b) / (sqrt(n) mean(b))
        // = sqrt(8.1 / 40) / (sqrt(40) · 0.75) = 0.095, so ±0.19.
        let base: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i < 30))).collect();
        let cand: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i < 24 || (30..33).contains(&i)))).collect();
        let (lo, hi) = bootstrap_ratio_ci(&base, &cand, 10_000, 20_250_925).unwrap();
        assert!(lo < 0.9 && 0.9 < hi, "({lo}, {hi})");
        assert!((0.3..0.5).contains(&(hi - lo)), "({lo}, {hi})");
        assert_eq!(bootstrap_ratio_ci(&base, &cand, 10_000, 20_250_925), Some((lo, hi)));
    }

    #[test]
    fn one_set_of_resamples_gives_both_intervals_as_drawn_apart() {
        let base: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i < 30))).collect();
        let cand: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i < 24 || (30..33).contains(&i)))).collect();
        let diffs: Vec<f64> = base.iter().zip(&cand).map(|(b, c)| c - b).collect();
        let (diff, ratio) = bootstrap_diff_and_ratio(&base, &cand, 5_000, 9);
        // The differences resampled on their own are another draw of the same distribution.
        let alone = super::super::bootstrap_mean_ci(&diffs, 5_000, 9);
        assert!((diff.0 - alone.0).abs() < 0.03 && (diff.1 - alone.1).abs() < 0.03, "{diff:?} {alone:?}");
        assert_eq!(ratio, bootstrap_ratio_ci(&base, &cand, 5_000, 9), "and the ratio from those draws");
        // Equal gaps everywhere: the difference has no spread, the ratio still has.
        let (diff, ratio) = bootstrap_diff_and_ratio(&[0.2, 0.4, 0.6], &[0.3, 0.5, 0.7], 5_000, 9);
        assert!((diff.0 - 0.1).abs() < 1e-12 && diff.0 == diff.1, "{diff:?}");
        let (lo, hi) = ratio.unwrap();
        assert!(lo < 1.25 && 1.25 < hi, "({lo}, {hi})");
    }

    #[test]
    fn undefined_without_a_baseline_score() {
        assert_eq!(bootstrap_ratio_ci(&[0.0, 0.0], &[1.0, 0.0], 100, 1), None);
        assert_eq!(bootstrap_ratio_ci(&[], &[], 100, 1), None);
        assert_eq!(bootstrap_ratio_ci(&[1.0, 0.0], &[1.0, 1.0], 0, 1), Some((2.0, 2.0)));
    }
}
