//! Whole-run benchmark: the real `bench` binary against a loopback OpenAI-compatible server that answers
//! every request after a fixed latency L.
//!
//! With N tasks and C requests in flight the ideal wall time is N*L/C; the harness's own overhead shows
//! as the ratio wall / ideal (goal <= 1.05). Peak RSS of the bench process is read from /proc (VmHWM,
//! its high-water mark) while it runs (goal < 100 MB).
//!
//!     cargo bench --bench whole_run                 # N=5000, C=64, L=50ms
//!     cargo bench --bench whole_run -- 2000 32 20   # N C L_ms
//!
//! Scale mode: N tasks x 3 providers (three entries for the same loopback server, which answers at
//! once), `--no-cache`, for N = 1,000, 10,000 and 100,000 in turn. Memory must not grow with the work
//! (what grows is the store on disk): goals are a peak RSS of at most 200 MB at 100,000 tasks, and at
//! most 30 MB more at 10,000 tasks than at 1,000.
//!
//!     cargo bench --bench whole_run -- scale                # N = 1000 10000 100000
//!     cargo bench --bench whole_run -- scale 1000 20000     # other sizes
//!
//! Episodes mode: the agent loop's overhead. E episodes of T turns each (T-1 tool calls into the
//! bundled business environment, then a final answer) against a server with latency L, C in flight,
//! next to a single-turn run of E*T requests on the same server: both send the same number of
//! requests, so the ratio of their wall times is what the turn loop costs (goal <= 1.10).
//!
//!     cargo bench --bench whole_run -- episodes             # E=1000, T=5, C=64, L=50ms
//!
//! Long-context mode: 10 and then 1,000 tasks of 128k tokens (niah_single, prompts built when sent)
//! against a server that answers at once, 8 in flight. What is queued holds recipes, not haystacks,
//! so the goal is a peak RSS for 1,000 tasks within 50 MB of the peak for 10.
//!
//!     cargo bench --bench whole_run -- long-context

#[allow(dead_code, reason = "the tests' server module; this benchmark uses part of it")]
#[path = "../tests/it/server.rs"]
mod server;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// The largest peak RSS of any child waited for so far, in KiB (Linux reports `ru_maxrss` in KiB).
fn children_max_rss_kib() -> u64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map(|u| u64::try_from(u.max_rss()).unwrap_or(0))
        .unwrap_or(0)
}

/// One `bench compare` run in a fresh folder.
struct Run {
    dir: tempfile::TempDir,
    wall: Duration,
    /// Peak RSS of the bench process, KiB.
    peak_kib: u64,
    summary: serde_json::Value,
}

/// A custom suite of `n` arithmetic tasks.
fn arithmetic_suite(n: u64) -> Suite {
    let text = (0..n)
        .map(|i| format!("{{\"id\": \"t{i}\", \"prompt\": \"Task {i}: what is 2 + 2?\", \"expected\": \"4\", \"match\": \"number\"}}\n"))
        .collect();
    Suite { text, spec: "suite.jsonl", tasks: n, all_pass: true }
}

/// A suite file's text, how to name it on the command line, and how many tasks it holds.
struct Suite {
    text: String,
    spec: &'static str,
    tasks: u64,
    /// The server answers every task right (else the run only has to score every task).
    all_pass: bool,
}

