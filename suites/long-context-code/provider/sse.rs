//! Server-sent events, as both Anthropic and OpenAI-style servers stream them.
//!
//! [`SseParser`] is the synchronous core (bytes in, events out) so it can be tested and benchmarked on its
//! own; [`SseReader`] drives it from a response body, tells a clean end of stream from a cut one, stops
//! reading past the provider's answer size limit, and refuses a body that is not SSE or not UTF-8.
//! Parsing follows the WHATWG rules: lines end in LF, CRLF or CR (also when a CRLF is split across two
//! reads), `:` lines are comments (keep-alives), `data:` lines join with `\n`, a blank line dispatches, and
//! an event without any `data:` line is dropped. Reconnection fields (`id:`, `retry:`) are ignored because
//! a POST answer cannot be resumed.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt};
use serde_json::Value;

use super::elapsed_ms;
use super::errors::{ErrorClass, ProviderError, answer_too_large, not_an_event_stream, transport_error};
use crate::core::{Outcome, Usage};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched server-sent event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; empty when the server sent none (OpenAI-style chunks).
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Incremental SSE parser: feed it bytes as they arrive, take out complete events.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of a line whose terminator has not arrived yet.
    partial: Vec<u8>,
    /// The previous chunk ended in CR: an LF at the start of the next one belongs to it.
    pending_cr: bool,
    /// The byte-order mark check at the start of the stream is done.
    started: bool,
    /// `event:` of the event being built.
    event: String,
    /// `data:` of the event being built.
    data: String,
    /// Whether the event being built has seen a `data:` line (an empty one counts).
    has_data: bool,
    /// A `data:` or `event:` field held bytes that are not UTF-8.
    invalid_utf8: bool,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a `data:` or `event:` field so far held bytes that are not UTF-8. They reach the events
    /// as U+FFFD, so an answer built from them is not what the server sent and must not be scored.
    pub fn saw_invalid_utf8(&self) -> bool {
        self.invalid_utf8
    }

    /// Feed one chunk and return the events it completed (for tests and benchmarks; the reader uses
    /// [`SseParser::feed_with`]).
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.feed_with(chunk, |ev| out.push(ev));
        out
    }

    /// Feed one chunk, handing each completed event to `emit` (no intermediate collection).
    pub fn feed_with(&mut self, mut chunk: &[u8], mut emit: impl FnMut(SseEvent)) {
        if chunk.is_empty() {
            return;
        }
        if !self.started {
            // A UTF-8 byte-order mark may open the stream; wait until it can be recognised.
            self.partial.extend_from_slice(chunk);
            if self.partial.len() < 3 && BOM.starts_with(&self.partial) {
                return;
            }
            self.started = true;
            let head = std::mem::take(&mut self.partial);
            self.feed_lines(head.strip_prefix(BOM).unwrap_or(&head), &mut emit);
            return;
        }
        if self.pending_cr {
            self.pending_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        self.feed_lines(chunk, &mut emit);
    }

    fn feed_lines(&mut self, chunk: &[u8], emit: &mut impl FnMut(SseEvent)) {
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            if self.partial.is_empty() {
                self.process_line(&rest[..pos], emit);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&rest[..pos]);
                self.process_line(&line, emit);
                line.clear();
                self.partial = line; // keep the allocation for the next partial line
            }
            let terminator = rest[pos];
            rest = &rest[pos + 1..];
            if terminator == b'\r' {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.pending_cr = true,
                }
            }
        }
        self.partial.extend_from_slice(rest);
    }

    fn process_line(&mut self, line: &[u8], emit: &mut impl FnMut(SseEvent)) {
        if line.is_empty() {
            if self.has_data {
                self.has_data = false;
                emit(SseEvent {
                    event: std::mem::take(&mut self.event),
                    data: std::mem::take(&mut self.data),
                });
            } else {
                self.event.clear();
            }
            return;
        }
        if line[0] == b':' {
            return; // comment: keep-alive, OPENROUTER PROCESSING, ...
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &line[line.len()..]),
        };
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.has_data = true;
                self.invalid_utf8 |= push_text(&mut self.data, value);
            }
            b"event" => {
                self.event.clear();
                self.invalid_utf8 |= push_text(&mut self.event, value);
            }
            _ => {} // id, retry and unknown fields
        }
    }

    /// At end of stream: the event still being built when its last line was complete but the closing
    /// blank line never came. The spec discards it; it is returned so the caller can decide. A line cut
    /// in the middle is never part of it.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let complete_lines = self.partial.is_empty();
        self.partial.clear();
        let pending = (self.has_data && complete_lines).then(|| SseEvent {
            event: std::mem::take(&mut self.event),
            data: std::mem::take(&mut self.data),
        });
        self.has_data = false;
        self.event.clear();
        self.data.clear();
        pending
    }
}

