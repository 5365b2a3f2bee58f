//! Terminal output: logs without escape codes off a terminal, tables that fit 80 columns (and
//! `--wide`), `--dry-run --json`, key status in `bench providers list`, `suites generate` that keeps
//! an existing file, shell completions.

use textwrap::core::display_width;

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, right_answer, stderr, stdout, two_providers};

const HIDDEN_NOTE: &str = "columns hidden; --wide shows all)";

fn right_answers() -> Server {
    Server::start(|req, _| server::answer(req, &right_answer(&req.prompt())))
}

/// Header cells of the first table in `text`.
fn headers(text: &str) -> Vec<String> {
    let line = text.lines().nth(1).unwrap_or_default();
    line.split(['│', '┆']).map(str::trim).filter(|h| !h.is_empty()).map(String::from).collect()
}

fn assert_fits_80(text: &str) {
    for line in text.lines() {
        assert!(display_width(line) <= 80, "wider than 80 columns: {line}\n{text}");
    }
}

#[test]
fn logs_carry_no_escape_codes_when_stderr_is_not_a_terminal() {
    let server = Server::start(|_, _| {
        server::json(400, serde_json::json!({"error": {"type": "invalid_request_error", "message": "no"}}))
    });
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 0"));
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    // Colour is on by default; only the stream being a pipe may turn it off here.
    let out = ws
        .bench()
        .env_remove("NO_COLOR")
        .args(["-vv", "compare", "a", "o", "--suite", "prompts.jsonl"])
        .output()
        .unwrap();
    let logs = stderr(&out);
    assert!(logs.contains("DEBUG") && logs.contains("request failed"), "debug logs expected:\n{logs}");
    assert!(!out.stderr.contains(&0x1b), "escape codes on a pipe:\n{logs:?}");
    assert!(!out.stdout.contains(&0x1b), "escape codes in the table on a pipe");
}

#[test]
fn the_comparison_table_fits_80_columns_and_wide_shows_every_column() {
    let server = right_answers();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));

    let narrow = ws
        .bench()
        .env("COLUMNS", "80")
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .output()
        .unwrap();
    assert_eq!(narrow.status.code(), Some(0), "{}", stderr(&narrow));
    let table = stdout(&narrow);
    assert_fits_80(&table);
    assert_eq!(
        headers(&table),
        ["provider", "score [95% CI]", "Δ vs baseline [95% CI]", "retention", "cost"]
    );
    assert!(table.contains("100.0% [") && table.contains("(baseline)"), "{table}");
    assert!(stderr(&narrow).contains(HIDDEN_NOTE), "{}", stderr(&narrow));

    let wide = ws
        .bench()
        .env("COLUMNS", "80")
        .args(["compare", "a", "o", "--suite", "prompts.jsonl", "--wide"])
        .output()
        .unwrap();
    assert_eq!(wide.status.code(), Some(0), "{}", stderr(&wide));
    let all = [
        "provider",
        "model",
        "score [95% CI]",
        "Δ vs baseline [95% CI]",
        "p",
        "retention",
        "retention 95% CI",
        "infra err",
        "tokens in / out",
        "cost",
        "cost / solved",
        "latency p50 / p95",
        "TTFT p50",
    ];
    assert_eq!(headers(&stdout(&wide)), all);
    assert!(stdout(&wide).contains("claude-test") && stdout(&wide).contains("gpt-test"), "{}", stdout(&wide));
    assert!(!stderr(&wide).contains(HIDDEN_NOTE), "{}", stderr(&wide));

    let report = ws.bench().env("COLUMNS", "80").args(["report", "latest", "--wide"]).output().unwrap();
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    assert_eq!(headers(&stdout(&report)), all, "report --wide shows every column too");
    let roomy = ws.bench().env("COLUMNS", "300").args(["report", "latest"]).output().unwrap();
    assert_eq!(headers(&stdout(&roomy)), all, "a wide terminal needs no --wide");
}

