//! The `replay` provider: answers produced elsewhere (a production log, another harness, an earlier
//! export), read from JSONL and scored and compared like any provider's.
//!
//! One answer a line: `{"task_id": "t1", "output": "..."}`, optionally with `suite`, `sample` (from
//! 0), `reasoning`, `usage` (`{"input": .., "output": ..}`) and `latency_ms`. Several lines for one
//! task without `sample` are its samples in file order.
//!
//! `suite` is the suite's name as the run knows it (a suite file's stem, or a bundled suite's name).
//! A line that names a suite answers only that suite's task, so two suites whose task ids coincide
//! (`t1` in both) are answered separately; a line without `suite` answers the task of that id in any
//! suite that has no line of its own for it.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::{ChatRequest, ErrorClass, Provider, ProviderError};
use crate::core::{Outcome, StopReason, Usage};

/// Answers keyed by (suite, task id, sample); the suite is `None` for lines that name none.
#[derive(Debug)]
pub struct ReplayProvider {
    answers: HashMap<Key, Outcome>,
}

type Key = (Option<String>, String, u32);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    suite: Option<String>,
    task_id: serde_json::Value,
    output: String,
    sample: Option<u32>,
    reasoning: Option<String>,
    usage: Option<ReplayUsage>,
    latency_ms: Option<f64>,
    ttft_ms: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReplayUsage {
    #[serde(default)]
    input: u64,
    #[serde(default)]
    output: u64,
}

impl ReplayProvider {
    /// Read a JSONL file of answers; every malformed line is reported as `file:line: what`.
    pub fn from_file(path: &Path) -> Result<ReplayProvider, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("{}: cannot open replay file: {e}", path.display()))?;
        let mut answers = HashMap::new();
        let mut next_sample: HashMap<(Option<String>, String), u32> = HashMap::new();
        let mut problems = Vec::new();
        for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
            let at = format!("{}:{}", path.display(), index + 1);
            let line = line.map_err(|e| format!("{at}: cannot read: {e}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line = match serde_json::from_str(&line) {
                Ok(parsed) => parsed,
                Err(e) => {
                    problems.push(format!("{at}: {e}"));
                    continue;
                }
            };
            let task_id = match parsed.task_id {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                other => {
                    problems.push(format!("{at}: `task_id` must be a string or number, found {other}"));
                    continue;
                }
            };
            let suite = parsed.suite;
            let counter = next_sample.entry((suite.clone(), task_id.clone())).or_insert(0);
            let sample = parsed.sample.unwrap_or(*counter);
            *counter = sample + 1;
            let usage = parsed.usage.unwrap_or_default();
            let outcome = Outcome {
                reasoning_blocks: Vec::new(),
                episode: None,
                text: parsed.output,
                reasoning: parsed.reasoning.unwrap_or_default(),
                tool_calls: Vec::new(),
                usage: Usage { input: usage.input, output: usage.output, ..Usage::default() },
                usage_estimated: false,
                stop: StopReason::Unknown,
                model: None,
                response_id: None,
                system_fingerprint: None,
                ttft_ms: parsed.ttft_ms,
                latency_ms: parsed.latency_ms.unwrap_or(0.0),
                headroom: None,
            };
            let of_suite = suite.as_ref().map(|s| format!(" of suite `{s}`")).unwrap_or_default();
            if answers.insert((suite, task_id.clone(), sample), outcome).is_some() {
                problems
                    .push(format!("{at}: a second answer for task `{task_id}`{of_suite} sample {sample}"));
            }
        }
        if !problems.is_empty() {
            problems.truncate(20);
            return Err(problems.join("\n"));
        }
        Ok(ReplayProvider { answers })
    }
}

