//! The plan: every (task, provider, sample) a run must answer, minus what a resumed run already has and
//! what the response cache already knows.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::config::{Protocol, ProviderSpec};
use crate::core::{ItemKey, Outcome, RunOptions, Task};
use crate::families::Registry;
use crate::provider::ChatRequest;
use crate::store::{Reader, StoreError};

/// Output budget when neither the task, the command line nor the provider sets one.
pub const DEFAULT_MAX_TOKENS: u32 = 4096;

/// What one provider has to do.
pub struct ProviderPlan {
    /// The provider.
    pub spec: ProviderSpec,
    /// (task index, sample) pairs to request.
    pub pending: Vec<(usize, u32)>,
    /// (task index, sample, answer) found in the response cache.
    pub cached: Vec<(usize, u32, Outcome)>,
    /// Items a resumed run already answered.
    pub done: usize,
}

impl ProviderPlan {
    /// Items in the run for this provider, done or not.
    pub fn total(&self) -> usize {
        self.pending.len() + self.cached.len() + self.done
    }
}

/// Every provider's work over one shared task list.
pub struct Plan {
    /// The tasks, shared by every provider and the scoring pool.
    pub tasks: Arc<Vec<Task>>,
    /// One entry per provider, in command-line order.
    pub providers: Vec<ProviderPlan>,
    /// Run-wide options.
    pub options: RunOptions,
    /// Where episodes look up their turns, when the run uses the cache.
    pub turn_cache: Option<Arc<TurnCache>>,
}

/// The response cache as episodes read it while the run goes: one lookup per turn, because a turn's
/// request is known only once the turns before it have been answered and their tools run.
pub struct TurnCache(Mutex<Reader>);

impl TurnCache {
    /// Read turns through `reader` (a connection of its own: the plan's stays free).
    pub fn new(reader: Reader) -> TurnCache {
        TurnCache(Mutex::new(reader))
    }

    /// The cached answer to the turn under `key`. A failed read is a miss (the provider is asked),
    /// said once per failure in the log.
    pub(super) fn get(&self, key: &str) -> Option<Outcome> {
        let reader = self.0.lock().ok()?;
        reader.cached(key).inspect_err(|e| tracing::warn!("{e}; asking the provider instead")).ok().flatten()
    }
}

/// The request a provider gets for a task: the task's output budget, else the command line's, else the
/// provider's, else [`DEFAULT_MAX_TOKENS`].
pub fn build_request(task: &Task, spec: &ProviderSpec, options: &RunOptions, sample: u32) -> ChatRequest {
    ChatRequest {
        system: task.system.clone(),
        messages: task.messages.clone(),
        tools: task.tools.clone(),
        max_tokens: task.max_tokens.or(options.max_tokens).or(spec.max_tokens).unwrap_or(DEFAULT_MAX_TOKENS),
        temperature: options.temperature.or(spec.temperature),
        top_p: None,
        tool_choice: None,
        suite: task.suite.clone(),
        task_id: task.id.clone(),
        sample,
    }
}

/// Cache key: where the request goes (protocol, base URL, model, extra body fields) and what it says
/// (the canonical request), plus the sample index so `--samples 5` gives five independent answers.
/// A request that does not say everything the task asks adds the task's fingerprint and a turn
/// number (`turn`): one turn of an episode (its messages are the transcript so far; a cached episode
/// is replayed through its environment turn by turn, and where the environment now answers
/// differently the transcript differs and the provider is asked again), or a prompt built when sent.
pub fn cache_key(spec: &ProviderSpec, request: &ChatRequest, turn: Option<(&str, usize)>) -> String {
    let mut canonical = serde_json::json!({
        "protocol": spec.protocol.as_str(),
        "base_url": spec.base_url,
        "model": spec.model,
        "extra_body": spec.extra_body,
        "request": request,
        "sample": request.sample,
    });
    if let Some((fingerprint, turn)) = turn {
        canonical["episode"] = serde_json::json!({"task": fingerprint, "turn": turn});
    }
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    crate::core::hex(&digest)
}

/// The cache key of a task's single request: its request says everything it asks, unless its prompt
/// is built when sent (long context), where the task's fingerprint (which covers its recipe) does.
pub fn item_cache_key(spec: &ProviderSpec, request: &ChatRequest, task: &Task) -> String {
    match task.recipe {
        Some(_) => cache_key(spec, request, Some((&task.fingerprint(), 0))),
        None => cache_key(spec, request, None),
    }
}

/// Rough token count for budgets and estimates: about four ASCII characters a token, one token per
/// other character (CJK text runs close to that in the providers' tokenizers).
pub fn estimate_tokens(text: &str) -> u64 {
    let (ascii, other) =
        text.chars().fold((0u64, 0u64), |(a, o), c| if c.is_ascii() { (a + 1, o) } else { (a, o + 1) });
    ascii.div_ceil(4) + other
}

/// Estimated input tokens of a request (system, messages, tool schemas).
pub fn estimate_input_tokens(request: &ChatRequest) -> u64 {
    let system = request.system.as_deref().map(estimate_tokens).unwrap_or(0);
    let messages: u64 = request.messages.iter().map(|m| estimate_tokens(&m.content) + 4).sum();
    let tools: u64 = request.tools.iter().map(|t| estimate_tokens(&t.parameters.to_string()) + 8).sum();
    system + messages + tools
}

