//! `bench providers list`: every provider a run can name, where it comes from, and its price.

use std::path::Path;

use comfy_table::Cell;

use crate::app::errors::{EXIT_OK, Result};
use crate::app::print_stdout;
use crate::app::{listing_layout, note_hidden_columns};
use crate::config::{Config, ProviderSpec, masked_url};
use crate::report::layout::{self, Column};

/// The columns of the list. Always shown: name, model, key variable and whether it is set; at a
/// width, hidden first: where the provider comes from, its context window, protocol, base URL, price.
const COLUMNS: [Column; 9] = [
    Column { header: "name", hide_rank: 0 },
    Column { header: "protocol", hide_rank: 3 },
    Column { header: "model", hide_rank: 0 },
    Column { header: "base URL", hide_rank: 2 },
    Column { header: "key variable", hide_rank: 0 },
    Column { header: "key", hide_rank: 0 },
    Column { header: "context", hide_rank: 4 },
    Column { header: "price / Mtok in · cached · out", hide_rank: 1 },
    Column { header: "from", hide_rank: 5 },
];

/// Print the providers table to stdout, every column with `wide`.
pub fn list(config: Option<&Path>, wide: bool) -> Result {
    let config = Config::load(config)?;
    let mut rows = Vec::new();
    for name in config.names() {
        let spec = config.provider(&name)?;
        let key = match (&spec.api_key_env, spec.api_key_required) {
            (Some(var), true) => var.clone(),
            (Some(var), false) => format!("{var} (optional)"),
            (None, _) => "none".into(),
        };
        let price = match &spec.price {
            Some(p) => {
                let cached = p.cache_read.map_or("—".into(), |c| c.to_string());
                let tiers =
                    if p.tiers.is_empty() { String::new() } else { format!(", {} tiers", p.tiers.len()) };
                let date = p.as_of.as_deref().map(|d| format!("\nas of {d}")).unwrap_or_default();
                format!("{} · {cached} · {} {}{tiers}{date}", p.input, p.output, p.currency.code())
            }
            None => "not set".into(),
        };
        let context = spec.context_window.map_or("—".into(), |c| format!("{}k", c / 1000));
        let row = [
            name.clone(),
            spec.protocol.as_str().to_string(),
            spec.model.clone(),
            masked_url(&spec.base_url),
            key,
            key_status(&spec).to_string(),
            context,
            price,
            config.origin(&name),
        ];
        rows.push(row.into_iter().map(Cell::new).collect());
    }
    let layout = listing_layout(&std::io::stdout(), wide);
    let fitted = layout::fit(&COLUMNS, rows, layout);
    print_stdout(&format!("{}\n", fitted.table))?;
    let hint =
        "Override any field in bench.toml: [providers.NAME] preset = \"NAME\" and the fields to change.";
    print_stdout(&format!("{}\n", layout::wrap_text(hint, layout.width())))?;
    note_hidden_columns(fitted.hidden);
    Ok(EXIT_OK)
}

/// Whether the provider's key variable is set in this environment ("set"), needed but not set
/// ("missing"), optional and not set ("not set"), or not used at all ("—"). The value is never read
/// out.
fn key_status(spec: &ProviderSpec) -> &'static str {
    match (spec.api_key(), &spec.api_key_env) {
        (Ok(Some(_)), _) => "set",
        (Err(_), _) => "missing",
        (Ok(None), Some(_)) => "not set",
        (Ok(None), None) => "—",
    }
}
