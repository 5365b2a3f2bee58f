//! Every bundled and generated task, driven through its environment directly: the reference
//! solution passes, the same solution without any one of its state-changing steps fails, and an
//! answer without calls fails. Also the task format's errors, the scorer's detail and the export.

use serde_json::{Value, json};

use super::generate::{Step, generate, replay_line, write_jsonl};
use super::world::Sim;
use super::*;
use crate::core::{Episode, StopReason, ToolCall};
use crate::families::{BUNDLED, Registry};

fn bundled_lines() -> Vec<TaskLine> {
    let text = BUNDLED.iter().find(|b| b.0 == "tools").unwrap().2;
    text.lines().map(|l| TaskLine::parse(l).unwrap()).collect()
}

/// Drive `steps` through the task's environment as the turn loop would, then finish it.
async fn play(task: &Task, steps: &[&Step]) -> Episode {
    let mut environment = Tools.environment(task).await.unwrap().unwrap();
    let mut episode = Episode::default();
    for (i, step) in steps.iter().enumerate() {
        let call =
            ToolCall { id: format!("call_{i}"), name: step.name.clone(), arguments: step.arguments.clone() };
        environment.call(&call).await.unwrap();
        episode.calls += 1;
    }
    episode.state = environment.finish().await.unwrap();
    episode
}

fn answered(text: &str, episode: Episode) -> Outcome {
    Outcome {
        text: text.into(),
        stop: StopReason::EndTurn,
        episode: Some(Box::new(episode)),
        ..Outcome::default()
    }
}

/// The indices of the steps that change the world's state when run in order, except those a later
/// identical call repeats (the first of two `run_check`s: only the last run counts).
fn state_changing(line: &TaskLine) -> Vec<usize> {
    let steps: Vec<&Step> = line.solution.iter().flatten().collect();
    let mut sim = Sim::new(line.env, line.seed);
    let mut changing = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let before = sim.state();
        assert!(!sim.run(&step.name, &step.arguments).is_error, "{}: step {i} fails", line.id);
        if sim.state() != before && !steps[i + 1..].contains(step) {
            changing.push(i);
        }
    }
    changing
}

/// The reference passes; without any one state-changing step it fails; a text-only answer fails.
async fn check_task(line: &TaskLine) {
    let task = line.to_task("tools");
    let steps: Vec<&Step> = line.solution.iter().flatten().collect();
    let answer = line.answer.as_deref().unwrap();
    let score = Tools.score(&task, &answered(answer, play(&task, &steps).await));
    assert!(score.passed, "{}: the reference fails: {}", line.id, score.detail);
    assert_eq!(score.detail["min_calls"], json!(steps.len()), "{}", line.id);
    let changing = state_changing(line);
    assert!(!changing.is_empty(), "{}: no step changes the state", line.id);
    for skip in changing {
        let fewer: Vec<&Step> =
            steps.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, s)| *s).collect();
        let score = Tools.score(&task, &answered(answer, play(&task, &fewer).await));
        assert!(!score.passed, "{}: passes without step {skip} ({})", line.id, steps[skip].name);
        assert!(!score.detail["state_diff"].as_array().unwrap().is_empty(), "{}", score.detail);
    }
    let talk = Tools.score(&task, &answered(answer, play(&task, &[]).await));
    assert!(!talk.passed, "{}: a text-only answer passes", line.id);
    let no_episode = Tools.score(&task, &Outcome::text_only(answer));
    assert!(!no_episode.passed && no_episode.detail["reason"].is_string(), "{}", line.id);
}

#[tokio::test]
async fn every_bundled_task_passes_its_solution_and_fails_without_each_state_changing_step() {
    let lines = bundled_lines();
    assert_eq!(lines.len(), 60);
    for env in EnvKind::ALL {
        assert_eq!(lines.iter().filter(|l| l.env == env).count(), 20, "{}", env.name());
    }
    for line in &lines {
        assert!((3..=12).contains(&line.solution_calls()), "{}: {} calls", line.id, line.solution_calls());
        check_task(line).await;
    }
    assert!(lines.iter().filter(|l| l.solution.iter().any(|turn| turn.len() > 1)).count() >= 10);
    let prompts: std::collections::HashSet<&str> = lines.iter().map(|l| l.prompt.as_str()).collect();
    assert_eq!(prompts.len(), 60, "every bundled task asks something of its own");
}

#[tokio::test]
async fn every_generated_task_passes_its_solution() {
    for seed in [1, 7, 99] {
        for line in generate(seed, 60).unwrap() {
            check_task(&line).await;
        }
    }
}

