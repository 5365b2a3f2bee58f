//! Prompts built when the request is sent (long context): put into the request, and kept in the
//! outcome as a hash and a size rather than as text.

use sha2::{Digest, Sha256};

use super::plan::estimate_input_tokens;
use crate::core::{BuiltPrompt, PromptRecord, Task, count_o200k};
use crate::families::Registry;
use crate::provider::ChatRequest;

/// The size of `task`'s prompt (o200k tokens) and the context window, when the prompt is longer than
/// the window: such a task is never sent (the analysis counts it as `context_exceeded`), and a dry run
/// does not count it as to send. The size is the family's when it builds the prompt at send time, else `request`'s text,
/// counted only when a rough estimate comes near the window.
pub fn beyond_window(
    window: Option<u64>,
    families: &Registry,
    task: &Task,
    request: &ChatRequest,
) -> Option<(u64, u64)> {
    let window = window?;
    let tokens = match families.prompt_tokens(task) {
        Some(tokens) => tokens,
        None if estimate_input_tokens(request) * 2 < window => return None,
        None => o200k_tokens(request),
    };
    (tokens > window).then_some((tokens, window))
}

/// Put `built` in place of the request's conversation; what identifies it, for the stored outcome.
pub(super) fn put(request: &mut ChatRequest, built: BuiltPrompt) -> PromptRecord {
    request.system = built.system;
    request.messages = built.messages;
    let mut hash = Sha256::new();
    if let Some(system) = &request.system {
        hash.update(system.as_bytes());
    }
    for message in &request.messages {
        hash.update([0]);
        hash.update(message.content.as_bytes());
    }
    PromptRecord { sha256: crate::core::hex(&hash.finalize()), o200k_tokens: built.tokens }
}

/// The o200k tokens of a request's system prompt and messages.
fn o200k_tokens(request: &ChatRequest) -> u64 {
    let system = request.system.as_deref().map_or(0, count_o200k);
    system + request.messages.iter().map(|m| count_o200k(&m.content)).sum::<u64>()
}
