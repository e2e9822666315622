//! Every function and method the bindings export, called with hostile values
//! (empty, huge and unicode strings, impossible dates, instants far outside
//! any calendar, integer extremes, NaN and infinities, unknown zones, events
//! in the wrong state, files in missing folders, clocks that fail): each call
//! returns `Ok` or a typed [`SecondHeartError`], never panics, and the
//! database stays consistent (SQLite's integrity check through a fresh
//! connection, and Today still computes through a fresh open).
//!
//! Each call runs under `catch_unwind`; a panic fails the case with the call
//! and its inputs named. Cases per area: `PROPTEST_CASES` (default 64).
//!
//! The exported surface, by area (each is called below):
//! - free functions: `latest_schema_version`, `elevation_questions`,
//!   `garment_classes`;
//! - clocks: `FixedClock::new`, and the `Clock` trait (implemented here by a
//!   clock that fails or names an unknown zone);
//! - `SecondHeart`: `open`, `schema_version`, `profile`, `today`,
//!   `sessions`, `flights`, `reminders`, `history`, `data`, `sensors`,
//!   `observe_today` (`TodayListener`, `TodaySubscription::cancel`);
//! - `ProfileService`: `get`, `update`, `compression_advice`;
//! - `SecondHeart::pump_model`, and the pure computations: `PumpModel`
//!   (`new`, `legs`, every protocol, `run_scenario`, `start` with a
//!   `ModelListener`), `ActivityDetector` (`new`, `push`, `finish`),
//!   `detect_csv_file`, `start_detect_csv_file` (`DetectionListener`);
//! - `TodayService`: `view`;
//! - `Sessions`: `start_walk`, `start_set`, `start_elevation`, `record`,
//!   `status`, `log_walk`, `walks_on`, `compression_on`, `compression_off`,
//!   `compression_worn`, `drink`, `sets_on`, `drinks_on`;
//! - `Flights`: `plan`, `start`, `not_landed`, `next_item`, `cancel`;
//! - `Reminders`: `next`, `upcoming`, `shown`, `respond`;
//! - `HistoryService`: `days`, `periods`, `day_minutes`, `day_by_hour`;
//! - `DataService`: `export_to_file`, `delete_all`, `import_steps_file`,
//!   `backup_to_file`, `restore_from_file` (offered random bytes, text, a
//!   backup of the case's own database, whole or cut short, a missing
//!   file, a folder);
//! - `Sensors`: `paired`, `summary`, `forget`, `count_sessions_from`, `sync` (`BleLink`,
//!   `SyncListener`, `TaskHandle::cancel`, `TaskHandle::is_cancelled`);
//! - `DemoSensor`: `new`, `read`, `write`, `subscribe`, `set_mtu`,
//!   `take_outgoing`, `disconnect`, `newest_record`, `perform`, `advance`
//!   (and `SecondHeart::demo_sensor`);
//! - live data: `Sensors::live` (`LiveListener`), `Sessions::live_counter`,
//!   `LiveSessionCounter::push`, `LiveSessionCounter::progress`,
//!   `LiveSessionCounter::finish`;
//! - `SecondHeartError::code` on every error seen.

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;
use second_heart::{
    ActivityDetector, BleLink, BleLinkError, BleLinkEvent, CadenceReading, Clock, CsvOptions,
    DemoActivity, DemoSensor, DetectionListener, ElevationAnswers, ExportFormat, FixedClock,
    FlightDetails, ForeignError, ImuSample, Legs, LiveFrame, LiveListener, LiveProgress,
    LiveSample, LiveSettings, LiveSummary, ModelListener, ModelRequest, ModelResult,
    ProfileChanges, PumpModel, SecondHeart, SecondHeartError, SensorAxis, SessionEvent, SetTargets,
    SitBreak, SitBreaks, SyncListener, SyncReport, TodayListener, TodayView, detect_csv_file,
    elevation_questions, garment_classes, latest_schema_version, start_detect_csv_file,
};
use second_heart_core::activity::Detection;
use second_heart_core::app::PumpingPosture;
use second_heart_core::daily::Grouping;
use second_heart_core::flight::{RiskFactors, Seat};
use second_heart_core::profile::CompressionCautions;
use second_heart_core::pump::Sex;
use second_heart_core::pump::Valves;
use second_heart_core::reminder::ReminderResponse;
use second_heart_core::sensor::uuids;
use second_heart_core::session::SessionKind;

/// 2026-11-21 12:00 UTC, the day the realistic instants cluster around.
const BASE_SECS: i64 = 1_795_262_400;
/// Ten thousand years of seconds.
const TEN_THOUSAND_YEARS: i64 = 315_569_520_000;

/// Codes a hostile *value* must never produce on a healthy database: a bug
/// (`internal`), or a storage failure or corruption report where the user's
/// input should have been refused.
const NEVER: [&str; 7] = [
    "internal",
    "storage",
    "database_corrupt",
    "stored_data_unreadable",
    "database_too_new",
    "not_a_backup",
    "backup_too_new",
];

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking replays whole sequences; a few hundred steps suffice.
        max_shrink_iters: 256,
        // The failing input is printed; no regression files beside the test.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// The guard: a call that panics fails the case, naming the call and inputs.
// ---------------------------------------------------------------------------

/// Debug text of `inputs`, cut so a 64 KiB string stays readable.
fn shown(inputs: &dyn Debug) -> String {
    let text = format!("{inputs:?}");
    if text.len() > 600 {
        let cut = (0..=600)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        format!("{}… ({} bytes)", &text[..cut], text.len())
    } else {
        text
    }
}

thread_local! {
    /// Whether this thread runs a call under [`guarded`].
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last guarded panic on this thread happened.
    static PANICKED_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// A panic under [`guarded`] is reported by it (else once per shrinking
/// step, each with a backtrace): the hook only notes where it happened.
/// Every other panic goes to the default hook.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(std::cell::Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                PANICKED_AT.with(|p| *p.borrow_mut() = at);
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into a failed case that names `call` and `inputs`.
fn guarded<T>(call: &str, inputs: &dyn Debug, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    quiet_panics();
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-text panic".to_owned());
        let at = PANICKED_AT.with(|p| p.borrow().clone());
        TestCaseError::fail(format!(
            "{call} panicked at {at} with inputs {}: {message}",
            shown(inputs)
        ))
    })
}

/// Checks a typed error: a known code, a message, not one of [`NEVER`], and
/// one of `allowed` when that is not empty.
fn check_error(
    call: &str,
    inputs: &dyn Debug,
    error: &SecondHeartError,
    allowed: &[&str],
) -> Result<(), TestCaseError> {
    let code = error.code();
    // A refusal the call names as its own (a restore's "not a backup") is
    // not one of the never-codes for it.
    prop_assert!(
        !NEVER.contains(&code.as_str()) || allowed.contains(&code.as_str()),
        "{call} with {} failed with {code}: {error}",
        shown(inputs)
    );
    prop_assert!(
        allowed.is_empty() || allowed.contains(&code.as_str()),
        "{call} with {} failed with {code} (expected one of {allowed:?}): {error}",
        shown(inputs)
    );
    prop_assert!(
        !error.to_string().is_empty(),
        "{call}: an error without a message"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Hostile values.
// ---------------------------------------------------------------------------

fn huge() -> String {
    "x".repeat(64 * 1024)
}

/// An instant `secs` from the Unix epoch (any `i64` fits a Linux SystemTime).
fn instant(secs: i64) -> SystemTime {
    let magnitude = Duration::from_secs(secs.unsigned_abs());
    let at = if secs >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    };
    at.unwrap_or(UNIX_EPOCH)
}

/// Mostly days around 2026-11-21; also the epoch, ±10,000 years, chrono's
/// limits and beyond, and any `i64` second.
fn hostile_instant() -> impl Strategy<Value = SystemTime> {
    prop_oneof![
        6 => (-400i64..400, 0i64..86_400).prop_map(|(d, s)| instant(BASE_SECS + d * 86_400 + s)),
        1 => select(vec![
            0,
            -1,
            BASE_SECS + TEN_THOUSAND_YEARS,
            BASE_SECS - TEN_THOUSAND_YEARS,
            253_402_300_799,    // 9999-12-31T23:59:59Z
            253_402_300_800,    // 10000-01-01
            -62_135_596_800,    // 0001-01-01
            -62_135_596_801,
            8_210_266_876_799,  // chrono's last second
            8_210_266_876_800,
            -8_334_601_228_800, // chrono's first second
            -8_334_601_228_801,
            i64::MAX,
            i64::MIN + 1,
        ]).prop_map(instant),
        1 => any::<i64>().prop_map(instant),
    ]
}

fn hostile_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            1e-300,
            -1.0,
            1e18,
        ]),
        2 => 0.0..200.0f64,
        1 => any::<f64>(),
    ]
}

fn hostile_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        select(vec![0, 1, u32::MAX, u32::MAX - 1, i32::MAX as u32, 1 << 31]),
        0..200u32,
        0..100_000u32,
        any::<u32>(),
    ]
}

fn hostile_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        select(vec![0, -1, 1, i64::MIN, i64::MAX, i64::from(u32::MAX) + 1]),
        -100..100_000i64,
        any::<i64>(),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            String::new(),
            " ".to_owned(),
            "\0".to_owned(),
            "a\0b".to_owned(),
            "🦵💓 ふくらはぎ".to_owned(),
            "\u{202e}evil\u{feff}".to_owned(),
            "'; DROP TABLE walk; --".to_owned(),
            "SH-SIM-0001".to_owned(),
            huge(),
        ]),
        "\\PC{0,24}",
        any::<String>(),
    ]
}

/// Known zones (with odd offsets and DST at midnight), unknown ones, junk.
fn hostile_zone() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec![
            "Europe/Berlin",
            "UTC",
            "Pacific/Kiritimati",
            "Pacific/Pago_Pago",
            "America/Santiago",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            " Europe/Berlin ",
        ])
        .prop_map(str::to_owned),
        1 => select(vec!["Mars/Olympus", "europe/berlin", "+05:00", "GMT+99", "../../etc/passwd"])
            .prop_map(str::to_owned),
        1 => hostile_string(),
    ]
}

