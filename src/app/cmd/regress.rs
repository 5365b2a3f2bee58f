//! `bench regress [RUN] --against RUN_ID|latest:TAG`: check a run against an earlier one and exit 1
//! on a regression; print a table, Markdown or JSON, and write JUnit XML on request.

use crate::analysis::RunView;
use crate::analysis::drift::{Identity, drift};
use crate::analysis::regress::regress;
use crate::app::errors::{EXIT_OK, EXIT_REGRESSION, Error, Result};
use crate::app::session::open_store;
use crate::app::{
    RegressArgs, VerdictFormat, note_hidden_columns, print_stdout, table_layout, write_atomically,
};
use crate::config::{Config, RegressRules};
use crate::report;
use crate::store::{Reader, RunStatus};

/// What `--against` names.
enum Against<'a> {
    /// A run id (or `latest`).
    Run(&'a str),
    /// The newest run with this tag that started before the run checked.
    Tag(&'a str),
}

impl<'a> Against<'a> {
    fn parse(arg: &'a str) -> Result<Against<'a>> {
        match arg.strip_prefix("latest:") {
            Some("") => Err(Error::usage("--against latest:TAG needs a tag after `latest:`")),
            Some(tag) => Ok(Against::Tag(tag)),
            None => Ok(Against::Run(arg)),
        }
    }
}

/// Check the run and return 1 when it regressed, 0 otherwise.
pub fn run(args: &RegressArgs) -> Result {
    let store = open_store(&args.out, args.store.as_deref(), args.config.as_deref())?;
    let reader = store.reader()?;
    let place = store.place();
    let against = Against::parse(&args.against)?;
    let run_id = match (&args.run, &against) {
        (Some(run), _) => resolve(&reader, &place, run)?,
        (None, Against::Tag(tag)) => match reader.newest_tagged(tag, None)? {
            Some(id) => id,
            None => return Err(no_such_tag(&place, tag)),
        },
        (None, Against::Run(_)) => resolve(&reader, &place, "latest")?,
    };
    let base_id = match against {
        Against::Run(id) => resolve(&reader, &place, id)?,
        Against::Tag(tag) => match reader.newest_tagged(tag, Some(&run_id))? {
            Some(id) => id,
            None if reader.tagged(tag)?.is_empty() => return Err(no_such_tag(&place, tag)),
            None => return nothing_to_compare(args, &run_id, tag),
        },
    };
    if base_id == run_id {
        return Err(Error::usage(format!("--against names the run checked ({run_id}): nothing to compare")));
    }
    let rules = rules(args)?;
    let before = RunView::load(&reader, &base_id)?;
    let after = RunView::load(&reader, &run_id)?;
    for view in [&before, &after].into_iter().filter(|v| v.run.status != RunStatus::Finished) {
        eprintln!(
            "warning: run {} is {}: only what it answered is compared",
            view.run.run_id,
            view.run.status.as_str()
        );
    }
    let changed = drift(
        &Identity::load(&reader, &base_id, &before.manifest)?,
        &Identity::load(&reader, &run_id, &after.manifest)?,
    );
    let verdict = regress(&before, &after, changed, &rules, args.fail_on_drift);
    let text = match args.format {
        VerdictFormat::Table => {
            let table = report::regress::render_table(&verdict, table_layout(&std::io::stdout(), args.wide));
            note_hidden_columns(table.hidden);
            table.text + "\n"
        }
        VerdictFormat::Markdown => report::regress::render_markdown(&verdict),
        VerdictFormat::Json => serde_json::to_string_pretty(&verdict)
            .map(|j| j + "\n")
            .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?,
    };
    if let Some(path) = &args.junit {
        write_junit(path, &report::regress_junit::render(&verdict).map_err(Error::Internal)?)?;
    }
    print_stdout(&text)?;
    Ok(if verdict.failed() { EXIT_REGRESSION } else { EXIT_OK })
}

/// The id of `run` (an id or `latest`), which must exist.
fn resolve(reader: &Reader, place: &str, run: &str) -> Result<String> {
    match reader.resolve(run, false)? {
        Some(found) => Ok(found.run_id),
        None => Err(Error::usage(format!("{run}: no such run in {place} (see `bench runs`)"))),
    }
}

fn no_such_tag(place: &str, tag: &str) -> Error {
    Error::usage(format!("no run in {place} is tagged `{tag}` (tag runs with `bench run ... --tag {tag}`)"))
}

/// The first run of a series has nothing before it: say so, and pass (a new series must not fail its
/// first night). The JUnit file, when asked for, holds one skipped case that says the same.
fn nothing_to_compare(args: &RegressArgs, run_id: &str, tag: &str) -> Result {
    let message = format!("nothing to compare: no run tagged `{tag}` started before {run_id}");
    if let Some(path) = &args.junit {
        write_junit(path, &report::regress_junit::render_skipped(&message).map_err(Error::Internal)?)?;
    }
    print_stdout(&format!("{message}\n"))?;
    Ok(EXIT_OK)
}

fn write_junit(path: &std::path::Path, xml: &str) -> Result<()> {
    write_atomically(path, |w| std::io::Write::write_all(w, xml.as_bytes()))
        .map_err(|e| Error::usage(format!("{}: cannot write: {e}", path.display())))
}

/// The thresholds: `[regress]` of the configuration, each overridden by its flag.
fn rules(args: &RegressArgs) -> Result<RegressRules> {
    let file = Config::load(args.config.as_deref())?.regress;
    Ok(RegressRules {
        max_drop: args.max_drop.unwrap_or(file.max_drop),
        alpha: args.alpha.unwrap_or(file.alpha),
        max_cost_increase: args.max_cost_increase.unwrap_or(file.max_cost_increase),
        max_latency_increase: args.max_latency_increase.unwrap_or(file.max_latency_increase),
        max_error_rate_increase: args.max_error_rate_increase.unwrap_or(file.max_error_rate_increase),
    })
}
