use super::*;

fn request(task_id: &str, sample: u32) -> ChatRequest {
    in_suite("s", task_id, sample)
}

fn in_suite(suite: &str, task_id: &str, sample: u32) -> ChatRequest {
    ChatRequest {
        system: None,
        messages: vec![],
        tools: vec![],
        max_tokens: 10,
        temperature: None,
        top_p: None,
        tool_choice: None,
        suite: suite.into(),
        task_id: task_id.into(),
        sample,
    }
}

#[tokio::test]
async fn answers_by_task_and_sample_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(
        &path,
        "{\"task_id\": \"a\", \"output\": \"first\"}\n{\"task_id\": \"a\", \"output\": \"second\"}\n{\"task_id\": 7, \"output\": \"x\", \"usage\": {\"input\": 3, \"output\": 4}}\n",
    )
    .unwrap();
    let replay = ReplayProvider::from_file(&path).unwrap();
    assert_eq!(replay.complete(&request("a", 0)).await.unwrap().text, "first");
    assert_eq!(replay.complete(&request("a", 1)).await.unwrap().text, "second");
    assert_eq!(replay.complete(&request("7", 0)).await.unwrap().usage.output, 4);
    let missing = replay.complete(&request("b", 0)).await.unwrap_err();
    assert_eq!(missing.class, ErrorClass::BadResponse);
    assert!(missing.message.contains("`b`"));
}

#[test]
fn reports_bad_lines_with_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(&path, "{\"task_id\": \"a\", \"output\": \"x\"}\n{\"task_id\": \"a\"}\n{\"task_id\": \"a\", \"output\": \"y\", \"sample\": 0}\n").unwrap();
    let err = ReplayProvider::from_file(&path).unwrap_err();
    assert!(err.contains("answers.jsonl:2: missing field `output`"), "{err}");
    assert!(err.contains("answers.jsonl:3: a second answer for task `a` sample 0"), "{err}");
}

#[tokio::test]
async fn suites_with_the_same_task_ids_are_answered_separately() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"suite\": \"math\", \"task_id\": \"t1\", \"output\": \"math one\"}\n",
            "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"code one\"}\n",
            "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"code one again\"}\n",
            "{\"task_id\": \"t1\", \"output\": \"any one\"}\n",
            "{\"task_id\": \"t2\", \"output\": \"any two\"}\n",
        ),
    )
    .unwrap();
    let replay = ReplayProvider::from_file(&path).unwrap();
    let text =
        async |suite, task, sample| replay.complete(&in_suite(suite, task, sample)).await.unwrap().text;
    assert_eq!(text("math", "t1", 0).await, "math one");
    assert_eq!(text("code", "t1", 0).await, "code one");
    assert_eq!(text("code", "t1", 1).await, "code one again", "samples count per suite");
    assert_eq!(text("qa", "t1", 0).await, "any one", "a line without a suite answers any suite");
    assert_eq!(text("math", "t2", 0).await, "any two", "and fills in where the suite has no line");
    assert!(replay.complete(&in_suite("math", "t1", 1)).await.is_err(), "no line has that sample");
}

#[tokio::test]
async fn a_line_for_another_suite_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(&path, "{\"suite\": \"code\", \"task_id\": \"t1\", \"output\": \"x\"}\n").unwrap();
    let replay = ReplayProvider::from_file(&path).unwrap();
    let missing = replay.complete(&in_suite("math", "t1", 0)).await.unwrap_err();
    assert_eq!(missing.class, ErrorClass::BadResponse);
    assert!(missing.message.contains("`t1` of suite `math`"), "{}", missing.message);
    assert_eq!(replay.complete(&in_suite("code", "t1", 0)).await.unwrap().text, "x");
}

/// `request` after `answers` assistant turns (each with a call answered by a tool result).
fn after_turns(task_id: &str, answers: usize) -> ChatRequest {
    let mut req = request(task_id, 0);
    req.messages.push(crate::core::Message::user("go"));
    for k in 0..answers {
        let call = ToolCall { id: format!("c{k}"), name: "f".into(), arguments: serde_json::json!({}) };
        req.messages
            .push(crate::core::Message { tool_calls: vec![call], ..crate::core::Message::assistant("") });
        req.messages.push(crate::core::Message::tool_result(format!("c{k}"), "ok", false));
    }
    req
}

fn replay_of(lines: &str) -> ReplayProvider {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(&path, lines).unwrap();
    ReplayProvider::from_file(&path).unwrap()
}

