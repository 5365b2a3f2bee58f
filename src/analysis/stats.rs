//! Statistics for comparing providers on per-task scores.
//!
//! Every score is a number in `[0, 1]`, very often a 0/1 pass/fail. Reports never show a bare
//! mean: they show an interval around it ([`score_ci`]) and, for each candidate provider, a paired
//! comparison against the baseline ([`compare_paired`]) with a confidence interval on the gap and a
//! p-value from an exact or permutation test. Everything here is deterministic for a given seed so
//! that re-rendering a report from stored results reproduces the same numbers.
//!
//! The numeric pieces (Wilson interval, binomial tail, percentile bootstrap, sign-flip test, Holm's
//! correction, McNemar's power) are small enough to implement directly rather than pulling in a
//! statistics crate.

mod holm;
mod power;
mod ratio;
mod resample;

pub use holm::holm;
pub use power::{ALPHA, POWER, TARGET_DIFFERENCE, mcnemar_mdd, minimum_detectable_difference, paired_mdd};
pub use ratio::bootstrap_ratio_ci;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Two-sided 97.5% standard normal quantile, used for 95% intervals.
const Z95: f64 = 1.959963984540054;

/// Resamples used by [`score_ci`] and [`compare_paired`] for bootstrap intervals.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;

/// Random sign flips used by the Monte-Carlo permutation test when exact enumeration is too big.
const PERMUTATION_REPS: usize = 20_000;

/// Largest number of pairs for which the sign-flip test enumerates all `2^n` sign patterns.
const EXACT_PERMUTATION_MAX_N: usize = 16;

/// Arithmetic mean of `xs`; `0.0` for an empty slice.
///
/// Exists so every caller agrees on the empty case (an empty suite scores 0, not NaN).
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// 95% Wilson score interval for a binomial proportion `successes / n`.
///
/// Used for pass/fail scores because, unlike the normal ("Wald") interval, it stays inside
/// `[0, 1]` and keeps a sensible width at 0% or 100% and for small `n`. Method: Wilson (1927),
/// `z = 1.959963984540054`. With `n = 0` nothing is known, so the whole range `(0.0, 1.0)` is
/// returned. `successes` larger than `n` is clamped to `n`.
pub fn wilson_interval(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = successes.min(n) as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let center = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    // At 0% / 100% the bound is exactly 0 / 1; rounding would otherwise leave 0.9999999999999999.
    let lo = if successes == 0 { 0.0 } else { (center - half).clamp(0.0, 1.0) };
    let hi = if successes >= n { 1.0 } else { (center + half).clamp(0.0, 1.0) };
    (lo, hi)
}

/// Percentile-bootstrap 95% confidence interval of the mean of `xs`.
///
/// Used for scores that are not plain pass/fail (partial credit, similarity scores), where no
/// closed-form interval fits. Method: draw `resamples` samples of size `n` with replacement,
/// take each sample's mean, and report the 2.5th and 97.5th percentiles of those means
/// ([`percentile_sorted`], linear interpolation). The generator is a [`StdRng`] seeded with
/// `seed`, so the result is deterministic for a seed.
///
/// Degenerate inputs: an empty slice gives `(0.0, 0.0)` (matching [`mean`]); a single value, all
/// values equal, or `resamples == 0` give `(mean, mean)` since resampling cannot add spread.
pub fn bootstrap_mean_ci(xs: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let m = mean(xs);
    let all_equal = xs.iter().all(|&x| x == xs[0]);
    if all_equal || resamples == 0 {
        return (m, m);
    }
    let n = xs.len() as f64;
    let rows: Vec<[f64; 1]> = xs.iter().map(|&x| [x]).collect();
    let mut means = Vec::with_capacity(resamples);
    resample::resample_sums(&rows, resamples, seed, |[sum]| means.push(sum / n));
    means.sort_by(f64::total_cmp);
    (percentile_sorted(&means, 2.5), percentile_sorted(&means, 97.5))
}

