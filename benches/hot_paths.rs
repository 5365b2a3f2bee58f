//! Criterion benches of the CPU work bench does per answer: parsing SSE, checking the answer, and the
//! paired statistics of a comparison.
//!
//!     cargo bench --bench hot_paths

use bench::analysis::stats;
use bench::families::custom::matching::MatchMode;
use bench::provider::SseParser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// An OpenAI-style stream of `n` content chunks, as a provider would send it.
fn openai_stream(n: usize) -> Vec<u8> {
    let mut out = String::from(": keep-alive\n\n");
    for i in 0..n {
        out.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"token{i} \"}},\"finish_reason\":null}}]}}\n\n"
        ));
    }
    out.push_str("data: [DONE]\n\n");
    out.into_bytes()
}

fn sse(c: &mut Criterion) {
    let stream = openai_stream(1000);
    let mut group = c.benchmark_group("sse");
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("parse 1000-chunk stream in 1 KiB reads", |b| {
        b.iter(|| {
            let mut parser = SseParser::new();
            let mut events = 0;
            for chunk in stream.chunks(1024) {
                parser.feed_with(black_box(chunk), |_| events += 1);
            }
            events
        })
    });
    group.finish();
}

fn matching(c: &mut Criterion) {
    let answer = "Let me work through this. The order has 3 seats at $49 a month for 12 months, which is \
                  3 * 49 * 12 = 1,764, plus the setup fee of $150. The answer is $1,914.";
    let expected = serde_json::json!("1914");
    c.bench_function("match number in a worked answer", |b| {
        b.iter(|| MatchMode::Number.check(black_box(&expected), black_box(answer)))
    });
    let json_answer =
        "Here you go:\n```json\n{\"name\": \"Li Wei\", \"age\": 34, \"tags\": [\"a\", \"b\"]}\n```";
    let json_expected = serde_json::json!({"age": 34, "name": "Li Wei", "tags": ["a", "b"]});
    c.bench_function("match json in a fenced answer", |b| {
        b.iter(|| MatchMode::Json.check(black_box(&json_expected), black_box(json_answer)))
    });
}

fn statistics(c: &mut Criterion) {
    let baseline: Vec<f64> = (0..500).map(|i| if i % 10 < 8 { 1.0 } else { 0.0 }).collect();
    let candidate: Vec<f64> = (0..500).map(|i| if i % 10 < 7 { 1.0 } else { 0.0 }).collect();
    c.bench_function("paired comparison of 500 pass/fail tasks", |b| {
        b.iter(|| stats::compare_paired(black_box(&baseline), black_box(&candidate), 7))
    });
}

criterion_group!(benches, sse, matching, statistics);
criterion_main!(benches);
