//! Per-provider admission: concurrency that adapts to 429s (AIMD), a pause that honours `retry-after`
//! and the rate-limit headers' headroom, and request- and token-per-minute budgets (governor's GCRA).
//!
//! Each provider has its own [`Limiter`], so one provider backing off never slows another.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Jitter, Quota, RateLimiter};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::core::Headroom;

/// Admission control for one provider.
pub struct Limiter {
    max: f64,
    state: Mutex<State>,
    released: Notify,
    rpm: Option<DefaultDirectRateLimiter>,
    tpm: Option<(DefaultDirectRateLimiter, NonZeroU32)>,
}

struct State {
    /// Current concurrency limit; in-flight requests are admitted while fewer than its floor.
    limit: f64,
    in_flight: usize,
    paused_until: Option<Instant>,
    /// Incremented at every cut. A request carries the epoch it was sent in, and only a request sent
    /// after the latest cut can cut again: the rejections of one burst cut once (TCP's once per RTT).
    epoch: u64,
}

impl State {
    /// No new request before `wait` from now (an earlier, longer pause stands).
    fn pause_for(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
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

fn per_minute(n: u64) -> Option<(DefaultDirectRateLimiter, NonZeroU32)> {
    let n = NonZeroU32::new(n.min(u64::from(u32::MAX)) as u32)?;
    // A full minute's budget as burst: the token bucket the providers themselves describe.
    Some((RateLimiter::direct(Quota::per_minute(n)), n))
}

impl Limiter {
    /// A limiter admitting up to `max_concurrency` requests at once and, when set, `rpm` requests and
    /// `tpm` tokens per minute.
    pub fn new(max_concurrency: u32, rpm: Option<u32>, tpm: Option<u64>) -> Limiter {
        let max = f64::from(max_concurrency.max(1));
        Limiter {
            max,
            state: Mutex::new(State { limit: max, in_flight: 0, paused_until: None, epoch: 0 }),
            released: Notify::new(),
            rpm: rpm.and_then(|r| per_minute(u64::from(r))).map(|(l, _)| l),
            tpm: tpm.and_then(per_minute),
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
    /// within the RPM and TPM budgets.
    pub async fn admit(&self, tokens: u64) {
        loop {
            let paused_until = self.lock().paused_until;
            match paused_until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => break,
            }
        }
        let jitter = Jitter::up_to(Duration::from_millis(20));
        if let Some(rpm) = &self.rpm {
            rpm.until_ready_with_jitter(jitter).await;
        }
        if let Some((tpm, capacity)) = &self.tpm {
            // A request larger than a whole minute's budget waits for a full bucket rather than never.
            let n =
                NonZeroU32::new(tokens.clamp(1, u64::from(capacity.get())) as u32).unwrap_or(NonZeroU32::MIN);
            let _ = tpm.until_n_ready_with_jitter(n, jitter).await;
        }
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

    /// The current concurrency limit (for progress display and tests).
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

    #[tokio::test]
    async fn rpm_budget_spaces_requests_after_the_burst() {
        let limiter = Limiter::new(4, Some(600), None); // 10 per second after a burst of 600
        let start = std::time::Instant::now();
        for _ in 0..600 {
            limiter.admit(1).await;
        }
        assert!(start.elapsed() < Duration::from_millis(500), "the burst is admitted at once");
        limiter.admit(1).await;
        limiter.admit(1).await;
        assert!(start.elapsed() >= Duration::from_millis(90), "then one per 100 ms");
    }
}