/// `YYYY-MM-DD` texts: impossible, far, signed, near today, and junk.
fn hostile_date() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(vec![
            "",
            "2026-02-30",
            "2026-13-01",
            "99999-01-01",
            "-0001-01-01",
            "0000-01-01",
            "0001-01-01",
            "9999-12-31",
            "+262142-12-31",
            "-262143-01-01",
            "+262143-12-31",
            "2026-11-21",
            "21/11/2026",
            " 2026-11-21 ",
        ])
        .prop_map(str::to_owned),
        3 => (-400i64..400).prop_map(|d| {
            let base = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
            (base + chrono::Duration::days(d)).format("%Y-%m-%d").to_string()
        }),
        1 => (-300_000i32..300_000, 0u32..14, 0u32..33)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => hostile_string(),
    ]
}

/// Whether `text` is a real `YYYY-MM-DD` date in the years 1 to 9999 (the
/// oracle for refusals).
fn is_date(text: &str) -> bool {
    use chrono::Datelike;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .is_ok_and(|date| (1..=9999).contains(&date.year()))
}

fn session_kind() -> impl Strategy<Value = SessionKind> {
    select(vec![
        SessionKind::Walk,
        SessionKind::CalfRaises,
        SessionKind::AnklePumps,
        SessionKind::LegElevation,
    ])
}

fn session_event() -> impl Strategy<Value = SessionEvent> {
    prop_oneof![
        select(vec![
            SessionEvent::Pause,
            SessionEvent::Resume,
            SessionEvent::Finish,
            SessionEvent::Abandon,
            SessionEvent::Pain,
        ]),
        hostile_u32().prop_map(|count| SessionEvent::Steps { count }),
        proptest::option::of(hostile_f64()).prop_map(|hold_s| SessionEvent::Rep { hold_s }),
        hostile_u32().prop_map(|count| SessionEvent::Pumps { count }),
    ]
}

fn cautions() -> impl Strategy<Value = CompressionCautions> {
    (any::<[bool; 4]>(), proptest::option::of(hostile_f64())).prop_map(|(b, abi)| {
        CompressionCautions {
            peripheral_arterial_disease: b[0],
            ankle_brachial_index: abi,
            severe_neuropathy: b[1],
            fragile_skin_or_dermatitis: b[2],
            decompensated_heart_failure: b[3],
        }
    })
}

fn profile_changes() -> impl Strategy<Value = ProfileChanges> {
    use proptest::option::of;
    let body = (
        of(hostile_f64()),
        of(hostile_f64()),
        of(select(vec![Sex::Female, Sex::Male])),
        of(prop_oneof![
            select(vec![i32::MIN, i32::MAX, -1, 0, 1899, 1900, 2100, 2101]),
            1900..2030i32
        ]),
        of(cautions()),
    );
    let goals = (
        of(hostile_u32()),
        of(hostile_u32()),
        of(hostile_u32()),
        of(hostile_f64()),
        of(hostile_u32()),
        of(hostile_f64()),
    );
    let reminders = (
        of(any::<bool>()),
        of(hostile_u32()),
        of(prop_oneof![
            select(vec!["22:00", "07:30", "24:00", "23:60", "", "7", "-01:00"])
                .prop_map(str::to_owned),
            hostile_string()
        ]),
        of(prop_oneof![
            select(vec!["22:00", "07:30", "00:00", "25:00"]).prop_map(str::to_owned),
            hostile_string()
        ]),
    );
    (body, goals, reminders).prop_map(
        |(
            (height_cm, weight_kg, sex, birth_year, cautions),
            (steps, active, sets, litres, hydration, breaks),
            (enabled, after, quiet_from, quiet_until),
        )| ProfileChanges {
            height_cm,
            weight_kg,
            sex,
            birth_year,
            steps_goal: steps,
            active_minutes_goal: active,
            calf_raise_sets_goal: sets,
            pumped_litres_goal: litres,
            hydration_goal_ml: hydration,
            breaks_per_sitting_hour: breaks,
            reminders_enabled: enabled,
            remind_after_min: after,
            quiet_from,
            quiet_until,
            cautions,
            clear_weight: weight_kg.is_none(),
            clear_birth_year: birth_year.is_none(),
        },
    )
}

fn risk_factors() -> impl Strategy<Value = RiskFactors> {
    any::<[bool; 10]>().prop_map(|b| RiskFactors {
        previous_clot: b[0],
        recent_surgery_or_trauma: b[1],
        active_cancer: b[2],
        pregnant: b[3],
        postpartum: b[4],
        oestrogen: b[5],
        limited_mobility: b[6],
        thrombophilia: b[7],
        several_recent_flights: b[8],
        obesity: b[9],
    })
}

fn flight_details() -> impl Strategy<Value = FlightDetails> {
    use proptest::option::of;
    (
        (hostile_instant(), hostile_zone(), of(hostile_instant())),
        (of(hostile_f64()), hostile_zone()),
        select(vec![Seat::Aisle, Seat::Middle, Seat::Window]),
        hostile_u32(),
        of(prop_oneof![
            select(vec![
                "23:00-06:00",
                "06:00-23:00",
                "00:00-00:00",
                "23:00",
                "-",
                ""
            ])
            .prop_map(str::to_owned),
            hostile_string()
        ]),
        risk_factors(),
    )
        .prop_map(
            |((departure, departure_zone, arrival), (hours, arrival_zone), seat, m, sleep, r)| {
                FlightDetails {
                    departure,
                    departure_zone,
                    arrival,
                    hours,
                    arrival_zone,
                    seat,
                    move_every_min: m,
                    sleep,
                    risk_factors: r,
                }
            },
        )
}

/// Where an export goes, relative to the case's temporary folder.
#[derive(Debug, Clone)]
enum ExportPath {
    /// A file name (hostile) in the temporary folder.
    Named(String),
    /// A file in a folder that does not exist.
    MissingFolder,
    /// The temporary folder itself.
    Folder,
    /// The empty path.
    Empty,
}

/// A file offered to import or restore.
#[derive(Debug, Clone)]
enum OfferedFile {
    /// Any bytes.
    Bytes(Vec<u8>),
    /// Text: lines of hostile strings, or of dates and numbers.
    Text(String),
    /// A backup of the case's own database, cut to `cut` of its bytes
    /// (per mille) when given. (Not a byte changed: one in a stored value
    /// passes every check and is then, rightly, unreadable data.)
    Backup { cut: Option<u16> },
    /// A path where nothing is.
    Missing,
    /// The case's temporary folder.
    Folder,
}

fn offered_file() -> impl Strategy<Value = OfferedFile> {
    let line = prop_oneof![
        hostile_string(),
        "(19|20|99)[0-9]{2}-[01][0-9]-[0-3][0-9],-?[0-9]{0,7}",
        Just("date,steps".to_owned()),
    ];
    let per_mille = proptest::option::of(0..1000u16);
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..4096).prop_map(OfferedFile::Bytes),
        proptest::collection::vec(line, 0..20)
            .prop_map(|lines| OfferedFile::Text(lines.join("\n"))),
        per_mille.prop_map(|cut| OfferedFile::Backup { cut }),
        Just(OfferedFile::Missing),
        Just(OfferedFile::Folder),
    ]
}

/// Puts `file` in `dir` (a backup of `app`'s database for a backup) and
/// returns its path.
fn offer(app: &SecondHeart, dir: &Path, file: &OfferedFile) -> String {
    let path = dir.join("offered");
    let _ = std::fs::remove_file(&path);
    match file {
        OfferedFile::Bytes(bytes) => std::fs::write(&path, bytes).expect("write"),
        OfferedFile::Text(text) => std::fs::write(&path, text).expect("write"),
        OfferedFile::Backup { cut } => {
            let backup = dir.join("backup-to-offer");
            let _ = std::fs::remove_file(&backup);
            if app
                .data()
                .backup_to_file(backup.to_string_lossy().into_owned())
                .is_ok()
            {
                let mut bytes = std::fs::read(&backup).expect("backup");
                if let Some(cut) = cut {
                    bytes.truncate(bytes.len() * usize::from(*cut) / 1000);
                }
                std::fs::write(&path, bytes).expect("write");
            }
        }
        OfferedFile::Missing => {}
        OfferedFile::Folder => return dir.to_string_lossy().into_owned(),
    }
    path.to_string_lossy().into_owned()
}

/// `name` as one file name: no folder separators, so nothing is written
/// outside the case's temporary folder.
fn file_name(name: &str) -> String {
    name.replace(['/', '\\'], "_")
}

fn export_path() -> impl Strategy<Value = ExportPath> {
    prop_oneof![
        select(vec![
            "export.json",
            "export.csv",
            "ünïcødé 📄.json",
            "no-extension"
        ])
        .prop_map(|n| ExportPath::Named(n.to_owned())),
        hostile_string().prop_map(ExportPath::Named),
        Just(ExportPath::MissingFolder),
        Just(ExportPath::Folder),
        Just(ExportPath::Empty),
    ]
}

// ---------------------------------------------------------------------------
// Clocks: the library's FixedClock, or one that fails.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum ClockSpec {
    /// `FixedClock::new(at, zone)`; an unknown zone makes the test's own
    /// clock report it instead.
    Fixed { at: SystemTime, zone: String },
    /// `now()` throws.
    NowFails,
    /// `time_zone()` throws.
    ZoneFails,
}

fn clock_spec() -> impl Strategy<Value = ClockSpec> {
    prop_oneof![
        8 => (hostile_instant(), hostile_zone()).prop_map(|(at, zone)| ClockSpec::Fixed { at, zone }),
        1 => Just(ClockSpec::NowFails),
        1 => Just(ClockSpec::ZoneFails),
    ]
}

/// A clock as a Kotlin or Swift app might implement it, hostile.
#[derive(Debug)]
struct HostileClock {
    at: Option<SystemTime>,
    zone: Option<String>,
}

