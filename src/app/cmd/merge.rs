//! `bench merge SHARD... --out DIR`: join the shards of a run (`--shard K/N`, one output folder each,
//! or runs in one shared store) into one run, then write its files and print its table as `bench run`
//! does.

use std::path::Path;

use crate::analysis::{RunView, summarize};
use crate::app::MergeArgs;
use crate::app::cmd::compare::table_for;
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::launch::new_run_id;
use crate::app::run_files::RunFiles;
use crate::app::session::store_location;
use crate::app::{note_hidden_columns, print_stdout};
use crate::config::Config;
use crate::store::merge::{self, MergeError, ShardRun};
use crate::store::{Location, Reader, Store};

/// A shard named on the command line, its store opened.
struct Opened {
    label: String,
    reader: Reader,
    run_id: String,
}

/// Merge the shards; returns the exit code.
pub fn run(args: &MergeArgs) -> Result {
    let location = store_location(args.store.as_deref(), &Config::load(None)?)?;
    // Nothing is written, not even a new database, until the shards pass every check.
    let existing = Store::open_existing(&args.out, &location)?;
    let opened = match (&args.tag, &existing) {
        (Some(tag), Some(store)) => shards_of_tag(store, tag)?,
        (Some(tag), None) => {
            return Err(Error::usage(format!(
                "no shard run tagged `{tag}`: no runs in {}",
                args.out.display()
            )));
        }
        (None, _) => {
            args.shards.iter().map(|arg| open(arg, existing.as_ref())).collect::<Result<Vec<_>>>()?
        }
    };
    let shards = opened
        .iter()
        .map(|o| ShardRun::load(&o.label, &o.reader, &o.run_id))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(merge_error)?;
    let joined = merge::check(&shards).map_err(merge_error)?;
    let store = match existing {
        Some(store) => store,
        None => Store::open(&args.out, &location)?,
    };
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

/// Open the run a shard argument names: `FOLDER` (its newest run), `FOLDER@RUN_ID`, or the id of a
/// run in the store the merged run goes to.
fn open(arg: &str, into: Option<&Store>) -> Result<Opened> {
    let trimmed = arg.trim_end_matches('/');
    let label = if trimmed.is_empty() { arg } else { trimmed };
    let (folder, run) = match label.rsplit_once('@') {
        Some((folder, run)) if !Path::new(label).is_dir() => (folder, run),
        _ => (label, "latest"),
    };
    let Some(store) = Store::open_existing(Path::new(folder), &Location::Sqlite)? else {
        if let Some(into) = into.filter(|_| !Path::new(folder).exists()) {
            let reader = into.reader()?;
            if let Some(found) = reader.run(label)? {
                return Ok(Opened { label: label.to_string(), reader, run_id: found.run_id });
            }
        }
        return Err(Error::usage(format!(
            "{label}: no runs here (no bench.sqlite), and no run of that id in the store"
        )));
    };
    let reader = store.reader()?;
    let Some(found) = reader.resolve(run, false)? else {
        return Err(Error::usage(format!(
            "{label}: no run `{run}` in {folder} (see `bench runs --out {folder}`)"
        )));
    };
    Ok(Opened { label: label.to_string(), reader, run_id: found.run_id })
}

/// The newest shard runs tagged `tag` in `store`: for each index of the newest shard run's split, the
/// newest run made since the tag's last merged (unsharded) run. The checks of the merge find any
/// index missing.
fn shards_of_tag(store: &Store, tag: &str) -> Result<Vec<Opened>> {
    let reader = store.reader()?;
    let mut picked: Vec<(u32, String)> = Vec::new();
    let mut count = None;
    for run in reader.runs()? {
        let manifest = reader.manifest(&run.run_id)?;
        if manifest.tag.as_deref() != Some(tag) {
            continue;
        }
        let Some(shard) = manifest.shard else { break };
        if *count.get_or_insert(shard.count) == shard.count && !picked.iter().any(|(k, _)| *k == shard.index)
        {
            picked.push((shard.index, run.run_id));
        }
    }
    if picked.is_empty() {
        return Err(Error::usage(format!(
            "no shard run tagged `{tag}` in {} since its last merged run (see `bench runs`)",
            store.place()
        )));
    }
    picked.sort();
    picked
        .into_iter()
        .map(|(index, run_id)| {
            let label = format!("shard {index} ({run_id})");
            Ok(Opened { label, reader: store.reader()?, run_id })
        })
        .collect()
}

/// A check that failed is the user's to fix (exit 2); a store that cannot be read or written is not.
fn merge_error(e: MergeError) -> Error {
    match e {
        MergeError::Store(e) => Error::Store(e),
        other => Error::usage(other.to_string()),
    }
}
