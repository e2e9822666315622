package app.secondheart.core

import java.nio.file.Path
import java.time.Duration
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets

/**
 * What a Health Connect or HealthKit writer reads: a day's finished sets and
 * drinks, each with its times (docs/health-platforms.md).
 */
class DayListsApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T09:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `a day's finished sets come with their times, kind and reps - abandoned sets do not`() {
        val sessions = core.sessions()
        sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        repeat(12) {
            clock.advance(Duration.ofSeconds(5))
            sessions.record(SessionEvent.Rep(1.0))
        }
        sessions.record(SessionEvent.Finish)

        clock.setLocal("2026-11-21T15:00")
        sessions.startSet(SessionKind.ANKLE_PUMPS, SetTargets())
        clock.advance(Duration.ofMinutes(1))
        sessions.record(SessionEvent.Pumps(30u))
        sessions.record(SessionEvent.Finish)

        clock.setLocal("2026-11-21T16:00")
        sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        clock.advance(Duration.ofSeconds(10))
        sessions.record(SessionEvent.Abandon)

        val sets = sessions.setsOn("2026-11-21")
        assertEquals(listOf(SessionKind.CALF_RAISES, SessionKind.ANKLE_PUMPS), sets.map { it.kind })
        assertEquals(listOf(12u, 30u), sets.map { it.reps })
        assertEquals(berlin("2026-11-21T09:00"), sets[0].started)
        assertEquals(berlin("2026-11-21T09:01"), sets[0].ended)
        assertEquals(berlin("2026-11-21T15:00"), sets[1].started)
        assertEquals(berlin("2026-11-21T15:01"), sets[1].ended)
        assertFalse(sets.any { it.fromSensor }, "the phone recorded them")
        assertEquals(1u, core.today().view().summary.calfRaiseSets, "the calf-raise set the list holds")
        assertTrue(sessions.setsOn("2026-11-20").isEmpty())
    }

    @Test
    fun `a day's drinks come with their times and add up to the hydration ring`() {
        val sessions = core.sessions()
        clock.setLocal("2026-11-21T08:15")
        sessions.drink(250u)
        clock.setLocal("2026-11-21T12:40")
        sessions.drink(500u)
        // 00:30 the next morning in Berlin: another day.
        clock.setLocal("2026-11-22T00:30")
        sessions.drink(200u)

        val drinks = sessions.drinksOn("2026-11-21")
        assertEquals(listOf(250u, 500u), drinks.map { it.ml })
        assertEquals(listOf(berlin("2026-11-21T08:15"), berlin("2026-11-21T12:40")), drinks.map { it.at })
        assertEquals(750u, core.history().days("2026-11-21", "2026-11-21").days.single().hydrationMl)
        assertEquals(listOf(200u), sessions.drinksOn("2026-11-22").map { it.ml })
    }

    @Test
    fun `a date that is not one is refused with the field named`() {
        val error = assertThrows<SecondHeartException.InvalidInput> { core.sessions().drinksOn("2026-02-30") }
        assertEquals("date", error.field)
        assertThrows<SecondHeartException.InvalidInput> { core.sessions().setsOn("yesterday") }
    }
}
