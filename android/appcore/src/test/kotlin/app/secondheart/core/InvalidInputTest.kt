package app.secondheart.core

import java.io.RandomAccessFile
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
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

    private fun open(name: String = "second-heart.db") =
        SecondHeart.open(dir.resolve(name).toString(), AppClock(Clock.fixed(now, ZoneId.of("UTC"))))

    @Test
    fun `a negative duration is a typed exception with a clear message and writes nothing`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.sessions().logWalk(start, "Europe/Berlin", -300, 100)
            }
            assertEquals("invalid duration: a walk must last longer than zero (got -5 min)", error.toString())
            assertEquals("duration", error.field)
            assertEquals("invalid_input", error.code())
            assertEquals(0u, core.today().view().summary.steps)
        }
    }

    @Test
    fun `an implausible step count is refused with the cadence it implies`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.sessions().logWalk(start, "Europe/Berlin", 300, 50_000)
            }
            assertTrue(error.reason.contains("10000 steps a minute"), error.reason)
        }
    }

    @Test
    fun `a walk that has not ended yet is refused`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> {
                core.sessions().logWalk(now.minusSeconds(600), "UTC", 3600, 5000)
            }
            assertTrue(error.reason.contains("in the future"), error.reason)
        }
    }

    @Test
    fun `an unknown zone or a malformed date are typed exceptions`() {
        open().use { core ->
            val zone = assertThrows<SecondHeartException.InvalidInput> {
                core.sessions().logWalk(start, "Europe/Atlantis", 600, 100)
            }
            assertEquals("time zone", zone.field)
            val date = assertThrows<SecondHeartException.InvalidInput> { core.history().days("21.11.2026", "2026-11-22") }
            assertEquals("date", date.field)
        }
    }

    @Test
    fun `a file that is not a database is reported as damaged`() {
        val path = dir.resolve("notes.db")
        Files.writeString(path, "shopping list: socks, water, snacks\n".repeat(200))
        val error = assertThrows<SecondHeartException.DatabaseCorrupt> { open("notes.db") }
        assertTrue(error.path.endsWith("notes.db"), error.path)
        assertEquals("database_corrupt", error.code())
    }

    @Test
    fun `a database from a newer app version is refused and the user told to update`() {
        // Services share the database: close them with the handle so the file is released.
        open("newer.db").use { core -> core.sessions().use { it.logWalk(start, "UTC", 600, 1000) } }
        // The schema version lives in the SQLite header, 4 bytes big-endian at offset 60.
        RandomAccessFile(dir.resolve("newer.db").toFile(), "rw").use {
            it.seek(60)
            it.writeInt(latestSchemaVersion().toInt() + 1)
        }
        val error = assertThrows<SecondHeartException.DatabaseTooNew> { open("newer.db") }
        assertEquals(latestSchemaVersion() + 1u, error.found)
        assertTrue(error.toString().contains("update the app"), error.toString())
    }
}
