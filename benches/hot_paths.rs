//! Criterion benches of the CPU work bench does per answer: parsing SSE, checking the answer, and the
//! paired statistics of a comparison; building a long-context prompt when it is sent; and loading
//! and checking BFCL's data when ../shared/data/bfcl is there.
//!
//!     cargo bench --bench hot_paths

use bench::analysis::stats;
use bench::core::{Outcome, StopReason, count_o200k};
use bench::families::context::{kinds::Kind, line::Recipe, prompt};
use bench::families::custom::matching::MatchMode;
use bench::families::math::score_answer;
use bench::families::{Registry, SuiteSpec, bfcl};
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

/// A realistic mix of model outputs and gold answers: GSM8K worked answers, MATH answers in every
/// shape the checker knows (fractions, radicals, expressions, tuples, sets, intervals, matrices,
/// equations, choices), right and wrong, some with a thinking block.
fn math_mix() -> Vec<(String, &'static str)> {
    let reasoning = "First, let us restate the problem. We know the quantities involved and we set up the \
                     relation step by step. Substituting the values gives an intermediate result of 3 * 14 = 42, \
                     then we subtract 7 to get 35, and after checking the units we are confident. ";
    let cases: &[(&str, &str)] = &[
        ("Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether.\n#### 72", "72"),
        ("She pays 1,200 + 350 = 1,550 dollars.\n#### 1,550", "1550"),
        ("So the total is $18.", "18"),
        ("The answer is 1,450,001.", "1,450,000"),
        ("Therefore the probability is $\\boxed{\\dfrac{3}{8}}$.", "\\frac{3}{8}"),
        ("So $x = \\boxed{0.375}$.", "\\frac38"),
        ("Simplifying, we get $\\boxed{2\\sqrt{3}}$.", "\\sqrt{12}"),
        ("Hence $\\boxed{\\frac{\\sqrt{2}}{2}}$.", "\\frac{1}{\\sqrt{2}}"),
        ("The expression equals $\\boxed{\\frac{x+1}{2}}$.", "0.5x+0.5"),
        ("Expanding, $\\boxed{x^2+2x+1}$.", "(x+1)^2"),
        ("The point is $\\boxed{(3, -\\frac{1}{2})}$.", "(3,-0.5)"),
        ("The solutions are $\\boxed{-2, 3}$.", "3, -2"),
        ("The set is $\\boxed{\\{1, 2, 3\\}}$.", "\\{3,2,1\\}"),
        ("So $x \\in \\boxed{(-\\infty, 2] \\cup (5, \\infty)}$.", "(5,\\infty)\\cup(-\\infty,2]"),
        (
            "$\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}$",
            "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
        ),
        ("The line is $\\boxed{y = 2x + 1}$.", "2y-4x=2"),
        ("The answer is (C).", "C"),
        ("Final Answer: The final answer is $\\frac{7}{12}$. I hope it is correct.", "\\frac{7}{12}"),
        ("<think>maybe \\boxed{4}</think> The final answer is \\boxed{5}.", "5"),
        ("The measure is $\\boxed{45^\\circ}$.", "45"),
        ("So the answer is $\\boxed{\\frac{5}{9}}$.", "\\frac{4}{9}"),
        ("We get $\\boxed{3\\sqrt{2}}$.", "2\\sqrt{3}"),
    ];
    cases.iter().map(|(tail, gold)| (format!("{reasoning}{reasoning}{tail}"), *gold)).collect()
}

fn math_checker(c: &mut Criterion) {
    let mix = math_mix();
    let mut group = c.benchmark_group("math");
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.bench_function("extract and check a realistic mix of answers", |b| {
        b.iter(|| mix.iter().filter(|(output, gold)| score_answer(black_box(output), gold).passed).count())
    });
    group.finish();
}

/// A 1M-token prompt, as a long-context request builds it when it is sent: the haystack of synthetic
/// prose with its needle at half depth, and its exact o200k count (the builder's own, summed as it
/// builds); then, for comparison, the same text counted again by the encoder.
fn long_context(c: &mut Criterion) {
    let recipe =
        Recipe { kind: Kind::NiahSingle, length: 1_048_576, depth: Some(50), seed: 7, haystack: None };
    let built = prompt::build(&recipe, None);
    let mut group = c.benchmark_group("long_context");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(built.text.len() as u64));
    group.bench_function("build and count a 1M-token haystack with its needle", |b| {
        b.iter(|| prompt::build(black_box(&recipe), None).tokens)
    });
    group.bench_function("count the same 1M-token prompt with the o200k encoder", |b| {
        b.iter(|| count_o200k(black_box(&built.text)))
    });
    group.finish();
}

/// An answer made of these tool calls.
fn tool_answer(tool_calls: Vec<bench::core::ToolCall>) -> Outcome {
    Outcome { tool_calls, stop: StopReason::ToolUse, latency_ms: 1.0, ..Outcome::default() }
}

fn bfcl_data(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bfcl");
    if !dir.is_dir() {
        eprintln!("bfcl: skipped, {} not found", dir.display());
        return;
    }
    let spec = match SuiteSpec::parse(&format!("bfcl:{}", dir.display())) {
        Ok(spec) => spec,
        Err(e) => panic!("{e}"),
    };
    let registry = Registry::default();
    let tasks = match registry.load(&spec) {
        Ok(tasks) => tasks,
        Err(e) => panic!("{e}"),
    };
    let answers: Vec<Outcome> = tasks
        .iter()
        .map(|task| match bfcl::reference_calls(task) {
            Ok(calls) => tool_answer(calls),
            Err(e) => panic!("{}: {e}", task.id),
        })
        .collect();
    let mut group = c.benchmark_group("bfcl");
    group.throughput(Throughput::Elements(tasks.len() as u64));
    group.bench_function("load every question and ground-truth file", |b| {
        b.iter(|| registry.load(black_box(&spec)).map(|tasks| tasks.len()))
    });
    group.bench_function("check every ground-truth answer", |b| {
        b.iter(|| {
            tasks
                .iter()
                .zip(&answers)
                .filter(|(task, answer)| registry.score(task, black_box(answer)).passed)
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, sse, matching, statistics, math_checker, long_context, bfcl_data);
criterion_main!(benches);
