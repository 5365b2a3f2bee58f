//! The canary (`bench run --canary`): five short questions with one right answer each, asked of every
//! provider at temperature 0 after the run, without the response cache. The answers and a hash of
//! them are kept with the run; when the same questions get other answers on a later night, the model
//! behind the name probably changed, even if the scores did not move, and `bench regress` says so.
//!
//! The canary goes through the same engine as the run (limits, retries, the circuit breaker) but its
//! answers are not part of the run's results: they would move its scores, costs and latencies.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::errors::{Error, Result};
use super::session::Session;
use crate::config::ProviderSpec;
use crate::core::RunOptions;
use crate::families::{SuiteSpec, custom};
use crate::provider::{self, Provider};
use crate::run::{Plan, RunEvent, Sink, SinkClosed};
use crate::store::CanaryRecord;

/// The canary prompts: custom-family tasks, bundled in the binary (not a suite `--suite` can name).
const CANARY: &str = include_str!("../../suites/canary.jsonl");

/// How the canary ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CanaryEnd {
    /// Every provider was asked; those that answered every question have their record saved.
    Done,
    /// Ctrl-C or a signal stopped it; nothing was saved.
    Interrupted,
}

/// Every final answer of the canary run: (provider, task id) -> the answer text, or `None` for an
/// infrastructure failure.
#[derive(Default)]
struct Answers(Mutex<BTreeMap<(String, String), Option<String>>>);

impl Sink for Answers {
    fn event(&self, event: &RunEvent) -> std::result::Result<(), SinkClosed> {
        if let RunEvent::Result(result) = event {
            let answer = result.outcome.as_ref().ok().map(|o| folded(&o.text));
            let mut answers = self.0.lock().map_err(|_| SinkClosed("the canary answers were lost".into()))?;
            answers.insert((result.key.provider.clone(), result.key.task_id.clone()), answer);
        }
        Ok(())
    }
}

/// `text` trimmed, with every run of whitespace made one space: a line break more is not drift.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// sha256 (hex) of the answers in task-id order.
pub fn fingerprint(answers: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (id, answer) in answers {
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(answer.as_bytes());
        hasher.update([0]);
    }
    crate::core::hex(&hasher.finalize())
}

/// The canary as a suite of the custom family.
fn spec() -> SuiteSpec {
    SuiteSpec {
        family: custom::NAME.into(),
        path: "canary (bundled)".into(),
        name: "canary".into(),
        bundled: Some(CANARY),
        repos: None,
        max_context: None,
        source: "canary".into(),
    }
}

/// Ask `specs` the canary questions and save, for run `run_id`, the answers of every provider that
/// answered them all; say on stderr what was kept and what was not.
pub fn record(session: &Session, run_id: &str, specs: &[ProviderSpec]) -> Result<CanaryEnd> {
    let tasks =
        session.families.load(&spec()).map_err(|e| Error::Internal(format!("the bundled canary: {e}")))?;
    let questions = tasks.len();
    let options = RunOptions { temperature: Some(0.0), use_cache: false, ..RunOptions::default() };
    let plan = Plan::make(tasks, specs.to_vec(), options, &HashSet::new(), None)?;
    let providers: Vec<Arc<dyn Provider>> =
        specs.iter().map(provider::connect).collect::<std::result::Result<_, _>>().map_err(Error::usage)?;
    eprintln!("canary: {questions} questions x {} providers at temperature 0", specs.len());
    let answers = Arc::new(Answers::default());
    let sink: Arc<dyn Sink> = Arc::clone(&answers) as Arc<dyn Sink>;
    let report = session.engine().run(plan, providers, Vec::new(), sink).map_err(Error::Internal)?;
    if report.interrupted {
        return Ok(CanaryEnd::Interrupted);
    }
    let answers = answers.0.lock().map_err(|_| Error::Internal("the canary answers were lost".into()))?;
    let mut records = Vec::new();
    for spec in specs {
        let mine: Vec<(&String, &Option<String>)> =
            answers.iter().filter(|((p, _), _)| *p == spec.name).map(|((_, id), a)| (id, a)).collect();
        let answered: BTreeMap<String, String> =
            mine.iter().filter_map(|(id, a)| a.as_ref().map(|a| ((*id).clone(), a.clone()))).collect();
        if answered.len() < questions {
            eprintln!(
                "canary: `{}` answered {} of {questions} questions; no fingerprint kept for it",
                spec.name,
                answered.len()
            );
            continue;
        }
        let record = CanaryRecord {
            provider: spec.name.clone(),
            fingerprint: fingerprint(&answered),
            answers: answered,
        };
        let short = record.fingerprint.get(..12).unwrap_or(&record.fingerprint);
        eprintln!("canary: `{}` fingerprint {short}", spec.name);
        records.push(record);
    }
    session.store.save_canaries(run_id, &records)?;
    Ok(CanaryEnd::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_the_answers_not_their_spacing() {
        let answers = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(id, a)| (id.to_string(), folded(a))).collect()
        };
        let a = answers(&[("c1", "Canberra"), ("c2", "1591")]);
        assert_eq!(fingerprint(&a), fingerprint(&answers(&[("c2", " 1591\n"), ("c1", "Canberra")])));
        assert_ne!(fingerprint(&a), fingerprint(&answers(&[("c1", "Canberra."), ("c2", "1591")])));
        assert_ne!(fingerprint(&a), fingerprint(&answers(&[("c1", "Canberra1591"), ("c2", "")])));
        assert_eq!(fingerprint(&a).len(), 64);
    }

    #[test]
    fn the_bundled_canary_loads_as_five_custom_tasks() {
        let registry = crate::families::Registry::new(crate::families::FamilyContext::default());
        let tasks = registry.load(&spec()).unwrap();
        assert_eq!(tasks.len(), 5);
        assert!(tasks.iter().all(|t| t.suite == "canary" && t.max_tokens.is_some()));
    }
}
