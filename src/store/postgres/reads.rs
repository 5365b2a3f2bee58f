//! Queries on the PostgreSQL store, in the orders and with the values the SQLite store gives (see
//! `sqlite/reads.rs`): rows stream from the server one at a time, text sorts byte by byte, NULLs sort
//! first, and JSON fields are read in Rust ([`super::json`]).

use std::collections::{BTreeMap, HashSet};

use futures_util::TryStreamExt;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::conn::Conn;
use super::json::{Detail, outcome_text, series_tag};
use super::lock_key;
use crate::core::{ItemKey, Outcome, Usage};
use crate::store::backend::{Head, Queries, StoredManifest};
use crate::store::stored::{StoredColumns, stored_results_sql};
use crate::store::{
    AttemptRow, CanaryRecord, ReportedModel, ResultRow, ResultText, StopRow, StoreError, StoredResult,
    TaskRecord, TaskText, ToolUse,
};

/// A read connection on the database.
pub struct PgReader {
    conn: Conn,
}

type Param<'a> = &'a (dyn ToSql + Sync);

/// Key, outcome JSON, score detail and error message of a final result.
type TextColumns = (ItemKey, Option<String>, Option<String>, Option<String>);

/// A run of a series: its id and its place in the order runs started (`created_at`, then `seq`).
type SeriesRun = (String, (String, i64));

/// A column that cannot fail to convert in a row this module selected; a failure is a store error.
type Got<T> = Result<T, tokio_postgres::Error>;

impl PgReader {
    pub(super) fn new(conn: Conn) -> PgReader {
        PgReader { conn }
    }

    /// Run `sql` and hand each row to `each`, as the server sends them.
    fn stream(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.pg.block(async {
            let rows = conn
                .client
                .query_raw(sql, params.iter().map(|p| *p as &dyn ToSql))
                .await
                .map_err(|e| conn.db(e))?;
            futures_util::pin_mut!(rows);
            while let Some(row) = rows.try_next().await.map_err(|e| conn.db(e))? {
                each(row)?;
            }
            Ok(())
        })
    }

    /// Every row of `sql`, converted.
    fn all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        convert: impl Fn(&Row) -> Got<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        self.stream(sql, params, &mut |row| {
            out.push(convert(&row).map_err(|e| self.conn.db(e))?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of `sql`, converted, if there is one.
    fn first<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        convert: impl Fn(&Row) -> Got<T>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.all(sql, params, convert)?.into_iter().next())
    }
}

fn key(row: &Row) -> Got<ItemKey> {
    Ok(ItemKey {
        suite: row.try_get(0)?,
        task_id: row.try_get(1)?,
        provider: row.try_get(2)?,
        sample: u32::try_from(row.try_get::<_, i32>(3)?).unwrap_or(0),
    })
}

fn count(row: &Row, i: usize) -> Got<u64> {
    row.try_get::<_, i64>(i).map(|v| v.max(0) as u64)
}

fn small(row: &Row, i: usize) -> Got<Option<u32>> {
    Ok(row.try_get::<_, Option<i32>>(i)?.map(|v| u32::try_from(v).unwrap_or(0)))
}

impl Queries for PgReader {
    fn name(&self) -> String {
        self.conn.pg.url().to_string()
    }

    fn heads(&self, only: Option<&str>) -> Result<Vec<Head>, StoreError> {
        self.all(
            "SELECT run_id, created_at, status, command FROM runs WHERE $1::text IS NULL OR run_id = $1
             ORDER BY created_at DESC, seq DESC",
            &[&only],
            |r| {
                Ok(Head {
                    run_id: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    status: r.try_get(2)?,
                    command: r.try_get(3)?,
                })
            },
        )
    }

    fn is_locked(&self, run_id: &str) -> Result<bool, StoreError> {
        let key = lock_key(run_id) as u64;
        let (high, low) = ((key >> 32) as i64, (key & 0xffff_ffff) as i64);
        let held = self.first(
            "SELECT EXISTS (SELECT 1 FROM pg_locks
               WHERE locktype = 'advisory' AND granted AND objsubid = 1
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND classid::bigint = $1 AND objid::bigint = $2)",
            &[&high, &low],
            |r| r.try_get::<_, bool>(0),
        )?;
        Ok(held.unwrap_or(false))
    }

