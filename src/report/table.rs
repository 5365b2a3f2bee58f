//! The terminal comparison table: one row per provider, the baseline first, with the paired gap to the
//! baseline; then, when the run has them, one row per suite, per family, per category, the tool-use
//! and long-context breakdowns, and the failure taxonomy.

use comfy_table::{Cell, CellAlignment, Color};

use super::format::{
    CONTEXT_HEADERS, FAILURE_HEADERS, HOLM_NOTE, POWER_NOTE, TOOL_USE_HEADERS, ci, context_cells,
    cost_per_solved, count, failure_cells, ms, p_value, pct, points, power_notes, score_with_ci,
    tool_use_cells,
};
use super::layout::{Column, Fitted, Layout, Rendered, fit, wrap_text};
use crate::analysis::{Comparison, PairedTest, Summary};
use crate::core::Vote;

/// Render the summary as text tables laid out for `layout` (at a width, the least important columns
/// are hidden first: see the `*_COLUMNS` lists); `color` adds colour to significant gaps.
pub fn render(summary: &Summary, layout: Layout, color: bool) -> Rendered {
    let mut tables = vec![providers_table(summary, layout, color)];
    if summary.suites.iter().map(|s| &s.suite).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        tables.push(suites_table(summary, layout));
    }
    if !summary.family_comparisons.is_empty() {
        tables.push(families_table(summary, layout));
    }
    if !summary.categories.is_empty() {
        tables.push(categories_table(summary, layout));
    }
    if !summary.tool_use.is_empty() {
        tables.push(tool_use_table(summary, layout));
    }
    if summary.providers.iter().any(|p| p.context.is_some()) {
        tables.push(context_table(summary, layout));
    }
    if summary.failures.iter().any(|f| f.infrastructure_total + f.capability_total > 0) {
        tables.push(failures_table(summary, layout));
    }
    let hidden = tables.iter().map(|t| t.hidden).sum();
    let mut text = tables.iter().map(|t| t.table.to_string()).collect::<Vec<_>>().join("\n\n");
    text.push('\n');
    text.push_str(&wrap_text(&footnote(summary), layout.width()));
    Rendered { text, hidden }
}

/// Shorthand for a column of the tables below.
const fn col(header: &'static str, hide_rank: u8) -> Column {
    Column { header, hide_rank }
}

/// The providers table. Always shown: provider, score, Δ, retention and cost; hidden first at a width:
/// cost per solved task, retention's CI, TTFT, tokens, latency, model, infrastructure errors, then p.
const PROVIDER_COLUMNS: [Column; 13] = [
    col("provider", 0),
    col("model", 3),
    col("score [95% CI]", 0),
    col("Δ vs baseline [95% CI]", 0),
    col("p", 1),
    col("retention", 0),
    col("retention 95% CI", 7),
    col("infra err", 2),
    col("tokens in / out", 5),
    col("cost", 0),
    col("cost / solved", 8),
    col("latency p50 / p95", 4),
    col("TTFT p50", 6),
];

/// The per-suite table: suite, provider, score and Δ always; p (Holm), family, tasks, then p hidden
/// first.
const SUITE_COLUMNS: [Column; 8] = [
    col("suite", 0),
    col("family", 3),
    col("provider", 0),
    col("tasks", 2),
    col("score [95% CI]", 0),
    col("Δ vs baseline", 0),
    col("p", 1),
    col("p (Holm)", 4),
];

/// The per-family comparisons: family, candidate and Δ always; p (Holm), retention, then p hidden
/// first.
const FAMILY_COLUMNS: [Column; 6] = [
    col("family", 0),
    col("candidate", 0),
    col("Δ vs baseline", 0),
    col("p", 1),
    col("p (Holm)", 3),
    col("retention", 2),
];

/// The per-category table: category, provider, score and Δ always; p (Holm), tasks, p, then
/// retention hidden first.
const CATEGORY_COLUMNS: [Column; 8] = [
    col("category", 0),
    col("provider", 0),
    col("tasks", 3),
    col("score [95% CI]", 0),
    col("Δ vs baseline", 0),
    col("p", 2),
    col("p (Holm)", 4),
    col("retention", 1),
];

