//! The team's own tools over MCP (the Model Context Protocol).
//!
//! A task of a `tools:FILE` suite may name a stdio MCP server. Every episode starts it afresh, offers
//! the model the tools its `tools/list` gives, runs the model's calls with `tools/call`, and shuts it
//! down at the end, killing it and every process it started if it does not exit. A server that does
//! not start, crashes, or does not answer within the task's timeout is an infrastructure failure
//! (class `environment`), never a wrong answer. A task may name a state tool: bench calls it after
//! the last turn, the model never sees it, and its result is the end state the task is scored on
//! (the family's scorer compares it with the expected state), with the facts the final answer must
//! contain.

use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::BoxFuture;
use process_wrap::tokio::{CommandWrap, ProcessGroup};
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, ContentBlock, Implementation,
    ResourceContents, Tool,
};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ErrorData, ServiceError, ServiceExt};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use tokio::io::AsyncReadExt;
use tokio::process::ChildStderr;
use tokio::sync::watch;

use crate::core::{ToolCall, ToolSpec};
use crate::families::{Environment, EnvironmentError, ToolOutput};

/// Seconds a server gets to start, and each of its answers, unless the task sets `timeout_s`.
pub const DEFAULT_TIMEOUT_S: f64 = 60.0;

/// How much of a server's stderr is kept to explain its failures.
const STDERR_TAIL_BYTES: usize = 2048;

/// How long a server whose connection closed is given to finish writing to stderr.
const STDERR_GRACE: Duration = Duration::from_millis(500);

/// How to start a task's MCP server: the `"mcp"` object of a task line (serialised as read, so a
/// family can carry it in its tasks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McpServer {
    /// The program and its arguments, e.g. `["python3", "server.py"]`. A program given as a
    /// relative path (`./server`) is found in the working directory, a bare name on `PATH`.
    #[serde(deserialize_with = "command_line")]
    pub command: Vec<String>,
    /// Variables set for the server, on top of bench's own environment less the providers' keys.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The working directory, relative to the task file's folder (which is the default).
    #[serde(default)]
    pub cwd: Option<PathBuf>,
    /// Seconds allowed to start (`initialize`, `tools/list`) and for each call to answer.
    #[serde(default = "default_timeout_s", deserialize_with = "positive_seconds")]
    pub timeout_s: f64,
}

/// The tool bench calls after the last turn to read the server's end state; the model never sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateTool {
    /// Its name among the server's tools.
    pub name: String,
    /// The arguments it is called with.
    #[serde(default)]
    pub arguments: Map<String, Value>,
}

fn default_timeout_s() -> f64 {
    DEFAULT_TIMEOUT_S
}

fn command_line<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let command = Vec::<String>::deserialize(deserializer)?;
    match command.first() {
        Some(program) if !program.trim().is_empty() => Ok(command),
        _ => Err(serde::de::Error::custom(
            "`command` must name a program and its arguments, e.g. [\"python3\", \"server.py\"]",
        )),
    }
}

fn positive_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let seconds = f64::deserialize(deserializer)?;
    timeout(seconds).map(|_| seconds).map_err(serde::de::Error::custom)
}

fn timeout(seconds: f64) -> Result<Duration, String> {
    match Duration::try_from_secs_f64(seconds) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        _ => Err(format!("`timeout_s` must be a positive number of seconds, not {seconds}")),
    }
}

/// Start `server` for one episode: spawn its command (in its `cwd`, relative to `base_dir`, the
/// task file's folder), initialize, and list the tools offered to the model: all of the server's
/// but `state_tool`, which must be among them.
pub fn start(
    server: &McpServer,
    state_tool: Option<&StateTool>,
    base_dir: &Path,
) -> BoxFuture<'static, Result<Box<dyn Environment>, EnvironmentError>> {
    let (server, state_tool, base_dir) = (server.clone(), state_tool.cloned(), base_dir.to_path_buf());
    Box::pin(async move {
        let environment = McpEnvironment::start(&server, state_tool, &base_dir).await?;
        Ok(Box::new(environment) as Box<dyn Environment>)
    })
}

/// One episode's MCP server: the tools it offers and the connection their calls go through.
///
/// [`Environment::finish`] reads the state and shuts the server down; dropping the environment
/// (an episode cut short) shuts it down in the background the same way.
pub struct McpEnvironment {
    client: RunningService<RoleClient, ClientConfig>,
    tools: Vec<ToolSpec>,
    state_tool: Option<StateTool>,
    timeout: Duration,
    witness: Witness,
}

