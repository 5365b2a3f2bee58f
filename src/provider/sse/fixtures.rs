//! Test support: loading the recorded provider traffic in `../shared/fixtures/providers/`.
//!
//! Tests skip (return early) when the folder is absent, so the crate still tests on its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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

/// The request body a recording's provenance lines hold (`# request body: {...}`), when it has one.
pub(crate) fn recorded_request(name: &str) -> Option<Value> {
    let raw = raw(name)?;
    let line =
        raw.lines().take_while(|l| l.starts_with('#')).find_map(|l| l.strip_prefix("# request body: "));
    let line = line.unwrap_or_else(|| panic!("{name}: no `# request body:` line"));
    Some(serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: request body: {e}")))
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

/// What a mock server saw of the one request a test sent.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    /// Request path.
    pub path: String,
    /// Request headers.
    pub headers: HeaderMap,
    /// Request body, parsed.
    pub body: Value,
}

/// How a mock server answers.
#[derive(Debug, Clone)]
pub(crate) struct MockReply {
    /// Status code.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Body pieces, sent one by one with a short pause between them.
    pub chunks: Vec<Vec<u8>>,
    /// Abort the connection after the chunks instead of ending the body cleanly.
    pub cut: bool,
}

impl MockReply {
    /// A reply with `status`, one content type, and `body` in `pieces` roughly equal chunks.
    pub(crate) fn new(status: u16, content_type: &str, body: &str, pieces: usize) -> Self {
        let size = body.len().div_ceil(pieces.max(1)).max(1);
        MockReply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            chunks: body.as_bytes().chunks(size).map(<[u8]>::to_vec).collect(),
            cut: false,
        }
    }
}

/// A running mock server.
pub(crate) struct Mock {
    /// Base URL (`http://127.0.0.1:PORT`).
    pub base: String,
    /// The last request it saw.
    pub captured: Arc<Mutex<Option<Captured>>>,
    /// How many TCP connections it accepted (to check that clients reuse them).
    pub connections: Arc<AtomicUsize>,
}

impl Mock {
    /// The last request, which a test expects to exist.
    pub(crate) fn last(&self) -> Captured {
        self.captured.lock().unwrap().clone().expect("a request reached the mock")
    }
}

/// Start a tiny HTTP/1.1 server on a free local port answering every request with `reply` (chunked, one
/// HTTP chunk per body piece, connections kept alive unless the reply is cut).
pub(crate) async fn serve(reply: MockReply) -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let captured: Arc<Mutex<Option<Captured>>> = Arc::new(Mutex::new(None));
    let connections = Arc::new(AtomicUsize::new(0));
    let (slot, count) = (captured.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(socket, reply.clone(), slot.clone()));
        }
    });
    Mock { base: format!("http://{addr}"), captured, connections }
}

/// Serve requests on one connection until the client closes it.
async fn answer(mut socket: tokio::net::TcpStream, reply: MockReply, slot: Arc<Mutex<Option<Captured>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos;
            }
            let mut piece = [0u8; 4096];
            match socket.read(&mut piece).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&piece[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
        let mut headers = HeaderMap::new();
        for line in lines {
            let (name, value) = line.split_once(':').unwrap();
            headers.append(
                HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                HeaderValue::from_str(value.trim()).unwrap(),
            );
        }
        let length: usize = headers.get("content-length").map_or(0, |v| v.to_str().unwrap().parse().unwrap());
        buf.drain(..head_end + 4);
        while buf.len() < length {
            let mut piece = [0u8; 4096];
            match socket.read(&mut piece).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&piece[..n]),
            }
        }
        let body = serde_json::from_slice(&buf[..length]).unwrap_or(Value::Null);
        buf.drain(..length);
        *slot.lock().unwrap() = Some(Captured { path, headers, body });

        let mut head = format!("HTTP/1.1 {} Mock\r\ntransfer-encoding: chunked\r\n", reply.status);
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for piece in &reply.chunks {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
            frame.extend_from_slice(piece);
            frame.extend_from_slice(b"\r\n");
            // The client may hang up early; that ends this connection.
            if socket.write_all(&frame).await.is_err() {
                return;
            }
        }
        if reply.cut {
            let _ = socket.shutdown().await;
            return;
        }
        if socket.write_all(b"0\r\n\r\n").await.is_err() {
            return;
        }
    }
}
