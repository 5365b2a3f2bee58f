//! The scheduler: every provider runs at once, each under its own [`Limiter`]; every attempt and final
//! result goes to the run's sinks as it happens, and every answer to the scoring pool.
//!
//! Per provider, `max_concurrency` workers take items from the plan one at a time, so memory is
//! bounded by the provider's concurrency, not the plan's size. Each attempt then waits for a slot under
//! the limiter's adaptive limit, so a provider answering 429 sees fewer requests at once, retries
//! included.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rand::Rng;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::breaker::{Breaker, Tripped};
use super::events::{RunEvent, Sink};
use super::limiter::Limiter;
use super::plan::{
    Plan, ProviderPlan, TurnCache, build_request, cache_key, estimate_input_tokens, item_cache_key,
};
use super::prompt;
use super::retry;
use super::turns;
use crate::config::{Protocol, ProviderSpec, masked_url};
use crate::core::{ItemKey, Outcome, RunOptions, Task, Usage};
use crate::families::Registry;
use crate::provider::{ChatRequest, ErrorClass, Provider, ProviderError};
use crate::score::ScorePool;
use crate::store::{AttemptRecord, ProviderStop, ResultRecord, TurnRecord};

/// How a provider's part of the run ended.
#[derive(Debug, Clone)]
pub struct ProviderReport {
    /// Provider name.
    pub name: String,
    /// The error that stopped the provider early (bad key, exhausted quota, a dead endpoint), if any.
    pub stopped_by: Option<ProviderError>,
}

/// How sending a request (or running an episode) ended.
pub(super) enum Sent {
    /// An answer, after this many attempts.
    Answered(Box<Outcome>, u32),
    /// The error that survived the retries, after this many attempts.
    Failed(ProviderError, u32),
    /// The run or the provider stopped first: the item stays unanswered for a resumed run.
    Stopped,
}

/// Everything an item task needs, shared by all of a provider's items.
pub(super) struct ProviderRun {
    spec: ProviderSpec,
    provider: Arc<dyn Provider>,
    limiter: Arc<Limiter>,
    tasks: Arc<Vec<Task>>,
    families: Arc<Registry>,
    /// Compiled tool schemas, shared by every provider's episodes.
    pub(super) schemas: Arc<turns::Schemas>,
    options: RunOptions,
    /// Where episodes look up their turns; `None` when the run does not use the cache.
    pub(super) turn_cache: Option<Arc<TurnCache>>,
    sink: Arc<dyn Sink>,
    scorer: Arc<ScorePool>,
    /// Cancelled on Ctrl-C (parent) or when this provider hits a fatal error.
    stop: CancellationToken,
    fatal: Mutex<Option<ProviderError>>,
    breaker: Mutex<Breaker>,
}

/// Run the plan: all providers concurrently. Returns when every item is final or `cancel` fires.
pub async fn run(
    plan: Plan,
    providers: Vec<Arc<dyn Provider>>,
    families: Arc<Registry>,
    sink: Arc<dyn Sink>,
    scorer: Arc<ScorePool>,
    cancel: CancellationToken,
) -> Vec<ProviderReport> {
    let Plan { tasks, providers: plans, options, turn_cache } = plan;
    let mut handles = Vec::new();
    let schemas = Arc::new(turns::Schemas::default());
    for (plan, provider) in plans.into_iter().zip(providers) {
        let ProviderPlan { spec, pending, cached, .. } = plan;
        let replay = spec.protocol == Protocol::Replay;
        let run = Arc::new(ProviderRun {
            limiter: Arc::new(Limiter::new(spec.max_concurrency, spec.rpm, spec.tpm)),
            spec,
            provider,
            tasks: Arc::clone(&tasks),
            families: Arc::clone(&families),
            schemas: Arc::clone(&schemas),
            options: options.clone(),
            turn_cache: turn_cache.clone().filter(|_| !replay),
            sink: Arc::clone(&sink),
            scorer: Arc::clone(&scorer),
            stop: cancel.child_token(),
            fatal: Mutex::new(None),
            breaker: Mutex::new(Breaker::default()),
        });
        handles.push(tokio::spawn(dispatch(run, pending, cached)));
    }
    let mut reports = Vec::new();
    for handle in handles {
        match handle.await {
            Ok(report) => reports.push(report),
            Err(e) => tracing::error!("a provider dispatcher failed: {e}"),
        }
    }
    reports
}

