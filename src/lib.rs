//! `bench`: measure what a team keeps and loses when it moves LLM workloads between providers.
//!
//! The crate follows one pipeline, one module per stage (see DESIGN.md):
//! suites ([`families`]) -> tasks ([`core`](crate::core)) -> plan -> scheduler ([`provider`] under per-provider
//! limits) -> store -> scoring -> [`analysis`] -> report, run by one engine under every command
//! ([`app`]). Only what the integration tests and benchmarks use is public; the rest is crate-private.

pub mod analysis;
pub mod app;
pub(crate) mod config;
pub mod core;
pub(crate) mod dirs;
pub mod families;
pub mod provider;
pub(crate) mod report;
pub(crate) mod run;
pub mod sandbox;
pub(crate) mod score;
pub(crate) mod store;
