//! Per-provider admission: concurrency that adapts to 429s (AIMD), a pause that honours `retry-after`
//! and the rate-limit headers' headroom, and request- and token-per-minute budgets spent evenly.
//!
//! Each provider has its own [`Limiter`], so one provider backing off never slows another.
//!
//! # Even budgets
//!
//! OpenAI and Anthropic both warn that a per-minute limit may be enforced over shorter intervals (60
//! RPM as one request a second), so a budget that lets a whole minute's requests out at once collects
//! 429s in the first seconds of a run. Here nothing bursts: requests go out one after another, each
//! once the budgets have earned back what the requests before it spent, and it then owes its own
//! share: `60 s / rpm` for the request and `tokens × 60 s / tpm` for its estimated tokens, whichever
//! is longer. No second then carries more than one second's requests, nor more than one second's
//! tokens plus the one request being sent.
//!
//! A request estimated larger than one second's tokens is not clipped to fit: it goes when the budget
//! is idle and the requests after it wait until its tokens are earned back, so the long-run rate is
//! exactly the budget (a request larger than a whole minute's budget, which the provider will refuse
//! anyway, is counted as one minute's).
//!
//! Budgets are paced at `PACE` (95%) of the configured rate: requests reach the provider a few
//! milliseconds earlier or later than they were sent, and at exactly the limit every arrival that
//! comes early against one a second before it would be refused by a provider counting over a sliding
//! second; 5% leaves about 50 ms of slack in every second.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::core::Headroom;

/// Share of a configured RPM or TPM budget that is used; see the module documentation.
const PACE: f64 = 0.95;

/// Admission control for one provider.
pub struct Limiter {
    max: f64,
    state: Mutex<State>,
    released: Notify,
    rpm: Option<Budget>,
    tpm: Option<Budget>,
}

struct State {
    /// Current concurrency limit; in-flight requests are admitted while fewer than its floor.
    limit: f64,
    in_flight: usize,
    paused_until: Option<Instant>,
    /// Incremented at every cut. A request carries the epoch it was sent in, and only a request sent
    /// after the latest cut can cut again: the rejections of one burst cut once (TCP's once per RTT).
    epoch: u64,
    /// When the RPM and TPM budgets will have earned back what the admitted requests spent: the
    /// earliest time the next request may go.
    budget_free_at: Option<Instant>,
}

impl State {
    /// No new request before `wait` from now (an earlier, longer pause stands).
    fn pause_for(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }
}

/// A per-minute budget (requests or tokens), spent evenly at `PACE` of its rate.
#[derive(Debug, Clone, Copy)]
struct Budget {
    per_minute: u64,
}

impl Budget {
    /// `None` for a zero budget (configuration rejects it; here it means no budget).
    fn new(per_minute: u64) -> Option<Budget> {
        (per_minute > 0).then_some(Budget { per_minute })
    }

    /// How long the budget takes to earn back `units` (at least one, at most a whole minute's).
    fn cost(self, units: u64) -> Duration {
        let units = units.clamp(1, self.per_minute);
        // At most 60 s / PACE: finite and in range, so this cannot panic.
        Duration::from_secs_f64(60.0 * units as f64 / (self.per_minute as f64 * PACE))
    }
}

/// A concurrency slot; dropping it frees the slot. It owns its limiter so it can move into a task.
pub struct Slot {
    limiter: Arc<Limiter>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut state) = self.limiter.state.lock() {
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        self.limiter.released.notify_one();
    }
}

impl Limiter {
    /// A limiter admitting up to `max_concurrency` requests at once and, when set, `rpm` requests and
    /// `tpm` tokens per minute.
    pub fn new(max_concurrency: u32, rpm: Option<u32>, tpm: Option<u64>) -> Limiter {
        let max = f64::from(max_concurrency.max(1));
        Limiter {
            max,
            state: Mutex::new(State {
                limit: max,
                in_flight: 0,
                paused_until: None,
                epoch: 0,
                budget_free_at: None,
            }),
            released: Notify::new(),
            rpm: rpm.and_then(|r| Budget::new(u64::from(r))),
            tpm: tpm.and_then(Budget::new),
        }
    }

    /// Wait for a concurrency slot under the current (adaptive) limit.
    pub async fn slot(self: &Arc<Self>) -> Slot {
        loop {
            let released = self.released.notified();
            tokio::pin!(released);
            released.as_mut().enable();
            {
                let mut state = self.lock();
                if (state.in_flight as f64) < state.limit.floor().max(1.0) {
                    state.in_flight += 1;
                    return Slot { limiter: Arc::clone(self) };
                }
            }
            released.await;
        }
    }

    /// Wait until a request of about `tokens` tokens may be sent: past any `retry-after` pause, and
    /// its turn under the RPM and TPM budgets (see the module documentation).
    ///
    /// The turn is taken when this is called; a caller that drops the future before it completes
    /// leaves its share of the budget unused.
    pub async fn admit(&self, tokens: u64) {
        loop {
            self.wait_out_pause().await;
            let Some(turn) = self.take_turn(tokens) else { return };
            tokio::time::sleep_until(turn).await;
            // A pause that began while this request waited for its turn sends it to the back of the
            // queue: the turns that fell within the pause would otherwise all go at once when it ends.
            if self.paused_until().is_none() {
                return;
            }
        }
    }

