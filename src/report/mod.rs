//! Reports: pure renderers of a run's summary (the terminal table, summary.json, Markdown), the
//! dry-run plan, and SWE-bench prediction files.

mod format;
pub mod json;
pub mod markdown;
pub mod plan;
pub mod predictions;
pub mod table;