impl Clock for HostileClock {
    fn now(&self) -> Result<SystemTime, ForeignError> {
        self.at.ok_or_else(|| ForeignError::Failed {
            reason: "the system clock is unavailable".to_owned(),
        })
    }

    fn time_zone(&self) -> Result<String, ForeignError> {
        self.zone.clone().ok_or_else(|| ForeignError::Failed {
            reason: "no time zone".to_owned(),
        })
    }
}

/// Whether `at` falls in the years 1 to 9999, the library's calendar.
fn in_years(at: SystemTime) -> bool {
    const FIRST: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
    const END: i64 = 253_402_300_800; // 10000-01-01T00:00:00Z
    let first = instant(FIRST);
    let end = instant(END);
    at >= first && at < end
}

/// Whether `zone` names an IANA zone (the oracle for refusals).
fn is_zone(zone: &str) -> bool {
    zone.trim().parse::<chrono_tz::Tz>().is_ok()
}

/// The clock for `spec`, built through `FixedClock::new` when it can be.
fn make_clock(spec: &ClockSpec) -> Result<Arc<dyn Clock>, TestCaseError> {
    Ok(match spec {
        ClockSpec::Fixed { at, zone } => {
            let fixed = guarded("FixedClock::new", spec, || {
                FixedClock::new(*at, zone.clone())
            })?;
            match fixed {
                Ok(clock) => {
                    prop_assert!(
                        is_zone(zone) && in_years(*at),
                        "FixedClock::new accepted {spec:?}"
                    );
                    clock
                }
                Err(error) => {
                    check_error("FixedClock::new", spec, &error, &["invalid_input"])?;
                    prop_assert!(
                        !is_zone(zone) || !in_years(*at),
                        "FixedClock::new refused {spec:?}"
                    );
                    Arc::new(HostileClock {
                        at: Some(*at),
                        zone: Some(zone.clone()),
                    })
                }
            }
        }
        ClockSpec::NowFails => Arc::new(HostileClock {
            at: None,
            zone: Some("Europe/Berlin".to_owned()),
        }),
        ClockSpec::ZoneFails => Arc::new(HostileClock {
            at: Some(instant(BASE_SECS)),
            zone: None,
        }),
    })
}

// ---------------------------------------------------------------------------
// The calls, one variant per exported method that takes the database.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    // SecondHeart itself.
    SchemaVersion,
    ObserveTodayAndCancel,
    // Profile.
    ProfileGet,
    ProfileUpdate(ProfileChanges),
    // Today.
    TodayView,
    // Sessions.
    StartWalk,
    StartSet(SessionKind, SetTargets),
    StartElevation(ElevationAnswers, Option<u32>, Option<f64>),
    Record(SessionEvent),
    Status,
    LogWalk(SystemTime, Option<String>, i64, i64),
    WalksOn(String),
    SetsOn(String),
    DrinksOn(String),
    CompressionOn(u32),
    CompressionOff,
    CompressionWorn,
    Drink(u32),
    // Flights.
    FlightPlan(FlightDetails),
    FlightStart(FlightDetails),
    FlightNotLanded,
    FlightNextItem,
    FlightCancel(SystemTime),
    // Reminders.
    ReminderNext,
    ReminderUpcoming(u32),
    ReminderShown,
    ReminderDelivered(Vec<SystemTime>),
    ReminderRespond(ReminderResponse),
    // History.
    HistoryDays(String, String),
    HistoryPeriods(Grouping, u32),
    HistoryDayMinutes(String),
    HistoryDayByHour(String),
    // Data.
    Export(ExportFormat, Option<String>, Option<String>, ExportPath),
    DeleteAll(bool),
    ImportSteps(OfferedFile, Option<String>),
    Backup(ExportPath),
    Restore(OfferedFile, bool),
    // The pump model of the user's legs, the compression advice.
    PumpModel,
    CompressionAdvice,
    // Sensors (the sync has its own test below).
    SensorsPaired,
    SensorSummary(String),
    SensorForget(String),
    SensorCountFrom(Option<String>),
}

impl Op {
    /// Whether the call reads the app's clock (so a failing clock fails it).
    fn reads_clock(&self) -> bool {
        !matches!(
            self,
            Op::SchemaVersion
                | Op::ObserveTodayAndCancel
                | Op::DeleteAll(_)
                | Op::Restore(..)
                | Op::SensorsPaired
                | Op::SensorSummary(_)
                | Op::SensorForget(_)
                | Op::SensorCountFrom(_)
        )
    }

    /// Whether a success changed the database (so observers hear of it).
    fn writes(&self) -> bool {
        matches!(
            self,
            Op::ProfileUpdate(_)
                | Op::StartWalk
                | Op::StartSet(..)
                | Op::StartElevation(..)
                | Op::Record(_)
                | Op::LogWalk(..)
                | Op::CompressionOn(_)
                | Op::CompressionOff
                | Op::Drink(_)
                | Op::FlightStart(_)
                | Op::FlightCancel(_)
                | Op::ReminderShown
                | Op::ReminderDelivered(_)
                | Op::ReminderRespond(_)
                | Op::DeleteAll(true)
                | Op::ImportSteps(..)
                | Op::Restore(..)
                | Op::SensorCountFrom(_)
        )
    }

    /// The codes this call may fail with beyond a failing clock (empty:
    /// any code not in [`NEVER`]), and whether it must fail.
    fn expectation(&self) -> (&'static [&'static str], bool) {
        const INPUT: &[&str] = &["invalid_input"];
        match self {
            Op::ProfileUpdate(c) => {
                let f64s = [
                    c.height_cm,
                    c.weight_kg,
                    c.pumped_litres_goal,
                    c.breaks_per_sitting_hour,
                    c.cautions.and_then(|c| c.ankle_brachial_index),
                ];
                (INPUT, f64s.iter().flatten().any(|v| !v.is_finite()))
            }
            Op::StartElevation(a, ..) => (
                &["not_safe", "invalid_input", "conflict"],
                a.recent_leg_injury
                    || a.leg_pain_now
                    || a.feeling_faint_or_unwell
                    || a.breathless_lying_flat,
            ),
            Op::StartSet(kind, _) => (
                &["invalid_input", "conflict", "not_safe"],
                !matches!(kind, SessionKind::CalfRaises | SessionKind::AnklePumps),
            ),
            Op::LogWalk(start, zone, duration, steps) => (
                INPUT,
                *duration <= 0
                    || *steps < 0
                    || !in_years(*start)
                    || zone.as_deref().is_some_and(|z| !is_zone(z)),
            ),
            Op::WalksOn(date)
            | Op::SetsOn(date)
            | Op::DrinksOn(date)
            | Op::HistoryDayMinutes(date)
            | Op::HistoryDayByHour(date) => (INPUT, !is_date(date)),
            Op::HistoryDays(first, last) => (INPUT, !is_date(first) || !is_date(last)),
            Op::HistoryPeriods(by, count) => {
                let most = if *by == Grouping::Month { 120 } else { 520 };
                (INPUT, !(1..=most).contains(count))
            }
            Op::Export(_, first, last, path) => (
                &["invalid_input", "file"],
                [first, last]
                    .iter()
                    .any(|d| d.as_deref().is_some_and(|d| !is_date(d)))
                    || !matches!(path, ExportPath::Named(_)),
            ),
            Op::DeleteAll(confirmed) => (&["confirmation_needed"], !confirmed),
            Op::ImportSteps(file, _) => (
                &["invalid_input", "file"],
                !matches!(file, OfferedFile::Text(_)),
            ),
            Op::Backup(path) => (
                &["file", "invalid_input"],
                !matches!(path, ExportPath::Named(_)),
            ),
            // A backup of its own, whole, restores (unless it could not be
            // written: the clock failed).
            Op::Restore(OfferedFile::Backup { cut: None }, _) => {
                (&["confirmation_needed", "file"], false)
            }
            Op::Restore(file, _) => (
                &[
                    "not_a_backup",
                    "file",
                    "confirmation_needed",
                    "invalid_input",
                ],
                !matches!(file, OfferedFile::Backup { .. }),
            ),
            Op::FlightPlan(d) | Op::FlightStart(d) => (
                &["invalid_input", "conflict"],
                !is_zone(&d.departure_zone)
                    || !is_zone(&d.arrival_zone)
                    || !in_years(d.departure)
                    || d.arrival.is_some_and(|at| !in_years(at)),
            ),
            // No sensor is paired here: any serial is refused; none (the
            // rule) is always taken.
            Op::SensorCountFrom(serial) => (INPUT, serial.is_some()),
            _ => (&[], false),
        }
    }
}

fn profile_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::ProfileGet),
        4 => profile_changes().prop_map(Op::ProfileUpdate),
        1 => Just(Op::TodayView),
        1 => Just(Op::PumpModel),
        1 => Just(Op::CompressionAdvice),
    ]
}

fn session_op() -> impl Strategy<Value = Op> {
    use proptest::option::of;
    let targets = (of(hostile_u32()), of(hostile_f64()), of(hostile_f64())).prop_map(
        |(reps, hold_s, rate_per_min)| SetTargets {
            reps,
            hold_s,
            rate_per_min,
        },
    );
    let answers = prop_oneof![
        3 => Just(ElevationAnswers::default()),
        1 => any::<[bool; 4]>().prop_map(|b| ElevationAnswers {
            recent_leg_injury: b[0],
            leg_pain_now: b[1],
            feeling_faint_or_unwell: b[2],
            breathless_lying_flat: b[3],
        }),
    ];
    prop_oneof![
        1 => Just(Op::StartWalk),
        2 => (session_kind(), targets).prop_map(|(k, t)| Op::StartSet(k, t)),
        1 => (answers, of(hostile_u32()), of(hostile_f64()))
            .prop_map(|(a, m, d)| Op::StartElevation(a, m, d)),
        4 => session_event().prop_map(Op::Record),
        1 => Just(Op::Status),
        3 => (hostile_instant(), of(hostile_zone()), hostile_i64(), hostile_i64())
            .prop_map(|(s, z, d, n)| Op::LogWalk(s, z, d, n)),
        1 => hostile_date().prop_map(Op::WalksOn),
        1 => hostile_date().prop_map(Op::SetsOn),
        1 => hostile_date().prop_map(Op::DrinksOn),
        1 => hostile_u32().prop_map(Op::CompressionOn),
        1 => Just(Op::CompressionOff),
        1 => Just(Op::CompressionWorn),
        1 => hostile_u32().prop_map(Op::Drink),
        1 => Just(Op::TodayView),
    ]
}

