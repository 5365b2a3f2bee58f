//! A tokenizer built from a GGUF file's own metadata, so a local model needs no hub download.
//!
//! GGUF files made by llama.cpp carry the whole vocabulary (`tokenizer.ggml.tokens`), the BPE merges,
//! each token's type and the special-token ids. candle's `TokenizerFromGguf` rebuilds a tokenizer from
//! them but always adds a prefix space (so `system` becomes `Ġsystem`), which changes every prompt the
//! model sees. This module rebuilds the tokenizer the way llama.cpp does for byte-level BPE (`gpt2`)
//! vocabularies: pre-tokenizer per `tokenizer.ggml.pre`, no prefix space, control and user-defined
//! tokens matched as whole units in the text. Decoding maps ids back to raw bytes itself so that the
//! streaming detokenizer and the one-shot decoder agree byte for byte.

use std::collections::HashMap;
use std::path::PathBuf;

use candle_core::quantized::gguf_file::{Content, Value};
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{BPE, Vocab};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, SplitDelimiterBehavior, Tokenizer};

#[cfg(test)]
mod tests;

/// File name of the small model the tests (and the default local preset) run.
const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// Where the default local model lives, so tests and tools agree on one lookup.
///
/// `BENCH_LOCAL_MODEL` names the file outright; otherwise the file is looked for under
/// `${BENCH_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bench/models}`. Empty variables count as unset.
/// The path may not exist: callers (tests especially) check and skip.
pub(crate) fn default_model_path() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(path) = var("BENCH_LOCAL_MODEL") {
        return path;
    }
    let dir = var("BENCH_MODEL_DIR").unwrap_or_else(|| {
        crate::dirs::cache_dir().unwrap_or_else(|| PathBuf::from(".cache/bench")).join("models")
    });
    dir.join(DEFAULT_MODEL_FILE)
}

/// llama.cpp's token types (`tokenizer.ggml.token_type`), kept as named constants so the rules that
/// depend on them read as words.
mod token_type {
    /// The unknown token (`<unk>`): matched as a unit in text, like llama.cpp does.
    pub(super) const UNKNOWN: i64 = 2;
    /// Control tokens (`<|im_start|>`, `<|endoftext|>`): special, matched as units.
    pub(super) const CONTROL: i64 = 3;
    /// Tokens a model author added by hand: matched as units, decoded verbatim.
    pub(super) const USER_DEFINED: i64 = 4;
}

/// Metadata keys the tokenizer reads, named once.
mod key {
    /// Tokenizer family; only `gpt2` (byte-level BPE) is supported.
    pub(super) const MODEL: &str = "tokenizer.ggml.model";
    /// Pre-tokenizer flavour, which decides how digits are split.
    pub(super) const PRE: &str = "tokenizer.ggml.pre";
    /// Token strings, indexed by id.
    pub(super) const TOKENS: &str = "tokenizer.ggml.tokens";
    /// BPE merges as `"left right"` strings, highest priority first.
    pub(super) const MERGES: &str = "tokenizer.ggml.merges";
    /// llama.cpp token types, indexed by id.
    pub(super) const TOKEN_TYPE: &str = "tokenizer.ggml.token_type";
    /// Beginning-of-sequence token id.
    pub(super) const BOS: &str = "tokenizer.ggml.bos_token_id";
    /// End-of-sequence token id.
    pub(super) const EOS: &str = "tokenizer.ggml.eos_token_id";
    /// End-of-turn token id, which some models declare besides EOS.
    pub(super) const EOT: &str = "tokenizer.ggml.eot_token_id";
}

/// Token strings that end a turn in common chat formats; generation stops on any the vocabulary holds
/// as a special token (a plain-text token of the same spelling is left alone).
const STOP_TOKENS: &[&str] = &["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>", "<|end|>"];

/// A byte-level BPE tokenizer rebuilt from GGUF metadata, with a byte-exact decoder.
pub(crate) struct GgufTokenizer {
    /// Encoder: BPE model, llama.cpp-compatible pre-tokenizer, special tokens as added tokens.
    inner: Tokenizer,
    /// Raw bytes of every token, concatenated; `offsets[id]..offsets[id + 1]` slices one token.
    bytes: Vec<u8>,
    /// Start of each token's bytes in `bytes`, plus one final end offset.
    offsets: Vec<usize>,
    /// Beginning-of-sequence token id, when declared.
    bos_id: Option<u32>,
    /// End-of-sequence token id, when declared.
    eos_id: Option<u32>,
    /// Every id that ends generation.
    eos_ids: Vec<u32>,
    /// Token strings, for reverse lookup of special tokens by name.
    tokens: Vec<String>,
}

