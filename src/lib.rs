//! `bench`: measure what a team keeps and loses when it moves LLM workloads between providers.
//!
//! The crate follows one pipeline, one module per stage (see DESIGN.md):
//! suites -> [`task`] -> plan -> scheduler -> [`provider`] -> store -> scoring -> [`analysis`] -> report.

pub mod analysis;
pub mod app;
pub mod config;
pub mod core;
pub mod dirs;
pub mod families;
pub mod provider;
pub mod report;
pub mod run;
pub mod sandbox;
pub mod score;
pub mod store;
