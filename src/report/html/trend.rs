//! Trend charts of a tagged run: the figures `bench history` prints (score with its CI, cost per
//! answer, p95 latency, infrastructure error rate) over the runs of the tag up to this one, so a
//! nightly report shows where tonight sits in the series.

use super::draw::{Chart, Lines, Plot, Series, Unit, Value, color};
use crate::analysis::history::{History, Point};

/// The page section of the trend charts.
const SECTION: &str = "Trend";

/// The trend charts of `history` (none with fewer than two runs): the score on each suite, then cost
/// per answer, p95 latency and error rate with a line per provider and suite.
pub fn charts(history: &History) -> Vec<Chart> {
    if history.runs.len() < 2 {
        return Vec::new();
    }
    let providers = in_order(history.series.iter().map(|s| s.provider.as_str()));
    let suites = in_order(history.series.iter().map(|s| s.suite.as_str()));
    let colour = |provider: &str| color(providers.iter().position(|p| *p == provider).unwrap_or(0));
    let mut xs: Vec<String> = history.runs.iter().map(|run| run_label(run, false)).collect();
    if in_order(xs.iter().map(String::as_str)).len() < xs.len() {
        xs = history.runs.iter().map(|run| run_label(run, true)).collect();
    }
    let line =
        |series: &crate::analysis::history::Series, name: String, value: &dyn Fn(&Point) -> Option<Value>| {
            let mut values = vec![None; history.runs.len()];
            for point in &series.points {
                if let Some(slot) = history.runs.iter().position(|r| *r == point.run_id) {
                    values[slot] = value(point);
                }
            }
            Series { name, color: colour(&series.provider), values }
        };
    let both = |s: &crate::analysis::history::Series| format!("{} · {}", s.provider, s.suite);
    let tag = &history.tag;
    let mut out: Vec<Chart> = suites
        .iter()
        .map(|suite| {
            let series = history
                .series
                .iter()
                .filter(|s| s.suite == *suite)
                .map(|s| line(s, s.provider.clone(), &|p| score(p)))
                .collect();
            chart(
                format!("trend-score-{}", slug(suite)),
                format!("Trend: score on {suite}"),
                format!("Mean task score on {suite} in each run tagged `{tag}` up to this one (95% CI)."),
                Lines { xs: xs.clone(), series, unit: Unit::Share, titles: titles("score"), reference: None },
            )
        })
        .collect();
    let currencies =
        in_order(history.series.iter().flat_map(|s| s.points.iter().map(|p| p.currency.as_str())));
    if let [currency] = currencies.as_slice() {
        let series = history
            .series
            .iter()
            .map(|s| line(s, both(s), &|p| plain(p.figures.cost_per_answer())))
            .collect();
        out.push(chart(
            "trend-cost".into(),
            "Trend: cost per answer".into(),
            format!("Mean cost of an answer in each run tagged `{tag}`."),
            Lines {
                xs: xs.clone(),
                series,
                unit: Unit::Money(currency.to_string()),
                titles: titles("cost per answer"),
                reference: None,
            },
        ));
    }
    let series =
        history.series.iter().map(|s| line(s, both(s), &|p| plain(p.figures.latency_p95_ms))).collect();
    out.push(chart(
        "trend-latency".into(),
        "Trend: p95 latency".into(),
        format!("95th percentile of the answers' end-to-end latency in each run tagged `{tag}`."),
        Lines { xs: xs.clone(), series, unit: Unit::Ms, titles: titles("p95 latency"), reference: None },
    ));
    let series = history.series.iter().map(|s| line(s, both(s), &|p| plain(p.error_rate))).collect();
    out.push(chart(
        "trend-errors".into(),
        "Trend: infrastructure error rate".into(),
        format!("Results lost to rate limits, timeouts, server errors and cut streams, in each run tagged `{tag}`."),
        Lines { xs, series, unit: Unit::Share, titles: titles("error rate"), reference: None },
    ));
    out
}

fn chart(id: String, title: String, note: String, lines: Lines) -> Chart {
    Chart { id, section: SECTION, title, note, plot: Plot::Lines(lines) }
}

fn titles(value: &str) -> (String, String) {
    ("run (start, UTC)".into(), value.into())
}

fn score(point: &Point) -> Option<Value> {
    (point.figures.scored > 0).then_some(Value { value: point.figures.score, ci: Some(point.figures.ci95) })
}

