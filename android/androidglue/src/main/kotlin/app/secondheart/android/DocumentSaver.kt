package app.secondheart.android

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import app.secondheart.state.ExportSaver
import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Android's [ExportSaver]: the system's "save as" dialog (the Storage
 * Access Framework's `ACTION_CREATE_DOCUMENT`), where the user picks where
 * the export goes: a folder on the phone, a memory card, or another app's
 * storage. Nothing leaves the phone unless they pick so. The activity
 * opens the dialog ([open], set while it is shown) and hands its answer to
 * [picked], or to [failed] when the dialog could not open; the export's
 * copy in the app's cache is deleted either way.
 */
class DocumentSaver(private val context: Context, private val io: CoroutineDispatcher = Dispatchers.IO) : ExportSaver {
    /** Set by the activity while it is shown: starts the dialog's [Intent] and later calls [picked]. */
    @Volatile
    var open: ((Intent) -> Unit)? = null

    /** The answer awaited from the dialog now open. */
    private val waiting = AtomicReference<CompletableDeferred<Uri?>?>(null)

    override suspend fun save(file: File, name: String, mediaType: String): String? {
        try {
            val open = open ?: throw IOException("open Second Heart to choose where the export goes")
            val answer = CompletableDeferred<Uri?>()
            // A dialog left open before this one counts as cancelled.
            waiting.getAndSet(answer)?.complete(null)
            open(createDocument(name, mediaType))
            val document = answer.await() ?: return null
            return withContext(io) { copy(file, document) }
        } finally {
            file.delete()
        }
    }

    /** The dialog's answer: the document the user created, or null when they backed out. */
    fun picked(document: Uri?) {
        waiting.getAndSet(null)?.complete(document)
    }

    /** The dialog could not open (no app offers it, or the screen went away): the export fails in words. */
    fun failed(reason: Exception) {
        waiting.getAndSet(null)?.completeExceptionally(IOException("the save dialog did not open (${reason.message ?: reason.javaClass.simpleName})", reason))
    }

    /** Writes [file] into [document], replacing what it held; returns the name the user sees it under. */
    private fun copy(file: File, document: Uri): String {
        // "w" (a new document is empty): every provider takes it, not all "wt".
        val output = context.contentResolver.openOutputStream(document, "w")
            ?: throw IOException("the place chosen cannot be written to")
        output.use { out -> file.inputStream().use { it.copyTo(out) } }
        return displayName(document) ?: document.lastPathSegment ?: "the place chosen"
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
    }
}
