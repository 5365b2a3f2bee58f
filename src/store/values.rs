//! Values both backends store the same way: timestamps, the prompt excerpt of a task, the columns of
//! an error.

use crate::core::{Role, Task, excerpt};
use crate::provider::ProviderError;

/// Characters of a task's prompt kept for the reports (the start and the end, see [`excerpt`]).
pub const PROMPT_EXCERPT_CHARS: usize = 400;

/// What the task asks, in short: its last user turn (the question), else its system prompt.
pub fn prompt_excerpt(task: &Task) -> Option<String> {
    let asked = task.messages.iter().rev().find(|m| m.role == Role::User).map(|m| m.content.as_str());
    asked
        .or(task.system.as_deref())
        .filter(|text| !text.trim().is_empty())
        .map(|text| excerpt(text, PROMPT_EXCERPT_CHARS))
}

/// The time now as stored (RFC 3339).
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// The host name recorded with a run that starts, when the system says it.
pub fn host_name() -> Option<String> {
    nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).ok()
}

/// (error class, HTTP status, message) of a failed attempt or item; all absent for a success.
pub fn error_columns(error: Option<&ProviderError>) -> (Option<&'static str>, Option<u16>, Option<String>) {
    match error {
        Some(e) => (Some(e.class.as_str()), e.status, Some(e.message.clone())),
        None => (None, None, None),
    }
}
