//! The inference engine of a local provider: one OS thread that owns the model and answers requests one
//! at a time, in arrival order.
//!
//! CPU inference must never run on a tokio worker (it would stall every other task of the run), so
//! [`LocalProvider::complete`] only queues a job on a channel and awaits its reply. The engine thread
//! renders the chat template, tokenizes, prefills the whole prompt in one forward pass, then decodes
//! token by token. A caller that gives up (the scheduler's per-attempt timeout, Ctrl-C) drops its future,
//! and with it the reply receiver: the engine sees that between tokens and moves on to the next job, and a
//! job whose caller left while it was still queued is skipped without any work.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Instant;

use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::model::{Kernels, KvCache, Llama};
use super::requant::{self, Opened, Origin};
use super::template::ChatTemplate;
use super::tokenizer::GgufTokenizer;
use super::tool_calls::split_tool_calls;
use crate::config::{ProviderSpec, Quantize};
use crate::core::{Outcome, StopReason, Usage};
use crate::provider::{ChatRequest, ErrorClass, Provider, ProviderError, elapsed_ms};

/// What a load did, for debug logs and tests.
#[derive(Debug, Clone)]
pub(crate) struct LoadInfo {
    /// Where the weights came from (as shipped, cache hit, requantized now).
    pub(crate) origin: Origin,
    /// Wall time of the whole load, hashing and requantization included.
    pub(crate) load_ms: f64,
    /// Tokens the model can see at once (prompt and output together).
    pub(crate) context: usize,
    /// The model's chat template takes tools (see [`ChatTemplate::takes_tools`]).
    pub(crate) takes_tools: bool,
}

/// One request on its way to the engine thread.
struct Job {
    /// The request, owned: the caller's borrow cannot cross threads.
    request: ChatRequest,
    /// When `complete()` was called; TTFT and latency count from here, queue wait included.
    start: Instant,
    /// Where the answer goes. Closed when the caller dropped its future: the job is then abandoned.
    reply: oneshot::Sender<Result<Outcome, ProviderError>>,
}

/// The provider handed to the scheduler: a queue in front of the engine thread. Dropping the last
/// handle closes the queue, and the thread ends after the job at hand.
pub(crate) struct LocalProvider {
    /// Provider name, for error messages.
    name: String,
    /// The engine thread's inbox.
    jobs: mpsc::Sender<Job>,
    /// Forward passes run so far (prefills and decode steps): lets tests see that a cancelled job
    /// really stopped, and costs one relaxed atomic add per token.
    steps: Arc<AtomicU64>,
    /// The model's chat template takes tools, so the model can call them.
    takes_tools: bool,
    /// Whether the run has been told that this model cannot call tools (said once, not per request).
    told_no_tools: AtomicBool,
}

impl LocalProvider {
    /// Forward passes the engine has run since it started (read by the cancellation tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn steps(&self) -> u64 {
        self.steps.load(Ordering::Relaxed)
    }

    /// The one line that says a request's tools will not be used, the first time a request offers
    /// tools to a model whose template takes none; `None` every other time.
    pub(crate) fn no_tools_note(&self, req: &ChatRequest) -> Option<String> {
        if req.tools.is_empty() || self.takes_tools || self.told_no_tools.swap(true, Ordering::Relaxed) {
            return None;
        }
        Some(format!(
            "provider `{}`: the embedded model has no tool calling (its chat template takes no tools); \
             tasks that offer tools get text-only answers and are scored as they come",
            self.name
        ))
    }
}

impl Provider for LocalProvider {
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>> {
        let start = Instant::now();
        if let Some(note) = self.no_tools_note(req) {
            tracing::warn!("{note}");
        }
        Box::pin(async move {
            let (reply, answer) = oneshot::channel();
            let job = Job { request: req.clone(), start, reply };
            let gone = || {
                ProviderError::new(
                    ErrorClass::Server,
                    format!("provider `{}`: the local engine thread has stopped", self.name),
                )
            };
            self.jobs.send(job).map_err(|_| gone())?;
            // Dropping this future drops `answer`, which is the engine's cancellation signal.
            answer.await.map_err(|_| gone())?
        })
    }
}

