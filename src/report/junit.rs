//! JUnit XML for CI systems (GitLab, Jenkins, GitHub test reporters): a `<testsuite>` per provider and
//! a `<testcase>` per provider and suite. A case fails when some of its answers were scored wrong (or
//! did not fit the context window): the message gives the suite's score, the text lists each failed
//! task with its scorer's detail. A case with no wrong answer but answers lost to infrastructure
//! failures is an `<error>`; one with no answer at all is `<skipped>`. The shape is the one CI readers
//! share (Jenkins' junit-10.xsd): testsuites/testsuite/testcase with failure, error or skipped, and
//! `tests`, `failures`, `errors` and (per testsuite; the schema has no such total) `skipped` counts
//! that add up.

use std::collections::BTreeMap;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::format::{ci, pct};
use super::outcome::Fate;
use super::texts::Texts;
use crate::analysis::{RunView, Summary};

/// Failed answers listed in one failure's text; the rest are counted.
const LISTED: usize = 50;

/// One provider x suite: the view's rows of its answers, and what became of them.
struct Case<'a> {
    suite: &'a str,
    rows: Vec<usize>,
    failed: Vec<usize>,
    lost: Vec<usize>,
    time_s: f64,
}

/// What a case reports.
enum Verdict {
    Pass,
    Failure { message: String, text: String },
    Error { message: String, text: String },
    Skipped { message: String },
}

/// Render the run as JUnit XML.
pub fn render(view: &RunView, summary: &Summary, texts: &Texts) -> Result<String, String> {
    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut xml, view, summary, texts).map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    let mut text = String::from_utf8(xml.into_inner()).map_err(|e| format!("cannot write JUnit XML: {e}"))?;
    text.push('\n');
    Ok(text)
}

