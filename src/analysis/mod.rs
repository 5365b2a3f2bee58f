//! Analysis: aggregation of scored results into per-provider and per-suite figures with confidence
//! intervals, and paired comparisons against the baseline.

mod samples;
pub mod stats;
mod summary;

pub use stats::PairedTest;
pub use summary::{Comparison, Percentiles, ProviderSummary, Sampling, SuiteSummary, Summary, summarize};
