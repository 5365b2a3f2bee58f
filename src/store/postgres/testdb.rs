//! A fresh PostgreSQL database for a test, on the server `BENCH_TEST_POSTGRES` names (a URL whose
//! user may create databases), dropped when the test ends. Without the variable a test is skipped
//! with a message, except in CI (`CI=true`), where it fails: there the server must be there.

use super::PgUrl;
use super::conn::{Conn, Pg};

/// A database of one test's own.
pub struct TestDb {
    admin: PgUrl,
    name: String,
    /// The database's URL.
    pub url: PgUrl,
}

/// A fresh database, or `None` (after saying so) when no server is configured outside CI.
pub fn fresh(test: &str) -> Option<TestDb> {
    let Some(server) = std::env::var("BENCH_TEST_POSTGRES").ok().filter(|v| !v.is_empty()) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: no PostgreSQL (set BENCH_TEST_POSTGRES): CI must test the PostgreSQL store"
        );
        eprintln!("{test}: skipped: no PostgreSQL (set BENCH_TEST_POSTGRES)");
        return None;
    };
    let admin =
        PgUrl::parse(&server, std::env::var("PGPASSWORD").ok()).expect("BENCH_TEST_POSTGRES is a URL");
    let name = format!("bench_unit_{}_{}", std::process::id(), rand::random::<u32>());
    execute(&admin, &format!("CREATE DATABASE {name}"));
    let url = admin.with_database(&name);
    Some(TestDb { admin, name, url })
}

fn execute(url: &PgUrl, sql: &str) {
    let pg = Pg::new(url).expect("a runtime");
    let conn = Conn::open(&pg).expect("the test server answers");
    pg.block(async { conn.client.batch_execute(sql).await.map_err(|e| pg.db(e)) }).expect(sql);
}

impl Drop for TestDb {
    fn drop(&mut self) {
        execute(&self.admin, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}
