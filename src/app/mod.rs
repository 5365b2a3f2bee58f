//! The command line: clap types (a raw mirror of the flags), the session every command opens, typed
//! errors with their exit codes, progress display, and one thin file per command in `cmd/`.
//!
//! Exit codes (DESIGN contract 5): 0 done; 1 done but a regression gate failed; 2 bad usage, config or
//! input (including a missing or rejected API key, and a provider stopped early or that answered
//! nothing); 3 an internal or storage failure; 130 interrupted
//! by Ctrl-C, 143 stopped by SIGTERM or SIGHUP (the run can be resumed).

mod canary;
mod catalog;
mod cmd;
mod errors;
mod launch;
mod nightly;
mod progress;
mod run_files;
mod session;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use catalog::{ExportCommand, GenerateCommand, GenerateLongContextArgs, ProvidersCommand, SuitesCommand};
pub use errors::{EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, Error};
pub use nightly::{HistoryArgs, MergeArgs, RegressArgs, RunArgs, VerdictFormat};

use crate::core::Vote;
use crate::report::layout::{DEFAULT_WIDTH, Layout};

/// Measure what you keep and lose when you move LLM workloads from one provider to another.
#[derive(Debug, Parser)]
#[command(name = "bench", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log more (-v: info, -vv: debug); logs go to stderr. RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

const EXAMPLES: &str = "\
Examples:
  bench compare claude kimi deepseek --suite prompts.jsonl
  bench compare claude kimi --suite prompts.jsonl --samples 5 --json > summary.json
  bench compare claude kimi --suite prompts.jsonl --dry-run
  bench compare --resume latest                 # finish the newest unfinished run
  bench runs                                    # the runs in ./results, newest first
  bench report latest --format markdown         # a stored run, without bench.toml or the suites
  bench run kimi deepseek --suite nightly.jsonl --tag nightly --canary
  bench regress --against latest:nightly        # exit 1 when tonight's run regressed
  bench history --tag nightly
  bench run kimi --suite nightly.jsonl --tag nightly --shard 2/8 --out shard-2
  bench merge shard-*/ --out nightly            # the shards as one run
  bench compare claude kimi --suite repair --suite swebench:verified.jsonl --repos checkouts
  bench providers list
  bench completions bash > ~/.local/share/bash-completion/completions/bench

Exit codes: 0 done; 1 a regression gate failed; 2 bad usage, configuration or input, or a provider
that was stopped early or answered nothing (dead endpoint, rejected key); 3 an internal or storage failure; 130 interrupted by Ctrl-C, 143 stopped by SIGTERM or SIGHUP (finish with --resume).";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run suites against several providers and compare them with the first (the baseline).
    Compare(CompareArgs),
    /// Run suites against providers as one run of a series (`--tag`), answered afresh, optionally with
    /// the drift canary (`--canary`): what `bench regress` and `bench history` read.
    #[command(after_help = nightly::RUN_HELP, mut_arg("baseline", |a| a.hide(true)),
              mut_arg("no_cache", |a| a.hide(true)))]
    Run(RunArgs),
    /// Compare a run with an earlier one (`--against RUN_ID|latest:TAG`) and exit 1 on a regression.
    Regress(RegressArgs),
    /// The runs of a tag over time: per provider and suite, score, cost, latency and errors.
    History(HistoryArgs),
    /// Join the shards of a run (`--shard K/N`: one output folder each, or runs in one store) into one run.
    Merge(MergeArgs),
    /// List the runs in the output folder, newest first: status, providers, suites, progress, cost.
    Runs(RunsArgs),
    /// Render a stored run from the store alone (no bench.toml or suite files needed).
    Report(ReportArgs),
    /// Inspect the providers a run can name (built-in presets and bench.toml).
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// List the bundled suites, or generate a fresh seeded suite (see `bench suites generate --help`).
    #[command(subcommand, after_help = catalog::SUITES_EXAMPLES)]
    Suites(SuitesCommand),
    /// Print a shell completion script to stdout.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Internal: confine this process and run a command in the code-repair sandbox.
    #[command(hide = true)]
    SandboxExec(crate::sandbox::confine::ConfineArgs),
}

