//! The page around the charts and the task table: run facts, the providers' figures, each section's
//! charts, and the table with its filters. Every byte is in the file: CSS and script inline, charts
//! as inline SVG, the table's rows as JSON; a Content-Security-Policy forbids fetching anything.

use std::borrow::Cow;
use std::io::{self, Write};

use super::draw::Chart;
use super::table;
use crate::analysis::{Comparison, RunView, Summary};
use crate::report::format::{ci, count, ms, p_value, pct, points, score_with_ci};
use crate::report::texts::Texts;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Nothing may be fetched: styles and scripts only inline, images only as data.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// The whole document; `svgs` are the charts drawn, in the order of `charts`.
pub fn write(
    out: &mut Vec<u8>,
    view: &RunView,
    summary: &Summary,
    texts: &Texts,
    charts: &[Chart],
    svgs: &[String],
) -> io::Result<()> {
    let title = format!("bench report {}", summary.run_id);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    )?;
    header(out, view, summary, charts)?;
    providers(out, summary)?;
    let mut section = "";
    for (chart, svg) in charts.iter().zip(svgs) {
        if chart.section != section {
            if !section.is_empty() {
                writeln!(out, "</div>\n</section>")?;
            }
            section = chart.section;
            writeln!(
                out,
                "<section id=\"{}\">\n<h2>{}</h2>\n<div class=\"charts\">",
                anchor(section),
                esc(section)
            )?;
        }
        writeln!(
            out,
            "<figure class=\"chart\" id=\"{}\">\n{svg}<figcaption>{}</figcaption>\n</figure>",
            esc(&chart.id),
            esc(&chart.note)
        )?;
    }
    if !section.is_empty() {
        writeln!(out, "</div>\n</section>")?;
    }
    task_table(out, view, texts)?;
    writeln!(
        out,
        "<footer>Made by bench {} from run {} alone. This file holds everything it shows: it opens offline.</footer>",
        esc(env!("CARGO_PKG_VERSION")),
        esc(&summary.run_id)
    )?;
    write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n")
}