/// Append `bytes` as text (invalid sequences as U+FFFD); true when some were invalid.
fn push_text(out: &mut String, bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            out.push_str(text);
            false
        }
        Err(_) => {
            out.push_str(&String::from_utf8_lossy(bytes));
            true
        }
    }
}

/// Whether a body that starts with `head` can be SSE: its first non-blank line is a comment or one of
/// the four fields. An HTML page or a JSON object is not, however it is labelled.
pub(crate) fn looks_like_sse(head: &[u8]) -> bool {
    let head = head.strip_prefix(BOM).unwrap_or(head);
    let Some(line) = head.split(|&b| b == b'\n' || b == b'\r').find(|line| !line.is_empty()) else {
        return true;
    };
    let field = |name: &[u8]| line.starts_with(name) && matches!(line.get(name.len()), None | Some(b':'));
    line[0] == b':' || [&b"data"[..], b"event", b"id", b"retry"].into_iter().any(field)
}

/// How much of the start of a body a reader keeps, to show when the body turns out not to be SSE.
const HEAD_BYTES: usize = 1024;

/// Reads [`SseEvent`]s from a streaming response body.
pub struct SseReader<S> {
    body: S,
    parser: SseParser,
    queue: VecDeque<SseEvent>,
    unterminated: Option<SseEvent>,
    ended: bool,
    /// Body bytes read so far.
    read: u64,
    /// Most body bytes read before the answer is given up as too large.
    limit: u64,
    /// The first [`HEAD_BYTES`] of the body.
    head: Vec<u8>,
    /// Whether any event came out of the body.
    any_event: bool,
}

impl<S, B> SseReader<S>
where
    S: Stream<Item = Result<B, reqwest::Error>> + Unpin,
    B: AsRef<[u8]>,
{
    /// Wrap a body stream (`reqwest::Response::bytes_stream()`) that may be read up to `limit` bytes.
    pub fn new(body: S, limit: u64) -> Self {
        SseReader {
            body,
            parser: SseParser::new(),
            queue: VecDeque::new(),
            unterminated: None,
            ended: false,
            read: 0,
            limit,
            head: Vec::new(),
            any_event: false,
        }
    }

    /// The next event; `Ok(None)` at a clean end of the body. A transport failure while reading is a
    /// `TruncatedStream` (or `Timeout`) error: the status already arrived, so the answer was cut short.
    /// A body past the limit, with bytes that are not UTF-8, or that is not SSE at all is a
    /// `BadResponse`; reading stops there (the caller drops the body, and with it the connection).
    pub async fn next_event(&mut self) -> Result<Option<SseEvent>, ProviderError> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                self.any_event = true;
                return Ok(Some(event));
            }
            if self.ended {
                return Ok(None);
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.take_chunk(chunk.as_ref())?,
                Some(Err(err)) => {
                    self.ended = true;
                    return Err(self.not_sse().unwrap_or_else(|| transport_error(err, true)));
                }
                None => {
                    self.ended = true;
                    self.unterminated = self.parser.finish();
                    if let Some(err) = self.not_sse() {
                        return Err(err);
                    }
                }
            }
        }
    }

    /// Count, keep the head of, and parse one chunk of the body.
    fn take_chunk(&mut self, chunk: &[u8]) -> Result<(), ProviderError> {
        self.read += chunk.len() as u64;
        if self.read > self.limit {
            self.ended = true;
            return Err(answer_too_large(self.limit));
        }
        let keep = HEAD_BYTES.saturating_sub(self.head.len()).min(chunk.len());
        self.head.extend_from_slice(&chunk[..keep]);
        let queue = &mut self.queue;
        self.parser.feed_with(chunk, |ev| queue.push_back(ev));
        if self.parser.saw_invalid_utf8() {
            self.ended = true;
            self.queue.clear();
            return Err(ProviderError::new(
                ErrorClass::BadResponse,
                "the stream holds bytes that are not UTF-8: the answer cannot be read as the server sent it",
            ));
        }
        Ok(())
    }

    /// At the end of a body that gave no event: the error for a body that is not SSE at all.
    fn not_sse(&self) -> Option<ProviderError> {
        let silent = !self.any_event && self.queue.is_empty() && self.unterminated.is_none();
        (silent && !looks_like_sse(&self.head)).then(|| not_an_event_stream(None, &self.head))
    }

    /// After the protocol's end marker: read what is left of the body (normally just the end of the
    /// chunked encoding) so the connection returns to the pool instead of being torn down, which would
    /// add a fresh handshake to the next request's TTFT. Gives up after `limit`.
    pub async fn drain(&mut self, limit: Duration) {
        if self.ended {
            return;
        }
        let rest = async { while let Some(Ok(_)) = self.body.next().await {} };
        let _ = tokio::time::timeout(limit, rest).await;
        self.ended = true;
    }

    /// After `Ok(None)`: the last event if the body ended after its data lines but before the blank line
    /// that should dispatch it (see [`SseParser::finish`]).
    pub fn take_unterminated(&mut self) -> Option<SseEvent> {
        self.unterminated.take()
    }
}

