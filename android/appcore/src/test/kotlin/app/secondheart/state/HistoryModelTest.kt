package app.secondheart.state

import app.secondheart.core.AppClock
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/** History's week: steps another app counted are told apart from those recorded here. */
class HistoryModelTest : AppTest() {
    private val core by lazy { Core(app, AppClock()) }

    private fun history() = HistoryModel(core, Formats(Locale.UK), scope, Dispatchers.IO)

    private fun HistoryModel.steps(): ChartUi = runBlocking {
        refresh()
        state.value.charts.first { it.title == "Steps" }
    }

    @Test
    fun `imported steps are the lighter part of their days' bars and named under the chart`() {
        val today = core.today()
        val twoDaysAgo = today.minusDays(2)
        val start = twoDaysAgo.atTime(10, 0).atZone(core.zone()).toInstant()
        app.sessions().logWalk(start, null, 30 * 60, 3_000)
        assertNull(history().steps().note, "nothing imported, nothing to tell apart")

        val file = dir.resolve("pedometer.csv").toFile()
        file.writeText("date,steps\n$twoDaysAgo,5000\n${today.minusDays(1)},6000\n")
        app.data().importStepsFile(file.path, "pedometer.csv")

        val steps = history().steps()
        val bars = steps.bars.takeLast(3)
        assertEquals(listOf(5_000f, 6_000f, 0f), bars.map { it.value }, "a day counts the file's total where it is higher")
        assertEquals(listOf(2_000f, 6_000f, 0f), bars.map { it.imported }, "only what the walk did not record is imported")
        assertEquals("Lighter: 8,000 steps imported from a file", steps.note)
    }
}