impl Provider for ReplayProvider {
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>> {
        let (task_id, sample) = (req.task_id.clone(), req.sample);
        let answer = self
            .answers
            .get(&(Some(req.suite.clone()), task_id.clone(), sample))
            .or_else(|| self.answers.get(&(None, task_id, sample)))
            .cloned()
            .ok_or_else(|| ProviderError {
                class: ErrorClass::BadResponse,
                status: None,
                message: format!(
                    "the replay file has no answer for task `{}` of suite `{}` sample {}",
                    req.task_id, req.suite, req.sample
                ),
                retry_after: None,
                should_retry: Some(false),
                partial_usage: None,
            });
        Box::pin(async move { answer })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(task_id: &str, sample: u32) -> ChatRequest {
        in_suite("s", task_id, sample)
    }

    fn in_suite(suite: &str, task_id: &str, sample: u32) -> ChatRequest {
        ChatRequest {
            system: None,
            messages: vec![],
            tools: vec![],
            max_tokens: 10,
            temperature: None,
            top_p: None,
            suite: suite.into(),
            task_id: task_id.into(),
            sample,
        }
    }

    #[tokio::test]
    async fn answers_by_task_and_sample_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.jsonl");
        std::fs::write(
            &path,
            "{\"task_id\": \"a\", \"output\": \"first\"}\n{\"task_id\": \"a\", \"output\": \"second\"}\n{\"task_id\": 7, \"output\": \"x\", \"usage\": {\"input\": 3, \"output\": 4}}\n",
        )
        .unwrap();
        let replay = ReplayProvider::from_file(&path).unwrap();
        assert_eq!(replay.complete(&request("a", 0)).await.unwrap().text, "first");
        assert_eq!(replay.complete(&request("a", 1)).await.unwrap().text, "second");
        assert_eq!(replay.complete(&request("7", 0)).await.unwrap().usage.output, 4);
        let missing = replay.complete(&request("b", 0)).await.unwrap_err();
        assert_eq!(missing.class, ErrorClass::BadResponse);
        assert!(missing.message.contains("`b`"));
    }

    #[test]
    fn reports_bad_lines_with_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.jsonl");
        std::fs::write(&path, "{\"task_id\": \"a\", \"output\": \"x\"}\n{\"task_id\": \"a\"}\n{\"task_id\": \"a\", \"output\": \"y\", \"sample\": 0}\n").unwrap();
        let err = ReplayProvider::from_file(&path).unwrap_err();
        assert!(err.contains("answers.jsonl:2: missing field `output`"), "{err}");
        assert!(err.contains("answers.jsonl:3: a second answer for task `a` sample 0"), "{err}");
    }

    #[tokio::test]
    async fn suites_with_the_same_task_ids_are_answered_separately() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.jsonl");
        std::fs::write(
            &path,
            concat!(
                "{\"suite\": \"math\", \"task_id\": \"t1\", \"output\": \"math one\"}\n",
                "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"code one\"}\n",
                "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"code one again\"}\n",
                "{\"task_id\": \"t1\", \"output\": \"any one\"}\n",
                "{\"task_id\": \"t2\", \"output\": \"any two\"}\n",
            ),
        )
        .unwrap();
        let replay = ReplayProvider::from_file(&path).unwrap();
        let text =
            async |suite, task, sample| replay.complete(&in_suite(suite, task, sample)).await.unwrap().text;
        assert_eq!(text("math", "t1", 0).await, "math one");
        assert_eq!(text("code", "t1", 0).await, "code one");
        assert_eq!(text("code", "t1", 1).await, "code one again", "samples count per suite");
        assert_eq!(text("qa", "t1", 0).await, "any one", "a line without a suite answers any suite");
        assert_eq!(text("math", "t2", 0).await, "any two", "and fills in where the suite has no line");
        assert!(replay.complete(&in_suite("math", "t1", 1)).await.is_err(), "no line has that sample");
    }

    #[tokio::test]
    async fn a_line_for_another_suite_does_not_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.jsonl");
        std::fs::write(&path, "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"x\"}\n").unwrap();
        let replay = ReplayProvider::from_file(&path).unwrap();
        let missing = replay.complete(&in_suite("math", "t1", 0)).await.unwrap_err();
        assert_eq!(missing.class, ErrorClass::BadResponse);
        assert!(missing.message.contains("`t1` of suite `math`"), "{}", missing.message);
        assert_eq!(replay.complete(&in_suite("code", "t1", 0)).await.unwrap().text, "x");
    }
}