impl Plan {
    /// Plan `tasks` for every provider: skip items in `answered`, and take cached answers from `cache`.
    /// Episodes are always planned to run: their turns are looked up in the cache one by one as the
    /// environment replays them.
    pub fn make(
        tasks: Vec<Task>,
        specs: Vec<ProviderSpec>,
        options: RunOptions,
        answered: &HashSet<ItemKey>,
        cache: Option<(&Reader, &Registry)>,
    ) -> Result<Plan, StoreError> {
        let mut providers = Vec::with_capacity(specs.len());
        for spec in specs {
            let cacheable = options.use_cache && spec.protocol != Protocol::Replay;
            let mut plan = ProviderPlan { spec, pending: Vec::new(), cached: Vec::new(), done: 0 };
            for (index, task) in tasks.iter().enumerate() {
                for sample in 0..options.samples {
                    let key = ItemKey {
                        suite: task.suite.clone(),
                        task_id: task.id.clone(),
                        provider: plan.spec.name.clone(),
                        sample,
                    };
                    if answered.contains(&key) {
                        plan.done += 1;
                        continue;
                    }
                    let hit = match (cache, cacheable) {
                        (Some((reader, families)), true) if !families.runs_episodes(task) => {
                            reader.cached(&item_cache_key(
                                &plan.spec,
                                &build_request(task, &plan.spec, &options, sample),
                                task,
                            ))?
                        }
                        _ => None,
                    };
                    match hit {
                        Some(outcome) => plan.cached.push((index, sample, outcome)),
                        None => plan.pending.push((index, sample)),
                    }
                }
            }
            providers.push(plan);
        }
        Ok(Plan { tasks: Arc::new(tasks), providers, options, turn_cache: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::core::Message;

    fn task(id: &str, prompt: &str) -> Task {
        Task {
            id: id.into(),
            suite: "s".into(),
            family: "custom".into(),
            category: None,
            system: None,
            messages: vec![Message::user(prompt)],
            tools: vec![],
            max_tokens: None,
            expected: serde_json::Value::Null,
            meta: serde_json::Value::Null,
            recipe: None,
        }
    }

    fn options() -> RunOptions {
        RunOptions::default()
    }

    #[test]
    fn cache_key_depends_on_endpoint_request_and_sample() {
        let config = Config::parse("", "b.toml").unwrap();
        let kimi = config.provider("kimi").unwrap();
        let glm = config.provider("glm").unwrap();
        let t = task("a", "hello");
        let key = |spec: &ProviderSpec, t: &Task, sample| {
            cache_key(spec, &build_request(t, spec, &options(), sample), None)
        };
        assert_eq!(key(&kimi, &t, 0), key(&kimi, &t, 0), "deterministic");
        assert_ne!(key(&kimi, &t, 0), key(&kimi, &t, 1), "samples are independent");
        assert_ne!(key(&kimi, &t, 0), key(&glm, &t, 0), "providers are separate");
        assert_ne!(key(&kimi, &t, 0), key(&kimi, &task("a", "hello!"), 0), "prompts are separate");
        let mut other_model = kimi.clone();
        other_model.model = "kimi-k3".into();
        assert_ne!(key(&kimi, &t, 0), key(&other_model, &t, 0));
        assert_eq!(key(&kimi, &t, 0).len(), 64);
        // Turns of episodes that start with the same request in different environments are separate,
        // and so are two turns of one episode.
        let request = build_request(&t, &kimi, &options(), 0);
        let turn = |fingerprint, turn| cache_key(&kimi, &request, Some((fingerprint, turn)));
        assert_ne!(turn("business-1", 0), turn("desk-2", 0));
        assert_ne!(turn("business-1", 0), turn("business-1", 1));
        assert_ne!(turn("business-1", 0), cache_key(&kimi, &request, None));
    }

    #[test]
    fn plan_skips_answered_items_per_provider_and_sample() {
        let config = Config::parse("", "b.toml").unwrap();
        let specs = vec![config.provider("kimi").unwrap(), config.provider("glm").unwrap()];
        let answered: HashSet<ItemKey> =
            [ItemKey { suite: "s".into(), task_id: "b".into(), provider: "glm".into(), sample: 1 }].into();
        let opts = RunOptions { samples: 2, ..options() };
        let plan = Plan::make(vec![task("a", "x"), task("b", "y")], specs, opts, &answered, None).unwrap();
        assert_eq!(plan.providers[0].pending.len(), 4);
        assert_eq!(plan.providers[1].pending, vec![(0, 0), (0, 1), (1, 0)]);
        assert_eq!(plan.providers[1].done, 1);
        assert_eq!(plan.providers[1].total(), 4);
    }

    #[test]
    fn budgets_come_from_task_then_cli_then_provider() {
        let config = Config::parse("", "b.toml").unwrap();
        let mut spec = config.provider("kimi").unwrap();
        let mut t = task("a", "x");
        assert_eq!(build_request(&t, &spec, &options(), 0).max_tokens, DEFAULT_MAX_TOKENS);
        spec.max_tokens = Some(100);
        assert_eq!(build_request(&t, &spec, &options(), 0).max_tokens, 100);
        let cli = RunOptions { max_tokens: Some(50), ..options() };
        assert_eq!(build_request(&t, &spec, &cli, 0).max_tokens, 50);
        t.max_tokens = Some(10);
        assert_eq!(build_request(&t, &spec, &cli, 0).max_tokens, 10);
    }

    #[test]
    fn token_estimate_counts_cjk_per_character() {
        assert_eq!(estimate_tokens("abcdefgh"), 2);
        assert_eq!(estimate_tokens("你好世界"), 4);
        assert_eq!(estimate_tokens(""), 0);
    }
}
