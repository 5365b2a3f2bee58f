//! A PostgreSQL URL as bench keeps it: the connection settings, and a form of it to show (in errors,
//! logs, `Debug`) that never holds the password.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::Host;

/// How long a connection may take before the store gives up on an unreachable server, unless the URL
/// says (`?connect_timeout=SECONDS`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed `postgres://` URL. Shown, it reads `postgres://USER@HOST:PORT/DB`, password left out.
#[derive(Clone)]
pub struct PgUrl {
    config: tokio_postgres::Config,
    shown: String,
    tls: Option<Tls>,
}

/// TLS to the server (`sslmode=require`, `verify-ca` or `verify-full`): always with the server's
/// certificate verified, against the system's roots and the `sslrootcert` file when the URL names
/// one. bench sends a password over the connection, so it never uses TLS it has not verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Tls {
    /// Extra trusted roots (PEM), from `?sslrootcert=FILE`.
    pub root_cert: Option<PathBuf>,
}

impl PgUrl {
    /// Parse a `postgres://` or `postgresql://` URL (libpq's form: `?host=/socket/folder`,
    /// `?sslmode=...&sslrootcert=FILE` (see [`Tls`]), `?connect_timeout=S`...). Without a password in the URL,
    /// `env_password` (`PGPASSWORD`) is used. Errors never repeat the URL.
    pub fn parse(text: &str, env_password: Option<String>) -> Result<PgUrl, String> {
        let (text, tls) = tls_params(text)?;
        let mut config: tokio_postgres::Config = text
            .parse()
            .map_err(|e| format!("not a PostgreSQL URL (postgres://USER@HOST[:PORT]/DB): {e}"))?;
        if config.get_hosts().is_empty() {
            return Err(
                "the PostgreSQL URL names no host: postgres://USER@HOST/DB, or ?host=/socket/folder".into()
            );
        }
        if config.get_password().is_none()
            && let Some(password) = env_password.filter(|p| !p.is_empty())
        {
            config.password(password);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("bench");
        }
        let shown = shown(&config);
        Ok(PgUrl { config, shown, tls })
    }

    /// TLS settings, when the URL asks for TLS.
    pub(super) fn tls(&self) -> Option<&Tls> {
        self.tls.as_ref()
    }

    /// The connection settings (password included: for connecting only).
    pub(super) fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// The same server and user, another database (tests make one each).
    #[cfg(test)]
    pub fn with_database(&self, name: &str) -> PgUrl {
        let mut config = self.config.clone();
        config.dbname(name);
        let shown = shown(&config);
        PgUrl { config, shown, tls: self.tls.clone() }
    }

    /// The database name (the user name when the URL names none, as the server does).
    pub fn database(&self) -> &str {
        self.config.get_dbname().or(self.config.get_user()).unwrap_or("")
    }
}

/// The URL without the TLS parameters bench reads itself (tokio-postgres knows only `sslmode=disable|
/// prefer|require`), and the TLS they ask for: `sslmode=require|verify-ca|verify-full` means TLS with
/// a verified certificate (plus `sslrootcert=FILE`); `prefer` (the default) and `disable` mean none.
fn tls_params(text: &str) -> Result<(String, Option<Tls>), String> {
    let Some((base, query)) = text.split_once('?') else { return Ok((text.to_string(), None)) };
    let (mut kept, mut mode, mut root_cert) = (Vec::new(), None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some(value),
            Some(("sslrootcert", value)) => root_cert = Some(PathBuf::from(value)),
            _ => kept.push(pair),
        }
    }
    let tls = match mode {
        None | Some("disable" | "prefer") if root_cert.is_none() => None,
        None | Some("disable" | "prefer") => {
            return Err("sslrootcert is for TLS: add sslmode=verify-full (or require)".into());
        }
        Some("require" | "verify-ca" | "verify-full") => Some(Tls { root_cert }),
        Some(other) => {
            return Err(format!("sslmode={other}: use disable, prefer, require, verify-ca or verify-full"));
        }
    };
    if tls.is_some() {
        kept.push("sslmode=require");
    }
    let text = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok((text, tls))
}

