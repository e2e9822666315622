package app.secondheart.core

import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.util.Locale
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart

class TodayCardTest {
    @TempDir
    lateinit var dir: Path

    private val clock = Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), ZoneId.of("Europe/Berlin"))

    private fun today(steps: Long) =
        SecondHeart.open(dir.resolve("$steps.db").toString(), AppClock(clock)).use { core ->
            core.sessions().logWalk(Instant.parse("2026-11-21T08:00:00Z"), null, 5400, steps)
            core.today().view()
        }

    @Test
    fun `formats the core's Today for the home screen`() {
        val card = TodayCard.from(today(12_300), Locale.UK)
        assertEquals("Saturday 21 November", card.title)
        assertEquals("12,300 of 7,000 steps", card.steps)
        assertEquals("90 of 30 active minutes", card.active)
    }

    @Test
    fun `uses the locale's words and digit grouping`() {
        val card = TodayCard.from(today(3_200), Locale.GERMANY)
        assertEquals("Samstag 21 November", card.title)
        assertEquals("3.200 of 7.000 steps", card.steps)
    }
}
