//! Task families: each turns its data into tasks and scores answers to them.

pub mod custom;
