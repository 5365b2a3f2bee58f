//! `bench report RUN [RUN_B]`: render a stored run from the store alone, in the format asked; with a
//! second run, the two side by side; with `--migration`, the migration report.

use crate::analysis::{RunView, diff::diff, migration::migration, summarize};
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::print_stdout;
use crate::app::write_atomically;
use crate::app::{ReportArgs, ReportFormat, color_enabled_on, note_hidden_columns, table_layout};
use crate::config::Config;
use crate::report;
use crate::store::{Reader, Store};

/// Render the run (or the two runs, or the migration report) to stdout or `--output`.
pub fn run(args: &ReportArgs) -> Result {
    let Some(store) = Store::open_existing(&args.out)? else {
        return Err(Error::usage(format!("{}: no runs here (no bench.sqlite)", args.out.display())));
    };
    let reader = store.reader()?;
    let mut view = load(&reader, args, &args.run)?;
    if let Some(threshold) = args.context_threshold {
        view.manifest.options.context_threshold = threshold;
    }
    let text = if let Some(second) = &args.run_b {
        two_runs(args, &view, &load(&reader, args, second)?)?
    } else if args.migration {
        let rules = Config::load(args.config.as_deref())?.migration;
        let model = migration(&view, &rules);
        match args.format {
            ReportFormat::Json => json(&model)?,
            ReportFormat::Table | ReportFormat::Markdown => report::migration_md::render(&model),
        }
    } else {
        let summary = summarize(&view);
        match args.format {
            ReportFormat::Table => {
                let stdout = std::io::stdout();
                let color = args.output.is_none() && color_enabled_on(&stdout);
                let table = report::table::render(&summary, table_layout(&stdout, args.wide), color);
                note_hidden_columns(table.hidden);
                table.text + "\n"
            }
            ReportFormat::Json => report::json::render(&summary).map_err(Error::Internal)?,
            ReportFormat::Markdown => report::markdown::render(&summary),
        }
    };
    match &args.output {
        Some(path) => write_atomically(path, |w| std::io::Write::write_all(w, text.as_bytes()))
            .map_err(|e| Error::usage(format!("{}: cannot write: {e}", path.display())))?,
        None => print_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// The view of run `run` (an id or `latest`), which must exist.
fn load(reader: &Reader, args: &ReportArgs, run: &str) -> Result<RunView> {
    let Some(found) = reader.resolve(run, false)? else {
        return Err(Error::usage(format!("{run}: no such run in {} (see `bench runs`)", args.out.display())));
    };
    Ok(RunView::load(reader, &found.run_id)?)
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
    })
}

/// Pretty JSON with a final newline.
fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|j| j + "\n")
        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))
}
