use super::equiv::{equivalent, parse_real};
use super::extract::{extract, last_boxed, normalize};
use super::*;

fn answer(text: &str) -> Outcome {
    Outcome::text_only(text)
}

fn spec_for(family: &str, text: &str) -> (tempfile::TempDir, SuiteSpec) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.jsonl");
    std::fs::write(&path, text).unwrap();
    let spec = SuiteSpec {
        family: family.into(),
        path,
        name: "data".into(),
        bundled: None,
        repos: None,
        max_context: None,
        source: String::new(),
    };
    (dir, spec)
}

fn ex(text: &str) -> (String, &'static str) {
    let e = extract(text).unwrap();
    (e.raw, e.method)
}

fn eq(a: &str, g: &str) -> bool {
    equivalent(a, g).0
}

// ---- extraction ----

#[test]
fn boxed_last_with_nested_braces() {
    assert_eq!(ex("first \\boxed{1} then \\boxed{\\frac{1}{2}} done"), ("\\frac{1}{2}".into(), "boxed"));
    assert_eq!(ex("so \\fbox{7} and #### 9"), ("7".into(), "boxed"));
    assert_eq!(ex("\\boxed{1} later \\fbox{ {2} }"), ("{2}".into(), "boxed"));
    assert_eq!(last_boxed("\\boxed{unclosed"), None);
    assert_eq!(ex("\\boxed {42}"), ("42".into(), "boxed"));
}

#[test]
fn hashes_take_the_rest_of_the_line() {
    assert_eq!(ex("She pays 3*4=<<3*4=12>>12\n#### 1,200\n"), ("1,200".into(), "hashes"));
    assert_eq!(ex("#### 5\nthen #### -10"), ("-10".into(), "hashes"));
}

#[test]
fn answer_phrases() {
    assert_eq!(ex("The answer is 42. Then in step 3 we check."), ("42".into(), "answer_phrase"));
    assert_eq!(ex("The answer is 42.\nstep 3"), ("42.".into(), "answer_phrase"));
    assert_eq!(ex("blah\nAnswer: $\\frac{3}{4}$\n"), ("$\\frac{3}{4}$".into(), "answer_phrase"));
    assert_eq!(ex("**Final Answer:** 3.5 cm"), ("3.5 cm".into(), "answer_phrase"));
    assert!(score_answer("The answer is 42. Then step 3 checks it.", "42").passed);
    assert_eq!(ex("The answer is: (B)"), ("(B)".into(), "answer_phrase"));
    assert_eq!(ex("The answer is not obvious. After work we get 7"), ("7".into(), "last_number"));
}

#[test]
fn last_number_fallback() {
    assert_eq!(ex("we get 3 and then 1,234.5 apples"), ("1,234.5".into(), "last_number"));
    assert_eq!(ex("gpt-4 says x-7"), ("7".into(), "last_number"));
    assert_eq!(ex("it is -7"), ("-7".into(), "last_number"));
    assert_eq!(ex("total 1{,}000"), ("1000".into(), "last_number"));
    assert_eq!(extract("no numbers here"), None);
}

#[test]
fn normalisation_rules() {
    assert_eq!(normalize("$\\text{18 dollars}$"), "18");
    assert_eq!(normalize("\\$18.00"), "18.00");
    assert_eq!(normalize("50\\%"), "50");
    assert_eq!(normalize("90^\\circ"), "90");
    assert_eq!(normalize("90^{\\circ}"), "90");
    assert_eq!(normalize("90\u{b0}"), "90");
    assert_eq!(normalize("\\dfrac{1}{2}."), "\\frac{1}{2}");
    assert_eq!(normalize("\\tfrac{1}{2}"), "\\frac{1}{2}");
    assert_eq!(normalize("\\left( 1, 2 \\right)"), "( 1, 2 )");
    assert_eq!(normalize("5 square meters"), "5");
    assert_eq!(normalize("1\\,000"), "1000");
    // A single letter after a number may be a variable: keep it.
    assert_eq!(normalize("3 x"), "3 x");
}

// ---- equivalence ----

