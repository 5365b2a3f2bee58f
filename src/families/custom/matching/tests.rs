use super::*;
use serde_json::json;

fn pass(mode: MatchMode, expected: Value, output: &str) -> bool {
    mode.check(&expected, output).passed
}

fn number(expected: Value, output: &str) -> Verdict {
    MatchMode::Number.check(&expected, output)
}

fn choice(output: &str) -> Value {
    let v = MatchMode::Choice.check(&json!(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]), output);
    v.detail.get("extracted").cloned().unwrap_or(Value::Null)
}

#[test]
fn mode_names_are_snake_case() {
    assert_eq!(serde_json::to_value(MatchMode::JsonSchema).unwrap(), "json_schema");
    assert_eq!(serde_json::from_value::<MatchMode>(json!("number")).unwrap(), MatchMode::Number);
    assert!(serde_json::from_value::<MatchMode>(json!("fuzzy")).is_err());
}

#[test]
fn exact_trims_whitespace_only() {
    assert!(pass(MatchMode::Exact, json!("Paris"), "  Paris\n"));
    assert!(!pass(MatchMode::Exact, json!("Paris"), "paris"));
    assert!(!pass(MatchMode::Exact, json!("Paris"), "Paris."));
    assert!(!pass(MatchMode::Exact, json!("Paris"), "`Paris`"));
    assert!(pass(MatchMode::Exact, json!(42), "42"));
    assert!(pass(MatchMode::Exact, json!(["yes", "y"]), "y"));
    let v = MatchMode::Exact.check(&json!("a"), "b");
    assert_eq!(v.detail["got"], "b");
    assert!(v.detail["reason"].is_string());
}

#[test]
fn contains_is_case_sensitive_and_any_of() {
    assert!(pass(MatchMode::Contains, json!("refund"), "We will refund you."));
    assert!(!pass(MatchMode::Contains, json!("Refund"), "We will refund you."));
    assert!(pass(MatchMode::Contains, json!(["credit", "refund"]), "a refund"));
    let v = MatchMode::Contains.check(&json!(["x", "y"]), "abc");
    assert!(!v.passed && v.detail["expected"] == json!(["x", "y"]));
}

#[test]
fn regex_searches_and_accepts_lists() {
    assert!(pass(MatchMode::Regex, json!(r"\d{3}-\d{4}"), "call 555-1234 now"));
    assert!(!pass(MatchMode::Regex, json!("^hello$"), "hello there"));
    assert!(pass(MatchMode::Regex, json!("(?i)^HELLO"), "hello there"));
    assert!(pass(MatchMode::Regex, json!(["^no$", "yes"]), "oh yes"));
    let v = MatchMode::Regex.check(&json!(["^no$", "ye+s"]), "oh yeees");
    assert_eq!(v.detail["matched"], "yeees");
    assert_eq!(v.detail["pattern"], "ye+s");
}

#[test]
fn validate_rejects_bad_tasks() {
    let err = MatchMode::Regex.validate_expected(&json!("(")).unwrap_err();
    assert!(err.contains("does not compile"), "{err}");
    assert!(MatchMode::Regex.validate_expected(&json!(["ok", "[a-"])).is_err());
    assert!(MatchMode::Regex.validate_expected(&json!(5)).is_err());
    assert!(MatchMode::Number.validate_expected(&json!("forty-two")).is_err());
    assert!(MatchMode::Number.validate_expected(&json!("42 apples")).is_err());
    assert!(MatchMode::Number.validate_expected(&json!(["1,200", 3.5, "3/4", "$5", "-1e-3"])).is_ok());
    assert!(MatchMode::Choice.validate_expected(&json!("K")).is_err());
    assert!(MatchMode::Choice.validate_expected(&json!("Paris")).is_err());
    assert!(MatchMode::Choice.validate_expected(&json!(["b", "(C)"])).is_ok());
    assert!(MatchMode::Contains.validate_expected(&json!("")).is_err());
    assert!(MatchMode::Exact.validate_expected(&json!([])).is_err());
    assert!(MatchMode::Exact.validate_expected(&json!({"a": 1})).is_err());
    assert!(MatchMode::Json.validate_expected(&json!({"a": 1})).is_ok());
    assert!(MatchMode::JsonSchema.validate_expected(&json!({"type": "object"})).is_ok());
    let err = MatchMode::JsonSchema.validate_expected(&json!({"type": "objekt"})).unwrap_err();
    assert!(err.contains("JSON Schema"), "{err}");
    assert!(MatchMode::JsonSchema.validate_expected(&json!({"minimum": "five"})).is_err());
    assert!(MatchMode::JsonSchema.validate_expected(&json!("string")).is_err());
    let bad_json_schema = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 5});
    assert!(MatchMode::Json.validate_expected(&bad_json_schema).is_err());
}

