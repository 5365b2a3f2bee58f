//! Fresh tool-use tasks from a seed, with their reference solutions: `bench suites generate tools`.
//!
//! Task `index` of seed `seed` runs in environment `index % 3` (business, workspace, desk) with
//! that environment's templates taken in turn, so any batch is balanced and 60 tasks give 20 per
//! environment. Its draws come from its own stream ([`Draw::for_task`]): the same seed gives
//! byte-identical output and a smaller batch is a prefix of a larger one. A template draws a world
//! seed and its parameters, and writes the prompt, the reference calls and the facts; the expected
//! state is what the reference calls leave in a fresh world of that seed, so it is right by
//! construction, and the tests check that it takes every one of those calls to get there.

use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::line::TaskLine;
use super::world::{EnvKind, Sim};
use super::{business, desk, workspace};
use crate::families::draw::Draw;

/// One tool call of a reference solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The tool called.
    pub name: String,
    /// Its arguments (a JSON object).
    pub arguments: Value,
}

/// A call of a reference solution.
pub(crate) fn call(name: &str, arguments: Value) -> Step {
    Step { name: name.into(), arguments }
}

/// What a template writes for one world: the task's words and its reference solution.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    /// What the user asks.
    pub prompt: String,
    /// What the final answer must contain.
    pub facts: Vec<String>,
    /// The reference calls, one list per turn.
    pub solution: Vec<Vec<Step>>,
    /// A reference final answer holding every fact.
    pub answer: String,
}

/// A task template: for a world seed and the task's draws, a task, or `None` when the world does
/// not fit the template.
pub(crate) type Template = fn(u64, &mut Draw) -> Option<Draft>;

/// World seeds a template may reject before the generator gives up on it (none comes close).
const ATTEMPTS: usize = 500;

fn templates(env: EnvKind) -> &'static [Template] {
    match env {
        EnvKind::Business => business::tasks::TEMPLATES,
        EnvKind::Workspace => workspace::tasks::TEMPLATES,
        EnvKind::Desk => desk::tasks::TEMPLATES,
    }
}

/// The id of task `index` of seed `seed`.
pub fn task_id(seed: u64, index: u64) -> String {
    format!("tools-s{seed}-{index:04}")
}

/// Task `index` of the batch for `seed`.
pub fn task(seed: u64, index: u64) -> Result<TaskLine, String> {
    let env = EnvKind::ALL[(index % 3) as usize];
    let list = templates(env);
    let template = list[(index / 3) as usize % list.len()];
    let mut draw = Draw::for_task(seed, index);
    for _ in 0..ATTEMPTS {
        let world = draw.below(1_000_000_000);
        let Some(draft) = template(world, &mut draw) else { continue };
        let state = play(env, world, &draft.solution)?;
        let line = TaskLine {
            id: task_id(seed, index),
            env,
            seed: world,
            category: None,
            system: None,
            prompt: draft.prompt,
            facts: draft.facts,
            expected_state: Some(state),
            min_calls: None,
            solution: draft.solution,
            answer: Some(draft.answer),
        };
        return Ok(TaskLine { min_calls: Some(line.solution_calls()), ..line });
    }
    Err(format!("task {index} of seed {seed}: no {} world fits its template", env.name()))
}

/// Run `solution` in a fresh world of `env` and `seed`; its final state, or the first call that
/// failed (a template's bug).
pub(crate) fn play(env: EnvKind, seed: u64, solution: &[Vec<Step>]) -> Result<Value, String> {
    let mut sim = Sim::new(env, seed);
    for step in solution.iter().flatten() {
        let output = sim.run(&step.name, &step.arguments);
        if output.is_error {
            return Err(format!(
                "{} world {seed}: `{}` {} failed: {}",
                env.name(),
                step.name,
                step.arguments,
                output.content
            ));
        }
    }
    Ok(sim.state())
}

/// The first `n` tasks for `seed`.
pub fn generate(seed: u64, n: usize) -> Result<Vec<TaskLine>, String> {
    (0..n as u64).map(|index| task(seed, index)).collect()
}

/// Write the first `n` tasks for `seed` as JSONL (one object a line, `\n` endings).
pub fn write_jsonl(seed: u64, n: usize, out: &mut impl Write) -> std::io::Result<()> {
    for index in 0..n as u64 {
        let line = task(seed, index).map_err(std::io::Error::other)?;
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// A task's reference solution as a multi-turn replay line: `{"task_id", "suite", "turns"}`, one
/// assistant message per turn of calls (ids `call_TURN_K`), then the final answer. A task without a
/// reference solution or answer has nothing to replay.
pub fn replay_line(line: &TaskLine, suite: &str) -> Result<Value, String> {
    let Some(answer) = &line.answer else {
        return Err(format!("task `{}` has no reference `answer`", line.id));
    };
    if line.solution.is_empty() {
        return Err(format!("task `{}` has no reference `solution`", line.id));
    }
    let mut turns: Vec<Value> = line
        .solution
        .iter()
        .enumerate()
        .map(|(t, calls)| {
            let calls: Vec<Value> = calls
                .iter()
                .enumerate()
                .map(|(k, step)| json!({"id": format!("call_{}_{}", t + 1, k + 1), "name": step.name, "arguments": step.arguments}))
                .collect();
            json!({"role": "assistant", "content": "", "tool_calls": calls})
        })
        .collect();
    turns.push(json!({"role": "assistant", "content": answer}));
    Ok(json!({"task_id": line.id, "suite": suite, "turns": turns}))
}