fn plain(value: Option<f64>) -> Option<Value> {
    value.map(|value| Value { value, ci: None })
}

/// The distinct items, in first-seen order.
fn in_order<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// `20261207-020000-ab12` -> `12-07 02:00` (with `seconds`, `12-07 02:00:00`): short enough for an
/// axis; other ids as they are.
fn run_label(run_id: &str, seconds: bool) -> String {
    let b = run_id.as_bytes();
    if b.len() >= 15 && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit) && b[8] == b'-' {
        let minute = format!("{}-{} {}:{}", &run_id[4..6], &run_id[6..8], &run_id[9..11], &run_id[11..13]);
        if seconds { format!("{minute}:{}", &run_id[13..15]) } else { minute }
    } else {
        run_id.to_string()
    }
}

/// A suite name as an id: lower case letters and digits, the rest as dashes.
fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::analysis::figures::SuiteFigures;
    use crate::analysis::history::Series as Line;

    fn point(run_id: &str, score: f64, p95: f64) -> Point {
        Point {
            run_id: run_id.into(),
            created_at: String::new(),
            model: "m".into(),
            tasks: 10,
            figures: SuiteFigures {
                scored: 10,
                score,
                ci95: [0.7, 0.9],
                results: 10,
                infra_errors: 1,
                answers: 9,
                cost: 0.9,
                latency_p95_ms: Some(p95),
            },
            error_rate: Some(0.1),
            currency: "USD".into(),
        }
    }

    fn history(runs: &[&str]) -> History {
        let series = |provider: &str, suite: &str| Line {
            provider: provider.into(),
            suite: suite.into(),
            points: runs.iter().skip(1).map(|r| point(r, 0.8, 900.0)).collect(),
        };
        History {
            tag: "nightly".into(),
            runs: runs.iter().map(|r| r.to_string()).collect(),
            series: vec![series("kimi", "math"), series("deepseek", "math"), series("kimi", "code")],
        }
    }

    #[test]
    fn one_score_chart_per_suite_then_cost_latency_and_errors_over_the_runs() {
        let h = history(&["20261205-020000-aaaa", "20261206-020000-bbbb", "20261207-020000-cccc"]);
        let charts = charts(&h);
        let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["trend-score-math", "trend-score-code", "trend-cost", "trend-latency", "trend-errors"]
        );
        assert!(charts.iter().all(|c| c.section == "Trend"));
        let Plot::Lines(math) = &charts[0].plot else { panic!("a line chart") };
        assert_eq!(math.xs, ["12-05 02:00", "12-06 02:00", "12-07 02:00"]);
        let names: Vec<&str> = math.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["kimi", "deepseek"]);
        assert_eq!(math.series[0].values[0], None, "a run without the suite leaves a gap");
        assert_eq!(math.series[0].values[2], Some(Value { value: 0.8, ci: Some([0.7, 0.9]) }));
        let Plot::Lines(cost) = &charts[2].plot else { panic!("a line chart") };
        assert_eq!(cost.unit, Unit::Money("USD".into()));
        assert_eq!(cost.series.len(), 3, "a line per provider and suite");
        assert!((cost.series[0].values[1].unwrap().value - 0.1).abs() < 1e-12, "0.9 over 9 answers");
    }

    #[test]
    fn a_single_run_has_no_trend_and_mixed_currencies_no_cost_line() {
        assert!(charts(&history(&["20261207-020000-cccc"])).is_empty());
        let h = history(&["20261207-020000-aaaa", "20261207-020030-bbbb"]);
        let Plot::Lines(lines) = &charts(&h)[0].plot else { panic!("a line chart") };
        assert_eq!(lines.xs, ["12-07 02:00:00", "12-07 02:00:30"], "seconds where minutes repeat");
        let mut h = history(&["a", "b", "c"]);
        h.series[1].points[0].currency = "CNY".into();
        let ids: Vec<String> = charts(&h).into_iter().map(|c| c.id).collect();
        assert!(!ids.contains(&"trend-cost".to_string()), "{ids:?}");
        let Plot::Lines(lines) = &charts(&h)[0].plot else { panic!("a line chart") };
        assert_eq!(lines.xs, ["a", "b", "c"], "ids that are not timestamps are shown as they are");
    }
}
