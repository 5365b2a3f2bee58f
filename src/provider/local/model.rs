//! A llama-architecture transformer over GGUF weights, written for fast single-stream CPU decoding.
//!
//! candle's `quantized_llama::ModelWeights` runs every small step (norms, RoPE, attention, SiLU) as
//! tensor ops with an allocation and a dispatch each, grows its KV cache by concatenation (O(n) copies
//! per token), and cannot reach candle's fastest x86 kernels for models whose hidden size is not a
//! multiple of 256 (SmolLM2's is 576). This module keeps candle for what it is good at, the quantized
//! matrix products, and does the rest on plain slices:
//!
//! - the KV cache is a growable buffer per layer, reused across requests;
//! - decode-step attention, norms, RoPE and SiLU are loops over a few hundred floats;
//! - prompt attention (many queries at once) uses candle's batched matmul, in chunks of
//!   [`PREFILL_CHUNK`] tokens so that memory stays bounded for long prompts;
//! - Q8_0 weights whose input width is not a multiple of 256 are padded with zero columns at load when
//!   the CPU has AVX-512 VNNI or AVX-VNNI: candle then runs them through its repacked int8 kernels,
//!   about twice as fast per weight as the generic AVX2 dot product. The zeros add nothing to the
//!   products, but those kernels quantize the input per 256 values instead of per 32 (see
//!   [`Kernels::Fastest`]).
//!
//! Results are not bit-identical to `quantized_llama` (norms and attention sum in another order, and
//! int8 quantization of each product's input magnifies last-bit differences), nor between different
//! chunkings of one prompt; with f32 weights they agree to rounding (see the tests). Each request is
//! computed the same way every time, so greedy answers are reproducible.

use std::borrow::Cow;
use std::io::{Read, Seek};

use candle_core::quantized::{GgmlDType, QMatMul, QStorage, QTensor, gguf_file};
use candle_core::{Device, Module, Result, Tensor, bail};

/// Most prompt tokens one forward pass takes: bounds the attention scores (heads x chunk x context).
pub(crate) const PREFILL_CHUNK: usize = 512;

/// Shape numbers of the model, from the GGUF metadata.
#[derive(Debug, Clone)]
pub(crate) struct Hparams {
    /// Width of the residual stream.
    pub(crate) n_embd: usize,
    /// Query heads.
    pub(crate) n_head: usize,
    /// Key/value heads (grouped-query attention when fewer than query heads).
    pub(crate) n_kv_head: usize,
    /// Width of one head.
    pub(crate) head_dim: usize,
    /// Tokens the model was trained to attend over.
    pub(crate) context: usize,
    /// RMSNorm epsilon.
    pub(crate) eps: f32,
    /// RoPE base frequency.
    pub(crate) rope_base: f32,
}

/// One weight matrix used as `x @ W^T`, with the zero padding its input may need.
struct Linear {
    /// The weights, quantized or dense.
    mm: QMatMul,
    /// Input width of the model (before padding).
    k: usize,
    /// Input width the weights expect (`k` plus zero columns).
    k_padded: usize,
    /// Output width.
    n: usize,
}

impl Linear {
    /// Wrap a `(n, k)` weight for the kernels asked for.
    fn new(tensor: QTensor, kernels: Kernels) -> Result<Linear> {
        let (n, k) = tensor.shape().dims2()?;
        let mm = match kernels {
            Kernels::Fastest if should_pad(tensor.dtype(), n, k) => {
                QMatMul::from_qtensor(pad_q8_0(&tensor, n, k)?)?
            }
            Kernels::Fastest | Kernels::Plain => QMatMul::from_qtensor(tensor)?,
            Kernels::Dense => QMatMul::Tensor(tensor.dequantize(&Device::Cpu)?),
        };
        let k_padded = match &mm {
            QMatMul::QTensor(t) => t.shape().dims2()?.1,
            _ => k,
        };
        Ok(Linear { mm, k, k_padded, n })
    }

