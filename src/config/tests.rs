use super::*;

#[test]
fn every_preset_resolves_with_url_model_and_context() {
    let config = Config::parse("", "bench.toml").unwrap();
    for name in [
        "claude",
        "kimi",
        "kimi-anthropic",
        "deepseek",
        "deepseek-anthropic",
        "qwen",
        "glm",
        "doubao",
        "gpt",
        "spark",
        "qiniu",
        "openrouter",
        "ollama",
        "vllm",
        "llamacpp",
    ] {
        let spec = config.provider(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(spec.base_url.starts_with("http"), "{name}");
        assert!(!spec.model.is_empty(), "{name}");
        assert!(spec.context_window.is_some(), "{name}");
        if let Some(price) = &spec.price {
            assert!(price.as_of.is_some(), "{name} price has no date");
        }
    }
    assert_eq!(config.provider("doubao").unwrap().currency(), Currency::CNY);
    assert_eq!(config.provider("claude").unwrap().protocol, Protocol::Anthropic);
    assert!(!config.provider("ollama").unwrap().api_key_required);
}

#[test]
fn overrides_merge_over_presets_field_by_field() {
    let text = r#"
[providers.kimi]
preset = "kimi"
max_concurrency = 3
rpm = 60

[providers.fast]
preset = "deepseek"
model = "deepseek-v4-pro"
[providers.fast.price]
input = 1.0
output = 2.0
"#;
    let config = Config::parse(text, "bench.toml").unwrap();
    let kimi = config.provider("kimi").unwrap();
    assert_eq!(kimi.max_concurrency, 3);
    assert_eq!(kimi.rpm, Some(60));
    assert_eq!(kimi.base_url, "https://api.moonshot.ai/v1");
    let fast = config.provider("fast").unwrap();
    assert_eq!(fast.model, "deepseek-v4-pro");
    assert_eq!(fast.api_key_env.as_deref(), Some("DEEPSEEK_API_KEY"));
    let price = fast.price.unwrap();
    assert_eq!((price.input, price.output, price.cache_read), (1.0, 2.0, None));
    assert_eq!(config.origin("fast"), "bench.toml:7");
}

#[test]
fn unknown_key_names_file_line_and_expected_fields() {
    let text = "[providers.x]\nprotocol = \"openai\"\nbase_url = \"http://h/v1\"\nmodel = \"m\"\nmax_concurency = 4\n";
    let err = Config::parse(text, "cfg/bench.toml").unwrap_err().to_string();
    assert!(err.starts_with("cfg/bench.toml: "), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("unknown field `max_concurency`"), "{err}");
    assert!(err.contains("max_concurrency"), "should list the expected fields: {err}");
}

#[test]
fn semantic_errors_point_at_the_key_or_else_the_provider_table() {
    let cases = [
        ("\n\n[providers.a]\nbase_url = \"http://h\"\nmodel = \"m\"\n", "bench.toml:3", "needs `protocol`"),
        ("[providers.a]\nprotocol = \"openai\"\nmodel = \"m\"\n", "bench.toml:1", "needs `base_url`"),
        (
            "[providers.a]\nprotocol = \"openai\"\nbase_url = \"ftp://h\"\nmodel = \"m\"\n",
            "bench.toml:3",
            "http://",
        ),
        ("[providers.a]\npreset = \"nope\"\n", "bench.toml:2", "unknown preset `nope`"),
        ("[providers.a]\npreset = \"kimi\"\nmax_concurrency = 0\n", "bench.toml:3", "max_concurrency = 0"),
        ("[providers.a]\nprotocol = \"replay\"\n", "bench.toml:1", "needs `path`"),
        (
            "[providers.a]\npreset = \"kimi\"\n[providers.a.price]\ninput = -1\noutput = 1\n",
            "bench.toml:3",
            "invalid price",
        ),
        (
            "[providers.a]\npreset = \"kimi\"\nheaders = {}\nmax_tokens = 0\n",
            "bench.toml:4",
            "max_tokens = 0",
        ),
    ];
    for (text, place, what) in cases {
        let err = Config::parse(text, "bench.toml").unwrap_err().to_string();
        assert!(err.starts_with(&format!("{place}: ")), "{err}");
        assert!(err.contains(what), "{err}");
    }
}

#[test]
fn every_semantic_error_is_reported_in_file_order() {
    let text = "[sandbox]\nprocesses = 1\n\n[providers.b]\npreset = \"kimi\"\ntemperature = 3\n\n[providers.a]\npreset = \"kimi\"\nrpm = 0\nmax_retries = 21\n";
    let err = Config::parse(text, "bench.toml").unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines[0].starts_with("bench.toml:2: [sandbox] processes = 1"), "{err}");
    assert!(lines[1].starts_with("bench.toml:6: [providers.b] has temperature = 3"), "{err}");
    assert!(lines[2].starts_with("bench.toml:10: [providers.a] has rpm = 0"), "{err}");
    assert!(lines[3].starts_with("bench.toml:11: [providers.a] has max_retries = 21"), "{err}");
}

