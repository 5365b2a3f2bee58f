//! Reports: the terminal comparison table, the dry-run plan, and progress bars. Renderers are pure
//! functions of the summary or plan, so they are easy to test.

pub mod plan;
pub mod predictions;
mod progress;
pub mod table;

pub use progress::Progress;
