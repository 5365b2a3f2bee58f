//! How far into its window each provider really reads: long-context scores by haystack length, needle
//! depth and task kind, and the effective context length (RULER's: the longest length at which the
//! provider, and at every shorter length, scores at least a threshold).
//!
//! A length the provider's window could not hold is a capability, not an infrastructure failure: the
//! task counts as not passed (score 0) and is also counted as `exceeded` in its cell.

use std::collections::BTreeMap;

use serde::Serialize;

use super::samples::TaskSamples;
use super::stats;
use super::view::{ContextCell, Name, RunView};
use crate::core::Vote;

/// One provider's long-context figures (`context` in `summary.json`).
#[derive(Debug, Clone, Serialize)]
pub struct ContextSummary {
    /// The longest grid length scoring at least `threshold`, with every shorter one; `null` when
    /// even the shortest does not.
    pub effective_length: Option<u64>,
    /// The score a length must reach.
    pub threshold: f64,
    /// By haystack length, shortest first.
    pub by_length: Vec<ContextBreakdown>,
    /// By needle depth (percent of the haystack), shallowest first; kinds spread through the whole
    /// text (`aggregate`) have none.
    pub by_depth: Vec<ContextBreakdown>,
    /// By task kind, in name order.
    pub by_kind: Vec<ContextBreakdown>,
    /// Questions whose needle is absent: how often the provider made an answer up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent: Option<AbsentSummary>,
}

/// The tasks of one length, depth or kind.
#[derive(Debug, Clone, Serialize)]
pub struct ContextBreakdown {
    /// Haystack length in tokens (in `by_length`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    /// Needle depth in percent (in `by_depth`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// Task kind (in `by_kind`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Tasks in the cell.
    pub tasks: usize,
    /// Of which scored (a task beyond the window counts, as a failure).
    pub scored: usize,
    /// Mean task score over the scored tasks.
    pub score: f64,
    /// 95% CI of `score`.
    pub ci95: [f64; 2],
    /// Tasks the provider's window could not hold.
    pub exceeded: usize,
}

/// The `absent` kind: the right answer says the text does not hold what is asked.
#[derive(Debug, Clone, Serialize)]
pub struct AbsentSummary {
    /// `absent` answers scored.
    pub answers: usize,
    /// Of which made an answer up.
    pub hallucinated: usize,
    /// `hallucinated / answers`.
    pub hallucination_rate: f64,
}

/// One provider's long-context summary, or `None` when the run has no long-context task.
/// `scores` holds its task scores by task index (tasks beyond its window scored 0) and `exceeded`
/// the tasks its window could not hold.
pub(super) fn context_summary(
    view: &RunView,
    provider: Option<Name>,
    scores: &[Option<TaskSamples>],
    exceeded: &[bool],
    vote: Vote,
) -> Option<ContextSummary> {
    let cells: Vec<(usize, ContextCell)> = view
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.context.filter(|_| t.listed).map(|c| (i, c)))
        .collect();
    if cells.is_empty() {
        return None;
    }
    let figures = |tasks: Vec<usize>| cell_figures(&tasks, scores, exceeded, vote);
    let by_length: Vec<ContextBreakdown> = group(&cells, |c| c.length)
        .into_iter()
        .map(|(length, tasks)| ContextBreakdown { length: Some(length), ..figures(tasks) })
        .collect();
    let at_depth: Vec<(usize, ContextCell)> =
        cells.iter().filter(|(_, c)| c.depth.is_some()).copied().collect();
    let by_depth = group(&at_depth, |c| c.depth)
        .into_iter()
        .map(|(depth, tasks)| ContextBreakdown { depth, ..figures(tasks) })
        .collect();
    let by_kind = group(&cells, |c| view.name(c.kind))
        .into_iter()
        .map(|(kind, tasks)| ContextBreakdown { kind: Some(kind.to_string()), ..figures(tasks) })
        .collect();
    let threshold = view.manifest.options.context_threshold;
    Some(ContextSummary {
        effective_length: effective_length(&by_length, threshold),
        threshold,
        by_length,
        by_depth,
        by_kind,
        absent: absent_summary(view, provider),
    })
}

