//! The chat template a GGUF model ships with, rendered the way Hugging Face renders it.
//!
//! A chat model only answers well when its prompt has exactly the shape it was trained on, and that
//! shape lives in the file's `tokenizer.chat_template`: a Jinja2 template written for Hugging Face's
//! `apply_chat_template`. This module renders it with minijinja, under the same settings
//! (`trim_blocks`, `lstrip_blocks`), variables (`messages`, `add_generation_prompt`, `bos_token`,
//! `eos_token`, `tools`) and helpers (`raise_exception`, `tojson`, common Python string and dict
//! methods) HF provides. When a file has no template, or its template cannot be rendered even after
//! the usual workarounds, the prompt falls back to plain ChatML.

use candle_core::quantized::gguf_file::Content;
use minijinja::value::{Kwargs, ValueKind, from_args};
use minijinja::{Environment, Error, ErrorKind, State, Value};
use serde_json::json;

use crate::core::{Message, Role, ToolSpec};

#[cfg(test)]
mod tests;

/// Metadata key of the Jinja2 chat template.
const TEMPLATE_KEY: &str = "tokenizer.chat_template";

/// Name the template is registered under in its environment.
const TEMPLATE_NAME: &str = "chat";

/// A model's chat template, compiled once, plus the special-token strings it may refer to.
pub(crate) struct ChatTemplate {
    /// The compiled template; `None` means plain ChatML is used.
    env: Option<Environment<'static>>,
    /// Why the file's template is not used, when it is not (absent or failed to compile).
    load_error: Option<String>,
    /// Text of the BOS token, exposed to the template as `bos_token`.
    bos: String,
    /// Text of the EOS token, exposed to the template as `eos_token`.
    eos: String,
    /// The template reads a `tools` variable: the model was trained to be offered tools and to call them.
    takes_tools: bool,
}

/// How tool-result messages are presented to the template: as themselves, or as user turns for
/// templates that reject a `tool` role.
#[derive(Clone, Copy, PartialEq)]
enum ToolRole {
    /// Role `tool`, as ChatML and most tool-aware templates expect.
    Tool,
    /// Role `user`, for templates that only accept user/assistant (and system).
    User,
}

impl ChatTemplate {
    /// Compile the file's `tokenizer.chat_template`, or settle for ChatML when there is none or it
    /// does not compile. `bos` and `eos` are the token strings templates see as `bos_token`/`eos_token`.
    pub(crate) fn from_gguf(content: &Content, bos: &str, eos: &str) -> Self {
        let source = content.metadata.get(TEMPLATE_KEY).and_then(|v| v.to_string().ok());
        Self::from_source(source.map(String::as_str), bos, eos)
    }

    /// Compile a template given as text (`None`: ChatML); `from_gguf` without the file, for tests and
    /// for callers that take a template from elsewhere.
    pub(crate) fn from_source(source: Option<&str>, bos: &str, eos: &str) -> Self {
        let (env, load_error) = match source.filter(|s| !s.trim().is_empty()) {
            None => (None, Some(format!("the model has no `{TEMPLATE_KEY}`"))),
            Some(source) => match environment(source) {
                Ok(env) => (Some(env), None),
                Err(e) => (None, Some(format!("the chat template does not compile: {e}"))),
            },
        };
        let takes_tools = env
            .as_ref()
            .and_then(|env| env.get_template(TEMPLATE_NAME).ok())
            .is_some_and(|template| template.undeclared_variables(false).contains("tools"));
        ChatTemplate { env, load_error, bos: bos.to_string(), eos: eos.to_string(), takes_tools }
    }

    /// Whether the model's template offers tools to the model (it reads a `tools` variable), so the
    /// model can call them; without that the model answers in text only.
    pub(crate) fn takes_tools(&self) -> bool {
        self.takes_tools
    }

    /// Why the model's own template is not in use (ChatML is used instead), or `None` when it is.
    pub(crate) fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// The prompt text for a conversation: system first (when `Some`), then the messages (roles user,
    /// assistant and tool), then the generation prompt.
    ///
    /// Tries the model's template as is; then with tool results as user turns (for templates that
    /// reject role `tool`); then with the system prompt folded into the first user turn (for
    /// templates that reject role `system`); then falls back to ChatML. An `Err` is reserved for
    /// failures no fallback can fix, and the ChatML fallback has none, so today it is always `Ok`.
    /// `tools` are offered (in Hugging Face's `{"type": "function", "function": {...}}` shape) only to
    /// a template that takes them; other templates never see them.
    pub(crate) fn render(
        &self,
        system: Option<&str>,
        messages: &[Message],
        tools: &[ToolSpec],
    ) -> Result<String, String> {
        let Some(env) = &self.env else { return Ok(chatml(system, messages)) };
        let tools: Vec<serde_json::Value> = if self.takes_tools {
            tools
                .iter()
                .map(|t| {
                    json!({"type": "function", "function": {
                        "name": t.name, "description": t.description, "parameters": t.parameters,
                    }})
                })
                .collect()
        } else {
            Vec::new()
        };
        let has_tool = messages.iter().any(|m| m.role == Role::Tool);
        let mut attempts = vec![(ToolRole::Tool, false)];
        if has_tool {
            attempts.push((ToolRole::User, false));
        }
        if system.is_some() && messages.first().is_some_and(|m| m.role == Role::User) {
            attempts.push((if has_tool { ToolRole::User } else { ToolRole::Tool }, true));
        }
        for (tool_role, fold_system) in attempts {
            let turns = turns(system, messages, tool_role, fold_system);
            if let Ok(text) = self.render_turns(env, &turns, &tools)
                && !text.is_empty()
            {
                return Ok(text);
            }
        }
        Ok(chatml(system, messages))
    }

