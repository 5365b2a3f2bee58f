//! Results read back whole (the stored answer with its turns, or the error, and the score), for
//! `bench merge`, which copies its shards' results into the run it writes.

use rusqlite::params;

use super::Reader;
use crate::core::{ItemKey, Outcome, Score};
use crate::provider::{ErrorClass, ProviderError};
use crate::store::{ResultRecord, StoreError, StoredResult};

/// The columns of one stored result, before its JSON is read.
struct Columns {
    key: ItemKey,
    ok: bool,
    error_class: Option<String>,
    error_message: Option<String>,
    attempts: u32,
    outcome: Option<String>,
    cost: f64,
    from_cache: bool,
    score: Option<(bool, f64, String)>,
}

impl Reader {
    /// Every final result of the run whole, with its score, in the order of provider, suite, task id
    /// and sample.
    pub(super) fn each_stored_result(
        &self,
        run_id: &str,
        each: &mut dyn FnMut(StoredResult),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.suite, r.task_id, r.provider, r.sample, r.ok, r.error_class, r.error_message,
                        r.attempts, r.outcome, r.cost, r.from_cache, s.passed, s.value, s.detail
                 FROM results r
                 LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
                 WHERE r.run_id = ?1
                 ORDER BY r.provider, r.suite, r.task_id, r.sample",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let score = match (r.get(11)?, r.get(12)?, r.get(13)?) {
                    (Some(passed), Some(value), Some(detail)) => Some((passed, value, detail)),
                    _ => None,
                };
                Ok(Columns {
                    key: ItemKey {
                        suite: r.get(0)?,
                        task_id: r.get(1)?,
                        provider: r.get(2)?,
                        sample: r.get(3)?,
                    },
                    ok: r.get(4)?,
                    error_class: r.get(5)?,
                    error_message: r.get(6)?,
                    attempts: r.get(7)?,
                    outcome: r.get(8)?,
                    cost: r.get(9)?,
                    from_cache: r.get(10)?,
                    score,
                })
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            each(self.stored_result(row.map_err(|e| self.err(e))?)?);
        }
        Ok(())
    }

    /// The result and score behind one row's columns.
    fn stored_result(&self, c: Columns) -> Result<StoredResult, StoreError> {
        let key = &c.key;
        let outcome = if c.ok {
            let json =
                c.outcome.ok_or_else(|| self.err(format!("{key}: an answer saved without its outcome")))?;
            let outcome: Outcome =
                serde_json::from_str(&json).map_err(|e| self.err(format!("{key}: bad saved answer: {e}")))?;
            Ok(outcome)
        } else {
            let class =
                c.error_class.ok_or_else(|| self.err(format!("{key}: a failure saved without its class")))?;
            let class: ErrorClass = serde_json::from_value(serde_json::Value::String(class.clone()))
                .map_err(|_| self.err(format!("{key}: unknown error class `{class}`")))?;
            Err(ProviderError::new(class, c.error_message.unwrap_or_default()))
        };
        let score = match c.score {
            Some((passed, value, detail)) => Some(Score {
                passed,
                value,
                detail: serde_json::from_str(&detail)
                    .map_err(|e| self.err(format!("{key}: bad score detail: {e}")))?,
            }),
            None => None,
        };
        let result = ResultRecord {
            key: c.key,
            outcome,
            attempts: c.attempts,
            cost: c.cost,
            from_cache: c.from_cache,
            cache_key: None,
        };
        Ok(StoredResult { result, score })
    }
}