    /// The `(m, k_padded)` input tensor for `m` rows of `x`.
    fn input(&self, x: &[f32], m: usize) -> Result<Tensor> {
        if self.k == self.k_padded {
            return Tensor::from_slice(x, (m, self.k), &Device::Cpu);
        }
        let mut padded = vec![0f32; m * self.k_padded];
        for (row, src) in padded.chunks_exact_mut(self.k_padded).zip(x.chunks_exact(self.k)) {
            row[..self.k].copy_from_slice(src);
        }
        Tensor::from_vec(padded, (m, self.k_padded), &Device::Cpu)
    }

    /// `x @ W^T` for `m` rows.
    fn forward(&self, x: &[f32], m: usize) -> Result<Vec<f32>> {
        let y = self.mm.forward(&self.input(x, m)?)?;
        y.flatten_all()?.to_vec1::<f32>()
    }
}

/// Several products of one input (q/k/v, gate/up): one fused call where candle has one (it quantizes
/// the input once and runs one parallel region), else one call each.
fn forward_many(linears: &[&Linear], x: &[f32], m: usize) -> Result<Vec<Vec<f32>>> {
    let same_input = linears.windows(2).all(|w| w[0].k_padded == w[1].k_padded && w[0].k == w[1].k);
    let tensors: Option<Vec<&QTensor>> = linears
        .iter()
        .map(|l| match &l.mm {
            QMatMul::QTensor(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let (true, Some(tensors), Some(first)) = (same_input, tensors, linears.first()) {
        let input = first.input(x, m)?;
        if let Some(outs) = QTensor::gemv_fused_shared_lhs(&tensors, &input)? {
            return outs.iter().map(|t| t.flatten_all()?.to_vec1::<f32>()).collect();
        }
    }
    linears.iter().map(|l| l.forward(x, m)).collect()
}

/// Whether a `(n, k)` weight of this format gains from zero-padding `k` to a multiple of 256: true for
/// Q8_0 on x86 CPUs with VNNI, where candle's repacked kernels need `k % 256 == 0` and `n % 16 == 0`.
fn should_pad(dtype: GgmlDType, n: usize, k: usize) -> bool {
    dtype == GgmlDType::Q8_0 && n.is_multiple_of(16) && !k.is_multiple_of(256) && has_int8_repack()
}

/// Whether candle's x86 repacked Q8_0 kernels run on this CPU (mirrors its own dispatch, including
/// the override that forces its AVX2 tier).
fn has_int8_repack() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if std::env::var("MISTRALRS_FORCE_AVX2").as_deref() == Ok("1") {
            return false;
        }
        let avx512 = is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vnni");
        let avx_vnni = is_x86_feature_detected!("avxvnni") && is_x86_feature_detected!("avx2");
        avx512 || avx_vnni
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Append zero blocks to every row of a Q8_0 `(n, k)` tensor so that `k` becomes a multiple of 256.
pub(crate) fn pad_q8_0(tensor: &QTensor, n: usize, k: usize) -> Result<QTensor> {
    let block_bytes = GgmlDType::Q8_0.type_size();
    let block = GgmlDType::Q8_0.block_size();
    let k_padded = k.div_ceil(256) * 256;
    let (row_bytes, padded_row_bytes) = (k / block * block_bytes, k_padded / block * block_bytes);
    let data = tensor.data()?;
    if data.len() != n * row_bytes {
        bail!("q8_0 tensor ({n}, {k}) has {} bytes, expected {}", data.len(), n * row_bytes);
    }
    let mut padded = vec![0u8; n * padded_row_bytes];
    for (dst, src) in padded.chunks_exact_mut(padded_row_bytes).zip(data.chunks_exact(row_bytes)) {
        dst[..row_bytes].copy_from_slice(src);
    }
    let storage = QStorage::from_data(Cow::Owned(padded), &Device::Cpu, GgmlDType::Q8_0)?;
    QTensor::new(storage, (n, k_padded))
}

/// Which matrix kernels the model runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kernels {
    /// The fastest this CPU has: Q8_0 weights zero-padded for candle's repacked int8 kernels (see the
    /// module doc). About 1.4x faster decoding; activations are then quantized per 256 values instead
    /// of per 32 (as llama.cpp does for K-quant weights).
    Fastest,
    /// candle's kernels as they come for the weights' format, as `quantized_llama` runs them.
    #[cfg_attr(not(test), allow(dead_code))]
    Plain,
    /// Weights dequantized to f32 and no activation quantization: slow, the accuracy reference.
    #[cfg_attr(not(test), allow(dead_code))]
    Dense,
}

/// One transformer block.
struct Layer {
    /// RMSNorm weights before attention.
    attn_norm: Vec<f32>,
    /// Query projection.
    wq: Linear,
    /// Key projection.
    wk: Linear,
    /// Value projection.
    wv: Linear,
    /// Attention output projection.
    wo: Linear,
    /// RMSNorm weights before the MLP.
    ffn_norm: Vec<f32>,
    /// MLP gate projection (SiLU side).
    gate: Linear,
    /// MLP up projection.
    up: Linear,
    /// MLP down projection.
    down: Linear,
}

/// The keys and values of every position seen so far, one buffer per layer, laid out
/// `[position][kv head][head_dim]`. Kept between requests so its memory is allocated once.
#[derive(Default)]
pub(crate) struct KvCache {
    /// Keys per layer.
    k: Vec<Vec<f32>>,
    /// Values per layer.
    v: Vec<Vec<f32>>,
    /// Positions filled.
    len: usize,
}

impl KvCache {
    /// Forget every position (the memory stays for the next request).
    pub(crate) fn clear(&mut self) {
        self.k.iter_mut().chain(self.v.iter_mut()).for_each(Vec::clear);
        self.len = 0;
    }

    /// Positions filled.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// The model: embeddings, blocks, final norm and output head.
pub(crate) struct Llama {
    /// Token embeddings, looked up row by row (kept quantized).
    embed: QTensor,
    /// The blocks.
    layers: Vec<Layer>,
    /// Final RMSNorm weights.
    norm: Vec<f32>,
    /// Output head (the embeddings when tied).
    output: Linear,
    /// Shape numbers.
    pub(crate) hp: Hparams,
}

/// A metadata number, or an error naming the key.
fn meta_u64(content: &gguf_file::Content, key: &str) -> Result<u64> {
    match content.metadata.get(key) {
        Some(v) => v.to_u64(),
        None => bail!("GGUF metadata lacks `{key}`"),
    }
}

/// A metadata float, or an error naming the key.
fn meta_f32(content: &gguf_file::Content, key: &str) -> Result<f32> {
    match content.metadata.get(key) {
        Some(v) => v.to_f32(),
        None => bail!("GGUF metadata lacks `{key}`"),
    }
}

impl Llama {
    /// Build the model from a GGUF file of architecture `llama` (dense, not mixture-of-experts).
    pub(crate) fn from_gguf<R: Read + Seek>(
        content: &gguf_file::Content,
        reader: &mut R,
        kernels: Kernels,
    ) -> Result<Llama> {
        let arch = content.metadata.get("general.architecture").and_then(|v| v.to_string().ok());
        if arch.is_some_and(|a| a != "llama") {
            bail!("only llama-architecture models are supported, this one is {arch:?}");
        }
        if meta_u64(content, "llama.expert_count").unwrap_or(0) > 1 {
            bail!("mixture-of-experts models are not supported");
        }
        let usize_of = |key: &str| -> Result<usize> {
            usize::try_from(meta_u64(content, key)?)
                .map_err(|_| candle_core::Error::msg(format!("`{key}` too large")))
        };
        let n_embd = usize_of("llama.embedding_length")?;
        let n_head = usize_of("llama.attention.head_count")?;
        let n_kv_head = usize_of("llama.attention.head_count_kv").unwrap_or(n_head);
        if n_head == 0
            || n_kv_head == 0
            || !n_embd.is_multiple_of(n_head)
            || !n_head.is_multiple_of(n_kv_head)
        {
            bail!("inconsistent head counts: {n_head} heads, {n_kv_head} kv heads, width {n_embd}");
        }
        let head_dim = n_embd / n_head;
        let rope_dim = usize_of("llama.rope.dimension_count").unwrap_or(head_dim);
        if rope_dim != head_dim || !head_dim.is_multiple_of(2) {
            bail!("partial rotary embeddings are not supported (rope {rope_dim}, head {head_dim})");
        }
        let hp = Hparams {
            n_embd,
            n_head,
            n_kv_head,
            head_dim,
            context: usize_of("llama.context_length").unwrap_or(4096).max(1),
            eps: meta_f32(content, "llama.attention.layer_norm_rms_epsilon").unwrap_or(1e-5),
            rope_base: meta_f32(content, "llama.rope.freq_base").unwrap_or(10_000.0),
        };
        let n_layer = usize_of("llama.block_count")?;
        let device = Device::Cpu;
        let mut tensor = |name: &str| content.tensor(reader, name, &device);
        let dense =
            |t: QTensor| -> Result<Vec<f32>> { t.dequantize(&Device::Cpu)?.flatten_all()?.to_vec1::<f32>() };
        let embed = tensor("token_embd.weight")?;
        let norm = dense(tensor("output_norm.weight")?)?;
        let output = match tensor("output.weight") {
            Ok(t) => t,
            Err(_) => tensor("token_embd.weight")?,
        };
        let mut layers = Vec::with_capacity(n_layer);
        for i in 0..n_layer {
            let mut linear = |part: &str| Linear::new(tensor(&format!("blk.{i}.{part}.weight"))?, kernels);
            let layer = Layer {
                wq: linear("attn_q")?,
                wk: linear("attn_k")?,
                wv: linear("attn_v")?,
                wo: linear("attn_output")?,
                gate: linear("ffn_gate")?,
                up: linear("ffn_up")?,
                down: linear("ffn_down")?,
                attn_norm: dense(tensor(&format!("blk.{i}.attn_norm.weight"))?)?,
                ffn_norm: dense(tensor(&format!("blk.{i}.ffn_norm.weight"))?)?,
            };
            let kv = hp.n_kv_head * head_dim;
            let shapes = [(&layer.wq, n_embd, n_embd), (&layer.wk, n_embd, kv), (&layer.wv, n_embd, kv)];
            if shapes.iter().any(|(l, k, n)| l.k != *k || l.n != *n)
                || layer.wo.k != n_embd
                || layer.wo.n != n_embd
                || layer.gate.k != n_embd
                || layer.up.n != layer.gate.n
                || layer.down.k != layer.gate.n
                || layer.down.n != n_embd
                || layer.attn_norm.len() != n_embd
                || layer.ffn_norm.len() != n_embd
            {
                bail!("block {i} has weights of unexpected shapes");
            }
            layers.push(layer);
        }
        let output = Linear::new(output, kernels)?;
        if output.k != n_embd || embed.shape().dims2()?.1 != n_embd || norm.len() != n_embd {
            bail!("embedding or output weights of unexpected shapes");
        }
        Ok(Llama { embed, layers, norm, output, hp })
    }

    /// Run `tokens` at the next positions of `cache` and return the logits after the last one.
    /// Prompts longer than [`PREFILL_CHUNK`] go through in chunks.
    pub(crate) fn forward(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<f32>> {
        if tokens.is_empty() {
            bail!("forward needs at least one token");
        }
        if cache.len + tokens.len() > self.hp.context {
            bail!("{} positions exceed the context of {}", cache.len + tokens.len(), self.hp.context);
        }
        if cache.k.len() != self.layers.len() {
            cache.k = vec![Vec::new(); self.layers.len()];
            cache.v = vec![Vec::new(); self.layers.len()];
            cache.len = 0;
        }
        let mut logits = Vec::new();
        for chunk in tokens.chunks(PREFILL_CHUNK) {
            logits = self.forward_chunk(chunk, cache)?;
        }
        Ok(logits)
    }

    /// One forward pass over `tokens` (at most a chunk) at positions `cache.len..`.
    fn forward_chunk(&self, tokens: &[u32], cache: &mut KvCache) -> Result<Vec<f32>> {
        let hp = &self.hp;
        let m = tokens.len();
        let start = cache.len;
        let ids = Tensor::from_slice(tokens, m, &Device::Cpu)?;
        let mut x = self.embed.embedding(&ids)?.flatten_all()?.to_vec1::<f32>()?;
        let (cos, sin) = rope_tables(hp, start, m);
        let mut h = vec![0f32; x.len()];
        for (i, layer) in self.layers.iter().enumerate() {
            rms_norm(&x, &layer.attn_norm, hp.eps, &mut h);
            let mut qkv = forward_many(&[&layer.wq, &layer.wk, &layer.wv], &h, m)?.into_iter();
            let (Some(mut q), Some(mut k), Some(v)) = (qkv.next(), qkv.next(), qkv.next()) else {
                bail!("missing q/k/v product");
            };
            rope(&mut q, hp.head_dim, &cos, &sin);
            rope(&mut k, hp.head_dim, &cos, &sin);
            cache.k[i].extend_from_slice(&k);
            cache.v[i].extend_from_slice(&v);
            let attn = if m == 1 {
                attend_one(hp, &q, &cache.k[i], &cache.v[i], start + 1)
            } else {
                attend_many(hp, &q, &cache.k[i], &cache.v[i], start, m)?
            };
            let o = layer.wo.forward(&attn, m)?;
            x.iter_mut().zip(&o).for_each(|(x, o)| *x += o);
            rms_norm(&x, &layer.ffn_norm, hp.eps, &mut h);
            let mut gu = forward_many(&[&layer.gate, &layer.up], &h, m)?.into_iter();
            let (Some(mut g), Some(u)) = (gu.next(), gu.next()) else { bail!("missing gate/up product") };
            g.iter_mut().zip(&u).for_each(|(g, u)| *g = *g / (1.0 + (-*g).exp()) * u);
            let d = layer.down.forward(&g, m)?;
            x.iter_mut().zip(&d).for_each(|(x, d)| *x += d);
        }
        cache.len += m;
        let last = &x[(m - 1) * hp.n_embd..];
        let mut normed = vec![0f32; hp.n_embd];
        rms_norm(last, &self.norm, hp.eps, &mut normed);
        self.output.forward(&normed, 1)
    }
}

/// RMSNorm of every row of `x` (rows of `weight.len()`) into `out`.
fn rms_norm(x: &[f32], weight: &[f32], eps: f32, out: &mut [f32]) {
    let n = weight.len();
    for (row, dst) in x.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        // Accumulated in f64 as candle does: the int8 quantization of the next product's input turns
        // even last-bit differences into visible ones, so matching the reference here keeps them apart
        // only where the arithmetic must differ.
        let mean_sq = (row.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / n as f64) as f32;
        let scale = 1.0 / (mean_sq + eps).sqrt();
        for ((d, v), w) in dst.iter_mut().zip(row).zip(weight) {
            *d = v * scale * w;
        }
    }
}

/// Cosines and sines of the rotary angles for `m` positions from `start`: `[position][head_dim / 2]`.
pub(crate) fn rope_tables(hp: &Hparams, start: usize, m: usize) -> (Vec<f32>, Vec<f32>) {
    let half = hp.head_dim / 2;
    let inv_freq: Vec<f32> =
        (0..half).map(|i| 1.0 / hp.rope_base.powf((2 * i) as f32 / hp.head_dim as f32)).collect();
    let mut cos = Vec::with_capacity(m * half);
    let mut sin = Vec::with_capacity(m * half);
    for pos in start..start + m {
        for f in &inv_freq {
            let (s, c) = (pos as f32 * f).sin_cos();
            cos.push(c);
            sin.push(s);
        }
    }
    (cos, sin)
}

/// Rotate every head of every row of `x` in place, llama style (interleaved pairs `2i`, `2i + 1`).
pub(crate) fn rope(x: &mut [f32], head_dim: usize, cos: &[f32], sin: &[f32]) {
    let half = head_dim / 2;
    let row_len = x.len() / (cos.len() / half).max(1);
    for (p, row) in x.chunks_exact_mut(row_len).enumerate() {
        let (cos, sin) = (&cos[p * half..(p + 1) * half], &sin[p * half..(p + 1) * half]);
        for head in row.chunks_exact_mut(head_dim) {
            for ((pair, c), s) in head.chunks_exact_mut(2).zip(cos).zip(sin) {
                let (a, b) = (pair[0], pair[1]);
                pair[0] = a * c - b * s;
                pair[1] = a * s + b * c;
            }
        }
    }
}

/// Attention of one query (all heads) over the first `len` cached positions.
pub(crate) fn attend_one(hp: &Hparams, q: &[f32], k_cache: &[f32], v_cache: &[f32], len: usize) -> Vec<f32> {
    let d = hp.head_dim;
    let kv_width = hp.n_kv_head * d;
    let group = hp.n_head / hp.n_kv_head;
    let scale = 1.0 / (d as f32).sqrt();
    let mut out = vec![0f32; hp.n_head * d];
    let mut scores = vec![0f32; len];
    for (h, (qh, oh)) in q.chunks_exact(d).zip(out.chunks_exact_mut(d)).enumerate() {
        let offset = (h / group) * d;
        for (s, key) in scores.iter_mut().zip(k_cache.chunks_exact(kv_width)) {
            *s = dot(qh, &key[offset..offset + d]) * scale;
        }
        let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for s in scores.iter_mut() {
            *s = (*s - max).exp();
            sum += *s;
        }
        let inv = 1.0 / sum;
        for (s, value) in scores.iter().zip(v_cache.chunks_exact(kv_width)) {
            let w = s * inv;
            for (o, v) in oh.iter_mut().zip(&value[offset..offset + d]) {
                *o += w * v;
            }
        }
    }
    out
}

/// Dot product written for autovectorization (eight independent accumulators).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8.remainder().iter().zip(b8.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Causal attention of `m` queries at positions `start..start + m` over all `start + m` cached
/// positions, with candle's batched matmul (query heads grouped by their shared key/value head).
pub(crate) fn attend_many(
    hp: &Hparams,
    q: &[f32],
    k_cache: &[f32],
    v_cache: &[f32],
    start: usize,
    m: usize,
) -> Result<Vec<f32>> {
    let (d, kv, group) = (hp.head_dim, hp.n_kv_head, hp.n_head / hp.n_kv_head);
    let total = start + m;
    let dev = Device::Cpu;
    // (m, H, d) -> (H, m, d) -> (KV, group * m, d): heads of one group are adjacent.
    let q = Tensor::from_slice(q, (m, hp.n_head, d), &dev)?.transpose(0, 1)?.contiguous()?.reshape((
        kv,
        group * m,
        d,
    ))?;
    let k = Tensor::from_slice(&k_cache[..total * kv * d], (total, kv, d), &dev)?
        .transpose(0, 1)?
        .contiguous()?;
    let v = Tensor::from_slice(&v_cache[..total * kv * d], (total, kv, d), &dev)?
        .transpose(0, 1)?
        .contiguous()?;
    let scores = (q.matmul(&k.t()?)? * (1.0 / (d as f64).sqrt()))?.reshape((kv, group, m, total))?;
    let mut mask = vec![0f32; m * total];
    for (i, row) in mask.chunks_exact_mut(total).enumerate() {
        row[start + i + 1..].fill(f32::NEG_INFINITY);
    }
    let mask = Tensor::from_vec(mask, (m, total), &dev)?;
    let probs =
        candle_nn::ops::softmax_last_dim(&scores.broadcast_add(&mask)?)?.reshape((kv, group * m, total))?;
    let out = probs.matmul(&v)?.reshape((hp.n_head, m, d))?.transpose(0, 1)?.contiguous()?;
    out.flatten_all()?.to_vec1::<f32>()
}
