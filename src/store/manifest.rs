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
    /// The part of a sharded run this run is (`--shard K/N`); `suites` then describe this part only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardRecord>,
}

/// Which part of a sharded run a run is, and the whole suites it is a part of: what `bench merge`
/// checks to prove that its shards were cut from the same suites and cover every task exactly once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// Which part, from 1 to `count`.
    pub index: u32,
    /// How many parts the run is split into.
    pub count: u32,
    /// Every suite whole, in command-line order: what an unsharded run would record.
    pub suites: Vec<WholeSuite>,
}

/// A suite before it was split into shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WholeSuite {
    /// The suite as an unsharded run records it: every task (after `--limit`), its content hash.
    #[serde(flatten)]
    pub suite: SuiteRecord,
    /// [`task_set_hash`] of every task of the suite: the union of the shards' tasks must have it.
    pub task_set: String,
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

/// sha256 over the (id, fingerprint) pairs of a suite's tasks, whatever their order: equal for a
/// suite and the union of its shards' tasks, which hold them in another order.
pub fn task_set_hash(tasks: impl Iterator<Item = impl std::borrow::Borrow<TaskRecord>>) -> String {
    use sha2::{Digest, Sha256};
    let mut pairs: Vec<(String, String)> = tasks
        .map(|task| {
            let task = task.borrow();
            (task.id.clone(), task.fingerprint.clone())
        })
        .collect();
    pairs.sort_unstable();
    let mut hasher = Sha256::new();
    for (id, fingerprint) in &pairs {
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(fingerprint.as_bytes());
        hasher.update([0]);
    }
    crate::core::hex(&hasher.finalize())
}

impl Manifest {
    /// What differs between this stored manifest and the one a resume would run with, one line per
    /// difference; empty when the resume may go on.
    pub fn differences(&self, asked: &Manifest) -> Vec<String> {
        let mut out = self.setting_differences(asked);
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
        let shard = |m: &Manifest| m.shard.as_ref().map_or("(none)".into(), ShardRecord::label);
        if shard(self) != shard(asked) {
            out.push(format!("--shard: {} -> {}", shard(self), shard(asked)));
        }
        out
    }

    /// What differs between two shards' manifests besides which shard each is, one line per
    /// difference: empty when their answers may be merged into one run. Both must be shards.
    pub fn shard_differences(&self, other: &Manifest) -> Vec<String> {
        let mut out = self.setting_differences(other);
        for now in &other.providers {
            if let Some(then) = self.provider(&now.name)
                && then.price != now.price
            {
                out.push(format!("provider `{}` price: {:?} -> {:?}", now.name, then.price, now.price));
            }
        }
        let (Some(a), Some(b)) = (&self.shard, &other.shard) else {
            out.push("one of the runs is not a shard (made without --shard)".into());
            return out;
        };
        if a.count != b.count {
            out.push(format!("number of shards: {} -> {}", a.count, b.count));
        }
        let names = |s: &ShardRecord| s.suites.iter().map(|w| w.suite.name.clone()).collect::<Vec<_>>();
        if names(a) != names(b) {
            out.push(format!("suites: {} -> {}", names(a).join(" "), names(b).join(" ")));
        }
        for (then, now) in a.suites.iter().zip(&b.suites) {
            let (x, y) = (&then.suite, &now.suite);
            if x.name == y.name && (x.content_hash != y.content_hash || then.task_set != now.task_set) {
                out.push(format!(
                    "suite `{}` differs ({} tasks, content {} -> {} tasks, content {})",
                    y.name,
                    x.tasks,
                    short(&x.content_hash),
                    y.tasks,
                    short(&y.content_hash)
                ));
            }
        }
        out
    }

    /// Options, providers, tag and baseline that differ between `self` and `other`.
    fn setting_differences(&self, asked: &Manifest) -> Vec<String> {
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
        out
    }

    /// The provider snapshot with this name.
    pub fn provider(&self, name: &str) -> Option<&ProviderSnapshot> {
        self.providers.iter().find(|p| p.name == name)
    }

    /// The run as it would be unsharded: the whole suites, no shard (itself when it is not a shard).
    pub fn unsharded(&self) -> Manifest {
        let suites = match &self.shard {
            Some(shard) => shard.suites.iter().map(|w| w.suite.clone()).collect(),
            None => self.suites.clone(),
        };
        Manifest { suites, shard: None, ..self.clone() }
    }

    /// Items the run must answer: tasks x providers x samples.
    pub fn items(&self) -> u64 {
        let tasks: usize = self.suites.iter().map(|s| s.tasks).sum();
        tasks as u64 * self.providers.len() as u64 * u64::from(self.options.samples)
    }
}

impl ShardRecord {
    /// `K/N`, as `--shard` takes it.
    pub fn label(&self) -> String {
        format!("{}/{}", self.index, self.count)
    }
}

/// The first characters of a hash, enough to tell two apart in a message.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
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

    fn manifest(tag: Option<&str>) -> super::Manifest {
        super::Manifest {
            format: super::MANIFEST_FORMAT,
            bench_version: "test".into(),
            baseline: "p".into(),
            options: crate::core::RunOptions::default(),
            providers: vec![snapshot("https://one.example/v1")],
            suites: Vec::new(),
            tag: tag.map(String::from),
            shard: None,
        }
    }

    #[test]
    fn a_resume_under_another_tag_is_refused() {
        let manifest = manifest(Some("nightly"));
        assert!(manifest.differences(&manifest.clone()).is_empty());
        let other = super::Manifest { tag: None, ..manifest.clone() };
        assert_eq!(manifest.differences(&other), ["--tag: nightly -> (none)"]);
    }

    #[test]
    fn a_shard_is_an_additive_field_and_its_task_set_ignores_order() {
        let manifest = manifest(None);
        let json = serde_json::to_value(&manifest).unwrap();
        assert!(json.get("shard").is_none(), "an unsharded run's manifest reads as before: {json}");
        let back: super::Manifest = serde_json::from_value(json).unwrap();
        assert_eq!(back, manifest);

        let record = |id: &str| super::TaskRecord {
            suite: "s".into(),
            id: id.into(),
            family: "custom".into(),
            category: None,
            fingerprint: format!("fp-{id}"),
            meta: serde_json::Value::Null,
        };
        let (a, b, c) = (record("a"), record("b"), record("c"));
        let set = |tasks: &[&super::TaskRecord]| super::task_set_hash(tasks.iter().copied());
        assert_eq!(set(&[&a, &b, &c]), set(&[&c, &a, &b]));
        assert_ne!(set(&[&a, &b, &c]), set(&[&a, &b]));
        let changed = super::TaskRecord { fingerprint: "other".into(), ..c.clone() };
        assert_ne!(set(&[&a, &b, &c]), set(&[&a, &b, &changed]));
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
