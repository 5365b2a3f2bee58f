use futures_util::stream;

use super::*;

fn ev(event: &str, data: &str) -> SseEvent {
    SseEvent { event: event.to_string(), data: data.to_string() }
}

fn parse_all(input: &[u8]) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut out = parser.feed(input);
    out.extend(parser.finish());
    out
}

/// Feed `input` split at every byte offset (two chunks), and byte by byte, and check all agree.
fn assert_split_invariant(input: &[u8]) -> Vec<SseEvent> {
    let whole = parse_all(input);
    for cut in 0..=input.len() {
        let mut parser = SseParser::new();
        let mut out = parser.feed(&input[..cut]);
        out.extend(parser.feed(&input[cut..]));
        out.extend(parser.finish());
        assert_eq!(out, whole, "split at byte {cut}");
    }
    let mut parser = SseParser::new();
    let mut out = Vec::new();
    for b in input {
        out.extend(parser.feed(std::slice::from_ref(b)));
    }
    out.extend(parser.finish());
    assert_eq!(out, whole, "byte by byte");
    whole
}

#[test]
fn basic_events_with_names() {
    let input = b"event: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_stop\ndata: {}\n\n";
    assert_eq!(parse_all(input), [ev("ping", "{\"type\": \"ping\"}"), ev("message_stop", "{}")]);
}

#[test]
fn crlf_and_cr_line_endings() {
    let lf = parse_all(b"event: a\ndata: 1\n\ndata: 2\n\n");
    assert_eq!(lf, [ev("a", "1"), ev("", "2")]);
    assert_eq!(parse_all(b"event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n"), lf);
    assert_eq!(parse_all(b"event: a\rdata: 1\r\rdata: 2\r\r"), lf);
    // Mixed endings.
    assert_eq!(parse_all(b"event: a\r\ndata: 1\r\rdata: 2\n\r\n"), lf);
}

#[test]
fn crlf_split_across_chunks_is_one_line_end() {
    let mut parser = SseParser::new();
    assert!(parser.feed(b"data: x\r").is_empty());
    // The LF completes the CRLF; it must not count as a blank line.
    assert!(parser.feed(b"\n").is_empty());
    assert_eq!(parser.feed(b"data: y\r"), []);
    assert_eq!(parser.feed(b"\n\r"), [ev("", "x\ny")]);
    assert_eq!(parser.feed(b"\n"), []);
}

#[test]
fn comments_are_skipped() {
    let input = b": keep-alive\n\n: OPENROUTER PROCESSING\n\ndata: {\"a\":1}\n: mid-event comment\n\n";
    assert_eq!(parse_all(input), [ev("", "{\"a\":1}")]);
}

#[test]
fn multi_line_data_joins_with_newline() {
    assert_eq!(parse_all(b"data: first\ndata:second\ndata:  third\n\n"), [ev("", "first\nsecond\n third")]);
    // An empty data line still makes an event (with empty data).
    assert_eq!(parse_all(b"data:\n\n"), [ev("", "")]);
    assert_eq!(parse_all(b"data\n\n"), [ev("", "")]);
}

#[test]
fn events_without_data_are_not_dispatched() {
    assert_eq!(parse_all(b"event: lonely\n\ndata: x\n\n"), [ev("", "x")]);
    assert_eq!(parse_all(b"id: 7\nretry: 1000\n\n"), []);
    assert_eq!(parse_all(b"id: 7\ndata: y\nretry: 5\nfoo: bar\n\n"), [ev("", "y")]);
}

#[test]
fn missing_trailing_blank_line() {
    // Last line complete but no blank line: finish() hands it back for the caller to judge.
    let mut parser = SseParser::new();
    assert_eq!(parser.feed(b"data: 1\n\ndata: [DONE]\n"), [ev("", "1")]);
    assert_eq!(parser.finish(), Some(ev("", "[DONE]")));
    // A line cut mid-way is never returned.
    let mut parser = SseParser::new();
    assert_eq!(parser.feed(b"data: 1\n\ndata: {\"trunc"), [ev("", "1")]);
    assert_eq!(parser.finish(), None);
    // Nothing pending at all.
    let mut parser = SseParser::new();
    parser.feed(b"data: 1\n\n");
    assert_eq!(parser.finish(), None);
}