    fn spent(&self, run_id: &str) -> Result<Vec<(String, u64, f64)>, StoreError> {
        self.all(
            "SELECT provider, COUNT(*), SUM(cost) FROM results WHERE run_id = $1 GROUP BY provider",
            &[&run_id],
            |r| Ok((r.try_get(0)?, count(r, 1)?, r.try_get(2)?)),
        )
    }

    fn stored_manifest(&self, run_id: &str) -> Result<Option<StoredManifest>, StoreError> {
        self.first(
            "SELECT manifest, baseline, providers, command FROM runs WHERE run_id = $1",
            &[&run_id],
            |r| {
                Ok(StoredManifest {
                    manifest: r.try_get(0)?,
                    baseline: r.try_get(1)?,
                    providers: r.try_get(2)?,
                    command: r.try_get(3)?,
                })
            },
        )
    }

    fn samples_seen(&self, run_id: &str) -> Result<u32, StoreError> {
        let seen = self.first(
            "SELECT COALESCE(MAX(sample), 0) + 1 FROM results WHERE run_id = $1",
            &[&run_id],
            |r| r.try_get::<_, i32>(0),
        )?;
        Ok(seen.and_then(|n| u32::try_from(n).ok()).unwrap_or(1))
    }

    fn tasks(&self, run_id: &str, each: &mut dyn FnMut(TaskRecord)) -> Result<(), StoreError> {
        let sql = "SELECT suite, task_id, family, category, fingerprint, meta FROM tasks WHERE run_id = $1
                   ORDER BY position";
        self.stream(sql, &[&run_id], &mut |r| {
            let (record, meta) = task_row(&r).map_err(|e| self.conn.db(e))?;
            let meta = match meta {
                Some(json) => serde_json::from_str(&json).map_err(|e| {
                    self.conn.err(format!("task {}/{}: bad metadata: {e}", record.suite, record.id))
                })?,
                None => serde_json::Value::Null,
            };
            each(TaskRecord { meta, ..record });
            Ok(())
        })
    }

    fn answered(&self, run_id: &str) -> Result<HashSet<ItemKey>, StoreError> {
        let sql = "SELECT suite, task_id, provider, sample FROM results WHERE run_id = $1 AND ok";
        Ok(self.all(sql, &[&run_id], key)?.into_iter().collect())
    }

