//! Reports of a stored run in every format, from the store alone: the HTML report (`bench compare`
//! writes it; opened in headless Chromium by scripts/check-report.py), PNG copies of its charts, CSV,
//! the attempts log as JSONL, and JUnit XML.

use std::path::Path;
use std::process::Command;

use crate::server::{self, Server};
use crate::{Workspace, assert_valid_junit, right_answer, stderr, stdout, tool_present, two_providers};

/// `a` answers everything right; `o` gets every third task wrong and is rate-limited on q5.
fn server() -> Server {
    Server::start(|req, _| {
        let prompt = req.prompt();
        let n: u64 = prompt.split_whitespace().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
        if req.is_anthropic() {
            return server::answer(req, &right_answer(&prompt));
        }
        match n {
            5 => server::json(
                429,
                serde_json::json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}),
            ),
            n if n.is_multiple_of(3) => server::answer(req, "The answer is 7. </script><b>"),
            _ => server::answer(req, &right_answer(&prompt)),
        }
    })
}

/// Nine arithmetic tasks in two categories (even: 4, odd: 5).
fn suite() -> String {
    (1..=9)
        .map(|i| {
            let category = if i % 2 == 0 { "even" } else { "odd" };
            format!("{{\"id\": \"q{i}\", \"prompt\": \"What is {i} + {i}?\", \"expected\": \"{}\", \"match\": \"number\", \"category\": \"{category}\"}}\n", 2 * i)
        })
        .collect()
}

/// A finished run of `a` and `o` over the suite, its files then removed: the run stands on its own.
fn stored_run() -> (Workspace, String) {
    let server = server();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 0"));
    ws.write("prompts.jsonl", &suite());
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("report: results/"), "{}", stderr(&out));
    let run_id: String =
        ws.db().query_row("SELECT run_id FROM runs ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    std::fs::remove_file(ws.path().join("bench.toml")).unwrap();
    std::fs::remove_file(ws.path().join("prompts.jsonl")).unwrap();
    (ws, run_id)
}