#[test]
fn bom_and_utf8() {
    assert_eq!(parse_all("\u{feff}data: olá\n\n".as_bytes()), [ev("", "olá")]);
    let input = "\u{feff}event: é\ndata: Olá — “quoted”\n\n".as_bytes();
    assert_eq!(assert_split_invariant(input), [ev("é", "Olá — “quoted”")]);
}

#[test]
fn split_at_every_offset_handwritten() {
    let input = b": ka\r\n\r\nevent: message_start\r\ndata: {\"x\":1}\r\n\r\ndata: a\rdata: b\r\r: c\ndata: [DONE]\n\n";
    let events = assert_split_invariant(input);
    assert_eq!(events, [ev("message_start", "{\"x\":1}"), ev("", "a\nb"), ev("", "[DONE]")]);
}

#[test]
fn split_at_every_offset_fixtures() {
    // Whole small recordings (one with multi-byte UTF-8), and the opening of the OpenRouter one (its
    // comments and first events), split at every byte; CRLF variants in 7-byte pieces.
    let names = [
        "anthropic_stream_tool_use.sse",
        "anthropic_stream_thinking_refusal.sse",
        "openrouter_kimi_stream_tool_call.sse",
    ];
    for name in names {
        let Some(body) = fixtures::sse(name) else { return };
        let head = match body.char_indices().filter(|&(i, _)| body[i..].starts_with("\n\n")).nth(8) {
            Some((i, _)) if body.len() > 4000 => &body[..i + 2],
            _ => body.as_str(),
        };
        let events = assert_split_invariant(head.as_bytes());
        assert!(events.len() >= 6, "{name}: {}", events.len());
        for text in [head, body.as_str()] {
            let lf_events = parse_all(text.as_bytes());
            let crlf = text.replace('\n', "\r\n");
            let mut parser = SseParser::new();
            let mut crlf_events = Vec::new();
            for piece in crlf.as_bytes().chunks(7) {
                crlf_events.extend(parser.feed(piece));
            }
            assert_eq!(crlf_events, lf_events, "{name} with CRLF");
        }
    }
}

#[test]
fn every_fixture_event_is_json_or_done() {
    let names = [
        "anthropic_stream_text.sse",
        "anthropic_stream_tool_use.sse",
        "anthropic_stream_thinking_tool_use.sse",
        "anthropic_stream_thinking_refusal.sse",
        "anthropic_stream_error_event.sse",
        "openai_stream_tool_call_parallel.sse",
        "openai_stream_text_include_usage.sse",
        "glm_stream_reasoning_tool_call.sse",
        "openrouter_kimi_stream_tool_call.sse",
        "llamacpp_stream_text.sse",
    ];
    for name in names {
        let Some(body) = fixtures::sse(name) else { return };
        let events = fixtures::events(&body);
        assert!(!events.is_empty(), "{name}");
        for e in &events {
            assert!(
                e.data == "[DONE]" || serde_json::from_str::<serde_json::Value>(&e.data).is_ok(),
                "{name}: {e:?}"
            );
        }
    }
    let Some(body) = fixtures::sse("openrouter_kimi_stream_tool_call.sse") else { return };
    let events = fixtures::events(&body);
    assert_eq!(events.len(), 77, "two PROCESSING comments are not events");
    assert_eq!(events.last().unwrap().data, "[DONE]");
}

#[tokio::test]
async fn reader_yields_events_then_clean_end() {
    let chunks: Vec<Result<&[u8], reqwest::Error>> =
        vec![Ok(b": keep-alive\n\nda"), Ok(b"ta: 1\n"), Ok(b"\ndata: 2\n\n"), Ok(b"data: tail\n")];
    let mut reader = SseReader::new(stream::iter(chunks), u64::MAX);
    assert_eq!(reader.next_event().await.unwrap(), Some(ev("", "1")));
    assert_eq!(reader.next_event().await.unwrap(), Some(ev("", "2")));
    assert_eq!(reader.next_event().await.unwrap(), None);
    assert_eq!(reader.next_event().await.unwrap(), None);
    assert_eq!(reader.take_unterminated(), Some(ev("", "tail")));
    assert_eq!(reader.take_unterminated(), None);
}

