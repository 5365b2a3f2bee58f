//! BFCL function descriptions as tools the providers accept, as BFCL's FC mode offers them
//! (`model_handler/utils.py:convert_to_tool`): names made legal, BFCL's Python type names turned
//! into JSON Schema.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::core::ToolSpec;

/// Longest tool name the providers accept (`^[a-zA-Z0-9_-]{1,64}$`).
const MAX_NAME: usize = 64;

/// The tools for a task's functions (in order), and the names that had to change, as
/// provider name -> BFCL name, for mapping calls back.
pub(super) fn tools(functions: &[Value]) -> (Vec<ToolSpec>, Map<String, Value>) {
    let mut taken = HashSet::new();
    let mut renamed = Map::new();
    let mut tools = Vec::with_capacity(functions.len());
    for function in functions {
        let original = function.get("name").and_then(Value::as_str).unwrap_or("function");
        let name = unique(legal_name(original), &taken);
        taken.insert(name.clone());
        if name != original {
            renamed.insert(name.clone(), Value::String(original.to_string()));
        }
        let description = function.get("description").and_then(Value::as_str).unwrap_or("");
        let parameters = function.get("parameters").map_or_else(|| Value::Object(Map::new()), json_schema);
        tools.push(ToolSpec { name, description: description.to_string(), parameters });
    }
    (tools, renamed)
}

/// `name` with every character other than an ASCII letter, digit, `_` or `-` made `_` (BFCL turns
/// `.` into `_`), cut to 64.
pub(super) fn legal_name(name: &str) -> String {
    let legal: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .take(MAX_NAME)
        .collect();
    if legal.is_empty() { "function".to_string() } else { legal }
}

/// `name`, or, when another function of the task already has it, `name_2`, `name_3`, ...
fn unique(name: String, taken: &HashSet<String>) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| {
            let suffix = format!("_{n}");
            let stem: String = name.chars().take(MAX_NAME - suffix.len()).collect();
            format!("{stem}{suffix}")
        })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(name)
}

/// A BFCL parameter schema as JSON Schema, all the way down: `dict` -> `object`, `float` -> `number`
/// (described as a float, as BFCL does), `tuple` -> `array`, `any` and unknown types -> `string`; the
/// top level is always an object. A `required` that is not a list of names is dropped.
pub(super) fn json_schema(parameters: &Value) -> Value {
    let mut schema = parameters.clone();
    convert(&mut schema);
    if let Value::Object(map) = &mut schema {
        map.insert("type".into(), Value::String("object".into()));
        map.entry("properties").or_insert_with(|| Value::Object(Map::new()));
    }
    schema
}

fn convert(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let declared = map.get("type").and_then(Value::as_str).map(str::to_string);
    let mapped = match declared.as_deref() {
        Some(t) => json_type(t),
        None if map.contains_key("properties") => "object",
        None if map.contains_key("items") => "array",
        None => "string",
    };
    if declared.as_deref() == Some("float") {
        let description = map.get("description").and_then(Value::as_str).unwrap_or("");
        let described = format!("{description} This is a float type value.").trim_start().to_string();
        map.insert("description".into(), Value::String(described));
        map.insert("format".into(), Value::String("float".into()));
    }
    map.insert("type".into(), Value::String(mapped.into()));
    let names_only = |v: &Value| v.as_array().is_some_and(|items| items.iter().all(Value::is_string));
    if map.get("required").is_some_and(|r| !names_only(r)) {
        map.remove("required");
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(convert);
    }
    match map.get_mut("items") {
        Some(items @ Value::Object(_)) => convert(items),
        Some(Value::Array(each)) => each.iter_mut().for_each(convert),
        _ => {}
    }
    if let Some(extra @ Value::Object(_)) = map.get_mut("additionalProperties") {
        convert(extra);
    }
}

/// BFCL's `GORILLA_TO_OPENAPI` type mapping; what it does not know becomes a string.
fn json_type(bfcl: &str) -> &'static str {
    match bfcl {
        "dict" | "object" | "HashMap" | "Hashtable" => "object",
        "float" | "number" | "double" => "number",
        "integer" | "byte" | "short" | "long" | "Bigint" => "integer",
        "boolean" | "bool" => "boolean",
        "array" | "list" | "tuple" | "ArrayList" | "Array" | "Queue" | "Stack" => "array",
        _ => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_and_clashing_names_become_legal_and_distinct() {
        let functions = vec![
            json!({"name": "math.factorial"}),
            json!({"name": "math_factorial"}),
            json!({"name": "ok-name"}),
        ];
        let (tools, renamed) = tools(&functions);
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["math_factorial", "math_factorial_2", "ok-name"]);
        assert_eq!(renamed.get("math_factorial"), Some(&json!("math.factorial")));
        assert_eq!(renamed.get("math_factorial_2"), Some(&json!("math_factorial")));
        assert_eq!(renamed.len(), 2, "names that are legal as they are stay out of the map");
        let long = legal_name(&"a.".repeat(50));
        assert_eq!(long.len(), 64);
        assert!(long.chars().all(|c| c == 'a' || c == '_'));
        assert_eq!(legal_name(""), "function");
    }

    #[test]
    fn bfcl_types_become_json_schema_all_the_way_down() {
        let parameters = json!({"type": "dict", "required": ["a"], "properties": {
            "a": {"type": "float", "description": "Side."},
            "b": {"type": "tuple", "items": {"type": "float"}},
            "c": {"type": "dict", "properties": {"x": {"type": "any"}}, "required": true},
            "d": {"type": "array", "items": {"type": "dict", "properties": {"y": {"type": "integer"}}}},
            "e": {"description": "no type"}
        }});
        let schema = json_schema(&parameters);
        assert_eq!(schema["type"], "object");
        let p = &schema["properties"];
        assert_eq!(
            p["a"],
            json!({"type": "number", "format": "float", "description": "Side. This is a float type value."})
        );
        assert_eq!(p["b"]["type"], "array");
        assert_eq!(p["b"]["items"]["type"], "number");
        assert_eq!(p["c"]["type"], "object");
        assert_eq!(p["c"]["properties"]["x"]["type"], "string");
        assert!(p["c"].get("required").is_none(), "a boolean `required` is not JSON Schema");
        assert_eq!(p["d"]["items"]["type"], "object");
        assert_eq!(p["d"]["items"]["properties"]["y"]["type"], "integer");
        assert_eq!(p["e"]["type"], "string");
        assert_eq!(schema["required"], json!(["a"]));
        jsonschema::meta::validate(&schema).expect("valid JSON Schema");
    }
}
