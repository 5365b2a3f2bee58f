use std::collections::HashSet;
use std::time::Duration;

use super::operators::{Change, apply, sites_in};
use super::task::{fix_patch, task_folder, write_suite};
use super::tokens::{Kind, tokenize};
use super::*;
use crate::sandbox::{Ending, Execution};

/// Every mutant of `source` by `operator`, as the whole mutated text.
fn mutants(source: &str, operator: Operator) -> Vec<String> {
    sites_in("m.py", source)
        .iter()
        .filter(|s| s.operator == operator)
        .map(|s| apply(source, &s.changes))
        .collect()
}

/// The strings and comments of `source`, in order.
fn strings_and_comments(source: &str) -> Vec<String> {
    tokenize(source)
        .into_iter()
        .filter(|t| matches!(t.kind, Kind::Str | Kind::Comment))
        .map(|t| t.text.to_string())
        .collect()
}

#[test]
fn tokenizer_reads_every_string_form() {
    let source =
        "x = rb'a\\'b' + F\"{y < 1}\" + u'''doc\n\"q\" < ''' # c < d\nz = 'unterminated\nw = \"\\\\\"\n";
    let toks = tokenize(source);
    let strings: Vec<&str> = toks.iter().filter(|t| t.kind == Kind::Str).map(|t| t.text).collect();
    assert_eq!(strings, ["rb'a\\'b'", "F\"{y < 1}\"", "u'''doc\n\"q\" < '''", "'unterminated", "\"\\\\\""]);
    let comment = toks.iter().find(|t| t.kind == Kind::Comment).unwrap();
    assert_eq!((comment.text, comment.line), ("# c < d", 1));
    let z = toks.iter().find(|t| t.text == "z").unwrap();
    assert_eq!((z.line, z.col), (2, 0));
    let newlines = toks.iter().filter(|t| t.kind == Kind::Newline).count();
    assert_eq!(newlines, 3, "one per logical line");
    // Brackets and backslashes continue a logical line.
    let continued = tokenize("a = (1 +\n     2)\nb = 1 + \\\n    2\n");
    assert_eq!(continued.iter().filter(|t| t.kind == Kind::Newline).count(), 2);
    let numbers: Vec<&str> = tokenize("a = 1e-5 + 0x1F + 3.5 + .5 - 10")
        .iter()
        .filter(|t| t.kind == Kind::Number)
        .map(|t| t.text)
        .collect();
    assert_eq!(numbers, ["1e-5", "0x1F", "3.5", ".5", "10"]);
}

#[test]
fn mutations_never_touch_strings_comments_or_docstrings() {
    let source = r#"def f(a, b):
    """Docstring: a < b and not c, return True if x == 1 else min(a, b) + 1."""
    s = "a < b" + 'x == y' + f"{a + 1}" + r'\d+' + b"or"  # a < b and True
    t = '''triple
    a > b or c - 1
    '''
    return a < b
"#;
    let sites = sites_in("m.py", source);
    let keys: Vec<String> = sites.iter().map(Site::key).collect();
    assert_eq!(keys, ["m.py:7:14:comparison-boundary:<="], "only the code's `<`");
    let base = Project::bundled();
    let all = base.sites();
    for site in &all {
        let original = base.file(&site.file).unwrap();
        let mutated = apply(original, &site.changes);
        assert_ne!(mutated, original, "{}", site.key());
        assert_eq!(mutated.lines().count(), original.lines().count(), "{}", site.key());
        if site.operator == Operator::ReturnNone {
            // The returned expression goes as a whole, strings and all.
            let line = mutated.lines().nth(site.changes[0].line).unwrap();
            assert!(line.trim_end().ends_with("return None"), "{}: {line}", site.key());
        } else {
            assert_eq!(strings_and_comments(&mutated), strings_and_comments(original), "{}", site.key());
        }
    }
}