/// The task indices of `cells` by `key`, in key order.
fn group<K: Ord>(cells: &[(usize, ContextCell)], key: impl Fn(&ContextCell) -> K) -> BTreeMap<K, Vec<usize>> {
    let mut groups: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, cell) in cells {
        groups.entry(key(cell)).or_default().push(*i);
    }
    groups
}

/// The figures of the tasks `tasks` (indices into the view).
fn cell_figures(
    tasks: &[usize],
    scores: &[Option<TaskSamples>],
    exceeded: &[bool],
    vote: Vote,
) -> ContextBreakdown {
    let values: Vec<f64> =
        tasks.iter().filter_map(|&i| scores.get(i).and_then(Option::as_ref)).map(|t| t.score(vote)).collect();
    let (lo, hi) = stats::score_ci(&values, super::summary::SEED);
    ContextBreakdown {
        length: None,
        depth: None,
        kind: None,
        tasks: tasks.len(),
        scored: values.len(),
        score: stats::mean(&values),
        ci95: [lo, hi],
        exceeded: tasks.iter().filter(|&&i| exceeded.get(i).copied().unwrap_or(false)).count(),
    }
}

/// RULER's effective length: walking up the lengths, the last one before the first that scores
/// under `threshold` (or has nothing scored to tell).
fn effective_length(by_length: &[ContextBreakdown], threshold: f64) -> Option<u64> {
    by_length.iter().take_while(|b| b.scored > 0 && b.score >= threshold).last().and_then(|b| b.length)
}