impl McpEnvironment {
    async fn start(
        server: &McpServer,
        state_tool: Option<StateTool>,
        base_dir: &Path,
    ) -> Result<McpEnvironment, EnvironmentError> {
        let label = server.command.join(" ");
        let cannot_start =
            |why: String| EnvironmentError(format!("cannot start MCP server `{label}`: {why}"));
        let timeout = timeout(server.timeout_s).map_err(cannot_start)?;
        let (transport, stderr) = spawn(server, base_dir).map_err(cannot_start)?;
        let witness = Witness { label: label.clone(), stderr: StderrTail::follow(stderr) };
        let client = match tokio::time::timeout(timeout, client_config().serve(transport)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(witness.after_exit(&format!("did not initialize: {e}")).await),
            Err(_) => {
                return Err(
                    witness.failure(&format!("did not answer `initialize` within {}", seconds(timeout)))
                );
            }
        };
        let mut environment = McpEnvironment { client, tools: Vec::new(), state_tool, timeout, witness };
        match environment.list_tools().await {
            Ok(tools) => {
                environment.tools = tools;
                Ok(environment)
            }
            Err(e) => {
                environment.shut_down().await;
                Err(e)
            }
        }
    }

    async fn list_tools(&self) -> Result<Vec<ToolSpec>, EnvironmentError> {
        let listed = match self.request("`tools/list`", self.client.list_all_tools()).await? {
            Ok(listed) => listed,
            Err(e) => return Err(self.witness.failure(&format!("refused `tools/list`: {}", e.message))),
        };
        offered_tools(listed, self.state_tool.as_ref()).map_err(|why| self.witness.failure(&why))
    }

    /// Send one request under the timeout. A JSON-RPC error from a live server comes back as
    /// `Ok(Err(..))`; a connection that closed or a server that did not answer in time is the
    /// environment breaking.
    async fn request<T>(
        &self,
        what: &str,
        request: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<Result<T, ErrorData>, EnvironmentError> {
        match tokio::time::timeout(self.timeout, request).await {
            Ok(Ok(answer)) => Ok(Ok(answer)),
            Ok(Err(ServiceError::McpError(error))) => Ok(Err(error)),
            Ok(Err(ServiceError::TransportClosed | ServiceError::TransportSend(_))) => Err(self
                .witness
                .after_exit(&format!("closed the connection during {what} (it exited or crashed)"))
                .await),
            Ok(Err(other)) => Err(self.witness.after_exit(&format!("failed during {what}: {other}")).await),
            Err(_) => {
                Err(self.witness.failure(&format!("did not answer {what} within {}", seconds(self.timeout))))
            }
        }
    }

    async fn read_state(&self, tool: &StateTool) -> Result<Value, EnvironmentError> {
        let what = format!("the state tool `{}`", tool.name);
        let params = CallToolRequestParams::new(tool.name.clone()).with_arguments(tool.arguments.clone());
        let result = match self.request(&what, self.client.call_tool(params)).await? {
            Ok(result) => result,
            Err(e) => return Err(self.witness.failure(&format!("refused {what}: {}", e.message))),
        };
        let text = result_text(&result);
        if result.is_error == Some(true) {
            return Err(self.witness.failure(&format!("reported an error from {what}: {text}")));
        }
        Ok(match result.structured_content {
            Some(state) => state,
            None => match serde_json::from_str(&text) {
                Ok(state) => state,
                Err(_) => Value::String(text),
            },
        })
    }

    /// Close the connection and end the server as MCP's stdio transport says (stdin closed, then
    /// SIGTERM, then SIGKILL, to its whole process group), waiting for it so that no zombie is left.
    async fn shut_down(self) {
        if let Err(e) = self.client.cancel().await {
            tracing::warn!("MCP server `{}` was not shut down cleanly: {e}", self.witness.label);
        }
    }
}

impl Environment for McpEnvironment {
    fn tools(&self) -> &[ToolSpec] {
        &self.tools
    }

