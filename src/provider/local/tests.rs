//! Tests of the local engine against the real default model; each one that needs the model skips (with a
//! note on stderr) when the file is absent, so the suite passes on machines without it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::engine::{self, LocalProvider};
use super::requant::{self, Origin};
use super::tokenizer::default_model_path;
use crate::config::{Config, ProviderSpec, Quantize};
use crate::core::{Message, StopReason, ToolSpec};
use crate::provider::{ChatRequest, Provider};

/// The default model file, or `None` (after saying so) when it has not been fetched.
fn model_or_skip(test: &str) -> Option<PathBuf> {
    let path = default_model_path();
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping {test}: {} is absent (scripts/fetch-model.sh fetches it)", path.display());
        None
    }
}

/// A spec from a built-in preset, pointed at `path`.
fn spec(preset: &str, path: &Path) -> ProviderSpec {
    let mut spec = Config::parse("", "test").unwrap().provider(preset).unwrap();
    spec.model_path = Some(path.to_path_buf());
    spec
}

/// A one-turn request.
fn request(prompt: &str, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        system: None,
        messages: vec![Message::user(prompt)],
        tools: Vec::new(),
        max_tokens,
        temperature: None,
        top_p: None,
        tool_choice: None,
        suite: "s".into(),
        task_id: "t".into(),
        sample: 0,
    }
}

/// One Q4_1 provider shared by the tests that only generate (loading once keeps the suite quick; each
/// test's runtime can talk to it because the engine lives on its own thread).
fn shared_q4(path: &Path) -> Arc<LocalProvider> {
    static PROVIDER: OnceLock<Arc<LocalProvider>> = OnceLock::new();
    PROVIDER.get_or_init(|| Arc::new(engine::start(&spec("smollm2-q4", path), path).unwrap().0)).clone()
}

#[test]
fn missing_model_names_the_fetch_script() {
    let mut spec = spec("smollm2", Path::new("/nonexistent/bench-test/model.gguf"));
    spec.name = "tiny".into();
    let err = super::connect(&spec).err().unwrap();
    assert!(err.contains("scripts/fetch-model.sh"), "{err}");
    assert!(err.contains("/nonexistent/bench-test/model.gguf") && err.contains("BENCH_LOCAL_MODEL"), "{err}");
}

