//! Prompts built when the request is sent (long context): put into the request, and kept in the
//! outcome as a hash and a size rather than as text.

use sha2::{Digest, Sha256};

use crate::core::{BuiltPrompt, PromptRecord, count_o200k};
use crate::provider::ChatRequest;

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
pub(super) fn o200k_tokens(request: &ChatRequest) -> u64 {
    let system = request.system.as_deref().map_or(0, count_o200k);
    system + request.messages.iter().map(|m| count_o200k(&m.content)).sum::<u64>()
}
