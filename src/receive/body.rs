//! An OTLP/HTTP body: which encoding the headers announce, decompressing it within
//! [`MAX_BODY`], and decoding it as the request of the path's signal. Only two headers are
//! read, `Content-Type` and `Content-Encoding`; no other header goes further.

use std::borrow::Cow;
use std::io::Read as _;

use axum::http::HeaderMap;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE};

use super::MAX_BODY;
use super::shared::Refusal;
use crate::limits::describe_size;
use crate::otlp::proto::{self, Signal};
use crate::otlp::{Telemetry, read_request_for};

/// The two OTLP/HTTP encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// `application/x-protobuf` (also `application/protobuf`).
    Protobuf,
    /// `application/json`.
    Json,
}

impl Format {
    /// The format a `Content-Type` names (parameters such as `charset` are ignored).
    pub(super) fn of(headers: &HeaderMap) -> Result<Format, Refusal> {
        let value = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let media = value.split(';').next().unwrap_or("").trim();
        match media.to_ascii_lowercase().as_str() {
            "application/x-protobuf" | "application/protobuf" => Ok(Format::Protobuf),
            "application/json" => Ok(Format::Json),
            "" => Err(Refusal::Unsupported(
                "no Content-Type: OTLP/HTTP sends application/x-protobuf or application/json"
                    .to_string(),
            )),
            other => Err(Refusal::Unsupported(format!(
                "Content-Type `{other}` is not OTLP's: send application/x-protobuf or application/json"
            ))),
        }
    }

    /// The `Content-Type` of answers in this format.
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Format::Protobuf => "application/x-protobuf",
            Format::Json => "application/json",
        }
    }
}

/// How the body is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Not at all.
    Identity,
    /// `gzip` (the OTLP exporters' choice).
    Gzip,
    /// `deflate` (zlib), which the collector's receiver also takes.
    Deflate,
}

impl Encoding {
    /// The encoding a `Content-Encoding` names.
    pub(super) fn of(headers: &HeaderMap) -> Result<Encoding, Refusal> {
        let Some(value) = headers.get(CONTENT_ENCODING) else {
            return Ok(Encoding::Identity);
        };
        let value = value.to_str().unwrap_or("").trim().to_ascii_lowercase();
        match value.as_str() {
            "" | "identity" => Ok(Encoding::Identity),
            "gzip" | "x-gzip" => Ok(Encoding::Gzip),
            "deflate" => Ok(Encoding::Deflate),
            other => Err(Refusal::Unsupported(format!(
                "Content-Encoding `{other}` is not taken: send gzip, deflate or none"
            ))),
        }
    }
}

/// The refusal for a body over [`MAX_BODY`].
pub(super) fn too_large(what: &str) -> Refusal {
    Refusal::TooLarge(format!(
        "the body is larger than {} {what}",
        describe_size(MAX_BODY as u64)
    ))
}

/// The body as sent, decompressed; reading stops one byte past [`MAX_BODY`], so a small
/// body that inflates without end (a gzip bomb) costs no more than that.
pub(super) fn decompress(encoding: Encoding, bytes: &[u8]) -> Result<Cow<'_, [u8]>, Refusal> {
    let reader: Box<dyn std::io::Read + '_> = match encoding {
        Encoding::Identity => return Ok(Cow::Borrowed(bytes)),
        Encoding::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        Encoding::Deflate => Box::new(flate2::read::ZlibDecoder::new(bytes)),
    };
    let mut out = Vec::new();
    reader
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| Refusal::Invalid(format!("the body cannot be decompressed: {e}")))?;
    if out.len() > MAX_BODY {
        return Err(too_large("once decompressed"));
    }
    Ok(Cow::Owned(out))
}

/// The body decoded as the export request of `signal`.
pub(super) fn decode(format: Format, signal: Signal, bytes: &[u8]) -> Result<Telemetry, Refusal> {
    match format {
        Format::Protobuf => proto::decode(signal, bytes).map_err(|e| Refusal::Invalid(e.message)),
        Format::Json => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Refusal::Invalid("the JSON body is not UTF-8 text".to_string()))?;
            read_request_for(text, signal).map_err(|e| {
                Refusal::Invalid(format!(
                    "not an OTLP/JSON {}: {}",
                    signal.request_message(),
                    e.message
                ))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![0u8; MAX_BODY * 4]);
        assert!(bomb.len() < MAX_BODY / 100, "{} bytes", bomb.len());
        let refused = decompress(Encoding::Gzip, &bomb).unwrap_err();
        assert!(matches!(refused, Refusal::TooLarge(_)), "{refused:?}");
        let fits = gzip(&vec![0u8; MAX_BODY]);
        assert_eq!(decompress(Encoding::Gzip, &fits).unwrap().len(), MAX_BODY);
        assert!(matches!(
            decompress(Encoding::Gzip, b"not gzip"),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn content_types_and_encodings_as_otlp_names_them() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        let json = headers(&[("content-type", "Application/JSON; charset=utf-8")]);
        assert_eq!(Format::of(&json), Ok(Format::Json));
        let pb = headers(&[
            ("content-type", "application/x-protobuf"),
            ("content-encoding", "GZIP"),
        ]);
        assert_eq!(Format::of(&pb), Ok(Format::Protobuf));
        assert_eq!(Encoding::of(&pb), Ok(Encoding::Gzip));
        let text = headers(&[("content-type", "text/plain"), ("content-encoding", "br")]);
        assert!(matches!(Format::of(&text), Err(Refusal::Unsupported(_))));
        assert!(matches!(Encoding::of(&text), Err(Refusal::Unsupported(_))));
        assert!(matches!(
            Format::of(&HeaderMap::new()),
            Err(Refusal::Unsupported(_))
        ));
    }

    #[test]
    fn json_of_another_signal_is_refused() {
        let body = br#"{"resourceSpans":[]}"#;
        assert!(matches!(
            decode(Format::Json, Signal::Logs, body),
            Err(Refusal::Invalid(m)) if m.contains("traces")
        ));
        assert_eq!(
            decode(Format::Json, Signal::Logs, b"{}").unwrap(),
            Telemetry::Logs(Vec::new())
        );
    }
}
