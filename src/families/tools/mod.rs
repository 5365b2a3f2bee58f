//! Multi-step tool use (`--suite tools`, `tools:FILE.jsonl`): each task runs as an episode against
//! a fresh, seeded, in-process environment (business data, a project workspace, a support desk),
//! and is scored as tau-bench scores: the environment's final state must equal the expected one and
//! the final answer must contain the required facts.
//!
//! The task format is in [`line`]; [`generate`] makes fresh tasks with their reference solutions
//! and writes those solutions as multi-turn replay lines.

pub mod business;
pub mod desk;
pub mod generate;
mod judge;
pub mod line;
pub mod mcp;
pub mod workspace;
mod world;

use futures_util::future::BoxFuture;
use serde_json::{Map, Value, json};

use super::{Environment, EnvironmentError, EpisodeOutline, Family, SuiteError, SuiteSpec};
use crate::core::{Message, Outcome, Role, Score, Task, ToolCall};
pub use line::TaskLine;
pub use world::EnvKind;

use judge::Scope;
use line::Expected;

/// Family name used in suite specs (`tools:PATH`).
pub const NAME: &str = "tools";

/// The tool-use family.
pub struct Tools;

impl Family for Tools {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        super::load_jsonl(spec, |text, _| line::parse(text, spec))
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        match serde_json::from_value::<Expected>(task.expected.clone()) {
            Ok(expected) => judge_outcome(&expected, outcome),
            Err(e) => Score::scorer_error(
                "bad_task",
                format!("task `{}` has no readable expectations: {e}", task.id),
            ),
        }
    }

    fn runs_episodes(&self, _task: &Task) -> bool {
        true
    }

    fn environment<'a>(
        &'a self,
        task: &'a Task,
    ) -> BoxFuture<'a, Result<Option<Box<dyn Environment>>, EnvironmentError>> {
        let started = match serde_json::from_value::<Expected>(task.expected.clone()) {
            Ok(Expected { env: Some(env), seed: Some(seed), .. }) => {
                Ok(Some(Box::new(world::Sim::new(env, seed)) as Box<dyn Environment>))
            }
            Ok(Expected { mcp: Some(server), state_tool, base_dir, .. }) => {
                let base_dir = base_dir.unwrap_or_else(|| ".".into());
                return Box::pin(async move {
                    mcp::start(&server, state_tool.as_ref(), &base_dir).await.map(Some)
                });
            }
            Ok(_) => Err(EnvironmentError(format!("task `{}` names no environment", task.id))),
            Err(e) => Err(EnvironmentError(format!("task `{}` has no readable environment: {e}", task.id))),
        };
        Box::pin(std::future::ready(started))
    }

    fn episode_outline(&self, task: &Task) -> Option<EpisodeOutline> {
        let expected = serde_json::from_value::<Expected>(task.expected.clone()).ok()?;
        let solution: Vec<Vec<generate::Step>> =
            serde_json::from_value(task.meta.get("solution")?.clone()).ok()?;
        let (env, seed) = expected.env.zip(expected.seed)?;
        Some(outline(world::Sim::new(env, seed), &solution))
    }
}

/// The reference solution played through its environment: each turn's calls and their real results.
fn outline(mut sim: world::Sim, solution: &[Vec<generate::Step>]) -> EpisodeOutline {
    let tools = sim.tools().to_vec();
    let turns = solution
        .iter()
        .enumerate()
        .map(|(t, steps)| {
            let calls: Vec<ToolCall> = steps
                .iter()
                .enumerate()
                .map(|(k, step)| ToolCall {
                    id: format!("call_{}_{}", t + 1, k + 1),
                    name: step.name.clone(),
                    arguments: step.arguments.clone(),
                })
                .collect();
            let mut messages =
                vec![Message { role: Role::Assistant, tool_calls: calls.clone(), ..Message::default() }];
            for call in calls {
                let output = sim.run(&call.name, &call.arguments);
                messages.push(Message::tool_result(call.id, output.content, output.is_error));
            }
            messages
        })
        .collect();
    EpisodeOutline { tools, turns }
}

/// The verdict on one episode: pass when the state matches, every fact is in the final answer, and
/// the episode ended with an answer rather than at the step limit. The detail says what differed and
/// how the model used its tools (`parallel_possible`: whether the reference makes calls together).
fn judge_outcome(expected: &Expected, outcome: &Outcome) -> Score {
    let Some(episode) = outcome.episode.as_deref() else {
        let detail = json!({"reason": "the answer did not come from a tool-use episode", "missing_facts": expected.facts});
        return Score::pass_fail(false, detail);
    };
    let scope = if expected.env.is_some() { Scope::Parts } else { Scope::Whole };
    let state_diff = match &expected.state {
        Some(want) => judge::state_diff(want, &episode.state, scope),
        None => Vec::new(),
    };
    let missing_facts = judge::missing_facts(&outcome.text, &expected.facts);
    let passed = state_diff.is_empty() && missing_facts.is_empty() && !episode.step_limit_hit;
    let invalid: Map<String, Value> =
        episode.invalid_calls.iter().map(|(check, n)| (check.as_str().to_string(), json!(n))).collect();
    Score::pass_fail(
        passed,
        json!({
            "env": expected.env.map(EnvKind::name),
            "state_diff": state_diff,
            "missing_facts": missing_facts,
            "calls": episode.calls,
            "min_calls": expected.min_calls,
            "invalid_calls": invalid,
            "turns": episode.turns.len(),
            "parallel_turns": episode.parallel_turns,
            "parallel_possible": expected.parallel,
            "step_limit_hit": episode.step_limit_hit,
        }),
    )
}

/// Write the reference solution of every task of `spec` as a multi-turn replay line (see
/// [`generate::replay_line`]); the number of lines written. A task without a solution is an error
/// naming its line.
pub fn write_solutions(spec: &SuiteSpec, out: &mut impl std::io::Write) -> Result<usize, SuiteError> {
    let mut lines = Vec::new();
    super::load_jsonl(spec, |text, _| {
        let parsed = TaskLine::parse(text)?;
        lines.push(generate::replay_line(&parsed, &spec.name)?);
        Ok(parsed.to_task(&spec.name))
    })?;
    let fail = |e: std::io::Error| SuiteError::one(format!("cannot write the solutions: {e}"));
    for line in &lines {
        serde_json::to_writer(&mut *out, line).map_err(|e| fail(e.into()))?;
        out.write_all(b"\n").map_err(fail)?;
    }
    out.flush().map_err(fail)?;
    Ok(lines.len())
}

#[cfg(test)]
mod tests;
