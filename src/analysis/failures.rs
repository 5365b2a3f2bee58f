//! The failure taxonomy: why answers failed, with infrastructure failures (the request or the scorer
//! broke: no verdict, never scored) kept apart from capability failures (the model answered and the
//! answer failed: scored as a failure). The mapping from what each family records to a class is
//! [`capability_failure`], the one place it is defined.
//!
//! Infrastructure classes are the error classes as stored: the provider's (`rate_limited`,
//! `overloaded`, `server`, `timeout`, `network`, `truncated_stream`, `bad_response`, `auth`,
//! `invalid_request`, `quota_exhausted`), a tool environment's (`environment`) and the scorer's own
//! (`sandbox_error`, `bad_task`, `unknown_family`). Capability classes are [`Capability`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::RunView;
use crate::provider::ErrorClass;
use crate::store::ResultRow;

/// Why a scored answer failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Capability {
    /// The provider said the model declined (stop reason `refusal` or `content_filter`).
    Refusal,
    /// The task did not fit the provider's context window (error class `context_too_long`).
    ContextExceeded,
    /// An episode was cut at its step limit.
    StepLimit,
    /// A tool call was not valid: bad JSON, an unknown tool, arguments that break the schema, a
    /// missing required or unexpected parameter.
    InvalidToolCall,
    /// A code-repair patch that did not apply (or touched what it must not).
    PatchNotApplied,
    /// The answer held nothing the scorer could read: no final answer, no patch.
    NoAnswer,
    /// Any other failed answer: the scorer's detail names no more specific reason.
    WrongAnswer,
}

impl Capability {
    /// The class name, as `summary.json` and the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Refusal => "refusal",
            Capability::ContextExceeded => "context_exceeded",
            Capability::StepLimit => "step_limit",
            Capability::InvalidToolCall => "invalid_tool_call",
            Capability::PatchNotApplied => "patch_not_applied",
            Capability::NoAnswer => "no_answer",
            Capability::WrongAnswer => "wrong_answer",
        }
    }
}

/// BFCL checker errors that say a call was malformed rather than wrong: arguments that are not a JSON
/// object, a type that breaks the schema, a required parameter missing or one that does not exist.
fn is_invalid_call(error_type: &str) -> bool {
    error_type.starts_with("ast_decoder:")
        || error_type.starts_with("type_error:")
        || error_type.ends_with(":missing_required")
        || error_type.ends_with(":unexpected_param")
}

/// The capability class of one result, or `None` when it passed, was not scored, or failed for
/// infrastructure reasons. The first reason that applies wins, most specific first: a refusal, the
/// context window, the step limit, an invalid tool call, a patch that did not apply, no answer, and
/// otherwise a wrong answer.
pub fn capability_failure(row: &ResultRow) -> Option<Capability> {
    if row.error_class.as_deref() == Some(ErrorClass::ContextTooLong.as_str()) {
        return Some(Capability::ContextExceeded);
    }
    if row.error_class.is_some() || row.scorer_error.is_some() || row.passed != Some(false) {
        return None;
    }
    let facts = &row.failure;
    let class = facts.class.as_deref();
    Some(if facts.refusal.is_some() {
        Capability::Refusal
    } else if row.tool_use.is_some_and(|t| t.step_limit_hit) {
        Capability::StepLimit
    } else if row.tool_use.is_some_and(|t| t.invalid > 0)
        || facts.error_type.as_deref().is_some_and(is_invalid_call)
    {
        Capability::InvalidToolCall
    } else if matches!(class, Some("patch_failed" | "unsafe_patch")) {
        Capability::PatchNotApplied
    } else if class == Some("no_patch") || facts.method.as_deref() == Some("none") {
        Capability::NoAnswer
    } else {
        Capability::WrongAnswer
    })
}