/// The failure taxonomy: provider and both kinds always; the suite hidden first.
const FAILURE_COLUMNS: [Column; 4] = [
    col(FAILURE_HEADERS[0], 0),
    col(FAILURE_HEADERS[1], 1),
    col(FAILURE_HEADERS[2], 0),
    col(FAILURE_HEADERS[3], 0),
];

fn all_suites<'a>(summary: &'a Summary, candidate: &str) -> Option<&'a Comparison> {
    summary.comparisons.iter().find(|c| c.candidate == candidate && c.suite == "all")
}

fn providers_table(summary: &Summary, layout: Layout, color: bool) -> Fitted {
    let mut rows = Vec::with_capacity(summary.providers.len());
    for p in &summary.providers {
        let gap = all_suites(summary, &p.name);
        let (delta, p_value, retention, retention_ci) = match gap {
            Some(c) if c.n_paired > 0 => {
                let text = format!("{} {} (n={})", points(c.diff), ci(c.ci95), c.n_paired);
                let mut cell = Cell::new(text);
                if color && c.p_value < 0.05 {
                    cell = cell.fg(if c.diff < 0.0 { Color::Red } else { Color::Green });
                }
                (
                    cell,
                    p_value(c.p_value),
                    c.retention.map_or("—".into(), pct),
                    c.retention_ci95.map_or("—".into(), ci),
                )
            }
            Some(_) => (Cell::new("no paired tasks"), "—".into(), "—".into(), "—".into()),
            None => (Cell::new("(baseline)"), String::new(), String::new(), String::new()),
        };
        let estimated = if p.usage_estimated > 0 { " (est.)" } else { "" };
        let tokens = if p.reasoning_tokens > 0 {
            format!(
                "{} / {} ({} reasoning)",
                count(p.input_tokens),
                count(p.output_tokens),
                count(p.reasoning_tokens)
            )
        } else {
            format!("{} / {}", count(p.input_tokens), count(p.output_tokens))
        } + estimated;
        let cost =
            if p.priced { format!("{:.4} {}{estimated}", p.cost, p.currency) } else { "no price".into() };
        let ttft = if p.ttft_ms.p50 > 0.0 { ms(p.ttft_ms.p50) } else { "—".into() };
        rows.push(vec![
            Cell::new(&p.name),
            Cell::new(&p.model),
            Cell::new(if p.scored == 0 {
                format!("— (0/{})", p.tasks)
            } else {
                format!("{} {} ({}/{})", pct(p.score), ci(p.ci95), p.passed, p.scored)
            }),
            delta,
            Cell::new(p_value).set_alignment(CellAlignment::Right),
            Cell::new(retention).set_alignment(CellAlignment::Right),
            Cell::new(retention_ci),
            Cell::new(p.infra_errors).set_alignment(CellAlignment::Right),
            Cell::new(tokens),
            Cell::new(cost).set_alignment(CellAlignment::Right),
            Cell::new(cost_per_solved(p)).set_alignment(CellAlignment::Right),
            Cell::new(format!("{} / {}", ms(p.latency_ms.p50), ms(p.latency_ms.p95))),
            Cell::new(ttft).set_alignment(CellAlignment::Right),
        ]);
    }
    fit(&PROVIDER_COLUMNS, rows, layout)
}

fn suites_table(summary: &Summary, layout: Layout) -> Fitted {
    let mut rows = Vec::with_capacity(summary.suites.len());
    for s in &summary.suites {
        let gap = summary.comparisons.iter().find(|c| c.candidate == s.provider && c.suite == s.suite);
        let [delta, p, holm, _] = gap_cells(gap);
        rows.push(cells([
            s.suite.clone(),
            s.family.clone(),
            s.provider.clone(),
            format!("{}/{}", s.scored, s.tasks),
            score_with_ci(s.score, s.ci95, s.scored),
            delta,
            p,
            holm,
        ]));
    }
    fit(&SUITE_COLUMNS, rows, layout)
}

/// Δ with its CI, p, Holm's p and retention of a breakdown comparison; the baseline's own row when
/// there is none.
fn gap_cells(gap: Option<&Comparison>) -> [String; 4] {
    match gap {
        Some(c) if c.n_paired > 0 => [
            format!("{} {}", points(c.diff), ci(c.ci95)),
            p_value(c.p_value),
            p_value(c.p_holm),
            c.retention.map_or("—".into(), pct),
        ],
        Some(_) => ["—".into(), "—".into(), "—".into(), "—".into()],
        None => ["(baseline)".into(), String::new(), String::new(), String::new()],
    }
}

