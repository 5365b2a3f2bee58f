//! A scripted HTTP/1.1 loopback server for the integration tests.
//!
//! It speaks just enough HTTP to be a real peer for reqwest (keep-alive, content-length bodies, chunked
//! SSE) and lets a test decide, per request, what goes wrong: a status with headers, an SSE stream that
//! is cut half-way, a connection reset, an HTML error page, a slow answer. Every request is recorded.

#![allow(clippy::unwrap_used, reason = "test support: any failure here should fail the test loudly")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// Requests to the same path in flight when this one arrived, itself included.
    pub in_flight: usize,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The text of the last user message (both protocols put it in `messages`).
    pub fn prompt(&self) -> String {
        let last = self.body["messages"].as_array().and_then(|m| m.last()).cloned().unwrap_or_default();
        match &last["content"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect(),
            _ => String::new(),
        }
    }

    pub fn is_anthropic(&self) -> bool {
        self.path.ends_with("/v1/messages")
    }

    pub fn streams(&self) -> bool {
        self.body["stream"].as_bool().unwrap_or(false)
    }
}

/// What to answer.
pub enum Reply {
    /// A complete response.
    Body { status: u16, headers: Vec<(String, String)>, content_type: &'static str, body: String },
    /// An SSE stream, one chunk per event, `gap` apart; `cut_after` events then the socket closes
    /// without finishing the chunked body.
    Sse { events: Vec<String>, gap: Duration, cut_after: Option<usize> },
    /// A 200 of `head`, `unit` repeated to about `bytes` bytes, then `tail`, written a piece at a time
    /// (chunked, so the client can only count as it reads) and never held whole; the bytes written
    /// are added to `sent`. For answers far larger than any real one.
    Flood {
        content_type: &'static str,
        head: String,
        unit: String,
        tail: String,
        bytes: usize,
        sent: Arc<AtomicUsize>,
    },
    /// Close the connection without answering (a reset as the client sees it).
    Reset,
    /// Wait, then answer.
    After(Duration, Box<Reply>),
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// A running server; it stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    served: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    /// Start a server whose answers come from `handler(request, index)`, index counting from 0.
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(true, handler)
    }

    /// The same server without the record of requests (only their count, [`Server::served`]): for
    /// hundreds of thousands of requests, whose record would take more memory than the run measured.
    #[allow(dead_code, reason = "used by benches/whole_run.rs")]
    pub fn start_unrecorded(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(false, handler)
    }

    fn start_with(
        record: bool,
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let handler: Arc<Handler> = Arc::new(handler);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let counter = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (reqs, max, served) = (Arc::clone(&requests), Arc::clone(&max_in_flight), Arc::clone(&counter));
        std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let counter = served;
                let in_flight = Arc::new(AtomicUsize::new(0));
                let per_path = Arc::new(Mutex::new(std::collections::HashMap::new()));
                let accept = async {
                    loop {
                        let Ok((socket, _)) = listener.accept().await else { continue };
                        // Small SSE writes must not wait for delayed ACKs (Nagle), or every answer gains ~40 ms.
                        let _ = socket.set_nodelay(true);
                        let conn = Connection {
                            handler: Arc::clone(&handler),
                            requests: record.then(|| Arc::clone(&reqs)),
                            counter: Arc::clone(&counter),
                            in_flight: Arc::clone(&in_flight),
                            max_in_flight: Arc::clone(&max),
                            per_path: Arc::clone(&per_path),
                        };
                        tokio::spawn(conn.serve(socket));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = rx => {}
                }
            });
        });
        let addr = addr_rx.recv().unwrap();
        Server { addr, requests, served: counter, max_in_flight, _shutdown: tx }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests received so far, recorded or not.
    #[allow(dead_code, reason = "used by benches/whole_run.rs")]
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }

    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

struct Connection {
    handler: Arc<Handler>,
    /// `None`: requests are not recorded.
    requests: Option<Arc<Mutex<Vec<Request>>>>,
    counter: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    per_path: Arc<Mutex<std::collections::HashMap<String, usize>>>,
}