/// One provider's failures, over the run (`suite` is `all`) or one suite, counted in answers (items
/// with a final result: task × sample).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FailureSummary {
    /// Provider name.
    pub provider: String,
    /// Suite name, or `all`.
    pub suite: String,
    /// Items with a final result (scored, failed or lost).
    pub items: usize,
    /// Items lost to infrastructure failures: no verdict, not scored.
    pub infrastructure_total: usize,
    /// The same by class.
    pub infrastructure: BTreeMap<String, usize>,
    /// Items answered and scored as failures.
    pub capability_total: usize,
    /// The same by [`Capability`] class.
    pub capability: BTreeMap<String, usize>,
}

impl FailureSummary {
    fn add(&mut self, infrastructure: Option<&str>, capability: Option<&str>) {
        self.items += 1;
        if let Some(class) = infrastructure {
            self.infrastructure_total += 1;
            *self.infrastructure.entry(class.to_string()).or_default() += 1;
        }
        if let Some(class) = capability {
            self.capability_total += 1;
            *self.capability.entry(class.to_string()).or_default() += 1;
        }
    }
}

/// Per provider (in the manifest's order) the failures over the whole run, then per suite when the
/// run has several.
pub fn failure_summaries(view: &RunView) -> Vec<FailureSummary> {
    // By (provider, suite) name numbers: every row is visited once.
    let mut sums: BTreeMap<(u32, u32), FailureSummary> = BTreeMap::new();
    for row in &view.rows {
        let Some(task) = view.tasks.get(row.task as usize) else { continue };
        let infrastructure = match (row.failure, row.error_class.or(row.scorer_error)) {
            (None, Some(class)) => Some(view.name(class)),
            _ => None,
        };
        let capability = row.failure.map(|c| view.name(c));
        sums.entry((row.provider.number(), task.suite.number())).or_default().add(infrastructure, capability);
    }
    let several_suites = view.manifest.suites.len() > 1;
    let mut out = Vec::new();
    for snapshot in &view.manifest.providers {
        let provider = view.find_name(&snapshot.name);
        let of_provider = |suite: Option<u32>| {
            let mut total = FailureSummary::default();
            for ((p, s), sum) in &sums {
                if Some(*p) == provider.map(|n| n.number()) && suite.is_none_or(|suite| suite == *s) {
                    total.items += sum.items;
                    total.infrastructure_total += sum.infrastructure_total;
                    total.capability_total += sum.capability_total;
                    merge(&mut total.infrastructure, &sum.infrastructure);
                    merge(&mut total.capability, &sum.capability);
                }
            }
            total
        };
        out.push(FailureSummary {
            provider: snapshot.name.clone(),
            suite: "all".into(),
            ..of_provider(None)
        });
        for suite in view.manifest.suites.iter().filter(|_| several_suites) {
            let Some(name) = view.find_name(&suite.name) else { continue };
            out.push(FailureSummary {
                provider: snapshot.name.clone(),
                suite: suite.name.clone(),
                ..of_provider(Some(name.number()))
            });
        }
    }
    out
}

