//! Parameter values as BFCL's checker (Python) sees them: the Python type of a decoded JSON value,
//! Python's `==` (`5 == 5.0`, `True == 1`), `standardize_string`, and the value checks for strings,
//! lists, dicts and lists of dicts (`string_checker`, `list_checker`, `dict_checker`,
//! `list_dict_checker` in `ast_checker.py`).

use serde_json::{Map, Value};

use super::checker::Failure;

/// The Python type of a value after `json.loads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PyType {
    None,
    Bool,
    Int,
    Float,
    Str,
    List,
    Dict,
}

impl PyType {
    /// The type `json.loads` gives `value` (`5` is an int, `5.0` a float).
    pub(super) fn of(value: &Value) -> PyType {
        match value {
            Value::Null => PyType::None,
            Value::Bool(_) => PyType::Bool,
            Value::Number(n) if n.is_f64() => PyType::Float,
            Value::Number(_) => PyType::Int,
            Value::String(_) => PyType::Str,
            Value::Array(_) => PyType::List,
            Value::Object(_) => PyType::Dict,
        }
    }

    /// BFCL's `PYTHON_TYPE_MAPPING`: the type a parameter declared as `declared` must have (`any` means
    /// a string there, `tuple` a list). `None` for a type the checker does not know.
    pub(super) fn of_schema(declared: &str) -> Option<PyType> {
        Some(match declared {
            "string" | "any" => PyType::Str,
            "integer" => PyType::Int,
            "float" => PyType::Float,
            "boolean" => PyType::Bool,
            "array" | "tuple" => PyType::List,
            "dict" => PyType::Dict,
            _ => return None,
        })
    }

    /// Python's name of the type, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            PyType::None => "NoneType",
            PyType::Bool => "bool",
            PyType::Int => "int",
            PyType::Float => "float",
            PyType::Str => "str",
            PyType::List => "list",
            PyType::Dict => "dict",
        }
    }
}

/// `""` among a parameter's acceptable values: the parameter may be left out.
pub(super) fn is_omitted(candidate: &Value) -> bool {
    candidate.as_str() == Some("")
}

/// A number as Python compares it: ints exactly, anything with a float as floats; bools are 0 and 1.
#[derive(Clone, Copy)]
enum Number {
    Int(i128),
    Float(f64),
}

fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Bool(b) => Some(Number::Int(i128::from(*b))),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Some(Number::Int(i128::from(i))),
            (_, Some(u), _) => Some(Number::Int(i128::from(u))),
            (_, _, Some(f)) => Some(Number::Float(f)),
            _ => None,
        },
        _ => None,
    }
}

/// Python's `a == b` for decoded JSON values.
pub(super) fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| py_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, v)| y.get(key).is_some_and(|w| py_eq(v, w)))
        }
        _ => match (number(a), number(b)) {
            (Some(Number::Int(x)), Some(Number::Int(y))) => x == y,
            (Some(x), Some(y)) => as_f64(x) == as_f64(y),
            _ => false,
        },
    }
}

fn as_f64(n: Number) -> f64 {
    match n {
        // Precision is lost only beyond 2^53, where Python's exact comparison and this one may differ.
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

/// Python's `value in candidates`.
pub(super) fn is_in(value: &Value, candidates: &[Value]) -> bool {
    candidates.iter().any(|c| py_eq(value, c))
}

/// BFCL's `standardize_string`: without spaces and `,./-_*^`, lower case, `'` as `"`; so that
/// "April 1, 2024" and "april 1 2024" are the same answer.
pub(super) fn standardize(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | ',' | '.' | '/' | '-' | '_' | '*' | '^'))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '\'' { '"' } else { c })
        .collect()
}

/// A string standardised, any other value as it is.
fn standardized(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(standardize(s)),
        other => other.clone(),
    }
}

