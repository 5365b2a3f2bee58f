//! Command-line interface: clap types (a raw mirror of the flags) and one file per command.
//!
//! Exit codes (DESIGN contract 5): 0 done; 1 done but a regression gate failed; 2 bad usage, config or
//! input (including a missing or rejected API key); 130 interrupted (the run can be resumed).

mod compare;
mod providers;
mod suites;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::core::Vote;

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: bad usage, config or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: interrupted by Ctrl-C; `--resume` finishes the run.
pub const EXIT_INTERRUPTED: u8 = 130;

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
  bench compare claude kimi --suite prompts.jsonl --resume 20261121-193512-4f2a
  bench compare claude kimi --suite repair --suite swebench:verified.jsonl --repos checkouts
  bench providers list";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run suites against several providers and compare them with the first (the baseline).
    Compare(CompareArgs),
    /// Inspect the providers a run can name (built-in presets and bench.toml).
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// List the bundled suites, or generate a fresh seeded suite (see `bench suites generate --help`).
    #[command(subcommand, after_help = SUITES_EXAMPLES)]
    Suites(SuitesCommand),
    /// Internal: confine this process and run a command in the code-repair sandbox.
    #[command(hide = true)]
    SandboxExec(crate::sandbox::confine::ConfineArgs),
}

/// `bench compare` flags.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Providers to compare: names from bench.toml or built-in presets (see `bench providers list`).
    #[arg(required = true, value_name = "PROVIDER")]
    pub providers: Vec<String>,
    /// A suite: a bundled one (quick, math, repair), a JSONL file of your own prompts, or FAMILY:PATH
    /// (gsm8k:, math:, aime:, repair:DIR, swebench:FILE, exercism:DIR). Repeat for several suites.
    #[arg(short, long = "suite", value_name = "SUITE", required = true)]
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
    /// Provider the others are compared with [default: the first one named].
    #[arg(long, value_name = "PROVIDER")]
    pub baseline: Option<String>,
    /// Independent answers per task and provider (each sample is cached separately).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub samples: u32,
    /// With several samples: score each task by the mean of its samples, or by the answer most
    /// samples gave (majority vote; for families that can compare answers, such as math).
    #[arg(long, value_enum, value_name = "HOW", default_value_t = Vote::Mean)]
    pub vote: Vote,
    /// Use only the first N tasks of each suite.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Print summary.json to stdout (the table goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Finish an earlier run: skip everything it already answered.
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<String>,
    /// Print the plan with estimated tokens and cost per provider, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Neither read nor write the response cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Output budget for tasks that set none.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Sampling temperature for every provider (overrides bench.toml).
    #[arg(long, value_name = "T", value_parser = parse_temperature)]
    pub temperature: Option<f64>,
}

fn parse_temperature(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=2.0).contains(&t) => Ok(t),
        _ => Err(format!("`{s}` is not a temperature between 0 and 2")),
    }
}

/// `bench providers` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// List presets and configured providers with model, endpoint, key variable and prices.
    List {
        /// Configuration file [default: ./bench.toml when it exists].
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// `bench suites` subcommands.
#[derive(Debug, Subcommand)]
pub enum SuitesCommand {
    /// List the suites shipped in the binary and the families usable as FAMILY:PATH.
    List,
    /// Write a fresh suite from a seeded generator: the same seed always gives the same bytes.
    #[command(subcommand)]
    Generate(GenerateCommand),
}

/// `bench suites generate` targets.
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Math problems no model can have seen: GSM8K-style word problems (levels 1-5) and symbolic
    /// items (equations, systems, fractions, radicals, modular arithmetic, counting, probability,
    /// sequences), each with an exact answer, as MATH-format JSONL.
    #[command(after_help = GENERATE_MATH_EXAMPLES)]
    Math {
        /// Seed: the same seed and N always write byte-identical output; a smaller N is a prefix.
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Number of problems.
        #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        n: u64,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Code-repair tasks no model can have seen: a bundled Python project (time tracking and
    /// billing, with its unit tests) with one realistic bug injected per task, kept only when the
    /// project's tests catch it, as a `repair:DIR` suite (needs python3 to test the mutants).
    #[command(after_help = GENERATE_REPAIR_EXAMPLES)]
    Repair {
        /// Seed: the same seed and N always write byte-identical folders; a smaller N is a prefix.
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Number of tasks (at most about 120: each line of the project is used once).
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1000))]
        n: u64,
        /// The suite folder to create; it must not exist, or be empty (written atomically).
        #[arg(short, long, value_name = "DIR", required = true)]
        out: PathBuf,
    },
}

const SUITES_EXAMPLES: &str = "\
A suite is named on the command line as a bundled suite (`quick`, `math`, `repair`), a JSONL file of
your own prompts, or FAMILY:PATH for a dataset (`math:fresh.jsonl`, `gsm8k:test.jsonl`,
`swebench:verified.jsonl` with `--repos DIR`, `exercism:polyglot-benchmark`, `repair:my-tasks`).

Examples:
  bench suites list
  bench suites generate math --seed 7 --n 500 --out fresh.jsonl
  bench compare claude kimi --suite math:fresh.jsonl
  bench suites generate repair --seed 7 --n 20 --out fresh-repair
  bench compare claude kimi --suite repair:fresh-repair";

const GENERATE_MATH_EXAMPLES: &str = "\
Each line is {\"unique_id\", \"problem\", \"answer\", \"subject\", \"level\", \"solution\"}; ids are
math-s<SEED>-<INDEX>, subject is the category (word, linear, quadratic, system, fraction, radical,
modular, combinatorics, probability, sequence) and shows up as the category in reports.

Examples:
  bench suites generate math --seed 7 --n 500 --out fresh.jsonl
  bench compare claude kimi --suite math:fresh.jsonl
  bench suites generate math --seed 7 --n 3          # a look at the first three, on stdout";

const GENERATE_REPAIR_EXAMPLES: &str = "\
Each task is a folder DIR/mut-s<SEED>-<INDEX>/ in the repair format: repo/ (the project with the
bug, without its tests), hidden/ (the tests, laid over the repository when grading), fix.patch
(the reference fix) and task.toml (an issue written from the failing test's symptom, the tests
that must start passing and those that must keep passing, and the kind of bug as the category:
off-by-one, comparison-boundary, negated-comparison, arithmetic-swap, return-none, branch-order...).

Every candidate mutant is tested in the sandbox, so generating takes a fraction of a second per
task; the same seed gives the same tasks on every machine.

Examples:
  bench suites generate repair --seed 7 --n 20 --out fresh-repair
  bench compare claude kimi --suite repair:fresh-repair";

/// An error that ends the command, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// What to tell the user.
    pub message: String,
}

impl Failure {
    /// A usage, config or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { code: EXIT_USAGE, message: message.into() }
    }
}

/// Whether to colour output: stdout is a terminal and NO_COLOR is unset or empty.
pub fn color_enabled() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Run a parsed command line and return the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Providers(ProvidersCommand::List { config }) => providers::list(config.as_deref()),
        Command::SandboxExec(args) => Ok(crate::sandbox::confine::run(&args)),
        Command::Suites(SuitesCommand::List) => suites::list(),
        Command::Suites(SuitesCommand::Generate(GenerateCommand::Math { seed, n, out })) => {
            suites::generate_math(seed, usize::try_from(n).unwrap_or(usize::MAX), out.as_deref())
        }
        Command::Suites(SuitesCommand::Generate(GenerateCommand::Repair { seed, n, out })) => {
            suites::generate_repair(seed, usize::try_from(n).unwrap_or(usize::MAX), &out)
        }
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.code
        }
    }
}
