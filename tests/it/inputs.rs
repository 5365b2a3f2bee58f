//! Bad configuration, suites and arguments: a clear error with file and line, exit 2, nothing sent.

use crate::server::{self, Server};
use crate::{Workspace, arithmetic_suite, stderr, two_providers};

#[test]
fn malformed_bench_toml_names_file_line_and_expectation() {
    let ws = Workspace::new();
    ws.write("bench.toml", "[providers.a]\nprotocol = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\nconcurrency = 4\n");
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bench.toml") && err.contains("line 5") && err.contains("unknown field `concurrency`"),
        "{err}"
    );
    assert!(err.contains("max_concurrency"), "lists the fields it expected: {err}");
}

#[test]
fn invalid_toml_syntax_is_located() {
    let ws = Workspace::new();
    ws.write("cfg.toml", "[providers.a]\nprotocol = openai\n");
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl", "--config", "cfg.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cfg.toml") && err.contains("line 2"), "{err}");
}

#[test]
fn malformed_suite_lines_are_all_reported_before_anything_is_sent() {
    let server = Server::start(|req, _| server::answer(req, "4"));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    ws.write(
        "prompts.jsonl",
        "{\"id\": \"ok\", \"prompt\": \"2+2\", \"expected\": \"4\", \"match\": \"number\"}\n{\"id\": \"bad\", \"prompt\": \"x\"\n{\"id\": \"m\", \"prompt\": \"x\", \"expected\": \"4\", \"match\": \"similar\"}\n",
    );
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("prompts.jsonl:2:") && err.contains("prompts.jsonl:3:") && err.contains("similar"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_provider_and_missing_suite_are_usage_errors() {
    let ws = Workspace::new();
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let out = ws.run(&["compare", "claud", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown provider `claud`"), "{}", stderr(&out));
    let out = ws.run(&["compare", "claude", "--suite", "nope.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("suite `nope.jsonl`: no such file"), "{}", stderr(&out));
    let out = ws.run(&["compare", "claude"]);
    assert_eq!(out.status.code(), Some(2), "clap usage errors exit 2 too");
}

#[test]
fn help_teaches_the_main_command() {
    let ws = Workspace::new();
    let out = ws.run(&["compare", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--suite",
        "--baseline",
        "--samples",
        "--limit",
        "--json",
        "--resume",
        "--dry-run",
        "--no-cache",
        "--out",
        "--config",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}

/// A server that answers every arithmetic prompt right, and a workspace whose bench.toml points `a`
/// and `o` at it.
fn answered_workspace() -> (Server, Workspace) {
    let server = Server::start(|req, _| server::answer(req, &crate::right_answer(&req.prompt())));
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers(&server.url(), ""));
    (server, ws)
}

/// Runs `bench compare a --suite SUITE` plus `extra`, expecting exit 2 with nothing sent; the error.
fn refused(server: &Server, ws: &Workspace, suite: &str, extra: &[&str]) -> String {
    let mut args = vec!["compare", "a", "--suite", suite];
    args.extend_from_slice(extra);
    let out = ws.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(server.requests().is_empty(), "nothing is sent");
    stderr(&out)
}

#[test]
fn a_byte_order_mark_in_suite_and_config_is_accepted_and_the_run_goes_ahead() {
    let (server, ws) = answered_workspace();
    ws.write("bench.toml", &format!("\u{feff}{}", two_providers(&server.url(), "")));
    ws.write("prompts.jsonl", &format!("\u{feff}{}", arithmetic_suite(3)));
    let out = ws.run(&["compare", "a", "o", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 6);
    let summary = ws.summary();
    assert_eq!(
        (summary["providers"][0]["passed"].as_u64(), summary["providers"][1]["passed"].as_u64()),
        (Some(3), Some(3)),
        "{summary}"
    );
    let first: i64 =
        ws.db().query_row("SELECT count(*) FROM results WHERE task_id = 'q1'", [], |r| r.get(0)).unwrap();
    assert_eq!(first, 2, "the first line, behind the mark, is task q1");
}

#[test]
fn a_suite_written_as_one_json_array_says_how_to_convert_it() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.json", "[\n  {\"prompt\": \"What is 1 + 1?\", \"expected\": \"2\"},\n  {\"prompt\": \"What is 2 + 2?\", \"expected\": \"4\"}\n]\n");
    let err = refused(&server, &ws, "prompts.json", &[]);
    assert!(err.contains("prompts.json:1: this file is one JSON array; bench reads JSON Lines"), "{err}");
    assert!(
        err.contains("`jq -c '.[]' prompts.json > prompts.jsonl`, then use --suite prompts.jsonl"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one problem for the file, not one per line: {err}");
}

#[test]
fn a_line_that_is_not_an_object_says_what_it_is_at_its_line() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.jsonl", &format!("{}\"What is 5 + 5?\"\n[1, 2]\n", arithmetic_suite(1)));
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    assert!(err.contains("prompts.jsonl:2: this line is a JSON string, not an object"), "{err}");
    assert!(err.contains("prompts.jsonl:3: this line is a JSON array, not an object"), "{err}");
    assert!(err.contains("such as {\"prompt\": "), "shows what a line looks like: {err}");
}

#[test]
fn a_generated_math_file_without_its_prefix_says_to_add_it() {
    let (server, ws) = answered_workspace();
    let out = ws.run(&["suites", "generate", "math", "--seed", "3", "--n", "4", "--out", "fresh.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = refused(&server, &ws, "fresh.jsonl", &[]);
    assert!(err.contains("fresh.jsonl:1: this looks like a math suite"), "{err}");
    assert!(err.contains("use --suite math:fresh.jsonl"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = ws.run(&["compare", "a", "--suite", "math:fresh.jsonl", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "the advice works: {}", stderr(&out));
}

#[test]
fn max_tokens_zero_is_refused_in_config_flag_and_task() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let err = refused(&server, &ws, "prompts.jsonl", &["--max-tokens", "0"]);
    assert!(err.contains("--max-tokens") && err.contains("0 is not in 1.."), "{err}");

    ws.write(
        "prompts.jsonl",
        &format!(
            "{}{{\"id\": \"z\", \"prompt\": \"p\", \"expected\": \"x\", \"max_tokens\": 0}}\n",
            arithmetic_suite(2)
        ),
    );
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    assert!(err.contains("prompts.jsonl:3: `max_tokens` is 0; expected at least 1"), "{err}");

    ws.write("prompts.jsonl", &arithmetic_suite(2));
    let toml = two_providers(&server.url(), "max_tokens = 0");
    let line = toml.lines().position(|l| l == "max_tokens = 0").unwrap() + 1;
    ws.write("bench.toml", &toml);
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    assert!(err.contains(&format!("bench.toml:{line}: [providers.a] has max_tokens = 0")), "{err}");
}

#[test]
fn retries_and_concurrency_over_their_bounds_are_refused_with_the_bound() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 1000\nmax_concurrency = 100000"));
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    assert!(err.contains("bench.toml:6: [providers.a] has max_retries = 1000; expected 0 to 20"), "{err}");
    assert!(
        err.contains("bench.toml:7: [providers.a] has max_concurrency = 100000; expected 1 to 1024"),
        "{err}"
    );
    ws.write("bench.toml", &two_providers(&server.url(), "max_retries = 20\nmax_concurrency = 1024"));
    let out = ws.run(&["compare", "a", "--suite", "prompts.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "the bounds themselves are fine: {}", stderr(&out));
}

#[test]
fn three_bad_config_values_are_three_errors_each_at_its_key() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    ws.write(
        "bench.toml",
        &format!(
            "[providers.a]\nprotocol = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"m\"\napi_key_env = \"TEST_KEY\"\n\ntemperature = 5\n\n[providers.b]\npreset = \"kimi\"\nrpm = 0\n[providers.b.price]\ninput = -1\noutput = 1\n",
            server.url()
        ),
    );
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("error: bench.toml:7: [providers.a] has temperature = 5"), "{err}");
    assert!(lines[1].starts_with("bench.toml:11: [providers.b] has rpm = 0"), "{err}");
    assert!(lines[2].starts_with("bench.toml:12: [providers.b] has an invalid price"), "{err}");
}

#[test]
fn mistyped_provider_preset_and_suite_names_get_a_suggestion() {
    let (server, ws) = answered_workspace();
    ws.write("prompts.jsonl", &arithmetic_suite(1));
    let err = refused(&server, &ws, "prompts.jsonl", &["claud"]);
    assert!(err.contains("unknown provider `claud` (did you mean `claude`?)"), "{err}");
    assert!(err.contains("configured: a, o;") && err.contains("presets: claude,"), "still lists them: {err}");

    let err = refused(&server, &ws, "quik", &[]);
    assert!(err.contains("suite `quik`: no such file (did you mean `quick`?)"), "{err}");
    let err = refused(&server, &ws, "maht:prompts.jsonl", &[]);
    assert!(err.contains("(did you mean `math:prompts.jsonl`?)"), "{err}");
    assert!(err.contains("FAMILY one of: custom, gsm8k, math"), "{err}");

    ws.write("bench.toml", "[providers.a]\npreset = \"deepsek\"\n");
    let err = refused(&server, &ws, "prompts.jsonl", &[]);
    assert!(
        err.contains("bench.toml:2: [providers.a] names unknown preset `deepsek` (did you mean `deepseek`?)"),
        "{err}"
    );
    assert!(err.contains("expected one of: claude,"), "{err}");
}
