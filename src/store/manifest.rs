//! The run manifest: what a run was asked to do, written once when it starts, so that every later
//! command (`report`, `--resume`, `runs`) works from the store alone, without `bench.toml` or the
//! suite files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::{Price, Protocol, ProviderSpec};
use crate::core::{RunOptions, Task};

/// Version of the manifest's JSON shape; bumped when a field changes meaning.
pub const MANIFEST_FORMAT: u32 = 1;

/// Everything a run started with, except the tasks (stored as rows, see [`TaskRecord`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`] when written.
    pub format: u32,
    /// The bench release that started the run.
    pub bench_version: String,
    /// The provider the others are compared with.
    pub baseline: String,
    /// Samples, vote, budgets, cache, limit.
    pub options: RunOptions,
    /// The providers as resolved when the run started, in command-line order (never a key).
    pub providers: Vec<ProviderSnapshot>,
    /// The suites, in command-line order.
    pub suites: Vec<SuiteRecord>,
    /// The series the run belongs to (`--tag`): what `bench regress --against latest:TAG` and
    /// `bench history --tag` look for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// A provider's resolved settings as the run used them. Header values and credentials in the base URL
/// are masked and keys are never part of a spec, so a snapshot can be printed and shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderSnapshot {
    /// Name on the command line and in reports.
    pub name: String,
    /// Wire protocol or engine.
    pub protocol: Protocol,
    /// Base URL (empty for providers that are not reached over HTTP), credentials masked: a changed
    /// host, port or path still shows in [`Manifest::differences`], a changed password does not.
    #[serde(default)]
    pub base_url: String,
    /// Model id the requests named.
    pub model: String,
    /// Extra body fields, which can change the answers (thinking switches).
    #[serde(default)]
    pub extra_body: serde_json::Map<String, serde_json::Value>,
    /// Replay file.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Local model file.
    #[serde(default)]
    pub model_path: Option<PathBuf>,
    /// Prices when the run started.
    #[serde(default)]
    pub price: Option<Price>,
    /// Every other setting (limits, timeouts, streaming...), kept for the record.
    #[serde(flatten)]
    pub settings: serde_json::Map<String, serde_json::Value>,
}

impl ProviderSnapshot {
    /// The snapshot of a resolved spec.
    pub fn of(spec: &ProviderSpec) -> Result<ProviderSnapshot, serde_json::Error> {
        serde_json::to_value(spec).and_then(serde_json::from_value)
    }

    /// Currency code of the provider's costs.
    pub fn currency(&self) -> &'static str {
        self.price.as_ref().map(|p| p.currency).unwrap_or_default().code()
    }

    /// What decides who answers: protocol, endpoint, model, body extras and local files. Two snapshots
    /// with the same identity give answers that may be merged into one run.
    fn identity(&self) -> [(&'static str, String); 6] {
        [
            ("protocol", self.protocol.as_str().to_string()),
            // Masked again: a run stored before base URLs were masked may hold the credentials.
            ("base_url", crate::config::masked_url(&self.base_url)),
            ("model", self.model.clone()),
            ("extra_body", serde_json::Value::Object(self.extra_body.clone()).to_string()),
            ("path", format!("{:?}", self.path)),
            ("model_path", format!("{:?}", self.model_path)),
        ]
    }
}

/// One suite of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteRecord {
    /// Name in reports.
    pub name: String,
    /// Family that loaded it.
    pub family: String,
    /// How to load it again: a bundled suite's name or `FAMILY:ABSOLUTE_PATH`.
    pub source: String,
    /// `--repos` for SWE-bench suites.
    #[serde(default)]
    pub repos: Option<PathBuf>,
    /// `--max-context` for the bundled long-context grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_context: Option<u64>,
    /// Tasks of the suite in the run (after `--limit`).
    pub tasks: usize,
    /// sha256 over the fingerprints of those tasks, in order: any change to what is asked changes it.
    pub content_hash: String,
}

/// One task of the run, as stored: enough to report on it without its suite file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Suite name.
    pub suite: String,
    /// Task id within the suite.
    pub id: String,
    /// Family that scores it.
    pub family: String,
    /// Category for breakdowns.
    pub category: Option<String>,
    /// sha256 of what is asked ([`Task::fingerprint`]); empty for runs stored before manifests.
    pub fingerprint: String,
    /// The family's own metadata.
    pub meta: serde_json::Value,
}

impl TaskRecord {
    /// The record of a task.
    pub fn of(task: &Task) -> TaskRecord {
        TaskRecord {
            suite: task.suite.clone(),
            id: task.id.clone(),
            family: task.family.clone(),
            category: task.category.clone(),
            fingerprint: task.fingerprint(),
            meta: task.meta.clone(),
        }
    }
}

