//! The `tools` family: tasks that chain tool calls over several turns, scored by where they end.
pub mod mcp;
