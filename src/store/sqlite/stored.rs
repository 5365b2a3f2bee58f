//! Results read back whole, for `bench merge` (see [`crate::store::stored`]).

use rusqlite::params;

use super::reads::{SqliteReader, item_key};
use crate::store::stored::{StoredColumns, stored_results_sql};
use crate::store::{StoreError, StoredResult};

impl SqliteReader {
    /// Every final result of the run whole, with its score, in the order of provider, suite, task id
    /// and sample.
    pub(super) fn each_stored_result(
        &self,
        run_id: &str,
        each: &mut dyn FnMut(StoredResult),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(&stored_results_sql("?1")).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| {
                let score = match (r.get(11)?, r.get(12)?, r.get(13)?) {
                    (Some(passed), Some(value), Some(detail)) => Some((passed, value, detail)),
                    _ => None,
                };
                Ok(StoredColumns {
                    key: item_key(r)?,
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
            each(row.map_err(|e| self.err(e))?.into_result().map_err(|e| self.err(e))?);
        }
        Ok(())
    }
}
