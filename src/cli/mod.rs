//! Command-line interface: clap types (a raw mirror of the flags) and one file per command.
//!
//! Exit codes (DESIGN contract 5): 0 done; 1 done but a regression gate failed; 2 bad usage, config or
//! input (including a missing or rejected API key); 130 interrupted (the run can be resumed).

mod compare;
mod providers;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
  bench providers list";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run suites against several providers and compare them with the first (the baseline).
    Compare(CompareArgs),
    /// Inspect the providers a run can name (built-in presets and bench.toml).
    #[command(subcommand)]
    Providers(ProvidersCommand),
}

/// `bench compare` flags.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Providers to compare: names from bench.toml or built-in presets (see `bench providers list`).
    #[arg(required = true, value_name = "PROVIDER")]
    pub providers: Vec<String>,
    /// A suite: a JSONL file of your own prompts, or FAMILY:PATH. Repeat for several suites.
    #[arg(short, long = "suite", value_name = "SUITE", required = true)]
    pub suites: Vec<String>,
    /// Configuration file [default: ./bench.toml when it exists].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder: holds bench.sqlite and one sub-folder per run with summary.json.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Provider the others are compared with [default: the first one named].
    #[arg(long, value_name = "PROVIDER")]
    pub baseline: Option<String>,
    /// Independent answers per task and provider (each sample is cached separately).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub samples: u32,
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
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.code
        }
    }
}