async fn dispatch(
    run: Arc<ProviderRun>,
    pending: Vec<(usize, u32)>,
    cached: Vec<(usize, u32, Outcome)>,
) -> ProviderReport {
    for (index, sample, outcome) in cached {
        let key = run.key(index, sample);
        run.record_cache_hit(&key, 1, &outcome);
        run.finish(index, key, Ok(outcome), 1, true, None);
    }
    // oha's hot loop: `max_concurrency` long-lived workers take the next item from a shared index.
    let pending = Arc::new(pending);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = JoinSet::new();
    for _ in 0..(run.spec.max_concurrency as usize).min(pending.len()) {
        let (run, pending, next) = (Arc::clone(&run), Arc::clone(&pending), Arc::clone(&next));
        workers.spawn(async move {
            while !run.stop.is_cancelled() {
                let Some(&(index, sample)) = pending.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                run.answer(index, sample).await;
            }
        });
    }
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = run.stop.cancelled(), if !stopping => {
                // Ctrl-C: abandon in-flight requests (a resumed run redoes them). A fatal provider error
                // lets the requests already sent finish.
                if !run.is_fatal() {
                    workers.abort_all();
                }
                stopping = true;
            }
            next = workers.join_next() => if next.is_none() { break },
        }
    }
    let stopped_by = run.fatal.lock().ok().and_then(|f| f.clone());
    ProviderReport { name: run.spec.name.clone(), stopped_by }
}

impl ProviderRun {
    fn key(&self, index: usize, sample: u32) -> ItemKey {
        let task = &self.tasks[index];
        ItemKey {
            suite: task.suite.clone(),
            task_id: task.id.clone(),
            provider: self.spec.name.clone(),
            sample,
        }
    }

    fn cost(&self, usage: &Usage) -> f64 {
        self.spec.price.as_ref().map(|p| p.cost(usage)).unwrap_or(0.0)
    }

    fn is_fatal(&self) -> bool {
        self.fatal.lock().map(|f| f.is_some()).unwrap_or(true)
    }

    /// Send the attempt record of an answer taken from the cache instead of the provider.
    pub(super) fn record_cache_hit(&self, key: &ItemKey, attempt: u32, outcome: &Outcome) {
        self.send(RunEvent::Attempt(Box::new(AttemptRecord {
            key: key.clone(),
            attempt,
            started_at: jiff::Timestamp::now().to_string(),
            latency_ms: outcome.latency_ms,
            ttft_ms: outcome.ttft_ms,
            error: None,
            usage: outcome.usage,
            cost: self.cost(&outcome.usage),
            from_cache: true,
            usage_estimated: outcome.usage_estimated,
        })));
    }

    pub(super) fn send(&self, event: RunEvent) {
        if let Err(e) = self.sink.event(&event) {
            tracing::error!("{e}; stopping the run");
            self.stop.cancel();
        }
    }

