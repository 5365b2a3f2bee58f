//! `--dry-run`: what a run would send, with estimated tokens and an upper bound on cost per provider
//! (and per suite), as a table or as JSON (`--dry-run --json`).

use comfy_table::Cell;
use serde::Serialize;

use super::layout::{Column, Layout, Rendered, fit, wrap_text};
use crate::core::Usage;
use crate::run::Plan;
use crate::run::plan::{build_request, estimate_input_tokens};

/// What a run would do, counted, before anything is sent: the shape of `--dry-run --json`.
#[derive(Debug, Serialize)]
pub struct Estimate {
    /// Answers asked per task and provider.
    pub samples: u32,
    /// Always false: a dry run sends nothing.
    pub sent: bool,
    /// One entry per provider, in command-line order.
    pub providers: Vec<ProviderEstimate>,
}

/// One provider's share of the run.
#[derive(Debug, Serialize)]
pub struct ProviderEstimate {
    /// The provider's name.
    pub name: String,
    /// Its model.
    pub model: String,
    /// Over all suites.
    #[serde(flatten)]
    pub counts: Counts,
    /// The currency of `est_cost`.
    pub currency: &'static str,
    /// Per suite, in the order the suites were named.
    pub suites: Vec<SuiteEstimate>,
}

/// One suite's share of a provider's work.
#[derive(Debug, Serialize)]
pub struct SuiteEstimate {
    /// The suite's name.
    pub suite: String,
    /// Its items.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Items (task × sample) and what sending the rest would take.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Items of the run.
    pub items: usize,
    /// Answered already by the run being resumed.
    pub done: usize,
    /// Answered from the response cache, not sent.
    pub cached: usize,
    /// To send.
    pub to_send: usize,
    /// Input tokens of what is to send, estimated from text length.
    pub est_input_tokens: u64,
    /// The output budgets (max_tokens) of what is to send: the most output it can cost.
    pub max_output_tokens: u64,
    /// Upper bound on the cost of what is to send; `None` (null) without a price.
    pub est_cost: Option<f64>,
}

impl Counts {
    fn add_request(&mut self, input: u64, output: u64, cost: Option<f64>) {
        self.to_send += 1;
        self.est_input_tokens += input;
        self.max_output_tokens += output;
        self.est_cost = self.est_cost.zip(cost).map(|(a, b)| a + b);
    }
}

/// Count what `plan` would send, per provider and suite.
pub fn estimate(plan: &Plan) -> Estimate {
    let samples = plan.options.samples as usize;
    let mut suites: Vec<(&str, usize)> = Vec::new();
    let mut suite_of_task = Vec::with_capacity(plan.tasks.len());
    for task in plan.tasks.iter() {
        let index = match suites.iter().position(|(name, _)| *name == task.suite) {
            Some(i) => i,
            None => {
                suites.push((&task.suite, 0));
                suites.len() - 1
            }
        };
        suites[index].1 += samples;
        suite_of_task.push(index);
    }
    let providers = plan
        .providers
        .iter()
        .map(|p| {
            let priced = p.spec.price.is_some().then_some(0.0);
            let mut per_suite: Vec<Counts> = suites
                .iter()
                .map(|&(_, items)| Counts { items, est_cost: priced, ..Counts::default() })
                .collect();
            for &(index, sample) in &p.pending {
                let request = build_request(&plan.tasks[index], &p.spec, &plan.options, sample);
                let (input, output) = (estimate_input_tokens(&request), u64::from(request.max_tokens));
                let usage = Usage { input, output, ..Usage::default() };
                let cost = p.spec.price.as_ref().map(|price| price.cost(&usage));
                per_suite[suite_of_task[index]].add_request(input, output, cost);
            }
            for &(index, _, _) in &p.cached {
                per_suite[suite_of_task[index]].cached += 1;
            }
            let mut total = Counts { est_cost: priced, done: p.done, ..Counts::default() };
            for counts in &mut per_suite {
                counts.done = counts.items.saturating_sub(counts.to_send + counts.cached);
                total.items += counts.items;
                total.cached += counts.cached;
                total.to_send += counts.to_send;
                total.est_input_tokens += counts.est_input_tokens;
                total.max_output_tokens += counts.max_output_tokens;
                total.est_cost = total.est_cost.zip(counts.est_cost).map(|(a, b)| a + b);
            }
            ProviderEstimate {
                name: p.spec.name.clone(),
                model: p.spec.model.clone(),
                counts: total,
                currency: p.spec.currency().code(),
                suites: suites
                    .iter()
                    .zip(per_suite)
                    .map(|(&(suite, _), counts)| SuiteEstimate { suite: suite.to_string(), counts })
                    .collect(),
            }
        })
        .collect();
    Estimate { samples: plan.options.samples, sent: false, providers }
}

/// The estimate as pretty JSON with a final newline.
pub fn render_json(estimate: &Estimate) -> Result<String, String> {
    serde_json::to_string_pretty(estimate)
        .map(|json| json + "\n")
        .map_err(|e| format!("cannot write the plan as JSON: {e}"))
}

