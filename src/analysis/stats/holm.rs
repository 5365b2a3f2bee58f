//! Holm's step-down correction, for the many paired comparisons a report makes against one baseline.

/// Holm–Bonferroni adjusted p-values of `p_values`, in the same order.
///
/// Every breakdown of a report (per suite, family, category, length) is one more test of "the
/// candidate scores like the baseline"; with enough of them one comes out under 0.05 by chance.
/// Holm (1979) controls the chance of any false positive among the `m` tests (the family-wise error
/// rate) without assuming independence, and is uniformly more powerful than Bonferroni: sort the
/// p-values ascending, multiply the i-th smallest (1-based) by `m - i + 1`, carry the running maximum
/// so adjusted values keep the order of the raw ones, and cap at 1. A NaN p-value counts as 1.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let clean = |p: f64| if p.is_nan() { 1.0 } else { p.clamp(0.0, 1.0) };
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| clean(p_values[a]).total_cmp(&clean(p_values[b])));
    let mut adjusted = vec![1.0; m];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        let scaled = (clean(p_values[i]) * (m - rank) as f64).min(1.0);
        running = running.max(scaled);
        adjusted[i] = running;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn matches_r_p_adjust_on_a_known_vector() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        let got = holm(&[0.01, 0.04, 0.03, 0.005]);
        assert!(close(&got, &[0.03, 0.06, 0.06, 0.02]), "{got:?}");
        // R: p.adjust(c(0.2, 0.001, 0.5, 0.04, 0.9), "holm") = 0.6 0.005 1 0.16 1
        let got = holm(&[0.2, 0.001, 0.5, 0.04, 0.9]);
        assert!(close(&got, &[0.6, 0.005, 1.0, 0.16, 1.0]), "{got:?}");
    }

    #[test]
    fn one_test_is_left_alone_and_edge_values_are_tamed() {
        assert_eq!(holm(&[0.037]), vec![0.037]);
        assert!(holm(&[]).is_empty());
        // Ties keep equal adjusted values; NaN is treated as "no evidence".
        assert!(close(&holm(&[0.01, 0.01, f64::NAN]), &[0.03, 0.03, 1.0]));
    }
}
