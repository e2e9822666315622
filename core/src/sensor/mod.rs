//! The wearable half: the sensor's GATT profile, the sync engine, and a
//! simulated sensor to test them on.
//!
//! - [`gatt`]: byte layouts of every characteristic (docs/sensor-protocol.md).
//! - [`uuids`]: every UUID.
//! - [`timeline`]: sensor ticks to UTC.
//! - [`sync`]: the sans-IO state machine that fetches stored records.
//! - [`sim`]: a simulated sensor and radio link on virtual time.

pub mod gatt;
pub mod sim;
pub mod sync;
pub mod timeline;
pub mod uuids;
