//! `bench compare`: run every suite against every provider, then report the run from the store.
//! `bench run` is the same with the differences [`Flavour`] names.

use crate::analysis::{RunView, Summary, summarize};
use crate::app::canary::{self, CanaryEnd};
use crate::app::errors::{EXIT_OK, EXIT_USAGE, Error, Result};
use crate::app::launch::{Asked, Ended, Launch, whole_tasks};
use crate::app::print_stdout;
use crate::app::run_files::RunFiles;
use crate::app::session::Session;
use crate::app::{CompareArgs, color_enabled_on, note_hidden_columns, table_layout};
use crate::report;
use crate::report::layout::Rendered;

/// How a command that launches a run differs from `bench compare`.
pub struct Flavour {
    /// The command's name, for the resume hint.
    pub name: &'static str,
    /// Ask the providers afresh: neither read nor write the response cache.
    pub fresh: bool,
    /// Ask the canary questions after the run.
    pub canary: bool,
}

impl Flavour {
    /// `bench compare` itself.
    pub const COMPARE: Flavour = Flavour { name: "compare", fresh: false, canary: false };
}

/// Run the command; returns the exit code.
pub fn run(args: CompareArgs) -> Result {
    launch_and_report(args, &Flavour::COMPARE)
}

/// Resolve, run and report a run as `flavour` says; returns the exit code.
pub fn launch_and_report(args: CompareArgs, flavour: &Flavour) -> Result {
    let session = Session::open(args.config.as_deref(), &args.out, args.store.as_deref())?;
    let asked = Asked {
        providers: &args.providers,
        suites: &args.suites,
        baseline: args.baseline.as_deref(),
        repos: args.repos.as_deref(),
        samples: args.samples,
        vote: args.vote,
        max_tokens: args.max_tokens,
        temperature: args.temperature,
        limit: args.limit,
        use_cache: !args.no_cache && !flavour.fresh,
        context_threshold: args.context_threshold,
        max_context: args.max_context,
        resume: args.resume.as_deref(),
        tag: args.tag.as_deref(),
        shard: args.shard,
    };
    let launch = Launch::resolve(&session, &asked)?;
    if args.dry_run {
        let shard = launch.manifest.shard.as_ref().map(|shard| report::plan::ShardShare {
            shard: shard.label(),
            tasks: launch.tasks.len(),
            of_tasks: whole_tasks(shard),
        });
        let mut estimate = report::plan::estimate(&launch.plan_only(&session)?, &session.families);
        estimate.shard = shard;
        if args.json {
            print_stdout(&report::plan::render_json(&estimate).map_err(Error::Internal)?)?;
        } else {
            let plan = report::plan::render(&estimate, table_layout(&std::io::stdout(), args.wide));
            print_stdout(&format!("{}\n", plan.text))?;
            note_hidden_columns(plan.hidden);
        }
        return Ok(EXIT_OK);
    }
    let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let ended = launch.run(&session, &command)?;
    let resume = resume_hint(&args, flavour.name, &ended.run_id);
    if ended.interrupted {
        eprintln!("interrupted: everything answered so far is saved. Finish the run with:\n  {resume}");
        return Ok(session.interrupted_exit_code());
    }

    let view = RunView::load(&session.store.reader()?, &ended.run_id)?;
    let summary = summarize(&view);
    let files = RunFiles::write(&session.store, &ended.run_id, &view, &summary)?;
    if args.json {
        let table = table_for(&summary, &std::io::stderr(), args.wide);
        eprintln!("{}", table.text);
        note_hidden_columns(table.hidden);
        print_stdout(&report::json::render(&summary).map_err(Error::Internal)?)?;
    } else {
        let table = table_for(&summary, &std::io::stdout(), args.wide);
        print_stdout(&format!("{}\n", table.text))?;
        note_hidden_columns(table.hidden);
    }
    files.announce();
    for p in summary.providers.iter().filter(|p| p.usage_estimated > 0) {
        eprintln!(
            "note: `{}` reported no token usage for {} answers; their tokens and cost are estimated (o200k count)",
            p.name, p.usage_estimated
        );
    }
    if flavour.canary && ask_canary(&session, &ended)? == CanaryEnd::Interrupted {
        eprintln!("interrupted during the canary: the run is saved, its canary answers are not");
        return Ok(session.interrupted_exit_code());
    }
    let failed = ended.failures(&summary, &resume);
    if !failed.is_empty() {
        eprintln!("error: {}", failed.join("\nerror: "));
        return Ok(EXIT_USAGE);
    }
    Ok(EXIT_OK)
}

/// Ask the canary questions of the run's providers that were not stopped early.
fn ask_canary(session: &Session, ended: &Ended) -> Result<CanaryEnd> {
    let answering: Vec<_> = ended
        .specs
        .iter()
        .filter(|s| ended.providers.iter().any(|p| p.name == s.name && p.stopped_by.is_none()))
        .cloned()
        .collect();
    canary::record(session, &ended.run_id, &answering)
}

/// The comparison table laid out and coloured for the stream it goes to.
pub(crate) fn table_for<S>(summary: &Summary, stream: &S, wide: bool) -> Rendered
where
    S: std::io::IsTerminal + std::os::fd::AsFd,
{
    report::table::render(summary, table_layout(stream, wide), color_enabled_on(stream))
}

/// The command (`bench NAME`) that finishes this run: everything else comes from the store.
fn resume_hint(args: &CompareArgs, name: &str, run_id: &str) -> String {
    let mut hint = format!("bench {name} --resume {run_id}");
    if args.out.as_os_str() != "results" {
        hint.push_str(&format!(" --out {}", args.out.display()));
    }
    if let Some(config) = &args.config {
        hint.push_str(&format!(" --config {}", config.display()));
    }
    if let Some(store) = &args.store {
        // Shown without its password: the resume takes it from PGPASSWORD again.
        let shown =
            crate::store::Location::parse(store, None).map_or_else(|_| "URL".into(), |l| l.to_string());
        hint.push_str(&format!(" --store {shown}"));
    }
    hint
}
