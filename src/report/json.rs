//! summary.json (DESIGN contract 4): the summary as pretty JSON, written next to the run's other files.

use std::path::{Path, PathBuf};

use crate::analysis::Summary;

/// The summary as the JSON text of summary.json (with a final newline).
pub fn render(summary: &Summary) -> Result<String, String> {
    serde_json::to_string_pretty(summary)
        .map(|json| json + "\n")
        .map_err(|e| format!("cannot write the summary: {e}"))
}

/// Write `run_dir/summary.json` atomically; its path.
pub fn write(run_dir: &Path, summary: &Summary) -> Result<PathBuf, String> {
    std::fs::create_dir_all(run_dir).map_err(|e| format!("{}: {e}", run_dir.display()))?;
    let path = run_dir.join("summary.json");
    let tmp = run_dir.join("summary.json.tmp");
    std::fs::write(&tmp, render(summary)?)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    Ok(path)
}