#[test]
fn numbers_and_tolerance() {
    assert!(eq("42", "42"));
    assert!(eq("42.0", "42"));
    assert!(eq("1e3", "1000.0"));
    assert!(!eq("1450001", "1,450,000"));
    assert!(!eq("1450000.5", "1450000"));
    assert!(!eq("3.1415926", "3.14159265"));
    assert!(!eq("3.14", "3.15"));
    assert!(!eq("43", "42"));
    assert!(eq("-10", "-10"));
    assert!(!eq("10", "-10"));
    assert!(eq("1e3", "1000"));
    assert_eq!(equivalent("42.0", "42").1, "numeric");
}

#[test]
fn fractions_decimals_percent_mixed() {
    assert!(eq("\\frac{1}{2}", "0.5"));
    assert!(eq("0.5", "\\frac{1}{2}"));
    assert!(eq("1/2", "\\dfrac{1}{2}"));
    assert!(eq("\\frac12", "0.5"));
    assert!(eq("-\\frac{3}{4}", "-0.75"));
    assert!(eq("\\frac{-3}{4}", "-0.75"));
    assert!(eq("1\\frac{1}{2}", "1.5"));
    assert!(eq("1 1/2", "3/2"));
    assert!(eq("50\\%", "50"));
    assert!(!eq("\\frac{1}{3}", "0.33"));
    assert!(eq("\\frac{1}{3}", "0.3333333"));
    assert_eq!(parse_real("2/0"), None);
    assert_eq!(parse_real("1/3").unwrap().exact, Some((1, 3)));
}

#[test]
fn thousands_separators_by_context() {
    assert!(eq("1,000", "1000"));
    assert!(eq("1000", "1,000"));
    assert!(eq("1,450,000", "1450000"));
    assert!(!eq("1,00", "100"));
    assert!(!eq("1,000", "(1, 0)"));
    assert!(!eq("1,2", "12"));
}

#[test]
fn aime_integers() {
    assert!(eq("25", "025"));
    assert!(eq("025", "25"));
    assert!(!eq("250", "025"));
    assert!(score_answer("so the answer is \\boxed{25}", "025").passed);
}

#[test]
fn multiple_choice_letters() {
    assert!(eq("(B)", "B"));
    assert!(eq("b", "B"));
    assert!(eq("\\text{(C)}", "C"));
    assert!(!eq("A", "B"));
    assert!(!eq("2", "B"));
    assert_eq!(equivalent("(B)", "B").1, "choice");
}

#[test]
fn equations_take_the_right_side() {
    assert!(eq("x = 3", "3"));
    assert!(eq("3", "x=3"));
    assert!(eq("y_1 = \\frac{1}{2}", "0.5"));
    assert!(!eq("x = 4", "3"));
    // Not a single variable on the left: no stripping.
    assert!(!eq("2x = 6", "6"));
}

#[test]
fn tuples_and_intervals() {
    assert!(eq("(1,2)", "(1, 2)"));
    assert!(eq("(0.5, 2)", "(\\frac{1}{2}, 2)"));
    assert!(!eq("(1,2)", "[1,2]"));
    assert!(!eq("[1,2)", "[1,2]"));
    assert!(!eq("(1,2,3)", "(1,2)"));
    assert!(!eq("(2,1)", "(1,2)"));
    assert!(!eq("1,2", "(1,2)"));
    assert_eq!(equivalent("(1,2)", "[1,2]").1, "tuple");
}

#[test]
fn radicals_and_constants_by_value() {
    assert_eq!(equivalent("\\sqrt{2}", "\\sqrt{2}"), (true, "string"));
    assert!(eq("\\sqrt {2}", "\\sqrt{2}"));
    assert_eq!(equivalent("2\\sqrt{3}", "\\sqrt{12}"), (true, "expression"));
    assert!(eq("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt3}{2}"));
    assert!(eq("\\frac{3}{\\sqrt{3}}", "\\sqrt{3}"));
    assert!(eq("\\sqrt[3]{27}", "3"));
    assert!(eq("\\sqrt{4}", "2"));
    assert!(!eq("\\sqrt{2}", "2"));
    assert!(!eq("\\sqrt{2}", "1.41"));
    assert!(eq("2\\pi", "\\pi \\cdot 2"));
    assert!(!eq("2\\pi", "6.28"));
    assert!(eq("e^{2}", "e^2"));
    assert!(eq("\\log_2 8", "3"));
    assert!(eq("5!", "120"));
    assert!(eq("2^{10}", "1024"));
    assert!(!eq("2^{10}", "1023"));
}

