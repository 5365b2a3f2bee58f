//! Integration tests: the real `bench` binary against loopback servers started by the tests.
//! One test binary (ripgrep's layout) keeps link time down on a 2-core machine.

#![allow(clippy::unwrap_used, reason = "tests: a failure should panic with the value")]

mod pg;
mod server;

mod bfcl;
mod cli;
mod compare;
mod context;
mod failures;
mod importers;
mod inputs;
#[cfg(feature = "local")]
mod local;
mod math;
mod mcp;
mod mutate;
mod nightly;
mod repair;
mod report_formats;
mod reports;
mod resume;
mod runs;
mod shards;
mod stops;
mod stores;
mod suites;
mod tools;
mod wire;
mod wiring;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary working folder with helpers to write files and run `bench` inside it.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// A `bench` command in this folder with no provider keys in its environment except `TEST_KEY`.
    pub fn bench(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bench"));
        cmd.current_dir(self.dir.path());
        for (key, _) in std::env::vars() {
            if key.ends_with("_API_KEY") || key == "RUST_LOG" {
                cmd.env_remove(key);
            }
        }
        cmd.env("TEST_KEY", "sk-test-secret-0123456789").env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.bench().args(args).output().unwrap()
    }

    /// The summary.json of the newest run in `results/`.
    pub fn summary(&self) -> serde_json::Value {
        let run_id: String = self
            .db()
            .query_row("SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let path = self.dir.path().join("results").join(run_id).join("summary.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// Open the results database for assertions.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("results/bench.sqlite")).unwrap()
    }
}

/// bench.toml text for an Anthropic-protocol provider `a` and an OpenAI-protocol provider `o` on `url`.
pub fn two_providers(url: &str, extra: &str) -> String {
    format!(
        "[providers.a]\nprotocol = \"anthropic\"\nbase_url = \"{url}\"\nmodel = \"claude-test\"\napi_key_env = \"TEST_KEY\"\n{extra}\n[providers.a.price]\ninput = 3.0\noutput = 15.0\ncache_read = 0.3\n\n[providers.o]\nprotocol = \"openai\"\nbase_url = \"{url}/v1\"\nmodel = \"gpt-test\"\napi_key_env = \"TEST_KEY\"\n{extra}\n[providers.o.price]\ninput = 1.0\noutput = 2.0\ncurrency = \"CNY\"\n"
    )
}

/// A suite of `n` arithmetic prompts `What is i + i?` with number matching.
pub fn arithmetic_suite(n: usize) -> String {
    (1..=n)
        .map(|i| format!("{{\"id\": \"q{i}\", \"prompt\": \"What is {i} + {i}?\", \"expected\": \"{}\", \"match\": \"number\"}}\n", 2 * i))
        .collect()
}

/// The right answer to an arithmetic prompt, parsed from the prompt text.
pub fn right_answer(prompt: &str) -> String {
    let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    format!("The answer is {}.", 2 * n)
}

/// Whether `tool` runs here (`tool --version`). Outside CI a missing tool skips the check with a
/// message; in CI (CI=true) it fails the test: CI never skips a check (scripts/test.sh installs them).
pub fn tool_present(tool: &str, package: &str, skipped: &str) -> bool {
    let present =
        std::process::Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must have {tool}: install Debian's {package} (scripts/test.sh does)"
        );
        eprintln!("SKIPPED: {tool} is not installed (apt-get install {package}); {skipped}");
    }
    present
}

/// Validate the JUnit XML file at `path` against the JUnit schema CI systems read (Jenkins'
/// junit-10.xsd, in tests/schemas) with xmllint.
pub fn assert_valid_junit(path: &std::path::Path) {
    if !tool_present("xmllint", "libxml2-utils", "the JUnit file was not validated") {
        return;
    }
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/junit-10.xsd");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{} is not valid JUnit:\n{}", path.display(), stderr(&out));
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
