//! The attempts log as JSON Lines: one object per HTTP attempt or cache hit of a run, retries
//! included, in the store's order (provider, suite, task id, sample, attempt). Streamed from the
//! store to the writer a line at a time, so a run of millions of attempts is never held whole.

use std::io::{self, Write};

use serde::Serialize;

use crate::store::{AttemptRow, Reads, StoreError};

#[derive(Serialize)]
struct Line<'a> {
    run_id: &'a str,
    #[serde(flatten)]
    attempt: &'a AttemptRow,
}

/// One attempt as a JSON line (with its final newline).
pub fn line(run_id: &str, attempt: &AttemptRow) -> Result<String, String> {
    serde_json::to_string(&Line { run_id, attempt })
        .map(|json| json + "\n")
        .map_err(|e| format!("cannot write an attempt as JSON: {e}"))
}

/// Write every attempt of run `run_id` to `out`; the number of lines written. A store error comes
/// back as an error of kind `Other` with the store's message.
pub fn write(store: &dyn Reads, run_id: &str, out: &mut dyn Write) -> io::Result<u64> {
    let mut written = 0;
    let mut failed = None;
    store
        .attempts(run_id, &mut |attempt| {
            if failed.is_some() {
                return;
            }
            let line = line(run_id, &attempt).map_err(io::Error::other);
            match line.and_then(|l| out.write_all(l.as_bytes())) {
                Ok(()) => written += 1,
                Err(e) => failed = Some(e),
            }
        })
        .map_err(|StoreError(e)| io::Error::other(e))?;
    match failed {
        Some(e) => Err(e),
        None => Ok(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Usage;

    /// Attempts of four of the example run's items, the rate-limited one tried three times.
    fn attempts() -> Vec<AttemptRow> {
        let mut out = Vec::new();
        for (provider, ids) in [("claude", 1..=2), ("kimi", 3..=4)] {
            for i in ids {
                let limited = provider == "kimi" && i == 3;
                for attempt in 1..=(if limited { 3 } else { 1 }) {
                    out.push(AttemptRow {
                        suite: "support".into(),
                        task_id: format!("t{i}"),
                        provider: provider.into(),
                        sample: 0,
                        attempt,
                        started_at: format!("2026-12-07T12:00:0{attempt}Z"),
                        latency_ms: 800.0 + 100.0 * f64::from(i),
                        ttft_ms: (!limited).then_some(200.0),
                        ok: !limited,
                        error_class: limited.then(|| "rate_limited".into()),
                        http_status: limited.then_some(429),
                        error_message: limited.then(|| "429 Too Many Requests".into()),
                        usage: if limited {
                            Usage::default()
                        } else {
                            Usage { input: 1200, output: 300, ..Usage::default() }
                        },
                        cost: if limited { 0.0 } else { 0.01 },
                        from_cache: false,
                        usage_estimated: false,
                    });
                }
            }
        }
        out
    }

    #[test]
    fn one_line_per_attempt_retries_included() {
        let text: String = attempts().iter().map(|a| line("20261207-120000-abcd", a).unwrap()).collect();
        insta::with_settings!({filters => vec![(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[timestamp]")]}, {
            insta::assert_snapshot!(text);
        });
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 6);
        let retries: Vec<u64> = lines
            .iter()
            .filter(|l| l["error_class"] == "rate_limited")
            .map(|l| l["attempt"].as_u64().unwrap())
            .collect();
        assert_eq!(retries, [1, 2, 3]);
        assert_eq!(lines[0]["usage"]["input"], 1200);
        assert_eq!(lines[0]["run_id"], "20261207-120000-abcd");
    }
}
