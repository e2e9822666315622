//! Delete-all: every record of the user, gone from the file.

use std::path::Path;

use rusqlite::Connection;

use super::Store;
use crate::{Error, Result};

impl Store {
    /// Deletes everything in one transaction, then rewrites the file so the
    /// deleted data is not left in free pages or the write-ahead log. Every
    /// table of the schema is emptied (read from `sqlite_schema`, so a table
    /// added later cannot be forgotten); foreign keys cascade, so the order
    /// does not matter. A restore's scratch copy left beside the database
    /// (the app killed mid-restore) goes too.
    ///
    /// On a disk too full for that (the delete and the rewrite both write
    /// to the write-ahead log first), the file and its journals are removed
    /// instead and a new, empty database takes their place: removing them
    /// frees the room it needs. Another connection open on the file then
    /// would keep reading the removed copy; the app holds only one.
    pub fn delete_all(&mut self) -> Result<()> {
        match self.empty_and_rewrite() {
            Err(Error::DiskFull) if self.path != Path::new(":memory:") => self.start_afresh(),
            other => other,
        }
    }

    fn empty_and_rewrite(&mut self) -> Result<()> {
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

    /// Closes the connection, removes the database's files and opens a new,
    /// empty database at the same path. When a file cannot be removed, the
    /// database is opened again as it is and the failure returned.
    fn start_afresh(&mut self) -> Result<()> {
        let path = self.path.clone();
        // The connection must be closed before its files go; a database in
        // memory stands in for the moment.
        drop(std::mem::replace(
            &mut self.conn,
            Connection::open_in_memory()?,
        ));
        let removed = super::backup::remove_database_files(&path);
        // Opening also removes a restore's scratch copy left beside it.
        *self = Store::open(&path)?;
        removed
    }
}
