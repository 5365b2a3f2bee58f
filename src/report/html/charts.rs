//! Which charts a run gets: one function per chart, each filling a plot shape from the summary (or,
//! for distributions and grids the summary does not hold, from the run view), and `None` when the
//! run has nothing to show in it. A chart of a new summary field is a function of a few lines built
//! on [`by_provider`].

use std::collections::{BTreeMap, BTreeSet};

use super::draw::{
    Bars, Chart, Curve, Ecdf, Forest, ForestRow, Heatmap, Lines, Plot, Point, RGBColor, Scatter, Series,
    Stacked, Unit, Value, color,
};
use crate::analysis::{Comparison, RunView, Summary};
use crate::report::format::{length, pct};
use crate::report::outcome::Fate;

/// Every chart of the run, in page order.
pub fn charts(view: &RunView, summary: &Summary) -> Vec<Chart> {
    let colors = Colors::of(summary);
    let mut out: Vec<Chart> = [
        score_by_suite(summary, &colors),
        score_by_category(summary, &colors),
        against_baseline(summary, &colors),
        cost_against_score(summary, &colors),
        distribution(view, &colors, Timing::Latency),
        distribution(view, &colors, Timing::Ttft),
        context_by_length(summary, &colors),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.extend(context_grids(view, summary));
    out.extend(
        [tool_validity(summary, &colors), tool_calls(summary, &colors), failures(view)].into_iter().flatten(),
    );
    out
}

/// Each provider's colour, by its place in the run.
struct Colors(Vec<String>);

impl Colors {
    fn of(summary: &Summary) -> Colors {
        Colors(summary.providers.iter().map(|p| p.name.clone()).collect())
    }

    fn of_provider(&self, name: &str) -> RGBColor {
        color(self.0.iter().position(|p| p == name).unwrap_or(self.0.len()))
    }
}

/// Items grouped by `group` (groups in first-seen order), one series per provider of the run (those
/// with at least one value), each item's value from `value`.
fn by_provider<T>(
    items: &[T],
    colors: &Colors,
    group: impl Fn(&T) -> String,
    provider: impl Fn(&T) -> &str,
    value: impl Fn(&T) -> Option<Value>,
) -> (Vec<String>, Vec<Series>) {
    let mut groups: Vec<String> = Vec::new();
    for item in items {
        let g = group(item);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let series = colors
        .0
        .iter()
        .map(|name| {
            let mut values = vec![None; groups.len()];
            for item in items.iter().filter(|i| provider(i) == name) {
                if let Some(slot) = groups.iter().position(|g| *g == group(item)) {
                    values[slot] = value(item);
                }
            }
            Series { name: name.clone(), color: colors.of_provider(name), values }
        })
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect();
    (groups, series)
}

fn score(score: f64, ci95: [f64; 2], scored: usize) -> Option<Value> {
    (scored > 0).then_some(Value { value: score, ci: Some(ci95) })
}

fn score_by_suite(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let (groups, series) = by_provider(
        &summary.suites,
        colors,
        |s| if s.family == s.suite { s.suite.clone() } else { format!("{} ({})", s.suite, s.family) },
        |s| &s.provider,
        |s| score(s.score, s.ci95, s.scored),
    );
    (!series.is_empty()).then(|| Chart {
        id: "score-by-suite".into(),
        section: "Scores",
        title: "Score by suite".into(),
        note: "Mean task score of each provider on each suite (family in brackets); whiskers are 95% confidence intervals.".into(),
        plot: Plot::Bars(Bars { groups, series, unit: Unit::Share, reference: None }),
    })
}

fn score_by_category(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let (groups, series) = by_provider(
        &summary.categories,
        colors,
        |c| c.category.clone(),
        |c| &c.provider,
        |c| score(c.score, c.ci95, c.scored),
    );
    (!series.is_empty()).then(|| Chart {
        id: "score-by-category".into(),
        section: "Scores",
        title: "Score by category".into(),
        note: "Mean task score by task category, across suites; whiskers are 95% confidence intervals."
            .into(),
        plot: Plot::Bars(Bars { groups, series, unit: Unit::Share, reference: None }),
    })
}

fn against_baseline(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let row = |c: &Comparison, what: &str| ForestRow {
        label: format!(
            "{} · {what} · retention {}",
            c.candidate,
            c.retention.map_or_else(|| "—".to_string(), pct)
        ),
        value: Value { value: c.diff, ci: Some(c.ci95) },
        color: colors.of_provider(&c.candidate),
    };
    let rows: Vec<ForestRow> = summary
        .comparisons
        .iter()
        .filter(|c| c.n_paired > 0)
        .map(|c| row(c, &c.suite))
        .chain(
            summary
                .category_comparisons
                .iter()
                .filter(|c| c.n_paired > 0)
                .map(|c| row(c, c.category.as_deref().unwrap_or("?"))),
        )
        .collect();
    (!rows.is_empty()).then(|| Chart {
        id: "against-baseline".into(),
        section: "Against the baseline",
        title: format!("Against the baseline ({})", summary.baseline),
        note: "Paired difference in score, candidate minus baseline, over the tasks both answered (all of them, by suite, \
               by category), with its 95% bootstrap interval: an interval that crosses 0 is no evidence of a difference. \
               Retention is the candidate's score over the baseline's on those tasks."
            .into(),
        plot: Plot::Forest(Forest { rows, unit: Unit::Points, reference: 0.0 }),
    })
}

fn cost_against_score(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let priced: Vec<_> = summary.providers.iter().filter(|p| p.priced && p.scored > 0).collect();
    if priced.iter().all(|p| p.cost == 0.0) {
        return None;
    }
    let mut by_currency: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &priced {
        *by_currency.entry(&p.currency).or_default() += 1;
    }
    let currency = by_currency.iter().max_by_key(|(_, n)| **n).map(|(c, _)| *c)?;
    let points: Vec<Point> = priced
        .iter()
        .filter(|p| p.currency == currency)
        .map(|p| Point {
            label: p.name.clone(),
            x: p.cost,
            y: Value { value: p.score, ci: Some(p.ci95) },
            color: colors.of_provider(&p.name),
        })
        .collect();
    let left_out = summary.providers.len() - points.len();
    Some(Chart {
        id: "cost-vs-score".into(),
        section: "Cost",
        title: "Cost against score".into(),
        note: format!(
            "The run's cost for each provider against its score (95% CI). Ringed providers are on the Pareto front: no \
             other is both cheaper and better.{}",
            if left_out > 0 {
                format!(
                    " {left_out} provider(s) without a price, or priced in another currency, are left out."
                )
            } else {
                String::new()
            }
        ),
        plot: Plot::Scatter(Scatter {
            front: pareto_front(&points),
            points,
            units: (Unit::Money(currency.to_string()), Unit::Share),
            titles: (format!("cost of the run ({currency})"), "score".into()),
        }),
    })
}

/// Indices of the points no other point beats on both counts (cheaper or as cheap, and better).
pub(super) fn pareto_front(points: &[Point]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        points[a].x.total_cmp(&points[b].x).then(points[b].y.value.total_cmp(&points[a].y.value))
    });
    let mut best = f64::NEG_INFINITY;
    let mut front = Vec::new();
    for i in order {
        if points[i].y.value > best {
            best = points[i].y.value;
            front.push(i);
        }
    }
    front.sort_unstable();
    front
}

