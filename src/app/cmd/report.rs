//! `bench report RUN`: render a stored run from the store alone, in the format asked.

use std::path::{Path, PathBuf};

use crate::analysis::{RunView, Summary, summarize};
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::print_stdout;
use crate::app::write_atomically;
use crate::app::{ReportArgs, ReportFormat, color_enabled_on, note_hidden_columns, table_layout};
use crate::report;
use crate::report::texts::{Lengths, Texts};
use crate::store::{Reader, Store};

/// Characters of a scorer's detail each failed answer shows in JUnit.
const JUNIT_LENGTHS: Lengths = Lengths { prompt: 0, answer: 0, detail: 300 };

/// Render the run to stdout or `--output`.
pub fn run(args: &ReportArgs) -> Result {
    if args.png.is_some() && args.format != ReportFormat::Html {
        return Err(Error::usage("--png draws the charts of the html format: add --format html"));
    }
    let Some(store) = Store::open_existing(&args.out)? else {
        return Err(Error::usage(format!("{}: no runs here (no bench.sqlite)", args.out.display())));
    };
    let reader = store.reader()?;
    let Some(run) = reader.resolve(&args.run, false)? else {
        return Err(Error::usage(format!(
            "{}: no such run in {} (see `bench runs`)",
            args.run,
            args.out.display()
        )));
    };
    // Every format but the attempts log reads the run's view and summary.
    let loaded = || -> Result<(RunView, Summary)> {
        let mut view = RunView::load(&reader, &run.run_id)?;
        if let Some(threshold) = args.context_threshold {
            view.manifest.options.context_threshold = threshold;
        }
        let summary = summarize(&view);
        Ok((view, summary))
    };
    let text = match args.format {
        ReportFormat::Jsonl => return attempts(&reader, &run.run_id, args.output.as_deref()),
        ReportFormat::Table => {
            let (_, summary) = loaded()?;
            let stdout = std::io::stdout();
            let color = args.output.is_none() && color_enabled_on(&stdout);
            let table = report::table::render(&summary, table_layout(&stdout, args.wide), color);
            note_hidden_columns(table.hidden);
            table.text + "\n"
        }
        ReportFormat::Json => report::json::render(&loaded()?.1).map_err(Error::Internal)?,
        ReportFormat::Markdown => report::markdown::render(&loaded()?.1),
        ReportFormat::Html => {
            let (view, summary) = loaded()?;
            let rendered = html(&reader, &view, &summary)?;
            if let Some(dir) = &args.png {
                let written = report::html::write_pngs(&rendered.charts, dir).map_err(Error::usage)?;
                eprintln!("{} charts as PNG in {}", written.len(), dir.display());
            }
            rendered.html
        }
        ReportFormat::Csv => {
            let (view, summary) = loaded()?;
            if let Some(path) = &args.output {
                let suites = report::csv::suites(&summary).map_err(Error::Internal)?;
                write_file(&suites_path(path), &suites)?;
            } else {
                eprintln!("note: the per-suite rows are written beside an --output file (FILE.suites.csv)");
            }
            report::csv::items(&view).map_err(Error::Internal)?
        }
        ReportFormat::Junit => {
            let (view, summary) = loaded()?;
            let texts = Texts::load(&reader, &view, JUNIT_LENGTHS)?;
            report::junit::render(&view, &summary, &texts).map_err(Error::Internal)?
        }
    };
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => print_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// The HTML report of a loaded run: its texts read from the store, then rendered.
pub(crate) fn html(reader: &Reader, view: &RunView, summary: &Summary) -> Result<report::html::Report> {
    let texts = Texts::load(reader, view, report::html::LENGTHS)?;
    report::html::render(view, summary, &texts).map_err(Error::Internal)
}

/// `results.csv` -> `results.suites.csv`.
fn suites_path(items: &Path) -> PathBuf {
    let stem = items.file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    items.with_file_name(format!("{stem}.suites.csv"))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    write_atomically(path, |w| std::io::Write::write_all(w, text.as_bytes()))
        .map_err(|e| Error::usage(format!("{}: cannot write: {e}", path.display())))
}

/// Stream the attempts log to `output` or stdout (a reader that goes away ends it quietly).
fn attempts(reader: &Reader, run_id: &str, output: Option<&Path>) -> Result {
    match output {
        Some(path) => write_atomically(path, |w| report::jsonl::write(reader, run_id, w).map(drop))
            .map_err(|e| Error::usage(format!("{}: cannot write the attempts: {e}", path.display())))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written =
                report::jsonl::write(reader, run_id, &mut out).and_then(|_| std::io::Write::flush(&mut out));
            match written {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(Error::Internal(format!("cannot write the attempts: {e}")));
                }
                _ => {}
            }
        }
    }
    Ok(EXIT_OK)
}
