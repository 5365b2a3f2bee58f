use serde_json::{Value, json};

use super::load::{Entry, task};
use super::*;
use crate::core::Message;

mod files;
mod real_data;

/// A task of `category` offering `functions`, with `truth` as its ground truth.
fn make(category: &str, functions: Value, truth: Option<Value>) -> Task {
    let entry: Entry = serde_json::from_value(json!({
        "id": format!("{category}_0"),
        "question": [[{"role": "user", "content": "Please help."}]],
        "function": functions,
    }))
    .unwrap();
    task("t", category, entry, truth).unwrap()
}

fn answer(calls: &[(&str, Value)]) -> Outcome {
    let mut outcome = Outcome::text_only("");
    outcome.tool_calls = calls
        .iter()
        .enumerate()
        .map(|(i, (name, arguments))| ToolCall {
            id: format!("c{i}"),
            name: name.to_string(),
            arguments: arguments.clone(),
        })
        .collect();
    outcome
}

/// The verdict on `calls`, with the error type when it fails.
fn verdict(task: &Task, calls: &[(&str, Value)]) -> Result<(), String> {
    let score = score(task, &answer(calls));
    assert!(score.detail.get(crate::core::SCORER_ERROR).is_none(), "no verdict: {}", score.detail);
    if score.passed { Ok(()) } else { Err(score.detail["error_type"].as_str().unwrap().to_string()) }
}

fn triangle() -> Value {
    json!([{"name": "geometry.area", "description": "Area of a triangle.", "parameters": {"type": "dict",
        "properties": {
            "base": {"type": "integer", "description": "Base."},
            "height": {"type": "float", "description": "Height."},
            "unit": {"type": "string", "description": "Unit."},
            "precision": {"type": "integer", "description": "Digits."}},
        "required": ["base", "height"]}}])
}

fn triangle_task() -> Task {
    make(
        "simple_python",
        triangle(),
        Some(json!([{"geometry.area": {"base": [10], "height": [5.0], "unit": ["units", ""]}}])),
    )
}

#[test]
fn a_right_call_under_the_provider_name_passes() {
    let task = triangle_task();
    assert_eq!(task.tools[0].name, "geometry_area");
    assert_eq!(task.meta["names"], json!({"geometry_area": "geometry.area"}));
    assert_eq!(verdict(&task, &[("geometry_area", json!({"base": 10, "height": 5.0}))]), Ok(()));
    assert_eq!(verdict(&task, &[("geometry.area", json!({"base": 10, "height": 5.0}))]), Ok(()));
    let score = score(&task, &answer(&[("geometry_area", json!({"base": 10, "height": 5.0}))]));
    assert_eq!(score.detail["calls"], json!([{"geometry.area": {"base": 10, "height": 5.0}}]));
    assert_eq!(score.detail["check"], "simple");
}

#[test]
fn an_int_is_promoted_where_a_float_is_declared_but_not_the_other_way() {
    let task = triangle_task();
    assert_eq!(verdict(&task, &[("geometry_area", json!({"base": 10, "height": 5}))]), Ok(()));
    assert_eq!(
        verdict(&task, &[("geometry_area", json!({"base": 10.0, "height": 5.0}))]),
        Err("type_error:simple".into())
    );
    assert_eq!(
        verdict(&task, &[("geometry_area", json!({"base": "10", "height": 5.0}))]),
        Err("type_error:simple".into())
    );
    assert_eq!(
        verdict(&task, &[("geometry_area", json!({"base": 11, "height": 5.0}))]),
        Err("value_error:others".into())
    );
}

#[test]
fn parameters_required_optional_and_unexpected() {
    let task = triangle_task();
    let fails = |args: Value| verdict(&task, &[("geometry_area", args)]).unwrap_err();
    assert_eq!(fails(json!({"base": 10})), "simple_function_checker:missing_required");
    // Legal in the schema but absent from the ground truth.
    assert_eq!(
        fails(json!({"base": 10, "height": 5.0, "precision": 2})),
        "simple_function_checker:unexpected_param"
    );
    assert_eq!(
        fails(json!({"base": 10, "height": 5.0, "colour": "red"})),
        "simple_function_checker:unexpected_param"
    );
    assert_eq!(
        verdict(&task, &[("geometry_area", json!({"base": 10, "height": 5.0, "unit": "Units"}))]),
        Ok(())
    );

    // A parameter the ground truth needs, though the schema does not require it.
    let needs_unit = make(
        "simple_python",
        triangle(),
        Some(json!([{"geometry.area": {"base": [10], "height": [5.0], "unit": ["cm"]}}])),
    );
    let score = score(&needs_unit, &answer(&[("geometry_area", json!({"base": 10, "height": 5.0}))]));
    assert_eq!(score.detail["error_type"], "simple_function_checker:missing_optional");
    assert!(score.detail["error"].as_str().unwrap().contains("`unit`"), "{}", score.detail);
}