/// What one event meant to a protocol's stream state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Bookkeeping only (start, ping, usage, an empty delta).
    Idle,
    /// The event carried model output (text, reasoning or tool-call text): the first one is the TTFT.
    Output,
    /// The protocol's end marker (`message_stop`, `[DONE]`): stop reading.
    Done,
}

/// A protocol's event-to-[`Outcome`] accumulator, pure so recorded streams can be replayed in tests.
pub(crate) trait StreamState {
    /// Take one event in.
    fn on_event(&mut self, event: &SseEvent) -> Result<Step, ProviderError>;
    /// Tokens reported so far, attached to any error that ends the stream.
    fn usage(&self) -> Usage;
    /// The outcome at end of stream, or `TruncatedStream` when the end marker never came or the
    /// stream never said why the answer ended (no finish or stop reason).
    fn finish(self, ttft_ms: Option<f64>, latency_ms: f64) -> Result<Outcome, ProviderError>;
}

/// Read a streamed answer to its end: timing (TTFT at the first output event, latency at the end), and
/// the reported usage attached to every error after the status line.
pub(crate) async fn drive<S, B, St>(
    mut reader: SseReader<S>,
    mut state: St,
    start: Instant,
) -> Result<Outcome, ProviderError>
where
    S: Stream<Item = Result<B, reqwest::Error>> + Unpin,
    B: AsRef<[u8]>,
    St: StreamState,
{
    let mut ttft_ms = None;
    let with_usage = |err: ProviderError, usage: Usage| match err.partial_usage {
        Some(_) => err,
        None => err.with_partial_usage(usage),
    };
    loop {
        let event = match reader.next_event().await {
            Ok(Some(event)) => event,
            Ok(None) => match reader.take_unterminated() {
                Some(event) => event,
                None => break,
            },
            Err(err) => return Err(with_usage(err, state.usage())),
        };
        match state.on_event(&event) {
            Ok(Step::Idle) => {}
            Ok(Step::Output) => {
                ttft_ms.get_or_insert_with(|| elapsed_ms(start));
            }
            Ok(Step::Done) => {
                // Latency is taken at the end marker; the drain only recycles the connection.
                let outcome = state.finish(ttft_ms, elapsed_ms(start));
                reader.drain(DRAIN_LIMIT).await;
                return outcome;
            }
            Err(err) => return Err(with_usage(err, state.usage())),
        }
    }
    state.finish(ttft_ms, elapsed_ms(start))
}

/// How long to wait for the rest of a body after its end marker (see [`SseReader::drain`]).
const DRAIN_LIMIT: Duration = Duration::from_millis(250);

/// Tool-call arguments as the model wrote them: `""` means no arguments (`{}`), valid JSON is parsed, and
/// anything else is kept verbatim as a JSON string so scoring can see what went wrong.
pub(crate) fn parse_arguments(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(serde_json::Map::new());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// Serde helper for an identity field (`id`, `system_fingerprint`) that the harness only records: a
/// string is kept, anything else a server may put there (a number, null) is dropped rather than making
/// the whole chunk unreadable. Use with `#[serde(default, deserialize_with = "lenient_string")]`.
pub(crate) fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match <Value as serde::Deserialize>::deserialize(d)? {
        Value::String(s) if !s.is_empty() => Some(s),
        _ => None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod fixtures;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
