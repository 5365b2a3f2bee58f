//! JUnit output: a snapshot of the example run, and a structural check of the shape CI readers
//! accept (Jenkins' junit-10.xsd): elements where the schema allows them, required attributes, and
//! counts that agree with the cases.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::*;
use crate::analysis::{example_run, summarize};
use crate::report::texts::RowText;

/// The example run's texts: each wrong answer's scorer detail, each lost item's error.
fn texts(view: &RunView) -> Texts {
    let rows = view
        .rows
        .iter()
        .map(|row| match Fate::of(view, row) {
            Fate::Failed => {
                RowText { answer: "The answer is 7.".into(), detail: "expected: 14; got: 7".into() }
            }
            Fate::InfraError => RowText { answer: "".into(), detail: "429 Too Many Requests".into() },
            _ => RowText { answer: "The answer is 14.".into(), detail: "".into() },
        })
        .collect();
    Texts::new(vec![Box::from("What is 7 + 7?"); view.tasks.len()], rows)
}

/// A parsed element: name, attributes, children, text.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn count(&self, name: &str) -> usize {
        self.attr(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("<{}> lacks a numeric `{name}`", self.name))
    }
}

fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                stack.last_mut().unwrap().children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                let c = match name.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.remove(0)
}

fn node(e: &quick_xml::events::BytesStart<'_>) -> Node {
    Node {
        name: AsRef::<str>::as_ref(&e.name()).to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    AsRef::<str>::as_ref(&a.key).to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0).unwrap().into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

/// Checks the document against the schema's structure; the (tests, failures, errors, skipped) totals.
fn validate(root: &Node) -> (usize, usize, usize, usize) {
    assert_eq!(root.name, "testsuites");
    let mut totals = (0, 0, 0, 0);
    for suite in &root.children {
        assert_eq!(suite.name, "testsuite", "only test suites under <testsuites>");
        assert!(suite.attr("name").is_some_and(|n| !n.is_empty()));
        let cases: Vec<&Node> = suite.children.iter().filter(|c| c.name == "testcase").collect();
        for other in suite.children.iter().filter(|c| c.name != "testcase") {
            assert!(
                ["properties", "system-out", "system-err"].contains(&other.name.as_str()),
                "<{}> in a testsuite",
                other.name
            );
            for p in other.children.iter() {
                assert!(p.name == "property" && p.attr("name").is_some() && p.attr("value").is_some());
            }
        }
        let with = |kind: &str| cases.iter().filter(|c| c.children.iter().any(|x| x.name == kind)).count();
        for case in &cases {
            assert!(case.attr("name").is_some() && case.attr("classname").is_some());
            assert!(case.attr("time").unwrap().parse::<f64>().is_ok());
            assert!(case.children.len() <= 1, "at most one of failure, error, skipped");
            for verdict in &case.children {
                assert!(
                    ["failure", "error", "skipped"].contains(&verdict.name.as_str()),
                    "<{}>",
                    verdict.name
                );
                assert!(verdict.attr("message").is_some());
            }
        }
        let counts = (cases.len(), with("failure"), with("error"), with("skipped"));
        assert_eq!(
            counts,
            (suite.count("tests"), suite.count("failures"), suite.count("errors"), suite.count("skipped")),
            "the counts of <testsuite name={:?}>",
            suite.attr("name")
        );
        totals = (totals.0 + counts.0, totals.1 + counts.1, totals.2 + counts.2, totals.3 + counts.3);
    }
    assert_eq!(
        (totals.0, totals.1, totals.2),
        (root.count("tests"), root.count("failures"), root.count("errors"))
    );
    assert_eq!(root.attr("skipped"), None, "junit-10.xsd allows no skipped total on <testsuites>");
    totals
}

#[test]
fn a_case_per_provider_and_suite_failing_with_the_score_detail() {
    let view = example_run();
    let xml = render(&view, &summarize(&view), &texts(&view)).unwrap();
    insta::with_settings!({filters => vec![(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "[timestamp]")]}, {
        insta::assert_snapshot!(xml);
    });
    let root = parse(&xml);
    assert_eq!(validate(&root), (2, 2, 0, 0), "both providers got a task wrong");
    let kimi = root.children.iter().find(|s| s.attr("name") == Some("kimi")).unwrap();
    let failure = &kimi.children.iter().find(|c| c.name == "testcase").unwrap().children[0];
    assert_eq!(failure.attr("message"), Some("score 60.0% [23.1, 88.2] over 5 tasks; 2 of 6 answers failed"));
    assert!(failure.text.contains("t2 (sample 0): score 0: expected: 14; got: 7"), "{}", failure.text);
    assert!(failure.text.contains("t3 (sample 0): rate_limited: 429 Too Many Requests"), "{}", failure.text);
}

#[test]
fn lost_answers_alone_are_an_error_and_no_answers_a_skip() {
    use crate::analysis::result_row;
    let tasks = vec![("t1".to_string(), None), ("t2".to_string(), None)];
    let rows = vec![
        result_row("s", "t1", "claude", Some(1.0), None),
        result_row("s", "t2", "claude", None, Some("timeout")),
    ];
    let view = crate::analysis::run_view(&["claude", "kimi"], "s", &tasks, 1, rows);
    let xml = render(&view, &summarize(&view), &Texts::default()).unwrap();
    let root = parse(&xml);
    assert_eq!(validate(&root), (2, 0, 1, 1));
    assert!(xml.contains(r#"<error message="score 100.0% [20.7, 100.0] over 1 task; 1 of 2 answers lost to infrastructure failures" type="infra_error">t2 (sample 0): timeout"#), "{xml}");
    assert!(xml.contains(r#"<skipped message="no answers: not sent"/>"#), "{xml}");
}

#[test]
fn control_characters_of_an_answer_never_break_the_xml() {
    assert_eq!(xml_safe("a\u{1b}[0mb\u{0}\tc\n"), "a[0mb\tc\n");
}