#[test]
fn strings_are_compared_after_bfcl_normalisation() {
    let functions = json!([{"name": "book", "parameters": {"type": "dict", "properties": {
        "date": {"type": "string"}, "city": {"type": "string"}}, "required": ["date"]}}]);
    let task = make(
        "simple_python",
        functions,
        Some(json!([{"book": {"date": ["April 1, 2024"], "city": ["New York", ""]}}])),
    );
    for date in ["April 1, 2024", "april 1 2024", "APRIL-1-2024", "april_1/2024."] {
        assert_eq!(verdict(&task, &[("book", json!({"date": date}))]), Ok(()), "{date}");
    }
    assert_eq!(
        verdict(&task, &[("book", json!({"date": "April 2, 2024"}))]),
        Err("value_error:string".into())
    );
    assert_eq!(verdict(&task, &[("book", json!({"date": "April 1, 2024", "city": "new-york"}))]), Ok(()));
    assert_eq!(values::standardize("It's A-b_c *^/."), "it\"sabc");
}

#[test]
fn lists_keep_their_order_and_their_item_types() {
    let functions = json!([{"name": "stats", "parameters": {"type": "dict", "properties": {
        "numbers": {"type": "array", "items": {"type": "integer"}},
        "names": {"type": "array", "items": {"type": "string"}},
        "point": {"type": "tuple", "items": {"type": "float"}}}, "required": []}}]);
    let truth =
        json!([{"stats": {"numbers": [[1, 2]], "names": [["Ann Lee", "Bo"], ""], "point": [[1.5, 2.0]]}}]);
    let task = make("simple_python", functions, Some(truth));
    let check = |args: Value| verdict(&task, &[("stats", args)]);
    assert_eq!(check(json!({"numbers": [1, 2], "point": [1.5, 2.0]})), Ok(()));
    assert_eq!(check(json!({"numbers": [1, 2], "point": [1.5, 2.0], "names": ["ann-lee", "BO"]})), Ok(()));
    assert_eq!(check(json!({"numbers": [2, 1], "point": [1.5, 2.0]})), Err("value_error:list/tuple".into()));
    assert_eq!(check(json!({"numbers": ["1", "2"], "point": [1.5, 2.0]})), Err("type_error:nested".into()));
    // Items are not promoted: BFCL checks item types without Python's int -> float.
    assert_eq!(check(json!({"numbers": [1, 2], "point": [1, 2]})), Err("type_error:nested".into()));
    // `""` (may be left out) stands for the empty list, as in Python's checker.
    assert_eq!(check(json!({"numbers": [1, 2], "point": [1.5, 2.0], "names": []})), Ok(()));
}

