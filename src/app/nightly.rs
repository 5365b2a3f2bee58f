//! The flags of the commands that treat runs as a series: `bench run` (a tagged run, optionally with
//! the canary), `bench regress` (a run against an earlier one, as a gate), `bench history` (a tag's
//! runs over time) and `bench merge` (the shards of a run as one run).

use std::path::PathBuf;

use clap::Args;

use super::{CompareArgs, parse_share};

/// `bench run` flags: every flag of `bench compare`, and the canary.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The run: providers, suites and options, as `bench compare` takes them.
    #[command(flatten)]
    pub run: CompareArgs,
    /// After the run, ask each provider five bundled questions at temperature 0 and keep their answers
    /// and a fingerprint of them: `bench regress` warns when a later run gets other answers.
    #[arg(long)]
    pub canary: bool,
}

pub(super) const RUN_HELP: &str = "\
A run as `bench compare` makes it, for a series: the first provider only orders the table (nothing
has to be a baseline), `--tag` names the series, and the answers always come from the providers,
never from the response cache (last night's answers would hide tonight's change).

Examples:
  bench run kimi deepseek --suite nightly.jsonl --tag nightly --canary
  bench regress --against latest:nightly
  bench history --tag nightly";

/// `bench regress` flags.
#[derive(Debug, Args)]
#[command(after_help = REGRESS_HELP)]
pub struct RegressArgs {
    /// The run to check: an id or `latest` [default: the newest run; with --against latest:TAG, the
    /// newest run tagged TAG].
    #[arg(value_name = "RUN")]
    pub run: Option<String>,
    /// The run to compare with: an id, or `latest:TAG` for the newest run tagged TAG that started
    /// before RUN.
    #[arg(long, value_name = "RUN_ID|latest:TAG")]
    pub against: String,
    /// A score drop (0-1) counts only when larger than this [default: 0.02, or `[regress]`].
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub max_drop: Option<f64>,
    /// ... and when significant at this level after Holm's correction [default: 0.05].
    #[arg(long, value_name = "P", value_parser = parse_alpha)]
    pub alpha: Option<f64>,
    /// Largest rise of the cost per answer that passes, as a share (0.25: +25%) [default: 0.25].
    #[arg(long, value_name = "SHARE", value_parser = parse_increase)]
    pub max_cost_increase: Option<f64>,
    /// Largest rise of latency p95 that passes, as a share (0.5: +50%) [default: 0.5].
    #[arg(long, value_name = "SHARE", value_parser = parse_increase)]
    pub max_latency_increase: Option<f64>,
    /// Largest rise of the infrastructure error rate that passes, absolute (0.05: 5 points)
    /// [default: 0.05].
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub max_error_rate_increase: Option<f64>,
    /// Fail (exit 1) on drift too: a changed model id, system fingerprint set or canary answers.
    #[arg(long)]
    pub fail_on_drift: bool,
    /// What to print.
    #[arg(short, long, value_enum, default_value_t = VerdictFormat::Table)]
    pub format: VerdictFormat,
    /// Also write JUnit XML here: one test case per provider and suite, failing on a regression.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Configuration file with the `[regress]` thresholds [default: ./bench.toml when it exists].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder that holds the runs.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the runs are stored: `postgres://USER@HOST[:PORT]/DB` (the password from PGPASSWORD or the
    /// URL), or `sqlite` for OUT/bench.sqlite [default: `store` in bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// With the table format: show every column, however wide.
    #[arg(long)]
    pub wide: bool,
}

const REGRESS_HELP: &str = "\
Per provider and suite both runs have, over the tasks both asked alike: a score drop is a regression
when it is larger than --max-drop and significant on the paired test (Holm-corrected across every
provider and suite); the cost per answer, latency p95 and infrastructure error rate have thresholds of
their own. A changed model id, system fingerprint set or canary answers is a warning (an error with
--fail-on-drift). Exit 1 on a regression, 0 otherwise, 2 when a run cannot be found.

Examples:
  bench regress --against latest:nightly
  bench regress --against latest:nightly --format markdown >> $GITHUB_STEP_SUMMARY
  bench regress 20261208-020000-1a2b --against 20261207-020000-9f3c --max-drop 0.05 --junit regress.xml";

