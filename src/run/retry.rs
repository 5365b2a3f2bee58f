//! When to retry a failed attempt and how long to wait: the official Anthropic and OpenAI SDKs' policy.
//!
//! Retry rate limits, overload, server errors (408, 409, 5xx incl. 529), timeouts, connection errors
//! and cut streams; honour `x-should-retry: false`; never retry auth errors, invalid requests, too-long
//! prompts, exhausted quota or spend limits. Wait `retry-after-ms` / `retry-after` when the server says
//! (up to two minutes: a longer demand is waited two minutes, then the request is tried again while
//! retries remain, rather than giving the item up at once), else `min(0.5 s * 2^n, 8 s)` minus up to
//! 25 % jitter.

use std::time::Duration;

use crate::provider::{ErrorClass, MAX_RETRY_AFTER, ProviderError};

/// The SDKs' exponential backoff: `min(0.5 * 2^retries_done, 8)` seconds, times `1 - 0.25 * jitter01`.
pub fn backoff(retries_done: u32, jitter01: f64) -> Duration {
    let base = (0.5 * 2f64.powi(retries_done.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter01.clamp(0.0, 1.0)))
}

/// How long to wait before the next attempt, or `None` when this failure is final.
pub fn next_delay(
    error: &ProviderError,
    retries_done: u32,
    max_retries: u32,
    jitter01: f64,
) -> Option<Duration> {
    let never = matches!(
        error.class,
        ErrorClass::Auth
            | ErrorClass::QuotaExhausted
            | ErrorClass::InvalidRequest
            | ErrorClass::ContextTooLong
    );
    if never || retries_done >= max_retries || error.should_retry == Some(false) {
        return None;
    }
    if !error.class.is_retryable() && error.should_retry != Some(true) {
        return None;
    }
    match error.retry_after {
        Some(wait) if !wait.is_zero() => Some(wait.min(MAX_RETRY_AFTER)),
        _ => Some(backoff(retries_done, jitter01)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(class: ErrorClass) -> ProviderError {
        ProviderError {
            class,
            status: None,
            message: String::new(),
            retry_after: None,
            should_retry: None,
            partial_usage: None,
        }
    }

    #[test]
    fn backoff_doubles_to_eight_seconds_with_at_most_a_quarter_off() {
        let secs: Vec<f64> = (0..6).map(|n| backoff(n, 0.0).as_secs_f64()).collect();
        assert_eq!(secs, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]);
        assert_eq!(backoff(2, 1.0).as_secs_f64(), 1.5);
    }

    #[test]
    fn retries_transient_classes_only() {
        for class in [
            ErrorClass::RateLimited,
            ErrorClass::Overloaded,
            ErrorClass::Server,
            ErrorClass::Timeout,
            ErrorClass::Network,
            ErrorClass::TruncatedStream,
        ] {
            assert!(next_delay(&error(class), 0, 4, 0.0).is_some(), "{class:?}");
        }
        for class in [
            ErrorClass::Auth,
            ErrorClass::QuotaExhausted,
            ErrorClass::InvalidRequest,
            ErrorClass::ContextTooLong,
            ErrorClass::BadResponse,
        ] {
            assert!(next_delay(&error(class), 0, 4, 0.0).is_none(), "{class:?}");
        }
    }

    #[test]
    fn honours_retry_after_and_the_servers_word() {
        let mut e = error(ErrorClass::RateLimited);
        e.retry_after = Some(Duration::from_secs(23));
        assert_eq!(next_delay(&e, 0, 4, 0.5), Some(Duration::from_secs(23)));
        e.retry_after = Some(Duration::from_secs(600));
        assert_eq!(next_delay(&e, 0, 4, 0.5), Some(MAX_RETRY_AFTER), "too long a demand waits the maximum");
        assert_eq!(next_delay(&e, 4, 4, 0.5), None, "but only when a retry is left");
        let mut e = error(ErrorClass::Server);
        e.should_retry = Some(false);
        assert_eq!(next_delay(&e, 0, 4, 0.0), None);
        let mut e = error(ErrorClass::BadResponse);
        e.should_retry = Some(true);
        assert!(next_delay(&e, 0, 4, 0.0).is_some());
        let mut e = error(ErrorClass::Auth);
        e.should_retry = Some(true);
        assert!(next_delay(&e, 0, 4, 0.0).is_none(), "auth is never retried");
    }

    #[test]
    fn stops_after_max_retries() {
        let e = error(ErrorClass::Overloaded);
        assert!(next_delay(&e, 3, 4, 0.0).is_some());
        assert!(next_delay(&e, 4, 4, 0.0).is_none());
    }
}
