//! How providers use tools over episodes, per provider and category (a tool environment): calls
//! against the minimum a task needs, invalid calls, turns, parallel calls where they were possible,
//! step-limit cuts, and tokens and cost per episode. End-state success is the category's score.

use std::collections::BTreeMap;

use serde::Serialize;

use super::summary::UNCATEGORIZED;
use super::view::RunView;

/// One provider's episodes in one category.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ToolUseSummary {
    /// Provider name.
    pub provider: String,
    /// Category (for the bundled tool tasks, the environment).
    pub category: String,
    /// Episodes answered.
    pub episodes: usize,
    /// Mean requests per episode.
    pub mean_turns: f64,
    /// Mean tool calls per episode, valid or not.
    pub mean_calls: f64,
    /// Calls made over the fewest that solve the tasks, on episodes whose task knows its minimum
    /// (1.0: no wasted call); null when none does.
    pub calls_over_min: Option<f64>,
    /// Invalid calls (bad JSON, unknown tool, schema violation) over all calls; null without calls.
    pub invalid_rate: Option<f64>,
    /// Of the episodes whose task allowed calls at once, the share where the model made some;
    /// null when no task allowed it.
    pub parallel_rate: Option<f64>,
    /// Episodes cut at the step limit.
    pub step_limit_hits: usize,
    /// Mean input plus output tokens per episode.
    pub tokens_per_episode: f64,
    /// Mean cost per episode.
    pub cost_per_episode: f64,
}

#[derive(Default)]
struct Sums {
    episodes: usize,
    turns: u64,
    calls: u64,
    invalid: u64,
    calls_with_min: u64,
    min_calls: u64,
    parallel_possible: usize,
    parallel_made: usize,
    step_limit_hits: usize,
    tokens: u64,
    cost: f64,
}

/// Per provider (in the manifest's order) and category, the tool use of every answered episode.
pub fn tool_use(view: &RunView) -> Vec<ToolUseSummary> {
    let mut sums: BTreeMap<(u32, &str), Sums> = BTreeMap::new();
    for row in &view.rows {
        let Some(used) = row.tool_use else { continue };
        let category = view
            .tasks
            .get(row.task as usize)
            .and_then(|t| t.category)
            .map_or(UNCATEGORIZED, |c| view.name(c));
        let s = sums.entry((row.provider.number(), category)).or_default();
        s.episodes += 1;
        s.turns += u64::from(used.turns);
        s.calls += u64::from(used.calls);
        s.invalid += u64::from(used.invalid);
        if let Some(min) = used.min_calls {
            s.calls_with_min += u64::from(used.calls);
            s.min_calls += u64::from(min);
        }
        if used.parallel_possible {
            s.parallel_possible += 1;
            s.parallel_made += usize::from(used.parallel_turns > 0);
        }
        s.step_limit_hits += usize::from(used.step_limit_hit);
        s.tokens += row.usage.total_input() + row.usage.output;
        s.cost += row.cost;
    }
    let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    let mut out = Vec::new();
    for snapshot in &view.manifest.providers {
        let Some(provider) = view.find_name(&snapshot.name) else { continue };
        for ((_, category), s) in
            sums.range((provider.number(), "")..).take_while(|((p, _), _)| *p == provider.number())
        {
            let n = s.episodes as f64;
            out.push(ToolUseSummary {
                provider: snapshot.name.clone(),
                category: category.to_string(),
                episodes: s.episodes,
                mean_turns: s.turns as f64 / n,
                mean_calls: s.calls as f64 / n,
                calls_over_min: ratio(s.calls_with_min as f64, s.min_calls as f64),
                invalid_rate: ratio(s.invalid as f64, s.calls as f64),
                parallel_rate: ratio(s.parallel_made as f64, s.parallel_possible as f64),
                step_limit_hits: s.step_limit_hits,
                tokens_per_episode: s.tokens as f64 / n,
                cost_per_episode: s.cost / n,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ToolUse;

    fn episode(provider: &str, task: &str, used: ToolUse) -> crate::store::ResultRow {
        let mut row = crate::analysis::result_row("s", task, provider, Some(1.0), None);
        row.tool_use = Some(used);
        row
    }

    #[test]
    fn sums_per_provider_and_category() {
        let tasks = vec![
            ("1".to_string(), Some("business".to_string())),
            ("2".to_string(), Some("desk".to_string())),
        ];
        let used = |turns, calls, invalid, parallel_turns, min_calls, parallel_possible| ToolUse {
            turns,
            calls,
            invalid,
            parallel_turns,
            step_limit_hit: false,
            min_calls,
            parallel_possible,
        };
        let rows = vec![
            episode("claude", "1", used(3, 4, 0, 1, Some(4), true)),
            episode("claude", "2", used(2, 2, 0, 0, Some(2), false)),
            episode("kimi", "1", used(7, 8, 2, 0, Some(4), true)),
            crate::analysis::result_row("s", "2", "kimi", None, Some("timeout")),
        ];
        let view = crate::analysis::run_view(&["claude", "kimi"], "s", &tasks, 1, rows);
        let figures = tool_use(&view);
        let names: Vec<(&str, &str)> =
            figures.iter().map(|f| (f.provider.as_str(), f.category.as_str())).collect();
        assert_eq!(names, [("claude", "business"), ("claude", "desk"), ("kimi", "business")]);
        let kimi = &figures[2];
        assert_eq!((kimi.episodes, kimi.mean_turns, kimi.mean_calls), (1, 7.0, 8.0));
        assert_eq!(
            (kimi.calls_over_min, kimi.invalid_rate, kimi.parallel_rate),
            (Some(2.0), Some(0.25), Some(0.0))
        );
        assert_eq!(figures[0].parallel_rate, Some(1.0));
        assert_eq!(figures[1].parallel_rate, None, "no task in the category allowed parallel calls");
        assert_eq!(figures[0].tokens_per_episode, 1500.0);
    }
}
