//! Loading BFCL's files: a data folder, single files, and what goes wrong in them.

use std::path::Path;

use super::*;
use crate::families::Registry;

const FUNCTION: &str = r#"{"name": "math.factorial", "description": "n!", "parameters": {"type": "dict", "properties": {"number": {"type": "integer"}}, "required": ["number"]}}"#;

fn question(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "question": [[{{"role": "user", "content": "What is 5!?"}}]], "function": [{FUNCTION}]}}"#
    )
}

fn truth(id: &str) -> String {
    format!(r#"{{"id": "{id}", "ground_truth": [{{"math.factorial": {{"number": [5]}}}}]}}"#)
}

fn write(dir: &Path, name: &str, lines: &[String]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn load(arg: &Path) -> Result<Vec<Task>, String> {
    let spec = SuiteSpec::parse(&format!("bfcl:{}", arg.display())).map_err(|e| e.to_string())?;
    Registry::default().load(&spec).map_err(|e| e.to_string())
}

/// A data folder: simple_python with ground truth, irrelevance without, and files bench leaves out.
fn data_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write(path, "BFCL_v4_simple_python.json", &[question("simple_python_0"), question("simple_python_1")]);
    write(
        path,
        "possible_answer/BFCL_v4_simple_python.json",
        &[truth("simple_python_1"), truth("simple_python_0")],
    );
    write(path, "BFCL_v4_irrelevance.json", &[question("irrelevance_0")]);
    write(path, "BFCL_v3_irrelevance.json", &[question("irrelevance_0")]);
    write(path, "BFCL_v4_multi_turn_base.json", &["{\"id\": \"multi_turn_base_0\"}".to_string()]);
    write(path, "BFCL_v4_simple_java.json", &["{}".to_string()]);
    write(path, "README.md", &["# notes".to_string()]);
    dir
}

#[test]
fn a_data_folder_loads_every_category_bench_checks() {
    let dir = data_folder();
    let tasks = load(dir.path()).unwrap();
    let ids: Vec<(&str, Option<&str>)> =
        tasks.iter().map(|t| (t.id.as_str(), t.category.as_deref())).collect();
    assert_eq!(
        ids,
        [
            ("irrelevance_0", Some("irrelevance")),
            ("simple_python_0", Some("simple_python")),
            ("simple_python_1", Some("simple_python"))
        ]
    );
    let folder_name = dir.path().file_name().unwrap().to_string_lossy().into_owned();
    assert!(tasks.iter().all(|t| t.suite == folder_name && t.family == NAME));
    assert_eq!(tasks[1].expected["ground_truth"], json!([{"math.factorial": {"number": [5]}}]));
    assert_eq!(tasks[0].expected["ground_truth"], Value::Null);

    let single = load(&dir.path().join("BFCL_v4_simple_python.json")).unwrap();
    assert_eq!(single.len(), 2);
    assert_eq!(single[0].suite, "BFCL_v4_simple_python");
}

#[test]
fn files_bench_cannot_check_are_refused_with_what_to_give_instead() {
    let dir = data_folder();
    let err = load(&dir.path().join("BFCL_v4_multi_turn_base.json")).unwrap_err();
    assert!(err.contains("category `multi_turn_base` is not one bench checks"), "{err}");
    assert!(err.contains("simple_python, multiple"), "lists what is supported: {err}");
    let err = load(&dir.path().join("possible_answer/BFCL_v4_simple_python.json")).unwrap_err();
    assert!(err.contains("this is BFCL's ground truth"), "{err}");

    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "BFCL_v4_memory_kv.json", &["{}".to_string()]);
    let err = load(empty.path()).unwrap_err();
    assert!(err.contains("no BFCL question files of a category bench checks"), "{err}");
}

#[test]
fn missing_ground_truth_is_reported_with_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write(path, "BFCL_v4_multiple.json", &[question("multiple_0")]);
    let err = load(path).unwrap_err();
    assert!(
        err.contains("no ground truth") && err.contains("possible_answer/BFCL_v4_multiple.json"),
        "{err}"
    );

    write(path, "possible_answer/BFCL_v4_multiple.json", &[truth("multiple_0")]);
    write(
        path,
        "BFCL_v4_multiple.json",
        &[question("multiple_0"), question("multiple_1"), "{\"id\": 3}".into()],
    );
    let err = load(path).unwrap_err();
    assert!(err.contains("BFCL_v4_multiple.json:2: `multiple_1` has no ground truth"), "{err}");
    assert!(err.contains("BFCL_v4_multiple.json:3: not a BFCL question entry"), "{err}");

    write(path, "BFCL_v4_multiple.json", &[question("multiple_0")]);
    let broken = r#"{"id": "multiple_0", "ground_truth": [{"math.factorial": {"number": 5}}]}"#;
    write(path, "possible_answer/BFCL_v4_multiple.json", &[broken.to_string()]);
    let err = load(path).unwrap_err();
    assert!(err.contains("possible_answer/BFCL_v4_multiple.json:1:"), "{err}");
    assert!(err.contains("not a list of acceptable values"), "{err}");
}

#[test]
fn a_file_named_otherwise_takes_its_categories_from_the_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write(path, "mine.jsonl", &[question("parallel_0"), question("live_irrelevance_3-1-0")]);
    write(path, "possible_answer/mine.jsonl", &[truth("parallel_0")]);
    let tasks = load(&path.join("mine.jsonl")).unwrap();
    let categories: Vec<Option<&str>> = tasks.iter().map(|t| t.category.as_deref()).collect();
    assert_eq!(categories, [Some("parallel"), Some("live_irrelevance")]);

    write(path, "odd.jsonl", &[question("what")]);
    let err = load(&path.join("odd.jsonl")).unwrap_err();
    assert!(err.contains("odd.jsonl:1: cannot tell the category of `what`"), "{err}");
}

#[test]
fn a_bfcl_file_given_as_prompts_says_to_use_the_bfcl_prefix() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "BFCL_v4_simple_python.json", &[question("simple_python_0")]);
    let file = dir.path().join("BFCL_v4_simple_python.json");
    let spec = SuiteSpec::parse(&file.display().to_string()).unwrap();
    let err = Registry::default().load(&spec).unwrap_err().to_string();
    assert!(err.contains("this looks like a BFCL question file") && err.contains("--suite bfcl:"), "{err}");
}
