//! From what a command asks to run to a stored, finished (or interrupted) run: resolve providers,
//! suites and options (from the stored run when a resume leaves them out), refuse a resume that
//! differs from what the run started with, save the manifest before anything is sent, then let the
//! engine run the plan with the store and the progress bars as its sinks.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::Rng;

use super::errors::{Error, Result};
use super::progress::Progress;
use super::session::Session;
use crate::analysis::Summary;
use crate::config::ProviderSpec;
use crate::core::{DEFAULT_CONTEXT_THRESHOLD, RunOptions, Task, Vote};
use crate::families::SuiteSpec;
use crate::provider::{self, ErrorClass, Provider};
use crate::run::plan::TurnCache;
use crate::run::{Plan, ProviderReport, Shard, Sink, Sinks, StoreSink};
use crate::store::{
    Manifest, ProviderSnapshot, RunStart, RunStatus, ShardRecord, StartTasks, SuiteRecord, TaskRecord,
    WholeSuite, content_hash, task_set_hash,
};

/// What the command line asked for; `None` and empty lists mean "as the resumed run had it".
#[derive(Debug, Default)]
pub struct Asked<'a> {
    /// Provider names.
    pub providers: &'a [String],
    /// Suite arguments.
    pub suites: &'a [String],
    /// `--baseline`.
    pub baseline: Option<&'a str>,
    /// `--repos`.
    pub repos: Option<&'a Path>,
    /// `--samples`.
    pub samples: Option<u32>,
    /// `--vote`.
    pub vote: Option<Vote>,
    /// `--max-tokens`.
    pub max_tokens: Option<u32>,
    /// `--temperature`.
    pub temperature: Option<f64>,
    /// `--limit`.
    pub limit: Option<u64>,
    /// Not `--no-cache`.
    pub use_cache: bool,
    /// `--context-threshold`.
    pub context_threshold: Option<f64>,
    /// `--max-context`.
    pub max_context: Option<u64>,
    /// `--resume`: a run id or `latest`.
    pub resume: Option<&'a str>,
    /// `--tag`: the series the run belongs to.
    pub tag: Option<&'a str>,
    /// `--shard`: the part of the tasks this run answers.
    pub shard: Option<Shard>,
}

/// A run ready to start: everything resolved, nothing sent yet.
pub struct Launch {
    /// The run's id.
    pub run_id: String,
    /// False when resuming a stored run.
    pub new: bool,
    /// What the run is asked to do.
    pub manifest: Manifest,
    /// Resolved providers, in manifest order.
    pub specs: Vec<ProviderSpec>,
    /// Every task of the run.
    pub tasks: Vec<Task>,
}

/// How a launched run ended.
pub struct Ended {
    /// The run's id.
    pub run_id: String,
    /// Stopped by a signal before every item was final.
    pub interrupted: bool,
    /// Per provider, whether it stopped early and why.
    pub providers: Vec<ProviderReport>,
    /// Resolved providers (for hints that name a key variable).
    pub specs: Vec<ProviderSpec>,
}

impl Ended {
    /// Providers stopped early or that answered nothing, said for the user: the run did not
    /// measure them, so the command fails. `resume` is the command that finishes the run.
    pub fn failures(&self, summary: &Summary, resume: &str) -> Vec<String> {
        let mut failed = Vec::new();
        for p in &summary.providers {
            let stopped =
                self.providers.iter().find(|r| r.name == p.name).and_then(|r| r.stopped_by.as_ref());
            if let Some(error) = stopped {
                let var = self.specs.iter().find(|s| s.name == p.name).and_then(|s| s.api_key_env.as_deref());
                let hint = match (error.class, var) {
                    (ErrorClass::Auth | ErrorClass::QuotaExhausted, Some(var)) => format!(" (check {var})"),
                    _ => String::new(),
                };
                failed.push(format!(
                    "provider `{}` stopped early: {error}{hint}; finish later with: {resume}",
                    p.name
                ));
            } else if p.answered == 0 && p.items > 0 {
                let classes: Vec<String> =
                    p.errors_by_class.iter().map(|(c, n)| format!("{c} {n}")).collect();
                failed.push(format!(
                    "provider `{}` answered nothing: {} of {} items failed ({})",
                    p.name,
                    p.infra_errors,
                    p.items,
                    classes.join(", ")
                ));
            }
        }
        failed
    }
}

