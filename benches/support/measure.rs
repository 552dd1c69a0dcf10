//! Timing (the median of repeated runs) and peak memory (a counting allocator: the most
//! bytes live at once during a run, as the process sees them, without the binary itself).
//! It counts around the binary's own allocator (mimalloc), so timings are the binary's.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc as Inner;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The binary's allocator, counting live bytes and their peak.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { Inner.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { Inner.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { Inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let grown = new_size - layout.size();
                let now = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// What one measured piece of work cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Median wall time of the runs.
    pub time: Duration,
    /// Most bytes allocated and live at once above what was live before, over the runs.
    pub peak: usize,
}

/// Runs `work` `runs` times (at least once) and reports the median time and the peak.
pub fn cost<T>(runs: usize, mut work: impl FnMut() -> T) -> Cost {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs.max(1) {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        std::hint::black_box(work());
        times.push(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(base));
    }
    times.sort();
    Cost {
        time: times[times.len() / 2],
        peak,
    }
}

/// Runs that fit a time budget: fewer for slow work (one when a single run overruns the
/// budget, else at least three), at most `max`.
pub fn runs_for(first: Duration, budget: Duration, max: usize) -> usize {
    if first > budget {
        return 1;
    }
    let each = first.as_secs_f64().max(1e-6);
    ((budget.as_secs_f64() / each) as usize).clamp(3, max)
}

/// `1.23 ms` style.
pub fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// `12.3 MB` style.
pub fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