/// `bench compare` flags.
#[derive(Debug, Args)]
#[command(after_help = COMPARE_HELP)]
pub struct CompareArgs {
    /// Providers to compare: names from bench.toml or built-in presets (see `bench providers list`).
    /// With --resume, the run's own providers when left out.
    #[arg(value_name = "PROVIDER", required_unless_present = "resume")]
    pub providers: Vec<String>,
    /// A suite: a bundled one (quick, math, tools, long-context, repair), a JSONL file of your own
    /// prompts, or FAMILY:PATH (gsm8k:, math:, aime:, repair:DIR, swebench:FILE, exercism:DIR,
    /// tools:FILE, long-context:FILE). Repeat for several suites.
    /// With --resume, the run's own suites when left out.
    #[arg(short, long = "suite", value_name = "SUITE", required_unless_present = "resume")]
    pub suites: Vec<String>,
    /// Configuration file [default: ./bench.toml when it exists].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder with one git checkout per repository, for SWE-bench suites (`--suite swebench:FILE`):
    /// DIR/owner__name, DIR/owner/name or DIR/name.
    #[arg(long, value_name = "DIR")]
    pub repos: Option<PathBuf>,
    /// Output folder: holds bench.sqlite and one sub-folder per run with summary.json.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the runs are stored: `postgres://USER@HOST[:PORT]/DB` (the password from PGPASSWORD or the
    /// URL), or `sqlite` for OUT/bench.sqlite [default: `store` in bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// Provider the others are compared with [default: the first one named].
    #[arg(long, value_name = "PROVIDER")]
    pub baseline: Option<String>,
    /// Independent answers per task and provider (each sample is cached separately) [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub samples: Option<u32>,
    /// With several samples: score each task by the mean of its samples, or by the answer most
    /// samples gave (majority vote; for families that can compare answers, such as math)
    /// [default: mean].
    #[arg(long, value_enum, value_name = "HOW")]
    pub vote: Option<Vote>,
    /// Use only the first N tasks of each suite.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Print summary.json to stdout (the table goes to stderr); with --dry-run, the plan as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show every column of the table, however wide (by default tables fit the terminal, or 80
    /// columns when its width is unknown, hiding the least important columns first).
    #[arg(long)]
    pub wide: bool,
    /// Finish an earlier run (an id from `bench runs`, or `latest` for the newest unfinished one):
    /// skip everything it already answered. Providers, suites and options left out come from the run;
    /// any that differ from what it started with are refused.
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<String>,
    /// Print the plan with estimated tokens and cost per provider, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Neither read nor write the response cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Output budget for tasks that set none (at least 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_tokens: Option<u32>,
    /// Sampling temperature for every provider (overrides bench.toml).
    #[arg(long, value_name = "T", value_parser = parse_temperature)]
    pub temperature: Option<f64>,
    /// The score (0-1) a context length, and every shorter one, must reach to count toward a
    /// provider's effective context length [default: 0.85].
    #[arg(long, value_name = "S", value_parser = parse_share)]
    pub context_threshold: Option<f64>,
    /// The longest length of the bundled long-context grid (default 128k): `1m` adds 256k, 512k and
    /// 1m; `16k` keeps 4k to 16k; a length between two steps is added as the last (`200k`).
    #[arg(long, value_name = "LEN", value_parser = crate::families::context::line::parse_length)]
    pub max_context: Option<u64>,
    /// Name the series the run belongs to (`nightly`): `bench regress --against latest:TAG` and
    /// `bench history --tag TAG` find it by this name, and `bench runs` shows it.
    #[arg(long, value_name = "NAME", value_parser = nightly::parse_tag)]
    pub tag: Option<String>,
    /// Answer only shard K of N (1/8 to 8/8): the tasks whose suite and id hash to K, every sample
    /// and provider of each. Run each shard where you like, then join them with `bench merge`.
    #[arg(long, value_name = "K/N", value_parser = |s: &str| s.parse::<crate::run::Shard>())]
    pub(crate) shard: Option<crate::run::Shard>,
}

const COMPARE_HELP: &str = "\
Every run is stored in OUT/bench.sqlite with what it was asked to do (providers without keys, suites
with content hashes, options), so `bench report RUN` renders it later without bench.toml or the suite
files, and `bench compare --resume RUN` (or `latest`) finishes it after Ctrl-C, a crash or a reboot.

Examples:
  bench compare claude kimi deepseek --suite prompts.jsonl --suite math
  bench compare claude kimi --suite prompts.jsonl --samples 5 --vote majority
  bench compare --resume latest";

fn parse_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("`{s}` is not a score between 0 and 1")),
    }
}

fn parse_temperature(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=2.0).contains(&t) => Ok(t),
        _ => Err(format!("`{s}` is not a temperature between 0 and 2")),
    }
}