/// The 95% interval reports show around a provider's mean score.
///
/// Picks the method that fits the data: the [`wilson_interval`] when every value is exactly
/// `0.0` or `1.0` (pass/fail, including the empty case, which gives `(0.0, 1.0)`), otherwise
/// [`bootstrap_mean_ci`] with 10 000 resamples and `seed`.
pub fn score_ci(xs: &[f64], seed: u64) -> (f64, f64) {
    if is_binary(xs) {
        let successes = xs.iter().filter(|&&x| x == 1.0).count() as u64;
        wilson_interval(successes, xs.len() as u64)
    } else {
        bootstrap_mean_ci(xs, BOOTSTRAP_RESAMPLES, seed)
    }
}

/// Which significance test produced [`PairedComparison::p_value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairedTest {
    /// Exact two-sided McNemar test (binomial test on discordant pairs); used for 0/1 scores.
    /// Serialized as `mcnemar_exact`.
    #[serde(rename = "mcnemar_exact")]
    McNemarExact,
    /// Two-sided sign-flip permutation test on the paired differences; used for other scores
    /// (exact enumeration for at most 16 pairs, 20 000 random flips otherwise).
    SignFlipPermutation,
    /// No test was run (no pairs).
    None,
}

/// Candidate-versus-baseline comparison over the same tasks, as shown in reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedComparison {
    /// Number of task pairs compared.
    pub n: usize,
    /// Mean of `candidate - baseline` over the pairs (positive: the candidate scores higher).
    pub diff: f64,
    /// 95% paired-bootstrap percentile interval of `diff`.
    pub ci95: (f64, f64),
    /// Two-sided p-value of the test in `test` for "no difference".
    pub p_value: f64,
    /// `mean(candidate) / mean(baseline)`: the share of baseline quality the candidate keeps;
    /// `None` when the baseline mean is 0.
    pub retention: Option<f64>,
    /// Which test produced `p_value`.
    pub test: PairedTest,
    /// 95% paired-bootstrap percentile interval of `retention`, from the same resamples as `ci95`
    /// (see [`bootstrap_ratio_ci`]); `None` when `retention` is.
    pub retention_ci95: Option<(f64, f64)>,
}

/// Compares a candidate's per-task scores against the baseline's on the same tasks.
///
/// `baseline[i]` and `candidate[i]` must be the scores of the *same* task `i` (aligned,
/// same length); the pairing is what makes the comparison sensitive, because per-task
/// difficulty cancels out. If the lengths differ, only the first `min(len)` pairs are used and
/// `n` reports that count.
///
/// - `diff`: mean of the paired differences `candidate - baseline`.
/// - `ci95`: paired bootstrap — task indices are resampled (10 000 times, seeded with `seed`)
///   and the percentile method is applied to the resampled mean differences.
/// - `p_value`: exact two-sided McNemar test when every score is 0 or 1 (only the discordant
///   pairs carry information); otherwise a two-sided sign-flip permutation test on the
///   differences (exact over all `2^n` sign patterns when `n <= 16`, else 20 000 random
///   flips with `p = (hits + 1) / (reps + 1)`).
/// - `retention`: `mean(candidate) / mean(baseline)`, `None` when the baseline mean is 0, and
///   `retention_ci95` its interval from the same resampled task sets as `ci95`.
///
/// With no pairs: `diff = 0`, `ci95 = (0, 0)`, `p_value = 1`, `retention = None`, test `None`.
pub fn compare_paired(baseline: &[f64], candidate: &[f64], seed: u64) -> PairedComparison {
    let n = baseline.len().min(candidate.len());
    if n == 0 {
        return PairedComparison {
            n: 0,
            diff: 0.0,
            ci95: (0.0, 0.0),
            p_value: 1.0,
            retention: None,
            test: PairedTest::None,
            retention_ci95: None,
        };
    }
    let (baseline, candidate) = (&baseline[..n], &candidate[..n]);
    let diffs: Vec<f64> = baseline.iter().zip(candidate).map(|(b, c)| c - b).collect();
    let diff = mean(&diffs);
    let (ci95, retention_ci95) =
        ratio::bootstrap_diff_and_ratio(baseline, candidate, BOOTSTRAP_RESAMPLES, seed);
    let (p_value, test) = if is_binary(baseline) && is_binary(candidate) {
        let lost = baseline.iter().zip(candidate).filter(|&(&b, &c)| b == 1.0 && c == 0.0).count();
        let gained = baseline.iter().zip(candidate).filter(|&(&b, &c)| b == 0.0 && c == 1.0).count();
        (mcnemar_exact(lost as u64, gained as u64), PairedTest::McNemarExact)
    } else {
        (sign_flip_p_value(&diffs, seed), PairedTest::SignFlipPermutation)
    };
    let base_mean = mean(baseline);
    let retention = (base_mean != 0.0).then(|| mean(candidate) / base_mean);
    PairedComparison { n, diff, ci95, p_value, retention, test, retention_ci95 }
}