    fn unscored(&self, run_id: &str) -> Result<Vec<(ItemKey, Outcome)>, StoreError> {
        let rows = self.all(
            "SELECT r.suite, r.task_id, r.provider, r.sample, r.outcome, s.value IS NULL, s.detail
             FROM results r LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
             WHERE r.run_id = $1 AND r.ok AND (s.value IS NULL OR strpos(s.detail, '\"scorer_error\"') > 0)",
            &[&run_id],
            |r| {
                Ok((
                    key(r)?,
                    r.try_get::<_, Option<String>>(4)?,
                    r.try_get::<_, bool>(5)?,
                    r.try_get::<_, Option<String>>(6)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for (key, json, unscored, detail) in rows {
            let detail = Detail::parse(detail.as_deref(), || key.to_string())?;
            if !unscored && !detail.present("scorer_error") {
                continue;
            }
            let json =
                json.ok_or_else(|| self.conn.err(format!("{key}: an answer saved without its outcome")))?;
            let outcome = serde_json::from_str(&json)
                .map_err(|e| self.conn.err(format!("{key}: bad saved answer: {e}")))?;
            out.push((key, outcome));
        }
        Ok(out)
    }

    fn cached(&self, key: &str) -> Result<Option<Outcome>, StoreError> {
        let json =
            self.first("SELECT outcome FROM cache WHERE key = $1", &[&key], |r| r.try_get::<_, String>(0))?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| self.conn.err(format!("cached answer {key}: {e}"))))
            .transpose()
    }

    fn results(&self, run_id: &str, each: &mut dyn FnMut(ResultRow)) -> Result<(), StoreError> {
        let sql = "SELECT r.suite, r.task_id, r.provider, r.sample, t.family, t.category, r.ok, r.error_class,
                          r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens,
                          r.reasoning_tokens, r.cost, r.latency_ms, r.ttft_ms, s.value, s.passed, s.detail,
                          r.usage_estimated, r.turns, r.tool_calls, r.invalid_calls, r.parallel_turns, r.step_limit_hit
                   FROM results r
                   LEFT JOIN tasks t USING (run_id, suite, task_id)
                   LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                   WHERE r.run_id = $1
                   ORDER BY r.provider, r.suite, r.task_id, r.sample";
        self.stream(sql, &[&run_id], &mut |r| {
            let row = result_row(&r).map_err(|e| self.conn.db(e))?;
            each(row?);
            Ok(())
        })
    }

    fn stops(&self, run_id: &str) -> Result<Vec<StopRow>, StoreError> {
        self.all(
            "SELECT provider, error_class, reason FROM provider_stops WHERE run_id = $1 ORDER BY provider",
            &[&run_id],
            |r| Ok(StopRow { provider: r.try_get(0)?, error_class: r.try_get(1)?, reason: r.try_get(2)? }),
        )
    }

    fn attempts(&self, run_id: &str, each: &mut dyn FnMut(AttemptRow)) -> Result<(), StoreError> {
        let sql = "SELECT suite, task_id, provider, sample, attempt, started_at, latency_ms, ttft_ms, ok,
                          error_class, http_status, error_message, input_tokens, output_tokens,
                          cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, from_cache, usage_estimated
                   FROM attempts WHERE run_id = $1
                   ORDER BY provider, suite, task_id, sample, attempt, id";
        self.stream(sql, &[&run_id], &mut |r| {
            each(attempt_row(&r).map_err(|e| self.conn.db(e))?);
            Ok(())
        })
    }

    fn task_texts(&self, run_id: &str, each: &mut dyn FnMut(TaskText)) -> Result<(), StoreError> {
        let sql = "SELECT suite, task_id, prompt_excerpt FROM tasks WHERE run_id = $1 ORDER BY position";
        self.stream(sql, &[&run_id], &mut |r| {
            let got = |r: &Row| -> Got<TaskText> {
                Ok(TaskText { suite: r.try_get(0)?, id: r.try_get(1)?, prompt_excerpt: r.try_get(2)? })
            };
            each(got(&r).map_err(|e| self.conn.db(e))?);
            Ok(())
        })
    }

    fn result_texts(&self, run_id: &str, each: &mut dyn FnMut(ResultText)) -> Result<(), StoreError> {
        let sql = "SELECT r.suite, r.task_id, r.provider, r.sample, r.outcome, s.detail, r.error_message
                   FROM results r
                   LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                   WHERE r.run_id = $1
                   ORDER BY r.provider, r.suite, r.task_id, r.sample";
        self.stream(sql, &[&run_id], &mut |r| {
            let got =
                |r: &Row| -> Got<TextColumns> { Ok((key(r)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?)) };
            let (key, outcome, detail, error) = got(&r).map_err(|e| self.conn.db(e))?;
            let answer = match outcome {
                Some(json) => {
                    outcome_text(&json).map_err(|e| self.conn.err(format!("{key}: bad saved answer: {e}")))?
                }
                None => None,
            };
            let detail = Detail::parse(detail.as_deref(), || key.to_string())?.without_patch();
            each(ResultText { key, answer, detail, error });
            Ok(())
        })
    }

    fn model_patches(&self, run_id: &str) -> Result<Vec<(ItemKey, Option<String>)>, StoreError> {
        let rows = self.all(
            "SELECT suite, task_id, provider, sample, detail FROM scores
             WHERE run_id = $1 AND strpos(detail, '\"model_patch\"') > 0
             ORDER BY provider, sample, suite, task_id",
            &[&run_id],
            |r| Ok((key(r)?, r.try_get::<_, String>(4)?)),
        )?;
        let mut out = Vec::new();
        for (key, detail) in rows {
            let detail = Detail::parse(Some(&detail), || key.to_string())?;
            if detail.has("model_patch") {
                out.push((key, detail.string("model_patch")));
            }
        }
        Ok(out)
    }

    fn tagged(&self, tag: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.series(tag)?.into_iter().map(|(run_id, _)| run_id).collect())
    }

    fn newest_tagged(&self, tag: &str, before: Option<&str>) -> Result<Option<String>, StoreError> {
        let series = self.series(tag)?;
        let end = match before {
            None => series.len(),
            Some(before) => {
                match self.first("SELECT created_at, seq FROM runs WHERE run_id = $1", &[&before], |r| {
                    Ok((r.try_get::<_, String>(0)?, r.try_get::<_, i64>(1)?))
                })? {
                    Some(start) => series.iter().take_while(|(_, order)| *order < start).count(),
                    None => 0,
                }
            }
        };
        Ok(series[..end]
            .iter()
            .rev()
            .map(|(run_id, _)| run_id)
            .find(|id| Some(id.as_str()) != before)
            .cloned())
    }

    fn reported_models(&self, run_id: &str) -> Result<Vec<ReportedModel>, StoreError> {
        self.all(
            "SELECT provider, model, system_fingerprint, COUNT(*) FROM results
             WHERE run_id = $1 AND ok
             GROUP BY provider, model, system_fingerprint
             ORDER BY provider, model NULLS FIRST, system_fingerprint NULLS FIRST",
            &[&run_id],
            |r| {
                Ok(ReportedModel {
                    provider: r.try_get(0)?,
                    model: r.try_get(1)?,
                    system_fingerprint: r.try_get(2)?,
                    answers: count(r, 3)?,
                })
            },
        )
    }

    fn stored_results(&self, run_id: &str, each: &mut dyn FnMut(StoredResult)) -> Result<(), StoreError> {
        self.stream(&stored_results_sql("$1"), &[&run_id], &mut |r| {
            let got = |r: &Row| -> Got<StoredColumns> {
                let score = match (r.try_get(11)?, r.try_get(12)?, r.try_get(13)?) {
                    (Some(passed), Some(value), Some(detail)) => Some((passed, value, detail)),
                    _ => None,
                };
                Ok(StoredColumns {
                    key: key(r)?,
                    ok: r.try_get(4)?,
                    error_class: r.try_get(5)?,
                    error_message: r.try_get(6)?,
                    attempts: u32::try_from(r.try_get::<_, i32>(7)?).unwrap_or(0),
                    outcome: r.try_get(8)?,
                    cost: r.try_get(9)?,
                    from_cache: r.try_get(10)?,
                    score,
                })
            };
            let columns = got(&r).map_err(|e| self.conn.db(e))?;
            each(columns.into_result().map_err(|e| self.conn.err(e))?);
            Ok(())
        })
    }

    fn canaries(&self, run_id: &str) -> Result<Vec<CanaryRecord>, StoreError> {
        let rows = self.all(
            "SELECT provider, fingerprint, answers FROM canaries WHERE run_id = $1 ORDER BY provider",
            &[&run_id],
            |r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, String>(1)?, r.try_get::<_, String>(2)?)),
        )?;
        let mut out = Vec::new();
        for (provider, fingerprint, answers) in rows {
            let answers: BTreeMap<String, String> = serde_json::from_str(&answers).map_err(|e| {
                self.conn.err(format!("run {run_id}: bad canary answers of `{provider}`: {e}"))
            })?;
            out.push(CanaryRecord { provider, fingerprint, answers });
        }
        Ok(out)
    }
}

