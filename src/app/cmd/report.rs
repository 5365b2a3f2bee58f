//! `bench report RUN`: render a stored run from the store alone, in the format asked.

use crate::analysis::{RunView, summarize};
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::print_stdout;
use crate::app::write_atomically;
use crate::app::{ReportArgs, ReportFormat, color_enabled_on, note_hidden_columns, table_layout};
use crate::report;
use crate::store::Store;

/// Render the run to stdout or `--output`.
pub fn run(args: &ReportArgs) -> Result {
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
    let mut view = RunView::load(&reader, &run.run_id)?;
    if let Some(threshold) = args.context_threshold {
        view.manifest.options.context_threshold = threshold;
    }
    let summary = summarize(&view);
    let text = match args.format {
        ReportFormat::Table => {
            let stdout = std::io::stdout();
            let color = args.output.is_none() && color_enabled_on(&stdout);
            let table = report::table::render(&summary, table_layout(&stdout, args.wide), color);
            note_hidden_columns(table.hidden);
            table.text + "\n"
        }
        ReportFormat::Json => report::json::render(&summary).map_err(Error::Internal)?,
        ReportFormat::Markdown => report::markdown::render(&summary),
    };
    match &args.output {
        Some(path) => write_atomically(path, |w| std::io::Write::write_all(w, text.as_bytes()))
            .map_err(|e| Error::usage(format!("{}: cannot write: {e}", path.display())))?,
        None => print_stdout(&text)?,
    }
    Ok(EXIT_OK)
}
