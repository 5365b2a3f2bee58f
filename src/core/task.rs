//! The family-neutral unit of work.
//!
//! A family turns its data (a JSONL file, a generator seed, a dataset) into [`Task`]s; everything
//! downstream (plan, scheduler, providers, store) sees only this shape. The expected answer is kept as
//! JSON because only the family that made the task knows how to read it back when scoring.

use serde::{Deserialize, Serialize};

use super::chat::{Message, ToolSpec};

/// One prompt to put to every provider, with what the owning family needs to score the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Stable id: the dataset's own id where it has one, else the 1-based line number (contract 6).
    pub id: String,
    /// Name of the suite the task came from (a file stem or bundled suite name).
    pub suite: String,
    /// Name of the family that loaded the task and will score its answers.
    pub family: String,
    /// Free-form grouping used to break scores down in reports.
    pub category: Option<String>,
    /// System prompt, sent the way each protocol expects it.
    pub system: Option<String>,
    /// The conversation so far; the last message is usually the user's question.
    pub messages: Vec<Message>,
    /// Tools the model may call (empty for plain prompts).
    pub tools: Vec<ToolSpec>,
    /// Output budget for this task; the run's default applies when absent.
    pub max_tokens: Option<u32>,
    /// What a right answer looks like, in the family's own terms.
    pub expected: serde_json::Value,
    /// Anything else the family wants to carry to scoring.
    pub meta: serde_json::Value,
}

impl Task {
    /// sha256 (hex) of what is asked and how it is judged: system prompt, messages, tools, output
    /// budget and expected answer. Two runs asked the same thing when their fingerprints agree.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let canonical = serde_json::json!({
            "system": self.system,
            "messages": self.messages,
            "tools": self.tools,
            "max_tokens": self.max_tokens,
            "expected": self.expected,
        });
        super::hex(&Sha256::digest(canonical.to_string().as_bytes()))
    }
}