#[test]
fn dicts_and_lists_of_dicts_match_key_by_key() {
    let functions = json!([{"name": "plan", "parameters": {"type": "dict", "properties": {
        "budget": {"type": "dict", "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}}},
        "stops": {"type": "array", "items": {"type": "dict"}}}, "required": ["budget"]}}]);
    let truth = json!([{"plan": {
        "budget": [{"min": [300], "max": [400, ""]}],
        "stops": [[{"city": ["Paris", "Paris, France"], "days": [2]}], ""]}}]);
    let task = make("simple_python", functions, Some(truth));
    let check = |args: Value| verdict(&task, &[("plan", args)]);
    assert_eq!(check(json!({"budget": {"min": 300, "max": 400}})), Ok(()));
    assert_eq!(check(json!({"budget": {"min": 300}})), Ok(()), "an optional key may be left out");
    assert_eq!(check(json!({"budget": {"max": 400}})), Err("value_error:dict_key".into()));
    assert_eq!(check(json!({"budget": {"min": 300, "cap": 1}})), Err("value_error:dict_key".into()));
    assert_eq!(check(json!({"budget": {"min": 301}})), Err("value_error:dict_value".into()));
    assert_eq!(
        check(json!({"budget": {"min": 300}, "stops": [{"city": "paris, france", "days": 2}]})),
        Ok(())
    );
    assert_eq!(
        check(
            json!({"budget": {"min": 300}, "stops": [{"city": "Paris", "days": 2}, {"city": "Rome", "days": 1}]})
        ),
        Err("value_error:list_dict_count".into())
    );
    assert_eq!(
        check(json!({"budget": {"min": 300}, "stops": [{"city": "Lyon", "days": 2}]})),
        Err("value_error:dict_value".into())
    );
}

#[test]
fn a_value_of_the_answers_type_is_a_variable_compared_as_is() {
    let functions = json!([{"name": "f", "parameters": {"type": "dict", "properties": {
        "n": {"type": "integer"}, "flag": {"type": "boolean"}}, "required": ["n"]}}]);
    let task = make("simple_python", functions, Some(json!([{"f": {"n": ["count"], "flag": [true, ""]}}])));
    assert_eq!(verdict(&task, &[("f", json!({"n": "count"}))]), Ok(()));
    assert_eq!(
        verdict(&task, &[("f", json!({"n": "Count"}))]),
        Err("value_error:others".into()),
        "no normalisation"
    );
    assert_eq!(verdict(&task, &[("f", json!({"n": "count", "flag": true}))]), Ok(()));
    assert_eq!(verdict(&task, &[("f", json!({"n": "count", "flag": 1}))]), Err("type_error:simple".into()));
    assert!(values::py_eq(&json!(true), &json!(1)) && values::py_eq(&json!(5), &json!(5.0)));
    assert!(!values::py_eq(&json!("5"), &json!(5)) && !values::py_eq(&json!([1, 2]), &json!([2, 1])));
}

fn two_functions() -> Value {
    json!([
        {"name": "weather.today", "parameters": {"type": "dict", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
        {"name": "weather.week", "parameters": {"type": "dict", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    ])
}

#[test]
fn multiple_needs_the_right_function_and_one_call() {
    let task = make("multiple", two_functions(), Some(json!([{"weather.week": {"city": ["Paris"]}}])));
    assert_eq!(verdict(&task, &[("weather_week", json!({"city": "paris"}))]), Ok(()));
    assert_eq!(
        verdict(&task, &[("weather_today", json!({"city": "Paris"}))]),
        Err("simple_function_checker:wrong_func_name".into())
    );
    let twice = [("weather_week", json!({"city": "Paris"})), ("weather_week", json!({"city": "Paris"}))];
    assert_eq!(verdict(&task, &twice), Err("multiple_function_checker:wrong_count".into()));
    assert_eq!(verdict(&task, &[]), Err("ast_decoder:decoder_failed".into()));
}

#[test]
fn parallel_calls_match_in_any_order() {
    let truth =
        json!([{"weather.today": {"city": ["Paris", "Tokyo"]}}, {"weather.today": {"city": ["Paris"]}}]);
    let task = make("parallel", two_functions(), Some(truth));
    let call = |city: &str| ("weather_today", json!({"city": city}));
    assert_eq!(verdict(&task, &[call("Tokyo"), call("Paris")]), Ok(()));
    // BFCL's greedy matcher gives "Paris" to the first expected call and fails here; a full matching
    // does not depend on the order.
    assert_eq!(verdict(&task, &[call("Paris"), call("Tokyo")]), Ok(()));
    assert_eq!(
        verdict(&task, &[call("Tokyo")]),
        Err("parallel_function_checker_no_order:wrong_count".into())
    );
    let unmatched = score(&task, &answer(&[call("Tokyo"), call("Rome")]));
    assert_eq!(unmatched.detail["error_type"], "parallel_function_checker_no_order:cannot_find_match");
    assert_eq!(unmatched.detail["error"], "no call matches expected call 1 (`weather.today`)");
    let tried: Vec<(u64, &str)> = unmatched.detail["tried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["call"].as_u64().unwrap(), t["error_type"].as_str().unwrap()))
        .collect();
    assert_eq!(tried, [(0, "value_error:string"), (1, "value_error:string")]);

    let both_paris = json!([{"weather.today": {"city": ["Paris"]}}, {"weather.today": {"city": ["Paris"]}}]);
    let task = make("parallel", two_functions(), Some(both_paris));
    let taken = score(&task, &answer(&[call("Paris"), call("Rome")]));
    assert!(
        taken.detail["error"].as_str().unwrap().contains("all needed by other expected calls"),
        "{}",
        taken.detail
    );
    assert_eq!(verdict(&task, &[call("paris"), call("PARIS")]), Ok(()));
}

#[test]
fn irrelevance_passes_without_a_call_and_relevance_with_one() {
    let irrelevance = make("irrelevance", two_functions(), None);
    assert_eq!(verdict(&irrelevance, &[]), Ok(()));
    assert_eq!(
        verdict(&irrelevance, &[("weather_today", json!({}))]),
        Err("irrelevance_error:decoder_success".into())
    );
    let relevance = make("live_relevance", two_functions(), None);
    assert_eq!(verdict(&relevance, &[("weather_today", json!({"anything": 1}))]), Ok(()));
    assert_eq!(verdict(&relevance, &[]), Err("relevance_error:decoder_failed".into()));
}

#[test]
fn arguments_that_are_not_an_object_fail_the_decoding() {
    let task = triangle_task();
    let twice = score(&task, &answer(&[("geometry_area", json!("{\"base\": 10, \"height\": 5.0}"))]));
    assert_eq!(twice.detail["error_type"], "ast_decoder:decoder_failed");
    assert!(twice.detail["error"].as_str().unwrap().contains("encoded twice"), "{}", twice.detail);
    let raw = score(&task, &answer(&[("geometry_area", json!("{\"base\": 10,"))]));
    assert!(raw.detail["error"].as_str().unwrap().contains("not a JSON object"), "{}", raw.detail);
}

#[test]
fn the_question_becomes_a_system_prompt_and_messages() {
    let entry: Entry = serde_json::from_value(json!({"id": "live_simple_1-1-0", "question": [[
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yes?"},
        {"role": "user", "content": "Weather?"}]], "function": two_functions()}))
    .unwrap();
    let t = task("s", "live_simple", entry, Some(json!([{"weather.today": {"city": ["x"]}}]))).unwrap();
    assert_eq!(t.system.as_deref(), Some("Be brief."));
    assert_eq!(t.messages, vec![Message::user("Hi"), Message::assistant("Yes?"), Message::user("Weather?")]);
    assert_eq!(
        (t.id.as_str(), t.category.as_deref(), t.family.as_str()),
        ("live_simple_1-1-0", Some("live_simple"), NAME)
    );
    assert_eq!(t.tools[1].parameters["properties"]["city"]["type"], "string");

    let two_turns: Entry =
        serde_json::from_value(json!({"id": "x_1", "question": [[{"role": "user", "content": "a"}], []],
        "function": two_functions()}))
        .unwrap();
    assert!(task("s", "simple", two_turns, None).unwrap_err().contains("single-turn"));
    let bad_truth: Entry =
        serde_json::from_value(json!({"id": "x_2", "question": [[{"role": "user", "content": "a"}]],
        "function": two_functions()}))
        .unwrap();
    let err = task("s", "simple", bad_truth, Some(json!([{"other.fn": {}}]))).unwrap_err();
    assert!(err.contains("`other.fn`"), "{err}");
}

#[test]
fn reference_calls_pass_and_use_the_provider_names() {
    let truth = json!([{"weather.today": {"city": ["Paris"]}}, {"weather.week": {"city": ["Rome", "Roma"]}}]);
    let task = make("parallel_multiple", two_functions(), Some(truth));
    let calls = reference_calls(&task).unwrap();
    let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["weather_today", "weather_week"]);
    assert_eq!(calls[1].arguments, json!({"city": "Rome"}));
    let mut outcome = Outcome::text_only("");
    outcome.tool_calls = calls;
    assert!(score(&task, &outcome).passed);
    assert!(reference_calls(&make("irrelevance", two_functions(), None)).unwrap().is_empty());
}

#[test]
fn categories_route_as_bfcl_routes_them() {
    assert_eq!(check_of("simple_python"), Some(Check::Simple));
    assert_eq!(check_of("live_simple"), Some(Check::Simple));
    assert_eq!(check_of("live_multiple"), Some(Check::Multiple));
    assert_eq!(check_of("parallel_multiple"), Some(Check::Parallel));
    assert_eq!(check_of("live_irrelevance"), Some(Check::Irrelevance));
    assert_eq!(check_of("live_relevance"), Some(Check::Relevance));
    for other in ["multi_turn_base", "simple_java", "simple_javascript", "web_search", "memory_kv"] {
        assert_eq!(check_of(other), None, "{other}");
    }
}
