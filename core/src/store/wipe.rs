//! Delete-all: every record of the user, gone from the file.

use super::Store;
use crate::Result;

impl Store {
    /// Deletes everything in one transaction, then rewrites the file so the
    /// deleted data is not left in free pages or the write-ahead log. Every
    /// table of the schema is emptied (read from `sqlite_schema`, so a table
    /// added later cannot be forgotten); foreign keys cascade, so the order
    /// does not matter. A restore's scratch copy left beside the database
    /// (the app killed mid-restore) goes too.
    pub fn delete_all(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "secure_delete", true)?;
        let tx = self.conn.transaction()?;
        let tables: Vec<String> = tx
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in tables {
            tx.execute(&format!("DELETE FROM \"{table}\""), [])?;
        }
        tx.commit()?;
        super::backup::remove_restore_leftovers(&self.path);
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