impl GgufTokenizer {
    /// Build the tokenizer from a GGUF file's metadata alone.
    pub(crate) fn from_gguf(content: &Content) -> Result<Self, String> {
        let meta = &content.metadata;
        let model = meta_str(meta, key::MODEL)?.unwrap_or("gpt2");
        if model != "gpt2" {
            return Err(format!("tokenizer model `{model}` is not supported (only byte-level BPE `gpt2`)"));
        }
        let tokens: Vec<String> = meta_array(meta, key::TOKENS)?
            .ok_or_else(|| format!("GGUF metadata lacks `{}`", key::TOKENS))?
            .iter()
            .map(|v| v.to_string().cloned().map_err(|e| format!("`{}`: {e}", key::TOKENS)))
            .collect::<Result<_, _>>()?;
        let types: Vec<i64> = match meta_array(meta, key::TOKEN_TYPE)? {
            Some(values) => values.iter().map(int_value).collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let merges = match meta_array(meta, key::MERGES)? {
            Some(values) => values
                .iter()
                .map(|v| {
                    let merge = v.to_string().map_err(|e| format!("`{}`: {e}", key::MERGES))?;
                    merge
                        .split_once(' ')
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .ok_or_else(|| format!("malformed merge `{merge}`"))
                })
                .collect::<Result<Vec<_>, String>>()?,
            None => Vec::new(),
        };
        let n = u32::try_from(tokens.len()).map_err(|_| "vocabulary too large".to_string())?;
        let id_in_vocab = |id: Option<u32>| id.filter(|&id| id < n);
        let bos_id = id_in_vocab(meta_u32(meta, key::BOS)?);
        let eos_id = id_in_vocab(meta_u32(meta, key::EOS)?);
        let eot_id = id_in_vocab(meta_u32(meta, key::EOT)?);

        let special: Vec<bool> = (0..tokens.len())
            .map(|i| {
                matches!(
                    types.get(i).copied(),
                    Some(token_type::UNKNOWN | token_type::CONTROL | token_type::USER_DEFINED)
                )
            })
            .collect();

        let mut vocab = Vocab::default();
        for (id, token) in (0u32..).zip(&tokens) {
            vocab.insert(token.clone(), id);
        }
        let bpe = BPE::builder()
            .vocab_and_merges(vocab, merges)
            .build()
            .map_err(|e| format!("building the BPE model: {e}"))?;
        let mut inner = Tokenizer::new(bpe);
        inner.with_pre_tokenizer(Some(pre_tokenizer(meta_str(meta, key::PRE)?.unwrap_or("default"))?));
        inner.with_decoder(Some(ByteLevelDecoder::default()));
        let added: Vec<AddedToken> = tokens
            .iter()
            .zip(&special)
            .filter(|(_, special)| **special)
            .map(|(token, _)| AddedToken::from(token.clone(), true))
            .collect();
        inner.add_special_tokens(added).map_err(|e| format!("adding special tokens: {e}"))?;

        let decode_map = byte_decoder();
        let mut bytes = Vec::new();
        let mut offsets = Vec::with_capacity(tokens.len() + 1);
        for (token, special) in tokens.iter().zip(&special) {
            offsets.push(bytes.len());
            if *special {
                bytes.extend_from_slice(token.as_bytes());
            } else {
                for c in token.chars() {
                    match decode_map.get(&c) {
                        Some(b) => bytes.push(*b),
                        None => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                    }
                }
            }
        }
        offsets.push(bytes.len());

        let mut eos_ids: Vec<u32> = eos_id.into_iter().chain(eot_id).collect();
        for stop in STOP_TOKENS {
            let found = tokens.iter().zip(&special).position(|(t, special)| *special && t == stop);
            if let Some(id) = found.and_then(|i| u32::try_from(i).ok()) {
                eos_ids.push(id);
            }
        }
        let mut seen = std::collections::HashSet::new();
        eos_ids.retain(|id| seen.insert(*id));

        Ok(GgufTokenizer { inner, bytes, offsets, bos_id, eos_id, eos_ids, tokens })
    }

    /// Encode text, special-token strings (like "<|im_start|>") becoming their single ids.
    ///
    /// No BOS is prepended: chat templates write their own, and llama.cpp's `add_bos_token` is off
    /// for the models this targets.
    pub(crate) fn encode(&self, text: &str) -> Result<Vec<u32>, String> {
        self.inner
            .encode_fast(text, false)
            .map(|encoding| encoding.get_ids().to_vec())
            .map_err(|e| format!("tokenizing: {e}"))
    }

    /// Decode ids to text, special tokens included (the engine strips stop tokens itself).
    ///
    /// Bytes that are not valid UTF-8 become U+FFFD, as in llama.cpp and Hugging Face.
    pub(crate) fn decode(&self, ids: &[u32]) -> Result<String, String> {
        let mut bytes = Vec::new();
        for &id in ids {
            bytes.extend_from_slice(self.token_bytes(id)?);
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Ids that end generation: the declared EOS (and EOT), plus `<|im_end|>`, `<|endoftext|>` and the
    /// like when present in the vocabulary; no duplicates, declared EOS first.
    pub(crate) fn eos_ids(&self) -> Vec<u32> {
        self.eos_ids.clone()
    }

    /// The id of a token string, matched exactly against the vocabulary (tests look tokens up).
    #[cfg(test)]
    pub(crate) fn token_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// The string of a token id as stored in the vocabulary (byte-level form for normal tokens).
    pub(crate) fn token(&self, id: u32) -> Option<&str> {
        self.tokens.get(usize::try_from(id).ok()?).map(String::as_str)
    }

    /// The BOS token's text, for chat templates' `bos_token` (empty when there is none).
    pub(crate) fn bos_token(&self) -> &str {
        self.bos_id.and_then(|id| self.token(id)).unwrap_or("")
    }

    /// The EOS token's text, for chat templates' `eos_token` (empty when there is none).
    pub(crate) fn eos_token(&self) -> &str {
        self.eos_id.and_then(|id| self.token(id)).unwrap_or("")
    }

    /// The raw bytes a token stands for.
    fn token_bytes(&self, id: u32) -> Result<&[u8], String> {
        let i = usize::try_from(id).map_err(|_| format!("token id {id} out of range"))?;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&start), Some(&end)) => self.bytes.get(start..end).ok_or_else(|| "corrupt table".into()),
            _ => Err(format!("token id {id} is outside the vocabulary of {}", self.tokens.len())),
        }
    }
}