#[test]
fn each_operator_makes_the_expected_change() {
    let cases: &[(&str, Operator, &[&str])] = &[
        ("if a < b:\n    pass\n", Operator::ComparisonBoundary, &["if a <= b:\n    pass\n"]),
        ("ok = a >= b\n", Operator::ComparisonBoundary, &["ok = a > b\n"]),
        ("x = a == b\n", Operator::NegatedComparison, &["x = a != b\n"]),
        ("if a is None:\n    pass\n", Operator::NegatedComparison, &["if a is not None:\n    pass\n"]),
        ("if a is not None:\n    pass\n", Operator::NegatedComparison, &["if a is None:\n    pass\n"]),
        ("ok = k not in d\n", Operator::NegatedComparison, &["ok = k in d\n"]),
        (
            "for k in d:\n    ok = [x for x in k if x in d]\n",
            Operator::NegatedComparison,
            &["for k in d:\n    ok = [x for x in k if x not in d]\n"],
        ),
        ("y = x[1:]\n", Operator::OffByOne, &["y = x[2:]\n", "y = x[0:]\n"]),
        ("y = x[-1]\n", Operator::OffByOne, &["y = x[0]\n", "y = x[-2]\n"]),
        (
            "for i in range(3):\n    pass\n",
            Operator::OffByOne,
            &["for i in range(4):\n    pass\n", "for i in range(2):\n    pass\n"],
        ),
        ("n = a - 1\n", Operator::OffByOne, &["n = a - 2\n", "n = a - 0\n"]),
        ("ok = n > 0\n", Operator::OffByOne, &["ok = n > 1\n", "ok = n > -1\n"]),
        ("z = 60 * h\n", Operator::OffByOne, &[]),
        ("t = a + b\n", Operator::ArithmeticSwap, &["t = a - b\n"]),
        ("t += b\n", Operator::ArithmeticSwap, &["t -= b\n"]),
        ("s = 'a' + b\nx = -a\n", Operator::ArithmeticSwap, &[]),
        ("t = a * b\n", Operator::MulDivSwap, &["t = a / b\n"]),
        ("t = a / b\n", Operator::MulDivSwap, &["t = a * b\n"]),
        ("t = a / b\n", Operator::FloorDivision, &["t = a // b\n"]),
        ("t = a // b\n", Operator::FloorDivision, &["t = a / b\n"]),
        ("f(*args, **kw)\n", Operator::MulDivSwap, &[]),
        ("ok = a and b\n", Operator::BooleanOperator, &["ok = a or b\n"]),
        ("if not ok:\n    pass\n", Operator::DroppedNot, &["if ok:\n    pass\n"]),
        ("flag = True\n", Operator::FlippedConstant, &["flag = False\n"]),
        ("m = min(a, b)\n", Operator::MinMaxSwap, &["m = max(a, b)\n"]),
        ("s = t.strip().lower()\n", Operator::DroppedCall, &["s = t.lower()\n", "s = t.strip()\n"]),
        ("d = abs(a - b)\n", Operator::DroppedCall, &["d = (a - b)\n"]),
        ("s = sorted(x, key=len)\n", Operator::DroppedCall, &[]),
        (
            "def f(x):\n    if x:\n        return x + 1\n    return 0\n",
            Operator::ReturnNone,
            &["def f(x):\n    if x:\n        return None\n    return 0\n"],
        ),
        ("def f(x):\n    if x:\n        return None\n    return 0\n", Operator::ReturnNone, &[]),
        (
            "def f(x):\n    if x > 10:\n        return 'big'\n    elif x > 5:\n        return 'mid'\n    return 'small'\n",
            Operator::BranchOrder,
            &[
                "def f(x):\n    if x > 5:\n        return 'big'\n    elif x > 10:\n        return 'mid'\n    return 'small'\n",
            ],
        ),
        ("if a:\n    pass\nx = 1\nif b:\n    pass\n", Operator::BranchOrder, &[]),
        (
            "if a:\n    x = 1\nelif b:\n    x = 2\nelif c:  # c\n    x = 3\nelse:\n    x = 4\n",
            Operator::BranchOrder,
            &[
                "if b:\n    x = 1\nelif a:\n    x = 2\nelif c:  # c\n    x = 3\nelse:\n    x = 4\n",
                "if a:\n    x = 1\nelif c:\n    x = 2\nelif b:  # c\n    x = 3\nelse:\n    x = 4\n",
            ],
        ),
    ];
    for (source, operator, expected) in cases {
        assert_eq!(mutants(source, *operator), *expected, "{} on {source:?}", operator.name());
    }
}

