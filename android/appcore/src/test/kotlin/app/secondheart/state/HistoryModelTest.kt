package app.secondheart.state

import app.secondheart.core.AppClock
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.second_heart.SecondHeart

/** History's week: steps another app counted are told apart from those recorded here. */
class HistoryModelTest : AppTest() {
    /** Tuesday 1 December 2026, 15:30 in Berlin, whenever the test runs. */
    private val clock = AppClock(Clock.fixed(Instant.parse("2026-12-01T14:30:00Z"), ZoneId.of("Europe/Berlin")))
    private val tuesday by lazy { SecondHeart.open(dir.resolve("tuesday.db").toString(), clock) }
    private val core by lazy { Core(tuesday, clock) }

    @AfterEach
    fun closeTuesday() = tuesday.close()

    private fun history() = HistoryModel(core, Formats(Locale.UK), scope, Dispatchers.IO)

    private fun HistoryModel.steps(): ChartUi = runBlocking {
        refresh()
        state.value.charts.first { it.title == "Steps" }
    }

    @Test
    fun `imported steps are the lighter part of their days' bars and named under the chart`() {
        // A walk on Sunday, 3,000 steps.
        tuesday.sessions().logWalk(Instant.parse("2026-11-29T09:00:00Z"), null, 30 * 60, 3_000)
        assertNull(history().steps().note, "nothing imported, nothing to tell apart")

        val file = dir.resolve("pedometer.csv").toFile()
        file.writeText("date,steps\n2026-11-29,5000\n2026-11-30,6000\n")
        tuesday.data().importStepsFile(file.path, "pedometer.csv")

        val steps = history().steps()
        val bars = steps.bars.takeLast(3)
        assertEquals(listOf("Sun", "Mon", "Tue"), bars.map { it.label })
        assertEquals(listOf(5_000f, 6_000f, 0f), bars.map { it.value }, "a day counts the file's total where it is higher")
        assertEquals(listOf(2_000f, 6_000f, 0f), bars.map { it.imported }, "only what the walk did not record is imported")
        assertEquals("Includes 8,000 steps imported from a file (the lighter part of a bar)", steps.note)
        // The average day is over the two days recorded (today, under way, left out), not the week's seven.
        assertEquals("5,500 a day on average over 2 days", steps.summary)
        // Monday's steps came as a total, with no minutes: the active minutes are Sunday's walk's alone.
        val sunday = tuesday.history().periods(uniffi.second_heart.Grouping.DAY, 3u).first { it.first == "2026-11-29" }
        assertTrue(sunday.activeMinutes > 0u, "$sunday")
        val active = history().let { model -> runBlocking { model.refresh() }; model.state.value }.charts.first { it.title == "Active minutes" }
        assertEquals("${sunday.activeMinutes} min a day on average over 1 day", active.summary, "the day the minutes were recorded, said")
    }

    @Test
    fun `a day names every sixth hour under its bars and a month every seventh day`() {
        val model = history()
        fun await(range: HistoryRange): HistoryUi = runBlocking {
            model.show(range)
            withTimeout(20_000) { model.state.first { it.range == range && it.charts.isNotEmpty() } }
        }
        val day = await(HistoryRange.Day)
        for (chart in day.charts) {
            assertEquals(24, chart.bars.size, chart.title)
            assertEquals(listOf("00", "06", "12", "18"), chart.bars.map { it.label }.filter { it.isNotEmpty() }, chart.title)
        }
        // The month's 30 days to Tuesday 1 December: 2, 9, 16, 23 and 30 November named.
        val month = await(HistoryRange.Month)
        for (chart in month.charts) {
            assertEquals(listOf("2", "9", "16", "23", "30"), chart.bars.map { it.label }.filter { it.isNotEmpty() }, chart.title)
        }
        val week = await(HistoryRange.Week)
        assertEquals(listOf("Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"), week.charts.first().bars.map { it.label })
    }

    /** Tuesday's instant in a zone the test can change: one the core cannot read makes every read fail. */
    private class MovingClock(@Volatile var where: ZoneId) : Clock() {
        override fun instant(): Instant = Instant.parse("2026-12-01T14:30:00Z")
        override fun getZone(): ZoneId = where
        override fun withZone(zone: ZoneId): Clock = MovingClock(zone)
    }

    @Test
    fun `a read that fails says why, with no other range's charts under it, and the next one clears it`() {
        val moving = MovingClock(ZoneId.of("Europe/Berlin"))
        val app = SecondHeart.open(dir.resolve("moving.db").toString(), AppClock(moving))
        try {
            val model = HistoryModel(Core(app, AppClock(moving)), Formats(Locale.UK), scope, Dispatchers.IO)
            fun await(what: String, test: (HistoryUi) -> Boolean): HistoryUi = runBlocking {
                withTimeout(20_000) { model.state.first(test) }
            }
            model.show(HistoryRange.Week)
            await("the week's charts") { it.range == HistoryRange.Week && it.charts.isNotEmpty() }

            // A zone by offset only, which no IANA name spells: the core refuses it.
            moving.where = ZoneId.of("+05:30")
            model.show(HistoryRange.Month)
            val failed = await("the error") { it.message != null }
            assertEquals(HistoryRange.Month, failed.range, "the range asked for")
            assertEquals(emptyList<ChartUi>(), failed.charts, "not the week's charts under the month's name")
            assertEquals("", failed.period)
            assertTrue(failed.message!!.contains("time zone"), failed.message)

            moving.where = ZoneId.of("Europe/Berlin")
            model.show(HistoryRange.Month)
            val month = await("the month's charts") { it.charts.isNotEmpty() }
            assertNull(month.message, "the error goes once a read succeeds")
            assertEquals(30, month.charts.first().bars.size)
        } finally {
            app.close()
        }
    }
}