/// `bench runs` flags.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Output folder whose runs to list.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the runs are stored: `postgres://USER@HOST[:PORT]/DB` (the password from PGPASSWORD or the
    /// URL), or `sqlite` for OUT/bench.sqlite [default: `store` in bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
}

/// `bench report` flags.
#[derive(Debug, Args)]
#[command(after_help = REPORT_HELP)]
pub struct ReportArgs {
    /// The run: an id from `bench runs`, or `latest` for the newest.
    #[arg(value_name = "RUN")]
    pub run: String,
    /// A second run to compare the first with (`bench report A B`): per provider and suite both
    /// have, the change in score over the tasks both asked alike, and the tasks that flipped.
    #[arg(value_name = "RUN_B")]
    pub run_b: Option<String>,
    /// The migration report: per workload and candidate, switch / switch with care / keep the
    /// baseline, by the rules of `[migration]` in bench.toml (table and markdown print Markdown).
    #[arg(long, conflicts_with = "run_b")]
    pub migration: bool,
    /// Configuration file with the `[migration]` rules [default: ./bench.toml when it exists].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to render.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output folder that holds the run.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the runs are stored: `postgres://USER@HOST[:PORT]/DB` (the password from PGPASSWORD or the
    /// URL), or `sqlite` for OUT/bench.sqlite [default: `store` in bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// With the table format: show every column, however wide (see `bench compare --help`).
    #[arg(long)]
    pub wide: bool,
    /// The effective-context threshold to report with, instead of the run's own.
    #[arg(long, value_name = "S", value_parser = parse_share)]
    pub context_threshold: Option<f64>,
    /// With the html format: also write a PNG of each chart into this folder (for slides).
    #[arg(long, value_name = "DIR")]
    pub png: Option<PathBuf>,
}

const REPORT_HELP: &str = "\
Formats: `table` is what `bench compare` printed; `json` is the run's summary.json, byte for byte;
`markdown` fits a pull-request comment (overall, per suite, family and category, failures);
`html` is one self-contained file with charts and a filterable table of every answer (what `bench
compare` writes as report.html); `csv` has one row per answer (with --output FILE, also
FILE.suites.csv: one row per provider and suite); `jsonl` is every attempt, retries included;
`junit` is JUnit XML for CI, a test case per provider and suite.
With RUN_B, the two runs side by side (table, markdown, json: the comparison); with --migration,
the migration report (markdown or html; json: its model).

Examples:
  bench report latest
  bench report 20261121-193512-4f2a --format json --output summary.json
  bench report latest --format markdown >> $GITHUB_STEP_SUMMARY
  bench report latest --format html --output report.html --png slides/
  bench report latest --format junit --output junit.xml
  bench report 20261121-193512-4f2a latest               # what changed, task by task
  bench report latest --migration --format markdown --output migration.md";

/// Formats of `bench report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The comparison tables `bench compare` prints.
    Table,
    /// summary.json.
    Json,
    /// Markdown for a pull request or a chat message.
    Markdown,
    /// One self-contained HTML file: figures, charts and a filterable table of every answer.
    Html,
    /// Tidy CSV: one row per answer (and, beside an --output file, one per provider and suite).
    Csv,
    /// JSON Lines: every attempt, retries and cache hits included.
    Jsonl,
    /// JUnit XML: a test case per provider and suite, failing with the wrong answers' detail.
    Junit,
}

const COMPLETIONS_HELP: &str = "\
Examples:
  bench completions bash > ~/.local/share/bash-completion/completions/bench
  bench completions zsh > ~/.zfunc/_bench            # with fpath+=(~/.zfunc) before compinit
  bench completions fish > ~/.config/fish/completions/bench.fish";

/// Writes through a temporary file in the destination's folder and renames it into place, so a
/// reader never sees half a file and a failed write leaves any earlier file untouched.
pub(crate) fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "suite".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut writer = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        fill(&mut writer)?;
        let file = writer.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err()
        && let Err(e) = std::fs::remove_file(&tmp)
    {
        tracing::warn!("{}: cannot remove the temporary file: {e}", tmp.display());
    }
    result
}

/// Whether to colour output: stdout is a terminal and NO_COLOR is unset or empty.
pub fn color_enabled() -> bool {
    color_enabled_on(&std::io::stdout())
}

/// Whether to colour what goes to `stream`: it is a terminal and NO_COLOR is unset or empty.
pub fn color_enabled_on(stream: &impl std::io::IsTerminal) -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stream.is_terminal()
}