/// Llama 3's split regex (llama.cpp `llama-bpe`), applied before byte-level mapping.
const LLAMA3_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// Qwen2's split regex (llama.cpp `qwen2`), applied before byte-level mapping.
const QWEN2_REGEX: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// The pre-tokenizer llama.cpp uses for a `tokenizer.ggml.pre` value.
///
/// SmolLM-style vocabularies split every digit on its own, then apply the GPT-2 regex; Llama 3 and
/// Qwen2 use their own split regexes. None adds a prefix space. Flavours not listed here get the plain
/// GPT-2 regex, which is close for most byte-level BPE vocabularies but not exact.
fn pre_tokenizer(pre: &str) -> Result<PreTokenizerWrapper, String> {
    let custom = |regex: &str| -> Result<PreTokenizerWrapper, String> {
        let split =
            Split::new(SplitPattern::Regex(regex.to_string()), SplitDelimiterBehavior::Isolated, false)
                .map_err(|e| format!("pre-tokenizer `{pre}`: {e}"))?;
        Ok(Sequence::new(vec![split.into(), ByteLevel::new(false, true, false).into()]).into())
    };
    let byte_level = ByteLevel::new(false, true, true);
    match pre {
        "smollm" | "starcoder" | "refact" | "command-r" | "codeshell" | "exaone" | "minerva-7b" => {
            Ok(Sequence::new(vec![Digits::new(true).into(), byte_level.into()]).into())
        }
        "llama3" | "llama-v3" | "llama-bpe" => custom(LLAMA3_REGEX),
        "qwen2" | "deepseek-r1-qwen" => custom(QWEN2_REGEX),
        _ => Ok(byte_level.into()),
    }
}

/// The inverse of GPT-2's byte-to-printable-character table, to turn byte-level tokens back into bytes.
fn byte_decoder() -> HashMap<char, u8> {
    let mut map = HashMap::with_capacity(256);
    let mut extra = 0u32;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        let c = if printable {
            char::from(b)
        } else {
            extra += 1;
            char::from_u32(255 + extra).unwrap_or(char::REPLACEMENT_CHARACTER)
        };
        map.insert(c, b);
    }
    map
}

/// A metadata string, `None` when the key is absent, an error when it has another type.
fn meta_str<'a>(meta: &'a HashMap<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    meta.get(key).map(|v| v.to_string().map(String::as_str).map_err(|e| format!("`{key}`: {e}"))).transpose()
}

/// A metadata array, `None` when the key is absent, an error when it has another type.
fn meta_array<'a>(meta: &'a HashMap<String, Value>, key: &str) -> Result<Option<&'a [Value]>, String> {
    meta.get(key).map(|v| v.to_vec().map(Vec::as_slice).map_err(|e| format!("`{key}`: {e}"))).transpose()
}

/// A metadata token id, accepting any integer type writers use; `None` when absent.
fn meta_u32(meta: &HashMap<String, Value>, key: &str) -> Result<Option<u32>, String> {
    meta.get(key)
        .map(|v| {
            let n = int_value(v).map_err(|e| format!("`{key}`: {e}"))?;
            u32::try_from(n).map_err(|_| format!("`{key}`: {n} is not a token id"))
        })
        .transpose()
}

/// Any integer metadata value as `i64` (GGUF writers differ in the width they pick).
fn int_value(v: &Value) -> Result<i64, String> {
    Ok(match v {
        Value::U8(n) => i64::from(*n),
        Value::I8(n) => i64::from(*n),
        Value::U16(n) => i64::from(*n),
        Value::I16(n) => i64::from(*n),
        Value::U32(n) => i64::from(*n),
        Value::I32(n) => i64::from(*n),
        Value::U64(n) => i64::try_from(*n).map_err(|_| format!("{n} is too large"))?,
        Value::I64(n) => *n,
        other => return Err(format!("expected an integer, found {other:?}")),
    })
}