#[test]
fn invalid_expected_fails_at_check_time_without_panicking() {
    let v = MatchMode::Number.check(&json!({"x": 1}), "42");
    assert!(!v.passed && v.detail["error"].as_str().unwrap().contains("invalid expected"));
    assert!(!MatchMode::Regex.check(&json!("("), "(").passed);
}

#[test]
fn number_answer_phrase_beats_later_numbers() {
    let v = number(json!("42"), "The answer is 42.\nStep 3 uses 7");
    assert!(v.passed, "{}", v.detail);
    assert_eq!(v.detail["rule"], "answer_phrase");
    assert_eq!(v.detail["extracted"], "42");
    assert!(number(json!(12), "**Answer:** 12 apples, from 3 baskets of 4").passed);
    // Without a phrase, the last number wins.
    assert!(number(json!(7), "Step 1 gives 3, step 2 gives 7").passed);
    // A phrase not followed by a number falls back to the last number.
    assert!(number(json!(9), "The answer is that 4 + 5 = 9").passed);
}

#[test]
fn number_boxed_and_hashes_take_priority() {
    let v = number(json!(5), r"So \boxed{5}. Check: 2 + 3 = 5, and also 10.");
    assert_eq!((v.passed, &v.detail["rule"]), (true, &json!("boxed")));
    assert!(number(json!(0.75), r"$\boxed{\frac{3}{4}}$ then 9").passed);
    assert!(number(json!(-0.5), r"x = \boxed{-\dfrac{1}{2}}").passed);
    let v = number(json!(1234), "Total 5 + 6\n#### 1,234\nanswer is 3");
    assert_eq!((v.passed, &v.detail["rule"]), (true, &json!("hashes")));
    assert!(number(json!(2), r"\boxed{1} wait, no: \boxed{2}").passed);
}

#[test]
fn number_formats() {
    let v = number(json!(-1234.5), "The answer is -1,234.50");
    assert_eq!((v.passed, v.detail["value"].as_f64()), (true, Some(-1234.5)));
    assert!(!number(json!(123), "1,2,3").passed);
    assert!(number(json!(3), "1,2,3").passed);
    assert!(number(json!(0.75), "Answer: 3/4").passed);
    assert!(number(json!("3/4"), "0.75").passed);
    assert!(number(json!(1000), "It costs $1,000.").passed);
    assert!(number(json!("$1,000"), "1000").passed);
    assert!(number(json!("1,234,567"), "about 1234567").passed);
    assert!(number(json!(0.001), "roughly 1e-3").passed);
    assert!(number(json!(2.5e6), "2.5E+6 units").passed);
    assert!(number(json!(50), "Growth was 50%.").passed);
    assert!(number(json!(-5), "the result is -$5").passed);
    assert!(number(json!(-3), "so x=-3").passed);
    assert!(number(json!(19), "COVID-19").passed);
    assert!(number(json!(4), "range 3-4").passed);
    assert!(number(json!(0.5), "p = .5").passed);
    assert!(number(json!(-3), "temperature: \u{2212}3").passed);
    assert!(number(json!(1000), r"\$1{,}000").passed);
    // Dates are not fractions; "1,2345" is not a thousands group.
    assert!(number(json!(2024), "on 1/2/2024").passed);
    assert!(number(json!(2345), "1,2345").passed);
}

#[test]
fn number_tolerance_and_failures() {
    assert!(number(json!(1.0), "0.99999999").passed);
    assert!(!number(json!(1.0), "0.999").passed);
    assert!(number(json!(0), "1e-12").passed);
    assert!(number(json!(["41", "42"]), "42").passed);
    assert!(!number(json!("1,450,000"), "The answer is 1450001.").passed, "whole numbers match exactly");
    assert!(number(json!("1,450,000"), "The answer is 1,450,000.").passed);
    let v = number(json!(42), "I don't know.");
    assert!(!v.passed);
    assert_eq!(v.detail["reason"], "no number found in the output");
    let v = number(json!(42), "The answer is 41.");
    assert!(!v.passed && v.detail["value"] == json!(41.0) && v.detail["expected"] == json!([42.0]));
}

#[test]
fn choice_extraction_rules() {
    assert_eq!(choice("I think (C) is right, not (B)... Answer: C"), "C");
    assert_eq!(choice("B"), "B");
    assert_eq!(choice(" b \n"), "B");
    assert_eq!(choice("(D)"), "D");
    assert_eq!(choice("The answer is (B)."), "B");
    assert_eq!(choice("**Answer:** **E**"), "E");
    assert_eq!(choice("The correct answer is option G"), "G");
    assert_eq!(choice("Options (A) and (C) look close; I pick (C)."), "C");
    assert_eq!(choice("Hmm. The best is **H**."), "H");
    assert_eq!(choice("B) because the rate doubles"), "B");
    assert_eq!(choice("A. Paris is the capital"), "A");
    assert_eq!(choice("Answer: A"), "A");
    assert_eq!(choice("answer is I."), "I");
    assert_eq!(choice("My answer: (b)"), "B");
}

