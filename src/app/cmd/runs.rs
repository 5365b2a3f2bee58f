//! `bench runs`: the runs of an output folder, newest first, with where each stands (and the series
//! each belongs to, when some are tagged).

use comfy_table::Cell;

use crate::app::errors::{EXIT_OK, Result};
use crate::app::print_stdout;
use crate::app::session::open_store;
use crate::app::{RunsArgs, listing_layout};
use crate::report::layout;
use crate::store::{Location, RunStatus};

/// Print the table of runs.
pub fn run(args: &RunsArgs) -> Result {
    let store = open_store(&args.out, args.store.as_deref(), None)?;
    let reader = store.reader()?;
    let runs = reader.runs()?;
    if runs.is_empty() {
        print_stdout(&format!("no runs in {}\n", store.place()))?;
        return Ok(EXIT_OK);
    }
    let manifests =
        runs.iter().map(|run| reader.manifest(&run.run_id)).collect::<std::result::Result<Vec<_>, _>>()?;
    let tagged = manifests.iter().any(|m| m.tag.is_some());
    let headers = ["run", "started", "status", "tag", "providers", "suites", "items done", "cost"];
    let shown = |i: usize| tagged || headers[i] != "tag";
    let columns = layout::always_shown(
        &headers.iter().enumerate().filter(|(i, _)| shown(*i)).map(|(_, h)| *h).collect::<Vec<_>>(),
    );
    let mut rows = Vec::with_capacity(runs.len());
    let mut resumable = None;
    for (run, manifest) in runs.iter().zip(&manifests) {
        let providers: Vec<&str> = manifest.providers.iter().map(|p| p.name.as_str()).collect();
        let suites: Vec<&str> = manifest.suites.iter().map(|s| s.name.as_str()).collect();
        let cost: Vec<String> = run.cost.iter().map(|(currency, c)| format!("{c:.4} {currency}")).collect();
        if run.status == RunStatus::Interrupted && resumable.is_none() {
            resumable = Some(run.run_id.clone());
        }
        let row = [
            run.run_id.clone(),
            started(&run.created_at),
            run.status.as_str().to_string(),
            manifest.tag.clone().unwrap_or_else(|| "—".into()),
            providers.join(" "),
            suites.join(" "),
            format!("{} / {}", run.done, manifest.items()),
            if cost.is_empty() { "—".into() } else { cost.join(", ") },
        ];
        rows.push(
            row.into_iter().enumerate().filter(|(i, _)| shown(*i)).map(|(_, c)| Cell::new(c)).collect(),
        );
    }
    let table = layout::fit(&columns, rows, listing_layout(&std::io::stdout(), false)).table;
    print_stdout(&format!("{table}\n"))?;
    if let Some(id) = resumable {
        let mut hint = "bench compare --resume latest".to_string();
        if args.out.as_os_str() != "results" {
            hint.push_str(&format!(" --out {}", args.out.display()));
        }
        if let Some(Ok(location)) = args.store.as_deref().map(|s| Location::parse(s, None)) {
            // Shown without its password: the resume takes it from PGPASSWORD again.
            hint.push_str(&format!(" --store {location}"));
        }
        print_stdout(&format!("finish the newest interrupted run ({id}) with: {hint}\n"))?;
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