/// Text for HTML: `& < > " '` escaped (quick-xml's escaping, the same rules).
fn esc(text: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// An id for a section title.
fn anchor(section: &str) -> String {
    super::charts::slug(section)
}

fn header(out: &mut Vec<u8>, view: &RunView, summary: &Summary, charts: &[Chart]) -> io::Result<()> {
    writeln!(out, "<header>\n<h1>bench run <code>{}</code></h1>", esc(&summary.run_id))?;
    let suites: Vec<String> = view
        .manifest
        .suites
        .iter()
        .map(|s| format!("{} ({}, {} tasks)", s.name, s.family, s.tasks))
        .collect();
    let samples =
        if summary.samples > 1 { format!(", {} samples per task", summary.samples) } else { String::new() };
    writeln!(
        out,
        "<p class=\"facts\">Started {} · {} · baseline <b>{}</b>{} · suites: {}</p>",
        esc(&started(&view.run.created_at)),
        view.run.status.as_str(),
        esc(&summary.baseline),
        samples,
        esc(&suites.join(", "))
    )?;
    let mut sections: Vec<&str> = Vec::new();
    for chart in charts {
        if !sections.contains(&chart.section) {
            sections.push(chart.section);
        }
    }
    write!(out, "<nav><a href=\"#providers\">Providers</a>")?;
    for section in sections {
        write!(out, " <a href=\"#{}\">{}</a>", anchor(section), esc(section))?;
    }
    writeln!(out, " <a href=\"#tasks\">Tasks</a></nav>\n</header>")
}

/// An RFC 3339 time as people read it: `2026-12-07 07:35:26 UTC` (as stored when it is not one).
fn started(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..19)) {
        (Some(day), Some(time)) if rfc3339.ends_with('Z') => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// Δ, p and retention cells of a comparison; the baseline's own row when there is none.
fn gap(c: Option<&Comparison>) -> [String; 3] {
    match c {
        Some(c) if c.n_paired > 0 => [
            format!("{} {} (n={})", points(c.diff), ci(c.ci95), c.n_paired),
            p_value(c.p_value),
            c.retention.map_or("—".into(), pct),
        ],
        Some(_) => ["no paired tasks".into(), "—".into(), "—".into()],
        None => ["baseline".into(), String::new(), String::new()],
    }
}

fn providers(out: &mut Vec<u8>, summary: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"providers\">\n<h2>Providers</h2>\n<div class=\"scroll\"><table class=\"figures\">"
    )?;
    let headers = [
        "provider",
        "model",
        "score [95% CI]",
        "passed",
        "Δ vs baseline",
        "p",
        "retention",
        "infra errors",
        "beyond window",
        "tokens in / out",
        "cost",
        "latency p50 / p95",
        "TTFT p50",
    ];
    write!(out, "<thead><tr>")?;
    for h in headers {
        write!(out, "<th>{}</th>", esc(h))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for p in &summary.providers {
        let c = summary.comparisons.iter().find(|c| c.candidate == p.name && c.suite == "all");
        let [delta, pv, retention] = gap(c);
        let cells = [
            p.name.clone(),
            p.model.clone(),
            score_with_ci(p.score, p.ci95, p.scored),
            format!("{}/{}", p.passed, p.scored),
            delta,
            pv,
            retention,
            p.infra_errors.to_string(),
            p.context_exceeded.to_string(),
            format!("{} / {}", count(p.input_tokens), count(p.output_tokens)),
            if p.priced { format!("{:.4} {}", p.cost, p.currency) } else { "no price".into() },
            format!("{} / {}", ms(p.latency_ms.p50), ms(p.latency_ms.p95)),
            ms(p.ttft_ms.p50),
        ];
        write!(out, "<tr>")?;
        for (i, cell) in cells.iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            write!(out, "<{tag}>{}</{tag}>", esc(cell.as_str()))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")?;
    for p in summary.providers.iter().filter(|p| p.not_attempted > 0) {
        writeln!(
            out,
            "<p class=\"note\">{}: {} of {} items not attempted ({}).</p>",
            esc(&p.name),
            p.not_attempted,
            p.items,
            esc(p.not_attempted_why.as_deref().unwrap_or("not sent"))
        )?;
    }
    writeln!(
        out,
        "<p class=\"note\">Scores are means of task scores over the tasks scored; Δ is paired over the tasks both \
         providers answered (bootstrap 95% CI); infrastructure errors are answers lost after every retry, never \
         scored as wrong.</p>\n</section>"
    )
}

fn task_table(out: &mut Vec<u8>, view: &RunView, texts: &Texts) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"tasks\">\n<h2>Tasks</h2>\n<div class=\"filters\">\
         <label>provider <select data-filter=\"provider\"></select></label> \
         <label>suite <select data-filter=\"suite\"></select></label> \
         <label>category <select data-filter=\"category\"></select></label> \
         <label>outcome <select data-filter=\"outcome\"></select></label> \
         <label>text <input type=\"search\" data-filter=\"text\" placeholder=\"task, prompt, answer, detail\"></label> \
         <span id=\"shown\" data-count=\"0\"></span></div>\n\
         <div id=\"rows\" tabindex=\"0\"><div class=\"grid head\"><span>provider</span><span>suite</span>\
         <span>task</span><span>category</span><span>#</span><span>outcome</span><span>score</span><span>latency</span>\
         <span>prompt</span><span>answer</span><span>detail</span></div><div id=\"spacer\"></div></div>\n\
         <div id=\"detail\" hidden></div>\n\
         <p class=\"note\">Excerpts: the start and the end of each prompt and answer; the scorer's detail (or the error \
         of a lost answer). Click a row to read it whole.</p>\n\
         <script type=\"application/json\" id=\"task-data\">"
    )?;
    table::write(view, texts, out)?;
    writeln!(out, "</script>\n</section>")
}
