//! How well one answer did: the verdict a family's scorer gives.

use serde::{Deserialize, Serialize};

/// How well one answer did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Whether the answer counts as right.
    pub passed: bool,
    /// Credit in [0, 1]; 0 or 1 for pass/fail families.
    pub value: f64,
    /// What the scorer extracted and compared, for people reading a failure.
    pub detail: serde_json::Value,
}

impl Score {
    /// A pass/fail score.
    pub fn pass_fail(passed: bool, detail: serde_json::Value) -> Self {
        Score { passed, value: if passed { 1.0 } else { 0.0 }, detail }
    }

    /// No verdict: the scorer itself could not run (no sandbox, a repository it cannot check out).
    /// The answer counts as an infrastructure failure of class `class`, not as a wrong answer, and
    /// `--resume` scores it again.
    pub fn scorer_error(class: &str, reason: impl Into<String>) -> Self {
        let detail = serde_json::json!({"class": class, "reason": reason.into(), SCORER_ERROR: class});
        Score { passed: false, value: 0.0, detail }
    }
}

/// The key of [`Score::scorer_error`]'s class in a score's detail, which the store reads back.
pub const SCORER_ERROR: &str = "scorer_error";

/// The `answer_key` of an answer in which the scorer found nothing to compare. Such samples vote
/// together for "no answer" under `--vote majority`, so a task most samples left unanswered loses.
pub const NO_ANSWER: &str = "(no answer)";
