//! `bench merge`: the shards of a run (`--shard K/N`, each in a store of its own) joined into one
//! run that reports, regresses and lists exactly like a run made in one piece.
//!
//! Shards are read only through [`Reads`] and the joined run is written through the store's own
//! write path ([`Store::begin`], the writer, [`Store::save_canaries`]), so merging works on any
//! backend. Nothing is written until every check has passed: the shards finished, their manifests
//! agree but for the shard, they are shards 1 to N of one N, and their tasks cover every task of
//! every suite exactly once.

use std::collections::{BTreeMap, HashMap};

use super::{
    AttemptRecord, AttemptRow, CanaryRecord, Manifest, Reads, RunRow, RunStart, RunStatus, StartTasks, Store,
    StoreError, StoredTask, Write, task_set_hash,
};
use crate::provider::{ErrorClass, ProviderError};

/// One shard as read from its store: the run, its manifest and its tasks.
pub struct ShardRun<'a> {
    /// How the shard was named on the command line (its folder), for messages.
    pub label: String,
    /// Where it was read from.
    pub store: &'a dyn Reads,
    /// The run's row: id, status, command.
    pub run: RunRow,
    /// What it was asked to do.
    pub manifest: Manifest,
    /// Its tasks, in the order it planned them.
    pub tasks: Vec<StoredTask>,
}

impl<'a> ShardRun<'a> {
    /// Read run `run_id` of `store`, named `label` in messages.
    pub fn load(label: &str, store: &'a dyn Reads, run_id: &str) -> Result<ShardRun<'a>, MergeError> {
        let run = store
            .run(run_id)?
            .ok_or_else(|| MergeError::NoRun { label: label.into(), run: run_id.into() })?;
        let manifest = store.manifest(run_id)?;
        let mut excerpts = HashMap::new();
        store.task_texts(run_id, &mut |text| {
            excerpts.insert((text.suite, text.id), text.prompt_excerpt);
        })?;
        let mut tasks = Vec::new();
        store.tasks(run_id, &mut |record| {
            let prompt_excerpt = excerpts.remove(&(record.suite.clone(), record.id.clone())).flatten();
            tasks.push(StoredTask { record, prompt_excerpt });
        })?;
        Ok(ShardRun { label: label.into(), store, run, manifest, tasks })
    }

    /// Which shard it is (0 for a run that is not one).
    fn index(&self) -> u32 {
        self.manifest.shard.as_ref().map_or(0, |s| s.index)
    }

    /// `K/N`, or `-` for a run that is not a shard.
    fn shard_label(&self) -> String {
        self.manifest.shard.as_ref().map_or("-".into(), |s| s.label())
    }
}

/// Why shards cannot be merged; each names the shards at fault.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A shard's store could not be read, or the merged run not written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The run named is not in the shard's store.
    #[error("{label}: no run `{run}` there (see `bench runs --out {label}`)")]
    NoRun {
        /// The shard.
        label: String,
        /// The run asked for.
        run: String,
    },
    /// A run made without `--shard`.
    #[error("{label}: run {run} is not a shard (made without --shard K/N); merge joins shards of one run")]
    NotAShard {
        /// The shard folder.
        label: String,
        /// Its run.
        run: String,
    },
    /// A shard that did not finish.
    #[error("{label}: run {run} is {status}, not finished; finish it first with: {resume}")]
    Unfinished {
        /// The shard folder.
        label: String,
        /// Its run.
        run: String,
        /// Where it stands.
        status: &'static str,
        /// The command that finishes it.
        resume: String,
    },
    /// Two shards were not cut from the same run.
    #[error("{first} and {other} are not shards of one run:\n  {}", differences.join("\n  "))]
    Disagree {
        /// The first shard named.
        first: String,
        /// A shard that differs from it.
        other: String,
        /// What differs, one line each.
        differences: Vec<String>,
    },
    /// The same shard given twice.
    #[error("{first} and {other} are both shard {shard}: give each shard once")]
    SameShard {
        /// One folder.
        first: String,
        /// The other.
        other: String,
        /// `K/N`.
        shard: String,
    },
    /// Not every shard of N is there.
    #[error("shards {} of {count} are missing (given: {given}); merge needs all {count}", list(missing))]
    Missing {
        /// N.
        count: u32,
        /// The indexes not given.
        missing: Vec<u32>,
        /// The shards given, as `K/N in FOLDER`.
        given: String,
    },
    /// A task two shards both hold.
    #[error("task {suite}/{id} is in two shards: {first} and {other}")]
    Overlap {
        /// Its suite.
        suite: String,
        /// Its id.
        id: String,
        /// One shard holding it.
        first: String,
        /// The other.
        other: String,
    },
    /// The shards together lack tasks of a suite, or hold others than it has.
    #[error("the shards ({labels}) hold {have} tasks of suite `{suite}`, which has {want}{differ}")]
    Uncovered {
        /// The suite.
        suite: String,
        /// Tasks of it the shards hold.
        have: usize,
        /// Tasks it has.
        want: usize,
        /// `, and not the same ones` when the counts agree but the tasks do not.
        differ: &'static str,
        /// Every shard folder.
        labels: String,
    },
}