/// Send logs to stderr at the level `-v` asks for (RUST_LOG overrides), coloured only when stderr is
/// a terminal and NO_COLOR is unset, so redirected logs hold no escape codes.
pub fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(format!("bench={level}")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color_enabled_on(&std::io::stderr()))
        .with_target(false)
        .init();
}

/// How result tables (comparison, dry run) printed to `stream` are laid out: every column with
/// `wide`, else the width in COLUMNS, else the terminal's, else [`DEFAULT_WIDTH`] (a pipe, a file, or
/// a terminal that reports 0).
pub fn table_layout<S>(stream: &S, wide: bool) -> Layout
where
    S: std::io::IsTerminal + std::os::fd::AsFd,
{
    if wide {
        return Layout::Wide;
    }
    Layout::Fit(known_width(stream).unwrap_or(DEFAULT_WIDTH))
}

/// How listings (providers, suites, runs) printed to `stream` are laid out: like [`table_layout`] when
/// the width is known, else every column at its natural width (no wrapping), for `grep` and scripts.
pub fn listing_layout<S>(stream: &S, wide: bool) -> Layout
where
    S: std::io::IsTerminal + std::os::fd::AsFd,
{
    match known_width(stream) {
        Some(width) if !wide => Layout::Fit(width),
        _ => Layout::Wide,
    }
}

/// The width in COLUMNS, else the terminal's when `stream` is one; `None` when neither says, or
/// says 0.
fn known_width<S>(stream: &S) -> Option<u16>
where
    S: std::io::IsTerminal + std::os::fd::AsFd,
{
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok());
    let from_terminal =
        || stream.is_terminal().then(|| terminal_size::terminal_size_of(stream)).flatten().map(|(w, _)| w.0);
    from_env.filter(|&w| w > 0).or_else(from_terminal).filter(|&w| w > 0)
}

/// Tell on stderr that `hidden` columns were left out of a table, and how to see them.
pub(crate) fn note_hidden_columns(hidden: usize) {
    if let Some(note) = crate::report::layout::hidden_note(hidden) {
        eprintln!("{note}");
    }
}

/// Run a parsed command line and return the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Compare(args) => cmd::compare::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Regress(args) => cmd::regress::run(&args),
        Command::History(args) => cmd::history::run(&args),
        Command::Merge(args) => cmd::merge::run(&args),
        Command::Runs(args) => cmd::runs::run(&args),
        Command::Report(args) => cmd::report::run(&args),
        Command::Providers(ProvidersCommand::List { config, wide }) => {
            cmd::providers::list(config.as_deref(), wide)
        }
        Command::SandboxExec(args) => Ok(crate::sandbox::confine::run(&args)),
        Command::Suites(SuitesCommand::List) => cmd::suites::list(),
        Command::Suites(SuitesCommand::Generate(GenerateCommand::Math { seed, n, out, force })) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            cmd::suites::generate_math(seed, n, out.as_deref(), force)
        }
        Command::Suites(SuitesCommand::Generate(GenerateCommand::Tools { seed, n, out, force })) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            cmd::suites::generate_tools(seed, n, out.as_deref(), force)
        }
        Command::Suites(SuitesCommand::Export(ExportCommand::Tools { solutions, suite, force })) => {
            cmd::suites::export_tools(&suite, &solutions, force)
        }
        Command::Suites(SuitesCommand::Generate(GenerateCommand::Repair { seed, n, out })) => {
            cmd::suites::generate_repair(seed, usize::try_from(n).unwrap_or(usize::MAX), &out)
        }
        Command::Suites(SuitesCommand::Generate(GenerateCommand::LongContext(args))) => {
            use crate::families::context::{generate::Grid, kinds::Kind};
            let kinds = if args.kinds.is_empty() { Kind::ALL.to_vec() } else { args.kinds };
            let grid = Grid {
                seed: args.seed,
                lengths: args.lengths,
                depths: args.depths,
                kinds,
                per_cell: args.per_cell,
                haystack: None,
            };
            cmd::suites::generate_long_context(grid, &args.haystack, args.out.as_deref(), args.force)
        }
        Command::Completions { shell } => cmd::completions::print(shell),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            error.process_exit_code()
        }
    }
}

/// Write `text` to stdout. A reader that went away (`bench runs | head`) is not an error: the rest of
/// the output is simply not wanted, and the command's work (a saved run) stands.
pub(crate) fn print_stdout(text: &str) -> errors::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(errors::Error::Internal(format!("cannot write to stdout: {e}"))),
    }
}
