//! Charts as data, drawn with plotters: a [`Chart`] says what to show (bars, a forest of intervals, a
//! scatter, lines, distributions, a heatmap), and [`svg`] and [`png`] draw it on the SVG backend (for
//! the HTML report, inline) or the bitmap backend (for slides). Text is measured and, in PNGs, drawn
//! with a font embedded in the binary, so no system font library is needed.
//!
//! A new chart is a function that fills one of the plot shapes from the summary; drawing is shared.

mod bars;
mod xy;

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

pub use plotters::style::RGBColor;

/// A drawing's result: plotters' errors, whatever the backend, boxed.
type Drawn = Result<(), Box<dyn Error>>;

/// One chart of the report.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Anchor in the page and PNG file name: lower case, digits and dashes.
    pub id: String,
    /// The page section it belongs to.
    pub section: &'static str,
    /// Title, drawn above the chart.
    pub title: String,
    /// What the chart shows and how to read it, shown under it in the page.
    pub note: String,
    /// What to draw.
    pub plot: Plot,
}

/// The shapes a chart can take.
#[derive(Debug, Clone)]
pub enum Plot {
    /// Bars by group, one per series, with optional CIs.
    Bars(Bars),
    /// Bars of parts stacked, one bar per group.
    Stacked(Stacked),
    /// Intervals on one axis, one row each (paired differences).
    Forest(Forest),
    /// Labelled points with a front marked (cost against score).
    Scatter(Scatter),
    /// Lines over ordered categories, one per series, with optional CIs.
    Lines(Lines),
    /// Cumulative distributions on a log axis.
    Ecdf(Ecdf),
    /// Values on a grid.
    Heatmap(Heatmap),
}

/// How a value reads on an axis.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A fraction, shown as a percentage.
    Share,
    /// A difference of fractions, in percentage points.
    Points,
    /// A ratio, `1.5×`.
    Times,
    /// Milliseconds.
    Ms,
    /// An amount of money in this currency.
    Money(String),
    /// A count.
    Count,
}

impl Unit {
    /// `x` as a tick label.
    pub fn format(&self, x: f64) -> String {
        match self {
            Unit::Share => format!("{:.0}%", x * 100.0),
            Unit::Points => match (x * 100.0).round() {
                0.0 => "0 pt".into(),
                points => format!("{points:+.0} pt"),
            },
            Unit::Times => format!("{x:.1}×"),
            Unit::Ms if x >= 1000.0 => format!("{:.1} s", x / 1000.0),
            Unit::Ms => format!("{x:.0} ms"),
            Unit::Money(currency) if x == 0.0 => format!("0 {currency}"),
            Unit::Money(currency) if x.abs() < 0.01 => format!("{x:.4} {currency}"),
            Unit::Money(currency) => format!("{x:.2} {currency}"),
            Unit::Count => format!("{x:.0}"),
        }
    }
}

/// One bar or point, with its 95% CI when it has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    /// The figure.
    pub value: f64,
    /// Its 95% confidence interval.
    pub ci: Option<[f64; 2]>,
}

/// A named, coloured list of values, one per group (or x position); `None` where it has none.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Its colour.
    pub color: RGBColor,
    /// One value per group.
    pub values: Vec<Option<Value>>,
}

/// Grouped bars.
#[derive(Debug, Clone)]
pub struct Bars {
    /// Group labels along the x axis.
    pub groups: Vec<String>,
    /// One bar per group each.
    pub series: Vec<Series>,
    /// The values' unit.
    pub unit: Unit,
    /// A level to draw across (1.0 for a ratio to the minimum).
    pub reference: Option<f64>,
}

/// Stacked bars: one bar per group, one segment per part.
#[derive(Debug, Clone)]
pub struct Stacked {
    /// One bar each.
    pub groups: Vec<String>,
    /// Segments, bottom first; their values are one per group.
    pub parts: Vec<Series>,
    /// The values' unit.
    pub unit: Unit,
}

/// Intervals, one row each, against a reference line.
#[derive(Debug, Clone)]
pub struct Forest {
    /// Rows, top first.
    pub rows: Vec<ForestRow>,
    /// The values' unit.
    pub unit: Unit,
    /// The value of no difference.
    pub reference: f64,
}

/// One interval of a [`Forest`].
#[derive(Debug, Clone)]
pub struct ForestRow {
    /// What it is, left of the axis.
    pub label: String,
    /// The estimate and its CI.
    pub value: Value,
    /// Its colour.
    pub color: RGBColor,
}

/// Labelled points.
#[derive(Debug, Clone)]
pub struct Scatter {
    /// The points.
    pub points: Vec<Point>,
    /// Units of x and y.
    pub units: (Unit, Unit),
    /// Axis titles.
    pub titles: (String, String),
    /// Indices of the points on the front, drawn joined.
    pub front: Vec<usize>,
}

/// One point of a [`Scatter`].
#[derive(Debug, Clone)]
pub struct Point {
    /// Its label.
    pub label: String,
    /// Position on x.
    pub x: f64,
    /// Position on y, with a CI.
    pub y: Value,
    /// Its colour.
    pub color: RGBColor,
}

/// Lines over ordered categories (haystack lengths).
#[derive(Debug, Clone)]
pub struct Lines {
    /// The categories along x, in order.
    pub xs: Vec<String>,
    /// One line each, a value per category.
    pub series: Vec<Series>,
    /// Units of the values.
    pub unit: Unit,
    /// Axis titles.
    pub titles: (String, String),
    /// A level to draw across (a threshold).
    pub reference: Option<f64>,
}

