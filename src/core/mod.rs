//! The ground floor: the vocabulary every layer shares (chat messages, tasks, outcomes and their
//! usage, scores, item ids, run options). No I/O, and no imports from the rest of the crate.

mod chat;
mod episode;
mod excerpt;
mod ids;
mod options;
mod outcome;
mod score;
mod suggest;
mod task;
mod tokens;

pub use chat::{Message, Reasoning, Role, ToolCall, ToolChoice, ToolSpec};
pub use episode::{CallCheck, Episode, Turn};
pub use excerpt::excerpt;
pub use ids::ItemKey;
pub use options::{DEFAULT_CONTEXT_THRESHOLD, RunOptions, Vote};
pub use outcome::{Headroom, Outcome, PromptRecord, StopReason, Usage};
pub use score::{NO_ANSWER, SCORER_ERROR, Score};
pub use suggest::{closest, did_you_mean};
pub use task::{BuiltPrompt, Task};
pub use tokens::count_o200k;

/// Lower-case hex of bytes (digests in ids, fingerprints and cache keys).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
