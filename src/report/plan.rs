//! `--dry-run`: what a run would send, with estimated tokens and an upper bound on cost per provider
//! (and per suite), as a table or as JSON (`--dry-run --json`).

use comfy_table::Cell;
use serde::Serialize;

use super::layout::{Column, Layout, Rendered, fit, wrap_text};
use crate::config::Price;
use crate::core::Usage;
use crate::families::{EpisodeOutline, Registry};
use crate::provider::ChatRequest;
use crate::run::plan::{build_request, estimate_input_tokens};
use crate::run::{Plan, beyond_window};

/// What a run would do, counted, before anything is sent: the shape of `--dry-run --json`.
#[derive(Debug, Serialize)]
pub struct Estimate {
    /// Answers asked per task and provider.
    pub samples: u32,
    /// Always false: a dry run sends nothing.
    pub sent: bool,
    /// One entry per provider, in command-line order.
    pub providers: Vec<ProviderEstimate>,
    /// Whether some item to send is an episode priced turn by turn (the table says how).
    #[serde(skip)]
    pub episodes: bool,
    /// The run's share of a sharded run (`--shard K/N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardShare>,
}

/// What a shard takes of its run: the counts above are this shard's alone.
#[derive(Debug, Serialize)]
pub struct ShardShare {
    /// `K/N`.
    pub shard: String,
    /// Tasks of this shard.
    pub tasks: usize,
    /// Tasks of the whole run.
    pub of_tasks: usize,
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
    /// Longer than the provider's context window: recorded as `context_exceeded`, never sent.
    pub beyond_window: usize,
    /// Requests that takes: one per item, or one per turn of an episode's reference solution.
    pub requests: u64,
    /// Input tokens of what is to send, estimated from text length (every turn of an episode carries
    /// the conversation so far).
    pub est_input_tokens: u64,
    /// The output budgets (max_tokens) of what is to send: the most output it can cost.
    pub max_output_tokens: u64,
    /// Upper bound on the cost of what is to send; `None` (null) without a price.
    pub est_cost: Option<f64>,
}

impl Counts {
    /// Count one item to send, as its requests (one, or an episode's turns); `prompt_tokens` is the
    /// size of a prompt built at send time, which the request does not hold yet.
    fn add_item(&mut self, requests: &[ChatRequest], prompt_tokens: Option<u64>, price: Option<&Price>) {
        self.to_send += 1;
        for request in requests {
            let input = prompt_tokens.unwrap_or_else(|| estimate_input_tokens(request));
            let output = u64::from(request.max_tokens);
            let cost = price.map(|price| price.cost(&Usage { input, output, ..Usage::default() }));
            self.requests += 1;
            self.est_input_tokens += input;
            self.max_output_tokens += output;
            self.est_cost = self.est_cost.zip(cost).map(|(a, b)| a + b);
        }
    }

    fn add(&mut self, other: &Counts) {
        self.items += other.items;
        self.cached += other.cached;
        self.to_send += other.to_send;
        self.beyond_window += other.beyond_window;
        self.requests += other.requests;
        self.est_input_tokens += other.est_input_tokens;
        self.max_output_tokens += other.max_output_tokens;
        self.est_cost = self.est_cost.zip(other.est_cost).map(|(a, b)| a + b);
    }
}

/// The requests an item takes: its one request, or, for an episode whose family knows its reference
/// solution, one per turn, each carrying the tools and the transcript so far.
fn item_requests(first: ChatRequest, outline: Option<EpisodeOutline>) -> Vec<ChatRequest> {
    let Some(outline) = outline else { return vec![first] };
    let mut request = ChatRequest { tools: outline.tools, ..first };
    let mut requests = Vec::with_capacity(outline.turns.len() + 1);
    for added in outline.turns {
        requests.push(request.clone());
        request.messages.extend(added);
    }
    requests.push(request);
    requests
}

