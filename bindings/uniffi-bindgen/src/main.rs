//! `uniffi-bindgen`, built from the same uniffi version as `second-heart-ffi`.
//!
//! Generate the bindings from the built library (library mode):
//!
//! ```text
//! cargo build -p second-heart-ffi
//! cargo run -p uniffi-bindgen -- generate --library target/debug/libsecond_heart.so \
//!     --language kotlin --out-dir target/bindings/kotlin
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