/// `postgres://USER@HOST:PORT/DB` (a socket folder as `?host=`), from the settings, never the text.
fn shown(config: &tokio_postgres::Config) -> String {
    let user = config.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let ports = config.get_ports();
    let port = |i: usize| ports.get(i).or(ports.first()).copied().unwrap_or(5432);
    let (mut tcp, mut sockets) = (Vec::new(), Vec::new());
    for (i, host) in config.get_hosts().iter().enumerate() {
        match host {
            Host::Tcp(name) if name.contains(':') => tcp.push(format!("[{name}]:{}", port(i))),
            Host::Tcp(name) => tcp.push(format!("{name}:{}", port(i))),
            Host::Unix(dir) => sockets.push(format!("host={}&port={}", dir.display(), port(i))),
        }
    }
    let db = config.get_dbname().map(str::to_string).unwrap_or_default();
    let query = if sockets.is_empty() { String::new() } else { format!("?{}", sockets.join("&")) };
    format!("postgres://{user}{}/{db}{query}", tcp.join(","))
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({})", self.shown)
    }
}

#[cfg(test)]
mod tests {
    use tokio_postgres::config::SslMode;

    use super::{PgUrl, Tls};

    #[test]
    fn the_password_is_never_shown_whether_from_the_url_or_the_environment() {
        let url = PgUrl::parse("postgres://bench:s3cr%40t@db.example:6543/nightly", None).expect("valid");
        assert_eq!(url.config().get_password(), Some(&b"s3cr@t"[..]), "decoded for connecting");
        for shown in [url.to_string(), format!("{url:?}"), format!("{:?}", Some(url.clone()))] {
            assert!(!shown.contains("s3cr"), "{shown}");
            assert!(shown.contains("bench@db.example:6543/nightly"), "{shown}");
        }
        let from_env =
            PgUrl::parse("postgres://bench@db.example/nightly", Some("hunter2".into())).expect("valid");
        assert_eq!(from_env.config().get_password(), Some(&b"hunter2"[..]));
        assert!(!format!("{from_env} {from_env:?}").contains("hunter2"));
        let url_wins = PgUrl::parse("postgres://bench:mine@db.example/x", Some("env".into())).expect("valid");
        assert_eq!(url_wins.config().get_password(), Some(&b"mine"[..]), "the URL's password comes first");
    }

    #[test]
    fn a_bad_url_is_refused_without_repeating_it() {
        let err = PgUrl::parse("postgres://bench:hunter2@db/x?nope=1", None).expect_err("unknown option");
        assert!(err.contains("not a PostgreSQL URL") && !err.contains("hunter2"), "{err}");
        let err = PgUrl::parse("postgres://bench:hunter2@db/x?sslmode=sometimes", None).expect_err("mode");
        assert!(err.contains("sslmode=sometimes: use disable") && !err.contains("hunter2"), "{err}");
        let err = PgUrl::parse("postgres://bench:hunter2@db/x?sslrootcert=ca.pem", None).expect_err("no TLS");
        assert!(err.contains("add sslmode=verify-full") && !err.contains("hunter2"), "{err}");
        let err = PgUrl::parse("postgres:///x", None).expect_err("no host");
        assert!(err.contains("names no host"), "{err}");
    }

    #[test]
    fn tls_is_asked_by_sslmode_and_always_verified() {
        let url = PgUrl::parse(
            "postgres://bench@db.example/x?sslmode=verify-full&sslrootcert=/etc/bench/ca.pem&connect_timeout=3",
            None,
        )
        .expect("valid");
        assert_eq!(url.tls(), Some(&Tls { root_cert: Some("/etc/bench/ca.pem".into()) }));
        assert_eq!(url.config().get_ssl_mode(), SslMode::Require);
        assert_eq!(url.config().get_connect_timeout(), Some(&std::time::Duration::from_secs(3)));
        for mode in ["require", "verify-ca"] {
            let url =
                PgUrl::parse(&format!("postgres://bench@db.example/x?sslmode={mode}"), None).expect(mode);
            assert_eq!(url.tls(), Some(&Tls { root_cert: None }), "{mode}");
        }
        for plain in ["postgres://bench@db.example/x", "postgres://bench@db.example/x?sslmode=prefer"] {
            assert_eq!(PgUrl::parse(plain, None).expect(plain).tls(), None, "{plain}: no unverified TLS");
        }
    }

    #[test]
    fn a_socket_folder_is_shown_as_a_host_parameter() {
        let url = PgUrl::parse("postgres://bench@/nightly?host=/run/pg&port=5433", None).expect("valid");
        assert_eq!(url.to_string(), "postgres://bench@/nightly?host=/run/pg&port=5433");
        assert_eq!(url.database(), "nightly");
    }
}
