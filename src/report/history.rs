//! `bench history` in the terminal: one table per provider and suite, one row per run of the tag,
//! oldest first, fitted to the width like every other table.

use comfy_table::Cell;

use super::format::{ms, pct, points, score_with_ci};
use super::layout::{Column, Layout, Rendered, fit, wrap_text};
use crate::analysis::history::{History, Series};

/// Run, score and the error rate always; the model, latency, cost, then the start time hidden first.
const COLUMNS: [Column; 8] = [
    Column { header: "run", hide_rank: 0 },
    Column { header: "started", hide_rank: 5 },
    Column { header: "model", hide_rank: 4 },
    Column { header: "score [95% CI]", hide_rank: 0 },
    Column { header: "Δ score", hide_rank: 1 },
    Column { header: "cost", hide_rank: 3 },
    Column { header: "latency p95", hide_rank: 2 },
    Column { header: "error rate", hide_rank: 0 },
];

fn rows(series: &Series) -> Vec<Vec<Cell>> {
    let mut previous: Option<f64> = None;
    let mut rows = Vec::with_capacity(series.points.len());
    for p in &series.points {
        let f = &p.figures;
        let score = (f.scored > 0).then_some(f.score);
        let delta = match (previous, score) {
            (Some(a), Some(b)) => points(b - a),
            _ => "—".into(),
        };
        previous = score.or(previous);
        let started = p.created_at.get(..16).unwrap_or(&p.created_at).replace('T', " ");
        let row = [
            p.run_id.clone(),
            started,
            p.model.clone(),
            format!("{} ({}/{})", score_with_ci(f.score, f.ci95, f.scored), f.scored, p.tasks),
            delta,
            format!("{:.4} {}", f.cost, p.currency),
            f.latency_p95_ms.map_or_else(|| "—".into(), ms),
            p.error_rate.map_or_else(|| "—".into(), |r| format!("{} ({})", pct(r), f.infra_errors)),
        ];
        rows.push(row.into_iter().map(Cell::new).collect());
    }
    rows
}

/// Every series of the history, each under a `provider · suite` line.
pub fn render_table(history: &History, layout: Layout) -> Rendered {
    if history.series.is_empty() {
        return Rendered {
            text: format!("no runs tagged `{}` with that provider and suite", history.tag),
            hidden: 0,
        };
    }
    let mut parts = Vec::new();
    let mut hidden = 0;
    for series in &history.series {
        let fitted = fit(&COLUMNS, rows(series), layout);
        hidden = hidden.max(fitted.hidden);
        parts.push(format!(
            "{} · {} ({} runs)\n{}",
            series.provider,
            series.suite,
            series.points.len(),
            fitted.table
        ));
    }
    let note = format!(
        "{} runs tagged `{}`, oldest first. Δ score: from the run before; cost: the suite's answers; \
         error rate: infrastructure failures over results (their number).",
        history.runs.len(),
        history.tag
    );
    let text = format!("{}\n{}", parts.join("\n\n"), wrap_text(&note, layout.width()));
    Rendered { text, hidden }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::example_run;

    #[test]
    fn one_table_per_series_that_fits_80_columns() {
        let mut history = History::new("nightly");
        history.add(&example_run(), None, None);
        let mut later = example_run();
        later.run.run_id = "20261208-120000-beef".into();
        later.rows.iter_mut().for_each(|r| r.score = Some(1.0));
        history.add(&later, None, None);
        let rendered = render_table(&history, Layout::Fit(80));
        let text = &rendered.text;
        assert!(
            text.contains("claude · support (2 runs)") && text.contains("kimi · support (2 runs)"),
            "{text}"
        );
        assert!(text.contains("+40.0 pt"), "kimi went from 60% to 100%: {text}");
        assert!(text.contains("16.7% (1)"), "kimi's rate-limited answer: {text}");
        for line in text.lines() {
            assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}");
        }
        let none = render_table(&History::new("x"), Layout::Fit(80));
        assert_eq!(none.text, "no runs tagged `x` with that provider and suite");
    }
}
