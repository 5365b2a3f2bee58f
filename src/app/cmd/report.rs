//! `bench report RUN [RUN_B]`: render a stored run from the store alone, in the format asked; with a
//! second run, the two side by side; with `--migration`, the migration report.

use std::path::{Path, PathBuf};

use crate::analysis::{RunView, Summary, diff::diff, migration::migration, summarize};
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::print_stdout;
use crate::app::session::open_store;
use crate::app::write_atomically;
use crate::app::{ReportArgs, ReportFormat, color_enabled_on, note_hidden_columns, table_layout};
use crate::config::Config;
use crate::report;
use crate::report::texts::{Lengths, StoredTexts, Texts};
use crate::store::{Reader, Store};

/// Characters of a scorer's detail each failed answer shows in JUnit.
const JUNIT_LENGTHS: Lengths = Lengths { prompt: 0, answer: 0, detail: 300 };

/// Render the run (or the two runs, or the migration report) to stdout or `--output`.
pub fn run(args: &ReportArgs) -> Result {
    if args.png.is_some() && (args.format != ReportFormat::Html || args.migration || args.run_b.is_some()) {
        return Err(Error::usage("--png draws the charts of one run's html report: add --format html"));
    }
    let store = open_store(&args.out, args.store.as_deref(), args.config.as_deref())?;
    let reader = store.reader()?;
    let place = store.place();
    let run_id = resolve(&reader, &place, &args.run)?;
    if args.format == ReportFormat::Jsonl && args.run_b.is_none() && !args.migration {
        // The attempts log streams from the store; it needs no view.
        return attempts(&reader, &run_id, args.output.as_deref());
    }
    let one_run_texts = match args.format {
        ReportFormat::Html if args.run_b.is_none() && !args.migration => Some(report::html::LENGTHS),
        ReportFormat::Junit if args.run_b.is_none() && !args.migration => Some(JUNIT_LENGTHS),
        _ => None,
    };
    let (mut view, texts) = load(&store, &reader, &run_id, one_run_texts)?;
    if let Some(threshold) = args.context_threshold {
        view.manifest.options.context_threshold = threshold;
    }
    let text = if let Some(second) = &args.run_b {
        let after = RunView::load(&reader, &resolve(&reader, &place, second)?)?;
        two_runs(args, &view, &after)?
    } else if args.migration {
        let model = migration(&view, &Config::load(args.config.as_deref())?.migration);
        match args.format {
            ReportFormat::Json => json(&model)?,
            ReportFormat::Table | ReportFormat::Markdown => report::migration_md::render(&model),
            ReportFormat::Html => report::migration_html::render(&model),
            other => return Err(unsupported(other, "--migration", "markdown, html or json")),
        }
    } else {
        one_run(args, &reader, &view, texts.unwrap_or_default())?
    };
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => print_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// Load run `run_id`'s view and, when `texts` asks for them, its texts at the same time, each on a read
/// connection of its own: on two cores the HTML report of a big run waits for the longer of the two
/// reads, not for their sum.
fn load(
    store: &Store,
    reader: &Reader,
    run_id: &str,
    texts: Option<Lengths>,
) -> Result<(RunView, Option<StoredTexts>)> {
    let Some(lengths) = texts else {
        return Ok((RunView::load(reader, run_id)?, None));
    };
    std::thread::scope(|scope| {
        let texts = scope.spawn(|| StoredTexts::read(&store.reader()?, run_id, lengths));
        let view = RunView::load(reader, run_id);
        let texts =
            texts.join().map_err(|_| Error::Internal("the thread reading the texts panicked".into()))?;
        Ok((view?, Some(texts?)))
    })
}

/// One run in any format but the attempts log (`texts`: read for html and junit).
fn one_run(args: &ReportArgs, reader: &Reader, view: &RunView, texts: StoredTexts) -> Result<String> {
    let summary = summarize(view);
    Ok(match args.format {
        ReportFormat::Table => {
            let stdout = std::io::stdout();
            let color = args.output.is_none() && color_enabled_on(&stdout);
            let table = report::table::render(&summary, table_layout(&stdout, args.wide), color);
            note_hidden_columns(table.hidden);
            table.text + "\n"
        }
        ReportFormat::Json => report::json::render(&summary).map_err(Error::Internal)?,
        ReportFormat::Markdown => report::markdown::render(&summary),
        ReportFormat::Html => {
            let trend = super::history::trend(reader, view)?;
            let rendered = report::html::render(view, &summary, &texts.join(view), trend.as_ref())
                .map_err(Error::Internal)?;
            if let Some(dir) = &args.png {
                let written = report::html::write_pngs(&rendered.charts, dir).map_err(Error::usage)?;
                eprintln!("{} charts as PNG in {}", written.len(), dir.display());
            }
            rendered.html
        }
        ReportFormat::Csv => {
            if let Some(path) = &args.output {
                let suites = report::csv::suites(&summary).map_err(Error::Internal)?;
                write_file(&suites_path(path), &suites)?;
            } else {
                eprintln!("note: the per-suite rows are written beside an --output file (FILE.suites.csv)");
            }
            report::csv::items(view).map_err(Error::Internal)?
        }
        ReportFormat::Junit => {
            report::junit::render(view, &summary, &texts.join(view)).map_err(Error::Internal)?
        }
        ReportFormat::Jsonl => unreachable!("the attempts log is streamed before a view is loaded"),
    })
}

/// The id of run `run` (an id or `latest`), which must exist.
fn resolve(reader: &Reader, place: &str, run: &str) -> Result<String> {
    match reader.resolve(run, false)? {
        Some(found) => Ok(found.run_id),
        None => Err(Error::usage(format!("{run}: no such run in {place} (see `bench runs`)"))),
    }
}

/// `bench report A B` in the format asked.
fn two_runs(args: &ReportArgs, before: &RunView, after: &RunView) -> Result<String> {
    let changes = diff(before, after);
    Ok(match args.format {
        ReportFormat::Table => {
            let table = report::diff::render_table(&changes, table_layout(&std::io::stdout(), args.wide));
            note_hidden_columns(table.hidden);
            table.text + "\n"
        }
        ReportFormat::Json => json(&changes)?,
        ReportFormat::Markdown => report::diff::render_markdown(&changes),
        other => return Err(unsupported(other, "two runs", "table, markdown or json")),
    })
}

fn unsupported(format: ReportFormat, what: &str, formats: &str) -> Error {
    Error::usage(format!("{what} render as {formats}, not {format:?}").to_lowercase())
}

/// Pretty JSON with a final newline.
fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|j| j + "\n")
        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))
}

/// The HTML report of a loaded run: its texts read from the store, then rendered.
pub(crate) fn html(reader: &Reader, view: &RunView, summary: &Summary) -> Result<report::html::Report> {
    let texts = Texts::load(reader, view, report::html::LENGTHS)?;
    let trend = super::history::trend(reader, view)?;
    report::html::render(view, summary, &texts, trend.as_ref()).map_err(Error::Internal)
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
