//! Running a plan: the engine, the events it sends to its sinks, the plan and its shards,
//! per-provider admission (limiter), the retry policy, and the scheduler that drives every provider
//! at once.

mod breaker;
pub mod engine;
pub mod events;
pub mod limiter;
pub mod plan;
mod prompt;
pub mod retry;
pub mod scheduler;
pub mod shard;
mod turns;

pub use engine::Engine;
pub use events::{RunEvent, Sink, SinkClosed, Sinks, StoreSink};
pub use plan::Plan;
pub use prompt::beyond_window;
pub use scheduler::ProviderReport;
pub use shard::Shard;
