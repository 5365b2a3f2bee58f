//! Tests for the GGUF tokenizer: golden ids from llama.cpp against the real SmolLM2 file (skipped when
//! the file is absent), plus synthetic vocabularies for the paths that need no model.

use std::collections::HashMap;

use candle_core::quantized::gguf_file::{Content, Value, VersionedMagic};

use super::*;

/// Read the default model's metadata, or `None` (with a note) when the file is not there.
pub(crate) fn model_content() -> Option<Content> {
    let path = default_model_path();
    let Ok(mut file) = std::fs::File::open(&path) else {
        eprintln!("skipping: no local model at {} (set BENCH_LOCAL_MODEL)", path.display());
        return None;
    };
    Some(Content::read(&mut file).unwrap())
}

/// The tokenizer of the default model, or `None` when the file is absent.
fn model_tokenizer() -> Option<GgufTokenizer> {
    model_content().map(|content| GgufTokenizer::from_gguf(&content).unwrap())
}

/// A GGUF header holding only the given metadata.
fn synthetic(metadata: Vec<(&str, Value)>) -> Content {
    Content {
        magic: VersionedMagic::GgufV3,
        metadata: metadata.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<HashMap<_, _>>(),
        tensor_infos: HashMap::new(),
        tensor_data_offset: 0,
    }
}

/// String array metadata.
fn strings(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect())
}

/// A tiny byte-level vocabulary: `<|end|>` (control), `a`, `b`, `ab`, `Ġ`, `Ġab`.
fn tiny() -> Content {
    synthetic(vec![
        ("tokenizer.ggml.model", Value::String("gpt2".into())),
        ("tokenizer.ggml.pre", Value::String("smollm".into())),
        ("tokenizer.ggml.tokens", strings(&["<|end|>", "a", "b", "ab", "Ġ", "Ġab"])),
        ("tokenizer.ggml.token_type", Value::Array([3, 1, 1, 1, 1, 1].map(Value::I32).to_vec())),
        ("tokenizer.ggml.merges", strings(&["a b", "Ġ ab"])),
        ("tokenizer.ggml.eos_token_id", Value::U32(0)),
    ])
}

#[test]
fn digits_split_one_by_one_like_llama_cpp() {
    let Some(tok) = model_tokenizer() else { return };
    assert_eq!(
        tok.encode("x = 12345 + 678").unwrap(),
        [104, 446, 216, 33, 34, 35, 36, 37, 1232, 216, 38, 39, 40]
    );
}

#[test]
fn chatml_prompt_starts_with_control_token_and_bare_word() {
    let Some(tok) = model_tokenizer() else { return };
    let prompt = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face\
                  <|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n";
    let ids = tok.encode(prompt).unwrap();
    assert_eq!(ids[..4], [1, 9690, 198, 2683]);
    assert_eq!(ids.iter().filter(|&&id| id == 1).count(), 3);
    assert_eq!(ids.iter().filter(|&&id| id == 2).count(), 2);
    let tail = tok.encode("<|im_start|>assistant\n").unwrap();
    assert_eq!((tail[0], tail[tail.len() - 1]), (1, 198));
    assert!(ids.ends_with(&tail));
    assert_eq!(tok.decode(&ids).unwrap(), prompt);
}

#[test]
fn first_word_gets_no_prefix_space() {
    let Some(tok) = model_tokenizer() else { return };
    assert_eq!(tok.encode("system").unwrap(), [9690]);
    let ids = tok.encode("Hello world").unwrap();
    assert!(!tok.token(ids[0]).unwrap().starts_with('Ġ'), "{:?}", tok.token(ids[0]));
    assert_eq!(tok.decode(&ids).unwrap(), "Hello world");
}

#[test]
fn mixed_text_round_trips_and_matches_hugging_face_decoding() {
    let Some(tok) = model_tokenizer() else { return };
    let text = "Hi there!\n\n  你好, 世界 😀👍🏽 — naïve café\ttabs\r\nend <|im_end|> 3.14";
    let ids = tok.encode(text).unwrap();
    assert_eq!(tok.decode(&ids).unwrap(), text);
    assert_eq!(tok.inner.decode(&ids, false).unwrap(), text);
    assert!(ids.contains(&2), "<|im_end|> in text encodes to its single id");
}

