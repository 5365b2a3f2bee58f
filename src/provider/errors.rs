//! Failure classification shared by every adapter.
//!
//! Providers fail in many dialects (Anthropic, OpenAI, OpenRouter, Z.ai, Kimi, DeepSeek, nginx pages);
//! the scheduler only wants to know whether to retry, back off, or give up on a provider. Everything here
//! turns a status line, headers and a body (or an in-stream error object, or a transport failure) into
//! one [`ProviderError`] with an [`ErrorClass`]. Messages never carry request headers or keys.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::Usage;

/// Longest server-requested wait honoured: a longer `retry-after` (or "try again in") is cut to it, so
/// the retry policy in `run::retry` waits this long and tries again, and one answer cannot pause a
/// provider for hours; rate-limit headers are capped at it too.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// Infrastructure failure classes (DESIGN): each is retryable or not, and never a wrong answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The caller's rate limit was hit (HTTP 429 that is not a quota problem).
    RateLimited,
    /// The provider is overloaded as a whole (Anthropic 529, 503 "overloaded").
    Overloaded,
    /// A server-side failure (other 5xx, 409, in-stream `api_error`).
    Server,
    /// The request or a read timed out (HTTP 408 or a client timeout).
    Timeout,
    /// Connecting or sending failed before any response arrived.
    Network,
    /// The response stream was cut before the protocol's end marker.
    TruncatedStream,
    /// The provider answered 2xx with something this harness cannot parse.
    BadResponse,
    /// The key was rejected (401, 403).
    Auth,
    /// The request itself is wrong (400, 404, 422); retrying cannot help.
    InvalidRequest,
    /// The prompt does not fit the model's context window.
    ContextTooLong,
    /// Credits, balance or spend limit exhausted; no request will succeed until someone pays.
    QuotaExhausted,
    /// A task's tool environment broke (its server did not start, crashed or timed out).
    Environment,
}

impl ErrorClass {
    /// The snake_case name, identical to the serde form, for the store and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::RateLimited => "rate_limited",
            ErrorClass::Overloaded => "overloaded",
            ErrorClass::Server => "server",
            ErrorClass::Timeout => "timeout",
            ErrorClass::Network => "network",
            ErrorClass::TruncatedStream => "truncated_stream",
            ErrorClass::BadResponse => "bad_response",
            ErrorClass::Auth => "auth",
            ErrorClass::InvalidRequest => "invalid_request",
            ErrorClass::ContextTooLong => "context_too_long",
            ErrorClass::QuotaExhausted => "quota_exhausted",
            ErrorClass::Environment => "environment",
        }
    }

    /// Whether another attempt of the same request may succeed (transient failures only).
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorClass::RateLimited
                | ErrorClass::Overloaded
                | ErrorClass::Server
                | ErrorClass::Timeout
                | ErrorClass::Network
                | ErrorClass::TruncatedStream
        )
    }

    /// Whether every further request to this provider would fail the same way (bad key, no money), so the
    /// scheduler should stop sending to it.
    pub fn is_fatal_for_provider(self) -> bool {
        matches!(self, ErrorClass::Auth | ErrorClass::QuotaExhausted)
    }

    /// Whether the provider is telling us to slow down; the scheduler halves its concurrency (AIMD).
    ///
    /// A cut stream counts: it is how a server out of capacity sheds work without a status code.
    /// llama-cpp-python ends its running stream whenever a second request arrives, and proxies and
    /// gateways cut long streams under load. Halving happens once per burst and grows back by one slot
    /// per `limit` successes, so a cut with another cause (a network blip) costs a little throughput
    /// for a while, whereas not backing off from a one-at-a-time server cuts nearly every answer.
    pub fn signals_overload(self) -> bool {
        matches!(self, ErrorClass::RateLimited | ErrorClass::Overloaded | ErrorClass::TruncatedStream)
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failed attempt, classified, with what the provider said about retrying it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    /// What kind of failure this is; drives retry and backoff.
    pub class: ErrorClass,
    /// HTTP status, when the failure came with one.
    pub status: Option<u16>,
    /// A short single-line description (the provider's own message where it sent one).
    pub message: String,
    /// How long the provider asked us to wait (`retry-after-ms`, `retry-after`, or the message text).
    pub retry_after: Option<Duration>,
    /// The provider's explicit retry advice (`x-should-retry`).
    pub should_retry: Option<bool>,
    /// Tokens the provider reported before failing mid-stream (billed even though the answer is lost).
    pub partial_usage: Option<Usage>,
}

