//! The migration report as Markdown (`bench report RUN --migration --format markdown`): the
//! executive summary first, then per candidate and workload the recommendation with its numbers, the
//! sample size behind each and the risks, then the rules and the methods. Plain headings, lists and
//! tables, so it prints cleanly (to PDF through any Markdown viewer). Pure function of the model.

use super::format::{ci, pct, points};
use crate::analysis::migration::{Assessment, Figure, MigrationReport, Recommendation};

/// Render the migration model as GitHub-flavoured Markdown.
pub fn render(report: &MigrationReport) -> String {
    let mut md = String::new();
    md.push_str(&format!("# Migration report: run `{}`\n\n", report.run_id));
    md.push_str(&format!(
        "Baseline: **{}** (`{}`), run started {}. A workload is a family of tasks, or a category within \
         one; each candidate gets a recommendation per workload by the rules at the end.\n\n",
        report.baseline, report.baseline_model, report.created_at
    ));
    executive_summary(&mut md, report);
    for candidate in report.candidates() {
        md.push_str(&format!("## {candidate}\n\n"));
        for a in report.assessments.iter().filter(|a| a.candidate == candidate) {
            workload(&mut md, a);
        }
    }
    rules(&mut md, report);
    methods(&mut md, report);
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn row(md: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
}

fn header(md: &mut String, names: &[&str], right_from: usize) {
    row(md, &names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
    let rule: Vec<&str> = (0..names.len()).map(|i| if i >= right_from { "---:" } else { "---" }).collect();
    md.push_str(&format!("| {} |\n", rule.join(" | ")));
}

fn workload_name(a: &Assessment) -> String {
    if a.family == "all" { "all tasks".into() } else { a.workload() }
}

/// Workload names of `candidate` with this recommendation (the whole run aside), or "—".
fn named(report: &MigrationReport, candidate: &str, recommendation: Recommendation) -> String {
    let names: Vec<String> = report
        .assessments
        .iter()
        .filter(|a| a.candidate == candidate && a.family != "all" && a.recommendation == recommendation)
        .map(Assessment::workload)
        .collect();
    if names.is_empty() { "—".into() } else { names.join(", ") }
}

fn executive_summary(md: &mut String, report: &MigrationReport) {
    md.push_str("## Executive summary\n\n");
    if report.assessments.is_empty() {
        md.push_str("The run has no candidate: only the baseline was measured.\n\n");
        return;
    }
    header(md, &["candidate", "all tasks", "switch", "switch with care", "keep the baseline"], 5);
    for candidate in report.candidates() {
        let overall = report.assessments.iter().find(|a| a.candidate == candidate && a.family == "all");
        row(
            md,
            &[
                format!("**{candidate}**"),
                overall.map_or("—".into(), |a| format!("**{}**", a.recommendation.label())),
                named(report, candidate, Recommendation::Switch),
                named(report, candidate, Recommendation::SwitchWithCare),
                named(report, candidate, Recommendation::KeepBaseline),
            ],
        );
    }
    md.push('\n');
    for a in report.assessments.iter().filter(|a| a.family == "all") {
        let mut facts =
            vec![format!("retention {} on {} tasks", value_with_ci(&a.retention, pct), a.retention.n)];
        if let Some(r) = a.cost_ratio.value {
            facts.push(format!("cost {r:.2}× the baseline's"));
        }
        if let Some(r) = a.latency_ratio.value {
            facts.push(format!("median latency {r:.2}×"));
        }
        if let Some(r) = a.error_rate.value {
            facts.push(format!("{} infrastructure errors", pct(r)));
        }
        md.push_str(&format!(
            "- **{}**: {} overall; {}.",
            a.candidate,
            a.recommendation.label(),
            facts.join(", ")
        ));
        if let Some(first) = a.risks.first() {
            md.push_str(&format!(" Main risk: {first}."));
        }
        md.push('\n');
    }
    md.push('\n');
}

fn value_with_ci(f: &Figure, show: fn(f64) -> String) -> String {
    match (f.value, f.ci95) {
        (Some(v), Some(interval)) => format!("{} {}", show(v), ci(interval)),
        (Some(v), None) => show(v),
        (None, _) => "—".into(),
    }
}

fn ratio(x: f64) -> String {
    format!("{x:.2}×")
}

fn sample(f: &Figure) -> String {
    format!("{} {}", f.n, f.unit)
}

fn workload(md: &mut String, a: &Assessment) {
    md.push_str(&format!("### {}: {}\n\n", workload_name(a), a.recommendation.label()));
    header(md, &["measure", "value", "n"], 1);
    let scores = match (a.baseline_score.value, a.candidate_score.value) {
        (Some(b), Some(c)) => format!("{} → {}", pct(b), pct(c)),
        _ => "—".into(),
    };
    let difference = match a.difference.value {
        Some(_) => format!("{} (p = {:.3})", value_with_ci(&a.difference, points), a.p_value),
        None => "—".into(),
    };
    let mut rows = vec![
        ("retention [95% CI]", value_with_ci(&a.retention, pct), sample(&a.retention)),
        ("score, baseline → candidate", scores, sample(&a.baseline_score)),
        ("difference [95% CI]", difference, sample(&a.difference)),
        (
            "minimum detectable difference",
            a.mdd.value.map_or("—".into(), |m| format!("{:.1} pt", m * 100.0)),
            sample(&a.mdd),
        ),
        ("cost per answer, ratio", a.cost_ratio.value.map_or("—".into(), ratio), sample(&a.cost_ratio)),
        ("median latency, ratio", a.latency_ratio.value.map_or("—".into(), ratio), sample(&a.latency_ratio)),
        ("infrastructure error rate", a.error_rate.value.map_or("—".into(), pct), sample(&a.error_rate)),
        (
            "beyond the context window",
            a.context_exceeded_rate.value.map_or("—".into(), pct),
            sample(&a.context_exceeded_rate),
        ),
    ];
    if let Some(invalid) = &a.invalid_call_rate {
        rows.push(("invalid tool calls", invalid.value.map_or("—".into(), pct), sample(invalid)));
    }
    for (measure, value, n) in rows {
        row(md, &[measure.to_string(), value, n]);
    }
    md.push('\n');
    if a.risks.is_empty() {
        md.push_str("Risks: none found by the rules.\n\n");
    } else {
        md.push_str("Risks:\n\n");
        for risk in &a.risks {
            md.push_str(&format!("- {risk}\n"));
        }
        md.push('\n');
    }
}

fn rules(md: &mut String, report: &MigrationReport) {
    md.push_str("## Rules\n\n");
    md.push_str(
        "A workload is **keep the baseline** when a \"keep\" rule fires; otherwise **switch** when every \
         \"switch\" rule holds, else **switch with care**, with each rule that does not hold listed as a risk. \
         Set them in bench.toml under `[migration]`.\n\n",
    );
    header(md, &["key", "rule", "value"], 2);
    for (key, value, meaning) in report.rules.described() {
        row(md, &[format!("`{key}`"), meaning.to_string(), value]);
    }
    md.push('\n');
}

fn methods(md: &mut String, report: &MigrationReport) {
    let Some(a) = report.assessments.first() else { return };
    md.push_str("## Method\n\n");
    let figures = [
        ("Scores", &a.baseline_score),
        ("Retention", &a.retention),
        ("Difference", &a.difference),
        ("Minimum detectable difference", &a.mdd),
        ("Cost ratio", &a.cost_ratio),
        ("Latency ratio", &a.latency_ratio),
        ("Infrastructure error rate", &a.error_rate),
        ("Beyond the context window", &a.context_exceeded_rate),
    ];
    for (name, figure) in figures {
        md.push_str(&format!("- {name}: {}.\n", figure.method));
    }
    if let Some(invalid) = report.assessments.iter().find_map(|a| a.invalid_call_rate.as_ref()) {
        md.push_str(&format!("- Invalid tool calls: {}.\n", invalid.method));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::example_run;
    use crate::analysis::migration::migration;
    use crate::config::MigrationRules;

    #[test]
    fn migration_markdown_snapshot() {
        let report = migration(&example_run(), &MigrationRules::default());
        insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[timestamp]")]}, {
            insta::assert_snapshot!(render(&report));
        });
    }
}