#[derive(Clone, Copy)]
enum Timing {
    Latency,
    Ttft,
}

fn distribution(view: &RunView, colors: &Colors, timing: Timing) -> Option<Chart> {
    let mut values: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for row in view.rows.iter().filter(|r| r.error_class.is_none()) {
        let value = match timing {
            Timing::Latency => row.latency_ms,
            Timing::Ttft => row.ttft_ms,
        };
        values.entry(row.provider.number()).or_default().extend(value);
    }
    let series: Vec<Curve> = colors
        .0
        .iter()
        .filter_map(|name| {
            let values = values.remove(&view.find_name(name)?.number()).filter(|v| !v.is_empty())?;
            Some(Curve { name: name.clone(), color: colors.of_provider(name), points: cumulative(values) })
        })
        .collect();
    if series.is_empty() {
        return None;
    }
    let (id, title, what) = match timing {
        Timing::Latency => {
            ("latency", "Latency", "end-to-end latency of each answer (a whole episode for tool tasks)")
        }
        Timing::Ttft => {
            ("ttft", "Time to first token", "time to the first output token of each streamed answer")
        }
    };
    Some(Chart {
        id: id.into(),
        section: "Latency",
        title: format!("{title} distribution"),
        note: format!(
            "The share of answers at or under each time, {what}; further left is faster, a long tail shows as a late rise."
        ),
        plot: Plot::Ecdf(Ecdf {
            series,
            unit: Unit::Ms,
            title: format!("{} (log scale)", title.to_lowercase()),
        }),
    })
}

