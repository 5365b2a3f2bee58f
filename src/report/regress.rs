//! `bench regress` for people: a table for the terminal and Markdown for a pull request or a chat
//! message, each naming the regressions (provider, suite, what moved and by how much), the drift
//! warnings and the thresholds applied. Pure functions of the [`Regress`] verdict.

use comfy_table::Cell;

use super::format::{ci, ms, p_value, pct, points};
use super::layout::{Column, Layout, Rendered, fit, wrap_text};
use crate::analysis::regress::{Breach, Check, Metric, Regress, RegressRun};

/// The headers of the check table, shared by both formats.
const HEADERS: [&str; 10] = [
    "provider",
    "suite",
    "tasks",
    "score before → after",
    "Δ [95% CI]",
    "p (Holm)",
    "cost / answer",
    "latency p95",
    "error rate",
    "verdict",
];

/// Provider, suite, Δ and the verdict always; tasks, latency, cost, the scores, p (Holm), then the
/// error rate hidden first.
const COLUMNS: [Column; 10] = [
    Column { header: HEADERS[0], hide_rank: 0 },
    Column { header: HEADERS[1], hide_rank: 0 },
    Column { header: HEADERS[2], hide_rank: 6 },
    Column { header: HEADERS[3], hide_rank: 3 },
    Column { header: HEADERS[4], hide_rank: 0 },
    Column { header: HEADERS[5], hide_rank: 2 },
    Column { header: HEADERS[6], hide_rank: 4 },
    Column { header: HEADERS[7], hide_rank: 5 },
    Column { header: HEADERS[8], hide_rank: 1 },
    Column { header: HEADERS[9], hide_rank: 0 },
];

/// What a metric is called in a sentence.
fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Score => "score",
        Metric::Cost => "cost",
        Metric::LatencyP95 => "latency p95",
        Metric::ErrorRate => "error rate",
    }
}

/// `before → after (change)`, or "—" when either side is missing.
fn moved(
    before: Option<f64>,
    after: Option<f64>,
    show: &dyn Fn(f64) -> String,
    change: &dyn Fn(f64, f64) -> String,
) -> String {
    match (before, after) {
        (Some(a), Some(b)) => format!("{} → {} ({})", show(a), show(b), change(a, b)),
        _ => "—".into(),
    }
}

fn relative(a: f64, b: f64) -> String {
    crate::config::relative_change(a, b).map_or_else(|| "—".into(), |r| format!("{:+.1}%", r * 100.0))
}

fn cells(c: &Check) -> [String; 10] {
    let paired = c.change.n_paired > 0;
    let dash = || "—".to_string();
    let mut tasks = c.change.n_paired.to_string();
    if c.change.changed > 0 {
        tasks.push_str(&format!(" ({} changed, left out)", c.change.changed));
    }
    let cost = match &c.currency {
        Some(currency) => {
            moved(c.before.cost_per_answer(), c.after.cost_per_answer(), &|x| money(x, currency), &relative)
        }
        None => dash(),
    };
    let verdict = if c.regressions.is_empty() {
        "ok".to_string()
    } else {
        let what: Vec<&str> = c.regressions.iter().map(|b| metric_name(b.metric)).collect();
        format!("REGRESSION: {}", what.join(", "))
    };
    [
        c.change.provider.clone(),
        c.change.suite.clone(),
        tasks,
        if paired {
            format!("{} → {}", pct(c.change.score_before), pct(c.change.score_after))
        } else {
            dash()
        },
        if paired { format!("{} {}", points(c.change.diff), ci(c.change.ci95)) } else { dash() },
        if paired { p_value(c.change.p_holm) } else { dash() },
        cost,
        moved(c.before.latency_p95_ms, c.after.latency_p95_ms, &ms, &relative),
        moved(c.before.error_rate(), c.after.error_rate(), &pct, &|a, b| points(b - a)),
        verdict,
    ]
}

/// One broken threshold, said with its size: `kimi · nightly: score dropped 95.0% → 70.0% (...)`.
pub fn breach_line(c: &Check, b: &Breach) -> String {
    let at = format!("{} · {}", c.change.provider, c.change.suite);
    let share = |x: f64| format!("{:+.1}%", x * 100.0);
    match b.metric {
        Metric::Score => format!(
            "{at}: score dropped {} → {} ({} {} over {} tasks, p (Holm) {}; a drop of at most {} passes){}",
            pct(b.before),
            pct(b.after),
            points(b.change),
            ci(c.change.ci95),
            c.change.n_paired,
            p_value(c.change.p_holm),
            points(-b.limit).trim_start_matches('+'),
            now_failing(&c.change.pass_to_fail),
        ),
        Metric::Cost => {
            let currency = c.currency.as_deref().unwrap_or("");
            format!(
                "{at}: cost per answer rose {} → {} ({}; at most {} passes)",
                money(b.before, currency),
                money(b.after, currency),
                share(b.change),
                share(b.limit),
            )
        }
        Metric::LatencyP95 => format!(
            "{at}: latency p95 rose {} → {} ({}; at most {} passes)",
            ms(b.before),
            ms(b.after),
            share(b.change),
            share(b.limit),
        ),
        Metric::ErrorRate => format!(
            "{at}: infrastructure error rate rose {} → {} ({}; at most {} passes)",
            pct(b.before),
            pct(b.after),
            points(b.change),
            points(b.limit),
        ),
    }
}

/// `; now failing: q3, q7, … (12 tasks)`: where to look first, from the tasks that passed before.
fn now_failing(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    match ids.len() {
        0 => String::new(),
        n if n <= SHOWN => format!("; now failing: {}", ids.join(", ")),
        n => format!("; now failing: {}, … ({n} tasks)", ids[..SHOWN].join(", ")),
    }
}

