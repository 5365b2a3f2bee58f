//! `bench compare`: options -> config -> suites -> plan -> scheduler -> store -> scores -> summary ->
//! table, in one straight line.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::Rng;
use tokio_util::sync::CancellationToken;

use super::{CompareArgs, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Failure, color_enabled};
use crate::analysis::{Sampling, Summary, summarize};
use crate::config::{Config, ProviderSpec};
use crate::core::{RunOptions, Task};
use crate::families::SuiteSpec;
use crate::provider::{self, Provider};
use crate::report::{self, Progress};
use crate::run::{self, Plan};
use crate::score::ScorePool;
use crate::store::{self, Reader, RunRecord, Write, Writer};

/// Run the command; returns the exit code.
pub fn run(args: CompareArgs) -> Result<u8, Failure> {
    let started = std::time::Instant::now();
    let config = Config::load(args.config.as_deref()).map_err(|e| Failure::usage(e.to_string()))?;
    let specs = resolve_providers(&config, &args.providers)?;
    let baseline = match &args.baseline {
        Some(b) if !args.providers.contains(b) => {
            return Err(Failure::usage(format!("--baseline {b} is not one of the providers compared")));
        }
        Some(b) => b.clone(),
        None => args.providers[0].clone(),
    };
    let (suites, tasks) = load_suites(&args.suites, args.limit, args.repos.as_deref())?;
    let options = RunOptions {
        samples: args.samples,
        max_tokens: args.max_tokens,
        temperature: args.temperature,
        use_cache: !args.no_cache,
        vote: args.vote,
        limit: args.limit,
    };
    let db = args.out.join(store::DB_FILE);

    if args.dry_run {
        let reader = if db.exists() { Some(Reader::open(&db).map_err(Failure::usage)?) } else { None };
        let answered = match (&reader, &args.resume) {
            (Some(r), Some(id)) => r.answered(id).map_err(Failure::usage)?,
            _ => HashSet::new(),
        };
        let plan = Plan::make(tasks, specs, options, &answered, reader.as_ref()).map_err(Failure::usage)?;
        print!("{}", report::plan::render(&plan));
        return Ok(EXIT_OK);
    }

    let missing: Vec<String> =
        specs.iter().filter_map(|s| s.api_key().err()).map(|e| e.to_string()).collect();
    if !missing.is_empty() {
        return Err(Failure::usage(missing.join("\n")));
    }
    let providers: Vec<Arc<dyn Provider>> =
        specs.iter().map(provider::connect).collect::<Result<_, _>>().map_err(Failure::usage)?;

    store::open(&args.out).map_err(Failure::usage)?;
    let reader = Reader::open(&db).map_err(Failure::usage)?;
    let run_id = match &args.resume {
        Some(id) => match reader.run(id).map_err(Failure::usage)? {
            Some(_) => id.clone(),
            None => return Err(Failure::usage(format!("--resume {id}: no such run in {}", db.display()))),
        },
        None => new_run_id(),
    };
    let answered = reader.answered(&run_id).map_err(Failure::usage)?;
    let unscored = reader.unscored(&run_id).map_err(Failure::usage)?;
    let cache = (!args.no_cache).then_some(&reader);
    let plan = Plan::make(tasks, specs.clone(), options, &answered, cache).map_err(Failure::usage)?;

    tracing::info!("planned in {:?}", started.elapsed());
    let writer = Writer::start(&db, &run_id).map_err(Failure::usage)?;
    let store_tx = writer.sender();
    let _ = store_tx.send(Write::Run(RunRecord {
        run_id: run_id.clone(),
        command: std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        baseline: baseline.clone(),
        providers: serde_json::to_value(&specs).unwrap_or_default(),
        suites: serde_json::json!(suites.iter().map(|s| s.path.display().to_string()).collect::<Vec<_>>()),
    }));
    let _ = store_tx.send(Write::Tasks(
        plan.tasks
            .iter()
            .map(|t| (t.suite.clone(), t.id.clone(), t.family.clone(), t.category.clone()))
            .collect(),
    ));
    crate::families::repair::configure_sandbox(config.sandbox.limits(), config.sandbox.network());
    let scorer = Arc::new(ScorePool::new(store_tx.clone()).map_err(Failure::usage)?);
    rescore(&scorer, &plan.tasks, unscored);

    let color = color_enabled();
    let bars: Vec<(String, u64, u64, &'static str)> = plan
        .providers
        .iter()
        .map(|p| (p.spec.name.clone(), p.total() as u64, p.done as u64, p.spec.currency().code()))
        .collect();
    let progress = Arc::new(Progress::new(&bars, color));
    progress.println(&format!(
        "run {run_id}: {} tasks x {} providers, results in {}",
        plan.tasks.len(),
        specs.len(),
        args.out.join(&run_id).display()
    ));

    let tasks = Arc::clone(&plan.tasks);
    let cancel = CancellationToken::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bench-io")
        .build()
        .map_err(|e| Failure::usage(format!("cannot start the async runtime: {e}")))?;
    let reports = runtime.block_on(async {
        let on_ctrl_c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_ctrl_c.cancel();
            }
        });
        run::scheduler::run(
            plan,
            providers,
            store_tx.clone(),
            Arc::clone(&scorer),
            progress.clone(),
            cancel.clone(),
        )
        .await
    });
    runtime.shutdown_background();
    progress.finish();
    tracing::info!("requests done at {:?}", started.elapsed());
    scorer.wait();
    let interrupted = cancel.is_cancelled();
    let _ = store_tx.send(Write::Status(if interrupted { "interrupted" } else { "finished" }.into()));
    drop(store_tx);
    drop(scorer);
    writer
        .finish()
        .map_err(|e| Failure { code: EXIT_USAGE, message: format!("saving results failed: {e}") })?;
    tracing::info!("scored and saved at {:?}", started.elapsed());

    if interrupted {
        eprintln!(
            "interrupted: everything answered so far is saved. Finish the run with:\n  bench {} --resume {run_id}",
            resume_command(&run_id)
        );
        return Ok(EXIT_INTERRUPTED);
    }

    let summary = make_summary(
        &db,
        &run_id,
        &specs,
        &baseline,
        Sampling { samples: args.samples, vote: args.vote },
        &tasks,
    )?;
    let run_dir = args.out.join(&run_id);
    let summary_path = write_summary(&run_dir, &summary)?;
    let predictions = report::predictions::write(&db, &run_id, &run_dir).map_err(Failure::usage)?;
    tracing::info!("summarized at {:?}", started.elapsed());
    let table = report::table::render(&summary, color);
    let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
    if args.json {
        eprintln!("{table}");
        println!("{json}");
    } else {
        println!("{table}");
    }
    eprintln!("summary: {}", summary_path.display());
    if let Some(dir) = predictions {
        eprintln!("SWE-bench predictions: {}", dir.display());
    }

    let stopped: Vec<String> = reports
        .iter()
        .filter_map(|r| r.stopped_by.as_ref().map(|e| (r, e)))
        .map(|(r, e)| {
            let var = specs.iter().find(|s| s.name == r.name).and_then(|s| s.api_key_env.clone());
            let hint = var.map(|v| format!(" (check {v})")).unwrap_or_default();
            format!("provider `{}` stopped early: {e}{hint}; finish later with --resume {run_id}", r.name)
        })
        .collect();
    if !stopped.is_empty() {
        eprintln!("error: {}", stopped.join("\nerror: "));
        return Ok(EXIT_USAGE);
    }
    Ok(EXIT_OK)
}

