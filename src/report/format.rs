//! Number formats every human-readable renderer shares, so the table and the Markdown agree.

/// A score in [0, 1] as a percentage; "—" for a group with nothing scored.
pub(crate) fn score(x: f64, scored: usize) -> String {
    if scored == 0 { "—".into() } else { pct(x) }
}

/// A group's score with its CI ("—" alone when nothing was scored).
pub(crate) fn score_with_ci(x: f64, ci95: [f64; 2], scored: usize) -> String {
    format!("{} {}", score(x, scored), if scored > 0 { ci(ci95) } else { String::new() })
}

/// A fraction as a percentage with one decimal.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A 95% CI of a fraction, in percentage points.
pub(crate) fn ci(ci: [f64; 2]) -> String {
    format!("[{:.1}, {:.1}]", ci[0] * 100.0, ci[1] * 100.0)
}

/// A p-value, floored at 0.001.
pub(crate) fn p_value(p: f64) -> String {
    if p < 0.001 { "<0.001".into() } else { format!("{p:.3}") }
}

/// A difference of fractions in points, signed.
pub(crate) fn points(diff: f64) -> String {
    format!("{:+.1} pt", diff * 100.0)
}

/// A token count, shortened.
pub(crate) fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.2}M", n as f64 / 1e6),
    }
}

/// Milliseconds, in seconds past ten of them.
pub(crate) fn ms(x: f64) -> String {
    if x >= 10_000.0 { format!("{:.1}s", x / 1000.0) } else { format!("{x:.0}ms") }
}
