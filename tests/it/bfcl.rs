//! BFCL suites end to end: a data folder in BFCL's layout, providers of both protocols answering
//! with tool calls (streamed and not), scored by BFCL's checker and broken down by category.

use serde_json::{Value, json};

use crate::server::{self, Request, Server};
use crate::{Workspace, stderr, two_providers};

const SIMPLE: &str = r#"{"id": "simple_python_0", "question": [[{"role": "user", "content": "Calculate the factorial of 5."}]], "function": [{"name": "math.factorial", "description": "n!", "parameters": {"type": "dict", "properties": {"number": {"type": "integer", "description": "n"}}, "required": ["number"]}}]}
{"id": "simple_python_1", "question": [[{"role": "user", "content": "Area of a triangle with base 10 and height 5, in cm."}]], "function": [{"name": "geometry.area", "description": "Triangle area.", "parameters": {"type": "dict", "properties": {"base": {"type": "integer", "description": "Base."}, "height": {"type": "float", "description": "Height."}, "unit": {"type": "string", "description": "Unit."}}, "required": ["base", "height"]}}]}
"#;
const SIMPLE_TRUTH: &str = r#"{"id": "simple_python_0", "ground_truth": [{"math.factorial": {"number": [5]}}]}
{"id": "simple_python_1", "ground_truth": [{"geometry.area": {"base": [10], "height": [5.0], "unit": ["cm", ""]}}]}
"#;
const PARALLEL: &str = r#"{"id": "parallel_0", "question": [[{"role": "system", "content": "Use the tools."}, {"role": "user", "content": "What is the weather in Paris and in Tokyo?"}]], "function": [{"name": "weather.get", "description": "Weather now.", "parameters": {"type": "dict", "properties": {"city": {"type": "string", "description": "City."}}, "required": ["city"]}}]}
"#;
const PARALLEL_TRUTH: &str = r#"{"id": "parallel_0", "ground_truth": [{"weather.get": {"city": ["Paris", "Paris, France"]}}, {"weather.get": {"city": ["Tokyo"]}}]}
"#;
const IRRELEVANCE: &str = r#"{"id": "irrelevance_0", "question": [[{"role": "user", "content": "Who wrote Hamlet?"}]], "function": [{"name": "math.factorial", "description": "n!", "parameters": {"type": "dict", "properties": {"number": {"type": "integer", "description": "n"}}, "required": ["number"]}}]}
"#;

/// BFCL's layout: question files, their ground truth in `possible_answer/`, and a category bench
/// leaves out.
fn data_folder(ws: &Workspace) {
    std::fs::create_dir_all(ws.path().join("data/possible_answer")).unwrap();
    ws.write("data/BFCL_v4_simple_python.json", SIMPLE);
    ws.write("data/possible_answer/BFCL_v4_simple_python.json", SIMPLE_TRUTH);
    ws.write("data/BFCL_v4_parallel.json", PARALLEL);
    ws.write("data/possible_answer/BFCL_v4_parallel.json", PARALLEL_TRUTH);
    ws.write("data/BFCL_v4_irrelevance.json", IRRELEVANCE);
    ws.write("data/BFCL_v4_multi_turn_base.json", "{\"id\": \"multi_turn_base_0\"}\n");
}

/// The Anthropic provider answers every task right (calls in another order, an int for a float,
/// strings in other case and punctuation); the OpenAI one gets three wrong.
fn answers(req: &Request) -> server::Reply {
    let right = req.is_anthropic();
    let prompt = req.prompt();
    let calls: Vec<(&str, Value)> = if prompt.contains("factorial") {
        vec![("math_factorial", if right { json!({"number": 5}) } else { json!({"number": "5"}) })]
    } else if prompt.contains("triangle") {
        vec![("geometry_area", json!({"base": 10, "height": 5, "unit": "CM"}))]
    } else if prompt.contains("weather") && right {
        vec![("weather_get", json!({"city": "Tokyo"})), ("weather_get", json!({"city": "paris, france"}))]
    } else if prompt.contains("weather") {
        vec![("weather_get", json!({"city": "Paris"}))]
    } else if right {
        return server::answer(req, "William Shakespeare.");
    } else {
        vec![("math_factorial", json!({"number": 1}))]
    };
    let calls: Vec<server::ScriptedCall> = calls
        .into_iter()
        .enumerate()
        .map(|(i, (name, arguments))| (format!("call_{i}"), name.to_string(), arguments))
        .collect();
    server::tool_calls(req, &calls)
}

