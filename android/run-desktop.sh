#!/usr/bin/env bash
# Opens the Second Heart desktop app: builds the Rust library (with its
# `desktop` feature: Bluetooth through btleplug), generates its Kotlin
# bindings, and runs the shared Compose screens in a window (Compose for
# Desktop) over ~/.local/share/second-heart/desktop.db. Devices scans and
# pairs real sensors through the computer's adapter (BlueZ on Linux;
# SECOND_HEART_ADAPTER=hci1 picks one); without an adapter it says so and
# offers the demo sensor (SECOND_HEART_DEMO=1: the demo sensor only).
# Needs Rust, Java 17, Maven and a display.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -q -p second-heart-ffi --features desktop
rm -rf target/bindings/kotlin
cargo run -q -p uniffi-bindgen -- generate --no-format \
  --library target/debug/libsecond_heart.so --language kotlin --out-dir target/bindings/kotlin
mvn -q -B -ntp -f android/pom.xml install -DskipTests -pl appcore -am
mvn -q -B -ntp -f android/pom.xml -pl ui compile exec:java -Dnative.dir="$root/target/debug"