#[test]
fn expressions_compared_at_random_points() {
    assert_eq!(equivalent("0.5x + 0.5", "\\frac{x+1}{2}"), (true, "expression"));
    assert!(eq("x^2+2x+1", "(x+1)^2"));
    assert!(eq("(x+1)(x-1)", "x^2-1"));
    assert!(eq("\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}"));
    assert!(eq("2\\sin x\\cos x", "\\sin(2x)"));
    assert!(eq("\\sin^2 x + \\cos^2 x", "1"));
    assert!(eq("a_1 + a_{2}", "a_2 + a_1"));
    assert!(eq("y = 3x - 2", "3x-2"));
    assert!(!eq("x^2+2x", "(x+1)^2"));
    assert!(!eq("x+1", "y+1"));
    assert!(!eq("\\frac{x+1}{2}", "0.5x+1"));
    assert!(!eq("x^{3}", "x^2"));
    // Words are not products of variables: "listen" must not equal "silent".
    assert!(!eq("\\text{listen}", "\\text{silent}"));
    assert!(eq("\\text{Monday}", "Monday"));
}

#[test]
fn sets_lists_and_unions_ignore_order() {
    assert_eq!(equivalent("3, -2", "-2, 3"), (true, "set"));
    assert!(eq("\\{3, 1, 2\\}", "\\{1,2,3\\}"));
    assert!(eq("x = 1 \\text{ or } x = 2", "1, 2"));
    assert!(eq("\\frac12, -3", "-3, 0.5"));
    assert!(!eq("1, 2", "1, 2, 3"));
    assert!(!eq("1, 1", "1, 2"));
    assert!(eq("(-\\infty, 1) \\cup (2, \\infty)", "(2,\\infty)\\cup(-\\infty,1)"));
    assert!(!eq("(-\\infty, 1] \\cup (2, \\infty)", "(-\\infty,1)\\cup(2,\\infty)"));
    assert!(eq("[-\\infty, 3]", "[-\\infty,3]"));
    assert!(eq("(-\\infty, \\frac{1}{2}]", "(-\\infty, 0.5]"));
}

#[test]
fn inequalities_are_intervals() {
    assert_eq!(equivalent("2 \\le x < 5", "[2, 5.0)"), (true, "tuple"));
    assert!(eq("x > 3", "(3, \\infty)"));
    assert!(eq("x \\geq -1", "[-1,\\infty)"));
    assert!(eq("5 > x \\ge 2", "[2, 5)"));
    assert!(eq("x < \\frac{1}{2}", "(-\\infty, 0.5)"));
    assert!(!eq("x \\le 3", "(-\\infty, 3)"));
    assert!(!eq("2 < x < 5", "[2,5)"));
}

#[test]
fn thinking_blocks_are_skipped() {
    assert_eq!(ex("<think>maybe \\boxed{3}</think>So the answer is \\boxed{5}."), ("5".into(), "boxed"));
    assert_eq!(ex("<think>draft \\boxed{3}</think>\nThe answer is 7"), ("7".into(), "answer_phrase"));
    assert_eq!(extract("<think>still working: \\boxed{3} and"), None);
}

#[test]
fn matrices_entry_by_entry() {
    let gold = "\\begin{pmatrix} 1 & \\frac{1}{2} \\\\ 0 & -3 \\end{pmatrix}";
    assert_eq!(equivalent("\\begin{bmatrix}1&0.5\\\\0&-3\\end{bmatrix}", gold), (true, "matrix"));
    assert!(!eq("\\begin{pmatrix} 1 & 0 \\\\ 0 & -3 \\end{pmatrix}", gold));
    assert!(!eq("\\begin{pmatrix} 1 & 0.5 & 0 \\\\ 0 & -3 & 0 \\end{pmatrix}", gold));
    assert!(eq("\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", "\\begin{pmatrix}2\\\\-1\\end{pmatrix}"));
    assert!(!eq("(2, -1)", "\\begin{pmatrix}2\\\\-1\\end{pmatrix}"));
}