/// The acceptable values of a key of an acceptable dict (always a list in BFCL's data).
fn as_list(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// Shows acceptable values in messages.
fn show(values: &[Value]) -> String {
    Value::Array(values.to_vec()).to_string()
}

/// `string_checker`: the standardised string is one of the standardised acceptable strings.
pub(super) fn check_string(param: &str, value: &str, candidates: &[Value]) -> Result<(), Failure> {
    let given = standardize(value);
    if candidates.iter().filter_map(Value::as_str).any(|c| standardize(c) == given) {
        return Ok(());
    }
    Err(Failure::new(
        "value_error:string",
        format!(
            "parameter `{param}`: {value:?} is not one of the acceptable values {} (compared ignoring case, \
             spaces and ,./-_*^)",
            show(candidates)
        ),
    ))
}

/// `list_checker`: the list, its strings standardised, equals one of the acceptable lists (order counts;
/// BFCL lists the accepted permutations).
pub(super) fn check_list(param: &str, value: &[Value], candidates: &[Value]) -> Result<(), Failure> {
    let given: Vec<Value> = value.iter().map(standardized).collect();
    let matches = |candidate: &Value| {
        let accepted: Vec<Value> = match candidate {
            Value::Array(items) => items.iter().map(standardized).collect(),
            // Python iterates a string by characters: `""` (may be omitted) stands for the empty list.
            Value::String(s) => s.chars().map(|c| Value::String(standardize(&c.to_string()))).collect(),
            _ => return false,
        };
        given.len() == accepted.len() && given.iter().zip(&accepted).all(|(g, a)| py_eq(g, a))
    };
    if candidates.iter().any(matches) {
        return Ok(());
    }
    Err(Failure::new(
        "value_error:list/tuple",
        format!(
            "parameter `{param}`: {} is not one of the acceptable lists {}",
            Value::Array(value.to_vec()),
            show(candidates)
        ),
    ))
}

/// `dict_checker`: the dict matches one of the acceptable dicts, key by key (each key's value among
/// that key's acceptable values, strings standardised), with every key not marked optional present.
pub(super) fn check_dict(param: &str, value: &Value, candidates: &[Value]) -> Result<(), Failure> {
    let Value::Object(given) = value else {
        return Err(Failure::new(
            "type_error:nested",
            format!("parameter `{param}`: {value} should be a dict"),
        ));
    };
    let mut last = Failure::new("dict_checker:unclear", format!("parameter `{param}`: no acceptable dict"));
    for candidate in candidates.iter().filter(|c| !is_omitted(c)) {
        if let Value::Object(accepted) = candidate {
            match dict_matches(param, given, accepted) {
                Ok(()) => return Ok(()),
                Err(failure) => last = failure,
            }
        }
    }
    Err(last)
}

fn dict_matches(
    param: &str,
    given: &Map<String, Value>,
    accepted: &Map<String, Value>,
) -> Result<(), Failure> {
    for (key, value) in given {
        let Some(values) = accepted.get(key) else {
            return Err(Failure::new(
                "value_error:dict_key",
                format!("parameter `{param}`: unexpected key `{key}`"),
            ));
        };
        let values: Vec<Value> = as_list(values).iter().map(standardized).collect();
        if !is_in(&standardized(value), &values) {
            return Err(Failure::new(
                "value_error:dict_value",
                format!("parameter `{param}`: key `{key}` is {value}, not one of {}", show(&values)),
            ));
        }
    }
    for (key, values) in accepted {
        if !given.contains_key(key) && !as_list(values).iter().any(is_omitted) {
            return Err(Failure::new(
                "value_error:dict_key",
                format!("parameter `{param}`: missing key `{key}`"),
            ));
        }
    }
    Ok(())
}

/// `list_dict_checker`: as many dicts as one acceptable list has, each matching the acceptable dict
/// at its index. Of several failures, a mismatch inside a list of the right length is reported.
pub(super) fn check_list_of_dicts(param: &str, value: &[Value], candidates: &[Value]) -> Result<(), Failure> {
    let (mut mismatch, mut count) = (None, None);
    for candidate in candidates {
        let accepted: &[Value] = match candidate {
            Value::Array(items) => items,
            // Python's `len("")` is 0: "may be omitted" accepts an empty list.
            Value::String(s) if s.is_empty() => &[],
            _ => continue,
        };
        if accepted.len() != value.len() {
            count = Some(Failure::new(
                "value_error:list_dict_count",
                format!("parameter `{param}`: {} dicts, expected {}", value.len(), accepted.len()),
            ));
            continue;
        }
        match value.iter().zip(accepted).try_for_each(|(v, a)| check_dict(param, v, std::slice::from_ref(a)))
        {
            Ok(()) => return Ok(()),
            Err(failure) => mismatch = Some(failure),
        }
    }
    Err(mismatch.or(count).unwrap_or_else(|| {
        Failure::new("list_dict_checker:unclear", format!("parameter `{param}`: no acceptable list of dicts"))
    }))
}