fn merge(into: &mut BTreeMap<String, usize>, from: &BTreeMap<String, usize>) {
    for (class, n) in from {
        *into.entry(class.clone()).or_default() += n;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::analysis::result_row;
    use crate::store::{FailureFacts, ToolUse};

    fn failed(facts: FailureFacts) -> ResultRow {
        let mut row = result_row("s", "1", "kimi", Some(0.0), None);
        row.failure = facts;
        row
    }

    fn facts(class: Option<&str>, error_type: Option<&str>, method: Option<&str>) -> FailureFacts {
        FailureFacts {
            class: class.map(String::from),
            error_type: error_type.map(String::from),
            method: method.map(String::from),
            refusal: None,
        }
    }

    #[test]
    fn each_familys_detail_maps_to_one_class() {
        let class = |row: &ResultRow| capability_failure(row).map(Capability::as_str);
        // Custom and long context: a failed answer whose detail names nothing specific.
        assert_eq!(class(&failed(FailureFacts::default())), Some("wrong_answer"));
        // Math: no final answer found, or a wrong one.
        assert_eq!(class(&failed(facts(None, None, Some("none")))), Some("no_answer"));
        assert_eq!(class(&failed(facts(None, None, Some("numeric")))), Some("wrong_answer"));
        // Code repair.
        assert_eq!(class(&failed(facts(Some("patch_failed"), None, None))), Some("patch_not_applied"));
        assert_eq!(class(&failed(facts(Some("unsafe_patch"), None, None))), Some("patch_not_applied"));
        assert_eq!(class(&failed(facts(Some("no_patch"), None, None))), Some("no_answer"));
        assert_eq!(class(&failed(facts(Some("tests_failed"), None, None))), Some("wrong_answer"));
        // Function calling: a malformed call against a wrong one.
        for invalid in
            ["type_error:simple", "simple_function_checker:missing_required", "ast_decoder:decoder_failed"]
        {
            assert_eq!(
                class(&failed(facts(None, Some(invalid), None))),
                Some("invalid_tool_call"),
                "{invalid}"
            );
        }
        assert_eq!(class(&failed(facts(None, Some("value_error:string"), None))), Some("wrong_answer"));
        // Tool episodes: the step limit first, then invalid calls.
        let mut episode = failed(FailureFacts::default());
        episode.tool_use = Some(ToolUse { turns: 3, calls: 4, invalid: 1, ..ToolUse::default() });
        assert_eq!(class(&episode), Some("invalid_tool_call"));
        episode.tool_use =
            Some(ToolUse { turns: 20, calls: 20, invalid: 1, step_limit_hit: true, ..ToolUse::default() });
        assert_eq!(class(&episode), Some("step_limit"));
        // A refusal says the most, whatever else the detail holds.
        episode.failure.refusal = Some("refusal".into());
        assert_eq!(class(&episode), Some("refusal"));
    }

    #[test]
    fn infrastructure_and_passes_are_not_capability_failures() {
        assert_eq!(capability_failure(&result_row("s", "1", "kimi", Some(1.0), None)), None);
        assert_eq!(capability_failure(&result_row("s", "1", "kimi", None, Some("rate_limited"))), None);
        let too_long = result_row("s", "1", "kimi", None, Some("context_too_long"));
        assert_eq!(capability_failure(&too_long), Some(Capability::ContextExceeded));
        let mut no_verdict = failed(FailureFacts::default());
        no_verdict.scorer_error = Some("sandbox_error".into());
        assert_eq!(capability_failure(&no_verdict), None);
    }

    #[test]
    fn counts_per_provider_keep_the_two_kinds_apart() {
        let tasks: Vec<(String, Option<String>)> = (1..=5).map(|i| (i.to_string(), None)).collect();
        let mut sandbox = result_row("s", "5", "kimi", Some(0.0), None);
        sandbox.scorer_error = Some("sandbox_error".into());
        let mut refused = result_row("s", "4", "kimi", Some(0.0), None);
        refused.failure.refusal = Some("refusal".into());
        let rows = vec![
            result_row("s", "1", "claude", Some(1.0), None),
            result_row("s", "1", "kimi", Some(0.0), None),
            result_row("s", "2", "kimi", None, Some("rate_limited")),
            result_row("s", "3", "kimi", None, Some("context_too_long")),
            refused,
            sandbox,
        ];
        let view = crate::analysis::run_view(&["claude", "kimi"], "s", &tasks, 1, rows);
        let summaries = failure_summaries(&view);
        assert_eq!(summaries.len(), 2, "one suite: the `all` rows only");
        let claude = &summaries[0];
        assert_eq!((claude.items, claude.infrastructure_total, claude.capability_total), (1, 0, 0));
        let kimi = &summaries[1];
        assert_eq!(
            (kimi.suite.as_str(), kimi.items, kimi.infrastructure_total, kimi.capability_total),
            ("all", 5, 2, 3)
        );
        let infra: Vec<(&str, usize)> = kimi.infrastructure.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        assert_eq!(infra, [("rate_limited", 1), ("sandbox_error", 1)]);
        let capability: Vec<(&str, usize)> = kimi.capability.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        assert_eq!(capability, [("context_exceeded", 1), ("refusal", 1), ("wrong_answer", 1)]);
    }
}
