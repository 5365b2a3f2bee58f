//! The HTTP exchange every wire protocol shares: headers and auth, sending, streaming or not, timing,
//! bounding what is read (`max_answer_mb`, error bodies), masking a key a server echoes back, and
//! counting the tokens of an answer whose server reported none. A protocol supplies only what differs
//! ([`Wire`]): its path, its fixed headers, its body, and its parsers.

use std::marker::PhantomData;
use std::time::Instant;

use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use super::errors::{
    ErrorClass, ProviderError, answer_too_large, classify_http_error, extend_headers, not_an_event_stream,
    secret_header, transport_error,
};
use super::sse::{SseReader, StreamState, drive};
use super::tokens;
use super::{ChatRequest, Endpoint, Provider, elapsed_ms};
use crate::config::AuthStyle;
use crate::core::Outcome;

/// What makes one wire protocol different from another.
pub(crate) trait Wire: Send + Sync + 'static {
    /// Protocol name for logs.
    const NAME: &'static str;
    /// Path appended to the endpoint's base URL.
    const PATH: &'static str;
    /// Headers the protocol always sends, besides content type and auth.
    const FIXED_HEADERS: &'static [(&'static str, &'static str)];
    /// The stream state machine turning SSE events into an [`Outcome`].
    type Stream: StreamState + Default + Send;
    /// The request URL for a base URL: the base plus [`Wire::PATH`].
    fn url(base_url: &str) -> String {
        with_path(base_url, |path| format!("{}{}", path.trim_end_matches('/'), Self::PATH))
    }
    /// The JSON body for a request.
    fn body(endpoint: &Endpoint, req: &ChatRequest) -> Value;
    /// A complete (non-streamed) response body turned into an outcome.
    fn parse_body(bytes: &[u8], latency_ms: f64) -> Result<Outcome, ProviderError>;
}

/// A provider reached over HTTP with protocol `W`.
pub(crate) struct HttpProvider<W> {
    endpoint: Endpoint,
    client: reqwest::Client,
    /// Base URL plus the protocol's path.
    pub(crate) url: String,
    wire: PhantomData<W>,
}

impl<W: Wire> HttpProvider<W> {
    /// An adapter for one endpoint, sharing the caller's HTTP client (and so its pool and timeouts).
    pub(crate) fn new(endpoint: Endpoint, client: reqwest::Client) -> Self {
        let url = W::url(&endpoint.base_url);
        HttpProvider { endpoint, client, url, wire: PhantomData }
    }

    async fn run(&self, req: &ChatRequest) -> Result<Outcome, ProviderError> {
        let body = serde_json::to_vec(&W::body(&self.endpoint, req)).map_err(|e| {
            ProviderError::new(ErrorClass::InvalidRequest, format!("cannot encode body: {e}"))
        })?;
        let headers = request_headers(&self.endpoint, W::FIXED_HEADERS)?;
        let request = self.client.post(&self.url).headers(headers).body(body);
        let start = Instant::now();
        let response = send_checked(request).await?;
        let headroom = super::headroom::from_headers(response.headers());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty());
        // Some servers ignore `stream: true` and answer with one JSON body: read it as such.
        let json_body = content_type.as_deref().is_some_and(|v| v.starts_with("application/json"));
        let limit = self.endpoint.max_answer_bytes;
        let mut outcome = if self.endpoint.stream && !json_body {
            if let Some(other) = content_type.filter(|v| !v.starts_with("text/event-stream")) {
                // A proxy's or portal's page answered with 200: show it rather than call it a cut stream.
                return Err(not_an_event_stream(Some(&other), &body_start(response, EXCERPT_BYTES).await));
            }
            drive(SseReader::new(response.bytes_stream(), limit), W::Stream::default(), start).await?
        } else {
            W::parse_body(&read_answer(response, limit).await?, elapsed_ms(start))?
        };
        outcome.headroom = headroom;
        if outcome.usage.total_input() == 0 && outcome.usage.output == 0 {
            // A server that counts nothing (llama-cpp-python ignores `include_usage`): count here, so
            // the answer does not look free and instant in cost and throughput.
            outcome.usage = tokens::estimate_usage(req, &outcome);
            outcome.usage_estimated = true;
        }
        Ok(outcome)
    }
}

