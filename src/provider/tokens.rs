//! Token estimates where no server counted: a request's and an answer's size in OpenAI's
//! `o200k_base` encoding ([`count_o200k`]), with a fixed overhead per message and per tool.
//!
//! For any model but OpenAI's the count is an estimate (within roughly ±20 % on English text and
//! code): good enough for the cost and throughput of a server that reports no usage, never a billing
//! figure, so outcomes that carry one say so (`Outcome::usage_estimated`).

use super::ChatRequest;
use crate::core::{Outcome, ToolCall, Usage, count_o200k};

/// Tokens each chat message costs beyond its content (role and separators); OpenAI's chat format
/// spends 3 to 4.
const PER_MESSAGE: u64 = 4;
/// Tokens that open the assistant's reply after the last message.
const REPLY_PRIMER: u64 = 3;
/// Tokens each offered tool costs beyond its name, description and schema (the wrapper the
/// template puts around them).
const PER_TOOL: u64 = 8;

/// Estimated input tokens of a request: the system prompt, every message (text, and the calls an
/// assistant turn made) and every tool offered (name, description, JSON schema), with a fixed
/// overhead per message and per tool.
pub(crate) fn request_tokens(req: &ChatRequest) -> u64 {
    let system = req.system.as_deref().map(|s| count_o200k(s) + PER_MESSAGE).unwrap_or(0);
    let messages: u64 = req
        .messages
        .iter()
        .map(|m| {
            let calls: u64 = m.tool_calls.iter().map(call_tokens).sum();
            count_o200k(&m.content) + calls + PER_MESSAGE
        })
        .sum();
    let tools: u64 = req
        .tools
        .iter()
        .map(|t| {
            count_o200k(&t.name)
                + count_o200k(&t.description)
                + count_o200k(&t.parameters.to_string())
                + PER_TOOL
        })
        .sum();
    system + messages + tools + REPLY_PRIMER
}

/// Tokens of one tool call as the model wrote it: its name and its arguments text.
fn call_tokens(call: &ToolCall) -> u64 {
    let arguments = match &call.arguments {
        serde_json::Value::String(raw) => count_o200k(raw),
        other => count_o200k(&other.to_string()),
    };
    count_o200k(&call.name) + arguments
}

/// Estimated usage of an answer to `req`: input from the request, output from the answer text, the
/// reasoning and the tool calls (reasoning also counted on its own, as a part of output). Nothing
/// is counted as cached.
pub(crate) fn estimate_usage(req: &ChatRequest, outcome: &Outcome) -> Usage {
    let reasoning = count_o200k(&outcome.reasoning);
    let calls: u64 = outcome.tool_calls.iter().map(call_tokens).sum();
    Usage {
        input: request_tokens(req),
        output: count_o200k(&outcome.text) + reasoning + calls,
        cache_read: 0,
        cache_write: 0,
        reasoning,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::{Message, ToolSpec};
    use serde_json::json;

    #[test]
    fn request_and_answer_estimates() {
        let mut assistant = Message::user("");
        assistant.role = crate::core::Role::Assistant;
        assistant.tool_calls =
            vec![ToolCall { id: "c1".into(), name: "add".into(), arguments: json!({"a": 1, "b": 2}) }];
        let req = ChatRequest {
            system: Some("Be brief.".into()),
            messages: vec![Message::user("What is 1 + 2?"), assistant],
            tools: vec![ToolSpec {
                name: "add".into(),
                description: "Add two numbers.".into(),
                parameters: json!({"type": "object", "properties": {"a": {"type": "number"}}}),
            }],
            max_tokens: 16,
            temperature: None,
            top_p: None,
            tool_choice: None,
            suite: "s".into(),
            task_id: "t".into(),
            sample: 0,
        };
        let parts = count_o200k("Be brief.")
            + count_o200k("What is 1 + 2?")
            + count_o200k("add")
            + count_o200k(r#"{"a":1,"b":2}"#)
            + count_o200k("add")
            + count_o200k("Add two numbers.")
            + count_o200k(&req.tools[0].parameters.to_string());
        assert_eq!(request_tokens(&req), parts + 3 * PER_MESSAGE + PER_TOOL + REPLY_PRIMER);

        let mut outcome = Outcome::text_only("The answer is 3.");
        outcome.reasoning = "1 plus 2 is 3".into();
        outcome.tool_calls = vec![ToolCall { id: "c2".into(), name: "add".into(), arguments: json!("{bad") }];
        let usage = estimate_usage(&req, &outcome);
        let reasoning = count_o200k("1 plus 2 is 3");
        assert_eq!(usage.reasoning, reasoning);
        assert_eq!(
            usage.output,
            count_o200k("The answer is 3.") + reasoning + count_o200k("add") + count_o200k("{bad")
        );
        assert_eq!(usage.input, request_tokens(&req));
        assert_eq!((usage.cache_read, usage.cache_write), (0, 0));
    }
}