fn write(xml: &mut Writer<Vec<u8>>, view: &RunView, summary: &Summary, texts: &Texts) -> io::Result<()> {
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let suites: Vec<(&str, Vec<(Case<'_>, Verdict)>)> = view
        .manifest
        .providers
        .iter()
        .map(|p| {
            let cases = cases(view, &p.name).into_iter().map(|c| {
                let verdict = verdict(view, summary, texts, &p.name, &c);
                (c, verdict)
            });
            (p.name.as_str(), cases.collect())
        })
        .collect();
    let count =
        |cases: &[(Case<'_>, Verdict)], f: fn(&Verdict) -> bool| cases.iter().filter(|(_, v)| f(v)).count();
    let totals = |f: fn(&Verdict) -> bool| suites.iter().map(|(_, cases)| count(cases, f)).sum::<usize>();
    let time = |cases: &[(Case<'_>, Verdict)]| cases.iter().map(|(c, _)| c.time_s).sum::<f64>();
    let all_time: f64 = suites.iter().map(|(_, cases)| time(cases)).sum();
    let timestamp = junit_timestamp(&view.run.created_at);
    xml.create_element("testsuites")
        .with_attributes([
            ("name", format!("bench run {}", view.run.run_id).as_str()),
            ("tests", &suites.iter().map(|(_, c)| c.len()).sum::<usize>().to_string()),
            ("failures", &totals(|v| matches!(v, Verdict::Failure { .. })).to_string()),
            ("errors", &totals(|v| matches!(v, Verdict::Error { .. })).to_string()),
            ("time", &seconds(all_time)),
        ])
        .write_inner_content(|xml| {
            for (provider, cases) in &suites {
                let model = view.manifest.provider(provider).map_or("", |p| p.model.as_str());
                xml.create_element("testsuite")
                    .with_attributes([
                        ("name", *provider),
                        ("tests", &cases.len().to_string()),
                        ("failures", &count(cases, |v| matches!(v, Verdict::Failure { .. })).to_string()),
                        ("errors", &count(cases, |v| matches!(v, Verdict::Error { .. })).to_string()),
                        ("skipped", &count(cases, |v| matches!(v, Verdict::Skipped { .. })).to_string()),
                        ("time", &seconds(time(cases))),
                        ("timestamp", &timestamp),
                    ])
                    .write_inner_content(|xml| {
                        xml.create_element("properties").write_inner_content(|xml| {
                            for (name, value) in [("model", model), ("baseline", &summary.baseline)] {
                                xml.create_element("property")
                                    .with_attributes([("name", name), ("value", value)])
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                        for (case, verdict) in cases {
                            write_case(xml, provider, case, verdict)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_case(
    xml: &mut Writer<Vec<u8>>,
    provider: &str,
    case: &Case<'_>,
    verdict: &Verdict,
) -> io::Result<()> {
    let element = xml.create_element("testcase").with_attributes([
        ("name", case.suite),
        ("classname", &format!("bench.{provider}")),
        ("time", &seconds(case.time_s)),
    ]);
    match verdict {
        Verdict::Pass => element.write_empty().map(drop),
        Verdict::Failure { message, text } | Verdict::Error { message, text } => {
            let (name, kind) = match verdict {
                Verdict::Failure { .. } => ("failure", "wrong_answer"),
                _ => ("error", "infra_error"),
            };
            element
                .write_inner_content(|xml| {
                    xml.create_element(name)
                        .with_attributes([("message", xml_safe(message).as_str()), ("type", kind)])
                        .write_text_content(BytesText::new(&xml_safe(text)))
                        .map(drop)
                })
                .map(drop)
        }
        Verdict::Skipped { message } => element
            .write_inner_content(|xml| {
                xml.create_element("skipped")
                    .with_attribute(("message", xml_safe(message).as_str()))
                    .write_empty()
                    .map(drop)
            })
            .map(drop),
    }
}

/// The provider's answers by suite, suites in the run's order.
fn cases<'v>(view: &'v RunView, provider: &str) -> Vec<Case<'v>> {
    let name = view.find_name(provider);
    let mut by_suite: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, row) in view.rows.iter().enumerate().filter(|(_, r)| Some(r.provider) == name) {
        if let Some(task) = view.tasks.get(row.task as usize) {
            by_suite.entry(view.name(task.suite)).or_default().push(i);
        }
    }
    view.manifest
        .suites
        .iter()
        .map(|suite| {
            let rows = by_suite.remove(suite.name.as_str()).unwrap_or_default();
            let fate = |i: &&usize| Fate::of(view, &view.rows[**i]);
            let failed = rows
                .iter()
                .filter(|i| matches!(fate(i), Fate::Failed | Fate::ContextExceeded))
                .copied()
                .collect();
            let lost = rows
                .iter()
                .filter(|i| matches!(fate(i), Fate::InfraError | Fate::ScorerError))
                .copied()
                .collect();
            let time_s = rows.iter().filter_map(|&i| view.rows[i].latency_ms).sum::<f64>() / 1000.0;
            Case { suite: suite.name.as_str(), rows, failed, lost, time_s }
        })
        .collect()
}

fn verdict(view: &RunView, summary: &Summary, texts: &Texts, provider: &str, case: &Case<'_>) -> Verdict {
    let score = summary.suites.iter().find(|s| s.provider == provider && s.suite == case.suite);
    let scored = score.map_or(String::new(), |s| {
        if s.scored == 0 {
            String::new()
        } else {
            format!("score {} {} over {}; ", pct(s.score), ci(s.ci95), plural(s.scored, "task"))
        }
    });
    let answers = case.rows.len();
    if !case.failed.is_empty() {
        let mut text = listing(view, texts, &case.failed);
        if !case.lost.is_empty() {
            text.push_str(&format!(
                "\nand {} lost to infrastructure failures:\n",
                plural(case.lost.len(), "answer")
            ));
            text.push_str(&listing(view, texts, &case.lost));
        }
        return Verdict::Failure {
            message: format!("{scored}{} of {} failed", case.failed.len(), plural(answers, "answer")),
            text,
        };
    }
    if !case.lost.is_empty() {
        return Verdict::Error {
            message: format!(
                "{scored}{} of {} lost to infrastructure failures",
                case.lost.len(),
                plural(answers, "answer")
            ),
            text: listing(view, texts, &case.lost),
        };
    }
    if answers == 0 {
        let why =
            summary.providers.iter().find(|p| p.name == provider).and_then(|p| p.not_attempted_why.clone());
        return Verdict::Skipped {
            message: format!("no answers: {}", why.as_deref().unwrap_or("not attempted")),
        };
    }
    Verdict::Pass
}

/// One line per listed row: the task, its sample, its fate and what the scorer (or the error) said.
fn listing(view: &RunView, texts: &Texts, rows: &[usize]) -> String {
    let mut out = String::new();
    for &i in rows.iter().take(LISTED) {
        let row = &view.rows[i];
        let task = view.tasks.get(row.task as usize).map_or("?", |t| &*t.id);
        let fate = Fate::of(view, row);
        let how = match (fate, Fate::class(view, row), row.score) {
            (Fate::Failed, _, Some(score)) => format!("score {score}"),
            (_, Some(class), _) => class.to_string(),
            (fate, None, _) => fate.as_str().to_string(),
        };
        out.push_str(&format!("{task} (sample {}): {how}", row.sample));
        let detail = texts.detail(i);
        if !detail.is_empty() {
            out.push_str(&format!(": {detail}"));
        }
        out.push('\n');
    }
    if rows.len() > LISTED {
        out.push_str(&format!("... and {} more\n", rows.len() - LISTED));
    }
    out
}

/// `n word`, with an `s` unless `n` is 1.
fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Seconds with millisecond precision.
fn seconds(s: f64) -> String {
    format!("{s:.3}")
}

/// The run's start as JUnit's `timestamp` wants it: `YYYY-MM-DDTHH:MM:SS`, no fraction or zone.
fn junit_timestamp(rfc3339: &str) -> String {
    rfc3339.get(..19).unwrap_or(rfc3339).to_string()
}

/// Text without the control characters XML 1.0 cannot hold (a model's answer may contain them).
fn xml_safe(text: &str) -> String {
    text.chars().filter(|&c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect()
}

#[cfg(test)]
mod tests;
