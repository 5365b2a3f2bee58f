//! The circuit breaker of a provider that has never answered.
//!
//! A closed port or a dead gateway fails every request, and each item would spend its whole retry
//! schedule (about 15 s) before the next one is tried: 1,000 tasks against a dead endpoint took
//! minutes and thousands of connection attempts. A provider that has not answered once and whose
//! requests keep failing with connection errors or server errors (5xx) is stopped after a short streak,
//! like one whose key is rejected. Once a provider has answered, the breaker stays open for the rest of
//! the run: a server that worked is worth its retries.

use std::time::{Duration, Instant};

use crate::provider::ErrorClass;

/// Failed attempts in a row, with no answer ever, before the breaker may trip.
const STREAK: u32 = 4;

/// How long the streak must have lasted: a server still starting gets a few retries' worth of grace.
const GRACE: Duration = Duration::from_secs(3);

/// What one provider's requests have done so far, as the breaker sees it.
#[derive(Debug, Default)]
pub struct Breaker {
    answered: bool,
    streak: u32,
    since: Option<Instant>,
}

/// Why the breaker tripped: the streak it saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tripped {
    /// Failed attempts in a row.
    pub attempts: u32,
    /// From the first of them to the last.
    pub over: Duration,
}

impl Breaker {
    /// Count a successful attempt: the breaker will never trip.
    pub fn on_success(&mut self) {
        self.answered = true;
    }

    /// Count a failed attempt of `class` at `now`; `Some` when the provider should be stopped.
    pub fn on_failure(&mut self, class: ErrorClass, now: Instant) -> Option<Tripped> {
        if self.answered {
            return None;
        }
        if !matches!(class, ErrorClass::Network | ErrorClass::Server) {
            // A rate limit, a bad request or a timeout means something is listening.
            self.streak = 0;
            self.since = None;
            return None;
        }
        self.streak += 1;
        let since = *self.since.get_or_insert(now);
        let over = now.saturating_duration_since(since);
        (self.streak >= STREAK && over >= GRACE).then_some(Tripped { attempts: self.streak, over })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, secs: f64) -> Instant {
        start + Duration::from_secs_f64(secs)
    }

    #[test]
    fn trips_after_a_streak_that_lasted_the_grace() {
        let start = Instant::now();
        let mut breaker = Breaker::default();
        // Eight workers fail at once: not yet, the server may be starting.
        for _ in 0..8 {
            assert_eq!(breaker.on_failure(ErrorClass::Network, start), None);
        }
        assert_eq!(breaker.on_failure(ErrorClass::Server, at(start, 1.5)), None);
        let tripped = breaker.on_failure(ErrorClass::Network, at(start, 3.5));
        assert_eq!(tripped, Some(Tripped { attempts: 10, over: Duration::from_secs_f64(3.5) }));
    }

    #[test]
    fn one_at_a_time_trips_on_the_fourth_retry_schedule_step() {
        let start = Instant::now();
        let mut breaker = Breaker::default();
        for secs in [0.0, 0.5, 1.5] {
            assert_eq!(breaker.on_failure(ErrorClass::Network, at(start, secs)), None);
        }
        assert!(breaker.on_failure(ErrorClass::Network, at(start, 3.5)).is_some());
    }

    #[test]
    fn never_trips_once_the_provider_answered() {
        let start = Instant::now();
        let mut breaker = Breaker::default();
        breaker.on_success();
        for secs in 0..100 {
            assert_eq!(breaker.on_failure(ErrorClass::Network, at(start, f64::from(secs))), None);
        }
    }

    #[test]
    fn a_sign_of_life_restarts_the_streak() {
        let start = Instant::now();
        let mut breaker = Breaker::default();
        for secs in [0.0, 1.0, 2.0] {
            assert_eq!(breaker.on_failure(ErrorClass::Network, at(start, secs)), None);
        }
        assert_eq!(breaker.on_failure(ErrorClass::RateLimited, at(start, 2.5)), None);
        for secs in [3.0, 4.0, 5.0] {
            assert_eq!(breaker.on_failure(ErrorClass::Server, at(start, secs)), None);
        }
        assert!(breaker.on_failure(ErrorClass::Server, at(start, 6.0)).is_some());
    }

    #[test]
    fn only_connection_and_server_errors_count() {
        let start = Instant::now();
        let mut breaker = Breaker::default();
        for class in [
            ErrorClass::Overloaded,
            ErrorClass::Timeout,
            ErrorClass::TruncatedStream,
            ErrorClass::BadResponse,
        ] {
            for secs in 0..10 {
                assert_eq!(breaker.on_failure(class, at(start, f64::from(secs))), None);
            }
        }
    }
}
