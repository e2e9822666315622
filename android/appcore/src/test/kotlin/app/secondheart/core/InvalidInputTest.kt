package app.secondheart.core

import java.io.RandomAccessFile
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.latestSchemaVersion

class InvalidInputTest {
    @TempDir
    lateinit var dir: Path

    private val start = Instant.parse("2026-11-21T08:00:00Z")
    private val now = Instant.parse("2026-11-21T20:00:00Z")

    private fun open(name: String = "second-heart.db") = SecondHeart.open(dir.resolve(name).toString())

    @Test
    fun `a negative duration is a typed exception with a clear message and writes nothing`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.logWalk(start, "Europe/Berlin", -300, 100, now)
            }
            assertEquals("invalid duration: a walk must last longer than zero (got -5 min)", error.message)
            assertEquals(0u, core.daySummary("2026-11-21", "Europe/Berlin").walks)
        }
    }

    @Test
    fun `an implausible step count is refused with the cadence it implies`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.logWalk(start, "Europe/Berlin", 300, 50_000, now)
            }
            assertTrue(error.message!!.contains("10000 steps a minute"), error.message)
        }
    }

    @Test
    fun `the repository turns a refusal into a message for the form`() = runBlocking {
        open().use { core ->
            val outcome = WalkRepository(core, clock = Clock.fixed(now, ZoneId.of("UTC"))).logWalk(start, ZoneId.of("UTC"), Duration.ofMinutes(-5), 10)
            val reason = (outcome as LogWalkOutcome.Rejected).reason
            assertTrue(reason.contains("longer than zero"), reason)
        }
    }

    @Test
    fun `a walk that has not ended yet is refused`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.logWalk(now.minusSeconds(600), "UTC", 3600, 5000, now)
            }
            assertTrue(error.message!!.contains("in the future"), error.message)
        }
    }

    @Test
    fun `an unknown zone or a malformed date are typed exceptions`() {
        open().use { core ->
            assertThrows<SecondHeartException.UnknownTimeZone> { core.daySummary("2026-11-21", "Europe/Atlantis") }
            assertThrows<SecondHeartException.InvalidInput> { core.daySummary("21.11.2026", "UTC") }
        }
    }

    @Test
    fun `a file that is not a database is reported as damaged`() {
        val path = dir.resolve("notes.db")
        Files.writeString(path, "shopping list: socks, water, snacks\n".repeat(200))
        val error = assertThrows<SecondHeartException.DatabaseCorrupt> { SecondHeart.open(path.toString()) }
        assertTrue(error.message!!.contains("notes.db"), error.message)
    }

    @Test
    fun `a database from a newer app version is refused and the user told to update`() {
        open("newer.db").use { it.logWalk(start, "UTC", 600, 1000, now) }
        // The schema version lives in the SQLite header, 4 bytes big-endian at offset 60.
        RandomAccessFile(dir.resolve("newer.db").toFile(), "rw").use {
            it.seek(60)
            it.writeInt(latestSchemaVersion().toInt() + 1)
        }
        val error = assertThrows<SecondHeartException.DatabaseTooNew> { open("newer.db") }
        assertTrue(error.message!!.contains("update the app"), error.message)
    }
}
