//! Code-repair answers as SWE-bench prediction files, so a team can confirm bench's verdicts with the
//! official harness (`python -m swebench.harness.run_evaluation --predictions_path FILE`).
//!
//! One JSONL file per provider (and per sample when there are several), one line per answered task:
//! `{"instance_id", "model_name_or_path", "model_patch"}`, named by the provider's name in the run. The patch is the change bench applied,
//! rendered as a clean `git diff` whatever form the model wrote it in (a diff with wrong line counts,
//! SEARCH/REPLACE blocks); an answer with no patch gets an empty one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::store::{Reader, StoreError};

/// Writes `run_dir/predictions/<provider>.jsonl` (`<provider>.sample<K>.jsonl` for samples after the
/// first) for every code-repair answer of the run; the folder, or `None` when the run had none.
pub fn write(store: &Reader, run_id: &str, run_dir: &Path) -> Result<Option<PathBuf>, StoreError> {
    let patches = store.model_patches(run_id)?;
    if patches.is_empty() {
        return Ok(None);
    }
    let mut files: BTreeMap<(String, u32), String> = BTreeMap::new();
    for (key, patch) in patches {
        let line =
            json!({"instance_id": key.task_id, "model_name_or_path": key.provider, "model_patch": patch});
        let text = files.entry((key.provider.clone(), key.sample)).or_default();
        text.push_str(&line.to_string());
        text.push('\n');
    }
    let dir = run_dir.join("predictions");
    std::fs::create_dir_all(&dir).map_err(|e| StoreError(format!("{}: {e}", dir.display())))?;
    for ((provider, sample), text) in files {
        let name = if sample == 0 {
            format!("{provider}.jsonl")
        } else {
            format!("{provider}.sample{sample}.jsonl")
        };
        let path = dir.join(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| StoreError(format!("{}: cannot write: {e}", path.display())))?;
    }
    Ok(Some(dir))
}
