//! Who is running a run. In the SQLite store: an exclusive `flock` on `OUT/.locks/RUN_ID.lock`; in
//! PostgreSQL: a session-level advisory lock keyed on the run id, held on a connection of its own.
//! Either is held by the process for as long as it works on the run, and dropped by the kernel or the
//! server when the process dies however it dies (`kill -9`, a crash, a reboot), so a run stored as
//! `running` whose lock is free was interrupted.

use std::fs::File;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use super::StoreError;

/// The held lock; dropping it releases the run.
pub struct RunLock {
    _held: Box<dyn Send>,
}

fn lock_path(out_dir: &Path, run_id: &str) -> PathBuf {
    out_dir.join(".locks").join(format!("{run_id}.lock"))
}

fn open(path: &Path) -> Result<File, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| StoreError::io(path, e))
}

impl RunLock {
    /// Take the run's lock file in `out_dir`; `Ok(None)` when another live process holds it.
    pub fn acquire(out_dir: &Path, run_id: &str) -> Result<Option<RunLock>, StoreError> {
        let path = lock_path(out_dir, run_id);
        match Flock::lock(open(&path)?, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => Ok(Some(RunLock::held_by(lock))),
            Err((_, Errno::EWOULDBLOCK)) => Ok(None),
            Err((_, e)) => Err(StoreError::io(&path, std::io::Error::from(e))),
        }
    }

    /// A lock held for as long as `guard` lives (a backend's own kind of lock).
    pub(super) fn held_by(guard: impl Send + 'static) -> RunLock {
        RunLock { _held: Box::new(guard) }
    }
}

/// Whether a live process holds the run's lock file. A run without a lock file was never locked by a
/// living process of this store (or its folder was copied): not held.
pub fn is_held(out_dir: &Path, run_id: &str) -> bool {
    let path = lock_path(out_dir, run_id);
    let Ok(file) = File::open(&path) else { return false };
    match Flock::lock(file, FlockArg::LockSharedNonblock) {
        Ok(_released_on_drop) => false,
        Err((_, e)) => e == Errno::EWOULDBLOCK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_seen_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!is_held(dir.path(), "r1"));
        let lock = RunLock::acquire(dir.path(), "r1").expect("lock").expect("free");
        assert!(is_held(dir.path(), "r1"));
        assert!(RunLock::acquire(dir.path(), "r1").expect("lock").is_none(), "one holder at a time");
        drop(lock);
        assert!(!is_held(dir.path(), "r1"));
    }
}