fn category_score(summary: &Value, provider: &str, category: &str) -> f64 {
    let categories = summary["categories"].as_array().unwrap();
    let row = categories.iter().find(|c| c["provider"] == provider && c["category"] == category);
    row.unwrap_or_else(|| panic!("no {provider}/{category} in {summary}"))["score"].as_f64().unwrap()
}

#[test]
fn tool_calls_of_both_protocols_are_scored_per_category() {
    for stream in [true, false] {
        let server = Server::start(|req, _| answers(req));
        let ws = Workspace::new();
        ws.write("bench.toml", &two_providers(&server.url(), &format!("stream = {stream}")));
        data_folder(&ws);
        let out = ws.run(&["compare", "a", "o", "--suite", "bfcl:data", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).contains("multi_turn_base"), "the left-out category is named: {}", stderr(&out));
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["providers"][0]["score"], 1.0, "stream {stream}: {summary}");
        assert_eq!(summary["providers"][0]["tasks"], 4);
        assert_eq!(summary["suites"][0]["family"], "bfcl");
        for (category, a, o) in
            [("simple_python", 1.0, 0.5), ("parallel", 1.0, 0.0), ("irrelevance", 1.0, 0.0)]
        {
            assert_eq!(category_score(&summary, "a", category), a, "stream {stream}: a {category}");
            assert_eq!(category_score(&summary, "o", category), o, "stream {stream}: o {category}");
        }

        let why: Vec<(String, String)> = ws
            .db()
            .prepare(
                "SELECT task_id, detail FROM scores WHERE provider = 'o' AND passed = 0 ORDER BY task_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let kinds: Vec<(&str, String)> = why
            .iter()
            .map(|(id, detail)| {
                let detail: Value = serde_json::from_str(detail).unwrap();
                (id.as_str(), detail["error_type"].as_str().unwrap().to_string())
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("irrelevance_0", "irrelevance_error:decoder_success".to_string()),
                ("parallel_0", "parallel_function_checker_no_order:wrong_count".to_string()),
                ("simple_python_0", "type_error:simple".to_string()),
            ],
            "stream {stream}"
        );

        let requests = server.requests();
        assert_eq!(requests.len(), 8);
        let weather = requests.iter().find(|r| r.is_anthropic() && r.prompt().contains("weather")).unwrap();
        assert_eq!(weather.body["system"], "Use the tools.");
        assert_eq!(weather.body["tools"][0]["name"], "weather_get");
        let area = requests.iter().find(|r| !r.is_anthropic() && r.prompt().contains("triangle")).unwrap();
        let function = &area.body["tools"][0]["function"];
        assert_eq!(function["name"], "geometry_area");
        assert_eq!(function["parameters"]["type"], "object");
        assert_eq!(function["parameters"]["properties"]["height"]["type"], "number");
    }
}

#[test]
fn a_category_bench_cannot_check_is_refused() {
    let ws = Workspace::new();
    ws.write("bench.toml", &two_providers("http://127.0.0.1:9", ""));
    data_folder(&ws);
    let out = ws.run(&["compare", "a", "--suite", "bfcl:data/BFCL_v4_multi_turn_base.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("category `multi_turn_base` is not one bench checks"), "{}", stderr(&out));

    ws.write(
        "data/possible_answer/BFCL_v4_parallel.json",
        "{\"id\": \"parallel_9\", \"ground_truth\": []}\n",
    );
    let out = ws.run(&["compare", "a", "--suite", "bfcl:data/BFCL_v4_parallel.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("BFCL_v4_parallel.json:1: `parallel_0` has no ground truth"),
        "{}",
        stderr(&out)
    );
}