fn flight_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => flight_details().prop_map(Op::FlightPlan),
        2 => flight_details().prop_map(Op::FlightStart),
        1 => Just(Op::FlightNotLanded),
        1 => Just(Op::FlightNextItem),
        1 => hostile_instant().prop_map(Op::FlightCancel),
        1 => Just(Op::TodayView),
    ]
}

fn reminder_op() -> impl Strategy<Value = Op> {
    let response = select(vec![
        ReminderResponse::Snoozed,
        ReminderResponse::Dismissed,
        ReminderResponse::Done,
    ]);
    prop_oneof![
        1 => Just(Op::ReminderNext),
        2 => hostile_u32().prop_map(Op::ReminderUpcoming),
        2 => Just(Op::ReminderShown),
        1 => proptest::collection::vec(hostile_instant(), 0..4).prop_map(Op::ReminderDelivered),
        2 => response.prop_map(Op::ReminderRespond),
        // Movement and settings that reminders depend on.
        1 => (hostile_instant(), hostile_i64(), hostile_i64())
            .prop_map(|(s, d, n)| Op::LogWalk(s, None, d, n)),
        1 => profile_changes().prop_map(Op::ProfileUpdate),
        1 => Just(Op::TodayView),
    ]
}

fn history_op() -> impl Strategy<Value = Op> {
    let grouping = select(vec![Grouping::Day, Grouping::Week, Grouping::Month]);
    let count = prop_oneof![select(vec![0, 1, 120, 121, 520, 521, u32::MAX]), 0..60u32];
    prop_oneof![
        3 => (hostile_date(), hostile_date()).prop_map(|(a, b)| Op::HistoryDays(a, b)),
        2 => (grouping, count).prop_map(|(g, c)| Op::HistoryPeriods(g, c)),
        2 => hostile_date().prop_map(Op::HistoryDayMinutes),
        1 => hostile_date().prop_map(Op::HistoryDayByHour),
        1 => (hostile_instant(), hostile_i64(), hostile_i64())
            .prop_map(|(s, d, n)| Op::LogWalk(s, None, d, n)),
    ]
}

fn data_op() -> impl Strategy<Value = Op> {
    use proptest::option::of;
    let format = select(vec![
        ExportFormat::Json,
        ExportFormat::Fhir,
        ExportFormat::CsvDays,
        ExportFormat::CsvMinutes,
        ExportFormat::CsvSessions,
    ]);
    prop_oneof![
        3 => (format, of(hostile_date()), of(hostile_date()), export_path())
            .prop_map(|(f, a, b, p)| Op::Export(f, a, b, p)),
        1 => any::<bool>().prop_map(Op::DeleteAll),
        2 => (offered_file(), proptest::option::of(hostile_string()))
            .prop_map(|(f, name)| Op::ImportSteps(f, name)),
        1 => export_path().prop_map(Op::Backup),
        2 => (offered_file(), any::<bool>()).prop_map(|(f, yes)| Op::Restore(f, yes)),
        1 => (hostile_instant(), hostile_i64(), hostile_i64())
            .prop_map(|(s, d, n)| Op::LogWalk(s, None, d, n)),
        1 => hostile_u32().prop_map(Op::Drink),
        1 => Just(Op::TodayView),
    ]
}

fn sensor_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::SensorsPaired),
        2 => hostile_string().prop_map(Op::SensorSummary),
        2 => hostile_string().prop_map(Op::SensorForget),
        2 => proptest::option::of(hostile_string()).prop_map(Op::SensorCountFrom),
        1 => Just(Op::SchemaVersion),
        1 => Just(Op::ObserveTodayAndCancel),
        1 => Just(Op::TodayView),
    ]
}

fn any_op() -> impl Strategy<Value = Op> {
    // Boxed: the nested unions' value trees overflow a test thread's stack
    // in a debug build otherwise.
    prop_oneof![
        profile_op().boxed(),
        session_op().boxed(),
        flight_op().boxed(),
        reminder_op().boxed(),
        history_op().boxed(),
        data_op().boxed(),
        sensor_op().boxed(),
    ]
}

// ---------------------------------------------------------------------------
// Running a case: open, call, then check the database.
// ---------------------------------------------------------------------------

/// Counts the Todays it hears.
#[derive(Debug, Default)]
struct CountingListener(AtomicU32);

impl TodayListener for CountingListener {
    fn today_changed(&self, _today: TodayView) -> Result<(), ForeignError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Throws, as a Kotlin listener might.
#[derive(Debug)]
struct ThrowingListener;

impl TodayListener for ThrowingListener {
    fn today_changed(&self, _today: TodayView) -> Result<(), ForeignError> {
        Err(ForeignError::Failed {
            reason: "the screen is gone".to_owned(),
        })
    }
}

/// Calls `op` on `app` (files under `dir`), under the guard.
fn call(
    app: &SecondHeart,
    dir: &Path,
    op: &Op,
) -> Result<Result<(), SecondHeartError>, TestCaseError> {
    let name = format!("{op:?}");
    let name = name.split(['(', ' ']).next().unwrap_or("call").to_owned();
    guarded(&name, op, || -> Result<(), SecondHeartError> {
        match op.clone() {
            Op::SchemaVersion => app.schema_version().map(|v| {
                assert_eq!(
                    v,
                    latest_schema_version(),
                    "a fresh database is at the latest schema"
                );
            }),
            Op::ObserveTodayAndCancel => {
                let subscription = app.observe_today(Arc::new(ThrowingListener));
                subscription.cancel();
                subscription.cancel();
                Ok(())
            }
            Op::ProfileGet => app.profile().get().map(drop),
            Op::PumpModel => app.pump_model().map(|model| {
                let legs = model.legs();
                assert!(
                    (120.0..=220.0).contains(&legs.height_cm),
                    "the model's legs are the profile's: {legs:?}"
                );
            }),
            Op::CompressionAdvice => app.profile().compression_advice().map(drop),
            Op::ProfileUpdate(changes) => app.profile().update(changes).map(drop),
            Op::TodayView => app.today().view().map(drop),
            Op::StartWalk => app.sessions().start_walk().map(drop),
            Op::StartSet(kind, targets) => app.sessions().start_set(kind, targets).map(drop),
            Op::StartElevation(answers, minutes, angle) => app
                .sessions()
                .start_elevation(answers, minutes, angle)
                .map(drop),
            Op::Record(event) => app.sessions().record(event).map(drop),
            Op::Status => app.sessions().status().map(drop),
            Op::LogWalk(start, zone, duration, steps) => app
                .sessions()
                .log_walk(start, zone, duration, steps)
                .map(drop),
            Op::WalksOn(date) => app.sessions().walks_on(date).map(drop),
            Op::SetsOn(date) => app.sessions().sets_on(date).map(drop),
            Op::DrinksOn(date) => app.sessions().drinks_on(date).map(drop),
            Op::CompressionOn(mmhg) => app.sessions().compression_on(mmhg).map(drop),
            Op::CompressionOff => app.sessions().compression_off().map(drop),
            Op::CompressionWorn => app.sessions().compression_worn().map(drop),
            Op::Drink(ml) => app.sessions().drink(ml),
            Op::FlightPlan(details) => app.flights().plan(details).map(drop),
            Op::FlightStart(details) => app.flights().start(details).map(drop),
            Op::FlightNotLanded => app.flights().not_landed().map(drop),
            Op::FlightNextItem => app.flights().next_item().map(drop),
            Op::FlightCancel(departure) => app.flights().cancel(departure).map(drop),
            Op::ReminderNext => app.reminders().next().map(drop),
            Op::ReminderUpcoming(limit) => app.reminders().upcoming(limit).map(|list| {
                assert!(
                    list.len() <= limit.min(32) as usize,
                    "upcoming({limit}) returned {} reminders",
                    list.len()
                );
                assert!(
                    list.windows(2).all(|w| w[0].due_at <= w[1].due_at),
                    "upcoming reminders out of order"
                );
            }),
            Op::ReminderShown => app.reminders().shown().map(drop),
            Op::ReminderDelivered(at) => app.reminders().delivered(at).map(drop),
            Op::ReminderRespond(response) => app.reminders().respond(response).map(drop),
            Op::HistoryDays(first, last) => app.history().days(first, last).map(drop),
            Op::HistoryPeriods(by, count) => app.history().periods(by, count).map(|p| {
                assert!(
                    p.len() <= count as usize,
                    "periods({count}) returned {}",
                    p.len()
                );
            }),
            Op::HistoryDayByHour(date) => app.history().day_by_hour(date).map(|h| {
                assert!(
                    (23..=25).contains(&h.len()) || h.is_empty(),
                    "a day of {} hours",
                    h.len()
                );
            }),
            Op::HistoryDayMinutes(date) => app.history().day_minutes(date).map(|day| {
                assert!(
                    (1_380..=1_500).contains(&day.minutes.len()),
                    "a day of {} minutes",
                    day.minutes.len()
                );
                let in_runs: u64 = day.runs.iter().map(|r| u64::from(r.minutes)).sum();
                assert_eq!(
                    in_runs,
                    day.minutes.len() as u64,
                    "the runs cover every minute"
                );
            }),
            Op::Export(format, first, last, path) => {
                let path = match path {
                    ExportPath::Named(name) => dir.join(file_name(&name)),
                    ExportPath::MissingFolder => dir.join("missing").join("export.json"),
                    ExportPath::Folder => dir.to_path_buf(),
                    ExportPath::Empty => PathBuf::new(),
                };
                let text = path.to_string_lossy().into_owned();
                app.data()
                    .export_to_file(format, first, last, text)
                    .map(|summary| {
                        let written = std::fs::metadata(&path).map(|m| m.len()).ok();
                        assert_eq!(written, Some(summary.bytes), "export size on disk");
                    })
            }
            Op::DeleteAll(confirmed) => app.data().delete_all(confirmed),
            Op::ImportSteps(file, name) => {
                let path = offer(app, dir, &file);
                app.data().import_steps_file(path, name).map(drop)
            }
            Op::Backup(path) => {
                let path = match path {
                    ExportPath::Named(name) => dir.join(file_name(&name)),
                    ExportPath::MissingFolder => dir.join("missing").join("backup.sh"),
                    ExportPath::Folder => dir.to_path_buf(),
                    ExportPath::Empty => PathBuf::new(),
                };
                app.data()
                    .backup_to_file(path.to_string_lossy().into_owned())
                    .map(drop)
            }
            Op::Restore(file, confirmed) => {
                let path = offer(app, dir, &file);
                app.data().restore_from_file(path, confirmed).map(drop)
            }
            Op::SensorsPaired => app.sensors().paired().map(drop),
            Op::SensorSummary(serial) => app.sensors().summary(serial).map(drop),
            Op::SensorForget(serial) => app.sensors().forget(serial).map(drop),
            Op::SensorCountFrom(serial) => app.sensors().count_sessions_from(serial.clone()),
        }
    })
}

/// The database in `db` is sound: SQLite's integrity check passes through a
/// fresh connection, and a fresh open on a sane clock computes Today.
fn check_consistent(db: &Path) -> Result<(), TestCaseError> {
    if db.exists() {
        let conn = rusqlite::Connection::open(db)
            .map_err(|e| TestCaseError::fail(format!("reopen {}: {e}", db.display())))?;
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| TestCaseError::fail(format!("integrity_check: {e}")))?;
        prop_assert_eq!(verdict, "ok");
    }
    let today = guarded(
        "fresh open and Today",
        &db,
        || -> Result<TodayView, SecondHeartError> {
            let clock = FixedClock::new(instant(BASE_SECS), "Europe/Berlin".to_owned())?;
            let app = SecondHeart::open(db.to_string_lossy().into_owned(), clock)?;
            app.today().view()
        },
    )?
    .map_err(|e| TestCaseError::fail(format!("Today after the case: {} ({e})", e.code())))?;
    prop_assert_eq!(today.rings.len(), 5);
    for ring in &today.rings {
        prop_assert!(
            ring.value.is_finite() && ring.goal.is_finite() && (0.0..=1.0).contains(&ring.fraction),
            "ring out of range: {ring:?}"
        );
    }
    Ok(())
}

