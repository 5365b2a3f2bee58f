//! One thin file per command: parse what is left of the flags, call the session and the engine,
//! render.

pub mod compare;
pub mod completions;
pub mod history;
pub mod merge;
pub mod providers;
pub mod regress;
pub mod report;
pub mod run;
pub mod runs;
pub mod suites;