fn list(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// What passed the checks: the merged run's manifest and tasks, and the shards in index order.
pub struct Joined<'s, 'a> {
    /// The run as if made unsharded.
    pub manifest: Manifest,
    /// Every task, suite by suite, each suite's shard by shard.
    pub tasks: Vec<StoredTask>,
    /// The shards, by index.
    pub shards: Vec<&'s ShardRun<'a>>,
}

/// Check that `shards` are every shard of one finished run, each task in exactly one of them.
pub fn check<'s, 'a>(shards: &'s [ShardRun<'a>]) -> Result<Joined<'s, 'a>, MergeError> {
    for shard in shards {
        check_finished(shard)?;
    }
    let Some(first) = shards.first() else {
        return Err(MergeError::Missing { count: 0, missing: Vec::new(), given: "none".into() });
    };
    for other in &shards[1..] {
        let differences = first.manifest.shard_differences(&other.manifest);
        if !differences.is_empty() {
            return Err(MergeError::Disagree {
                first: first.label.clone(),
                other: other.label.clone(),
                differences,
            });
        }
    }
    let ordered = check_indexes(shards)?;
    let manifest = first.manifest.unsharded();
    let tasks = check_coverage(&manifest, first, &ordered)?;
    Ok(Joined { manifest, tasks, shards: ordered })
}

/// A shard must be a shard, and finished.
fn check_finished(shard: &ShardRun<'_>) -> Result<(), MergeError> {
    let (label, run) = (shard.label.clone(), shard.run.run_id.clone());
    if shard.manifest.shard.is_none() {
        return Err(MergeError::NotAShard { label, run });
    }
    if shard.run.status != RunStatus::Finished {
        let command = shard.run.command.split_whitespace().next().unwrap_or("run");
        let folder = label.rsplit_once('@').map_or(label.as_str(), |(folder, _)| folder);
        return Err(MergeError::Unfinished {
            resume: format!("bench {command} --resume {run} --out {folder}"),
            status: shard.run.status.as_str(),
            label,
            run,
        });
    }
    Ok(())
}

/// Each index once, and all N of them; the shards by index.
fn check_indexes<'s, 'a>(shards: &'s [ShardRun<'a>]) -> Result<Vec<&'s ShardRun<'a>>, MergeError> {
    let mut by_index: BTreeMap<u32, &ShardRun<'_>> = BTreeMap::new();
    for shard in shards {
        if let Some(seen) = by_index.insert(shard.index(), shard) {
            return Err(MergeError::SameShard {
                first: seen.label.clone(),
                other: shard.label.clone(),
                shard: shard.shard_label(),
            });
        }
    }
    let count = shards[0].manifest.shard.as_ref().map_or(0, |s| s.count);
    let missing: Vec<u32> = (1..=count).filter(|k| !by_index.contains_key(k)).collect();
    if !missing.is_empty() {
        let given = by_index.iter().map(|(k, s)| format!("{k}/{count} in {}", s.label)).collect::<Vec<_>>();
        return Err(MergeError::Missing { count, missing, given: given.join(", ") });
    }
    Ok(by_index.into_values().collect())
}