impl PgReader {
    /// The runs tagged `tag`, oldest first, with their place in that order. Tags are plain words
    /// (letters, digits, `.`, `_`, `-`), so the server can find the manifests that name one as text;
    /// each is then read to be sure the tag is the run's own.
    fn series(&self, tag: &str) -> Result<Vec<SeriesRun>, StoreError> {
        let needle = format!("\"tag\":{}", serde_json::Value::from(tag));
        let rows = self.all(
            "SELECT run_id, created_at, seq, manifest FROM runs WHERE strpos(manifest, $1) > 0
             ORDER BY created_at, seq",
            &[&needle],
            |r| Ok((r.try_get::<_, String>(0)?, (r.try_get(1)?, r.try_get(2)?), r.try_get::<_, String>(3)?)),
        )?;
        let mut series = Vec::new();
        for (run_id, order, manifest) in rows {
            let own = series_tag(&manifest)
                .map_err(|e| self.conn.err(format!("run {run_id}: bad manifest: {e}")))?;
            if own.as_deref() == Some(tag) {
                series.push((run_id, order));
            }
        }
        Ok(series)
    }
}

/// A task row, and its metadata's JSON text (the record holds `null` for it).
fn task_row(r: &Row) -> Got<(TaskRecord, Option<String>)> {
    let record = TaskRecord {
        suite: r.try_get(0)?,
        id: r.try_get(1)?,
        family: r.try_get(2)?,
        category: r.try_get(3)?,
        fingerprint: r.try_get::<_, Option<String>>(4)?.unwrap_or_default(),
        meta: serde_json::Value::Null,
    };
    Ok((record, r.try_get(5)?))
}