impl Launch {
    /// Resolve what `asked` means in `session`: a new run, or the stored run it resumes.
    pub fn resolve(session: &Session, asked: &Asked<'_>) -> Result<Launch> {
        let stored = match asked.resume {
            Some(wanted) => Some(stored_run(session, wanted)?),
            None => None,
        };
        let stored_manifest = stored.as_ref().map(|(_, m)| m);
        let providers: Vec<String> = match (asked.providers.is_empty(), stored_manifest) {
            (true, Some(m)) => m.providers.iter().map(|p| p.name.clone()).collect(),
            _ => asked.providers.to_vec(),
        };
        let specs = resolve_providers(session, &providers)?;
        let baseline = match (asked.baseline, stored_manifest) {
            (Some(b), _) if !providers.iter().any(|p| p == b) => {
                return Err(Error::usage(format!(
                    "--baseline {b} is not one of the providers compared{}; they are: {}",
                    crate::core::did_you_mean(b, providers.iter().map(String::as_str)),
                    providers.join(", ")
                )));
            }
            (Some(b), _) => b.to_string(),
            (None, Some(m)) if providers.contains(&m.baseline) => m.baseline.clone(),
            (None, _) => providers[0].clone(),
        };
        let options = options(asked, stored_manifest.map(|m| &m.options));
        let sources: Vec<SuiteSource> = match (asked.suites.is_empty(), stored_manifest) {
            (true, Some(m)) => m
                .suites
                .iter()
                .map(|s| SuiteSource {
                    arg: s.source.clone(),
                    repos: s.repos.clone(),
                    max_context: s.max_context,
                })
                .collect(),
            _ => asked
                .suites
                .iter()
                .map(|s| SuiteSource {
                    arg: s.clone(),
                    repos: asked.repos.map(Path::to_path_buf),
                    max_context: asked.max_context,
                })
                .collect(),
        };
        let shard = asked.shard.or_else(|| {
            let stored = stored_manifest.and_then(|m| m.shard.as_ref())?;
            Some(Shard { index: stored.index, count: stored.count })
        });
        let Loaded { suites, wholes, tasks } = load_suites(session, &sources, options.limit, shard)?;
        let manifest = Manifest {
            format: crate::store::MANIFEST_FORMAT,
            bench_version: env!("CARGO_PKG_VERSION").to_string(),
            baseline,
            options,
            providers: specs
                .iter()
                .map(ProviderSnapshot::of)
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::Internal(format!("cannot record a provider: {e}")))?,
            suites,
            tag: asked.tag.map(String::from).or_else(|| stored_manifest.and_then(|m| m.tag.clone())),
            shard: shard.map(|s| ShardRecord { index: s.index, count: s.count, suites: wholes }),
        };
        let (run_id, new) = match stored {
            Some((run_id, then)) => {
                let differences = then.differences(&manifest);
                if !differences.is_empty() {
                    return Err(Error::usage(format!(
                        "cannot resume run {run_id}: it started with other settings; start a new run instead, or resume with what it had:\n  {}",
                        differences.join("\n  ")
                    )));
                }
                (run_id, false)
            }
            None => (new_run_id(), true),
        };
        Ok(Launch { run_id, new, manifest, specs, tasks })
    }

    /// The plan: every item minus what the stored run already answered, with cached answers taken
    /// from the cache when it is on. The plan takes the task list over (a copy would double what a
    /// large run holds); the launch keeps none.
    fn plan(&mut self, session: &Session) -> Result<Plan> {
        let reader = session.store.reader()?;
        let answered = if self.new { HashSet::new() } else { reader.answered(&self.run_id)? };
        let use_cache = self.manifest.options.use_cache;
        let cache = use_cache.then_some((&reader, session.families.as_ref()));
        let mut plan = Plan::make(
            std::mem::take(&mut self.tasks),
            self.specs.clone(),
            self.manifest.options.clone(),
            &answered,
            cache,
        )?;
        if use_cache {
            plan.turn_cache = Some(Arc::new(TurnCache::new(session.store.reader()?)));
        }
        Ok(plan)
    }

    /// The plan alone, for `--dry-run`: what would be sent; nothing is saved or sent.
    pub fn plan_only(mut self, session: &Session) -> Result<Plan> {
        self.plan(session)
    }

    /// Run it: save the manifest, then answer, score and store every item, with progress bars on
    /// stderr; the run's status is saved at the end.
    pub fn run(mut self, session: &Session, command: &str) -> Result<Ended> {
        let missing: Vec<String> =
            self.specs.iter().filter_map(|s| s.api_key().err()).map(|e| e.to_string()).collect();
        if !missing.is_empty() {
            return Err(Error::usage(missing.join("\n")));
        }
        let providers: Vec<Arc<dyn Provider>> = self
            .specs
            .iter()
            .map(provider::connect)
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::usage)?;
        let Some(_lock) = session.store.lock(&self.run_id)? else {
            return Err(Error::usage(format!("run {} is running in another process", self.run_id)));
        };
        session.store.begin(&RunStart {
            run_id: &self.run_id,
            command,
            manifest: &self.manifest,
            tasks: StartTasks::Loaded(&self.tasks),
            new: self.new,
        })?;
        let unscored = if self.new { Vec::new() } else { session.store.reader()?.unscored(&self.run_id)? };
        let plan = self.plan(session)?;

        let bars: Vec<(String, u64, u64, &'static str)> = plan
            .providers
            .iter()
            .map(|p| (p.spec.name.clone(), p.total() as u64, p.done as u64, p.spec.currency().code()))
            .collect();
        let progress = Progress::new(&bars, super::color_enabled());
        let shard = match &self.manifest.shard {
            Some(shard) => format!(" (shard {} of {} tasks)", shard.label(), whole_tasks(shard)),
            None => String::new(),
        };
        progress.println(&format!(
            "run {}: {} tasks{shard} x {} providers, results in {}",
            self.run_id,
            plan.tasks.len(),
            self.specs.len(),
            session.store.out_dir().join(&self.run_id).display()
        ));
        let writer = session.store.writer(&self.run_id)?;
        let progress = Arc::new(progress);
        let sinks: Arc<dyn Sink> =
            Arc::new(Sinks(vec![Box::new(StoreSink(writer.sender())), Box::new(Arc::clone(&progress))]));
        session.watch_signals();
        let engine = session.engine().run(plan, providers, unscored, sinks).map_err(Error::Internal);
        progress.finish();
        writer.finish()?;
        let report = engine?;
        let complete = !report.interrupted && report.providers.iter().all(|p| p.stopped_by.is_none());
        let status = if complete { RunStatus::Finished } else { RunStatus::Interrupted };
        session.store.set_status(&self.run_id, status)?;
        Ok(Ended {
            run_id: self.run_id,
            interrupted: report.interrupted,
            providers: report.providers,
            specs: self.specs,
        })
    }
}

