//! Binding, serving and stopping. Binding happens before the runtime exists, so that the
//! caller can print the addresses actually bound (port 0 picks a free one) before the first
//! request can arrive; serving runs both protocols on one runtime until a stop.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::LogsServiceServer;
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::MetricsServiceServer;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::TraceServiceServer;
use tonic::codec::CompressionEncoding;

use super::grpc::Services;
use super::shared::Shared;
use super::store::{Counts, Store};
use super::{BODY_TIMEOUT, Config, GRACE, MAX_BODY, Protocol};
use crate::diag::{Code, Diagnostic};

/// Why the receiver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `--max-requests` requests were stored.
    MaxRequests,
    /// `--timeout` passed.
    Timeout,
    /// SIGINT (Ctrl-C) or SIGTERM.
    Signal,
    /// A request could not be stored; the outcome holds the error.
    Error,
}

impl StopReason {
    /// The reason in words, for the summary.
    pub fn describe(self) -> &'static str {
        match self {
            StopReason::MaxRequests => "--max-requests reached",
            StopReason::Timeout => "--timeout passed",
            StopReason::Signal => "interrupted",
            StopReason::Error => "a request could not be stored",
        }
    }
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// Requests stored, per signal.
    pub stored: Counts,
    /// Requests answered with an error status.
    pub refused: u64,
    /// Why it stopped.
    pub reason: StopReason,
    /// Errors that ended the run (exit 2).
    pub diagnostics: Vec<Diagnostic>,
}

/// A receiver whose addresses are bound, ready to serve.
pub struct Receiver {
    http: Option<TcpListener>,
    grpc: Option<TcpListener>,
    store: Store,
    timeout: Option<Duration>,
}

impl Receiver {
    /// Binds the addresses and opens the output folder (created only once both are bound).
    pub fn bind(config: &Config) -> Result<Receiver, Diagnostic> {
        let listen = |addr: Option<SocketAddr>, protocol: Protocol| {
            addr.map(|a| {
                TcpListener::bind(a)
                    .and_then(|l| l.set_nonblocking(true).map(|()| l))
                    .map_err(|e| {
                        Diagnostic::new(
                            Code::ListenFailed,
                            format!("cannot listen for OTLP/{} on {a}: {e}", protocol.as_str()),
                        )
                        .hint("pick a free port, or port 0 for any free one")
                    })
            })
            .transpose()
        };
        let http = listen(config.http, Protocol::Http)?;
        let grpc = listen(config.grpc, Protocol::Grpc)?;
        Ok(Receiver {
            http,
            grpc,
            store: Store::open(&config.out, config.max_requests)?,
            timeout: config.timeout,
        })
    }

    /// The addresses bound, HTTP first.
    pub fn addresses(&self) -> Vec<(Protocol, SocketAddr)> {
        [(Protocol::Http, &self.http), (Protocol::Grpc, &self.grpc)]
            .into_iter()
            .filter_map(|(p, l)| Some((p, l.as_ref()?.local_addr().ok()?)))
            .collect()
    }

    /// Serves until `--max-requests`, `--timeout`, SIGINT or SIGTERM, then waits up to
    /// [`GRACE`] for the requests under way.
    pub fn run(self) -> Outcome {
        let shared = Arc::new(Shared::new(self.store));
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                shared.fail(Diagnostic::new(
                    Code::ListenFailed,
                    format!("cannot start the receiver: {e}"),
                ));
                return outcome(&shared, StopReason::Error);
            }
        };
        let reason = runtime.block_on(serve(
            Arc::clone(&shared),
            self.http,
            self.grpc,
            self.timeout,
        ));
        // Dropping the runtime waits for stores still being written.
        drop(runtime);
        outcome(&shared, reason)
    }
}

fn outcome(shared: &Shared, reason: StopReason) -> Outcome {
    let (stored, refused, diagnostics) = shared.finish();
    Outcome {
        stored,
        refused,
        reason,
        diagnostics,
    }
}

async fn serve(
    shared: Arc<Shared>,
    http: Option<TcpListener>,
    grpc: Option<TcpListener>,
    timeout: Option<Duration>,
) -> StopReason {
    let mut servers = tokio::task::JoinSet::new();
    if let Some(listener) = http {
        match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => {
                let app = super::http::router(Arc::clone(&shared));
                let stopped = shared.stopped();
                servers.spawn(async move {
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            stopped.await;
                        })
                        .await;
                });
            }
            Err(e) => shared.fail(listen_failed(Protocol::Http, &e)),
        }
    }
    if let Some(listener) = grpc {
        match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => {
                let services = Services(Arc::clone(&shared));
                let limit = tower::limit::GlobalConcurrencyLimitLayer::with_semaphore(Arc::clone(
                    &shared.permits,
                ));
                let stopped = shared.stopped();
                servers.spawn(async move {
                    let _ = tonic::transport::Server::builder()
                        .timeout(BODY_TIMEOUT)
                        .layer(limit)
                        .add_service(
                            LogsServiceServer::new(services.clone())
                                .accept_compressed(CompressionEncoding::Gzip)
                                .max_decoding_message_size(MAX_BODY),
                        )
                        .add_service(
                            MetricsServiceServer::new(services.clone())
                                .accept_compressed(CompressionEncoding::Gzip)
                                .max_decoding_message_size(MAX_BODY),
                        )
                        .add_service(
                            TraceServiceServer::new(services)
                                .accept_compressed(CompressionEncoding::Gzip)
                                .max_decoding_message_size(MAX_BODY),
                        )
                        .serve_with_incoming_shutdown(
                            tonic::transport::server::TcpIncoming::from(listener),
                            async move {
                                stopped.await;
                            },
                        )
                        .await;
                });
            }
            Err(e) => shared.fail(listen_failed(Protocol::Grpc, &e)),
        }
    }
    tokio::spawn(stop_on_signal(Arc::clone(&shared)));
    if let Some(after) = timeout {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            shared.stop(super::StopReason::Timeout);
        });
    }
    let reason = shared.stopped().await;
    // Both servers stop taking connections and answer what they have; a sender that keeps
    // a request open past the grace period is cut off.
    let _ = tokio::time::timeout(GRACE, async {
        while servers.join_next().await.is_some() {}
    })
    .await;
    servers.abort_all();
    reason
}

fn listen_failed(protocol: Protocol, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::ListenFailed,
        format!("cannot listen for OTLP/{}: {e}", protocol.as_str()),
    )
}

/// Stops on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn stop_on_signal(shared: Arc<Shared>) {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: only the other ways stop the receiver.
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    shared.stop(StopReason::Signal);
}