    /// Render the template over HF-shaped message objects.
    fn render_turns(
        &self,
        env: &Environment<'static>,
        turns: &[serde_json::Value],
        tools: &[serde_json::Value],
    ) -> Result<String, Error> {
        let tools = if tools.is_empty() { Value::from(()) } else { Value::from_serialize(tools) };
        let ctx = minijinja::context! {
            messages => Value::from_serialize(turns),
            add_generation_prompt => true,
            bos_token => self.bos.as_str(),
            eos_token => self.eos.as_str(),
            tools => tools,
            documents => Value::from(()),
        };
        env.get_template(TEMPLATE_NAME)?.render(ctx)
    }
}

/// The conversation as Hugging Face message objects (`{"role", "content", ...}`).
///
/// Assistant tool calls go in HF's `tool_calls` shape and tool results carry `tool_call_id`, so
/// tool-aware templates can render them; templates that do not know these keys ignore them.
fn turns(
    system: Option<&str>,
    messages: &[Message],
    tool_role: ToolRole,
    fold_system: bool,
) -> Vec<serde_json::Value> {
    let mut out = Vec::with_capacity(messages.len() + 1);
    if let Some(system) = system.filter(|_| !fold_system) {
        out.push(json!({ "role": "system", "content": system }));
    }
    for (i, message) in messages.iter().enumerate() {
        let role = match (message.role, tool_role) {
            (Role::User, _) | (Role::Tool, ToolRole::User) => "user",
            (Role::Assistant, _) => "assistant",
            (Role::Tool, ToolRole::Tool) => "tool",
        };
        let content = match system {
            Some(system) if fold_system && i == 0 => format!("{system}\n\n{}", message.content),
            _ => message.content.clone(),
        };
        let mut turn = json!({ "role": role, "content": content });
        if !message.tool_calls.is_empty() {
            turn["tool_calls"] = message
                .tool_calls
                .iter()
                .map(|call| {
                    json!({
                        "id": call.id,
                        "type": "function",
                        "function": { "name": call.name, "arguments": call.arguments },
                    })
                })
                .collect();
        }
        if let Some(id) = &message.tool_call_id {
            turn["tool_call_id"] = json!(id);
        }
        out.push(turn);
    }
    out
}

/// Plain ChatML: the format SmolLM2, Qwen and many others use, and a sane default for the rest.
fn chatml(system: Option<&str>, messages: &[Message]) -> String {
    let mut out = String::new();
    let mut turn = |role: &str, content: &str| {
        out.push_str("<|im_start|>");
        out.push_str(role);
        out.push('\n');
        out.push_str(content);
        out.push_str("<|im_end|>\n");
    };
    if let Some(system) = system {
        turn("system", system);
    }
    for message in messages {
        let role = match message.role {
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        };
        turn(role, &message.content);
    }
    out.push_str("<|im_start|>assistant\n");
    out
}

/// An environment set up like Hugging Face's template sandbox, holding the compiled template.
fn environment(source: &str) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_function("raise_exception", |message: String| -> Result<Value, Error> {
        Err(Error::new(ErrorKind::InvalidOperation, message))
    });
    env.add_filter("tojson", tojson);
    env.set_unknown_method_callback(python_method);
    env.add_template_owned(TEMPLATE_NAME, source.to_string())?;
    Ok(env)
}

/// HF's `tojson`: Python `json.dumps` output (`", "` and `": "` separators, or `indent` spaces),
/// non-ASCII kept as is and nothing HTML-escaped.
fn tojson(value: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    let indent: Option<usize> = kwargs.get("indent")?;
    let invalid = |e: serde_json::Error| Error::new(ErrorKind::InvalidOperation, e.to_string());
    let mut out = Vec::new();
    match indent {
        Some(n) => {
            let spaces = vec![b' '; n];
            let formatter = serde_json::ser::PrettyFormatter::with_indent(&spaces);
            let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
            serde::Serialize::serialize(value, &mut ser).map_err(invalid)?;
        }
        None => {
            let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonJson);
            serde::Serialize::serialize(value, &mut ser).map_err(invalid)?;
        }
    }
    let text = String::from_utf8(out).map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
    Ok(Value::from_safe_string(text))
}

/// serde_json formatter writing Python's default `json.dumps` separators.
struct PythonJson;

