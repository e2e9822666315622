#!/usr/bin/env bash
# Runs every test of Second Heart: Rust (unit, integration, property,
# "delete everything" on a real full disk (a tmpfs it mounts: run as root
# or with sudo), and activity detection on real gait recordings fetched
# from PyPI), the
# exports (validated with PyPI's FHIR and JSON Schema validators), the UniFFI bindings (Kotlin and Swift generated from the built library), the
# Kotlin app core, the Compose screens (rendered into docs/screenshots and
# clicked through) and the Android glue (Robolectric) on the JVM against that
# library through JNA, and the
# Bluetooth end-to-end tests (btleplug against bluezoo, tests/ble-e2e.sh).
#
# Usage: bash tests/run-all.sh
# It installs what it needs when it is missing (see tests/lib/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. tests/lib/setup.sh

logs=$(mktemp -d)
full_disk=""
cleanup() {
  if [ -n "$full_disk" ]; then
    $SUDO umount "$full_disk" 2>/dev/null || true
    rmdir "$full_disk" 2>/dev/null || true
  fi
  rm -rf "$logs"
}
trap cleanup EXIT

case "$(uname -s)" in
  Darwin) library=target/debug/libsecond_heart.dylib ;;
  *) library=target/debug/libsecond_heart.so ;;
esac

step "Checking the tools"
ensure_rust
ensure_jvm
ensure_fonts
ensure_python

step "Rust: unit, integration and property tests"
exports=$(mktemp -d)
SECOND_HEART_EXPORT_DIR="$exports" cargo test --workspace --locked 2>&1 | tee "$logs/cargo.log"

step "Deleting everything on a full disk (a small tmpfs, filled to its last kilobytes)"
if [ "$(uname -s)" = Linux ]; then
  # Mounting needs root or sudo (CI runs as root).
  full_disk=$(mktemp -d)
  $SUDO mount -t tmpfs -o size=16m,mode=1777 tmpfs "$full_disk"
  SECOND_HEART_FULL_DISK_DIR="$full_disk" \
    cargo test -p second-heart-core --locked --test full_disk -- --ignored 2>&1 |
    tee -a "$logs/cargo.log"
else
  echo "skipped: a tmpfs to fill needs Linux"
fi

step "Exports: FHIR R4B (fhir.resources), JSON (jsonschema, docs/export.schema.json), CSV"
ensure_export_validators
"$export_venv/bin/python" tests/tools/validate_exports.py \
  "$exports/bundle.json" "$exports/export.json" "$exports/days.csv"

step "Activity detection on real gait recordings (gaitmap's example data from PyPI)"
ensure_gait_data
SECOND_HEART_GAIT_DATA="$root/$gait_data_dir/example_data" \
  cargo test -p second-heart-core --locked --test activity_real_data -- --ignored --nocapture --test-threads 1 2>&1 |
  tee -a "$logs/cargo.log"

step "UniFFI: building $library and generating the Kotlin and Swift bindings"
# The desktop build of the library (feature `desktop`: DesktopBluetooth, btleplug)
# for the desktop app, its tests and ble-e2e; the phone check below looks at
# the library as phones build it (without the feature).
cargo build -p second-heart-ffi --locked --features desktop
rm -rf target/bindings
cargo run -q -p uniffi-bindgen --locked -- generate --no-format \
  --library "$library" --language kotlin --out-dir target/bindings/kotlin
cargo run -q -p uniffi-bindgen --locked -- generate --no-format \
  --library "$library" --language swift --out-dir target/bindings/swift
ensure_swift_parser
"$swift_venv/bin/python" tests/tools/check_swift_syntax.py ios/SecondHeart
"$swift_venv/bin/python" tests/tools/check_swift_accessibility.py ios/SecondHeart
python3 tests/tools/check_swift_calls.py target/bindings/swift/second_heart.swift ios/SecondHeart
python3 tests/tools/test_check_swift_calls.py target/bindings/swift/second_heart.swift ios/SecondHeart
python3 tests/tools/check_phone_features.py --lib "$library"
python3 tests/tools/check_no_platform_backup.py .

step "Kotlin on the JVM: app core, Compose screens (screenshots into docs/screenshots, UI tests) and Android glue (Robolectric), against $library through JNA"
mvn -B -ntp -f android/pom.xml test -Dnative.dir="$root/target/debug" 2>&1 | tee "$logs/maven.log"

bash tests/ble-e2e.sh 2>&1 | tee "$logs/ble.log" | { grep -vE '^(DEBUG|INFO):' || true; }
step "Fuzzing: every decoder of sensor bytes, the sync engine and the user's files (libFuzzer, ${FUZZ_SECONDS:-20} s each)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} bash tests/fuzz.sh 2>&1 | tee "$logs/fuzz.log"

ble_passed=$(grep -oE 'Bluetooth end to end: [0-9]+ passed' "$logs/ble.log" | grep -oE '[0-9]+' | head -1)

rust_passed=$(grep -oE 'test result: ok\. [0-9]+ passed' "$logs/cargo.log" | awk '{s += $4} END {print s + 0}')
# One summary line per Maven module (appcore, ui, androidglue): add them up.
kotlin_passed=$(grep -E '^\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: [0-9]+$' "$logs/maven.log" |
  sed -E 's/.*Tests run: ([0-9]+), .*Skipped: ([0-9]+)$/\1 \2/' | awk '{s += $1 - $2} END {print s + 0}')
step "Summary"
echo "Rust: $rust_passed tests passed"
echo "Kotlin (JUnit on the JVM: app core, screens, Android glue): ${kotlin_passed:-0} tests passed"
echo "Bluetooth end to end (btleplug, bluezoo): ${ble_passed:-0} tests passed"
echo "all: $((rust_passed + ${kotlin_passed:-0} + ${ble_passed:-0})) passed, 0 failed"