#[test]
fn retries_and_concurrency_have_upper_bounds() {
    let with = |key: &str, value: u32| format!("[providers.a]\npreset = \"kimi\"\n{key} = {value}\n");
    let ok = Config::parse(&with("max_retries", MAX_RETRIES_BOUND), "b.toml").unwrap();
    assert_eq!(ok.provider("a").unwrap().max_retries, MAX_RETRIES_BOUND);
    let err = Config::parse(&with("max_retries", MAX_RETRIES_BOUND + 1), "b.toml").unwrap_err().to_string();
    assert!(err.starts_with("b.toml:3: ") && err.contains("expected 0 to 20"), "{err}");
    let ok = Config::parse(&with("max_concurrency", MAX_CONCURRENCY_BOUND), "b.toml").unwrap();
    assert_eq!(ok.provider("a").unwrap().max_concurrency, MAX_CONCURRENCY_BOUND);
    let err =
        Config::parse(&with("max_concurrency", MAX_CONCURRENCY_BOUND + 1), "b.toml").unwrap_err().to_string();
    assert!(err.starts_with("b.toml:3: ") && err.contains("expected 1 to 1024"), "{err}");
}

#[test]
fn unknown_preset_suggests_the_closest_and_still_checks_the_table_values() {
    let text = "[providers.a]\npreset = \"kmi\"\nmax_tokens = 0\n";
    let err = Config::parse(text, "b.toml").unwrap_err().to_string();
    assert!(
        err.contains("b.toml:2: [providers.a] names unknown preset `kmi` (did you mean `kimi`?)"),
        "{err}"
    );
    assert!(err.contains("b.toml:3: [providers.a] has max_tokens = 0"), "{err}");
    assert!(!err.contains("needs `protocol`"), "what the preset would give is not reported: {err}");
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_file() {
    let config = Config::parse("\u{feff}[providers.a]\npreset = \"kimi\"\nrpm = 0\n", "b.toml");
    let err = config.unwrap_err().to_string();
    assert!(err.starts_with("b.toml:3: "), "lines count as without the mark: {err}");
    let config = Config::parse("\u{feff}[providers.a]\npreset = \"kimi\"\n", "b.toml").unwrap();
    assert_eq!(config.provider("a").unwrap().model, "kimi-k2.6");
}

#[test]
fn type_errors_say_what_was_expected() {
    let err = Config::parse("[providers.a]\npreset = \"kimi\"\nrpm = \"fast\"\n", "b.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3") && err.contains("invalid type"), "{err}");
    let err = Config::parse("[providers.a]\nprotocol = \"grpc\"\n", "b.toml").unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("anthropic"), "{err}");
}

