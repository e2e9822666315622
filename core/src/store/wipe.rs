//! Delete-all: every record of the user, gone from the file.

use super::Store;
use crate::Result;

/// Every table holding the user's data, children before parents.
const TABLES: [&str; 15] = [
    "session_event",
    "session",
    "minute_activity",
    "daily_summary",
    "hydration",
    "compression_wear",
    "reminder",
    "flight",
    "zone_change",
    "profile",
    "walk",
    "sensor_record",
    "sensor_gap",
    "sensor_clock_anchor",
    "sensor_device",
];

impl Store {
    /// Deletes everything in one transaction, then rewrites the file so the
    /// deleted data is not left in free pages or the write-ahead log.
    pub fn delete_all(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "secure_delete", true)?;
        let tx = self.conn.transaction()?;
        for table in TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.commit()?;
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.pump_yield = None;
        Ok(())
    }
}
