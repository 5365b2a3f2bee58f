//! Two runs side by side (`bench report A B`), in the terminal and as Markdown: per provider and
//! suite the change in score with its paired test, then the tasks that flipped. Pure functions of the
//! [`RunDiff`].

use comfy_table::Cell;

use super::format::{ci, p_value, pct, points};
use super::layout::{Column, Layout, Rendered, fit, wrap_text};
use crate::analysis::diff::{RunDiff, SuiteChange};

/// Task ids listed per flip direction before the rest is counted.
const FLIPS_SHOWN: usize = 20;

/// The headers of the change table, shared by both formats.
const HEADERS: [&str; 9] =
    ["provider", "suite", "model", "tasks", "score A → B", "Δ [95% CI]", "p", "p (Holm)", "flipped"];

/// Provider, suite, score and Δ always; the model, tasks, p (Holm), flips, then p hidden first.
const COLUMNS: [Column; 9] = [
    Column { header: HEADERS[0], hide_rank: 0 },
    Column { header: HEADERS[1], hide_rank: 0 },
    Column { header: HEADERS[2], hide_rank: 5 },
    Column { header: HEADERS[3], hide_rank: 4 },
    Column { header: HEADERS[4], hide_rank: 0 },
    Column { header: HEADERS[5], hide_rank: 0 },
    Column { header: HEADERS[6], hide_rank: 1 },
    Column { header: HEADERS[7], hide_rank: 3 },
    Column { header: HEADERS[8], hide_rank: 2 },
];

fn cells(c: &SuiteChange) -> [String; 9] {
    let model = if c.model_before == c.model_after {
        c.model_before.clone()
    } else {
        format!("{} → {}", c.model_before, c.model_after)
    };
    let mut tasks = c.n_paired.to_string();
    if c.changed > 0 {
        tasks.push_str(&format!(" ({} changed, left out)", c.changed));
    }
    let paired = c.n_paired > 0;
    let dash = || "—".to_string();
    [
        c.provider.clone(),
        c.suite.clone(),
        model,
        tasks,
        if paired { format!("{} → {}", pct(c.score_before), pct(c.score_after)) } else { dash() },
        if paired { format!("{} {}", points(c.diff), ci(c.ci95)) } else { dash() },
        if paired { p_value(c.p_value) } else { dash() },
        if paired { p_value(c.p_holm) } else { dash() },
        format!("−{} / +{}", c.pass_to_fail.len(), c.fail_to_pass.len()),
    ]
}

/// `t1, t7, t9` with at most [`FLIPS_SHOWN`] ids, then how many more.
fn listed(ids: &[String]) -> String {
    let mut text = ids.iter().take(FLIPS_SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > FLIPS_SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - FLIPS_SHOWN));
    }
    text
}

/// The lines naming the flipped tasks of each change that has some.
fn flip_lines(diff: &RunDiff) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &diff.changes {
        for (what, ids) in [("pass → fail", &c.pass_to_fail), ("fail → pass", &c.fail_to_pass)] {
            if !ids.is_empty() {
                lines.push(format!("{} · {}: {what} ({}): {}", c.provider, c.suite, ids.len(), listed(ids)));
            }
        }
    }
    lines
}

/// The lines that name the two runs and say how they are compared.
fn intro(diff: &RunDiff) -> [String; 3] {
    [
        format!("A: {}, started {}", diff.before.run_id, diff.before.created_at),
        format!("B: {}, started {}", diff.after.run_id, diff.after.created_at),
        "Δ = B − A over the tasks both runs asked alike (same suite, id and fingerprint), paired bootstrap \
         95% CI, exact McNemar p for pass/fail scores; p (Holm) corrects across each provider's suites. \
         flipped: −pass → fail / +fail → pass."
            .to_string(),
    ]
}

