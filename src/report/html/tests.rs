//! The HTML report of small runs: self-contained, with the charts the run's figures call for, and a
//! task table whose embedded data holds every answer.

use super::charts::{charts, cumulative, pareto_front};
use super::draw::{Plot, Point, Value, color};
use super::*;
use crate::analysis::{example_run, result_row, run_view, run_view_of_tasks, summarize};
use crate::report::texts::RowText;
use crate::store::{TaskRecord, ToolUse};

fn texts_of(view: &RunView) -> Texts {
    let rows = view
        .rows
        .iter()
        .map(|r| RowText { answer: format!("answer </script> {}", r.task).into(), detail: "got: 7".into() })
        .collect();
    Texts::new(vec![Box::from("What is <b>7</b> + 7?"); view.tasks.len()], rows)
}

/// The JSON of the task table, parsed.
fn table_data(html: &str) -> serde_json::Value {
    let start = html.find(r#"<script type="application/json" id="task-data">"#).unwrap();
    let json = &html[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_report_of_a_run_holds_its_charts_and_every_answer_and_fetches_nothing() {
    let view = example_run();
    let report = render(&view, &summarize(&view), &texts_of(&view), None).unwrap();
    let html = &report.html;
    let ids: Vec<&str> = report.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "score-by-suite",
            "score-by-category",
            "against-baseline",
            "cost-vs-score",
            "latency",
            "ttft",
            "failures"
        ]
    );
    for id in &ids {
        assert!(html.contains(&format!("<figure class=\"chart\" id=\"{id}\">\n<svg ")), "{id} inline");
    }
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    for external in
        ["src=\"http", "href=\"http", "url(", "@import", "<link rel=\"stylesheet\"", "<script src"]
    {
        assert!(!html.contains(external), "{external} in the page");
    }
    assert_eq!(html.matches("<script").count(), 2, "the data and the table's script, both inline");
    assert!(html.contains("What is \\u003cb>7\\u003c/b> + 7?"), "texts cannot close the data element");

    let data = table_data(html);
    assert_eq!(data["providers"], serde_json::json!(["claude", "kimi"]));
    let rows = data["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12, "one per answer");
    let outcomes = data["outcomes"].as_array().unwrap();
    let outcome =
        |row: &serde_json::Value| outcomes[row[3].as_u64().unwrap() as usize].as_str().unwrap().to_string();
    let task_id = |row: &serde_json::Value| {
        data["tasks"][row[0].as_u64().unwrap() as usize][1].as_str().unwrap().to_string()
    };
    let lost: Vec<(String, u64, String)> = rows
        .iter()
        .filter(|r| outcome(r) == "infra_error")
        .map(|r| (task_id(r), r[1].as_u64().unwrap(), r[7].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(lost, [("t3".to_string(), 1, "got: 7".to_string())], "kimi's rate-limited t3");
    assert_eq!(rows.iter().filter(|r| outcome(r) == "passed").count(), 8);
    assert_eq!(rows[0][5], 800, "latency in whole milliseconds");
    assert_eq!(data["tasks"][0][3], "What is <b>7</b> + 7?");

    let again = render(&view, &summarize(&view), &texts_of(&view), None).unwrap();
    assert_eq!(again.html, report.html, "the same run renders to the same bytes");
}

#[test]
fn pngs_of_every_chart_are_written_for_slides() {
    let view = example_run();
    let report = render(&view, &summarize(&view), &Texts::default(), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let written = write_pngs(&report.charts, &dir.path().join("slides")).unwrap();
    assert_eq!(written.len(), report.charts.len());
    for path in written {
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 2000, "{}", path.display());
    }
}

fn context_task(id: &str, length: u64, depth: u32) -> TaskRecord {
    TaskRecord {
        suite: "long-context".into(),
        id: id.into(),
        family: "long-context".into(),
        category: Some("niah_single".into()),
        fingerprint: String::new(),
        meta: serde_json::json!({"length": length, "depth": depth, "kind": "niah_single"}),
    }
}

#[test]
fn long_context_runs_get_a_curve_by_length_and_a_grid_per_provider() {
    let tasks = vec![
        context_task("4k-0", 4096, 0),
        context_task("4k-50", 4096, 50),
        context_task("8k-0", 8192, 0),
        context_task("8k-50", 8192, 50),
    ];
    let mut rows = Vec::new();
    for (id, claude, kimi) in
        [("4k-0", 1.0, 1.0), ("4k-50", 1.0, 0.0), ("8k-0", 1.0, 1.0), ("8k-50", 0.0, -1.0)]
    {
        rows.push(result_row("long-context", id, "claude", Some(claude), None));
        rows.push(if kimi < 0.0 {
            result_row("long-context", id, "kimi", None, Some("context_too_long"))
        } else {
            result_row("long-context", id, "kimi", Some(kimi), None)
        });
    }
    let view = run_view_of_tasks(&["claude", "kimi"], "long-context", tasks, 1, rows);
    let all = charts(&view, &summarize(&view));
    let by_length = all.iter().find(|c| c.id == "context-by-length").unwrap();
    let Plot::Lines(lines) = &by_length.plot else { panic!("a line chart") };
    assert_eq!(lines.xs, ["4k", "8k"]);
    let kimi: Vec<f64> = lines.series[1].values.iter().map(|v| v.unwrap().value).collect();
    assert_eq!(kimi, [0.5, 0.5], "the 8k task beyond kimi's window counts as a failure");
    let grid = all.iter().find(|c| c.id == "context-grid-kimi").unwrap();
    let Plot::Heatmap(h) = &grid.plot else { panic!("a heatmap") };
    assert_eq!(
        (h.xs.clone(), h.ys.clone()),
        (vec!["4k".to_string(), "8k".into()], vec!["0%".to_string(), "50%".into()])
    );
    assert_eq!(h.cells, [[Some(1.0), Some(1.0)], [Some(0.0), Some(0.0)]], "rows are depths, columns lengths");
    assert!(all.iter().any(|c| c.id == "context-grid-claude"));
    let Plot::Stacked(failures) = &all.iter().find(|c| c.id == "failures").unwrap().plot else { panic!() };
    let names: Vec<&str> = failures.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["wrong answer", "context exceeded"], "a window exceeded is a capability failure");
}

#[test]
fn tool_runs_get_validity_and_calls_against_the_minimum() {
    let used = |calls, invalid| ToolUse {
        turns: 3,
        calls,
        invalid,
        parallel_turns: 0,
        step_limit_hit: false,
        min_calls: Some(2),
        parallel_possible: false,
    };
    let mut rows =
        vec![result_row("s", "1", "claude", Some(1.0), None), result_row("s", "1", "kimi", Some(0.0), None)];
    rows[0].tool_use = Some(used(2, 0));
    rows[1].tool_use = Some(used(4, 1));
    let view = run_view(&["claude", "kimi"], "s", &[("1".to_string(), Some("desk".to_string()))], 1, rows);
    let all = charts(&view, &summarize(&view));
    let value = |id: &str| -> Vec<f64> {
        let Plot::Bars(b) = &all.iter().find(|c| c.id == id).unwrap().plot else { panic!("bars") };
        b.series.iter().map(|s| s.values[0].unwrap().value).collect()
    };
    assert_eq!(value("tool-call-validity"), [1.0, 0.75]);
    assert_eq!(value("tool-calls-vs-minimum"), [1.0, 2.0]);
}

#[test]
fn the_pareto_front_keeps_only_providers_no_other_beats_on_cost_and_score() {
    let point =
        |x: f64, y: f64| Point { label: String::new(), x, y: Value { value: y, ci: None }, color: color(0) };
    let points = [point(1.0, 0.6), point(2.0, 0.9), point(3.0, 0.8), point(0.5, 0.4), point(2.0, 0.7)];
    assert_eq!(pareto_front(&points), [0, 1, 3]);
}

#[test]
fn a_distribution_is_cut_to_a_few_hundred_points_ending_at_one() {
    let values: Vec<f64> = (1..=100_000).rev().map(f64::from).collect();
    let curve = cumulative(values);
    assert!(curve.len() <= 202, "{}", curve.len());
    assert_eq!(curve.first(), Some(&(1.0, 1e-5)));
    assert_eq!(curve.last(), Some(&(100_000.0, 1.0)));
    assert!(curve.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
    assert_eq!(cumulative(vec![5.0, 5.0]), [(5.0, 1.0)]);
}