/// Opens a database in a fresh folder on the clock of `spec`, makes every
/// call of `ops`, and checks each result and the database after.
fn run_case(spec: &ClockSpec, ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let db = dir.path().join("second-heart.db");
    let clock = make_clock(spec)?;
    let now_fails = match spec {
        ClockSpec::NowFails => true,
        ClockSpec::Fixed { at, .. } => !in_years(*at),
        ClockSpec::ZoneFails => false,
    };
    let opened = guarded("SecondHeart::open", spec, || {
        SecondHeart::open(db.to_string_lossy().into_owned(), clock)
    })?;
    let app = match opened {
        Ok(app) => app,
        Err(error) => {
            let expected: &[&str] = match spec {
                // A zone the app's clock names but the library does not
                // know is the clock's failure, as a zone it cannot give.
                ClockSpec::ZoneFails => &["platform"],
                ClockSpec::Fixed { zone, .. } if !is_zone(zone) => &["platform"],
                _ => &["invalid_input"],
            };
            return check_error("SecondHeart::open", spec, &error, expected);
        }
    };
    let heard = Arc::new(CountingListener::default());
    let _subscription = app.observe_today(heard.clone());
    let mut wrote = false;
    for op in ops {
        let result = call(&app, dir.path(), op)?;
        let (allowed, must_fail) = op.expectation();
        match result {
            Ok(()) => {
                prop_assert!(
                    !(now_fails && op.reads_clock()),
                    "{} succeeded although the clock failed",
                    shown(op)
                );
                prop_assert!(!must_fail, "{} was accepted (clock {spec:?})", shown(op));
                wrote |= op.writes();
            }
            Err(error) => {
                let mut allowed = allowed.to_vec();
                if op.reads_clock() && !allowed.is_empty() {
                    // The clock is read before or after the inputs are checked.
                    allowed.extend(["platform", "invalid_input"]);
                }
                check_error(&format!("{op:?}"), op, &error, &allowed)?;
            }
        }
    }
    let today_now = guarded("TodayService::view", spec, || app.today().view())?;
    if wrote && today_now.is_ok() {
        prop_assert!(
            heard.0.load(Ordering::SeqCst) > 0,
            "a change was committed but the Today observer heard nothing"
        );
    }
    drop(app);
    check_consistent(&db)
}

fn ops(area: impl Strategy<Value = Op>) -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(area, 1..12)
}

proptest! {
    #![proptest_config(config())]

    /// Profile and goals: any change is saved whole or refused as invalid.
    #[test]
    fn profile_calls_never_panic(spec in clock_spec(), ops in ops(profile_op())) {
        run_case(&spec, &ops)?;
    }

    /// Sessions in any order (events with no session, twice finished…),
    /// walks at any instant, compression and drinks of any size.
    #[test]
    fn session_calls_never_panic(spec in clock_spec(), ops in ops(session_op())) {
        run_case(&spec, &ops)?;
    }

    /// Flights across unknown zones, negative and endless durations.
    #[test]
    fn flight_calls_never_panic(spec in clock_spec(), ops in ops(flight_op())) {
        run_case(&spec, &ops)?;
    }

    /// Reminders with any limit, answered in any order.
    #[test]
    fn reminder_calls_never_panic(spec in clock_spec(), ops in ops(reminder_op())) {
        run_case(&spec, &ops)?;
    }

    /// History over impossible and far dates and any period count.
    #[test]
    fn history_calls_never_panic(spec in clock_spec(), ops in ops(history_op())) {
        run_case(&spec, &ops)?;
    }

    /// Export and backup anywhere (missing folders, a folder, no name),
    /// import and restore of any file, and deletion.
    #[test]
    fn data_calls_never_panic(spec in clock_spec(), ops in ops(data_op())) {
        run_case(&spec, &ops)?;
    }

    /// Sensors by any serial, observers that throw, the schema version.
    #[test]
    fn sensor_calls_never_panic(spec in clock_spec(), ops in ops(sensor_op())) {
        run_case(&spec, &ops)?;
    }

    /// Everything mixed, so each area meets the others' leftovers.
    #[test]
    fn mixed_calls_never_panic(spec in clock_spec(), ops in ops(any_op())) {
        run_case(&spec, &ops)?;
    }

    /// Opening what is not a database: missing folders, a folder, junk,
    /// a newer schema, hostile names.
    #[test]
    fn opening_hostile_paths_never_panics(name in hostile_string(), kind in 0u8..5) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = match kind {
            0 => dir.path().join(file_name(&name)),
            1 => dir.path().join("missing").join("db.sqlite"),
            2 => dir.path().to_path_buf(),
            3 => {
                let junk = dir.path().join("junk.db");
                std::fs::write(&junk, name.as_bytes().repeat(64).as_slice())
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                junk
            }
            _ => {
                let newer = dir.path().join("newer.db");
                let conn = rusqlite::Connection::open(&newer)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                conn.pragma_update(None, "user_version", 9_999)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                newer
            }
        };
        let inputs = (&path, kind);
        let opened = guarded("SecondHeart::open", &inputs, || -> Result<u32, SecondHeartError> {
            let clock = FixedClock::new(instant(BASE_SECS), "UTC".to_owned())?;
            SecondHeart::open(path.to_string_lossy().into_owned(), clock)?.schema_version()
        })?;
        match (kind, opened) {
            (4, result) => {
                let error = result.err().ok_or_else(|| TestCaseError::fail("a newer schema opened"))?;
                prop_assert_eq!(error.code(), "database_too_new");
            }
            (1 | 2, Ok(_)) => prop_assert!(false, "opened {}", path.display()),
            (_, Ok(version)) => prop_assert_eq!(version, latest_schema_version()),
            (_, Err(error)) => {
                let code = error.code();
                prop_assert!(
                    ["storage", "database_corrupt", "stored_data_unreadable", "file", "invalid_input"].contains(&code.as_str()),
                    "open {} failed with {code}: {error}", shown(&path)
                );
            }
        }
    }

    /// The demo sensor with any serial, length of recording and MTU, asked
    /// about any characteristic with any bytes.
    #[test]
    fn demo_sensor_calls_never_panic(
        serial in hostile_string(),
        hours in hostile_f64(),
        mtu in any::<u16>(),
        requests in proptest::collection::vec(
            (0u8..6, characteristic(), proptest::collection::vec(any::<u8>(), 0..40)),
            0..16,
        ),
    ) {
        let inputs = (&serial, hours);
        let clock = FixedClock::new(instant(BASE_SECS), "Europe/Berlin".to_owned())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let demo = guarded("DemoSensor::new", &inputs, || DemoSensor::new(serial.clone(), hours, clock))?;
        let demo = match demo {
            Ok(demo) => {
                prop_assert!((0.0..=72.0).contains(&hours), "a demo of {hours} h was made");
                demo
            }
            Err(error) => {
                prop_assert!(!(0.0..=72.0).contains(&hours), "a demo of {hours} h was refused");
                return check_error("DemoSensor::new", &inputs, &error, &["invalid_input"]);
            }
        };
        guarded("DemoSensor::set_mtu", &mtu, || demo.set_mtu(mtu))?;
        for request in &requests {
            let (what, characteristic, value) = request.clone();
            let result = guarded("DemoSensor", request, || match what {
                0 => demo.read(characteristic).map(drop),
                1 => demo.write(characteristic, value).map(drop),
                2 => demo.subscribe(characteristic),
                3 => {
                    demo.disconnect();
                    Ok(())
                }
                4 => {
                    // Drained, bounded: a sensor's queue ends.
                    let mut left = 10_000;
                    while demo.take_outgoing().is_some() && left > 0 {
                        left -= 1;
                    }
                    assert!(left > 0, "the demo sensor's queue never ends");
                    Ok(())
                }
                _ => {
                    demo.newest_record();
                    Ok(())
                }
            })?;
            if let Err(error) = result {
                check_error("DemoSensor", request, &error, &["invalid_input", "bluetooth"])?;
            }
        }
    }
}

