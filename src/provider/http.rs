//! The HTTP exchange every wire protocol shares: headers and auth, sending, streaming or not, timing,
//! masking a key a server echoes back, and counting the tokens of an answer whose server reported
//! none. A protocol supplies only what differs ([`Wire`]): its path, its fixed headers, its body, and
//! its parsers.

use std::marker::PhantomData;
use std::time::Instant;

use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use super::errors::{
    ErrorClass, ProviderError, extend_headers, secret_header, send_checked, transport_error,
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
        format!("{}{}", base_url.trim_end_matches('/'), Self::PATH)
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
        // Some servers ignore `stream: true` and answer with one JSON body: read it as such.
        let json_body = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let mut outcome = if self.endpoint.stream && !json_body {
            drive(SseReader::new(response.bytes_stream()), W::Stream::default(), start).await?
        } else {
            let bytes = response.bytes().await.map_err(|e| transport_error(e, true))?;
            W::parse_body(&bytes, elapsed_ms(start))?
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
