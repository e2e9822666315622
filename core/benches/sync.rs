//! Sync benchmarks: the CPU cost of syncing a 12-hour flight through the
//! simulated link, and (printed once) how close the transfer comes to the
//! link's capacity at MTU 23 and 247.

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use second_heart_core::Store;
use second_heart_core::sensor::gatt::RECORD_LEN;
use second_heart_core::sensor::sim::{
    DayScript, FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor, SimSyncRun, pair, run_sync,
};
use second_heart_core::sensor::sync::SyncConfig;

/// Pairs a sensor, lets it record a 12-hour flight, and syncs it.
fn flight_sync(mtu: u16) -> (SimSyncRun, LinkConfig) {
    let start = DateTime::parse_from_rfc3339("2026-11-20T06:00:00Z")
        .expect("time")
        .to_utc();
    let script = DayScript::long_flight(start, 12.0);
    let mut sensor = SimSensor::new(SensorConfig::default(), &script);
    let mut store = Store::open_in_memory().expect("store");
    let link = LinkConfig::phone(mtu);
    let _ = pair(&mut sensor, link, &mut store, start.timestamp_millis());
    let mut radio = SimLink::new(link, FaultPlan::none(), 1);
    let at = script.end().timestamp_millis() + 60_000;
    let run = run_sync(
        &mut sensor,
        &mut radio,
        &mut store,
        SyncConfig::default(),
        at,
        &mut |_| {},
    );
    (run, link)
}

fn link_ratio_report() {
    for mtu in [23, 247] {
        let (run, link) = flight_sync(mtu);
        let stored = run.result.as_ref().map_or(0, |r| r.records_stored);
        let ideal_ms =
            f64::from(stored) * RECORD_LEN as f64 / link.record_capacity_bytes_per_s() * 1000.0;
        eprintln!(
            "link model, 12 h flight, MTU {mtu}, 15 ms interval, 4 packets/event: {stored} records, \
             transfer {:.0} ms vs capacity {ideal_ms:.0} ms (ratio {:.3}); whole session {:.0} ms",
            run.transfer_ms,
            run.transfer_ms / ideal_ms,
            run.elapsed_ms
        );
    }
}

fn benches(c: &mut Criterion) {
    link_ratio_report();
    let mut group = c.benchmark_group("sync_12h_flight_cpu");
    for mtu in [23u16, 247] {
        group.bench_function(format!("mtu_{mtu}"), |b| b.iter(|| flight_sync(mtu)));
    }
    group.finish();
}

criterion_group!(sync, benches);
criterion_main!(sync);