/// Characteristic texts: the protocol's, and junk.
fn characteristic() -> impl Strategy<Value = String> {
    let known = [
        uuids::SERIAL_NUMBER,
        uuids::MODEL_NUMBER,
        uuids::BATTERY_LEVEL,
        uuids::STATUS,
        uuids::CONTROL_POINT,
        uuids::RECORD,
        uuids::RACP,
        uuids::LIVE_FRAME,
        uuids::CURRENT_ELAPSED_TIME,
    ];
    prop_oneof![
        3 => select(known.map(|u| u.to_string()).to_vec()),
        1 => select(vec!["2A52", "0x2a52", "not-a-uuid", ""]).prop_map(str::to_owned),
        1 => hostile_string(),
    ]
}

// ---------------------------------------------------------------------------
// The sync over a hostile Bluetooth link: it always ends, with one typed
// report to the listener, and cancelling ends it at once.
// ---------------------------------------------------------------------------

/// How a hostile link behaves.
#[derive(Debug, Clone)]
enum LinkBehaviour {
    /// Every operation throws.
    Throws,
    /// Reads answer with these bytes; notifications are junk.
    Junk(Vec<u8>),
    /// Connects, then reports the link dropped.
    Drops,
    /// A demo sensor with this serial and hours of records, over a link
    /// with this MTU.
    Demo(String, f64, u16),
}

struct HostileLink {
    behaviour: LinkBehaviour,
    demo: Option<Arc<DemoSensor>>,
}

fn link_error(what: &str) -> BleLinkError {
    BleLinkError::Failed {
        reason: format!("{what}: GATT error 133"),
    }
}

#[async_trait::async_trait]
impl BleLink for HostileLink {
    async fn connect(&self) -> Result<(), BleLinkError> {
        match self.behaviour {
            LinkBehaviour::Throws => Err(link_error("connect")),
            _ => Ok(()),
        }
    }

    fn mtu(&self) -> Result<u16, BleLinkError> {
        Ok(match &self.behaviour {
            LinkBehaviour::Demo(_, _, mtu) => *mtu,
            LinkBehaviour::Junk(bytes) => bytes.first().map_or(0, |b| u16::from(*b)),
            _ => u16::MAX,
        })
    }

    async fn read(&self, characteristic: String) -> Result<Vec<u8>, BleLinkError> {
        match (&self.behaviour, &self.demo) {
            (_, Some(demo)) => demo
                .read(characteristic)
                .map_err(|e| link_error(&e.to_string())),
            (LinkBehaviour::Junk(bytes), None) => Ok(bytes.clone()),
            _ => Err(link_error("read")),
        }
    }

    async fn write(&self, characteristic: String, value: Vec<u8>) -> Result<(), BleLinkError> {
        match (&self.behaviour, &self.demo) {
            (_, Some(demo)) => demo
                .write(characteristic, value)
                .map_err(|e| link_error(&e.to_string())),
            (LinkBehaviour::Junk(_), None) => Ok(()),
            _ => Err(link_error("write")),
        }
    }

    async fn write_without_response(
        &self,
        characteristic: String,
        value: Vec<u8>,
    ) -> Result<(), BleLinkError> {
        self.write(characteristic, value).await
    }

    async fn subscribe(&self, characteristic: String) -> Result<(), BleLinkError> {
        match (&self.behaviour, &self.demo) {
            (_, Some(demo)) => demo
                .subscribe(characteristic)
                .map_err(|e| link_error(&e.to_string())),
            (LinkBehaviour::Junk(_), None) => Ok(()),
            _ => Err(link_error("subscribe")),
        }
    }

    async fn next_event(&self) -> Result<BleLinkEvent, BleLinkError> {
        match (&self.behaviour, &self.demo) {
            (_, Some(demo)) => loop {
                if let Some(out) = demo.take_outgoing() {
                    return Ok(BleLinkEvent::Notification {
                        characteristic: out.characteristic,
                        value: out.value,
                    });
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            },
            (LinkBehaviour::Junk(bytes), None) => {
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok(BleLinkEvent::Notification {
                    characteristic: uuids::RECORD.to_string(),
                    value: bytes.clone(),
                })
            }
            _ => Ok(BleLinkEvent::Disconnected),
        }
    }

    async fn disconnect(&self) -> Result<(), BleLinkError> {
        if let Some(demo) = &self.demo {
            demo.disconnect();
        }
        Ok(())
    }
}

/// Keeps how a sync ended.
#[derive(Debug, Default)]
struct Ending {
    outcomes: Mutex<Vec<Result<SyncReport, String>>>,
}

impl SyncListener for Ending {
    fn on_progress(&self, done: u32, total: u32) -> Result<(), ForeignError> {
        // Progress may be junk from a junk sensor, but it must not throw us.
        let _ = (done, total);
        Ok(())
    }

    fn on_finished(&self, report: SyncReport) -> Result<(), ForeignError> {
        lock(&self.outcomes).push(Ok(report));
        Ok(())
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        lock(&self.outcomes).push(Err(error.code()));
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn link_behaviour() -> impl Strategy<Value = LinkBehaviour> {
    prop_oneof![
        Just(LinkBehaviour::Throws),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(LinkBehaviour::Junk),
        Just(LinkBehaviour::Drops),
        (
            hostile_string(),
            0.0..0.5f64,
            prop_oneof![Just(23u16), Just(247u16), any::<u16>()]
        )
            .prop_map(|(s, h, m)| LinkBehaviour::Demo(s, h, m)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases().div_ceil(8), max_shrink_iters: 16, ..config() })]

    /// A sync over any link ends with exactly one report: a demo sensor's
    /// records are stored (or a typed failure said why), a hostile link
    /// fails typed; cancelling (at any moment) ends it as cancelled or done.
    #[test]
    fn sync_over_a_hostile_link_ends_typed(
        behaviour in link_behaviour(),
        cancel_after_ms in prop_oneof![Just(None), (0u64..200).prop_map(Some)],
    ) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let db = dir.path().join("second-heart.db");
        let clock = FixedClock::new(instant(BASE_SECS), "Europe/Berlin".to_owned())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let app = SecondHeart::open(db.to_string_lossy().into_owned(), clock)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let demo = match &behaviour {
            LinkBehaviour::Demo(serial, hours, _) => Some(
                app.demo_sensor(serial.clone(), *hours)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?,
            ),
            _ => None,
        };
        let link = Arc::new(HostileLink { behaviour: behaviour.clone(), demo });
        let ending = Arc::new(Ending::default());
        let inputs = (&behaviour, cancel_after_ms);
        let sensors = app.sensors();
        let task = guarded("Sensors::pair", &inputs, || sensors.pair(link, "hostile link".to_owned(), ending.clone()))?
            .map_err(|e| TestCaseError::fail(format!("sync did not start: {e}")))?;
        // A throwing or dropping link backs off between attempts for tens
        // of seconds: cancel those soon, as a user leaving the screen would.
        // A sensor without a serial number is retried with back-off for
        // some 15 s before the sync gives up: the user leaves before.
        // (A sensor's string may end in one NUL, which is not part of it.)
        let blank = matches!(&behaviour, LinkBehaviour::Demo(serial, ..)
            if serial.strip_suffix('\0').unwrap_or(serial).trim().is_empty());
        let cancel_after = match (&behaviour, cancel_after_ms) {
            (_, Some(ms)) => Some(ms),
            (LinkBehaviour::Demo(..), None) if blank => Some(500),
            (LinkBehaviour::Demo(..), None) => None,
            (_, None) => Some(300),
        };
        // A demo sensor with a serial, on an MTU a real stack reports, and
        // left alone, must sync.
        let must_sync = cancel_after.is_none()
            && matches!(&behaviour, LinkBehaviour::Demo(_, _, mtu) if (23..=517).contains(mtu));
        let started = std::time::Instant::now();
        let mut cancelled = false;
        while lock(&ending.outcomes).is_empty() && started.elapsed() < Duration::from_secs(20) {
            if let Some(ms) = cancel_after
                && !cancelled
                && started.elapsed() >= Duration::from_millis(ms)
            {
                task.cancel();
                prop_assert!(task.is_cancelled());
                cancelled = true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // Let a second (wrong) report arrive if one would.
        std::thread::sleep(Duration::from_millis(20));
        let outcomes = std::mem::take(&mut *lock(&ending.outcomes));
        prop_assert_eq!(
            outcomes.len(), 1,
            "a sync over {} ended with {:?} (a panic on the library's runtime reports nothing)",
            shown(&inputs), outcomes
        );
        match &outcomes[0] {
            Ok(report) => {
                let summary = guarded("Sensors::summary", &report.serial, || {
                    app.sensors().summary(report.serial.clone())
                })?.map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(summary.map_or(0, |s| s.records), u64::from(report.records_stored));
                let serial = report.serial.clone();
                guarded("Sensors::paired", &serial, || app.sensors().paired())?
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let forgotten = guarded("Sensors::forget", &serial, || app.sensors().forget(serial.clone()))?
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(forgotten, u64::from(report.records_stored));
            }
            Err(code) => {
                let allowed = [
                    "sync_cancelled", "sync_gave_up", "sync_connections_used_up", "bluetooth", "sensor_reset",
                    "wrong_sensor",
                ];
                prop_assert!(allowed.contains(&code.as_str()), "a sync failed with {code} over {}", shown(&inputs));
                if cancel_after.is_none() {
                    prop_assert!(code != "sync_cancelled", "cancelled without a cancel");
                }
                prop_assert!(!must_sync, "a demo sync over {} failed with {code}", shown(&inputs));
            }
        }
        drop(task);
        drop(app);
        check_consistent(&db)?;
    }
}

/// The free functions and the error's code, with nothing hostile to give.
#[test]
fn free_functions_and_every_code_answer() {
    assert!(latest_schema_version() >= 1);
    let garments = garment_classes();
    assert!(!garments.is_empty());
    assert!(
        garments
            .windows(2)
            .all(|pair| pair[0].mmhg < pair[1].mmhg && !pair[0].label.is_empty()),
        "lightest first: {garments:?}"
    );
    let questions = elevation_questions();
    assert_eq!(questions.len(), 4);
    assert!(
        questions
            .iter()
            .all(|q| !q.key.is_empty() && q.text.ends_with('?'))
    );
    let error = SecondHeartError::InvalidInput {
        field: String::new(),
        reason: huge(),
    };
    assert_eq!(error.code(), "invalid_input");
}

// ---------------------------------------------------------------------------
// The pure computations: the pump model and activity detection.
// ---------------------------------------------------------------------------

/// Hostile values for a run's length or rate: the specials, and small valid
/// values (so a case's valid runs stay short).
fn hostile_amount() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            -1.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e18,
            24.000_001,
            600.000_001,
        ]),
        2 => 0.1..2.0f64,
        1 => any::<f64>(),
    ]
}

