//! Results read back whole (the stored answer with its turns, or the error, and the score), for
//! `bench merge`, which copies its shards' results into the run it writes. Both backends read the
//! same columns; turning them into a result is shared here.

use super::{ResultRecord, StoredResult};
use crate::core::{ItemKey, Score};
use crate::provider::{ErrorClass, ProviderError};

/// The SQL both backends run (placeholder `{run}`: `?1` or `$1`), whose columns [`StoredColumns`]
/// holds in order.
pub(super) fn stored_results_sql(run: &str) -> String {
    format!(
        "SELECT r.suite, r.task_id, r.provider, r.sample, r.ok, r.error_class, r.error_message,
                r.attempts, r.outcome, r.cost, r.from_cache, s.passed, s.value, s.detail
         FROM results r
         LEFT JOIN scores s USING (run_id, suite, task_id, provider, sample)
         WHERE r.run_id = {run}
         ORDER BY r.provider, r.suite, r.task_id, r.sample"
    )
}

/// The columns of one stored result, before its JSON is read.
pub(super) struct StoredColumns {
    pub key: ItemKey,
    pub ok: bool,
    pub error_class: Option<String>,
    pub error_message: Option<String>,
    pub attempts: u32,
    pub outcome: Option<String>,
    pub cost: f64,
    pub from_cache: bool,
    /// (passed, value, detail JSON) when scored.
    pub score: Option<(bool, f64, String)>,
}

impl StoredColumns {
    /// The result and score behind the columns; an error names the item.
    pub(super) fn into_result(self) -> Result<StoredResult, String> {
        let key = &self.key;
        let outcome = if self.ok {
            let json = self.outcome.ok_or_else(|| format!("{key}: an answer saved without its outcome"))?;
            Ok(serde_json::from_str(&json).map_err(|e| format!("{key}: bad saved answer: {e}"))?)
        } else {
            let class =
                self.error_class.ok_or_else(|| format!("{key}: a failure saved without its class"))?;
            let class: ErrorClass = serde_json::from_value(serde_json::Value::String(class.clone()))
                .map_err(|_| format!("{key}: unknown error class `{class}`"))?;
            Err(ProviderError::new(class, self.error_message.unwrap_or_default()))
        };
        let score = match self.score {
            Some((passed, value, detail)) => Some(Score {
                passed,
                value,
                detail: serde_json::from_str(&detail).map_err(|e| format!("{key}: bad score detail: {e}"))?,
            }),
            None => None,
        };
        let result = ResultRecord {
            key: self.key,
            outcome,
            attempts: self.attempts,
            cost: self.cost,
            from_cache: self.from_cache,
            cache_key: None,
        };
        Ok(StoredResult { result, score })
    }
}
