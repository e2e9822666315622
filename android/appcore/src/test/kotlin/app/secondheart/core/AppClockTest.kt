package app.secondheart.core

import java.nio.file.Path
import java.util.TimeZone
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart

/** The phone's clock as the core reads it. */
class AppClockTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the phone's zone reaches the core when the traveller's phone changes it, not at the next start`() {
        val before = TimeZone.getDefault()
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"))
            val clock = AppClock()
            SecondHeart.open(dir.resolve("second-heart.db").toString(), clock).use { app ->
                assertEquals("Europe/Berlin", clock.timeZone())
                assertEquals(listOf("Europe/Berlin"), app.today().view().timeZones)
                // Landed in Los Angeles: the phone switches its zone while the app runs.
                TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"))
                assertEquals("America/Los_Angeles", clock.timeZone())
                assertEquals("America/Los_Angeles", app.today().view().timeZones.last())
            }
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"))
            assertEquals("UTC", AppClock().timeZone())
        } finally {
            TimeZone.setDefault(before)
        }
    }

    @Test
    fun `a phone on a fixed offset opens the core in the IANA zone of that offset`() {
        val at = java.time.Instant.parse("2026-12-04T09:00:00Z")
        val named = mapOf(
            "Etc/GMT-3" to "Etc/GMT-3",
            "GMT+03:00" to "Etc/GMT-3",
            "+03:00" to "Etc/GMT-3",
            "-05:00" to "Etc/GMT+5",
            "Z" to "UTC",
            "UTC" to "UTC",
            "GMT" to "UTC",
            "Etc/UTC" to "UTC",
            "Asia/Kolkata" to "Asia/Kolkata",
        )
        for ((phone, core) in named) {
            val clock = AppClock(java.time.Clock.fixed(at, java.time.ZoneId.of(phone)))
            assertEquals(core, clock.timeZone(), phone)
            // It had failed to open ("unknown time zone +03:00"): the app could not start.
            SecondHeart.open(dir.resolve("$core.db".replace('/', '_')).toString(), clock).use { app ->
                assertEquals(core, app.today().view().timeZones.last(), phone)
            }
        }
    }
}