fn families_table(summary: &Summary, layout: Layout) -> Fitted {
    let rows = summary
        .family_comparisons
        .iter()
        .map(|c| {
            let [delta, p, holm, retention] = gap_cells(Some(c));
            cells([c.family.clone().unwrap_or_default(), c.candidate.clone(), delta, p, holm, retention])
        })
        .collect();
    fit(&FAMILY_COLUMNS, rows, layout)
}

fn failures_table(summary: &Summary, layout: Layout) -> Fitted {
    let rows = summary.failures.iter().map(|f| cells(failure_cells(f))).collect();
    fit(&FAILURE_COLUMNS, rows, layout)
}

fn categories_table(summary: &Summary, layout: Layout) -> Fitted {
    let mut rows = Vec::with_capacity(summary.categories.len());
    for c in &summary.categories {
        let gap = summary
            .category_comparisons
            .iter()
            .find(|g| g.candidate == c.provider && g.category.as_deref() == Some(c.category.as_str()));
        let [delta, p, holm, retention] = gap_cells(gap);
        rows.push(cells([
            c.category.clone(),
            c.provider.clone(),
            format!("{}/{}", c.scored, c.tasks),
            score_with_ci(c.score, c.ci95, c.scored),
            delta,
            p,
            holm,
            retention,
        ]));
    }
    fit(&CATEGORY_COLUMNS, rows, layout)
}

/// How episodes used their tools. Always shown: category, provider, calls, invalid calls.
const TOOL_USE_COLUMNS: [Column; 9] = [
    col(TOOL_USE_HEADERS[0], 0),
    col(TOOL_USE_HEADERS[1], 0),
    col(TOOL_USE_HEADERS[2], 4),
    col(TOOL_USE_HEADERS[3], 3),
    col(TOOL_USE_HEADERS[4], 0),
    col(TOOL_USE_HEADERS[5], 0),
    col(TOOL_USE_HEADERS[6], 2),
    col(TOOL_USE_HEADERS[7], 1),
    col(TOOL_USE_HEADERS[8], 5),
];

fn tool_use_table(summary: &Summary, layout: Layout) -> Fitted {
    let currency = |name: &str| summary.providers.iter().find(|p| p.name == name).map_or("", |p| &p.currency);
    let rows = summary.tool_use.iter().map(|t| cells(tool_use_cells(t, currency(&t.provider)))).collect();
    fit(&TOOL_USE_COLUMNS, rows, layout)
}

/// The long-context breakdown: provider, effective length and the scores by length always; the
/// count beyond the window, then the made-up answers, hidden first.
const CONTEXT_COLUMNS: [Column; 5] = [
    col(CONTEXT_HEADERS[0], 0),
    col(CONTEXT_HEADERS[1], 0),
    col(CONTEXT_HEADERS[2], 0),
    col(CONTEXT_HEADERS[3], 2),
    col(CONTEXT_HEADERS[4], 1),
];

fn context_table(summary: &Summary, layout: Layout) -> Fitted {
    let rows = summary.providers.iter().filter_map(context_cells).map(cells).collect();
    fit(&CONTEXT_COLUMNS, rows, layout)
}

fn cells<const N: usize>(texts: [String; N]) -> Vec<Cell> {
    texts.into_iter().map(Cell::new).collect()
}

