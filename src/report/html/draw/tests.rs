//! Every plot shape draws, as SVG and as PNG, including the degenerate ones (no values, one point).

use super::*;

fn series(name: &str, i: usize, values: &[Option<f64>]) -> Series {
    Series {
        name: name.into(),
        color: color(i),
        values: values
            .iter()
            .map(|v| v.map(|value| Value { value, ci: Some([value - 0.1, value + 0.1]) }))
            .collect(),
    }
}

fn plots() -> Vec<Plot> {
    let groups = vec!["support & <billing>".to_string(), "search".into()];
    vec![
        Plot::Bars(Bars {
            groups: groups.clone(),
            series: vec![series("a", 0, &[Some(0.8), None]), series("b", 1, &[Some(0.5), Some(0.2)])],
            unit: Unit::Share,
            reference: None,
        }),
        Plot::Bars(Bars { groups: vec![], series: vec![], unit: Unit::Times, reference: Some(1.0) }),
        Plot::Stacked(Stacked {
            groups: groups.clone(),
            parts: vec![
                series("wrong answer", 2, &[Some(3.0), Some(0.0)]),
                series("timeout", 3, &[None, Some(2.0)]),
            ],
            unit: Unit::Count,
        }),
        Plot::Forest(Forest {
            rows: vec![ForestRow {
                label: "kimi · all · retention 75%".into(),
                value: Value { value: -0.2, ci: Some([-0.6, 0.0]) },
                color: color(1),
            }],
            unit: Unit::Points,
            reference: 0.0,
        }),
        Plot::Scatter(Scatter {
            points: vec![Point {
                label: "a".into(),
                x: 0.0,
                y: Value { value: 0.5, ci: None },
                color: color(0),
            }],
            units: (Unit::Money("USD".into()), Unit::Share),
            titles: ("cost".into(), "score".into()),
            front: vec![0],
        }),
        Plot::Lines(Lines {
            xs: vec!["4k".into(), "8k".into()],
            series: vec![series("a", 0, &[Some(1.0), Some(0.5)])],
            unit: Unit::Share,
            titles: ("length".into(), "score".into()),
            reference: Some(0.85),
        }),
        Plot::Ecdf(Ecdf {
            series: vec![Curve {
                name: "a".into(),
                color: color(0),
                points: vec![(0.0, 0.5), (1200.0, 1.0)],
            }],
            unit: Unit::Ms,
            title: "latency".into(),
        }),
        Plot::Heatmap(Heatmap {
            xs: vec!["4k".into()],
            ys: vec!["0%".into(), "50%".into()],
            cells: vec![vec![Some(1.0)], vec![None]],
            titles: ("length".into(), "depth".into()),
        }),
    ]
}

#[test]
fn every_shape_draws_as_svg_with_its_title_and_labels_escaped() {
    for (i, plot) in plots().into_iter().enumerate() {
        let chart = Chart {
            id: format!("c{i}"),
            section: "s",
            title: format!("Chart <{i}>"),
            note: String::new(),
            plot,
        };
        let svg = svg(&chart).unwrap_or_else(|e| panic!("{e}"));
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"), "chart {i}");
        assert!(svg.contains(&format!("Chart &lt;{i}&gt;")), "chart {i}: the title, escaped");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "chart {i}: {svg}");
        if i == 0 {
            assert!(svg.contains("support &amp; &lt;billing&gt;"), "group labels escaped");
            assert!(svg.contains(">80%<") || svg.contains("80%"), "share ticks as percentages");
        }
    }
}

#[test]
fn every_shape_draws_as_png() {
    let dir = tempfile::tempdir().unwrap();
    for (i, plot) in plots().into_iter().enumerate() {
        let chart = Chart { id: format!("c{i}"), section: "s", title: "t".into(), note: String::new(), plot };
        let path = dir.path().join(format!("c{i}.png"));
        png(&chart, &path).unwrap_or_else(|e| panic!("{e}"));
        assert!(std::fs::read(&path).unwrap().starts_with(b"\x89PNG"), "chart {i}");
    }
}

#[test]
fn units_read_as_people_write_them() {
    assert_eq!(Unit::Share.format(0.875), "88%");
    assert_eq!(Unit::Points.format(-0.2), "-20 pt");
    assert_eq!(
        (Unit::Points.format(-0.001), Unit::Points.format(0.1)),
        ("0 pt".to_string(), "+10 pt".to_string())
    );
    assert_eq!(Unit::Times.format(1.25), "1.2×");
    assert_eq!(
        (Unit::Ms.format(850.0), Unit::Ms.format(12_500.0)),
        ("850 ms".to_string(), "12.5 s".to_string())
    );
    assert_eq!(Unit::Money("USD".into()).format(0.0012), "0.0012 USD");
}
