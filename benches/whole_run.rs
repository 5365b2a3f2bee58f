//! Whole-run benchmark: the real `bench` binary against a loopback OpenAI-compatible server that answers
//! every request after a fixed latency L.
//!
//! With N tasks and C requests in flight the ideal wall time is N*L/C; the harness's own overhead shows
//! as the ratio wall / ideal (goal <= 1.05). Peak RSS of the bench process is read from /proc (VmHWM,
//! its high-water mark) while it runs (goal < 100 MB).
//!
//!     cargo bench --bench whole_run                 # N=5000, C=64, L=50ms
//!     cargo bench --bench whole_run -- 2000 32 20   # N C L_ms

#[allow(dead_code, reason = "the tests' server module; this benchmark uses part of it")]
#[path = "../tests/it/server.rs"]
mod server;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
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

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(5000);
    let c = args.get(1).copied().unwrap_or(64);
    let latency = Duration::from_millis(args.get(2).copied().unwrap_or(50));

    let srv = server::Server::start(move |req, _| {
        server::Reply::After(latency, Box::new(server::answer(req, "The answer is 4.")))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bench.toml"),
        format!(
            "[providers.loop]\nprotocol = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"m\"\napi_key_required = false\nmax_concurrency = {c}\n",
            srv.url()
        ),
    )
    .expect("write config");
    let suite: String = (0..n)
        .map(|i| format!("{{\"id\": \"t{i}\", \"prompt\": \"Task {i}: what is 2 + 2?\", \"expected\": \"4\", \"match\": \"number\"}}\n"))
        .collect();
    std::fs::write(dir.path().join("suite.jsonl"), suite).expect("write suite");

    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["compare", "loop", "--suite", "suite.jsonl", "--no-cache", "--json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bench");
    let pid = child.id();
    let mut peak = 0;
    while child.try_wait().expect("wait").is_none() {
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed();
    let output = child.wait_with_output().expect("bench output");
    assert!(output.status.success(), "bench failed");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("summary JSON");
    assert_eq!(summary["providers"][0]["passed"].as_u64(), Some(n), "every task answered and scored");
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
    println!("  peak RSS         {:.1} MB (goal < 100 MB)", peak as f64 / 1024.0);
    println!("  max in flight    {} (server side)", srv.max_in_flight());
    println!(
        "  mean request     {mean_request_ms:.2} ms as bench measured it; wall / (N * that / C) = {:.3}",
        wall.as_secs_f64() / (mean_request_ms / 1000.0 * n as f64 / c as f64)
    );
}