    async fn wait_out_pause(&self) {
        while let Some(until) = self.paused_until() {
            tokio::time::sleep_until(until).await;
        }
    }

    /// The end of the current pause, if one is in effect.
    fn paused_until(&self) -> Option<Instant> {
        self.lock().paused_until.filter(|&until| until > Instant::now())
    }

    /// When a request of `tokens` tokens may go under the budgets (none when there are none), with
    /// what it spends charged before the next request's turn.
    fn take_turn(&self, tokens: u64) -> Option<Instant> {
        let spend = [self.rpm.map(|b| b.cost(1)), self.tpm.map(|b| b.cost(tokens))];
        let spend = spend.into_iter().flatten().max()?;
        let now = Instant::now();
        let mut state = self.lock();
        let turn = state.budget_free_at.map_or(now, |free| free.max(now));
        state.budget_free_at = Some(turn + spend);
        Some(turn)
    }

    /// A request succeeded: additive increase, about one more slot per `limit` successes.
    pub fn on_success(&self) {
        let grew = {
            let mut state = self.lock();
            let before = state.limit.floor();
            state.limit = (state.limit + 1.0 / state.limit).min(self.max);
            state.limit.floor() > before
        };
        if grew {
            self.released.notify_one();
        }
    }

    /// The epoch to record with a request about to be sent, for [`Limiter::on_overload`].
    pub fn epoch(&self) -> u64 {
        self.lock().epoch
    }

    /// A request sent in `sent_epoch` was told the provider is overloaded or rate limited: halve the
    /// concurrency (once per burst) and, when the provider said how long to wait, pause new requests.
    pub fn on_overload(&self, sent_epoch: u64, retry_after: Option<Duration>) {
        let mut state = self.lock();
        if sent_epoch == state.epoch {
            state.limit = (state.limit / 2.0).max(1.0);
            state.epoch += 1;
        }
        if let Some(wait) = retry_after {
            state.pause_for(wait);
        }
    }

    /// A response said what is left of the provider's limits: when the requests still in flight
    /// would use up the rest of the window, or no tokens are left, pause new requests until the
    /// window resets rather than wait for 429s. Call it after the answered request gave back its slot.
    pub fn on_headroom(&self, headroom: &Headroom) {
        let mut state = self.lock();
        let in_flight = state.in_flight as u64;
        let spent = |limit: Option<(u64, Duration)>, floor: u64| limit.filter(|(left, _)| *left <= floor);
        let waits = [spent(headroom.requests, in_flight), spent(headroom.tokens, 0)];
        if let Some(wait) = waits.iter().flatten().map(|(_, reset)| *reset).max() {
            state.pause_for(wait);
        }
    }