impl ProviderError {
    /// Whether every further request to this provider would fail the same way: a rejected key, no
    /// money, or a 404 (a wrong base URL or an unknown model), so the scheduler should stop sending.
    pub fn is_fatal_for_provider(&self) -> bool {
        self.class.is_fatal_for_provider() || self.status == Some(404)
    }

    /// An error of `class` with a message and nothing else known.
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        ProviderError {
            class,
            status: None,
            message: message.into(),
            retry_after: None,
            should_retry: None,
            partial_usage: None,
        }
    }

    /// The same error with every copy of `secret` masked, for servers that echo a rejected key back.
    pub(crate) fn redacted(mut self, secret: &str) -> Self {
        if !secret.is_empty() && self.message.contains(secret) {
            self.message = self.message.replace(secret, "***");
        }
        self
    }

    /// The same error with the tokens reported before it happened.
    pub fn with_partial_usage(mut self, usage: Usage) -> Self {
        self.partial_usage = Some(usage);
        self
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "{} (HTTP {}): {}", self.class, status, self.message),
            None => write!(f, "{}: {}", self.class, self.message),
        }
    }
}

impl std::error::Error for ProviderError {}

/// Longest message kept from a provider (full Anthropic messages run to ~500 characters).
const MAX_MESSAGE_CHARS: usize = 600;
/// Longest snippet kept from a body that is not a JSON error object (nginx pages and the like).
const MAX_SNIPPET_CHARS: usize = 200;

/// The fields of an error object, whichever dialect it came in.
#[derive(Debug, Default)]
struct ErrorInfo {
    /// `error.type` (Anthropic, OpenAI, Kimi).
    kind: Option<String>,
    /// `error.code` as text (OpenAI string codes, Z.ai "1302", OpenRouter integers).
    code: Option<String>,
    /// `error.code` when it is an integer (OpenRouter puts the HTTP status there).
    numeric_code: Option<u16>,
    /// Anthropic's `error.details.error_code` (e.g. `enforced_spend_limit_reached`).
    details_code: Option<String>,
    /// `error.message` (or the body snippet).
    message: String,
}

impl ErrorInfo {
    /// Read an error object: either the `{"error": {...}}` envelope or the inner object itself.
    fn from_value(v: &Value) -> Option<ErrorInfo> {
        let inner = match v.get("error") {
            Some(inner @ Value::Object(_)) => inner,
            Some(Value::String(msg)) => {
                return Some(ErrorInfo { message: msg.clone(), ..ErrorInfo::default() });
            }
            _ if v.get("message").is_some() || v.get("type").is_some() => v,
            _ => return None,
        };
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let numeric_code = inner.get("code").and_then(Value::as_u64).and_then(|n| u16::try_from(n).ok());
        Some(ErrorInfo {
            kind: text(inner.get("type")),
            code: text(inner.get("code")),
            numeric_code,
            details_code: text(inner.get("details").and_then(|d| d.get("error_code"))),
            message: text(inner.get("message")).unwrap_or_default(),
        })
    }

    /// `type`, `code` and `details.error_code`, whichever are present.
    fn tags(&self) -> impl Iterator<Item = &str> {
        [&self.kind, &self.code, &self.details_code].into_iter().flatten().map(String::as_str)
    }

    fn has_tag(&self, wanted: &[&str]) -> bool {
        self.tags().any(|t| wanted.iter().any(|w| t.eq_ignore_ascii_case(w)))
    }

