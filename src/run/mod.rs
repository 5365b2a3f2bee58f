//! Running a plan: admission per provider (limiter), the retry policy, and the scheduler that drives
//! every provider at once.

pub mod limiter;
pub mod plan;
pub mod retry;
pub mod scheduler;

pub use plan::{Plan, ProviderPlan};
pub use scheduler::{Observer, ProviderReport};
