//! How large a difference a paired comparison could have detected: the minimum detectable
//! difference (MDD) at 80% power and two-sided alpha 0.05, so a report can say when a suite is too
//! small to tell a 5-point gap from noise instead of letting "not significant" read as "the same".

use super::{Z95, mean};

/// The power a minimum detectable difference is computed for.
pub const POWER: f64 = 0.80;

/// The standard normal quantile of [`POWER`] (z at 0.80), the `z_β` of power calculations.
const Z_POWER: f64 = 0.841_621_233_572_914_3;

/// The two-sided significance level of the tests, the `α` of power calculations.
pub const ALPHA: f64 = 0.05;

/// The difference a report must be able to detect, in score points (0.05: five points); a comparison
/// whose MDD is larger is flagged as underpowered.
pub const TARGET_DIFFERENCE: f64 = 0.05;

/// The fewest discordant pairs with which the exact two-sided McNemar test can reach `ALPHA` at all:
/// every one in the same direction gives `p = 2 / 2^m`, so `m` is the least with `2 / 2^m <= ALPHA`
/// (6 at 0.05: p = 0.03125).
fn fewest_discordant_for_significance() -> usize {
    (1..64).find(|&m| 2.0 * 0.5_f64.powi(m) <= ALPHA).map_or(64, |m| m as usize)
}

