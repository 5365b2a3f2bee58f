//! Charts over two numeric or ordered axes: labelled points with a front, lines over categories,
//! cumulative distributions on a log axis, and heatmaps.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Drawn, Ecdf, Heatmap, Lines, Scatter, Slots, Unit, extent, label_style, legend, slot_label, span,
};

/// Labelled points; the front's points ringed and joined by a step line (the best y at each x or less).
pub(super) fn scatter<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &Scatter) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (_, x_hi) = span(s.points.iter().map(|p| p.x));
    let x_hi = if x_hi < 1e-6 { 1.0 } else { x_hi };
    let (y_lo, y_hi) = match s.units.1 {
        Unit::Share => (0.0, 1.0),
        _ => span(s.points.iter().flat_map(|p| extent(&p.y))),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..x_hi * 1.15, y_lo..y_hi)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .x_desc(&s.titles.0)
        .y_desc(&s.titles.1)
        .x_label_formatter(&|x| s.units.0.format(*x))
        .y_label_formatter(&|y| s.units.1.format(*y))
        .draw()?;
    let mut front: Vec<(f64, f64)> =
        s.front.iter().filter_map(|&i| s.points.get(i)).map(|p| (p.x, p.y.value)).collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut steps = Vec::new();
    for (i, &(x, y)) in front.iter().enumerate() {
        if i > 0 {
            steps.push((x, front[i - 1].1));
        }
        steps.push((x, y));
    }
    if let Some(&(_, last)) = front.last() {
        steps.push((x_hi * 1.15, last));
    }
    chart.draw_series(std::iter::once(PathElement::new(steps, BLACK.mix(0.45).stroke_width(2))))?;
    for (i, p) in s.points.iter().enumerate() {
        if let Some(ci) = p.y.ci {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(p.x, ci[0]), (p.x, ci[1])],
                p.color.mix(0.7).stroke_width(2),
            )))?;
        }
        if s.front.contains(&i) {
            chart.draw_series(std::iter::once(Circle::new((p.x, p.y.value), 9, BLACK.stroke_width(2))))?;
        }
        chart.draw_series(std::iter::once(
            EmptyElement::at((p.x, p.y.value))
                + Circle::new((0, 0), 6, p.color.filled())
                + Text::new(p.label.clone(), (11, -16), label_style()),
        ))?;
    }
    Ok(())
}

/// One line per series over the categories, dots at values, CIs as whiskers.
pub(super) fn lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, l: &Lines) -> Drawn
where
    DB::ErrorType: 'static,
{
    let names: Vec<(&str, RGBColor)> = l.series.iter().map(|s| (s.name.as_str(), s.color)).collect();
    let area = legend(area, &names)?;
    let n = l.xs.len().max(1);
    let (lo, hi) = match l.unit {
        Unit::Share => (0.0, 1.0),
        _ => span(l.series.iter().flat_map(|s| s.values.iter().flatten().flat_map(extent))),
    };
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(16)
        .margin_bottom(8)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(Slots(n), lo..hi)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .x_desc(&l.titles.0)
        .y_desc(&l.titles.1)
        .x_label_formatter(&|x| slot_label(&l.xs, *x, 12))
        .y_label_formatter(&|y| l.unit.format(*y))
        .draw()?;
    if let Some(level) = l.reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, level), (n as f64, level)],
            BLACK.mix(0.5).stroke_width(1),
        )))?;
    }
    let series_count = l.series.len().max(1) as f64;
    for (s, series) in l.series.iter().enumerate() {
        // Series side by side within a slot, so that their whiskers do not hide each other.
        let x = |i: usize| i as f64 + 0.5 + (s as f64 - (series_count - 1.0) / 2.0) * 0.06;
        let points: Vec<(usize, super::Value)> =
            series.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
        chart.draw_series(LineSeries::new(
            points.iter().map(|&(i, v)| (x(i), v.value)),
            series.color.stroke_width(2),
        ))?;
        for &(i, v) in &points {
            if let Some(ci) = v.ci {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x(i), ci[0]), (x(i), ci[1])],
                    series.color.mix(0.6).stroke_width(2),
                )))?;
            }
        }
        chart.draw_series(
            points.iter().map(|&(i, v)| Circle::new((x(i), v.value), 4, series.color.filled())),
        )?;
    }
    Ok(())
}

/// Cumulative distributions on a log x axis.
pub(super) fn ecdf<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &Ecdf) -> Drawn
where
    DB::ErrorType: 'static,
{
    let names: Vec<(&str, RGBColor)> = e.series.iter().map(|s| (s.name.as_str(), s.color)).collect();
    let area = legend(area, &names)?;
    let xs = || e.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let lo = xs().fold(f64::INFINITY, f64::min).max(0.1);
    let hi = xs().fold(0.0f64, f64::max).max(lo * 10.0);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(20)
        .margin_bottom(8)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((lo * 0.8..hi * 1.25).log_scale(), 0.0..1.0)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .x_desc(&e.title)
        .y_desc("share of answers at or under")
        .x_label_formatter(&|x| e.unit.format(*x))
        .y_label_formatter(&|y| Unit::Share.format(*y))
        .draw()?;
    for curve in &e.series {
        let points = curve.points.iter().map(|&(x, y)| (x.max(lo), y));
        chart.draw_series(LineSeries::new(points, curve.color.stroke_width(2)))?;
    }
    Ok(())
}

/// A grid of shares, red (0) through yellow to green (1), each cell labelled; empty cells grey.
pub(super) fn heatmap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, h: &Heatmap) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (cols, rows) = (h.xs.len().max(1), h.ys.len().max(1));
    // Row 0 is drawn on top.
    let labels: Vec<String> = h.ys.iter().rev().cloned().collect();
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(Slots(cols), Slots(rows))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(label_style())
        .x_desc(&h.titles.0)
        .y_desc(&h.titles.1)
        .x_label_formatter(&|x| slot_label(&h.xs, *x, 12))
        .y_label_formatter(&|y| slot_label(&labels, *y, 12))
        .draw()?;
    let centred = label_style().pos(Pos::new(HPos::Center, VPos::Center));
    for (r, row) in h.cells.iter().enumerate() {
        let y = (rows - 1 - r) as f64;
        for (c, cell) in row.iter().enumerate() {
            let x = c as f64;
            let fill = cell.map_or(RGBColor(230, 230, 230), shade);
            chart
                .draw_series(std::iter::once(Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.filled())))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                WHITE.stroke_width(2),
            )))?;
            let text = cell.map_or_else(|| "—".to_string(), |v| Unit::Share.format(v));
            chart.draw_series(std::iter::once(Text::new(text, (x + 0.5, y + 0.5), centred.clone())))?;
        }
    }
    Ok(())
}

/// The colour of a share: red at 0, yellow at 0.5, green at 1.
fn shade(v: f64) -> RGBColor {
    const RED: (f64, f64, f64) = (215.0, 48.0, 39.0);
    const YELLOW: (f64, f64, f64) = (254.0, 224.0, 139.0);
    const GREEN: (f64, f64, f64) = (26.0, 152.0, 80.0);
    let v = v.clamp(0.0, 1.0);
    let (from, to, t) = if v < 0.5 { (RED, YELLOW, v * 2.0) } else { (YELLOW, GREEN, v * 2.0 - 1.0) };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}