#[test]
fn unknown_provider_suggests_the_closest_and_lists_the_names() {
    let err = Config::parse("", "b.toml").unwrap().provider("claud").unwrap_err().to_string();
    assert!(err.contains("unknown provider `claud` (did you mean `claude`?)"), "{err}");
    assert!(err.contains("presets: claude, deepseek"), "{err}");
    let config = Config::parse("[providers.my-local]\npreset = \"ollama\"\n", "b.toml").unwrap();
    let err = config.provider("my-locl").unwrap_err().to_string();
    assert!(err.contains("(did you mean `my-local`?)") && err.contains("configured: my-local;"), "{err}");
    let err = config.provider("mistral").unwrap_err().to_string();
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn missing_key_names_the_variable_and_never_the_value() {
    let mut spec = Config::parse("", "b.toml").unwrap().provider("claude").unwrap();
    spec.api_key_env = Some("BENCH_TEST_SURELY_UNSET_KEY".into());
    let err = spec.api_key().unwrap_err().to_string();
    assert!(err.contains("BENCH_TEST_SURELY_UNSET_KEY"), "{err}");
    spec.api_key_required = false;
    assert!(spec.api_key().unwrap().is_none());
    let key = ApiKey::new("sk-secret-value".into());
    assert!(!format!("{key:?}").contains("secret"));
}

#[test]
fn extra_body_and_headers_pass_through() {
    let text = "[providers.q]\npreset = \"qwen\"\nheaders = { X-Team = \"evals\" }\n[providers.q.extra_body]\nenable_thinking = true\n";
    let spec = Config::parse(text, "b.toml").unwrap().provider("q").unwrap();
    assert_eq!(spec.headers.get("X-Team").map(String::as_str), Some("evals"));
    assert_eq!(spec.extra_body.get("enable_thinking"), Some(&serde_json::Value::Bool(true)));
}

#[test]
fn header_values_never_leave_in_serialized_specs() {
    let text = "[providers.q]\npreset = \"kimi\"\nheaders = { Authorization = \"Bearer sk-live-secret\" }\n";
    let spec = Config::parse(text, "b.toml").unwrap().provider("q").unwrap();
    let json = serde_json::to_string(&spec).unwrap();
    assert!(!json.contains("sk-live-secret") && json.contains("Authorization"), "{json}");
}

#[test]
fn sandbox_table_sets_limits_and_rejects_nonsense() {
    let config =
        Config::parse("[sandbox]\nmemory_mib = 8192\nprocesses = 512\nnetwork = true\n", "bench.toml")
            .unwrap();
    let limits = config.sandbox.limits();
    assert_eq!(limits.memory, 8 << 30);
    assert_eq!(limits.processes, 512);
    assert_eq!(limits.file_size, crate::sandbox::Limits::default().file_size);
    assert!(config.sandbox.network());
    assert!(!Config::parse("", "bench.toml").unwrap().sandbox.network());
    let unknown = Config::parse("[sandbox]\nmemory = 8\n", "bench.toml").unwrap_err().to_string();
    assert!(unknown.contains("unknown field `memory`"), "{unknown}");
    let small = Config::parse("[sandbox]\nprocesses = 1\n", "bench.toml").unwrap_err().to_string();
    assert!(small.contains("processes = 1 is too small"), "{small}");
}

#[test]
fn migration_rules_default_override_and_point_at_the_bad_line() {
    assert_eq!(Config::parse("", "bench.toml").unwrap().migration, MigrationRules::default());
    let config = Config::parse("[migration]\nmin_tasks = 100\nmax_cost_ratio = 0.5\n", "bench.toml").unwrap();
    assert_eq!(
        (config.migration.min_tasks, config.migration.max_cost_ratio, config.migration.min_retention),
        (100, 0.5, 0.95),
        "unset keys keep their defaults"
    );
    let text = "[migration]\nmin_tasks = 0\n\nmax_error_rate = 1.5\nmax_latency_ratio = -1\n";
    let err = Config::parse(text, "cfg/bench.toml").unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "every bad value at once: {err}");
    assert!(
        lines[0].starts_with("cfg/bench.toml:2: [migration] min_tasks = 0; expected at least 1"),
        "{err}"
    );
    assert!(
        lines[1]
            .starts_with("cfg/bench.toml:4: [migration] max_error_rate = 1.5; expected a value from 0 to 1"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("cfg/bench.toml:5: [migration] max_latency_ratio = -1; expected a positive"),
        "{err}"
    );
    // Rules that contradict each other point at the key the file sets.
    let err = Config::parse("[migration]\n\nmin_retention = 0.8\n", "bench.toml").unwrap_err().to_string();
    assert!(
        err.starts_with("bench.toml:3: [migration] care_min_retention = 0.9 is above min_retention = 0.8"),
        "{err}"
    );
    let unknown =
        Config::parse("\n[migration]\nmin_retention_ci = 0.9\n", "bench.toml").unwrap_err().to_string();
    assert!(unknown.contains("line 3") && unknown.contains("unknown field `min_retention_ci`"), "{unknown}");
    assert!(unknown.contains("min_retention"), "lists the expected keys: {unknown}");
}

#[test]
fn regress_thresholds_default_override_and_point_at_the_bad_line() {
    assert_eq!(Config::parse("", "bench.toml").unwrap().regress, RegressRules::default());
    let config = Config::parse("[regress]\nmax_drop = 0.05\n", "bench.toml").unwrap();
    assert_eq!((config.regress.max_drop, config.regress.alpha), (0.05, 0.05), "unset keys keep defaults");
    let text = "[regress]\nalpha = 0\n\nmax_error_rate_increase = 1.5\n";
    let err = Config::parse(text, "cfg/bench.toml").unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "every bad value at once: {err}");
    assert!(lines[0].starts_with("cfg/bench.toml:2: [regress] alpha = 0; expected a significance"), "{err}");
    assert!(lines[1].starts_with("cfg/bench.toml:4: [regress] max_error_rate_increase = 1.5"), "{err}");
    let unknown = Config::parse("[regress]\nmax_dorp = 0.1\n", "bench.toml").unwrap_err().to_string();
    assert!(unknown.contains("line 2") && unknown.contains("unknown field `max_dorp`"), "{unknown}");
}

