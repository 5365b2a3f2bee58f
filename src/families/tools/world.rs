//! What the three bundled environments share: the [`World`] each simulates, the [`Sim`] that makes a
//! world an episode's [`Environment`], the reading of a call's arguments, and money in cents.
//!
//! A world is plain data built from its seed alone, so the same seed and the same calls always give
//! the same results and the same final state (DESIGN "Deterministic by seed"). Its state is what the
//! scorer compares: each part (charts, files, bookings...) holds what the episode created or changed,
//! which for a deterministic start is the same as comparing the whole world.

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{business, desk, workspace};
use crate::core::{ToolCall, ToolSpec};
use crate::families::{Environment, EnvironmentError, ToolOutput};

/// What a tool gives back: a JSON result for the model, or the tool's own refusal as text.
pub(crate) type ToolResult = Result<Value, String>;

/// One bundled environment's simulated world.
pub(crate) trait World: Send {
    /// Run tool `name` (one of the environment's tools) with these arguments.
    fn call(&mut self, name: &str, args: &Args<'_>) -> ToolResult;
    /// What the episode created or changed, by part; the scorer compares it with the task's.
    fn state(&self) -> Value;
}

/// The bundled environments, as task lines name them in `"env"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvKind {
    /// Orders, customers and products; charts and reports.
    Business,
    /// A small project's files and its check.
    Workspace,
    /// A rail booking desk under a written policy.
    Desk,
}

impl EnvKind {
    /// Every bundled environment, in the order generated suites cycle through them.
    pub const ALL: [EnvKind; 3] = [EnvKind::Business, EnvKind::Workspace, EnvKind::Desk];

    /// The name used in task lines and as the task category.
    pub fn name(self) -> &'static str {
        match self {
            EnvKind::Business => "business",
            EnvKind::Workspace => "workspace",
            EnvKind::Desk => "desk",
        }
    }

    /// The tools the environment offers.
    pub fn tools(self) -> &'static [ToolSpec] {
        match self {
            EnvKind::Business => business::tools(),
            EnvKind::Workspace => workspace::tools(),
            EnvKind::Desk => desk::tools(),
        }
    }

    /// The system prompt a task gets when its line has none (the desk's is its policy).
    pub fn system(self) -> &'static str {
        match self {
            EnvKind::Business => business::SYSTEM,
            EnvKind::Workspace => workspace::SYSTEM,
            EnvKind::Desk => desk::POLICY,
        }
    }

    /// The parts of the state a task's `expected_state` may name.
    pub fn parts(self) -> &'static [&'static str] {
        match self {
            EnvKind::Business => business::PARTS,
            EnvKind::Workspace => workspace::PARTS,
            EnvKind::Desk => desk::PARTS,
        }
    }

    /// The world of this environment for `seed`, before any call.
    pub(crate) fn world(self, seed: u64) -> Box<dyn World> {
        match self {
            EnvKind::Business => Box::new(business::Business::new(seed)),
            EnvKind::Workspace => Box::new(workspace::Workspace::new(seed)),
            EnvKind::Desk => Box::new(desk::Desk::new(seed)),
        }
    }
}

/// A bundled world run as an episode's environment, in process.
pub(crate) struct Sim {
    world: Box<dyn World>,
    tools: &'static [ToolSpec],
}

impl Sim {
    /// A fresh world of `kind` for `seed`.
    pub(crate) fn new(kind: EnvKind, seed: u64) -> Sim {
        Sim { world: kind.world(seed), tools: kind.tools() }
    }

    /// Run one call and say what the model would read.
    pub(crate) fn run(&mut self, name: &str, arguments: &Value) -> ToolOutput {
        if !self.tools.iter().any(|t| t.name == name) {
            return ToolOutput::error(format!("there is no tool named `{name}`"));
        }
        match self.world.call(name, &Args(arguments)) {
            Ok(result) => ToolOutput::ok(result.to_string()),
            Err(refusal) => ToolOutput::error(refusal),
        }
    }

    /// The world's state now.
    pub(crate) fn state(&self) -> Value {
        self.world.state()
    }
}

impl Environment for Sim {
    fn tools(&self) -> &[ToolSpec] {
        self.tools
    }

    fn call<'a>(&'a mut self, call: &'a ToolCall) -> BoxFuture<'a, Result<ToolOutput, EnvironmentError>> {
        let output = self.run(&call.name, &call.arguments);
        Box::pin(std::future::ready(Ok(output)))
    }

    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<Value, EnvironmentError>> {
        Box::pin(std::future::ready(Ok(self.world.state())))
    }
}

