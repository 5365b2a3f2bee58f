//! Number formats every human-readable renderer shares, so the table and the Markdown agree.

use crate::analysis::failures::FailureSummary;
use crate::analysis::{Comparison, Summary};

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

/// Headers of the tool-use breakdown, shared by the table and the Markdown.
pub(crate) const TOOL_USE_HEADERS: [&str; 9] = [
    "category",
    "provider",
    "episodes",
    "turns",
    "calls (× min)",
    "invalid calls",
    "parallel when possible",
    "step limit",
    "tokens / cost per episode",
];

/// One row of the tool-use breakdown; "—" where a figure has no basis.
pub(crate) fn tool_use_cells(t: &crate::analysis::ToolUseSummary, currency: &str) -> [String; 9] {
    let or_dash = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map_or_else(|| "—".to_string(), f);
    [
        t.category.clone(),
        t.provider.clone(),
        t.episodes.to_string(),
        format!("{:.1}", t.mean_turns),
        format!("{:.1} ({})", t.mean_calls, or_dash(t.calls_over_min, &|r| format!("{r:.2}×"))),
        or_dash(t.invalid_rate, &pct),
        or_dash(t.parallel_rate, &pct),
        t.step_limit_hits.to_string(),
        format!("{} / {:.4} {currency}", count(t.tokens_per_episode.round() as u64), t.cost_per_episode),
    ]
}

/// Headers of the long-context breakdown, shared by the table and the Markdown.
pub(crate) const CONTEXT_HEADERS: [&str; 5] =
    ["provider", "effective length", "score by length", "beyond window", "made up (absent)"];

/// A token length as the grid names it: `4k` for 4,096, `1m` for 1,048,576, else the number.
pub(crate) fn length(tokens: u64) -> String {
    match tokens {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{}m", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{}k", n >> 10),
        n => n.to_string(),
    }
}

/// One provider's row of the long-context breakdown, when the run has long-context tasks. A length
/// whose every task was beyond the window shows as such rather than as a score of 0.
pub(crate) fn context_cells(p: &crate::analysis::ProviderSummary) -> Option<[String; 5]> {
    let context = p.context.as_ref()?;
    let effective = match (context.effective_length, context.by_length.first().and_then(|b| b.length)) {
        (Some(n), _) => length(n),
        (None, Some(shortest)) => format!("under {}", length(shortest)),
        (None, None) => "—".into(),
    };
    let by_length: Vec<String> = context
        .by_length
        .iter()
        .map(|b| {
            let at = b.length.map_or_else(String::new, length);
            if b.exceeded == b.tasks && b.tasks > 0 {
                format!("{at} beyond window")
            } else {
                format!("{at} {}", score(b.score, b.scored))
            }
        })
        .collect();
    Some([
        p.name.clone(),
        effective,
        by_length.join(", "),
        p.context_exceeded.to_string(),
        context.absent.as_ref().map_or("—".into(), |a| format!("{} of {}", a.hallucinated, a.answers)),
    ])
}

/// Retention with its paired-bootstrap CI, `75.0% [40.0, 100.0]`; "—" when undefined.
pub(crate) fn retention(c: &Comparison) -> String {
    match (c.retention, c.retention_ci95) {
        (Some(r), Some(interval)) => format!("{} {}", pct(r), ci(interval)),
        (Some(r), None) => pct(r),
        (None, _) => "—".into(),
    }
}

/// What a comparison covers: `all`, a suite, a family, a category or a haystack length.
pub(crate) fn comparison_label(c: &Comparison) -> String {
    match (&c.family, &c.category, c.length) {
        (Some(family), _, _) => format!("family {family}"),
        (_, Some(category), _) => format!("category {category}"),
        (_, _, Some(tokens)) => format!("length {}", length(tokens)),
        _ if c.suite == "all" => "all tasks".into(),
        _ => format!("suite {}", c.suite),
    }
}

/// Every comparison of the summary, the overall ones first.
fn all_comparisons(summary: &Summary) -> impl Iterator<Item = &Comparison> {
    summary
        .comparisons
        .iter()
        .chain(&summary.family_comparisons)
        .chain(&summary.category_comparisons)
        .chain(&summary.length_comparisons)
}

/// One line per candidate naming the comparisons too small to detect a 5-point difference, with
/// their minimum detectable difference; none when every comparison could.
pub(crate) fn power_notes(summary: &Summary) -> Vec<String> {
    let mut notes = Vec::new();
    for p in summary.providers.iter().filter(|p| p.name != summary.baseline) {
        let weak: Vec<String> = all_comparisons(summary)
            .filter(|c| c.candidate == p.name && c.underpowered && c.n_paired > 0)
            .map(|c| match c.mdd {
                Some(mdd) => format!("{} (n={}, MDD {:.1} pt)", comparison_label(c), c.n_paired, mdd * 100.0),
                None => format!("{} (n={})", comparison_label(c), c.n_paired),
            })
            .collect();
        if !weak.is_empty() {
            notes.push(format!("{}: {}", p.name, weak.join(", ")));
        }
    }
    notes
}

/// The sentence before the power notes.
pub(crate) const POWER_NOTE: &str = "Too few tasks to detect a 5-point difference at 80% power (two-sided α = 0.05; MDD: the minimum detectable difference)";

/// The sentence that says what Holm's correction covers.
pub(crate) const HOLM_NOTE: &str = "p (Holm): p-values corrected with Holm's method across each candidate's breakdowns (per suite, family, category and length); the overall comparison is not corrected.";

/// What one solved task cost a provider, `0.0120 USD`; "—" when nothing passed or it has no price.
pub(crate) fn cost_per_solved(p: &crate::analysis::ProviderSummary) -> String {
    p.cost_per_solved.map_or("—".into(), |c| format!("{c:.4} {}", p.currency))
}

/// Headers of the failure taxonomy, shared by the table and the Markdown.
pub(crate) const FAILURE_HEADERS: [&str; 4] =
    ["provider", "suite", "infrastructure (not scored)", "capability (scored as failed)"];

/// Class counts as `rate_limited 2, timeout 1`; "—" for none.
fn classes(counts: &std::collections::BTreeMap<String, usize>) -> String {
    if counts.is_empty() {
        return "—".into();
    }
    counts.iter().map(|(class, n)| format!("{class} {n}")).collect::<Vec<_>>().join(", ")
}

/// One row of the failure taxonomy: totals out of the items, then the classes.
pub(crate) fn failure_cells(f: &FailureSummary) -> [String; 4] {
    let kind = |total: usize, counts| {
        if total == 0 {
            format!("0 of {}", f.items)
        } else {
            format!("{total} of {}: {}", f.items, classes(counts))
        }
    };
    [
        f.provider.clone(),
        f.suite.clone(),
        kind(f.infrastructure_total, &f.infrastructure),
        kind(f.capability_total, &f.capability),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_named_as_the_grid_names_them() {
        let named: Vec<String> = [4096, 131_072, 1_048_576, 1000, 6144].into_iter().map(length).collect();
        assert_eq!(named, ["4k", "128k", "1m", "1000", "6k"]);
    }
}
