package app.secondheart.state

import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.second_heart.CompressionAdvice
import uniffi.second_heart.ExportFormat
import uniffi.second_heart.Profile
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.Sex

/** Settings and first run: profile and goals, reminders, the health questions, export, backup and restore, importing steps, delete all. */
class SettingsModel(
    private val core: Core,
    private val formats: Formats,
    /** Where an export or a backup is written before [saver] offers it to the user, and where a file picked to restore or import is copied. */
    private val exportDir: File,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    /** Asks the user where to keep an export or a backup. */
    private val saver: ExportSaver = ExportSaver.KeepInFolder,
    /** Asks the user for a backup to restore, or steps to import. */
    private val opener: DocumentOpener = DocumentOpener.NewestInFolder,
    /** Called after delete all, a restore and an import that changed the data, so every screen reloads. */
    private val onDataChanged: (replaced: Boolean) -> Unit = {},
    /** Whether the phone lets reminders show (read at each refresh: the user may have changed it in the phone's settings). */
    private val reminderAccess: ReminderAccess = ReminderAccess.Shown,
    /** Whether the user has set the app up; the first profile saved sets it up. */
    private val firstRun: FirstRun = FirstRun.Done,
) : ScreenModel<SettingsUi>(
    SettingsUi(
        ProfileForm(heightCm = "", stepsGoal = ""), false, ReminderForm("", "", ""), emptyList(), GateUi.Unanswered, null, false,
        // Known before the first read: the welcome shows from the first frame, not after a flash of Today.
        firstRun = !firstRun.done(),
    ),
    scope,
    io,
    // One action at a time, so a reload asked for by a file action (every
    // screen's, after a restore or an import) reads after its answer is set,
    // and never shows the screen without it. A file action holds the others
    // back while its dialog is open, as the dialog covers the screen.
    serialActions = true,
) {
    /** The part of the screen the action running (or last run) belongs to: where what it says is shown. */
    private var acting = SettingsSection.Data

    /** What the last action said today ("Saved" is not said again the next morning). */
    private val said = DayMessage(core::today)

    /** What the last action said, shown in its own part of the screen ([acting] when it was said). */
    private var message: String?
        get() = said.text
        set(value) {
            said.text = value
            messageSection = acting
        }
    private var messageSection = SettingsSection.Data
    private var confirming = false
    private var exportFormat = ExportFormat.JSON
    private val exporting = AtomicBoolean(false)
    private val backingUp = AtomicBoolean(false)
    private val restoring = AtomicBoolean(false)
    private val importing = AtomicBoolean(false)

    /**
     * Held by the export, backup, restore or import running: one at a time, as the
     * platform shows one document dialog at a time (a second would close the first's).
     */
    private val fileAction = AtomicBoolean(false)

    /** The backup picked, kept while the user is asked whether it may replace the data here; taken by the answer. */
    private val pendingRestore = AtomicReference<File?>(null)

    /**
     * Removes exports, backups, restores and imports left half-way in
     * [exportDir] by a process that was stopped (they hold health data).
     * Every file action waits for it, so it never takes a file this model is
     * writing for one. A file that cannot be removed stays (the next start
     * tries again); nothing here may stop the app.
     */
    private val leftoversRemoved: Job = scope.launch(io) {
        try {
            exportDir.listFiles { f -> f.name.startsWith(TEMPORARY_PREFIX) }?.forEach { it.delete() }
        } catch (_: SecurityException) {
            // Not ours to read: nothing of ours is there.
        }
    }

    /**
     * A new temporary file in [exportDir] for an export, a backup, or a
     * file picked to restore or import, made once the leftovers are gone.
     */
    private suspend fun temporaryFile(): File {
        leftoversRemoved.join()
        exportDir.mkdirs()
        return File.createTempFile(TEMPORARY_PREFIX, TEMPORARY_SUFFIX, exportDir)
    }

    override suspend fun refresh() {
        val profile = core.app.profile()
        mutable.value = present(profile.get(), profile.compressionAdvice())
    }

    private fun present(p: Profile, advice: CompressionAdvice): SettingsUi {
        val c = p.cautions
        val questions = listOf(
            SafetyQuestionUi(PAD, "Has a doctor found poor circulation in your legs (peripheral arterial disease)?", c.peripheralArterialDisease),
            SafetyQuestionUi(NEUROPATHY, "Do you have severe numbness in your feet (neuropathy)?", c.severeNeuropathy),
            SafetyQuestionUi(SKIN, "Is the skin of your legs fragile, weeping or inflamed?", c.fragileSkinOrDermatitis),
            SafetyQuestionUi(HEART, "Are you being treated for heart failure that is not under control?", c.decompensatedHeartFailure),
        )
        return SettingsUi(
            profile = ProfileForm(
                heightCm = formats.measure(p.heightCm),
                weightKg = p.weightKg?.let(formats::measure) ?: "",
                // A year is written without grouping: 1980, not 1,980.
                birthYear = p.birthYear?.toString() ?: "",
                sex = if (p.sex == Sex.MALE) "male" else "female",
                stepsGoal = formats.measure(p.stepsGoal.toDouble()),
                activeMinutesGoal = formats.measure(p.activeMinutesGoal.toDouble()),
                calfRaiseSetsGoal = formats.measure(p.calfRaiseSetsGoal.toDouble()),
                pumpedLitresGoal = formats.measure(p.pumpedLitresGoal),
                hydrationGoalMl = formats.measure(p.hydrationGoalMl.toDouble()),
                breaksPerSittingHour = formats.measure(p.breaksPerSittingHour),
            ),
            remindersOn = p.remindersEnabled,
            remindersBlocked = p.remindersEnabled && !reminderAccess.canShow(),
            remindersLate = p.remindersEnabled && reminderAccess.canShow() && !reminderAccess.onTime(),
            firstRun = !firstRun.done(),
            reminders = ReminderForm(formats.measure(p.remindAfterMin.toDouble()), p.quietFrom, p.quietUntil),
            questions = questions,
            ankleBrachialIndex = c.ankleBrachialIndex?.let(formats::index) ?: "",
            // The core's contraindication gate, the one every suggestion of stockings goes through.
            compressionGate = when (advice) {
                is CompressionAdvice.Suitable ->
                    GateUi.Open("Compression socks: fine for you. The app may suggest them for long flights and desk days.")
                is CompressionAdvice.SeeDoctorFirst ->
                    GateUi.Closed("Compression socks: ask your doctor first (${advice.reasons.joinToString("; ")}). The app will not suggest them.")
            },
            message = message,
            messageSection = messageSection,
            confirmingDelete = confirming,
            exportFormats = EXPORT_FORMATS.map { (format, label) -> ChoiceUi(format.name, label, format == exportFormat) },
            exporting = exporting.get(),
            backingUp = backingUp.get(),
            restoring = restoring.get(),
            importing = importing.get(),
            confirmingRestore = pendingRestore.get() != null,
        )
    }

    override fun onError(message: String) {
        this.message = message
        mutable.update { it.copy(message = message, messageSection = messageSection) }
    }

    /** [act] for an action of [section]: what it says is shown there. */
    private fun actOn(section: SettingsSection, work: suspend () -> Unit) = act {
        acting = section
        work()
    }

    /**
     * Saves the body and goals as typed (in the phone's way of writing
     * numbers, as on iOS); the core checks the ranges. An optional field
     * emptied (weight, year of birth) takes its figure away; a goal left
     * empty is not changed, nor a measurement left as shown (the field
     * shows it to a tenth, and saving that back would change it). What does
     * not read as a number is refused, by name, and nothing is saved.
     */
    fun saveProfile(form: ProfileForm) = actOn(SettingsSection.Profile) {
        val shown = mutable.value.profile
        val refused = mutableListOf<String>()
        fun measure(text: String, field: String, shownAs: String, required: Boolean = false): Double? {
            val typed = text.trim()
            if ((typed.isEmpty() && !required) || typed == shownAs) return null
            return formats.parseMeasure(typed) ?: null.also { refused += field }
        }
        // A number past what the core's field holds is refused here, not wrapped round into another.
        fun whole(text: String, field: String, required: Boolean = false, max: Long = UInt.MAX_VALUE.toLong()): Long? {
            val typed = text.trim()
            if (typed.isEmpty() && !required) return null
            return formats.parseWhole(typed)?.takeIf { it in 0..max } ?: null.also { refused += field }
        }
        val changes = ProfileChanges(
            heightCm = measure(form.heightCm, "height", shown.heightCm, required = true),
            weightKg = measure(form.weightKg, "weight", shown.weightKg),
            sex = if (form.sex == "male") Sex.MALE else Sex.FEMALE,
            birthYear = whole(form.birthYear, "year of birth", max = Int.MAX_VALUE.toLong())?.toInt(),
            stepsGoal = whole(form.stepsGoal, "steps a day", required = true)?.toUInt(),
            activeMinutesGoal = whole(form.activeMinutesGoal, "active minutes")?.toUInt(),
            calfRaiseSetsGoal = whole(form.calfRaiseSetsGoal, "calf-raise sets")?.toUInt(),
            pumpedLitresGoal = measure(form.pumpedLitresGoal, "litres pumped", shown.pumpedLitresGoal),
            hydrationGoalMl = whole(form.hydrationGoalMl, "water")?.toUInt(),
            breaksPerSittingHour = measure(form.breaksPerSittingHour, "breaks an hour", shown.breaksPerSittingHour),
            clearWeight = form.weightKg.isBlank() && shown.weightKg.isNotEmpty(),
            clearBirthYear = form.birthYear.isBlank() && shown.birthYear.isNotEmpty(),
        )
        if (refused.isNotEmpty()) {
            onError("Check ${refused.joinToString(", ")}: enter numbers, whole ones but for height, weight, litres and breaks.")
            return@actOn
        }
        core.app.profile().update(changes)
        if (firstRun.done()) {
            message = "Saved"
        } else {
            // Start: set up, the app opens on Today, read again with the goals and body just saved;
            // nothing is left to say in Settings.
            firstRun.markDone()
            message = null
            onDataChanged(false)
        }
        refresh()
    }

    /** Saves the minutes still before a reminder and the quiet hours, as typed ("22:00"); the core checks them. */
    fun saveReminders(form: ReminderForm) = actOn(SettingsSection.Reminders) {
        val after = formats.parseWhole(form.remindAfterMin)?.takeIf { it in 0..UInt.MAX_VALUE.toLong() }
        if (after == null) {
            onError("Check the minutes of sitting: enter a whole number.")
            return@actOn
        }
        core.app.profile().update(
            ProfileChanges(remindAfterMin = after.toUInt(), quietFrom = form.quietFrom.trim(), quietUntil = form.quietUntil.trim()),
        )
        message = "Saved"
        refresh()
    }

    /** Turns break reminders on or off; what the last action said no longer holds. */
    fun setReminders(on: Boolean) = actOn(SettingsSection.Reminders) {
        core.app.profile().update(ProfileChanges(remindersEnabled = on))
        message = null
        refresh()
    }

    /**
     * Opens the phone's page for the app's notifications, where the user
     * lets the reminders show; the screen reads it again when the app comes
     * back to the foreground.
     */
    fun openNotificationSettings() = reminderAccess.openSettings()

    /** Opens the phone's page where the user lets reminders come on time (exact alarms). */
    fun openReminderTimingSettings() = reminderAccess.openTimingSettings()

    /** Answers one of the health questions. */
    fun answer(key: String, yes: Boolean) = actOn(SettingsSection.Health) {
        val c = core.app.profile().get().cautions
        val changed = when (key) {
            PAD -> c.copy(peripheralArterialDisease = yes)
            NEUROPATHY -> c.copy(severeNeuropathy = yes)
            SKIN -> c.copy(fragileSkinOrDermatitis = yes)
            HEART -> c.copy(decompensatedHeartFailure = yes)
            else -> c
        }
        core.app.profile().update(ProfileChanges(cautions = changed))
        // What the last action said (a refusal, an import's line) no longer holds.
        message = null
        refresh()
    }

    /**
     * Saves the ankle–brachial index a doctor measured, as typed ("0.95");
     * emptied, it is taken away. The other health answers stay as stored
     * (read in the same action, after any answer asked for before it); the
     * core checks the range (0.1–2.0), and an index below 0.8 closes the
     * compression gate.
     */
    fun saveAnkleBrachialIndex(text: String) = actOn(SettingsSection.Health) {
        val typed = text.trim()
        val index = if (typed.isEmpty()) null else formats.parseMeasure(typed)
        if (typed.isNotEmpty() && index == null) {
            onError("Check the ankle–brachial index: enter a number like 0.95, or leave it empty.")
            return@actOn
        }
        val c = core.app.profile().get().cautions
        core.app.profile().update(ProfileChanges(cautions = c.copy(ankleBrachialIndex = index)))
        message = if (index == null) "Ankle–brachial index taken away" else "Saved"
        refresh()
    }

    /** Picks the export's format (an id of [SettingsUi.exportFormats]). */
    fun chooseExportFormat(id: String) {
        exportFormat = ExportFormat.entries.firstOrNull { it.name == id } ?: return
        mutable.update { state -> state.copy(exportFormats = state.exportFormats.map { it.copy(selected = it.id == id) }) }
    }

    /**
     * Exports the last 30 days in the chosen format: the core writes a
     * temporary file in [exportDir] and names it, and [saver] asks the user
     * where to keep it. One file action (export, backup, restore, import) at a time: a tap
     * while one runs (its dialog open) does nothing; the platform answers a
     * dialog it closed with the app's screen (Android's `MainActivity`) as
     * cancelled.
     */
    fun export() = once(exporting, { copy(exporting = it) }) {
        Done(
            writeAndSave("export") { file ->
                val summary = core.app.data().exportToFile(exportFormat, null, null, file.path)
                Offer(summary.fileName, summary.mediaType, "Saved ${formats.plural(summary.days.toLong(), "day")}")
            },
        )
    }

    /**
     * Backs up everything (the whole database, to restore on this phone or
     * another): the core writes it to a temporary file in [exportDir] and
     * names it by the local day, and [saver] asks the user where to keep it.
     * One at a time, as [export].
     */
    fun backup() = once(backingUp, { copy(backingUp = it) }) {
        Done(
            writeAndSave("backup") { file ->
                val report = core.app.data().backupToFile(file.path)
                Offer(report.fileName, report.mediaType, "Backed up everything")
            },
        )
    }

    /**
     * Imports daily step totals from a CSV file the user picks ([opener]):
     * our own days export, or a pedometer app's `date,steps`. The core
     * merges them without counting a step twice (a date's total counts only
     * above what was recorded that day, and importing it again replaces it)
     * and refuses a file it cannot read, or one with a day after today,
     * whole. One at a time, as [export].
     */
    fun importSteps() = once(importing, { copy(importing = it) }) {
        val picked = try {
            temporaryFile()
        } catch (e: IOException) {
            return@once Done("Could not import: ${e.message ?: "no room in ${exportDir.path}"}")
        }
        try {
            val name = try {
                opener.open(picked, DocumentKind.STEPS)
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                return@once Done("Could not open the file: ${e.message ?: e.javaClass.simpleName}")
            } ?: return@once Done("Import cancelled: nothing changed")
            val report = try {
                core.app.data().importStepsFile(picked.path, name)
            } catch (e: SecondHeartException) {
                return@once Done(userMessage(e))
            }
            val days = formats.plural(report.days.toLong(), "day")
            if (report.added + report.replaced == 0u) {
                Done("Nothing new in $name: its $days were here already")
            } else {
                Done("Imported $days of steps from $name", changedData = true)
            }
        } finally {
            picked.delete()
        }
    }

    /**
     * Runs [work] on [io] unless an export, backup, restore or import runs
     * already ([fileAction]), showing it running ([running], [shown])
     * meanwhile; its answer becomes the message, and every screen reloads
     * when it changed the data.
     */
    private fun once(running: AtomicBoolean, shown: SettingsUi.(Boolean) -> SettingsUi, work: suspend () -> Done) {
        if (!fileAction.compareAndSet(false, true)) return
        running.set(true)
        mutable.update { it.shown(true) }
        actOn(SettingsSection.Data) {
            var done: Done? = null
            try {
                done = work()
            } finally {
                running.set(false)
                fileAction.set(false)
                // Asked before the answer is shown: once it shows, every screen is reloading.
                if (done?.changedData == true) onDataChanged(false)
                done?.let { message = it.said }
                refresh()
            }
        }
    }

    /** What a file action tells the user, and whether it changed the data (then every screen reloads). */
    private class Done(val said: String, val changedData: Boolean = false)

    /** A file the core wrote: the name and media type to offer it under, and what to say once it is kept ("Saved 30 days"). */
    private class Offer(val name: String, val mediaType: String, val kept: String)

    /**
     * The core writes a temporary file in [exportDir] ([write], which says
     * how to offer it) and [saver] asks the user where to keep it; returns
     * what happened, for the user. The temporary file and the core's
     * `.partial` beside it are gone afterwards, whatever happened.
     */
    private suspend fun writeAndSave(what: String, write: (File) -> Offer): String {
        val written = try {
            temporaryFile()
        } catch (e: IOException) {
            return "Could not write the $what: ${e.message ?: "no room in ${exportDir.path}"}"
        }
        // The core writes beside the file first, then renames it over.
        val partials = listOf(File(exportDir, written.nameWithoutExtension + ".partial"), File(written.path + ".partial"))
        try {
            val offer = try {
                write(written)
            } catch (e: SecondHeartException) {
                return userMessage(e)
            }
            return try {
                saver.save(written, offer.name, offer.mediaType)?.let { "${offer.kept} to $it" }
                    ?: "${what.replaceFirstChar(Char::uppercaseChar)} cancelled: nothing was saved"
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // The place chosen refused the file (a provider's IOException or SecurityException).
                "Could not save the $what: ${e.message ?: e.javaClass.simpleName}"
            }
        } finally {
            written.delete()
            partials.forEach(File::delete)
        }
    }

    /**
     * Restores a backup the user picks ([opener]). Over a phone that holds
     * no data it restores at once; over data it asks first
     * ([SettingsUi.confirmingRestore]: [confirmRestore] or [keepCurrentData]).
     * A file that is not a Second Heart backup, or one from a newer app, is
     * refused in words and changes nothing. Not while another file action runs.
     */
    fun restore() {
        if (!fileAction.compareAndSet(false, true)) return
        restoring.set(true)
        mutable.update { it.copy(restoring = true) }
        actOn(SettingsSection.Data) {
            var answer: Pair<String?, Boolean>? = null
            try {
                answer = pickAndRestore()
            } finally {
                // Still restoring while the user is asked.
                if (pendingRestore.get() == null) finishRestore()
                // Asked before the answer is shown, as in [once].
                if (answer?.second == true) restored()
                answer?.let { message = it.first }
                refresh()
            }
        }
    }

    /** What to tell the user, and whether the data was replaced (null: they are asked first). */
    private suspend fun pickAndRestore(): Pair<String?, Boolean> {
        val picked = try {
            temporaryFile()
        } catch (e: IOException) {
            return "Could not restore: ${e.message ?: "no room in ${exportDir.path}"}" to false
        }
        var asking = false
        try {
            val chosen = try {
                opener.open(picked, DocumentKind.BACKUP) != null
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                return "Could not open the backup: ${e.message ?: e.javaClass.simpleName}" to false
            }
            if (!chosen) return "Restore cancelled: nothing changed" to false
            return try {
                restoreFrom(picked, confirmed = false) to true
            } catch (_: SecondHeartException.ConfirmationNeeded) {
                asking = true
                pendingRestore.set(picked)
                null to false
            } catch (e: SecondHeartException) {
                userMessage(e) to false
            }
        } finally {
            if (!asking) picked.delete()
        }
    }

    /** A backup replaced the data: its profile came with it (a new phone restored from the welcome is set up), and every screen reads again. */
    private fun restored() {
        if (!firstRun.done()) firstRun.markDone()
        onDataChanged(true)
    }

    /** Restores [file]; what to tell the user. */
    private fun restoreFrom(file: File, confirmed: Boolean): String {
        val report = core.app.data().restoreFromFile(file.path, confirmed)
        return if (report.replacedData) "Restored the backup: it replaced what this phone held" else "Restored the backup"
    }

    private fun finishRestore() {
        restoring.set(false)
        fileAction.set(false)
    }

    /** Replaces the data here with the backup picked, as confirmed; a second answer finds nothing to do. */
    fun confirmRestore() {
        val file = pendingRestore.getAndSet(null) ?: return
        mutable.update { it.copy(confirmingRestore = false) }
        actOn(SettingsSection.Data) {
            val (said, replaced) = try {
                restoreFrom(file, confirmed = true) to true
            } catch (e: SecondHeartException) {
                userMessage(e) to false
            } finally {
                file.delete()
                finishRestore()
            }
            // Asked before the answer is shown, as in [once].
            if (replaced) restored()
            message = said
            refresh()
        }
    }

    /** Keeps the data here: the backup picked is not restored (nothing to do when no backup waits). */
    fun keepCurrentData() {
        val file = pendingRestore.getAndSet(null) ?: return
        mutable.update { it.copy(confirmingRestore = false) }
        actOn(SettingsSection.Data) {
            file.delete()
            finishRestore()
            message = "Kept the data on this phone: nothing was restored"
            refresh()
        }
    }

    /** Asks before deleting. */
    fun askDeleteAll() {
        confirming = true
        mutable.update { it.copy(confirmingDelete = true) }
    }

    /** Keeps the data. */
    fun cancelDeleteAll() {
        confirming = false
        mutable.update { it.copy(confirmingDelete = false) }
    }

    /** Deletes everything, as confirmed; the dialog closes at once, so a refusal (a sync running) shows. */
    fun confirmDeleteAll() = actOn(SettingsSection.Data) {
        confirming = false
        mutable.update { it.copy(confirmingDelete = false) }
        // Deleted, though a storage too full made no new database yet: said in the core's words, and otherwise
        // as any delete (the screens empty, the welcome next), since the data is gone all the same.
        val noRoomYet = try {
            core.app.data().deleteAll(true)
            null
        } catch (e: SecondHeartException.NotStartedAfresh) {
            e
        }
        // The profile and the health answers went too: the welcome asks them again before a sock is suggested.
        firstRun.reset()
        message = noRoomYet?.let(::userMessage) ?: "All your data was deleted from this device"
        refresh()
        onDataChanged(true)
    }

    private companion object {
        /** How the temporary files of an export, a backup, a restore or an import start and end (the core's own, beside them, end in `.partial`). */
        const val TEMPORARY_PREFIX = "export-"
        const val TEMPORARY_SUFFIX = ".tmp"

        /** The formats offered, as iOS's Settings offers them. */
        val EXPORT_FORMATS = listOf(
            ExportFormat.JSON to "JSON",
            ExportFormat.FHIR to "FHIR",
            ExportFormat.CSV_DAYS to "CSV: days",
            ExportFormat.CSV_MINUTES to "CSV: minutes",
            ExportFormat.CSV_SESSIONS to "CSV: sessions",
            ExportFormat.CSV_WALKS to "CSV: walks",
        )

        const val PAD = "peripheral_arterial_disease"
        const val NEUROPATHY = "severe_neuropathy"
        const val SKIN = "fragile_skin_or_dermatitis"
        const val HEART = "decompensated_heart_failure"
    }
}
