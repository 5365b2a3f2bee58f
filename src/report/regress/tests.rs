use super::*;
use crate::analysis::drift::{Drift, DriftKind};
use crate::analysis::regress::regress;
use crate::analysis::{RunView, result_row, run_view};
use crate::config::RegressRules;

/// kimi over 40 tasks of `nightly`: all right before; after, the first `wrong` wrong and the next
/// `lost` lost to server errors.
fn view(wrong: usize, lost: usize) -> RunView {
    let tasks: Vec<(String, Option<String>)> = (1..=40).map(|i| (format!("t{i:02}"), None)).collect();
    let rows = (1..=40)
        .map(|i| {
            let id = format!("t{i:02}");
            match i {
                i if i <= wrong => result_row("nightly", &id, "kimi", Some(0.0), None),
                i if i <= wrong + lost => result_row("nightly", &id, "kimi", None, Some("server")),
                _ => result_row("nightly", &id, "kimi", Some(1.0), None),
            }
        })
        .collect();
    let mut view = run_view(&["kimi"], "nightly", &tasks, 1, rows);
    view.manifest.tag = Some("nightly".into());
    view
}

fn drift() -> Vec<Drift> {
    vec![Drift {
        provider: "kimi".into(),
        kind: DriftKind::ReportedModel,
        before: "k2-0905".into(),
        after: "k2-1120".into(),
        message: "kimi: the model the provider reported changed: k2-0905 → k2-1120".into(),
    }]
}

fn failing() -> Regress {
    let mut before = view(0, 0);
    before.run.run_id = "20261207-020000-aaaa".into();
    regress(&before, &view(12, 4), drift(), &RegressRules::default(), false)
}

#[test]
fn the_table_names_each_regression_with_its_size_and_fits_80_columns() {
    let text = &render_table(&failing(), Layout::Wide).text;
    assert!(
        text.starts_with("bench regress 20261207-120000-abcd (tag nightly) against 20261207-020000-aaaa"),
        "{text}"
    );
    assert!(text.contains("FAILED: 2 regressions, 1 drift warning"), "{text}");
    assert!(text.contains("REGRESSION kimi · nightly: score dropped 100.0% → 66.7% (-33.3 pt"), "{text}");
    assert!(text.contains("over 36 tasks"), "the four lost tasks are not paired: {text}");
    assert!(
        text.contains("infrastructure error rate rose 0.0% → 10.0% (+10.0 pt; at most +5.0 pt passes)"),
        "{text}"
    );
    assert!(text.contains("warning: kimi: the model the provider reported changed"), "{text}");
    let narrow = render_table(&failing(), Layout::Fit(80));
    assert!(narrow.hidden > 0 && narrow.text.contains("REGRESSION: score, error rate"), "{}", narrow.text);
    for line in narrow.text.lines() {
        assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}");
    }
}

#[test]
fn markdown_leads_with_the_regressions() {
    let md = render_markdown(&failing());
    assert!(md.starts_with("## bench regress: FAILED: 2 regressions, 1 drift warning\n"), "{md}");
    let regressions = md.find("### Regressions").unwrap();
    assert!(
        md[regressions..].contains("- **kimi · nightly**: score dropped 100.0% → 66.7% (-33.3 pt"),
        "{md}"
    );
    assert!(md.contains("; now failing: t01, t02, t03, t04, t05, … (12 tasks)"), "where to look first: {md}");
    assert!(md.find("### Drift (warnings)").unwrap() > regressions);
    assert!(md.contains("| kimi | nightly | 36 | 100.0% → 66.7% |"), "{md}");
    assert!(md.contains("Holm-corrected across 1 provider × suite"), "{md}");

    let passing = regress(&view(0, 0), &view(0, 0), Vec::new(), &RegressRules::default(), false);
    let md = render_markdown(&passing);
    assert!(md.starts_with("## bench regress: passed\n") && !md.contains("### Regressions"), "{md}");
    assert!(md.contains("| ok |"), "{md}");
}

/// The names of the elements of `xml`, in document order (parsing it whole: it is well-formed).
fn elements(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => names.push(AsRef::<str>::as_ref(&e.name()).to_string()),
            Event::Eof => return names,
            _ => {}
        }
    }
}

#[test]
fn junit_has_one_case_per_provider_and_suite_failing_on_regressions() {
    let xml = crate::report::regress_junit::render(&failing()).unwrap();
    let names = elements(&xml);
    let count = |name: &str| names.iter().filter(|n| *n == name).count();
    assert_eq!((count("testcase"), count("failure"), count("system-out")), (1, 2, 1), "{xml}");
    assert!(
        xml.contains(r#"<testsuites name="bench regress 20261207-120000-abcd against 20261207-020000-aaaa" tests="1" failures="1""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<testcase name="nightly" classname="bench.regress.kimi""#), "{xml}");
    assert!(xml.contains(r#"type="regression">kimi · nightly: score dropped 100.0% → 66.7%"#), "{xml}");
    assert!(xml.contains("warning: kimi: the model the provider reported changed"), "{xml}");

    let mut strict = failing();
    strict.fail_on_drift = true;
    let xml = crate::report::regress_junit::render(&strict).unwrap();
    let names = elements(&xml);
    assert_eq!(names.iter().filter(|n| *n == "failure").count(), 3, "{xml}");
    assert!(xml.contains(r#"type="drift""#) && !names.contains(&"system-out".to_string()), "{xml}");
    let skipped = crate::report::regress_junit::render_skipped("nothing to compare").unwrap();
    assert!(elements(&skipped).contains(&"skipped".to_string()));
    assert!(skipped.contains(r#"<skipped message="nothing to compare"/>"#), "{skipped}");
}