#[test]
fn invalid_bytes_decode_to_replacement_characters() {
    let Some(tok) = model_tokenizer() else { return };
    // Byte-level tokens for a lone continuation byte (0x80) and a lone 3-byte lead (0xE4).
    let continuation = tok.token_id("Ģ").unwrap();
    let lead = tok.token_id("ä").unwrap();
    assert_eq!(tok.decode(&[continuation]).unwrap(), "\u{FFFD}");
    assert_eq!(tok.decode(&[continuation, lead]).unwrap(), "\u{FFFD}\u{FFFD}");
}

#[test]
fn stop_ids_and_special_tokens() {
    let Some(tok) = model_tokenizer() else { return };
    assert_eq!(tok.eos_ids(), [2, 0]);
    assert_eq!(tok.token_id("<|im_start|>"), Some(1));
    assert_eq!(tok.token_id("<|im_end|>"), Some(2));
    assert_eq!(tok.token_id("no such token"), None);
    assert_eq!((tok.bos_token(), tok.eos_token()), ("<|im_start|>", "<|im_end|>"));
    assert_eq!(tok.decode(&[1, 2]).unwrap(), "<|im_start|><|im_end|>");
    assert!(tok.decode(&[49152]).is_err());
}

#[test]
fn synthetic_vocabulary_merges_and_matches_control_tokens() {
    let tok = GgufTokenizer::from_gguf(&tiny()).unwrap();
    assert_eq!(tok.encode("ab ab<|end|>").unwrap(), [3, 5, 0]);
    assert_eq!(tok.decode(&[3, 5, 0]).unwrap(), "ab ab<|end|>");
    assert_eq!(tok.eos_ids(), [0]);
    assert_eq!(tok.bos_token(), "");
    assert_eq!(tok.eos_token(), "<|end|>");
}

#[test]
fn unsupported_or_broken_metadata_is_an_error() {
    let mut content = tiny();
    content.metadata.insert("tokenizer.ggml.model".into(), Value::String("llama".into()));
    assert!(GgufTokenizer::from_gguf(&content).err().unwrap().contains("not supported"));

    let mut content = tiny();
    content.metadata.insert("tokenizer.ggml.merges".into(), strings(&["ab"]));
    assert!(GgufTokenizer::from_gguf(&content).err().unwrap().contains("malformed merge"));

    let mut content = tiny();
    content.metadata.remove("tokenizer.ggml.tokens");
    assert!(GgufTokenizer::from_gguf(&content).is_err());

    let mut content = tiny();
    content.metadata.insert("tokenizer.ggml.eos_token_id".into(), Value::String("0".into()));
    assert!(GgufTokenizer::from_gguf(&content).is_err());
}

#[test]
fn known_pre_tokenizers_build() {
    for pre in ["smollm", "gpt-2", "llama-bpe", "qwen2", "something-else"] {
        assert!(pre_tokenizer(pre).is_ok(), "{pre}");
    }
}

#[test]
fn byte_decoder_inverts_gpt2_byte_map() {
    let map = byte_decoder();
    assert_eq!(map.len(), 256);
    assert_eq!(map.get(&'Ġ'), Some(&b' '));
    assert_eq!(map.get(&'Ċ'), Some(&b'\n'));
    assert_eq!(map.get(&'Ģ'), Some(&0x80));
    assert_eq!(map.get(&'a'), Some(&b'a'));
    assert_eq!(map.values().collect::<std::collections::HashSet<_>>().len(), 256);
}

#[test]
fn default_model_path_names_the_smollm_file() {
    assert!(
        default_model_path().ends_with(DEFAULT_MODEL_FILE) || std::env::var_os("BENCH_LOCAL_MODEL").is_some()
    );
}