impl<W: Wire> Provider for HttpProvider<W> {
    fn complete<'a>(&'a self, req: &'a ChatRequest) -> BoxFuture<'a, Result<Outcome, ProviderError>> {
        Box::pin(async move {
            let result = self.run(req).await.map_err(|err| match &self.endpoint.api_key {
                Some(key) => err.redacted(key.expose()),
                None => err,
            });
            if let Err(err) = &result {
                tracing::debug!(protocol = W::NAME, model = %self.endpoint.model, class = %err.class, status = ?err.status, "request failed");
            }
            result
        })
    }
}

/// Send a request and return its response when the status is 2xx; otherwise the classified error.
async fn send_checked(request: reqwest::RequestBuilder) -> Result<reqwest::Response, ProviderError> {
    let response = request.send().await.map_err(|e| transport_error(e, false))?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    // The URL may carry credentials (`user:pass@`, `?key=`): only its masked form is shown.
    let url = crate::config::masked_url(response.url().as_str());
    let headers = response.headers().clone();
    let body = body_start(response, MAX_ERROR_BODY).await;
    let mut error = classify_http_error(status.as_u16(), &headers, &body);
    if status.as_u16() == 404 {
        error.message = format!("{} (POST {url}: check base_url and model)", error.message);
    }
    Err(error)
}

/// Most of an error body read: an error object is a few hundred bytes, and a server that answers an
/// error with megabytes must not make the harness hold them.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// At most `cap` bytes from the start of a body; reading stops there and the rest is never received.
/// A body cut short leaves what arrived (with the status and headers, enough to classify by).
async fn body_start(mut response: reqwest::Response, cap: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < cap {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(cap - body.len())]),
            Ok(None) => break,
            Err(err) => {
                tracing::debug!("body cut short after {} bytes: {}", body.len(), err.without_url());
                break;
            }
        }
    }
    body
}

/// How much of a 2xx body that is not what was asked for is read, for the excerpt in its error.
const EXCERPT_BYTES: usize = 16 * 1024;

/// A whole (non-streamed) answer, counted as it arrives: past `limit` bytes reading stops and the
/// connection is dropped, so memory holds at most `limit` bytes of it.
async fn read_answer(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, ProviderError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(e, true))? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(answer_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `base_url` with its path replaced by `join(path)`, its query (an `api-version`, a key) kept at the
/// end where servers read it. A URL that does not parse is joined as text (the request then fails
/// with the HTTP client's own error).
pub(crate) fn with_path(base_url: &str, join: impl Fn(&str) -> String) -> String {
    match url::Url::parse(base_url) {
        Ok(mut url) => {
            let path = join(url.path());
            url.set_path(&path);
            url.to_string()
        }
        Err(_) => join(base_url),
    }
}

/// The protocol's fixed headers, content type, auth per [`AuthStyle`], then the endpoint's own headers.
pub(crate) fn request_headers(
    endpoint: &Endpoint,
    fixed: &[(&'static str, &'static str)],
) -> Result<HeaderMap, ProviderError> {
    let mut headers = HeaderMap::new();
    for (name, value) in fixed {
        headers.insert(*name, HeaderValue::from_static(value));
    }
    headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(key) = &endpoint.api_key {
        if matches!(endpoint.auth, AuthStyle::XApiKey | AuthStyle::Both) {
            headers.insert("x-api-key", secret_header(key.expose())?);
        }
        if matches!(endpoint.auth, AuthStyle::Bearer | AuthStyle::Both) {
            headers
                .insert(reqwest::header::AUTHORIZATION, secret_header(&format!("Bearer {}", key.expose()))?);
        }
    }
    extend_headers(&mut headers, &endpoint.headers)?;
    Ok(headers)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
