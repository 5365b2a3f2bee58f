use serde_json::json;

use super::*;

fn parse(value: Value) -> Result<McpServer, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[test]
fn a_server_line_takes_defaults_and_rejects_what_cannot_start() {
    let server = parse(json!({"command": ["python3", "server.py"]})).unwrap();
    assert_eq!(server.command, ["python3", "server.py"]);
    assert_eq!((server.env.len(), server.cwd, server.timeout_s), (0, None, DEFAULT_TIMEOUT_S));
    let server =
        parse(json!({"command": ["./s"], "env": {"A": "1"}, "cwd": "srv", "timeout_s": 2.5})).unwrap();
    assert_eq!(parse(serde_json::to_value(&server).unwrap()), Ok(server.clone()), "it round-trips");
    assert_eq!((server.env["A"].as_str(), server.cwd, server.timeout_s), ("1", Some("srv".into()), 2.5));

    let error = parse(json!({"command": []})).unwrap_err();
    assert!(error.contains("must name a program"), "{error}");
    let error = parse(json!({"command": "python3 server.py"})).unwrap_err();
    assert!(error.contains("a sequence"), "{error}");
    for bad in [json!(0), json!(-1), json!(1e300)] {
        let error = parse(json!({"command": ["s"], "timeout_s": bad})).unwrap_err();
        assert!(error.contains("`timeout_s` must be a positive number of seconds"), "{error}");
    }
    let error = parse(json!({"command": ["s"], "timeout": 5})).unwrap_err();
    assert!(error.contains("unknown field `timeout`"), "{error}");
}

#[test]
fn a_state_tool_has_object_arguments() {
    let tool: StateTool = serde_json::from_value(json!({"name": "state"})).unwrap();
    assert_eq!((tool.name.as_str(), tool.arguments.len()), ("state", 0));
    let tool: StateTool =
        serde_json::from_value(json!({"name": "state", "arguments": {"full": true}})).unwrap();
    assert_eq!(tool.arguments["full"], json!(true));
    assert_eq!(serde_json::to_value(&tool).unwrap(), json!({"name": "state", "arguments": {"full": true}}));
    assert!(serde_json::from_value::<StateTool>(json!({"name": "state", "arguments": [1]})).is_err());
}

#[test]
fn relative_programs_are_found_in_the_working_directory() {
    let dir = Path::new("/tasks/srv");
    assert_eq!(resolve_program("./server", dir), Path::new("/tasks/srv/./server"));
    assert_eq!(resolve_program("bin/server", dir), Path::new("/tasks/srv/bin/server"));
    assert_eq!(resolve_program("python3", dir), Path::new("python3"));
    assert_eq!(resolve_program("/usr/bin/python3", dir), Path::new("/usr/bin/python3"));
}

#[test]
fn a_missing_program_is_named_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("server"), "").unwrap();
    let not_found = std::io::Error::from(std::io::ErrorKind::NotFound);
    let why = not_started(Path::new("server"), dir.path(), &not_found);
    assert!(
        why.starts_with("`server` is not on PATH (for the one in ") && why.ends_with("write `./server`)"),
        "{why}"
    );
    assert_eq!(not_started(Path::new("nope"), dir.path(), &not_found), "`nope` is not on PATH");
    assert_eq!(not_started(Path::new("/x/nope"), dir.path(), &not_found), "/x/nope does not exist");
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert!(not_started(Path::new("/x/s"), dir.path(), &denied).starts_with("/x/s: "));
}

#[test]
fn the_server_never_sees_the_providers_keys() {
    let inherited =
        [("PATH", "/bin"), ("MOONSHOT_API_KEY", "sk-1"), ("HOME", "/root"), ("OPENAI_API_KEY", "sk-2")]
            .map(|(name, value)| (OsString::from(name), OsString::from(value)));
    let task = BTreeMap::from([("DB".to_string(), "x.db".to_string())]);
    let names: Vec<String> = server_environment(inherited.into_iter(), &task)
        .into_iter()
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["PATH", "HOME", "DB"]);
}

fn tool(name: &str, description: Option<&str>) -> Tool {
    let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
    let Value::Object(schema) = schema else { unreachable!() };
    let mut tool = Tool::new(name.to_string(), description.unwrap_or("").to_string(), Arc::new(schema));
    if description.is_none() {
        tool.description = None;
    }
    tool
}

#[test]
fn the_state_tool_is_hidden_and_must_exist() {
    let listed = || vec![tool("add", Some("Add n")), tool("state", None)];
    let hidden = StateTool { name: "state".into(), arguments: Map::new() };
    let offered = offered_tools(listed(), Some(&hidden)).unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!((offered[0].name.as_str(), offered[0].description.as_str()), ("add", "Add n"));
    assert_eq!(offered[0].parameters["properties"]["n"]["type"], json!("integer"));
    assert_eq!(offered_tools(listed(), None).unwrap().len(), 2);
    let absent = StateTool { name: "ledger".into(), arguments: Map::new() };
    assert_eq!(
        offered_tools(listed(), Some(&absent)).unwrap_err(),
        "lists no state tool `ledger` (its tools: add, state)"
    );
}

#[test]
fn content_other_than_text_is_summarised() {
    let result = CallToolResult::success(vec![
        ContentBlock::text("total is 3"),
        ContentBlock::image("aGVsbG8=", "image/png"),
        ContentBlock::embedded_text("file:///notes.txt", "a note"),
    ]);
    assert_eq!(
        tool_output(&result),
        ToolOutput::ok(
            "total is 3\n[image image/png, 5 bytes, not shown]\n[resource file:///notes.txt]\na note"
        )
    );
    let failed = CallToolResult::error(vec![ContentBlock::text("refused")]);
    assert_eq!(tool_output(&failed), ToolOutput::error("refused"));
    let mut structured = CallToolResult::structured(json!({"total": 3}));
    structured.content.clear();
    assert_eq!(tool_output(&structured), ToolOutput::ok(r#"{"total":3}"#));
}

#[test]
fn the_stderr_tail_keeps_the_last_bytes() {
    let tail = Mutex::new(VecDeque::new());
    keep_tail(&tail, &[b'a'; STDERR_TAIL_BYTES]);
    keep_tail(&tail, b"the end");
    let kept = tail.into_inner().unwrap();
    assert_eq!(kept.len(), STDERR_TAIL_BYTES);
    assert!(kept.iter().rev().take(7).eq(b"the end".iter().rev()));
}