#[test]
fn site_enumeration_is_deterministic_and_covers_every_operator() {
    let project = Project::bundled();
    let sites = project.sites();
    assert_eq!(sites, Project::bundled().sites());
    assert!(sites.len() > 200, "{} sites", sites.len());
    let keys: HashSet<String> = sites.iter().map(Site::key).collect();
    assert_eq!(keys.len(), sites.len(), "site keys are unique");
    for op in Operator::ALL {
        assert!(sites.iter().any(|s| s.operator == op), "no {} site in the base project", op.name());
    }
    assert!(sites.iter().all(|s| !is_test_file(&s.file) && s.file.ends_with(".py")));
    let order: Vec<(&str, usize, usize)> =
        sites.iter().map(|s| (s.file.as_str(), s.line, s.column)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "file, then source order");
}

fn fake_caught(site: &Site) -> Verdict {
    if (site.line + site.column).is_multiple_of(3) {
        return Verdict::Survived;
    }
    Verdict::Caught(Caught { failing: vec![site.key()], passing: Vec::new(), output: String::new() })
}

fn picked_keys(seed: u64, n: usize, sites: &[Site]) -> Vec<String> {
    pick_sites(seed, n, sites, fake_caught, |_| {}).unwrap().iter().map(|p| p.site.key()).collect()
}

#[test]
fn the_same_seed_picks_the_same_sites() {
    let sites = Project::bundled().sites();
    let first = picked_keys(7, 30, &sites);
    assert_eq!(first, picked_keys(7, 30, &sites));
    assert_eq!(picked_keys(7, 5, &sites), first[..5], "a smaller n is a prefix");
    assert_ne!(picked_keys(8, 30, &sites), first);
    let picked = pick_sites(7, 30, &sites, fake_caught, |_| {}).unwrap();
    let mut lines = HashSet::new();
    for p in &picked {
        assert!(matches!(fake_caught(&p.site), Verdict::Caught(_)), "only caught mutants are kept");
        for c in &p.site.changes {
            assert!(lines.insert((p.site.file.clone(), c.line)), "line reused: {}", p.site.key());
        }
    }
    let operators: HashSet<Operator> = picked.iter().map(|p| p.site.operator).collect();
    assert!(operators.len() >= 8, "draws spread over operators: {operators:?}");
    // Few sites: the generator says it ran out instead of looping.
    let few = &sites[..6];
    let err = pick_sites(1, 50, few, fake_caught, |_| {}).unwrap_err();
    assert!(err.contains("no more sites") && err.contains("--n"), "{err}");
    let mut tested = 0;
    let all_survive = pick_sites(1, 1, &sites, |_| Verdict::Survived, |t| tested = t.tested);
    assert!(all_survive.is_err());
    assert!(tested <= 200, "bounded tries: {tested}");
}