/// The stored run `--resume` names (`latest`: the newest unfinished one) and its manifest.
fn stored_run(session: &Session, wanted: &str) -> Result<(String, Manifest)> {
    let reader = session.store.reader()?;
    let Some(run) = reader.resolve(wanted, true)? else {
        let what = if wanted == "latest" { "no unfinished run" } else { "no such run" };
        return Err(Error::usage(format!("--resume {wanted}: {what} in {}", session.store.name())));
    };
    if run.status == RunStatus::Running {
        return Err(Error::usage(format!("run {} is running in another process", run.run_id)));
    }
    let manifest = reader.manifest(&run.run_id)?;
    if manifest.suites.iter().any(|s| s.source.is_empty()) {
        return Err(Error::usage(format!(
            "run {} was stored by an older bench that did not record its suites; it can be reported, not resumed",
            run.run_id
        )));
    }
    Ok((run.run_id, manifest))
}

/// Options as asked, else as the resumed run had them, else the defaults.
fn options(asked: &Asked<'_>, stored: Option<&RunOptions>) -> RunOptions {
    RunOptions {
        samples: asked.samples.or(stored.map(|o| o.samples)).unwrap_or(1),
        vote: asked.vote.or(stored.map(|o| o.vote)).unwrap_or_default(),
        max_tokens: asked.max_tokens.or(stored.and_then(|o| o.max_tokens)),
        temperature: asked.temperature.or(stored.and_then(|o| o.temperature)),
        use_cache: asked.use_cache,
        limit: asked.limit.or(stored.and_then(|o| o.limit)),
        context_threshold: asked
            .context_threshold
            .or(stored.map(|o| o.context_threshold))
            .unwrap_or(DEFAULT_CONTEXT_THRESHOLD),
    }
}

