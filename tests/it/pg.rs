//! The stores a command-level test runs against: SQLite in the output folder, and a fresh database of
//! the test's own on the PostgreSQL server `BENCH_TEST_POSTGRES` names (a URL of a user who may create
//! databases; `scripts/test.sh` starts one), dropped when the test ends. Without that server the
//! PostgreSQL half is skipped with a message, except in CI (`CI=true`), where it fails.

use std::process::{Command, Output};

use crate::Workspace;

/// A database made for one test.
pub struct PgDb {
    admin: String,
    name: String,
    /// The database's URL, without the password (bench gets it from PGPASSWORD).
    pub url: String,
    /// The database's URL with the password in it.
    pub url_with_password: String,
    /// The password of the server's URL, if it has one.
    pub password: Option<String>,
}

impl PgDb {
    /// A client on the database, for assertions.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url_with_password, postgres::NoTls).unwrap()
    }
}

/// The server's URL when the environment names one; outside CI, `None` after saying the test is
/// skipped.
pub fn server(test: &str) -> Option<String> {
    match std::env::var("BENCH_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: no PostgreSQL (set BENCH_TEST_POSTGRES): CI must test the PostgreSQL store"
            );
            eprintln!("{test}: skipped: no PostgreSQL (set BENCH_TEST_POSTGRES)");
            None
        }
    }
}

/// A fresh database on the test server, or `None` (see [`server`]).
pub fn fresh(test: &str) -> Option<PgDb> {
    let admin = server(test)?;
    let name = format!("bench_it_{}_{}", std::process::id(), rand_suffix());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = admin.split_once('?').unwrap_or((&admin, ""));
    let (server_part, _) = base.rsplit_once('/').unwrap();
    let (scheme, rest) = server_part.split_once("://").unwrap();
    let (credentials, host) = rest.rsplit_once('@').unwrap_or(("", rest));
    let (user, password) = match credentials.split_once(':') {
        Some((user, password)) => (user.to_string(), Some(password.to_string())),
        None => (credentials.to_string(), None),
    };
    let at = if user.is_empty() { String::new() } else { format!("{user}@") };
    let url = format!("{scheme}://{at}{host}/{name}");
    let url_with_password = match credentials {
        "" => url.clone(),
        credentials => format!("{scheme}://{credentials}@{host}/{name}"),
    };
    Some(PgDb { admin, name, url, url_with_password, password })
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    hasher.finish() % 1_000_000_000
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let dropped =
                client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            if let Err(e) = dropped {
                eprintln!("cannot drop test database {}: {e}", self.name);
            }
        }
    }
}

/// Where a test's runs are stored.
pub enum Store {
    /// `results/bench.sqlite`.
    Sqlite,
    /// A database of the test's own, named in bench.toml (`store = ...`), its password in PGPASSWORD.
    Postgres(PgDb),
}

impl Store {
    /// SQLite, and PostgreSQL when a server is there.
    pub fn all(test: &str) -> Vec<Store> {
        let mut stores = vec![Store::Sqlite];
        stores.extend(fresh(test).map(Store::Postgres));
        stores
    }

    pub fn name(&self) -> &'static str {
        match self {
            Store::Sqlite => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// The bench.toml line that names the store (none for the default).
    pub fn toml(&self) -> String {
        match self {
            Store::Sqlite => String::new(),
            Store::Postgres(db) => format!("store = \"{}\"\n", db.url),
        }
    }

    /// `bench ARGS` in the workspace, with the password in the environment.
    pub fn bench(&self, ws: &Workspace) -> Command {
        let mut cmd = ws.bench();
        if let Store::Postgres(PgDb { password: Some(password), .. }) = self {
            cmd.env("PGPASSWORD", password);
        }
        cmd
    }

    pub fn run(&self, ws: &Workspace, args: &[&str]) -> Output {
        self.bench(ws).args(args).output().unwrap()
    }

    /// Final results with an answer, as (provider, task id), for watching a run from outside.
    pub fn answered(&self, ws: &Workspace) -> Vec<(String, String)> {
        match self {
            Store::Sqlite => {
                let Ok(db) = rusqlite::Connection::open(ws.path().join("results/bench.sqlite")) else {
                    return Vec::new();
                };
                let Ok(mut stmt) = db.prepare("SELECT provider, task_id FROM results WHERE ok = 1") else {
                    return Vec::new();
                };
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
            }
            Store::Postgres(db) => {
                match db.client().query("SELECT provider, task_id FROM results WHERE ok", &[]) {
                    Ok(rows) => rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
                    Err(_) => Vec::new(),
                }
            }
        }
    }
}
