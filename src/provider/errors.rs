//! STUB: replaced by the adapters helper. The API below is the contract.
use std::time::Duration;
use serde::{Deserialize, Serialize};
use super::Usage;

/// Infrastructure failure classes (DESIGN): each is retryable or not, and never a wrong answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass { RateLimited, Overloaded, Server, Timeout, Network, TruncatedStream, BadResponse, Auth, InvalidRequest, ContextTooLong, QuotaExhausted }

impl ErrorClass {
    pub fn as_str(self) -> &'static str { "stub" }
    pub fn is_retryable(self) -> bool { false }
    pub fn is_fatal_for_provider(self) -> bool { false }
    pub fn signals_overload(self) -> bool { false }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    pub class: ErrorClass,
    pub status: Option<u16>,
    pub message: String,
    pub retry_after: Option<Duration>,
    pub should_retry: Option<bool>,
    pub partial_usage: Option<Usage>,
}

pub fn classify_http_error(_status: u16, _headers: &reqwest::header::HeaderMap, _body: &[u8]) -> ProviderError { unimplemented!() }