/// Count what `plan` would send, per provider and suite; episodes as their reference solutions run,
/// where `families` know them.
pub fn estimate(plan: &Plan, families: &Registry) -> Estimate {
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
    let mut episodes = false;
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
                let task = &plan.tasks[index];
                let request = build_request(task, &p.spec, &plan.options, sample);
                if beyond_window(p.spec.context_window, families, task, &request).is_some() {
                    per_suite[suite_of_task[index]].beyond_window += 1;
                    continue;
                }
                let outline = families.episode_outline(task);
                episodes |= outline.is_some();
                let requests = item_requests(request, outline);
                let prompt_tokens = families.prompt_tokens(task);
                per_suite[suite_of_task[index]].add_item(&requests, prompt_tokens, p.spec.price.as_ref());
            }
            for &(index, _, _) in &p.cached {
                per_suite[suite_of_task[index]].cached += 1;
            }
            let mut total = Counts { est_cost: priced, done: p.done, ..Counts::default() };
            for counts in &mut per_suite {
                counts.done =
                    counts.items.saturating_sub(counts.to_send + counts.cached + counts.beyond_window);
                total.add(counts);
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
    Estimate { samples: plan.options.samples, sent: false, providers, episodes, shard: None }
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
        Column { header: "requests", hide_rank: 4 },
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
                c.requests.to_string(),
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
    let mut note = match &estimate.shard {
        Some(share) => format!("Shard {}: {} of {} tasks. ", share.shard, share.tasks, share.of_tasks),
        None => String::new(),
    };
    note += "Input tokens are estimated from text length; output is bounded by max_tokens, so costs are upper bounds.";
    if estimate.episodes {
        note += " Episodes are counted turn by turn as their reference solutions run; a model that takes more turns costs more.";
    }
    let beyond: usize = estimate.providers.iter().map(|p| p.counts.beyond_window).sum();
    if beyond > 0 {
        note += &format!(
            " {beyond} items are longer than their provider's context window: they will be recorded as context_exceeded, not sent."
        );
    }
    note += "\nNothing was sent.";
    Rendered {
        text: format!("{}\n{}", fitted.table, wrap_text(&note, layout.width())),
        hidden: fitted.hidden,
    }
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
        let estimate = estimate(&two_suites_plan(), &Registry::default());
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
    fn an_episode_counts_every_turn_of_its_reference_with_the_transcript_so_far() {
        let families = Registry::default();
        let spec = crate::families::SuiteSpec::parse("tools").unwrap();
        let tasks: Vec<Task> = families.load(&spec).unwrap().into_iter().take(3).collect();
        let config = Config::parse("", "b.toml").unwrap();
        let outlines: Vec<EpisodeOutline> =
            tasks.iter().map(|t| families.episode_outline(t).unwrap()).collect();
        let plan = Plan::make(
            tasks,
            vec![config.provider("kimi").unwrap()],
            RunOptions::default(),
            &HashSet::new(),
            None,
        )
        .unwrap();
        let estimate = estimate(&plan, &families);
        let counts = &estimate.providers[0].counts;
        let turns: usize = outlines.iter().map(|o| o.turns.len() + 1).sum();
        assert_eq!((counts.to_send, counts.requests), (3, turns as u64));
        assert!(estimate.episodes);
        // Every turn offers the environment's tools, and later turns carry the results so far.
        let first = &outlines[0];
        assert!(!first.tools.is_empty() && first.turns[0].len() >= 2, "{first:?}");
        assert!(first.turns[0][1].tool_call_id.is_some(), "the call's result follows it");
        let one_request =
            estimate_input_tokens(&build_request(&plan.tasks[0], &plan.providers[0].spec, &plan.options, 0));
        assert!(counts.est_input_tokens > turns as u64 * one_request, "tools and transcripts are counted");
        assert!(render(&estimate, Layout::Wide).text.contains("turn by turn"));
    }

    #[test]
    fn json_has_the_documented_fields() {
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&estimate(&two_suites_plan(), &Registry::default())).unwrap())
                .unwrap();
        assert_eq!((json["samples"].as_u64(), json["sent"].as_bool()), (Some(2), Some(false)));
        let kimi = &json["providers"][0];
        for field in [
            "name",
            "model",
            "items",
            "done",
            "cached",
            "to_send",
            "requests",
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
        let rendered = render(&estimate(&two_suites_plan(), &Registry::default()), Layout::Fit(80));
        let text = &rendered.text;
        for line in text.lines() {
            assert!(textwrap::core::display_width(line) <= 80, "too wide: {line}\n{text}");
        }
        for shown in ["kimi-k2.6", "no price", "Nothing was sent."] {
            assert!(text.contains(shown), "{shown} missing:\n{text}");
        }
        assert!(
            !text.contains("already") && !text.contains("cached") && !text.contains("requests"),
            "{text}"
        );
        assert_eq!(
            crate::report::layout::hidden_note(rendered.hidden).as_deref(),
            Some("(3 columns hidden; --wide shows all)")
        );
        let wide = render(&estimate(&two_suites_plan(), &Registry::default()), Layout::Wide);
        assert!(wide.text.contains("already done") && wide.text.contains("cached"), "{}", wide.text);
        assert_eq!(wide.hidden, 0);
    }
}
