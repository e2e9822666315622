//! The detector's memory does not grow with the recording: the heap's peak
//! while streaming two hours equals its peak over ten minutes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use second_heart_core::activity::synth::{self, SynthPart, SynthSensor, SyntheticRecording};
use second_heart_core::activity::{ActivityDetector, DetectorConfig};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(live, Ordering::SeqCst);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap growth while streaming `cycles` repetitions of a mixed
/// ten-minute stretch through the detector, bytes.
fn peak_growth(cycles: usize) -> usize {
    let cycle = synth::mixed_stretch();
    let parts: Vec<SynthPart> = cycle
        .iter()
        .copied()
        .cycle()
        .take(cycle.len() * cycles)
        .collect();
    let recording = SyntheticRecording::new(&parts, SynthSensor::default());
    let mut detector = ActivityDetector::new(DetectorConfig::default()).expect("detector");
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let mut events = 0;
    for sample in recording {
        events += detector
            .push(std::slice::from_ref(&sample))
            .expect("test data")
            .len();
    }
    assert!(events > 100 * cycles, "the detectors found the activity");
    PEAK.load(Ordering::SeqCst) - base
}

#[test]
fn memory_stays_flat_however_long_the_recording() {
    let short = peak_growth(1);
    let long = peak_growth(12);
    println!("peak heap growth: {short} B over ~9 min, {long} B over ~2 h");
    assert!(long <= short + 1024, "{short} B vs {long} B");
    assert!(long < 64 * 1024, "{long} B");
}