/// Every breach of the report, one line each.
pub fn breach_lines(report: &Regress) -> Vec<String> {
    report.regressions().flat_map(|c| c.regressions.iter().map(move |b| breach_line(c, b))).collect()
}

/// A run's id and, when it has one, its tag: the id already says when it started.
fn run_name(run: &RegressRun, quote: &str) -> String {
    match &run.tag {
        Some(tag) => format!("{quote}{}{quote} (tag {quote}{tag}{quote})", run.run_id),
        None => format!("{quote}{}{quote}", run.run_id),
    }
}

/// A cost per answer: small enough that four decimals would show nothing.
fn money(x: f64, currency: &str) -> String {
    if x >= 0.01 { format!("{x:.4} {currency}") } else { format!("{x:.6} {currency}") }
}

/// The verdict in a few words: `FAILED: 2 regressions, 1 drift warning` or `passed`.
pub fn verdict(report: &Regress) -> String {
    let regressions = breach_lines(report).len();
    let mut parts = Vec::new();
    if regressions > 0 {
        parts.push(plural(regressions, "regression"));
    }
    if !report.drift.is_empty() {
        let kind = if report.fail_on_drift { "drift" } else { "drift warning" };
        parts.push(format!(
            "{} {kind}{}",
            report.drift.len(),
            if report.drift.len() == 1 { "" } else { "s" }
        ));
    }
    match (report.failed(), parts.is_empty()) {
        (true, _) => format!("FAILED: {}", parts.join(", ")),
        (false, true) => "passed".into(),
        (false, false) => format!("passed, with {}", parts.join(", ")),
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// How the checks were made.
fn rules_line(report: &Regress) -> String {
    let r = &report.rules;
    format!(
        "A score drop fails when larger than {} and significant at α = {} (paired test over the tasks both \
         runs asked alike, Holm-corrected across {}); cost per answer fails past {:+.1}%, latency p95 past \
         {:+.1}%, the infrastructure error rate past {}.",
        points(r.max_drop).trim_start_matches('+'),
        r.alpha,
        plural(report.checks.len(), "provider × suite"),
        r.max_cost_increase * 100.0,
        r.max_latency_increase * 100.0,
        points(r.max_error_rate_increase),
    )
}

/// The check table, then the regressions, drift warnings and notes, laid out for `layout`.
pub fn render_table(report: &Regress, layout: Layout) -> Rendered {
    let width = layout.width();
    let mut text = wrap_text(
        &format!(
            "bench regress {} against {}: {}",
            run_name(&report.after, ""),
            run_name(&report.before, ""),
            verdict(report)
        ),
        width,
    );
    let mut hidden = 0;
    if !report.checks.is_empty() {
        let rows = report.checks.iter().map(|c| cells(c).into_iter().map(Cell::new).collect()).collect();
        let fitted = fit(&COLUMNS, rows, layout);
        hidden = fitted.hidden;
        text.push('\n');
        text.push_str(&fitted.table.to_string());
    }
    let drift_word = if report.fail_on_drift { "DRIFT" } else { "warning" };
    let lines = breach_lines(report)
        .into_iter()
        .map(|l| format!("REGRESSION {l}"))
        .chain(report.drift.iter().map(|d| format!("{drift_word}: {}", d.message)))
        .chain(report.notes.iter().map(|n| format!("note: {n}")))
        .chain([rules_line(report)]);
    for line in lines {
        text.push('\n');
        text.push_str(&wrap_text(&line, width));
    }
    Rendered { text, hidden }
}

/// The verdict as GitHub-flavoured Markdown: the regressions first, then drift, every check, the
/// thresholds and the notes.
pub fn render_markdown(report: &Regress) -> String {
    let mut md = format!("## bench regress: {}\n\n", verdict(report));
    md.push_str(&format!(
        "Run {} against {}.\n",
        run_name(&report.after, "`"),
        run_name(&report.before, "`")
    ));
    let breaches = breach_lines(report);
    if !breaches.is_empty() {
        md.push_str("\n### Regressions\n\n");
        for c in report.regressions() {
            for b in &c.regressions {
                let line = breach_line(c, b);
                let rest = line.split_once(": ").map_or(line.as_str(), |(_, rest)| rest);
                md.push_str(&format!("- **{} · {}**: {rest}\n", c.change.provider, c.change.suite));
            }
        }
    }
    if !report.drift.is_empty() {
        let title = if report.fail_on_drift { "Drift (fails the check)" } else { "Drift (warnings)" };
        md.push_str(&format!("\n### {title}\n\n"));
        for d in &report.drift {
            md.push_str(&format!("- {}\n", d.message.replace('|', "\\|")));
        }
    }
    if !report.checks.is_empty() {
        md.push_str("\n### Checks\n\n");
        let row = |cells: &[String]| {
            format!("| {} |\n", cells.iter().map(|c| c.replace('|', "\\|")).collect::<Vec<_>>().join(" | "))
        };
        md.push_str(&row(&HEADERS.map(String::from)));
        let align = HEADERS.iter().enumerate().map(|(i, _)| if (2..9).contains(&i) { "---:" } else { "---" });
        md.push_str(&row(&align.map(String::from).collect::<Vec<_>>()));
        for c in &report.checks {
            md.push_str(&row(&cells(c)));
        }
    }
    md.push_str(&format!("\n{}\n", rules_line(report)));
    for note in &report.notes {
        md.push_str(&format!("\n- {note}"));
    }
    if !report.notes.is_empty() {
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests;