    /// The current concurrency limit.
    #[cfg(test)]
    pub fn limit(&self) -> usize {
        self.lock().limit.floor() as usize
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the counters inconsistent, so keep going.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_on_overload_once_per_burst_and_recovers() {
        let limiter = Limiter::new(16, None, None);
        let sent = limiter.epoch();
        limiter.on_overload(sent, None);
        limiter.on_overload(sent, None);
        assert_eq!(limiter.limit(), 8, "two rejections of one burst cut once");
        limiter.on_overload(limiter.epoch(), None);
        assert_eq!(limiter.limit(), 4, "a request sent after the cut can cut again");
        for _ in 0..200 {
            limiter.on_success();
        }
        assert_eq!(limiter.limit(), 16, "additive increase climbs back to the configured maximum");
    }

    #[tokio::test(start_paused = true)]
    async fn slots_block_at_the_limit_and_free_on_drop() {
        let limiter = Arc::new(Limiter::new(2, None, None));
        let a = limiter.slot().await;
        let _b = limiter.slot().await;
        let third = tokio::time::timeout(Duration::from_secs(1), limiter.slot()).await;
        assert!(third.is_err(), "a third slot must wait");
        drop(a);
        let third = tokio::time::timeout(Duration::from_secs(1), limiter.slot()).await;
        assert!(third.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_pauses_admission() {
        let limiter = Limiter::new(4, None, None);
        limiter.on_overload(limiter.epoch(), Some(Duration::from_secs(5)));
        let start = Instant::now();
        limiter.admit(10).await;
        assert!(start.elapsed() >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn exhausted_headroom_pauses_until_the_window_resets() {
        let limiter = Arc::new(Limiter::new(4, None, None));
        let (_a, _b) = (limiter.slot().await, limiter.slot().await);
        let reset = Duration::from_secs(3);
        // Three requests left with two in flight: room for one more, no pause.
        limiter.on_headroom(&Headroom { requests: Some((3, reset)), tokens: None });
        let start = Instant::now();
        limiter.admit(1).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Two left and two in flight: the window is spent.
        limiter.on_headroom(&Headroom { requests: Some((2, reset)), tokens: None });
        limiter.admit(1).await;
        assert!(start.elapsed() >= reset);
        let start = Instant::now();
        limiter.on_headroom(&Headroom {
            requests: Some((500, reset)),
            tokens: Some((0, Duration::from_secs(7))),
        });
        limiter.admit(1).await;
        assert!(start.elapsed() >= Duration::from_secs(7), "no tokens left pauses too");
    }

    /// When each of `sizes` (estimated tokens) was admitted, offsets from the start, all requested
    /// at once as a run's workers do.
    async fn admission_times(limiter: &Limiter, sizes: &[u64]) -> Vec<Duration> {
        let start = Instant::now();
        let admits = sizes.iter().map(|&tokens| async move {
            limiter.admit(tokens).await;
            start.elapsed()
        });
        let mut times = futures_util::future::join_all(admits).await;
        times.sort();
        times
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    #[tokio::test(start_paused = true)]
    async fn rpm_budget_spaces_requests_evenly_from_the_start() {
        // 600 RPM is 10 a second: one every 100 ms, paced at 95% to 105.3 ms, and no burst.
        let times = admission_times(&Limiter::new(64, Some(600), None), &[1; 40]).await;
        assert_eq!(times[0], Duration::ZERO, "the first request goes at once");
        for pair in times.windows(2) {
            let gap = ms(pair[1] - pair[0]);
            assert!((100.0..=107.0).contains(&gap), "one request every ~105 ms, not a burst: {times:?}");
        }
        for (i, &t) in times.iter().enumerate() {
            let in_a_second = times[i..].iter().take_while(|&&u| u - t < Duration::from_secs(1)).count();
            assert!(in_a_second <= 10, "no second holds more than 600/60 requests: {times:?}");
        }
        let rate = 39.0 / times[39].as_secs_f64();
        assert!((9.4..10.0).contains(&rate), "the budget is used at about 95%: {rate}/s");
    }

    #[tokio::test(start_paused = true)]
    async fn tpm_budget_spaces_requests_by_their_tokens() {
        // 6000 TPM is 100 tokens a second, paced at 95 a second.
        let times = admission_times(&Limiter::new(64, None, Some(6000)), &[50; 20]).await;
        assert_eq!(times[0], Duration::ZERO);
        for pair in times.windows(2) {
            let gap = ms(pair[1] - pair[0]);
            assert!((500.0..=530.0).contains(&gap), "50 tokens every ~526 ms: {times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_larger_than_a_second_of_tokens_goes_and_is_paid_for_in_full() {
        // 100 tokens a second; a 1000-token request is ten seconds of budget.
        let limiter = Limiter::new(64, None, Some(6000));
        let start = Instant::now();
        limiter.admit(1000).await;
        assert_eq!(start.elapsed(), Duration::ZERO, "an idle budget admits it at once");
        limiter.admit(1).await;
        let waited = start.elapsed().as_secs_f64();
        assert!((10.0..10.6).contains(&waited), "the next request waits for all 1000 tokens: {waited}");
        // Larger than a whole minute's budget: admitted, and counted as a minute's.
        let start = Instant::now();
        limiter.admit(1_000_000).await;
        limiter.admit(1).await;
        let waited = start.elapsed().as_secs_f64();
        assert!((60.0..64.0).contains(&waited), "{waited}");
    }

    #[tokio::test(start_paused = true)]
    async fn rpm_and_tpm_together_wait_for_the_slower_of_the_two() {
        // 600 RPM (~105 ms a request) and 60,000 TPM (1000 tokens a second, ~1.05 ms a token).
        let small = admission_times(&Limiter::new(64, Some(600), Some(60_000)), &[10; 5]).await;
        assert!(small.windows(2).all(|p| (100.0..=107.0).contains(&ms(p[1] - p[0]))), "{small:?}");
        let large = admission_times(&Limiter::new(64, Some(600), Some(60_000)), &[500; 5]).await;
        assert!(large.windows(2).all(|p| (520.0..=535.0).contains(&ms(p[1] - p[0]))), "{large:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn no_budget_admits_at_once() {
        let times = admission_times(&Limiter::new(64, None, None), &[1_000_000; 50]).await;
        assert!(times.iter().all(|t| t.is_zero()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_does_not_release_the_queued_turns_at_once() {
        let limiter = Limiter::new(64, Some(600), None); // one request every ~105 ms
        let pause = async {
            tokio::time::sleep(Duration::from_millis(250)).await;
            limiter.on_overload(limiter.epoch(), Some(Duration::from_secs(2)));
        };
        let (times, ()) = tokio::join!(admission_times(&limiter, &[1; 10]), pause);
        let before: Vec<_> = times.iter().filter(|t| t.as_millis() < 250).collect();
        assert_eq!(before.len(), 3, "turns at 0, 105 and 211 ms went before the pause: {times:?}");
        let after = &times[3..];
        assert!(after[0] >= Duration::from_millis(2250), "the rest waited out the pause: {times:?}");
        assert!(after.windows(2).all(|p| p[1] - p[0] >= Duration::from_millis(100)), "{times:?}");
    }
}
