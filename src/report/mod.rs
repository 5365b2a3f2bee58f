//! Reports: pure renderers of a run's summary (the terminal table, summary.json, Markdown), of the
//! migration model (Markdown) and of two runs side by side (table, Markdown), the dry-run plan (a
//! table or JSON), SWE-bench prediction files, a regression check (table, Markdown, JUnit XML) and a
//! tag's history, and how tables fit the terminal.

pub mod diff;
mod format;
pub mod history;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod migration_md;
pub mod plan;
pub mod predictions;
pub mod regress;
pub mod regress_junit;
pub mod table;
