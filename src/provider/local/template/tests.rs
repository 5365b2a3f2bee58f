//! Tests for chat-template rendering: SmolLM2's real template (skipped when the model file is absent),
//! the fallbacks, and the Python-compatibility helpers on synthetic templates.

use candle_core::quantized::gguf_file::Content;

use super::*;
use crate::core::{ToolCall, ToolSpec};
use crate::provider::local::tokenizer::{GgufTokenizer, default_model_path};

/// SmolLM2's template exactly as its GGUF file carries it, so the rendering tests run without the file.
const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}\
{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}\
{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/// The default system turn SmolLM2's template injects when the conversation has none.
const SMOLLM2_DEFAULT_SYSTEM: &str =
    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n";

/// The default model's metadata, or `None` (with a note) when the file is not there.
fn model_content() -> Option<Content> {
    let path = default_model_path();
    let Ok(mut file) = std::fs::File::open(&path) else {
        eprintln!("skipping: no local model at {} (set BENCH_LOCAL_MODEL)", path.display());
        return None;
    };
    Some(Content::read(&mut file).unwrap())
}

/// A tool-result turn.
fn tool_result(content: &str) -> Message {
    Message {
        role: Role::Tool,
        content: content.into(),
        tool_calls: Vec::new(),
        tool_call_id: Some("c1".into()),
        ..Message::default()
    }
}

/// Render a synthetic template over one user turn.
fn render_source(source: &str, system: Option<&str>) -> String {
    ChatTemplate::from_source(Some(source), "<s>", "</s>").render(system, &[Message::user("U")], &[]).unwrap()
}

#[test]
fn real_template_renders_system_and_user_exactly() {
    let Some(content) = model_content() else { return };
    let template = ChatTemplate::from_gguf(&content, "<|im_start|>", "<|im_end|>");
    assert_eq!(template.load_error(), None);
    assert_eq!(
        template.render(Some("S"), &[Message::user("U")], &[]).unwrap(),
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn real_template_injects_default_system_and_tokenizes_to_chatml_ids() {
    let Some(content) = model_content() else { return };
    let tok = GgufTokenizer::from_gguf(&content).unwrap();
    let template = ChatTemplate::from_gguf(&content, tok.bos_token(), tok.eos_token());
    let prompt = template.render(None, &[Message::user("What is 2+2?")], &[]).unwrap();
    assert_eq!(
        prompt,
        format!("{SMOLLM2_DEFAULT_SYSTEM}<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n")
    );
    let ids = tok.encode(&prompt).unwrap();
    assert_eq!(ids[..3], [1, 9690, 198]);
    assert!(ids.ends_with(&tok.encode("<|im_end|>\n<|im_start|>assistant\n").unwrap()));
    let with_system = template.render(Some("Be brief."), &[Message::user("Hi")], &[]).unwrap();
    assert_eq!(tok.encode(&with_system).unwrap()[..3], [1, 9690, 198]);
}

#[test]
fn smollm2_template_handles_multi_turn_and_tool_role() {
    let template = ChatTemplate::from_source(Some(SMOLLM2), "<|im_start|>", "<|im_end|>");
    let messages = [Message::user("Q"), Message::assistant("A"), tool_result("R"), Message::user("Q2")];
    assert_eq!(
        template.render(Some("S"), &messages, &[]).unwrap(),
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n\
         <|im_start|>tool\nR<|im_end|>\n<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n"
    );
    assert!(template.render(None, &messages, &[]).unwrap().starts_with(SMOLLM2_DEFAULT_SYSTEM));
}

#[test]
fn raising_template_falls_back_to_chatml() {
    let template = ChatTemplate::from_source(Some("{{ raise_exception('nope') }}"), "<s>", "</s>");
    assert_eq!(template.load_error(), None, "it compiles; it only fails when rendered");
    assert_eq!(
        template.render(Some("S"), &[Message::user("U")], &[]).unwrap(),
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    );
    assert_eq!(
        template.render(None, &[Message::user("U")], &[]).unwrap(),
        "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn missing_or_broken_template_uses_chatml() {
    let expected = "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n";
    for source in [None, Some(""), Some("{% for %}")] {
        let template = ChatTemplate::from_source(source, "<s>", "</s>");
        assert!(template.load_error().is_some(), "{source:?}");
        assert_eq!(template.render(None, &[Message::user("U")], &[]).unwrap(), expected);
    }
}

#[test]
fn template_rejecting_tool_role_gets_tool_results_as_user_turns() {
    let source = "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}\
                  {{ raise_exception('bad role ' + m.role) }}{% endif %}[{{ m.role }}:{{ m.content }}]{% endfor %}";
    let template = ChatTemplate::from_source(Some(source), "", "");
    let messages = [Message::user("Q"), tool_result("R")];
    assert_eq!(template.render(None, &messages, &[]).unwrap(), "[user:Q][user:R]");
    // A system prompt it also rejects gets folded into the first user turn.
    assert_eq!(template.render(Some("S"), &messages, &[]).unwrap(), "[user:S\n\nQ][user:R]");
}

#[test]
fn hf_variables_and_block_trimming_match_transformers() {
    let source = "{{ bos_token }}\n{% for m in messages %}\n  {{ m['role'] }}={{ m.content }}{{ eos_token }}\n\
                  {% endfor %}\n{% if tools is not none %}TOOLS{% endif %}{% if add_generation_prompt %}>{% endif %}";
    assert_eq!(render_source(source, None), "<s>\n  user=U</s>\n>");
}

#[test]
fn python_string_methods_work() {
    let source = "{{ '  x  '.strip() }}|{{ '--x--'.strip('-') }}|{{ ' x'.lstrip() }}|{{ 'x '.rstrip() }}|\
                  {{ 'abc'.startswith('a') }}|{{ 'abc'.endswith(('z', 'c')) }}|{{ 'ab'.upper() }}|\
                  {{ 'a,b,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a,b,c'.split(',', 1) }}|\
                  {{ 'aXa'.replace('a', 'b') }}|{{ '-'.join(['x', 'y']) }}|{{ 'héllo'.find('l') }}|{{ 'aaa'.count('a') }}";
    assert_eq!(
        render_source(source, None),
        "x|x|x|x|True|True|AB|[\"a\", \"b\", \"c\"]|[\"a\", \"b\"]|[\"a\", \"b,c\"]|bXb|x-y|2|3"
    );
}

#[test]
fn python_dict_methods_and_tojson_work() {
    let source = "{% set d = {'b': 1, 'a': 'é'} %}{% for k, v in d.items() %}{{ k }}{{ v }};{% endfor %}\
                  {{ d.get('a') }}{{ d.get('z', 'dflt') }}{{ d.get('z') is none }}|{{ d.keys() | list | length }}|\
                  {{ d | tojson }}|{{ [1, 2] | tojson(indent=1) }}|{{ '<&>' | tojson }}";
    assert_eq!(
        render_source(source, None),
        "a\u{e9};b1;\u{e9}dfltTrue|2|{\"a\": \"é\", \"b\": 1}|[\n 1,\n 2\n]|\"<&>\""
    );
}

#[test]
fn tool_calls_reach_the_template_in_hf_shape() {
    let source = "{% for m in messages %}{% for c in m.tool_calls or [] %}\
                  {{ c.type }}:{{ c.function.name }}{{ c.function.arguments | tojson }}{% endfor %}\
                  {% if m.tool_call_id %}<{{ m.tool_call_id }}>{% endif %}{% endfor %}";
    let call = ToolCall { id: "c1".into(), name: "add".into(), arguments: serde_json::json!({"a": 1}) };
    let assistant = Message { tool_calls: vec![call], ..Message::assistant("") };
    let template = ChatTemplate::from_source(Some(source), "", "");
    let rendered = template.render(None, &[Message::user("Q"), assistant, tool_result("3")], &[]).unwrap();
    assert_eq!(rendered, "function:add{\"a\": 1}<c1>");
}

#[test]
fn template_rendering_nothing_falls_back_to_chatml() {
    assert_eq!(
        render_source("{# nothing #}", None),
        "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn tools_reach_only_a_template_that_takes_them() {
    let source = "{% if tools %}{% for t in tools %}{{ t.type }}:{{ t.function.name }}\
                  {{ t.function.parameters | tojson }};{% endfor %}{% endif %}{% for m in messages %}{{ m.content }}{% endfor %}";
    let tools = [ToolSpec {
        name: "add".into(),
        description: "Add two numbers".into(),
        parameters: serde_json::json!({"type": "object"}),
    }];
    let question = [Message::user("Q")];
    let template = ChatTemplate::from_source(Some(source), "", "");
    assert!(template.takes_tools());
    assert_eq!(template.render(None, &question, &tools).unwrap(), "function:add{\"type\": \"object\"};Q");
    assert_eq!(template.render(None, &question, &[]).unwrap(), "Q");

    let plain = ChatTemplate::from_source(Some(SMOLLM2), "", "");
    assert!(!plain.takes_tools());
    assert_eq!(plain.render(None, &question, &tools).unwrap(), plain.render(None, &question, &[]).unwrap());
    assert!(!ChatTemplate::from_source(None, "", "").takes_tools(), "ChatML offers no tools");
}

#[test]
fn the_default_model_takes_no_tools() {
    let Some(content) = model_content() else { return };
    assert!(!ChatTemplate::from_gguf(&content, "<|im_start|>", "<|im_end|>").takes_tools());
}
