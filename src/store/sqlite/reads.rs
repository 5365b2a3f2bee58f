//! Queries on the SQLite store: the runs it holds, a run's manifest, tasks and results (everything the
//! analysis needs, so a run can be reported from the store alone), what a resumed run has already
//! done, and cached answers.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::schema;
use crate::core::{ItemKey, Outcome, Usage};
use crate::store::backend::{Head, Queries, StoredManifest};
use crate::store::{
    AttemptRow, CanaryRecord, FailureFacts, ReportedModel, ResultRow, ResultText, StopRow, StoreError,
    StoredResult, TaskRecord, TaskText, ToolUse, lock,
};

/// A read connection on the output folder's database.
pub struct SqliteReader {
    pub(super) conn: Connection,
    db: PathBuf,
    out_dir: PathBuf,
}

impl SqliteReader {
    /// Open a read connection on the store's database file.
    pub(super) fn open(db: &Path, out_dir: &Path) -> Result<SqliteReader, StoreError> {
        let conn = schema::open(db).map_err(|e| StoreError::db(db, e))?;
        Ok(SqliteReader { conn, db: db.to_path_buf(), out_dir: out_dir.to_path_buf() })
    }

    pub(super) fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::db(&self.db, e)
    }
}

impl Queries for SqliteReader {
    fn name(&self) -> String {
        self.db.display().to_string()
    }

