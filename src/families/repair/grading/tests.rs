use super::logs::without_message;
use super::*;

use TestStatus::{Error, Failed, Passed, Skipped, XFail};

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn status(map: &BTreeMap<String, TestStatus>, id: &str) -> Option<TestStatus> {
    map.get(id).copied()
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

// ---------------------------------------------------------------------------------------------
// pytest
// ---------------------------------------------------------------------------------------------

/// pytest 8 with `-rA`, coloured, as captured from a terminal with CRLF line ends.
const PYTEST_RA: &str = "\x1b[1m============================= test session starts ==============================\x1b[0m
platform linux -- Python 3.11.9, pytest-8.3.3, pluggy-1.5.0
rootdir: /testbed
configfile: pyproject.toml
plugins: cov-5.0.0, xdist-3.6.1
collected 11 items

tests/test_a.py \x1b[32m.\x1b[0m\x1b[32m.\x1b[0m\x1b[31mF\x1b[0m\x1b[31mF\x1b[0m\x1b[32m.\x1b[0m\x1b[33ms\x1b[0m\x1b[33mx\x1b[0m\x1b[33mX\x1b[0m\x1b[32m                                           [ 72%]\x1b[0m
tests/test_b.py \x1b[32m.\x1b[0m\x1b[31mE\x1b[0m\x1b[32m.\x1b[0m\x1b[32m                                                      [100%]\x1b[0m

==================================== ERRORS ====================================
\x1b[31m\x1b[1m_____________________ ERROR at setup of test_needs_fixture _____________________\x1b[0m
file /testbed/tests/test_b.py, line 8
  def test_needs_fixture(missing):
\x1b[31mE       fixture 'missing' not found\x1b[0m
>       available fixtures: cache, capfd, capfdbinary, caplog, capsys, capsysbinary, monkeypatch, pytestconfig, record_property, tmp_path
>       use 'pytest --fixtures [testpath]' for help on them.

/testbed/tests/test_b.py:8
=================================== FAILURES ===================================
\x1b[31m\x1b[1m______________________________ test_parse[a b-1] _______________________________\x1b[0m

value = 'a b', expected = 1

    @pytest.mark.parametrize(\"value,expected\", [(\"a b\", 1), (\"c\", 2)])
    def test_parse(value, expected):
>       assert parse(value) == expected + 1
\x1b[1m\x1b[31mE       AssertionError: assert 1 == 2\x1b[0m
\x1b[1m\x1b[31mE        +  where 1 = parse('a b')\x1b[0m

\x1b[1m\x1b[31mtests/test_a.py\x1b[0m:14: AssertionError
\x1b[31m\x1b[1m_____________________________ test_range[1 - 2] ______________________________\x1b[0m

    def test_range(spec):
>       raise ValueError(\"bad range\")
\x1b[1m\x1b[31mE       ValueError: bad range\x1b[0m

\x1b[1m\x1b[31mtests/test_a.py\x1b[0m:22: ValueError
==================================== PASSES ====================================
\x1b[32m\x1b[1m_________________________________ test_simple __________________________________\x1b[0m
----------------------------- Captured stdout call -----------------------------
computing 2 + 2
\x1b[36m\x1b[1m=========================== short test summary info ============================\x1b[0m
\x1b[32mPASSED\x1b[0m tests/test_a.py::\x1b[1mtest_simple\x1b[0m
\x1b[32mPASSED\x1b[0m tests/test_a.py::\x1b[1mtest_parse[c-2]\x1b[0m
\x1b[32mPASSED\x1b[0m tests/test_a.py::\x1b[1mTestThing::test_method\x1b[0m
\x1b[32mPASSED\x1b[0m tests/test_b.py::\x1b[1mtest_ok\x1b[0m
\x1b[32mPASSED\x1b[0m tests/test_b.py::\x1b[1mtest_ogip_grammar_fail[log(photon /cm**2)]\x1b[0m
\x1b[33mSKIPPED\x1b[0m [1] tests/test_a.py:30: needs network
\x1b[33mXFAIL\x1b[0m tests/test_a.py::\x1b[1mtest_known_bug\x1b[0m - reason: issue 123
\x1b[33mXPASS\x1b[0m tests/test_a.py::\x1b[1mtest_flaky\x1b[0m - sometimes works
\x1b[31mERROR\x1b[0m tests/test_b.py::\x1b[1mtest_needs_fixture\x1b[0m
\x1b[31mFAILED\x1b[0m tests/test_a.py::\x1b[1mtest_parse[a b-1]\x1b[0m - AssertionError: assert 1 == 2
\x1b[31mFAILED\x1b[0m tests/test_a.py::\x1b[1mtest_range[1 - 2]\x1b[0m - ValueError: bad range
\x1b[31m==== \x1b[31m\x1b[1m2 failed\x1b[0m, \x1b[32m5 passed\x1b[0m, \x1b[33m1 skipped\x1b[0m, \x1b[33m1 xfailed\x1b[0m, \x1b[33m1 xpassed\x1b[0m, \x1b[31m\x1b[1m1 error\x1b[0m\x1b[31m in 0.12s\x1b[0m\x1b[31m =====\x1b[0m
";

#[test]
fn pytest_ra_summary_with_colours_and_crlf() {
    let map = parse_log(Framework::Pytest, &crlf(PYTEST_RA));
    let expected = [
        ("tests/test_a.py::test_simple", Passed),
        ("tests/test_a.py::test_parse[c-2]", Passed),
        ("tests/test_a.py::TestThing::test_method", Passed),
        ("tests/test_b.py::test_ok", Passed),
        ("tests/test_b.py::test_ogip_grammar_fail[log(photon /cm**2)]", Passed),
        ("tests/test_a.py::test_known_bug", XFail),
        ("tests/test_a.py::test_flaky", Passed),
        ("tests/test_b.py::test_needs_fixture", Error),
        ("tests/test_a.py::test_parse[a b-1]", Failed),
        ("tests/test_a.py::test_range[1 - 2]", Failed),
    ];
    for (id, want) in expected {
        assert_eq!(status(&map, id), Some(want), "{id}");
    }
    // Nothing else: no ids from the `SKIPPED [1]` location line, the progress lines or the tracebacks.
    assert_eq!(map.len(), expected.len(), "{map:#?}");
}

#[test]
fn pytest_ra_summary_plain() {
    let log = "PASSED tests/test_x.py::test_one\n\
               FAILED tests/test_x.py::test_two - assert 'PASSED' == 'FAILED'\n\
               ERROR tests/test_y.py - ModuleNotFoundError: No module named 'yaml'\n\
               SKIPPED [3] tests/test_z.py:12: unconditional skip\n\
               FAILED (failures=1)\n\
               PASSED\n";
    let map = parse_log(Framework::Pytest, log);
    assert_eq!(status(&map, "tests/test_x.py::test_one"), Some(Passed));
    assert_eq!(status(&map, "tests/test_x.py::test_two"), Some(Failed));
    assert_eq!(status(&map, "tests/test_y.py"), Some(Error));
    assert_eq!(map.len(), 3, "{map:#?}");
}

/// astropy style: `-rA -vv -o console_output_style=classic`, and plain `-v` with percentages.
#[test]
fn pytest_verbose_lines() {
    let log = "\
============================= test session starts ==============================
platform linux -- Python 3.9.20, pytest-7.4.4, pluggy-1.5.0 -- /opt/miniconda3/envs/testbed/bin/python
cachedir: .pytest_cache
collecting ... collected 9 items

tests/test_a.py::test_simple PASSED                                      [ 11%]
tests/test_a.py::test_parse[a b-1] FAILED                                [ 22%]
tests/test_a.py::test_parse[c-2] PASSED                                  [ 33%]
tests/test_a.py::test_skip SKIPPED (needs FAILED network)                [ 44%]
tests/test_a.py::test_known_bug XFAIL (reason: issue 123)                [ 55%]
tests/test_a.py::test_flaky XPASS (sometimes works)                      [ 60%]
tests/test_a.py::TestThing::test_method <- tests/base.py PASSED          [ 66%]
tests/test_a.py::test_odd[x PASSED y] FAILED                             [ 77%]
astropy/io/ascii/tests/test_cds.py::test_roundtrip[\u{3bc}m] PASSED
tests/test_b.py::test_needs_fixture ERROR                                [ 88%]

=================================== FAILURES ===================================
_______________________________ test_parse[a b-1] ______________________________
tests/test_a.py:14: in test_parse
    assert parse(value) == expected + 1
E   AssertionError: assert 1 == 2
Running foo::bar PASSED
  indented::thing PASSED
";
    let map = parse_log(Framework::Pytest, log);
    let expected = [
        ("tests/test_a.py::test_simple", Passed),
        ("tests/test_a.py::test_parse[a b-1]", Failed),
        ("tests/test_a.py::test_parse[c-2]", Passed),
        ("tests/test_a.py::test_skip", Skipped),
        ("tests/test_a.py::test_known_bug", XFail),
        ("tests/test_a.py::test_flaky", Passed),
        ("tests/test_a.py::TestThing::test_method", Passed),
        ("tests/test_a.py::test_odd[x PASSED y]", Failed),
        ("astropy/io/ascii/tests/test_cds.py::test_roundtrip[\u{3bc}m]", Passed),
        ("tests/test_b.py::test_needs_fixture", Error),
    ];
    for (id, want) in expected {
        assert_eq!(status(&map, id), Some(want), "{id}");
    }
    assert_eq!(map.len(), expected.len(), "{map:#?}");
}

#[test]
fn pytest_xdist_verbose_lines() {
    let log = "\
[gw0] linux Python 3.11.9 cwd: /testbed
[gw1] [ 50%] PASSED tests/test_a.py::test_simple 
[gw0] [100%] FAILED tests/test_a.py::test_parse[a b-1] 
";
    let map = parse_log(Framework::Pytest, log);
    assert_eq!(status(&map, "tests/test_a.py::test_simple"), Some(Passed));
    assert_eq!(status(&map, "tests/test_a.py::test_parse[a b-1]"), Some(Failed));
    assert_eq!(map.len(), 2, "{map:#?}");
}

#[test]
fn pytest_failure_wins_over_pass_in_either_order() {
    // A test that passes and then errors in teardown is reported twice, by `-v` and by `-rA`.
    let log = "\
tests/test_b.py::test_teardown PASSED                                    [ 50%]
tests/test_b.py::test_teardown ERROR                                     [ 50%]
tests/test_b.py::test_other PASSED                                       [100%]
=========================== short test summary info ============================
PASSED tests/test_b.py::test_teardown
PASSED tests/test_b.py::test_other
ERROR tests/test_b.py::test_teardown - RuntimeError: cleanup failed
ERROR tests/test_b.py::test_late - RuntimeError: boom
PASSED tests/test_b.py::test_late
";
    let map = parse_log(Framework::Pytest, log);
    assert_eq!(status(&map, "tests/test_b.py::test_teardown"), Some(Error));
    assert_eq!(status(&map, "tests/test_b.py::test_late"), Some(Error));
    assert_eq!(status(&map, "tests/test_b.py::test_other"), Some(Passed));
}

#[test]
fn pytest_message_suffix_and_brackets() {
    assert_eq!(without_message("t.py::test_x - boom"), "t.py::test_x");
    assert_eq!(without_message("t.py::test_x[a - b] - boom - more"), "t.py::test_x[a - b]");
    assert_eq!(without_message("t.py::test_x[[] - boom"), "t.py::test_x[[]");
    assert_eq!(without_message("t.py::test_x[[a - b"), "t.py::test_x[[a - b");
    assert_eq!(without_message("t.py::test_x   "), "t.py::test_x");
}

#[test]
fn bare_carriage_return_keeps_the_last_drawing() {
    let log = "collecting ... \rcollected 2 items\r\nPASSED t.py::test_a\r\n\rPASSED t.py::test_b\r\n";
    let map = parse_log(Framework::Pytest, log);
    assert_eq!(map.len(), 2, "{map:#?}");
    assert_eq!(status(&map, "t.py::test_b"), Some(Passed));
}

// ---------------------------------------------------------------------------------------------
// unittest
// ---------------------------------------------------------------------------------------------

/// `python3.11 -m unittest -v`: the parenthesis holds the full id.
const UNITTEST_311: &str = "\
test_add (tests.test_calc.CalcTests.test_add) ... ok
test_divide (tests.test_calc.CalcTests.test_divide)
Dividing by zero raises ZeroDivisionError. ... ok
test_sub (tests.test_calc.CalcTests.test_sub) ... FAIL
test_mul (tests.test_calc.CalcTests.test_mul) ... ERROR
test_legacy (tests.test_calc.CalcTests.test_legacy) ... skipped 'not supported on linux'
test_known (tests.test_calc.CalcTests.test_known) ... expected failure
test_lucky (tests.test_calc.CalcTests.test_lucky) ... unexpected success
test_loop (tests.test_calc.CalcTests.test_loop) ... 
  test_loop (tests.test_calc.CalcTests.test_loop) (i=2) ... FAIL
test_pow (tests.test_calc.CalcTests.test_pow) ... ok
setUpClass (tests.test_db.DbTests) ... ERROR

======================================================================
ERROR: test_mul (tests.test_calc.CalcTests.test_mul)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_calc.py\", line 20, in test_mul
    self.assertEqual(mul(2, 3), 6)
                     ^^^
NameError: name 'mul' is not defined

======================================================================
ERROR: setUpClass (tests.test_db.DbTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_db.py\", line 9, in setUpClass
    cls.conn = connect()
ConnectionRefusedError: [Errno 111] Connection refused

======================================================================
FAIL: test_loop (tests.test_calc.CalcTests.test_loop) (i=2)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_calc.py\", line 30, in test_loop
    self.assertTrue(i != 2)
AssertionError: False is not true

======================================================================
FAIL: test_sub (tests.test_calc.CalcTests.test_sub)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_calc.py\", line 15, in test_sub
    self.assertEqual(sub(1, 2), -1)
AssertionError: 1 != -1

----------------------------------------------------------------------
Ran 10 tests in 0.004s

FAILED (failures=2, errors=2, skipped=1, expected failures=1, unexpected successes=1)
";

#[test]
fn unittest_python_311() {
    let map = parse_log(Framework::Unittest, UNITTEST_311);
    let c = "tests.test_calc.CalcTests";
    let expected = [
        ("test_add", Passed),
        ("test_divide", Passed),
        ("test_sub", Failed),
        ("test_mul", Error),
        ("test_legacy", Skipped),
        ("test_known", XFail),
        ("test_lucky", Failed),
        ("test_loop", Failed),
        ("test_pow", Passed),
    ];
    for (name, want) in expected {
        for id in [format!("{c}.{name}"), format!("{name} ({c})"), format!("{name} ({c}.{name})")] {
            assert_eq!(status(&map, &id), Some(want), "{id}");
        }
    }
    assert_eq!(status(&map, "Dividing by zero raises ZeroDivisionError."), Some(Passed));
    assert_eq!(status(&map, "test_loop (tests.test_calc.CalcTests.test_loop) (i=2)"), Some(Failed));
    assert_eq!(status(&map, "tests.test_db.DbTests.setUpClass"), Some(Error));
    assert_eq!(status(&map, "setUpClass (tests.test_db.DbTests)"), Some(Error));
    // 9 tests × 2 distinct forms + the docstring + the subtest + setUpClass × 2.
    assert_eq!(map.len(), 9 * 3 + 1 + 1 + 2, "{map:#?}");
}

/// `python3.8 -m unittest -v`: the parenthesis holds the class, and a test whose subtest failed is
/// left without a status, so the next test's line continues it.
const UNITTEST_38: &str = "\
test_add (tests.test_calc.CalcTests) ... ok
test_divide (tests.test_calc.CalcTests)
Dividing by zero raises ZeroDivisionError. ... ok
test_loop (tests.test_calc.CalcTests) ... test_mul (tests.test_calc.CalcTests) ... ok
test_sub (tests.test_calc.CalcTests) ... FAIL
test_legacy (tests.test_calc.CalcTests) ... skipped 'not supported on linux'

======================================================================
FAIL: test_loop (tests.test_calc.CalcTests) (i=2)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_calc.py\", line 30, in test_loop
    self.assertTrue(i != 2)
AssertionError: False is not true

======================================================================
FAIL: test_sub (tests.test_calc.CalcTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/test_calc.py\", line 15, in test_sub
    self.assertEqual(sub(1, 2), -1)
AssertionError: 1 != -1

----------------------------------------------------------------------
Ran 6 tests in 0.002s

FAILED (failures=2, skipped=1)
";

#[test]
fn unittest_python_38() {
    let map = parse_log(Framework::Unittest, UNITTEST_38);
    let c = "tests.test_calc.CalcTests";
    let expected = [
        ("test_add", Passed),
        ("test_divide", Passed),
        ("test_loop", Failed),
        ("test_mul", Passed),
        ("test_sub", Failed),
        ("test_legacy", Skipped),
    ];
    for (name, want) in expected {
        for id in [format!("{c}.{name}"), format!("{name} ({c})")] {
            assert_eq!(status(&map, &id), Some(want), "{id}");
        }
    }
    assert_eq!(status(&map, "Dividing by zero raises ZeroDivisionError."), Some(Passed));
    assert_eq!(status(&map, "test_loop (tests.test_calc.CalcTests) (i=2)"), Some(Failed));
    assert_eq!(map.len(), 6 * 2 + 2, "{map:#?}");
}

/// Django `./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1`.
const DJANGO: &str = "\
Testing against Django installed in '/testbed/django'
Importing application migrations
Importing application model_fields
Skipping setup of unused database(s): other.
Operations to perform:
  Synchronize unmigrated apps: auth, contenttypes, messages, migrations, model_fields, sessions, staticfiles
  Apply all migrations: admin, sites
Synchronizing apps without migrations:
  Creating tables...
    Creating table django_content_type
    Running deferred SQL...
Running migrations:
  Applying admin.0001_initial... OK
  Applying sites.0001_initial... OK
  Applying sites.0002_alter_domain_unique... OK
System check identified no issues (0 silenced).
test_add_field (migrations.test_operations.OperationTests) ... ok
test_alter_field (migrations.test_operations.OperationTests) ... FAIL
test_callable_default (model_fields.tests.DefaultTests)
A lazy callable may be used for ForeignKey.default. ... ok
test_rename_model (migrations.test_operations.OperationTests) ... skipped 'Database doesn't support feature(s): can_rollback_ddl'
test_output (admin_scripts.tests.ManageCommands) ... Internal Server Error: /admin/
Traceback (most recent call last):
  File \"/testbed/django/core/handlers/exception.py\", line 47, in inner
    response = get_response(request)
ValueError: boom
ok
test_sqlite_only (backends.sqlite.tests.Tests) ... skipped \"sqlite only\"
test_bad_migration (migrations.test_commands.MakeMigrationsTests) ... ERROR

======================================================================
ERROR: test_bad_migration (migrations.test_commands.MakeMigrationsTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/migrations/test_commands.py\", line 120, in test_bad_migration
    call_command(\"makemigrations\", \"migrations\")
django.core.management.base.CommandError: No installed app with label 'migrations'.

======================================================================
FAIL: test_alter_field (migrations.test_operations.OperationTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File \"/testbed/tests/migrations/test_operations.py\", line 1420, in test_alter_field
    self.assertColumnNull(\"test_alfl_pony\", \"pink\")
AssertionError: False is not true

----------------------------------------------------------------------
Ran 7 tests in 0.321s

FAILED (failures=1, errors=1, skipped=2)
Destroying test database for alias 'default' ('file:memorydb_default?mode=memory&cache=shared')...
";

#[test]
fn django_runtests() {
    let map = parse_log(Framework::Unittest, DJANGO);
    let expected = [
        ("test_add_field (migrations.test_operations.OperationTests)", Passed),
        ("test_alter_field (migrations.test_operations.OperationTests)", Failed),
        ("test_callable_default (model_fields.tests.DefaultTests)", Passed),
        ("A lazy callable may be used for ForeignKey.default.", Passed),
        ("test_rename_model (migrations.test_operations.OperationTests)", Skipped),
        ("test_output (admin_scripts.tests.ManageCommands)", Passed),
        ("test_sqlite_only (backends.sqlite.tests.Tests)", Skipped),
        ("test_bad_migration (migrations.test_commands.MakeMigrationsTests)", Error),
        ("migrations.test_operations.OperationTests.test_alter_field", Failed),
        ("model_fields.tests.DefaultTests.test_callable_default", Passed),
    ];
    for (id, want) in expected {
        assert_eq!(status(&map, id), Some(want), "{id}");
    }
    // 7 tests in two forms and one docstring; nothing from migrations or the system check.
    assert_eq!(map.len(), 7 * 2 + 1, "{map:#?}");
}

#[test]
fn django_grades_by_docstring_or_name() {
    let map = parse_log(Framework::Unittest, DJANGO);
    let grade = grade(
        &map,
        &ids(&["test_callable_default (model_fields.tests.DefaultTests)"]),
        &ids(&[
            "A lazy callable may be used for ForeignKey.default.",
            "test_add_field (migrations.test_operations.OperationTests)",
            "test_rename_model (migrations.test_operations.OperationTests)",
        ]),
    );
    assert!(grade.resolved, "{grade:?}");
    assert_eq!(grade.pass_to_pass, Counts { passed: 3, total: 3 });
}

#[test]
fn unittest_duplicate_report_failure_wins() {
    // A Django test reported `ok` whose tearDown then errors: the header comes later.
    let log = "\
test_a (app.tests.T) ... ok
test_b (app.tests.T) ... ok
======================================================================
ERROR: test_a (app.tests.T)
----------------------------------------------------------------------
";
    let map = parse_log(Framework::Unittest, log);
    assert_eq!(status(&map, "test_a (app.tests.T)"), Some(Error));
    assert_eq!(status(&map, "app.tests.T.test_a"), Some(Error));
    assert_eq!(status(&map, "test_b (app.tests.T)"), Some(Passed));
}

#[test]
fn unittest_summary_ok_does_not_resolve_a_pending_test() {
    let log = "test_hang (app.tests.T) ... \n\n----------------------------------------------------------------------\nRan 1 test in 0.001s\n\nOK\n";
    let map = parse_log(Framework::Unittest, log);
    assert!(map.is_empty(), "{map:#?}");
}

// ---------------------------------------------------------------------------------------------
// cargo test
// ---------------------------------------------------------------------------------------------

const CARGO: &str = "\
   Compiling demo v0.1.0 (/testbed)
    Finished `test` profile [unoptimized + debuginfo] target(s) in 1.23s
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c4d5e6f7a8b)

running 5 tests
test parser::tests::parses_empty ... ok
test parser::tests::parses_nested ... FAILED
test parser::tests::slow_case ... ignored, takes a minute
test parser::tests::rejects_bad - should panic ... ok
test util::tests::old ... ignored

failures:

---- parser::tests::parses_nested stdout ----

thread 'parser::tests::parses_nested' panicked at src/parser.rs:88:9:
assertion `left == right` failed
  left: 1
 right: 2
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    parser::tests::parses_nested

test result: FAILED. 2 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s

     Running tests/cli.rs (target/debug/deps/cli-0f1e2d3c4b5a6978)

running 1 test
test runs_help ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests demo

running 1 test
test src/lib.rs - parser::parse (line 12) ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.15s

error: test failed, to rerun pass `--lib`
";

#[test]
fn cargo_test_log() {
    let map = parse_log(Framework::Cargo, &crlf(CARGO));
    let expected = [
        ("parser::tests::parses_empty", Passed),
        ("parser::tests::parses_nested", Failed),
        ("parser::tests::slow_case", Skipped),
        ("parser::tests::rejects_bad", Passed),
        ("parser::tests::rejects_bad - should panic", Passed),
        ("util::tests::old", Skipped),
        ("runs_help", Passed),
        ("src/lib.rs - parser::parse (line 12)", Passed),
    ];
    for (id, want) in expected {
        assert_eq!(status(&map, id), Some(want), "{id}");
    }
    assert_eq!(map.len(), expected.len(), "{map:#?}");
}

// ---------------------------------------------------------------------------------------------
// go test
// ---------------------------------------------------------------------------------------------

const GO: &str = "\
=== RUN   TestParse
=== RUN   TestParse/empty
=== RUN   TestParse/nested_list
    parse_test.go:42: got 1, want 2
--- FAIL: TestParse (0.00s)
    --- PASS: TestParse/empty (0.00s)
    --- FAIL: TestParse/nested_list (0.00s)
=== RUN   TestFormat
--- PASS: TestFormat (0.01s)
=== RUN   TestNetwork
    net_test.go:10: skipping: no network
--- SKIP: TestNetwork (0.00s)
=== RUN   TestParallel
=== PAUSE TestParallel
=== CONT  TestParallel
--- PASS: TestParallel (0.12s)
FAIL
FAIL\texample.com/demo/parse\t0.015s
=== RUN   TestRender
--- PASS: TestRender (1.50s)
PASS
ok  \texample.com/demo/format\t0.010s
";

#[test]
fn go_test_log() {
    let map = parse_log(Framework::Go, GO);
    let expected = [
        ("TestParse", Failed),
        ("TestParse/empty", Passed),
        ("TestParse/nested_list", Failed),
        ("TestFormat", Passed),
        ("TestNetwork", Skipped),
        ("TestParallel", Passed),
        ("TestRender", Passed),
    ];
    for (id, want) in expected {
        assert_eq!(status(&map, id), Some(want), "{id}");
    }
    assert_eq!(map.len(), expected.len(), "{map:#?}");
}

// ---------------------------------------------------------------------------------------------
// grade
// ---------------------------------------------------------------------------------------------

fn map(entries: &[(&str, TestStatus)]) -> BTreeMap<String, TestStatus> {
    entries.iter().map(|&(id, s)| (id.to_string(), s)).collect()
}

#[test]
fn grade_resolved() {
    let statuses = parse_log(Framework::Pytest, &crlf(PYTEST_RA));
    let grade = grade(
        &statuses,
        &ids(&["tests/test_a.py::test_parse[c-2]", "tests/test_a.py::test_known_bug"]),
        &ids(&["tests/test_a.py::test_simple", "tests/test_b.py::test_ok", "tests/test_a.py::test_flaky"]),
    );
    assert_eq!(
        grade,
        Grade {
            resolved: true,
            fail_to_pass: Counts { passed: 2, total: 2 },
            pass_to_pass: Counts { passed: 3, total: 3 },
            failing: vec![],
        }
    );
}

#[test]
fn grade_partial_fail_to_pass() {
    let statuses = parse_log(Framework::Pytest, &crlf(PYTEST_RA));
    let grade = grade(
        &statuses,
        &ids(&["tests/test_a.py::test_parse[c-2]", "tests/test_a.py::test_parse[a b-1]"]),
        &ids(&["tests/test_a.py::test_simple"]),
    );
    assert!(!grade.resolved);
    assert_eq!(grade.fail_to_pass, Counts { passed: 1, total: 2 });
    assert_eq!(grade.pass_to_pass, Counts { passed: 1, total: 1 });
    assert_eq!(grade.failing, ids(&["tests/test_a.py::test_parse[a b-1]"]));
}

#[test]
fn grade_broken_pass_to_pass() {
    let statuses = parse_log(Framework::Pytest, &crlf(PYTEST_RA));
    let grade = grade(
        &statuses,
        &ids(&["tests/test_a.py::test_simple"]),
        &ids(&[
            "tests/test_b.py::test_ok",
            "tests/test_b.py::test_needs_fixture",
            "tests/test_a.py::test_range[1 - 2]",
        ]),
    );
    assert!(!grade.resolved);
    assert_eq!(grade.fail_to_pass, Counts { passed: 1, total: 1 });
    assert_eq!(grade.pass_to_pass, Counts { passed: 1, total: 3 });
    assert_eq!(
        grade.failing,
        ids(&["tests/test_b.py::test_needs_fixture", "tests/test_a.py::test_range[1 - 2]"])
    );
}

#[test]
fn grade_missing_tests_fail() {
    let statuses = map(&[("t.py::test_a", Passed)]);
    let grade = grade(&statuses, &ids(&["t.py::test_new"]), &ids(&["t.py::test_a", "t.py::test_gone"]));
    assert!(!grade.resolved);
    assert_eq!(grade.fail_to_pass, Counts { passed: 0, total: 1 });
    assert_eq!(grade.pass_to_pass, Counts { passed: 1, total: 2 });
    assert_eq!(grade.failing, ids(&["t.py::test_new", "t.py::test_gone"]));
    // An empty log fails every required test.
    assert!(!super::grade(&BTreeMap::new(), &ids(&["t.py::test_a"]), &[]).resolved);
}

#[test]
fn grade_empty_lists_count_as_passed() {
    let grade = grade(&BTreeMap::new(), &[], &[]);
    assert!(grade.resolved);
    assert_eq!(grade.fail_to_pass, Counts { passed: 0, total: 0 });
    let statuses = map(&[("t.py::test_a", Passed)]);
    assert!(super::grade(&statuses, &ids(&["t.py::test_a"]), &[]).resolved);
    assert!(super::grade(&statuses, &[], &ids(&["t.py::test_a"])).resolved);
}

#[test]
fn grade_status_rules_per_list() {
    let statuses =
        map(&[("skip", Skipped), ("xfail", XFail), ("err", Error), ("fail", Failed), ("pass", Passed)]);
    // FAIL_TO_PASS: only Passed and XFail succeed.
    let f2p = grade(&statuses, &ids(&["pass", "xfail", "skip", "err", "fail"]), &[]);
    assert_eq!(f2p.fail_to_pass, Counts { passed: 2, total: 5 });
    assert_eq!(f2p.failing, ids(&["skip", "err", "fail"]));
    // PASS_TO_PASS: Skipped is maintained too.
    let p2p = grade(&statuses, &[], &ids(&["pass", "xfail", "skip", "err", "fail"]));
    assert_eq!(p2p.pass_to_pass, Counts { passed: 3, total: 5 });
    let skipped_p2p = grade(&statuses, &ids(&["pass"]), &ids(&["skip"]));
    assert!(skipped_p2p.resolved);
}

#[test]
fn grade_truncated_ids() {
    // SWE-bench issue #290: ids split at the first space inside a parameter.
    let statuses = map(&[
        ("astropy/io/tests/test_cds.py::test_ogip_grammar_fail[log(photon /cm**2)]", Passed),
        ("astropy/io/tests/test_cds.py::test_ogip_grammar_fail[log(photon /s)]", Passed),
        ("astropy/io/tests/test_cds.py::test_units[erg /s]", Passed),
        ("astropy/io/tests/test_cds.py::test_units[erg /cm]", Failed),
        ("astropy/io/tests/test_cds.py::test_unitsx", Failed),
    ]);
    let truncated = "astropy/io/tests/test_cds.py::test_ogip_grammar_fail[log(photon";
    assert!(grade(&statuses, &ids(&[truncated]), &[]).resolved);
    // Candidates that disagree fail.
    assert!(!grade(&statuses, &[], &ids(&["astropy/io/tests/test_cds.py::test_units[erg"])).resolved);
    // No candidates fail.
    assert!(!grade(&statuses, &ids(&["astropy/io/tests/test_cds.py::test_nothing[a"]), &[]).resolved);
    // A balanced id is never prefix-matched.
    assert!(!grade(&statuses, &ids(&["astropy/io/tests/test_cds.py::test_ogip"]), &[]).resolved);
    // Truncated ids against a parsed pytest log.
    let parsed = parse_log(Framework::Pytest, &crlf(PYTEST_RA));
    assert!(grade(&parsed, &ids(&["tests/test_b.py::test_ogip_grammar_fail[log(photon"]), &[]).resolved);
    assert!(!grade(&parsed, &ids(&["tests/test_a.py::test_parse[a"]), &[]).resolved);
}

#[test]
fn grade_docstring_test_by_every_form() {
    let statuses = parse_log(Framework::Unittest, UNITTEST_311);
    let grade = grade(
        &statuses,
        &ids(&[
            "tests.test_calc.CalcTests.test_divide",
            "test_divide (tests.test_calc.CalcTests)",
            "test_divide (tests.test_calc.CalcTests.test_divide)",
            "Dividing by zero raises ZeroDivisionError.",
        ]),
        &ids(&["test_add (tests.test_calc.CalcTests)", "tests.test_calc.CalcTests.test_legacy"]),
    );
    assert!(grade.resolved, "{grade:?}");
    let broken = super::grade(
        &statuses,
        &[],
        &ids(&["tests.test_calc.CalcTests.test_loop", "tests.test_db.DbTests.test_x"]),
    );
    assert_eq!(broken.pass_to_pass, Counts { passed: 0, total: 2 });
}

#[test]
fn grade_duplicate_ids() {
    let statuses = parse_log(
        Framework::Cargo,
        "test a::b ... ok\ntest a::b ... FAILED\ntest c::d ... FAILED\ntest c::d ... ok\n",
    );
    assert_eq!(status(&statuses, "a::b"), Some(Failed));
    assert_eq!(status(&statuses, "c::d"), Some(Failed));
    // The same id listed twice is counted twice.
    let grade = grade(&statuses, &ids(&["a::b", "a::b"]), &[]);
    assert_eq!(grade.fail_to_pass, Counts { passed: 0, total: 2 });
}

#[test]
fn grade_failing_list_is_capped() {
    let wanted: Vec<String> = (0..50).map(|i| format!("t.py::test_{i}")).collect();
    let grade = grade(&BTreeMap::new(), &wanted[..30], &wanted[30..]);
    assert_eq!(grade.failing.len(), MAX_FAILING_LISTED);
    assert_eq!(grade.failing[0], "t.py::test_0");
    assert_eq!(grade.fail_to_pass, Counts { passed: 0, total: 30 });
    assert_eq!(grade.pass_to_pass, Counts { passed: 0, total: 20 });
}

#[test]
fn grade_serialises() {
    let grade = grade(&map(&[("a", Passed)]), &ids(&["a"]), &ids(&["b"]));
    let json = serde_json::to_value(&grade).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "resolved": false,
            "fail_to_pass": {"passed": 1, "total": 1},
            "pass_to_pass": {"passed": 0, "total": 1},
            "failing": ["b"],
        })
    );
    assert_eq!(serde_json::to_value(XFail).unwrap(), "xfail");
    assert_eq!(serde_json::to_value(Passed).unwrap(), "passed");
}

// ---------------------------------------------------------------------------------------------
// Frameworks
// ---------------------------------------------------------------------------------------------

#[test]
fn framework_names_round_trip() {
    for f in Framework::ALL {
        assert_eq!(f.name().parse::<Framework>().unwrap(), f);
        assert_eq!(f.to_string(), f.name());
        assert_eq!(serde_json::to_value(f).unwrap(), f.name());
        assert_eq!(serde_json::from_value::<Framework>(serde_json::json!(f.name())).unwrap(), f);
    }
    assert_eq!(" PyTest ".parse::<Framework>().unwrap(), Framework::Pytest);
    let err = "jest".parse::<Framework>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown test framework \"jest\": expected one of pytest, unittest, cargo, go, sympy"
    );
}

#[test]
fn sympy_bin_test_lines_and_failure_headers() {
    let log = "============================= test process starts ==============================\n\
sympy/core/tests/test_basic.py[3] \n\
test_issue_1 ok\n\
test_issue_2 F\n\
test_issue_3 E\n\
test_known_bug f\n\
test_slow s\n\
________________________________________________________________________________\n\
_________ sympy/core/tests/test_basic.py:test_issue_2 __________\n\
AssertionError\n\
test_issue_notastatus maybe\n";
    let statuses = parse_log(Framework::Sympy, log);
    assert_eq!(statuses["test_issue_1"], TestStatus::Passed);
    assert_eq!(statuses["test_issue_2"], TestStatus::Failed);
    assert_eq!(statuses["test_issue_3"], TestStatus::Error);
    assert_eq!(statuses["test_known_bug"], TestStatus::XFail);
    assert_eq!(statuses["test_slow"], TestStatus::Skipped);
    assert_eq!(statuses["sympy/core/tests/test_basic.py:test_issue_2"], TestStatus::Failed);
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    assert!(grade(&statuses, &["test_issue_1".into()], &["test_slow".into()]).resolved);
    assert!(!grade(&statuses, &["test_issue_2".into()], &[]).resolved);
}

#[test]
fn runs_without_test_lists_need_a_test_and_no_failure() {
    let ok = parse_log(Framework::Cargo, "test a ... ok\ntest b ... ignored\n");
    assert!(all_ran_and_passed(&ok));
    assert!(!all_ran_and_passed(&BTreeMap::new()));
    let failed = parse_log(Framework::Cargo, "test a ... ok\ntest b ... FAILED\n");
    assert!(!all_ran_and_passed(&failed));
}

#[test]
fn infer_framework_from_commands() {
    let cases = [
        ("pytest -rA tests/test_a.py", Some(Framework::Pytest)),
        ("pytest --no-header -rA --tb=no -p no:cacheprovider", Some(Framework::Pytest)),
        ("python -m pytest -rA -vv -o console_output_style=classic --tb=no", Some(Framework::Pytest)),
        ("/opt/conda/bin/py.test -x", Some(Framework::Pytest)),
        ("cd /testbed && source venv/bin/activate && pytest -rA", Some(Framework::Pytest)),
        ("python -m unittest -v tests.test_calc", Some(Framework::Unittest)),
        (
            "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 migrations",
            Some(Framework::Unittest),
        ),
        ("python manage.py test app", Some(Framework::Unittest)),
        ("pip install pytest && python -m unittest discover -v", Some(Framework::Unittest)),
        ("cargo test --workspace -- --nocapture", Some(Framework::Cargo)),
        ("cargo +nightly test", Some(Framework::Cargo)),
        ("RUST_BACKTRACE=1 cargo test -p core", Some(Framework::Cargo)),
        ("go test -v ./...", Some(Framework::Go)),
        ("bash -c 'go test -v -run TestParse ./parse'", Some(Framework::Go)),
        ("cargo build --release", None),
        ("go build ./...", None),
        ("bin/test -C --verbose sympy/core", None),
        ("make check", None),
        ("", None),
    ];
    for (command, want) in cases {
        assert_eq!(infer_framework(command), want, "{command}");
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------

#[test]
fn ansi_and_control_codes_are_removed() {
    let text = "\x1b[1;31mFAILED\x1b[0m a\x1b]8;;http://x\x07link\x1b]8;;\x1b\\ \x1b(Bb\x1b7\u{9b}2Kc\u{0}\u{8}d\x1b";
    assert_eq!(strip_terminal_codes(text), "FAILED alink bcd");
    assert_eq!(strip_terminal_codes("a\x1b]unterminated\nb"), "a\nb");
    assert_eq!(strip_terminal_codes("tab\there\r\n"), "tab\there\r\n");
}

#[test]
fn garbage_input_never_panics() {
    // Deterministic pseudo-random bytes, read lossily as a sandbox would.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut bytes = Vec::with_capacity(64 * 1024);
    for _ in 0..64 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let b = (state >> 24) as u8;
        // Mix in the characters the parsers care about.
        bytes.push(match b % 16 {
            0 => b'\n',
            1 => b' ',
            2 => b'[',
            3 => b']',
            4 => b'.',
            5 => b'(',
            6 => 0x1b,
            7 => b'\r',
            _ => b,
        });
    }
    let lossy = String::from_utf8_lossy(&bytes);
    let fragments = [
        "",
        "\n\n\r\r",
        "\x1b",
        "\x1b[",
        "\x1b]",
        "\x1b(",
        "PASSED",
        "PASSED ",
        "FAILED  - ",
        "SKIPPED [",
        "x:: PASSED",
        "[gw0]",
        "[gw",
        "[",
        " ... ",
        " ...",
        "... ok",
        "ok",
        "FAIL:",
        "ERROR: (",
        "a (b.c",
        "a (b.c) (",
        "test ",
        "test  ... ok",
        "--- PASS:",
        "--- FAIL:  (",
        "--- SKIP: x (",
        "\u{feff}\u{9b}\u{7f}é漢🦀",
    ];
    for framework in Framework::ALL {
        let _ = parse_log(framework, &lossy);
        for fragment in fragments {
            let _ = parse_log(framework, fragment);
            let _ = parse_log(framework, &fragment.repeat(50));
        }
    }
    let weird = ids(&["", " ", "[", "[[[", "a[", "\u{0}"]);
    let statuses = parse_log(Framework::Pytest, &lossy);
    let _ = grade(&statuses, &weird, &weird);
    let _ = infer_framework(&lossy);
}

#[test]
fn long_lines_are_parsed_in_linear_time() {
    // Quadratic scanning of these lines would take minutes; linear takes milliseconds.
    let brackets = "[".repeat(200_000);
    let spaces = " - ".repeat(100_000);
    let dots = " ... ".repeat(100_000);
    let log = format!(
        "PASSED t.py::test_x{brackets}\nFAILED t.py::test_y{spaces}\nt.py::test_z{} PASSED\n{dots}ok\ntest a{dots}ok\n    --- PASS: {dots}\n",
        " x".repeat(100_000)
    );
    let started = std::time::Instant::now();
    for framework in Framework::ALL {
        let _ = parse_log(framework, &log);
    }
    let statuses = parse_log(Framework::Pytest, &log);
    let truncated = format!("t.py::test_x{}", &brackets[..100]);
    assert!(grade(&statuses, &ids(&[&truncated]), &[]).resolved);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
