package app.secondheart.state

import java.io.File
import java.io.IOException
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import uniffi.second_heart.CompressionAdvice
import uniffi.second_heart.ExportFormat
import uniffi.second_heart.Profile
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.SecondHeartException

/** Settings and first run: profile and goals, reminders, the health questions, export, delete all. */
class SettingsModel(
    private val core: Core,
    private val formats: Formats,
    /** Where an export is written before [saver] offers it to the user. */
    private val exportDir: File,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    /** Asks the user where to keep an export. */
    private val saver: ExportSaver = ExportSaver.KeepInFolder,
    /** Called after delete all, so every screen reloads. */
    private val onDataChanged: () -> Unit = {},
) : ScreenModel<SettingsUi>(SettingsUi("", "", false, "", emptyList(), GateUi.Unanswered, null, false), scope, io) {
    private var message: String? = null
    private var confirming = false
    private var exportFormat = ExportFormat.JSON
    private val exporting = AtomicBoolean(false)

    init {
        removeLeftovers()
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
            heightCm = formats.integer(Math.round(p.heightCm)),
            stepsGoal = p.stepsGoal.toString(),
            remindersOn = p.remindersEnabled,
            quietHours = "${p.quietFrom}–${p.quietUntil}",
            questions = questions,
            // The core's contraindication gate, the one every suggestion of stockings goes through.
            compressionGate = when (advice) {
                is CompressionAdvice.Suitable ->
                    GateUi.Open("Compression socks: fine for you. The app may suggest them for long flights and desk days.")
                is CompressionAdvice.SeeDoctorFirst ->
                    GateUi.Closed("Compression socks: ask your doctor first (${advice.reasons.joinToString("; ")}). The app will not suggest them.")
            },
            message = message,
            confirmingDelete = confirming,
            exportFormats = EXPORT_FORMATS.map { (format, label) -> ChoiceUi(format.name, label, format == exportFormat) },
            exporting = exporting.get(),
        )
    }

    override fun onError(message: String) {
        this.message = message
        mutable.value = mutable.value.copy(message = message)
    }

    /** Saves height and the steps goal, as typed. */
    fun saveProfile(heightCm: String, stepsGoal: String) = act {
        val height = heightCm.trim().toDoubleOrNull()
        val goal = stepsGoal.trim().replace(",", "").toUIntOrNull()
        if (height == null || goal == null) {
            onError("Enter your height in centimetres and the goal as a whole number of steps.")
            return@act
        }
        core.app.profile().update(ProfileChanges(heightCm = height, stepsGoal = goal))
        message = "Saved"
        refresh()
    }

    /** Turns break reminders on or off. */
    fun setReminders(on: Boolean) = act {
        core.app.profile().update(ProfileChanges(remindersEnabled = on))
        refresh()
    }

    /** Answers one of the health questions. */
    fun answer(key: String, yes: Boolean) = act {
        val c = core.app.profile().get().cautions
        val changed = when (key) {
            PAD -> c.copy(peripheralArterialDisease = yes)
            NEUROPATHY -> c.copy(severeNeuropathy = yes)
            SKIN -> c.copy(fragileSkinOrDermatitis = yes)
            HEART -> c.copy(decompensatedHeartFailure = yes)
            else -> c
        }
        core.app.profile().update(ProfileChanges(cautions = changed))
        refresh()
    }

    /** Picks the export's format (an id of [SettingsUi.exportFormats]). */
    fun chooseExportFormat(id: String) {
        exportFormat = ExportFormat.entries.firstOrNull { it.name == id } ?: return
        mutable.value = mutable.value.copy(exportFormats = mutable.value.exportFormats.map { it.copy(selected = it.id == id) })
    }

    /**
     * Exports the last 30 days in the chosen format: the core writes a
     * temporary file in [exportDir] and names it, and [saver] asks the user
     * where to keep it. One export at a time: a tap while one runs (its
     * dialog open) does nothing; the platform answers a dialog it closed
     * with the app's screen (Android's `MainActivity`) as cancelled.
     */
    fun export() {
        if (!exporting.compareAndSet(false, true)) return
        mutable.value = mutable.value.copy(exporting = true)
        act {
            try {
                message = exportAndSave()
            } finally {
                exporting.set(false)
                refresh()
            }
        }
    }

    private suspend fun exportAndSave(): String {
        val written = try {
            exportDir.mkdirs()
            File.createTempFile(TEMPORARY_PREFIX, TEMPORARY_SUFFIX, exportDir)
        } catch (e: IOException) {
            return "Could not write the export: ${e.message ?: "no room in ${exportDir.path}"}"
        }
        // The core writes beside the file first, then renames it over.
        val partial = File(exportDir, written.nameWithoutExtension + ".partial")
        try {
            val summary = try {
                core.app.data().exportToFile(exportFormat, null, null, written.path)
            } catch (e: SecondHeartException) {
                return userMessage(e)
            }
            val days = formats.plural(summary.days.toLong(), "day")
            return try {
                saver.save(written, summary.fileName, summary.mediaType)?.let { "Saved $days to $it" }
                    ?: "Export cancelled: nothing was saved"
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // The place chosen refused the file (a provider's IOException or SecurityException).
                "Could not save the export: ${e.message ?: e.javaClass.simpleName}"
            }
        } finally {
            written.delete()
            partial.delete()
        }
    }

    /** Removes exports left half-way in [exportDir] by a process that was stopped (they hold health data). */
    private fun removeLeftovers() = act {
        exportDir.listFiles { f -> f.name.startsWith(TEMPORARY_PREFIX) }?.forEach { it.delete() }
    }

    /** Asks before deleting. */
    fun askDeleteAll() {
        confirming = true
        mutable.value = mutable.value.copy(confirmingDelete = true)
    }

    /** Keeps the data. */
    fun cancelDeleteAll() {
        confirming = false
        mutable.value = mutable.value.copy(confirmingDelete = false)
    }

    /** Deletes everything, as confirmed. */
    fun confirmDeleteAll() = act {
        confirming = false
        core.app.data().deleteAll(true)
        message = "All your data was deleted from this device"
        refresh()
        onDataChanged()
    }

    private companion object {
        /** How the temporary files of an export start and end (the core's own, beside it, ends in `.partial`). */
        const val TEMPORARY_PREFIX = "export-"
        const val TEMPORARY_SUFFIX = ".tmp"

        /** The formats offered, as iOS's Settings offers them. */
        val EXPORT_FORMATS = listOf(
            ExportFormat.JSON to "JSON",
            ExportFormat.FHIR to "FHIR",
            ExportFormat.CSV_DAYS to "CSV: days",
            ExportFormat.CSV_MINUTES to "CSV: minutes",
            ExportFormat.CSV_SESSIONS to "CSV: sessions",
        )

        const val PAD = "peripheral_arterial_disease"
        const val NEUROPATHY = "severe_neuropathy"
        const val SKIN = "fragile_skin_or_dermatitis"
        const val HEART = "decompensated_heart_failure"
    }
}
