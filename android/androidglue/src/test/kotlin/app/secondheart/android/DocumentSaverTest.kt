package app.secondheart.android

import android.content.Intent
import android.net.Uri
import android.provider.OpenableColumns
import java.io.ByteArrayOutputStream
import java.io.IOException
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.fakes.RoboCursor

/** An export offered through the system's "save as" dialog: saved where the user chose, or nowhere. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class DocumentSaverTest {
    @get:Rule
    val dir = TemporaryFolder()

    private val context = RuntimeEnvironment.getApplication()
    private val document = Uri.parse("content://com.android.externalstorage.documents/document/primary%3ADownload%2Fexport.csv")

    private fun export() = dir.newFile("second-heart-days-2026-10-23-to-2026-11-21.csv").apply { writeText("date,steps\n2026-11-21,8000\n") }

    @Test
    fun `the export is written where the user chose, under the name they see, and leaves the cache`() {
        val written = ByteArrayOutputStream()
        shadowOf(context.contentResolver).registerOutputStream(document, written)
        shadowOf(context.contentResolver).setCursor(
            document,
            RoboCursor().apply {
                setColumnNames(listOf(OpenableColumns.DISPLAY_NAME))
                setResults(arrayOf(arrayOf<Any>("second-heart-days-2026-10-23-to-2026-11-21.csv")))
            },
        )
        val saver = DocumentSaver(context)
        var asked: Intent? = null
        saver.open = { intent ->
            asked = intent
            saver.picked(document)
        }
        val file = export()
        val saved = runBlocking { saver.save(file, file.name, "text/csv") }

        assertEquals(Intent.ACTION_CREATE_DOCUMENT, asked?.action)
        assertEquals("text/csv", asked?.type)
        assertEquals(file.name, asked?.getStringExtra(Intent.EXTRA_TITLE))
        assertEquals("second-heart-days-2026-10-23-to-2026-11-21.csv", saved)
        assertEquals("date,steps\n2026-11-21,8000\n", written.toString(Charsets.UTF_8))
        assertFalse("the cache keeps no copy", file.exists())
    }

    @Test
    fun `backing out of the dialog saves nothing and leaves no copy`() {
        val saver = DocumentSaver(context)
        saver.open = { saver.picked(null) }
        val file = export()
        assertNull(runBlocking { saver.save(file, file.name, "text/csv") })
        assertFalse(file.exists())
    }

    @Test
    fun `with no screen to ask on, the export is refused in words and not kept`() {
        val file = export()
        val refused = assertThrows(IOException::class.java) { runBlocking { DocumentSaver(context).save(file, file.name, "text/csv") } }
        assertEquals("open Second Heart to choose where the export goes", refused.message)
        assertFalse(file.exists())
    }

    @Test
    fun `a dialog that cannot open fails the export in words and keeps no copy`() {
        val saver = DocumentSaver(context)
        saver.open = { saver.failed(android.content.ActivityNotFoundException("No Activity found to handle Intent")) }
        val file = export()
        val refused = assertThrows(IOException::class.java) { runBlocking { saver.save(file, file.name, "text/csv") } }
        assertEquals("the save dialog did not open (No Activity found to handle Intent)", refused.message)
        assertFalse(file.exists())
    }
}
