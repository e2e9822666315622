package app.secondheart.state

import java.io.File
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import uniffi.second_heart.InternalException
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionProgress
import uniffi.second_heart.SessionState
import uniffi.second_heart.TodayListener
import uniffi.second_heart.TodaySubscription
import uniffi.second_heart.TodayView

/**
 * Every screen's model over one open core. Today follows the core's
 * observer (no polling); the other screens reload after a change.
 */
class AppModels(
    val core: Core,
    radio: SensorRadio,
    exportDir: File,
    private val scope: CoroutineScope,
    private val io: CoroutineDispatcher,
    formats: Formats = Formats(),
    private val platform: SessionPlatform = SessionPlatform.None,
    exportSaver: ExportSaver = ExportSaver.KeepInFolder,
    documentOpener: DocumentOpener = DocumentOpener.NewestInFolder,
    reminderAccess: ReminderAccess = ReminderAccess.Shown,
    firstRun: FirstRun = FirstRun.Done,
) : AutoCloseable {
    /** The running session as Today last said it, for [followSession] when only its counting changes. */
    private var session: SessionProgress? = null
    private val sessionLock = Any()

    val today = TodayModel(core, formats, scope, io)
    val walk = WalkModel(core, formats, radio, scope, io, platform, countingChanged = ::countingChanged)
    val exercises = ExercisesModel(core, formats, radio, scope, io, countingChanged = ::countingChanged)
    val flight = FlightModel(core, formats, scope, io)
    val devices = DevicesModel(core, formats, radio, scope, io, platform)
    val history = HistoryModel(core, formats, scope, io)
    val settings = SettingsModel(core, formats, exportDir, scope, io, exportSaver, documentOpener, onDataChanged = ::dataChanged, reminderAccess = reminderAccess, firstRun = firstRun)

    private val replacements = MutableStateFlow(0)

    /**
     * How many times the data was replaced (a restore, everything deleted) since the app started: what a
     * screen kept of what was typed on it (a flight's health answers) belongs to the data that went.
     */
    val dataReplacements: StateFlow<Int> = replacements.asStateFlow()

    /** Learn runs the pump model (seconds for hours of sitting): it loads when opened, not with the data screens. */
    val learn = LearnModel(core, formats, scope, io)

    private val subscription: TodaySubscription = core.app.observeToday(object : TodayListener {
        override fun todayChanged(today: TodayView) {
            this@AppModels.today.publish(today)
            followSession(today.session)
        }
    })

    init {
        platform.whenFinishAsked(::finishRunningSession)
    }

    /**
     * Finishes the running session as its screen's Finish (or Stop, for
     * legs up) does: the walk or set is saved and its counting stops.
     */
    private fun finishRunningSession() {
        scope.launch {
            val kind = withContext(io) {
                try {
                    core.app.sessions().status()?.progress?.kind
                } catch (_: SecondHeartException) {
                    null
                } catch (_: InternalException) {
                    // A panic in the core: the notification's Finish does nothing rather than end the app.
                    null
                }
            }
            when (kind) {
                SessionKind.WALK -> walk.finish()
                SessionKind.CALF_RAISES, SessionKind.ANKLE_PUMPS -> exercises.finishSet()
                SessionKind.LEG_ELEVATION -> exercises.stopElevation()
                null -> {}
            }
        }
    }

    /** Tells the platform whether a session runs, what it is and whether a sensor counts it. */
    private fun followSession(session: SessionProgress?): Unit = synchronized(sessionLock) {
        this.session = session
        val running = session?.takeIf { it.state == SessionState.ACTIVE || it.state == SessionState.PAUSED }
        if (running == null) {
            platform.sessionEnded()
        } else {
            platform.sessionRunning(sessionTitle(running.kind), walk.countedBySensor || exercises.countedBySensor)
        }
    }

    /**
     * A sensor's stream started counting the running session, or ended on its own: the platform hears it at once
     * (a foreground service for a sensor's stream needs no step-counter permission), not with the first step it
     * counts, which may come with the screen locked. A stream stopped by a Finish is heard through the
     * write that follows it.
     */
    private fun countingChanged(): Unit = synchronized(sessionLock) { followSession(session) }

    /** Reads every screen's state once (first frame, screenshots). */
    suspend fun refreshAll() {
        listOf(today, walk, exercises, flight, devices, history, settings).forEach { it.refresh() }
    }

    /**
     * Settings changed the data: every screen reloads; when it was replaced
     * (a restore, everything deleted), what the screens last said ("Walk
     * saved: 3,200 steps") is of data no longer there, and goes.
     */
    private fun dataChanged(replaced: Boolean) {
        if (replaced) {
            listOf(today.message, walk.message, devices.message).forEach { it.text = null }
            exercises.dataReplaced()
            walk.dataReplaced()
            flight.dataReplaced()
            replacements.update { it + 1 }
        }
        reloadAll()
    }

    /** Reloads every screen in the background. */
    fun reloadAll() {
        listOf(today, walk, exercises, flight, devices, history, settings).forEach { it.reload() }
    }

    /** The screens whose clocks refresh while the app is in sight (a session's each second, Today's sitting stretch and a started flight's next item each minute). */
    private val clocks = listOf(today, walk, exercises, flight)

    /**
     * The app went to the background (Android's onStop): Devices' live data
     * only shows, so it stops and lets the sensor and its radio go, as when
     * the user leaves the screen, and the session clocks stop refreshing. A
     * walk's or a set's counting stream runs on (its foreground service
     * keeps it).
     */
    fun background() {
        devices.stopLive()
        clocks.forEach { it.stopTickingNow() }
    }

    /**
     * The app is in sight again (Android's onStart, at launch too): every
     * screen reloads, a running session's clock moves again, and the
     * platform hears of a session left running.
     */
    fun foreground() {
        clocks.forEach { it.allowTicking() }
        reloadAll()
        scope.launch {
            withContext(io) {
                try {
                    followSession(core.app.sessions().status()?.progress)
                } catch (_: SecondHeartException) {
                } catch (_: InternalException) {
                    // A panic in the core: coming back to the app must not end it.
                }
            }
        }
    }

    /** Stops observing Today and the clocks' refreshing, before the core closes. */
    override fun close() {
        platform.whenFinishAsked(null)
        subscription.cancel()
        runBlocking { clocks.forEach { it.stopTicking() } }
    }
}

/** A session's name as the phone's notification shows it. */
internal fun sessionTitle(kind: SessionKind): String = when (kind) {
    SessionKind.WALK -> "Walk"
    SessionKind.CALF_RAISES -> "Calf raises"
    SessionKind.ANKLE_PUMPS -> "Ankle pumps"
    SessionKind.LEG_ELEVATION -> "Legs up"
}
