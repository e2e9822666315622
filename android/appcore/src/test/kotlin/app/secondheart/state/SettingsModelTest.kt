package app.secondheart.state

import app.secondheart.core.AppClock
import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Settings' export: what the user is told, one export at a time, and no health data left behind. */
class SettingsModelTest : AppTest() {
    private val exports by lazy { dir.resolve("exports").toFile() }

    private fun settings(saver: ExportSaver) = SettingsModel(Core(app, AppClock()), Formats(), exports, scope, Dispatchers.IO, saver)

    /** Waits until the screen shows a message that [done] accepts, and returns it. */
    private fun SettingsModel.awaitMessage(done: (String) -> Boolean): String = runBlocking {
        withTimeout(10_000) {
            while (state.value.message?.let(done) != true || state.value.exporting) delay(10)
        }
        state.value.message!!
    }

    private fun leftovers() = exports.listFiles().orEmpty().map(File::getName)

    @Test
    fun `an export the user cancels saves nothing and leaves nothing in the cache`() {
        val model = settings { _, _, _ -> null }
        model.export()
        assertEquals("Export cancelled: nothing was saved", model.awaitMessage { it.startsWith("Export") })
        assertEquals(emptyList<String>(), leftovers())
    }

    @Test
    fun `a place that refuses the file is said in words, whatever it throws`() {
        for (refusal in listOf(IOException("the memory card is full"), SecurityException("the memory card is full"))) {
            val model = settings { _, _, _ -> throw refusal }
            model.export()
            assertEquals("Could not save the export: the memory card is full", model.awaitMessage { it.startsWith("Could not") })
            assertEquals(emptyList<String>(), leftovers(), "$refusal")
        }
    }

    @Test
    fun `a second tap while the save dialog is open does not start a second export`() {
        val asked = AtomicInteger()
        val answer = CompletableDeferred<String?>()
        val model = settings { file, name, _ ->
            asked.incrementAndGet()
            answer.await()?.also { file.copyTo(File(exports, "saved-$name")) }
        }
        model.chooseExportFormat("CSV_DAYS")
        model.export()
        runBlocking { withTimeout(10_000) { while (asked.get() == 0) delay(10) } }
        assertTrue(model.state.value.exporting, "the button shows the export running")
        model.export()
        answer.complete("Downloads")
        val said = model.awaitMessage { it.startsWith("Saved") }
        assertEquals(1, asked.get(), "one dialog")
        assertEquals("Saved 30 days to Downloads", said)
        val saved = leftovers().single()
        assertTrue(Regex("saved-second-heart-days-.*\\.csv").matches(saved), saved)
    }

    @Test
    fun `an export left half-way by a stopped app is removed when Settings opens`() {
        exports.mkdirs()
        File(exports, "export-123.tmp").writeText("{}")
        File(exports, "export-123.partial").writeText("{}")
        File(exports, "second-heart-2026-10-23-to-2026-11-21.json").writeText("{}")
        settings(ExportSaver.KeepInFolder)
        runBlocking { withTimeout(10_000) { while (leftovers().size > 1) delay(10) } }
        assertEquals(listOf("second-heart-2026-10-23-to-2026-11-21.json"), leftovers(), "what the user kept stays")
    }

    @Test
    fun `an export folder that cannot be written is said in words, not a crash`() {
        exports.parentFile.mkdirs()
        exports.writeText("a file where the folder should be")
        val model = settings(ExportSaver.KeepInFolder)
        model.export()
        assertTrue(model.awaitMessage { it.startsWith("Could not") }.startsWith("Could not write the export: "))
        assertEquals("a file where the folder should be", exports.readText())
    }
}