#[test]
fn the_fix_patch_is_a_unified_diff_with_three_lines_of_context() {
    let old: String = (1..=10).map(|i| format!("line {i}\n")).collect();
    let new = old.replace("line 5\n", "line five\n");
    assert_eq!(
        fix_patch("pkg/m.py", &old, &new),
        "--- a/pkg/m.py\n+++ b/pkg/m.py\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n"
    );
    let first = old.replace("line 1\n", "line one\n");
    assert_eq!(
        fix_patch("m.py", &old, &first),
        "--- a/m.py\n+++ b/m.py\n@@ -1,4 +1,4 @@\n-line 1\n+line one\n line 2\n line 3\n line 4\n"
    );
    let last = old.replace("line 10\n", "line ten\n");
    assert!(
        fix_patch("m.py", &old, &last)
            .ends_with("@@ -7,4 +7,4 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n")
    );
    // Two changes close together share a hunk; far apart they get one each.
    let near = old.replace("line 3\n", "x\n").replace("line 5\n", "y\n");
    assert_eq!(fix_patch("m.py", &old, &near).matches("@@ -").count(), 1);
    let long: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    let far = long.replace("line 3\n", "x\n").replace("line 25\n", "y\n");
    let patch = fix_patch("m.py", &long, &far);
    assert!(patch.contains("@@ -1,6 +1,6 @@\n") && patch.contains("@@ -22,7 +22,7 @@\n"), "{patch}");
    let adjacent = old.replace("line 5\n", "a\n").replace("line 6\n", "b\n");
    assert!(fix_patch("m.py", &old, &adjacent).contains("-line 5\n-line 6\n+a\n+b\n"));
    let unterminated = fix_patch("m.py", "a\nb", "a\nc");
    assert!(
        unterminated.ends_with("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"),
        "{unterminated}"
    );
}

const FAILING_LOG: &str = "\
test_charge (tests.test_billing.TestRateCard.test_charge) ... FAIL
test_minimum_charge (tests.test_billing.TestRateCard.test_minimum_charge) ... ERROR

======================================================================
ERROR: test_minimum_charge (tests.test_billing.TestRateCard.test_minimum_charge)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/tmp/x/tests/test_billing.py\", line 30, in test_minimum_charge
    self.assertEqual(card.billed_minutes(entry(20)), 60)
                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
TypeError: '>' not supported between instances of 'int' and 'NoneType'

