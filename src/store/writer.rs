//! The writer thread: producers (scheduler tasks, scoring threads) send [`Write`] messages through a
//! bounded channel; one thread per run applies them in batches on a connection of its own.

use std::sync::mpsc;
use std::thread::JoinHandle;

use super::backend::WriteLoop;
use super::{StoreError, Write};

/// Queued writes at most before producers wait for the writer: memory stays bounded however fast
/// answers arrive.
const QUEUE: usize = 4096;

/// Handle to the writer thread. Cloning the sender is how producers reach it.
pub struct Writer {
    tx: mpsc::SyncSender<Write>,
    handle: JoinHandle<Result<(), String>>,
}

impl Writer {
    /// Start the thread that runs `write_loop` over the channel.
    pub(super) fn spawn(write_loop: WriteLoop) -> Result<Writer, StoreError> {
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let handle = std::thread::Builder::new()
            .name("bench-store".into())
            .spawn(move || write_loop(rx))
            .map_err(|e| StoreError(format!("cannot start the store thread: {e}")))?;
        Ok(Writer { tx, handle })
    }

    /// A sender for producers (scheduler tasks, scoring threads). Sending waits while the queue is
    /// full, which is how a slow disk slows the run instead of filling memory.
    pub fn sender(&self) -> mpsc::SyncSender<Write> {
        self.tx.clone()
    }

    /// Close the channel, wait for every queued write to be committed, and report a write failure.
    pub fn finish(self) -> Result<(), StoreError> {
        drop(self.tx);
        self.handle.join().map_err(|_| StoreError("the store thread panicked".into()))?.map_err(StoreError)
    }
}
