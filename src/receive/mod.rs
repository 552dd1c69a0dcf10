//! `receive`: a real OTLP endpoint that stores every export request it is sent, so that what
//! a coding agent (or a collector) actually sends can be captured on a test machine and read
//! by `simulate` (and compared with what the configuration says).
//!
//! It speaks OTLP/HTTP (`/v1/logs`, `/v1/metrics`, `/v1/traces`; protobuf or JSON bodies,
//! gzip or deflate) and OTLP/gRPC (the three collector services), both on the OpenTelemetry
//! project's own protocol types. Each accepted request becomes one OTLP/JSON file in the
//! output folder, `000001-logs.json`, `000002-metrics.json`, …, numbered in the order stored
//! (after any numbered files already there). Request headers are never stored or printed:
//! they carry the exporters' credentials (`Authorization`, API keys).
//!
//! Everything is bounded: a body of at most [`MAX_BODY`] bytes as sent and as decompressed
//! (a gzip bomb stops at that point), at most [`MAX_IN_FLIGHT`] requests read at once, a body
//! read within [`BODY_TIMEOUT`], and a stop that waits at most [`GRACE`] for requests under
//! way. The runtime (tokio) exists only while this command runs.

mod body;
mod grpc;
mod http;
mod run;
mod shared;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use run::{Outcome, Receiver, StopReason};

/// The largest request body, in bytes, as sent and after decompression: 4 MiB, the default
/// of the collector's OTLP receiver for gRPC messages (its HTTP side has none). An agent
/// exports a batch of events at a time (Claude Code: some kilobytes to a few hundred).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// How many requests are read, decoded and stored at once: 4. Each holds up to two bodies of
/// [`MAX_BODY`] and its decoded form; more senders wait, they are not refused.
pub const MAX_IN_FLIGHT: usize = 4;

/// How long the body of one HTTP request may take to arrive: 30 seconds. A sender that
/// stalls must not hold a place among the [`MAX_IN_FLIGHT`] for ever.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a stop waits for requests under way to be answered and stored: 5 seconds.
pub const GRACE: Duration = Duration::from_secs(5);

/// The most numbered files one output folder takes: 999 999, the largest six-digit number,
/// so that names sort in the order received.
pub const MAX_FILES: u32 = 999_999;

/// What to listen on and where to store.
#[derive(Debug, Clone)]
pub struct Config {
    /// OTLP/HTTP address, if any.
    pub http: Option<SocketAddr>,
    /// OTLP/gRPC address, if any.
    pub grpc: Option<SocketAddr>,
    /// The folder the requests are stored in.
    pub out: PathBuf,
    /// Stop once this many requests are stored.
    pub max_requests: Option<u64>,
    /// Stop after this long in total.
    pub timeout: Option<Duration>,
}

/// The two protocols, as the address lines name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OTLP/HTTP.
    Http,
    /// OTLP/gRPC.
    Grpc,
}

impl Protocol {
    /// `http` or `grpc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Grpc => "grpc",
        }
    }
}