    fn message_lower(&self) -> String {
        self.message.to_ascii_lowercase()
    }

    /// Explicit quota/billing codes that mean "pay first" whatever the status.
    fn quota_tag(&self) -> bool {
        self.has_tag(&[
            "insufficient_quota",
            "enforced_spend_limit_reached",
            "exceeded_current_quota_error",
            "billing_error",
            "1113",
        ])
    }

    /// Quota/billing signals in the message text (used where the status already hints at it).
    fn quota_text(&self) -> bool {
        let m = self.message_lower();
        ["arrears", "balance", "quota", "billing", "credit"].iter().any(|w| m.contains(w))
    }

    fn context_text(&self) -> bool {
        let m = self.message_lower();
        [
            "context length",
            "context_length",
            "maximum context",
            "context window",
            "context size",
            "prompt is too long",
            "input token length too long",
            "exceeded model token limit",
            "model_context_window_exceeded",
            "too many tokens",
        ]
        .iter()
        .any(|w| m.contains(w))
            || self.has_tag(&["context_length_exceeded", "model_context_window_exceeded"])
    }

    fn overload_text(&self) -> bool {
        self.message_lower().contains("overload") || self.tags().any(|t| t.contains("overload"))
    }

    /// A description with the provider's tag in front, for the store and logs.
    fn describe(&self) -> String {
        let tag = self.kind.as_deref().or(self.code.as_deref()).unwrap_or("");
        let msg = one_line(&self.message, MAX_MESSAGE_CHARS);
        match (tag.is_empty(), msg.is_empty()) {
            (true, _) => msg,
            (false, true) => tag.to_string(),
            (false, false) => format!("{tag}: {msg}"),
        }
    }
}

/// Class for an HTTP status plus what the body said.
fn classify_status(status: u16, info: &ErrorInfo) -> ErrorClass {
    if info.has_tag(&["overloaded_error"]) {
        return ErrorClass::Overloaded;
    }
    match status {
        401 => ErrorClass::Auth,
        402 => ErrorClass::QuotaExhausted,
        403 if info.quota_tag() || info.quota_text() => ErrorClass::QuotaExhausted,
        403 => ErrorClass::Auth,
        408 => ErrorClass::Timeout,
        409 => ErrorClass::Server,
        413 => ErrorClass::ContextTooLong,
        400 | 404 | 422 if info.context_text() => ErrorClass::ContextTooLong,
        400 | 404 | 422 if info.quota_tag() || has_word(&info.message_lower(), QUOTA_400_WORDS) => {
            ErrorClass::QuotaExhausted
        }
        429 if info.quota_tag() || has_word(&info.message_lower(), QUOTA_429_WORDS) => {
            ErrorClass::QuotaExhausted
        }
        429 => ErrorClass::RateLimited,
        529 => ErrorClass::Overloaded,
        503 if info.overload_text() => ErrorClass::Overloaded,
        500..=599 => ErrorClass::Server,
        400..=499 => ErrorClass::InvalidRequest,
        _ => ErrorClass::BadResponse,
    }
}

/// Message words that make a 400 a billing problem (Anthropic "Your credit balance is too low", a
/// workspace spend limit), so the provider is given up instead of failing every task one by one.
const QUOTA_400_WORDS: &[&str] = &["credit balance", "spend limit", "usage limits", "insufficient balance"];

/// Message words that turn a 429 into a quota problem (Z.ai "account is in arrears", OpenAI's text).
const QUOTA_429_WORDS: &[&str] =
    &["arrears", "balance", "insufficient_quota", "exceeded your current quota", "spend limit"];

