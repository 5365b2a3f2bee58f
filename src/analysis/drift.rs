//! Drift: what says the thing behind a provider's name changed between two runs, even when the scores
//! did not move. The model id asked for (the configuration), the model ids the answers reported (an
//! alias re-pointed by the provider), the set of `system_fingerprint`s they carried, and the answers
//! to the canary questions at temperature 0 (`bench run --canary`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::store::{CanaryRecord, Manifest, Reads, StoreError};

/// Canary answers quoted in a drift message, at most this many characters each.
const QUOTED: usize = 40;

/// Changed canary answers quoted in a drift message; the rest are counted.
const QUOTED_CHANGES: usize = 2;

/// What one provider was in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    /// The provider's name.
    pub provider: String,
    /// The model id the requests named.
    pub configured_model: String,
    /// Successful answers: without any, the run says nothing about what answered.
    pub answers: u64,
    /// The model ids the answers reported.
    pub reported_models: BTreeSet<String>,
    /// The `system_fingerprint`s the answers carried.
    pub fingerprints: BTreeSet<String>,
    /// The canary answers, when the run asked them.
    pub canary: Option<CanaryRecord>,
}

impl Identity {
    /// What each provider of run `run_id` (with its `manifest`) was, read through `store`.
    pub fn load(store: &dyn Reads, run_id: &str, manifest: &Manifest) -> Result<Vec<Identity>, StoreError> {
        let reported = store.reported_models(run_id)?;
        let mut canaries = store.canaries(run_id)?;
        let identities = manifest.providers.iter().map(|p| {
            let mut identity = Identity {
                provider: p.name.clone(),
                configured_model: p.model.clone(),
                canary: canaries.iter().position(|c| c.provider == p.name).map(|i| canaries.swap_remove(i)),
                ..Identity::default()
            };
            for row in reported.iter().filter(|r| r.provider == p.name) {
                identity.answers += row.answers;
                identity.reported_models.extend(row.model.clone());
                identity.fingerprints.extend(row.system_fingerprint.clone());
            }
            identity
        });
        Ok(identities.collect())
    }
}

/// What kind of change a [`Drift`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// The configuration asks for another model id.
    ConfiguredModel,
    /// The answers report other model ids.
    ReportedModel,
    /// The answers carry another set of system fingerprints.
    SystemFingerprint,
    /// The canary questions got other answers.
    Canary,
}

/// One change between the runs, said for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift {
    /// The provider.
    pub provider: String,
    /// What changed.
    pub kind: DriftKind,
    /// What it was.
    pub before: String,
    /// What it is.
    pub after: String,
    /// The whole change in a sentence.
    pub message: String,
}

/// Every change between providers of the same name in the two runs, in `before`'s order.
pub fn drift(before: &[Identity], after: &[Identity]) -> Vec<Drift> {
    let mut out = Vec::new();
    for was in before {
        let Some(now) = after.iter().find(|a| a.provider == was.provider) else { continue };
        let mut push = |kind, what: &str, before: String, after: String, detail: String| {
            let message = format!("{}: {what} changed: {before} → {after}{detail}", was.provider);
            out.push(Drift { provider: was.provider.clone(), kind, before, after, message });
        };
        if was.configured_model != now.configured_model {
            let (a, b) = (was.configured_model.clone(), now.configured_model.clone());
            push(DriftKind::ConfiguredModel, "the model asked for", a, b, String::new());
        }
        if was.answers > 0 && now.answers > 0 {
            if was.reported_models != now.reported_models {
                let (a, b) = (listed(&was.reported_models), listed(&now.reported_models));
                push(DriftKind::ReportedModel, "the model the provider reported", a, b, String::new());
            }
            if was.fingerprints != now.fingerprints {
                let (a, b) = (listed(&was.fingerprints), listed(&now.fingerprints));
                push(DriftKind::SystemFingerprint, "the system_fingerprint set", a, b, String::new());
            }
        }
        if let (Some(a), Some(b)) = (&was.canary, &now.canary)
            && a.fingerprint != b.fingerprint
        {
            let changed = canary_changes(a, b);
            let asked = a.answers.len().max(b.answers.len());
            let mut listed = changed.iter().take(QUOTED_CHANGES).cloned().collect::<Vec<_>>().join("; ");
            if changed.len() > QUOTED_CHANGES {
                listed.push_str(&format!("; and {} more", changed.len() - QUOTED_CHANGES));
            }
            let detail = format!(" ({} of {asked} questions: {listed})", changed.len());
            let short = |r: &CanaryRecord| r.fingerprint.chars().take(12).collect::<String>();
            push(DriftKind::Canary, "the canary answers", short(a), short(b), detail);
        }
    }
    out
}

