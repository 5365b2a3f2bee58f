//! Markdown for a pull-request comment or a chat message: the overall table, then per suite, per
//! category, tool use, and the infrastructure failures by class. Pure function of the summary.

use super::format::{
    CONTEXT_HEADERS, TOOL_USE_HEADERS, ci, context_cells, count, ms, p_value, pct, points, score_with_ci,
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
    if !summary.categories.is_empty() {
        per_category(&mut md, summary);
    }
    if !summary.tool_use.is_empty() {
        tool_use(&mut md, summary);
    }
    if summary.providers.iter().any(|p| p.context.is_some()) {
        long_context(&mut md, summary);
    }
    failures(&mut md, summary);
    md
}

/// Append one line.
fn line(md: &mut String, text: &str) {
    md.push_str(text);
    md.push('\n');
}

fn sampling(summary: &Summary) -> String {
    let test = "Δ is paired over tasks both providers answered (bootstrap 95% CI); retention = candidate / baseline.";
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
                format!("{} ({}/{})", score_with_ci(p.score, p.ci95, p.scored), p.passed, p.scored),
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
    md.push('\n');
}

fn per_suite(md: &mut String, summary: &Summary) {
    line(md, "### Per suite\n");
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
                score_with_ci(s.score, s.ci95, s.scored),
                delta,
                pv,
                retention,
            ],
        );
    }
    md.push('\n');
}

fn per_category(md: &mut String, summary: &Summary) {
    line(md, "### Per category\n");
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
                score_with_ci(c.score, c.ci95, c.scored),
                delta,
                pv,
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

fn failures(md: &mut String, summary: &Summary) {
    let failing: Vec<_> = summary.providers.iter().filter(|p| p.infra_errors > 0).collect();
    if failing.is_empty() {
        line(md, "No infrastructure failures.");
    } else {
        line(md, "### Infrastructure failures (not scored as wrong answers)\n");
        header(md, &["provider", "class", "answers"], 2);
        for p in failing {
            for (class, n) in &p.errors_by_class {
                row(md, &[p.name.clone(), format!("`{class}`"), n.to_string()]);
            }
        }
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
        // against 3/5, one discordant pair (McNemar p = 1), retention 0.6 / 0.8.
        let md = render(&summarize(&example_run()));
        let expected = r#"## bench run `20261207-120000-abcd`

Baseline: **claude**. Δ is paired over tasks both providers answered (bootstrap 95% CI); retention = candidate / baseline.

| provider | model | score [95% CI] | Δ vs baseline | p | retention | infra err | tokens in / out | cost | latency p50 / p95 |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| **claude** | `claude-sonnet-4-5` | 83.3% [43.6, 97.0] (5/6) | (baseline) |  |  | 0 | 7.2k / 1.8k | 0.0600 USD | 1050ms / 1275ms |
| **kimi** | `kimi-k2.6` | 60.0% [23.1, 88.2] (3/5) | -20.0 pt [-60.0, 0.0] (n=5) | 1.000 | 75.0% | 1 | 6.0k / 1.5k | 0.0500 USD | 1100ms / 1280ms |

### Per category

| category | provider | tasks | score [95% CI] | Δ vs baseline | p | retention |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
| billing | claude | 3/3 | 100.0% [43.9, 100.0] | (baseline) |  |  |
| billing | kimi | 2/3 | 50.0% [9.5, 90.5] | -50.0 pt [-100.0, 0.0] (n=2) | 1.000 | 50.0% |
| search | claude | 3/3 | 66.7% [20.8, 93.9] | (baseline) |  |  |
| search | kimi | 3/3 | 66.7% [20.8, 93.9] | +0.0 pt [0.0, 0.0] (n=3) | 1.000 | 100.0% |

### Infrastructure failures (not scored as wrong answers)

| provider | class | answers |
| --- | --- | ---: |
| kimi | `rate_limited` | 1 |
"#;
        assert_eq!(md, expected, "\n{md}");
    }
}
