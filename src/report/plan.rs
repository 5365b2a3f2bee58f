//! `--dry-run`: what a run would send, with estimated tokens and an upper bound on cost per provider.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::core::Usage;
use crate::run::Plan;
use crate::run::plan::{build_request, estimate_input_tokens};

/// Render the plan as a table plus a line of explanation.
pub fn render(plan: &Plan) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(
        vec![
            "provider",
            "model",
            "items",
            "already done",
            "cached",
            "to send",
            "est. input tokens",
            "max output tokens",
            "est. cost (at most)",
        ],
    );
    for p in &plan.providers {
        let (mut input, mut output) = (0u64, 0u64);
        for &(index, sample) in &p.pending {
            let request = build_request(&plan.tasks[index], &p.spec, &plan.options, sample);
            input += estimate_input_tokens(&request);
            output += u64::from(request.max_tokens);
        }
        let cost = match &p.spec.price {
            Some(price) => {
                let usage = Usage { input, output, ..Usage::default() };
                format!("{:.4} {}", price.cost(&usage), price.currency.code())
            }
            None => "no price".into(),
        };
        table.add_row(vec![
            p.spec.name.clone(),
            p.spec.model.clone(),
            p.total().to_string(),
            p.done.to_string(),
            p.cached.len().to_string(),
            p.pending.len().to_string(),
            input.to_string(),
            output.to_string(),
            cost,
        ]);
    }
    format!(
        "{table}\nInput tokens are estimated from text length; output is bounded by max_tokens, so costs are upper bounds.\nNothing was sent.\n"
    )
}
