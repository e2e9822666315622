package app.secondheart.core

import java.nio.file.Files
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
import uniffi.second_heart.ExportFormat
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets
import uniffi.second_heart.latestSchemaVersion

/** Export to a file the user picked, and delete-all. */
class DataApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T18:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
        core.sessions().logWalk(berlin("2026-11-20T08:00"), null, 5400, 9000)
        core.sessions().logWalk(berlin("2026-11-21T08:00"), null, 1800, 3200)
        core.sessions().drink(250u)
    }

    @AfterEach
    fun close() = core.close()

    private fun export(format: ExportFormat, name: String) =
        dir.resolve(name).let { it to core.data().exportToFile(format, "2026-11-20", "2026-11-21", it.toString()) }

    @Test
    fun `a JSON export is valid JSON holding each day's figures`() {
        val (file, summary) = export(ExportFormat.JSON, "export.json")
        assertEquals("2026-11-20", summary.first)
        assertEquals("2026-11-21", summary.last)
        assertEquals(2u, summary.days)
        assertEquals(Files.size(file).toULong(), summary.bytes)
        val json = Json.parse(Files.readString(file))
        val days = findList(json, "days")
        assertEquals(2, days.size)
        val text = Files.readString(file)
        assertTrue(text.contains("9000") && text.contains("3200"), "both days' steps are in the export")
        assertFalse(Files.exists(dir.resolve("export.partial")), "no partial file is left behind")
    }

    @Test
    fun `a FHIR export is a JSON Bundle`() {
        val (file, _) = export(ExportFormat.FHIR, "export.fhir.json")
        val bundle = Json.parse(Files.readString(file)) as Map<*, *>
        assertEquals("Bundle", bundle["resourceType"])
        assertTrue((bundle["entry"] as List<*>).isNotEmpty())
    }

    @Test
    fun `a CSV of days has a header and one well-formed row a day with its steps`() {
        val (file, _) = export(ExportFormat.CSV_DAYS, "days.csv")
        val lines = Files.readAllLines(file).filter { it.isNotBlank() }
        val header = lines.first().split(",")
        assertEquals(3, lines.size, "header and two days")
        assertTrue(lines.all { it.split(",").size == header.size }, "every row has every column")
        val steps = header.indexOf("steps")
        val date = header.indexOf("date")
        assertTrue(steps >= 0 && date >= 0, "$header")
        val rows = lines.drop(1).map { it.split(",") }.associate { it[date] to it[steps] }
        assertEquals(mapOf("2026-11-20" to "9000", "2026-11-21" to "3200"), rows)
    }

    @Test
    fun `a CSV of walks lists the walks logged by hand, with their local times`() {
        val (file, _) = export(ExportFormat.CSV_WALKS, "walks.csv")
        assertEquals(
            listOf(
                "start,end,time_zone,duration_seconds,steps,by_hand,recorded_by_sensor",
                "2026-11-20T08:00:00+01:00,2026-11-20T09:30:00+01:00,Europe/Berlin,5400,9000,true,false",
                "2026-11-21T08:00:00+01:00,2026-11-21T08:30:00+01:00,Europe/Berlin,1800,3200,true,false",
            ),
            Files.readAllLines(file).filter { it.isNotBlank() },
        )
    }

    @Test
    fun `CSV exports of minutes and sessions are written too`() {
        val (minutes, _) = export(ExportFormat.CSV_MINUTES, "minutes.csv")
        assertEquals(90 + 30 + 1, Files.readAllLines(minutes).count { it.isNotBlank() }, "a row per minute with data")
        clock.setLocal("2026-11-21T09:00")
        core.sessions().startSet(SessionKind.CALF_RAISES, SetTargets())
        repeat(20) {
            clock.advance(Duration.ofSeconds(6))
            core.sessions().record(SessionEvent.Rep(1.0))
        }
        core.sessions().record(SessionEvent.Finish)
        clock.setLocal("2026-11-21T18:00")
        val (sessions, _) = export(ExportFormat.CSV_SESSIONS, "sessions.csv")
        val rows = Files.readAllLines(sessions).filter { it.isNotBlank() }
        assertEquals(2, rows.size, "header and the one set: $rows")
        assertTrue(rows[1].contains("calf"), rows[1])
    }

    @Test
    fun `an export without dates covers the 30 days ending today, and says what to call the file`() {
        val summary = core.data().exportToFile(ExportFormat.JSON, null, null, dir.resolve("month.json").toString())
        assertEquals("2026-10-23", summary.first)
        assertEquals("2026-11-21", summary.last)
        assertEquals(30u, summary.days)
        assertEquals("second-heart-2026-10-23-to-2026-11-21.json", summary.fileName)
        assertEquals("application/json", summary.mediaType)
    }

    @Test
    fun `a backup restores the data as it was, over data only once confirmed`() {
        val backup = dir.resolve("backup.db")
        val report = core.data().backupToFile(backup.toString())
        assertEquals(backup.toString(), report.path)
        assertEquals(Files.size(backup).toULong(), report.bytes)
        assertEquals(latestSchemaVersion(), report.schemaVersion)
        assertEquals("second-heart-backup-2026-11-21.sqlite3", report.fileName, "named by the local day")
        assertEquals("application/vnd.sqlite3", report.mediaType)
        core.sessions().logWalk(berlin("2026-11-21T12:00"), null, 600, 1000)
        assertEquals(4200u, core.today().view().summary.steps)

        val refused = assertThrows<SecondHeartException.ConfirmationNeeded> { core.data().restoreFromFile(backup.toString(), false) }
        assertEquals("confirmation_needed", refused.code())
        assertEquals(4200u, core.today().view().summary.steps, "nothing replaced without confirmation")
        val restored = core.data().restoreFromFile(backup.toString(), true)
        assertTrue(restored.replacedData)
        assertEquals(latestSchemaVersion(), restored.backupSchemaVersion)
        assertEquals(3200u, core.today().view().summary.steps, "the walk logged after the backup is gone")

        val notOurs = dir.resolve("notes.db")
        Files.writeString(notOurs, "shopping list: milk, bread")
        val notABackup = assertThrows<SecondHeartException.NotABackup> { core.data().restoreFromFile(notOurs.toString(), true) }
        assertEquals("not_a_backup", notABackup.code())
        assertEquals(notOurs.toString(), notABackup.path)
        assertThrows<SecondHeartException.InvalidInput> { core.data().backupToFile(dir.resolve("second-heart.db").toString()) }
        assertEquals(3200u, core.today().view().summary.steps, "a refused restore changes nothing")
    }

    @Test
    fun `imported step totals merge without double counting`() {
        val steps = dir.resolve("pedometer.csv")
        Files.writeString(steps, "date,steps\n2026-11-18,4000\n2026-11-19,5500\n")
        val first = core.data().importStepsFile(steps.toString(), null)
        assertEquals(listOf(2u, 2u, 0u, 0u), listOf(first.days, first.added, first.replaced, first.unchanged))
        val again = core.data().importStepsFile(steps.toString(), null)
        assertEquals(listOf(2u, 0u, 0u, 2u), listOf(again.days, again.added, again.replaced, again.unchanged))
        Files.writeString(steps, "date,steps\n2026-11-18,4100\n")
        assertEquals(1u, core.data().importStepsFile(steps.toString(), null).replaced)
        assertEquals(4100u, core.history().days("2026-11-18", "2026-11-18").days.single().steps)

        val missing = assertThrows<SecondHeartException.File> { core.data().importStepsFile(dir.resolve("none.csv").toString(), null) }
        assertEquals("file", missing.code())
        Files.writeString(steps, "date,steps\n2026-11-18,many\n")
        assertThrows<SecondHeartException.InvalidInput> { core.data().importStepsFile(steps.toString(), null) }
    }

    @Test
    fun `delete all needs confirmation, then empties Today and resets the profile`() {
        core.profile().update(ProfileChanges(stepsGoal = 12_000u))
        val refused = assertThrows<SecondHeartException.ConfirmationNeeded> { core.data().deleteAll(false) }
        assertTrue(refused.message!!.contains("confirmation"), refused.message)
        assertEquals(3200u, core.today().view().summary.steps, "nothing deleted without confirmation")

        core.data().deleteAll(true)
        val today = core.today().view()
        assertEquals(0u, today.summary.steps)
        assertEquals(0u, today.summary.hydrationMl)
        assertEquals(emptyList<Any>(), core.sessions().walksOn("2026-11-20"))
        assertEquals(7000u, core.profile().get().stepsGoal)
    }

    /** The first list under [key], anywhere in [json]. */
    private fun findList(json: Any?, key: String): List<*> {
        when (json) {
            is Map<*, *> -> {
                (json[key] as? List<*>)?.let { return it }
                json.values.forEach { v -> runCatching { return findList(v, key) } }
            }
            is List<*> -> json.forEach { v -> runCatching { return findList(v, key) } }
        }
        error("no list named $key")
    }
}
