//! The scoring pool: scores answers on rayon threads as they arrive, never on the tokio workers, and
//! sends each score to the run's sinks.

use std::sync::{Arc, Condvar, Mutex};

use tokio_util::sync::CancellationToken;

use crate::core::{ItemKey, Outcome, Task};
use crate::families::Registry;
use crate::run::events::{RunEvent, Sink};

/// A rayon pool plus a count of jobs not yet finished, so the run can wait for the last score.
pub struct ScorePool {
    pool: rayon::ThreadPool,
    pending: Arc<(Mutex<usize>, Condvar)>,
    families: Arc<Registry>,
    sink: Arc<dyn Sink>,
    /// Cancelled when a score can no longer be saved.
    stop: CancellationToken,
}

impl ScorePool {
    /// A pool with one thread per core, scoring with `families` and sending scores to `sink`; a sink
    /// that fails cancels `stop`.
    pub fn new(
        families: Arc<Registry>,
        sink: Arc<dyn Sink>,
        stop: CancellationToken,
    ) -> Result<ScorePool, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("bench-score-{i}"))
            .build()
            .map_err(|e| format!("cannot start the scoring pool: {e}"))?;
        Ok(ScorePool { pool, pending: Arc::new((Mutex::new(0), Condvar::new())), families, sink, stop })
    }

    /// Queue one answer for scoring by its task's family. Returns at once.
    pub fn submit(&self, tasks: Arc<Vec<Task>>, index: usize, key: ItemKey, outcome: Outcome) {
        *self.pending.0.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        let pending = Arc::clone(&self.pending);
        let (families, sink, stop) = (Arc::clone(&self.families), Arc::clone(&self.sink), self.stop.clone());
        self.pool.spawn(move || {
            if let Some(task) = tasks.get(index) {
                let score = families.score(task, &outcome);
                if let Err(e) = sink.event(&RunEvent::Score(key, score)) {
                    tracing::error!("{e}; stopping the run");
                    stop.cancel();
                }
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