#[test]
fn sampling_seed_is_stable_and_differs_per_sample() {
    let mut a = request("x", 1);
    let first = engine::sample_seed(7, &a);
    assert_eq!(first, engine::sample_seed(7, &a));
    a.sample = 1;
    assert_ne!(first, engine::sample_seed(7, &a));
    assert_ne!(first, engine::sample_seed(8, &request("x", 1)));
    a.temperature = Some(0.0);
    assert_eq!(engine::sampling(&a), candle_transformers::generation::Sampling::ArgMax);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greedy_answer_is_deterministic_with_exact_usage() {
    let Some(path) = model_or_skip("greedy_answer_is_deterministic_with_exact_usage") else { return };
    let provider = shared_q4(&path);
    let req = request("What is 2+2?", 48);
    let first = provider.complete(&req).await.unwrap();
    let second = provider.complete(&req).await.unwrap();
    assert_eq!(first.text, second.text);
    assert_eq!(first.usage, second.usage);
    assert!(!first.text.trim().is_empty(), "{first:?}");
    assert!(!first.text.contains("<|im_end|>"), "{first:?}");

    // Input tokens are exactly the rendered prompt's tokens.
    let mut file = std::fs::File::open(&path).unwrap();
    let content = candle_core::quantized::gguf_file::Content::read(&mut file).unwrap();
    let tokenizer = super::tokenizer::GgufTokenizer::from_gguf(&content).unwrap();
    let template =
        super::template::ChatTemplate::from_gguf(&content, tokenizer.bos_token(), tokenizer.eos_token());
    let prompt = template.render(None, &req.messages, &[]).unwrap();
    assert_eq!(first.usage.input, tokenizer.encode(&prompt).unwrap().len() as u64);
    assert!(first.usage.output > 0 && first.usage.output <= 48, "{:?}", first.usage);
    if first.stop == StopReason::MaxTokens {
        assert_eq!(first.usage.output, 48);
    } else {
        assert_eq!(first.stop, StopReason::EndTurn);
    }
    assert_eq!(first.model.as_deref(), Some("SmolLM2-135M-Instruct-Q4_1"));
    let ttft = first.ttft_ms.unwrap();
    assert!(ttft > 0.0 && ttft <= first.latency_ms, "{first:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_tokens_stops_generation() {
    let Some(path) = model_or_skip("max_tokens_stops_generation") else { return };
    let provider = shared_q4(&path);
    let outcome = provider.complete(&request("Tell me a long story about a dragon.", 5)).await.unwrap();
    assert_eq!(outcome.stop, StopReason::MaxTokens);
    assert_eq!(outcome.usage.output, 5);
    assert!(!outcome.text.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_request_stops_and_the_next_one_runs() {
    let Some(path) = model_or_skip("dropped_request_stops_and_the_next_one_runs") else { return };
    // Its own provider, so that no other test's jobs share the queue and the step count.
    let (provider, _) = engine::start(&spec("smollm2-q4", &path), &path).unwrap();
    let long = request("Count from 1 to 5000, separated by commas.", 2000);
    let queued = request("Count from 1 to 100, separated by commas.", 50);
    // The first runs, the second waits behind it; both callers give up once the first has decoded a
    // few tokens (~100 ms on a quiet machine; waiting on the step count keeps a busy one from flaking).
    let generating = async {
        while provider.steps() < 4 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::select! {
        _ = futures_util::future::join(provider.complete(&long), provider.complete(&queued)) => {
            panic!("a 2000-token answer cannot finish this early")
        }
        _ = tokio::time::timeout(Duration::from_secs(60), generating) => {}
    }
    let at_drop = provider.steps();
    assert!(at_drop >= 4, "the long job never got going");
    let started = Instant::now();
    let next = provider.complete(&request("Say hi.", 1)).await.unwrap();
    let waited = started.elapsed();
    // The long job checks between tokens (at most the forward pass in flight completes), the queued job
    // is skipped without a forward pass, and the new job needs exactly one (its prefill).
    assert!(provider.steps() <= at_drop + 2, "steps {} after {at_drop} at the drop", provider.steps());
    assert!(waited < Duration::from_secs(30), "the next request waited {waited:?}");
    assert!(next.usage.output <= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requantized_model_is_cached_once_and_reused() {
    let Some(path) = model_or_skip("requantized_model_is_cached_once_and_reused") else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(path.file_name().unwrap());
    std::fs::copy(&path, &copy).unwrap();
    let spec = spec("smollm2", &copy);
    assert_eq!(spec.quantize, Some(Quantize::Q8_0));
    let digest = requant::sha256_file(&copy).unwrap();
    let expected = dir.path().join(requant::cache_name(&copy, &digest));
    assert!(expected.file_name().unwrap().to_str().unwrap().starts_with("SmolLM2-135M-Instruct.Q4_1.q8_0."));

    let (first, info) = engine::start(&spec, &copy).unwrap();
    assert_eq!(info.origin, Origin::Created(expected.clone()));
    let written = std::fs::metadata(&expected).unwrap().modified().unwrap();
    let answer = first.complete(&request("What is 2+2?", 8)).await.unwrap();
    assert!(answer.usage.output > 0 && !answer.text.is_empty(), "{answer:?}");
    drop(first);

    let (second, info) = engine::start(&spec, &copy).unwrap();
    assert_eq!(info.origin, Origin::Cached(expected.clone()));
    assert_eq!(std::fs::metadata(&expected).unwrap().modified().unwrap(), written);
    let again = second.complete(&request("What is 2+2?", 8)).await.unwrap();
    assert_eq!(again.text, answer.text, "the cached weights are the weights just written");
    // Only the model and its one cache file: no temporary file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

/// Load times and decode speed of both formats; run by hand (release build):
/// `cargo test --release --lib provider::local::tests::speed -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check"]
async fn speed() {
    let Some(path) = model_or_skip("speed") else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(path.file_name().unwrap());
    std::fs::copy(&path, &copy).unwrap();
    for (preset, label) in [("smollm2-q4", "Q4_1"), ("smollm2", "Q8_0 first"), ("smollm2", "Q8_0 cached")] {
        let (provider, info) = engine::start(&spec(preset, &copy), &copy).unwrap();
        let _ = provider.complete(&request("Hi", 2)).await.unwrap(); // warm-up (weight repacking)
        let mut rates = Vec::new();
        for i in 0..3 {
            let mut req = request("Write a short story about a robot who learns to paint.", 128);
            req.task_id = format!("speed{i}");
            let o = provider.complete(&req).await.unwrap();
            let ttft = o.ttft_ms.unwrap();
            rates.push((o.usage.output as f64 - 1.0) / ((o.latency_ms - ttft) / 1000.0));
            eprintln!(
                "{label}: prompt {} tok, output {} tok, ttft {ttft:.1} ms, latency {:.1} ms: {:?}",
                o.usage.input,
                o.usage.output,
                o.latency_ms,
                o.text.chars().take(60).collect::<String>()
            );
        }
        eprintln!("{label}: load {:.0} ms ({:?}); decode tok/s {rates:.1?}", info.load_ms, info.origin);
    }
}

/// Prompt token ids of a short chat, as the engine would build them.
fn prompt_tokens(path: &Path, prompt: &str) -> Vec<u32> {
    let mut file = std::fs::File::open(path).unwrap();
    let content = candle_core::quantized::gguf_file::Content::read(&mut file).unwrap();
    let tokenizer = super::tokenizer::GgufTokenizer::from_gguf(&content).unwrap();
    let template =
        super::template::ChatTemplate::from_gguf(&content, tokenizer.bos_token(), tokenizer.eos_token());
    tokenizer.encode(&template.render(None, &[Message::user(prompt)], &[]).unwrap()).unwrap()
}

/// Largest absolute difference of two logit vectors, relative to the largest logit.
fn rel_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let scale = a.iter().fold(0f32, |m, v| m.max(v.abs()));
    a.iter().zip(b).fold(0f32, |m, (x, y)| m.max((x - y).abs())) / scale
}

/// Root-mean-square difference of two logit vectors, relative to the spread (standard deviation) of
/// the first: a whole-distribution measure, unlike the single worst token.
fn rms_diff(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len() as f32;
    let mean = a.iter().sum::<f32>() / n;
    let spread = (a.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f32>() / n).sqrt() / spread
}

/// Index of the largest logit.
fn argmax(v: &[f32]) -> usize {
    v.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &x)| if x > best.1 { (i, x) } else { best })
        .0
}

#[test]
fn model_matches_candle_reference_in_prefill_decode_and_chunks() {
    use candle_core::{Device, Tensor};
    use candle_transformers::models::quantized_llama::ModelWeights;
    let Some(path) = model_or_skip("model_matches_candle_reference_in_prefill_decode_and_chunks") else {
        return;
    };
    let tokens = prompt_tokens(&path, "What is the capital of France?");
    let mut file = std::fs::File::open(&path).unwrap();
    let content = candle_core::quantized::gguf_file::Content::read(&mut file).unwrap();
    let ours = super::model::Llama::from_gguf(&content, &mut file, super::model::Kernels::Plain).unwrap();
    let mut reference = ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
    let run_reference = |model: &mut ModelWeights, ids: &[u32], pos: usize| -> Vec<f32> {
        let input = Tensor::new(ids, &Device::Cpu).unwrap().unsqueeze(0).unwrap();
        model.forward(&input, pos).unwrap().squeeze(0).unwrap().to_vec1::<f32>().unwrap()
    };

    // Whole prompt at once.
    let mut cache = super::model::KvCache::default();
    let prefill = ours.forward(&tokens, &mut cache).unwrap();
    let expected = run_reference(&mut reference, &tokens, 0);
    // Not bit-identical: norms and attention sum in another order, and the int8 quantization of every
    // product's input turns last-bit differences into visible ones by the last layer.
    assert!(rms_diff(&expected, &prefill) < 0.3, "prefill differs by {}", rms_diff(&expected, &prefill));
    assert!(in_top(&prefill, argmax(&expected), 3));

    // One decode step on top.
    let next = argmax(&prefill) as u32;
    let step = ours.forward(&[next], &mut cache).unwrap();
    let expected = run_reference(&mut reference, &[next], tokens.len());
    assert!(rms_diff(&expected, &step) < 0.3, "decode differs by {}", rms_diff(&expected, &step));
    assert!(in_top(&step, argmax(&expected), 3));

    // The same positions fed in two uneven parts (attention over an earlier part in the cache).
    let mut all = tokens.clone();
    all.push(next);
    let mut split = super::model::KvCache::default();
    ours.forward(&all[..7], &mut split).unwrap();
    let chunked = ours.forward(&all[7..], &mut split).unwrap();
    assert!(rms_diff(&step, &chunked) < 0.3, "chunked differs by {}", rms_diff(&step, &chunked));
    assert!(in_top(&chunked, argmax(&step), 3));
    assert_eq!(split.len(), all.len());
}

#[test]
fn zero_padding_a_q8_0_weight_keeps_its_products() {
    use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
    use candle_core::{Device, Module, Tensor};
    let dev = Device::Cpu;
    let w = Tensor::randn(0f32, 1.0, (32, 576), &dev).unwrap();
    let x = Tensor::randn(0f32, 1.0, (3, 576), &dev).unwrap();
    let q = QTensor::quantize(&w, GgmlDType::Q8_0).unwrap();
    let padded = super::model::pad_q8_0(&q, 32, 576).unwrap();
    assert_eq!(padded.shape().dims(), &[32, 768]);
    let x_padded =
        Tensor::cat(&[&x, &Tensor::zeros((3, 192), candle_core::DType::F32, &dev).unwrap()], 1).unwrap();
    let plain = QMatMul::from_qtensor(q)
        .unwrap()
        .forward(&x)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let wide = QMatMul::from_qtensor(padded)
        .unwrap()
        .forward(&x_padded)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    // Both quantize the input to int8 (in different block layouts), so they agree to about 1%.
    assert!(rel_diff(&wide, &plain) < 2e-2, "{}", rel_diff(&wide, &plain));
}

/// Whether `token` is among the `n` largest logits.
fn in_top(logits: &[f32], token: usize, n: usize) -> bool {
    logits.iter().filter(|&&v| v > logits[token]).count() < n
}

#[test]
fn kernels_agree_with_dense_weights_and_every_chunking_is_the_same_model() {
    use super::model::{Kernels, KvCache, Llama};
    let Some(path) = model_or_skip("kernels_agree_with_dense_weights_and_every_chunking_is_the_same_model")
    else {
        return;
    };
    let tokens = prompt_tokens(&path, "What is the capital of France?");
    let bytes = requant::requantize(&path).unwrap();
    let reader = std::io::Cursor::new(bytes);
    let content = candle_core::quantized::gguf_file::Content::read(&mut reader.clone()).unwrap();
    let model = |kernels: Kernels| Llama::from_gguf(&content, &mut reader.clone(), kernels).unwrap();
    let logits = |model: &Llama, parts: &[&[u32]]| {
        let mut cache = KvCache::default();
        parts.iter().map(|p| model.forward(p, &mut cache).unwrap()).last().unwrap()
    };
    // With f32 weights and no activation quantization, every way of feeding the prompt (at once, in
    // uneven chunks, token by token) computes the same thing up to float rounding.
    let dense = model(Kernels::Dense);
    let whole = logits(&dense, &[&tokens]);
    let singles: Vec<&[u32]> = tokens.chunks(1).collect();
    for parts in [&[&tokens[..9], &tokens[9..]][..], &singles[..]] {
        let other = logits(&dense, parts);
        assert!(rel_diff(&whole, &other) < 1e-4, "dense chunking differs by {}", rel_diff(&whole, &other));
    }
    // The int8 paths quantize every product's input, which turns rounding-level differences into
    // visible ones (a few tenths of a logit): each stays close to the dense model and keeps its choice
    // among the top few (this prompt's first two candidates are within half a logit of each other).
    let best = argmax(&whole);
    for kernels in [Kernels::Fastest, Kernels::Plain] {
        let quantized = model(kernels);
        for parts in [&[&tokens[..]][..], &[&tokens[..9], &tokens[9..]][..], &singles[..]] {
            let got = logits(&quantized, parts);
            assert!(rms_diff(&whole, &got) < 0.5, "{kernels:?} differs by {}", rms_diff(&whole, &got));
            assert!(in_top(&got, best, 3), "{kernels:?} lost the dense model's choice");
        }
    }
}

#[test]
fn attention_of_one_query_matches_batched_causal_attention() {
    use candle_core::{Device, Tensor};
    let hp = super::model::Hparams {
        n_embd: 6 * 8,
        n_head: 6,
        n_kv_head: 2,
        head_dim: 8,
        context: 64,
        eps: 1e-5,
        rope_base: 10_000.0,
    };
    let random = |n: usize| Tensor::randn(0f32, 1.0, n, &Device::Cpu).unwrap().to_vec1::<f32>().unwrap();
    let (start, m, kv_width) = (2, 3, 2 * 8);
    let (k, v, q) = (random((start + m) * kv_width), random((start + m) * kv_width), random(m * 48));
    let batched = super::model::attend_many(&hp, &q, &k, &v, start, m).unwrap();
    for i in 0..m {
        let len = start + i + 1;
        let one = super::model::attend_one(
            &hp,
            &q[i * 48..(i + 1) * 48],
            &k[..len * kv_width],
            &v[..len * kv_width],
            len,
        );
        let diff =
            one.iter().zip(&batched[i * 48..(i + 1) * 48]).fold(0f32, |d, (a, b)| d.max((a - b).abs()));
        assert!(diff < 1e-5, "row {i} differs by {diff}");
    }
    // RoPE at position 0 is the identity, and it preserves each pair's length.
    let (cos, sin) = super::model::rope_tables(&hp, 0, 2);
    let mut x = random(2 * 48);
    let before = x.clone();
    super::model::rope(&mut x, 8, &cos, &sin);
    assert_eq!(x[..48], before[..48]);
    let norm = |p: &[f32]| p[0] * p[0] + p[1] * p[1];
    assert!(x[48..].chunks(2).zip(before[48..].chunks(2)).all(|(a, b)| (norm(a) - norm(b)).abs() < 1e-4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_without_tool_calling_says_so_once_and_answers_in_text() {
    let Some(path) = model_or_skip("a_model_without_tool_calling_says_so_once_and_answers_in_text") else {
        return;
    };
    let (provider, info) = engine::start(&spec("smollm2-q4", &path), &path).unwrap();
    assert!(!info.takes_tools);
    let plain = request("What is 2+2?", 8);
    assert_eq!(provider.no_tools_note(&plain), None, "a request without tools needs no note");
    let mut with_tools = plain.clone();
    with_tools.tools = vec![ToolSpec {
        name: "add".into(),
        description: "Add two numbers".into(),
        parameters: serde_json::json!({"type": "object", "properties": {"a": {"type": "number"}}}),
    }];
    let note = provider.no_tools_note(&with_tools).unwrap();
    assert!(note.contains("`smollm2-q4`") && note.contains("no tool calling"), "{note}");
    assert!(note.contains("scored as they come"), "{note}");
    assert_eq!(provider.no_tools_note(&with_tools), None, "said once per run, not per request");
    let outcome = provider.complete(&with_tools).await.unwrap();
    assert!(outcome.tool_calls.is_empty() && !outcome.text.is_empty(), "{outcome:?}");
}
