//! OTLP/HTTP: `POST /v1/logs`, `/v1/metrics`, `/v1/traces` with a protobuf or JSON body,
//! answered as the collector answers: 200 with an empty `Export…ServiceResponse` in the
//! request's encoding, or an error status with a `google.rpc.Status` (code and message) in
//! that encoding. Other paths get 404, other methods 405.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http_body_util::BodyExt as _;
use prost::Message as _;

use super::body::{self, Encoding, Format};
use super::shared::{Refusal, Shared};
use super::{BODY_TIMEOUT, MAX_BODY};

/// How much of a body over [`MAX_BODY`] is read (and thrown away) so that the sender hears
/// the refusal: twice the limit. Beyond it the connection is closed at once.
const DRAIN_LIMIT: usize = 2 * MAX_BODY;
use crate::otlp::proto::Signal;

/// The routes, over the run's shared state.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/logs", post(logs))
        .route("/v1/metrics", post(metrics))
        .route("/v1/traces", post(traces))
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .with_state(shared)
}

async fn logs(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    export(shared, Signal::Logs, request).await
}

async fn metrics(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    export(shared, Signal::Metrics, request).await
}

async fn traces(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    export(shared, Signal::Traces, request).await
}

async fn not_found(State(shared): State<Arc<Shared>>) -> Response {
    shared.count_refused();
    text(
        StatusCode::NOT_FOUND,
        "not an OTLP/HTTP path: send to /v1/logs, /v1/metrics or /v1/traces",
    )
}

async fn not_allowed(State(shared): State<Arc<Shared>>) -> Response {
    shared.count_refused();
    text(StatusCode::METHOD_NOT_ALLOWED, "OTLP/HTTP takes POST only")
}

async fn export(shared: Arc<Shared>, signal: Signal, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let answer = match Format::of(&parts.headers) {
        Ok(format) => receive(&shared, signal, format, &parts.headers, body)
            .await
            .map(|()| format)
            .map_err(|refusal| (refusal, Some(format))),
        Err(refusal) => Err((refusal, None)),
    };
    // The headers, with whatever credentials the exporter sent, end here.
    drop(parts);
    match answer {
        Ok(format) => (
            StatusCode::OK,
            [(CONTENT_TYPE, format.content_type())],
            empty_response(format),
        )
            .into_response(),
        Err((refusal, format)) => {
            shared.count_refused();
            refused(&refusal, format)
        }
    }
}

async fn receive(
    shared: &Arc<Shared>,
    signal: Signal,
    format: Format,
    headers: &HeaderMap,
    body: Body,
) -> Result<(), Refusal> {
    let encoding = Encoding::of(headers)?;
    let announced = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return Err(body::too_large("as sent"));
    }
    let _permit = shared
        .permits
        .acquire()
        .await
        .map_err(|_| Refusal::Unavailable("the receiver is stopping".to_string()))?;
    let bytes = read_body(body).await?;
    let shared = Arc::clone(shared);
    tokio::task::spawn_blocking(move || {
        let raw = body::decompress(encoding, &bytes)?;
        let data = body::decode(format, signal, &raw)?;
        shared.accept(&data)
    })
    .await
    .map_err(|e| Refusal::Internal(format!("the request could not be handled: {e}")))?
}

/// The body as sent, at most [`MAX_BODY`] bytes, within [`BODY_TIMEOUT`]. A body over the
/// limit is still read to its end, up to [`DRAIN_LIMIT`], and thrown away: a client that is
/// still writing when the connection closes never sees the 413 (it reports a broken pipe).
async fn read_body(mut body: Body) -> Result<axum::body::Bytes, Refusal> {
    let read = async {
        let mut kept: Vec<u8> = Vec::new();
        let mut total = 0usize;
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|e| Refusal::Invalid(format!("the body could not be read: {e}")))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            total = total.saturating_add(data.len());
            if total > DRAIN_LIMIT {
                break;
            }
            if total <= MAX_BODY {
                kept.extend_from_slice(&data);
            }
        }
        if total > MAX_BODY {
            return Err(body::too_large("as sent"));
        }
        Ok(axum::body::Bytes::from(kept))
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .unwrap_or_else(|_| {
            Err(Refusal::Timeout(format!(
                "the body did not arrive within {} seconds",
                BODY_TIMEOUT.as_secs()
            )))
        })
}

/// An empty `Export…ServiceResponse`: no bytes in protobuf, `{}` in JSON.
fn empty_response(format: Format) -> Vec<u8> {
    match format {
        Format::Protobuf => Vec::new(),
        Format::Json => b"{}".to_vec(),
    }
}

/// `google.rpc.Status`, the body of an OTLP/HTTP error (its `details` are never sent here).
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

fn refused(refusal: &Refusal, format: Option<Format>) -> Response {
    // HTTP status and the gRPC code the collector pairs with it.
    let (status, code) = match refusal {
        Refusal::Invalid(_) => (StatusCode::BAD_REQUEST, 3),
        Refusal::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, 8),
        Refusal::Unsupported(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, 3),
        Refusal::Timeout(_) => (StatusCode::REQUEST_TIMEOUT, 4),
        Refusal::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, 14),
        Refusal::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, 13),
    };
    let message = refusal.message().to_string();
    match format {
        Some(Format::Protobuf) => (
            status,
            [(CONTENT_TYPE, Format::Protobuf.content_type())],
            RpcStatus { code, message }.encode_to_vec(),
        )
            .into_response(),
        Some(Format::Json) => (
            status,
            [(CONTENT_TYPE, Format::Json.content_type())],
            serde_json::json!({ "code": code, "message": message }).to_string(),
        )
            .into_response(),
        None => text(status, &message),
    }
}

fn text(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}
