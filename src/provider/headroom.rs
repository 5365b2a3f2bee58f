//! What a provider's rate-limit headers say is left of its limits, read from every successful
//! response so the scheduler can pause before the provider starts answering 429.
//!
//! | provider | headers |
//! |---|---|
//! | Anthropic | `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{remaining,reset}`, reset as RFC 3339 |
//! | OpenAI (and most compatible servers) | `x-ratelimit-remaining-{requests,tokens}`, `x-ratelimit-reset-{requests,tokens}` as Go durations (`6m0s`, `120ms`) |
//! | Moonshot and others | `x-ratelimit-remaining`, `x-ratelimit-reset` in seconds or as a Unix time |

use std::time::Duration;

use reqwest::header::HeaderMap;

use super::errors::MAX_RETRY_AFTER;
use super::errors::leading_duration;
use crate::core::Headroom;

/// Reads the headers; `None` when the response carries no rate-limit headers.
pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Headroom> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let pair = |remaining: &str, reset: &str| -> Option<(u64, Duration)> {
        let left = text(remaining)?.parse::<u64>().ok()?;
        Some((left, reset_in(text(reset)?)?))
    };
    let anthropic_tokens = ["tokens", "input-tokens", "output-tokens"]
        .iter()
        .filter_map(|kind| {
            pair(
                &format!("anthropic-ratelimit-{kind}-remaining"),
                &format!("anthropic-ratelimit-{kind}-reset"),
            )
        })
        .min_by_key(|(left, _)| *left);
    let headroom = Headroom {
        requests: pair("anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset")
            .or_else(|| pair("x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"))
            .or_else(|| pair("x-ratelimit-remaining", "x-ratelimit-reset")),
        tokens: anthropic_tokens.or_else(|| pair("x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens")),
    };
    (headroom != Headroom::default()).then_some(headroom)
}

/// A reset given as an RFC 3339 time, a Go duration, seconds, or a Unix time, as a wait from now
/// (never past [`MAX_RETRY_AFTER`], so a skewed clock cannot stall a run).
fn reset_in(value: &str) -> Option<Duration> {
    let wait = if let Ok(when) = value.parse::<jiff::Timestamp>() {
        let ms = when.as_millisecond().saturating_sub(jiff::Timestamp::now().as_millisecond());
        Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    } else if let Ok(number) = value.parse::<f64>() {
        let now = jiff::Timestamp::now().as_second() as f64;
        let secs = if number > 1e9 { number - now } else { number };
        Duration::from_secs_f64(secs.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        leading_duration(value)?
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn anthropic_headers_take_the_tightest_token_limit() {
        let soon = |s: i64| (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(s)).to_string();
        let h = from_headers(&headers(&[
            ("anthropic-ratelimit-requests-remaining", "999".into()),
            ("anthropic-ratelimit-requests-reset", soon(10)),
            ("anthropic-ratelimit-tokens-remaining", "96000".into()),
            ("anthropic-ratelimit-tokens-reset", soon(10)),
            ("anthropic-ratelimit-output-tokens-remaining", "120".into()),
            ("anthropic-ratelimit-output-tokens-reset", soon(30)),
        ]))
        .unwrap();
        let (left, reset) = h.requests.unwrap();
        assert_eq!(left, 999);
        assert!(reset > Duration::from_secs(8) && reset <= Duration::from_secs(10), "{reset:?}");
        let (left, reset) = h.tokens.unwrap();
        assert_eq!(left, 120);
        assert!(reset > Duration::from_secs(28), "{reset:?}");
    }

    #[test]
    fn openai_and_moonshot_forms() {
        let h = from_headers(&headers(&[
            ("x-ratelimit-remaining-requests", "0".into()),
            ("x-ratelimit-reset-requests", "1m30s".into()),
            ("x-ratelimit-remaining-tokens", "1500".into()),
            ("x-ratelimit-reset-tokens", "120ms".into()),
        ]))
        .unwrap();
        assert_eq!(h.requests, Some((0, Duration::from_secs(90))));
        assert_eq!(h.tokens, Some((1500, Duration::from_millis(120))));
        let moonshot = from_headers(&headers(&[
            ("x-ratelimit-remaining", "3".into()),
            ("x-ratelimit-reset", "7".into()),
        ]))
        .unwrap();
        assert_eq!(moonshot.requests, Some((3, Duration::from_secs(7))));
        let far = from_headers(&headers(&[
            ("x-ratelimit-remaining-requests", "0".into()),
            ("x-ratelimit-reset-requests", "6h".into()),
        ]))
        .unwrap();
        assert_eq!(far.requests, Some((0, MAX_RETRY_AFTER)), "a long reset is capped");
        assert_eq!(from_headers(&headers(&[("x-ratelimit-remaining-requests", "x".into())])), None);
        assert_eq!(from_headers(&HeaderMap::new()), None);
    }
}
