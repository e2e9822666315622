#!/usr/bin/env bash
# Opens the Second Heart desktop app: builds the Rust library, generates its
# Kotlin bindings, and runs the shared Compose screens in a window (Compose
# for Desktop) over ~/.local/share/second-heart/desktop.db, with the demo
# sensor to pair and sync. Needs Rust, Java 17, Maven and a display.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -q -p second-heart-ffi --features desktop
rm -rf target/bindings/kotlin
cargo run -q -p uniffi-bindgen -- generate --no-format \
  --library target/debug/libsecond_heart.so --language kotlin --out-dir target/bindings/kotlin
mvn -q -B -ntp -f android/pom.xml install -DskipTests -pl appcore -am
mvn -q -B -ntp -f android/pom.xml -pl ui compile exec:java -Dnative.dir="$root/target/debug"
