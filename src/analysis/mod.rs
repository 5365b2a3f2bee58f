//! Analysis: a stored run loaded as a [`RunView`], aggregated into per-provider, per-suite and
//! per-category figures with confidence intervals, and paired comparisons against the baseline.

mod context;
#[cfg(test)]
mod example;
mod samples;
pub mod stats;
mod summary;
mod tool_use;
mod view;

pub use context::{AbsentSummary, ContextBreakdown, ContextSummary};
#[cfg(test)]
pub(crate) use example::{example_run, result_row, run_view, run_view_of_tasks};
pub use stats::PairedTest;
pub use summary::{
    CategorySummary, Comparison, Percentiles, ProviderSummary, SuiteSummary, Summary, UNCATEGORIZED,
    summarize,
};
pub use tool_use::ToolUseSummary;
pub use view::{ContextCell, Name, RunView, ViewRow, ViewTask};
