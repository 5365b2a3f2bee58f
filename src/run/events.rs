//! Run events: what the engine tells the world as a run goes (an attempt made, an item's final result,
//! a score). Interchangeable sinks receive them: the store records them, the progress bars count them,
//! and later reporters can follow a run live or replay it from the store.

use std::sync::mpsc;

use crate::core::{ItemKey, Score};
use crate::store::{AttemptRecord, ProviderStop, ResultRecord, TurnRecord, Write};

/// One thing that happened in a run.
#[derive(Debug, Clone)]
pub enum RunEvent {
    /// One HTTP attempt (or cache hit), successful or not.
    Attempt(Box<AttemptRecord>),
    /// One turn of an episode answered by its provider, in a run that caches answers.
    Turn(Box<TurnRecord>),
    /// The final word on one item after all retries.
    Result(Box<ResultRecord>),
    /// One answer's score.
    Score(ItemKey, Score),
    /// A provider was stopped before its items were done (bad key, no quota, a dead endpoint).
    Stopped(Box<ProviderStop>),
}

/// A sink that can no longer take events (the store stopped writing); the run must stop.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkClosed(pub String);

/// Receives run events, from the scheduler's tasks and the scoring threads at once.
pub trait Sink: Send + Sync {
    /// Take one event. An error stops the run: nothing more would be saved.
    fn event(&self, event: &RunEvent) -> Result<(), SinkClosed>;
}

impl<T: Sink + ?Sized> Sink for std::sync::Arc<T> {
    fn event(&self, event: &RunEvent) -> Result<(), SinkClosed> {
        (**self).event(event)
    }
}

/// Several sinks as one, in order; the first that fails stops the delivery.
pub struct Sinks(pub Vec<Box<dyn Sink>>);

impl Sink for Sinks {
    fn event(&self, event: &RunEvent) -> Result<(), SinkClosed> {
        self.0.iter().try_for_each(|sink| sink.event(event))
    }
}

/// The store as a sink: every event becomes a write for the store's writer thread.
pub struct StoreSink(pub mpsc::SyncSender<Write>);

impl Sink for StoreSink {
    fn event(&self, event: &RunEvent) -> Result<(), SinkClosed> {
        let write = match event {
            RunEvent::Attempt(a) => Write::Attempt(a.clone()),
            RunEvent::Result(r) => Write::Result(r.clone()),
            RunEvent::Score(key, score) => Write::Score(key.clone(), score.clone()),
            RunEvent::Stopped(stop) => Write::Stop(stop.clone()),
            RunEvent::Turn(turn) => Write::Turn(turn.clone()),
        };
        self.0.send(write).map_err(|_| SinkClosed("the store stopped saving results".into()))
    }
}