/// Mostly legs the model takes (so the protocols run), else any values.
fn hostile_legs() -> impl Strategy<Value = Legs> {
    prop_oneof![
        3 => (120.0..=220.0f64, 0.0..=1.0f64, 0.0..=60.0f64).prop_map(|(height_cm, reflux_severity, compression_mmhg)| Legs {
            height_cm,
            sex: Sex::Female,
            lower_leg_volume_ml: None,
            valves: Valves::SuperficialReflux,
            reflux_severity,
            compression_mmhg,
        }),
        1 => any_legs(),
    ]
}

fn any_legs() -> impl Strategy<Value = Legs> {
    (
        hostile_f64(),
        select(vec![Sex::Female, Sex::Male]),
        proptest::option::of(hostile_f64()),
        select(vec![
            Valves::Competent,
            Valves::SuperficialReflux,
            Valves::DeepReflux,
        ]),
        prop_oneof![hostile_f64(), 0.0..=1.0f64],
        hostile_f64(),
    )
        .prop_map(
            |(height_cm, sex, lower_leg_volume_ml, valves, reflux_severity, compression_mmhg)| {
                Legs {
                    height_cm,
                    sex,
                    lower_leg_volume_ml,
                    valves,
                    reflux_severity,
                    compression_mmhg,
                }
            },
        )
}

