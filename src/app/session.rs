//! The session: what every command that runs or reads runs opens once — the configuration, the store,
//! the families with their context, the async runtime, and cancellation on Ctrl-C, SIGTERM and SIGHUP.
//! Nothing here is process-wide: a session is a value passed to what needs it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use tokio_util::sync::CancellationToken;

use super::errors::{EXIT_INTERRUPTED, Error, Result};
use crate::config::Config;
use crate::families::{FamilyContext, Registry};
use crate::run::Engine;
use crate::store::{Location, Store};

/// Exit code of a run stopped by SIGTERM or SIGHUP (128 + 15, what CI runners and Kubernetes expect).
pub const EXIT_TERMINATED: u8 = 143;

/// Everything a run needs, opened once.
pub struct Session {
    /// bench.toml merged over the presets.
    pub config: Config,
    /// The output folder's store.
    pub store: Store,
    /// Every family, with the sandbox limits of `[sandbox]`.
    pub families: Arc<Registry>,
    runtime: tokio::runtime::Runtime,
    cancel: CancellationToken,
    /// The signal that cancelled the run (0: none yet).
    signal: Arc<AtomicI32>,
}

impl Session {
    /// Load the configuration, open (or create) the store (`store`: `--store`, else the configuration's,
    /// else `out`'s SQLite file), build the families and the runtime.
    pub fn open(config: Option<&Path>, out: &Path, store: Option<&str>) -> Result<Session> {
        let config = Config::load(config)?;
        let store = Store::open(out, &store_location(store, &config)?)?;
        let families = Arc::new(Registry::new(FamilyContext {
            sandbox: config.sandbox.limits(),
            sandbox_network: config.sandbox.network(),
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("bench-io")
            .build()
            .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
        Ok(Session {
            config,
            store,
            families,
            runtime,
            cancel: CancellationToken::new(),
            signal: Arc::default(),
        })
    }

    /// From now on, Ctrl-C, SIGTERM and SIGHUP cancel the run instead of killing the process, so it can
    /// save what it has and say how to resume.
    pub fn watch_signals(&self) {
        self.runtime.spawn(cancel_on_signals(self.cancel.clone(), Arc::clone(&self.signal)));
    }

    /// The engine that runs plans in this session.
    pub fn engine(&self) -> Engine<'_> {
        Engine { runtime: &self.runtime, families: Arc::clone(&self.families), cancel: self.cancel.clone() }
    }

    /// The exit code of an interrupted run: 130 for Ctrl-C, 143 for SIGTERM or SIGHUP.
    pub fn interrupted_exit_code(&self) -> u8 {
        match self.signal.load(Ordering::Relaxed) {
            15 | 1 => EXIT_TERMINATED,
            _ => EXIT_INTERRUPTED,
        }
    }
}

/// Where the runs are: `--store` (`flag`), else `store` in the configuration, else `OUT/bench.sqlite`.
/// A URL without a password takes `PGPASSWORD`'s, as libpq does.
pub fn store_location(flag: Option<&str>, config: &Config) -> Result<Location> {
    let password = || std::env::var("PGPASSWORD").ok();
    match (flag, &config.store) {
        (Some(flag), _) => {
            Location::parse(flag, password()).map_err(|e| Error::usage(format!("--store: {e}")))
        }
        (None, Some(set)) => Location::parse(&set.value, password())
            .map_err(|e| Error::usage(format!("{}: store: {e}", set.origin))),
        (None, None) => Ok(Location::Sqlite),
    }
}

/// The store a reading command (`runs`, `report`, `regress`, `history`) opens: as [`store_location`]
/// says, with the configuration `config` (else `./bench.toml`). An output folder without a database
/// is a usage error.
pub fn open_store(out: &Path, flag: Option<&str>, config: Option<&Path>) -> Result<Store> {
    let location = store_location(flag, &Config::load(config)?)?;
    match Store::open_existing(out, &location)? {
        Some(store) => Ok(store),
        None => Err(Error::usage(format!("{}: no runs here (no bench.sqlite)", out.display()))),
    }
}

/// Cancel on the first of SIGINT, SIGTERM or SIGHUP, remembering which.
async fn cancel_on_signals(cancel: CancellationToken, signal: Arc<AtomicI32>) {
    use tokio::signal::unix::{SignalKind, signal as listen};
    let kinds = [(SignalKind::interrupt(), 2), (SignalKind::terminate(), 15), (SignalKind::hangup(), 1)];
    let mut streams = Vec::new();
    for (kind, number) in kinds {
        match listen(kind) {
            Ok(stream) => streams.push((stream, number)),
            Err(e) => tracing::warn!("cannot listen for signal {number}: {e}"),
        }
    }
    let waits = streams.iter_mut().map(|(stream, number)| {
        let number = *number;
        Box::pin(async move {
            stream.recv().await;
            number
        })
    });
    let waits: Vec<_> = waits.collect();
    if waits.is_empty() {
        return;
    }
    let (number, _, _) = futures_util::future::select_all(waits).await;
    signal.store(number, Ordering::Relaxed);
    cancel.cancel();
}