/// `bench history` flags.
#[derive(Debug, Args)]
#[command(after_help = HISTORY_HELP)]
pub struct HistoryArgs {
    /// The series: the `--tag` its runs were made with.
    #[arg(long, value_name = "NAME", value_parser = parse_tag)]
    pub tag: String,
    /// Only this provider.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// Only this suite.
    #[arg(long, value_name = "SUITE")]
    pub suite: Option<String>,
    /// Print the history as JSON.
    #[arg(long)]
    pub json: bool,
    /// Output folder that holds the runs.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the runs are stored: `postgres://USER@HOST[:PORT]/DB` (the password from PGPASSWORD or the
    /// URL), or `sqlite` for OUT/bench.sqlite [default: `store` in bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// Show every column, however wide.
    #[arg(long)]
    pub wide: bool,
}

const HISTORY_HELP: &str = "\
Per provider and suite, one line per run of the tag, oldest first: the score with its 95% CI and the
change from the run before, the cost, latency p95 and the infrastructure error rate.

Examples:
  bench history --tag nightly
  bench history --tag nightly --provider kimi --suite nightly --json";

/// `bench merge` flags.
#[derive(Debug, Args)]
#[command(after_help = MERGE_HELP)]
pub struct MergeArgs {
    /// The shards: each the output folder of a `--shard K/N` run (its newest run), FOLDER@RUN_ID for
    /// another run in it, or the id of a shard run in the --store database. Give all N, each once.
    #[arg(value_name = "SHARD", required_unless_present = "tag", conflicts_with = "tag")]
    pub shards: Vec<String>,
    /// Instead of naming the shards: the newest shard runs tagged NAME in the store (one per shard
    /// index, all made since the tag's last merged run), as shards that share a PostgreSQL store
    /// leave them.
    #[arg(long, value_name = "NAME", value_parser = parse_tag)]
    pub tag: Option<String>,
    /// Output folder of the merged run: its store (bench.sqlite), and a sub-folder with summary.json
    /// and report.html.
    #[arg(short, long, value_name = "DIR", default_value = "results")]
    pub out: PathBuf,
    /// Where the merged run is stored (and where run ids and --tag are looked up):
    /// `postgres://USER@HOST[:PORT]/DB`, or `sqlite` for OUT/bench.sqlite [default: `store` in
    /// bench.toml, else sqlite].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
    /// Show every column of the table, however wide.
    #[arg(long)]
    pub wide: bool,
}

const MERGE_HELP: &str = "\
Checks that the shards are every shard of one run (the same providers, suites with the same
contents, options and tag; shards 1 to N, each once), that each finished, and that together they
hold every task exactly once; then writes one new run holding all their tasks, answers, attempts,
scores and canary answers, which `bench report`, `bench regress` and `bench history` treat like a
run made in one piece.

Examples:
  bench run kimi --suite nightly.jsonl --tag nightly --shard 1/3 --out shard-1    # on each machine
  bench merge shard-1 shard-2 shard-3 --out nightly
  bench regress --against latest:nightly --out nightly

Shards that wrote into one PostgreSQL store (each `bench run ... --shard K/N --store URL`):
  bench merge --tag nightly --store postgres://bench@db/bench";

/// A series name: letters, digits, `.`, `_` and `-`, so it can follow `latest:` on a command line.
pub(super) fn parse_tag(s: &str) -> Result<String, String> {
    let ok =
        !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a tag: use 1 to 64 letters, digits, `.`, `_` or `-`"))
    }
}

fn parse_alpha(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 1.0 => Ok(p),
        _ => Err(format!("`{s}` is not a significance level above 0 and at most 1")),
    }
}

fn parse_increase(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("`{s}` is not a share of 0 or more (0.25 for +25%)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_plain_words() {
        assert_eq!(parse_tag("nightly-2.3_x").unwrap(), "nightly-2.3_x");
        for bad in ["", "night ly", "a:b", "ünï", &"x".repeat(65)] {
            assert!(parse_tag(bad).is_err(), "{bad}");
        }
    }
}

/// Formats of `bench regress`'s verdict (JUnit goes to its own file, `--junit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictFormat {
    /// A table per provider and suite.
    Table,
    /// Markdown for a pull request or a chat message.
    Markdown,
    /// The verdict as JSON.
    Json,
}
