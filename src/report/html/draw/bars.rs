//! Bars (grouped, with CIs), stacked bars, and forests of intervals.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Bars, Drawn, Forest, Slots, Stacked, extent, label_style, legend, slot_label, span, whisker};

/// Characters of a group label under a bar.
const GROUP_LABEL: usize = 22;

/// Grouped bars: groups along x, one bar per series in each, CIs as whiskers.
pub(super) fn grouped<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, b: &Bars) -> Drawn
where
    DB::ErrorType: 'static,
{
    let names: Vec<(&str, RGBColor)> = b.series.iter().map(|s| (s.name.as_str(), s.color)).collect();
    let area = legend(area, &names)?;
    let n = b.groups.len().max(1);
    let values = b.series.iter().flat_map(|s| s.values.iter().flatten().flat_map(extent));
    let (lo, hi) = match b.unit {
        super::Unit::Share => (0.0, 1.0),
        _ => span(values.chain(b.reference)),
    };
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(16)
        .margin_bottom(8)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(Slots(n), lo..hi)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .x_label_formatter(&|x| slot_label(&b.groups, *x, GROUP_LABEL))
        .y_label_formatter(&|y| b.unit.format(*y))
        .y_labels(6)
        .draw()?;
    let k = b.series.len().max(1) as f64;
    let width = 0.8 / k;
    for (s, series) in b.series.iter().enumerate() {
        let left = |i: usize| i as f64 + 0.1 + s as f64 * width;
        let present = || series.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v)));
        chart.draw_series(present().map(|(i, v)| {
            Rectangle::new(
                [(left(i) + width * 0.06, lo.max(0.0)), (left(i) + width * 0.94, v.value)],
                series.color.filled(),
            )
        }))?;
        chart.draw_series(
            present().filter_map(|(i, v)| v.ci.map(|ci| whisker(left(i) + width / 2.0, ci, width * 0.18))),
        )?;
    }
    if let Some(level) = b.reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, level), (n as f64, level)],
            BLACK.mix(0.6).stroke_width(1),
        )))?;
    }
    Ok(())
}

/// Stacked bars: one per group, parts bottom first.
pub(super) fn stacked<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &Stacked) -> Drawn
where
    DB::ErrorType: 'static,
{
    let names: Vec<(&str, RGBColor)> = s.parts.iter().map(|p| (p.name.as_str(), p.color)).collect();
    let area = legend(area, &names)?;
    let n = s.groups.len().max(1);
    let totals: Vec<f64> = (0..n)
        .map(|i| s.parts.iter().filter_map(|p| p.values.get(i).copied().flatten()).map(|v| v.value).sum())
        .collect();
    let (_, hi) = span(totals.iter().copied());
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(16)
        .margin_bottom(8)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(Slots(n), 0.0..hi)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .x_label_formatter(&|x| slot_label(&s.groups, *x, GROUP_LABEL))
        .y_label_formatter(&|y| s.unit.format(*y))
        .y_labels(6)
        .draw()?;
    let mut base = vec![0.0; n];
    for part in &s.parts {
        let mut segments = Vec::new();
        for (i, bottom) in base.iter_mut().enumerate() {
            let Some(v) = part.values.get(i).copied().flatten().filter(|v| v.value > 0.0) else { continue };
            let x = i as f64;
            segments.push(Rectangle::new(
                [(x + 0.25, *bottom), (x + 0.75, *bottom + v.value)],
                part.color.filled(),
            ));
            *bottom += v.value;
        }
        chart.draw_series(segments)?;
    }
    Ok(())
}

/// A forest: one interval per row (a dot and its CI), the reference as a vertical line.
pub(super) fn forest<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, f: &Forest) -> Drawn
where
    DB::ErrorType: 'static,
{
    let n = f.rows.len().max(1);
    let (lo, hi) = span(f.rows.iter().flat_map(|r| extent(&r.value)).chain([f.reference]));
    // At least ten points either side of the reference, so that no difference at all still reads.
    let (lo, hi) = (lo.min(f.reference - 0.1), hi.max(f.reference + 0.1));
    let style = label_style();
    let widest = f
        .rows
        .iter()
        .map(|r| area.estimate_text_size(&r.label, &style).map(|(w, _)| w))
        .try_fold(0, |m, w| w.map(|w| m.max(w)))?;
    let (width, _) = area.dim_in_pixel();
    let label_area = (widest + 16).min(width * 45 / 100);
    // Row i sits in slot n - 1 - i, so the first row is on top.
    let labels: Vec<String> = f.rows.iter().rev().map(|r| r.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(20)
        .margin_top(8)
        .margin_bottom(8)
        .x_label_area_size(30)
        .y_label_area_size(label_area)
        .build_cartesian_2d(lo..hi, Slots(n))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .label_style(label_style())
        .y_label_formatter(&|y| slot_label(&labels, *y, 60))
        .x_label_formatter(&|x| f.unit.format(*x))
        .x_labels(7)
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(f.reference, 0.0), (f.reference, n as f64)],
        BLACK.mix(0.6).stroke_width(1),
    )))?;
    for (i, row) in f.rows.iter().enumerate() {
        let y = (n - 1 - i) as f64 + 0.5;
        if let Some([a, b]) = row.value.ci {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(a, y - 0.15), (a, y + 0.15), (a, y), (b, y), (b, y - 0.15), (b, y + 0.15)],
                row.color.stroke_width(2),
            )))?;
        }
        chart.draw_series(std::iter::once(Circle::new((row.value.value, y), 5, row.color.filled())))?;
    }
    Ok(())
}
