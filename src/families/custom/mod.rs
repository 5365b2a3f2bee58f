//! The team's own prompts: a JSONL suite with one assertion per task.

pub mod matching;
