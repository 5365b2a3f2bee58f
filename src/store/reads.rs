//! Queries on the store: what a resumed run has already done, cached answers, and the rows the
//! analysis aggregates.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::schema;
use crate::core::{ItemKey, Outcome, Usage};

/// A read connection; cheap to open, one per use site.
pub struct Reader {
    conn: Connection,
}

/// What the store knows about a run.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// `running`, `interrupted` or `finished`.
    pub status: String,
    /// Arguments it was started with.
    pub command: String,
    /// Providers JSON as recorded.
    pub providers: serde_json::Value,
}

/// One final result joined with its score: the unit the analysis aggregates.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// Which answer.
    pub key: ItemKey,
    /// Family of the task.
    pub family: String,
    /// Category of the task.
    pub category: Option<String>,
    /// The error class when the item failed for infrastructure reasons.
    pub error_class: Option<String>,
    /// Tokens of the answer.
    pub usage: Usage,
    /// Cost of the answer.
    pub cost: f64,
    /// End-to-end latency.
    pub latency_ms: Option<f64>,
    /// Time to first token.
    pub ttft_ms: Option<f64>,
    /// Score value, when scored.
    pub score: Option<f64>,
    /// Pass/fail, when scored.
    pub passed: Option<bool>,
    /// The family's canonical form of the answer (`answer_key` in the score detail), for votes.
    pub answer_key: Option<String>,
    /// The class of a scorer error: the answer has no verdict and counts as an infrastructure failure.
    pub scorer_error: Option<String>,
}

impl Reader {
    /// Open a read connection on the database file.
    pub fn open(db: &Path) -> Result<Reader, String> {
        let conn = schema::open(db).map_err(|e| format!("{}: {e}", db.display()))?;
        Ok(Reader { conn })
    }

    /// The run with this id, if the store has it.
    pub fn run(&self, run_id: &str) -> Result<Option<RunInfo>, String> {
        self.conn
            .query_row(
                "SELECT status, command, providers FROM runs WHERE run_id = ?1",
                params![run_id],
                |r| {
                    let providers: String = r.get(2)?;
                    Ok(RunInfo {
                        status: r.get(0)?,
                        command: r.get(1)?,
                        providers: serde_json::from_str(&providers).unwrap_or_default(),
                    })
                },
            )
            .optional()
            .map_err(|e| e.to_string())
    }

    /// Items of the run that already have a successful answer: resume skips them.
    pub fn answered(&self, run_id: &str) -> Result<HashSet<ItemKey>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT suite, task_id, provider, sample FROM results WHERE run_id = ?1 AND ok = 1")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                Ok(ItemKey { suite: r.get(0)?, task_id: r.get(1)?, provider: r.get(2)?, sample: r.get(3)? })
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// Answers of the run that have no score yet (a run killed between answer and score), or whose
    /// scorer could not run (a scorer error).
    pub fn unscored(&self, run_id: &str) -> Result<Vec<(ItemKey, Outcome)>, String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, r.outcome FROM results r
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1 AND r.ok = 1
                   AND (s.value IS NULL OR json_extract(s.detail, '$.scorer_error') IS NOT NULL)",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let key =
                    ItemKey { suite: r.get(0)?, task_id: r.get(1)?, provider: r.get(2)?, sample: r.get(3)? };
                let outcome: Option<String> = r.get(4)?;
                Ok((key, outcome))
            })
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (key, json) = row.map_err(|e| e.to_string())?;
            if let Some(outcome) = json.and_then(|j| serde_json::from_str(&j).ok()) {
                out.push((key, outcome));
            }
        }
        Ok(out)
    }

    /// A cached answer for this key.
    pub fn cached(&self, key: &str) -> Result<Option<Outcome>, String> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT outcome FROM cache WHERE key = ?1", params![key], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Every final result of the run with its score, for the analysis.
    pub fn results(&self, run_id: &str) -> Result<Vec<ResultRow>, String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, t.family, t.category, r.ok, r.error_class,
                        r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens,
                        r.reasoning_tokens, r.cost, r.latency_ms, r.ttft_ms, s.value, s.passed,
                        json_extract(s.detail, '$.answer_key'), json_extract(s.detail, '$.scorer_error')
                 FROM results r
                 LEFT JOIN tasks t USING (run_id, suite, task_id)
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1
                 ORDER BY r.provider, r.suite, r.task_id, r.sample",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let ok: bool = r.get(6)?;
                let count = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok(ResultRow {
                    key: ItemKey {
                        suite: r.get(0)?,
                        task_id: r.get(1)?,
                        provider: r.get(2)?,
                        sample: r.get(3)?,
                    },
                    family: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    category: r.get(5)?,
                    error_class: if ok {
                        None
                    } else {
                        Some(r.get::<_, Option<String>>(7)?.unwrap_or_default())
                    },
                    usage: Usage {
                        input: count(8)?,
                        output: count(9)?,
                        cache_read: count(10)?,
                        cache_write: count(11)?,
                        reasoning: count(12)?,
                    },
                    cost: r.get(13)?,
                    latency_ms: r.get(14)?,
                    ttft_ms: r.get(15)?,
                    score: r.get(16)?,
                    passed: r.get(17)?,
                    answer_key: r.get::<_, Option<rusqlite::types::Value>>(18)?.and_then(|v| match v {
                        rusqlite::types::Value::Text(t) => Some(t),
                        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                        rusqlite::types::Value::Real(x) => Some(x.to_string()),
                        _ => None,
                    }),
                    scorer_error: r.get(19)?,
                })
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// The applied change (`model_patch` in the score detail) of every scored code-repair answer of
    /// the run, in key order; `None` where the answer held no patch that could be read.
    pub fn model_patches(&self, run_id: &str) -> Result<Vec<(ItemKey, Option<String>)>, String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT suite, task_id, provider, sample, json_extract(detail, '$.model_patch') FROM scores
                 WHERE run_id = ?1 AND json_type(detail, '$.model_patch') IS NOT NULL
                 ORDER BY provider, sample, suite, task_id",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let key =
                    ItemKey { suite: r.get(0)?, task_id: r.get(1)?, provider: r.get(2)?, sample: r.get(3)? };
                Ok((key, r.get::<_, Option<String>>(4)?))
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }
}
