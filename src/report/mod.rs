//! Reports: pure renderers of a run's summary (the terminal table, summary.json, Markdown), the
//! dry-run plan (a table or JSON), SWE-bench prediction files, and how tables fit the terminal.

mod format;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod plan;
pub mod predictions;
pub mod table;
