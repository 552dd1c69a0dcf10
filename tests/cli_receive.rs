//! `otel-dpia receive` as a real OTLP endpoint: the built binary on port 0, fed real captures
//! of the coding agents through real clients (hyper for OTLP/HTTP, tonic for OTLP/gRPC), with
//! what it stores read back by the project's own OTLP/JSON reader.

#![cfg(unix)]

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use otel_dpia::otlp::proto::{ProtoRequest, to_proto};
use otel_dpia::otlp::{Telemetry, read_request};
use tonic::codec::CompressionEncoding;

const SECRET: &str = "sk-secret-123";

/// A running receiver: the child process (ended when dropped), its addresses, its folder.
struct Receiver {
    child: Option<Child>,
    http: SocketAddr,
    grpc: SocketAddr,
    out: tempfile::TempDir,
}

impl Receiver {
    fn start(extra: &[&str]) -> Receiver {
        let out = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .args([
                "receive",
                "--http",
                "127.0.0.1:0",
                "--grpc",
                "127.0.0.1:0",
                "--out",
            ])
            .arg(out.path())
            .args(extra)
            .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next = |protocol: &str| -> SocketAddr {
            let line = lines.next().expect("an address line").unwrap();
            let addr = line
                .strip_prefix(&format!("{protocol} "))
                .unwrap_or_else(|| panic!("`{line}` is not the {protocol} address"));
            addr.parse().unwrap()
        };
        let (http, grpc) = (next("http"), next("grpc"));
        assert_ne!(http.port(), 0);
        assert_ne!(grpc.port(), 0);
        Receiver {
            child: Some(child),
            http,
            grpc,
            out,
        }
    }

    /// Stops it as Ctrl-C or a service manager would, and waits for it.
    fn terminate(&mut self) -> (ExitStatus, String) {
        let pid = self.child.as_ref().unwrap().id();
        // SAFETY: signals the process this test started, by its id.
        unsafe { libc::kill(i32::try_from(pid).unwrap(), libc::SIGTERM) };
        self.wait()
    }

    /// Waits for it to end by itself (a safety net kills it after a minute, so that a
    /// broken stop fails the test instead of hanging it).
    fn wait(&mut self) -> (ExitStatus, String) {
        let mut child = self.child.take().unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("the receiver did not stop");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status, stderr)
    }

    /// The stored files, in name order.
    fn stored(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One HTTP request; the status, the content type and the body of the answer.
fn http(
    to: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, String, Vec<u8>) {
    runtime().block_on(async {
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http::<Full<Bytes>>();
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(format!("http://{to}{path}"));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .expect("the receiver answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, content_type, body.to_vec())
    })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Sends a request over OTLP/gRPC with the exporter's credentials in the metadata.
fn grpc(to: SocketAddr, data: &Telemetry, compressed: bool) -> Result<(), tonic::Status> {
    let endpoint = format!("http://{to}");
    fn with_secret<T>(message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request
            .metadata_mut()
            .insert("authorization", format!("Bearer {SECRET}").parse().unwrap());
        request
    }
    runtime().block_on(async {
        match to_proto(data).unwrap() {
            ProtoRequest::Logs(r) => {
                let mut c = LogsServiceClient::connect(endpoint).await.unwrap();
                if compressed {
                    c = c.send_compressed(CompressionEncoding::Gzip);
                }
                c.export(with_secret(r)).await.map(|_| ())
            }
            ProtoRequest::Metrics(r) => {
                let mut c = MetricsServiceClient::connect(endpoint).await.unwrap();
                if compressed {
                    c = c.send_compressed(CompressionEncoding::Gzip);
                }
                c.export(with_secret(r)).await.map(|_| ())
            }
            ProtoRequest::Traces(r) => {
                let mut c = TraceServiceClient::connect(endpoint).await.unwrap();
                if compressed {
                    c = c.send_compressed(CompressionEncoding::Gzip);
                }
                c.export(with_secret(r)).await.map(|_| ())
            }
        }
    })
}

/// The logs, metrics and traces of a real Claude Code session (or a small stand-in when the
/// reference captures are not there), with the OTLP/JSON text of each.
fn captures() -> Vec<(String, Telemetry)> {
    let texts: Vec<String> = match common::shared_dir() {
        Some(shared) => {
            let raw = shared.join("claude-code/fixtures/2.1.330/vii_traces_beta/raw");
            ["logs-1.json", "metrics-1.json", "traces-1.json"]
                .iter()
                .map(|n| std::fs::read_to_string(raw.join(n)).unwrap())
                .collect()
        }
        None => vec![
            r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"claude_code.user_prompt"},"attributes":[{"key":"prompt","value":{"stringValue":"hello"}},{"key":"event.sequence","value":{"intValue":3}}]}]}]}]}"#.to_string(),
            r#"{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeMetrics":[{"scope":{"name":"s"},"metrics":[{"name":"claude_code.token.usage","sum":{"dataPoints":[{"asDouble":12.5,"timeUnixNano":"5"}],"aggregationTemporality":1,"isMonotonic":true}}]}]}]}"#.to_string(),
            r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeSpans":[{"scope":{"name":"s"},"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"claude_code.llm_request","kind":1,"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}"#.to_string(),
        ],
    };
    texts
        .into_iter()
        .map(|t| {
            let data = read_request(&t).unwrap();
            (t, data)
        })
        .collect()
}