/// Resolve the spec's model file, start the engine thread, load the model on it, and return the
/// provider once the model is ready (or the load error).
pub(crate) fn start(spec: &ProviderSpec, path: &Path) -> Result<(LocalProvider, LoadInfo), String> {
    let (jobs, inbox) = mpsc::channel::<Job>();
    let (ready_tx, ready_rx) = mpsc::channel::<Result<LoadInfo, String>>();
    let path = path.to_path_buf();
    let quantize = spec.quantize;
    let seed = spec.seed;
    let model_name = spec.model.clone();
    let steps = Arc::new(AtomicU64::new(0));
    let engine_steps = Arc::clone(&steps);
    std::thread::Builder::new()
        .name(format!("bench-local-{}", spec.name))
        .spawn(move || match Engine::load(&path, quantize, seed, model_name, engine_steps) {
            Ok((engine, info)) => {
                if ready_tx.send(Ok(info)).is_ok() {
                    engine.serve(inbox);
                }
            }
            Err(e) => {
                let _ = ready_tx.send(Err(e));
            }
        })
        .map_err(|e| format!("provider `{}`: cannot start the engine thread: {e}", spec.name))?;
    let info = ready_rx
        .recv()
        .map_err(|_| format!("provider `{}`: the engine thread died while loading the model", spec.name))?
        .map_err(|e| format!("provider `{}`: {e}", spec.name))?;
    tracing::debug!(
        provider = %spec.name,
        origin = ?info.origin,
        load_ms = info.load_ms,
        context = info.context,
        "local model loaded"
    );
    let takes_tools = info.takes_tools;
    let told_no_tools = AtomicBool::new(false);
    Ok((LocalProvider { name: spec.name.clone(), jobs, steps, takes_tools, told_no_tools }, info))
}

/// Everything the engine thread owns.
struct Engine {
    /// The weights.
    model: Llama,
    /// Keys and values of the request at hand; cleared (memory kept) at the start of each request.
    cache: KvCache,
    /// Text <-> token ids.
    tokenizer: GgufTokenizer,
    /// Conversation -> prompt text.
    template: ChatTemplate,
    /// Token ids that end generation.
    eos: Vec<u32>,
    /// Tokens the model can attend to (prompt and output together): the file's context length.
    context: usize,
    /// The provider's sampling seed.
    seed: u64,
    /// Reported as the outcome's model.
    model_name: String,
    /// Shared with [`LocalProvider::steps`].
    steps: Arc<AtomicU64>,
}

/// Why a request ended early without an answer.
enum Stopped {
    /// The caller dropped its future.
    Cancelled,
    /// A real failure, answered to the caller.
    Failed(ProviderError),
}

impl From<candle_core::Error> for Stopped {
    fn from(e: candle_core::Error) -> Self {
        Stopped::Failed(ProviderError::new(ErrorClass::Server, format!("local inference failed: {e}")))
    }
}

impl Engine {
    /// Read (and if asked, requantize) the model file, then build the model, tokenizer and template.
    fn load(
        path: &Path,
        quantize: Option<Quantize>,
        seed: u64,
        model_name: String,
        steps: Arc<AtomicU64>,
    ) -> Result<(Engine, LoadInfo), String> {
        let started = Instant::now();
        let Opened { content, mut reader, origin } = match quantize {
            Some(Quantize::Q8_0) => requant::open_q8_0(path)?,
            None => requant::open_source(path)?,
        };
        let tokenizer = GgufTokenizer::from_gguf(&content)?;
        let template = ChatTemplate::from_gguf(&content, tokenizer.bos_token(), tokenizer.eos_token());
        if let Some(why) = template.load_error() {
            tracing::debug!("{}: {why}; prompts use ChatML", path.display());
        }
        let mut eos = tokenizer.eos_ids();
        if eos.is_empty() {
            return Err(format!("{}: the tokenizer names no end-of-sequence token", path.display()));
        }
        eos.sort_unstable();
        eos.dedup();
        let model = Llama::from_gguf(&content, &mut reader, Kernels::Fastest)
            .map_err(|e| format!("cannot load {}: {e}", path.display()))?;
        let context = model.hp.context;
        let info =
            LoadInfo { origin, load_ms: elapsed_ms(started), context, takes_tools: template.takes_tools() };
        let cache = KvCache::default();
        Ok((Engine { model, cache, tokenizer, template, eos, context, seed, model_name, steps }, info))
    }

