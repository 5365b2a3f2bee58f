//! Where the store lives: `OUT/bench.sqlite` (the default, one file per output folder) or a team's
//! PostgreSQL database, named by `--store` or `store = "..."` in bench.toml.

use std::fmt;

pub use super::postgres::PgUrl;

/// The store a command opens.
#[derive(Debug, Clone, Default)]
pub enum Location {
    /// `OUT/bench.sqlite` in the output folder.
    #[default]
    Sqlite,
    /// A PostgreSQL database shared by every machine that names it.
    Postgres(Box<PgUrl>),
}

impl Location {
    /// Read `--store` or bench.toml's `store`: `sqlite` or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`
    /// (`postgresql://` too). Without a password in the URL, `pg_password` (the caller's
    /// `PGPASSWORD`) is used. The error never repeats the text, which may hold a password.
    pub fn parse(text: &str, pg_password: Option<String>) -> Result<Location, String> {
        let text = text.trim();
        if text == "sqlite" {
            return Ok(Location::Sqlite);
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return PgUrl::parse(text, pg_password).map(|url| Location::Postgres(Box::new(url)));
        }
        Err("expected `sqlite` (OUT/bench.sqlite, the default) or a URL postgres://USER@HOST[:PORT]/DB"
            .into())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite => f.write_str("sqlite"),
            Location::Postgres(url) => url.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn sqlite_and_postgres_urls_are_told_apart_and_anything_else_refused() {
        assert!(matches!(Location::parse("sqlite", None), Ok(Location::Sqlite)));
        let pg = Location::parse("postgresql://bench:hunter2@db.internal/nightly", None).expect("a URL");
        assert_eq!(pg.to_string(), "postgres://bench@db.internal:5432/nightly");
        assert!(!format!("{pg:?}").contains("hunter2"), "{pg:?}");
        for bad in ["mysql://bench:hunter2@db/x", "results/bench.sqlite", ""] {
            let err = Location::parse(bad, None).expect_err(bad);
            assert!(err.contains("postgres://USER@HOST"), "{err}");
            assert!(!err.contains("hunter2"), "the text is not repeated: {err}");
        }
    }
}
