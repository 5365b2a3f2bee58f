//! The scoring pool: scores answers on rayon threads as they arrive, never on the tokio workers, and
//! sends each score to the store.

use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use crate::core::{ItemKey, Outcome, Task};
use crate::families;
use crate::store::Write;

/// A rayon pool plus a count of jobs not yet finished, so the run can wait for the last score.
pub struct ScorePool {
    pool: rayon::ThreadPool,
    pending: Arc<(Mutex<usize>, Condvar)>,
    store: mpsc::Sender<Write>,
}

impl ScorePool {
    /// A pool with one thread per core, sending scores to `store`.
    pub fn new(store: mpsc::Sender<Write>) -> Result<ScorePool, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("bench-score-{i}"))
            .build()
            .map_err(|e| format!("cannot start the scoring pool: {e}"))?;
        Ok(ScorePool { pool, pending: Arc::new((Mutex::new(0), Condvar::new())), store })
    }

    /// Queue one answer for scoring by its task's family. Returns at once.
    pub fn submit(&self, tasks: Arc<Vec<Task>>, index: usize, key: ItemKey, outcome: Outcome) {
        *self.pending.0.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        let pending = Arc::clone(&self.pending);
        let store = self.store.clone();
        self.pool.spawn(move || {
            if let Some(task) = tasks.get(index) {
                let score = match families::by_name(&task.family) {
                    Some(family) => family.score(task, &outcome),
                    None => {
                        crate::core::Score::pass_fail(false, serde_json::json!({"error": "unknown family"}))
                    }
                };
                // The store outlives the pool; a send error means the run is being torn down.
                let _ = store.send(Write::Score(key, score));
            }
            let (count, done) = &*pending;
            let mut count = count.lock().unwrap_or_else(|p| p.into_inner());
            *count -= 1;
            if *count == 0 {
                done.notify_all();
            }
        });
    }

    /// Block until every queued answer is scored. Call from a blocking context.
    pub fn wait(&self) {
        let (count, done) = &*self.pending;
        let mut count = count.lock().unwrap_or_else(|p| p.into_inner());
        while *count > 0 {
            count = done.wait(count).unwrap_or_else(|p| p.into_inner());
        }
    }
}
