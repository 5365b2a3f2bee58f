//! What became of one answer, in the words every per-answer report uses (CSV, JUnit, the HTML task
//! table), so they agree on which answers passed, failed, or were lost.

use crate::analysis::{RunView, ViewRow};
use crate::provider::ErrorClass;

/// The fate of one item (a sample of a task from a provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    /// Scored as right.
    Passed,
    /// Scored as wrong (or partly right).
    Failed,
    /// Longer than the provider's context window: a capability limit, scored as a failure.
    ContextExceeded,
    /// Lost to an infrastructure failure after all retries (rate limit, timeout, 5xx...): not scored.
    InfraError,
    /// Answered, but the scorer could not run: no verdict, counted as an infrastructure failure.
    ScorerError,
    /// Answered and not scored yet (a run stopped between the answer and its score).
    Unscored,
}

impl Fate {
    /// Every fate, in the order the reports list them.
    pub const ALL: [Fate; 6] = [
        Fate::Passed,
        Fate::Failed,
        Fate::ContextExceeded,
        Fate::InfraError,
        Fate::ScorerError,
        Fate::Unscored,
    ];

    /// The word written in reports and used in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Fate::Passed => "passed",
            Fate::Failed => "failed",
            Fate::ContextExceeded => "context_exceeded",
            Fate::InfraError => "infra_error",
            Fate::ScorerError => "scorer_error",
            Fate::Unscored => "unscored",
        }
    }

    /// The fate of `row` of `view`.
    pub fn of(view: &RunView, row: &ViewRow) -> Fate {
        if let Some(class) = row.error_class {
            return if view.name(class) == ErrorClass::ContextTooLong.as_str() {
                Fate::ContextExceeded
            } else {
                Fate::InfraError
            };
        }
        if row.scorer_error.is_some() {
            return Fate::ScorerError;
        }
        match row.passed {
            Some(true) => Fate::Passed,
            Some(false) => Fate::Failed,
            None => Fate::Unscored,
        }
    }

    /// The class that explains a lost or exceeded item: its error class or its scorer's.
    pub fn class<'v>(view: &'v RunView, row: &ViewRow) -> Option<&'v str> {
        row.error_class.or(row.scorer_error).map(|c| view.name(c))
    }
}