/// How often `provider` answered an `absent` question with something made up.
fn absent_summary(view: &RunView, provider: Option<Name>) -> Option<AbsentSummary> {
    let absent = view.find_name("absent")?;
    let is_absent =
        |task: u32| view.tasks.get(task as usize).and_then(|t| t.context).is_some_and(|c| c.kind == absent);
    let answers: Vec<bool> = view
        .rows
        .iter()
        .filter(|r| Some(r.provider) == provider && r.score.is_some() && is_absent(r.task))
        .map(|r| r.hallucinated)
        .collect();
    if answers.is_empty() {
        return None;
    }
    let hallucinated = answers.iter().filter(|&&h| h).count();
    Some(AbsentSummary {
        answers: answers.len(),
        hallucinated,
        hallucination_rate: hallucinated as f64 / answers.len() as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{result_row, run_view_of_tasks, summarize};
    use crate::store::{ResultRow, TaskRecord};

    /// Tasks at 4k, 8k and 32k (two depths each) plus one `absent` question at 8k.
    fn grid() -> Vec<TaskRecord> {
        let mut tasks = Vec::new();
        for length in [4096, 8192, 32768] {
            for depth in [0, 50] {
                tasks.push(task(&format!("{length}-{depth}"), length, depth, "niah_single"));
            }
        }
        tasks.push(task("absent", 8192, 50, "absent"));
        tasks
    }

    fn task(id: &str, length: u64, depth: u32, kind: &str) -> TaskRecord {
        TaskRecord {
            suite: "long-context".into(),
            id: id.into(),
            family: "long-context".into(),
            category: Some(kind.into()),
            fingerprint: String::new(),
            meta: serde_json::json!({"length": length, "depth": depth, "kind": kind}),
        }
    }

    fn answer(provider: &str, id: &str, score: f64) -> ResultRow {
        result_row("long-context", id, provider, Some(score), None)
    }

    #[test]
    fn a_window_under_32k_fails_the_32k_tasks_as_exceeded_and_a_miss_at_8k_ends_the_effective_length() {
        let mut rows = Vec::new();
        for id in ["4096-0", "4096-50", "8192-0", "8192-50", "32768-0", "32768-50"] {
            rows.push(answer("claude", id, 1.0));
            rows.push(if id.starts_with("32768") {
                result_row("long-context", id, "kimi", None, Some("context_too_long"))
            } else {
                answer("kimi", id, if id == "8192-50" { 0.0 } else { 1.0 })
            });
        }
        rows.push(answer("claude", "absent", 1.0));
        let mut made_up = answer("kimi", "absent", 0.0);
        made_up.hallucinated = true;
        rows.push(made_up);
        let summary = summarize(&run_view_of_tasks(&["claude", "kimi"], "long-context", grid(), 1, rows));

        let (claude, kimi) = (&summary.providers[0], &summary.providers[1]);
        assert_eq!(claude.context.as_ref().unwrap().effective_length, Some(32768));
        assert_eq!(
            (kimi.context_exceeded, kimi.infra_errors),
            (2, 0),
            "a window is not an infrastructure failure"
        );
        assert!(kimi.errors_by_class.is_empty(), "{:?}", kimi.errors_by_class);
        assert_eq!((kimi.scored, kimi.passed), (7, 3), "exceeded tasks are scored, as failures");
        let context = kimi.context.as_ref().unwrap();
        assert_eq!(context.effective_length, Some(4096), "8k scores 1/3, under 0.85");
        let lengths: Vec<(Option<u64>, usize, f64, usize)> =
            context.by_length.iter().map(|b| (b.length, b.tasks, b.score, b.exceeded)).collect();
        assert_eq!(
            lengths,
            [(Some(4096), 2, 1.0, 0), (Some(8192), 3, 1.0 / 3.0, 0), (Some(32768), 2, 0.0, 2)]
        );
        assert_eq!(context.by_depth.iter().map(|b| b.depth).collect::<Vec<_>>(), [Some(0), Some(50)]);
        assert_eq!(
            context.by_kind.iter().map(|b| b.kind.as_deref()).collect::<Vec<_>>(),
            [Some("absent"), Some("niah_single")]
        );
        let absent = context.absent.as_ref().unwrap();
        assert_eq!((absent.answers, absent.hallucinated, absent.hallucination_rate), (1, 1, 1.0));
        assert_eq!(claude.context.as_ref().unwrap().absent.as_ref().unwrap().hallucinated, 0);
        let per_length: Vec<(Option<u64>, usize)> =
            summary.length_comparisons.iter().map(|c| (c.length, c.n_paired)).collect();
        assert_eq!(per_length, [(Some(4096), 2), (Some(8192), 3), (Some(32768), 2)]);
    }

    #[test]
    fn a_run_without_long_context_tasks_has_no_context_figures() {
        let summary = summarize(&crate::analysis::example_run());
        assert!(
            summary.providers.iter().all(|p| p.context.is_none()) && summary.length_comparisons.is_empty()
        );
        let json = serde_json::to_value(&summary).unwrap();
        assert!(json["providers"][0].get("context").is_none() && json.get("length_comparisons").is_none());
    }

    fn length(length: u64, scored: usize, score: f64) -> ContextBreakdown {
        ContextBreakdown {
            length: Some(length),
            depth: None,
            kind: None,
            tasks: scored,
            scored,
            score,
            ci95: [0.0, 1.0],
            exceeded: 0,
        }
    }

    #[test]
    fn the_effective_length_stops_at_the_first_length_under_the_threshold() {
        let grid =
            [length(4096, 5, 1.0), length(8192, 5, 0.9), length(16384, 5, 0.6), length(32768, 5, 0.95)];
        assert_eq!(effective_length(&grid, 0.85), Some(8192), "a later recovery does not count");
        assert_eq!(effective_length(&grid, 0.95), Some(4096));
        assert_eq!(effective_length(&grid[2..], 0.85), None, "even the shortest fails");
        assert_eq!(effective_length(&[length(4096, 0, 0.0)], 0.0), None, "nothing scored tells nothing");
        assert_eq!(effective_length(&grid, 0.0), Some(32768));
    }
}
