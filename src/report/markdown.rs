//! Markdown for a pull-request comment or a chat message: the overall table, then per suite, per
//! family, per category, tool use, long context, the comparisons too small to detect 5 points, and
//! the failure taxonomy. Pure function of the summary.

use super::format::{
    CONTEXT_HEADERS, FAILURE_HEADERS, HOLM_NOTE, POWER_NOTE, TOOL_USE_HEADERS, ci, context_cells,
    cost_per_solved, count, failure_cells, ms, p_value, pct, points, power_notes, retention, score_with_ci,
    tool_use_cells,
};
use crate::analysis::{Comparison, Summary};
use crate::core::Vote;

/// Render the summary as GitHub-flavoured Markdown.
pub fn render(summary: &Summary) -> String {
    let mut md = String::new();
    line(&mut md, &format!("## bench run `{}`", summary.run_id));
    md.push('\n');
    line(&mut md, &format!("Baseline: **{}**. {}", summary.baseline, sampling(summary)));
    md.push('\n');
    overall(&mut md, summary);
    if summary.suites.iter().map(|s| &s.suite).collect::<std::collections::BTreeSet<_>>().len() > 1 {
        per_suite(&mut md, summary);
    }
    if !summary.family_comparisons.is_empty() {
        per_family(&mut md, summary);
    }
    if !summary.categories.is_empty() {
        per_category(&mut md, summary);
    }
    if !summary.tool_use.is_empty() {
        tool_use(&mut md, summary);
    }
    if summary.providers.iter().any(|p| p.context.is_some()) {
        long_context(&mut md, summary);
    }
    power(&mut md, summary);
    failures(&mut md, summary);
    md
}

/// Append one line.
fn line(md: &mut String, text: &str) {
    md.push_str(text);
    md.push('\n');
}

fn sampling(summary: &Summary) -> String {
    let test = "Δ is paired over tasks both providers answered (bootstrap 95% CI); retention = candidate / baseline (paired-bootstrap 95% CI).";
    if summary.samples > 1 {
        let how = match summary.vote {
            Vote::Mean => "mean of samples",
            Vote::Majority => "majority vote",
        };
        format!("{} samples per task ({how}). {test}", summary.samples)
    } else {
        test.to_string()
    }
}

/// A Markdown table cell: pipes escaped, line breaks folded.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn row(md: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    line(md, &format!("| {} |", cells.join(" | ")));
}

fn header(md: &mut String, names: &[&str], right_from: usize) {
    row(md, &names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
    let rule: Vec<String> =
        (0..names.len()).map(|i| if i >= right_from { "---:".into() } else { "---".into() }).collect();
    line(md, &format!("|{}|", rule.iter().map(|r| format!(" {r} ")).collect::<Vec<_>>().join("|")));
}

/// Δ, p, Holm-corrected p and retention cells of a comparison; the baseline's own row when there is
/// none.
fn gap(c: Option<&Comparison>) -> [String; 4] {
    match c {
        Some(c) if c.n_paired > 0 => [
            format!("{} {} (n={})", points(c.diff), ci(c.ci95), c.n_paired),
            p_value(c.p_value),
            p_value(c.p_holm),
            retention(c),
        ],
        Some(_) => ["no paired tasks".into(), "—".into(), "—".into(), "—".into()],
        None => ["(baseline)".into(), String::new(), String::new(), String::new()],
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
            "retention [95% CI]",
            "infra err",
            "tokens in / out",
            "cost",
            "cost / solved",
            "latency p50 / p95",
        ],
        2,
    );
    for p in &summary.providers {
        let c = summary.comparisons.iter().find(|c| c.candidate == p.name && c.suite == "all");
        let [delta, pv, _, retention] = gap(c);
        let estimated = if p.usage_estimated > 0 { " (est.)" } else { "" };
        row(
            md,
            &[
                format!("**{}**", p.name),
                format!("`{}`", p.model),
                format!("{} ({}/{})", score_with_ci(p.score, p.ci95, p.scored), p.passed, p.scored),
                delta,
                pv,
                retention,
                p.infra_errors.to_string(),
                format!("{} / {}{estimated}", count(p.input_tokens), count(p.output_tokens)),
                if p.priced { format!("{:.4} {}{estimated}", p.cost, p.currency) } else { "no price".into() },
                cost_per_solved(p),
                format!("{} / {}", ms(p.latency_ms.p50), ms(p.latency_ms.p95)),
            ],
        );
    }
    md.push('\n');
}

fn per_suite(md: &mut String, summary: &Summary) {
    line(md, "### Per suite\n");
    header(
        md,
        &[
            "suite",
            "family",
            "provider",
            "tasks",
            "score [95% CI]",
            "Δ vs baseline",
            "p",
            "p (Holm)",
            "retention",
        ],
        3,
    );
    for s in &summary.suites {
        let c = summary.comparisons.iter().find(|c| c.candidate == s.provider && c.suite == s.suite);
        let [delta, pv, holm, retention] = gap(c);
        row(
            md,
            &[
                s.suite.clone(),
                s.family.clone(),
                s.provider.clone(),
                format!("{}/{}", s.scored, s.tasks),
                score_with_ci(s.score, s.ci95, s.scored),
                delta,
                pv,
                holm,
                retention,
            ],
        );
    }
    md.push('\n');
}

