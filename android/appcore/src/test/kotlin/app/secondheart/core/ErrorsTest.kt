package app.secondheart.core

import app.secondheart.state.userMessage
import java.io.RandomAccessFile
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.Clock
import uniffi.second_heart.ExportFormat
import uniffi.second_heart.FixedClock
import uniffi.second_heart.ForeignException
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets
import uniffi.second_heart.latestSchemaVersion

/**
 * Every error the library can raise from an ordinary (non-Bluetooth) call,
 * with its structured fields and stable code. The sync errors
 * (SyncCancelled, SensorReset, WrongSensor, SyncGaveUp, Bluetooth) are
 * raised in [SensorsApiTest].
 */
class ErrorsTest {
    @TempDir
    lateinit var dir: Path

    private val noon = berlin("2026-11-21T12:00")

    private fun open(name: String = "second-heart.db", clock: Clock = SettableClock(noon)) =
        SecondHeart.open(dir.resolve(name).toString(), clock)

    /** A clock whose [now] or zone throws, as a broken app clock would. */
    private class BrokenClock(private val throwOnNow: () -> Throwable?, private val zone: () -> String = { "Europe/Berlin" }) : Clock {
        override fun now(): Instant = throwOnNow()?.let { throw it } ?: Instant.parse("2026-11-21T11:00:00Z")
        override fun timeZone(): String = zone()
    }

    @Test
    fun `InvalidInput names the field and the reason`() {
        open().use { core ->
            val error = assertThrows<SecondHeartException.InvalidInput> { core.sessions().drink(100_000u) }
            assertEquals("invalid_input", error.code())
            assertTrue(error.field.isNotBlank() && error.reason.isNotBlank())
            assertEquals("invalid ${error.field}: ${error.reason}", error.toString())
        }
    }

    @Test
    fun `an unknown zone from the app clock is the clock's failure at open, and InvalidInput where the app passes it`() {
        val error = assertThrows<SecondHeartException.Platform> {
            open(clock = BrokenClock({ null }, { "Mars/Olympus_Mons" }))
        }
        assertEquals("clock", error.what)
        assertTrue(error.detail.contains("Mars/Olympus_Mons"), error.detail)
        assertThrows<SecondHeartException.InvalidInput> { FixedClock(noon, "Mars/Olympus_Mons") }
    }

    @Test
    fun `NotSafe and Conflict carry a reason for the user`() {
        open().use { core ->
            val notSafe = assertThrows<SecondHeartException.NotSafe> {
                core.sessions().startElevation(uniffi.second_heart.ElevationAnswers(false, true, false, false), null, null)
            }
            assertEquals("not_safe", notSafe.code())
            core.sessions().startSet(SessionKind.CALF_RAISES, SetTargets())
            val conflict = assertThrows<SecondHeartException.Conflict> { core.sessions().startWalk() }
            assertEquals("conflict", conflict.code())
            assertEquals(conflict.reason, conflict.toString())
        }
    }

    @Test
    fun `DatabaseTooNew says which versions`() {
        // A service holds the database open as long as the handle: close both to release the file.
        open("newer.db").use { core -> core.sessions().use { it.drink(250u) } }
        RandomAccessFile(dir.resolve("newer.db").toFile(), "rw").use {
            it.seek(60) // SQLite's user_version, where the schema version lives
            it.writeInt(latestSchemaVersion().toInt() + 5)
        }
        val error = assertThrows<SecondHeartException.DatabaseTooNew> { open("newer.db") }
        assertEquals("database_too_new", error.code())
        assertEquals(latestSchemaVersion() + 5u, error.found)
        assertEquals(latestSchemaVersion(), error.supported)
    }

    @Test
    fun `DatabaseCorrupt names the file`() {
        Files.write(dir.resolve("junk.db"), ByteArray(8192) { (it * 31).toByte() })
        val error = assertThrows<SecondHeartException.DatabaseCorrupt> { open("junk.db") }
        assertEquals("database_corrupt", error.code())
        assertTrue(error.path.endsWith("junk.db"), error.path)
    }

    @Test
    fun `Storage when the database path cannot be opened (a directory)`() {
        Files.createDirectory(dir.resolve("a-folder.db"))
        val error = assertThrows<SecondHeartException.Storage> { open("a-folder.db") }
        assertEquals("storage", error.code())
        assertTrue(error.detail.isNotBlank())
    }

