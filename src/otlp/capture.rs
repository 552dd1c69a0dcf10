//! Reading one OTLP capture, whatever its encoding: OTLP/JSON (what `receive` stores, what
//! the collector's file exporter and the captures of the coding agents hold) or protobuf
//! (what an exporter sends on the wire, saved as it came).
//!
//! The rule, in order:
//!
//! 1. **JSON** when the first byte after an optional UTF-8 byte order mark and whitespace
//!    is `{`. JSON names its signal (`resourceLogs`, `resourceMetrics`, `resourceSpans`).
//! 2. Otherwise **protobuf**, an `Export{Logs,Metrics,Trace}ServiceRequest`. The bytes do
//!    not say which: the three messages share their outer shape, so one can decode as
//!    another. When the file name (not its folder) contains `logs`, `metrics`, or
//!    `traces`/`spans` (one signal only, any case), it is decoded as that signal alone.
//! 3. Without such a name, it is decoded as each signal; the one that decodes with at least
//!    one resource entry is taken. Should several decode, the one whose every record looks
//!    like its signal is taken (log records with a time stamp, spans with a 16-byte trace id
//!    and an 8-byte span id, metrics with a name and one data type); should that still leave
//!    several or none, the capture is refused with a hint to name the signal in the file name.
//!
//! A protobuf capture with no resource entry is refused even when its name says the signal:
//! many text files (a YAML file, a log) decode as an empty protobuf message, and a capture
//! that holds nothing shows nothing.

use super::proto::{self, Signal};
use super::{OtlpError, OtlpErrorKind, Telemetry, read_request};

/// The extensions of capture files in a folder (`*.json`, `*.pb`, `*.binpb`, `*.protobuf`).
pub const CAPTURE_EXTENSIONS: [&str; 4] = ["json", "pb", "binpb", "protobuf"];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one capture. `name` is the file's name (or path) as given: only its last part is
/// used, and only to tell the signal of a protobuf capture.
pub fn read_capture(bytes: &[u8], name: &str) -> Result<Telemetry, OtlpError> {
    if is_json(bytes) {
        read_json(bytes)
    } else {
        read_protobuf(bytes, name)
    }
}

/// True when the bytes are to be read as OTLP/JSON: `{` is the first byte after an optional
/// UTF-8 byte order mark and whitespace.
pub fn is_json(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The signal a file name names: `logs`, `metrics`, or `traces`/`spans` in its last part
/// (any case); none when it names no signal or more than one.
pub fn signal_hint(name: &str) -> Option<Signal> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    let named: Vec<Signal> = [
        (Signal::Logs, &["logs"][..]),
        (Signal::Metrics, &["metrics"][..]),
        (Signal::Traces, &["traces", "spans"][..]),
    ]
    .into_iter()
    .filter(|(_, words)| words.iter().any(|w| base.contains(w)))
    .map(|(s, _)| s)
    .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn read_json(bytes: &[u8]) -> Result<Telemetry, OtlpError> {
    let (body, shift) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, 1),
        None => (bytes, 0),
    };
    let text = std::str::from_utf8(body).map_err(|e| OtlpError {
        line: 0,
        column: 0,
        message: format!(
            "the capture starts like OTLP/JSON but is not UTF-8 text (byte {})",
            e.valid_up_to() + bytes.len() - body.len()
        ),
        kind: OtlpErrorKind::Syntax,
    })?;
    read_request(text).map_err(|mut e| {
        // The byte order mark is a character of the file's first line.
        if e.line == 1 {
            e.column += shift;
        }
        e
    })
}

