//! BFCL's AST checker (`bfcl_eval/eval_checker/ast_eval/ast_checker.py`) for Python categories: one
//! call against one expected call (`simple_function_checker`), one call among several functions
//! (`multiple_function_checker`) and several calls in any order (`parallel_function_checker_no_order`,
//! as a full matching rather than BFCL's greedy one, see [`parallel`]).

use serde_json::{Map, Value, json};

use super::values::{self, PyType, is_in, is_omitted};

/// Why an answer fails the checker: BFCL's error type (`simple_function_checker:missing_required`,
/// `value_error:string`, ...) and what exactly, so a reader of the score sees the reason.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Failure {
    /// BFCL's `error_type`.
    pub kind: &'static str,
    /// What failed, naming the parameter and the values.
    pub error: String,
    /// For an expected call of a parallel answer that no call matched: why each call tried failed.
    pub tried: Vec<(usize, Failure)>,
}

impl Failure {
    /// A failure with no sub-failures.
    pub(super) fn new(kind: &'static str, error: impl Into<String>) -> Failure {
        Failure { kind, error: error.into(), tried: Vec::new() }
    }

    /// The failure as the score detail shows it.
    pub(super) fn to_json(&self) -> Value {
        let mut detail = json!({"error_type": self.kind, "error": self.error});
        if !self.tried.is_empty() {
            let tried: Vec<Value> = self
                .tried
                .iter()
                .map(|(index, f)| json!({"call": index, "error_type": f.kind, "error": f.error}))
                .collect();
            detail["tried"] = Value::Array(tried);
        }
        detail
    }
}

/// How a category's answers are checked (routed by the category's name, as BFCL routes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// Exactly one call, to the one function offered.
    Simple,
    /// Exactly one call, to the right one of several functions.
    Multiple,
    /// Several calls, matched to the expected ones in any order.
    Parallel,
    /// No call at all: none of the functions fits the question.
    Irrelevance,
    /// At least one call, arguments not checked.
    Relevance,
}

impl Check {
    /// Whether answers are compared with a ground truth.
    pub(super) fn needs_ground_truth(self) -> bool {
        matches!(self, Check::Simple | Check::Multiple | Check::Parallel)
    }

    /// The check's name in score details.
    pub(super) fn name(self) -> &'static str {
        match self {
            Check::Simple => "simple",
            Check::Multiple => "multiple",
            Check::Parallel => "parallel",
            Check::Irrelevance => "irrelevance",
            Check::Relevance => "relevance",
        }
    }
}

/// A BFCL function description, as the checker reads it.
#[derive(Debug)]
pub(super) struct FunctionDoc<'a> {
    pub name: &'a str,
    properties: Option<&'a Map<String, Value>>,
    required: Vec<&'a str>,
}

impl<'a> FunctionDoc<'a> {
    /// Reads `{"name", "parameters": {"properties": {...}, "required": [...]}}`.
    pub(super) fn read(doc: &'a Value) -> Result<FunctionDoc<'a>, String> {
        let name = doc.get("name").and_then(Value::as_str).ok_or("a function without a `name` string")?;
        let parameters = doc
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("function `{name}`: no `parameters` object"))?;
        let properties = match parameters.get("properties") {
            None => None,
            Some(Value::Object(properties)) => Some(properties),
            Some(_) => return Err(format!("function `{name}`: `parameters.properties` is not an object")),
        };
        let required = match parameters.get("required") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().ok_or(format!("function `{name}`: `required` holds {item}")))
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(format!("function `{name}`: `required` is {other}, not a list")),
        };
        Ok(FunctionDoc { name, properties, required })
    }

    /// Whether the function has the parameter.
    pub(super) fn has(&self, param: &str) -> bool {
        self.property(param).is_some()
    }

    fn property(&self, param: &str) -> Option<&'a Value> {
        self.properties.and_then(|p| p.get(param))
    }

    /// The declared (BFCL) type of a parameter.
    pub(super) fn declared_type(&self, param: &str) -> Option<&'a str> {
        self.property(param).and_then(|p| p.get("type")).and_then(Value::as_str)
    }

    /// The declared type of a list parameter's items.
    pub(super) fn item_type(&self, param: &str) -> Option<&'a str> {
        self.property(param).and_then(|p| p.get("items")).and_then(|i| i.get("type")).and_then(Value::as_str)
    }
}

/// One call of the ground truth: a function name and each parameter's acceptable values.
#[derive(Debug)]
pub(super) struct ExpectedCall<'a> {
    pub name: &'a str,
    pub params: &'a Map<String, Value>,
}

