//! `bench runs`: the runs of an output folder, newest first, with where each stands.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::app::RunsArgs;
use crate::app::errors::{EXIT_OK, Error, Result};
use crate::store::{RunStatus, Store};

/// Print the table of runs.
pub fn run(args: &RunsArgs) -> Result {
    let Some(store) = Store::open_existing(&args.out)? else {
        return Err(Error::usage(format!("{}: no runs here (no bench.sqlite)", args.out.display())));
    };
    let reader = store.reader()?;
    let runs = reader.runs()?;
    if runs.is_empty() {
        println!("no runs in {}", args.out.display());
        return Ok(EXIT_OK);
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["run", "started", "status", "providers", "suites", "items done", "cost"]);
    let mut resumable = None;
    for run in &runs {
        let manifest = reader.manifest(&run.run_id)?;
        let providers: Vec<&str> = manifest.providers.iter().map(|p| p.name.as_str()).collect();
        let suites: Vec<&str> = manifest.suites.iter().map(|s| s.name.as_str()).collect();
        let cost: Vec<String> = run.cost.iter().map(|(currency, c)| format!("{c:.4} {currency}")).collect();
        if run.status == RunStatus::Interrupted && resumable.is_none() {
            resumable = Some(run.run_id.clone());
        }
        table.add_row(vec![
            run.run_id.clone(),
            started(&run.created_at),
            run.status.as_str().to_string(),
            providers.join(" "),
            suites.join(" "),
            format!("{} / {}", run.done, manifest.items()),
            if cost.is_empty() { "—".into() } else { cost.join(", ") },
        ]);
    }
    println!("{table}");
    if let Some(id) = resumable {
        println!("finish the newest interrupted run ({id}) with: bench compare --resume latest");
    }
    Ok(EXIT_OK)
}

/// A stored RFC 3339 time as local `YYYY-MM-DD HH:MM`, or as stored when it does not parse.
fn started(stamp: &str) -> String {
    match stamp.parse::<jiff::Timestamp>() {
        Ok(t) => t.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => stamp.to_string(),
    }
}