#[test]
fn max_answer_mb_defaults_merges_and_must_be_positive() {
    let text = "[providers.k]\npreset = \"kimi\"\nmax_answer_mb = 32\n[providers.d]\npreset = \"deepseek\"\n";
    let config = Config::parse(text, "bench.toml").unwrap();
    assert_eq!(config.provider("k").unwrap().max_answer_mb, 32);
    assert_eq!(config.provider("d").unwrap().max_answer_mb, DEFAULT_MAX_ANSWER_MB);
    let err = Config::parse("[providers.k]\npreset = \"kimi\"\nmax_answer_mb = 0\n", "bench.toml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("bench.toml:3") && err.contains("max_answer_mb = 0"), "{err}");
}

#[test]
fn credentials_in_base_url_never_leave_in_serialized_specs_or_errors() {
    let text = "[providers.q]\npreset = \"kimi\"\nbase_url = \"https://bob:s3cret@proxy.example/v1?key=s3cret&v=2\"\n";
    let spec = Config::parse(text, "b.toml").unwrap().provider("q").unwrap();
    assert!(spec.base_url.contains("s3cret"), "the request still uses the real URL");
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(json["base_url"], "https://***:***@proxy.example/v1?key=***&v=2");
    let plain = serde_json::to_value(Config::parse("", "b.toml").unwrap().provider("kimi").unwrap()).unwrap();
    assert_eq!(
        plain["base_url"], "https://api.moonshot.ai/v1",
        "a URL without credentials is kept as written"
    );

    for url in ["ftp://bob:s3cret@h/v1", "http://bob:s3cret@h:99999/v1"] {
        let text = format!("[providers.q]\nprotocol = \"openai\"\nmodel = \"m\"\nbase_url = \"{url}\"\n");
        let err = Config::parse(&text, "b.toml").unwrap_err().to_string();
        assert!(err.contains("base_url") && !err.contains("s3cret"), "{err}");
    }
}

#[test]
fn reasoning_echo_defaults_per_protocol_and_preset_and_can_be_overridden() {
    let text = "[providers.mine]\nprotocol = \"openai\"\nbase_url = \"http://h/v1\"\nmodel = \"m\"\n\n\
                [providers.quiet]\npreset = \"kimi\"\nreasoning_echo = \"none\"\n\n\
                [providers.loud]\npreset = \"gpt\"\nreasoning_echo = \"all\"\n";
    let config = Config::parse(text, "bench.toml").unwrap();
    let echo = |name: &str| config.provider(name).unwrap().reasoning_echo;
    for (name, expected) in [
        ("claude", ReasoningEcho::All),
        ("kimi-anthropic", ReasoningEcho::All),
        ("deepseek-anthropic", ReasoningEcho::All),
        ("kimi", ReasoningEcho::ToolCalls),
        ("deepseek", ReasoningEcho::ToolCalls),
        ("glm", ReasoningEcho::ToolCalls),
        ("gpt", ReasoningEcho::None),
        ("qwen", ReasoningEcho::None),
        ("mine", ReasoningEcho::None),
        ("quiet", ReasoningEcho::None),
        ("loud", ReasoningEcho::All),
    ] {
        assert_eq!(echo(name), expected, "{name}");
    }
    let err =
        Config::parse("[providers.x]\npreset = \"kimi\"\nreasoning_echo = \"sometimes\"\n", "bench.toml")
            .unwrap_err()
            .to_string();
    assert!(err.contains("bench.toml") && err.contains("line 3"), "{err}");
    assert!(err.contains("`none`, `tool_calls`") && err.contains("`all`"), "{err}");
}

#[test]
fn the_store_is_read_with_the_line_that_sets_it() {
    let text =
        "# where the runs go\nstore = \"postgres://bench@db/bench\"\n\n[providers.mine]\npreset = \"kimi\"\n";
    let config = Config::parse(text, "bench.toml").unwrap();
    let store = config.store.expect("a store");
    assert_eq!((store.value.as_str(), store.origin.as_str()), ("postgres://bench@db/bench", "bench.toml:2"));
    assert!(Config::parse("", "bench.toml").unwrap().store.is_none());
    let err = Config::parse("store = 5\n", "bench.toml").unwrap_err().to_string();
    assert!(err.contains("bench.toml") && err.contains("line 1"), "{err}");
}