impl Connection {
    async fn serve(self, mut socket: TcpStream) {
        let mut buffer = Vec::new();
        loop {
            let Some(mut request) = read_request(&mut socket, &mut buffer).await else { return };
            let arrived = tokio::time::Instant::now();
            request.in_flight = {
                let mut per_path = self.per_path.lock().unwrap();
                let n = per_path.entry(request.path.clone()).or_default();
                *n += 1;
                *n
            };
            let index = self.counter.fetch_add(1, Ordering::SeqCst);
            if let Some(requests) = &self.requests {
                requests.lock().unwrap().push(request.clone());
            }
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            let reply = match (self.handler)(&request, index) {
                // Hold the answer until `wait` after arrival, not after the handler's own work.
                Reply::After(wait, reply) => {
                    precise_sleep_until(arrived.into_std() + wait).await;
                    *reply
                }
                reply => reply,
            };
            let keep_going = write_reply(&mut socket, reply).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            *self.per_path.lock().unwrap().entry(request.path.clone()).or_default() -= 1;
            if !keep_going {
                return;
            }
        }
    }
}

async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while buffer.len() < header_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buffer[header_end..header_end + length]).unwrap_or_default();
    buffer.drain(..header_end + length);
    Some(Request { path, in_flight: 0, headers, body })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        529 => "Overloaded",
        _ => "Status",
    }
}

/// Write a reply; returns whether the connection can serve another request.
async fn write_reply(socket: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::After(wait, reply) => {
            tokio::time::sleep(wait).await;
            Box::pin(write_reply(socket, *reply)).await
        }
        Reply::Reset => {
            // A zero linger makes the close an RST; it cannot block, which is what the deprecation is about.
            #[allow(deprecated)]
            let _ = socket.set_linger(Some(Duration::ZERO));
            false
        }
        Reply::Flood { content_type, head, unit, tail, bytes, sent } => {
            let start = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
            );
            if socket.write_all(start.as_bytes()).await.is_err() {
                return false;
            }
            let repeats = bytes / unit.len().max(1);
            let pieces =
                std::iter::once(head).chain(std::iter::repeat_n(unit, repeats)).chain(std::iter::once(tail));
            // An empty chunk would end the chunked body.
            for piece in pieces.filter(|piece| !piece.is_empty()) {
                let frame = format!("{:x}\r\n{piece}\r\n", piece.len());
                if socket.write_all(frame.as_bytes()).await.is_err() {
                    return false; // the client stopped reading and hung up
                }
                sent.fetch_add(frame.len(), Ordering::SeqCst);
            }
            socket.write_all(b"0\r\n\r\n").await.is_ok()
        }
        Reply::Body { status, headers, content_type, body } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            socket.write_all(head.as_bytes()).await.is_ok() && socket.write_all(body.as_bytes()).await.is_ok()
        }
        Reply::Sse { events, gap, cut_after } => {
            let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\ncache-control: no-cache\r\n\r\n".to_vec();
            for (i, event) in events.iter().enumerate() {
                if cut_after == Some(i) {
                    let _ = socket.write_all(&out).await;
                    let _ = socket.flush().await;
                    return false;
                }
                if i > 0 && !gap.is_zero() {
                    // Paced: send what is buffered, then wait before the next event.
                    if socket.write_all(&out).await.is_err() {
                        return false;
                    }
                    out.clear();
                    tokio::time::sleep(gap).await;
                }
                out.extend_from_slice(format!("{:x}\r\n{event}\r\n", event.len()).as_bytes());
            }
            out.extend_from_slice(b"0\r\n\r\n");
            socket.write_all(&out).await.is_ok()
        }
    }
}

/// Sleep until `deadline` within about 0.1 ms. tokio's timer rounds deadlines up to its next 1 ms
/// tick, which would make a "fixed 50 ms" server answer in 50.5-51 ms on average; one thread doing timed
/// condvar waits for every pending deadline is as precise as the OS scheduler.
pub async fn precise_sleep_until(deadline: std::time::Instant) {
    type Wakeups = Mutex<std::collections::BinaryHeap<std::cmp::Reverse<(std::time::Instant, u64)>>>;
    struct Timer {
        queue: Wakeups,
        senders: Mutex<std::collections::HashMap<u64, tokio::sync::oneshot::Sender<()>>>,
        changed: std::sync::Condvar,
        next_id: AtomicUsize,
    }
    static TIMER: std::sync::OnceLock<Arc<Timer>> = std::sync::OnceLock::new();
    let timer = TIMER.get_or_init(|| {
        let timer = Arc::new(Timer {
            queue: Mutex::new(std::collections::BinaryHeap::new()),
            senders: Mutex::new(std::collections::HashMap::new()),
            changed: std::sync::Condvar::new(),
            next_id: AtomicUsize::new(0),
        });
        let worker = Arc::clone(&timer);
        std::thread::spawn(move || {
            let mut queue = worker.queue.lock().unwrap();
            loop {
                let now = std::time::Instant::now();
                match queue.peek().copied() {
                    Some(std::cmp::Reverse((at, id))) if at <= now => {
                        queue.pop();
                        if let Some(tx) = worker.senders.lock().unwrap().remove(&id) {
                            let _ = tx.send(());
                        }
                    }
                    Some(std::cmp::Reverse((at, _))) => {
                        queue = worker.changed.wait_timeout(queue, at - now).unwrap().0
                    }
                    None => queue = worker.changed.wait(queue).unwrap(),
                }
            }
        });
        timer
    });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let id = timer.next_id.fetch_add(1, Ordering::Relaxed) as u64;
    timer.senders.lock().unwrap().insert(id, tx);
    timer.queue.lock().unwrap().push(std::cmp::Reverse((deadline, id)));
    timer.changed.notify_one();
    let _ = rx.await;
}

