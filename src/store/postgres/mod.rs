//! The PostgreSQL backend: one database for a team's runs, written by many machines at once. Each
//! process writes only its own runs' rows, in transactions with row-level upserts (see [`writes`]);
//! a run is locked by a session-level advisory lock on a connection held for the run, which the
//! server drops when that process dies however it dies.

mod conn;
mod json;
mod reads;
mod schema;
#[cfg(test)]
pub mod testdb;
mod url;
mod writes;

pub use url::PgUrl;

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::backend::{Backend, Queries, WriteLoop};
use super::{CanaryRecord, RunLock, RunStart, RunStatus, StoreError};
use conn::{Conn, Pg};

/// A PostgreSQL store: the runtime its connections share, and one connection for the short writes
/// (a run's start and status, canary answers).
pub struct Postgres {
    pg: Arc<Pg>,
    conn: Mutex<Conn>,
}

impl Postgres {
    /// Connect, and create or upgrade the tables.
    pub fn open(url: &PgUrl) -> Result<Postgres, StoreError> {
        let pg = Pg::new(url)?;
        let mut conn = Conn::open(&pg)?;
        pg.block(async { schema::migrate(&mut conn.client).await.map_err(|e| pg.err(e)) })?;
        Ok(Postgres { pg, conn: Mutex::new(conn) })
    }

    fn with_conn<T>(&self, work: impl FnOnce(&mut Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn =
            self.conn.lock().map_err(|_| self.pg.err("a connection was left broken by a panic"))?;
        work(&mut conn)
    }
}

/// The advisory lock key of a run: the first 8 bytes of a hash of its id.
fn lock_key(run_id: &str) -> i64 {
    let digest = Sha256::digest(format!("bench run {run_id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

impl Backend for Postgres {
    fn name(&self) -> String {
        self.pg.url().to_string()
    }

    fn place(&self) -> String {
        self.pg.url().to_string()
    }

    fn reader(&self) -> Result<Box<dyn Queries>, StoreError> {
        Ok(Box::new(reads::PgReader::new(Conn::open(&self.pg)?)))
    }

    fn lock(&self, run_id: &str) -> Result<Option<RunLock>, StoreError> {
        let conn = Conn::open(&self.pg)?;
        let key = lock_key(run_id);
        let taken = conn.pg.block(async {
            let row = conn.client.query_one("SELECT pg_try_advisory_lock($1)", &[&key]).await;
            row.and_then(|r| r.try_get::<_, bool>(0)).map_err(|e| conn.db(e))
        })?;
        Ok(taken.then(|| RunLock::held_by(conn)))
    }

    fn begin(&self, start: &RunStart<'_>) -> Result<(), StoreError> {
        self.with_conn(|conn| writes::begin(conn, start))
    }

    fn set_status(&self, run_id: &str, status: RunStatus) -> Result<(), StoreError> {
        self.with_conn(|conn| writes::set_status(conn, run_id, status.as_str()))
    }

    fn save_canaries(&self, run_id: &str, canaries: &[CanaryRecord]) -> Result<(), StoreError> {
        self.with_conn(|conn| writes::save_canaries(conn, run_id, canaries))
    }

    fn write_loop(&self, run_id: &str) -> Result<WriteLoop, StoreError> {
        let conn = Conn::open(&self.pg)?;
        let run_id = run_id.to_string();
        Ok(Box::new(move |rx| writes::write_loop(conn, &run_id, rx)))
    }
}