    fn heads(&self, only: Option<&str>) -> Result<Vec<Head>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT run_id, created_at, status, command FROM runs WHERE ?1 IS NULL OR run_id = ?1
                 ORDER BY created_at DESC, rowid DESC",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![only], |r| {
            Ok(Head { run_id: r.get(0)?, created_at: r.get(1)?, status: r.get(2)?, command: r.get(3)? })
        })
        .map_err(|e| self.err(e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| self.err(e))
    }

    fn is_locked(&self, run_id: &str) -> Result<bool, StoreError> {
        Ok(lock::is_held(&self.out_dir, run_id))
    }

    fn spent(&self, run_id: &str) -> Result<Vec<(String, u64, f64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT provider, COUNT(*), SUM(cost) FROM results WHERE run_id = ?1 GROUP BY provider",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64, r.get::<_, f64>(2)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn stored_manifest(&self, run_id: &str) -> Result<Option<StoredManifest>, StoreError> {
        self.conn
            .query_row(
                "SELECT manifest, baseline, providers, command FROM runs WHERE run_id = ?1",
                params![run_id],
                |r| {
                    Ok(StoredManifest {
                        manifest: r.get(0)?,
                        baseline: r.get(1)?,
                        providers: r.get(2)?,
                        command: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn samples_seen(&self, run_id: &str) -> Result<u32, StoreError> {
        let samples: i64 = self
            .conn
            .query_row(
                "SELECT COALESCE(MAX(sample), 0) + 1 FROM results WHERE run_id = ?1",
                params![run_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(u32::try_from(samples).unwrap_or(1))
    }

    fn tasks(&self, run_id: &str, each: &mut dyn FnMut(TaskRecord)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT suite, task_id, family, category, fingerprint, meta FROM tasks WHERE run_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (suite, id, family, category, fingerprint, meta) = row.map_err(|e| self.err(e))?;
            let meta = match meta {
                Some(json) => serde_json::from_str(&json)
                    .map_err(|e| self.err(format!("task {suite}/{id}: bad metadata: {e}")))?,
                None => serde_json::Value::Null,
            };
            each(TaskRecord {
                suite,
                id,
                family,
                category,
                fingerprint: fingerprint.unwrap_or_default(),
                meta,
            });
        }
        Ok(())
    }

    fn answered(&self, run_id: &str) -> Result<HashSet<ItemKey>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT suite, task_id, provider, sample FROM results WHERE run_id = ?1 AND ok = 1")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![run_id], item_key).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn unscored(&self, run_id: &str) -> Result<Vec<(ItemKey, Outcome)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, r.outcome FROM results r
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1 AND r.ok = 1
                   AND (s.value IS NULL OR json_extract(s.detail, '$.scorer_error') IS NOT NULL)",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let key = item_key(r)?;
                let outcome: Option<String> = r.get(4)?;
                Ok((key, outcome))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, json) = row.map_err(|e| self.err(e))?;
            let json = json.ok_or_else(|| self.err(format!("{key}: an answer saved without its outcome")))?;
            let outcome =
                serde_json::from_str(&json).map_err(|e| self.err(format!("{key}: bad saved answer: {e}")))?;
            out.push((key, outcome));
        }
        Ok(out)
    }

    fn cached(&self, key: &str) -> Result<Option<Outcome>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT outcome FROM cache WHERE key = ?1", params![key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| self.err(format!("cached answer {key}: {e}"))))
            .transpose()
    }

    fn results(&self, run_id: &str, each: &mut dyn FnMut(ResultRow)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, t.family, t.category, r.ok, r.error_class,
                        r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens,
                        r.reasoning_tokens, r.cost, r.latency_ms, r.ttft_ms, s.value, s.passed,
                        json_extract(s.detail, '$.answer_key'), json_extract(s.detail, '$.scorer_error'),
                        r.usage_estimated, r.turns, r.tool_calls, r.invalid_calls, r.parallel_turns,
                        r.step_limit_hit, json_extract(s.detail, '$.min_calls'),
                        json_extract(s.detail, '$.parallel_possible'), json_extract(s.detail, '$.hallucinated'),
                        CASE WHEN s.passed = 0 THEN json_extract(s.detail, '$.class') END,
                        CASE WHEN s.passed = 0 THEN json_extract(s.detail, '$.error_type') END,
                        CASE WHEN s.passed = 0 THEN json_extract(s.detail, '$.method') END,
                        CASE WHEN s.passed = 0 THEN json_extract(s.detail, '$.refusal') END
                 FROM results r
                 LEFT JOIN tasks t USING (run_id, suite, task_id)
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1
                 ORDER BY r.provider, r.suite, r.task_id, r.sample",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let ok: bool = r.get(6)?;
                Ok(ResultRow {
                    key: item_key(r)?,
                    family: r.get::<_, Option<String>>(4)?.unwrap_or_else(|| "unknown".into()),
                    category: r.get(5)?,
                    error_class: if ok {
                        None
                    } else {
                        Some(r.get::<_, Option<String>>(7)?.unwrap_or_else(|| "unknown".into()))
                    },
                    usage: usage_at(r, 8)?,
                    cost: r.get(13)?,
                    latency_ms: r.get(14)?,
                    ttft_ms: r.get(15)?,
                    score: r.get(16)?,
                    passed: r.get(17)?,
                    answer_key: text_of(r.get(18)?),
                    scorer_error: r.get(19)?,
                    usage_estimated: r.get(20)?,
                    tool_use: match r.get::<_, Option<u32>>(21)? {
                        Some(turns) => Some(ToolUse {
                            turns,
                            calls: r.get::<_, Option<u32>>(22)?.unwrap_or(0),
                            invalid: r.get::<_, Option<u32>>(23)?.unwrap_or(0),
                            parallel_turns: r.get::<_, Option<u32>>(24)?.unwrap_or(0),
                            step_limit_hit: r.get::<_, Option<bool>>(25)?.unwrap_or(false),
                            min_calls: r.get(26)?,
                            parallel_possible: r.get::<_, Option<bool>>(27)?.unwrap_or(false),
                        }),
                        None => None,
                    },
                    hallucinated: r.get::<_, Option<bool>>(28)?.unwrap_or(false),
                    failure: FailureFacts {
                        class: text_of(r.get(29)?),
                        error_type: text_of(r.get(30)?),
                        method: text_of(r.get(31)?),
                        refusal: text_of(r.get(32)?),
                    },
                })
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            each(row.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    fn stops(&self, run_id: &str) -> Result<Vec<StopRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT provider, error_class, reason FROM provider_stops WHERE run_id = ?1 ORDER BY provider")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(StopRow { provider: r.get(0)?, error_class: r.get(1)?, reason: r.get(2)? })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn attempts(&self, run_id: &str, each: &mut dyn FnMut(AttemptRow)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT suite, task_id, provider, sample, attempt, started_at, latency_ms, ttft_ms, ok,
                        error_class, http_status, error_message, input_tokens, output_tokens,
                        cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, from_cache, usage_estimated
                 FROM attempts WHERE run_id = ?1
                 ORDER BY provider, suite, task_id, sample, attempt, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(AttemptRow {
                    suite: r.get(0)?,
                    task_id: r.get(1)?,
                    provider: r.get(2)?,
                    sample: r.get(3)?,
                    attempt: r.get(4)?,
                    started_at: r.get(5)?,
                    latency_ms: r.get(6)?,
                    ttft_ms: r.get(7)?,
                    ok: r.get(8)?,
                    error_class: r.get(9)?,
                    http_status: r.get(10)?,
                    error_message: r.get(11)?,
                    usage: usage_at(r, 12)?,
                    cost: r.get(17)?,
                    from_cache: r.get(18)?,
                    usage_estimated: r.get(19)?,
                })
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            each(row.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    fn task_texts(&self, run_id: &str, each: &mut dyn FnMut(TaskText)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT suite, task_id, prompt_excerpt FROM tasks WHERE run_id = ?1 ORDER BY rowid")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(TaskText { suite: r.get(0)?, id: r.get(1)?, prompt_excerpt: r.get(2)? })
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            each(row.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    fn result_texts(&self, run_id: &str, each: &mut dyn FnMut(ResultText)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, json_extract(r.outcome, '$.text'),
                        json_remove(s.detail, '$.model_patch'), r.error_message
                 FROM results r
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1
                 ORDER BY r.provider, r.suite, r.task_id, r.sample",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(ResultText { key: item_key(r)?, answer: r.get(4)?, detail: r.get(5)?, error: r.get(6)? })
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            each(row.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    fn model_patches(&self, run_id: &str) -> Result<Vec<(ItemKey, Option<String>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT suite, task_id, provider, sample, json_extract(detail, '$.model_patch') FROM scores
                 WHERE run_id = ?1 AND json_type(detail, '$.model_patch') IS NOT NULL
                 ORDER BY provider, sample, suite, task_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let key = item_key(r)?;
                Ok((key, r.get::<_, Option<String>>(4)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn tagged(&self, tag: &str) -> Result<Vec<String>, StoreError> {
        SqliteReader::tagged(self, tag)
    }

    fn newest_tagged(&self, tag: &str, before: Option<&str>) -> Result<Option<String>, StoreError> {
        SqliteReader::newest_tagged(self, tag, before)
    }

    fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError> {
        SqliteReader::reported_models(self, run_id)
    }

    fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError> {
        SqliteReader::canaries(self, run_id)
    }

    fn stored_results(&self, run_id: &str, each: &mut dyn FnMut(StoredResult)) -> Result<(), StoreError> {
        self.each_stored_result(run_id, each)
    }
}

/// The item of a row whose first four columns are suite, task id, provider and sample.
pub(super) fn item_key(r: &Row<'_>) -> rusqlite::Result<ItemKey> {
    Ok(ItemKey { suite: r.get(0)?, task_id: r.get(1)?, provider: r.get(2)?, sample: r.get(3)? })
}

/// Token counts from five columns from `first` on: input, output, cache read, cache write, reasoning.
fn usage_at(r: &Row<'_>, first: usize) -> rusqlite::Result<Usage> {
    let count = |i: usize| r.get::<_, i64>(first + i).map(|v| v.max(0) as u64);
    Ok(Usage {
        input: count(0)?,
        output: count(1)?,
        cache_read: count(2)?,
        cache_write: count(3)?,
        reasoning: count(4)?,
    })
}

/// A score-detail field read as text: a string as is, a number or boolean as written, anything else
/// (null, an object) as absent.
fn text_of(value: Option<rusqlite::types::Value>) -> Option<String> {
    match value? {
        rusqlite::types::Value::Text(t) => Some(t),
        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
        rusqlite::types::Value::Real(x) => Some(x.to_string()),
        _ => None,
    }
}