#[test]
fn choice_traps() {
    // "A"/"I" as English words after an answer phrase are not options.
    let v = MatchMode::Choice.check(&json!("D"), "The answer: I think it is (D)");
    assert!(v.passed, "{}", v.detail);
    assert_eq!(v.detail["rule"], "parenthesised");
    // f(A) is not a standalone option.
    assert!(MatchMode::Choice.check(&json!("A"), "compute f(A) first").detail["extracted"].is_null());
    let v = MatchMode::Choice.check(&json!("B"), "Answer: B or C");
    assert!(!v.passed && v.detail["reason"].as_str().unwrap().contains("ambiguous"));
    let v = MatchMode::Choice.check(&json!("B"), "I am not sure.");
    assert!(!v.passed && v.detail["reason"] == "no choice letter found in the output");
    assert!(MatchMode::Choice.check(&json!("b"), "Answer: B").passed);
    assert!(MatchMode::Choice.check(&json!(["A", "C"]), "answer is C").passed);
    assert!(!MatchMode::Choice.check(&json!("A"), "answer is C").passed);
}

#[test]
fn json_fences_key_order_and_numbers() {
    let expected = json!({"name": "Ada", "tags": ["x", "y"], "age": 36});
    let out = "Sure!\n```json\n{\"age\": 36.0, \"tags\": [\"x\", \"y\"], \"name\": \"Ada\"}\n```\nDone.";
    let v = MatchMode::Json.check(&expected, out);
    assert!(v.passed, "{}", v.detail);
    assert_eq!(v.detail["source"], "fenced");
    assert!(pass(MatchMode::Json, expected.clone(), r#"  {"name":"Ada","age":36,"tags":["x","y"]} "#));
    let v = MatchMode::Json
        .check(&expected, r#"See [1]. Result: {"name": "Ada", "tags": ["x", "z"], "age": 36} ok"#);
    assert!(!v.passed);
    assert_eq!(v.detail["source"], "substring");
    assert_eq!(v.detail["mismatch"]["path"], "/tags/1");
    let v = MatchMode::Json.check(&expected, r#"{"name": "Ada", "tags": ["x", "y"]}"#);
    assert!(v.detail["mismatch"]["reason"].as_str().unwrap().contains("missing key `age`"));
    assert!(!pass(MatchMode::Json, json!({"a": 1}), r#"{"a": 1, "b": 2}"#));
    assert!(!pass(MatchMode::Json, json!([1, 2]), "[2, 1]"));
    assert!(pass(MatchMode::Json, json!("{\"a\": [1]}"), "{\"a\": [1.0]}"));
    assert!(pass(MatchMode::Json, json!({"s": "a}b{"}), r#"text {"s": "a}b{"} text"#));
    assert!(!pass(MatchMode::Json, json!({"a": 1}), "no json here"));
}

#[test]
fn json_schema_pass_and_fail() {
    let schema = json!({
        "type": "object",
        "required": ["id", "score"],
        "properties": {"id": {"type": "string"}, "score": {"type": "number", "minimum": 0, "maximum": 1}}
    });
    let v = MatchMode::JsonSchema.check(&schema, "```json\n{\"id\": \"t1\", \"score\": 0.5}\n```");
    assert!(v.passed, "{}", v.detail);
    let v = MatchMode::JsonSchema.check(&schema, r#"Here: {"id": 7, "score": 3}"#);
    assert!(!v.passed);
    let errors = v.detail["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{}", v.detail);
    assert!(errors.iter().any(|e| e["path"] == "/id"));
    assert!(!MatchMode::JsonSchema.check(&schema, "nothing").passed);
    // `json` with a `$schema` object behaves as json_schema.
    let mut with_meta = schema.clone();
    with_meta["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    assert!(MatchMode::Json.check(&with_meta, r#"{"id": "a", "score": 1}"#).passed);
    assert!(!MatchMode::Json.check(&with_meta, r#"{"id": "a"}"#).passed);
}

#[test]
fn number_and_choice_answers_carry_keys_for_majority_votes() {
    let key = |v: Verdict| v.detail["answer_key"].clone();
    assert_eq!(key(number(json!(1200), "The total is 1,200.")), "1200");
    assert_eq!(key(number(json!(1200), "It is 1200.0 dollars")), "1200");
    assert_eq!(key(number(json!(0.5), "p = 0.5")), "5.00000e-1");
    assert_eq!(key(number(json!(3), "no idea")), crate::core::NO_ANSWER);
    let choice = |out: &str| MatchMode::Choice.check(&json!("B"), out).detail["answer_key"].clone();
    assert_eq!(choice("The answer is (B)."), "B");
    assert_eq!(choice("The answer is (C)."), "C");
}