/// Scenario texts: junk, huge, empty, and short timelines with hostile numbers.
fn hostile_scenario() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => hostile_string(),
        1 => select(vec!["{}", "[]", "null", r#"{"timeline": []}"#]).prop_map(str::to_owned),
        2 => (hostile_amount(), hostile_amount(), 0u32..3).prop_map(|(seconds, speed, kind)| {
            let activity = match kind {
                0 => String::new(),
                1 => format!(r#", "activity": {{"kind": "walk", "speed_kmh": {speed:?}}}"#),
                _ => format!(r#", "activity": {{"kind": "ankle_pumps", "rate_per_min": {speed:?}}}"#),
            };
            // Debug prints NaN and inf, which JSON refuses: junk too.
            format!(r#"{{"timeline": [{{"posture": "standing", "seconds": {:?}{activity}}}]}}"#, seconds * 60.0)
        }),
    ]
}

fn hostile_breaks() -> impl Strategy<Value = Option<SitBreaks>> {
    proptest::option::of(
        (
            hostile_u32(),
            select(vec![
                SitBreak::Walk,
                SitBreak::CalfRaises,
                SitBreak::AnklePumps,
            ]),
        )
            .prop_map(|(every_min, kind)| SitBreaks { every_min, kind }),
    )
}

fn model_request() -> impl Strategy<Value = ModelRequest> {
    let posture = select(vec![PumpingPosture::Sitting, PumpingPosture::Supine]);
    prop_oneof![
        Just(ModelRequest::Standing),
        Just(ModelRequest::Apg),
        (hostile_f64(), hostile_amount())
            .prop_map(|(speed_kmh, minutes)| ModelRequest::Walk { speed_kmh, minutes }),
        (hostile_u32(), hostile_f64()).prop_map(|(count, rate_per_min)| ModelRequest::Tiptoe {
            count: count % 200,
            rate_per_min
        }),
        (hostile_f64(), hostile_amount(), posture).prop_map(|(rate_per_min, minutes, posture)| {
            ModelRequest::AnklePumps {
                rate_per_min,
                minutes,
                posture,
            }
        }),
        (hostile_f64(), hostile_amount())
            .prop_map(|(angle_deg, minutes)| ModelRequest::PassiveLegRaise { angle_deg, minutes }),
        (hostile_amount(), hostile_breaks()).prop_map(|(hours, breaks)| ModelRequest::Sit {
            hours: hours.min(2.0),
            breaks
        }),
        hostile_scenario().prop_map(|json| ModelRequest::Scenario { json }),
    ]
}

/// Calls the synchronous method `request` stands for.
fn run_sync(model: &PumpModel, request: ModelRequest) -> Result<(), SecondHeartError> {
    let chart = |series: usize| assert!(series <= 10_000, "a chart of {series} points");
    match request {
        ModelRequest::Standing => model.standing().map(|r| chart(r.series.len())),
        ModelRequest::Apg => model.apg().map(|r| chart(r.series.len())),
        ModelRequest::Walk { speed_kmh, minutes } => model
            .walk(speed_kmh, minutes)
            .map(|r| chart(r.series.len())),
        ModelRequest::Tiptoe {
            count,
            rate_per_min,
        } => model
            .tiptoe(count, rate_per_min)
            .map(|r| chart(r.series.len())),
        ModelRequest::AnklePumps {
            rate_per_min,
            minutes,
            posture,
        } => model
            .ankle_pumps(rate_per_min, minutes, posture)
            .map(|r| chart(r.series.len())),
        ModelRequest::PassiveLegRaise { angle_deg, minutes } => model
            .passive_leg_raise(angle_deg, minutes)
            .map(|r| chart(r.series.len())),
        ModelRequest::Sit { hours, breaks } => {
            model.sit(hours, breaks).map(|r| chart(r.series.len()))
        }
        ModelRequest::Scenario { json } => model.run_scenario(json).map(|r| chart(r.series.len())),
    }
}

/// Keeps how a started computation ended (`Ok` or the error's code).
#[derive(Debug, Default)]
struct Ended {
    outcome: Mutex<Option<Result<(), String>>>,
    done: std::sync::Condvar,
}

impl Ended {
    fn end(&self, outcome: Result<(), String>) {
        let mut slot = lock(&self.outcome);
        assert!(slot.is_none(), "a computation ended twice");
        *slot = Some(outcome);
        self.done.notify_all();
    }

    /// The ending, waiting up to a minute for it.
    fn wait(&self) -> Option<Result<(), String>> {
        let slot = lock(&self.outcome);
        let (slot, _) = self
            .done
            .wait_timeout_while(slot, Duration::from_secs(60), |s| s.is_none())
            .unwrap_or_else(|p| p.into_inner());
        slot.clone()
    }
}

impl ModelListener for Ended {
    fn on_progress(&self, fraction: f64) -> Result<(), ForeignError> {
        assert!((0.0..=1.0).contains(&fraction), "progress {fraction}");
        // A listener that throws must not stop the run.
        Err(ForeignError::Failed {
            reason: "the screen is gone".to_owned(),
        })
    }

    fn on_finished(&self, _result: ModelResult) -> Result<(), ForeignError> {
        self.end(Ok(()));
        Ok(())
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        self.end(Err(error.code()));
        Ok(())
    }
}

impl DetectionListener for Ended {
    fn on_progress(&self, fraction: f64) -> Result<(), ForeignError> {
        assert!((0.0..=1.0).contains(&fraction), "progress {fraction}");
        Ok(())
    }

    fn on_finished(&self, _detection: Detection) -> Result<(), ForeignError> {
        self.end(Ok(()));
        Ok(())
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        self.end(Err(error.code()));
        Ok(())
    }
}

/// Checks how a started computation ended: done, or a typed error among
/// `allowed` (cancelled always allowed).
fn check_ending(
    call: &str,
    inputs: &dyn Debug,
    ended: &Ended,
    allowed: &[&str],
) -> Result<(), TestCaseError> {
    match ended.wait() {
        None => Err(TestCaseError::fail(format!(
            "{call} with {} never ended",
            shown(inputs)
        ))),
        Some(Ok(())) => Ok(()),
        Some(Err(code)) => {
            prop_assert!(
                code == "cancelled" || allowed.contains(&code.as_str()),
                "{call} with {} ended with {code}",
                shown(inputs)
            );
            Ok(())
        }
    }
}

fn hostile_sample() -> impl Strategy<Value = ImuSample> {
    (
        hostile_f64(),
        [hostile_f64(), hostile_f64(), hostile_f64()],
        [hostile_f64(), hostile_f64(), hostile_f64()],
        proptest::option::of(hostile_f64()),
    )
        .prop_map(
            |(t_s, [ax, ay, az], [gx, gy, gz], pressure_mmhg)| ImuSample {
                t_s,
                ax,
                ay,
                az,
                gx,
                gy,
                gz,
                pressure_mmhg,
            },
        )
}

fn hostile_axis() -> impl Strategy<Value = Option<SensorAxis>> {
    proptest::option::of(
        (hostile_f64(), hostile_f64(), hostile_f64()).prop_map(|(x, y, z)| SensorAxis { x, y, z }),
    )
}

/// IMU files: junk text, a header with hostile rows, or valid rows.
fn hostile_imu_file() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => hostile_string(),
        2 => proptest::collection::vec(hostile_sample(), 0..50).prop_map(|rows| {
            let mut text = String::from("t_s,ax,ay,az,gx,gy,gz,p1\n");
            for r in rows {
                let p = r.pressure_mmhg.map(|p| p.to_string()).unwrap_or_default();
                text.push_str(&format!("{},{},{},{},{},{},{},{p}\n", r.t_s, r.ax, r.ay, r.az, r.gx, r.gy, r.gz));
            }
            text
        }),
        1 => (1u32..3000).prop_map(|n| {
            let mut text = String::from("ax,ay,az,gx,gy,gz\n");
            for i in 0..n {
                text.push_str(&format!("0,0,9.8,{},0,0\n", f64::from(i % 7)));
            }
            text
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases().div_ceil(2), max_shrink_iters: 32, ..config() })]

    /// The pump model of any legs, every protocol with any values, and the
    /// same runs started on the runtime (cancelled at once or not): a run
    /// or a typed error, never a panic.
    #[test]
    fn pump_model_calls_never_panic(
        legs in hostile_legs(),
        points in prop_oneof![Just(0u32), Just(1u32), Just(10_001u32), 2u32..500, any::<u32>()],
        requests in proptest::collection::vec(model_request(), 1..4),
        cancel in any::<bool>(),
    ) {
        let inputs = (&legs, points);
        let model = match guarded("PumpModel::new", &inputs, || PumpModel::new(legs, points))? {
            Ok(model) => model,
            Err(error) => return check_error("PumpModel::new", &inputs, &error, &["invalid_input"]),
        };
        guarded("PumpModel::legs", &inputs, || assert_eq!(model.legs(), legs))?;
        for request in requests {
            let inputs = (&legs, points, &request);
            if let Err(error) = guarded("PumpModel run", &inputs, || run_sync(&model, request.clone()))? {
                check_error("PumpModel run", &inputs, &error, &["invalid_input"])?;
            }
            let ended = Arc::new(Ended::default());
            let started = guarded("PumpModel::start", &inputs, || {
                model.start(request.clone(), ended.clone())
            })?;
            match started {
                Ok(handle) => {
                    if cancel {
                        handle.cancel();
                    }
                    drop(handle);
                    // Dropped: cancelled either way, so the case stays short.
                    check_ending("PumpModel::start", &inputs, &ended, &["invalid_input"])?;
                }
                Err(error) => check_error("PumpModel::start", &inputs, &error, &[])?,
            }
        }
    }

    /// A detector with any axis fed any batches, and any file detected
    /// whole or started (cancelled at once or not): events or a typed
    /// error, never a panic.
    #[test]
    fn activity_detection_never_panics(
        axis in hostile_axis(),
        batches in proptest::collection::vec(proptest::collection::vec(hostile_sample(), 0..40), 0..5),
        file in hostile_imu_file(),
        rate_hz in proptest::option::of(hostile_f64()),
        keep_step_times in any::<bool>(),
        cancel in any::<bool>(),
    ) {
        match guarded("ActivityDetector::new", &axis, || ActivityDetector::new(axis))? {
            Ok(detector) => {
                for batch in batches {
                    if let Err(error) = guarded("ActivityDetector::push", &batch, || detector.push(batch.clone()))? {
                        check_error("ActivityDetector::push", &batch, &error, &["invalid_input"])?;
                    }
                }
                guarded("ActivityDetector::finish", &axis, || detector.finish())?;
            }
            Err(error) => check_error("ActivityDetector::new", &axis, &error, &["invalid_input"])?,
        }
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("imu.csv");
        std::fs::write(&path, &file).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for path in [path.clone(), dir.path().join("missing.csv"), dir.path().to_path_buf()] {
            let options = CsvOptions { rate_hz, long_axis: axis, keep_step_times };
            let path = path.to_string_lossy().into_owned();
            let inputs = (&path, &options, &file);
            if let Err(error) = guarded("detect_csv_file", &inputs, || detect_csv_file(path.clone(), options))? {
                check_error("detect_csv_file", &inputs, &error, &["invalid_input", "file"])?;
            }
            let ended = Arc::new(Ended::default());
            match guarded("start_detect_csv_file", &inputs, || start_detect_csv_file(path.clone(), options, ended.clone()))? {
                Ok(handle) => {
                    if cancel {
                        handle.cancel();
                        prop_assert!(handle.is_cancelled());
                    } else {
                        check_ending("start_detect_csv_file", &inputs, &ended, &["invalid_input", "file"])?;
                    }
                    drop(handle);
                    check_ending("start_detect_csv_file", &inputs, &ended, &["invalid_input", "file"])?;
                }
                Err(error) => check_error("start_detect_csv_file", &inputs, &error, &[])?,
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The demo sensor's activities and time, the live counter's frames and
    /// live data's settings, with hostile values: typed errors, no panic.
    #[test]
    fn live_calls_never_panic(
        reps in any::<u8>(),
        hold in hostile_f64(),
        minutes in hostile_u32(),
        millis in any::<u64>(),
        rate_hz in any::<u8>(),
        seconds in proptest::option::of(hostile_f64()),
        frame_seq in any::<u16>(),
        t0_ms in any::<u32>(),
        dts in proptest::collection::vec(any::<u16>(), 0..80),
    ) {
        let clock = FixedClock::new(instant(BASE_SECS), "Europe/Berlin".to_owned())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let app = SecondHeart::open(":memory:".to_owned(), clock)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let demo = app.demo_sensor("SH-HOSTILE".to_owned(), 1.0)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for activity in [
            DemoActivity::CalfRaises { reps, hold_s: hold },
            DemoActivity::Walking { minutes, cadence_spm: minutes },
            DemoActivity::AnklePumps { reps, rate_per_min: minutes },
        ] {
            if let Err(error) = guarded("DemoSensor::perform", &activity, || demo.perform(activity))? {
                check_error("DemoSensor::perform", &activity, &error, &["invalid_input"])?;
            }
        }
        if let Err(error) = guarded("DemoSensor::advance", &millis, || demo.advance(millis))? {
            prop_assert!(millis > 86_400_000, "advance({millis}) refused: {error}");
            check_error("DemoSensor::advance", &millis, &error, &["invalid_input"])?;
        }
        let inputs = (rate_hz, seconds);
        let settings = LiveSettings { rate_hz, seconds };
        match guarded("Sensors::live", &inputs, || {
            app.sensors().live("SH-HOSTILE".to_owned(), Arc::new(HostileLink {
                behaviour: LinkBehaviour::Drops, demo: None,
            }), settings, None, Arc::new(Quiet))
        })? {
            Ok(task) => {
                prop_assert!((1..=100).contains(&rate_hz));
                task.cancel();
            }
            Err(error) => check_error("Sensors::live", &inputs, &error, &["invalid_input"])?,
        }
        app.sessions().start_walk().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let counter = app.sessions().live_counter().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let frame = LiveFrame {
            frame_seq,
            t0_ms,
            samples: dts.iter().map(|&dt_ms| LiveSample {
                dt_ms, ankle_mmhg: 200, calf_mmhg: 255, shank_pitch_deg: i8::MIN,
                posture: second_heart_core::sensor::gatt::Posture::Walking,
                event: second_heart_core::sensor::gatt::LiveEvent::Step, contraction: 255,
            }).collect(),
        };
        if let Err(error) = guarded("LiveSessionCounter::push", &frame, || counter.push(frame.clone()))? {
            check_error("LiveSessionCounter::push", &frame, &error, &["invalid_input"])?;
        }
        guarded("LiveSessionCounter::progress", &frame, || counter.progress())?;
        if let Err(error) = guarded("LiveSessionCounter::finish", &frame, || counter.finish())? {
            check_error("LiveSessionCounter::finish", &frame, &error, &["invalid_input"])?;
        }
        // Nothing runs any more: finishing again is a conflict, not a panic.
        let again = guarded("LiveSessionCounter::finish", &frame, || counter.finish())?;
        prop_assert!(again.is_err_and(|e| e.code() == "conflict"));
    }
}

/// A live listener that hears nothing of interest.
struct Quiet;

impl LiveListener for Quiet {
    fn on_frame(&self, _: LiveFrame, _: Option<LiveProgress>) -> Result<(), ForeignError> {
        Ok(())
    }
    fn on_not_counted(&self, _: SecondHeartError) -> Result<(), ForeignError> {
        Ok(())
    }
    fn on_cadence(&self, _: CadenceReading) -> Result<(), ForeignError> {
        Ok(())
    }
    fn on_finished(&self, _: LiveSummary) -> Result<(), ForeignError> {
        Ok(())
    }
    fn on_failed(&self, _: SecondHeartError) -> Result<(), ForeignError> {
        Ok(())
    }
}

/// A clock the test moves, as a phone's jumps when it first syncs its time.
#[derive(Debug)]
struct JumpingClock(Mutex<SystemTime>);

impl Clock for JumpingClock {
    fn now(&self) -> Result<SystemTime, ForeignError> {
        Ok(*self.0.lock().expect("clock"))
    }

    fn time_zone(&self) -> Result<String, ForeignError> {
        Ok("Europe/Berlin".to_owned())
    }
}

#[test]
fn a_demo_sensor_follows_a_clock_that_jumps_years_a_week_at_a_time() {
    let clock = Arc::new(JumpingClock(Mutex::new(instant(BASE_SECS))));
    let app = SecondHeart::open(":memory:".to_owned(), clock.clone()).expect("app");
    let demo = app.demo_sensor("SH-JUMP".to_owned(), 1.0).expect("demo");
    let before = demo.newest_record();
    *clock.0.lock().expect("clock") = instant(BASE_SECS + 20 * 365 * 86_400);
    let after = demo.newest_record();
    // A minute record a minute, and a few sets: a week's worth, not twenty years'.
    let week = 7 * 24 * 60;
    assert!(
        (week..week + 100).contains(&(after - before)),
        "{before} → {after}"
    );
}