impl<'a> ExpectedCall<'a> {
    /// Reads `{"fn_name": {"param": [acceptable values]}}`.
    pub(super) fn read(call: &'a Value) -> Result<ExpectedCall<'a>, String> {
        let one = call.as_object().filter(|o| o.len() == 1);
        let Some((name, params)) = one.and_then(|o| o.iter().next()) else {
            return Err(format!("a ground-truth call must be {{\"function\": {{...}}}}, found {call}"));
        };
        let params =
            params.as_object().ok_or(format!("ground truth of `{name}`: parameters are {params}"))?;
        if let Some((param, values)) = params.iter().find(|(_, v)| !v.is_array()) {
            return Err(format!(
                "ground truth of `{name}`: `{param}` is {values}, not a list of acceptable values"
            ));
        }
        Ok(ExpectedCall { name, params })
    }

    fn candidates(&self, param: &str) -> Option<&'a [Value]> {
        self.params.get(param).and_then(Value::as_array).map(Vec::as_slice)
    }
}

/// A call the model made, under its BFCL name, with arguments that are a JSON object.
#[derive(Debug)]
pub(super) struct Call<'a> {
    pub name: &'a str,
    pub arguments: &'a Map<String, Value>,
}

/// Checks decoded calls against the ground truth of a Simple, Multiple or Parallel category.
pub(super) fn check(
    check: Check,
    functions: &[FunctionDoc],
    calls: &[Call],
    expected: &[ExpectedCall],
) -> Result<(), Failure> {
    let wrong_count = |kind: &'static str, want: usize| {
        Failure::new(kind, format!("expected {want} call(s), got {}", calls.len()))
    };
    match check {
        Check::Parallel => parallel(functions, calls, expected),
        Check::Multiple => match (calls, expected) {
            ([call], [want]) => check_call(find(functions, want.name)?, call, want),
            _ => Err(wrong_count("multiple_function_checker:wrong_count", expected.len())),
        },
        _ => match (calls, expected, functions) {
            ([call], [want, ..], [function, ..]) => check_call(function, call, want),
            _ => Err(wrong_count("simple_function_checker:wrong_count", 1)),
        },
    }
}

fn find<'f, 'a>(functions: &'f [FunctionDoc<'a>], name: &str) -> Result<&'f FunctionDoc<'a>, Failure> {
    functions.iter().find(|f| f.name == name).ok_or_else(|| {
        Failure::new("bad_task", format!("the ground truth calls `{name}`, which the task does not offer"))
    })
}

/// Parallel calls in any order: every expected call gets a call of its own that passes for it. BFCL
/// matches greedily (each expected call takes the first free call that passes), which fails a right
/// answer whose calls fit more than one expected call when they come in another order; a full
/// matching (Kuhn's augmenting paths) agrees with it whenever greedy succeeds and is order-free.
fn parallel(functions: &[FunctionDoc], calls: &[Call], expected: &[ExpectedCall]) -> Result<(), Failure> {
    if calls.len() != expected.len() {
        return Err(Failure::new(
            "parallel_function_checker_no_order:wrong_count",
            format!("expected {} call(s), got {}", expected.len(), calls.len()),
        ));
    }
    let mut fits = vec![vec![false; calls.len()]; expected.len()];
    let mut failures: Vec<Vec<(usize, Failure)>> = vec![Vec::new(); expected.len()];
    for (i, want) in expected.iter().enumerate() {
        let function = find(functions, want.name)?;
        for (j, call) in calls.iter().enumerate() {
            match check_call(function, call, want) {
                Ok(()) => fits[i][j] = true,
                Err(failure) => failures[i].push((j, failure)),
            }
        }
    }
    let mut owner: Vec<Option<usize>> = vec![None; calls.len()];
    for (i, want) in expected.iter().enumerate() {
        let mut seen = vec![false; calls.len()];
        if !augment(i, &fits, &mut owner, &mut seen) {
            let error = if failures[i].len() == calls.len() {
                format!("no call matches expected call {i} (`{}`)", want.name)
            } else {
                format!(
                    "the calls that match expected call {i} (`{}`) are all needed by other expected calls",
                    want.name
                )
            };
            let tried = std::mem::take(&mut failures[i]);
            return Err(Failure {
                kind: "parallel_function_checker_no_order:cannot_find_match",
                error,
                tried,
            });
        }
    }
    Ok(())
}

