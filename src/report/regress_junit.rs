//! `bench regress --junit FILE`: the verdict as JUnit XML for CI test reporters, written with an XML
//! writer (quick-xml): one `<testsuite>` for the comparison and one `<testcase>` per provider x suite,
//! with a `<failure type="regression">` naming each threshold it broke. Drift is the provider's
//! cases' `<system-out>`, or a `<failure type="drift">` with `--fail-on-drift`.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::regress::{breach_line, verdict};
use crate::analysis::regress::{Check, Regress};

/// Render the verdict as JUnit XML.
pub fn render(report: &Regress) -> Result<String, String> {
    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut xml, report).map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    let mut text = String::from_utf8(xml.into_inner()).map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    text.push('\n');
    Ok(text)
}

/// What fails one case: its breaches, and its provider's drift when drift fails the check.
fn failures(report: &Regress, check: &Check) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> =
        check.regressions.iter().map(|b| ("regression", breach_line(check, b))).collect();
    if report.fail_on_drift {
        out.extend(drift_of(report, check).map(|m| ("drift", m)));
    }
    out
}

fn drift_of<'a>(report: &'a Regress, check: &'a Check) -> impl Iterator<Item = String> + 'a {
    report.drift.iter().filter(|d| d.provider == check.change.provider).map(|d| d.message.clone())
}

fn write(xml: &mut Writer<Vec<u8>>, report: &Regress) -> io::Result<()> {
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let failed = report.checks.iter().filter(|c| !failures(report, c).is_empty()).count();
    let name = format!("bench regress {} against {}", report.after.run_id, report.before.run_id);
    let tests = report.checks.len().to_string();
    let failed = failed.to_string();
    let counts = [("tests", tests.as_str()), ("failures", failed.as_str()), ("errors", "0")];
    xml.create_element("testsuites")
        .with_attribute(("name", name.as_str()))
        .with_attributes(counts)
        .write_inner_content(|xml| {
            xml.create_element("testsuite")
                .with_attribute(("name", name.as_str()))
                .with_attributes(counts)
                .with_attribute(("skipped", "0"))
                .with_attribute((
                    "timestamp",
                    report.after.created_at.get(..19).unwrap_or(&report.after.created_at),
                ))
                .write_inner_content(|xml| {
                    xml.create_element("properties").write_inner_content(|xml| {
                        let rules = &report.rules;
                        let properties = [
                            ("run", report.after.run_id.clone()),
                            ("against", report.before.run_id.clone()),
                            ("verdict", verdict(report)),
                            ("max_drop", rules.max_drop.to_string()),
                            ("alpha", rules.alpha.to_string()),
                            ("max_cost_increase", rules.max_cost_increase.to_string()),
                            ("max_latency_increase", rules.max_latency_increase.to_string()),
                            ("max_error_rate_increase", rules.max_error_rate_increase.to_string()),
                        ];
                        for (name, value) in &properties {
                            xml.create_element("property")
                                .with_attributes([("name", *name), ("value", value.as_str())])
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                    for check in &report.checks {
                        write_case(xml, report, check)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn write_case(xml: &mut Writer<Vec<u8>>, report: &Regress, check: &Check) -> io::Result<()> {
    let element = xml.create_element("testcase").with_attributes([
        ("name", check.change.suite.as_str()),
        ("classname", format!("bench.regress.{}", check.change.provider).as_str()),
        ("time", "0"),
    ]);
    let failures = failures(report, check);
    let drift: Vec<String> = drift_of(report, check).collect();
    if failures.is_empty() && drift.is_empty() {
        return element.write_empty().map(drop);
    }
    element
        .write_inner_content(|xml| {
            for (kind, message) in &failures {
                xml.create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", *kind)])
                    .write_text_content(BytesText::new(message))?;
            }
            if !drift.is_empty() && !report.fail_on_drift {
                let text = drift.iter().map(|d| format!("warning: {d}")).collect::<Vec<_>>().join("\n");
                xml.create_element("system-out").write_text_content(BytesText::new(&text))?;
            }
            Ok(())
        })
        .map(drop)
}

/// A report with nothing compared (the first run of a series): one skipped case saying why, so a CI
/// step that uploads the file finds it.
pub fn render_skipped(message: &str) -> Result<String, String> {
    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: io::Result<()> = (|| {
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let counts = [("tests", "1"), ("failures", "0"), ("errors", "0")];
        xml.create_element("testsuites")
            .with_attribute(("name", "bench regress"))
            .with_attributes(counts)
            .write_inner_content(|xml| {
                xml.create_element("testsuite")
                    .with_attribute(("name", "bench regress"))
                    .with_attributes(counts)
                    .with_attribute(("skipped", "1"))
                    .write_inner_content(|xml| {
                        xml.create_element("testcase")
                            .with_attributes([
                                ("name", "regress"),
                                ("classname", "bench.regress"),
                                ("time", "0"),
                            ])
                            .write_inner_content(|xml| {
                                xml.create_element("skipped")
                                    .with_attribute(("message", message))
                                    .write_empty()?;
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    written.map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    let mut text = String::from_utf8(xml.into_inner()).map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    text.push('\n');
    Ok(text)
}