#[test]
fn the_bundled_suite_is_the_generator_output_for_seed_2026() {
    let mut fresh = Vec::new();
    write_jsonl(2026, 60, &mut fresh).unwrap();
    let bundled = BUNDLED.iter().find(|b| b.0 == "tools").unwrap().2;
    assert!(
        bundled.as_bytes() == fresh.as_slice(),
        "suites/tools.jsonl is stale: run `cargo run -- suites generate tools --seed 2026 --n 60 --out suites/tools.jsonl --force`"
    );
}

#[test]
fn generation_is_deterministic_and_a_smaller_batch_is_a_prefix() {
    let write = |seed, n| {
        let mut out = Vec::new();
        write_jsonl(seed, n, &mut out).unwrap();
        out
    };
    let full = write(7, 30);
    assert_eq!(full, write(7, 30));
    assert!(full.starts_with(&write(7, 10)));
    assert_ne!(full, write(8, 30));
    assert!(String::from_utf8(full).unwrap().lines().all(|l| l.starts_with("{\"id\":\"tools-s7-")));
}

#[test]
fn every_reference_call_is_valid_under_its_tools_schema() {
    let lines: Vec<TaskLine> = bundled_lines().into_iter().chain(generate(3, 60).unwrap()).collect();
    for line in &lines {
        for step in line.solution.iter().flatten() {
            let tool = line.env.tools().iter().find(|t| t.name == step.name).unwrap();
            let validator = jsonschema::validator_for(&tool.parameters).unwrap();
            let errors: Vec<String> = validator.iter_errors(&step.arguments).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {} {}: {errors:?}", line.id, step.name, step.arguments);
        }
    }
    for env in EnvKind::ALL {
        let tools = env.tools();
        assert!((5..=12).contains(&tools.len()), "{}: {} tools", env.name(), tools.len());
        assert!(tools.iter().all(|t| !t.description.is_empty() && t.parameters["type"] == "object"));
    }
}

#[tokio::test]
async fn a_side_effect_the_task_did_not_ask_for_fails_it() {
    let extra = |env| match env {
        EnvKind::Business => Some(super::generate::call(
            "send_email",
            json!({"to": "ceo@example.com", "subject": "x", "body": "y"}),
        )),
        EnvKind::Desk => {
            Some(super::generate::call("issue_voucher", json!({"customer_id": "U-401", "amount": 20})))
        }
        EnvKind::Workspace => None,
    };
    for line in bundled_lines() {
        let Some(extra) = extra(line.env) else { continue };
        let task = line.to_task("tools");
        let steps: Vec<&Step> = line.solution.iter().flatten().chain([&extra]).collect();
        let score = Tools.score(&task, &answered(line.answer.as_deref().unwrap(), play(&task, &steps).await));
        assert!(!score.passed, "{}: {} went unnoticed", line.id, extra.name);
    }
}

#[tokio::test]
async fn the_detail_tells_calls_invalid_calls_turns_and_a_step_limit_hit_fails() {
    let line = &bundled_lines()[2];
    let task = line.to_task("tools");
    let steps: Vec<&Step> = line.solution.iter().flatten().collect();
    let mut episode = play(&task, &steps).await;
    episode.count_invalid(crate::core::CallCheck::SchemaViolation);
    episode.parallel_turns = 1;
    let score = Tools.score(&task, &answered(line.answer.as_deref().unwrap(), episode.clone()));
    assert!(score.passed, "{}", score.detail);
    let detail = &score.detail;
    assert_eq!((detail["env"].as_str(), detail["calls"].as_u64()), (Some("desk"), Some(steps.len() as u64)));
    assert_eq!(detail["invalid_calls"], json!({"schema_violation": 1}));
    assert_eq!((detail["turns"].as_u64(), detail["parallel_turns"].as_u64()), (Some(0), Some(1)));
    assert_eq!(detail["parallel_possible"], json!(line.solution.iter().any(|turn| turn.len() > 1)));
    episode.step_limit_hit = true;
    let cut = Tools.score(&task, &answered(line.answer.as_deref().unwrap(), episode));
    assert!(!cut.passed && cut.detail["step_limit_hit"] == true);
    let vague = Tools.score(&task, &answered("All done.", play(&task, &steps).await));
    assert!(!vague.passed);
    assert_eq!(vague.detail["missing_facts"], json!(line.facts));
}

fn load(text: &str) -> Result<Vec<Task>, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.jsonl");
    std::fs::write(&path, text).unwrap();
    let spec = SuiteSpec::parse(&format!("tools:{}", path.display())).unwrap();
    Registry::default().load(&spec).map_err(|e| e.to_string())
}