/// Points of the empirical cumulative distribution of `values`, at most about 200.
pub(super) fn cumulative(mut values: Vec<f64>) -> Vec<(f64, f64)> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let step = n.div_ceil(200).max(1);
    let mut points: Vec<(f64, f64)> = Vec::new();
    for i in (0..n).step_by(step).chain([n - 1]) {
        let point = (values[i], (i + 1) as f64 / n as f64);
        match points.last_mut() {
            // A value seen again: the share at it is the later, higher one.
            Some(last) if last.0 == point.0 => *last = point,
            _ => points.push(point),
        }
    }
    points
}

fn context_by_length(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let contexts: Vec<_> =
        summary.providers.iter().filter_map(|p| p.context.as_ref().map(|c| (p, c))).collect();
    let lengths: BTreeSet<u64> =
        contexts.iter().flat_map(|(_, c)| c.by_length.iter().filter_map(|b| b.length)).collect();
    if lengths.is_empty() {
        return None;
    }
    let lengths: Vec<u64> = lengths.into_iter().collect();
    let series = contexts
        .iter()
        .map(|(p, c)| Series {
            name: format!("{} (effective {})", p.name, c.effective_length.map_or_else(|| "—".into(), length)),
            color: colors.of_provider(&p.name),
            values: lengths
                .iter()
                .map(|l| {
                    c.by_length
                        .iter()
                        .find(|b| b.length == Some(*l))
                        .and_then(|b| score(b.score, b.ci95, b.scored))
                })
                .collect(),
        })
        .collect();
    let threshold = contexts.first().map(|(_, c)| c.threshold);
    Some(Chart {
        id: "context-by-length".into(),
        section: "Long context",
        title: "Long context: score by haystack length".into(),
        note: format!(
            "Mean score at each haystack length (95% CI); tasks beyond a provider's window count as failures. The \
             line is the threshold{}: the effective length is the longest length at or above it, with every shorter one.",
            threshold.map_or_else(String::new, |t| format!(" ({})", pct(t)))
        ),
        plot: Plot::Lines(Lines {
            xs: lengths.iter().map(|&l| length(l)).collect(),
            series,
            unit: Unit::Share,
            titles: ("haystack length (tokens)".into(), "score".into()),
            reference: threshold,
        }),
    })
}

/// One heatmap per provider of the mean score by haystack length and needle depth.
fn context_grids(view: &RunView, summary: &Summary) -> Vec<Chart> {
    let cells = |i: u32| view.tasks.get(i as usize).filter(|t| t.listed).and_then(|t| t.context);
    let lengths: BTreeSet<u64> = (0..view.tasks.len() as u32).filter_map(cells).map(|c| c.length).collect();
    let depths: BTreeSet<u32> =
        (0..view.tasks.len() as u32).filter_map(cells).filter_map(|c| c.depth).collect();
    if lengths.is_empty() {
        return Vec::new();
    }
    let (lengths, depths): (Vec<u64>, Vec<u32>) =
        (lengths.into_iter().collect(), depths.into_iter().collect());
    let mut out = Vec::new();
    for provider in &summary.providers {
        let Some(name) = view.find_name(&provider.name) else { continue };
        let mut sums = vec![vec![(0.0, 0usize); lengths.len()]; depths.len()];
        for row in view.rows.iter().filter(|r| r.provider == name) {
            let Some(cell) = cells(row.task) else { continue };
            let value = match Fate::of(view, row) {
                Fate::Passed | Fate::Failed => row.score.unwrap_or(0.0),
                Fate::ContextExceeded => 0.0,
                _ => continue,
            };
            // Kinds spread through the whole text (`aggregate`) have no depth: not on this map.
            let Some(depth) = cell.depth else { continue };
            let (Ok(d), Ok(l)) = (depths.binary_search(&depth), lengths.binary_search(&cell.length)) else {
                continue;
            };
            sums[d][l].0 += value;
            sums[d][l].1 += 1;
        }
        let grid: Vec<Vec<Option<f64>>> = sums
            .iter()
            .map(|row| row.iter().map(|&(s, n)| (n > 0).then(|| s / n as f64)).collect())
            .collect();
        if grid.iter().flatten().all(Option::is_none) {
            continue;
        }
        out.push(Chart {
            id: format!("context-grid-{}", slug(&provider.name)),
            section: "Long context",
            title: format!("{}: score by length and needle depth", provider.name),
            note: "Mean score in each cell of the grid: haystack length across, needle depth (0%: the start) down. A \
                   red band at some depth is a provider that loses what sits there."
                .into(),
            plot: Plot::Heatmap(Heatmap {
                xs: lengths.iter().map(|&l| length(l)).collect(),
                ys: depths.iter().map(|d| format!("{d}%")).collect(),
                cells: grid,
                titles: ("haystack length (tokens)".into(), "needle depth".into()),
            }),
        });
    }
    out
}