    fn call<'a>(&'a mut self, call: &'a ToolCall) -> BoxFuture<'a, Result<ToolOutput, EnvironmentError>> {
        Box::pin(async move {
            let Some(arguments) = call.arguments.as_object() else {
                return Ok(ToolOutput::error("the arguments are not a JSON object"));
            };
            let params = CallToolRequestParams::new(call.name.clone()).with_arguments(arguments.clone());
            let what = format!("`tools/call` of `{}`", call.name);
            Ok(match self.request(&what, self.client.call_tool(params)).await? {
                Ok(result) => tool_output(&result),
                Err(error) => ToolOutput::error(refusal(&error)),
            })
        })
    }

    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<Value, EnvironmentError>> {
        Box::pin(async move {
            let state = match &self.state_tool {
                Some(tool) => self.read_state(tool).await,
                None => Ok(Value::Null),
            };
            self.shut_down().await;
            state
        })
    }
}

/// A JSON-RPC error a live server answered a call with (invalid arguments, a tool it does not
/// know), as the model reads it.
fn refusal(error: &ErrorData) -> String {
    match &error.data {
        Some(data) => format!("the server refused the call: {} ({data})", error.message),
        None => format!("the server refused the call: {}", error.message),
    }
}

/// What bench says to the server about itself in `initialize`.
fn client_config() -> ClientConfig {
    ClientConfig::new(ClientCapabilities::default(), Implementation::new("bench", env!("CARGO_PKG_VERSION")))
}

/// The tools offered to the model: all the server lists but the state tool, which must be there.
fn offered_tools(listed: Vec<Tool>, state_tool: Option<&StateTool>) -> Result<Vec<ToolSpec>, String> {
    let hidden = state_tool.map(|tool| tool.name.as_str());
    if let Some(hidden) = hidden
        && !listed.iter().any(|tool| tool.name == hidden)
    {
        let names: Vec<&str> = listed.iter().map(|tool| tool.name.as_ref()).collect();
        return Err(format!("lists no state tool `{hidden}` (its tools: {})", names.join(", ")));
    }
    Ok(listed.into_iter().filter(|tool| Some(tool.name.as_ref()) != hidden).map(tool_spec).collect())
}

fn tool_spec(tool: Tool) -> ToolSpec {
    let description = match (tool.description, tool.title) {
        (Some(description), _) => description.into_owned(),
        (None, Some(title)) => title,
        (None, None) => String::new(),
    };
    ToolSpec {
        name: tool.name.into_owned(),
        description,
        parameters: Value::Object(Arc::unwrap_or_clone(tool.input_schema)),
    }
}

fn tool_output(result: &CallToolResult) -> ToolOutput {
    let text = result_text(result);
    if result.is_error == Some(true) { ToolOutput::error(text) } else { ToolOutput::ok(text) }
}

/// A result as the model reads it: text as it is, other kinds of content summarised in a line
/// (the model is sent text only), the structured content when there is nothing else.
fn result_text(result: &CallToolResult) -> String {
    if result.content.is_empty()
        && let Some(structured) = &result.structured_content
    {
        return structured.to_string();
    }
    result.content.iter().map(block_text).collect::<Vec<_>>().join("\n")
}

fn block_text(block: &ContentBlock) -> String {
    match block {
        ContentBlock::Text(text) => text.text.clone(),
        ContentBlock::Image(image) => {
            format!("[image {}, {}, not shown]", image.mime_type, base64_size(&image.data))
        }
        ContentBlock::Audio(audio) => {
            format!("[audio {}, {}, not shown]", audio.mime_type, base64_size(&audio.data))
        }
        ContentBlock::Resource(embedded) => match &embedded.resource {
            ResourceContents::TextResourceContents { uri, text, .. } => format!("[resource {uri}]\n{text}"),
            ResourceContents::BlobResourceContents { uri, mime_type, blob, .. } => {
                let kind = mime_type.as_deref().unwrap_or("binary");
                format!("[resource {uri}, {kind}, {}, not shown]", base64_size(blob))
            }
            _ => "[a resource of another kind, not shown]".into(),
        },
        ContentBlock::ResourceLink(link) => format!("[link to resource {} ({})]", link.uri, link.name),
        _ => "[content of another kind, not shown]".into(),
    }
}

fn base64_size(data: &str) -> String {
    format!("{} bytes", data.trim_end_matches('=').len() * 3 / 4)
}

fn seconds(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

/// Spawn the server as the leader of its own process group (so that ending it ends whatever it
/// started), with stdin and stdout for the protocol and stderr piped to be kept.
fn spawn(server: &McpServer, base_dir: &Path) -> Result<(TokioChildProcess, Option<ChildStderr>), String> {
    let dir = match &server.cwd {
        Some(cwd) => base_dir.join(cwd),
        None => base_dir.to_path_buf(),
    };
    if !dir.is_dir() {
        return Err(format!("its working directory {} is not a folder", dir.display()));
    }
    let Some((program, args)) = server.command.split_first() else {
        return Err("the command is empty".into());
    };
    let program = resolve_program(program, &dir);
    let mut command = tokio::process::Command::new(&program);
    command
        .args(args)
        .current_dir(&dir)
        .env_clear()
        .envs(server_environment(std::env::vars_os(), &server.env))
        .kill_on_drop(true);
    let mut command = CommandWrap::from(command);
    command.wrap(ProcessGroup::leader());
    TokioChildProcess::builder(command)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| not_started(&program, &dir, &e))
}

/// A program named by a relative path is in `dir`; a bare name is looked up on `PATH`.
fn resolve_program(program: &str, dir: &Path) -> PathBuf {
    let path = Path::new(program);
    if path.is_relative() && path.components().count() > 1 { dir.join(path) } else { path.to_path_buf() }
}

fn not_started(program: &Path, dir: &Path, error: &std::io::Error) -> String {
    if error.kind() != std::io::ErrorKind::NotFound {
        return format!("{}: {error}", program.display());
    }
    if program.components().count() > 1 {
        return format!("{} does not exist", program.display());
    }
    let hint = match dir.join(program).is_file() {
        true => format!(" (for the one in {}, write `./{}`)", dir.display(), program.display()),
        false => String::new(),
    };
    format!("`{}` is not on PATH{hint}", program.display())
}

/// The server's environment: bench's own less the providers' keys (variables named `*_API_KEY`),
/// plus the task's `env`.
fn server_environment(
    inherited: impl Iterator<Item = (OsString, OsString)>,
    task: &BTreeMap<String, String>,
) -> Vec<(OsString, OsString)> {
    inherited
        .filter(|(name, _)| !name.to_string_lossy().ends_with("_API_KEY"))
        .chain(task.iter().map(|(name, value)| (name.into(), value.into())))
        .collect()
}

/// What explains a server's failure: its command line and the end of what it wrote to stderr.
struct Witness {
    label: String,
    stderr: StderrTail,
}

impl Witness {
    fn failure(&self, what: &str) -> EnvironmentError {
        let stderr = self.stderr.text();
        let said = match stderr.is_empty() {
            true => "nothing on stderr".to_string(),
            false => format!("its stderr ends with:\n{stderr}"),
        };
        EnvironmentError(format!("MCP server `{}` {what}; {said}", self.label))
    }