/// Finds expected call `i` a call that fits it, moving earlier matches to other calls where needed.
fn augment(i: usize, fits: &[Vec<bool>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for j in 0..owner.len() {
        if fits[i][j] && !seen[j] {
            seen[j] = true;
            let free = match owner[j] {
                None => true,
                Some(other) => augment(other, fits, owner, seen),
            };
            if free {
                owner[j] = Some(i);
                return true;
            }
        }
    }
    false
}

/// `simple_function_checker`: the name, the required parameters, each given parameter's type and
/// value, and the parameters the ground truth needs.
fn check_call(function: &FunctionDoc, call: &Call, want: &ExpectedCall) -> Result<(), Failure> {
    if call.name != function.name {
        return Err(Failure::new(
            "simple_function_checker:wrong_func_name",
            format!("called `{}`, expected `{}`", call.name, function.name),
        ));
    }
    if let Some(missing) = function.required.iter().find(|p| !call.arguments.contains_key(**p)) {
        return Err(Failure::new(
            "simple_function_checker:missing_required",
            format!("missing required parameter `{missing}`"),
        ));
    }
    for (param, value) in call.arguments {
        let (Some(_), Some(candidates)) = (function.property(param), want.candidates(param)) else {
            return Err(Failure::new(
                "simple_function_checker:unexpected_param",
                format!("unexpected parameter `{param}` (not in the function or not in the ground truth)"),
            ));
        };
        check_param(function, param, value, candidates)?;
    }
    for (param, candidates) in want.params {
        if !call.arguments.contains_key(param) && !as_slice(candidates).iter().any(is_omitted) {
            return Err(Failure::new(
                "simple_function_checker:missing_optional",
                format!("parameter `{param}` left out, but the ground truth needs it"),
            ));
        }
    }
    Ok(())
}

fn as_slice(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// One parameter: Python's int -> float promotion, the type check, then the value check for its type.
fn check_param(
    function: &FunctionDoc,
    param: &str,
    value: &Value,
    candidates: &[Value],
) -> Result<(), Failure> {
    let declared = function.declared_type(param);
    let Some(expected) = declared.and_then(PyType::of_schema) else {
        // A type BFCL's checker has no mapping for: compare as the value's own type.
        return check_value(param, value, PyType::of(value), None, candidates);
    };
    let declared = declared.unwrap_or("any");
    let nested = match declared {
        "array" | "tuple" => function.item_type(param).and_then(PyType::of_schema),
        _ => None,
    };
    // Python promotes an int where a float is declared.
    let promoted;
    let value = if declared == "float" && PyType::of(value) == PyType::Int {
        promoted = value.as_f64().map_or(Value::Null, Value::from);
        &promoted
    } else {
        value
    };
    if check_type(param, value, candidates, declared, expected, nested)? {
        // A "variable": compared as is, without the per-type rules.
        return in_candidates(param, value, candidates);
    }
    check_value(param, value, expected, nested, candidates)
}

fn check_value(
    param: &str,
    value: &Value,
    expected: PyType,
    nested: Option<PyType>,
    candidates: &[Value],
) -> Result<(), Failure> {
    match (expected, value) {
        (PyType::Dict, _) => values::check_dict(param, value, candidates),
        (PyType::List, Value::Array(items)) if nested == Some(PyType::Dict) => {
            values::check_list_of_dicts(param, items, candidates)
        }
        (PyType::Str, Value::String(text)) => values::check_string(param, text, candidates),
        (PyType::List, Value::Array(items)) => values::check_list(param, items, candidates),
        _ => in_candidates(param, value, candidates),
    }
}

fn in_candidates(param: &str, value: &Value, candidates: &[Value]) -> Result<(), Failure> {
    if is_in(value, candidates) {
        return Ok(());
    }
    Err(Failure::new(
        "value_error:others",
        format!(
            "parameter `{param}`: {value} is not one of the acceptable values {}",
            Value::from(candidates)
        ),
    ))
}

/// `type_checker`: whether `value` has the declared type (for lists, items of the declared item type
/// when every acceptable value is a list). `Ok(true)` marks a "variable": the value has the type of
/// the acceptable values rather than the declared one, and is then compared as is.
fn check_type(
    param: &str,
    value: &Value,
    candidates: &[Value],
    declared: &str,
    expected: PyType,
    nested: Option<PyType>,
) -> Result<bool, Failure> {
    let answer_type = candidates.iter().find(|c| !is_omitted(c)).map(PyType::of);
    let is_variable = answer_type.is_some_and(|t| t != expected);
    let actual = PyType::of(value);
    if actual == expected {
        let (Some(inner), Value::Array(items)) = (nested, value) else { return Ok(is_variable) };
        let fits = |candidate: &Value| match candidate {
            Value::Array(accepted) => {
                items.iter().all(|item| check_type(param, item, accepted, inner.name(), inner, None).is_ok())
            }
            _ => true,
        };
        if candidates.iter().any(fits) {
            return Ok(is_variable);
        }
        return Err(Failure::new(
            "type_error:nested",
            format!("parameter `{param}`: {value} should be a {declared} of {}", inner.name()),
        ));
    }
    if answer_type == Some(actual) {
        return Ok(true);
    }
    Err(Failure::new(
        "type_error:simple",
        format!("parameter `{param}`: expected type {declared}, got {} {value}", actual.name()),
    ))
}
