//! Markdown for a pull-request comment or a chat message: the overall table, then per suite, per
//! category, and the infrastructure failures by class. Pure function of the summary.

use std::fmt::Write;

use super::format::{ci, count, ms, p_value, pct, points, score};
use crate::analysis::{Comparison, Summary};

/// Render the summary as GitHub-flavoured Markdown.
pub fn render(summary: &Summary) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## bench run `{}`", summary.run_id);
    let _ = writeln!(md);
    let _ = writeln!(md, "Baseline: **{}**. {}", summary.baseline, sampling(summary));
    let _ = writeln!(md);
    overall(&mut md, summary);
    if summary.suites.iter().map(|s| &s.suite).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        per_suite(&mut md, summary);
    }
    if !summary.categories.is_empty() {
        per_category(&mut md, summary);
    }
    failures(&mut md, summary);
    md
}

fn sampling(summary: &Summary) -> String {
    let test = "Δ is paired over tasks both providers answered (bootstrap 95% CI); retention = candidate / baseline.";
    if summary.samples > 1 {
        format!("{} samples per task ({}). {test}", summary.samples, serde_plain(&summary.vote))
    } else {
        test.to_string()
    }
}

fn serde_plain(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// A Markdown table cell: pipes escaped, line breaks folded.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn row(md: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    let _ = writeln!(md, "| {} |", cells.join(" | "));
}

fn header(md: &mut String, names: &[&str], right_from: usize) {
    row(md, &names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
    let rule: Vec<String> =
        (0..names.len()).map(|i| if i >= right_from { "---:".into() } else { "---".into() }).collect();
    let _ = writeln!(md, "|{}|", rule.iter().map(|r| format!(" {r} ")).collect::<Vec<_>>().join("|"));
}

/// Δ, p and retention cells of a comparison; the baseline's own row when there is none.
fn gap(c: Option<&Comparison>) -> [String; 3] {
    match c {
        Some(c) if c.n_paired > 0 => [
            format!("{} {} (n={})", points(c.diff), ci(c.ci95), c.n_paired),
            p_value(c.p_value),
            c.retention.map_or("—".into(), pct),
        ],
        Some(_) => ["no paired tasks".into(), "—".into(), "—".into()],
        None => ["(baseline)".into(), String::new(), String::new()],
    }
}

fn overall(md: &mut String, summary: &Summary) {
    header(
        md,
        &[
            "provider",
            "model",
            "score [95% CI]",
            "Δ vs baseline",
            "p",
            "retention",
            "infra err",
            "tokens in / out",
            "cost",
            "latency p50 / p95",
        ],
        2,
    );
    for p in &summary.providers {
        let c = summary.comparisons.iter().find(|c| c.candidate == p.name && c.suite == "all");
        let [delta, pv, retention] = gap(c);
        let estimated = if p.usage_estimated > 0 { " (est.)" } else { "" };
        row(
            md,
            &[
                format!("**{}**", p.name),
                format!("`{}`", p.model),
                format!(
                    "{} {} ({}/{})",
                    score(p.score, p.scored),
                    if p.scored > 0 { ci(p.ci95) } else { String::new() },
                    p.passed,
                    p.scored
                ),
                delta,
                pv,
                retention,
                p.infra_errors.to_string(),
                format!("{} / {}{estimated}", count(p.input_tokens), count(p.output_tokens)),
                if p.priced { format!("{:.4} {}{estimated}", p.cost, p.currency) } else { "no price".into() },
                format!("{} / {}", ms(p.latency_ms.p50), ms(p.latency_ms.p95)),
            ],
        );
    }
    let _ = writeln!(md);
}

fn per_suite(md: &mut String, summary: &Summary) {
    let _ = writeln!(md, "### Per suite\n");
    header(
        md,
        &["suite", "family", "provider", "tasks", "score [95% CI]", "Δ vs baseline", "p", "retention"],
        3,
    );
    for s in &summary.suites {
        let c = summary.comparisons.iter().find(|c| c.candidate == s.provider && c.suite == s.suite);
        let [delta, pv, retention] = gap(c);
        row(
            md,
            &[
                s.suite.clone(),
                s.family.clone(),
                s.provider.clone(),
                format!("{}/{}", s.scored, s.tasks),
                format!(
                    "{} {}",
                    score(s.score, s.scored),
                    if s.scored > 0 { ci(s.ci95) } else { String::new() }
                ),
                delta,
                pv,
                retention,
            ],
        );
    }
    let _ = writeln!(md);
}

fn per_category(md: &mut String, summary: &Summary) {
    let _ = writeln!(md, "### Per category\n");
    header(md, &["category", "provider", "tasks", "score [95% CI]", "Δ vs baseline", "p", "retention"], 2);
    for c in &summary.categories {
        let g = summary
            .category_comparisons
            .iter()
            .find(|g| g.candidate == c.provider && g.category.as_deref() == Some(c.category.as_str()));
        let [delta, pv, retention] = gap(g);
        row(
            md,
            &[
                c.category.clone(),
                c.provider.clone(),
                format!("{}/{}", c.scored, c.tasks),
                format!(
                    "{} {}",
                    score(c.score, c.scored),
                    if c.scored > 0 { ci(c.ci95) } else { String::new() }
                ),
                delta,
                pv,
                retention,
            ],
        );
    }
    let _ = writeln!(md);
}

fn failures(md: &mut String, summary: &Summary) {
    let failing: Vec<_> = summary.providers.iter().filter(|p| p.infra_errors > 0).collect();
    if failing.is_empty() {
        let _ = writeln!(md, "No infrastructure failures.");
        return;
    }
    let _ = writeln!(md, "### Infrastructure failures (not scored as wrong answers)\n");
    header(md, &["provider", "class", "answers"], 2);
    for p in failing {
        for (class, n) in &p.errors_by_class {
            row(md, &[p.name.clone(), format!("`{class}`"), n.to_string()]);
        }
    }
}
