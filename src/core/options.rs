//! The options a run is made with: stored in its manifest, compared on resume.

use serde::{Deserialize, Serialize};

/// How the samples of one task (`--samples N`) become the task's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Vote {
    /// The mean of the samples' scores; the task passes when most samples passed.
    #[default]
    Mean,
    /// The answer most samples gave decides (self-consistency, "cons@N"): the task scores 1 when
    /// that answer is right. Ties go to the answer given first. Needs answers the family can
    /// compare (an `answer_key` in the score detail, as math gives); tasks without one use the mean.
    Majority,
}

/// Run-wide choices that shape requests, the plan and the summary. Stored in the run's manifest: a
/// resume with other options is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunOptions {
    /// Independent answers per task and provider.
    pub samples: u32,
    /// How samples become a task's score.
    #[serde(default)]
    pub vote: Vote,
    /// Output budget from the command line.
    pub max_tokens: Option<u32>,
    /// Temperature from the command line (overrides the provider's).
    pub temperature: Option<f64>,
    /// Read and write the response cache.
    pub use_cache: bool,
    /// Only the first N tasks of each suite.
    #[serde(default)]
    pub limit: Option<u64>,
    /// The score a context length must reach, with every shorter one, to count toward a provider's
    /// effective context length. An analysis choice: a report may override it.
    #[serde(default = "default_context_threshold")]
    pub context_threshold: f64,
}

/// The effective-length threshold RULER uses for its own baselines' quality.
pub const DEFAULT_CONTEXT_THRESHOLD: f64 = 0.85;

fn default_context_threshold() -> f64 {
    DEFAULT_CONTEXT_THRESHOLD
}

impl Default for RunOptions {
    /// One sample scored as is, budgets from the task or provider, the cache on, every task.
    fn default() -> Self {
        RunOptions {
            samples: 1,
            vote: Vote::Mean,
            max_tokens: None,
            temperature: None,
            use_cache: true,
            limit: None,
            context_threshold: DEFAULT_CONTEXT_THRESHOLD,
        }
    }
}

impl RunOptions {
    /// The options that differ between `self` (as stored) and `other` (as asked now), as
    /// `name: stored -> asked` lines; whether the cache is used does not change what a run answers,
    /// so it is not compared.
    pub fn differences(&self, other: &RunOptions) -> Vec<String> {
        fn show<T: std::fmt::Debug>(v: &T) -> String {
            format!("{v:?}")
        }
        let mut out = Vec::new();
        let mut check = |name: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name}: {a} -> {b}"));
            }
        };
        check("--samples", show(&self.samples), show(&other.samples));
        check("--vote", show(&self.vote), show(&other.vote));
        check("--max-tokens", show(&self.max_tokens), show(&other.max_tokens));
        check("--temperature", show(&self.temperature), show(&other.temperature));
        check("--limit", show(&self.limit), show(&other.limit));
        out
    }
}