impl serde_json::ser::Formatter for PythonJson {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// The Python string and dict methods HF templates call (`.strip()`, `.startswith()`, `.items()`,
/// ...), which minijinja does not have natively.
fn python_method(state: &State, value: &Value, method: &str, args: &[Value]) -> Result<Value, Error> {
    if let Some(s) = value.as_str().filter(|_| value.kind() == ValueKind::String) {
        return string_method(state, s, method, args);
    }
    if value.kind() == ValueKind::Map {
        match method {
            "items" => {
                let _: () = from_args(args)?;
                return state.apply_filter("items", std::slice::from_ref(value));
            }
            "keys" => {
                let _: () = from_args(args)?;
                return Ok(Value::from(value.try_iter()?.collect::<Vec<_>>()));
            }
            "values" => {
                let _: () = from_args(args)?;
                let values = value.try_iter()?.map(|k| value.get_item(&k)).collect::<Result<Vec<_>, _>>()?;
                return Ok(Value::from(values));
            }
            "get" => {
                let (key, default): (Value, Option<Value>) = from_args(args)?;
                let found = value.get_item(&key)?;
                return Ok(if found.is_undefined() { default.unwrap_or(Value::from(())) } else { found });
            }
            _ => {}
        }
    }
    Err(Error::from(ErrorKind::UnknownMethod))
}

/// Python `str` methods on a string value.
fn string_method(state: &State, s: &str, method: &str, args: &[Value]) -> Result<Value, Error> {
    /// Python's `chars` argument of the strip family: `None` means whitespace.
    fn strip_set(chars: Option<&str>) -> impl Fn(char) -> bool + '_ {
        move |c| chars.map_or(c.is_whitespace(), |set| set.contains(c))
    }
    /// A `startswith`/`endswith` argument: one string or a tuple (list) of them.
    fn affixes(value: &Value) -> Result<Vec<String>, Error> {
        match value.as_str() {
            Some(s) => Ok(vec![s.to_string()]),
            None => value.try_iter()?.map(|v| from_args::<(String,)>(&[v]).map(|(s,)| s)).collect(),
        }
    }
    Ok(match method {
        "strip" => {
            let (chars,): (Option<&str>,) = from_args(args)?;
            Value::from(s.trim_matches(strip_set(chars)))
        }
        "lstrip" => {
            let (chars,): (Option<&str>,) = from_args(args)?;
            Value::from(s.trim_start_matches(strip_set(chars)))
        }
        "rstrip" => {
            let (chars,): (Option<&str>,) = from_args(args)?;
            Value::from(s.trim_end_matches(strip_set(chars)))
        }
        "startswith" => {
            let (prefix,): (Value,) = from_args(args)?;
            Value::from(affixes(&prefix)?.iter().any(|p| s.starts_with(p.as_str())))
        }
        "endswith" => {
            let (suffix,): (Value,) = from_args(args)?;
            Value::from(affixes(&suffix)?.iter().any(|p| s.ends_with(p.as_str())))
        }
        "upper" | "lower" | "title" | "capitalize" => {
            let _: () = from_args(args)?;
            state.apply_filter(method, &[Value::from(s)])?
        }
        "replace" => {
            let (old, new, count): (&str, &str, Option<i64>) = from_args(args)?;
            match count.and_then(|n| usize::try_from(n).ok()) {
                Some(n) => Value::from(s.replacen(old, new, n)),
                None => Value::from(s.replace(old, new)),
            }
        }
        "split" => {
            let (sep, maxsplit): (Option<&str>, Option<i64>) = from_args(args)?;
            let limit = maxsplit.and_then(|n| usize::try_from(n).ok()).map(|n| n + 1);
            let parts: Vec<Value> = match (sep, limit) {
                (None, None) => s.split_whitespace().map(Value::from).collect(),
                (None, Some(n)) => s
                    .trim_start()
                    .splitn(n, char::is_whitespace)
                    .map(|p| Value::from(p.trim_start()))
                    .collect(),
                (Some(sep), None) => s.split(sep).map(Value::from).collect(),
                (Some(sep), Some(n)) => s.splitn(n, sep).map(Value::from).collect(),
            };
            Value::from(parts)
        }
        "splitlines" => {
            let _: () = from_args(args)?;
            Value::from(s.lines().map(Value::from).collect::<Vec<_>>())
        }
        "join" => {
            let (items,): (Value,) = from_args(args)?;
            let items = items.try_iter()?.map(|v| v.to_string()).collect::<Vec<_>>();
            Value::from(items.join(s))
        }
        "find" => {
            let (needle,): (&str,) = from_args(args)?;
            Value::from(s.find(needle).map_or(-1, |byte| s[..byte].chars().count() as i64))
        }
        "count" => {
            let (needle,): (&str,) = from_args(args)?;
            Value::from(if needle.is_empty() { s.chars().count() + 1 } else { s.matches(needle).count() })
        }
        "isdigit" => Value::from(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
        "isspace" => Value::from(!s.is_empty() && s.chars().all(char::is_whitespace)),
        _ => return Err(Error::from(ErrorKind::UnknownMethod)),
    })
}