    @Test
    fun `File when an export goes into a missing folder`() {
        open().use { core ->
            val target = dir.resolve("no-such-folder/export.json")
            val error = assertThrows<SecondHeartException.File> {
                core.data().exportToFile(ExportFormat.JSON, null, null, target.toString())
            }
            assertEquals("file", error.code())
            assertTrue(error.path.contains("no-such-folder"), error.path)
            assertFalse(Files.exists(target))
        }
    }

    @Test
    fun `a clock that throws its own ForeignException is Platform with the app's message`() {
        open(clock = BrokenClock({ ForeignException.Failed("clock service unavailable") })).use { core ->
            val error = assertThrows<SecondHeartException.Platform> { core.today().view() }
            assertEquals("platform", error.code())
            assertEquals("clock", error.what)
            assertEquals("clock service unavailable", error.detail)
        }
    }

    @Test
    fun `a clock whose zone throws is Platform already at open`() {
        val error = assertThrows<SecondHeartException.Platform> {
            open(clock = BrokenClock({ null }, { throw ForeignException.Failed("no zone yet") }))
        }
        assertEquals("clock", error.what)
        assertEquals("no zone yet", error.detail)
    }

    @Test
    fun `a clock that throws any exception is Platform, never a crash, and the next call works`() {
        var broken = false
        val clock = BrokenClock({ if (broken) IllegalStateException("time went missing") else null })
        open(clock = clock).use { core ->
            broken = true
            val error = assertThrows<SecondHeartException.Platform> { core.today().view() }
            assertEquals("clock", error.what)
            assertTrue(error.detail.contains("time went missing"), error.detail)
            assertThrows<SecondHeartException.Platform> { core.sessions().drink(250u) }
            broken = false
            assertEquals(0u, core.today().view().summary.hydrationMl, "the failed drink wrote nothing")
        }
    }

    @Test
    fun `a screen shows an error in the core's words, as a sentence, not as a list of its fields`() {
        assertEquals("No paired sensor SH-1; pair it first", userMessage(SecondHeartException.NotPaired("SH-1")))
        assertEquals("Not started: a leg hurts", userMessage(SecondHeartException.NotSafe("a leg hurts")))
        assertEquals("Invalid duration: 1 to 600 minutes", userMessage(SecondHeartException.InvalidInput("duration", "1 to 600 minutes")))
        assertEquals("Bluetooth is off", userMessage(IllegalStateException("Bluetooth is off")))
    }

    @Test
    fun `every error variant has its own stable code`() {
        val all = listOf(
            SecondHeartException.InvalidInput("f", "r"),
            SecondHeartException.NotSafe("r"),
            SecondHeartException.Conflict("r"),
            SecondHeartException.DatabaseTooNew(2u, 1u),
            SecondHeartException.DatabaseCorrupt("p", "d"),
            SecondHeartException.NotABackup("p", "d"),
            SecondHeartException.BackupTooNew(2u, 1u),
            SecondHeartException.StoredDataUnreadable("w", "d"),
            SecondHeartException.Storage("d"),
            SecondHeartException.File("p", "d"),
            SecondHeartException.SyncCancelled(),
            SecondHeartException.SensorReset("s", "d"),
            SecondHeartException.WrongSensor("a", "b"),
            SecondHeartException.SensorBusy("s", "syncing"),
            SecondHeartException.SyncGaveUp(3u, "l"),
            SecondHeartException.SyncConnectionsUsedUp(64u, "l"),
            SecondHeartException.Bluetooth("d"),
            SecondHeartException.Platform("w", "d"),
            SecondHeartException.Internal("d"),
        )
        val codes = all.map { it.code() }
        assertEquals(
            listOf(
                "invalid_input", "not_safe", "conflict", "database_too_new", "database_corrupt", "not_a_backup", "backup_too_new",
                "stored_data_unreadable", "storage", "file",
                "sync_cancelled", "sensor_reset", "wrong_sensor", "sensor_busy", "sync_gave_up", "sync_connections_used_up", "bluetooth",
                "platform", "internal",
            ),
            codes,
        )
        assertTrue(all.all { it.toString().isNotBlank() })
    }
}
