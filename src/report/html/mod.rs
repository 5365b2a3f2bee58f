//! The self-contained HTML report: one file that opens offline (from a USB stick, an e-mail, a CI
//! artifact) with the run's figures, its charts as inline SVG, and a table of every answer that
//! filters by provider, suite, category and outcome and stays responsive at 100,000 rows (it renders
//! only the rows in view). PNG copies of the charts for slides come from the same chart data.

mod charts;
mod draw;
mod font;
mod page;
mod table;
mod trend;

use std::path::{Path, PathBuf};

pub use draw::Chart;

use super::texts::{Lengths, Texts};
use crate::analysis::history::History;
use crate::analysis::{RunView, Summary};

/// Characters of each text the task table shows: short, so that 100,000 answers stay a file of a
/// few tens of megabytes.
pub const LENGTHS: Lengths = Lengths { prompt: 120, answer: 100, detail: 100 };

/// A rendered report: the page, and the charts it holds (for PNG copies).
pub struct Report {
    /// The HTML document.
    pub html: String,
    /// Its charts, in page order.
    pub charts: Vec<Chart>,
}

/// Render the report of `view` (with its `summary`, `texts` loaded with [`LENGTHS`], and for a
/// tagged run the `history` of its tag up to it, drawn as trend charts).
pub fn render(
    view: &RunView,
    summary: &Summary,
    texts: &Texts,
    history: Option<&History>,
) -> Result<Report, String> {
    let mut charts = charts::charts(view, summary);
    if let Some(history) = history {
        charts.extend(trend::charts(history));
    }
    let svgs = charts.iter().map(draw::svg).collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(64 * 1024 + view.rows.len() * 160);
    page::write(&mut out, view, summary, texts, &charts, &svgs)
        .map_err(|e| format!("cannot write the report: {e}"))?;
    let html = String::from_utf8(out).map_err(|e| format!("cannot write the report: {e}"))?;
    Ok(Report { html, charts })
}

/// Write a PNG of each chart into `dir` (created if needed), named by the chart's id; their paths.
pub fn write_pngs(charts: &[Chart], dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    charts
        .iter()
        .map(|chart| {
            let path = dir.join(format!("{}.png", chart.id));
            draw::png(chart, &path).map(|()| path)
        })
        .collect()
}

#[cfg(test)]
mod tests;
