//! Tool calls in a local model's output text.
//!
//! A model whose chat template takes tools writes its calls into the text it generates; the
//! templates of the tool-trained open models (Qwen 2.5 and 3, Hermes, SmolLM3) all teach one form,
//! `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`, which is what is read here.

use serde_json::Value;

use crate::core::ToolCall;
use crate::provider::sse::parse_arguments;

/// Start of a call block.
const OPEN: &str = "<tool_call>";
/// End of a call block.
const CLOSE: &str = "</tool_call>";

/// Split generated text into the answer (the text outside call blocks, trimmed) and the calls, in
/// order. A block left open at the end (the output budget ran out) runs to the end of the text. A
/// block that is not a JSON object with a `name` is kept as a call with no name and its raw text as
/// arguments, so the turn loop tells the model and counts it as invalid rather than dropping it.
pub(crate) fn split_tool_calls(text: &str) -> (String, Vec<ToolCall>) {
    if !text.contains(OPEN) {
        return (text.to_string(), Vec::new());
    }
    let mut answer = String::new();
    let mut calls = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        answer.push_str(&rest[..start]);
        let block = &rest[start + OPEN.len()..];
        let (inner, next) = match block.find(CLOSE) {
            Some(end) => (&block[..end], &block[end + CLOSE.len()..]),
            None => (block, ""),
        };
        calls.push(call(inner.trim(), calls.len()));
        rest = next;
    }
    answer.push_str(rest);
    (answer.trim().to_string(), calls)
}

/// One call block's content as a call with id `call_{index}`.
fn call(inner: &str, index: usize) -> ToolCall {
    let id = format!("call_{index}");
    let parsed = serde_json::from_str::<Value>(inner).ok().and_then(|value| {
        let name = value.get("name")?.as_str()?.to_string();
        // Some templates name the field `parameters`; arguments may also come as a JSON string.
        let arguments = match value.get("arguments").or_else(|| value.get("parameters")) {
            Some(Value::String(raw)) => parse_arguments(raw),
            Some(arguments) => arguments.clone(),
            None => Value::Object(serde_json::Map::new()),
        };
        Some((name, arguments))
    });
    match parsed {
        Some((name, arguments)) => ToolCall { id, name, arguments },
        None => ToolCall { id, name: String::new(), arguments: Value::String(inner.to_string()) },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_without_blocks_is_the_answer_unchanged() {
        assert_eq!(split_tool_calls(" 42\n"), (" 42\n".to_string(), Vec::new()));
    }

    #[test]
    fn blocks_become_calls_in_order_and_the_rest_is_the_answer() {
        let text = "Let me look.\n<tool_call>\n{\"name\": \"lookup\", \"arguments\": {\"id\": 7}}\n</tool_call>\n\
                    <tool_call>{\"name\": \"convert\", \"arguments\": \"{\\\"to\\\": \\\"EUR\\\"}\"}</tool_call>";
        let (answer, calls) = split_tool_calls(text);
        assert_eq!(answer, "Let me look.");
        assert_eq!(
            calls,
            vec![
                ToolCall { id: "call_0".into(), name: "lookup".into(), arguments: json!({"id": 7}) },
                ToolCall { id: "call_1".into(), name: "convert".into(), arguments: json!({"to": "EUR"}) },
            ]
        );
    }

    #[test]
    fn broken_and_unclosed_blocks_are_kept_as_invalid_calls() {
        let (answer, calls) =
            split_tool_calls("<tool_call>{\"name\": \"f\", \"arg</tool_call>ok <tool_call>{\"x\": 1}");
        assert_eq!(answer, "ok");
        assert_eq!(
            calls[0],
            ToolCall {
                id: "call_0".into(),
                name: String::new(),
                arguments: json!("{\"name\": \"f\", \"arg")
            }
        );
        assert_eq!(calls[1].name, "", "no name: {:?}", calls[1]);
        assert_eq!(calls[1].arguments, json!("{\"x\": 1}"));
        let (_, calls) = split_tool_calls("<tool_call>{\"name\": \"g\", \"parameters\": {\"a\": 1}}");
        assert_eq!((calls[0].name.as_str(), &calls[0].arguments), ("g", &json!({"a": 1})));
    }
}