/// Unbiased pass@k of one task with `n` samples of which `c` passed (Chen et al. 2021, the Codex
/// paper): the chance that at least one of `k` samples drawn without replacement passes,
/// `1 − C(n−c, k) / C(n, k)`, computed as a product so large `n` neither overflows nor cancels.
/// `None` when `k` is 0 or more than `n` (the estimator needs `n ≥ k`).
pub fn pass_at_k(n: u32, c: u32, k: u32) -> Option<f64> {
    if k == 0 || k > n || c > n {
        return None;
    }
    if n - c < k {
        return Some(1.0);
    }
    let all_fail: f64 = (n - c + 1..=n).map(|i| 1.0 - f64::from(k) / f64::from(i)).product();
    Some(1.0 - all_fail)
}

/// Exact two-sided McNemar p-value for `b` and `c` discordant pairs.
///
/// Binomial test of `min(b, c)` successes in `b + c` trials with `p = 0.5`:
/// `p = min(1, 2 * sum_{i=0}^{min(b,c)} C(b+c, i) / 2^(b+c))`, and `1` when `b + c = 0`.
/// Computed in log space (the largest term `C(m, k) / 2^m` from a sum of logarithms, the rest
/// as ratios to it), so `b + c` in the hundreds of thousands neither overflows nor loses
/// precision; results below the smallest positive `f64` come out as `0.0`.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let m = b + c;
    if m == 0 {
        return 1.0;
    }
    let k = b.min(c);
    let m_f = m as f64;
    // ln C(m, k) = sum_{j=1}^{k} ln((m - k + j) / j)
    let ln_choose: f64 = (1..=k).map(|j| ((m - k + j) as f64 / j as f64).ln()).sum();
    let ln_top = ln_choose - m_f * std::f64::consts::LN_2;
    // Sum of C(m, i) / C(m, k) for i = k, k-1, ..., 0: each ratio to the previous is i / (m - i + 1).
    let mut ratio = 1.0_f64;
    let mut sum = 1.0_f64;
    for i in (1..=k).rev() {
        ratio *= i as f64 / (m - i + 1) as f64;
        sum += ratio;
        if ratio < sum * 1e-18 {
            break;
        }
    }
    (2.0 * (ln_top + sum.ln()).exp()).min(1.0)
}

