//! The files a finished run leaves beside the store: `summary.json`, `report.html` and, for code
//! repair, SWE-bench prediction files, all rendered from the stored run.

use std::path::PathBuf;

use super::errors::{Error, Result};
use super::write_atomically;
use crate::analysis::{RunView, Summary};
use crate::report;
use crate::store::Store;

/// Where a run's files were written.
pub struct RunFiles {
    /// `OUT/RUN/summary.json`.
    pub summary: PathBuf,
    /// `OUT/RUN/report.html`.
    pub report: PathBuf,
    /// The SWE-bench predictions folder, when the run had code-repair answers.
    pub predictions: Option<PathBuf>,
}

impl RunFiles {
    /// Write the files of run `run_id` (whose view and summary are given) into `OUT/RUN/`.
    pub fn write(store: &Store, run_id: &str, view: &RunView, summary: &Summary) -> Result<RunFiles> {
        let dir = store.out_dir().join(run_id);
        let summary_path = report::json::write(&dir, summary).map_err(Error::Internal)?;
        let predictions = report::predictions::write(&store.reader()?, run_id, &dir)?;
        let html = super::cmd::report::html(&store.reader()?, view, summary)?;
        let report = dir.join("report.html");
        write_atomically(&report, |w| std::io::Write::write_all(w, html.html.as_bytes()))
            .map_err(|e| Error::Internal(format!("{}: cannot write: {e}", report.display())))?;
        Ok(RunFiles { summary: summary_path, report, predictions })
    }

    /// Say where they are, on stderr.
    pub fn announce(&self) {
        eprintln!("summary: {}", self.summary.display());
        eprintln!("report: {}", self.report.display());
        if let Some(dir) = &self.predictions {
            eprintln!("SWE-bench predictions: {}", dir.display());
        }
    }
}
