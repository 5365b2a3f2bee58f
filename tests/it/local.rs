//! The embedded model end to end: two quantisations of SmolLM2 compared offline on the bundled suite.

use crate::{Workspace, stderr};

/// The model file as bench finds it by default; `None` (test skipped) when it is not fetched, except on
/// CI, where `.ci/run` fetches it and its absence is a failure.
fn model_present() -> bool {
    let path = match std::env::var_os("BENCH_LOCAL_MODEL") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let cache =
                std::env::var_os("BENCH_MODEL_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| {
                    let base = std::env::var_os("XDG_CACHE_HOME")
                        .map(std::path::PathBuf::from)
                        .unwrap_or_else(|| {
                            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                                .join(".cache")
                        });
                    base.join("bench/models")
                });
            cache.join("SmolLM2-135M-Instruct.Q4_1.gguf")
        }
    };
    if path.exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must fetch the model first (scripts/fetch-model.sh): {}",
        path.display()
    );
    eprintln!("skipped: no model at {} (run scripts/fetch-model.sh)", path.display());
    false
}

#[test]
fn compares_two_quantisations_of_the_embedded_model_offline() {
    if !model_present() {
        return;
    }
    let ws = Workspace::new();
    let out = ws.run(&["compare", "smollm2", "smollm2-q4", "--suite", "quick", "--limit", "3", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for p in summary["providers"].as_array().unwrap() {
        assert_eq!((p["scored"].as_u64(), p["infra_errors"].as_u64()), (Some(3), Some(0)), "{p}");
        assert!(p["output_tokens"].as_u64().unwrap() > 0, "{p}");
        assert!(p["input_tokens"].as_u64().unwrap() > 20, "the chat template adds a system prompt: {p}");
        assert!(p["ttft_ms"]["p50"].as_f64().unwrap() > 0.0, "{p}");
    }
    assert_eq!(summary["comparisons"][0]["n_paired"], 3);
    assert!(stderr(&out).contains("smollm2-q4"), "the table names both providers");
}

#[test]
fn a_missing_model_says_how_to_fetch_it() {
    let ws = Workspace::new();
    ws.write("bench.toml", "[providers.tiny]\npreset = \"smollm2-q4\"\nmodel_path = \"nope/model.gguf\"\n");
    let out = ws.run(&["compare", "tiny", "--suite", "quick"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("scripts/fetch-model.sh"), "{}", stderr(&out));
}