fn has_word(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Class for an error object that arrived without a status (an `error` event after HTTP 200).
fn classify_tags(info: &ErrorInfo) -> ErrorClass {
    if let Some(status) = info.numeric_code.filter(|s| (400..=599).contains(s)) {
        return classify_status(status, info);
    }
    if info.quota_tag() {
        return ErrorClass::QuotaExhausted;
    }
    if info.context_text() || info.has_tag(&["request_too_large"]) {
        return ErrorClass::ContextTooLong;
    }
    let tagged = |names: &[&str]| info.has_tag(names);
    if tagged(&["overloaded_error", "overloaded"]) || info.overload_text() {
        ErrorClass::Overloaded
    } else if tagged(&["rate_limit_error", "rate_limit_exceeded", "rate_limit_reached_error", "1302", "1303"])
    {
        ErrorClass::RateLimited
    } else if tagged(&["authentication_error", "permission_error", "invalid_api_key"]) {
        ErrorClass::Auth
    } else if tagged(&["invalid_request_error", "not_found_error", "invalid_request"]) {
        ErrorClass::InvalidRequest
    } else if tagged(&["timeout_error", "timeout"]) {
        ErrorClass::Timeout
    } else {
        // api_error, server_error and anything unknown: the server failed mid-answer.
        ErrorClass::Server
    }
}

/// Classify a non-2xx HTTP response from its status, headers and body.
pub fn classify_http_error(status: u16, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let parsed = serde_json::from_slice::<Value>(body.trim_ascii()).ok();
    let info = parsed
        .as_ref()
        .and_then(ErrorInfo::from_value)
        .unwrap_or_else(|| ErrorInfo { message: body_snippet(body), ..ErrorInfo::default() });
    let class = classify_status(status, &info);
    let mut message = info.describe();
    if message.is_empty() {
        message = "empty error body".to_string();
    }
    let retry_after = retry_after_from_headers(headers)
        .or_else(|| retry_after_from_message(&info.message))
        .map(|wait| wait.min(MAX_RETRY_AFTER));
    ProviderError {
        class,
        status: Some(status),
        message,
        retry_after,
        should_retry: should_retry_header(headers),
        partial_usage: None,
    }
}

/// Classify an error object sent inside a 2xx stream (Anthropic `event: error`, OpenRouter
/// `{"error": {...}}` chunks). `value` may be the envelope or the inner object.
pub(crate) fn classify_stream_error(value: &Value) -> ProviderError {
    let info = ErrorInfo::from_value(value).unwrap_or_default();
    let mut err = ProviderError::new(classify_tags(&info), info.describe());
    if err.message.is_empty() {
        err.message = "error event without a message".to_string();
    }
    err.retry_after = retry_after_from_message(&info.message).map(|wait| wait.min(MAX_RETRY_AFTER));
    err
}

/// Map a reqwest failure. `after_headers` is true while reading a body whose status already arrived: a
/// failure there cut an answer short rather than preventing it.
pub(crate) fn transport_error(err: reqwest::Error, after_headers: bool) -> ProviderError {
    let class = if err.is_timeout() {
        ErrorClass::Timeout
    } else if err.is_builder() {
        ErrorClass::InvalidRequest
    } else if after_headers {
        ErrorClass::TruncatedStream
    } else {
        ErrorClass::Network
    };
    // The URL is dropped: a base URL may carry credentials in odd setups.
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    ProviderError::new(class, one_line(&message, MAX_MESSAGE_CHARS))
}

/// An answer past the provider's size limit (`max_answer_mb`): not retried, since the same request
/// would bring the same flood, and nothing of it is kept.
pub(crate) fn answer_too_large(limit_bytes: u64) -> ProviderError {
    let limit = if limit_bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", limit_bytes >> 20)
    } else {
        format!("{limit_bytes} bytes")
    };
    ProviderError::new(
        ErrorClass::BadResponse,
        format!(
            "answer larger than {limit}, the provider's max_answer_mb: reading stopped there; raise \
             `max_answer_mb` in its [providers.NAME] table if answers this long are expected"
        ),
    )
}