/// The change table and the flipped tasks, laid out for `layout`.
pub fn render_table(diff: &RunDiff, layout: Layout) -> Rendered {
    if diff.changes.is_empty() {
        return Rendered { text: no_common(diff), hidden: 0 };
    }
    let rows = diff.changes.iter().map(|c| cells(c).into_iter().map(Cell::new).collect()).collect();
    let fitted = fit(&COLUMNS, rows, layout);
    let mut text = fitted.table.to_string();
    for line in intro(diff).iter().chain(&flip_lines(diff)) {
        text.push('\n');
        text.push_str(&wrap_text(line, layout.width()));
    }
    Rendered { text, hidden: fitted.hidden }
}

fn no_common(diff: &RunDiff) -> String {
    format!(
        "runs {} and {} have no provider and suite in common: nothing to compare",
        diff.before.run_id, diff.after.run_id
    )
}

/// The change table and the flipped tasks as GitHub-flavoured Markdown.
pub fn render_markdown(diff: &RunDiff) -> String {
    let mut md = format!("## bench runs `{}` → `{}`\n\n", diff.before.run_id, diff.after.run_id);
    if diff.changes.is_empty() {
        md.push_str(&no_common(diff));
        md.push('\n');
        return md;
    }
    let [a, b, how] = intro(diff);
    md.push_str(&format!("{a}  \n{b}\n\n{how}\n\n"));
    let row = |cells: &[String]| {
        format!("| {} |\n", cells.iter().map(|c| c.replace('|', "\\|")).collect::<Vec<_>>().join(" | "))
    };
    md.push_str(&row(&HEADERS.map(String::from)));
    md.push_str(&row(&HEADERS
        .iter()
        .enumerate()
        .map(|(i, _)| if i >= 3 { "---:".into() } else { "---".into() })
        .collect::<Vec<_>>()));
    for c in &diff.changes {
        md.push_str(&row(&cells(c)));
    }
    let flips = flip_lines(diff);
    if !flips.is_empty() {
        md.push_str("\n### Flipped tasks\n\n");
        for line in flips {
            md.push_str(&format!("- {line}\n"));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::diff::diff;
    use crate::analysis::{result_row, run_view_of_tasks};
    use crate::store::TaskRecord;

    fn run(marks: &[f64], model_suffix: &str) -> crate::analysis::RunView {
        let tasks: Vec<TaskRecord> = (0..marks.len())
            .map(|i| TaskRecord {
                suite: "support".into(),
                id: format!("t{i:02}"),
                family: "custom".into(),
                category: None,
                fingerprint: if i == 0 { model_suffix.into() } else { "same".into() },
                meta: serde_json::Value::Null,
            })
            .collect();
        let rows = marks
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                let id = format!("t{i:02}");
                [
                    result_row("support", &id, "claude", Some(1.0), None),
                    result_row("support", &id, "kimi", Some(*m), None),
                ]
            })
            .collect();
        run_view_of_tasks(&["claude", "kimi"], "support", tasks, 1, rows)
    }

    fn example() -> RunDiff {
        // t00 changed between the runs; kimi fixed t01-t08 and broke t09.
        let mut before = run(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0], "v1");
        let after = run(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0], "v2");
        before.run.run_id = "20261201-090000-aaaa".into();
        before.run.created_at = "2026-12-01T09:00:00Z".into();
        diff(&before, &after)
    }

    /// Snapshots with the runs' start times redacted.
    macro_rules! redacted_snapshot {
        ($text:expr) => {
            insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[timestamp]")]}, {
                insta::assert_snapshot!($text);
            })
        };
    }

    #[test]
    fn diff_table_snapshot_at_80_columns() {
        let rendered = render_table(&example(), Layout::Fit(80));
        redacted_snapshot!(rendered.text.as_str());
        for line in rendered.text.lines() {
            assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}");
        }
    }

    #[test]
    fn diff_markdown_snapshot() {
        redacted_snapshot!(render_markdown(&example()));
    }
}
