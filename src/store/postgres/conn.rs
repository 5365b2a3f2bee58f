//! Connections to the PostgreSQL store, usable from plain threads and from async tasks alike.
//!
//! The store is driven by tokio-postgres on a small runtime of its own (one worker thread, which
//! keeps every connection's socket moving). The store's callers are synchronous (the commands, the
//! writer thread, the plan, and the turn cache that episodes read from inside the run's own
//! runtime), so each call waits for its query: on a plain thread by blocking on it, on a worker of
//! another runtime inside `block_in_place`, so that worker's other tasks move to another thread.

use std::future::Future;
use std::sync::Arc;

use tokio::runtime::{Handle, Runtime, RuntimeFlavor};
use tokio_postgres::{Client, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::PgUrl;
use super::url::Tls;
use crate::store::StoreError;

/// The runtime and the URL every connection of one store shares.
pub struct Pg {
    url: PgUrl,
    runtime: Option<Runtime>,
}

impl Pg {
    /// Start the store's runtime.
    pub fn new(url: &PgUrl) -> Result<Arc<Pg>, StoreError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bench-pg")
            .enable_all()
            .build()
            .map_err(|e| StoreError(format!("cannot start the PostgreSQL client: {e}")))?;
        Ok(Arc::new(Pg { url: url.clone(), runtime: Some(runtime) }))
    }

    /// The URL, password left out, for messages.
    pub fn url(&self) -> &PgUrl {
        &self.url
    }

    /// A store error that names the database.
    pub fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError(format!("{}: {e}", self.url))
    }

    /// A store error from a failed query or connection, with what the server said.
    pub fn db(&self, e: tokio_postgres::Error) -> StoreError {
        self.err(explain(&e))
    }

    /// A new connection (over TLS when the URL asks for it). Unreachable server, refused password,
    /// missing database, a certificate that does not verify: an error naming the host and the database.
    pub fn connect(&self) -> Result<Client, StoreError> {
        let config = self.url.config().clone();
        let tls = self.url.tls().map(|tls| client_config(tls).map_err(|e| self.err(e))).transpose()?;
        let failed = |e: tokio_postgres::Error| {
            StoreError(format!(
                "cannot connect to the PostgreSQL store {} (database `{}`): {}",
                self.url,
                self.url.database(),
                explain(&e)
            ))
        };
        self.block(async move {
            match tls {
                None => {
                    let (client, connection) = config.connect(NoTls).await.map_err(failed)?;
                    self.spawn(connection);
                    Ok(client)
                }
                Some(tls) => {
                    let (client, connection) =
                        config.connect(MakeRustlsConnect::new(tls)).await.map_err(failed)?;
                    self.spawn(connection);
                    Ok(client)
                }
            }
        })
    }

    /// Drive a connection's socket on the store's runtime until the client is dropped.
    fn spawn<T>(&self, connection: tokio_postgres::Connection<tokio_postgres::Socket, T>)
    where
        T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let url = self.url.to_string();
        if let Some(runtime) = &self.runtime {
            runtime.spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!("{url}: connection closed: {e}");
                }
            });
        }
    }

    /// Wait for `work` on the store's runtime, from whatever thread calls.
    pub fn block<T, E: From<StoreError>>(&self, work: impl Future<Output = Result<T, E>>) -> Result<T, E> {
        let Some(runtime) = &self.runtime else { return Err(self.err("the client has stopped").into()) };
        match Handle::try_current() {
            Err(_) => runtime.block_on(work),
            Ok(caller) if caller.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| runtime.block_on(work))
            }
            Ok(_) => Err(self.err("cannot be used from a single-threaded async runtime").into()),
        }
    }
}

/// The TLS settings of a connection that verifies the server: the system's roots, and the URL's
/// `sslrootcert` file (PEM) when it names one.
fn client_config(tls: &Tls) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let system = rustls_native_certs::load_native_certs();
    let (added, _) = roots.add_parsable_certificates(system.certs);
    if let Some(path) = &tls.root_cert {
        use rustls::pki_types::{CertificateDer, pem::PemObject};
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("sslrootcert {shown}: {e}"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("sslrootcert {shown}: {e}"))?;
        if certs.is_empty() {
            return Err(format!("sslrootcert {shown}: no PEM certificate in it"));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| format!("sslrootcert {shown}: {e}"))?;
        }
    } else if added == 0 {
        return Err(
            "TLS: no trusted root certificates on this system; give the server's CA with ?sslrootcert=FILE"
                .into(),
        );
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
}

/// A client error with its causes (tokio-postgres shows only "db error" for what the server said).
pub fn explain(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !text.contains(&said) {
            text = format!("{text}: {said}");
        }
        cause = inner.source();
    }
    text
}

impl Drop for Pg {
    /// Stop the runtime without waiting: the last handle may be dropped on another runtime's worker,
    /// where waiting is not allowed. Open sockets close, and the server ends their sessions.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// What every connection of the store holds: the shared runtime and its own client.
pub struct Conn {
    /// The runtime and URL.
    pub pg: Arc<Pg>,
    /// The connection.
    pub client: Client,
}

impl Conn {
    /// A new connection of the store.
    pub fn open(pg: &Arc<Pg>) -> Result<Conn, StoreError> {
        Ok(Conn { pg: Arc::clone(pg), client: pg.connect()? })
    }

    /// An error that names the database.
    pub fn err(&self, e: impl std::fmt::Display) -> StoreError {
        self.pg.err(e)
    }

    /// A failed query or connection, with what the server said.
    pub fn db(&self, e: tokio_postgres::Error) -> StoreError {
        self.pg.db(e)
    }
}