#[test]
fn equations_compared_up_to_a_factor() {
    assert_eq!(equivalent("2y - 4x = 2", "y = 2x + 1"), (true, "equation"));
    assert!(eq("x = 3", "x=3.0"));
    assert!(!eq("y = 3", "x = 3"));
    assert_eq!(equivalent("x^2 + y^2 = 4", "y^2 + x^2 = 4"), (true, "equation"));
    assert!(eq("2x^2 + 2y^2 = 8", "x^2 + y^2 = 4"));
    assert!(!eq("x^2 + y^2 = 5", "x^2 + y^2 = 4"));
}

#[test]
fn answer_keys_group_equal_answers() {
    use super::equiv::answer_key;
    assert_eq!(answer_key("0.5"), answer_key("\\frac{1}{2}"));
    assert_eq!(answer_key("x = 1/2"), answer_key("\\dfrac12"));
    assert_eq!(answer_key("1,000"), "1000");
    assert_eq!(answer_key("\\$1,000."), "1000");
    assert_eq!(answer_key("2\\sqrt{3}"), answer_key("\\sqrt{12}"));
    assert_eq!(answer_key("\\{1, 2\\}"), "\\{1,2\\}");
    assert_ne!(answer_key("12"), answer_key("13"));
    assert_ne!(answer_key("1450001"), answer_key("1450000"));
    let none = score_answer("I could not finish", "3");
    assert_eq!(none.detail["answer_key"], "(no answer)");
}

#[test]
fn hostile_answers_do_not_crash_or_pass() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(!eq(&deep, "2"));
    assert!(!eq("\\frac{", "1"));
    assert!(!eq("9^{9^{9^{9}}}", "1"));
    assert!(!eq("100000!", "1"));
    assert!(!eq("x^{-1}", "x^1"));
    assert!(!eq("\\frac{1}{0}", "1"));
}

// ---- loading and scoring ----

#[test]
fn loads_three_formats() {
    let (_d, spec) = spec_for(
        "gsm8k",
        "{\"question\": \"Q1?\", \"answer\": \"r\\n#### 1,200\"}\n\n{\"question\": \"Q2\", \"answer\": \"#### -3\"}\n",
    );
    let tasks = Gsm8k.load(&spec).unwrap();
    assert_eq!(tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["1", "3"]);
    assert_eq!(tasks[0].expected, "1,200");
    assert!(tasks[0].messages[0].content.starts_with("Q1?") && tasks[0].messages[0].content.contains("####"));
    assert_eq!(tasks[0].family, "gsm8k");
    assert_eq!(tasks[0].max_tokens, None);

    let (_d, spec) = spec_for(
        "math",
        "{\"problem\": \"P\", \"solution\": \"s \\\\boxed{5}\", \"answer\": \"\\\\frac{1}{2}\", \"subject\": \"Algebra\", \"level\": 3, \"unique_id\": \"test/algebra/1.json\"}\n{\"problem\": \"P2\", \"solution\": \"so \\\\boxed{\\\\frac{2}{3}}\"}\n",
    );
    let tasks = Math.load(&spec).unwrap();
    assert_eq!(tasks[0].id, "test/algebra/1.json");
    assert_eq!(tasks[0].category.as_deref(), Some("Algebra"));
    assert_eq!(tasks[0].expected, "\\frac{1}{2}");
    assert_eq!(tasks[1].id, "2");
    assert_eq!(tasks[1].expected, "\\frac{2}{3}");

    let (_d, spec) = spec_for(
        "aime",
        "{\"id\": \"2024-I-1\", \"problem\": \"P\", \"answer\": \"025\"}\n{\"question\": \"Q\", \"answer\": 7}\n",
    );
    let tasks = Aime.load(&spec).unwrap();
    assert_eq!(tasks[0].id, "2024-I-1");
    assert_eq!(tasks[1].id, "2");
    assert!(Aime.score(&tasks[0], &answer("\\boxed{25}")).passed);
    assert!(!Aime.score(&tasks[0], &answer("\\boxed{26}")).passed);
}

