package app.secondheart.state

import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/** What the user is asked to pick. */
enum class DocumentKind {
    /** A backup to restore (an SQLite file). */
    BACKUP,

    /** Daily step totals to import (a CSV file: our days export, or a pedometer app's). */
    STEPS,
}

/**
 * Where a file the user opens comes from (a backup to restore, steps to
 * import): the platform asks the user for one. Android's is
 * `DocumentDialogs` (android/androidglue: the system's "open" dialog);
 * the desktop's and the tests' is [NewestInFolder].
 */
fun interface DocumentOpener {
    /**
     * Asks the user for a file of [kind] and copies it into [into] (a
     * temporary file in the app's export folder); returns the name the
     * user knows it by, or null when they cancelled.
     */
    suspend fun open(into: File, kind: DocumentKind): String?

    /**
     * The newest file of the kind in the export folder (desktop, tests): a
     * backup [ExportSaver.KeepInFolder] kept, or a CSV file (an export of
     * the days, or one put there).
     */
    object NewestInFolder : DocumentOpener {
        override suspend fun open(into: File, kind: DocumentKind): String? {
            val folder = into.parentFile
            val newest = folder
                ?.listFiles { f -> f != into && f.isFile && kept(f.name, kind) }
                ?.maxByOrNull { it.lastModified() }
                ?: throw IOException(
                    when (kind) {
                        DocumentKind.BACKUP -> "no backup in ${folder?.path}: back up first"
                        DocumentKind.STEPS -> "no CSV file in ${folder?.path}: export the days as CSV, or put a pedometer's file there"
                    },
                )
            Files.copy(newest.toPath(), into.toPath(), StandardCopyOption.REPLACE_EXISTING)
            return newest.name
        }

        private fun kept(name: String, kind: DocumentKind) = when (kind) {
            DocumentKind.BACKUP -> name.startsWith("second-heart-backup-")
            // Not our minutes' or sessions' CSV exports: they hold no daily totals.
            DocumentKind.STEPS -> name.endsWith(".csv") && (!name.startsWith("second-heart-") || name.startsWith("second-heart-days-"))
        }
    }
}
