//! Test support: loading the recorded provider traffic in `../shared/fixtures/providers/`.
//!
//! Tests skip (return early) when the folder is absent, so the crate still tests on its own.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::{SseEvent, SseParser};

const DIR: &str = "../shared/fixtures/providers";

/// The raw file, or None (with a note on stderr) when the fixtures are not there.
pub(crate) fn raw(name: &str) -> Option<String> {
    let path = format!("{DIR}/{name}");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipping: fixture {path} not found");
            None
        }
    }
}

/// The file with its leading `#` provenance lines (and the blank line after them) removed.
pub(crate) fn text(name: &str) -> Option<String> {
    raw(name).map(|t| strip_provenance(&t).to_string())
}

/// Drop the leading `#` lines the fixture collectors added (they are not SSE comments).
pub(crate) fn strip_provenance(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, tail)| tail);
    }
    rest.trim_start_matches(['\n', '\r'])
}

/// An SSE recording, normalised to end with a blank line: two SDK fixtures lost their final newlines
/// when copied, which a live server never does.
pub(crate) fn sse(name: &str) -> Option<String> {
    let mut body = text(name)?;
    while !body.ends_with("\n\n") {
        body.push('\n');
    }
    Some(body)
}

/// A JSON fixture (`.json`, or `.json.txt` after its provenance lines).
pub(crate) fn json(name: &str) -> Option<Value> {
    let body = text(name)?;
    Some(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// All events of an SSE text, parsed in one go.
pub(crate) fn events(body: &str) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut events = parser.feed(body.as_bytes());
    events.extend(parser.finish());
    events
}

/// Split a composite `.http` fixture into status, headers and body.
pub(crate) fn parse_http(text: &str) -> (u16, HeaderMap, Vec<u8>) {
    let (head, body) = text.split_once("\n\n").expect("blank line between headers and body");
    let mut lines = head.lines();
    let status_line = lines.next().expect("status line");
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status code");
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').expect("header line");
        headers.append(
            HeaderName::from_bytes(name.trim().as_bytes()).expect("header name"),
            HeaderValue::from_str(value.trim()).expect("header value"),
        );
    }
    (status, headers, body.trim_end().as_bytes().to_vec())
}