fn read_protobuf(bytes: &[u8], name: &str) -> Result<Telemetry, OtlpError> {
    let refuse = |message: String| OtlpError {
        line: 0,
        column: 0,
        message,
        kind: OtlpErrorKind::Protobuf,
    };
    let name_it = "put `logs`, `metrics` or `traces` in the file name to say which signal it holds";
    // The reason prost gives, without the "not an OTLP protobuf …:" in front.
    let why = |e: &OtlpError| {
        let reason = e.message.split_once(": ").map_or(&*e.message, |(_, w)| w);
        reason
            .strip_prefix("failed to decode Protobuf message: ")
            .unwrap_or(reason)
            .to_string()
    };
    if let Some(signal) = signal_hint(name) {
        let data = proto::decode(signal, bytes).map_err(|e| match e.kind {
            OtlpErrorKind::Protobuf => refuse(format!(
                "neither OTLP/JSON (it does not start with `{{`) nor an OTLP protobuf {}, as its name says it is ({})",
                signal.request_message(),
                why(&e)
            )),
            _ => e,
        })?;
        if data.is_empty() {
            return Err(refuse(format!(
                "not an OTLP capture: it is not OTLP/JSON (it does not start with `{{`) and, read as a protobuf {}, it holds no resource entry",
                signal.request_message()
            )));
        }
        return Ok(data);
    }
    let mut decoded: Vec<Telemetry> = Vec::new();
    let mut failures: Vec<(Signal, OtlpError)> = Vec::new();
    for signal in Signal::ALL {
        match proto::decode(signal, bytes) {
            Ok(data) if !data.is_empty() => decoded.push(data),
            Ok(_) => {}
            Err(e) => failures.push((signal, e)),
        }
    }
    if decoded.len() > 1 {
        decoded.retain(looks_like_its_signal);
        if decoded.len() != 1 {
            return Err(refuse(format!(
                "the protobuf capture decodes as more than one kind of export request; {name_it}"
            )));
        }
    }
    if let Some(data) = decoded.pop() {
        return Ok(data);
    }
    // A limit passed is the problem to report, whichever signal passed it.
    if let Some((_, e)) = failures
        .iter()
        .find(|(_, e)| e.kind != OtlpErrorKind::Protobuf)
    {
        return Err(e.clone());
    }
    if failures.is_empty() {
        return Err(refuse(
            "not an OTLP capture: it is not OTLP/JSON (it does not start with `{`), and read as protobuf it holds no resource entry".to_string(),
        ));
    }
    let reasons: Vec<String> = failures
        .iter()
        .map(|(s, e)| format!("as {s}: {}", why(e)))
        .collect();
    Err(refuse(format!(
        "neither OTLP/JSON (it does not start with `{{`) nor an OTLP protobuf export request ({})",
        reasons.join("; ")
    )))
}

/// True when every record of the request looks like a record of its signal, for telling
/// apart protobuf requests that decode as more than one signal.
fn looks_like_its_signal(data: &Telemetry) -> bool {
    match data {
        Telemetry::Logs(r) => r
            .iter()
            .flat_map(|r| &r.scope_logs)
            .flat_map(|s| &s.log_records)
            .all(|l| l.time_unix_nano != 0 || l.observed_time_unix_nano != 0),
        Telemetry::Traces(r) => r
            .iter()
            .flat_map(|r| &r.scope_spans)
            .flat_map(|s| &s.spans)
            .all(|s| s.trace_id.len() == 32 && s.span_id.len() == 16),
        Telemetry::Metrics(r) => r
            .iter()
            .flat_map(|r| &r.scope_metrics)
            .flat_map(|s| &s.metrics)
            .all(|m| {
                let types = [
                    m.gauge.is_some(),
                    m.sum.is_some(),
                    m.histogram.is_some(),
                    m.exponential_histogram.is_some(),
                    m.summary.is_some(),
                ];
                !m.name.is_empty() && types.iter().filter(|t| **t).count() == 1
            }),
    }
}