fn tool_validity(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let (groups, series) = by_provider(
        &summary.tool_use,
        colors,
        |t| t.category.clone(),
        |t| &t.provider,
        |t| t.invalid_rate.map(|r| Value { value: 1.0 - r, ci: None }),
    );
    (!series.is_empty()).then(|| Chart {
        id: "tool-call-validity".into(),
        section: "Tool use",
        title: "Valid tool calls".into(),
        note: "Share of tool calls that were valid (well-formed JSON, a known tool, arguments that match its schema), by \
               tool environment."
            .into(),
        plot: Plot::Bars(Bars { groups, series, unit: Unit::Share, reference: None }),
    })
}

fn tool_calls(summary: &Summary, colors: &Colors) -> Option<Chart> {
    let (groups, series) = by_provider(
        &summary.tool_use,
        colors,
        |t| t.category.clone(),
        |t| &t.provider,
        |t| t.calls_over_min.map(|r| Value { value: r, ci: None }),
    );
    (!series.is_empty()).then(|| Chart {
        id: "tool-calls-vs-minimum".into(),
        section: "Tool use",
        title: "Tool calls against the minimum".into(),
        note: "Calls made over the fewest that solve the tasks (1×, the line: no wasted call), by tool environment.".into(),
        plot: Plot::Bars(Bars { groups, series, unit: Unit::Times, reference: Some(1.0) }),
    })
}

/// Colours of the failure classes: capability failures warm, infrastructure ones cool.
const WRONG: RGBColor = RGBColor(225, 87, 89);
const EXCEEDED: RGBColor = RGBColor(242, 142, 43);
const INFRA: [RGBColor; 6] = [
    RGBColor(78, 121, 167),
    RGBColor(118, 183, 178),
    RGBColor(156, 117, 95),
    RGBColor(176, 122, 161),
    RGBColor(186, 176, 172),
    RGBColor(89, 161, 79),
];

/// Answers that did not pass, by provider and class: wrong answers and windows exceeded (capability),
/// then each infrastructure class.
fn failures(view: &RunView) -> Option<Chart> {
    let providers: Vec<&str> = view.manifest.providers.iter().map(|p| p.name.as_str()).collect();
    let mut counts: BTreeMap<(String, usize), f64> = BTreeMap::new();
    let mut classes: BTreeSet<String> = BTreeSet::new();
    for row in &view.rows {
        let Some(p) = providers.iter().position(|p| *p == view.name(row.provider)) else { continue };
        let class = match Fate::of(view, row) {
            Fate::Failed => "wrong answer".to_string(),
            Fate::ContextExceeded => "context exceeded".to_string(),
            Fate::InfraError | Fate::ScorerError => Fate::class(view, row).unwrap_or("unknown").to_string(),
            Fate::Passed | Fate::Unscored => continue,
        };
        classes.insert(class.clone());
        *counts.entry((class, p)).or_default() += 1.0;
    }
    if classes.is_empty() {
        return None;
    }
    let capability = ["wrong answer", "context exceeded"];
    let order = capability
        .iter()
        .map(|c| c.to_string())
        .filter(|c| classes.contains(c))
        .chain(classes.iter().filter(|c| !capability.contains(&c.as_str())).cloned());
    let parts = order
        .enumerate()
        .map(|(i, class)| Series {
            color: match class.as_str() {
                "wrong answer" => WRONG,
                "context exceeded" => EXCEEDED,
                _ => INFRA[i % INFRA.len()],
            },
            values: (0..providers.len())
                .map(|p| counts.get(&(class.clone(), p)).map(|&n| Value { value: n, ci: None }))
                .collect(),
            name: class,
        })
        .collect();
    Some(Chart {
        id: "failures".into(),
        section: "Failures",
        title: "Answers that did not pass, by class".into(),
        note: "Wrong answers and prompts beyond the context window are the model's; the other classes are \
               infrastructure failures (rate limits, timeouts, server errors, cut streams, scorer errors), lost after \
               every retry and never scored as wrong."
            .into(),
        plot: Plot::Stacked(Stacked { groups: providers.iter().map(|p| p.to_string()).collect(), parts, unit: Unit::Count }),
    })
}

/// `text` as an id: lower-case letters and digits, other runs of characters as one dash.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}
