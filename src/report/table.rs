//! The terminal comparison table: one row per provider, the baseline first, with the paired gap to the
//! baseline; then, when the run has several suites, one row per suite.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table};

use super::format::{ci, count, ms, p_value, pct, points, score_with_ci};
use crate::analysis::{Comparison, PairedTest, Summary};
use crate::core::Vote;

/// Render the summary as text tables; `color` adds colour to significant gaps.
pub fn render(summary: &Summary, color: bool) -> String {
    let mut out = providers_table(summary, color).to_string();
    if summary.suites.iter().map(|s| &s.suite).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        out.push_str("\n\n");
        out.push_str(&suites_table(summary).to_string());
    }
    if !summary.categories.is_empty() {
        out.push_str("\n\n");
        out.push_str(&categories_table(summary).to_string());
    }
    out.push('\n');
    out.push_str(&footnote(summary));
    out
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    table
}

fn all_suites<'a>(summary: &'a Summary, candidate: &str) -> Option<&'a Comparison> {
    summary.comparisons.iter().find(|c| c.candidate == candidate && c.suite == "all")
}

fn providers_table(summary: &Summary, color: bool) -> Table {
    let mut table = new_table(&[
        "provider",
        "model",
        "score [95% CI]",
        "Δ vs baseline [95% CI]",
        "p",
        "retention",
        "infra err",
        "tokens in / out",
        "cost",
        "latency p50 / p95",
        "TTFT p50",
    ]);
    for p in &summary.providers {
        let gap = all_suites(summary, &p.name);
        let (delta, p_value, retention) = match gap {
            Some(c) if c.n_paired > 0 => {
                let text = format!("{} {} (n={})", points(c.diff), ci(c.ci95), c.n_paired);
                let mut cell = Cell::new(text);
                if color && c.p_value < 0.05 {
                    cell = cell.fg(if c.diff < 0.0 { Color::Red } else { Color::Green });
                }
                (cell, p_value(c.p_value), c.retention.map_or("—".into(), pct))
            }
            Some(_) => (Cell::new("no paired tasks"), "—".into(), "—".into()),
            None => (Cell::new("(baseline)"), String::new(), String::new()),
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
        table.add_row(vec![
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
            Cell::new(p.infra_errors).set_alignment(CellAlignment::Right),
            Cell::new(tokens),
            Cell::new(cost).set_alignment(CellAlignment::Right),
            Cell::new(format!("{} / {}", ms(p.latency_ms.p50), ms(p.latency_ms.p95))),
            Cell::new(ttft).set_alignment(CellAlignment::Right),
        ]);
    }
    table
}

fn suites_table(summary: &Summary) -> Table {
    let mut table =
        new_table(&["suite", "family", "provider", "tasks", "score [95% CI]", "Δ vs baseline", "p"]);
    for s in &summary.suites {
        let gap = summary.comparisons.iter().find(|c| c.candidate == s.provider && c.suite == s.suite);
        let (delta, p) = match gap {
            Some(c) if c.n_paired > 0 => (format!("{} {}", points(c.diff), ci(c.ci95)), p_value(c.p_value)),
            Some(_) => ("—".into(), "—".into()),
            None => ("(baseline)".into(), String::new()),
        };
        table.add_row(vec![
            s.suite.clone(),
            s.family.clone(),
            s.provider.clone(),
            format!("{}/{}", s.scored, s.tasks),
            score_with_ci(s.score, s.ci95, s.scored),
            delta,
            p,
        ]);
    }
    table
}

fn categories_table(summary: &Summary) -> Table {
    let mut table =
        new_table(&["category", "provider", "tasks", "score [95% CI]", "Δ vs baseline", "p", "retention"]);
    for c in &summary.categories {
        let gap = summary
            .category_comparisons
            .iter()
            .find(|g| g.candidate == c.provider && g.category.as_deref() == Some(c.category.as_str()));
        let (delta, p, retention) = match gap {
            Some(g) if g.n_paired > 0 => (
                format!("{} {}", points(g.diff), ci(g.ci95)),
                p_value(g.p_value),
                g.retention.map_or("—".into(), pct),
            ),
            Some(_) => ("—".into(), "—".into(), "—".into()),
            None => ("(baseline)".into(), String::new(), String::new()),
        };
        table.add_row(vec![
            c.category.clone(),
            c.provider.clone(),
            format!("{}/{}", c.scored, c.tasks),
            score_with_ci(c.score, c.ci95, c.scored),
            delta,
            p,
            retention,
        ]);
    }
    table
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
