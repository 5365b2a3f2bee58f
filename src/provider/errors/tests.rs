use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;

use super::*;
use crate::provider::sse::fixtures;

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    map
}

fn classify(status: u16, body: &str) -> ProviderError {
    classify_http_error(status, &HeaderMap::new(), body.as_bytes())
}

#[test]
fn class_properties() {
    use ErrorClass::*;
    let all = [
        RateLimited,
        Overloaded,
        Server,
        Timeout,
        Network,
        TruncatedStream,
        BadResponse,
        Auth,
        InvalidRequest,
        ContextTooLong,
        QuotaExhausted,
    ];
    for class in all {
        // as_str matches serde.
        assert_eq!(serde_json::to_value(class).unwrap(), json!(class.as_str()));
        let back: ErrorClass = serde_json::from_value(json!(class.as_str())).unwrap();
        assert_eq!(back, class);
    }
    let retryable: Vec<_> = all.iter().filter(|c| c.is_retryable()).collect();
    assert_eq!(retryable, [&RateLimited, &Overloaded, &Server, &Timeout, &Network, &TruncatedStream]);
    let fatal: Vec<_> = all.iter().filter(|c| c.is_fatal_for_provider()).collect();
    assert_eq!(fatal, [&Auth, &QuotaExhausted]);
    let overload: Vec<_> = all.iter().filter(|c| c.signals_overload()).collect();
    assert_eq!(overload, [&RateLimited, &Overloaded, &TruncatedStream]);
    assert_eq!(TruncatedStream.as_str(), "truncated_stream");
}

#[test]
fn display_format() {
    let mut err = ProviderError::new(ErrorClass::RateLimited, "slow down");
    assert_eq!(err.to_string(), "rate_limited: slow down");
    err.status = Some(429);
    assert_eq!(err.to_string(), "rate_limited (HTTP 429): slow down");
}

#[test]
fn anthropic_529_fixture_is_overloaded() {
    let Some(fixture) = fixtures::json("anthropic_error_529_overloaded.json") else { return };
    let status = fixture["http_status"].as_u64().unwrap() as u16;
    let body = serde_json::to_vec(&fixture["body"]).unwrap();
    let err = classify_http_error(status, &HeaderMap::new(), &body);
    assert_eq!(err.class, ErrorClass::Overloaded);
    assert_eq!(err.status, Some(529));
    assert_eq!(err.message, "overloaded_error: Overloaded");
    assert_eq!(err.retry_after, None);
}

#[test]
fn anthropic_429_http_fixture_is_rate_limited() {
    let Some(text) = fixtures::text("anthropic_error_429_rate_limit.http") else { return };
    let (status, headers, body) = fixtures::parse_http(&text);
    assert_eq!(status, 429);
    let err = classify_http_error(status, &headers, &body);
    assert_eq!(err.class, ErrorClass::RateLimited);
    assert_eq!(err.retry_after, Some(Duration::from_secs(23)));
    assert_eq!(err.should_retry, Some(true));
    assert!(err.message.starts_with("rate_limit_error: This request would exceed the rate limit"));
    assert!(!err.message.contains('\n'));
}

#[test]
fn openai_429_fixture_rate_limit_vs_quota() {
    let Some(fixture) = fixtures::json("openai_error_429_rate_limit.json") else { return };
    let body = serde_json::to_vec(&fixture["rate_limit_429"]).unwrap();
    let err = classify_http_error(429, &HeaderMap::new(), &body);
    assert_eq!(err.class, ErrorClass::RateLimited);
    // "Please try again in 20s." in the message.
    assert_eq!(err.retry_after, Some(Duration::from_secs(20)));
    assert!(err.message.starts_with("requests: Rate limit reached for gpt-4o-mini"));

    let body = serde_json::to_vec(&fixture["insufficient_quota_429_do_not_retry"]).unwrap();
    let err = classify_http_error(429, &HeaderMap::new(), &body);
    assert_eq!(err.class, ErrorClass::QuotaExhausted);
    assert!(err.class.is_fatal_for_provider());
    assert_eq!(err.retry_after, None);
}