/// The estimate as a table, one row per provider, plus a line of explanation. At a width, the
/// "already done" column is hidden first, then "cached", then the model.
pub fn render(estimate: &Estimate, layout: Layout) -> Rendered {
    let columns = [
        Column { header: "provider", hide_rank: 0 },
        Column { header: "model", hide_rank: 1 },
        Column { header: "items", hide_rank: 0 },
        Column { header: "already done", hide_rank: 3 },
        Column { header: "cached", hide_rank: 2 },
        Column { header: "to send", hide_rank: 0 },
        Column { header: "est. input tokens", hide_rank: 0 },
        Column { header: "max output tokens", hide_rank: 0 },
        Column { header: "est. cost (at most)", hide_rank: 0 },
    ];
    let rows = estimate
        .providers
        .iter()
        .map(|p| {
            let c = &p.counts;
            let cost = c.est_cost.map_or("no price".into(), |cost| format!("{cost:.4} {}", p.currency));
            [
                p.name.clone(),
                p.model.clone(),
                c.items.to_string(),
                c.done.to_string(),
                c.cached.to_string(),
                c.to_send.to_string(),
                c.est_input_tokens.to_string(),
                c.max_output_tokens.to_string(),
                cost,
            ]
            .into_iter()
            .map(Cell::new)
            .collect()
        })
        .collect();
    let fitted = fit(&columns, rows, layout);
    let note = "Input tokens are estimated from text length; output is bounded by max_tokens, so costs are upper bounds.\nNothing was sent.";
    Rendered { text: format!("{}\n{}", fitted.table, wrap_text(note, layout.width())), hidden: fitted.hidden }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::config::Config;
    use crate::core::{ItemKey, Message, RunOptions, Task};

    fn task(suite: &str, id: &str) -> Task {
        Task {
            id: id.into(),
            suite: suite.into(),
            family: "custom".into(),
            category: None,
            system: None,
            messages: vec![Message::user("What is 2 + 2?")],
            tools: vec![],
            max_tokens: Some(100),
            expected: serde_json::Value::Null,
            meta: serde_json::Value::Null,
            recipe: None,
        }
    }

    fn two_suites_plan() -> Plan {
        let config = Config::parse("", "b.toml").unwrap();
        let mut unpriced = config.provider("ollama").unwrap();
        unpriced.price = None;
        let specs = vec![config.provider("kimi").unwrap(), unpriced];
        let answered: HashSet<ItemKey> =
            [ItemKey { suite: "b".into(), task_id: "t3".into(), provider: "kimi".into(), sample: 1 }].into();
        let tasks = vec![task("a", "t1"), task("a", "t2"), task("b", "t3")];
        let options = RunOptions { samples: 2, ..RunOptions::default() };
        Plan::make(tasks, specs, options, &answered, None).unwrap()
    }

    #[test]
    fn estimate_counts_items_per_provider_and_suite() {
        let estimate = estimate(&two_suites_plan());
        let kimi = &estimate.providers[0];
        assert_eq!((kimi.name.as_str(), kimi.currency), ("kimi", "USD"));
        assert_eq!((kimi.counts.items, kimi.counts.done, kimi.counts.to_send), (6, 1, 5));
        assert_eq!(kimi.counts.max_output_tokens, 500);
        let per_suite: Vec<_> =
            kimi.suites.iter().map(|s| (s.suite.as_str(), s.counts.items, s.counts.done)).collect();
        assert_eq!(per_suite, [("a", 4, 0), ("b", 2, 1)]);
        let input = kimi.suites[0].counts.est_input_tokens;
        assert_eq!(kimi.counts.est_input_tokens, input + input / 4, "one request in b, four in a");
        let cost = kimi.counts.est_cost.unwrap();
        let by_suite: f64 = kimi.suites.iter().map(|s| s.counts.est_cost.unwrap()).sum();
        assert!(cost > 0.0 && (cost - by_suite).abs() < 1e-12, "{cost} vs {by_suite}");
        let ollama = &estimate.providers[1];
        assert_eq!((ollama.counts.to_send, ollama.counts.est_cost), (6, None), "no price: no cost");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&estimate(&two_suites_plan())).unwrap()).unwrap();
        assert_eq!((json["samples"].as_u64(), json["sent"].as_bool()), (Some(2), Some(false)));
        let kimi = &json["providers"][0];
        for field in [
            "name",
            "model",
            "items",
            "done",
            "cached",
            "to_send",
            "est_input_tokens",
            "max_output_tokens",
            "est_cost",
            "currency",
        ] {
            assert!(kimi.get(field).is_some(), "providers[].{field} missing: {kimi}");
        }
        assert_eq!(kimi["suites"][1]["suite"], "b");
        assert_eq!(kimi["suites"][1]["to_send"], 1);
        assert!(json["providers"][1]["est_cost"].is_null());
    }

    #[test]
    fn the_table_fits_80_columns_without_breaking_numbers() {
        let rendered = render(&estimate(&two_suites_plan()), Layout::Fit(80));
        let text = &rendered.text;
        for line in text.lines() {
            assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}\n{text}");
        }
        for shown in ["kimi-k2.6", "no price", "Nothing was sent."] {
            assert!(text.contains(shown), "{shown} missing:\n{text}");
        }
        assert!(!text.contains("already") && !text.contains("cached"), "{text}");
        assert_eq!(
            crate::report::layout::hidden_note(rendered.hidden).as_deref(),
            Some("(2 columns hidden; --wide shows all)")
        );
        let wide = render(&estimate(&two_suites_plan()), Layout::Wide);
        assert!(wide.text.contains("already done") && wide.text.contains("cached"), "{}", wide.text);
        assert_eq!(wide.hidden, 0);
    }
}
