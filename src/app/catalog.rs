//! The flags of the commands that list and make things: `bench providers` and `bench suites` (list,
//! export, generate).

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `bench providers` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// List presets and configured providers with model, endpoint, key variable (and whether it is
    /// set) and prices.
    List {
        /// Configuration file [default: ./bench.toml when it exists].
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Show every column, however wide (by default the table fits the terminal, or 80 columns).
        #[arg(long)]
        wide: bool,
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
    /// Write what a suite carries besides its tasks (the tool-use tasks' reference solutions).
    #[command(subcommand)]
    Export(ExportCommand),
}

/// `bench suites export` targets.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The reference solution of every tool-use task as a multi-turn replay line, `{"task_id",
    /// "suite", "turns": [assistant message, ...]}`: one message per turn of tool calls, then the
    /// final answer. Replayed, each task passes.
    #[command(after_help = EXPORT_TOOLS_EXAMPLES)]
    Tools {
        /// Write the replay lines to this file (atomically); an existing file is kept unless --force.
        #[arg(long, value_name = "FILE", required = true)]
        solutions: PathBuf,
        /// The tasks whose solutions to write: the bundled `tools` suite, or a task file.
        #[arg(long, value_name = "SUITE", default_value = "tools")]
        suite: String,
        /// Replace the --solutions file when it exists.
        #[arg(long)]
        force: bool,
    },
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
        /// Write to this file (atomically) instead of stdout; an existing file is kept unless --force.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file when it exists.
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Multi-step tool-use tasks no model can have seen, cycling through the business-data,
    /// project-workspace and support-desk environments, each with its seeded world, expected final
    /// state, required facts and reference solution, as `tools:FILE` JSONL.
    #[command(after_help = GENERATE_TOOLS_EXAMPLES)]
    Tools {
        /// Seed: the same seed and N always write byte-identical output; a smaller N is a prefix.
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Number of tasks.
        #[arg(long, value_name = "N", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        n: u64,
        /// Write to this file (atomically) instead of stdout; an existing file is kept unless --force.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file when it exists.
        #[arg(long, requires = "out")]
        force: bool,
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
    /// Long-context tasks over a grid of lengths x depths x kinds: needles hidden in synthetic
    /// prose or in your own files (--haystack), each line holding a seed and parameters (the prompt
    /// is built when it is sent), as `long-context:FILE` JSONL.
    #[command(name = "long-context", after_help = GENERATE_LONG_CONTEXT_EXAMPLES)]
    LongContext(GenerateLongContextArgs),
}

/// `bench suites generate long-context` flags.
#[derive(Debug, Args)]
pub struct GenerateLongContextArgs {
    /// Seed: the same seed and grid always write byte-identical output.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Lengths in tokens, comma-separated: 4096, 4k (= 4,096), 1m (= 1,048,576); 1k to 4m.
    #[arg(long, value_name = "LEN,...", value_delimiter = ',', default_value = "4k,8k,16k,32k,64k,128k",
          value_parser = crate::families::context::line::parse_length)]
    pub lengths: Vec<u64>,
    /// Depths in percent of the text where the answer sits (0 = the start, 100 = the end).
    #[arg(long, value_name = "PCT,...", value_delimiter = ',', default_value = "0,25,50,75,100",
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub depths: Vec<u8>,
    /// Task kinds, comma-separated [default: all]: niah_single, niah_multikey, niah_multivalue,
    /// niah_multiquery, vartrack, aggregate, nonliteral, code_needle, absent.
    #[arg(long, value_name = "KIND,...", value_delimiter = ',',
          value_parser = |s: &str| crate::families::context::kinds::Kind::parse(s))]
    pub kinds: Vec<crate::families::context::kinds::Kind>,
    /// Tasks per length, depth and kind.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub per_cell: u32,
    /// Build haystacks from these files or folders (a source tree, documents) instead of synthetic
    /// prose and the bundled source tree; their content hash is checked when the suite loads.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub haystack: Vec<PathBuf>,
    /// Write to this file (atomically) instead of stdout; an existing file is kept unless --force.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

pub(super) const SUITES_EXAMPLES: &str = "\
A suite is named on the command line as a bundled suite (`quick`, `math`, `tools`, `long-context`,
`repair`), a JSONL file of your own prompts, or FAMILY:PATH for a dataset (`math:fresh.jsonl`,
`gsm8k:test.jsonl`, `swebench:verified.jsonl` with `--repos DIR`, `exercism:polyglot-benchmark`,
`repair:my-tasks`, `tools:my-tasks.jsonl`, `long-context:lc.jsonl`).

Examples:
  bench suites list
  bench suites generate math --seed 7 --n 500 --out fresh.jsonl
  bench compare claude kimi --suite math:fresh.jsonl
  bench suites generate repair --seed 7 --n 20 --out fresh-repair
  bench compare claude kimi --suite repair:fresh-repair
  bench suites generate tools --seed 7 --n 60 --out fresh-tools.jsonl
  bench suites generate long-context --seed 7 --lengths 4k,32k --haystack ./src --out lc.jsonl
  bench suites export tools --solutions solutions.jsonl";

const GENERATE_TOOLS_EXAMPLES: &str = "\
Task n runs in the business environment when n % 3 = 0, workspace when 1, desk when 2; ids are
tools-s<SEED>-<INDEX>, and the environment is the task's category in reports.

Examples:
  bench suites generate tools --seed 7 --n 60 --out fresh-tools.jsonl
  bench compare claude kimi --suite tools:fresh-tools.jsonl";

const EXPORT_TOOLS_EXAMPLES: &str = "\
Examples:
  bench suites export tools --solutions solutions.jsonl
  bench suites export tools --suite tools:fresh-tools.jsonl --solutions fresh-solutions.jsonl";

const GENERATE_MATH_EXAMPLES: &str = "\
Each line is {\"unique_id\", \"problem\", \"answer\", \"subject\", \"level\", \"solution\"}; ids are
math-s<SEED>-<INDEX>, subject is the category (word, linear, quadratic, system, fraction, radical,
modular, combinatorics, probability, sequence) and shows up as the category in reports.

Examples:
  bench suites generate math --seed 7 --n 500 --out fresh.jsonl
  bench compare claude kimi --suite math:fresh.jsonl
  bench suites generate math --seed 7 --n 3          # a look at the first three, on stdout";

const GENERATE_LONG_CONTEXT_EXAMPLES: &str = "\
Each line is {\"id\", \"kind\", \"length\", \"depth\", \"seed\"} (plus \"haystack\": {\"paths\", \"sha256\"}
with --haystack, paths relative to the output file); aggregate lines have no depth and get as many
tasks per length as each other kind. Ids are lc-s<SEED>-<KIND>-<LENGTH>-d<DEPTH>-<N>, the same for a
cell whatever else the grid holds. Haystack files: hidden entries, target/, node_modules/, binary
files and files over 1 MiB are skipped.

Examples:
  bench suites generate long-context --seed 7 --lengths 4k,32k,256k,1m --kinds niah_single,code_needle \\
      --per-cell 3 --haystack ./src --out lc.jsonl
  bench compare claude kimi --suite long-context:lc.jsonl
  bench compare claude kimi --suite long-context --max-context 1m     # the bundled grid, up to 1M";

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