#[test]
fn a_task_line_is_read_with_defaults_and_its_mistakes_are_located() {
    let good = r#"{"id": "t1", "env": "desk", "seed": 3, "prompt": "Cancel B-601", "facts": ["B-601"]}"#;
    let tasks = load(good).unwrap();
    let task = &tasks[0];
    assert_eq!((task.family.as_str(), task.category.as_deref()), ("tools", Some("desk")));
    assert_eq!(task.system.as_deref(), Some(desk::POLICY));
    assert!(task.tools.is_empty(), "the environment offers its tools when the episode starts");
    assert!(task.suite == "mine" && task.expected["seed"] == 3);
    let cases = [
        (r#"{"id": "a", "env": "bank", "seed": 1, "prompt": "p", "facts": ["x"]}"#, "unknown variant `bank`"),
        (r#"{"id": "a", "env": "desk", "seed": 1, "prompt": "p"}"#, "checks nothing"),
        (
            r#"{"id": "a", "env": "desk", "seed": 1, "prompt": "p", "expected_state": {"charts": []}}"#,
            "names `charts`",
        ),
        (
            r#"{"id": "a", "env": "business", "seed": 1, "prompt": "p", "facts": ["x"], "solution": [[{"name": "cancel_booking", "arguments": {}}]]}"#,
            "turn 1 calls `cancel_booking`",
        ),
        (r#"{"id": "a", "env": "desk", "seed": 1, "prompt": "p", "fact": ["x"]}"#, "unknown field `fact`"),
        (
            r#"{"id": "a", "prompt": "p", "mcp": {"command": ["python3", "server.py"]}, "expected_state": {}}"#,
            "`expected_state` needs a `state_tool`",
        ),
        (
            r#"{"id": "a", "prompt": "p", "mcp": {"command": []}, "facts": ["x"]}"#,
            "`command` must name a program",
        ),
    ];
    for (line, says) in cases {
        let error = load(&format!("{good}\n{line}\n")).unwrap_err();
        assert!(error.contains("mine.jsonl:2: ") && error.contains(says), "{line}: {error}");
    }
}

#[test]
fn the_bundled_suite_loads_and_the_export_replays_every_solution() {
    let spec = SuiteSpec::parse("tools").unwrap();
    let tasks = Registry::default().load(&spec).unwrap();
    assert_eq!(tasks.len(), 60);
    let mut out = Vec::new();
    assert_eq!(write_solutions(&spec, &mut out).unwrap(), 60);
    let lines = bundled_lines();
    for (text, line) in String::from_utf8(out).unwrap().lines().zip(&lines) {
        let replay: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            (replay["task_id"].as_str(), replay["suite"].as_str()),
            (Some(line.id.as_str()), Some("tools"))
        );
        let turns = replay["turns"].as_array().unwrap();
        assert_eq!(turns.len(), line.solution.len() + 1);
        for (turn, calls) in turns.iter().zip(&line.solution) {
            assert_eq!(turn["role"], "assistant");
            let names: Vec<&str> =
                turn["tool_calls"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
            assert_eq!(names, calls.iter().map(|s| s.name.as_str()).collect::<Vec<_>>());
        }
        let last = turns.last().unwrap();
        assert!(last["tool_calls"].is_null() && last["content"] == line.answer.as_deref().unwrap());
        let ids: std::collections::HashSet<&str> = turns
            .iter()
            .flat_map(|t| t["tool_calls"].as_array().into_iter().flatten())
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), line.solution_calls() as usize, "call ids are unique within a task");
    }
    let mut bare = lines[0].clone();
    bare.answer = None;
    assert!(replay_line(&bare, "tools").unwrap_err().contains("no reference `answer`"));
}

#[tokio::test]
async fn a_task_without_a_bundled_environment_gets_none_started() {
    let mut task = bundled_lines()[0].to_task("tools");
    task.expected =
        json!({"mcp": {"command": ["./no-such-server"]}, "facts": ["x"], "base_dir": "/nonexistent"});
    let refused = Tools.environment(&task).await.err().unwrap();
    assert!(refused.0.contains("cannot start MCP server `./no-such-server`"), "{refused}");
    task.expected = json!({"facts": ["x"]});
    assert!(Tools.environment(&task).await.err().unwrap().0.contains("names no environment"));
    task.expected = json!({"env": "desk", "seed": "x"});
    assert!(Tools.environment(&task).await.is_err());
    assert!(Tools.score(&task, &Outcome::text_only("x")).detail["scorer_error"] == "bad_task");
}
