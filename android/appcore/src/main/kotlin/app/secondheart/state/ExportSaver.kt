package app.secondheart.state

import java.io.File
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/**
 * Where an export or a backup goes once the core has written it: the
 * platform asks the user where to keep it. Android's is `DocumentDialogs`
 * (android/androidglue: the system's "save as" dialog, so the user picks
 * the folder or app); the desktop's and the tests' is [KeepInFolder].
 */
fun interface ExportSaver {
    /**
     * Offers [file] (a temporary file in the app's export folder) to the
     * user as [name], of [mediaType]; returns where it was kept, as the
     * user knows it, or null when they cancelled. It takes the file: what
     * it does not keep, it deletes (health data does not linger in a cache).
     */
    suspend fun save(file: File, name: String, mediaType: String): String?

    /** Keeps the file in the export folder under [name] (desktop, tests): its path is where it was saved. A backup kept so is what [DocumentOpener.NewestInFolder] restores. */
    object KeepInFolder : ExportSaver {
        override suspend fun save(file: File, name: String, mediaType: String): String {
            val kept = File(file.parentFile, name)
            // Replacing an export of the same days (File.renameTo would not on Windows).
            Files.move(file.toPath(), kept.toPath(), StandardCopyOption.REPLACE_EXISTING)
            return kept.path
        }
    }
}