fn per_family(md: &mut String, summary: &Summary) {
    line(md, "### Per family (against the baseline)\n");
    header(md, &["family", "candidate", "Δ vs baseline", "p", "p (Holm)", "retention"], 2);
    for c in &summary.family_comparisons {
        let [delta, pv, holm, retention] = gap(Some(c));
        row(md, &[c.family.clone().unwrap_or_default(), c.candidate.clone(), delta, pv, holm, retention]);
    }
    md.push('\n');
}

fn per_category(md: &mut String, summary: &Summary) {
    line(md, "### Per category\n");
    header(
        md,
        &["category", "provider", "tasks", "score [95% CI]", "Δ vs baseline", "p", "p (Holm)", "retention"],
        2,
    );
    for c in &summary.categories {
        let g = summary
            .category_comparisons
            .iter()
            .find(|g| g.candidate == c.provider && g.category.as_deref() == Some(c.category.as_str()));
        let [delta, pv, holm, retention] = gap(g);
        row(
            md,
            &[
                c.category.clone(),
                c.provider.clone(),
                format!("{}/{}", c.scored, c.tasks),
                score_with_ci(c.score, c.ci95, c.scored),
                delta,
                pv,
                holm,
                retention,
            ],
        );
    }
    md.push('\n');
}

fn tool_use(md: &mut String, summary: &Summary) {
    line(md, "### Tool use\n");
    header(md, &TOOL_USE_HEADERS, 2);
    for t in &summary.tool_use {
        let currency = summary.providers.iter().find(|p| p.name == t.provider).map_or("", |p| &p.currency);
        row(md, &tool_use_cells(t, currency));
    }
    line(md, "\ncalls (× min): mean calls per episode, and calls over the fewest that solve the tasks.\n");
}

fn long_context(md: &mut String, summary: &Summary) {
    line(md, "### Long context\n");
    header(md, &CONTEXT_HEADERS, 3);
    for cells in summary.providers.iter().filter_map(context_cells) {
        row(md, &cells);
    }
    let threshold = summary.providers.iter().find_map(|p| p.context.as_ref()).map_or(0.0, |c| c.threshold);
    line(
        md,
        &format!(
            "\neffective length: the longest length scoring at least {}, with every shorter one. \
             Beyond window: tasks longer than the provider's context window, scored as failures, not as infrastructure errors.\n",
            pct(threshold)
        ),
    );
}

/// The Holm note, and the comparisons too small to detect 5 points.
fn power(md: &mut String, summary: &Summary) {
    let breakdowns = summary.comparisons.iter().any(|c| c.suite != "all")
        || !summary.family_comparisons.is_empty()
        || !summary.category_comparisons.is_empty()
        || !summary.length_comparisons.is_empty();
    if breakdowns {
        line(md, HOLM_NOTE);
        md.push('\n');
    }
    let notes = power_notes(summary);
    if !notes.is_empty() {
        line(md, &format!("{POWER_NOTE}:\n"));
        for note in notes {
            line(md, &format!("- {note}"));
        }
        md.push('\n');
    }
}

fn failures(md: &mut String, summary: &Summary) {
    if summary.failures.iter().all(|f| f.infrastructure_total == 0 && f.capability_total == 0) {
        line(md, "No failures.");
    } else {
        line(md, "### Failures\n");
        header(md, &FAILURE_HEADERS, FAILURE_HEADERS.len());
        for f in &summary.failures {
            row(md, &failure_cells(f));
        }
        line(
            md,
            "\nInfrastructure failures have no verdict and are not scored; capability failures are answers scored as failed.",
        );
    }
    let missing: Vec<_> = summary.providers.iter().filter(|p| p.not_attempted > 0).collect();
    if !missing.is_empty() {
        line(md, "\n### Items not attempted\n");
        header(md, &["provider", "why", "items"], 2);
        for p in missing {
            let why = p.not_attempted_why.as_deref().unwrap_or("not sent");
            row(md, &[p.name.clone(), why.to_string(), format!("{} of {}", p.not_attempted, p.items)]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{example_run, summarize};

    #[test]
    fn markdown_snapshot() {
        // By hand: claude 5/6; kimi 3/5 scored (t3 lost to a 429). Paired over t1, t2, t4-t6: 4/5
        // against 3/5, one discordant pair (McNemar p = 1), retention 0.6 / 0.8. Five tasks cannot
        // detect 5 points: the MDD is floored at 6 / 5, capped at 100 points.
        let md = render(&summarize(&example_run()));
        insta::assert_snapshot!(md);
    }
}