/// The ids of the charts in an HTML report.
fn chart_ids(html: &str) -> Vec<String> {
    html.split("<figure class=\"chart\" id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn every_format_renders_a_stored_run_from_the_store_alone() {
    let (ws, run_id) = stored_run();
    let written =
        std::fs::read_to_string(ws.path().join("results").join(&run_id).join("report.html")).unwrap();

    let out = ws.run(&["report", "latest", "--format", "html", "--output", "r.html", "--png", "slides"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(ws.path().join("r.html")).unwrap();
    assert_eq!(html, written, "bench report renders what bench compare wrote, byte for byte");
    let ids = chart_ids(&html);
    for id in [
        "score-by-suite",
        "score-by-category",
        "against-baseline",
        "cost-vs-score",
        "latency",
        "ttft",
        "failures",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    assert!(html.contains("What is 6 + 6?"), "prompt excerpts come from the store");
    assert!(
        html.contains("The answer is 7. \\u003c/script>\\u003cb>"),
        "answers are data that cannot close the script"
    );
    let mut pngs: Vec<String> = std::fs::read_dir(ws.path().join("slides"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pngs.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("{id}.png")).collect();
    expected.sort();
    assert_eq!(pngs, expected, "one PNG per chart");

    let csv = ws.run(&["report", "latest", "--format", "csv", "--output", "r.csv"]);
    assert_eq!(csv.status.code(), Some(0), "{}", stderr(&csv));
    let items = std::fs::read_to_string(ws.path().join("r.csv")).unwrap();
    assert_eq!(items.lines().count(), 1 + 18, "{items}");
    assert!(
        items.lines().any(|l| l.contains(",o,gpt-test,prompts,custom,q3,odd,0,failed,,0,false,")),
        "{items}"
    );
    assert!(
        items.lines().any(|l| l.contains(",o,gpt-test,prompts,custom,q5,odd,0,infra_error,rate_limited,")),
        "{items}"
    );
    let suites = std::fs::read_to_string(ws.path().join("r.suites.csv")).unwrap();
    assert_eq!(suites.lines().count(), 3, "{suites}");

    let attempts: i64 = ws.db().query_row("SELECT COUNT(*) FROM attempts", [], |r| r.get(0)).unwrap();
    let jsonl = ws.run(&["report", "latest", "--format", "jsonl"]);
    assert_eq!(jsonl.status.code(), Some(0), "{}", stderr(&jsonl));
    let lines: Vec<serde_json::Value> =
        stdout(&jsonl).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len() as i64, attempts);
    assert!(lines.iter().any(|l| l["provider"] == "o" && l["task_id"] == "q5" && l["http_status"] == 429));
    assert!(!stdout(&jsonl).contains("sk-test-secret"), "no key in the attempts log");

    let junit = ws.run(&["report", "latest", "--format", "junit", "--output", "junit.xml"]);
    assert_eq!(junit.status.code(), Some(0), "{}", stderr(&junit));
    assert_valid_junit(&ws.path().join("junit.xml"));
    let xml = std::fs::read_to_string(ws.path().join("junit.xml")).unwrap();
    assert!(
        xml.contains(r#"<testsuites name="bench run "#)
            && xml.contains(r#"tests="2" failures="1" errors="0""#),
        "{xml}"
    );
    assert!(xml.contains("<testcase name=\"prompts\" classname=\"bench.a\""), "{xml}");
    assert!(xml.contains("q3 (sample 0): score 0: "), "failures carry the scorer's detail: {xml}");
    assert!(xml.contains("q5 (sample 0): rate_limited"), "{xml}");

    let misuse = ws.run(&["report", "latest", "--format", "csv", "--png", "slides"]);
    assert_eq!(misuse.status.code(), Some(2));
    assert!(
        stderr(&misuse).contains("--png draws the charts of one run's html report"),
        "{}",
        stderr(&misuse)
    );
}

/// Runs scripts/check-report.py on `report`: its verdict, or `None` (with a message) where Chromium
/// is missing outside CI. In CI (CI=true) a missing Chromium fails the test: it never skips there.
fn check_in_chromium(report: &Path) -> Option<serde_json::Value> {
    // One browser at a time: two would crowd out the tests beside them on a small machine.
    static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_BROWSER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !tool_present("chromium", "chromium", "the HTML report was not opened") {
        return None;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/check-report.py");
    let out = Command::new("python3").arg(script).arg(report).output().unwrap();
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    assert_eq!(out.status.code(), Some(0), "{verdict:#}\n{}", stderr(&out));
    Some(verdict)
}

#[test]
fn the_html_report_opens_in_chromium_offline_without_errors_and_its_table_filters() {
    let (ws, run_id) = stored_run();
    let Some(verdict) = check_in_chromium(&ws.path().join("results").join(&run_id).join("report.html"))
    else {
        return;
    };
    assert_eq!(verdict["console_errors"], serde_json::json!([]), "{verdict:#}");
    assert_eq!(verdict["requests"], serde_json::json!([]), "nothing fetched: {verdict:#}");
    let charts = verdict["charts"].as_array().unwrap();
    assert!(charts.len() >= 7 && charts.contains(&"cost-vs-score".into()), "{verdict:#}");
    assert_eq!(verdict["rows_total"], 18);
    assert_eq!(verdict["filters"]["provider"], serde_json::json!({"a": 9, "o": 9}));
    assert_eq!(verdict["filters"]["category"], serde_json::json!({"even": 8, "odd": 10}));
    assert_eq!(
        verdict["filters"]["outcome"],
        serde_json::json!({"passed": 14, "failed": 3, "infra_error": 1}),
        "every row shown under an outcome has it: {verdict:#}"
    );
    assert_eq!(verdict["text_filter"]["shown"], 2, "one task id, both providers: {verdict:#}");
    assert_eq!(verdict["scrolled_last"], true);
}

#[test]
fn a_large_table_keeps_only_a_window_of_its_rows_in_the_page() {
    // The table's data is every answer; the page holds a window of rows however many there are
    // (the benchmark `whole_run -- report` measures 100,000).
    let ws = Workspace::new();
    let n = 10_000;
    // Every tenth answer is wrong, so that filters have something to narrow.
    let answers: String = (1..=n)
        .map(|i| {
            format!(
                "{{\"task_id\": \"q{i}\", \"output\": \"The answer is {}.\"}}\n",
                2 * i + usize::from(i % 10 == 0)
            )
        })
        .collect();
    ws.write("answers.jsonl", &answers);
    ws.write(
        "bench.toml",
        "[providers.rec]\nprotocol = \"replay\"\npath = \"answers.jsonl\"\nmodel = \"m\"\n",
    );
    let suite: String = (1..=n)
        .map(|i| format!("{{\"id\": \"q{i}\", \"prompt\": \"What is {i} + {i}?\", \"expected\": \"{}\", \"match\": \"number\"}}\n", 2 * i))
        .collect();
    ws.write("p.jsonl", &suite);
    let out = ws.run(&["compare", "rec", "--suite", "p.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let run_id: String = ws.db().query_row("SELECT run_id FROM runs", [], |r| r.get(0)).unwrap();
    let Some(verdict) = check_in_chromium(&ws.path().join("results").join(run_id).join("report.html")) else {
        return;
    };
    assert_eq!(verdict["rows_total"], n);
    assert_eq!(verdict["filters"]["outcome"], serde_json::json!({"passed": n - n / 10, "failed": n / 10}));
    let dom_rows = verdict["dom_rows"].as_u64().unwrap();
    assert!((10..=60).contains(&dom_rows), "a window of rows, not {n}: {verdict:#}");
    assert_eq!(verdict["scrolled_last"], true, "{verdict:#}");
}
