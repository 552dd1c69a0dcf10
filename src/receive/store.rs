//! The output folder: each accepted request becomes `NNNNNN-<signal>.json`, OTLP/JSON as
//! the project writes it (ids in hex, 64-bit integers as strings, enums as numbers), so
//! `simulate --otlp DIR` and every other reader take it as it is. Numbers go on from the
//! highest numbered file already there, so a second run adds to a capture instead of
//! overwriting it. Each file is written atomically: a reader never sees half a request.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::MAX_FILES;
use crate::diag::{Code, Diagnostic};
use crate::otlp::{Telemetry, write_request};

/// How many requests were stored, per signal (logs, metrics, traces).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Logs requests.
    pub logs: u64,
    /// Metrics requests.
    pub metrics: u64,
    /// Trace requests.
    pub traces: u64,
}

impl Counts {
    /// All requests.
    pub fn total(&self) -> u64 {
        self.logs + self.metrics + self.traces
    }
}

/// A stored request.
pub(super) struct Stored {
    /// This request was the last `--max-requests` allows.
    pub(super) limit_reached: bool,
}

/// Why a request was not stored.
pub(super) enum StoreError {
    /// `--max-requests` requests are stored (or being stored) already.
    Closed,
    /// The folder is full or the file could not be written.
    Failed(Diagnostic),
}

struct State {
    /// The number of the next file.
    next: u32,
    /// Requests given a number (stored or being written).
    taken: u64,
    counts: Counts,
}

/// The output folder of one run.
pub(super) struct Store {
    dir: PathBuf,
    limit: Option<u64>,
    state: Mutex<State>,
}

impl Store {
    /// Creates the folder if needed and finds the next free number.
    pub(super) fn open(dir: &Path, limit: Option<u64>) -> Result<Store, Diagnostic> {
        let shown = dir.display();
        let fail = |what: &str, e: std::io::Error| {
            Diagnostic::new(
                Code::OutputUnwritable,
                format!("cannot use `{shown}` as the output folder: {what} ({e})"),
            )
            .hint("name a folder that can be created and written")
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("cannot create it", e))?;
        let mut highest = 0;
        for entry in std::fs::read_dir(dir).map_err(|e| fail("cannot read it", e))? {
            let name = entry.map_err(|e| fail("cannot read it", e))?.file_name();
            if let Some(n) = number_of(&name.to_string_lossy()) {
                highest = highest.max(n);
            }
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            limit,
            state: Mutex::new(State {
                next: highest + 1,
                taken: 0,
                counts: Counts::default(),
            }),
        })
    }

    /// Writes one request under the next number (blocking).
    pub(super) fn store(&self, data: &Telemetry) -> Result<Stored, StoreError> {
        let number = {
            let mut state = self.lock();
            if self.limit.is_some_and(|l| state.taken >= l) {
                return Err(StoreError::Closed);
            }
            if state.next > MAX_FILES {
                return Err(StoreError::Failed(
                    Diagnostic::new(
                        Code::CaptureFolderFull,
                        format!(
                            "`{}` holds file number {MAX_FILES} already; nothing more is stored",
                            self.dir.display()
                        ),
                    )
                    .hint("give `--out` a new folder"),
                ));
            }
            state.taken += 1;
            state.next += 1;
            state.next - 1
        };
        let path = self.dir.join(format!("{number:06}-{}.json", data.signal()));
        crate::output::write_atomic(&path, write_request(data).as_bytes())
            .map_err(StoreError::Failed)?;
        let mut state = self.lock();
        match data {
            Telemetry::Logs(_) => state.counts.logs += 1,
            Telemetry::Metrics(_) => state.counts.metrics += 1,
            Telemetry::Traces(_) => state.counts.traces += 1,
        }
        Ok(Stored {
            limit_reached: self.limit == Some(state.counts.total()),
        })
    }

    /// How many requests were stored.
    pub(super) fn counts(&self) -> Counts {
        self.lock().counts
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent numbers behind.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The number of a stored request's file name (`000042-logs.json` → 42).
fn number_of(name: &str) -> Option<u32> {
    let (digits, rest) = name.split_at_checked(6)?;
    let signal = rest.strip_prefix('-')?.strip_suffix(".json")?;
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || !["logs", "metrics", "traces"].contains(&signal)
    {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otlp::read_request;

    #[test]
    fn numbers_go_on_after_a_previous_run_and_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("000041-traces.json"), "{}").unwrap();
        std::fs::write(dir.path().join("999999-notes.json"), "{}").unwrap();
        let store = Store::open(dir.path(), Some(2)).unwrap();
        let data = read_request(r#"{"resourceLogs":[]}"#).unwrap();
        assert!(!store.store(&data).ok().unwrap().limit_reached);
        assert!(store.store(&data).ok().unwrap().limit_reached);
        assert!(matches!(store.store(&data), Err(StoreError::Closed)));
        let text = std::fs::read_to_string(dir.path().join("000043-logs.json")).unwrap();
        assert_eq!(read_request(&text).unwrap(), data);
        assert_eq!(store.counts().logs, 2);
    }

    #[test]
    fn a_full_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("999999-logs.json"), "{}").unwrap();
        let store = Store::open(dir.path(), None).unwrap();
        let data = read_request(r#"{"resourceLogs":[]}"#).unwrap();
        let Err(StoreError::Failed(d)) = store.store(&data) else {
            panic!("stored past the last number")
        };
        assert_eq!(d.code, Code::CaptureFolderFull);
    }

    #[test]
    fn only_numbered_request_files_count() {
        assert_eq!(number_of("000042-logs.json"), Some(42));
        assert_eq!(number_of("000042-spans.json"), None);
        assert_eq!(number_of("42-logs.json"), None);
        assert_eq!(number_of("00004x-logs.json"), None);
    }
}
