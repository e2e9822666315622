#!/usr/bin/env bash
# Builds the Rust core for iOS devices and simulators, generates the Swift
# bindings, and packs the static libraries into an XCFramework.
# Needs macOS with Xcode and: rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/Generated"
cd "$root"

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
for target in "${targets[@]}"; do
  cargo build --release -p second-heart-ffi --target "$target"
done

rm -rf "$out" && mkdir -p "$out/Swift" "$out/Headers" "$out/sim"
cargo run -p uniffi-bindgen -- generate --no-format \
  --library "target/aarch64-apple-ios/release/libsecond_heart.a" \
  --language swift --out-dir "$out/Swift"
mv "$out/Swift/"*.h "$out/Headers/"
mv "$out/Swift/second_heartFFI.modulemap" "$out/Headers/module.modulemap"

lipo -create \
  target/aarch64-apple-ios-sim/release/libsecond_heart.a \
  target/x86_64-apple-ios/release/libsecond_heart.a \
  -output "$out/sim/libsecond_heart.a"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release/libsecond_heart.a -headers "$out/Headers" \
  -library "$out/sim/libsecond_heart.a" -headers "$out/Headers" \
  -output "$out/SecondHeartCore.xcframework"