fn resolve_providers(session: &Session, names: &[String]) -> Result<Vec<ProviderSpec>> {
    let mut seen = HashSet::new();
    let mut specs = Vec::new();
    let mut problems = Vec::new();
    for name in names {
        if !seen.insert(name) {
            problems.push(format!("provider `{name}` is named twice"));
            continue;
        }
        match session.config.provider(name) {
            Ok(spec) => specs.push(spec),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if problems.is_empty() { Ok(specs) } else { Err(Error::usage(problems.join("\n"))) }
}

/// A suite as asked for (or as a resumed run recorded it), with its per-suite options.
struct SuiteSource {
    arg: String,
    repos: Option<PathBuf>,
    max_context: Option<u64>,
}

/// Every task of a shard's suites, whole: what its progress line counts against.
pub(crate) fn whole_tasks(shard: &ShardRecord) -> usize {
    shard.suites.iter().map(|w| w.suite.tasks).sum()
}

/// The suites of a run and the tasks it answers.
struct Loaded {
    /// The suites as the run holds them (a shard's part of each).
    suites: Vec<SuiteRecord>,
    /// For a shard, every suite whole.
    wholes: Vec<WholeSuite>,
    /// The tasks to answer.
    tasks: Vec<Task>,
}

/// Parse and load every suite, keeping the first `limit` tasks of each, then `shard`'s share of them;
/// every problem of every suite is reported at once.
fn load_suites(
    session: &Session,
    sources: &[SuiteSource],
    limit: Option<u64>,
    shard: Option<Shard>,
) -> Result<Loaded> {
    let mut records: Vec<SuiteRecord> = Vec::new();
    let mut wholes = Vec::new();
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    for SuiteSource { arg, repos, max_context } in sources {
        let spec = match SuiteSpec::parse(arg) {
            Ok(spec) => SuiteSpec { repos: repos.clone(), max_context: *max_context, ..spec },
            Err(e) => {
                problems.extend(e.problems);
                continue;
            }
        };
        if records.iter().any(|s| s.name == spec.name) {
            problems.push(format!("two suites are named `{}`; rename one of the files", spec.name));
            continue;
        }
        match session.families.load(&spec) {
            Ok(mut loaded) => {
                if let Some(n) = limit {
                    loaded.truncate(usize::try_from(n).unwrap_or(usize::MAX));
                }
                let record = SuiteRecord {
                    name: spec.name.clone(),
                    family: spec.family.clone(),
                    source: spec.source.clone(),
                    repos: repos.as_ref().map(|r| absolute(r)),
                    max_context: *max_context,
                    tasks: loaded.len(),
                    content_hash: String::new(),
                };
                let (record, whole, loaded) = split_suite(record, loaded, shard);
                records.push(record);
                wholes.extend(whole);
                tasks.extend(loaded);
            }
            Err(e) => problems.extend(e.problems),
        }
    }
    if problems.is_empty() {
        Ok(Loaded { suites: records, wholes, tasks })
    } else {
        Err(Error::usage(problems.join("\n")))
    }
}

/// A loaded suite's record with its content hash, and the tasks the run answers: all of them, or,
/// for a shard, its share, with the suite whole beside it.
fn split_suite(
    mut record: SuiteRecord,
    loaded: Vec<Task>,
    shard: Option<Shard>,
) -> (SuiteRecord, Option<WholeSuite>, Vec<Task>) {
    let Some(shard) = shard else {
        record.content_hash = content_hash(loaded.iter().map(TaskRecord::of));
        return (record, None, loaded);
    };
    let task_records: Vec<TaskRecord> = loaded.iter().map(TaskRecord::of).collect();
    let whole = WholeSuite {
        suite: SuiteRecord { content_hash: content_hash(task_records.iter()), ..record.clone() },
        task_set: task_set_hash(task_records.iter()),
    };
    let part = task_records.iter().filter(|t| shard.owns(&t.suite, &t.id));
    record.content_hash = content_hash(part);
    let kept = shard.keep(loaded);
    record.tasks = kept.len();
    (record, Some(whole), kept)
}

/// `path` made absolute against the current folder, so a resume from elsewhere finds it.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A fresh run id: the start time to the second, then four random hex digits.
pub(crate) fn new_run_id() -> String {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
    format!("{stamp}-{:04x}", rand::rng().random::<u16>())
}