    /// Answer jobs until every provider handle is gone.
    fn serve(mut self, inbox: mpsc::Receiver<Job>) {
        while let Ok(job) = inbox.recv() {
            if job.reply.is_closed() {
                continue; // cancelled while queued
            }
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.answer(&job)));
            let result = match result {
                Ok(Ok(outcome)) => Ok(outcome),
                Ok(Err(Stopped::Cancelled)) => continue,
                Ok(Err(Stopped::Failed(e))) => Err(e),
                Err(_) => Err(ProviderError::new(ErrorClass::Server, "local inference panicked")),
            };
            let _ = job.reply.send(result);
        }
    }

    /// Generate the answer to one job.
    fn answer(&mut self, job: &Job) -> Result<Outcome, Stopped> {
        let req = &job.request;
        let invalid = |e: String| Stopped::Failed(ProviderError::new(ErrorClass::InvalidRequest, e));
        let prompt =
            self.template.render(req.system.as_deref(), &req.messages, &req.tools).map_err(invalid)?;
        let prompt_ids = self.tokenizer.encode(&prompt).map_err(invalid)?;
        if prompt_ids.is_empty() {
            return Err(invalid("the prompt renders to no tokens".to_string()));
        }
        if prompt_ids.len() >= self.context {
            return Err(Stopped::Failed(ProviderError::new(
                ErrorClass::ContextTooLong,
                format!(
                    "prompt is {} tokens; the model's context window is {} tokens",
                    prompt_ids.len(),
                    self.context
                ),
            )));
        }
        let max_tokens = req.max_tokens as usize;
        let usage = |output: usize| Usage {
            input: prompt_ids.len() as u64,
            output: output as u64,
            ..Usage::default()
        };
        if max_tokens == 0 {
            return Ok(self.outcome(String::new(), usage(0), StopReason::MaxTokens, None, job.start));
        }
        let cancelled = || job.reply.is_closed();
        if cancelled() {
            return Err(Stopped::Cancelled);
        }
        let mut sampler = LogitsProcessor::from_sampling(sample_seed(self.seed, req), sampling(req));
        self.cache.clear();
        let logits = self.model.forward(&prompt_ids, &mut self.cache)?;
        self.steps.fetch_add(1, Ordering::Relaxed);
        let mut next = sample(&mut sampler, logits)?;
        let ttft_ms = elapsed_ms(job.start);
        let decode_start = Instant::now();
        let mut output: Vec<u32> = Vec::with_capacity(max_tokens.min(self.context));
        let stop = loop {
            if self.eos.binary_search(&next).is_ok() {
                break StopReason::EndTurn;
            }
            output.push(next);
            if output.len() >= max_tokens {
                break StopReason::MaxTokens;
            }
            if self.cache.len() + 1 > self.context {
                break StopReason::ContextWindow;
            }
            if cancelled() {
                return Err(Stopped::Cancelled);
            }
            let logits = self.model.forward(&[next], &mut self.cache)?;
            self.steps.fetch_add(1, Ordering::Relaxed);
            next = sample(&mut sampler, logits)?;
        };
        let decode_s = decode_start.elapsed().as_secs_f64();
        if output.len() > 1 && decode_s > 0.0 {
            tracing::debug!(
                prompt_tokens = prompt_ids.len(),
                output_tokens = output.len(),
                ttft_ms,
                tokens_per_s = (output.len() - 1) as f64 / decode_s,
                "local generation"
            );
        }
        let text = self
            .tokenizer
            .decode(&output)
            .map_err(|e| Stopped::Failed(ProviderError::new(ErrorClass::Server, e)))?;
        let (text, tool_calls) = if req.tools.is_empty() || !self.template.takes_tools() {
            (text, Vec::new())
        } else {
            split_tool_calls(&text)
        };
        let stop = if tool_calls.is_empty() { stop } else { StopReason::ToolUse };
        let mut outcome = self.outcome(text, usage(output.len()), stop, Some(ttft_ms), job.start);
        outcome.tool_calls = tool_calls;
        Ok(outcome)
    }

    /// Assemble an outcome; latency is measured now.
    fn outcome(
        &self,
        text: String,
        usage: Usage,
        stop: StopReason,
        ttft_ms: Option<f64>,
        start: Instant,
    ) -> Outcome {
        Outcome {
            reasoning_blocks: Vec::new(),
            prompt: None,
            episode: None,
            text,
            reasoning: String::new(),
            tool_calls: Vec::new(),
            usage,
            usage_estimated: false,
            stop,
            model: Some(self.model_name.clone()),
            response_id: None,
            system_fingerprint: None,
            ttft_ms,
            latency_ms: elapsed_ms(start),
            headroom: None,
        }
    }
}

/// Pick the next token from a logits vector.
fn sample(sampler: &mut LogitsProcessor, logits: Vec<f32>) -> candle_core::Result<u32> {
    let n = logits.len();
    sampler.sample(&Tensor::from_vec(logits, n, &Device::Cpu)?)
}

/// Greedy decoding unless the request asks for a positive temperature; nucleus sampling when it also
/// asks for a top_p below 1.
pub(crate) fn sampling(req: &ChatRequest) -> Sampling {
    match req.temperature {
        Some(temperature) if temperature.is_finite() && temperature > 0.0 => match req.top_p {
            Some(p) if p > 0.0 && p < 1.0 => Sampling::TopP { p, temperature },
            _ => Sampling::All { temperature },
        },
        _ => Sampling::ArgMax,
    }
}

/// The sampling seed of one request: the provider seed mixed with the task and sample, so samples
/// of a task differ from each other but every rerun draws the same tokens. sha256 rather than the
/// std hasher because its output must not change between Rust releases.
pub(crate) fn sample_seed(seed: u64, req: &ChatRequest) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_le_bytes());
    hasher.update((req.task_id.len() as u64).to_le_bytes());
    hasher.update(req.task_id.as_bytes());
    hasher.update(req.sample.to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}