/// A JSON reply.
pub fn json(status: u16, body: serde_json::Value) -> Reply {
    Reply::Body { status, headers: vec![], content_type: "application/json", body: body.to_string() }
}

/// A JSON reply with extra headers.
pub fn json_with(status: u16, headers: &[(&str, &str)], body: serde_json::Value) -> Reply {
    Reply::Body {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        content_type: "application/json",
        body: body.to_string(),
    }
}

/// A correct answer in whichever protocol and mode the request used.
pub fn answer(request: &Request, text: &str) -> Reply {
    answer_paced(request, text, Duration::ZERO)
}

/// An answer whose stream events are `gap` apart.
pub fn answer_paced(request: &Request, text: &str, gap: Duration) -> Reply {
    match (request.is_anthropic(), request.streams()) {
        (true, true) => Reply::Sse { events: anthropic_events(text), gap, cut_after: None },
        (false, true) => Reply::Sse { events: openai_events(text), gap, cut_after: None },
        (true, false) => json(
            200,
            serde_json::json!({
                "id": "msg_1", "type": "message", "role": "assistant", "model": "test-model",
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": null,
                "usage": {"input_tokens": 12, "output_tokens": 5, "cache_read_input_tokens": 3, "cache_creation_input_tokens": 0}
            }),
        ),
        (false, false) => json(
            200,
            serde_json::json!({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 15, "completion_tokens": 5, "total_tokens": 20, "prompt_tokens_details": {"cached_tokens": 3}}
            }),
        ),
    }
}

/// Anthropic Messages stream events for `text` (with a ping and cumulative usage).
pub fn anthropic_events(text: &str) -> Vec<String> {
    let (first, rest) = text.split_at(text.len() / 2);
    let delta = |t: &str| {
        format!(
            "event: content_block_delta\ndata: {}\n\n",
            serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}})
        )
    };
    vec![
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"test-model\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":3,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}\n\n".into(),
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n".into(),
        "event: ping\ndata: {\"type\": \"ping\"}\n\n".into(),
        delta(first),
        delta(rest),
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n".into(),
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n".into(),
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".into(),
    ]
}

/// OpenAI Chat Completions stream chunks for `text` (role chunk, keep-alive comment, usage chunk).
pub fn openai_events(text: &str) -> Vec<String> {
    let (first, rest) = text.split_at(text.len() / 2);
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
        format!(
            "data: {}\n\n",
            serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "test-model",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    vec![
        ": keep-alive\n\n".into(),
        chunk(serde_json::json!({"role": "assistant", "content": ""}), serde_json::Value::Null),
        chunk(serde_json::json!({"content": first}), serde_json::Value::Null),
        chunk(serde_json::json!({"content": rest}), serde_json::Value::Null),
        chunk(serde_json::json!({}), serde_json::json!("stop")),
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":5,\"total_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n".into(),
        "data: [DONE]\n\n".into(),
    ]
}

/// A tool call a scripted server answers with: (id, name, arguments).
pub type ScriptedCall = (String, String, serde_json::Value);

/// An answer that calls `calls`, in whichever protocol and mode the request used.
pub fn tool_calls(request: &Request, calls: &[ScriptedCall]) -> Reply {
    let events = |events| Reply::Sse { events, gap: Duration::ZERO, cut_after: None };
    match (request.is_anthropic(), request.streams()) {
        (true, true) => events(anthropic_tool_events(calls)),
        (false, true) => events(openai_tool_events(calls)),
        (true, false) => {
            let blocks: Vec<serde_json::Value> = calls
                .iter()
                .map(|(id, name, arguments)| serde_json::json!({"type": "tool_use", "id": id, "name": name, "input": arguments}))
                .collect();
            json(
                200,
                serde_json::json!({"id": "msg_t", "type": "message", "role": "assistant", "model": "test-model",
                    "content": blocks, "stop_reason": "tool_use", "stop_sequence": null,
                    "usage": {"input_tokens": 40, "output_tokens": 12}}),
            )
        }
        (false, false) => {
            let list: Vec<serde_json::Value> = calls
                .iter()
                .map(|(id, name, arguments)| serde_json::json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments.to_string()}}))
                .collect();
            json(
                200,
                serde_json::json!({"id": "chatcmpl-t", "object": "chat.completion", "created": 1, "model": "test-model",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": list}, "finish_reason": "tool_calls"}],
                    "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}}),
            )
        }
    }
}

