//! Reads for runs as a series (`bench regress`, `bench history`): runs by tag, what each provider
//! reported itself as, and the canary answers.

use std::collections::BTreeMap;

use rusqlite::params;

use super::reads::SqliteReader;
use crate::store::{CanaryRecord, ReportedModel, StoreError};

impl SqliteReader {
    /// The ids of the runs tagged `tag`, oldest first. A shard is a part of a run, not a run of the
    /// series: only the run `bench merge` makes of it counts.
    pub(super) fn tagged(&self, tag: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT run_id FROM runs
                 WHERE json_extract(manifest, '$.tag') = ?1 AND json_extract(manifest, '$.shard') IS NULL
                 ORDER BY created_at, rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![tag], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The newest run tagged `tag` that started before run `before` (any run tagged so, without
    /// `before`); never `before` itself.
    pub(super) fn newest_tagged(
        &self,
        tag: &str,
        before: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT run_id FROM runs
                 WHERE json_extract(manifest, '$.tag') = ?1 AND run_id IS NOT ?2
                   AND json_extract(manifest, '$.shard') IS NULL
                   AND (?2 IS NULL OR (created_at, rowid) < (SELECT created_at, rowid FROM runs WHERE run_id = ?2))
                 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                params![tag, before],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// What each provider reported itself as over the run's successful answers.
    pub(super) fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT provider, model, system_fingerprint, COUNT(*) FROM results
                 WHERE run_id = ?1 AND ok = 1
                 GROUP BY provider, model, system_fingerprint
                 ORDER BY provider, model, system_fingerprint",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(ReportedModel {
                    provider: r.get(0)?,
                    model: r.get(1)?,
                    system_fingerprint: r.get(2)?,
                    answers: r.get::<_, i64>(3)?.max(0) as u64,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The canary answers of each provider that recorded them, by provider.
    pub(super) fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT provider, fingerprint, answers FROM canaries WHERE run_id = ?1 ORDER BY provider",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (provider, fingerprint, answers) = row.map_err(|e| self.err(e))?;
            let answers: BTreeMap<String, String> = serde_json::from_str(&answers)
                .map_err(|e| self.err(format!("run {run_id}: bad canary answers of `{provider}`: {e}")))?;
            out.push(CanaryRecord { provider, fingerprint, answers });
        }
        Ok(out)
    }
}
