package app.secondheart.core

import java.nio.file.Path
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.Grouping
import uniffi.second_heart.MinuteRun
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException

/** History: days with streaks, weeks and months, and a day minute by minute. */
class HistoryApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T18:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
        core.sessions().logWalk(berlin("2026-11-20T08:00"), null, 5400, 9000)
        core.sessions().logWalk(berlin("2026-11-21T08:00"), null, 1800, 3200)
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `a day's minute series has 1,440 points from local midnight, with the walk in its minutes`() {
        val day = core.history().dayMinutes("2026-11-21")
        val minutes = day.minutes
        assertEquals(1440, minutes.size)
        // One run of consecutive minutes from local midnight.
        assertEquals(listOf(MinuteRun(berlin("2026-11-21T00:00"), 1440u)), day.runs)
        val walking = minutes.withIndex().filter { it.value.steps > 0u }
        assertEquals(30, walking.size)
        // Minute i starts i minutes after the run's start.
        assertEquals(berlin("2026-11-21T08:00"), day.runs.single().start.plusSeconds(60L * walking.first().index))
        assertEquals(3200L, walking.sumOf { it.value.steps.toLong() })
        assertTrue(minutes.none { it.fromSensor })
    }

    @Test
    fun `a day hour by hour adds up its minutes, with the local hour of each`() {
        val hours = core.history().dayByHour("2026-11-21")
        assertEquals((0..23).toList(), hours.map { it.localHour.toInt() })
        assertEquals(berlin("2026-11-21T08:00"), hours[8].start)
        assertEquals(3200u, hours[8].steps)
        assertEquals(3200L, hours.sumOf { it.steps.toLong() })
        // The night the clocks go back has 02:00 twice.
        assertEquals(listOf(0, 1, 2, 2, 3), core.history().dayByHour("2026-10-25").take(5).map { it.localHour.toInt() })
        assertThrows<SecondHeartException.InvalidInput> { core.history().dayByHour("2026-02-30") }
    }

    @Test
    fun `the spring-forward day has 1,380 minutes and the fall-back day 1,500 in Berlin`() {
        clock.setLocal("2026-03-29T20:00")
        SecondHeart.open(dir.resolve("spring.db").toString(), clock).use { spring ->
            spring.sessions().drink(200u)
            val day = spring.history().dayMinutes("2026-03-29")
            // 01:59 UTC+1 is followed by 03:00 UTC+2: one instant a minute, no gap, no repeat,
            // from midnight to the next midnight.
            assertEquals(1380, day.minutes.size)
            val run = day.runs.single()
            assertEquals(berlin("2026-03-29T00:00"), run.start)
            assertEquals(berlin("2026-03-30T00:00"), run.start.plusSeconds(60L * run.minutes.toLong()))
        }
        assertEquals(1500, core.history().dayMinutes("2026-10-25").minutes.size)
    }

    @Test
    fun `days come with their figures and the streaks`() {
        val history = core.history().days("2026-11-19", "2026-11-21")
        assertEquals(listOf("2026-11-19", "2026-11-20", "2026-11-21"), history.days.map { it.date })
        assertEquals(listOf(0u, 9000u, 3200u), history.days.map { it.steps })
        // Today (3,200 of 7,000 so far) is still under way: it does not break yesterday's run yet.
        assertEquals(1u, history.streaks.steps.currentDays)
        assertEquals(1u, history.streaks.steps.bestDays)
        assertEquals(2u, history.streaks.activeMinutes.currentDays)
    }

    @Test
    fun `weeks and months add the days up`() {
        val weeks = core.history().periods(Grouping.WEEK, 2u)
        assertEquals(listOf("2026-W46", "2026-W47"), weeks.map { it.key })
        assertEquals(12_200uL, weeks.last().steps)
        assertEquals(1u, weeks.last().daysStepsGoalMet)
        val months = core.history().periods(Grouping.MONTH, 1u)
        assertEquals("2026-11", months.single().key)
        assertEquals("2026-11-01", months.single().first)
        assertEquals(12_200uL, months.single().steps)
        assertEquals(7, core.history().periods(Grouping.DAY, 7u).size)
    }

    @Test
    fun `bad dates and counts are InvalidInput`() {
        assertThrows<SecondHeartException.InvalidInput> { core.history().dayMinutes("2026-02-30") }
        assertThrows<SecondHeartException.InvalidInput> { core.history().days("yesterday", "2026-11-21") }
        assertEquals("periods", assertThrows<SecondHeartException.InvalidInput> { core.history().periods(Grouping.DAY, 0u) }.field)
    }
}