/// True when a file name is one a capture folder is read for: a capture extension, and
/// not hidden (a leading `.`: editors' and other tools' side files).
pub fn is_capture_name(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        CAPTURE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGS: &str = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"claude_code.api_request"}}]}]}]}"#;
    const METRICS: &str = r#"{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeMetrics":[{"scope":{"name":"s"},"metrics":[{"name":"claude_code.token.usage","unit":"tokens","sum":{"dataPoints":[{"asDouble":12,"timeUnixNano":"5"}],"aggregationTemporality":1,"isMonotonic":true}}]}]}]}"#;
    const TRACES: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeSpans":[{"scope":{"name":"s"},"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"llm_request","kind":3,"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}"#;
    /// Resources and no records: the same bytes for every signal.
    const BARE: &str = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]}}]}"#;

    fn pb(json: &str) -> Vec<u8> {
        proto::encode(&read_request(json).unwrap()).unwrap()
    }

    #[test]
    fn json_is_told_by_its_first_character() {
        for text in [LOGS.to_string(), format!("\u{feff}\n  {LOGS}")] {
            assert_eq!(
                read_capture(text.as_bytes(), "x.pb").unwrap(),
                read_request(LOGS).unwrap()
            );
        }
        // A place in the first line counts the byte order mark as a character.
        let e = read_capture("\u{feff}{\"resourceLogs\": 3}".as_bytes(), "a.json").unwrap_err();
        let plain = read_request("{\"resourceLogs\": 3}").unwrap_err();
        assert_eq!((e.line, e.column), (plain.line, plain.column + 1));
        assert_eq!(e.kind, OtlpErrorKind::Syntax);
    }

    #[test]
    fn protobuf_is_told_by_content_without_a_name() {
        for json in [LOGS, METRICS, TRACES] {
            let expected = read_request(json).unwrap();
            assert_eq!(
                read_capture(&pb(json), "capture.bin").unwrap(),
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn a_name_decides_what_content_cannot() {
        let bytes = pb(BARE);
        let e = read_capture(&bytes, "dir-with-logs/capture.pb").unwrap_err();
        assert_eq!(e.kind, OtlpErrorKind::Protobuf);
        assert!(e.message.contains("file name"), "{e}");
        assert_eq!(
            read_capture(&bytes, "capture-logs.pb").unwrap().signal(),
            "logs"
        );
        assert_eq!(
            read_capture(&bytes, "Spans.binpb").unwrap().signal(),
            "traces"
        );
        assert_eq!(
            read_capture(&bytes, "METRICS.pb").unwrap().signal(),
            "metrics"
        );
        // A name contradicting the content is an error, not a guess.
        let e = read_capture(&pb(TRACES), "logs.pb").unwrap_err();
        assert!(e.message.contains("ExportLogsServiceRequest"), "{e}");
    }

    #[test]
    fn hints_name_one_signal_only() {
        assert_eq!(signal_hint("000001-logs.json"), Some(Signal::Logs));
        assert_eq!(signal_hint("logs/trace.pb"), None);
        assert_eq!(signal_hint("traces/spans-1.pb"), Some(Signal::Traces));
        assert_eq!(signal_hint("logs-and-metrics.pb"), None);
        assert_eq!(signal_hint("capture.pb"), None);
    }

    #[test]
    fn text_and_empty_files_are_no_capture() {
        for (bytes, name) in [
            (&b""[..], "x.pb"),
            (b"  \n", "logs.pb"),
            (b"receivers:\n  otlp:\n", "otelcol.pb"),
            (b"\x0a\xff\xff\xff\xff", "broken.pb"),
        ] {
            let e = read_capture(bytes, name).unwrap_err();
            assert_eq!(e.kind, OtlpErrorKind::Protobuf, "{name}: {e}");
            assert!(
                e.message.contains("not OTLP/JSON") || e.message.contains("neither"),
                "{e}"
            );
        }
    }

    #[test]
    fn capture_names() {
        assert!(is_capture_name("000001-logs.json"));
        assert!(is_capture_name("x.BINPB"));
        assert!(!is_capture_name(".x.json"));
        assert!(!is_capture_name("x.json.otel-dpia-tmp"));
        assert!(!is_capture_name("json"));
    }
}