/// sha256 over the fingerprints of a suite's tasks, in order (records or references to them, so a
/// caller can make the records one at a time).
pub fn content_hash(tasks: impl Iterator<Item = impl std::borrow::Borrow<TaskRecord>>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for task in tasks {
        let task = task.borrow();
        hasher.update(task.id.as_bytes());
        hasher.update([0]);
        hasher.update(task.fingerprint.as_bytes());
        hasher.update([0]);
    }
    crate::core::hex(&hasher.finalize())
}

impl Manifest {
    /// What differs between this stored manifest and the one a resume would run with, one line per
    /// difference; empty when the resume may go on.
    pub fn differences(&self, asked: &Manifest) -> Vec<String> {
        let mut out = self.options.differences(&asked.options);
        let names = |m: &Manifest| m.providers.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        if names(self) != names(asked) {
            out.push(format!("providers: {} -> {}", names(self).join(" "), names(asked).join(" ")));
        }
        let stored: BTreeMap<&str, &ProviderSnapshot> =
            self.providers.iter().map(|p| (p.name.as_str(), p)).collect();
        for now in &asked.providers {
            if let Some(then) = stored.get(now.name.as_str()) {
                for ((field, a), (_, b)) in then.identity().iter().zip(now.identity().iter()) {
                    if a != b {
                        out.push(format!("provider `{}` {field}: {a} -> {b}", now.name));
                    }
                }
            }
        }
        if self.tag != asked.tag {
            let show = |tag: &Option<String>| tag.clone().unwrap_or_else(|| "(none)".into());
            out.push(format!("--tag: {} -> {}", show(&self.tag), show(&asked.tag)));
        }
        if self.baseline != asked.baseline {
            out.push(format!("--baseline: {} -> {}", self.baseline, asked.baseline));
        }
        let suites = |m: &Manifest| m.suites.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        if suites(self) != suites(asked) {
            out.push(format!("suites: {} -> {}", suites(self).join(" "), suites(asked).join(" ")));
        }
        for (then, now) in self.suites.iter().zip(&asked.suites) {
            if then.name == now.name && then.content_hash != now.content_hash {
                out.push(format!(
                    "suite `{}` changed since the run started ({} tasks then, {} now, or their contents)",
                    now.name, then.tasks, now.tasks
                ));
            }
        }
        out
    }

    /// The provider snapshot with this name.
    pub fn provider(&self, name: &str) -> Option<&ProviderSnapshot> {
        self.providers.iter().find(|p| p.name == name)
    }

    /// Items the run must answer: tasks x providers x samples.
    pub fn items(&self) -> u64 {
        let tasks: usize = self.suites.iter().map(|s| s.tasks).sum();
        tasks as u64 * self.providers.len() as u64 * u64::from(self.options.samples)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::config::Config;

    use super::ProviderSnapshot;

    fn snapshot(base_url: &str) -> ProviderSnapshot {
        let text = format!("[providers.p]\npreset = \"kimi\"\nbase_url = \"{base_url}\"\n");
        ProviderSnapshot::of(&Config::parse(&text, "bench.toml").unwrap().provider("p").unwrap()).unwrap()
    }

    #[test]
    fn a_resume_under_another_tag_is_refused() {
        let manifest = super::Manifest {
            format: super::MANIFEST_FORMAT,
            bench_version: "test".into(),
            baseline: "p".into(),
            options: crate::core::RunOptions::default(),
            providers: vec![snapshot("https://one.example/v1")],
            suites: Vec::new(),
            tag: Some("nightly".into()),
        };
        assert!(manifest.differences(&manifest.clone()).is_empty());
        let other = super::Manifest { tag: None, ..manifest.clone() };
        assert_eq!(manifest.differences(&other), ["--tag: nightly -> (none)"]);
    }

    #[test]
    fn a_masked_base_url_still_tells_endpoints_apart() {
        let then = snapshot("https://bob:s3cret@one.example/v1");
        assert_eq!(then.base_url, "https://***:***@one.example/v1");
        assert!(!serde_json::to_string(&then).unwrap().contains("s3cret"));
        let moved = snapshot("https://bob:s3cret@two.example/v1");
        let differ = |a: &ProviderSnapshot, b: &ProviderSnapshot| {
            a.identity().iter().zip(b.identity().iter()).filter(|(x, y)| x != y).count()
        };
        assert_eq!(differ(&then, &moved), 1, "another host is another endpoint");
        assert_eq!(
            differ(&then, &snapshot("https://bob:new-pass@one.example/v1")),
            0,
            "a new password is not"
        );
        let mut stored_raw = then.clone();
        stored_raw.base_url = "https://bob:s3cret@one.example/v1".into();
        assert_eq!(differ(&stored_raw, &then), 0, "a run stored unmasked still resumes");
    }
}
