package app.secondheart.android

import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import app.secondheart.state.DocumentKind
import java.io.ByteArrayOutputStream
import java.io.IOException
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.fakes.RoboCursor

/** Exports and backups offered through the system's "save as" dialog (saved where the user chose, or nowhere), and a backup or a file of steps picked in its "open" dialog. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class DocumentDialogsTest {
    @get:Rule
    val dir = TemporaryFolder()

    private val context = RuntimeEnvironment.getApplication()
    private val document = Uri.parse("content://com.android.externalstorage.documents/document/primary%3ADownload%2Fexport.csv")

    /** The provider names [uri] [name], as the user sees it. */
    private fun named(uri: Uri, name: String) = shadowOf(context.contentResolver).setCursor(
        uri,
        RoboCursor().apply {
            setColumnNames(listOf(OpenableColumns.DISPLAY_NAME))
            setResults(arrayOf(arrayOf<Any>(name)))
        },
    )

    /** Dialogs whose every dialog the user answers with [document]; what they were asked lands in [asked]. */
    private fun answering(document: Uri?, asked: MutableList<Intent>) = DocumentDialogs(context).also { dialogs ->
        dialogs.open = { intent ->
            asked += intent
            assertTrue("the export, backup, restore or import waits for it", dialogs.picked(document))
        }
    }

    @Test
    fun `a pick nothing waits for, after the app was restarted behind the dialog, is told apart`() {
        assertFalse(DocumentDialogs(context).picked(document))
    }

    private fun export() = dir.newFile("second-heart-days-2026-10-23-to-2026-11-21.csv").apply { writeText("date,steps\n2026-11-21,8000\n") }

    @Test
    fun `the export is written where the user chose, under the name they see, and leaves the cache`() {
        val written = ByteArrayOutputStream()
        shadowOf(context.contentResolver).registerOutputStream(document, written)
        named(document, "second-heart-days-2026-10-23-to-2026-11-21.csv")
        val asked = mutableListOf<Intent>()
        val saver = answering(document, asked)
        val file = export()
        val saved = runBlocking { saver.save(file, file.name, "text/csv") }

        val dialog = asked.single()
        assertEquals(Intent.ACTION_CREATE_DOCUMENT, dialog.action)
        assertEquals("text/csv", dialog.type)
        assertEquals(file.name, dialog.getStringExtra(Intent.EXTRA_TITLE))
        assertEquals("second-heart-days-2026-10-23-to-2026-11-21.csv", saved)
        assertEquals("date,steps\n2026-11-21,8000\n", written.toString(Charsets.UTF_8))
        assertFalse("the cache keeps no copy", file.exists())
    }

    @Test
    fun `backing out of the dialog saves nothing and leaves no copy`() {
        val saver = DocumentDialogs(context)
        saver.open = { saver.picked(null) }
        val file = export()
        assertNull(runBlocking { saver.save(file, file.name, "text/csv") })
        assertFalse(file.exists())
    }

    @Test
    fun `with no screen to ask on, the export is refused in words and not kept`() {
        val file = export()
        val refused = assertThrows(IOException::class.java) { runBlocking { DocumentDialogs(context).save(file, file.name, "text/csv") } }
        assertEquals("open Second Heart to choose where the file goes", refused.message)
        assertFalse(file.exists())
    }

    @Test
    fun `a dialog that cannot open fails the export in words and keeps no copy`() {
        val saver = DocumentDialogs(context)
        saver.open = { saver.failed(android.content.ActivityNotFoundException("No Activity found to handle Intent")) }
        val file = export()
        val refused = assertThrows(IOException::class.java) { runBlocking { saver.save(file, file.name, "text/csv") } }
        assertEquals("the file dialog did not open (No Activity found to handle Intent)", refused.message)
        assertFalse(file.exists())
    }

    @Test
    fun `a backup picked in the open dialog is copied for the restore`() {
        val backup = Uri.parse("content://com.android.providers.downloads.documents/document/42")
        shadowOf(context.contentResolver).registerInputStream(backup, "SQLite format 3\u0000…".byteInputStream())
        val asked = mutableListOf<Intent>()
        val dialogs = answering(backup, asked)
        val into = dir.newFile("export-1.tmp")
        assertEquals("the document's own name when the provider gives none", "42", runBlocking { dialogs.open(into, DocumentKind.BACKUP) })
        assertEquals(Intent.ACTION_OPEN_DOCUMENT, asked.single().action)
        assertEquals(
            listOf("application/vnd.sqlite3", "application/x-sqlite3", "application/octet-stream"),
            asked.single().getStringArrayExtra(Intent.EXTRA_MIME_TYPES)?.toList(),
        )
        assertEquals("SQLite format 3\u0000…", into.readText())
    }

    @Test
    fun `backing out of the open dialog restores nothing, and with no screen to ask on it says so`() {
        val dialogs = answering(null, mutableListOf())
        val into = dir.newFile("export-2.tmp")
        assertNull(runBlocking { dialogs.open(into, DocumentKind.BACKUP) })
        val refused = assertThrows(IOException::class.java) { runBlocking { DocumentDialogs(context).open(into, DocumentKind.BACKUP) } }
        assertEquals("open Second Heart to choose the backup", refused.message)
    }

    @Test
    fun `a file of steps picked in the open dialog is copied for the import, under the name the user knows`() {
        val steps = Uri.parse("content://com.android.externalstorage.documents/document/primary%3ADownload%2Fpedometer.csv")
        shadowOf(context.contentResolver).registerInputStream(steps, "date,steps\n2026-11-30,8000\n".byteInputStream())
        named(steps, "pedometer.csv")
        val asked = mutableListOf<Intent>()
        val dialogs = answering(steps, asked)
        val into = dir.newFile("export-3.tmp")
        assertEquals("pedometer.csv", runBlocking { dialogs.open(into, DocumentKind.STEPS) })
        assertEquals(Intent.ACTION_OPEN_DOCUMENT, asked.single().action)
        assertEquals(listOf("text/csv", "text/comma-separated-values", "application/csv", "text/plain"), asked.single().getStringArrayExtra(Intent.EXTRA_MIME_TYPES)?.toList())
        assertEquals("date,steps\n2026-11-30,8000\n", into.readText())
        assertEquals("open Second Heart to choose the file of steps", assertThrows(IOException::class.java) { runBlocking { DocumentDialogs(context).open(into, DocumentKind.STEPS) } }.message)
    }
}
