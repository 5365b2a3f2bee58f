//! The engine: runs a plan to its end (or until cancelled) and sends every event to the run's sinks.
//!
//! Requests go out on the tokio runtime under each provider's limits; answers are scored on the
//! scoring pool as they arrive; answers saved by an earlier, interrupted invocation but never scored
//! are scored first. The engine knows nothing of the command line, the terminal or the store's
//! files: commands give it a plan and sinks, and read the run back from the store.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::events::Sink;
use super::plan::Plan;
use super::scheduler::{self, ProviderReport};
use crate::core::{ItemKey, Outcome, Task};
use crate::families::Registry;
use crate::provider::Provider;
use crate::score::ScorePool;

/// How a run of the engine ended.
#[derive(Debug)]
pub struct EngineReport {
    /// Per provider: whether it stopped early, and why.
    pub providers: Vec<ProviderReport>,
    /// Cancelled before every item was final (Ctrl-C, a signal, a store that stopped saving).
    pub interrupted: bool,
}

/// Runs plans on a runtime with a set of families; one per session.
pub struct Engine<'a> {
    /// The async runtime the requests run on.
    pub runtime: &'a tokio::runtime::Runtime,
    /// The families that score answers.
    pub families: Arc<Registry>,
    /// Cancelled to stop the run (Ctrl-C, SIGTERM).
    pub cancel: CancellationToken,
}

impl Engine<'_> {
    /// Run `plan` with `providers` (in plan order); first score `unscored` answers of an earlier
    /// invocation. Returns when every item is final or the run is cancelled, with every score sent.
    pub fn run(
        &self,
        plan: Plan,
        providers: Vec<Arc<dyn Provider>>,
        unscored: Vec<(ItemKey, Outcome)>,
        sink: Arc<dyn Sink>,
    ) -> Result<EngineReport, String> {
        let scorer =
            Arc::new(ScorePool::new(Arc::clone(&self.families), Arc::clone(&sink), self.cancel.clone())?);
        rescore(&scorer, &plan.tasks, unscored);
        let providers = self.runtime.block_on(scheduler::run(
            plan,
            providers,
            Arc::clone(&self.families),
            sink,
            Arc::clone(&scorer),
            self.cancel.clone(),
        ));
        scorer.wait();
        Ok(EngineReport { providers, interrupted: self.cancel.is_cancelled() })
    }
}

/// Queue answers saved but never scored (the process died in between) for scoring.
fn rescore(scorer: &ScorePool, tasks: &Arc<Vec<Task>>, unscored: Vec<(ItemKey, Outcome)>) {
    let index: BTreeMap<(&str, &str), usize> =
        tasks.iter().enumerate().map(|(i, t)| ((t.suite.as_str(), t.id.as_str()), i)).collect();
    for (key, outcome) in unscored {
        match index.get(&(key.suite.as_str(), key.task_id.as_str())) {
            Some(&i) => scorer.submit(Arc::clone(tasks), i, key, outcome),
            None => tracing::warn!("{key}: a saved answer to a task this run no longer has"),
        }
    }
}