#[test]
fn malformed_lines_report_file_and_line() {
    let (_d, spec) = spec_for(
        "gsm8k",
        "{\"question\": \"Q\", \"answer\": \"#### 1\"}\nnot json\n{\"question\": \"Q\", \"answer\": \"no marker\"}\n[1]\n{\"answer\": \"#### 2\"}\n",
    );
    let problems = Gsm8k.load(&spec).unwrap_err().problems;
    let path = spec.path.display().to_string();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    for (p, line) in problems.iter().zip([2, 3, 4, 5]) {
        assert!(p.starts_with(&format!("{path}:{line}: ")), "{p}");
    }
    let (_d, spec) = spec_for("math", "{\"problem\": \"P\", \"solution\": \"no box\"}\n");
    assert!(Math.load(&spec).unwrap_err().to_string().contains(":1: "));
    let (_d, spec) = spec_for("aime", "{\"problem\": \"P\"}\n");
    assert!(Aime.load(&spec).unwrap_err().to_string().contains(":1: missing `answer`"));
}

#[test]
fn a_file_of_another_family_says_which_prefix_to_use() {
    let (_d, spec) = spec_for("gsm8k", "{\"prompt\": \"2+2\", \"expected\": \"4\"}\n");
    let problems = Gsm8k.load(&spec).unwrap_err().problems;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("prompts of your own")
            && problems[0].ends_with(&format!("use --suite {}", spec.path.display())),
        "{problems:#?}"
    );
    let (_d, spec) = spec_for("math", "{\"question\": \"Q\", \"answer\": \"so #### 4\"}\n");
    let problems = Math.load(&spec).unwrap_err().problems;
    assert!(problems[0].contains("not a math suite; use --suite gsm8k:"), "{problems:#?}");
    let (_d, spec) = spec_for("aime", "{\"problem\": \"P\", \"answer\": \"025\"}\n");
    assert_eq!(Aime.load(&spec).unwrap()[0].expected, "025", "AIME reads MATH-format lines");
}

#[test]
fn suite_specs_pick_the_importer() {
    let (_d, spec) = spec_for("x", "{\"question\": \"Q\", \"answer\": \"#### 4\"}\n");
    for family in ["gsm8k", "math", "aime"] {
        let parsed = SuiteSpec::parse(&format!("{family}:{}", spec.path.display())).unwrap();
        assert_eq!(parsed.family, family);
    }
    let parsed = SuiteSpec::parse(&format!("gsm8k:{}", spec.path.display())).unwrap();
    assert_eq!(crate::families::Registry::default().load(&parsed).unwrap()[0].expected, "4");
}

#[test]
fn score_detail_says_what_was_compared() {
    let s = score_answer("so \\boxed{x = 3}", "3");
    assert!(s.passed);
    assert_eq!(s.detail["extracted"], "x = 3");
    assert_eq!(s.detail["gold"], "3");
    assert_eq!(s.detail["method"], "numeric");
    let s = score_answer("nothing", "3");
    assert!(!s.passed && s.detail["method"] == "none");
}

// ---- real data ----

#[test]
fn gsm8k_reference_solutions_round_trip() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gsm8k/test.jsonl");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let spec = SuiteSpec {
        family: "gsm8k".into(),
        path: path.clone(),
        name: "test".into(),
        bundled: None,
        repos: None,
        max_context: None,
        source: String::new(),
    };
    let tasks = Gsm8k.load(&spec).unwrap();
    assert_eq!(tasks.len(), 1319);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut checked = 0;
    for (task, line) in tasks.iter().zip(text.lines()) {
        let obj: Value = serde_json::from_str(line).unwrap();
        let solution = obj["answer"].as_str().unwrap();
        let gold = task.expected.as_str().unwrap();
        let found = extract(solution).unwrap();
        assert_eq!(found.raw, gold, "task {}", task.id);
        assert!(Gsm8k.score(task, &answer(solution)).passed, "solution, task {}", task.id);
        assert!(Gsm8k.score(task, &answer(gold)).passed, "gold, task {}", task.id);
        assert!(Gsm8k.score(task, &answer(&format!("The answer is {gold}."))).passed, "phrase, {}", task.id);
        let value = parse_real(gold).unwrap();
        let perturbed = value.value + 1.0;
        let wrong = format!("#### {perturbed}");
        let s = Gsm8k.score(task, &answer(&wrong));
        assert!(!s.passed, "perturbed, task {}: {:?}", task.id, s.detail);
        checked += 1;
    }
    assert_eq!(checked, 1319);
}