/// Write `bench.toml` (one provider per name, all on `base`, `concurrency` requests each) and the
/// suite, run `bench compare` on them with `--no-cache --json`, and measure its wall time and peak RSS.
fn run_bench(base: &str, names: &[String], suite: &Suite, concurrency: u64) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let config: String = names
        .iter()
        .map(|name| {
            format!(
                "[providers.{name}]\nprotocol = \"openai\"\nbase_url = \"{base}/v1\"\nmodel = \"m\"\napi_key_required = false\nmax_concurrency = {concurrency}\n\n"
            )
        })
        .collect();
    std::fs::write(dir.path().join("bench.toml"), config).expect("write config");
    std::fs::write(dir.path().join("suite.jsonl"), &suite.text).expect("write suite");
    let n = suite.tasks;

    // VmHWM is sampled while the process lives; the peak of its last milliseconds shows in the children's
    // ru_maxrss once it is waited for (that figure is the largest of every child so far, so it counts
    // only when this child raised it).
    let children_before = children_max_rss_kib();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bench"))
        .arg("compare")
        .args(names)
        .args(["--suite", suite.spec, "--no-cache", "--json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bench");
    let pid = child.id();
    let stdout = child.stdout.take().expect("bench stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut { stdout }, &mut out).expect("read bench output");
        out
    });
    let mut peak = 0;
    while child.try_wait().expect("wait").is_none() {
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed();
    let status = child.wait().expect("bench status");
    let children_after = children_max_rss_kib();
    if children_after > children_before {
        peak = peak.max(children_after);
    }
    let stdout = reader.join().expect("bench output");
    assert!(status.success(), "bench failed");
    let summary: serde_json::Value = serde_json::from_slice(&stdout).expect("summary JSON");
    let counted = if suite.all_pass { "passed" } else { "scored" };
    for i in 0..names.len() {
        assert_eq!(summary["providers"][i][counted].as_u64(), Some(n), "every task answered and scored");
    }
    Run { dir, wall, peak_kib: peak, summary }
}

