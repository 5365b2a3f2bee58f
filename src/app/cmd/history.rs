//! `bench history --tag NAME`: per provider and suite, how the runs of a tag went, oldest first.

use crate::analysis::RunView;
use crate::analysis::history::History;
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::session::open_store;
use crate::app::{HistoryArgs, note_hidden_columns, print_stdout, table_layout};
use crate::report;
use crate::store::Reader;

/// Runs of a tag the HTML report's trend charts show at most: the newest, up to the run reported.
const TREND_RUNS: usize = 30;

/// Print the history of the tag.
pub fn run(args: &HistoryArgs) -> Result {
    let store = open_store(&args.out, args.store.as_deref(), None)?;
    let reader = store.reader()?;
    let runs = reader.tagged(&args.tag)?;
    if runs.is_empty() {
        return Err(Error::usage(format!(
            "no run in {} is tagged `{}` (tag runs with `bench run ... --tag {}`)",
            store.place(),
            args.tag,
            args.tag
        )));
    }
    let mut history = History::new(&args.tag);
    let (mut providers, mut suites) = (Vec::new(), Vec::new());
    for run_id in &runs {
        let view = RunView::load(&reader, run_id)?;
        providers.extend(view.manifest.providers.iter().map(|p| p.name.clone()));
        suites.extend(view.manifest.suites.iter().map(|s| s.name.clone()));
        history.add(&view, args.provider.as_deref(), args.suite.as_deref());
    }
    for (flag, wanted, known) in
        [("--provider", &args.provider, &providers), ("--suite", &args.suite, &suites)]
    {
        if let Some(wanted) = wanted
            && !known.contains(wanted)
        {
            return Err(Error::usage(format!(
                "{flag} {wanted}: not in the runs tagged `{}`{}",
                args.tag,
                crate::core::did_you_mean(wanted, known.iter().map(String::as_str))
            )));
        }
    }
    if args.json {
        let json = serde_json::to_string_pretty(&history)
            .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
        return print_stdout(&(json + "\n")).map(|()| EXIT_OK);
    }
    let table = report::history::render_table(&history, table_layout(&std::io::stdout(), args.wide));
    note_hidden_columns(table.hidden);
    print_stdout(&(table.text + "\n"))?;
    Ok(EXIT_OK)
}

/// The history of `view`'s tag over its last runs up to and including `view`, for the HTML report's
/// trend charts; `None` for an untagged run or the first of its series.
pub(crate) fn trend(reader: &Reader, view: &RunView) -> Result<Option<History>> {
    let Some(tag) = &view.manifest.tag else { return Ok(None) };
    let runs = reader.tagged(tag)?;
    let Some(end) = runs.iter().position(|r| *r == view.run.run_id) else { return Ok(None) };
    if end == 0 {
        return Ok(None);
    }
    let mut history = History::new(tag);
    for run_id in &runs[(end + 1).saturating_sub(TREND_RUNS)..end] {
        history.add(&RunView::load(reader, run_id)?, None, None);
    }
    history.add(view, None, None);
    Ok(Some(history))
}
