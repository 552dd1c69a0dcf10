//! A scripted stand-in for the Anthropic Messages API on loopback, streaming as the real API
//! does (Server-Sent Events), so that the real Claude Code CLI runs a whole session: a Bash
//! tool call, then a file write, then a text answer. Every other request the client makes
//! (a title, a quota check) gets a short valid text stream; other paths get 404.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use serde_json::{Value, json};

/// The fake API, serving until the test process ends.
pub struct FakeApi {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    requests: Arc<AtomicUsize>,
}

impl FakeApi {
    /// Starts serving on a free loopback port; `cwd` is where the scripted write goes.
    pub fn start(cwd: &std::path::Path) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let target = cwd.join("hello.txt").to_string_lossy().to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = counter.clone();
                let target = target.clone();
                thread::spawn(move || {
                    let _ = serve(stream, &counter, &target);
                });
            }
        });
        FakeApi { base_url, requests }
    }

    /// How many Messages API requests were answered.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// One connection: requests answered in turn until the client closes it.
fn serve(stream: TcpStream, counter: &AtomicUsize, target: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or_default().to_string(),
            parts.next().unwrap_or_default().to_string(),
        );
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let lower = h.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let body = if chunked {
            read_chunked(&mut reader)?
        } else {
            let mut b = vec![0; length];
            reader.read_exact(&mut b)?;
            b
        };
        let path = path.split('?').next().unwrap_or_default().to_string();
        match (method.as_str(), path.as_str()) {
            ("POST", "/v1/messages") => {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let events = answer(&request, n, target);
                write!(
                    out,
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nrequest-id: req_fake{n}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{events}",
                    events.len()
                )?;
                out.flush()?;
                return Ok(());
            }
            ("POST", "/v1/messages/count_tokens") => {
                let body = json!({"input_tokens": 100}).to_string();
                write!(
                    out,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )?;
            }
            _ => {
                let body = json!({"type": "error", "error": {"type": "not_found_error", "message": "not here"}}).to_string();
                write!(
                    out,
                    "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )?;
            }
        }
        out.flush()?;
    }
}

fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let n =
            usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk)?;
        if n == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// The scripted turn: in the conversation that offers the Bash tool, a Bash call first, a
/// Write after its result, then the answer; any other request a short text.
fn answer(request: &Value, n: usize, target: &str) -> String {
    let model = request["model"]
        .as_str()
        .unwrap_or("claude-test")
        .to_string();
    let offers_bash = request["tools"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t["name"] == "Bash"));
    let results = request["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|m| m["content"].as_array().into_iter().flatten())
        .filter(|b| b["type"] == "tool_result")
        .count();
    let mut blocks: Vec<Value> = Vec::new();
    let stop = match (offers_bash, results) {
        (true, 0) => {
            blocks.push(json!({"type": "text", "text": "I'll run a command."}));
            blocks.push(
                json!({"type": "tool_use", "id": format!("toolu_fake{n}_0"), "name": "Bash",
                "input": {"command": "echo hi", "description": "Print hi"}}),
            );
            "tool_use"
        }
        (true, 1) => {
            blocks.push(
                json!({"type": "tool_use", "id": format!("toolu_fake{n}_0"), "name": "Write",
                "input": {"file_path": target, "content": "hello\n"}}),
            );
            "tool_use"
        }
        (true, _) => {
            blocks.push(json!({"type": "text", "text": "hi! The command printed hi and I wrote hello.txt."}));
            "end_turn"
        }
        (false, _) => {
            blocks.push(json!({"type": "text", "text": "Greeting"}));
            "end_turn"
        }
    };
    let mut out = String::new();
    let mut event = |name: &str, data: Value| {
        out.push_str(&format!("event: {name}\ndata: {data}\n\n"));
    };
    event(
        "message_start",
        json!({"type": "message_start", "message": {"id": format!("msg_fake{n}"), "type": "message",
            "role": "assistant", "model": model, "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 120, "output_tokens": 1, "cache_read_input_tokens": 10,
                "cache_creation_input_tokens": 5}}}),
    );
    for (i, b) in blocks.iter().enumerate() {
        if b["type"] == "text" {
            event(
                "content_block_start",
                json!({"type": "content_block_start", "index": i,
                "content_block": {"type": "text", "text": ""}}),
            );
            event(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": i,
                "delta": {"type": "text_delta", "text": b["text"]}}),
            );
        } else {
            event(
                "content_block_start",
                json!({"type": "content_block_start", "index": i,
                "content_block": {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}}),
            );
            event(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": i,
                "delta": {"type": "input_json_delta", "partial_json": b["input"].to_string()}}),
            );
        }
        event(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": i}),
        );
    }
    event(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
            "usage": {"output_tokens": 30}}),
    );
    event("message_stop", json!({"type": "message_stop"}));
    out
}