#[test]
fn a_terminal_width_of_zero_does_not_collapse_the_columns() {
    let server = right_answers();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let out = ws
        .bench()
        .env("COLUMNS", "0")
        .args(["compare", "a", "o", "--suite", "prompts.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert_fits_80(&table);
    assert!(headers(&table).iter().any(|h| h == "provider"), "{table}");
    for intact in ["100.0%", "(baseline)", "retention", "+0.0 pt"] {
        assert!(table.contains(intact), "`{intact}` broken across lines:\n{table}");
    }
    let unknown = ws.bench().env_remove("COLUMNS").args(["report", "latest"]).output().unwrap();
    assert_eq!(stdout(&unknown), table, "0 columns is an unknown width: 80, as on a pipe");
}

#[test]
fn dry_run_json_prints_the_plan_as_json() {
    let server = right_answers();
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write("prompts.jsonl", &arithmetic_suite(3));
    let args = ["compare", "a", "o", "--suite", "prompts.jsonl", "--suite", "quick", "--samples", "2"];
    let out = ws.run(&[&args[..], &["--dry-run", "--json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!((plan["samples"].as_u64(), plan["sent"].as_bool()), (Some(2), Some(false)));
    let a = &plan["providers"][0];
    assert_eq!(
        (a["name"].as_str(), a["model"].as_str(), a["currency"].as_str()),
        (Some("a"), Some("claude-test"), Some("USD"))
    );
    assert_eq!(
        (a["items"].as_u64(), a["done"].as_u64(), a["cached"].as_u64(), a["to_send"].as_u64()),
        (Some(26), Some(0), Some(0), Some(26))
    );
    assert!(
        a["est_input_tokens"].as_u64().unwrap() > 0 && a["max_output_tokens"].as_u64().unwrap() > 0,
        "{a}"
    );
    assert!(a["est_cost"].as_f64().unwrap() > 0.0, "{a}");
    let suites: Vec<(&str, u64)> = a["suites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["suite"].as_str().unwrap(), s["items"].as_u64().unwrap()))
        .collect();
    assert_eq!(suites, [("prompts", 6), ("quick", 20)]);
    assert_eq!(plan["providers"][1]["currency"], "CNY");
    assert!(server.requests().is_empty(), "a dry run sends nothing");

    let table = ws.run(&[&args[..], &["--dry-run"]].concat());
    assert!(
        stdout(&table).contains("Nothing was sent.")
            && serde_json::from_slice::<serde_json::Value>(&table.stdout).is_err()
    );
}

#[test]
fn providers_list_says_whether_each_key_variable_is_set_without_showing_it() {
    let ws = Workspace::new();
    ws.write(
        "bench.toml",
        "[providers.withkey]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key_env = \"TEST_KEY\"\n\n\
         [providers.nokey]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key_env = \"BENCH_TEST_ABSENT_KEY\"\n\n\
         [providers.free]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key_required = false\n",
    );
    let out = ws.bench().env_remove("BENCH_TEST_ABSENT_KEY").args(["providers", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let row = |name: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.split(['│', '┆']).nth(1).is_some_and(|c| c.trim() == name));
        line.unwrap_or_else(|| panic!("no row for {name}:\n{text}"))
            .split(['│', '┆'])
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert!(headers(&text).iter().any(|h| h == "key"), "{text}");
    assert!(row("withkey").contains(&"set".to_string()), "{text}");
    assert!(row("nokey").contains(&"missing".to_string()), "{text}");
    assert!(row("free").contains(&"—".to_string()), "{text}");
    assert!(
        row("claude").contains(&"missing".to_string()),
        "preset keys are not in the test's environment:\n{text}"
    );
    assert!(!text.contains("sk-test-secret"), "the key's value is never printed");
    assert!(text.contains("CNY") && !stderr(&out).contains(HIDDEN_NOTE), "a pipe gets every column");

    let narrow = ws.bench().env("COLUMNS", "80").args(["providers", "list"]).output().unwrap();
    assert_fits_80(&stdout(&narrow));
    assert_eq!(headers(&stdout(&narrow)), ["name", "model", "key variable", "key"]);
    assert!(stderr(&narrow).contains(HIDDEN_NOTE), "{}", stderr(&narrow));
}

#[test]
fn suites_generate_keeps_an_existing_file_unless_forced() {
    let ws = Workspace::new();
    ws.write("fresh.jsonl", "mine\n");
    let refused = ws.run(&["suites", "generate", "math", "--n", "2", "--out", "fresh.jsonl"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("fresh.jsonl exists") && stderr(&refused).contains("--force"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(ws.path().join("fresh.jsonl")).unwrap(), "mine\n");

    let forced = ws.run(&["suites", "generate", "math", "--n", "2", "--out", "fresh.jsonl", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let written = std::fs::read_to_string(ws.path().join("fresh.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(written.starts_with("{\"unique_id\":\"math-s0-00000\""), "{written}");
}

#[test]
fn completions_for_bash_zsh_and_fish_know_the_commands() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = ws.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["compare", "--suite", "providers", "completions"] {
            assert!(script.contains(word), "{shell}: `{word}` missing");
        }
        assert!(!script.contains("sandbox-exec"), "{shell}: the internal command is not offered");
    }
    assert_eq!(ws.run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `bench completions zsh | head -1`: the reader closes the pipe before bench has written.
    let ws = Workspace::new();
    for args in [&["completions", "zsh"][..], &["providers", "list"][..]] {
        let mut child = ws
            .bench()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}