fn protobuf(data: &Telemetry) -> Vec<u8> {
    to_proto(data).unwrap().encode_to_vec()
}

fn read_back(path: &Path) -> Telemetry {
    read_request(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn stores_every_encoding_and_protocol_as_the_telemetry_sent_and_no_header() {
    let all = captures();
    let [(_, logs), (metrics_json, metrics), (_, traces)] = &all[..] else {
        panic!("three captures")
    };
    let mut receiver = Receiver::start(&[]);
    let auth = format!("Bearer {SECRET}");
    let secret_headers = [("authorization", auth.as_str()), ("x-api-key", SECRET)];
    let with = |content_type: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut h: Vec<(&str, &str)> = vec![("content-type", content_type)];
        h.extend(secret_headers.iter().copied());
        h.extend(extra.iter().copied());
        h
    };

    // OTLP/HTTP: protobuf, JSON (the capture's own text), gzip-compressed protobuf.
    let (status, content_type, body) = http(
        receiver.http,
        "POST",
        "/v1/logs",
        &with("application/x-protobuf", &[]),
        protobuf(logs),
    );
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/x-protobuf")
    );
    assert!(body.is_empty(), "an empty ExportLogsServiceResponse");
    let (status, content_type, body) = http(
        receiver.http,
        "POST",
        "/v1/metrics",
        &with("application/json", &[]),
        metrics_json.clone().into_bytes(),
    );
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(body, b"{}");
    let (status, _, _) = http(
        receiver.http,
        "POST",
        "/v1/traces",
        &with("application/x-protobuf", &[("content-encoding", "gzip")]),
        gzip(&protobuf(traces)),
    );
    assert_eq!(status, 200);

    // OTLP/gRPC: plain and gzip-compressed messages.
    grpc(receiver.grpc, logs, false).expect("gRPC logs accepted");
    grpc(receiver.grpc, metrics, true).expect("gRPC metrics accepted");
    grpc(receiver.grpc, traces, false).expect("gRPC traces accepted");

    let (status, stderr) = receiver.terminate();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("stored 6 requests") && stderr.contains("(logs 2, metrics 2, traces 2)"),
        "{stderr}"
    );
    let files = receiver.stored();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "000001-logs.json",
            "000002-metrics.json",
            "000003-traces.json",
            "000004-logs.json",
            "000005-metrics.json",
            "000006-traces.json"
        ]
    );
    let sent = [logs, metrics, traces, logs, metrics, traces];
    for (file, data) in files.iter().zip(sent) {
        assert_eq!(&read_back(file), data, "{}", file.display());
        let bytes = std::fs::read(file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{}: a header was stored",
            file.display()
        );
    }
    assert!(!stderr.contains(SECRET));
}

