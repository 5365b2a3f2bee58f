//! The MCP server bench's tests start (tests/it/mcp.rs), built with the official SDK like a team's
//! own server would be: a counter with tools to add, withdraw and chart, a state tool, one tool that
//! crashes the server and one that hangs. `bench-mcp-fixture silent` never answers `initialize`.
//!
//! It writes its process id to the file `$MCP_FIXTURE_PID_FILE` names, when set, so that a test can
//! check it is gone after an episode; `$COUNTER_START` sets the starting total.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::{ServiceExt, schemars, tool, tool_router};
use serde::Deserialize;

/// A one-pixel PNG, for a tool result that is not text.
const PIXEL_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

#[derive(Deserialize, schemars::JsonSchema)]
struct Amount {
    /// How much.
    amount: i64,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct Wait {
    /// How long, in seconds.
    seconds: u64,
}

#[derive(Default)]
struct Ledger {
    total: i64,
    operations: Vec<String>,
}

#[derive(Clone)]
struct Counter {
    ledger: Arc<Mutex<Ledger>>,
}

#[tool_router(server_handler)]
impl Counter {
    fn starting_at(total: i64) -> Counter {
        Counter { ledger: Arc::new(Mutex::new(Ledger { total, operations: Vec::new() })) }
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[tool(description = "Add an amount to the counter; returns the new total")]
    fn add(&self, Parameters(Amount { amount }): Parameters<Amount>) -> String {
        let mut ledger = self.ledger();
        ledger.total += amount;
        ledger.operations.push(format!("add {amount}"));
        format!("total is {}", ledger.total)
    }

    #[tool(description = "Take an amount from the counter; refused when the total is smaller")]
    fn withdraw(&self, Parameters(Amount { amount }): Parameters<Amount>) -> CallToolResult {
        let mut ledger = self.ledger();
        if amount > ledger.total {
            return CallToolResult::error(vec![ContentBlock::text(format!(
                "refused: the total is only {}",
                ledger.total
            ))]);
        }
        ledger.total -= amount;
        ledger.operations.push(format!("withdraw {amount}"));
        CallToolResult::success(vec![ContentBlock::text(format!("total is {}", ledger.total))])
    }

    #[tool(description = "Draw the counter as a chart")]
    fn chart(&self) -> CallToolResult {
        let caption = format!("chart of a total of {}", self.ledger().total);
        CallToolResult::success(vec![
            ContentBlock::text(caption),
            ContentBlock::image(PIXEL_PNG, "image/png"),
        ])
    }

    #[tool(description = "The counter's state as JSON (what bench reads after an episode)")]
    fn state(&self) -> String {
        let ledger = self.ledger();
        serde_json::json!({"total": ledger.total, "operations": ledger.operations}).to_string()
    }

    #[tool(description = "Crash the server")]
    fn crash(&self) -> String {
        eprintln!("counter: crashing on purpose");
        std::process::exit(3)
    }

    #[tool(description = "Wait, then answer")]
    async fn sleep(&self, Parameters(Wait { seconds }): Parameters<Wait>) -> String {
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        "awake".into()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(path) = std::env::var_os("MCP_FIXTURE_PID_FILE") {
        std::fs::write(path, std::process::id().to_string())?;
    }
    if std::env::args().nth(1).as_deref() == Some("silent") {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        return Ok(());
    }
    let start = match std::env::var("COUNTER_START") {
        Ok(start) => start.parse()?,
        Err(_) => 0,
    };
    eprintln!("counter: serving on stdio from {start}");
    Counter::starting_at(start).serve(rmcp::transport::stdio()).await?.waiting().await?;
    Ok(())
}
