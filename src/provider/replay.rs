//! The `replay` provider: answers produced elsewhere (a production log, another harness, an earlier
//! export), read from JSONL and scored and compared like any provider's.
//!
//! One answer a line: `{"task_id": "t1", "output": "..."}`, optionally with `sample` (from 0),
//! `reasoning`, `usage` (`{"input": .., "output": ..}`) and `latency_ms`. Several lines for one task
//! without `sample` are its samples in file order.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::{ChatRequest, ErrorClass, Outcome, Provider, ProviderError, StopReason, Usage};

/// Answers keyed by (task id, sample).
#[derive(Debug)]
pub struct ReplayProvider {
    answers: HashMap<(String, u32), Outcome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
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
        let mut next_sample: HashMap<String, u32> = HashMap::new();
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
            let counter = next_sample.entry(task_id.clone()).or_insert(0);
            let sample = parsed.sample.unwrap_or(*counter);
            *counter = sample + 1;
            let usage = parsed.usage.unwrap_or_default();
            let outcome = Outcome {
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
            if answers.insert((task_id.clone(), sample), outcome).is_some() {
                problems.push(format!("{at}: a second answer for task `{task_id}` sample {sample}"));
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
        let answer =
            self.answers.get(&(req.task_id.clone(), req.sample)).cloned().ok_or_else(|| ProviderError {
                class: ErrorClass::BadResponse,
                status: None,
                message: format!(
                    "the replay file has no answer for task `{}` sample {}",
                    req.task_id, req.sample
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
        ChatRequest {
            system: None,
            messages: vec![],
            tools: vec![],
            max_tokens: 10,
            temperature: None,
            top_p: None,
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
}