    /// A failure after the connection closed: the server's last words on stderr are waited for.
    async fn after_exit(&self, what: &str) -> EnvironmentError {
        self.stderr.settle(STDERR_GRACE).await;
        self.failure(what)
    }
}

/// The last bytes a server wrote to stderr, kept while a task drains the pipe (a server blocked on
/// a full pipe would hang).
struct StderrTail {
    bytes: Arc<Mutex<VecDeque<u8>>>,
    closed: watch::Receiver<bool>,
}

impl StderrTail {
    fn follow(stderr: Option<ChildStderr>) -> StderrTail {
        let bytes = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_BYTES)));
        let (done, closed) = watch::channel(stderr.is_none());
        if let Some(mut stderr) = stderr {
            let tail = Arc::clone(&bytes);
            tokio::spawn(async move {
                let mut chunk = [0u8; 1024];
                loop {
                    match stderr.read(&mut chunk).await {
                        Ok(0) => break,
                        Ok(n) => keep_tail(&tail, &chunk[..n]),
                        Err(e) => {
                            tracing::debug!("an MCP server's stderr could not be read: {e}");
                            break;
                        }
                    }
                }
                done.send_replace(true);
            });
        }
        StderrTail { bytes, closed }
    }

    /// Wait, up to `within`, for the server to close its stderr.
    async fn settle(&self, within: Duration) {
        let mut closed = self.closed.clone();
        if tokio::time::timeout(within, closed.wait_for(|closed| *closed)).await.is_err() {
            tracing::debug!("an MCP server's stderr is still open {within:?} after its connection closed");
        }
    }

    fn text(&self) -> String {
        let bytes = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        let (front, back) = bytes.as_slices();
        String::from_utf8_lossy(&[front, back].concat()).trim().to_string()
    }
}

fn keep_tail(tail: &Mutex<VecDeque<u8>>, bytes: &[u8]) {
    let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
    tail.extend(bytes);
    let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
    tail.drain(..excess);
}

#[cfg(test)]
mod tests;
