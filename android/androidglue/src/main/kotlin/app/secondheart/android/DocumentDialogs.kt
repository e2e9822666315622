package app.secondheart.android

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import app.secondheart.state.DocumentKind
import app.secondheart.state.DocumentOpener
import app.secondheart.state.ExportSaver
import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Android's [ExportSaver] and [DocumentOpener]: the system's document dialogs
 * (the Storage Access Framework). "Save as" (`ACTION_CREATE_DOCUMENT`) lets
 * the user pick where an export or a backup goes: a folder on the phone, a
 * memory card, or another app's storage; nothing leaves the phone unless
 * they pick so. "Open" (`ACTION_OPEN_DOCUMENT`) lets them pick the backup
 * to restore, or a file of steps to import. The activity opens a dialog (the property [DocumentDialogs.open], set while it is shown)
 * and hands its answer to [picked], or to [failed] when the dialog could
 * not open. One dialog at a time: one left open counts as cancelled when
 * the next opens.
 */
class DocumentDialogs(private val context: Context, private val io: CoroutineDispatcher = Dispatchers.IO) : ExportSaver, DocumentOpener {
    /** Set by the activity while it is shown: starts the dialog's [Intent] and later calls [picked]. */
    @Volatile
    var open: ((Intent) -> Unit)? = null

    /** The answer awaited from the dialog now open. */
    private val waiting = AtomicReference<CompletableDeferred<Uri?>?>(null)

    override suspend fun save(file: File, name: String, mediaType: String): String? {
        try {
            val document = ask(createDocument(name, mediaType), "open Second Heart to choose where the file goes") ?: return null
            return withContext(io) { copy(file, document) }
        } finally {
            // The copy in the app's cache is deleted either way.
            file.delete()
        }
    }

    override suspend fun open(into: File, kind: DocumentKind): String? {
        val what = when (kind) {
            DocumentKind.BACKUP -> "the backup"
            DocumentKind.STEPS -> "the file of steps"
        }
        val document = ask(openDocument(kind), "open Second Heart to choose $what") ?: return null
        return withContext(io) {
            copyFrom(document, into)
            // The copy is what counts: a provider that will not name the file does not undo it.
            runCatching { displayName(document) }.getOrNull() ?: document.lastPathSegment ?: "the file chosen"
        }
    }

    /** Shows [intent]'s dialog and waits for its answer: the document picked, or null when the user backed out. */
    private suspend fun ask(intent: Intent, noScreen: String): Uri? {
        val open = open ?: throw IOException(noScreen)
        val answer = CompletableDeferred<Uri?>()
        waiting.getAndSet(answer)?.complete(null)
        try {
            open(intent)
            return answer.await()
        } finally {
            // No one waits for it any more (answered, or the action cancelled): a late pick is told apart.
            waiting.compareAndSet(answer, null)
        }
    }

    /**
     * The dialog's answer: the document the user picked, or null when they
     * backed out. False when nothing waited for it: Android ended the app
     * behind the dialog and started it again for the answer, and the
     * export, backup, restore or import that asked is gone (the screen
     * should say so, or the pick looks done).
     */
    fun picked(document: Uri?): Boolean = waiting.getAndSet(null)?.complete(document) != null

    /** The dialog could not open (no app offers it, or the screen went away): the export, backup, restore or import fails in words. */
    fun failed(reason: Exception) {
        waiting.getAndSet(null)?.completeExceptionally(IOException("the file dialog did not open (${reason.message ?: reason.javaClass.simpleName})", reason))
    }

    /** Writes [file] into [document], replacing what it held; returns the name the user sees it under. */
    private fun copy(file: File, document: Uri): String {
        // "w" (a new document is empty): every provider takes it, not all "wt".
        val output = context.contentResolver.openOutputStream(document, "w")
            ?: throw IOException("the place chosen cannot be written to")
        output.use { out -> file.inputStream().use { it.copyTo(out) } }
        return displayName(document) ?: document.lastPathSegment ?: "the place chosen"
    }

    /** Copies [document] into [file], replacing what it held. */
    private fun copyFrom(document: Uri, file: File) {
        val input = context.contentResolver.openInputStream(document)
            ?: throw IOException("the file chosen cannot be read")
        input.use { source -> file.outputStream().use { source.copyTo(it) } }
    }

    private fun displayName(document: Uri): String? =
        context.contentResolver.query(document, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { row ->
            if (row.moveToFirst()) row.getString(0) else null
        }

    companion object {
        /** The "save as" dialog for a file called [name] of [mediaType]. */
        fun createDocument(name: String, mediaType: String): Intent =
            Intent(Intent.ACTION_CREATE_DOCUMENT)
                .addCategory(Intent.CATEGORY_OPENABLE)
                .setType(mediaType)
                .putExtra(Intent.EXTRA_TITLE, name)

        /**
         * The "open" dialog for a file of [kind]. A backup is an SQLite
         * file, which providers label by its registered type, an older
         * unofficial one, or as bytes; steps are a CSV file, labelled as
         * CSV under one of its names or as plain text.
         */
        fun openDocument(kind: DocumentKind): Intent =
            Intent(Intent.ACTION_OPEN_DOCUMENT)
                .addCategory(Intent.CATEGORY_OPENABLE)
                .setType("*/*")
                .putExtra(Intent.EXTRA_MIME_TYPES, mediaTypes(kind).toTypedArray())

        /** The media types the "open" dialog offers for a file of [kind]. */
        fun mediaTypes(kind: DocumentKind): List<String> = when (kind) {
            DocumentKind.BACKUP -> listOf("application/vnd.sqlite3", "application/x-sqlite3", "application/octet-stream")
            DocumentKind.STEPS -> listOf("text/csv", "text/comma-separated-values", "application/csv", "text/plain")
        }
    }
}