/// Two-sided sign-flip permutation p-value for "the paired differences are centred on 0".
///
/// The statistic is `T = sum(d_i)`; under the null each difference is equally likely to have
/// either sign. Exact enumeration of all `2^n` sign patterns when `n <= 16`
/// (`p = hits / 2^n`, the observed pattern included); otherwise 20 000 random patterns from a
/// [`StdRng`] seeded with `seed` and `p = (hits + 1) / (reps + 1)`. A pattern is a hit when
/// `|T*| >= |T_obs|` (with a tiny tolerance for floating-point ties). All-zero differences give
/// 1, and so do non-finite ones (NaN scores are a bug upstream, never evidence of a difference).
pub fn sign_flip_p_value(diffs: &[f64], seed: u64) -> f64 {
    let n = diffs.len();
    if n == 0 {
        return 1.0;
    }
    let t_obs: f64 = diffs.iter().sum::<f64>().abs();
    if !t_obs.is_finite() {
        return 1.0;
    }
    let scale: f64 = diffs.iter().map(|d| d.abs()).sum();
    let threshold = t_obs - 1e-9 * scale.max(1e-300);
    if n <= EXACT_PERMUTATION_MAX_N {
        let total = 1u32 << n;
        let hits = (0..total)
            .filter(|&mask| {
                let t: f64 =
                    diffs.iter().enumerate().map(|(i, d)| if mask >> i & 1 == 1 { -d } else { *d }).sum();
                t.abs() >= threshold
            })
            .count();
        return hits as f64 / f64::from(total);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut hits = 0usize;
    for _ in 0..PERMUTATION_REPS {
        let mut t = 0.0;
        for chunk in diffs.chunks(64) {
            let bits: u64 = rng.random();
            for (i, d) in chunk.iter().enumerate() {
                t += if bits >> i & 1 == 1 { -d } else { *d };
            }
        }
        if t.abs() >= threshold {
            hits += 1;
        }
    }
    (hits + 1) as f64 / (PERMUTATION_REPS + 1) as f64
}

/// The `p`-th percentile (`p` in `[0, 100]`) of an ascending-sorted slice.
///
/// Linear interpolation between the closest ranks (numpy's default "linear" method): rank
/// `p / 100 * (n - 1)`. Used for small exact sets such as bootstrap distributions and latency
/// lists. `p` outside `[0, 100]` is clamped, a NaN `p` is treated as 0, and an empty slice
/// gives `0.0`. The slice must already be sorted ascending.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 100.0) };
    let rank = p / 100.0 * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let frac = rank - lo as f64;
    match (sorted.get(lo), sorted.get(hi)) {
        (Some(&a), Some(&b)) if lo != hi => a + (b - a) * frac,
        (Some(&a), _) => a,
        _ => sorted[sorted.len() - 1],
    }
}

