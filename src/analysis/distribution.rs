//! Latency and TTFT distributions for the charts: a fixed set of percentiles and a histogram on
//! log-spaced bins, so a long tail is visible next to the median and two providers' histograms share
//! their bin edges.

use serde::Serialize;

use super::stats::percentile_sorted;

/// Bins per decade of the histogram: edges at 10^(k/4), about ×1.78 apart.
pub const BINS_PER_DECADE: i32 = 4;

/// The percentiles every distribution reports, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

/// Counts of values between consecutive edges: bin `i` holds `edges[i] <= v < edges[i + 1]` (the last
/// bin includes its upper edge).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Histogram {
    /// Bin edges in milliseconds, ascending, at 10^(k/4) rounded to 3 significant digits; one more
    /// than `counts`.
    pub edges_ms: Vec<f64>,
    /// Values per bin.
    pub counts: Vec<usize>,
}

/// One provider's latencies (or times to first token).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distribution {
    /// Values measured.
    pub n: usize,
    /// Percentiles (linear interpolation; all 0 when `n` is 0).
    pub percentiles: Spread,
    /// Log-spaced histogram (empty when `n` is 0).
    pub histogram: Histogram,
}

/// The distribution of `values` (milliseconds; non-finite values are dropped).
pub fn distribution(mut values: Vec<f64>) -> Distribution {
    values.retain(|v| v.is_finite());
    values.sort_by(f64::total_cmp);
    let at = |p: f64| percentile_sorted(&values, p);
    Distribution {
        n: values.len(),
        percentiles: Spread {
            p10: at(10.0),
            p25: at(25.0),
            p50: at(50.0),
            p75: at(75.0),
            p90: at(90.0),
            p95: at(95.0),
            p99: at(99.0),
        },
        histogram: histogram(&values),
    }
}

/// Edge `k` of the grid every histogram shares: 10^(k / 4), rounded to 3 significant digits.
fn edge(k: i32) -> f64 {
    let exact = 10f64.powf(f64::from(k) / f64::from(BINS_PER_DECADE));
    let scale = 10f64.powi(2 - exact.log10().floor() as i32);
    (exact * scale).round() / scale
}

/// The grid index of the bin holding `v` (values at or under 0.01 ms fall in the lowest bin).
fn bin_of(v: f64) -> i32 {
    let mut k = (v.max(0.01).log10() * f64::from(BINS_PER_DECADE)).floor() as i32;
    // Rounded edges can sit a hair off the exact powers: settle on the bin whose edges hold `v`.
    while v < edge(k) && k > -8 {
        k -= 1;
    }
    while v >= edge(k + 1) {
        k += 1;
    }
    k
}

/// The histogram of sorted `values` over the grid bins from the smallest value's to the largest's.
fn histogram(sorted: &[f64]) -> Histogram {
    let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
        return Histogram::default();
    };
    let (lo, hi) = (bin_of(first), bin_of(last));
    let mut counts = vec![0usize; (hi - lo + 1) as usize];
    for &v in sorted {
        let i = (bin_of(v).clamp(lo, hi) - lo) as usize;
        counts[i] += 1;
    }
    Histogram { edges_ms: (lo..=hi + 1).map(edge).collect(), counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_log_spaced_and_readable() {
        let edges: Vec<f64> = (0..=4).map(edge).collect();
        assert_eq!(edges, [1.0, 1.78, 3.16, 5.62, 10.0]);
        assert_eq!((edge(8), edge(9), edge(-1)), (100.0, 178.0, 0.562));
    }

    #[test]
    fn percentiles_and_bins_of_a_known_sample() {
        // 1..=100 ms: numpy's linear percentiles are 1 + p/100 * 99.
        let d = distribution((1..=100).map(f64::from).collect());
        assert_eq!(d.n, 100);
        let p = d.percentiles;
        let got = [p.p10, p.p25, p.p50, p.p75, p.p90, p.p95, p.p99];
        let want = [10.9, 25.75, 50.5, 75.25, 90.1, 95.05, 99.01];
        assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-9), "{got:?}");
        // Bins [1, 1.78) [1.78, 3.16) [3.16, 5.62) [5.62, 10) [10, 17.8) ... [56.2, 100) [100, 178).
        let h = &d.histogram;
        assert_eq!(h.edges_ms, [1.0, 1.78, 3.16, 5.62, 10.0, 17.8, 31.6, 56.2, 100.0, 178.0]);
        assert_eq!(h.counts, [1, 2, 2, 4, 8, 14, 25, 43, 1]);
        assert_eq!(h.counts.iter().sum::<usize>(), 100);
    }

    #[test]
    fn nothing_measured_is_empty_not_zero_filled() {
        let d = distribution(vec![f64::NAN]);
        assert_eq!((d.n, d.histogram.counts.len(), d.percentiles.p50), (0, 0, 0.0));
        let one = distribution(vec![0.0]);
        assert_eq!(one.histogram.counts, [1], "zero falls in the lowest bin");
    }
}
