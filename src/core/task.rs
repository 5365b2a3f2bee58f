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
    /// What a family builds the prompt from when the request is sent (a long-context task's kind,
    /// length, depth and seed), for tasks too large to hold their prompt while they wait in a queue.
    /// `None` for tasks whose `system` and `messages` are the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipe: Option<serde_json::Value>,
}

/// A conversation a family built from a task's recipe when the request is sent (see
/// `Family::build_prompt`): it takes the place of the task's own `system` and `messages`.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltPrompt {
    /// System prompt, if the family uses one.
    pub system: Option<String>,
    /// The conversation to send.
    pub messages: Vec<Message>,
    /// The o200k count of the whole prompt text, exact (the builder counts as it builds), so the
    /// caller need not count a million tokens again.
    pub tokens: u64,
}

impl Task {
    /// sha256 (hex) of what is asked and how it is judged: system prompt, messages, tools, output
    /// budget, expected answer and, for a task built when it is sent, its recipe. Two runs asked the
    /// same thing when their fingerprints agree. A task without a recipe hashes exactly as it did
    /// before recipes existed, so stored runs keep matching.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut canonical = serde_json::json!({
            "system": self.system,
            "messages": self.messages,
            "tools": self.tools,
            "max_tokens": self.max_tokens,
            "expected": self.expected,
        });
        if let (Some(recipe), Some(fields)) = (&self.recipe, canonical.as_object_mut()) {
            fields.insert("recipe".into(), recipe.clone());
        }
        super::hex(&Sha256::digest(canonical.to_string().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(recipe: Option<serde_json::Value>) -> Task {
        Task {
            id: "t1".into(),
            suite: "prompts".into(),
            family: "custom".into(),
            category: None,
            system: Some("Be brief.".into()),
            messages: vec![Message::user("What is 2 + 2?")],
            tools: Vec::new(),
            max_tokens: Some(64),
            expected: serde_json::json!("4"),
            meta: serde_json::json!({"match": "number"}),
            recipe,
        }
    }

    #[test]
    fn a_task_without_a_recipe_keeps_its_fingerprint() {
        // The fingerprint this task had before `recipe` existed (stored runs hold it).
        assert_eq!(
            task(None).fingerprint(),
            "b5d3e88155fd820876cb7170bc22c30b7783a53d4bcaf6d46934f23d7863974e"
        );
        let json = serde_json::to_value(task(None)).unwrap_or_default();
        assert!(json.get("recipe").is_none(), "no recipe, no key: {json}");
    }

    #[test]
    fn recipes_that_differ_only_in_seed_differ() {
        let recipe =
            |seed: u64| Some(serde_json::json!({"kind": "niah_single", "length": 4096, "seed": seed}));
        let (a, b) = (task(recipe(1)), task(recipe(2)));
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), task(None).fingerprint());
        assert_eq!(a.fingerprint(), task(recipe(1)).fingerprint());
    }
}