/// True when every value is exactly 0.0 or 1.0 (pass/fail scores).
fn is_binary(xs: &[f64]) -> bool {
    xs.iter().all(|&x| x == 0.0 || x == 1.0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Independent two-sided binomial tail: Pascal's triangle with each row scaled by 1/2, so
    /// every entry is a probability (no logs, no big integers, no overflow).
    fn mcnemar_by_pascal(b: usize, c: usize) -> f64 {
        let m = b + c;
        let mut row = vec![1.0_f64];
        for _ in 0..m {
            let mut next = vec![0.0; row.len() + 1];
            for (i, v) in row.iter().enumerate() {
                next[i] += v * 0.5;
                next[i + 1] += v * 0.5;
            }
            row = next;
        }
        (2.0 * row[..=b.min(c)].iter().sum::<f64>()).min(1.0)
    }

    #[test]
    fn mean_basic_and_empty() {
        assert_eq!(mean(&[]), 0.0);
        assert_eq!(mean(&[1.0, 0.0, 0.5, 0.5]), 0.5);
    }

    #[test]
    fn wilson_known_values() {
        let (lo, hi) = wilson_interval(8, 10);
        assert!(close(lo, 0.4902, 5e-5), "{lo}");
        assert!(close(hi, 0.9433, 5e-5), "{hi}");
        let (lo, hi) = wilson_interval(0, 10);
        assert_eq!(lo, 0.0);
        assert!(close(hi, 0.2775, 5e-5), "{hi}");
        let (lo, hi) = wilson_interval(10, 10);
        assert!(close(lo, 1.0 - 0.2775, 5e-5), "{lo}");
        assert_eq!(hi, 1.0);
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    }

    #[test]
    fn percentile_numpy_linear() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        assert!(close(percentile_sorted(&xs, 50.0), 2.5, 1e-12));
        assert!(close(percentile_sorted(&xs, 95.0), 3.85, 1e-12));
        assert_eq!(percentile_sorted(&xs, 0.0), 1.0);
        assert_eq!(percentile_sorted(&xs, 100.0), 4.0);
        assert_eq!(percentile_sorted(&xs, 250.0), 4.0);
        assert_eq!(percentile_sorted(&xs, f64::NAN), 1.0);
        assert_eq!(percentile_sorted(&[], 50.0), 0.0);
        assert_eq!(percentile_sorted(&[7.0], 50.0), 7.0);
    }

    #[test]
    fn mcnemar_small_exact() {
        assert_eq!(mcnemar_exact(1, 7), 0.0703125);
        assert_eq!(mcnemar_exact(7, 1), 0.0703125);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        // 2 * (1/2^10) = 0.001953125
        assert!(close(mcnemar_exact(0, 10), 0.001953125, 1e-15));
    }

    #[test]
    fn mcnemar_large_matches_independent_methods() {
        // b + c = 2100; exact rational arithmetic gives 0.030720707864242296.
        let p = mcnemar_exact(1000, 1100);
        let q = mcnemar_by_pascal(1000, 1100);
        assert!(close(p, q, 1e-9), "{p} vs {q}");
        assert!(close(p, 0.0307, 5e-4), "{p}");
        assert!(close(p, 0.030720707864242296, 1e-10), "{p}");
        // b + c = 2000; exact value 0.026824146240280695.
        let p = mcnemar_exact(950, 1050);
        assert!(close(p, mcnemar_by_pascal(950, 1050), 1e-9), "{p}");
        assert!(close(p, 0.026824146240280695, 1e-10), "{p}");
    }

    #[test]
    fn mcnemar_huge_is_finite() {
        assert_eq!(mcnemar_exact(50_000, 50_000), 1.0);
        let p = mcnemar_exact(49_500, 50_500);
        // Normal approximation with continuity correction: z = 999 / sqrt(100000) = 3.159,
        // two-sided p ≈ 0.00158.
        assert!(p.is_finite() && p > 0.0012 && p < 0.0020, "{p}");
        let tiny = mcnemar_exact(0, 100_000);
        assert!(tiny.is_finite() && tiny >= 0.0);
    }

    #[test]
    fn bootstrap_deterministic_and_contains_mean() {
        let xs: Vec<f64> = (0..50).map(|i| (i % 7) as f64 / 7.0).collect();
        let a = bootstrap_mean_ci(&xs, 2_000, 42);
        let b = bootstrap_mean_ci(&xs, 2_000, 42);
        assert_eq!(a, b);
        let m = mean(&xs);
        assert!(a.0 < m && m < a.1, "{a:?} {m}");
        let c = bootstrap_mean_ci(&xs, 2_000, 43);
        assert_ne!(a, c);
    }

    #[test]
    fn bootstrap_degenerate() {
        assert_eq!(bootstrap_mean_ci(&[], 100, 1), (0.0, 0.0));
        assert_eq!(bootstrap_mean_ci(&[0.3], 100, 1), (0.3, 0.3));
        assert_eq!(bootstrap_mean_ci(&[0.5, 0.5, 0.5], 100, 1), (0.5, 0.5));
        assert_eq!(bootstrap_mean_ci(&[0.0, 1.0], 0, 1), (0.5, 0.5));
    }

    #[test]
    fn score_ci_picks_method() {
        assert_eq!(
            score_ci(&[1.0; 8].iter().chain(&[0.0; 2]).copied().collect::<Vec<_>>(), 0),
            wilson_interval(8, 10)
        );
        assert_eq!(score_ci(&[], 0), (0.0, 1.0));
        let xs = [0.2, 0.4, 0.9, 0.5, 0.7];
        assert_eq!(score_ci(&xs, 9), bootstrap_mean_ci(&xs, 10_000, 9));
    }

    #[test]
    fn paired_clear_improvement() {
        let base = vec![0.0; 30];
        let cand = vec![1.0; 30];
        let cmp = compare_paired(&base, &cand, 7);
        assert_eq!(cmp.n, 30);
        assert_eq!(cmp.diff, 1.0);
        assert!(cmp.ci95.0 > 0.0);
        assert!(cmp.p_value < 0.001);
        assert_eq!(cmp.test, PairedTest::McNemarExact);
        assert_eq!(cmp.retention, None);
    }

    #[test]
    fn paired_identical_inputs() {
        let xs = [1.0, 0.0, 1.0, 1.0, 0.0];
        let cmp = compare_paired(&xs, &xs, 1);
        assert_eq!((cmp.diff, cmp.p_value, cmp.ci95), (0.0, 1.0, (0.0, 0.0)));
        assert_eq!(cmp.retention, Some(1.0));
        let ys: Vec<f64> = (0..40).map(|i| (i % 5) as f64 / 5.0).collect();
        let cmp = compare_paired(&ys, &ys, 1);
        assert_eq!((cmp.diff, cmp.p_value), (0.0, 1.0));
        assert_eq!(cmp.test, PairedTest::SignFlipPermutation);
    }

    #[test]
    fn paired_mcnemar_counts_discordant_pairs() {
        // One loss (1 -> 0), seven gains (0 -> 1), two ties.
        let base = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0];
        let cand = [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0];
        let cmp = compare_paired(&base, &cand, 3);
        assert_eq!(cmp.p_value, 0.0703125);
        assert!(close(cmp.diff, 0.6, 1e-12));
        assert!(close(cmp.retention.unwrap(), 4.0, 1e-12));
    }

    #[test]
    fn sign_flip_exact_and_monte_carlo() {
        // 5 positive differences: only the all-plus and all-minus patterns reach |T|, 2/32.
        assert!(close(sign_flip_p_value(&[0.1, 0.2, 0.3, 0.4, 0.5], 0), 2.0 / 32.0, 1e-15));
        assert_eq!(sign_flip_p_value(&[0.1, f64::NAN], 0), 1.0);
        let n = 40;
        let base: Vec<f64> = (0..n).map(|i| 0.3 + (i % 3) as f64 * 0.1).collect();
        let cand: Vec<f64> = base.iter().map(|b| b + 0.25).collect();
        let cmp = compare_paired(&base, &cand, 11);
        assert_eq!(cmp.test, PairedTest::SignFlipPermutation);
        assert!(close(cmp.p_value, 1.0 / 20_001.0, 1e-12));
        assert!(cmp.ci95.0 > 0.2 && cmp.ci95.1 < 0.3);
        // Noise around zero: not significant, and reproducible for a seed.
        let noisy: Vec<f64> =
            base.iter().enumerate().map(|(i, b)| if i % 2 == 0 { b + 0.05 } else { b - 0.05 }).collect();
        let a = compare_paired(&base, &noisy, 5);
        assert!(a.p_value > 0.5, "{}", a.p_value);
        assert_eq!(a, compare_paired(&base, &noisy, 5));
    }

    #[test]
    fn paired_empty_and_mismatched() {
        let cmp = compare_paired(&[], &[], 0);
        assert_eq!(cmp.test, PairedTest::None);
        assert_eq!((cmp.n, cmp.diff, cmp.ci95, cmp.p_value, cmp.retention), (0, 0.0, (0.0, 0.0), 1.0, None));
        assert_eq!(compare_paired(&[1.0, 0.0, 1.0], &[1.0], 0).n, 1);
        let json = serde_json::to_string(&PairedTest::McNemarExact).unwrap();
        assert_eq!(json, "\"mcnemar_exact\"");
    }

    #[test]
    fn pass_at_k_matches_the_binomial_formula() {
        let choose = |n: u64, k: u64| (0..k).fold(1.0, |acc, i| acc * (n as f64 - i as f64) / (i + 1) as f64);
        for (n, c, k) in [(10u32, 3u32, 1u32), (10, 3, 5), (20, 0, 4), (200, 17, 100), (5, 5, 2)] {
            let want = 1.0 - choose(u64::from(n - c), u64::from(k)) / choose(u64::from(n), u64::from(k));
            assert!(close(pass_at_k(n, c, k).unwrap(), want, 1e-9), "n={n} c={c} k={k}");
        }
        // pass@1 is the fraction of passing samples; pass@n is whether any passed.
        assert!(close(pass_at_k(8, 2, 1).unwrap(), 0.25, 1e-12));
        assert_eq!(pass_at_k(8, 1, 8), Some(1.0));
        assert_eq!(pass_at_k(8, 0, 8), Some(0.0));
        assert_eq!(pass_at_k(3, 1, 4), None);
        assert_eq!(pass_at_k(3, 1, 0), None);
    }
}