    /// Answer one item, as one request or as an episode when its family starts an environment; the
    /// result goes to the store either way (unless the run stops first: a resumed run redoes it).
    async fn answer(&self, index: usize, sample: u32) {
        let task = &self.tasks[index];
        let key = self.key(index, sample);
        let mut request = build_request(task, &self.spec, &self.options, sample);
        if let Some(exceeded) = self.beyond_window(task, &request) {
            return self.finish(index, key, Err(exceeded), 0, false, None);
        }
        let cache_key = (self.options.use_cache && self.spec.protocol != Protocol::Replay)
            .then(|| item_cache_key(&self.spec, &request, task));
        let prompt = match self.families.build_prompt(task) {
            None => None,
            Some(Ok(built)) => Some(prompt::put(&mut request, built)),
            Some(Err(e)) => {
                let error =
                    ProviderError::new(ErrorClass::Environment, format!("cannot build the prompt: {e}"));
                return self.finish(index, key, Err(error), 0, false, None);
            }
        };
        let (sent, cache_key) = match self.families.environment(task).await {
            Ok(None) => match self.send_with_retries(&key, &request, 0).await {
                Sent::Answered(mut outcome, attempts) => {
                    outcome.prompt = prompt;
                    (Sent::Answered(outcome, attempts), cache_key)
                }
                other => (other, None),
            },
            // An episode's turns are cached one by one as they are answered.
            Ok(Some(environment)) => (turns::run_episode(self, &key, task, request, environment).await, None),
            Err(e) => (Sent::Failed(turns::environment_failure(e), 0), None),
        };
        match sent {
            Sent::Answered(outcome, attempts) => {
                let from_cache =
                    outcome.episode.as_ref().is_some_and(|e| e.turns.iter().all(|t| t.from_cache));
                self.finish(index, key, Ok(*outcome), attempts, from_cache, cache_key)
            }
            Sent::Failed(error, attempts) => self.finish(index, key, Err(error), attempts, false, None),
            Sent::Stopped => {}
        }
    }

    /// The error a task gets instead of being sent when its prompt is longer than the provider's
    /// context window (a capability the analysis counts as `context_exceeded`, not a failure of
    /// the provider).
    fn beyond_window(&self, task: &Task, request: &ChatRequest) -> Option<ProviderError> {
        let window = self.spec.context_window;
        prompt::beyond_window(window, &self.families, task, request).map(|(tokens, window)| {
            ProviderError::new(
                ErrorClass::ContextTooLong,
                format!(
                    "not sent: the prompt is about {tokens} tokens (o200k count), more than the {window}-token context window of `{}`",
                    self.spec.name
                ),
            )
        })
    }

    /// One turn of an episode: from the cache when an earlier run answered the same transcript in the
    /// same task (`fingerprint`, given when the run caches), else from the provider, and then cached.
    /// Also says whether the answer came from the cache.
    pub(super) async fn answer_turn(
        &self,
        key: &ItemKey,
        request: &ChatRequest,
        (fingerprint, turn): (Option<&str>, usize),
        attempts_before: u32,
    ) -> (Sent, bool) {
        let cache_key = fingerprint.map(|f| cache_key(&self.spec, request, Some((f, turn))));
        let cached = self.turn_cache.as_ref().zip(cache_key.as_deref()).and_then(|(cache, k)| cache.get(k));
        if let Some(outcome) = cached {
            self.record_cache_hit(key, attempts_before + 1, &outcome);
            return (Sent::Answered(Box::new(outcome), 1), true);
        }
        let sent = self.send_with_retries(key, request, attempts_before).await;
        if let (Sent::Answered(outcome, _), Some(cache_key)) = (&sent, cache_key) {
            self.send(RunEvent::Turn(Box::new(TurnRecord { cache_key, outcome: (**outcome).clone() })));
        }
        (sent, false)
    }

