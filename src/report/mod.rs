//! Reports: pure renderers of a run's view and summary (the terminal table, summary.json, Markdown,
//! CSV, the attempts log as JSONL, JUnit XML and the self-contained HTML report), of the migration
//! model (Markdown, HTML) and of two runs side by side (table, Markdown), the dry-run plan (a table or
//! JSON), SWE-bench prediction files, a regression check (table, Markdown, JUnit XML) and a tag's
//! history, and how tables fit the terminal.

pub mod csv;
pub mod diff;
mod format;
pub mod history;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod layout;
pub mod markdown;
pub mod migration_html;
pub mod migration_md;
pub mod outcome;
pub mod plan;
pub mod predictions;
pub mod regress;
pub mod regress_junit;
pub mod table;
pub mod texts;