/// A tool's description for the model: name, what it does, and the JSON Schema of its arguments
/// (`properties`, the names in `required`; no other arguments allowed).
pub(crate) fn tool(name: &str, description: &str, properties: Value, required: &[&str]) -> ToolSpec {
    ToolSpec {
        name: name.into(),
        description: description.into(),
        parameters: json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        }),
    }
}

/// A call's arguments, read with errors the model can act on. The turn loop has already checked
/// them against the schema; these checks keep a world sound when it is driven directly.
pub(crate) struct Args<'a>(pub &'a Value);

impl<'a> Args<'a> {
    /// A required string argument.
    pub(crate) fn str(&self, key: &str) -> Result<&'a str, String> {
        self.opt_str(key)?.ok_or_else(|| format!("missing argument `{key}`"))
    }

    /// An optional string argument.
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, got {other}")),
        }
    }

    /// A required number.
    pub(crate) fn number(&self, key: &str) -> Result<f64, String> {
        match self.0.get(key) {
            Some(Value::Number(n)) => n.as_f64().ok_or_else(|| format!("`{key}` is out of range")),
            None | Some(Value::Null) => Err(format!("missing argument `{key}`")),
            Some(other) => Err(format!("`{key}` must be a number, got {other}")),
        }
    }

    /// A required whole number.
    pub(crate) fn int(&self, key: &str) -> Result<i64, String> {
        match self.0.get(key) {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Ok(i),
                None => n
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
                    .ok_or_else(|| format!("`{key}` must be a whole number, got {n}")),
            },
            None | Some(Value::Null) => Err(format!("missing argument `{key}`")),
            Some(other) => Err(format!("`{key}` must be a whole number, got {other}")),
        }
    }

    /// An optional flag, false when absent.
    pub(crate) fn flag(&self, key: &str) -> Result<bool, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(format!("`{key}` must be true or false, got {other}")),
        }
    }

    /// An optional list of strings.
    pub(crate) fn strs(&self, key: &str) -> Result<Option<Vec<&'a str>>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().ok_or_else(|| format!("`{key}` must hold strings, got {item}")))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(format!("`{key}` must be a list of strings, got {other}")),
        }
    }

    /// A required list of numbers.
    pub(crate) fn numbers(&self, key: &str) -> Result<Vec<f64>, String> {
        match self.0.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_f64().ok_or_else(|| format!("`{key}` must hold numbers, got {item}")))
                .collect(),
            None | Some(Value::Null) => Err(format!("missing argument `{key}`")),
            Some(other) => Err(format!("`{key}` must be a list of numbers, got {other}")),
        }
    }
}

/// An amount in cents as the number tools show and take (`1234.5` for 123450 cents).
pub(crate) fn money(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// An amount a model passed, in cents (rounded to the nearest cent).
pub(crate) fn cents(amount: f64) -> Result<i64, String> {
    let scaled = (amount * 100.0).round();
    if !scaled.is_finite() || scaled.abs() > 1e15 {
        return Err(format!("the amount {amount} is out of range"));
    }
    Ok(scaled as i64)
}

/// An amount in cents as people write it: `1,234.50`.
pub(crate) fn pretty(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let (units, rest) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{rest:02}")
}

/// An amount in cents as a fact to find in an answer: `1234.50`.
pub(crate) fn plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips_and_prints_as_people_write_it() {
        assert_eq!(money(123450), 1234.5);
        assert_eq!(cents(1234.5), Ok(123450));
        assert_eq!(cents(0.1 + 0.2), Ok(30));
        assert!(cents(f64::INFINITY).is_err());
        assert_eq!(pretty(123456789), "1,234,567.89");
        assert_eq!(pretty(-5), "-0.05");
        assert_eq!(pretty(100000), "1,000.00");
        assert_eq!(plain(123450), "1234.50");
    }

    #[test]
    fn arguments_are_read_with_errors_that_name_them() {
        let value = json!({"a": "x", "n": 3, "f": 2.5, "list": ["p", 1], "nums": [1, 2.5]});
        let args = Args(&value);
        assert_eq!(args.str("a"), Ok("x"));
        assert_eq!(args.str("b"), Err("missing argument `b`".into()));
        assert!(args.str("n").unwrap_err().contains("must be a string"));
        assert_eq!(args.int("n"), Ok(3));
        assert!(args.int("f").unwrap_err().contains("whole number"));
        assert_eq!(args.number("f"), Ok(2.5));
        assert!(args.strs("list").unwrap_err().contains("must hold strings"));
        assert_eq!(args.numbers("nums"), Ok(vec![1.0, 2.5]));
        assert_eq!(args.flag("missing"), Ok(false));
    }
}