/// Size of the store's files (database and write-ahead log) under `dir`, in MB.
fn store_mb(dir: &std::path::Path) -> f64 {
    let bytes: u64 = ["bench.sqlite", "bench.sqlite-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join("results").join(f)).ok())
        .map(|m| m.len())
        .sum();
    bytes as f64 / 1e6
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Scale mode: `sizes` tasks x 3 providers against a server that answers at once.
fn scale(sizes: &[u64]) {
    const CONCURRENCY: u64 = 16;
    let srv = server::Server::start_unrecorded(|req, _| server::answer(req, "The answer is 4."));
    let names: Vec<String> = (1..=3).map(|i| format!("loop{i}")).collect();
    println!(
        "scale: N tasks x {} providers (max_concurrency {CONCURRENCY} each) against one zero-latency loopback server, --no-cache",
        names.len()
    );
    println!("  {:>9}  {:>9}  {:>10}  {:>10}", "N", "wall", "peak RSS", "store");
    let mut peaks = Vec::new();
    for &n in sizes {
        let served = srv.served();
        let run = run_bench(&srv.url(), &names, &arithmetic_suite(n), CONCURRENCY);
        assert_eq!((srv.served() - served) as u64, n * names.len() as u64, "one request per item");
        assert_eq!(run.summary["providers"].as_array().map(Vec::len), Some(names.len()));
        println!(
            "  {n:>9}  {:>7.2} s  {:>7.1} MB  {:>7.1} MB",
            run.wall.as_secs_f64(),
            mb(run.peak_kib),
            store_mb(run.dir.path())
        );
        peaks.push((n, run.peak_kib));
    }
    let peak_at = |n: u64| peaks.iter().find(|(m, _)| *m == n).map(|(_, p)| *p);
    if let Some(peak) = peak_at(100_000) {
        println!("  peak RSS at 100,000 tasks: {:.1} MB (goal <= 200 MB)", mb(peak));
    }
    if let (Some(small), Some(large)) = (peak_at(1_000), peak_at(10_000)) {
        println!(
            "  peak RSS at 10,000 minus at 1,000: {:+.1} MB (goal <= 30 MB)",
            (large as f64 - small as f64) / 1024.0
        );
    }
}

/// The same N streamed requests, C at a time, from a minimal tokio + reqwest client that only reads
/// each body to the end: what plain HTTP achieves against this server on this machine.
fn peer_run(base: &str, n: u64, c: u64) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let client = reqwest::Client::builder().tcp_nodelay(true).build().expect("client");
    let url = format!("{base}/v1/chat/completions");
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let start = Instant::now();
    runtime.block_on(async {
        let workers: Vec<_> = (0..c)
            .map(|_| {
                let (client, url, next) = (client.clone(), url.clone(), next.clone());
                tokio::spawn(async move {
                    while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < n {
                        let body = serde_json::json!({"model": "m", "stream": true,
                            "messages": [{"role": "user", "content": "what is 2 + 2?"}]});
                        let response = client.post(&url).json(&body).send().await.expect("peer request");
                        response.bytes().await.expect("peer body");
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("peer worker");
        }
    });
    start.elapsed()
}

/// Episodes mode: `episodes` tool-use episodes of `turns` requests, then the same number of single
/// requests, each against a server answering after `latency`, `c` at a time.
fn episodes(episodes: u64, turns: usize, c: u64, latency: Duration) {
    let srv = server::Server::start_unrecorded(move |req, _| {
        let done = req.body["messages"]
            .as_array()
            .map_or(0, |m| m.iter().filter(|m| m["role"] == "assistant").count());
        let reply = if !req.body["tools"].is_array() {
            server::answer(req, "The answer is 4.")
        } else if done + 1 < turns && !req.prompt().starts_with("Say") {
            let call =
                (format!("call_{done}"), "list_customers".to_string(), serde_json::json!({"segment": "smb"}));
            server::tool_calls(req, &[call])
        } else {
            server::answer(req, "All done.")
        };
        server::Reply::After(latency, Box::new(reply))
    });
    let tool_tasks = |n: u64, prompt: &str| -> String {
        (0..n)
            .map(|i| format!("{{\"id\": \"e{i}\", \"env\": \"business\", \"seed\": 1, \"prompt\": \"{prompt}\", \"facts\": [\"done\"]}}\n"))
            .collect()
    };
    let agent = Suite {
        text: tool_tasks(episodes, "List the smb customers, then say done."),
        spec: "tools:suite.jsonl",
        tasks: episodes,
        all_pass: true,
    };
    let names = ["loop".to_string()];
    let with_turns = run_bench(&srv.url(), &names, &agent, c);
    let requests = episodes * turns as u64;
    assert_eq!(srv.served() as u64, requests, "{turns} requests per episode");
    let single = run_bench(&srv.url(), &names, &arithmetic_suite(requests), c);
    // One-turn episodes: the same requests with the same tools offered, without the loop's later turns.
    let one_turn = Suite {
        text: tool_tasks(requests, "Say done."),
        spec: "tools:suite.jsonl",
        tasks: requests,
        all_pass: true,
    };
    let one_turn = run_bench(&srv.url(), &names, &one_turn, c);

    let ideal = latency.as_secs_f64() * requests as f64 / c as f64;
    println!("episodes: E={episodes} x T={turns} turns, C={c}, L={}ms", latency.as_millis());
    println!("  ideal E*T*L/C          {ideal:.3} s");
    println!(
        "  episodes               {:.3} s (ratio to ideal {:.3}), peak RSS {:.1} MB",
        with_turns.wall.as_secs_f64(),
        with_turns.wall.as_secs_f64() / ideal,
        mb(with_turns.peak_kib)
    );
    println!(
        "  single turn, E*T tasks {:.3} s (ratio to ideal {:.3}), peak RSS {:.1} MB",
        single.wall.as_secs_f64(),
        single.wall.as_secs_f64() / ideal,
        mb(single.peak_kib)
    );
    println!(
        "  one-turn episodes, E*T {:.3} s (ratio to ideal {:.3}), peak RSS {:.1} MB: the same tools offered",
        one_turn.wall.as_secs_f64(),
        one_turn.wall.as_secs_f64() / ideal,
        mb(one_turn.peak_kib)
    );
    println!(
        "  episodes / single      {:.3} (goal <= 1.10)",
        with_turns.wall.as_secs_f64() / single.wall.as_secs_f64()
    );
    println!(
        "  episodes / one-turn    {:.3}: the turn loop itself, tools offered alike",
        with_turns.wall.as_secs_f64() / one_turn.wall.as_secs_f64()
    );
}

/// A generated long-context suite of `depths x per_cell` niah_single tasks of 128k tokens.
fn long_context_suite(depths: u64, per_cell: u64) -> Suite {
    let dir = tempfile::tempdir().expect("temp dir");
    let depths: Vec<String> = (0..depths).map(|d| d.to_string()).collect();
    let status = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args([
            "suites",
            "generate",
            "long-context",
            "--seed",
            "1",
            "--lengths",
            "128k",
            "--kinds",
            "niah_single",
        ])
        .args(["--depths", &depths.join(","), "--per-cell", &per_cell.to_string(), "--out", "lc.jsonl"])
        .current_dir(dir.path())
        .status()
        .expect("generate");
    assert!(status.success(), "bench suites generate failed");
    let text = std::fs::read_to_string(dir.path().join("lc.jsonl")).expect("read suite");
    let tasks = text.lines().count() as u64;
    Suite { text, spec: "long-context:suite.jsonl", tasks, all_pass: false }
}

/// Long-context mode: peak RSS of 10 and of 1,000 queued 128k-token tasks.
fn long_context() {
    const CONCURRENCY: u64 = 8;
    let srv =
        server::Server::start_unrecorded(|req, _| server::answer(req, "The special magic number is 1."));
    let names = ["loop".to_string()];
    println!(
        "long context: tasks of 128k tokens built when sent, {CONCURRENCY} in flight, zero-latency server"
    );
    let mut peaks = Vec::new();
    for (depths, per_cell) in [(10, 1), (100, 10)] {
        let suite = long_context_suite(depths, per_cell);
        let run = run_bench(&srv.url(), &names, &suite, CONCURRENCY);
        println!(
            "  {:>5} tasks  {:>7.2} s  peak RSS {:>6.1} MB",
            suite.tasks,
            run.wall.as_secs_f64(),
            mb(run.peak_kib)
        );
        peaks.push(run.peak_kib);
    }
    println!(
        "  peak RSS at 1,000 tasks minus at 10: {:+.1} MB (goal <= 50 MB)",
        (peaks[1] as f64 - peaks[0] as f64) / 1024.0
    );
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<u64> = raw.iter().filter_map(|a| a.parse().ok()).collect();
    if raw.iter().any(|a| a == "long-context") {
        long_context();
        return;
    }
    if raw.iter().any(|a| a == "episodes") {
        episodes(1000, 5, 64, Duration::from_millis(50));
        return;
    }
    if raw.iter().any(|a| a == "scale") {
        let sizes = if args.is_empty() { vec![1_000, 10_000, 100_000] } else { args };
        scale(&sizes);
        return;
    }
    let n = args.first().copied().unwrap_or(5000);
    let c = args.get(1).copied().unwrap_or(64);
    let latency = Duration::from_millis(args.get(2).copied().unwrap_or(50));

    let srv = server::Server::start(move |req, _| {
        server::Reply::After(latency, Box::new(server::answer(req, "The answer is 4.")))
    });
    let Run { dir, wall, peak_kib: peak, .. } =
        run_bench(&srv.url(), &["loop".to_string()], &arithmetic_suite(n), c);
    assert_eq!(srv.requests().len() as u64, n);

    let db = rusqlite::Connection::open(dir.path().join("results/bench.sqlite")).expect("open results");
    let mean_request_ms: f64 =
        db.query_row("SELECT AVG(latency_ms) FROM attempts", [], |r| r.get(0)).expect("mean latency");

    let peer = peer_run(&srv.url(), n, c);

    let ideal = latency.as_secs_f64() * n as f64 / c as f64;
    println!("whole run: N={n} C={c} L={}ms", latency.as_millis());
    println!("  wall time        {:.3} s", wall.as_secs_f64());
    println!("  ideal N*L/C      {ideal:.3} s");
    println!("  ratio            {:.3} (goal <= 1.05)", wall.as_secs_f64() / ideal);
    println!(
        "  peer             {:.3} s, ratio {:.3}: a bare reqwest loop (no plan, limits, store or scoring) on the same server",
        peer.as_secs_f64(),
        peer.as_secs_f64() / ideal
    );
    println!("  bench / peer     {:.3}", wall.as_secs_f64() / peer.as_secs_f64());
    println!("  peak RSS         {:.1} MB (goal < 100 MB)", mb(peak));
    println!("  max in flight    {} (server side)", srv.max_in_flight());
    println!(
        "  mean request     {mean_request_ms:.2} ms as bench measured it; wall / (N * that / C) = {:.3}",
        wall.as_secs_f64() / (mean_request_ms / 1000.0 * n as f64 / c as f64)
    );
}