/// The canary questions whose answers differ: `id: "old" → "new"`.
fn canary_changes(before: &CanaryRecord, after: &CanaryRecord) -> Vec<String> {
    let ids: BTreeSet<&String> = before.answers.keys().chain(after.answers.keys()).collect();
    let quoted = |r: &CanaryRecord, id: &String| match r.answers.get(id) {
        Some(answer) if answer.chars().count() > QUOTED => {
            format!("\"{}…\"", answer.chars().take(QUOTED).collect::<String>())
        }
        Some(answer) => format!("\"{answer}\""),
        None => "(not asked)".into(),
    };
    ids.into_iter()
        .filter(|id| before.answers.get(*id) != after.answers.get(*id))
        .map(|id| format!("{id}: {} → {}", quoted(before, id), quoted(after, id)))
        .collect()
}

/// A set as `a, b, c`, at most three named then how many more; `none` when empty.
fn listed(values: &BTreeSet<String>) -> String {
    if values.is_empty() {
        return "none".into();
    }
    let mut text = values.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if values.len() > 3 {
        text.push_str(&format!(" and {} more", values.len() - 3));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(
        model: &str,
        reported: &[&str],
        fingerprints: &[&str],
        canary: Option<&[(&str, &str)]>,
    ) -> Identity {
        Identity {
            provider: "kimi".into(),
            configured_model: model.into(),
            answers: 10,
            reported_models: reported.iter().map(|s| s.to_string()).collect(),
            fingerprints: fingerprints.iter().map(|s| s.to_string()).collect(),
            canary: canary.map(|answers| {
                let answers: std::collections::BTreeMap<String, String> =
                    answers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                CanaryRecord { provider: "kimi".into(), fingerprint: format!("{answers:?}"), answers }
            }),
        }
    }

    #[test]
    fn the_same_provider_twice_has_no_drift() {
        let a = identity("k2", &["k2-0905"], &["fp_1"], Some(&[("c1", "Canberra")]));
        let same = std::slice::from_ref(&a);
        assert!(drift(same, same).is_empty());
    }

    #[test]
    fn each_change_is_named_with_what_it_was_and_is() {
        let a = identity("k2", &["k2-0905"], &["fp_1", "fp_2"], Some(&[("c1", "Canberra"), ("c2", "1591")]));
        let b = identity("k2", &["k2-1120"], &["fp_3"], Some(&[("c1", "Canberra"), ("c2", "1592")]));
        let found = drift(&[a], &[b]);
        let kinds: Vec<DriftKind> = found.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [DriftKind::ReportedModel, DriftKind::SystemFingerprint, DriftKind::Canary]);
        assert_eq!(found[0].message, "kimi: the model the provider reported changed: k2-0905 → k2-1120");
        assert_eq!((found[1].before.as_str(), found[1].after.as_str()), ("fp_1, fp_2", "fp_3"));
        let canary = &found[2].message;
        assert!(canary.starts_with("kimi: the canary answers changed: "), "{canary}");
        assert!(canary.ends_with("(1 of 2 questions: c2: \"1591\" → \"1592\")"), "{canary}");
        assert!(!found[2].message.contains("c1:"), "{}", found[2].message);
    }

    #[test]
    fn a_run_without_answers_or_canary_says_nothing_about_them() {
        let a = identity("k2", &["k2-0905"], &["fp_1"], None);
        let mut b = identity("k3", &[], &[], Some(&[("c1", "x")]));
        b.answers = 0;
        let found = drift(&[a], &[b]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, DriftKind::ConfiguredModel);
        let many: BTreeSet<String> = (1..=5).map(|i| format!("fp_{i}")).collect();
        assert_eq!(listed(&many), "fp_1, fp_2, fp_3 and 2 more");
    }
}
