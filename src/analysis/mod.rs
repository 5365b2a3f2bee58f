//! Analysis: a stored run loaded as a [`RunView`], aggregated into per-provider, per-suite,
//! per-family and per-category figures with confidence intervals, paired comparisons against the
//! baseline (Holm-corrected, with their power), the failure taxonomy, the migration model, and the
//! comparison of two runs, and runs as a series (regressions, drift, history).

mod comparisons;
mod context;
pub mod diff;
pub mod distribution;
pub mod drift;
#[cfg(test)]
mod example;
pub mod failures;
pub mod figures;
pub mod history;
pub mod migration;
pub mod regress;
mod samples;
pub mod stats;
mod summary;
mod tool_use;
mod view;

pub use comparisons::Comparison;
pub use context::{AbsentSummary, ContextBreakdown, ContextSummary};
#[cfg(test)]
pub(crate) use example::{example_run, result_row, run_view, run_view_of_tasks};
pub use stats::PairedTest;
pub use summary::{
    CategorySummary, Percentiles, ProviderSummary, SuiteSummary, Summary, UNCATEGORIZED, summarize,
};
pub use tool_use::ToolUseSummary;
pub use view::{ContextCell, Name, RunView, ViewRow, ViewTask};