#[test]
fn invalid_utf8_in_a_field_is_flagged_and_replaced() {
    let mut parser = SseParser::new();
    assert_eq!(parser.feed(b"data: caf\xC3\xA9\n\n"), [ev("", "caf\u{e9}")]);
    assert!(!parser.saw_invalid_utf8(), "valid multi-byte text is not flagged");
    // The two bytes of one character split across chunks are joined before the check.
    assert_eq!(parser.feed(b"data: \xC3"), []);
    assert_eq!(parser.feed(b"\xA9\n\n"), [ev("", "\u{e9}")]);
    assert!(!parser.saw_invalid_utf8());
    assert_eq!(parser.feed(b"data: bad \xFF byte\n\n"), [ev("", "bad \u{fffd} byte")]);
    assert!(parser.saw_invalid_utf8());
    let mut parser = SseParser::new();
    parser.feed(b"event: \xC0\ndata: x\n\n");
    assert!(parser.saw_invalid_utf8(), "in the event name too");
    let mut parser = SseParser::new();
    parser.feed(b": comment \xFF\n\n");
    assert!(!parser.saw_invalid_utf8(), "comments are never read");
}

#[tokio::test]
async fn reader_refuses_a_stream_with_invalid_utf8() {
    let chunks: Vec<Result<&[u8], reqwest::Error>> = vec![Ok(b"data: 1\n\n"), Ok(b"data: \xFF\n\n")];
    let mut reader = SseReader::new(stream::iter(chunks), u64::MAX);
    assert_eq!(reader.next_event().await.unwrap(), Some(ev("", "1")));
    let err = reader.next_event().await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse, "{err}");
    assert!(err.message.contains("UTF-8"), "{err}");
    assert_eq!(reader.next_event().await.unwrap(), None, "nothing is read after it");
}

#[tokio::test]
async fn reader_stops_past_the_limit_however_much_is_left() {
    let chunk: &[u8] = b"data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\n";
    let pulled = std::sync::atomic::AtomicUsize::new(0);
    let endless = stream::repeat(chunk).map(|c| {
        pulled.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok::<_, reqwest::Error>(c)
    });
    let mut reader = SseReader::new(Box::pin(endless), 1000);
    let mut events = 0;
    let err = loop {
        match reader.next_event().await {
            Ok(Some(_)) => events += 1,
            Ok(None) => panic!("an endless body cannot end"),
            Err(err) => break err,
        }
    };
    assert_eq!(err.class, ErrorClass::BadResponse);
    assert!(err.message.contains("1000 bytes") && err.message.contains("max_answer_mb"), "{err}");
    let per_chunk = chunk.len();
    assert_eq!(events, 1000 / per_chunk, "every event within the limit is read");
    assert_eq!(pulled.load(std::sync::atomic::Ordering::SeqCst), 1000 / per_chunk + 1, "then no more");
}

#[test]
fn what_can_start_an_event_stream() {
    for head in [
        &b""[..],
        b"\n\n",
        b": keep-alive\n\n",
        b"data: {}\n\n",
        b"data:{}",
        b"\xEF\xBB\xBFevent: ping\n",
        b"\r\nid: 7\r\n",
        b"retry: 100\n",
        b"data",
    ] {
        assert!(looks_like_sse(head), "{}", String::from_utf8_lossy(head));
    }
    for head in
        [&b"<html><body>502</body></html>"[..], b"{\"error\": {}}", b"\n<!DOCTYPE html>", b"database: x"]
    {
        assert!(!looks_like_sse(head), "{}", String::from_utf8_lossy(head));
    }
}

#[tokio::test]
async fn reader_refuses_a_body_that_is_not_sse_and_shows_it() {
    let page: &[u8] = b"<html><head><title>Sign in</title></head><body><h1>Hotel Wi-Fi</h1></body></html>";
    let chunks: Vec<Result<&[u8], reqwest::Error>> = vec![Ok(&page[..20]), Ok(&page[20..])];
    let mut reader = SseReader::new(stream::iter(chunks), u64::MAX);
    let err = reader.next_event().await.unwrap_err();
    assert_eq!(err.class, ErrorClass::BadResponse);
    assert_eq!(err.message, "expected an event stream, got a body that is not SSE: Sign in Hotel Wi-Fi");

    // Comments only: an event stream that said nothing, left to the protocol to call cut.
    let chunks: Vec<Result<&[u8], reqwest::Error>> = vec![Ok(b": keep-alive\n\n")];
    let mut reader = SseReader::new(stream::iter(chunks), u64::MAX);
    assert_eq!(reader.next_event().await.unwrap(), None);
}