fn resolve_providers(config: &Config, names: &[String]) -> Result<Vec<ProviderSpec>, Failure> {
    let mut seen = HashSet::new();
    let mut specs = Vec::new();
    let mut problems = Vec::new();
    for name in names {
        if !seen.insert(name) {
            problems.push(format!("provider `{name}` is named twice"));
            continue;
        }
        match config.provider(name) {
            Ok(spec) => specs.push(spec),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if problems.is_empty() { Ok(specs) } else { Err(Failure::usage(problems.join("\n"))) }
}

/// Parse and load every suite, keeping the first `limit` tasks of each.
fn load_suites(
    args: &[String],
    limit: Option<u64>,
    repos: Option<&Path>,
) -> Result<(Vec<SuiteSpec>, Vec<Task>), Failure> {
    let mut specs: Vec<SuiteSpec> = Vec::new();
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        let spec = match SuiteSpec::parse(arg) {
            Ok(spec) => SuiteSpec { repos: repos.map(Path::to_path_buf), ..spec },
            Err(e) => {
                problems.extend(e.problems);
                continue;
            }
        };
        if specs.iter().any(|s| s.name == spec.name) {
            problems.push(format!("two suites are named `{}`; rename one of the files", spec.name));
            continue;
        }
        match spec.load() {
            Ok(mut loaded) => {
                if let Some(n) = limit {
                    loaded.truncate(usize::try_from(n).unwrap_or(usize::MAX));
                }
                tasks.extend(loaded);
            }
            Err(e) => problems.extend(e.problems),
        }
        specs.push(spec);
    }
    if problems.is_empty() { Ok((specs, tasks)) } else { Err(Failure::usage(problems.join("\n"))) }
}

fn new_run_id() -> String {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
    format!("{stamp}-{:04x}", rand::rng().random::<u16>())
}

/// The arguments of this invocation without an earlier `--resume`, for the resume hint.
fn resume_command(run_id: &str) -> String {
    let mut args: Vec<String> = Vec::new();
    let mut skip = false;
    for arg in std::env::args().skip(1) {
        if skip {
            skip = false;
            continue;
        }
        if arg == "--resume" {
            skip = true;
            continue;
        }
        if arg.starts_with("--resume=") || arg == run_id {
            continue;
        }
        args.push(arg);
    }
    args.join(" ")
}

/// Answers saved by an earlier invocation but never scored (it was killed in between).
fn rescore(
    scorer: &ScorePool,
    tasks: &Arc<Vec<Task>>,
    unscored: Vec<(crate::core::ItemKey, crate::core::Outcome)>,
) {
    let index: BTreeMap<(&str, &str), usize> =
        tasks.iter().enumerate().map(|(i, t)| ((t.suite.as_str(), t.id.as_str()), i)).collect();
    for (key, outcome) in unscored {
        if let Some(&i) = index.get(&(key.suite.as_str(), key.task_id.as_str())) {
            scorer.submit(Arc::clone(tasks), i, key, outcome);
        }
    }
}

fn make_summary(
    db: &Path,
    run_id: &str,
    specs: &[ProviderSpec],
    baseline: &str,
    sampling: Sampling,
    tasks: &[Task],
) -> Result<Summary, Failure> {
    let rows = Reader::open(db).and_then(|r| r.results(run_id)).map_err(Failure::usage)?;
    let mut per_suite: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for task in tasks {
        let entry = per_suite.entry(task.suite.clone()).or_insert((0, task.family.clone()));
        entry.0 += 1;
    }
    // Only rows of tasks in this invocation count: a resumed run with --limit stays comparable.
    let wanted: HashSet<(&str, &str)> = tasks.iter().map(|t| (t.suite.as_str(), t.id.as_str())).collect();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| wanted.contains(&(r.key.suite.as_str(), r.key.task_id.as_str())))
        .collect();
    Ok(summarize(run_id, specs, baseline, sampling, &per_suite, &rows))
}

fn write_summary(run_dir: &Path, summary: &Summary) -> Result<PathBuf, Failure> {
    std::fs::create_dir_all(run_dir).map_err(|e| Failure::usage(format!("{}: {e}", run_dir.display())))?;
    let path = run_dir.join("summary.json");
    let json = serde_json::to_string_pretty(summary).map_err(|e| Failure::usage(e.to_string()))?;
    let tmp = run_dir.join("summary.json.tmp");
    std::fs::write(&tmp, json + "\n")
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| Failure::usage(format!("{}: cannot write: {e}", path.display())))?;
    Ok(path)
}