#[test]
fn status_mapping() {
    let cases: &[(u16, &str, ErrorClass)] = &[
        (
            401,
            r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
            ErrorClass::Auth,
        ),
        (403, r#"{"error":{"type":"permission_error","message":"not allowed"}}"#, ErrorClass::Auth),
        (
            403,
            r#"{"error":{"type":"exceeded_current_quota_error","message":"Your account is suspended due to insufficient balance"}}"#,
            ErrorClass::QuotaExhausted,
        ),
        (402, r#"{"error":{"code":402,"message":"Insufficient credits"}}"#, ErrorClass::QuotaExhausted),
        (408, "", ErrorClass::Timeout),
        (
            409,
            r#"{"type":"error","error":{"type":"conflict_error","message":"conflict"}}"#,
            ErrorClass::Server,
        ),
        (
            400,
            r#"{"error":{"message":"Invalid 'messages': empty","type":"invalid_request_error","code":null}}"#,
            ErrorClass::InvalidRequest,
        ),
        (
            400,
            r#"{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}"#,
            ErrorClass::ContextTooLong,
        ),
        (
            400,
            r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#,
            ErrorClass::ContextTooLong,
        ),
        (
            400,
            r#"{"error":{"type":"invalid_request_error","message":"Invalid request: Input token length too long"}}"#,
            ErrorClass::ContextTooLong,
        ),
        (
            400,
            r#"{"error":{"type":"invalid_request_error","message":"Your request exceeded model token limit: 262144"}}"#,
            ErrorClass::ContextTooLong,
        ),
        (
            // llama.cpp's server (tools/server/utils.hpp, ERROR_TYPE_EXCEED_CONTEXT_SIZE).
            400,
            r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":40042,"n_ctx":32768}}"#,
            ErrorClass::ContextTooLong,
        ),
        (
            404,
            r#"{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
            ErrorClass::InvalidRequest,
        ),
        (
            413,
            r#"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}"#,
            ErrorClass::ContextTooLong,
        ),
        (422, r#"{"error":{"message":"Invalid Parameters"}}"#, ErrorClass::InvalidRequest),
        (
            429,
            r#"{"error":{"code":"1302","message":"High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits"}}"#,
            ErrorClass::RateLimited,
        ),
        (
            429,
            r#"{"error":{"code":"1113","message":"Your account is in arrears, please recharge and try again"}}"#,
            ErrorClass::QuotaExhausted,
        ),
        (
            429,
            r#"{"type":"error","error":{"type":"rate_limit_error","message":"spend limit","details":{"error_code":"enforced_spend_limit_reached"}}}"#,
            ErrorClass::QuotaExhausted,
        ),
        (
            429,
            r#"{"error":{"type":"exceeded_current_quota_error","message":"quota exceeded"}}"#,
            ErrorClass::QuotaExhausted,
        ),
        (
            429,
            r#"{"error":{"type":"rate_limit_reached_error","message":"We're receiving too many requests"}}"#,
            ErrorClass::RateLimited,
        ),
        (
            529,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            ErrorClass::Overloaded,
        ),
        (503, r#"{"error":{"message":"Server overloaded, please retry shortly"}}"#, ErrorClass::Overloaded),
        (503, r#"{"error":{"code":503,"message":"No instances available"}}"#, ErrorClass::Server),
        (
            500,
            r#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#,
            ErrorClass::Server,
        ),
        (
            500,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            ErrorClass::Overloaded,
        ),
        (504, "upstream timed out", ErrorClass::Server),
        (
            400,
            r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#,
            ErrorClass::QuotaExhausted,
        ),
        (418, "teapot", ErrorClass::InvalidRequest),
    ];
    for (status, body, want) in cases {
        let err = classify(*status, body);
        assert_eq!(err.class, *want, "status {status} body {body}: {err}");
        assert_eq!(err.status, Some(*status));
    }
}

#[test]
fn html_502_keeps_a_short_snippet() {
    let body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
    let err = classify(502, body);
    assert_eq!(err.class, ErrorClass::Server);
    assert_eq!(err.message, "502 Bad Gateway 502 Bad Gateway nginx/1.25.3");

    let long = format!("<html><body>{}</body></html>", "x ".repeat(1000));
    let err = classify(502, &long);
    assert!(err.message.chars().count() <= 201, "{}", err.message.len());
    assert!(!err.message.contains('<'));

    let err = classify(502, "");
    assert_eq!(err.message, "empty error body");
}

#[test]
fn retry_after_headers() {
    let body = br#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#;
    let err = classify_http_error(429, &headers(&[("retry-after-ms", "1500.5")]), body);
    assert_eq!(err.class, ErrorClass::RateLimited);
    assert_eq!(err.retry_after, Some(Duration::from_secs_f64(1.5005)));

    // retry-after-ms wins over retry-after.
    let err = classify_http_error(429, &headers(&[("retry-after-ms", "250"), ("retry-after", "30")]), body);
    assert_eq!(err.retry_after, Some(Duration::from_millis(250)));

    let err = classify_http_error(429, &headers(&[("retry-after", "2.5")]), body);
    assert_eq!(err.retry_after, Some(Duration::from_millis(2500)));

    let err = classify_http_error(429, &headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), body);
    assert_eq!(err.retry_after, Some(Duration::ZERO), "a date in the past means now");

    let future = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
    let date = jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&future).unwrap();
    let err = classify_http_error(503, &headers(&[("retry-after", &date)]), b"");
    let wait = err.retry_after.unwrap();
    assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");

    let err =
        classify_http_error(429, &headers(&[("retry-after", "soon"), ("x-should-retry", "false")]), body);
    assert_eq!(err.retry_after, None);
    assert_eq!(err.should_retry, Some(false));
}

#[test]
fn a_longer_wait_than_the_maximum_is_cut_to_it() {
    let body = br#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#;
    let err = classify_http_error(429, &headers(&[("retry-after", "3600")]), body);
    assert_eq!((err.class, err.retry_after), (ErrorClass::RateLimited, Some(MAX_RETRY_AFTER)));
    let err = classify(429, r#"{"error":{"message":"Please try again in 6m0s.","type":"requests"}}"#);
    assert_eq!(err.retry_after, Some(MAX_RETRY_AFTER));
    let err = classify_stream_error(&json!({"error": {"message": "Please try again in 1h.", "type": "x"}}));
    assert_eq!(err.retry_after, Some(MAX_RETRY_AFTER));
}

#[test]
fn retry_after_from_openai_messages() {
    let cases = [
        ("Please try again in 20s. Visit", Some(Duration::from_secs(20))),
        ("Please try again in 174ms.", Some(Duration::from_millis(174))),
        ("Please try again in 1m30s.", Some(Duration::from_secs(90))),
        ("Please try again in 6m0s.", Some(Duration::from_secs(360))),
        ("Please try again in 1.5s.", Some(Duration::from_millis(1500))),
        ("Please try again in 1h2m3.5s", Some(Duration::from_secs_f64(3723.5))),
        ("Please try again later.", None),
        ("no hint here", None),
    ];
    for (message, want) in cases {
        assert_eq!(retry_after_from_message(message), want, "{message}");
    }
}

#[test]
fn stream_errors_classify_by_type() {
    let cases = [
        (
            json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}),
            ErrorClass::Overloaded,
        ),
        (json!({"type":"error","error":{"type":"rate_limit_error","message":"x"}}), ErrorClass::RateLimited),
        (json!({"type":"error","error":{"type":"api_error","message":"Internal"}}), ErrorClass::Server),
        (json!({"type":"error","error":{"type":"authentication_error","message":"x"}}), ErrorClass::Auth),
        (json!({"type":"error","error":{"type":"billing_error","message":"x"}}), ErrorClass::QuotaExhausted),
        (
            json!({"type":"error","error":{"type":"invalid_request_error","message":"x"}}),
            ErrorClass::InvalidRequest,
        ),
        (json!({"error":{"code":502,"message":"Provider returned error"}}), ErrorClass::Server),
        (json!({"error":{"code":429,"message":"Rate limited upstream"}}), ErrorClass::RateLimited),
        (json!({"error":{"code":"server_error","message":"The server had an error"}}), ErrorClass::Server),
        (json!({"error":{"message":"something odd"}}), ErrorClass::Server),
        (json!({"error":"plain string error"}), ErrorClass::Server),
    ];
    for (value, want) in cases {
        let err = classify_stream_error(&value);
        assert_eq!(err.class, want, "{value}");
        assert_eq!(err.status, None);
        assert!(!err.message.is_empty());
    }
}

#[test]
fn one_line_collapses_and_caps() {
    assert_eq!(one_line("  a\n\tb  c ", 10), "a b c");
    assert_eq!(one_line("abcdef", 3), "abc…");
    assert_eq!(one_line("héllo wörld", 7), "héllo w…");
}
