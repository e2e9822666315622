package app.secondheart.state

import app.secondheart.core.AppClock
import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Settings' export, backup and restore: what the user is told, one at a time, asked before data is replaced, and no health data left behind. */
class SettingsModelTest : AppTest() {
    private val exports by lazy { dir.resolve("exports").toFile() }

    private val reloads = AtomicInteger()

    private fun settings(saver: ExportSaver) = opening(saver, DocumentOpener.NewestInFolder)

    private fun opening(saver: ExportSaver, opener: DocumentOpener) =
        SettingsModel(Core(app, AppClock()), Formats(), exports, scope, Dispatchers.IO, saver, opener, onDataChanged = { reloads.incrementAndGet() })

    /** Settings over the phone's reminders as [access] tells them. */
    private fun reminding(access: ReminderAccess) =
        SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.UK), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {}, reminderAccess = access)

    /** Waits until the screen shows a message that [done] accepts, and returns it. */
    private fun SettingsModel.awaitMessage(done: (String) -> Boolean): String = runBlocking {
        withTimeout(10_000) {
            while (state.value.message?.let(done) != true || state.value.exporting || state.value.backingUp) delay(10)
        }
        state.value.message!!
    }

    /** A walk logged on 20 November 2026 at [hour] in Berlin, of [steps]. */
    private fun logWalk(hour: Int, steps: Long) {
        app.sessions().logWalk(java.time.Instant.parse("2026-11-20T%02d:00:00Z".format(hour - 1)), "Europe/Berlin", 600, steps)
    }

    /** The steps of the walks logged on 20 November 2026. */
    private fun steps() = app.sessions().walksOn("2026-11-20").sumOf { it.steps.toLong() }

    private fun leftovers() = exports.listFiles().orEmpty().map(File::getName)

    @Test
    fun `what Settings said yesterday is not said again the next morning`() {
        val moving = MovingClock(java.time.Clock.fixed(java.time.Instant.parse("2026-12-03T17:00:00Z"), java.time.ZoneId.of("Europe/Berlin")))
        val model = SettingsModel(
            Core(app, AppClock(moving)), Formats(), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder,
            onDataChanged = {},
        )
        runBlocking { model.refresh() }
        model.saveProfile(model.state.value.profile.copy(stepsGoal = "9000"))
        assertEquals("Saved", model.awaitMessage { it == "Saved" })
        moving.now = moving.now.plus(java.time.Duration.ofHours(15))
        model.reload()
        runBlocking { withTimeout(10_000) { model.state.first { it.message == null } } }
    }

    @Test
    fun `the profile's fields read back as the phone writes numbers, and saving one keeps the other exact`() {
        app.profile().update(uniffi.second_heart.ProfileChanges(heightCm = 170.5, stepsGoal = 8000u))
        for ((tag, height, goal) in listOf(Triple("en-GB", "170.5", "9000"), Triple("de-DE", "170,5", "9000"), Triple("ar-EG", null, null))) {
            val formats = Formats(java.util.Locale.forLanguageTag(tag))
            val model = SettingsModel(Core(app, AppClock()), formats, exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
            runBlocking { model.refresh() }
            val shown = model.state.value
            if (height != null) assertEquals(height, shown.profile.heightCm, tag)
            // Only the goal changed, typed as the phone's keyboard writes it.
            model.saveProfile(shown.profile.copy(stepsGoal = goal ?: formats.measure(9000.0)))
            assertEquals("Saved", model.awaitMessage { true }, tag)
            val saved = app.profile().get()
            assertEquals(170.5, saved.heightCm, tag)
            assertEquals(9000u, saved.stepsGoal, tag)
            app.profile().update(uniffi.second_heart.ProfileChanges(stepsGoal = 8000u))
        }
        // A height typed anew, with a German comma; a goal that is not a whole number is refused, not read as 8.
        val german = SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.GERMANY), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
        runBlocking { german.refresh() }
        german.saveProfile(german.state.value.profile.copy(heightCm = "171,5", stepsGoal = "9.000"))
        assertEquals(171.5, german.awaitMessage { it == "Saved" }.let { app.profile().get().heightCm })
        assertEquals(9000u, app.profile().get().stepsGoal, "9.000 is nine thousand in German")
        val english = SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.UK), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
        runBlocking { english.refresh() }
        english.saveProfile(english.state.value.profile.copy(stepsGoal = "8.000"))
        assertTrue(english.awaitMessage { it.startsWith("Check") }.contains("steps a day"))
        assertEquals(9000u, app.profile().get().stepsGoal, "nothing saved")
    }

    /** Waits until the stored profile passes [done] (a save runs on the model's own). */
    private fun awaitProfile(done: (uniffi.second_heart.Profile) -> Boolean): uniffi.second_heart.Profile = runBlocking {
        withTimeout(10_000) {
            while (!done(app.profile().get())) delay(10)
        }
        app.profile().get()
    }

    @Test
    fun `a failure no one foresaw is said on the screen, not left to end the app`() {
        val model = SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.UK), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
        // The core closed under the screen (as the app ends): the bindings throw IllegalStateException.
        app.close()
        model.reload()
        assertTrue(model.awaitMessage { it.isNotEmpty() }.contains("destroyed"), model.state.value.message)
    }

    @Test
    fun `reminders the phone lets come only roughly on time are said, with the way to allow them, only while they can show`() {
        var exact = false
        var shown = true
        var opened = 0
        val access = object : ReminderAccess {
            override fun canShow() = shown
            override fun onTime() = exact
            override fun openTimingSettings() { opened++ }
        }
        val model = reminding(access)
        runBlocking { model.refresh() }
        assertTrue(model.state.value.remindersLate)
        model.openReminderTimingSettings()
        assertEquals(1, opened)
        // Allowed in the phone's settings: read again as the app comes back.
        exact = true
        runBlocking { model.refresh() }
        assertEquals(false, model.state.value.remindersLate)
        // Blocked altogether: that is what is said, not their timing.
        exact = false
        shown = false
        runBlocking { model.refresh() }
        assertEquals(false, model.state.value.remindersLate)
        assertTrue(model.state.value.remindersBlocked)
        // Reminders off: nothing to say of either.
        shown = true
        model.setReminders(false)
        runBlocking { withTimeout(10_000) { model.state.first { !it.remindersOn } } }
        assertEquals(false, model.state.value.remindersLate)
    }

    @Test
    fun `reminders blocked by the phone are said while reminders are on, and the way to the phone's page is there`() {
        var blocked = true
        var opened = 0
        val access = object : ReminderAccess {
            override fun canShow() = !blocked
            override fun openSettings() { opened++ }
        }
        val model = reminding(access)
        runBlocking { model.refresh() }
        assertTrue(model.state.value.remindersOn)
        assertTrue(model.state.value.remindersBlocked)
        model.openNotificationSettings()
        assertEquals(1, opened)
        // The user let them in the phone's settings: read again as the app comes back.
        blocked = false
        runBlocking { model.refresh() }
        assertEquals(false, model.state.value.remindersBlocked)
        // Reminders turned off: nothing to say of the phone's blocking.
        blocked = true
        model.setReminders(false)
        runBlocking { withTimeout(10_000) { model.state.first { !it.remindersOn } } }
        assertEquals(false, model.state.value.remindersBlocked)
    }

    @Test
    fun `every figure of the profile is saved from the form, an emptied weight is taken away, and the reminders are saved`() {
        val model = SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.UK), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
        runBlocking { model.refresh() }
        val form = model.state.value.profile
        assertEquals("", form.weightKg, "no weight until given")
        assertEquals("1", form.breaksPerSittingHour, "one break an hour until changed")
        model.saveProfile(form.copy(weightKg = "82.5", birthYear = "1970", sex = "male", activeMinutesGoal = "45", hydrationGoalMl = "2,500", breaksPerSittingHour = "1.5"))
        val saved = awaitProfile { it.weightKg != null }
        assertEquals(1.5, saved.breaksPerSittingHour)
        assertEquals(82.5, saved.weightKg)
        assertEquals(1970, saved.birthYear)
        assertEquals(uniffi.second_heart.Sex.MALE, saved.sex)
        assertEquals(45u, saved.activeMinutesGoal)
        assertEquals(2500u, saved.hydrationGoalMl)
        runBlocking { model.refresh() }
        assertEquals("1970", model.state.value.profile.birthYear, "a year without grouping")
        // The weight typed wrong, emptied: taken away; the rest stays.
        model.saveProfile(model.state.value.profile.copy(weightKg = ""))
        val cleared = awaitProfile { it.weightKg == null }
        assertEquals(1970, cleared.birthYear)
        // A figure that is not a number is named, and nothing is saved.
        model.saveProfile(model.state.value.profile.copy(weightKg = "eighty", activeMinutesGoal = "50"))
        assertEquals("Check weight: enter numbers, whole ones but for height, weight, litres and breaks.", model.awaitMessage { it.startsWith("Check") })
        assertEquals(SettingsSection.Profile, model.state.value.messageSection, "said under the profile's Save, where the user tapped")
        assertEquals(45u, app.profile().get().activeMinutesGoal)
        // A year past what the field holds is refused by name, not wrapped round into a negative one.
        model.saveProfile(model.state.value.profile.copy(birthYear = "3000000000"))
        assertEquals("Check year of birth: enter numbers, whole ones but for height, weight, litres and breaks.", model.awaitMessage { it.contains("year of birth") })
        assertEquals(1970, app.profile().get().birthYear)
        // The reminders: after 40 minutes still, quiet from 23:00 to 06:30.
        model.saveReminders(ReminderForm("40", "23:00", "06:30"))
        val reminders = awaitProfile { it.remindAfterMin == 40u }
        assertEquals("23:00" to "06:30", reminders.quietFrom to reminders.quietUntil)
        model.saveReminders(ReminderForm("40", "25:00", "06:30"))
        assertTrue(model.awaitMessage { it.contains("25:00") }.contains("quiet hours start"), model.state.value.message)
        assertEquals(SettingsSection.Reminders, model.state.value.messageSection, "the core's refusal, under Save reminders")
        // The refusal is not said on after the next thing done.
        model.setReminders(false)
        runBlocking { withTimeout(10_000) { model.state.first { !it.remindersOn } } }
        assertEquals(null, model.state.value.message)
    }

    @Test
    fun `an ankle-brachial index typed in closes the compression gate when low, is refused when not a number or out of range, and emptied is taken away`() {
        val model = SettingsModel(Core(app, AppClock()), Formats(java.util.Locale.GERMANY), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder, onDataChanged = {})
        runBlocking { model.refresh() }
        assertEquals("", model.state.value.ankleBrachialIndex, "none until measured")
        // Another answer given just before keeps its place: the index changes only itself.
        model.answer("fragile_skin_or_dermatitis", true)
        model.saveAnkleBrachialIndex("0,7")
        val low = runBlocking { withTimeout(10_000) { model.state.first { it.ankleBrachialIndex.isNotEmpty() } } }
        assertEquals("0,70", low.ankleBrachialIndex, "as the phone writes numbers")
        assertEquals(0.7, app.profile().get().cautions.ankleBrachialIndex)
        assertTrue(app.profile().get().cautions.fragileSkinOrDermatitis)
        val closed = low.compressionGate as GateUi.Closed
        assertTrue(closed.reason.contains("ankle–brachial index of 0.70"), closed.reason)

        model.saveAnkleBrachialIndex("seven")
        assertEquals("Check the ankle–brachial index: enter a number like 0.95, or leave it empty.", model.awaitMessage { it.startsWith("Check") })
        model.saveAnkleBrachialIndex("3")
        assertTrue(model.awaitMessage { it.contains("between 0.1 and 2.0") }.contains("ankle-brachial index"), model.state.value.message)
        assertEquals(0.7, app.profile().get().cautions.ankleBrachialIndex, "a refused index changes nothing")

        model.saveAnkleBrachialIndex(" ")
        val gone = runBlocking { withTimeout(10_000) { model.state.first { it.ankleBrachialIndex.isEmpty() } } }
        assertEquals(null, app.profile().get().cautions.ankleBrachialIndex)
        assertEquals("Ankle–brachial index taken away", gone.message)
        assertTrue(app.profile().get().cautions.fragileSkinOrDermatitis, "the other answers stay")
    }

    @Test
    fun `deleting everything takes away what the other screens said of the data`() {
        val noRadio = object : SensorRadio {
            override suspend fun scan(onFound: (FoundSensor) -> Unit) = throw RadioUnavailable("no radio in this test")
            override fun link(id: String): uniffi.second_heart.BleLink = throw RadioUnavailable("no radio in this test")
        }
        val core = Core(app, AppClock())
        AppModels(core, noRadio, exports, scope, Dispatchers.IO).use { models ->
            models.walk.logWalk(WalkLogForm(day = core.today().minusDays(1), start = "7:00", minutes = "10", steps = "500"))
            runBlocking { withTimeout(10_000) { models.walk.state.first { it.message?.startsWith("Walk logged") == true } } }
            // A set tapped through and finished: its card stays on Exercises.
            models.exercises.startCalfRaises()
            models.exercises.rep(null)
            models.exercises.finishSet()
            runBlocking { withTimeout(10_000) { models.exercises.state.first { it.set?.finished == true && it.done.isNotEmpty() } } }
            // Devices said what counts sets (as after a sync or a forget).
            models.devices.countSessionsFrom(null)
            runBlocking { withTimeout(10_000) { models.devices.state.first { it.message?.startsWith("Walks and sets now count") == true } } }
            models.settings.confirmDeleteAll()
            runBlocking { withTimeout(10_000) { models.walk.state.first { it.message == null && it.recent.isEmpty() } } }
            runBlocking { withTimeout(10_000) { models.devices.state.first { it.message == null } } }
            runBlocking { withTimeout(10_000) { models.exercises.state.first { it.set == null && it.done.isEmpty() } } }
            assertEquals("All your data was deleted from this device", models.settings.awaitMessage { it.startsWith("All") })
        }
    }

    @Test
    fun `delete everything refused while a sensor streams closes its dialog and says why`() {
        val demo = DemoRadio(hours = 0.5)
        try {
            val core = Core(app, AppClock())
            val devices = DevicesModel(core, Formats(), demo, scope, Dispatchers.IO)
            devices.pair("SH-DEMO-0001")
            runBlocking { withTimeout(30_000) { devices.state.first { s -> s.sync == null && s.devices.any { it.paired } } } }
            devices.showLive("SH-DEMO-0001")
            runBlocking { withTimeout(30_000) { devices.state.first { it.live?.frames?.endsWith("lost") == true } } }
            val model = settings(ExportSaver.KeepInFolder)
            model.askDeleteAll()
            assertTrue(model.state.value.confirmingDelete)
            model.confirmDeleteAll()
            val said = model.awaitMessage { true }
            assertTrue(said.contains("busy"), said)
            assertFalse(model.state.value.confirmingDelete, "the dialog no longer hides: $said")
            assertTrue(app.sensors().paired().isNotEmpty(), "nothing was deleted")
            devices.stopLive()
        } finally {
            demo.sensor.close()
        }
    }

    @Test
    fun `an export the user cancels saves nothing and leaves nothing in the cache`() {
        val model = settings { _, _, _ -> null }
        model.export()
        assertEquals("Export cancelled: nothing was saved", model.awaitMessage { it.startsWith("Export") })
        assertEquals(emptyList<String>(), leftovers())
    }

    @Test
    fun `a place that refuses the file is said in words, whatever it throws`() {
        for (refusal in listOf(IOException("the memory card is full"), SecurityException("the memory card is full"))) {
            val model = settings { _, _, _ -> throw refusal }
            model.export()
            assertEquals("Could not save the export: the memory card is full", model.awaitMessage { it.startsWith("Could not") })
            assertEquals(SettingsSection.Data, model.state.value.messageSection, "said in the data section, by Export")
            assertEquals(emptyList<String>(), leftovers(), "$refusal")
        }
    }

    @Test
    fun `a second tap while the save dialog is open does not start a second export`() {
        val asked = AtomicInteger()
        val answer = CompletableDeferred<String?>()
        val model = settings { file, name, _ ->
            asked.incrementAndGet()
            answer.await()?.also { file.copyTo(File(exports, "saved-$name")) }
        }
        model.chooseExportFormat("CSV_DAYS")
        model.export()
        runBlocking { withTimeout(10_000) { while (asked.get() == 0) delay(10) } }
        assertTrue(model.state.value.exporting, "the button shows the export running")
        model.export()
        answer.complete("Downloads")
        val said = model.awaitMessage { it.startsWith("Saved") }
        assertEquals(1, asked.get(), "one dialog")
        assertEquals("Saved 30 days to Downloads", said)
        val saved = leftovers().single()
        assertTrue(Regex("saved-second-heart-days-.*\\.csv").matches(saved), saved)
    }

    @Test
    fun `an export left half-way by a stopped app is removed when Settings opens`() {
        exports.mkdirs()
        File(exports, "export-123.tmp").writeText("{}")
        File(exports, "export-123.partial").writeText("{}")
        File(exports, "second-heart-2026-10-23-to-2026-11-21.json").writeText("{}")
        settings(ExportSaver.KeepInFolder)
        runBlocking { withTimeout(10_000) { while (leftovers().size > 1) delay(10) } }
        assertEquals(listOf("second-heart-2026-10-23-to-2026-11-21.json"), leftovers(), "what the user kept stays")
    }

    @Test
    fun `a backup started as Settings opens is kept, though the stopped app's leftovers are removed late`() {
        exports.mkdirs()
        File(exports, "export-123.tmp").writeText("{}")
        // The first work Settings sends off (removing the leftovers) starts late, as on a busy phone.
        val sent = CompletableDeferred<Unit>()
        val removed = CompletableDeferred<Unit>()
        val late = object : CoroutineDispatcher() {
            private val first = AtomicBoolean(true)

            override fun dispatch(context: CoroutineContext, block: Runnable) {
                if (!first.getAndSet(false)) return Dispatchers.IO.dispatch(context, block)
                sent.complete(Unit)
                Dispatchers.IO.dispatch(context, Runnable {
                    Thread.sleep(300)
                    block.run()
                    removed.complete(Unit)
                })
            }
        }
        val asked = CompletableDeferred<Unit>()
        val answer = CompletableDeferred<String?>()
        val saver = ExportSaver { file, name, _ ->
            asked.complete(Unit)
            answer.await()?.also { file.copyTo(File(exports, name)) }
        }
        val model = SettingsModel(Core(app, AppClock()), Formats(), exports, scope, late, saver, DocumentOpener.NewestInFolder)
        runBlocking { withTimeout(10_000) { sent.await() } }
        model.backup()
        runBlocking { withTimeout(10_000) { asked.await(); removed.await() } }
        answer.complete("Downloads")
        assertEquals("Backed up everything to Downloads", model.awaitMessage { true })
        val kept = leftovers().single()
        assertTrue(Regex("second-heart-backup-\\d{4}-\\d{2}-\\d{2}\\.sqlite3").matches(kept), "the stopped app's export is gone, the backup kept: $kept")
    }

    @Test
    fun `an export folder that cannot be written is said in words, not a crash`() {
        exports.parentFile.mkdirs()
        exports.writeText("a file where the folder should be")
        val model = settings(ExportSaver.KeepInFolder)
        model.export()
        assertTrue(model.awaitMessage { it.startsWith("Could not") }.startsWith("Could not write the export: "))
        assertEquals("a file where the folder should be", exports.readText())
    }

    @Test
    fun `a backup is kept under the core's dated name, and restoring it over newer data asks first`() {
        val model = settings(ExportSaver.KeepInFolder)
        logWalk(8, 1_000)
        model.backup()
        val said = model.awaitMessage { it.startsWith("Backed up") || it.startsWith("Could not") }
        val kept = leftovers().single()
        assertTrue(Regex("second-heart-backup-\\d{4}-\\d{2}-\\d{2}\\.sqlite3").matches(kept), kept)
        assertEquals("Backed up everything to ${File(exports, kept).path}", said)

        // A walk logged since: restoring would drop it, so the user is asked.
        logWalk(12, 500)
        assertEquals(1_500L, steps())
        model.restore()
        runBlocking { withTimeout(10_000) { while (!model.state.value.confirmingRestore) delay(10) } }
        assertTrue(model.state.value.restoring, "the button shows the restore running while asked")
        assertEquals(1_500L, steps(), "nothing replaced before the answer")

        model.keepCurrentData()
        assertEquals("Kept the data on this phone: nothing was restored", model.awaitMessage { it.startsWith("Kept") })
        assertEquals(1_500L, steps())
        assertEquals(listOf(kept), leftovers(), "the copy picked is gone")

        model.restore()
        runBlocking { withTimeout(10_000) { while (!model.state.value.confirmingRestore) delay(10) } }
        model.confirmRestore()
        assertEquals("Restored the backup: it replaced what this phone held", model.awaitMessage { it.startsWith("Restored") })
        assertEquals(1_000L, steps(), "as it was at the backup")
        assertTrue(reloads.get() > 0, "every screen reloads")
        assertEquals(false, model.state.value.restoring)
        assertEquals(listOf(kept), leftovers())
    }

    @Test
    fun `a new phone restores a backup from the welcome and is set up by it, and deleting everything welcomes again`() {
        // A backup made on the old phone.
        logWalk(8, 1_000)
        val old = settings(ExportSaver.KeepInFolder)
        old.backup()
        old.awaitMessage { it.startsWith("Backed up") }
        // The new phone: nothing held, not set up.
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("new-phone.db").toString(), AppClock())
        val firstRun = FirstRun.InMemory(done = false)
        val model = SettingsModel(
            Core(app, AppClock()), Formats(), exports, scope, Dispatchers.IO, ExportSaver.KeepInFolder, DocumentOpener.NewestInFolder,
            onDataChanged = { reloads.incrementAndGet() }, firstRun = firstRun,
        )
        assertTrue(model.state.value.firstRun, "the welcome")
        model.restore()
        assertEquals("Restored the backup", model.awaitMessage { it.startsWith("Restored") || it.startsWith("Could not") })
        assertEquals(1_000L, steps(), "the old phone's walk")
        assertTrue(firstRun.done() && !model.state.value.firstRun, "set up by the backup's profile: no welcome to fill in")

        model.askDeleteAll()
        model.confirmDeleteAll()
        runBlocking { withTimeout(10_000) { while (!model.state.value.firstRun) delay(10) } }
        assertFalse(firstRun.done(), "the profile and the health answers went: the welcome asks them again")
    }

    @Test
    fun `a file that is not a backup is refused in words, and a cancelled pick changes nothing`() {
        logWalk(8, 1_000)
        val notOurs = opening(ExportSaver.KeepInFolder) { into, _ -> into.writeText("shopping list: milk, bread"); "notes.txt" }
        notOurs.restore()
        val refused = notOurs.awaitMessage { !it.startsWith("Restor") || it.startsWith("Restore cancelled") }
        assertEquals("That file is not a Second Heart backup, or it is damaged: nothing changed", refused)
        assertEquals(1_000L, steps())
        assertEquals(emptyList<String>(), leftovers())

        val cancelled = opening(ExportSaver.KeepInFolder) { _, _ -> null }
        cancelled.restore()
        assertEquals("Restore cancelled: nothing changed", cancelled.awaitMessage { it.startsWith("Restore") })
        assertEquals(1_000L, steps())
        assertEquals(emptyList<String>(), leftovers())
    }

    @Test
    fun `one file action at a time, a second answer to the restore question does nothing, and a refused backup leaves nothing`() {
        logWalk(8, 1_000)
        // While a backup's dialog is open, restore and export do not start.
        val answer = CompletableDeferred<String?>()
        val waiting = settings { file, name, _ -> answer.await()?.also { file.copyTo(File(exports, name)) } }
        waiting.backup()
        runBlocking { withTimeout(10_000) { while (!waiting.state.value.backingUp) delay(10) } }
        waiting.restore()
        waiting.export()
        assertEquals(false, waiting.state.value.restoring)
        assertEquals(false, waiting.state.value.exporting)
        answer.complete("Downloads")
        assertEquals("Backed up everything to Downloads", waiting.awaitMessage { it.startsWith("Backed up") })
        val kept = leftovers().single()

        logWalk(12, 500)
        waiting.restore()
        runBlocking { withTimeout(10_000) { while (!waiting.state.value.confirmingRestore) delay(10) } }
        waiting.confirmRestore()
        waiting.confirmRestore()
        waiting.keepCurrentData()
        assertEquals("Restored the backup: it replaced what this phone held", waiting.awaitMessage { it.startsWith("Restored") })
        runBlocking { withTimeout(10_000) { while (waiting.state.value.restoring) delay(10) } }
        assertEquals(1_000L, steps())
        assertEquals("Restored the backup: it replaced what this phone held", waiting.state.value.message, "the later answers said nothing")
        assertEquals(false, waiting.state.value.confirmingRestore)

        val refusing = settings { _, _, _ -> throw IOException("the memory card is full") }
        refusing.backup()
        assertEquals("Could not save the backup: the memory card is full", refusing.awaitMessage { it.startsWith("Could not") })
        assertEquals(listOf(kept), leftovers(), "no copy of the database is left behind")
    }

    @Test
    fun `steps another app counted are imported from the file picked, once, and every screen reloads`() {
        logWalk(8, 1_000)
        val asked = mutableListOf<DocumentKind>()
        val pedometer = opening(ExportSaver.KeepInFolder) { into, kind ->
            asked += kind
            into.writeText("date,steps\n2026-11-19,7000\n2026-11-20,6000\n")
            "pedometer.csv"
        }
        pedometer.importSteps()
        assertEquals("Imported 2 days of steps from pedometer.csv", pedometer.awaitMessage { it.startsWith("Imported") })
        assertEquals(listOf(DocumentKind.STEPS), asked)
        assertEquals(7_000u, app.history().days("2026-11-19", "2026-11-20").days.first().steps, "a day with nothing recorded takes the file's total")
        assertTrue(reloads.get() > 0, "every screen reloads")
        assertEquals(emptyList<String>(), leftovers(), "the copy picked is gone")

        reloads.set(0)
        pedometer.importSteps()
        assertEquals("Nothing new in pedometer.csv: its 2 days were here already", pedometer.awaitMessage { it.endsWith("already") })
        assertEquals(false, pedometer.state.value.importing)
        assertEquals(0, reloads.get(), "nothing changed, nothing to reload")
    }

    @Test
    fun `a file of steps the core refuses, or a pick cancelled, changes nothing and leaves nothing`() {
        val future = opening(ExportSaver.KeepInFolder) { into, _ -> into.writeText("2026-11-19,7000\n2100-01-01,100\n"); "pedometer.csv" }
        future.importSteps()
        val refused = future.awaitMessage { it.startsWith("Invalid") }
        assertTrue(refused.contains("line 2") && refused.contains("after today"), refused)
        assertEquals(0u, app.history().days("2026-11-19", "2026-11-19").days.single().steps, "refused whole")

        val cancelled = opening(ExportSaver.KeepInFolder) { _, _ -> null }
        cancelled.importSteps()
        assertEquals("Import cancelled: nothing changed", cancelled.awaitMessage { it.startsWith("Import") })
        assertEquals(emptyList<String>(), leftovers())
    }
}
