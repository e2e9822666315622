//! Delete-all: every record of the user, gone from the file.

use std::path::{Path, PathBuf};

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
    ///
    /// When even the new database cannot be made (the room freed was not
    /// enough), the data is gone all the same: the store stands in with an
    /// empty, read-only database in memory, so screens show nothing and a
    /// write fails rather than vanishing at the next launch, and fails with
    /// [`Error::NotStartedAfresh`]. [`Store::make_file_again`] tries again.
    pub fn delete_all(&mut self) -> Result<()> {
        if self.standing_in {
            return self.make_file_again();
        }
        match self.empty_and_rewrite() {
            Err(Error::DiskFull) if self.path != Path::new(":memory:") => {
                self.start_afresh(|path| Store::open(path))
            }
            other => other,
        }
    }

    /// Makes the new, empty database that "delete everything" could not
    /// make (see [`Store::delete_all`]); nothing when the store is not
    /// standing in for one. Fails with [`Error::NotStartedAfresh`] while
    /// there is still no room.
    pub fn make_file_again(&mut self) -> Result<()> {
        if !self.standing_in {
            return Ok(());
        }
        match Store::open(&self.path) {
            Ok(store) => {
                *self = store;
                Ok(())
            }
            // The file could not be removed: nothing was deleted, and this
            // is why it cannot be opened (a full disk, as a rule).
            Err(error) if self.path.is_file() => Err(error),
            Err(error) => Err(Error::NotStartedAfresh {
                detail: error.to_string(),
            }),
        }
    }

    /// Whether the store stands in for a database "delete everything"
    /// could not make again (see [`Store::delete_all`]).
    pub fn standing_in(&self) -> bool {
        self.standing_in
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

    /// Closes the connection, removes the database's files and opens
    /// (`open`) a new, empty database at the same path. When a file cannot
    /// be removed, the database is opened again as it is and the failure
    /// returned. When the new one cannot be opened, the store stands in
    /// (see [`Store::delete_all`]).
    pub(crate) fn start_afresh(&mut self, open: impl Fn(&Path) -> Result<Store>) -> Result<()> {
        let path = self.path.clone();
        // The connection must be closed before its files go; a database in
        // memory stands in for the moment.
        drop(std::mem::replace(
            &mut self.conn,
            Connection::open_in_memory()?,
        ));
        let removed = super::backup::remove_database_files(&path);
        // Opening also removes a restore's scratch copy left beside it.
        match open(&path) {
            Ok(store) => {
                *self = store;
                removed
            }
            Err(error) => {
                *self = Store::stand_in(path)?;
                // A file that could not be removed may still hold the data:
                // that failure is the answer, not "everything was deleted".
                removed?;
                Err(Error::NotStartedAfresh {
                    detail: error.to_string(),
                })
            }
        }
    }

    /// An empty, read-only database in memory, standing in for the one at
    /// `path` until it can be made again.
    fn stand_in(path: PathBuf) -> Result<Store> {
        let mut store = Store::open_in_memory()?;
        store.conn.pragma_update(None, "query_only", true)?;
        store.path = path;
        store.standing_in = true;
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;
    use crate::walk::NewWalk;

    fn walk() -> NewWalk {
        let start = utc("2026-11-21T08:00:00Z");
        NewWalk::new(start, "UTC", 1800, 3000, utc("2026-11-22T00:00:00Z")).expect("walk")
    }

    #[test]
    fn a_database_that_cannot_be_made_again_stands_in_empty_until_it_can() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sh.db");
        let mut store = Store::open(&path).expect("open");
        store.log_walk(&walk()).expect("walk");
        // The files removed, then no room for the new one.
        let full = |_: &Path| Err(Error::DiskFull);
        let failed = store.start_afresh(full);
        assert!(
            matches!(&failed, Err(Error::NotStartedAfresh { detail }) if detail.contains("storage is full")),
            "{failed:?}"
        );
        assert!(
            failed
                .expect_err("failed")
                .to_string()
                .contains("everything was deleted")
        );
        assert!(!path.exists(), "the data's file is gone");
        // Nothing is shown, and nothing is written to be lost at the next
        // launch.
        assert!(store.standing_in());
        assert!(!store.holds_data().expect("holds"));
        assert!(store.log_walk(&walk()).is_err());
        assert!(!path.exists());
        // Room again: the new, empty database is made, and takes writes.
        store.make_file_again().expect("made");
        assert!(!store.standing_in() && path.exists());
        assert!(!store.holds_data().expect("holds"));
        store.log_walk(&walk()).expect("walk");
        assert!(store.holds_data().expect("holds"));
        // "Delete everything" asked again while standing in makes it too.
        store.start_afresh(full).expect_err("no room");
        store.delete_all().expect("made");
        assert!(!store.standing_in() && path.exists());
    }
}
