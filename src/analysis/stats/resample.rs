//! Bootstrap resampling, fast where scores take few values.
//!
//! A bootstrap resample draws n rows with replacement and sums them. Pass/fail scores make at most
//! four distinct (baseline, candidate) rows, so a resample is a multinomial draw of how many times
//! each distinct row is taken: a few binomial draws instead of n uniform ones. At 50,000 tasks and
//! 10,000 resamples that is the difference between seconds and milliseconds per comparison; the
//! distribution of the sums is the same. Data with many distinct rows is drawn row by row.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Binomial, Distribution};

/// Distinct rows beyond which resampling draws row by row.
const MAX_GROUPS: usize = 16;

/// The column sums of `resamples` bootstrap resamples of `rows`, from a [`StdRng`] seeded with `seed`,
/// handed to `each` in order. Deterministic for the same rows (in the same order) and seed.
pub(super) fn resample_sums<const K: usize>(
    rows: &[[f64; K]],
    resamples: usize,
    seed: u64,
    mut each: impl FnMut([f64; K]),
) {
    let n = rows.len();
    if n == 0 {
        return;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    match groups(rows) {
        Some(groups) => {
            let mut counts = vec![0u64; groups.len()];
            for _ in 0..resamples {
                multinomial(&groups, n as u64, &mut counts, &mut rng);
                let mut sums = [0.0; K];
                for ((row, _), &taken) in groups.iter().zip(&counts) {
                    for (sum, value) in sums.iter_mut().zip(row) {
                        *sum += value * taken as f64;
                    }
                }
                each(sums);
            }
        }
        None => {
            for _ in 0..resamples {
                let mut sums = [0.0; K];
                for _ in 0..n {
                    let row = &rows[rng.random_range(0..n)];
                    for (sum, value) in sums.iter_mut().zip(row) {
                        *sum += value;
                    }
                }
                each(sums);
            }
        }
    }
}

/// The distinct rows in order of first appearance, with how often each occurs; `None` past
/// [`MAX_GROUPS`].
fn groups<const K: usize>(rows: &[[f64; K]]) -> Option<Vec<([f64; K], u64)>> {
    let mut groups: Vec<([f64; K], u64)> = Vec::new();
    for row in rows {
        if let Some((_, count)) = groups.iter_mut().find(|(seen, _)| seen == row) {
            *count += 1;
        } else if groups.len() < MAX_GROUPS {
            groups.push((*row, 1));
        } else {
            return None;
        }
    }
    Some(groups)
}

/// Draw how many of `n` picks land in each group, each picked in proportion to its size: binomial
/// draws on what is left, group by group.
fn multinomial<const K: usize>(groups: &[([f64; K], u64)], n: u64, counts: &mut [u64], rng: &mut StdRng) {
    let mut left = n;
    let mut weight_left: u64 = groups.iter().map(|(_, w)| w).sum();
    for (i, (_, weight)) in groups.iter().enumerate() {
        counts[i] = if i + 1 == groups.len() || left == 0 {
            left
        } else {
            let p = *weight as f64 / weight_left as f64;
            Binomial::new(left, p.clamp(0.0, 1.0)).map_or(0, |b| b.sample(rng))
        };
        left -= counts[i];
        weight_left -= weight;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mean_and_sd(rows: &[[f64; 1]], resamples: usize) -> (f64, f64) {
        let mut means = Vec::new();
        resample_sums(rows, resamples, 7, |[s]| means.push(s / rows.len() as f64));
        let m = means.iter().sum::<f64>() / means.len() as f64;
        let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / means.len() as f64;
        (m, var.sqrt())
    }

    #[test]
    fn grouped_draws_have_the_bootstrap_distribution_of_the_mean() {
        // 30% ones: the resampled mean has mean 0.3 and sd sqrt(0.3 * 0.7 / n).
        let rows: Vec<[f64; 1]> = (0..1000).map(|i| [f64::from(u8::from(i % 10 < 3))]).collect();
        let (m, sd) = mean_and_sd(&rows, 20_000);
        assert!((m - 0.3).abs() < 0.002, "{m}");
        assert!((sd - (0.21f64 / 1000.0).sqrt()).abs() < 0.001, "{sd}");
        // Many distinct values take the row-by-row path, with the same distribution.
        let rows: Vec<[f64; 1]> = (0..1000).map(|i| [f64::from(i % 100) / 100.0]).collect();
        let (m, sd) = mean_and_sd(&rows, 5_000);
        let var: f64 = rows.iter().map(|[x]| (x - 0.495).powi(2)).sum::<f64>() / 1000.0;
        assert!((m - 0.495).abs() < 0.003 && (sd - (var / 1000.0).sqrt()).abs() < 0.001, "{m} {sd}");
    }

    #[test]
    fn every_pick_is_counted_and_the_draws_repeat_with_the_seed() {
        let rows = [[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let mut first = Vec::new();
        resample_sums(&rows, 50, 3, |s| first.push(s));
        let mut again = Vec::new();
        resample_sums(&rows, 50, 3, |s| again.push(s));
        assert_eq!(first, again);
        let mut counted = 0;
        resample_sums(&[[1.0], [1.0], [1.0]], 10, 1, |[s]| {
            counted += 1;
            assert_eq!(s, 3.0);
        });
        assert_eq!(counted, 10);
    }
}
