//! Rendering the reports of a stored run of 100,000 answers with the real `bench` binary: wall time
//! and peak RSS of `bench report latest --format html` (goals: under 2 s; the file under 30 MB), and
//! of the other formats for comparison. Every format but jsonl loads the run and computes its summary
//! first: `json` (summary.json alone) shows what that costs, the rest is the format's own.
//!
//! The run is made first by `bench compare`: N tasks with prompts and answers of realistic length
//! (a few hundred characters), five categories, two priced providers (one gets every seventh task
//! wrong) on a loopback server that answers at once.
//!
//!     cargo bench --bench report              # N = 50,000 tasks x 2 providers = 100,000 answers
//!     cargo bench --bench report -- 10000     # N tasks x 2 providers

#[allow(dead_code, reason = "the tests' server module; this benchmark uses part of it")]
#[path = "../tests/it/server.rs"]
mod server;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Peak RSS of a live process, KiB (its high-water mark).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// Run `bench ARGS` in `dir`: wall time and peak RSS (VmHWM sampled every 2 ms while it runs).
fn measure(dir: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bench");
    let mut peak = 0;
    while child.try_wait().expect("wait").is_none() {
        peak = peak.max(peak_rss_kib(child.id()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(2));
    }
    let wall = start.elapsed();
    assert!(child.wait().expect("bench status").success(), "bench {args:?} failed");
    (wall, peak)
}

const FILLER: &str = "The customer writes from the billing portal and attaches the last three invoices, \
    asking us to check the arithmetic before the quarter closes; the account manager adds that the \
    client is on the annual plan with a discount, and that the figures below are in euros.";

/// N tasks of a few hundred characters each, in five categories.
fn suite(n: u64) -> String {
    let categories = ["billing", "refunds", "search", "accounts", "shipping"];
    (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("t{i}"),
                "prompt": format!("{FILLER} Invoice {i}: what is {i} + {i}?"),
                "expected": (2 * i).to_string(),
                "match": "number",
                "category": categories[(i % 5) as usize],
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// Open the report in headless Chromium (scripts/check-report.py) and print how long it took to load,
/// to filter and to scroll; skipped, with a note, where Chromium is missing.
fn chromium_check(report: &Path) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/check-report.py");
    let out = match Command::new("python3").arg(script).arg(report).output() {
        Ok(out) if out.status.code() != Some(2) => out,
        _ => {
            println!("  (chromium or python3 missing: the page was not opened)");
            return;
        }
    };
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check-report verdict");
    println!(
        "  in headless Chromium: load {:.2} s, slowest filter {:.0} ms, jump to the end {:.0} ms, {} rows in the page, failures {}",
        verdict["load_s"].as_f64().unwrap_or(f64::NAN),
        verdict["slowest_filter_ms"].as_f64().unwrap_or(f64::NAN),
        verdict["scroll_ms"].as_f64().unwrap_or(f64::NAN),
        verdict["dom_rows"],
        verdict["failures"]
    );
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn main() {
    let n: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(50_000);
    let srv = server::Server::start_unrecorded(|req, _| {
        let prompt = req.prompt();
        let i: u64 =
            prompt.rsplit(": what is ").next().and_then(|s| s.split(' ').next()?.parse().ok()).unwrap_or(0);
        let wrong = !req.is_anthropic() && i.is_multiple_of(7);
        let text = format!(
            "Let me check the invoice step by step. {FILLER} Adding the two amounts gives {}. The answer is {}.",
            2 * i,
            if wrong { 2 * i + 1 } else { 2 * i }
        );
        server::answer(req, &text)
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let config = format!(
        "[providers.claude]\nprotocol = \"anthropic\"\nbase_url = \"{url}\"\nmodel = \"claude-test\"\napi_key_required = false\nmax_concurrency = 32\n[providers.claude.price]\ninput = 3.0\noutput = 15.0\n\n\
         [providers.kimi]\nprotocol = \"openai\"\nbase_url = \"{url}/v1\"\nmodel = \"kimi-test\"\napi_key_required = false\nmax_concurrency = 32\n[providers.kimi.price]\ninput = 0.6\noutput = 2.5\n",
        url = srv.url()
    );
    std::fs::write(dir.path().join("bench.toml"), config).expect("write config");
    std::fs::write(dir.path().join("suite.jsonl"), suite(n)).expect("write suite");

    let (compare, compare_peak) =
        measure(dir.path(), &["compare", "claude", "kimi", "--suite", "suite.jsonl", "--no-cache"]);
    println!("report: {n} tasks x 2 providers = {} answers", 2 * n);
    println!(
        "  bench compare (the run, then summary.json and report.html): {:.1} s, peak RSS {:.1} MB",
        compare.as_secs_f64(),
        mb(compare_peak)
    );
    println!("  {:<8} {:>9} {:>9} {:>11} {:>10}", "format", "wall", "best of 3", "peak RSS", "file");
    let formats = [
        ("json", "summary.json"),
        ("html", "report.html"),
        ("csv", "report.csv"),
        ("junit", "junit.xml"),
        ("jsonl", "attempts.jsonl"),
    ];
    for (format, file) in formats {
        let runs: Vec<(Duration, u64)> = (0..3)
            .map(|_| measure(dir.path(), &["report", "latest", "--format", format, "--output", file]))
            .collect();
        let best = runs.iter().map(|r| r.0).min().unwrap_or_default();
        let median = {
            let mut walls: Vec<Duration> = runs.iter().map(|r| r.0).collect();
            walls.sort();
            walls[1]
        };
        let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
        let size = std::fs::metadata(dir.path().join(file)).map(|m| m.len()).unwrap_or(0);
        println!(
            "  {format:<8} {:>7.2} s {:>7.2} s {:>8.1} MB {:>7.1} MB",
            median.as_secs_f64(),
            best.as_secs_f64(),
            mb(peak),
            size as f64 / 1e6
        );
        if format == "html" {
            chromium_check(&dir.path().join(file));
            println!(
                "  goals: html under 2 s ({}) and under 30 MB ({})",
                if median.as_secs_f64() < 2.0 { "met" } else { "missed" },
                if size < 30_000_000 { "met" } else { "missed" }
            );
        }
    }
}