fn footnote(summary: &Summary) -> String {
    let mut note = format!(
        "baseline: {}. Scores are means over scored tasks; Δ is paired over tasks both answered (bootstrap CI, {} p-value); retention = candidate / baseline score.",
        summary.baseline,
        if summary.comparisons.iter().all(|c| c.test == PairedTest::McNemarExact) {
            "exact McNemar"
        } else {
            "McNemar or sign-flip permutation"
        },
    );
    let breakdowns = summary.comparisons.iter().any(|c| c.suite != "all")
        || !summary.family_comparisons.is_empty()
        || !summary.category_comparisons.is_empty()
        || !summary.length_comparisons.is_empty();
    if breakdowns {
        note.push('\n');
        note.push_str(HOLM_NOTE);
    }
    let power = power_notes(summary);
    if !power.is_empty() {
        note.push_str(&format!("\n{POWER_NOTE}: {}", power.join("; ")));
    }
    let failures: Vec<String> = summary
        .providers
        .iter()
        .filter(|p| p.infra_errors > 0)
        .map(|p| {
            let classes: Vec<String> = p.errors_by_class.iter().map(|(c, n)| format!("{c} {n}")).collect();
            format!("{}: {}", p.name, classes.join(", "))
        })
        .collect();
    if !failures.is_empty() {
        note.push_str(&format!("\ninfrastructure failures (not scored): {}", failures.join("; ")));
    }
    for p in summary.providers.iter().filter(|p| p.context_exceeded > 0) {
        note.push_str(&format!(
            "\n{}: {} tasks beyond its context window (scored as failures, not infrastructure errors)",
            p.name, p.context_exceeded
        ));
    }
    for p in summary.providers.iter().filter(|p| p.not_attempted > 0) {
        note.push_str(&format!(
            "\n{}: {} of {} items not attempted ({})",
            p.name,
            p.not_attempted,
            p.items,
            p.not_attempted_why.as_deref().unwrap_or("not sent")
        ));
    }
    let pass_at_k: Vec<String> = summary
        .providers
        .iter()
        .filter(|p| !p.pass_at_k.is_empty())
        .map(|p| {
            let ks: Vec<String> = p.pass_at_k.iter().map(|(k, v)| format!("pass@{k} {}", pct(*v))).collect();
            format!("{}: {}", p.name, ks.join(", "))
        })
        .collect();
    if !pass_at_k.is_empty() {
        note.push_str(&format!(
            "\n{} samples per task (scores: {}); {}",
            summary.samples,
            if summary.vote == Vote::Majority { "majority vote" } else { "mean of samples" },
            pass_at_k.join("; ")
        ));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{example_run, summarize};
    use crate::report::layout::hidden_note;

    // The example run by hand: claude 5/6; kimi 3/5 scored (t3 lost to a 429), paired over five tasks.

    #[test]
    fn at_80_columns_the_key_columns_stay_and_every_line_fits() {
        let rendered = render(&summarize(&example_run()), Layout::Fit(80), false);
        insta::assert_snapshot!(rendered.text);
        for line in rendered.text.lines() {
            assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}");
        }
        // Eight of the providers table (cost per solved, retention CI, TTFT, tokens, latency, model,
        // infra err, p), two of the categories table (p (Holm), tasks; p fits in the room they
        // leave, retention does not) and the failures table's suite.
        assert_eq!(hidden_note(rendered.hidden).as_deref(), Some("(11 columns hidden; --wide shows all)"));
    }

    #[test]
    fn a_width_of_zero_is_taken_as_unknown_not_as_no_room() {
        let summary = summarize(&example_run());
        assert_eq!(
            render(&summary, Layout::Fit(0), false).text,
            render(&summary, Layout::Fit(80), false).text
        );
    }

    #[test]
    fn a_wider_terminal_shows_more_columns_in_priority_order() {
        let rendered = render(&summarize(&example_run()), Layout::Fit(120), false);
        let header = rendered.text.lines().nth(1).unwrap_or_default();
        let shown: Vec<&str> = header.split(['│', '┆']).map(str::trim).filter(|h| !h.is_empty()).collect();
        // Hidden to fit: cost per solved task, retention's CI, TTFT, tokens, latency, model; then TTFT
        // fits in the room left.
        let expected = [
            "provider",
            "score [95% CI]",
            "Δ vs baseline [95% CI]",
            "p",
            "retention",
            "infra err",
            "cost",
            "TTFT p50",
        ];
        assert_eq!(shown, expected, "\n{}", rendered.text);
        // Five of the providers table; the categories and failures tables fit whole.
        assert_eq!(rendered.hidden, 5);
    }

    #[test]
    fn wide_shows_every_column() {
        let rendered = render(&summarize(&example_run()), Layout::Wide, false);
        insta::assert_snapshot!(rendered.text);
        assert_eq!((rendered.hidden, hidden_note(rendered.hidden)), (0, None));
    }
}
