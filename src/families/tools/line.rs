//! The task format of the `tools` family: one JSON object a line.
//!
//! A bundled-environment task:
//! ```json
//! {"id": "refund-1", "env": "desk", "seed": 42, "prompt": "...", "system": "...", "category": "desk",
//!  "facts": ["B-604", "178.50"], "expected_state": {"refunds": [...], "bookings": {...}},
//!  "min_calls": 4, "solution": [[{"name": "find_customer", "arguments": {...}}], ...],
//!  "answer": "..."}
//! ```
//! `env` and `seed` pick the world; `system` defaults to the environment's (the desk's policy) and
//! `category` to the environment's name. The task passes when every part of the final state that
//! `expected_state` names equals it and the final answer holds every fact. `solution` (the reference
//! calls, one list per turn) and `answer` (the reference final answer) are what
//! `bench suites export tools --solutions` writes; `min_calls` defaults to the solution's length.
//!
//! A line with an `"mcp"` object instead of `"env"` names the team's own MCP server; it is read by
//! [`parse_mcp_line`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::generate::Step;
use super::mcp::{McpServer, StateTool};
use super::world::EnvKind;
use crate::core::{Message, Task};
use crate::families::SuiteSpec;

/// One bundled-environment task as written in a task file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskLine {
    /// Stable task id.
    pub id: String,
    /// Which bundled environment the task runs in.
    pub env: EnvKind,
    /// The seed of the environment's world.
    pub seed: u64,
    /// Report category; the environment's name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// System prompt; the environment's own when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// What the user asks.
    pub prompt: String,
    /// What the final answer must contain (case, spacing and number formatting aside).
    #[serde(default)]
    pub facts: Vec<String>,
    /// The parts of the final state that must come out exactly so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_state: Option<Value>,
    /// The fewest tool calls that solve the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_calls: Option<u32>,
    /// The reference calls, one list per assistant turn (calls of one turn can run in parallel).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution: Vec<Vec<Step>>,
    /// The reference final answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// What scoring and the environment need of a task, kept as the task's `expected` JSON (so it is
/// part of the task's fingerprint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Expected {
    /// The bundled environment and its seed; `None` for tasks on an MCP server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<EnvKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Facts the final answer must contain.
    #[serde(default)]
    pub facts: Vec<String>,
    /// The expected state (its named parts, for a bundled environment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
    /// The fewest calls that solve the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_calls: Option<u32>,
    /// Whether the reference solution makes several calls in one turn (so a model could too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<bool>,
    /// The MCP server of a task on the team's own tools (the line's `"mcp"` object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp: Option<McpServer>,
    /// The tool bench calls after the last turn to read an MCP server's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_tool: Option<StateTool>,
    /// The task file's folder, which an MCP server's relative command and `cwd` are in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_dir: Option<std::path::PathBuf>,
}

impl TaskLine {
    /// Read one line; what is wrong is said with the column where serde saw it.
    pub fn parse(text: &str) -> Result<TaskLine, String> {
        let line: TaskLine = serde_json::from_str(text).map_err(|e| {
            let text = e.to_string();
            match text.rfind(" at line 1 column ") {
                Some(i) => format!("{} (column {})", &text[..i], &text[i + " at line 1 column ".len()..]),
                None => text,
            }
        })?;
        line.check()?;
        Ok(line)
    }

    /// Everything serde cannot see: empty texts, parts and tools the environment lacks, a task with
    /// nothing to check.
    fn check(&self) -> Result<(), String> {
        let env = self.env.name();
        if self.id.trim().is_empty() {
            return Err("`id` is empty".into());
        }
        if self.prompt.trim().is_empty() {
            return Err("`prompt` is empty".into());
        }
        if self.facts.iter().any(|f| f.trim().is_empty()) {
            return Err("`facts` holds an empty fact".into());
        }
        match &self.expected_state {
            Some(Value::Object(parts)) => {
                let known = self.env.parts();
                if let Some(part) = parts.keys().find(|p| !known.contains(&p.as_str())) {
                    return Err(format!(
                        "`expected_state` names `{part}`, which the {env} environment does not have (its parts: {})",
                        known.join(", ")
                    ));
                }
            }
            Some(other) => return Err(format!("`expected_state` must be an object of parts, found {other}")),
            None if self.facts.is_empty() => {
                return Err("the task checks nothing: give `expected_state`, `facts` or both".into());
            }
            None => {}
        }
        let tools = self.env.tools();
        for (turn, calls) in self.solution.iter().enumerate() {
            if calls.is_empty() {
                return Err(format!("`solution` turn {} has no calls", turn + 1));
            }
            if let Some(step) = calls.iter().find(|s| !tools.iter().any(|t| t.name == s.name)) {
                return Err(format!(
                    "`solution` turn {} calls `{}`, which the {env} environment does not offer",
                    turn + 1,
                    step.name
                ));
            }
        }
        Ok(())
    }