/// Which shard holds each task; a task in two shards is refused.
fn holders<'s>(shards: &[&'s ShardRun<'_>]) -> Result<HashMap<(&'s str, &'s str), &'s str>, MergeError> {
    let mut holder = HashMap::new();
    for shard in shards {
        for task in &shard.tasks {
            let key = (task.record.suite.as_str(), task.record.id.as_str());
            if let Some(first) = holder.insert(key, shard.label.as_str()) {
                return Err(MergeError::Overlap {
                    suite: key.0.into(),
                    id: key.1.into(),
                    first: first.into(),
                    other: shard.label.clone(),
                });
            }
        }
    }
    Ok(holder)
}

/// No task in two shards, and every task of every suite in one: the merged task list, suite by
/// suite in the manifest's order, each suite's tasks shard by shard.
fn check_coverage(
    manifest: &Manifest,
    first: &ShardRun<'_>,
    shards: &[&ShardRun<'_>],
) -> Result<Vec<StoredTask>, MergeError> {
    let holder = holders(shards)?;
    let labels = shards.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(", ");
    let uncovered = |suite: &str, have: usize, want: usize, same: bool| MergeError::Uncovered {
        suite: suite.into(),
        have,
        want,
        differ: if have == want && !same { ", and not the same ones" } else { "" },
        labels: labels.clone(),
    };
    if let Some((stray, _)) =
        holder.keys().find(|(suite, _)| manifest.suites.iter().all(|s| s.name != *suite))
    {
        let have = holder.keys().filter(|(suite, _)| suite == stray).count();
        return Err(uncovered(stray, have, 0, false));
    }
    let wholes = first.manifest.shard.as_ref().map_or(&[][..], |s| s.suites.as_slice());
    let mut tasks = Vec::with_capacity(holder.len());
    for (suite, whole) in manifest.suites.iter().zip(wholes) {
        let start = tasks.len();
        for shard in shards {
            tasks.extend(shard.tasks.iter().filter(|t| t.record.suite == suite.name).cloned());
        }
        let part = &tasks[start..];
        let same = task_set_hash(part.iter().map(|t| &t.record)) == whole.task_set;
        if part.len() != suite.tasks || !same {
            return Err(uncovered(&suite.name, part.len(), suite.tasks, same));
        }
    }
    Ok(tasks)
}

/// What writing the merged run found worth saying.
#[derive(Debug, Default)]
pub struct Written {
    /// Final results copied.
    pub results: u64,
    /// Providers whose shards asked the canary and got other answers: the lowest shard's are kept.
    pub canary_disagreements: Vec<String>,
}

/// Write `joined` as run `run_id` of `store` (`command` is noted with it): every task, attempt,
/// result (with its turns and reported model), score and canary of its shards, then mark it
/// finished. A write that fails half-way leaves the run marked interrupted.
pub fn write(
    store: &Store,
    run_id: &str,
    command: &str,
    joined: &Joined<'_, '_>,
) -> Result<Written, MergeError> {
    let Some(_lock) = store.lock(run_id)? else {
        return Err(StoreError(format!("run {run_id} is locked by another process")).into());
    };
    store.begin(&RunStart {
        run_id,
        command,
        manifest: &joined.manifest,
        tasks: StartTasks::Stored(&joined.tasks),
        new: true,
    })?;
    match copy(store, run_id, &joined.shards) {
        Ok(written) => {
            store.set_status(run_id, RunStatus::Finished)?;
            Ok(written)
        }
        Err(e) => {
            if let Err(status) = store.set_status(run_id, RunStatus::Interrupted) {
                tracing::warn!("run {run_id}: cannot mark the unfinished merge: {status}");
            }
            Err(e)
        }
    }
}

/// Copy every attempt, result, score and canary of `shards` into run `run_id`.
fn copy(store: &Store, run_id: &str, shards: &[&ShardRun<'_>]) -> Result<Written, MergeError> {
    let writer = store.writer(run_id)?;
    let sender = writer.sender();
    let mut written = Written::default();
    let mut unreadable = None;
    let mut open = true;
    for shard in shards {
        if !open {
            break;
        }
        let (reads, id) = (shard.store, shard.run.run_id.as_str());
        reads.attempts(id, &mut |row| match attempt_record(row) {
            Ok(record) => open &= sender.send(Write::Attempt(Box::new(record))).is_ok(),
            Err(e) => unreadable = unreadable.take().or(Some(e)),
        })?;
        reads.stored_results(id, &mut |stored| {
            written.results += 1;
            let key = stored.result.key.clone();
            open &= sender.send(Write::Result(Box::new(stored.result))).is_ok();
            if let Some(score) = stored.score {
                open &= sender.send(Write::Score(key, score)).is_ok();
            }
        })?;
    }
    drop(sender);
    writer.finish()?;
    if let Some(e) = unreadable {
        return Err(e.into());
    }
    let (canaries, disagreements) = canaries(shards)?;
    store.save_canaries(run_id, &canaries)?;
    written.canary_disagreements = disagreements;
    Ok(written)
}

/// The canary answers per provider: the lowest shard's that has them; the providers for which
/// another shard got other answers.
fn canaries(shards: &[&ShardRun<'_>]) -> Result<(Vec<CanaryRecord>, Vec<String>), StoreError> {
    let mut kept: BTreeMap<String, (CanaryRecord, &str)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for shard in shards {
        for canary in shard.store.canaries(&shard.run.run_id)? {
            match kept.get(&canary.provider) {
                Some((first, label)) if first.fingerprint != canary.fingerprint => {
                    disagreements.push(format!(
                        "{}: the canary answers of {label} ({}) and {} ({}) differ; {label}'s are kept",
                        canary.provider,
                        short(&first.fingerprint),
                        shard.label,
                        short(&canary.fingerprint)
                    ))
                }
                Some(_) => {}
                None => {
                    kept.insert(canary.provider.clone(), (canary, &shard.label));
                }
            }
        }
    }
    Ok((kept.into_values().map(|(canary, _)| canary).collect(), disagreements))
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A stored attempt as the writer takes it.
fn attempt_record(row: AttemptRow) -> Result<AttemptRecord, StoreError> {
    let key = crate::core::ItemKey {
        suite: row.suite,
        task_id: row.task_id,
        provider: row.provider,
        sample: row.sample,
    };
    let error = match (row.ok, row.error_class) {
        (true, _) => None,
        (false, Some(class)) => {
            let parsed: ErrorClass = serde_json::from_value(serde_json::Value::String(class.clone()))
                .map_err(|_| {
                    StoreError(format!("{key}: attempt {}: unknown error class `{class}`", row.attempt))
                })?;
            let message = row.error_message.unwrap_or_default();
            Some(ProviderError { status: row.http_status, ..ProviderError::new(parsed, message) })
        }
        (false, None) => {
            return Err(StoreError(format!("{key}: attempt {}: failed without a class", row.attempt)));
        }
    };
    Ok(AttemptRecord {
        key,
        attempt: row.attempt,
        started_at: row.started_at,
        latency_ms: row.latency_ms,
        ttft_ms: row.ttft_ms,
        error,
        usage: row.usage,
        cost: row.cost,
        from_cache: row.from_cache,
        usage_estimated: row.usage_estimated,
    })
}

#[cfg(test)]
mod tests;
