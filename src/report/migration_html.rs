//! The migration report as one printable HTML page (`bench report RUN --migration --format html`):
//! the Markdown report ([`super::migration_md`]) turned into HTML, with a print stylesheet so it
//! prints cleanly to PDF, and the recommendations coloured. No external asset, like the run report.

use pulldown_cmark::{Options, Parser, html};

use crate::analysis::migration::MigrationReport;

const STYLE: &str = "\
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2430;max-width:60rem;margin:2rem auto;padding:0 1.5rem}
h1{font-size:1.6rem;border-bottom:2px solid #1d2430;padding-bottom:.3rem}h2{margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:.8rem 0;width:100%}th,td{border:1px solid #ccd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f6}td:not(:first-child){font-variant-numeric:tabular-nums}code{background:#f3f4f7;padding:0 .2rem}
.switch{color:#11703a}.care{color:#9a5b00}.keep{color:#a4161a}
@media print{body{margin:0;max-width:none;font-size:11pt}h2,h3{break-after:avoid}table,li{break-inside:avoid}}";

/// Render the migration model as a self-contained HTML page.
pub fn render(report: &MigrationReport) -> String {
    let markdown = super::migration_md::render(report);
    let mut body = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut body, Parser::new_ext(&markdown, Options::ENABLE_TABLES));
    let body = body
        .replace("<strong>switch</strong>", "<strong class=\"switch\">switch</strong>")
        .replace("<strong>switch with care</strong>", "<strong class=\"care\">switch with care</strong>")
        .replace("<strong>keep the baseline</strong>", "<strong class=\"keep\">keep the baseline</strong>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Migration report: run {}</title><style>{STYLE}</style></head><body>\n{body}</body></html>\n",
        html_escape(&report.run_id)
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
