//! `bench providers list`: every provider a run can name, where it comes from, and its price.

use std::path::Path;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::app::errors::{EXIT_OK, Result};
use crate::config::{Config, masked_url};

/// Print the providers table to stdout.
pub fn list(config: Option<&Path>) -> Result {
    let config = Config::load(config)?;
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(
        vec![
            "name",
            "protocol",
            "model",
            "base URL",
            "key variable",
            "context",
            "price / Mtok in · cached · out",
            "from",
        ],
    );
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
        table.add_row(vec![
            name.clone(),
            spec.protocol.as_str().to_string(),
            spec.model.clone(),
            masked_url(&spec.base_url),
            key,
            context,
            price,
            config.origin(&name),
        ]);
    }
    println!("{table}");
    println!(
        "Override any field in bench.toml: [providers.NAME] preset = \"NAME\" and the fields to change."
    );
    Ok(EXIT_OK)
}