    /// Send one request with retries, each attempt under the limiter and sent to the sinks; attempts
    /// are numbered after `attempts_before` (the earlier turns of an episode).
    pub(super) async fn send_with_retries(
        &self,
        key: &ItemKey,
        request: &ChatRequest,
        attempts_before: u32,
    ) -> Sent {
        let tokens = estimate_input_tokens(request) + u64::from(request.max_tokens);
        let mut attempt = attempts_before;
        loop {
            attempt += 1;
            let slot = self.limiter.slot().await;
            self.limiter.admit(tokens).await;
            if self.stop.is_cancelled() {
                // Stopped while waiting (Ctrl-C, or a fatal error on another item): leave the item
                // unanswered for a resumed run rather than send a request known to be useless.
                return Sent::Stopped;
            }
            let epoch = self.limiter.epoch();
            let started_at = jiff::Timestamp::now().to_string();
            let start = Instant::now();
            let result = match tokio::time::timeout(self.spec.timeout, self.provider.complete(request)).await
            {
                Ok(result) => result,
                Err(_) => Err(ProviderError::new(
                    ErrorClass::Timeout,
                    format!("no complete answer within {:?}", self.spec.timeout),
                )),
            };
            let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
            drop(slot);
            let usage = match &result {
                Ok(outcome) => outcome.usage,
                Err(e) => e.partial_usage.unwrap_or_default(),
            };
            let cost = self.cost(&usage);
            self.send(RunEvent::Attempt(Box::new(AttemptRecord {
                key: key.clone(),
                attempt,
                started_at,
                latency_ms,
                ttft_ms: result.as_ref().ok().and_then(|o| o.ttft_ms),
                error: result.as_ref().err().cloned(),
                usage,
                cost,
                from_cache: false,
                usage_estimated: result.as_ref().is_ok_and(|o| o.usage_estimated),
            })));
            let error = match result {
                Ok(outcome) => {
                    self.limiter.on_success();
                    if let Ok(mut breaker) = self.breaker.lock() {
                        breaker.on_success();
                    }
                    if let Some(headroom) = &outcome.headroom {
                        self.limiter.on_headroom(headroom);
                    }
                    return Sent::Answered(Box::new(outcome), attempt - attempts_before);
                }
                Err(error) => error,
            };
            if error.class.signals_overload() {
                self.limiter.on_overload(epoch, error.retry_after);
            }
            if error.is_fatal_for_provider() {
                self.stop_provider(error.clone());
            } else if let Some(tripped) =
                self.breaker.lock().ok().and_then(|mut b| b.on_failure(error.class, Instant::now()))
            {
                self.stop_provider(self.dead_endpoint(&error, tripped));
            }
            let retries_done = attempt - attempts_before - 1;
            let delay = retry::next_delay(&error, retries_done, self.spec.max_retries, rand::rng().random());
            match delay {
                Some(delay) if !self.stop.is_cancelled() => {
                    tracing::debug!(provider = %self.spec.name, task = %key.task_id, ?delay, "retrying after {error}");
                    tokio::select! {
                        _ = self.stop.cancelled() => {}
                        _ = tokio::time::sleep(delay) => continue,
                    }
                }
                _ => {}
            }
            return Sent::Failed(error, attempt - attempts_before);
        }
    }

    /// Stop sending to this provider: every further request would fail like `error`. The first reason
    /// is kept and recorded; requests already sent finish.
    fn stop_provider(&self, error: ProviderError) {
        let first = match self.fatal.lock() {
            Ok(mut fatal) if fatal.is_none() => {
                *fatal = Some(error.clone());
                true
            }
            _ => false,
        };
        if first {
            tracing::warn!(
                provider = %self.spec.name,
                "stopped sending ({}); the reason is given when the run ends",
                error.class.as_str()
            );
            self.send(RunEvent::Stopped(Box::new(ProviderStop { provider: self.spec.name.clone(), error })));
        }
        self.stop.cancel();
    }

    /// The reason a provider that never answered is stopped by its circuit breaker.
    fn dead_endpoint(&self, last: &ProviderError, tripped: Tripped) -> ProviderError {
        let mut error = last.clone();
        error.message = format!(
            "{} requests in a row over {:.1} s failed and none ever succeeded (last: {}); is {} up?",
            tripped.attempts,
            tripped.over.as_secs_f64(),
            last.message,
            masked_url(&self.spec.base_url)
        );
        error.retry_after = None;
        error
    }

    /// Hand an answer to the scoring pool and send the item's final result.
    fn finish(
        &self,
        index: usize,
        key: ItemKey,
        outcome: Result<Outcome, ProviderError>,
        attempts: u32,
        from_cache: bool,
        cache_key: Option<String>,
    ) {
        let cost = outcome.as_ref().map(|o| self.cost(&o.usage)).unwrap_or(0.0);
        if let Ok(answer) = &outcome {
            self.scorer.submit(Arc::clone(&self.tasks), index, key.clone(), answer.clone());
        }
        self.send(RunEvent::Result(Box::new(ResultRecord {
            key,
            outcome,
            attempts,
            cost,
            from_cache,
            cache_key,
        })));
    }
}