/// A 2xx answer to a streamed request that is not an event stream (an HTML page from a proxy or a
/// login portal): what came instead, as an excerpt, so the person running the benchmark can see it.
pub(crate) fn not_an_event_stream(content_type: Option<&str>, head: &[u8]) -> ProviderError {
    let got = match content_type {
        Some(kind) => format!("{kind} instead"),
        None => "a body that is not SSE".to_string(),
    };
    let excerpt = body_snippet(head);
    let excerpt = if excerpt.is_empty() { "empty body".to_string() } else { excerpt };
    ProviderError::new(ErrorClass::BadResponse, format!("expected an event stream, got {got}: {excerpt}"))
}

/// A header value that holds a secret: marked sensitive, and an invalid one is reported without it.
pub(crate) fn secret_header(value: &str) -> Result<HeaderValue, ProviderError> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        ProviderError::new(ErrorClass::Auth, "API key contains characters not allowed in an HTTP header")
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// Add configured extra headers; a name or value HTTP cannot carry is a configuration error.
pub(crate) fn extend_headers(
    headers: &mut HeaderMap,
    extra: &[(String, String)],
) -> Result<(), ProviderError> {
    for (name, value) in extra {
        let invalid =
            || ProviderError::new(ErrorClass::InvalidRequest, format!("invalid extra header {name:?}"));
        let name_h = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let value_h = HeaderValue::from_str(value).map_err(|_| invalid())?;
        headers.insert(name_h, value_h);
    }
    Ok(())
}

fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("x-should-retry")?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn duration_from_secs(secs: f64) -> Option<Duration> {
    (0.0..1e9).contains(&secs).then(|| Duration::from_secs_f64(secs))
}

/// `retry-after-ms` (milliseconds) first, then `retry-after` (seconds or an HTTP date).
fn retry_after_from_headers(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(d) = text("retry-after-ms")
        .and_then(|v| v.parse::<f64>().ok())
        .and_then(|ms| duration_from_secs(ms / 1000.0))
    {
        return Some(d);
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return duration_from_secs(secs);
    }
    let when = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(value).ok()?;
    let wait = when.as_millisecond().saturating_sub(jiff::Timestamp::now().as_millisecond());
    Some(Duration::from_millis(u64::try_from(wait).unwrap_or(0)))
}

/// OpenAI-style hints in the message: "Please try again in 20s", "in 174ms", "in 1m30s", "in 6m0s".
fn retry_after_from_message(message: &str) -> Option<Duration> {
    let lower = message.to_ascii_lowercase();
    let start = lower.find("try again in ")? + "try again in ".len();
    leading_duration(&lower[start..])
}

/// A Go-style duration at the start of `text`, as OpenAI writes them in messages and rate-limit
/// headers ("20s", "174ms", "1m30s", "6m0s"); `None` when `text` does not start with one.
pub(crate) fn leading_duration(text: &str) -> Option<Duration> {
    let rest = text.trim_start();
    let mut total = 0.0_f64;
    let mut seen = false;
    let mut chars = rest.char_indices().peekable();
    loop {
        let begin = match chars.peek() {
            Some(&(i, c)) if c.is_ascii_digit() || c == '.' => i,
            _ => break,
        };
        let mut end = begin;
        while let Some(&(i, c)) = chars.peek() {
            if !(c.is_ascii_digit() || c == '.') {
                break;
            }
            end = i + 1;
            chars.next();
        }
        let Ok(number) = rest[begin..end].parse::<f64>() else { break };
        let unit_start = end;
        let mut unit_end = end;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_ascii_alphabetic() {
                break;
            }
            unit_end = i + 1;
            chars.next();
        }
        let scale = match &rest[unit_start..unit_end] {
            "ms" => 0.001,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3600.0,
            _ => break,
        };
        total += number * scale;
        seen = true;
    }
    if seen { duration_from_secs(total) } else { None }
}

/// A short, single-line, tag-stripped excerpt of a body that is not a JSON error object.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len().min(MAX_SNIPPET_CHARS * 2));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => out.push(c),
        }
    }
    one_line(&out, MAX_SNIPPET_CHARS)
}

/// Collapse whitespace (newlines included) to single spaces and cap the length at `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 3));
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