/// Minimum detectable difference of a paired comparison of 0/1 scores: the smallest `|p01 - p10|`
/// that the exact McNemar test detects with 80% power at two-sided alpha 0.05, given `n` paired tasks
/// of which `discordant` had different outcomes. `None` without pairs.
///
/// Method: the discordant-pair approach of McNemar's power (Connor 1987, Biometrics 43:207–211):
/// `n = (z_{1-α/2} √ψ + z_{1-β} √(ψ − δ²))² / δ²`, solved for `δ` by bisection, where `ψ` is the share
/// of discordant pairs: the observed share, and at least `δ` itself (a difference of `δ` needs at least
/// that share of discordant pairs, so a sample with none still gets a finite, honest MDD). The MDD is
/// never below `6 / n` at alpha 0.05: the exact test cannot reject with fewer than 6 discordant pairs,
/// however lopsided. Capped at 1.
pub fn mcnemar_mdd(n: usize, discordant: usize) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let observed = discordant.min(n) as f64 / n_f;
    // Positive while `δ` is too small to detect with `n` pairs, negative once it is detectable; it
    // changes sign once on (0, 1] (see the module tests), so bisection finds the crossing.
    let shortfall = |delta: f64| {
        let psi = observed.max(delta);
        Z95 * psi.sqrt() + Z_POWER * (psi - delta * delta).max(0.0).sqrt() - delta * n_f.sqrt()
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    if shortfall(hi) > 0.0 {
        return Some(1.0);
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if shortfall(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let floor = fewest_discordant_for_significance() as f64 / n_f;
    Some(hi.max(floor).min(1.0))
}

/// Minimum detectable difference of a paired comparison of scores that are not all 0/1 (partial
/// credit): the normal approximation on the paired differences, `(z_{1-α/2} + z_{1-β}) · s / √n`
/// with `s` the sample standard deviation of the differences. `None` with fewer than 2 pairs.
pub fn paired_mdd(diffs: &[f64]) -> Option<f64> {
    let n = diffs.len();
    if n < 2 {
        return None;
    }
    let m = mean(diffs);
    let variance = diffs.iter().map(|d| (d - m) * (d - m)).sum::<f64>() / (n - 1) as f64;
    Some(((Z95 + Z_POWER) * variance.sqrt() / (n as f64).sqrt()).min(1.0))
}

/// The MDD of a comparison of `baseline` and `candidate` (aligned task scores): McNemar's
/// discordant-pair MDD when every score is 0 or 1, else the normal approximation. `None` when there
/// are too few pairs to say.
pub fn minimum_detectable_difference(baseline: &[f64], candidate: &[f64]) -> Option<f64> {
    let n = baseline.len().min(candidate.len());
    let (baseline, candidate) = (&baseline[..n], &candidate[..n]);
    if super::is_binary(baseline) && super::is_binary(candidate) {
        let discordant = baseline.iter().zip(candidate).filter(|(b, c)| b != c).count();
        mcnemar_mdd(n, discordant)
    } else {
        let diffs: Vec<f64> = baseline.iter().zip(candidate).map(|(b, c)| c - b).collect();
        paired_mdd(&diffs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Connor's sample size for a difference `delta` at discordant share `psi`.
    fn connor_n(psi: f64, delta: f64) -> f64 {
        (Z95 * psi.sqrt() + Z_POWER * (psi - delta * delta).sqrt()).powi(2) / (delta * delta)
    }

    #[test]
    fn connors_formula_by_hand() {
        // psi = 0.2, delta = 0.1: (1.959964 * 0.447214 + 0.841621 * 0.435890)^2 / 0.01
        //   = (0.876523 + 0.366854)^2 / 0.01 = 1.243377^2 / 0.01 = 154.599
        assert!((connor_n(0.2, 0.1) - 154.599).abs() < 0.01, "{}", connor_n(0.2, 0.1));
        // So 155 pairs with 31 discordant (psi = 0.2) detect about 10 points, and no less.
        let mdd = mcnemar_mdd(155, 31).unwrap();
        assert!((mdd - 0.1).abs() < 5e-4, "{mdd}");
        assert!((connor_n(0.2, mdd) - 155.0).abs() < 1e-6, "the MDD solves the formula for n");
    }

    #[test]
    fn five_points_need_about_155_tasks_even_when_every_disagreement_goes_one_way() {
        // With psi = delta = 0.05: (1.959964 * 0.223607 + 0.841621 * 0.217945)^2 / 0.0025 = 154.599.
        assert!((connor_n(0.05, 0.05) - 154.599).abs() < 0.01);
        assert!(mcnemar_mdd(154, 0).unwrap() > TARGET_DIFFERENCE);
        assert!(mcnemar_mdd(155, 0).unwrap() <= TARGET_DIFFERENCE);
        // More disagreement needs more tasks: 300 tasks with 20% discordant pairs detect ~7 points.
        let mdd = mcnemar_mdd(300, 60).unwrap();
        assert!((connor_n(0.2, mdd) - 300.0).abs() < 1e-6 && mdd > 0.07 && mdd < 0.073, "{mdd}");
    }

    #[test]
    fn a_small_sample_is_floored_at_what_the_exact_test_can_reject() {
        assert_eq!(fewest_discordant_for_significance(), 6);
        // 10 identical answers: 10 δ² = (1.959964 √δ + 0.841621 √(δ − δ²))² at δ = 0.61584 (both
        // sides 3.79256), above the 6 / 10 no exact test could go under.
        let mdd = mcnemar_mdd(10, 0).unwrap();
        assert!((mdd - 0.61584).abs() < 1e-5, "{mdd}");
        assert_eq!(mcnemar_mdd(5, 1), Some(1.0), "6 / 5 discordant pairs: capped at 1");
        assert_eq!(mcnemar_mdd(3, 1), Some(1.0), "three tasks can detect nothing");
        assert_eq!(mcnemar_mdd(0, 0), None);
        let big = mcnemar_mdd(100_000, 0).unwrap();
        assert!(big > 0.0 && big < 0.001, "{big}");
    }

    #[test]
    fn partial_credit_uses_the_normal_approximation() {
        // Differences 0.1, 0.3, 0.1, 0.3: mean 0.2, sample sd sqrt(0.04 / 3) = 0.11547;
        // (1.959964 + 0.841621) * 0.11547 / 2 = 0.161749.
        let mdd = paired_mdd(&[0.1, 0.3, 0.1, 0.3]).unwrap();
        assert!((mdd - 0.161749).abs() < 1e-5, "{mdd}");
        assert_eq!(paired_mdd(&[0.4]), None);
        let mdd = minimum_detectable_difference(&[0.5, 0.5, 0.5, 0.5], &[0.6, 0.8, 0.6, 0.8]).unwrap();
        assert!((mdd - 0.161749).abs() < 1e-5, "{mdd}");
        assert_eq!(minimum_detectable_difference(&[1.0; 10], &[1.0; 10]), mcnemar_mdd(10, 0));
    }
}