#[test]
fn refuses_bad_requests_stores_nothing_for_them_and_keeps_serving() {
    let all = captures();
    let (_, logs) = &all[0];
    let mut receiver = Receiver::start(&[]);
    let pb = [("content-type", "application/x-protobuf")];
    let json = [("content-type", "application/json")];
    let max = otel_dpia::receive::MAX_BODY;
    /// What is sent (a description, method, path, headers, body) and the status expected.
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Vec<(&'a str, &'a str)>,
        Vec<u8>,
        u16,
    );
    let cases: Vec<Case> = vec![
        (
            "oversized",
            "POST",
            "/v1/logs",
            pb.to_vec(),
            vec![0x0a; max + 1],
            413,
        ),
        (
            "a gzip bomb",
            "POST",
            "/v1/logs",
            vec![pb[0], ("content-encoding", "gzip")],
            gzip(&vec![0u8; max * 2]),
            413,
        ),
        (
            "malformed protobuf",
            "POST",
            "/v1/logs",
            pb.to_vec(),
            b"\x0a\xff\xff\xff\xff".to_vec(),
            400,
        ),
        (
            "malformed JSON",
            "POST",
            "/v1/logs",
            json.to_vec(),
            b"{\"resourceLogs\": [".to_vec(),
            400,
        ),
        (
            "another signal's JSON",
            "POST",
            "/v1/logs",
            json.to_vec(),
            br#"{"resourceSpans":[]}"#.to_vec(),
            400,
        ),
        (
            "broken gzip",
            "POST",
            "/v1/logs",
            vec![pb[0], ("content-encoding", "gzip")],
            b"nope".to_vec(),
            400,
        ),
        (
            "no content type",
            "POST",
            "/v1/logs",
            Vec::new(),
            protobuf(logs),
            415,
        ),
        (
            "text",
            "POST",
            "/v1/logs",
            vec![("content-type", "text/plain")],
            b"hi".to_vec(),
            415,
        ),
        (
            "brotli",
            "POST",
            "/v1/logs",
            vec![pb[0], ("content-encoding", "br")],
            protobuf(logs),
            415,
        ),
        (
            "another path",
            "POST",
            "/v1/profiles",
            pb.to_vec(),
            protobuf(logs),
            404,
        ),
        ("GET", "GET", "/v1/logs", Vec::new(), Vec::new(), 405),
    ];
    for (what, method, path, headers, body, expected) in cases {
        let (status, _, answer) = http(receiver.http, method, path, &headers, body);
        assert_eq!(
            status,
            expected,
            "{what}: {}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert!(receiver.stored().is_empty(), "a refused request was stored");
    // A message over the limit through gRPC is refused by the server too.
    let mut huge = logs.clone();
    if let Telemetry::Logs(r) = &mut huge {
        let record = r[0].scope_logs[0].log_records[0].clone();
        while protobuf(&huge).len() <= max {
            let Telemetry::Logs(r) = &mut huge else {
                unreachable!()
            };
            r[0].scope_logs[0]
                .log_records
                .extend(std::iter::repeat_n(record.clone(), 500));
        }
    }
    assert!(grpc(receiver.grpc, &huge, false).is_err());
    assert!(
        receiver.stored().is_empty(),
        "an oversized gRPC message was stored"
    );

    // Still serving.
    let (status, _, _) = http(receiver.http, "POST", "/v1/logs", &pb, protobuf(logs));
    assert_eq!(status, 200);
    grpc(receiver.grpc, logs, true).expect("still serving gRPC");
    let (status, stderr) = receiver.terminate();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(receiver.stored().len(), 2);
    assert!(stderr.contains("refused 11"), "{stderr}");
}

#[test]
fn max_requests_ends_the_run_by_itself() {
    let all = captures();
    let mut receiver = Receiver::start(&["--max-requests", "2"]);
    let pb = [("content-type", "application/x-protobuf")];
    let (status, _, _) = http(receiver.http, "POST", "/v1/logs", &pb, protobuf(&all[0].1));
    assert_eq!(status, 200);
    grpc(receiver.grpc, &all[1].1, false).expect("the second request is accepted");
    let (status, stderr) = receiver.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stored 2 requests"), "{stderr}");
    assert!(stderr.contains("--max-requests reached"), "{stderr}");
    assert_eq!(receiver.stored().len(), 2);
}

#[test]
fn timeout_ends_the_run_by_itself() {
    let mut receiver = Receiver::start(&["--timeout", "1"]);
    let (status, stderr) = receiver.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stored 0 requests"), "{stderr}");
    assert!(stderr.contains("--timeout passed"), "{stderr}");
}

#[test]
fn an_address_in_use_or_no_address_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .arg("receive")
            .args(args)
            .current_dir(dir.path())
            .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
            .output()
            .unwrap()
    };
    let out = run(&["--http", &addr, "--out", "received"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[OD701]"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        !dir.path().join("received").exists(),
        "a folder made for nothing"
    );
    let out = run(&["--http", "not-an-address", "--out", "received"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[OD701]"));
    let out = run(&["--out", "received"]);
    assert_eq!(out.status.code(), Some(2), "neither --http nor --grpc");
}