/// `text` cut in two at a character boundary near its middle, as a stream delivers it.
fn halves(text: &str) -> (&str, &str) {
    let mid = text.char_indices().map(|(i, _)| i).find(|&i| i >= text.len() / 2).unwrap_or(text.len());
    text.split_at(mid)
}

/// Anthropic Messages stream events calling `calls`, shaped as the recorded fixture
/// (anthropic_stream_tool_use.sse): one `tool_use` block each, its input streamed as
/// `input_json_delta` fragments, then `stop_reason: tool_use`.
pub fn anthropic_tool_events(calls: &[ScriptedCall]) -> Vec<String> {
    let event = |kind: &str, data: serde_json::Value| format!("event: {kind}\ndata: {data}\n\n");
    let mut events = vec![event(
        "message_start",
        serde_json::json!({"type": "message_start", "message": {"id": "msg_t", "type": "message", "role": "assistant",
            "model": "test-model", "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 40, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1}}}),
    )];
    for (index, (id, name, arguments)) in calls.iter().enumerate() {
        events.push(event(
            "content_block_start",
            serde_json::json!({"type": "content_block_start", "index": index,
                "content_block": {"type": "tool_use", "id": id, "name": name, "caller": {"type": "direct"}, "input": {}}}),
        ));
        let text = arguments.to_string();
        let (first, rest) = halves(&text);
        for fragment in ["", first, rest] {
            events.push(event(
                "content_block_delta",
                serde_json::json!({"type": "content_block_delta", "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": fragment}}),
            ));
        }
        events.push(event(
            "content_block_stop",
            serde_json::json!({"type": "content_block_stop", "index": index}),
        ));
    }
    events.push(event(
        "message_delta",
        serde_json::json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": 12}}),
    ));
    events.push(event("message_stop", serde_json::json!({"type": "message_stop"})));
    events
}

/// OpenAI Chat Completions stream chunks calling `calls`, shaped as the recorded fixture
/// (openai_stream_tool_call_parallel.sse): each call opens with its id and name at its `index`,
/// its JSON-string arguments follow in fragments, then `finish_reason: tool_calls` and usage.
pub fn openai_tool_events(calls: &[ScriptedCall]) -> Vec<String> {
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
        format!(
            "data: {}\n\n",
            serde_json::json!({"id": "chatcmpl-t", "object": "chat.completion.chunk", "created": 1, "model": "test-model",
                "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]})
        )
    };
    let mut events =
        vec![chunk(serde_json::json!({"role": "assistant", "content": null}), serde_json::Value::Null)];
    for (index, (id, name, arguments)) in calls.iter().enumerate() {
        events.push(chunk(
            serde_json::json!({"tool_calls": [{"index": index, "id": id, "type": "function", "function": {"name": name, "arguments": ""}}]}),
            serde_json::Value::Null,
        ));
        let text = arguments.to_string();
        let (first, rest) = halves(&text);
        for fragment in [first, rest] {
            events.push(chunk(
                serde_json::json!({"tool_calls": [{"index": index, "function": {"arguments": fragment}}]}),
                serde_json::Value::Null,
            ));
        }
    }
    events.push(chunk(serde_json::json!({}), serde_json::json!("tool_calls")));
    events.push("data: {\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12,\"total_tokens\":52}}\n\n".into());
    events.push("data: [DONE]\n\n".into());
    events
}
