//! What both protocols share: the store, the places for requests under way, the stop and
//! the counts for the summary. The two servers differ only in how a request arrives and how
//! the answer is written; what is accepted, refused and stored is decided here.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{Semaphore, watch};

use super::MAX_IN_FLIGHT;
use super::run::StopReason;
use super::store::{Store, StoreError};
use crate::diag::Diagnostic;
use crate::otlp::Telemetry;

/// Why a request is not stored; each protocol turns it into its own status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The body is not a request of the signal (HTTP 400, gRPC INVALID_ARGUMENT).
    Invalid(String),
    /// The body is larger than allowed, as sent or decompressed (HTTP 413).
    TooLarge(String),
    /// A content type or encoding that is not OTLP's (HTTP 415).
    Unsupported(String),
    /// The body did not arrive in time (HTTP 408).
    Timeout(String),
    /// The receiver is stopping or stores no more (HTTP 503, gRPC UNAVAILABLE).
    Unavailable(String),
    /// The request could not be stored (HTTP 500, gRPC INTERNAL).
    Internal(String),
}

impl Refusal {
    /// The message sent back to the client.
    pub(super) fn message(&self) -> &str {
        match self {
            Refusal::Invalid(m)
            | Refusal::TooLarge(m)
            | Refusal::Unsupported(m)
            | Refusal::Timeout(m)
            | Refusal::Unavailable(m)
            | Refusal::Internal(m) => m,
        }
    }
}

/// The state of one run.
pub(super) struct Shared {
    store: Store,
    /// One place per request read at once, for both protocols.
    pub(super) permits: Arc<Semaphore>,
    stop: watch::Sender<Option<StopReason>>,
    refused: AtomicU64,
    errors: Mutex<Vec<Diagnostic>>,
}

impl Shared {
    pub(super) fn new(store: Store) -> Self {
        Shared {
            store,
            permits: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            stop: watch::channel(None).0,
            refused: AtomicU64::new(0),
            errors: Mutex::new(Vec::new()),
        }
    }

    /// Stores an accepted request (blocking: call it off the async threads). Reaching
    /// `--max-requests` stops the receiver; a store that fails stops it too, with an error.
    pub(super) fn accept(&self, data: &Telemetry) -> Result<(), Refusal> {
        if self.stopping() {
            return Err(Refusal::Unavailable(
                "the receiver is stopping; nothing more is stored".to_string(),
            ));
        }
        match self.store.store(data) {
            Ok(stored) => {
                if stored.limit_reached {
                    self.stop(StopReason::MaxRequests);
                }
                Ok(())
            }
            Err(StoreError::Closed) => Err(Refusal::Unavailable(
                "the receiver has stored as many requests as it was asked to".to_string(),
            )),
            Err(StoreError::Failed(d)) => {
                let message = format!("the request could not be stored: {}", d.message);
                self.fail(d);
                Err(Refusal::Internal(message))
            }
        }
    }

    /// Counts a refused request for the summary.
    pub(super) fn count_refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// Records an error that ends the run (exit 2) and stops.
    pub(super) fn fail(&self, d: Diagnostic) {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(d);
        self.stop(StopReason::Error);
    }

    /// Asks both servers to stop; the first reason given is the one reported.
    pub(super) fn stop(&self, reason: StopReason) {
        self.stop.send_if_modified(|r| {
            if r.is_none() {
                *r = Some(reason);
                true
            } else {
                false
            }
        });
    }

    fn stopping(&self) -> bool {
        self.stop.borrow().is_some()
    }

    /// Resolves once a stop was asked for, with its reason.
    pub(super) fn stopped(&self) -> impl Future<Output = StopReason> + Send + 'static {
        let mut rx = self.stop.subscribe();
        async move {
            match rx.wait_for(Option::is_some).await {
                Ok(r) => r.unwrap_or(StopReason::Error),
                // The sender lives as long as the run; gone means the run is over.
                Err(_) => StopReason::Error,
            }
        }
    }

    /// The counts and errors of the run, once it is over.
    pub(super) fn finish(&self) -> (super::store::Counts, u64, Vec<Diagnostic>) {
        let errors = std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        (
            self.store.counts(),
            self.refused.load(Ordering::Relaxed),
            errors,
        )
    }
}