======================================================================
FAIL: test_charge (tests.test_billing.TestRateCard.test_charge)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/tmp/x/tests/test_billing.py\", line 41, in test_charge
    self.assertEqual(RateCard({\"acme\": 90}).charge(entry(80)), Decimal(\"135.00\"))
AssertionError: Decimal('120.00') != Decimal('135.00')

----------------------------------------------------------------------
Ran 2 tests in 0.002s

FAILED (failures=1, errors=1)
";

#[test]
fn failure_messages_are_read_without_the_traceback() {
    assert_eq!(
        issue::failure_message(FAILING_LOG, "tests.test_billing.TestRateCard.test_charge"),
        ["AssertionError: Decimal('120.00') != Decimal('135.00')"]
    );
    assert_eq!(
        issue::failure_message(FAILING_LOG, "tests.test_billing.TestRateCard.test_minimum_charge"),
        ["TypeError: '>' not supported between instances of 'int' and 'NoneType'"]
    );
    let old_style = FAILING_LOG
        .replace("(tests.test_billing.TestRateCard.test_charge)", "(tests.test_billing.TestRateCard)");
    assert_eq!(issue::failure_message(&old_style, "tests.test_billing.TestRateCard.test_charge").len(), 1);
    assert!(issue::failure_message(FAILING_LOG, "tests.test_x.T.test_y").is_empty());
    assert_eq!(
        issue::test_words("tests.test_billing.TestRateCard.test_minimum_charge"),
        ("minimum charge".to_string(), "rate card".to_string())
    );
}

#[test]
fn the_subject_is_the_public_code_around_the_change() {
    let project = Project::bundled();
    let at = |file: &str, needle: &str| {
        let source = project.file(file).unwrap();
        let line = source.lines().position(|l| l.contains(needle)).unwrap();
        issue::subject(source, line, "mod")
    };
    assert_eq!(at("worklog/billing.py", "return round_cents(self.rate_for"), "`RateCard.charge()`");
    assert_eq!(at("worklog/entries.py", "return self.start + self.minutes"), "`Entry.end`");
    assert_eq!(at("worklog/entries.py", "if minutes <= 0 or minutes > MAX_MINUTES:"), "`Entry`");
    assert_eq!(at("worklog/report.py", "num_pages = max(1"), "`paginate()`");
    assert_eq!(at("worklog/report.py", "return Page(items"), "`paginate()`");
    assert_eq!(at("worklog/durations.py", "MAX_MINUTES = 24 * 60"), "the `mod` module");
    let private = "def _helper(x):\n    return x + 1\n\n\ndef public(y):\n    return _helper(y) * 2\n";
    assert_eq!(issue::subject(private, 1, "m"), "`public()`");
}

/// A picked mutant of `RateCard.charge` with the log above.
fn charge_mutant() -> (Project, Picked) {
    let project = Project::bundled();
    let site = project
        .sites()
        .into_iter()
        .find(|s| {
            s.file == "worklog/billing.py" && s.operator == Operator::MulDivSwap && s.changes[0].text == "*"
        })
        .unwrap();
    let failing = vec![
        "tests.test_billing.TestRateCard.test_charge".to_string(),
        "tests.test_billing.TestRateCard.test_minimum_charge".to_string(),
    ];
    let passing = vec!["tests.test_money.TestRounding.test_percent_of".to_string()];
    let caught = Caught { failing, passing, output: FAILING_LOG.to_string() };
    (project, Picked { index: 3, site, caught })
}

#[test]
fn the_issue_describes_the_symptom_but_not_the_change() {
    let (project, picked) = charge_mutant();
    let original = project.file(&picked.site.file).unwrap();
    let changed_line = original.lines().nth(picked.site.changes[0].line).unwrap().trim();
    let mut texts = HashSet::new();
    for seed in 0..12 {
        let text = issue::issue(&mut Draw::for_task(seed, 0), original, &picked.site, &picked.caught);
        assert!(text.contains("`RateCard.charge()`"), "{text}");
        assert!(text.contains("\"charge\""), "{text}");
        assert!(text.contains("    AssertionError: Decimal('120.00') != Decimal('135.00')\n"), "{text}");
        assert!(text.contains("\"minimum charge\" fails too") || text.contains("One other check"), "{text}");
        assert!(!text.contains(changed_line), "{text}");
        assert!(!text.contains(picked.site.operator.name()) && !text.contains("mul-div"), "{text}");
        texts.insert(text);
    }
    assert!(texts.len() >= 6, "the wording varies with the seed: {} variants", texts.len());
}

#[test]
fn a_task_folder_holds_the_mutant_the_tests_and_a_task_toml_that_parses() {
    let (project, picked) = charge_mutant();
    let folder = task_folder(&project, 5, &picked);
    assert_eq!(folder, task_folder(&project, 5, &picked));
    assert_eq!(folder.name, "mut-s5-0003");
    let file = |path: &str| folder.files.iter().find(|(p, _)| p == path).map(|(_, c)| c.as_str());
    let mutated = file("repo/worklog/billing.py").unwrap();
    assert_ne!(mutated, project.file("worklog/billing.py").unwrap());
    assert_eq!(file("repo/worklog/money.py"), project.file("worklog/money.py"));
    assert_eq!(file("hidden/tests/test_billing.py"), project.file("tests/test_billing.py"));
    assert!(file("repo/tests/test_billing.py").is_none(), "the tests are hidden");
    let patch = file("fix.patch").unwrap();
    assert!(patch.starts_with("--- a/worklog/billing.py\n+++ b/worklog/billing.py\n@@ -"), "{patch}");
    assert_eq!(patch.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).count(), 1);
    let toml: toml::Table = toml::from_str(file("task.toml").unwrap()).unwrap();
    let issue = toml["issue"].as_str().unwrap();
    assert!(issue.starts_with(|c: char| c == '`' || c.is_alphabetic()) && issue.ends_with('\n'), "{issue:?}");
    assert_eq!(
        issue,
        issue::issue(
            &mut Draw::for_task(5, task::WORDING_STREAM + 3),
            project.file("worklog/billing.py").unwrap(),
            &picked.site,
            &picked.caught
        )
    );
    assert_eq!(toml["category"].as_str(), Some("mul-div-swap"));
    assert_eq!(toml["framework"].as_str(), Some("unittest"));
    assert_eq!(toml["test_command"].as_str(), Some(TEST_COMMAND));
    assert_eq!(toml["fail_to_pass"].as_array().unwrap().len(), 2);
    assert_eq!(toml["pass_to_pass"].as_array().unwrap().len(), 1);
    let files: Vec<&str> = toml["files"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(files.contains(&"worklog/billing.py"), "{files:?}");
}

#[test]
fn the_base_project_is_embedded_completely() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/mutation-base");
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "__pycache__" {
                    stack.push(path);
                }
            } else {
                on_disk.push(path.strip_prefix(&root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    on_disk.sort();
    let embedded: Vec<&str> = BASE_PROJECT.iter().map(|(p, _)| *p).collect();
    assert_eq!(on_disk, embedded, "list every file of suites/mutation-base in BASE_PROJECT, sorted");
    for (path, content) in BASE_PROJECT {
        assert!((content.is_empty() || content.ends_with('\n')) && !content.contains('\r'), "{path}");
    }
    assert!(!BASE_PROJECT.iter().any(|(p, _)| p.ends_with("task.toml")));
}

fn execution(ending: Ending, output: &str) -> Execution {
    Execution { ending, limit: None, output: output.to_string(), output_dropped: 0, elapsed: Duration::ZERO }
}

#[test]
fn verdicts_keep_only_clean_failures() {
    let baseline = vec![
        "tests.test_billing.TestRateCard.test_charge".to_string(),
        "tests.test_billing.TestRateCard.test_minimum_charge".to_string(),
    ];
    let Verdict::Caught(caught) = verdict(&baseline, &execution(Ending::Exited(1), FAILING_LOG)) else {
        panic!("caught expected")
    };
    assert_eq!(caught.failing, baseline);
    assert!(caught.passing.is_empty());
    let passing = "test_charge (tests.test_billing.TestRateCard.test_charge) ... ok\n\
                   test_minimum_charge (tests.test_billing.TestRateCard.test_minimum_charge) ... ok\n";
    assert_eq!(verdict(&baseline, &execution(Ending::Exited(0), passing)), Verdict::Survived);
    assert!(matches!(verdict(&baseline, &execution(Ending::TimedOut, FAILING_LOG)), Verdict::Unusable(_)));
    let broken_import = "ERROR: tests.test_billing (unittest.loader._FailedTest.tests.test_billing)\n";
    assert!(matches!(verdict(&baseline, &execution(Ending::Exited(1), broken_import)), Verdict::Unusable(_)));
}

#[test]
fn suites_are_written_atomically_and_never_over_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("suite");
    let tasks = vec![task::TaskFolder {
        name: "mut-s1-0000".into(),
        files: vec![("task.toml".into(), "x".into()), ("repo/a/b.py".into(), "y\n".into())],
    }];
    write_suite(&out, &tasks).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("mut-s1-0000/repo/a/b.py")).unwrap(), "y\n");
    let err = write_suite(&out, &tasks).unwrap_err();
    assert!(err.contains("not empty"), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["suite"], "no temporary folder left behind");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    write_suite(&empty, &tasks).unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert!(check_out_dir(&file).unwrap_err().contains("not a folder"));
    assert!(write_suite(&dir.path().join("no/such/parent"), &tasks).is_err());
}

#[test]
fn changes_apply_by_line_and_column() {
    let changes = [
        Change { line: 1, start: 4, end: 5, text: "+".into() },
        Change { line: 0, start: 0, end: 2, text: "if".into() },
    ];
    assert_eq!(apply("xx a\nb = - c\n", &changes), "if a\nb = + c\n");
}
