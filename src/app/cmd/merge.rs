//! `bench merge SHARD... --out DIR`: join the shards of a run (`--shard K/N`, one output folder each)
//! into one run, then write its files and print its table as `bench run` does.

use std::path::Path;

use crate::analysis::{RunView, summarize};
use crate::app::MergeArgs;
use crate::app::cmd::compare::table_for;
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::launch::new_run_id;
use crate::app::run_files::RunFiles;
use crate::app::{note_hidden_columns, print_stdout};
use crate::store::merge::{self, MergeError, ShardRun};
use crate::store::{Reader, Store};

/// A shard named on the command line, its store opened.
struct Opened {
    label: String,
    reader: Reader,
    run_id: String,
}

/// Merge the shards; returns the exit code.
pub fn run(args: &MergeArgs) -> Result {
    let opened = args.shards.iter().map(|arg| open(arg)).collect::<Result<Vec<_>>>()?;
    let shards = opened
        .iter()
        .map(|o| ShardRun::load(&o.label, &o.reader, &o.run_id))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(merge_error)?;
    let joined = merge::check(&shards).map_err(merge_error)?;
    let store = Store::open(&args.out)?;
    let run_id = new_run_id();
    let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let written = merge::write(&store, &run_id, &command, &joined).map_err(merge_error)?;
    let runs: Vec<String> = joined.shards.iter().map(|s| format!("{} {}", s.label, s.run.run_id)).collect();
    eprintln!(
        "run {run_id}: {} shards merged ({}): {} tasks x {} providers, {} results, in {}",
        joined.shards.len(),
        runs.join(", "),
        joined.tasks.len(),
        joined.manifest.providers.len(),
        written.results,
        store.out_dir().join(&run_id).display()
    );
    for disagreement in &written.canary_disagreements {
        eprintln!("warning: {disagreement}");
    }
    let view = RunView::load(&store.reader()?, &run_id)?;
    let summary = summarize(&view);
    let files = RunFiles::write(&store, &run_id, &view, &summary)?;
    let table = table_for(&summary, &std::io::stdout(), args.wide);
    print_stdout(&format!("{}\n", table.text))?;
    note_hidden_columns(table.hidden);
    files.announce();
    Ok(EXIT_OK)
}

/// Open the store a shard argument names: `FOLDER` (its newest run) or `FOLDER@RUN_ID`.
fn open(arg: &str) -> Result<Opened> {
    let trimmed = arg.trim_end_matches('/');
    let label = if trimmed.is_empty() { arg } else { trimmed };
    let (folder, run) = match label.rsplit_once('@') {
        Some((folder, run)) if !Path::new(label).is_dir() => (folder, run),
        _ => (label, "latest"),
    };
    let Some(store) = Store::open_existing(Path::new(folder))? else {
        return Err(Error::usage(format!("{label}: no runs here (no bench.sqlite)")));
    };
    let reader = store.reader()?;
    let Some(found) = reader.resolve(run, false)? else {
        return Err(Error::usage(format!(
            "{label}: no run `{run}` in {folder} (see `bench runs --out {folder}`)"
        )));
    };
    Ok(Opened { label: label.to_string(), reader, run_id: found.run_id })
}

/// A check that failed is the user's to fix (exit 2); a store that cannot be read or written is not.
fn merge_error(e: MergeError) -> Error {
    match e {
        MergeError::Store(e) => Error::Store(e),
        other => Error::usage(other.to_string()),
    }
}