/// Cumulative distributions: for each series, the share of values at or under x.
#[derive(Debug, Clone)]
pub struct Ecdf {
    /// One curve each.
    pub series: Vec<Curve>,
    /// Unit of x (drawn on a log axis).
    pub unit: Unit,
    /// Title of x.
    pub title: String,
}

/// One distribution: (value, share at or under it), by increasing value.
#[derive(Debug, Clone)]
pub struct Curve {
    /// Legend name.
    pub name: String,
    /// Its colour.
    pub color: RGBColor,
    /// The curve's points.
    pub points: Vec<(f64, f64)>,
}

/// Values on a grid, coloured from red (0) through yellow to green (1).
#[derive(Debug, Clone)]
pub struct Heatmap {
    /// Column labels.
    pub xs: Vec<String>,
    /// Row labels, top first.
    pub ys: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Option<f64>>>,
    /// Axis titles.
    pub titles: (String, String),
}

/// Colours of series (providers, in the run's order): Tableau 10.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

/// The `i`th colour of the palette, cycling.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Width of every chart, in pixels.
const WIDTH: u32 = 760;

impl Chart {
    /// Size in pixels: the width is fixed, the height fits the rows.
    pub fn size(&self) -> (u32, u32) {
        let rows = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).saturating_mul(26);
        let height = match &self.plot {
            Plot::Forest(f) => 110 + rows(f.rows.len()),
            Plot::Heatmap(h) => 130 + rows(h.ys.len()).saturating_add(rows(h.ys.len()) / 2),
            _ => 380,
        };
        (WIDTH, height.min(4000))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let area = root.titled(&self.title, ("sans-serif", 18).into_font().color(&BLACK))?;
        match &self.plot {
            Plot::Bars(b) => bars::grouped(&area, b),
            Plot::Stacked(s) => bars::stacked(&area, s),
            Plot::Forest(f) => bars::forest(&area, f),
            Plot::Scatter(s) => xy::scatter(&area, s),
            Plot::Lines(l) => xy::lines(&area, l),
            Plot::Ecdf(e) => xy::ecdf(&area, e),
            Plot::Heatmap(h) => xy::heatmap(&area, h),
        }
    }
}

/// The chart as an SVG document (no XML declaration: it goes inline into HTML).
pub fn svg(chart: &Chart) -> Result<String, String> {
    super::font::register()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, chart.size()).into_drawing_area();
        chart.draw(&root).map_err(|e| format!("chart `{}`: {e}", chart.id))?;
        root.present().map_err(|e| format!("chart `{}`: {e}", chart.id))?;
    }
    Ok(out)
}

/// Draw the chart into a PNG file at `path`.
pub fn png(chart: &Chart, path: &Path) -> Result<(), String> {
    super::font::register()?;
    let root = BitMapBackend::new(path, chart.size()).into_drawing_area();
    chart.draw(&root).map_err(|e| format!("{}: {e}", path.display()))?;
    root.present().map_err(|e| format!("{}: {e}", path.display()))
}

/// A row of coloured squares and names across the top of `area`; the area below it.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(&str, RGBColor)],
) -> Result<DrawingArea<DB, Shift>, Box<dyn Error>>
where
    DB::ErrorType: 'static,
{
    let (top, rest) = area.split_vertically(26);
    let style = label_style();
    let mut x = 64;
    for (name, color) in items {
        top.draw(&Rectangle::new([(x, 6), (x + 12, 18)], color.filled()))?;
        top.draw_text(name, &style, (x + 17, 5))?;
        let (w, _) = top.estimate_text_size(name, &style)?;
        x += 17 + i32::try_from(w).unwrap_or(0) + 20;
    }
    Ok(rest)
}

/// The style of axis labels and legends.
fn label_style() -> TextStyle<'static> {
    ("sans-serif", 13).into_font().color(&BLACK)
}

/// The label of the category whose slot holds `x` (slots are one wide, from 0), cut to `max` characters.
fn slot_label(labels: &[String], x: f64, max: usize) -> String {
    if x < 0.0 {
        return String::new();
    }
    labels.get(x.floor() as usize).map_or_else(String::new, |l| crate::core::excerpt(l, max))
}

/// An axis of categories: `n` slots one wide from 0, ticked and labelled at their centres.
#[derive(Debug, Clone, Copy)]
struct Slots(usize);

impl Ranged for Slots {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = value / self.0.max(1) as f64;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.0).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.0.max(1) as f64
    }
}

/// The low and high ends of an axis holding `values` (and 0), padded by a tenth.
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((hi - lo) * 0.1).max(1e-9);
    (if lo < 0.0 { lo - pad } else { 0.0 }, if hi > 0.0 { hi + pad } else { pad })
}

/// Every number of a value: the figure and its CI ends.
fn extent(value: &Value) -> impl Iterator<Item = f64> {
    std::iter::once(value.value).chain(value.ci.into_iter().flatten())
}

/// An error bar at `x` from `ci[0]` to `ci[1]` with caps `cap` wide on each side (vertical), in data
/// coordinates.
fn whisker(x: f64, ci: [f64; 2], cap: f64) -> PathElement<(f64, f64)> {
    let [lo, hi] = ci;
    PathElement::new(
        vec![(x - cap, lo), (x + cap, lo), (x, lo), (x, hi), (x - cap, hi), (x + cap, hi)],
        BLACK.mix(0.75).stroke_width(1),
    )
}

#[cfg(test)]
mod tests;