    /// The number of calls in the reference solution.
    pub fn solution_calls(&self) -> u32 {
        self.solution.iter().map(|turn| turn.len() as u32).sum()
    }

    /// The task as the pipeline sees it, in suite `suite`.
    pub(crate) fn to_task(&self, suite: &str) -> Task {
        let min_calls = self.min_calls.or((!self.solution.is_empty()).then(|| self.solution_calls()));
        let parallel = (!self.solution.is_empty()).then(|| self.solution.iter().any(|turn| turn.len() > 1));
        let expected = serde_json::json!({
            "env": self.env, "seed": self.seed, "facts": self.facts, "state": self.expected_state,
            "min_calls": min_calls, "parallel": parallel,
        });
        Task {
            id: self.id.clone(),
            suite: suite.to_string(),
            family: super::NAME.into(),
            category: Some(self.category.clone().unwrap_or_else(|| self.env.name().into())),
            system: Some(self.system.clone().unwrap_or_else(|| self.env.system().into())),
            messages: vec![Message::user(self.prompt.clone())],
            // Offered when the episode starts, from its environment: a copy per task would hold the
            // same schemas thousands of times over.
            tools: Vec::new(),
            max_tokens: None,
            expected,
            // For estimates only (`--dry-run`): judging never reads it, so it stays out of the
            // fingerprint.
            meta: if self.solution.is_empty() {
                Value::Null
            } else {
                serde_json::json!({"solution": self.solution})
            },
            recipe: None,
        }
    }
}

/// Read one line of a `tools` task file.
pub(crate) fn parse(text: &str, spec: &SuiteSpec) -> Result<Task, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Some(object) = value.as_object() else { return Err("not a JSON object".into()) };
    if object.contains_key("mcp") {
        return parse_mcp_line(&value, spec);
    }
    Ok(TaskLine::parse(text)?.to_task(&spec.name))
}

/// A task line on the team's own MCP server (README: "Your own tools over MCP").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct McpTaskLine {
    id: String,
    prompt: String,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    category: Option<String>,
    mcp: McpServer,
    #[serde(default)]
    facts: Vec<String>,
    #[serde(default)]
    state_tool: Option<StateTool>,
    #[serde(default)]
    expected_state: Option<Value>,
    #[serde(default)]
    min_calls: Option<u32>,
}

/// Read a task line that names an MCP server (`"mcp": {"command": [...], ...}`) instead of a
/// bundled environment. Its tools are what the server lists when an episode starts it.
pub(crate) fn parse_mcp_line(line: &Value, spec: &SuiteSpec) -> Result<Task, String> {
    let task = McpTaskLine::deserialize(line).map_err(|e| e.to_string())?;
    if task.id.trim().is_empty() || task.prompt.trim().is_empty() {
        return Err("`id` and `prompt` must not be empty".into());
    }
    match (&task.state_tool, &task.expected_state) {
        (None, Some(_)) => {
            return Err("`expected_state` needs a `state_tool` that reads the server's state".into());
        }
        (_, None) if task.facts.is_empty() => {
            return Err(
                "the task checks nothing: give `facts`, or `state_tool` with `expected_state`, or both"
                    .into(),
            );
        }
        _ => {}
    }
    // Relative commands and working folders are the task file's, wherever bench runs.
    let dir =
        spec.path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let base_dir =
        std::path::absolute(dir).map_err(|e| format!("cannot resolve the task file's folder: {e}"))?;
    let expected = serde_json::json!({
        "mcp": task.mcp, "state_tool": task.state_tool, "base_dir": base_dir, "facts": task.facts,
        "state": task.expected_state, "min_calls": task.min_calls,
    });
    Ok(Task {
        id: task.id,
        suite: spec.name.clone(),
        family: super::NAME.into(),
        category: Some(task.category.unwrap_or_else(|| "mcp".into())),
        system: task.system,
        messages: vec![Message::user(task.prompt)],
        tools: Vec::new(),
        max_tokens: None,
        expected,
        meta: Value::Null,
        recipe: None,
    })
}
