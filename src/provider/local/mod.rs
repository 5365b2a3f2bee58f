//! The embedded GGUF provider, `protocol = "local"`: a small llama-family model run inside the bench
//! process on the CPU, offline, with no server to start.
//!
//! [`connect`] finds the model file, loads it once (requantized to Q8_0 first when the spec asks, see
//! `requant.rs`), and starts the engine thread that every request to this provider queues on
//! (`engine.rs`), which runs the transformer of `model.rs`. The tokenizer and chat template come from
//! the GGUF file itself (`tokenizer.rs`, `template.rs`). A model whose template takes tools is offered
//! them and its `<tool_call>` blocks are read as calls (`tool_calls.rs`); for any other model, the run
//! is told once that tasks with tools get text-only answers.

mod engine;
mod model;
mod requant;
pub(crate) mod template;
pub(crate) mod tokenizer;
mod tool_calls;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::ProviderSpec;

/// Load the model a local provider names and return it as a provider shared by all its requests.
///
/// The model file is `model_path` from the spec, else [`tokenizer::default_model_path`]
/// (`$BENCH_LOCAL_MODEL`, else the model cache). Loading blocks for about a second (longer on the first
/// requantizing load); a missing file is an error that names the command fetching it.
pub fn connect(spec: &ProviderSpec) -> Result<Arc<dyn super::Provider>, String> {
    let path = model_path(spec)?;
    let (provider, _info) = engine::start(spec, &path)?;
    Ok(Arc::new(provider))
}

/// The model file a spec resolves to, checked to exist.
fn model_path(spec: &ProviderSpec) -> Result<PathBuf, String> {
    let path = spec.model_path.clone().unwrap_or_else(tokenizer::default_model_path);
    if path.is_file() {
        return Ok(path);
    }
    Err(format!(
        "provider `{}`: model file {} not found; fetch it with `scripts/fetch-model.sh`, or point \
         BENCH_LOCAL_MODEL (or `model_path` in bench.toml) at a GGUF file elsewhere",
        spec.name,
        path.display()
    ))
}