#[tokio::test]
async fn tool_calls_beside_or_instead_of_output_get_deterministic_ids() {
    let replay = replay_of(concat!(
        "{\"task_id\": \"a\", \"tool_calls\": [{\"name\": \"lookup\", \"arguments\": {\"id\": 7}},",
        " {\"name\": \"convert\", \"arguments\": \"{\\\"to\\\": \\\"EUR\\\"}\", \"id\": \"mine\"},",
        " {\"name\": \"broken\", \"arguments\": \"{\\\"to\\\":\"}, {\"name\": \"bare\"}]}\n",
        "{\"task_id\": \"b\", \"output\": \"Looking.\", \"tool_calls\": [{\"name\": \"lookup\", \"arguments\": {}}]}\n",
    ));
    let answer = replay.complete(&request("a", 0)).await.unwrap();
    let calls: Vec<(&str, &str, serde_json::Value)> =
        answer.tool_calls.iter().map(|c| (c.id.as_str(), c.name.as_str(), c.arguments.clone())).collect();
    assert_eq!(
        calls,
        vec![
            ("call_0_0", "lookup", serde_json::json!({"id": 7})),
            ("mine", "convert", serde_json::json!({"to": "EUR"})),
            ("call_0_2", "broken", serde_json::json!("{\"to\":")),
            ("call_0_3", "bare", serde_json::json!({})),
        ]
    );
    assert_eq!((answer.text.as_str(), answer.stop), ("", StopReason::ToolUse));
    let again = replay.complete(&request("a", 0)).await.unwrap();
    assert_eq!(again.tool_calls, answer.tool_calls, "the same ids every time");
    let both = replay.complete(&request("b", 0)).await.unwrap();
    assert_eq!((both.text.as_str(), both.tool_calls.len()), ("Looking.", 1));
    // A one-turn line answers the first turn only.
    let past = replay.complete(&after_turns("b", 1)).await.unwrap_err();
    assert_eq!((past.class, past.should_retry), (ErrorClass::BadResponse, Some(false)));
    assert!(past.message.contains("has 1 turn(s) and the episode asked for turn 2"), "{}", past.message);
}

#[tokio::test]
async fn a_transcript_answers_turn_k_with_its_kth_assistant_message() {
    let replay = replay_of(concat!(
        "{\"task_id\": \"t\", \"turns\": [",
        "{\"role\": \"user\", \"content\": \"Total of order 7 in EUR?\"},",
        "{\"role\": \"assistant\", \"content\": null, \"reasoning\": \"Look it up.\", \"usage\": {\"input\": 40, \"output\": 9},",
        " \"tool_calls\": [{\"name\": \"lookup\", \"arguments\": {\"id\": 7}}, {\"name\": \"rate\", \"arguments\": {\"to\": \"EUR\"}}]},",
        "{\"role\": \"tool\", \"tool_call_id\": \"x\", \"content\": \"{\\\"total\\\": 10}\"},",
        "{\"role\": \"tool\", \"tool_call_id\": \"y\", \"content\": \"0.9\", \"is_error\": false},",
        "{\"role\": \"assistant\", \"content\": \"9 EUR\", \"latency_ms\": 12.5}]}\n",
    ));
    let first = replay.complete(&after_turns("t", 0)).await.unwrap();
    assert_eq!(first.tool_calls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["call_0_0", "call_0_1"]);
    assert_eq!((first.reasoning.as_str(), first.usage.input, first.usage.output), ("Look it up.", 40, 9));
    let second = replay.complete(&after_turns("t", 1)).await.unwrap();
    assert_eq!((second.text.as_str(), second.tool_calls.len(), second.latency_ms), ("9 EUR", 0, 12.5));
    let past = replay.complete(&after_turns("t", 2)).await.unwrap_err();
    assert_eq!(past.class, ErrorClass::BadResponse);
    assert!(
        past.message
            .contains("task `t` of suite `s` sample 0 has 2 turn(s) and the episode asked for turn 3"),
        "{}",
        past.message
    );
}

#[test]
fn malformed_tool_lines_are_reported_with_their_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"task_id\": \"a\", \"turns\": [{\"role\": \"assistant\", \"content\": \"x\"}], \"output\": \"y\", \"usage\": {}}\n",
            "{\"task_id\": \"b\", \"turns\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n",
            "{\"task_id\": \"c\", \"tool_calls\": [{\"arguments\": {}}]}\n",
            "{\"task_id\": \"d\", \"turns\": [{\"role\": \"system\", \"content\": \"x\"}]}\n",
            "{\"task_id\": \"e\", \"turns\": [{\"role\": \"assistant\", \"text\": \"x\"}]}\n",
        ),
    )
    .unwrap();
    let err = ReplayProvider::from_file(&path).unwrap_err();
    assert!(err.contains("answers.jsonl:1: `turns` cannot go with `output`, `usage`"), "{err}");
    assert!(err.contains("answers.jsonl:2: `turns` has no assistant message"), "{err}");
    assert!(err.contains("answers.jsonl:3: missing field `name`"), "{err}");
    assert!(err.contains("answers.jsonl:4: unknown variant `system`"), "{err}");
    assert!(err.contains("answers.jsonl:5: unknown field `text`"), "{err}");
}
