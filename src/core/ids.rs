//! Names of things a run keeps: which answer is which.

use serde::{Deserialize, Serialize};

/// Identifies one answer: a sample of a task from one provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemKey {
    /// Suite the task belongs to.
    pub suite: String,
    /// Task id within the suite.
    pub task_id: String,
    /// Provider name.
    pub provider: String,
    /// Sample index, from 0.
    pub sample: u32,
}

impl std::fmt::Display for ItemKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} ({} sample {})", self.suite, self.task_id, self.provider, self.sample)
    }
}
