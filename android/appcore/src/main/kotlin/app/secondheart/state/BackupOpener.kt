package app.secondheart.state

import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/**
 * Where a backup to restore comes from: the platform asks the user for a
 * file. Android's is `DocumentDialogs` (android/androidglue: the system's
 * "open" dialog); the desktop's and the tests' is [NewestInFolder].
 */
fun interface BackupOpener {
    /**
     * Asks the user for a backup and copies it into [into] (a temporary
     * file in the app's export folder); false when they cancelled.
     */
    suspend fun open(into: File): Boolean

    /** The newest backup [ExportSaver.KeepInFolder] kept in the export folder (desktop, tests). */
    object NewestInFolder : BackupOpener {
        override suspend fun open(into: File): Boolean {
            val newest = into.parentFile
                ?.listFiles { f -> f.name.startsWith("second-heart-backup-") }
                ?.maxByOrNull { it.lastModified() }
                ?: throw IOException("no backup in ${into.parentFile?.path}: back up first")
            Files.copy(newest.toPath(), into.toPath(), StandardCopyOption.REPLACE_EXISTING)
            return true
        }
    }
}