/// A result row of [`Queries::results`], its score detail read in Rust.
fn result_row(r: &Row) -> Got<Result<ResultRow, StoreError>> {
    let key = key(r)?;
    let ok: bool = r.try_get(6)?;
    let passed: Option<bool> = r.try_get(17)?;
    let detail = match Detail::parse(r.try_get::<_, Option<String>>(18)?.as_deref(), || key.to_string()) {
        Ok(detail) => detail,
        Err(e) => return Ok(Err(e)),
    };
    let tool_use = match small(r, 20)? {
        Some(turns) => Some(ToolUse {
            turns,
            calls: small(r, 21)?.unwrap_or(0),
            invalid: small(r, 22)?.unwrap_or(0),
            parallel_turns: small(r, 23)?.unwrap_or(0),
            step_limit_hit: r.try_get::<_, Option<bool>>(24)?.unwrap_or(false),
            min_calls: detail.count("min_calls"),
            parallel_possible: detail.flag("parallel_possible").unwrap_or(false),
        }),
        None => None,
    };
    Ok(Ok(ResultRow {
        family: r.try_get::<_, Option<String>>(4)?.unwrap_or_else(|| "unknown".into()),
        category: r.try_get(5)?,
        error_class: if ok {
            None
        } else {
            Some(r.try_get::<_, Option<String>>(7)?.unwrap_or_else(|| "unknown".into()))
        },
        usage: Usage {
            input: count(r, 8)?,
            output: count(r, 9)?,
            cache_read: count(r, 10)?,
            cache_write: count(r, 11)?,
            reasoning: count(r, 12)?,
        },
        cost: r.try_get(13)?,
        latency_ms: r.try_get(14)?,
        ttft_ms: r.try_get(15)?,
        score: r.try_get(16)?,
        passed,
        answer_key: detail.text("answer_key"),
        scorer_error: detail.text("scorer_error"),
        usage_estimated: r.try_get(19)?,
        tool_use,
        hallucinated: detail.flag("hallucinated").unwrap_or(false),
        failure: detail.failure(passed),
        key,
    }))
}

fn attempt_row(r: &Row) -> Got<AttemptRow> {
    Ok(AttemptRow {
        suite: r.try_get(0)?,
        task_id: r.try_get(1)?,
        provider: r.try_get(2)?,
        sample: u32::try_from(r.try_get::<_, i32>(3)?).unwrap_or(0),
        attempt: u32::try_from(r.try_get::<_, i32>(4)?).unwrap_or(0),
        started_at: r.try_get(5)?,
        latency_ms: r.try_get(6)?,
        ttft_ms: r.try_get(7)?,
        ok: r.try_get(8)?,
        error_class: r.try_get(9)?,
        http_status: r.try_get::<_, Option<i32>>(10)?.and_then(|s| u16::try_from(s).ok()),
        error_message: r.try_get(11)?,
        usage: Usage {
            input: count(r, 12)?,
            output: count(r, 13)?,
            cache_read: count(r, 14)?,
            cache_write: count(r, 15)?,
            reasoning: count(r, 16)?,
        },
        cost: r.try_get(17)?,
        from_cache: r.try_get(18)?,
        usage_estimated: r.try_get(19)?,
    })
}
